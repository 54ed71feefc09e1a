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

G_END_DECLS
