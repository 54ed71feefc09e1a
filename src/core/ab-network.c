/* ab-network.c: being written */
