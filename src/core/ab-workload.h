/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The load a simulation runs under (a problem's workload with the user's
 * overrides) and the checks of results against the problem's targets
 * (docs/simulation.md, "Checks"). */
#pragma once

#include <glib.h>

#include "ab-network.h"
#include "ab-problem.h"

G_BEGIN_DECLS

/* Peak multiplier used when a problem's text gives none: twice the
 * normal rate (docs/simulation.md, "Peak"). */
#define AB_WORKLOAD_DEFAULT_PEAK AB_PROBLEM_DEFAULT_PEAK

/* Share of the offered rate that must be served for "rate sustained". */
#define AB_CHECK_RATE_SERVED_SHARE 0.99

/* Copies @problem's workload into @out (notes borrowed from @problem),
 * replacing the read / write rates by the overrides that are >= 0.  A
 * NULL @problem gives zero rates and the default peak multiplier. */
void ab_workload_init (AbWorkload      *out,
                       const AbProblem *problem,
                       double           read_rps_override,
                       double           write_rps_override);

/* The phase a check is judged in. */
typedef enum {
  AB_CHECK_PHASE_NORMAL = 0,
  AB_CHECK_PHASE_PEAK,
  AB_CHECK_N_PHASES
} AbCheckPhase;

/* The outcome of one check. */
typedef enum {
  AB_CHECK_PASS = 0,
  AB_CHECK_FAIL,
  AB_CHECK_TOO_CLOSE,   /* the bound lies inside the measurement's 95 %
                           confidence interval */
  AB_CHECK_NOT_JUDGED   /* the phase it is judged in was not simulated */
} AbCheckVerdict;

/* What a check compares with the problem's targets.  Latency quantiles
 * come from @quantile (class AB_CLASS_READ / AB_CLASS_WRITE, or
 * AB_N_CLASSES for all; q in 0..1), measured by the DES when it ran, else
 * the model.  @ci_low / @ci_high receive the 95 % confidence interval of
 * the value, or NAN when there is none (the model). */
typedef double (*AbQuantileFunc) (gpointer  user_data,
                                  int       klass,
                                  double    q,
                                  double   *ci_low,
                                  double   *ci_high);

typedef struct {
  gboolean       present;         /* this phase was evaluated */
  AbQuantileFunc quantile;
  gpointer       quantile_data;
  /* user requests per second offered and served successfully, per class:
   * [AB_CLASS_READ], [AB_CLASS_WRITE], and [AB_N_CLASSES] = all (a rate
   * check compares the class its requirement counts) */
  double         offered_rps[AB_N_CLASSES + 1];
  double         served_rps[AB_N_CLASSES + 1];
  double         cost_per_month;  /* US$ */
  /* background (asynchronous) work: whether the design has any in this
   * phase, the mean processing lag at its slowest end (ms; from where a
   * chain of async stages starts to the end of its last stage; see
   * ab_lag_slowest_end) with the 95 % confidence
   * interval (NAN when none: the model), and the share of its stages that
   * fail (a full queue, a lost component) */
  gboolean       background;
  double         lag_ms;
  double         lag_ci_low, lag_ci_high;
  /* how fast that lag grows (ms per second; 0: it holds): a queue
   * without a limit that cannot keep up falls further behind for as long
   * as the load lasts, which no bound survives */
  double         lag_growth;
  double         background_error_rate;
  /* the 95 % confidence interval of each class's error rate (as
   * offered_rps; NAN, or equal bounds, when there is none: the model) */
  double         error_ci_low[AB_N_CLASSES + 1];
  double         error_ci_high[AB_N_CLASSES + 1];
  /* not @present because the simulation covered part of the phase and
   * none of its requests finished within it (they take longer than the
   * windows it could pay for): not judged, and the check says why */
  gboolean       unfinished;
} AbCheckPhaseInput;

/* Share of background work that may be lost for a lag check to pass:
 * work that never arrives is never fresh. */
#define AB_CHECK_BACKGROUND_LOST_SHARE 0.01

typedef struct {
  AbCheckPhaseInput phases[AB_CHECK_N_PHASES];
  double            availability;  /* fraction */
  /* the requests of a class ([AB_CLASS_READ], [AB_CLASS_WRITE]; [AB_N_CLASSES]:
   * those of some class the problem offers) end at once: along the calls
   * they wait for, they reach only clients and load balancers, no component
   * that does the work (ab_verdict_ends_at_once).  Their latency and rate
   * checks are not judged, and with [AB_N_CLASSES] the availability check
   * and a lag check without background work too: a latency of 0 and every
   * request "served" would say nothing about the design */
  gboolean          ends_at_once[AB_N_CLASSES + 1];
} AbCheckInput;

typedef struct {
  char          *target;    /* the requirement as written */
  char          *label;     /* "Latency", "Request Rate", ... */
  char          *what;      /* what was measured: "P95 of reads" */
  char          *unit;      /* "ms", "req/s", "fraction", "$/month" */
  AbTargetType   type;
  int            klass;     /* latency and rate: the requests measured,
                               AB_CLASS_READ, AB_CLASS_WRITE or
                               AB_N_CLASSES (all); else AB_N_CLASSES */
  AbCheckPhase   phase;     /* where it was judged */
  double         value;     /* measured, in @unit */
  double         bound;     /* the target's figure, same unit */
  double         ci_low;    /* 95 % confidence interval of @value, or NAN */
  double         ci_high;
  AbCheckVerdict verdict;
  gboolean       pass;      /* verdict == AB_CHECK_PASS */
  /* the outcome in the learner's words, translated:
   * "P95 of reads is 12 ms, within the 50 ms asked" */
  char          *sentence;
  /* NULL, or why no design can meet this target with the catalog's
   * figures (recorded in the problem); such a check still reads fail */
  char          *unmeetable;
  /* a lag check: the share of background work lost (0..1), or -1 when
   * the design has none (or the phase was not judged); -1 for the others */
  double         lost;
  /* a lag check: how fast the lag grows (ms per second), 0 when it holds */
  double         growth;
  /* not judged because the requests it measures end at once
   * (AbCheckInput.ends_at_once) */
  gboolean       ends_at_once;
} AbCheck;

void         ab_check_free          (AbCheck          *check);
/* The phase @target is judged in: its "phase" when the problem sets one,
 * else the peak when the clause holding its figure (the text up to the
 * first comma) names the peak or a "during ..." condition, else the
 * normal phase. */
AbCheckPhase ab_target_check_phase  (const AbTarget   *target);
const char  *ab_check_phase_to_string   (AbCheckPhase    phase);   /* "normal", "peak" */
const char  *ab_check_verdict_to_string (AbCheckVerdict  verdict); /* "pass", "fail",
                                                                       "too_close_to_call",
                                                                       "not_judged" */
/* One check per latency, rate, availability, budget and lag target of
 * @problem, in the problem's order; a rate that gives a figure for reads
 * and one for writes (AB_RATE_SPLIT) gets one check per class, reads
 * first.  Array of AbCheck*. */
GPtrArray   *ab_checks_evaluate     (const AbProblem    *problem,
                                     const AbCheckInput *input);
/* The title of @checks' check @index: the requirement as written, and
 * when another check of the list has the same (the reads and the writes
 * of a rate that gives them apart, AB_RATE_SPLIT), which class it holds
 * to: "10k reads/sec, 1k writes/sec (writes)".  Translated. */
char        *ab_check_title         (GPtrArray          *checks,
                                     guint               index);

G_END_DECLS
