/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The discrete-event simulation of an AbNetwork under an AbScenario.
 * What it simulates and how — the rules for reading the network, the
 * representative instances, confidence intervals, the sample budget, the
 * windows and the fluid model between them, and what that leaves out — is
 * described in docs/simulation.md, "The discrete-event simulation".  The
 * implementation: ab-des.c (the event loop and the entry points) and the
 * other ab-des-*.c, which ab-des-private.h lists with what they share.
 * No globals: several runs may share one immutable network in different
 * threads. */
#pragma once

#include <gio/gio.h>

#include "ab-network.h"
#include "ab-scenario.h"
#include "ab-histogram.h"
#include "ab-latency.h"

G_BEGIN_DECLS

/* Latency series: the two request classes, both together, and the
 * processing lag of asynchronous (background) work. */
typedef enum {
  AB_DES_READ  = AB_CLASS_READ,
  AB_DES_WRITE = AB_CLASS_WRITE,
  AB_DES_ALL   = AB_N_CLASSES,
  AB_DES_ASYNC,
  AB_DES_N_SERIES
} AbDesSeries;

/* A whole station (all its modelled instances, not the representatives). */
typedef struct {
  double utilization;   /* busy slots / available slots, 0..1 */
  double queue_length;  /* mean requests waiting */
  double in_station;    /* mean requests waiting or in service */
  double served_rps;    /* completions per second */
  double sojourn_ms;    /* mean waiting + service time of a visit */
  double instances;     /* modelled instances up (time average) */
} AbDesStationStats;

typedef struct {
  guint              index;        /* bucket number; t_s = index * duration_s */
  double             t_s;          /* start, seconds since the end of warm-up */
  double             duration_s;
  int                phase;        /* scenario phase containing t_s */
  gboolean           estimated;    /* not simulated (a windowed run's skipped
                                      stretch): see docs/simulation.md */
  double             coverage;     /* share of the bucket simulated, 0..1 */
  double             multiplier;   /* mean rate multiplier over the bucket */
  double             offered_rps;  /* user requests generated per second */
  double             served_rps;   /* user requests completed successfully */
  double             errors_rps;   /* user requests failed (timeout, reject,
                                      station down) */
  double             error_rate;   /* errors / (served + errors) */
  double             background_error_rate; /* of the background stages */
  AbLatencySummary   latency[AB_DES_N_SERIES]; /* ASYNC = processing lag */
  guint              n_stations;
  AbDesStationStats *stations;     /* per network station */
} AbDesBucket;

typedef void (*AbDesBucketFunc) (const AbDesBucket *bucket,
                                 gpointer           user_data);

typedef struct {
  /* Station visits (each about two events) simulated per run over all
   * replications; bounds the run time.  0: AB_DES_DEFAULT_BUDGET.  When
   * even one representative instance per station exceeds it, the phases
   * are simulated in windows (docs/simulation.md); when even the
   * smallest windows exceed it, the run stops when it is spent and the
   * result says "truncated". */
  guint64          sample_budget;
  /* 0: as many as the budget allows, between 1 and max_replications. */
  guint            replications;
  guint            max_replications;   /* 0: 256 */
  /* Batch means per phase and replication, used for confidence intervals
   * when there are fewer than 5 replications.  0: 10. */
  guint            batches;
  /* Representative instances cap k, 1..8 (0: 8); lowered automatically to
   * fit the budget. */
  guint            max_instances;
  /* When a reported phase's mean or percentile has a 95 % interval wider
   * than +-AB_DES_TARGET_PRECISION of its value, the run adds
   * replications until it is narrow enough or this multiple of
   * sample_budget is spent (not a windowed run: it has its budget's
   * worth already, and makes one pass for the lag alone instead, within
   * this multiple too).  0: 2; 1 or less: never extend. */
  double           max_budget_factor;
  /* Start every station empty instead of from its stationary queue
   * (docs/simulation.md, "Starting state"); for comparisons. */
  gboolean         empty_start;
  GCancellable    *cancellable;
  /* Called from the simulating thread with each finished bucket of the
   * first replication, in order (the result's series merges all
   * replications).  In a windowed run an estimated bucket comes once the
   * next simulated bucket is finished (it is interpolated from it). */
  AbDesBucketFunc  on_bucket;
  gpointer         user_data;
} AbDesConfig;

#define AB_DES_DEFAULT_BUDGET 1000000

void ab_des_config_init (AbDesConfig *config);

/* The half-width, relative to the value, above which a run extends
 * itself (AbDesConfig.max_budget_factor). */
#define AB_DES_TARGET_PRECISION 0.05

typedef struct {
  char              *name;
  double             start_s, duration_s;
  gboolean           reported;
  double             offered_rps;  /* user requests per second (modelled) */
  double             served_rps;
  double             error_rate;   /* failed / (served + failed) */
  guint64            requests;     /* simulated user requests finished */
  guint64            errors;       /* of which failed */
  guint64            class_requests[AB_N_CLASSES]; /* the same per class */
  guint64            class_errors[AB_N_CLASSES];
  AbLatencyStats     latency[AB_DES_N_SERIES]; /* ASYNC = processing lag */
  /* the error rate of each class ([AB_CLASS_READ], [AB_CLASS_WRITE]) and
   * of all ([AB_N_CLASSES]) with its 95 % confidence interval, from the
   * replications or the batches as for the percentiles (ci 0 and the
   * bounds NAN when there is none: too few batches with requests) */
  AbEstimate         error_rate_ci[AB_N_CLASSES + 1];
  guint64            async_errors;
  /* background stages finished or failed (followed ones), and the share
   * that failed (a full queue, patience, a lost component) */
  guint64            async_requests;
  double             background_error_rate;
  /* the slowest end of background work (ab_lag_slowest_end): the mean
   * lag of the chains that end at lag_slowest_station, with its interval;
   * NAN and -1 when no followed chain ended in the phase */
  AbEstimate         lag_slowest_ms;
  int                lag_slowest_station;
  /* how fast the lag at the slowest end rises over the phase (ms per
   * second of the time the chains started; a least-squares slope), NAN
   * when too few chains ended there */
  double             lag_slowest_growth;
  AbDesStationStats *stations;     /* n_stations; Little: in_station =
                                      served_rps * sojourn_ms / 1000 */
  double             simulated_s;  /* seconds of the phase simulated per
                                      replication (duration_s unless the run
                                      is windowed or truncated) */
  guint              windows;      /* slices the phase was simulated in */
} AbDesPhaseResult;

typedef struct {
  guint              n_phases;
  AbDesPhaseResult  *phases;
  guint              n_buckets;
  AbDesBucket       *buckets;       /* merged over replications */
  guint              n_stations;
  /* every reported phase, all replications */
  AbHistogram       *histograms[AB_DES_N_SERIES];
  /* how the run was made */
  guint              replications;
  guint              representatives; /* representative instance cap used */
  double             tracked_fraction; /* share of the modelled user traffic
                                          simulated as whole requests; the
                                          rest is per-station load only */
  guint64            visits;        /* station visits simulated */
  guint64            events;        /* events processed */
  gboolean           truncated;     /* stopped by the sample budget (even
                                       the smallest windows did not fit) */
  guint64            out_of_room;   /* requests and calls the simulator
                                       had no room for (its pool of
                                       requests in flight was full): a
                                       limit of the simulator, not of the
                                       design; such a request ends
                                       uncounted, neither served nor
                                       failed (docs/simulation.md, "Room
                                       for the requests") */
  double             simulated_s;   /* timeline covered per replication,
                                       after warm-up (the whole timeline
                                       unless truncated) */
  gboolean           windowed;      /* phases simulated in slices, the rest
                                       fast-forwarded (docs/simulation.md) */
  double             sampled_s;     /* seconds actually simulated per
                                       replication, after warm-up */
  guint64            budget;        /* the sample budget used */
  /* a windowed run's extra passes for the lag (docs/simulation.md,
   * "Confidence intervals"): how many, their visits (in visits too), and
   * whether they stopped at their cap with the slowest end of a phase
   * they were for still known to worse than +-AB_DES_TARGET_PRECISION */
  guint              lag_passes;
  guint64            lag_visits;
  gboolean           lag_capped;
} AbDesResult;

/* Runs the simulation.  Returns NULL and sets @error: AB_ERROR_INVALID for a
 * network or scenario it cannot simulate (message says what), or
 * G_IO_ERROR_CANCELLED when @config's cancellable was cancelled. */
AbDesResult *ab_des_run         (const AbNetwork    *network,
                                 const AbScenario   *scenario,
                                 const AbDesConfig  *config,
                                 GError            **error);
void         ab_des_result_free (AbDesResult        *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AbDesResult, ab_des_result_free)

G_END_DECLS
