/* ab-problem.c: being written (in progress) */
