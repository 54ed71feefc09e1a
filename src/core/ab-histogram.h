/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A log-linear latency histogram in the HdrHistogram style: 128 linear
 * sub-buckets per power of two (relative resolution 1/128, better than two
 * significant digits), exact count / sum / min / max, mergeable,
 * percentiles interpolated inside a bucket.  Values are milliseconds in
 * [AB_HISTOGRAM_MIN_MS, AB_HISTOGRAM_MAX_MS] (clamped).  Storage grows
 * over the range of recorded values only. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define AB_HISTOGRAM_MIN_MS 0.0009765625  /* 2^-10 ms, about 1 us */
#define AB_HISTOGRAM_MAX_MS 2097152.0     /* 2^21 ms, about 35 min */

typedef struct _AbHistogram AbHistogram;

AbHistogram *ab_histogram_new        (void);
AbHistogram *ab_histogram_copy       (const AbHistogram *histogram);
void         ab_histogram_free       (AbHistogram       *histogram);
void         ab_histogram_reset      (AbHistogram       *histogram);

void         ab_histogram_record     (AbHistogram       *histogram,
                                      double             value_ms);
void         ab_histogram_record_n   (AbHistogram       *histogram,
                                      double             value_ms,
                                      guint64            n);
/* Adds every sample of @other to @histogram. */
void         ab_histogram_merge      (AbHistogram       *histogram,
                                      const AbHistogram *other);

guint64      ab_histogram_count      (const AbHistogram *histogram);
/* Exact mean / min / max of the recorded (unclamped) values; 0 if empty. */
double       ab_histogram_mean       (const AbHistogram *histogram);
double       ab_histogram_min        (const AbHistogram *histogram);
double       ab_histogram_max        (const AbHistogram *histogram);
/* Value below which a fraction @q (0..1) of the samples lie; 0 if empty. */
double       ab_histogram_quantile   (const AbHistogram *histogram,
                                      double             q);
/* ab_histogram_quantile() at each of the @n levels @q (ascending), into
 * @out, in one pass. */
void         ab_histogram_quantiles  (const AbHistogram *histogram,
                                      guint              n,
                                      const double      *q,
                                      double            *out);
/* Fraction of samples greater than @value_ms (interpolated). */
double       ab_histogram_fraction_above (const AbHistogram *histogram,
                                          double             value_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AbHistogram, ab_histogram_free)

G_END_DECLS
