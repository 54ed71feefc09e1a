/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ab-format.h"
#include "ab-network.h"

#define NOT_A_FIGURE "–"

/* @v with at most three significant figures and no exponent, for
 * 0 <= v < 999.5, without trailing zeros ("0.0423", "8.58", "22.2",
 * "231", "10", "2.5"). */
static char *
three_figures (double v)
{
  int decimals;
  char *text;
  gsize len;

  if (v == 0.0)
    return g_strdup ("0");
  decimals = 2 - (int) floor (log10 (v));
  /* 9.996 rounds to 10.0: one decimal fewer */
  if (decimals > 0 && fabs (v) * pow (10.0, decimals) >= 999.5)
    decimals--;
  text = g_strdup_printf ("%.*f", MAX (decimals, 0), v);
  if (decimals > 0)
    {
      /* the decimal separator is the locale's: "." or "," */
      len = strlen (text);
      while (len > 1 && text[len - 1] == '0')
        text[--len] = '\0';
      if (len > 1 && !g_ascii_isdigit (text[len - 1]))
        text[--len] = '\0';
    }
  return text;
}

char *
ab_format_latency (double ms)
{
  g_autofree char *figure = NULL;

  if (!isfinite (ms) || ms < 0.0)
    return g_strdup (NOT_A_FIGURE);
  if (ms < 999.5)
    {
      figure = three_figures (ms);
      /* Translators: a latency in milliseconds: "8.58 ms" */
      return g_strdup_printf (_("%s ms"), figure);
    }
  if (ms < 999500.0)
    figure = three_figures (ms / 1000.0);
  else
    figure = g_strdup_printf ("%'.0f", ms / 1000.0);
  /* Translators: a latency in seconds: "2.57 s" */
  return g_strdup_printf (_("%s s"), figure);
}

char *
ab_format_rate (double rps)
{
  return ab_format_class_rate (rps, AB_N_CLASSES);
}

char *
ab_format_class_rate (double rps,
                      int    klass)
{
  g_autofree char *figure = NULL;

  if (isinf (rps) && rps > 0.0)
    return g_strdup (_("no limit"));
  if (!isfinite (rps) || rps < 0.0)
    return g_strdup (NOT_A_FIGURE);
  figure = rps >= 99.95 ? g_strdup_printf ("%'.0f", rps) : three_figures (rps);
  if (klass == AB_CLASS_READ)
    /* Translators: a rate of read requests: "15,054 reads/s" */
    return g_strdup_printf (_("%s reads/s"), figure);
  if (klass == AB_CLASS_WRITE)
    /* Translators: a rate of write requests: "1,000 writes/s" */
    return g_strdup_printf (_("%s writes/s"), figure);
  /* Translators: a request rate: "15,054 requests/s" */
  return g_strdup_printf (_("%s requests/s"), figure);
}

char *
ab_format_rate_short (double rps)
{
  g_autofree char *figure = NULL;

  if (!isfinite (rps) || rps < 0.0)
    return g_strdup (NOT_A_FIGURE);
  if (rps >= 999500.0)
    {
      figure = rps >= 999.5e6 ? g_strdup_printf ("%'.0f", rps / 1e6) : three_figures (rps / 1e6);
      /* Translators: millions of requests per second, short: "2.5M/s" */
      return g_strdup_printf (_("%sM/s"), figure);
    }
  if (rps >= 999.5)
    {
      figure = three_figures (rps / 1e3);
      /* Translators: thousands of requests per second, short: "15.1k/s" */
      return g_strdup_printf (_("%sk/s"), figure);
    }
  figure = three_figures (rps);
  /* Translators: requests per second, short: "420/s" */
  return g_strdup_printf (_("%s/s"), figure);
}

char *
ab_format_percent (double fraction,
                   int    digits)
{
  if (!isfinite (fraction))
    return g_strdup (NOT_A_FIGURE);
  return g_strdup_printf ("%.*f %%", CLAMP (digits, 0, 9), 100.0 * fraction);
}

char *
ab_format_availability (double fraction)
{
  double nines, scaled;
  int digits;
  GString *text;

  if (!isfinite (fraction) || fraction < 0.0 || fraction > 1.0)
    return g_strdup (NOT_A_FIGURE);
  /* The estimate is 1 minus products of the components' unavailabilities,
   * and reads exactly 1 once that product is below double precision (five
   * instances at 99.99 % each are down together 1e-20 of the time): "100 %"
   * would promise what no design keeps.  Past seven nines (beyond any
   * target a problem sets) it is a bound, "> 99.99999 %". */
  if (fraction > 1.0 - 1e-7)
    {
      g_autofree char *bound = g_strdup_printf ("%.5f", 99.99999);

      return g_strdup_printf ("> %s %%", bound);
    }
  /* As many decimals as the nines need (99.999 % has three) and one more,
   * cut off rather than rounded, so that a figure never reads better than
   * it is: 99.9985 % is "99.998 %", not "99.999 %" or "100.00 %". */
  nines = floor (-log10 (1.0 - fraction) + 1e-9);
  digits = CLAMP ((int) nines - 1, 2, 9);
  scaled = floor (100.0 * fraction * pow (10.0, digits) + 1e-6) / pow (10.0, digits);
  text = g_string_new (NULL);
  g_string_printf (text, "%.*f", digits, scaled);
  /* ...but no trailing zeros past two decimals: "99.99 %", not "99.990 %" */
  while (digits > 2 && text->str[text->len - 1] == '0')
    {
      g_string_truncate (text, text->len - 1);
      digits--;
    }
  g_string_append (text, " %");
  return g_string_free (text, FALSE);
}

static char *
dollars_with (double dollars,
              int    decimals)
{
  g_autofree char *figure = NULL;

  if (!isfinite (dollars))
    return g_strdup (NOT_A_FIGURE);
  figure = g_strdup_printf ("%'.*f", decimals, dollars);
  /* Translators: an amount in US dollars: "$11,038" (prices are in US
   * dollars; write the sign where your language puts it) */
  return g_strdup_printf (_("$%s"), figure);
}

char *
ab_format_money (double dollars)
{
  return dollars_with (dollars, 0);
}

char *
ab_format_money_cents (double dollars)
{
  return dollars_with (dollars, 2);
}
