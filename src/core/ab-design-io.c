/* ab-design-io.c: being written (in progress) */
