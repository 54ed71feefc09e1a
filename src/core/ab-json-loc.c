/* ab-json-loc.c: being written (in progress) */
