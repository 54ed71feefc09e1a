/* ab-catalog.c: being written (in progress) */
