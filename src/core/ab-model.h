/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The analytical queueing model of a network (docs/simulation.md, "The
 * analytical model"): M/M/c per instance through Erlang C, Allen-Cunneen
 * for other service distributions, end-to-end latency distributions by
 * convolving the hops on a grid, overload, bottleneck and the maximum
 * sustainable rate.  Pure computation, no globals: thread-safe. */
#pragma once

#include <glib.h>

#include "ab-network.h"
#include "ab-scenario.h"
#include "ab-latency.h"

G_BEGIN_DECLS


/* How long an overload of a station without a queue limit has lasted when the model is not told its backlog
 * (AbModelInput.backlog NULL): the default timeline's warm-up and half
 * its normal phase, so that the backlog is the mean over the normal
 * phase of a design overloaded from the start (docs/simulation.md,
 * "Background work is lag, not latency"). */
#define AB_MODEL_DEFAULT_OVERLOAD_S (AB_SCENARIO_DEFAULT_WARMUP_S + AB_SCENARIO_DEFAULT_NORMAL_S / 2.0)

/* ---- closed forms (exported for tests and for the inspector) ---- */

/* Probability of waiting in M/M/c with offered load @a = lambda / mu
 * (Erlang C), computed through the stable Erlang B recursion.  1 when
 * a >= c. */
double ab_erlang_c             (int    c,
                                double a);
/* Mean sojourn (waiting + service) of M/M/c; +inf when unstable. */
double ab_mmc_mean_sojourn     (int    c,
                                double lambda,
                                double mu);
/* P(T > t) for the M/M/c sojourn time T. */
double ab_mmc_sojourn_tail     (int    c,
                                double lambda,
                                double mu,
                                double t);
/* Mean waiting time of M/G/c by Allen-Cunneen: the M/M/c wait times
 * (1 + scv) / 2 for Poisson arrivals and service with squared
 * coefficient of variation @scv.  Exact (Pollaczek-Khinchine) for c = 1. */
double ab_allen_cunneen_wait   (int    c,
                                double lambda,
                                double mean_service,
                                double scv);

/* sigma of the GI/M/1 queue whose arrivals are Erlang-@n (the instance of
 * a round-robin balancer over @n instances) at utilisation @rho: the root
 * in (0, 1) of sigma = (n rho / (n rho + 1 - sigma))^n.  An arrival waits
 * with probability sigma, and a wait is exponential with rate
 * mu (1 - sigma).  @n = 1 gives rho (M/M/1). */
double ab_erlang_gim1_sigma    (int    n,
                                double rho);
/* The GI/M/c queue of Erlang-@n arrivals (an instance of @c slots under
 * round robin over @n instances) at utilisation @rho per slot, mean
 * service 1: the probability that an arrival waits and the mean wait, in
 * mean service times (Takacs' formula; exact). */
void   ab_erlang_gimc_wait      (int     n,
                                 int     c,
                                 double  rho,
                                 double *wait_probability,
                                 double *mean_wait);
/* How the mean wait of one slot fed by Erlang-@n arrivals (round robin
 * over @n instances) at utilisation @rho changes when the service's
 * squared coefficient of variation is @scv instead of 1: the Kraemer &
 * Langenbach-Belz refinement of Allen-Cunneen, (ca2 + scv) g(scv) over
 * (ca2 + 1) g(1) with ca2 = 1 / n and
 * g(x) = exp (-2 (1 - rho) (1 - ca2)^2 / (3 rho (ca2 + x))).  1 at
 * @scv = 1; multiplies the exact E_n/M/1 wait. */
double ab_klb_shape            (int    n,
                                double rho,
                                double scv);
/* Waiting of a station of @n instances of @c slots each under @balance at
 * total arrival rate @lambda (per s), mean service @mean_s (s) with squared
 * coefficient of variation @scv: the probability of waiting and the mean
 * wait (s) (docs/simulation.md, "Load balancing").  FALSE when overloaded. */
gboolean ab_station_wait       (AbBalance balance,
                                int       n,
                                int       c,
                                double    lambda,
                                double    mean_s,
                                double    scv,
                                double   *wait_probability,
                                double   *mean_wait_s);

/* The M/M/c/K queue (c slots, room for K >= c requests in all) at arrival
 * rate @lambda and service rate @mu: the chance an arrival is turned away,
 * and for the accepted ones the chance of waiting and the first two
 * moments of the wait given a wait (an arrival finding c + i requests
 * waits an Erlang(i + 1, c mu) time).  Exact; any load. */
void   ab_mmck                 (int     c,
                                gint64  K,
                                double  lambda,
                                double  mu,
                                double *p_block,
                                double *p_wait,
                                double *wait_m1,
                                double *wait_m2);
/* The M/M/c+D queue: requests that would wait longer than @patience give
 * up (deterministic patience, first come first served).  The chance of
 * abandoning, and for the served ones the chance of waiting and the
 * first two moments of the wait given a wait, whose density on (0, patience] is
 * proportional to e^(-(c mu - lambda) x).  Exact for exponential service
 * and any c and load (the virtual wait rises by Exp(c mu) per joining
 * request); docs/simulation.md, "Finite queues and patience". */
void   ab_mmc_patience         (int     c,
                                double  lambda,
                                double  mu,
                                double  patience,
                                double *p_abandon,
                                double *p_wait,
                                double *wait_m1,
                                double *wait_m2);

/* ---- the model ---- */

/* Pieces of the waits behind a draining backlog (AbModelWaits) */
#define AB_MODEL_DRAIN_PIECES 64

/* What a station without a queue limit that drains a backlog an
 * earlier overload left gives the requests it answers over a stretch of
 * time (docs/simulation.md, "Draining what an overload left"): first in,
 * first out, the request answered at t arrived at a(t) with A(t) - A(a)
 * = B(t) (A the arrivals so far, B the backlog), and waited t - a(t);
 * with a timeout, never longer (those that would give up).  The
 * stretch's answers in pieces of time, each with waits spread evenly
 * between two figures. */
typedef struct {
  /* of the requests answered over the stretch, the share answered while
   * the backlog lasts (the rest meet the station's steady wait) */
  double share;
  /* the requests answered over the stretch per request that arrived (1 +
   * the backlog drained / the arrivals: above 1 while it drains) */
  double served;
  /* with a timeout: of the requests the stretch ends (answered or given
   * up), the share that gave up waiting (0 without a timeout) */
  double lost;
  /* the requests answered over the stretch per second of it (the
   * evaluation's own arrival rate need not be the stretch's mean, along
   * a ramp: its served rate is this) */
  double answered_rps;
  /* of the requests answered over the stretch, the share answered
   * behind the backlog it began with (left by what came before), and
   * when that backlog empties (scenario time); 0 and NAN when it began
   * with none, NAN too when it lasts past the stretch's end */
  double carried;
  double drained_s;
  guint  n;                                /* pieces (0: no backlog) */
  double lo_ms[AB_MODEL_DRAIN_PIECES];     /* each piece's waits, ms */
  double hi_ms[AB_MODEL_DRAIN_PIECES];
  double weight[AB_MODEL_DRAIN_PIECES];    /* its share of `share` (sum 1) */
} AbModelWaits;

typedef struct {
  double          multiplier;   /* scales network->rate; 0 is taken as 1 */
  /* per station, or NULL: instances to use instead of the network's */
  const int      *instances;
  /* per station, or NULL: TRUE when the station is lost.  A lost station
   * with failover_to sends its load there; a lost cache is a miss for its
   * callers; any other call to a lost station fails. */
  const gboolean *down;
  /* stations with autoscaling run at the steady-state instance count for
   * the load (clamped to their min / max) */
  gboolean        autoscale;
  /* TRUE while lost stations have not failed over yet: calls to them fail
   * even when they have a failover_to */
  gboolean        failover_pending;
  /* per station, or NULL: the requests waiting behind an overload at a
   * station without a queue limit (the fluid backlog, ab_model_backlog_at);
   * background work waits for it to drain, and until it reaches what the
   * station's timeout lets wait none of it gives up.  NULL: each such
   * station that is overloaded has been for AB_MODEL_DEFAULT_OVERLOAD_S. */
  const double   *backlog;
  /* with @backlog: the seconds the evaluation stands for, centred on its
   * instant (a phase evaluated at its middle: the phase's length); 0: the
   * instant alone.  Users behind a backlog that grows meet the waits of
   * every instant of that stretch.  Without @backlog: the default
   * timeline's normal phase (AB_SCENARIO_DEFAULT_NORMAL_S). */
  double          span_s;
  /* with @backlog and @span_s, per station or NULL: the waits of the
   * requests a station without a queue limit answers over the stretch
   * the evaluation stands for (ab_model_backlog_waits; it need not be
   * centred on the instant: a ramp's points tile the phase) while a
   * backlog lasts, overloaded or draining; NULL or n 0: its steady wait,
   * or overloaded, the even spread over the span around the instant */
  const AbModelWaits *waits;
} AbModelInput;

typedef struct {
  int    instances;
  double offered_rps;               /* arrivals (after upstream losses) */
  double served_rps;
  double class_rps[AB_N_CLASSES];   /* offered, per class at the station */
  double capacity_rps;              /* at the station's current class mix */
  double utilization;               /* offered load per slot, capped at 1 */
  double offered_utilization;       /* may exceed 1 */
  double queue_length;              /* mean requests waiting, all instances */
  double in_station;                /* mean waiting or in service */
  double wait_probability;          /* Erlang C (corrected), 1 when overloaded */
  double mean_wait_ms;
  double sojourn_ms[AB_N_CLASSES];  /* mean waiting + service per class */
  /* mean time a request holds a slot per class: its service, plus for a
   * station with blocking calls the response time of its synchronous
   * calls (the layered fixed point, docs/simulation.md) */
  double slot_ms[AB_N_CLASSES];
  double loss;                      /* fraction of arrivals failed here */
  gboolean overloaded;
  /* a station without a queue limit: how fast its backlog grows
   * (arrivals - capacity, requests per second; negative: how fast it
   * drains one), the backlog the evaluation assumed (requests), and the
   * most it can hold (what its timeout lets wait, capacity x timeout;
   * +inf without one); 0, 0 and 0 for other stations */
  double backlog_rps;
  double backlog;
  double backlog_max;
  /* of the arrivals that do not fail, the share still waiting: an
   * overloaded station with neither a queue limit nor a timeout serves
   * its capacity and keeps the rest waiting (1 - capacity / arrivals),
   * served later, not lost; the stations behind it see what it serves.
   * 0 for any other station. */
  double unserved;
  /* with the input's waits: of the requests the station answers over
   * the stretch, the share answered behind the backlog the stretch began
   * with, and when that empties (AbModelWaits.carried and drained_s:
   * scenario time, NAN when it lasts past the stretch); 0 and NAN
   * without */
  double carried;
  double drained_s;
} AbStationResult;

typedef struct {
  double            multiplier;
  double            offered_rps;    /* user requests per second */
  double            served_rps;
  double            error_rate;
  double            class_offered_rps[AB_N_CLASSES];
  double            class_error_rate[AB_N_CLASSES];
  /* requests answered per second: offered less what fails and less what
   * still waits behind an overloaded station without a limit (its
   * `unserved`), so below offered x (1 - error rate) there */
  double            class_served_rps[AB_N_CLASSES];
  /* how fast users' mean latency grows (ms per second): above 0 when
   * their requests pass an overloaded station with neither a queue limit
   * nor a timeout, whose backlog grows without bound (its requests wait
   * and none fails) */
  double            latency_growth;
  /* [AB_CLASS_READ], [AB_CLASS_WRITE], [AB_N_CLASSES] = all */
  AbLatencySummary  latency[AB_N_CLASSES + 1];
  /* processing lag of background work: from where a chain of async
   * stages starts (an async call on a user's path, a cron job) to the end
   * of its last stage, stages summed; rate-weighted mean over the chains'
   * ends */
  double            lag_ms;
  /* the slowest end (ab_lag_slowest_end): the mean lag of the chains
   * that end at lag_slowest_station (-1: none); what freshness checks
   * judge */
  double            lag_slowest_ms;
  int               lag_slowest_station;
  /* how fast the mean lag and the slowest end's grow (ms per second):
   * above 0 when the chains pass an overloaded station with neither a
   * queue limit nor a timeout, whose backlog grows without bound (its
   * background work waits and is not lost) */
  double            lag_growth;
  double            lag_slowest_growth;
  double            background_rps;        /* background stage visits per s */
  double            background_error_rate; /* of those, the share that fails */
  int               bottleneck;     /* station index, -1 when no load */
  double            bottleneck_utilization;
  /* user requests per second (current read/write mix) at which the first
   * station saturates; +inf when nothing saturates */
  double            max_sustainable_rps;
  guint             n_stations;
  AbStationResult  *stations;
  /* offered arrival rate per (station, class): [station * AB_N_CLASSES + k] */
  double           *node_rps;
  /* latency distributions (read, write) on a grid of AB_MODEL_GRID points:
   * CDF at the upper edge of each step; read through ab_model_latency_cdf */
  double            grid_step_ms[AB_N_CLASSES];
  double           *grid_cdf[AB_N_CLASSES];
  gboolean         *down;           /* copy of the input's, or NULL */
  gboolean          failover_pending;
} AbModelResult;

#define AB_MODEL_GRID 256

/* Evaluates @network under @input (NULL: the defaults).  Allocates its
 * working buffers afresh: a caller that evaluates repeatedly (a timeline,
 * a DES following its load) uses ab_model_evaluate_in with a context. */
AbModelResult *ab_model_evaluate     (const AbNetwork     *network,
                                      const AbModelInput  *input);

/* Working buffers of the model, kept from one evaluation to the next:
 * they grow to the largest design evaluated in them and are reused, so a
 * repeated evaluation of a design of the same size allocates only its
 * result (a 5,000-station design needs ~60 MB of spectra, which a fresh
 * allocation pays for in page faults every time).  One context per thread
 * at a time; free it when the evaluations are done. */
typedef struct _AbModelContext AbModelContext;

AbModelContext *ab_model_context_new   (void);
void            ab_model_context_free  (AbModelContext      *context);
/* ab_model_evaluate, working in @context's buffers.  The result is the
 * caller's, independent of @context. */
AbModelResult  *ab_model_evaluate_in   (AbModelContext      *context,
                                        const AbNetwork     *network,
                                        const AbModelInput  *input);
/* How many times @context had to allocate (a buffer grew or was added)
 * since it was made: steady once it has seen the largest design; for
 * tests and benchmarks. */
guint           ab_model_context_get_n_grows (const AbModelContext *context);
void           ab_model_result_free  (AbModelResult       *result);

/* Rate of calls (per second) of every call of @network under @result:
 * rates[station * AB_N_CLASSES + class] is an array parallel to that call
 * list.  Free with ab_model_call_rates_free. */
double       **ab_model_call_rates      (const AbNetwork     *network,
                                         const AbModelResult *result);
void           ab_model_call_rates_free (const AbNetwork     *network,
                                         double             **rates);

/* P(latency of @klass <= t_ms); @klass may be AB_N_CLASSES (all).  Uses
 * the distribution kept in @result. */
double         ab_model_latency_cdf  (const AbModelResult *result,
                                      int                  klass,
                                      double               t_ms);

/* The state of @network at time @t_s of @scenario, for the model: fills
 * @instances and @down (n_stations each) and the input's multiplier by
 * replaying the scenario's events up to @t_s; a station lost less than its
 * failover_s ago sets failover_pending.  @input points into the arrays. */
void           ab_model_input_at     (AbModelInput        *input,
                                      const AbNetwork     *network,
                                      const AbScenario    *scenario,
                                      double               t_s,
                                      int                 *instances,
                                      gboolean            *down);

/* The model of @scenario at time @t_s (scenario time; the warm-up is
 * before 0) with @multiplier (> 0: instead of the scenario's); the result
 * stays the callee's. */
typedef const AbModelResult *(*AbModelAtFunc) (gpointer data,
                                               double   t_s,
                                               double   multiplier);

/* The fluid backlog at time @t_s of @scenario (docs/simulation.md,
 * "Background work is lag, not latency"), per station into @backlog (of
 * @n_stations): from an empty start of the warm-up, each station without
 * a queue limit gains its backlog_rps while overloaded (up to its
 * backlog_max) and drains it after (never below 0), the rates from @at at
 * each stretch of constant state, linear along a ramp.  TRUE when some
 * station holds a backlog. */
gboolean       ab_model_backlog_at   (const AbScenario    *scenario,
                                      double               t_s,
                                      AbModelAtFunc        at,
                                      gpointer             data,
                                      guint                n_stations,
                                      double              *backlog);

/* The waits that the requests answered over [@from_s, @to_s] of
 * @scenario met behind the fluid backlog of each station without a queue
 * limit (the walk of ab_model_backlog_at, tracking the arrivals), into
 * @waits (of @n_stations), whether the station is overloaded then or
 * drains what an earlier overload left.  TRUE when some station answers
 * any of them while a backlog lasts. */
gboolean       ab_model_backlog_waits (const AbScenario   *scenario,
                                       double              from_s,
                                       double              to_s,
                                       AbModelAtFunc       at,
                                       gpointer            data,
                                       guint               n_stations,
                                       AbModelWaits       *waits);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AbModelResult, ab_model_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AbModelContext, ab_model_context_free)

G_END_DECLS
