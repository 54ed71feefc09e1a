/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "ab-format.h"
#include "ab-network.h"

#define NOT_A_FIGURE "–"

/* @v rounded to @decimals decimals with its whole part grouped as
 * LC_NUMERIC groups it: "15,054" in English, "15.054" in German,
 * "1,23,456" where the locale groups by 3 then 2.  The C and POSIX
 * locales define no separator, which would leave "$10947" to a learner
 * whose session never chose a locale: there (and wherever a locale leaves
 * the separator empty) digits go in threes, separated by "," or, if the
 * decimal separator is already ",", by ".". */
static char *
grouped (double v,
         int    decimals)
{
  const struct lconv *conv = localeconv ();
  const char *sep = conv->thousands_sep;
  const char *grouping = conv->grouping;
  const char *point = conv->decimal_point;
  g_autofree char *plain = g_strdup_printf ("%.*f", MAX (decimals, 0), v);
  const char *digits = plain;
  const char *end;
  GString *out;
  gsize n_digits, group;
  guint level = 0;
  GSList *groups = NULL;

  if (sep == NULL || sep[0] == '\0')
    {
      sep = point != NULL && strcmp (point, ",") == 0 ? "." : ",";
      grouping = "\3";
    }
  else if (grouping == NULL || grouping[0] == '\0')
    grouping = "\3";

  out = g_string_new (NULL);
  if (*digits == '-')
    g_string_append_c (out, *digits++);
  for (end = digits; g_ascii_isdigit (*end); end++)
    ;
  n_digits = (gsize) (end - digits);

  /* cut the whole part from the right into the locale's group sizes; the
   * last size repeats, CHAR_MAX (or a size <= 0) ends grouping */
  while (n_digits > 0)
    {
      char size = grouping[level];

      group = size <= 0 || size == CHAR_MAX ? n_digits : MIN ((gsize) size, n_digits);
      n_digits -= group;
      groups = g_slist_prepend (groups, g_strndup (digits + n_digits, group));
      if (grouping[level] > 0 && grouping[level + 1] != '\0')
        level++;
      if (size <= 0 || size == CHAR_MAX)
        break;
    }
  for (GSList *l = groups; l != NULL; l = l->next)
    {
      if (l != groups)
        g_string_append (out, sep);
      g_string_append (out, l->data);
    }
  g_slist_free_full (groups, g_free);
  g_string_append (out, end);
  return g_string_free (out, FALSE);
}

/* Whether @v is exactly a figure with @decimals decimals (8.5 with one,
 * 50 with none), as a figure someone wrote is (a target, a setting),
 * rather than a measurement that rounds to one (30.98). */
static gboolean
exact_at (double v,
          int    decimals)
{
  double scaled = fabs (v) * pow (10.0, decimals);

  return fabs (scaled - round (scaled)) <= 1e-9 * MAX (scaled, 1.0);
}

/* @v with at most three significant figures and no exponent, for
 * 0 <= v < 999.5: as many decimals as its magnitude gives three figures,
 * so that figures of one magnitude shown together read alike ("31.0"
 * beside "31.1", "10.0" beside "12.4", "8.50" beside "8.60": never "31"
 * beside "31.1").  A @given figure (a target, a setting, an axis tick)
 * that is exactly a shorter one is written without its trailing zeros
 * ("50", "8.5", "0.25"); a measurement never is, also when it happens
 * to be round (a simulated percentile can fall on a histogram bucket's
 * edge, 8.5 ms).  The decimal separator is the locale's (LC_NUMERIC):
 * "8,58" in German. */
static char *
three_figures (double   v,
               gboolean given)
{
  int decimals, shown;

  if (v == 0.0)
    return g_strdup ("0");
  decimals = 2 - (int) floor (log10 (v));
  /* 9.996 rounds to 10.0: one decimal fewer */
  if (decimals > 0 && fabs (v) * pow (10.0, decimals) >= 999.5)
    decimals--;
  decimals = MAX (decimals, 0);
  shown = decimals;
  while (given && shown > 0 && exact_at (v, shown - 1))
    shown--;
  return g_strdup_printf ("%.*f", shown, v);
}

static char *
format_latency (double   ms,
                gboolean given)
{
  g_autofree char *figure = NULL;

  if (!isfinite (ms) || ms < 0.0)
    return g_strdup (NOT_A_FIGURE);
  if (ms < 999.5)
    {
      figure = three_figures (ms, given);
      /* Translators: a latency in milliseconds: "8.58 ms" */
      return g_strdup_printf (_("%s ms"), figure);
    }
  if (ms < 999500.0)
    figure = three_figures (ms / 1000.0, given);
  else
    figure = grouped (ms / 1000.0, 0);
  /* Translators: a latency in seconds: "2.57 s" */
  return g_strdup_printf (_("%s s"), figure);
}

char *
ab_format_latency (double ms)
{
  return format_latency (ms, FALSE);
}

char *
ab_format_latency_given (double ms)
{
  return format_latency (ms, TRUE);
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
  figure = rps >= 99.95 ? grouped (rps, 0) : three_figures (rps, TRUE);
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
      figure = rps >= 999.5e6 ? grouped (rps / 1e6, 0) : three_figures (rps / 1e6, TRUE);
      /* Translators: millions of requests per second, short: "2.5M/s" */
      return g_strdup_printf (_("%sM/s"), figure);
    }
  if (rps >= 999.5)
    {
      figure = three_figures (rps / 1e3, TRUE);
      /* Translators: thousands of requests per second, short: "15.1k/s" */
      return g_strdup_printf (_("%sk/s"), figure);
    }
  figure = three_figures (rps, TRUE);
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

char *
ab_format_availability_given (double fraction)
{
  double percent = 100.0 * fraction;
  int digits = 0;

  if (!isfinite (fraction) || fraction < 0.0 || fraction > 1.0)
    return g_strdup (NOT_A_FIGURE);
  /* as few decimals as the figure was written with: 99.9 is "99.9 %" */
  while (digits < 7 && !exact_at (percent, digits))
    digits++;
  return g_strdup_printf ("%.*f %%", digits, percent);
}

char *
ab_format_count (double v)
{
  if (!isfinite (v))
    return g_strdup (NOT_A_FIGURE);
  return grouped (v, 0);
}

char *
ab_format_decimal (double v,
                   int    decimals)
{
  if (!isfinite (v))
    return g_strdup (NOT_A_FIGURE);
  return grouped (v, decimals);
}

static char *
dollars_with (double dollars,
              int    decimals)
{
  g_autofree char *figure = NULL;

  if (!isfinite (dollars))
    return g_strdup (NOT_A_FIGURE);
  figure = grouped (dollars, decimals);
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

char *
ab_format_pad (const char *text,
               int         width)
{
  glong n = g_utf8_strlen (text, -1);
  GString *s = g_string_new (text);

  for (glong i = n; i < ABS (width); i++)
    {
      if (width < 0)
        g_string_prepend_c (s, ' ');
      else
        g_string_append_c (s, ' ');
    }
  return g_string_free (s, FALSE);
}

/* Whether @word (up to @end, its trailing punctuation left off) is a unit
 * or sign written after a number: "%", "$", "ms", "s", a rate ("reads/s",
 * "Lesezugriffe/s", "k/s"). */
static gboolean
is_unit (const char *word,
         const char *end)
{
  static const char *const units[] = { "%", "$", "\u20ac", "ms", "s", "\u00b5s", "us", "ns", "min", "h",
                                       "B", "KB", "MB", "GB", "TB", "PB", "KiB", "MiB", "GiB", "TiB" };
  gsize n;

  while (end > word && strchr (":;,.!?)", end[-1]) != NULL)
    end--;
  n = (gsize) (end - word);
  if (n >= 2 && strncmp (end - 2, "/s", 2) == 0)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (strlen (units[i]) == n && strncmp (word, units[i], n) == 0)
      return TRUE;
  return FALSE;
}

/* Whether the word that ends at @at (exclusive), from @text on, is a
 * comparison sign alone: "<", ">", "\u2264", "\u2265", "~", "\u2248". */
static gboolean
is_sign_before (const char *text,
                const char *at)
{
  static const char *const signs[] = { "<", ">", "\u2264", "\u2265", "~", "\u2248" };

  for (guint i = 0; i < G_N_ELEMENTS (signs); i++)
    {
      gsize n = strlen (signs[i]);

      if ((gsize) (at - text) >= n && strncmp (at - n, signs[i], n) == 0 &&
          (at - n == text || at[-(glong) n - 1] == ' '))
        return TRUE;
    }
  return FALSE;
}

char *
ab_format_keep_figures (const char *text)
{
  GString *out;

  if (text == NULL)
    return NULL;
  out = g_string_sized_new (strlen (text) + 16);
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == ' ' && p > text && p[1] != '\0' && p[1] != ' ')
        {
          const char *next = p + 1;
          const char *end = next + strcspn (next, " ");

          if ((g_ascii_isdigit (p[-1]) && is_unit (next, end)) ||
              (g_ascii_isdigit (*next) && is_sign_before (text, p)))
            {
              g_string_append (out, "\u00a0");
              continue;
            }
        }
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}
