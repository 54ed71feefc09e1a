/* ab-import.c: being written (in progress) */
