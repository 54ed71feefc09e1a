/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a front end shows of a simulation, computed once for all of them
 * (the window's results panel and overlays, the PDF report, the CLI's
 * report): an immutable AbSimSetup (the network, scenario and pricing of a
 * design under its problem's load, built from a snapshot of the design),
 * the summary of a run (per phase P50 / P95 / P99, error rate, bottleneck,
 * availability, cost by component, the problem's performance checks,
 * per-connection rates and per-component utilisation of the normal phase)
 * by the analytical model or the discrete-event simulation, and the time
 * series points the charts draw.  The figures are those of `archboard-cli
 * simulate` for the same file, scenario and seed. */
#pragma once

#include <gio/gio.h>

#include "ab-design.h"
#include "ab-problem.h"
#include "ab-des.h"
#include "ab-cost.h"
#include "ab-workload.h"

G_BEGIN_DECLS

typedef enum {
  AB_SIM_SCENARIO_NORMAL,
  AB_SIM_SCENARIO_PEAK,
  AB_SIM_SCENARIO_FAILURE,
  AB_SIM_SCENARIO_TIMELINE,
} AbSimScenarioKind;

const char *ab_sim_scenario_kind_to_string   (AbSimScenarioKind  kind);
gboolean    ab_sim_scenario_kind_from_string (const char        *name,
                                              AbSimScenarioKind *kind);

typedef struct {
  AbSimScenarioKind scenario;
  const char       *fail_id;     /* lost in the failure phase; NULL: the
                                    cache, else the primary, else the
                                    model's bottleneck */
  gboolean          fail_one;    /* failure scenario: one instance instead
                                    of the whole component */
  double            read_rps;    /* < 0: the problem's */
  double            write_rps;   /* < 0: the problem's */
  double            peak_multiplier; /* <= 0: the problem's */
  gint64            seed;        /* < 0: the scenario's default */
  guint64           budget;      /* 0: AB_DES_DEFAULT_BUDGET */
  const char       *pricing;     /* a profile name or FILE.json; NULL:
                                    AB_PRICING_DEFAULT */
} AbSimOptions;

void ab_sim_options_init (AbSimOptions *options);

typedef struct _AbSimSetup AbSimSetup;

/* Builds the network of @design (a snapshot: the setup keeps no reference
 * to it) under @problem's workload (NULL: no problem, zero rates).  Fails
 * as ab_route_build() does, or with AB_ERROR_NOT_FOUND for an unknown
 * @options->fail_id.  Thread-safe to read from any thread once built. */
AbSimSetup       *ab_sim_setup_new          (AbDesign           *design,
                                             AbProblem          *problem,
                                             const AbSimOptions *options,
                                             GError            **error);
AbSimSetup       *ab_sim_setup_ref          (AbSimSetup         *setup);
void              ab_sim_setup_unref        (AbSimSetup         *setup);
const AbNetwork  *ab_sim_setup_get_network  (const AbSimSetup   *setup);
const AbScenario *ab_sim_setup_get_scenario (const AbSimSetup   *setup);
const AbPricing  *ab_sim_setup_get_pricing  (const AbSimSetup   *setup);
/* Component label of station @i, or its id when it has none. */
const char       *ab_sim_setup_get_label    (const AbSimSetup   *setup,
                                             guint               station);
/* The component's own label of station @i, NULL when it has none. */
const char       *ab_sim_setup_get_own_label (const AbSimSetup  *setup,
                                              guint              station);
const AbWorkload *ab_sim_setup_get_workload (const AbSimSetup   *setup);
/* The problem whose workload and targets apply, or NULL. */
AbProblem        *ab_sim_setup_get_problem  (const AbSimSetup   *setup);
/* Ids of the connections that close an asynchronous loop (not simulated). */
const char * const *ab_sim_setup_get_cut_connections (const AbSimSetup *setup);
guint             ab_sim_setup_get_n_connections (const AbSimSetup *setup);
/* Design connection id of connection @i (design order), and the ids of
 * the components it joins. */
const char       *ab_sim_setup_get_connection_id (const AbSimSetup *setup,
                                                  guint             i);
const char       *ab_sim_setup_get_connection_from (const AbSimSetup *setup,
                                                    guint             i);
const char       *ab_sim_setup_get_connection_to (const AbSimSetup *setup,
                                                  guint             i);

typedef enum {
  AB_SIM_METHOD_MODEL,
  AB_SIM_METHOD_DES,
} AbSimMethod;

/* One component in one phase, in the same terms for both methods.  NAN
 * where the method does not measure it (the DES: offered). */
typedef struct {
  double instances;
  double utilization;
  double queue_length;       /* mean requests waiting, all instances */
  double offered_rps;        /* model: arrivals; DES: NAN */
  double served_rps;         /* model: served; DES: completions per second */
  double capacity_rps;       /* one instance's capacity at the phase's class
                              * mix times the instances (DES: its
                              * time-averaged instances) */
  double sojourn_ms;         /* mean waiting + service */
} AbSimStation;

typedef struct {
  char             *name;
  double            start_s, duration_s;
  double            multiplier;
  /* FALSE: a DES run spent its sample budget on the earlier phases of a
   * high load and never reached this one, or none of the phase's
   * requests finished within the windows it could pay for (they take
   * longer: a slow connection); every figure of the phase is
   * then NAN (the window and the report read "not simulated", the CLI's
   * JSON null), and bottleneck -1 */
  gboolean          simulated;
  double            offered_rps, served_rps, error_rate;
  /* DES: the error rate's 95 % confidence interval (NAN: the model, or
   * none) */
  double            error_ci_low, error_ci_high;
  /* [AB_CLASS_READ], [AB_CLASS_WRITE], [AB_N_CLASSES] = all; the ci
   * fields are 0 for the model */
  AbLatencyStats    latency[AB_N_CLASSES + 1];
  double            lag_ms;                  /* background processing lag */
  /* its slowest end (ab_lag_slowest_end): the mean lag of the chains
   * that end at station lag_slowest (-1: none; lag_slowest_ms NAN) */
  double            lag_slowest_ms;
  int               lag_slowest;
  /* how fast lag_slowest_ms grows (ms per second) when a queue without a
   * limit falls behind for good (the model says whether it does, the DES
   * measures by how much); 0: the lag holds */
  double            lag_growth;
  /* how fast users' latency grows (ms per second) when their requests
   * wait behind an overloaded component with neither a queue limit nor a
   * timeout (the model's figure, also for the DES); 0: it holds */
  double            latency_growth;
  /* the component (station) without a queue limit whose backlog, left
   * by an overload before the phase, users first wait behind in it: at
   * least a twentieth of the requests the phase answers waited for it
   * (the model says so; the figures are the method's own); -1: none.
   * drained_s: when it empties, seconds into the phase; NAN: it lasts
   * the whole phase (or none) */
  int               draining;
  double            drained_s;
  /* background stages per second (the model's figure for the phase's
   * load, also for the DES; 0: the design does no background work) and
   * the share of them that fail (a full queue, patience, a lost
   * component; NAN without background work) */
  double            background_rps;
  double            background_error_rate;
  int               bottleneck;              /* station, -1: none */
  double            bottleneck_utilization;
  double            simulated_s;             /* DES: seconds simulated */
  guint64           requests;                /* DES: user requests finished */
  guint             windows;                 /* DES: slices simulated */
  AbSimStation     *stations;                /* n_stations */
  /* per design connection, requests per second (the DES does not trace
   * connections: the model's rates scaled to what the DES served) */
  double           *connection_read_rps;
  double           *connection_write_rps;
} AbSimPhase;

typedef enum {
  AB_SIM_REACHED,
  AB_SIM_UNREACHED_NO_CALLER,   /* no client reaches it */
  AB_SIM_UNREACHED_NO_LOAD,     /* reached, but the workload sends nothing */
  AB_SIM_STANDBY,               /* sent nothing, but a station fails over to
                                 * it: it takes over when that one is lost */
} AbSimReach;

typedef struct {
  AbSimMethod  method;
  guint64      seed;
  guint        n_phases;
  AbSimPhase  *phases;            /* the reported phases, in order */
  int          normal;            /* index into phases of "normal" */
  double       max_sustainable_rps;
  double       availability;      /* fraction */
  AbCost      *cost;              /* at the normal phase */
  GPtrArray   *checks;            /* AbCheck*, empty without a problem */
  guint        n_stations;
  /* per station, normal phase */
  double      *utilization;
  double      *instances;
  AbSimReach  *reach;
  gboolean    *failed;            /* lost at some time of the scenario */
  int          bottleneck;        /* normal phase */
  /* per design connection, normal phase: requests per second */
  guint        n_connections;
  double      *connection_rps;
  gboolean     windowed, truncated;
  /* DES: how the run went */
  guint        replications;
  guint64      events, visits, budget;
  guint64      out_of_room;       /* AbDesResult.out_of_room */
  double       sampled_s;
  /* a windowed run's extra pass for the lag (AbDesResult) */
  guint        lag_passes;
  guint64      lag_visits;
  gboolean     lag_capped;
} AbSimSummary;

/* The analytical model over the setup's scenario (synchronous, fast). */
AbSimSummary *ab_sim_summary_new_model (const AbSimSetup  *setup);
/* The summary of a finished DES run of the setup's network and scenario. */
AbSimSummary *ab_sim_summary_new_des   (const AbSimSetup  *setup,
                                        const AbDesResult *result);
void          ab_sim_summary_free      (AbSimSummary      *summary);

/* The summary's background work (replication, queues, change capture),
 * to follow a "Background work" heading: its lag in the normal phase and
 * the most of it lost in any phase ("42 ms behind the requests; none of
 * it is lost", "…; 12 % of it is lost in the failure phase"), or NULL
 * when the design does no background work.  With @setup (the summary's),
 * a slowest end at least 1.5 times the mean is named: "42 ms behind the requests
 * on average, 180 ms at Search Indexer (the slowest); …". */
char         *ab_sim_summary_background_text (const AbSimSummary *summary,
                                              const AbSimSetup   *setup);

/* The summary's users' latency when it grows without bound, to follow a
 * "Latency" heading: the first phase where requests wait behind a
 * component with neither a queue limit nor a timeout that cannot keep up
 * (its backlog grows, none of them fails), how fast their latency rises
 * and, with @setup, that component (the phase's busiest): "rising by
 * 200 ms every second: requests queue at App Servers, which has neither a
 * queue limit nor a timeout, and none of them fails".  NULL when the
 * latency holds in every phase. */
char         *ab_sim_summary_latency_text    (const AbSimSummary *summary,
                                              const AbSimSetup   *setup);

/* The requests a DES run had no room for (AbSimSummary.out_of_room:
 * its pool of requests in flight was full), to follow a "Simulator
 * limit" heading: how many, that it is a limit of the simulator, not of
 * the design, and that they count neither as errors nor as served and
 * are not in the latencies.  NULL when there were none (always for the
 * model). */
char         *ab_sim_summary_room_text       (const AbSimSummary *summary);

/* Runs the DES on the setup (@config may be NULL; its sample budget is
 * replaced by the options' budget). */
AbDesResult  *ab_sim_setup_run_des     (const AbSimSetup  *setup,
                                        const AbDesConfig *config,
                                        GError           **error);

/* One time-series point of the charts. */
typedef struct {
  double    t_s, duration_s;
  int       phase;                 /* scenario phase index */
  gboolean  estimated;
  double    coverage;              /* DES: share of the bucket simulated
                                      (not estimated); 1 for the model */
  double    offered_rps, served_rps, errors_rps;
  double    p50_ms, p95_ms, p99_ms;
  double    cost_per_hour;
  guint     n_stations;
  double   *instances;             /* per station */
  double   *cost_per_hour_by;      /* per station */
} AbSimPoint;

/* Fills @point from @bucket (cost at the model's class mix at that time). */
AbSimPoint *ab_sim_point_new_from_bucket (const AbSimSetup  *setup,
                                          const AbDesBucket *bucket);
/* The analytical model's time series: one point per scenario bucket,
 * evaluated at its middle (AbSimPoint*, in time order). */
GPtrArray  *ab_sim_setup_model_series    (const AbSimSetup  *setup);
/* How many times the setup evaluated the analytical model so far: the
 * summaries, chart points and series share one evaluation per distinct
 * load and failure state (ab-des-model.h).  For tests. */
guint       ab_sim_setup_get_model_evaluations (const AbSimSetup *setup);
AbSimPoint *ab_sim_point_copy            (const AbSimPoint  *point);
void        ab_sim_point_free            (AbSimPoint        *point);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AbSimSetup, ab_sim_setup_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AbSimSummary, ab_sim_summary_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AbSimPoint, ab_sim_point_free)

G_END_DECLS
