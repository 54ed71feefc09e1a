/* ab-canvas.c: being written */
