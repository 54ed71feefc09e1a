/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Latency figures shared by the analytical model, the discrete-event
 * simulation and the summary of both (one vocabulary for results). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Point figures of a latency distribution, in milliseconds: the model's
 * per class, and a DES time bucket's per series. */
typedef struct {
  /* completed (successful) samples behind the figures; 0 where they are
   * computed rather than counted (the model, a DES bucket estimated
   * between windows) */
  guint64 count;
  double  mean_ms, p50_ms, p95_ms, p99_ms;
} AbLatencySummary;

/* An estimate with the half-width of its 95 % confidence interval (0 when
 * it could not be computed). */
typedef struct {
  double value;
  double ci;
  /* the 95 % interval, value -+ ci (low at least 0); both = value when
   * the interval could not be computed */
  double ci_low, ci_high;
} AbEstimate;

/* The same figures with confidence intervals: a DES phase's over its
 * replications, and the summary's of either method (AbSimPhase says what
 * the model's interval fields hold). */
typedef struct {
  guint64    count;
  AbEstimate mean_ms, p50_ms, p95_ms, p99_ms;
} AbLatencyStats;

/* P(latency <= @t_ms) of one distribution of a mixture. */
typedef double (*AbLatencyCdfFunc) (gconstpointer data,
                                    double        t_ms);

/* The figures of a mixture of @n latency distributions: the i-th drawn
 * with weight @weights[i] (>= 0, any scale; all 0: equal), its
 * distribution function @cdf (@data[i], t) and its own figures
 * @parts[i].  The mean is the weighted mean; each percentile is the root
 * of the mixture's distribution function, which lies between the
 * smallest and the largest of the parts' own percentiles.  @out->count is
 * the parts' summed.  With one part (or one of non-zero weight), its
 * figures as they are. */
void ab_latency_mixture (guint                   n,
                         const double           *weights,
                         AbLatencyCdfFunc        cdf,
                         const gconstpointer    *data,
                         const AbLatencySummary *parts,
                         AbLatencySummary       *out);

/* Background work ends at the stations where its chains' last stages
 * run.  Freshness is judged on the slowest of them: the mean lag of the
 * chains that end at a station, over the stations where at least this
 * share of the chains ends (a trickle too thin to judge is left out, as
 * up to AB_CHECK_BACKGROUND_LOST_SHARE of the work may be lost). */
#define AB_LAG_MIN_END_SHARE 0.01

/* The slowest end: from @num (rate or count x lag, ms) and @den (rate or
 * count) per station, the largest num / den over the stations with at
 * least AB_LAG_MIN_END_SHARE of the total den.  @lag_ms 0 and @station
 * -1 when no chain ends anywhere. */
void ab_lag_slowest_end (const double *num,
                         const double *den,
                         guint         n_stations,
                         double       *lag_ms,
                         int          *station);

G_END_DECLS
