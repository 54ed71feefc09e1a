/* ab-export.c: being written */
