/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How figures are written for a learner (ab-format.h): three significant
 * figures for latencies and small rates, seconds from one second on,
 * whole requests and dollars grouped by the locale, availability with as
 * many decimals as its nines need, cut off (never rounded up, so never
 * "100.00 %" below 1). */
#include <locale.h>
#include <math.h>
#include <string.h>

#include "ab-format.h"

typedef char *(*Format) (double);

static void
expect (Format      format,
        double      value,
        const char *want)
{
  g_autofree char *got = format (value);

  g_assert_cmpstr (got, ==, want);
}

static void
expect_decimal (double      v,
                int         decimals,
                const char *want)
{
  g_autofree char *got = ab_format_decimal (v, decimals);

  g_assert_cmpstr (got, ==, want);
}

static void
test_latency (void)
{
  expect (ab_format_latency, 0.0, "0 ms");
  expect (ab_format_latency, 0.04234, "0.0423 ms");
  expect (ab_format_latency, 8.581, "8.58 ms");
  expect (ab_format_latency, 9.996, "10.0 ms");
  expect (ab_format_latency, 22.19, "22.2 ms");
  expect (ab_format_latency, 231.4, "231 ms");
  expect (ab_format_latency, 50.0, "50.0 ms");
  expect (ab_format_latency, 8.5, "8.50 ms");
  expect (ab_format_latency, 100.0, "100 ms");
  expect (ab_format_latency, 2500.0, "2.50 s");
  expect (ab_format_latency, 999.4, "999 ms");
  expect (ab_format_latency, 999.6, "1.00 s");
  expect (ab_format_latency, 2570.0, "2.57 s");
  expect (ab_format_latency, 123456.0, "123 s");
  expect (ab_format_latency, 1234567.0, "1,235 s");
  expect (ab_format_latency, NAN, "–");
  expect (ab_format_latency, INFINITY, "–");
  expect (ab_format_latency, -1.0, "–");
}

/* Figures of one magnitude shown together have as many decimals: a
 * phase's P50 of 30.98 ms read "31 ms" in the column beside a P95 of
 * "31.1 ms" (German "31,1 ms"); a simulated P50 on a histogram bucket's
 * edge, exactly 8.5 ms, read "8.5 ms" beside "8.60 ms" in the report's
 * table.  Only a figure someone wrote (a target, "50 ms") drops its
 * zeros. */
static void
test_latency_magnitude (void)
{
  expect (ab_format_latency, 30.98, "31.0 ms");
  expect (ab_format_latency, 31.1, "31.1 ms");
  expect (ab_format_latency, 31.0, "31.0 ms");
  expect (ab_format_latency, 2.998, "3.00 ms");
  expect (ab_format_latency, 0.4199, "0.420 ms");
  expect (ab_format_latency, 0.25, "0.250 ms");
  expect (ab_format_latency, 2999.9, "3.00 s");
  expect (ab_format_latency, 8.5, "8.50 ms");
  expect (ab_format_latency, 9.0, "9.00 ms");
  /* a target keeps the figure as the problem writes it */
  expect (ab_format_latency_given, 50.0, "50 ms");
  expect (ab_format_latency_given, 8.5, "8.5 ms");
  expect (ab_format_latency_given, 0.25, "0.25 ms");
  expect (ab_format_latency_given, 2500.0, "2.5 s");
  expect (ab_format_latency_given, 30.98, "31.0 ms");
  expect (ab_format_latency_given, NAN, "–");
  /* every measurement in a decade with the decade's decimals: one from
   * 10 to 99.9 ms, two from 1 to 9.99, none from 100 */
  for (double v = 1.0001; v < 999.0; v *= 1.0137)
    {
      g_autofree char *text = ab_format_latency (v);
      const char *point = strchr (text, '.');
      int want = v < 9.995 ? 2 : v < 99.95 ? 1 : 0;
      int decimals = point != NULL ? (int) (strchr (point, ' ') - point - 1) : 0;

      if (decimals != want)
        g_error ("%.4f ms reads \"%s\": %d decimals, not %d", v, text, decimals, want);
    }
}

static void
test_rate (void)
{
  expect (ab_format_rate, 15054.2, "15,054 requests/s");
  expect (ab_format_rate, 100.0, "100 requests/s");
  expect (ab_format_rate, 42.51, "42.5 requests/s");
  expect (ab_format_rate, 0.5, "0.5 requests/s");
  expect (ab_format_rate, INFINITY, "no limit");
  expect (ab_format_rate, NAN, "–");
  expect (ab_format_rate_short, 420.0, "420/s");
  expect (ab_format_rate_short, 15054.0, "15.1k/s");
  expect (ab_format_rate_short, 999.7, "1.00k/s");
  expect (ab_format_rate_short, 15000.0, "15k/s");
  expect (ab_format_rate, 41.98, "42.0 requests/s");
  expect (ab_format_rate_short, 2.5e6, "2.5M/s");
  expect (ab_format_rate_short, 2.5e9, "2,500M/s");
}

static void
test_percent (void)
{
  g_autofree char *errors = ab_format_percent (0.12345, 2);

  g_assert_cmpstr (errors, ==, "12.35 %");
  expect (ab_format_availability, 0.9985, "99.85 %");
  expect (ab_format_availability, 0.9999, "99.99 %");
  expect (ab_format_availability, 0.99999, "99.999 %");
  expect (ab_format_availability, 0.999985, "99.998 %");
  expect (ab_format_availability, 0.99949, "99.94 %");
  expect (ab_format_availability, 0.5, "50.00 %");
  /* a target as the problem writes it: "meets the 99.9 % asked", not
   * "the 99.90 % asked" beside a problem's "99.9 % uptime" */
  expect (ab_format_availability_given, 0.999, "99.9 %");
  expect (ab_format_availability_given, 0.9995, "99.95 %");
  expect (ab_format_availability_given, 0.99999, "99.999 %");
  expect (ab_format_availability_given, 0.99, "99 %");
  expect (ab_format_availability_given, NAN, "–");
  expect (ab_format_availability, 0.999999874999, "99.99998 %");
  /* past seven nines a bound, never "100 %": an estimate reads 1 once
   * the components' unavailabilities multiply below double precision */
  expect (ab_format_availability, 1.0, "> 99.99999 %");
  expect (ab_format_availability, 1.0 - 1e-13, "> 99.99999 %");
  expect (ab_format_availability, 0.99999995, "> 99.99999 %");
  expect (ab_format_availability, 1.0 - 1.5e-7, "99.99998 %");
  /* nothing below 1 reads as 100 or more */
  for (int k = 1; k <= 16; k++)
    for (double m = 1.0; m < 10.0; m += 0.5)
      {
        g_autofree char *text = ab_format_availability (1.0 - m * pow (10.0, -k));

        const char *figure = g_str_has_prefix (text, "> ") ? text + 2 : text;

        g_assert_cmpfloat (g_ascii_strtod (figure, NULL), <, 100.0);
      }
  expect (ab_format_availability, NAN, "–");
  expect (ab_format_money, 11038.4, "$11,038");
  expect (ab_format_money_cents, 15.214, "$15.21");
  /* grouped in threes even in the C locale, which defines no separator of
   * its own ("$10947 per month" was hard to read) */
  expect (ab_format_money, 10947.0, "$10,947");
  expect (ab_format_money, 158298.2, "$158,298");
  expect (ab_format_money, 999.0, "$999");
  expect (ab_format_money, 1234567.0, "$1,234,567");
  expect (ab_format_money, -1234.0, "$-1,234");
  expect (ab_format_money_cents, 4321.5, "$4,321.50");
  expect (ab_format_rate, 1000000.0, "1,000,000 requests/s");
  expect_decimal (1954.46, 1, "1,954.5");
  expect_decimal (1954.46, 0, "1,954");
  expect_decimal (NAN, 1, "–");
}

/* In a German session: decimal comma and grouped thousands. */
static void
test_locale (void)
{
  if (setlocale (LC_NUMERIC, "de_DE.UTF-8") == NULL)
    {
      g_test_skip ("no de_DE.UTF-8 locale (build-aux/dev setup generates it)");
      return;
    }
  expect (ab_format_latency, 8.581, "8,58 ms");
  expect (ab_format_latency, 8.5, "8,50 ms");
  expect (ab_format_latency_given, 8.5, "8,5 ms");
  expect (ab_format_latency, 10.0, "10,0 ms");
  expect (ab_format_latency_given, 10.0, "10 ms");
  expect (ab_format_latency, 30.98, "31,0 ms");
  expect (ab_format_latency, 31.1, "31,1 ms");
  expect (ab_format_latency, 999.6, "1,00 s");
  expect (ab_format_rate_short, 999.7, "1,00k/s");
  {
    g_autofree char *percent = ab_format_percent (0.12345, 2);

    g_assert_cmpstr (percent, ==, "12,35 %");
  }
  expect (ab_format_rate, 15054.2, "15.054 requests/s");
  expect (ab_format_money, 11038.4, "$11.038");
  expect (ab_format_money, 1234567.0, "$1.234.567");
  expect (ab_format_money_cents, 4321.5, "$4.321,50");
  expect (ab_format_latency, 1234567.0, "1.235 s");
  expect (ab_format_availability, 0.9999, "99,99 %");
  expect (ab_format_availability_given, 0.999, "99,9 %");
  expect (ab_format_availability, 1.0, "> 99,99999 %");
  expect_decimal (1954.46, 1, "1.954,5");
  setlocale (LC_NUMERIC, "C");
}

static void
expect_kept (const char *text,
             const char *want)
{
  g_autofree char *got = ab_format_keep_figures (text);

  g_assert_cmpstr (got, ==, want);
}

/* A sentence for a label that wraps keeps each figure whole: the checks
 * panel broke "Estimated availability is 99.94 %: meets the 99.9" / "%
 * asked", and in German "... beträgt >" / "99,99999 %:" and "10.000" /
 * "Lesezugriffe/s".  Other spaces stay breakable. */
static void
test_keep_figures (void)
{
  expect_kept ("Estimated availability is 99.94 %: meets the 99.9 % asked",
               "Estimated availability is 99.94\u00a0%: meets the 99.9\u00a0% asked");
  expect_kept ("Estimated availability is > 99.99999 %: meets the 99.95 % asked",
               "Estimated availability is >\u00a099.99999\u00a0%: meets the 99.95\u00a0% asked");
  expect_kept ("P95 of reads in the normal phase is 17.7 ms: within the 50 ms asked",
               "P95 of reads in the normal phase is 17.7\u00a0ms: within the 50\u00a0ms asked");
  expect_kept ("Served 10,000 reads/s in the normal phase: keeps up with the 10,000 reads/s asked",
               "Served 10,000\u00a0reads/s in the normal phase: keeps up with the 10,000\u00a0reads/s asked");
  expect_kept ("Geschätzte Verfügbarkeit beträgt > 99,99999 %: erfüllt die geforderten 99,95 %",
               "Geschätzte Verfügbarkeit beträgt >\u00a099,99999\u00a0%: erfüllt die geforderten 99,95\u00a0%");
  expect_kept ("10.000 Lesezugriffe/s bedient; 38.657 $ pro Monat; lags 2.5 s behind, P95 < 50 ms",
               "10.000\u00a0Lesezugriffe/s bedient; 38.657\u00a0$ pro Monat; lags 2.5\u00a0s behind, P95 <\u00a050\u00a0ms");
  /* numbers without a unit, and words that only look like one, break */
  expect_kept ("26 instances at 35 % each, 3 tiers, T1 sync, 2 slots", "26 instances at 35\u00a0% each, 3 tiers, T1 sync, 2 slots");
  expect_kept ("a > b, 5 sessions", "a > b, 5 sessions");
  expect_kept ("", "");
  g_assert_null (ab_format_keep_figures (NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/format/latency", test_latency);
  g_test_add_func ("/format/latency-magnitude", test_latency_magnitude);
  g_test_add_func ("/format/rate", test_rate);
  g_test_add_func ("/format/percent", test_percent);
  g_test_add_func ("/format/locale", test_locale);
  g_test_add_func ("/format/keep-figures", test_keep_figures);
  return g_test_run ();
}
