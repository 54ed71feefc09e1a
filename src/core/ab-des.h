/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The discrete-event simulation of an AbNetwork under an AbScenario
 * (docs/simulation.md, "The discrete-event simulation"): a 4-ary event heap,
 * per-instance FIFO rings, representative instances, a sample budget,
 * confidence intervals from replications or batch means, streaming of
 * finished time buckets, cancellation.  No globals: several runs may share
 * one immutable network in different threads.
 *
 * How the network is read: a station with concurrency 0 is an infinite
 * server (a pure delay, never queues); a class with service_ms 0 passes
 * through (no event).  A read that hits (hit_ratio, reads only) makes no
 * onward calls.  A call's net_ms is added once, on the way to the callee.
 * A failed sync call (callee down, queue full, timed out) fails the whole
 * request, unless a later call of the list has on_miss_of pointing at it:
 * then it counts as a miss and the fallback runs.  Async calls start a
 * background job whose time to completion is the ASYNC series (processing
 * lag); own load (self_rate) is background work too.  Timeouts are checked
 * when a waiting request reaches the head of its queue.
 *
 * The sample budget and windows. The budget (station visits) is planned
 * before the run from the offered load (a pass-through class costs only
 * its tracked requests): first the representative count k is lowered, then
 * the replications. When even one replication of the whole timeline with
 * k=1 costs more than the budget (a station with few instances and a high
 * rate: 1 app server at 11,000 req/s), the run is "windowed" (and k is
 * then set to the count that follows the most user requests per visit, as
 * fewer no longer buy the whole timeline): the warm-up and every phase
 * (split at scenario events) get a share of the budget in proportion to
 * their duration (at least a quarter of the mean duration's share); a
 * phase whose full cost exceeds its share is simulated in 1 .. 8 slices
 * ("windows") evenly spread over it, the first at its start (so a
 * failure's onset is always simulated), each at the true time and load; a
 * ramp gets at least 4 slices, each in the middle of its quarter (or
 * smaller part), so its whole range is sampled and the load of its slices
 * averages to the phase's. The stretches between slices are fast-forwarded
 * by a fluid model of the network: per station and class, backlog Q grows
 * at (arrivals - capacity) while the offered work exceeds n_up*c slots and
 * drains at (capacity - arrivals) after; queue limits reject and timeouts
 * drop what does not fit (Q <= limit*n, Q <= arrival rate*timeout); an
 * overloaded station passes on only what it serves, so the stations behind
 * it see the throttled rate. Scenario events, failovers and autoscaling
 * (driven by the fluid utilisation) happen at their times during a
 * stretch. At the end of a stretch each station's DES state is rebuilt: a
 * station that was overloaded during it, or holds a backlog well above its
 * stationary M/M/c queue, gets the fluid backlog as "virtual" waiting
 * requests at the head of its queues (no memory per request; each becomes
 * a request when it reaches a free slot, with the arrival time the fluid
 * arrival curve gives it, so its wait is counted and a timeout drops it);
 * the requests that queue held before are taken as served during the
 * stretch. Every other station keeps its queue and requests in service as
 * they were, as if the stretch had not happened (its random stationary
 * state stands for itself at the same load). After each slice the visits
 * so far are compared with the plan's estimate (overload rejects early, a
 * draining backlog costs extra) and the slices to come are lengthened or
 * shortened, within their part of the phase, so the run ends near its
 * budget. Per-phase statistics come from the slices only; buckets in
 * skipped stretches are flagged estimated: station figures from the fluid
 * model, offered load exact; errors (as a share of offered), served (as a
 * share of offered, but no more than the interpolated served rate: a
 * saturated design does not serve more along a ramp) and latency
 * interpolated between the simulated buckets of the same phase around them
 * (held after a phase's last slice). Limits: a slice starts with no random
 * queue at a station that the fluid model emptied, and a near-critical
 * station's queue takes a while to build, so short slices read its waits
 * low; requests taken from a virtual backlog start at that station (their
 * upstream time is not counted); the fluid model has no randomness, so a
 * station near capacity gets no backlog from it. When even slices of a
 * hundredth of a bucket per phase exceed the budget the run stops when the
 * budget is spent and says "truncated". */
#pragma once

#include <gio/gio.h>

#include "ab-network.h"
#include "ab-scenario.h"
#include "ab-histogram.h"

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

typedef struct {
  guint64 count;     /* completed (successful) samples */
  double  mean_ms, p50_ms, p95_ms, p99_ms;
} AbDesLatency;

/* A whole station (all its modelled instances, not the representatives). */
typedef struct {
  double utilisation;   /* busy slots / available slots, 0..1 */
  double queue_len;     /* mean requests waiting */
  double in_station;    /* mean requests waiting or in service */
  double throughput;    /* completions per second */
  double sojourn_ms;    /* mean waiting + service time of a visit */
  double instances;     /* modelled instances up (time average) */
} AbDesStationStats;

typedef struct {
  guint              index;        /* bucket number; t_s = index * duration_s */
  double             t_s;          /* start, seconds since the end of warm-up */
  double             duration_s;
  int                phase;        /* scenario phase containing t_s */
  gboolean           estimated;    /* not simulated (a windowed run's skipped
                                      stretch): see the top of this file */
  double             coverage;     /* share of the bucket simulated, 0..1 */
  double             multiplier;   /* mean rate multiplier over the bucket */
  double             offered_rps;  /* user requests generated per second */
  double             served_rps;   /* user requests completed successfully */
  double             errors_rps;   /* user requests failed (timeout, reject,
                                      station down) */
  double             error_rate;   /* errors / (served + errors) */
  double             background_error_rate; /* of the background stages */
  AbDesLatency       latency[AB_DES_N_SERIES]; /* ASYNC = processing lag */
  guint              n_stations;
  AbDesStationStats *stations;     /* per network station */
} AbDesBucket;

typedef void (*AbDesBucketFunc) (const AbDesBucket *bucket,
                                 gpointer           user_data);

typedef struct {
  /* Station visits (each about two events) simulated per run over all
   * replications; bounds the run time.  0: AB_DES_DEFAULT_BUDGET.  When
   * even one representative instance per station exceeds it, the phases
   * are simulated in windows (see the top of this file); when even the
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
   * worth already).  0: 2; 1 or less: never extend. */
  double           max_budget_factor;
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

/* An estimate with the half-width of its 95 % confidence interval (0 when
 * it could not be computed). */
typedef struct {
  double value;
  double ci;
  /* the 95 % interval, value -+ ci (low at least 0); both = value when
   * the interval could not be computed */
  double ci_low, ci_high;
} AbEstimate;

/* The half-width, relative to the value, above which a run extends
 * itself (AbDesConfig.max_budget_factor). */
#define AB_DES_TARGET_PRECISION 0.05

typedef struct {
  guint64    count;
  AbEstimate mean_ms, p50_ms, p95_ms, p99_ms;
} AbDesLatencyStats;

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
  AbDesLatencyStats  latency[AB_DES_N_SERIES]; /* ASYNC = processing lag */
  guint64            async_errors;
  /* background stages finished or failed (followed ones), and the share
   * that failed (a full queue, patience, a lost component) */
  guint64            async_requests;
  double             background_error_rate;
  AbDesStationStats *stations;     /* n_stations; Little: in_station =
                                      throughput * sojourn_ms / 1000 */
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
  double             simulated_s;   /* timeline covered per replication,
                                       after warm-up (the whole timeline
                                       unless truncated) */
  gboolean           windowed;      /* phases simulated in slices, the rest
                                       fast-forwarded (see above) */
  double             sampled_s;     /* seconds actually simulated per
                                       replication, after warm-up */
  guint64            budget;        /* the sample budget used */
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
