/* SPDX-License-Identifier: GPL-3.0-or-later */
/* For the window UI tests: a figure as the app writes it, by the app's own
 * src/core/ab-format.c, so that a test compares what the window shows with
 * archboard-cli's JSON without a copy of the rules of the number format.
 * Reads lines "KIND VALUE" on standard input and writes each figure on a
 * line of its own, its digits grouped as the environment's locale groups
 * them, as the app under test does (its words are English: the helper binds
 * no translation).  KIND: latency, rate, availability, money, percent0,
 * percent2; VALUE as Python writes a float ("8.58", "1e-05", "inf", "nan"). */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "ab-format.h"

int
main (void)
{
  char line[256];

  setlocale (LC_ALL, "");
  while (fgets (line, sizeof line, stdin) != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (g_strstrip (line), " ", 2);
      g_autofree char *text = NULL;
      double v;

      if (g_strv_length (parts) != 2)
        {
          fprintf (stderr, "format-figures: expected \"KIND VALUE\", got \"%s\"\n", line);
          return 2;
        }
      v = g_ascii_strtod (parts[1], NULL);
      if (strcmp (parts[0], "latency") == 0)
        text = ab_format_latency (v);
      else if (strcmp (parts[0], "rate") == 0)
        text = ab_format_rate (v);
      else if (strcmp (parts[0], "availability") == 0)
        text = ab_format_availability (v);
      else if (strcmp (parts[0], "money") == 0)
        text = ab_format_money (v);
      else if (strcmp (parts[0], "percent0") == 0)
        text = ab_format_percent (v, 0);
      else if (strcmp (parts[0], "percent2") == 0)
        text = ab_format_percent (v, 2);
      else
        {
          fprintf (stderr, "format-figures: unknown kind \"%s\"\n", parts[0]);
          return 2;
        }
      printf ("%s\n", text);
      fflush (stdout);
    }
  return 0;
}
