/* ab-tiers.c: being written (in progress) */
