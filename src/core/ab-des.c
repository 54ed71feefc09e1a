/* ab-des.c: being written */
