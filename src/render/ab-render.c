/* ab-render.c: being written */
