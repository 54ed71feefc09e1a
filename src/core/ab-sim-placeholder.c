/* ab-sim-placeholder.c: being written (in progress) */
