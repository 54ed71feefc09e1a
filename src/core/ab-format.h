/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Figures as a learner reads them: one way to write a latency, a rate, a
 * percentage or an amount of money everywhere the app, the report and the
 * command line show one, so that they never disagree.  Every function
 * returns a newly allocated string; a value that is not finite is "–"
 * (except a rate, where infinity means "no limit").  Thousands are grouped
 * as the user's locale groups them (LC_NUMERIC). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A measured latency: "0.420 ms", "8.58 ms", "50.0 ms", "231 ms",
 * "2.50 s", "1,234 s": three significant figures, milliseconds below one
 * second.  Figures of one magnitude have as many decimals, also when one
 * is round ("31.0 ms" for 30.98 or 31 beside "31.1 ms"; "10.0 ms" for
 * 9.996). */
char *ab_format_latency      (double ms);

/* A latency someone wrote (a target, a bound): as ab_format_latency(),
 * but a figure that is exactly a shorter one drops its trailing zeros
 * ("50 ms", "8.5 ms", "2.5 s"; "31.0 ms" for 30.98).  The figures of
 * ab_format_rate() below 100 and ab_format_rate_short() follow this rule
 * (their round figures are mostly given: offered rates, axis ticks). */
char *ab_format_latency_given (double ms);

/* "15,054 requests/s", "42.5 requests/s", "0.5 requests/s", "no limit"
 * (infinite). */
char *ab_format_rate         (double rps);

/* A rate of one class of user requests: "15,054 reads/s" for @klass
 * AB_CLASS_READ, "1,000 writes/s" for AB_CLASS_WRITE, else (AB_N_CLASSES:
 * all) as ab_format_rate(). */
char *ab_format_class_rate   (double rps,
                              int    klass);

/* Short, for axes and the canvas: "15.1k/s", "2.5M/s", "420/s". */
char *ab_format_rate_short   (double rps);

/* A fraction as a percentage with @digits decimals: "12.35 %". */
char *ab_format_percent      (double fraction,
                              int    digits);

/* Availability with as many decimals as its nines need, at least two,
 * cut off rather than rounded up: "99.85 %", "99.99 %", "99.998 %" (for
 * 99.9985 %); past seven nines a bound, "> 99.99999 %" (an estimate of
 * exactly 1 too: it is one only within double precision).  Never
 * "100 %". */
char *ab_format_availability (double fraction);

/* An availability someone wrote (a problem's target): as few decimals
 * as it has, "99.9 %" (German "99,9 %"), "99.95 %", "99.999 %", where
 * ab_format_availability() gives an estimate at least two ("99.90 %"). */
char *ab_format_availability_given (double fraction);

/* A whole number, rounded, grouped: "10,947" ("10.947" in German). */
char *ab_format_count        (double v);

/* A number with @decimals decimals, grouped: "1,954.5" ("1.954,5" in
 * German). */
char *ab_format_decimal      (double v,
                              int    decimals);

/* @text followed by spaces up to @width characters, or preceded by them
 * up to -@width (as printf's "%-10s" and "%10s", but counting characters,
 * not bytes: a translated heading, a grouped figure or "–" has characters
 * of two or three bytes).  Never cuts @text.  For text set in a
 * monospace font: a terminal, the report's table. */
char *ab_format_pad          (const char *text,
                              int         width);

/* @text as a label that wraps shows it: the spaces at which a line could
 * break inside a figure become no-break spaces (U+00A0), those between a
 * number and its unit or sign ("99.9 %", "17.7 ms", "10,000 reads/s",
 * German "38.657 $") and those after a comparison sign before a number
 * ("> 99.99999 %", "< 50 ms"), so that "99.9" never ends a line with its
 * "%" on the next.  Every other space stays a place to break.  For what
 * the app displays only: what programs read (JSON, CSV) and accessible
 * names keep plain spaces. */
char *ab_format_keep_figures (const char *text);

/* US dollars, whole: "$11,038". */
char *ab_format_money        (double dollars);

/* US dollars with cents: "$15.21". */
char *ab_format_money_cents  (double dollars);

G_END_DECLS
