/* ab-design.c: being written (in progress) */
