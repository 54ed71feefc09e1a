/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Setup, summary and chart points of a simulation: see ab-sim-summary.h.
 * The figures follow archboard-cli simulate's (same functions, same order
 * of evaluation), so the window, the report and the CLI agree. */
#define G_LOG_DOMAIN "archboard-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "ab-sim-summary.h"
#include "ab-sim-summary-private.h"
#include "ab-des-model.h"
#include "ab-format.h"
#include "ab-verdict.h"
#include "ab-sim-api.h"
#include "ab-types.h"
#include "ab-tsan.h"

struct _AbSimSetup
{
  gatomicrefcount  ref_count;
  AbProblem       *problem;      /* may be NULL */
  AbWorkload       workload;
  AbRoute         *route;
  AbScenario      *scenario;
  AbPricing       *pricing;
  guint64          budget;
  char           **labels;       /* per station: label, else id */
  char           **own_labels;   /* per station: label, else NULL */
  char           **conn_from;    /* per connection */
  char           **conn_to;
  AbDesModelCache *models;       /* the model at the scenario's loads */
};

static const char *const scenario_names[] = { "normal", "peak", "failure", "timeline" };

const char *
ab_sim_scenario_kind_to_string (AbSimScenarioKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (scenario_names), NULL);
  return scenario_names[kind];
}

gboolean
ab_sim_scenario_kind_from_string (const char        *name,
                                  AbSimScenarioKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (scenario_names); i++)
    if (g_strcmp0 (name, scenario_names[i]) == 0)
      {
        *kind = (AbSimScenarioKind) i;
        return TRUE;
      }
  return FALSE;
}

void
ab_sim_options_init (AbSimOptions *options)
{
  memset (options, 0, sizeof *options);
  options->scenario = AB_SIM_SCENARIO_TIMELINE;
  options->read_rps = -1.0;
  options->write_rps = -1.0;
  options->seed = -1;
}

/* ---- the model at a time of the scenario ---- */

/* The model at time @t_s of the scenario, evaluated once per distinct
 * load (ab-des-model.h): the result is the setup's, or, when the cache is
 * full, a new one in *@owned for the caller to free. */
static const AbModelResult *
model_at (const AbSimSetup *setup,
          double            t_s,
          double            multiplier,
          AbModelResult   **owned)
{
  return ab_des_model_cache_at (setup->models, t_s, multiplier, owned);
}

guint
ab_sim_setup_get_model_evaluations (const AbSimSetup *setup)
{
  g_return_val_if_fail (setup != NULL, 0);
  return ab_des_model_cache_get_evaluations (setup->models);
}

static const char *
default_failure_station (const AbNetwork *network)
{
  static const AbKind order[] = { AB_KIND_CACHE, AB_KIND_DB_PRIMARY };

  for (guint k = 0; k < G_N_ELEMENTS (order); k++)
    for (guint i = 0; i < network->n_stations; i++)
      if (network->stations[i].kind == order[k])
        return network->stations[i].id;
  {
    g_autoptr(AbModelResult) res = ab_model_evaluate (network, NULL);
    if (res->bottleneck >= 0)
      return network->stations[res->bottleneck].id;
  }
  for (guint i = 0; i < network->n_stations; i++)
    if (network->stations[i].kind != AB_KIND_CLIENT)
      return network->stations[i].id;
  return NULL;
}

AbSimSetup *
ab_sim_setup_new (AbDesign           *design,
                  AbProblem          *problem,
                  const AbSimOptions *options,
                  GError            **error)
{
  return ab_sim_setup_new_with_scenario (design, problem, options, NULL, error);
}

AbSimSetup *
ab_sim_setup_new_with_scenario (AbDesign           *design,
                                AbProblem          *problem,
                                const AbSimOptions *options,
                                const AbScenario   *scenario,
                                GError            **error)
{
  g_autoptr(AbSimSetup) setup = NULL;
  AbSimOptions defaults;
  const AbNetwork *network;
  const char *fail;
  int fail_index;
  double failover_s = -1.0;

  g_return_val_if_fail (AB_IS_DESIGN (design), NULL);

  if (options == NULL)
    {
      ab_sim_options_init (&defaults);
      options = &defaults;
    }

  setup = g_new0 (AbSimSetup, 1);
  g_atomic_ref_count_init (&setup->ref_count);
  if (problem != NULL)
    setup->problem = ab_problem_ref (problem);
  ab_workload_init (&setup->workload, problem, options->read_rps, options->write_rps);
  if (options->peak_multiplier > 0.0)
    setup->workload.peak_multiplier = options->peak_multiplier;
  if (options->pricing != NULL && g_str_has_suffix (options->pricing, ".json"))
    setup->pricing = ab_pricing_load_from_file (options->pricing, error);
  else
    setup->pricing = ab_pricing_get_named (options->pricing != NULL ? options->pricing : AB_PRICING_DEFAULT,
                                           error);
  if (setup->pricing == NULL)
    return NULL;
  setup->route = ab_route_build (design, &setup->workload, error);
  if (setup->route == NULL)
    return NULL;
  network = ab_route_get_network (setup->route);

  if (options->fail_id != NULL && ab_network_find (network, options->fail_id) < 0)
    {
      /* Translators: %s is the id of the component asked to fail */
      g_set_error (error, AB_ERROR, AB_ERROR_NOT_FOUND,
                   _("the design has no component \"%s\""), options->fail_id);
      return NULL;
    }
  fail = options->fail_id != NULL ? options->fail_id : default_failure_station (network);
  /* the failure phases last until the lost station's failover and then
   * as long again as without one (docs/simulation.md, "The timeline") */
  fail_index = fail != NULL ? ab_network_find (network, fail) : -1;
  if (fail_index >= 0 && network->stations[fail_index].failover_to >= 0)
    failover_s = network->stations[fail_index].failover_s;
  switch (options->scenario)
    {
    case AB_SIM_SCENARIO_NORMAL:
      setup->scenario = ab_scenario_new_normal (AB_SCENARIO_DEFAULT_NORMAL_S);
      break;
    case AB_SIM_SCENARIO_PEAK:
      setup->scenario = ab_scenario_new_peak (setup->workload.peak_multiplier);
      break;
    case AB_SIM_SCENARIO_FAILURE:
      setup->scenario = ab_scenario_new_failure_full (fail, !options->fail_one, failover_s);
      break;
    case AB_SIM_SCENARIO_TIMELINE:
    default:
      setup->scenario = ab_scenario_new_default_timeline_full (setup->workload.peak_multiplier, fail, failover_s);
      break;
    }
  if (scenario != NULL)
    {
      ab_scenario_free (setup->scenario);
      setup->scenario = ab_scenario_copy (scenario);
    }
  if (options->seed >= 0)
    setup->scenario->seed = (guint64) options->seed;
  setup->budget = options->budget > 0 ? options->budget : AB_DES_DEFAULT_BUDGET;

  setup->labels = g_new0 (char *, network->n_stations + 1);
  setup->own_labels = g_new0 (char *, network->n_stations + 1);
  for (guint i = 0; i < network->n_stations; i++)
    {
      const AbComponent *comp = ab_design_find_component (design, network->stations[i].id);
      gboolean has = comp != NULL && comp->label != NULL && *comp->label != '\0';

      setup->labels[i] = g_strdup (has ? comp->label : network->stations[i].id);
      setup->own_labels[i] = has ? g_strdup (comp->label) : NULL;
    }
  {
    guint nc = ab_route_get_n_connections (setup->route);

    setup->conn_from = g_new0 (char *, nc + 1);
    setup->conn_to = g_new0 (char *, nc + 1);
    for (guint e = 0; e < nc; e++)
      {
        const AbConnection *conn = ab_design_get_connection (design, e);

        setup->conn_from[e] = g_strdup (conn->from);
        setup->conn_to[e] = g_strdup (conn->to);
      }
  }
  setup->models = ab_des_model_cache_new (ab_route_get_network (setup->route), setup->scenario);
  return g_steal_pointer (&setup);
}

AbSimSetup *
ab_sim_setup_ref (AbSimSetup *setup)
{
  g_return_val_if_fail (setup != NULL, NULL);
  g_atomic_ref_count_inc (&setup->ref_count);
  return setup;
}

void
ab_sim_setup_unref (AbSimSetup *setup)
{
  if (setup == NULL)
    return;
  /* the last unref may come from another thread than the others */
  AB_TSAN_RELEASE (setup);
  if (!g_atomic_ref_count_dec (&setup->ref_count))
    return;
  AB_TSAN_ACQUIRE (setup);
  g_clear_pointer (&setup->models, ab_des_model_cache_free);
  g_clear_pointer (&setup->problem, ab_problem_unref);
  g_clear_pointer (&setup->scenario, ab_scenario_free);
  g_clear_pointer (&setup->pricing, ab_pricing_free);
  g_strfreev (setup->labels);
  if (setup->own_labels != NULL)
    for (guint i = 0; i < ab_route_get_network (setup->route)->n_stations; i++)
      g_free (setup->own_labels[i]);
  g_free (setup->own_labels);
  g_strfreev (setup->conn_from);
  g_strfreev (setup->conn_to);
  g_clear_pointer (&setup->route, ab_route_free);
  g_free (setup);
}

const AbNetwork *
ab_sim_setup_get_network (const AbSimSetup *setup)
{
  return ab_route_get_network (setup->route);
}

const AbScenario *
ab_sim_setup_get_scenario (const AbSimSetup *setup)
{
  return setup->scenario;
}

const AbPricing *
ab_sim_setup_get_pricing (const AbSimSetup *setup)
{
  return setup->pricing;
}

const char *
ab_sim_setup_get_label (const AbSimSetup *setup,
                        guint             station)
{
  g_return_val_if_fail (station < ab_route_get_network (setup->route)->n_stations, NULL);
  return setup->labels[station];
}

const char *
ab_sim_setup_get_own_label (const AbSimSetup *setup,
                            guint             station)
{
  g_return_val_if_fail (station < ab_route_get_network (setup->route)->n_stations, NULL);
  return setup->own_labels[station];
}

const AbWorkload *
ab_sim_setup_get_workload (const AbSimSetup *setup)
{
  return &setup->workload;
}

AbProblem *
ab_sim_setup_get_problem (const AbSimSetup *setup)
{
  return setup->problem;
}

const char * const *
ab_sim_setup_get_cut_connections (const AbSimSetup *setup)
{
  return ab_route_get_cut_connections (setup->route);
}

const char *
ab_sim_setup_get_connection_from (const AbSimSetup *setup,
                                  guint             i)
{
  g_return_val_if_fail (i < ab_route_get_n_connections (setup->route), NULL);
  return setup->conn_from[i];
}

const char *
ab_sim_setup_get_connection_to (const AbSimSetup *setup,
                                guint             i)
{
  g_return_val_if_fail (i < ab_route_get_n_connections (setup->route), NULL);
  return setup->conn_to[i];
}

guint
ab_sim_setup_get_n_connections (const AbSimSetup *setup)
{
  return ab_route_get_n_connections (setup->route);
}

const char *
ab_sim_setup_get_connection_id (const AbSimSetup *setup,
                                guint             i)
{
  return ab_route_connection_id (setup->route, i);
}

AbDesResult *
ab_sim_setup_run_des (const AbSimSetup  *setup,
                      const AbDesConfig *config,
                      GError           **error)
{
  AbDesConfig c;

  if (config != NULL)
    c = *config;
  else
    ab_des_config_init (&c);
  c.sample_budget = setup->budget;
  return ab_des_run (ab_route_get_network (setup->route), setup->scenario, &c, error);
}

/* ---- summaries ---- */

static int
normal_phase (const AbScenario *scenario)
{
  for (guint i = 0; i < scenario->phases->len; i++)
    if (g_strcmp0 (g_array_index (scenario->phases, AbPhase, i).name, "normal") == 0)
      return (int) i;
  return 0;
}

static double
phase_mid (const AbScenario *scenario,
           guint             index)
{
  return ab_scenario_phase_start (scenario, index)
         + g_array_index (scenario->phases, AbPhase, index).duration_s / 2.0;
}

static AbCost *
des_cost (const AbSimSetup        *setup,
          const AbDesStationStats *stations,
          const AbModelResult     *mix)
{
  return ab_cost_for_des (setup->pricing, ab_route_get_network (setup->route), stations, mix,
                          setup->workload.dataset_bytes);
}

static AbCost *
model_cost (const AbSimSetup    *setup,
            const AbModelResult *res)
{
  return ab_cost_for_model (setup->pricing, ab_route_get_network (setup->route), res,
                            setup->workload.dataset_bytes);
}

static AbSimSummary *
summary_new (const AbSimSetup *setup,
             AbSimMethod       method)
{
  const AbNetwork *network = ab_route_get_network (setup->route);
  AbSimSummary *s = g_new0 (AbSimSummary, 1);
  guint n = network->n_stations;

  s->method = method;
  s->seed = setup->scenario->seed;
  s->phases = g_new0 (AbSimPhase, MAX (setup->scenario->phases->len, 1));
  for (guint p = 0; p < MAX (setup->scenario->phases->len, 1); p++)
    {
      s->phases[p].draining = -1;
      s->phases[p].drained_s = NAN;
    }
  s->normal = 0;
  s->n_stations = n;
  s->utilization = g_new0 (double, MAX (n, 1));
  s->instances = g_new0 (double, MAX (n, 1));
  s->reach = g_new0 (AbSimReach, MAX (n, 1));
  s->failed = g_new0 (gboolean, MAX (n, 1));
  s->bottleneck = -1;
  s->n_connections = ab_route_get_n_connections (setup->route);
  s->connection_rps = g_new0 (double, MAX (s->n_connections, 1));
  s->availability = ab_availability_estimate (network, NULL);
  s->checks = g_ptr_array_new_with_free_func ((GDestroyNotify) ab_check_free);

  for (guint e = 0; e < setup->scenario->events->len; e++)
    {
      const AbScenarioEvent *ev = &g_array_index (setup->scenario->events, AbScenarioEvent, e);
      int i = ab_network_find (network, ev->station);

      if (i >= 0 && ev->kind != AB_SCENARIO_RECOVER)
        s->failed[i] = TRUE;
    }
  return s;
}

static void
set_phase_head (AbSimPhase       *ph,
                const AbSimSetup *setup,
                guint             p)
{
  const AbPhase *phase = &g_array_index (setup->scenario->phases, AbPhase, p);
  guint n = ab_route_get_network (setup->route)->n_stations;
  guint nc = ab_route_get_n_connections (setup->route);

  ph->name = g_strdup (phase->name);
  ph->start_s = ab_scenario_phase_start (setup->scenario, p);
  ph->duration_s = phase->duration_s;
  ph->multiplier = (phase->mult_start + phase->mult_end) / 2.0;
  ph->simulated = TRUE;
  ph->error_ci_low = ph->error_ci_high = NAN;
  ph->stations = g_new0 (AbSimStation, MAX (n, 1));
  ph->connection_read_rps = g_new0 (double, MAX (nc, 1));
  ph->connection_write_rps = g_new0 (double, MAX (nc, 1));
}

static void
phase_clear (AbSimPhase *ph)
{
  g_clear_pointer (&ph->name, g_free);
  g_clear_pointer (&ph->stations, g_free);
  g_clear_pointer (&ph->connection_read_rps, g_free);
  g_clear_pointer (&ph->connection_write_rps, g_free);
}

/* A latency no request measured (none of its class answered in the
 * phase): unknown, not 0 ms. */
static void
latency_unknown (AbLatencyStats *l)
{
  AbEstimate *e[] = { &l->mean_ms, &l->p50_ms, &l->p95_ms, &l->p99_ms };

  l->count = 0;
  for (guint j = 0; j < G_N_ELEMENTS (e); j++)
    e[j]->value = e[j]->ci = e[j]->ci_low = e[j]->ci_high = NAN;
}

/* Every figure of a phase the DES did not reach: unknown. */
static void
set_phase_not_simulated (AbSimPhase *ph,
                         guint       n_stations,
                         guint       n_connections)
{
  ph->simulated = FALSE;
  ph->offered_rps = ph->served_rps = ph->error_rate = NAN;
  ph->lag_ms = NAN;
  ph->lag_slowest_ms = NAN;
  ph->lag_slowest = -1;
  ph->background_rps = NAN;
  ph->background_error_rate = NAN;
  ph->bottleneck = -1;
  ph->bottleneck_utilization = NAN;
  ph->draining = -1;
  ph->drained_s = NAN;
  for (int k = 0; k <= AB_N_CLASSES; k++)
    latency_unknown (&ph->latency[k]);
  for (guint i = 0; i < n_stations; i++)
    {
      AbSimStation *st = &ph->stations[i];

      st->instances = st->utilization = st->queue_length = NAN;
      st->offered_rps = st->served_rps = st->capacity_rps = st->sojourn_ms = NAN;
    }
  for (guint e = 0; e < n_connections; e++)
    ph->connection_read_rps[e] = ph->connection_write_rps[e] = NAN;
}

/* Reach of every station at the model result @res (normal phase): BFS
 * over the calls from the entries and self-loaded stations. */
/* Some other station fails over to @st: it waits for that loss. */
static gboolean
is_standby (const AbNetwork *network,
            int              st)
{
  for (guint j = 0; j < network->n_stations; j++)
    if (network->stations[j].failover_to == st)
      return TRUE;
  return FALSE;
}

static void
set_reach (AbSimSummary        *s,
           const AbNetwork     *network,
           const AbModelResult *res)
{
  guint n = network->n_stations;
  g_autofree gboolean *seen = g_new0 (gboolean, MAX (n, 1));
  g_autoptr(GArray) queue = g_array_new (FALSE, FALSE, sizeof (int));

  for (int k = 0; k < AB_N_CLASSES; k++)
    for (guint e = 0; e < network->entries[k].n; e++)
      {
        int st = network->entries[k].stations[e];
        if (!seen[st])
          {
            seen[st] = TRUE;
            g_array_append_val (queue, st);
          }
      }
  for (guint i = 0; i < n; i++)
    if (!seen[i] && (network->stations[i].self_rate[0] > 0.0 || network->stations[i].self_rate[1] > 0.0
                     || network->stations[i].kind == AB_KIND_CLIENT))
      {
        int st = (int) i;
        seen[i] = TRUE;
        g_array_append_val (queue, st);
      }
  for (guint q = 0; q < queue->len; q++)
    {
      int st = g_array_index (queue, int, q);

      for (int k = 0; k < AB_N_CLASSES; k++)
        {
          const AbCallList *list = &network->calls[st * AB_N_CLASSES + k];

          for (guint c = 0; c < list->n_calls; c++)
            {
              int callee = list->calls[c].callee;
              if (!seen[callee])
                {
                  seen[callee] = TRUE;
                  g_array_append_val (queue, callee);
                }
            }
        }
    }
  for (guint i = 0; i < n; i++)
    {
      if (!seen[i])
        s->reach[i] = AB_SIM_UNREACHED_NO_CALLER;
      else if (network->stations[i].kind != AB_KIND_CLIENT && !(res->stations[i].offered_rps > 0.0))
        s->reach[i] = is_standby (network, (int) i) ? AB_SIM_STANDBY : AB_SIM_UNREACHED_NO_LOAD;
      else
        s->reach[i] = AB_SIM_REACHED;
    }
}

static void
set_connections (AbSimSummary     *s,
                 const AbSimPhase *normal)
{
  for (guint e = 0; e < s->n_connections; e++)
    s->connection_rps[e] = normal->connection_read_rps[e] + normal->connection_write_rps[e];
}

/* ---- the model over a phase ----
 *
 * A phase at one load is stated by the model at its middle.  A ramp's
 * load changes along it, and its requests are those of every load on the
 * way, more of them where the load is higher: the model states it as the
 * mixture of its states along the ramp (docs/simulation.md, "The
 * timeline", "Ramps"), evaluated at the Gauss-Legendre points of the
 * phase, each standing for a stretch of it as long as its weight; the
 * stretches tile the phase in order (each holds its point: the
 * Chebyshev-Markov-Stieltjes separation of the nodes by the weights'
 * partial sums), and each point is weighted by the requests answered in
 * its stretch.  Behind a backlog those are the fluid walk's over the
 * stretch (ab_model_backlog_waits), else its rate times the stretch. */

/* Points of a ramp.  Over the references' ramps, the P50 / P95 with 8
 * move by at most 0.11 % against 32 points (0.17 % on the two that
 * overload at their peak end, where the onset of overload is a kink); 5
 * moved them by up to 0.21 % (1.8 %), the middle alone by up to 2.4 %. */
#define RAMP_POINTS 8

typedef struct {
  guint                n;
  double               weight[RAMP_POINTS];   /* share of the phase's time, summing to 1 */
  const AbModelResult *at[RAMP_POINTS];
  AbModelResult       *own[RAMP_POINTS];
} PhaseModel;

/* The @n Gauss-Legendre nodes on [0, 1] and their weights (summing to
 * 1), by Newton's method on the Legendre polynomial P_n. */
static void
gauss_legendre (guint   n,
                double *x,
                double *w)
{
  for (guint i = 0; i < n; i++)
    {
      double z = cos (G_PI * (i + 0.75) / (n + 0.5)), dp = 1.0;

      for (int it = 0; it < 100; it++)
        {
          double p0 = 1.0, p1 = 0.0, z0 = z;

          for (guint j = 1; j <= n; j++)
            {
              double p2 = p1;

              p1 = p0;
              p0 = ((2.0 * j - 1.0) * z * p1 - (j - 1.0) * p2) / j;
            }
          dp = n * (z * p0 - p1) / (z * z - 1.0);
          z = z0 - p0 / dp;
          if (fabs (z - z0) < 1e-15)
            break;
        }
      /* ascending on [0, 1] */
      x[n - 1 - i] = (1.0 + z) / 2.0;
      w[n - 1 - i] = 1.0 / ((1.0 - z * z) * dp * dp);
    }
}

/* The model over phase @p of the setup's scenario: one state at its
 * middle when its load is flat, the states at the ramp's points when it
 * changes; @backlog: each with the backlog that queues without a limit
 * hold then (ab_des_model_cache_at_backlog). */
static void
phase_model_init (PhaseModel       *pm,
                  const AbSimSetup *setup,
                  guint             p,
                  gboolean          backlog)
{
  const AbPhase *phase = &g_array_index (setup->scenario->phases, AbPhase, p);
  double start = ab_scenario_phase_start (setup->scenario, p);
  double x[RAMP_POINTS], w[RAMP_POINTS], done = 0.0;

  memset (pm, 0, sizeof *pm);
  if (phase->mult_start == phase->mult_end || !(phase->duration_s > 0.0))
    {
      pm->n = 1;
      x[0] = 0.5;
      w[0] = 1.0;
    }
  else
    {
      pm->n = RAMP_POINTS;
      gauss_legendre (pm->n, x, w);
    }
  for (guint i = 0; i < pm->n; i++)
    {
      double t = start + x[i] * phase->duration_s, a, b;

      /* each point stands for its share of the phase (its weight), the
       * stretches in order: [w0 + ... + w(i-1), w0 + ... + wi] */
      pm->weight[i] = w[i];
      a = start + done * phase->duration_s;
      done += w[i];
      b = i + 1 == pm->n ? start + phase->duration_s : start + done * phase->duration_s;
      pm->at[i] = backlog ? ab_des_model_cache_at_backlog (setup->models, t, 0.0, a, b, &pm->own[i])
                          : model_at (setup, t, 0.0, &pm->own[i]);
    }
}

static void
phase_model_clear (PhaseModel *pm)
{
  for (guint i = 0; i < pm->n; i++)
    g_clear_pointer (&pm->own[i], ab_model_result_free);
  pm->n = 0;
}

/* The time-mean of @value over the phase's points (one point: its
 * value). */
#define PM_MEAN(pm, value) pm_mean ((pm), G_STRUCT_OFFSET (AbModelResult, value))

static double
pm_mean (const PhaseModel *pm,
         gsize             offset)
{
  double acc = 0.0;

  if (pm->n == 1)
    return G_STRUCT_MEMBER (double, pm->at[0], offset);
  for (guint i = 0; i < pm->n; i++)
    acc += pm->weight[i] * G_STRUCT_MEMBER (double, pm->at[i], offset);
  return acc;
}

/* The mean of @value[i] weighted by the time of point i times @rate[i]
 * (a figure per request or per background stage); NAN when no point has
 * any rate. */
static double
pm_rate_mean (const PhaseModel *pm,
              const double     *value,
              const double     *rate)
{
  double num = 0.0, den = 0.0;

  if (pm->n == 1)
    return value[0];
  for (guint i = 0; i < pm->n; i++)
    if (pm->weight[i] * rate[i] > 0.0)
      {
        num += pm->weight[i] * rate[i] * value[i];
        den += pm->weight[i] * rate[i];
      }
  return den > 0.0 ? num / den : NAN;
}

typedef struct {
  const AbModelResult *res;
  int                  klass;
} PmCdf;

static double
pm_cdf (gconstpointer data,
        double        t_ms)
{
  const PmCdf *c = data;

  return ab_model_latency_cdf (c->res, c->klass, t_ms);
}

/* Of the phase's requests, the least share that must wait behind what
 * an earlier overload left for the phase to read as draining it: a
 * twentieth, what moves its P95 (fewer are the last of a backlog) */
#define DRAIN_MATERIAL 0.05

/* The station whose backlog, left by an earlier overload, the most of
 * the phase's requests are answered behind (at least DRAIN_MATERIAL of
 * those answered in the phase), or -1; into @drained_s, when that
 * backlog empties (seconds into the phase from @start_s), NAN when it
 * lasts the whole phase.  The backlog the phase begins with, followed
 * through the points' stretches in order until it empties; stretches
 * where the station is overloaded again do not count (their backlog
 * grows: latency_growth). */
static int
phase_model_draining (const PhaseModel *pm,
                      double            start_s,
                      double           *drained_s)
{
  guint n = pm->at[0]->n_stations;
  double users = 0.0, most = 0.0;
  int best = -1;

  *drained_s = NAN;
  for (guint i = 0; i < pm->n; i++)
    users += pm->weight[i] * pm->at[i]->served_rps;
  if (!(users > 0.0))
    return -1;
  for (guint x = 0; x < n; x++)
    {
      double behind = 0.0, end = NAN;

      for (guint i = 0; i < pm->n; i++)
        {
          const AbStationResult *r = &pm->at[i]->stations[x];

          if (r->overloaded)
            continue;
          /* none left (from the start, or since it emptied) */
          if (!(r->carried > 0.0))
            break;
          behind += pm->weight[i] * r->carried * r->served_rps;
          end = r->drained_s;
          if (isfinite (end))
            break;
        }
      behind = MIN (behind / users, 1.0);
      if (behind >= DRAIN_MATERIAL && behind > most)
        {
          most = behind;
          best = (int) x;
          *drained_s = end - start_s;
        }
    }
  return best;
}

/* The model's figures of the phase in @ph (whose head is set): at one
 * load, the model's at it; along a ramp, time-means of rates,
 * utilisations and queues, arrival-weighted means of per-request
 * figures (the error rate, each station's sojourn, the background work's
 * per stage) and the latency of the requests of every point together,
 * each point's weighted by the requests its stretch answers
 * (ab_latency_mixture). */
static void
phase_model_fill (const PhaseModel *pm,
                  const AbSimSetup *setup,
                  AbSimPhase       *ph)
{
  /* a flat phase's one state; a ramp's point nearest its middle, for
   * what no point weighs */
  const AbModelResult *mid = pm->at[pm->n / 2];
  const AbNetwork *network = ab_route_get_network (setup->route);
  guint nc = ab_route_get_n_connections (setup->route);
  double value[RAMP_POINTS] = { 0 }, rate[RAMP_POINTS] = { 0 };
  int heaviest = 0;

  ph->multiplier = pm->n == 1 ? mid->multiplier : ph->multiplier;
  ph->offered_rps = PM_MEAN (pm, offered_rps);
  ph->served_rps = PM_MEAN (pm, served_rps);
  /* arrival-weighted (what still waits behind a backlog without a
   * limit is not served, nor failed) */
  for (guint i = 0; i < pm->n; i++)
    {
      rate[i] = pm->at[i]->offered_rps;
      value[i] = pm->at[i]->error_rate;
    }
  ph->error_rate = pm->n == 1 ? mid->error_rate : ph->offered_rps > 0.0 ? pm_rate_mean (pm, value, rate) : 0.0;
  ph->latency_growth = PM_MEAN (pm, latency_growth);
  ph->draining = phase_model_draining (pm, ph->start_s, &ph->drained_s);
  ph->background_rps = PM_MEAN (pm, background_rps);
  for (guint i = 0; i < pm->n; i++)
    {
      rate[i] = pm->at[i]->background_rps;
      value[i] = pm->at[i]->background_error_rate;
      if (pm->weight[i] * rate[i] > pm->weight[heaviest] * rate[heaviest])
        heaviest = (int) i;
    }
  ph->background_error_rate = ph->background_rps > 0.0 ? pm_rate_mean (pm, value, rate) : NAN;
  for (guint i = 0; i < pm->n; i++)
    value[i] = pm->at[i]->lag_ms;
  ph->lag_ms = pm_rate_mean (pm, value, rate);
  if (pm->n > 1 && !isfinite (ph->lag_ms))
    ph->lag_ms = mid->lag_ms;
  /* the slowest end: where the most background work stands, its lag
   * over the points where it is the slowest */
  ph->lag_slowest = pm->at[heaviest]->lag_slowest_station;
  for (guint i = 0; i < pm->n; i++)
    {
      value[i] = pm->at[i]->lag_slowest_ms;
      if (pm->at[i]->lag_slowest_station != ph->lag_slowest)
        rate[i] = 0.0;
    }
  ph->lag_slowest_ms = pm->n == 1 ? mid->lag_slowest_ms : pm_rate_mean (pm, value, rate);
  if (!isfinite (ph->lag_slowest_ms))
    ph->lag_slowest_ms = pm->at[heaviest]->lag_slowest_ms;
  /* how fast a queue without a limit falls behind: its mean over the
   * phase */
  ph->lag_growth = PM_MEAN (pm, lag_slowest_growth);

  for (int k = 0; k <= AB_N_CLASSES; k++)
    {
      AbLatencySummary parts[RAMP_POINTS], mixed;
      PmCdf cdfs[RAMP_POINTS];
      gconstpointer data[RAMP_POINTS];

      for (guint i = 0; i < pm->n; i++)
        {
          const AbModelResult *r = pm->at[i];

          parts[i] = r->latency[k];
          /* the requests its stretch answers (behind a backlog, more or
           * fewer than arrive) */
          rate[i] = pm->weight[i] * (k == AB_N_CLASSES ? r->served_rps : r->class_served_rps[k]);
          cdfs[i] = (PmCdf) { r, k };
          data[i] = &cdfs[i];
        }
      ab_latency_mixture (pm->n, rate, pm_cdf, data, parts, &mixed);
      {
        double answered = 0.0;

        for (guint i = 0; i < pm->n; i++)
          answered += rate[i];
        if (!(answered > 0.0))
          {
            /* the phase answers none of the class: its latency is no
             * figure (the model's would be the path's, of requests that
             * all fail) */
            latency_unknown (&ph->latency[k]);
            continue;
          }
      }
      ph->latency[k].mean_ms.value = mixed.mean_ms;
      ph->latency[k].p50_ms.value = mixed.p50_ms;
      ph->latency[k].p95_ms.value = mixed.p95_ms;
      ph->latency[k].p99_ms.value = mixed.p99_ms;
    }

  ph->bottleneck = -1;
  ph->bottleneck_utilization = pm->n == 1 ? mid->bottleneck_utilization : 0.0;
  for (guint s = 0; s < network->n_stations; s++)
    {
      AbSimStation *st = &ph->stations[s];
      double util = 0.0, offered_util = 0.0;

      st->instances = st->utilization = st->queue_length = 0.0;
      st->offered_rps = st->served_rps = st->capacity_rps = 0.0;
      for (guint i = 0; i < pm->n; i++)
        {
          const AbStationResult *sr = &pm->at[i]->stations[s];
          double w = pm->weight[i];

          st->instances += w * sr->instances;
          util += w * sr->utilization;
          offered_util += w * sr->offered_utilization;
          st->queue_length += w * sr->queue_length;
          st->offered_rps += w * sr->offered_rps;
          st->served_rps += w * sr->served_rps;
          st->capacity_rps += w * sr->capacity_rps;
          rate[i] = sr->offered_rps;
          value[i] = sr->offered_rps > 0.0
                     ? (sr->class_rps[0] * sr->sojourn_ms[0] + sr->class_rps[1] * sr->sojourn_ms[1])
                       / sr->offered_rps
                     : sr->sojourn_ms[0];
        }
      st->utilization = util;
      st->sojourn_ms = pm_rate_mean (pm, value, rate);
      if (!isfinite (st->sojourn_ms))
        st->sojourn_ms = value[pm->n / 2];
      if (pm->n == 1)
        {
          /* the model's own figures, as they are */
          const AbStationResult *sr = &mid->stations[s];

          st->instances = sr->instances;
          st->utilization = sr->utilization;
          st->queue_length = sr->queue_length;
          st->offered_rps = sr->offered_rps;
          st->served_rps = sr->served_rps;
          st->capacity_rps = sr->capacity_rps;
        }
      /* the model's choice of bottleneck, on the phase's mean load */
      else if (st->offered_rps > 0.0 && isfinite (st->capacity_rps)
               && (ph->bottleneck < 0 || offered_util > ph->bottleneck_utilization))
        {
          ph->bottleneck = (int) s;
          ph->bottleneck_utilization = offered_util;
        }
    }
  if (pm->n == 1)
    ph->bottleneck = mid->bottleneck;
  else if (ph->bottleneck < 0)
    ph->bottleneck_utilization = mid->bottleneck_utilization;

  /* per connection: the time-mean of the points' rates */
  for (guint e = 0; e < nc; e++)
    ph->connection_read_rps[e] = ph->connection_write_rps[e] = 0.0;
  for (guint i = 0; i < pm->n; i++)
    {
      g_autofree double *read = g_new0 (double, MAX (nc, 1));
      g_autofree double *write = g_new0 (double, MAX (nc, 1));
      double **rates = ab_model_call_rates (network, pm->at[i]);

      ab_route_connection_rates (setup->route, rates, read, write);
      ab_model_call_rates_free (network, rates);
      for (guint e = 0; e < nc; e++)
        {
          ph->connection_read_rps[e] += pm->n == 1 ? read[e] : pm->weight[i] * read[e];
          ph->connection_write_rps[e] += pm->n == 1 ? write[e] : pm->weight[i] * write[e];
        }
    }
}

/* The rate the design sustains: none when nothing does the requests' work
 * (they end at a client or a load balancer, docs/simulation.md "Requests
 * that end at once"); the balancer's capacity, 100,000 requests/s, is not
 * a rate at which anything is served.  NAN then: "–" in the report, null
 * in the CLI's JSON (with ends_at_once). */
static double
sustainable_rps (const AbNetwork *network,
                 double           model_rps)
{
  return ab_verdict_all_end_at_once (network) ? NAN : model_rps;
}

/* No bottleneck and no availability where nothing serves the requests: a
 * load balancer that passes them on to nothing is not what limits the
 * design, and its uptime is not the design's (the checks say "not
 * judged"; the canvas shows no badge; the CLI prints "-", the JSON
 * null). */
static void
nothing_serves (AbSimSummary    *s,
                const AbNetwork *network)
{
  if (!ab_verdict_all_end_at_once (network))
    return;
  s->availability = NAN;
  s->bottleneck = -1;
  for (guint p = 0; p < s->n_phases; p++)
    {
      s->phases[p].bottleneck = -1;
      s->phases[p].bottleneck_utilization = NAN;
    }
}

AbSimSummary *
ab_sim_summary_new_model (const AbSimSetup *setup)
{
  const AbNetwork *network;
  AbSimSummary *s;
  int normal;
  g_autoptr(AbModelResult) normal_own = NULL;
  const AbModelResult *normal_res;

  g_return_val_if_fail (setup != NULL, NULL);

  network = ab_route_get_network (setup->route);
  s = summary_new (setup, AB_SIM_METHOD_MODEL);
  normal = normal_phase (setup->scenario);
  normal_res = model_at (setup, phase_mid (setup->scenario, (guint) normal), 0.0, &normal_own);

  for (guint p = 0; p < setup->scenario->phases->len; p++)
    {
      const AbPhase *phase = &g_array_index (setup->scenario->phases, AbPhase, p);
      AbSimPhase *ph;
      PhaseModel pm;

      if (!phase->reported)
        continue;
      if ((int) p == normal)
        s->normal = (int) s->n_phases;
      ph = &s->phases[s->n_phases++];
      set_phase_head (ph, setup, p);
      /* with the backlog a queue without a limit holds then: the lag */
      phase_model_init (&pm, setup, p, TRUE);
      phase_model_fill (&pm, setup, ph);
      phase_model_clear (&pm);
      ph->simulated_s = ph->duration_s;
    }

  s->max_sustainable_rps = sustainable_rps (network, normal_res->max_sustainable_rps);
  s->cost = model_cost (setup, normal_res);
  if (setup->problem != NULL)
    {
      g_autoptr(GPtrArray) checks = ab_verdict_checks_model (setup->problem, network, &setup->workload,
                                                             setup->pricing);

      for (guint i = 0; i < checks->len; i++)
        g_ptr_array_add (s->checks, g_steal_pointer (&checks->pdata[i]));
      g_ptr_array_set_free_func (checks, NULL);
    }
  for (guint i = 0; i < network->n_stations; i++)
    {
      s->utilization[i] = normal_res->stations[i].utilization;
      s->instances[i] = normal_res->stations[i].instances;
    }
  s->bottleneck = normal_res->bottleneck;
  nothing_serves (s, network);
  set_reach (s, network, normal_res);
  if (s->n_phases > 0)
    set_connections (s, &s->phases[s->normal]);
  return s;
}

AbSimSummary *
ab_sim_summary_new_des (const AbSimSetup  *setup,
                        const AbDesResult *des)
{
  const AbNetwork *network;
  AbSimSummary *s;
  int normal;
  g_autoptr(AbModelResult) normal_own = NULL;
  const AbModelResult *normal_res;
  const AbDesPhaseResult *normal_phase_res;

  g_return_val_if_fail (setup != NULL, NULL);
  g_return_val_if_fail (des != NULL, NULL);

  network = ab_route_get_network (setup->route);
  s = summary_new (setup, AB_SIM_METHOD_DES);
  normal = normal_phase (setup->scenario);
  normal_res = model_at (setup, phase_mid (setup->scenario, (guint) normal), 0.0, &normal_own);
  normal_phase_res = (guint) normal < des->n_phases ? &des->phases[normal] : &des->phases[0];
  s->windowed = des->windowed;
  s->truncated = des->truncated;
  s->out_of_room = des->out_of_room;
  s->replications = des->replications;
  s->events = des->events;
  s->visits = des->visits;
  s->budget = des->budget;
  s->sampled_s = des->sampled_s;
  s->lag_passes = des->lag_passes;
  s->lag_visits = des->lag_visits;
  s->lag_capped = des->lag_capped;

  for (guint p = 0; p < des->n_phases; p++)
    {
      const AbDesPhaseResult *dp = &des->phases[p];
      AbSimPhase *ph, mph = { 0 };
      PhaseModel pm;
      int bottleneck = -1;
      double top = -1.0;

      if (!dp->reported)
        continue;
      if ((int) p == normal)
        s->normal = (int) s->n_phases;
      ph = &s->phases[s->n_phases++];
      set_phase_head (ph, setup, p);
      ph->simulated_s = dp->simulated_s;
      ph->requests = dp->requests;
      ph->windows = dp->windows;
      /* a long timeline at a high rate can spend the sample budget before
       * its last phases, and requests that take longer than the windows
       * it paid for finish in none of them: unknown, not zero */
      if ((dp->duration_s > 0.0 && !(dp->simulated_s > 0.0))
          || (dp->requests == 0 && dp->offered_rps > 0.0))
        {
          set_phase_not_simulated (ph, network->n_stations, s->n_connections);
          continue;
        }
      /* the model's figures of the phase (a ramp's over its points) */
      set_phase_head (&mph, setup, p);
      phase_model_init (&pm, setup, p, FALSE);
      phase_model_fill (&pm, setup, &mph);
      phase_model_clear (&pm);
      for (guint i = 0; i < des->n_stations; i++)
        if (dp->stations[i].served_rps > 0.0 && dp->stations[i].utilization > top
            && isfinite (mph.stations[i].capacity_rps))
          {
            top = dp->stations[i].utilization;
            bottleneck = (int) i;
          }
      ph->offered_rps = dp->offered_rps;
      ph->served_rps = dp->served_rps;
      ph->error_rate = dp->error_rate;
      ph->error_ci_low = dp->error_rate_ci[AB_N_CLASSES].ci_low;
      ph->error_ci_high = dp->error_rate_ci[AB_N_CLASSES].ci_high;
      ph->bottleneck = bottleneck;
      ph->bottleneck_utilization = bottleneck >= 0 ? top : NAN;
      /* no followed chain ended (all of it failed): no lag to state */
      ph->lag_ms = dp->latency[AB_DES_ASYNC].count > 0 ? dp->latency[AB_DES_ASYNC].mean_ms.value : NAN;
      ph->lag_slowest_ms = dp->lag_slowest_ms.value;
      ph->lag_slowest = dp->lag_slowest_station;
      /* the model says whether the lag grows without bound, the run by
       * how much */
      ph->lag_growth = mph.lag_growth > 0.0
                       ? (isfinite (dp->lag_slowest_growth) && dp->lag_slowest_growth > 0.0
                          ? dp->lag_slowest_growth : mph.lag_growth)
                       : 0.0;
      /* users' latency behind a backlog without a limit: the model's
       * growth (the run's percentiles are its phase's mixture already) */
      ph->latency_growth = mph.latency_growth;
      /* whether users first wait behind what an earlier overload left:
       * the model with the backlog (the run's percentiles have it) */
      ph->draining = -1;
      ph->drained_s = NAN;
      if (p > 0)
        {
          PhaseModel dm;

          phase_model_init (&dm, setup, p, TRUE);
          ph->draining = phase_model_draining (&dm, ph->start_s, &ph->drained_s);
          phase_model_clear (&dm);
        }
      ph->background_rps = mph.background_rps;
      /* no background stage followed: its losses are unknown */
      ph->background_error_rate = dp->async_requests > 0 ? dp->background_error_rate : NAN;
      for (int k = 0; k <= AB_N_CLASSES; k++)
        {
          ph->latency[k] = dp->latency[k];
          /* nothing answered (gaming-leaderboard's primary lost: every
           * request fails): the phase read 0 ms at every percentile */
          if (dp->latency[k].count == 0)
            latency_unknown (&ph->latency[k]);
        }
      for (guint i = 0; i < des->n_stations; i++)
        {
          const AbDesStationStats *ds = &dp->stations[i];
          AbSimStation *st = &ph->stations[i];

          st->instances = ds->instances;
          st->utilization = ds->utilization;
          st->queue_length = ds->queue_length;
          st->offered_rps = NAN;
          st->served_rps = ds->served_rps;
          /* what the instances the DES kept up could serve: the catalog's
           * capacity of one instance at this phase's class mix (the
           * model's figure) times the DES's time-averaged instances */
          st->capacity_rps = mph.stations[i].instances > 0.0
                             ? mph.stations[i].capacity_rps / mph.stations[i].instances * ds->instances
                             : NAN;
          st->sojourn_ms = ds->sojourn_ms;
        }
      /* the DES does not trace connections: the model's rates, scaled
       * to what the DES served */
      for (guint e = 0; e < s->n_connections; e++)
        {
          double scale = mph.served_rps > 0.0 ? dp->served_rps / mph.served_rps : 0.0;

          ph->connection_read_rps[e] = mph.connection_read_rps[e] * scale;
          ph->connection_write_rps[e] = mph.connection_write_rps[e] * scale;
        }
      phase_clear (&mph);
      if ((int) p == normal)
        {
          for (guint i = 0; i < network->n_stations; i++)
            {
              s->utilization[i] = dp->stations[i].utilization;
              s->instances[i] = dp->stations[i].instances;
            }
          s->bottleneck = bottleneck;
          set_connections (s, ph);
        }
    }

  s->max_sustainable_rps = sustainable_rps (network, normal_res->max_sustainable_rps);
  s->cost = des_cost (setup, normal_phase_res->stations, normal_res);
  if (setup->problem != NULL)
    {
      g_autoptr(GPtrArray) checks = ab_verdict_checks_des (setup->problem, network, &setup->workload,
                                                           setup->pricing, setup->scenario, des);

      for (guint i = 0; i < checks->len; i++)
        g_ptr_array_add (s->checks, g_steal_pointer (&checks->pdata[i]));
      g_ptr_array_set_free_func (checks, NULL);
    }
  nothing_serves (s, network);
  set_reach (s, network, normal_res);
  return s;
}

void
ab_sim_summary_free (AbSimSummary *s)
{
  if (s == NULL)
    return;
  for (guint p = 0; p < s->n_phases; p++)
    phase_clear (&s->phases[p]);
  g_free (s->phases);
  g_clear_pointer (&s->cost, ab_cost_free);
  g_clear_pointer (&s->checks, g_ptr_array_unref);
  g_free (s->utilization);
  g_free (s->instances);
  g_free (s->reach);
  g_free (s->failed);
  g_free (s->connection_rps);
  g_free (s);
}

/* ---- background work ---- */

/* The slowest end is named when its lag is this many times the mean (a
 * design whose background work ends in one place, or in places about as
 * fast, reads as one figure: the multi-master reference's standbys end
 * 13 % after its masters). */
#define BACKGROUND_SLOWEST_APART 1.5

char *
ab_sim_summary_background_text (const AbSimSummary *s,
                                const AbSimSetup   *setup)
{
  const AbSimPhase *normal, *worst = NULL;
  g_autofree char *lag = NULL;
  g_autofree char *lost = NULL;
  gboolean any = FALSE;

  g_return_val_if_fail (s != NULL, NULL);

  for (guint p = 0; p < s->n_phases; p++)
    {
      const AbSimPhase *ph = &s->phases[p];

      if (!ph->simulated || !(ph->background_rps > 0.0))
        continue;
      any = TRUE;
      if (isfinite (ph->background_error_rate)
          && (worst == NULL || ph->background_error_rate > worst->background_error_rate))
        worst = ph;
    }
  if (!any)
    return NULL;
  normal = s->n_phases > 0 ? &s->phases[s->normal] : NULL;
  if (normal != NULL && normal->simulated && isfinite (normal->lag_ms) && normal->background_rps > 0.0)
    {
      g_autofree char *figure = ab_format_latency (normal->lag_ms);

      if (setup != NULL && normal->lag_slowest >= 0 && isfinite (normal->lag_slowest_ms)
          && normal->lag_slowest_ms > BACKGROUND_SLOWEST_APART * normal->lag_ms)
        {
          g_autofree char *slowest = ab_format_latency (normal->lag_slowest_ms);

          /* TRANSLATORS: "42 ms behind the requests on average, 180 ms
           * at Search Indexer (the slowest)": the mean lag of all
           * background work, then of the work that ends at the named
           * component */
          lag = g_strdup_printf (_("%s behind the requests on average, %s at %s (the slowest)"),
                                 figure, slowest,
                                 ab_sim_setup_get_label (setup, (guint) normal->lag_slowest));
        }
      else
        /* TRANSLATORS: background work (replication, queues, change
         * capture) ends on average "42 ms behind the requests" that
         * started it */
        lag = g_strdup_printf (_("%s behind the requests"), figure);
    }
  else
    lag = g_strdup (_("too little simulated in the normal phase to measure its lag"));
  /* a queue without a limit that falls behind for good: the first phase
   * where it does, and by how much a second */
  for (guint p = 0; p < s->n_phases; p++)
    {
      const AbSimPhase *ph = &s->phases[p];
      g_autofree char *rate = NULL;
      char *grown;

      if (!ph->simulated || !(ph->lag_growth > 0.0) || !(ph->background_rps > 0.0))
        continue;
      rate = ab_format_latency (ph->lag_growth);
      if (ph == normal)
        /* TRANSLATORS: "42 ms behind the requests, and rising by 250 ms every
         * second": a queue without a limit that cannot keep up (until a
         * timeout lets no more wait) */
        grown = g_strdup_printf (_("%s, and rising by %s every second"), lag, rate);
      else
        /* TRANSLATORS: "42 ms behind the requests, and in the peak phase
         * rising by 250 ms every second" */
        grown = g_strdup_printf (_("%s, and in the %s phase rising by %s every second"), lag,
                                 ab_scenario_phase_label (ph->name), rate);
      g_free (lag);
      lag = grown;
      break;
    }
  /* a share that rounds to 0.0 % is none */
  if (worst == NULL || worst->background_error_rate < 0.0005)
    return g_strdup_printf (_("%s; none of it is lost"), lag);
  lost = ab_format_percent (worst->background_error_rate, 1);
  if (worst == normal)
    /* TRANSLATORS: "42 ms behind the requests; 12 % of it is lost" */
    return g_strdup_printf (_("%s; %s of it is lost"), lag, lost);
  /* TRANSLATORS: "…; 12 % of it is lost in the failure phase" */
  return g_strdup_printf (_("%s; %s of it is lost in the %s phase"), lag, lost,
                          ab_scenario_phase_label (worst->name));
}

/* ---- users' latency behind a backlog without a limit ---- */

char *
ab_sim_summary_latency_text (const AbSimSummary *s,
                             const AbSimSetup   *setup)
{
  g_return_val_if_fail (s != NULL, NULL);

  for (guint p = 0; p < s->n_phases; p++)
    {
      const AbSimPhase *ph = &s->phases[p];
      g_autofree char *rate = NULL;
      const char *where;

      if (!ph->simulated || !(ph->latency_growth > 0.0))
        continue;
      rate = ab_format_latency (ph->latency_growth);
      where = setup != NULL && ph->bottleneck >= 0 ? ab_sim_setup_get_label (setup, (guint) ph->bottleneck)
              /* TRANSLATORS: stands for a component's name in "requests
               * queue at %s, which has neither a queue limit nor a
               * timeout" */
              : _("a component");
      if ((int) p == s->normal)
        /* TRANSLATORS: users' latency "rising by 200 ms every second:
         * requests queue at App Servers, which has …": a component that
         * cannot keep up and makes no request fail, so its queue grows
         * for as long as the load lasts */
        return g_strdup_printf (_("rising by %s every second: requests queue at %s, which has neither "
                                  "a queue limit nor a timeout, and none of them fails"), rate, where);
      /* TRANSLATORS: "in the peak phase rising by 200 ms every second:
       * requests queue at App Servers, which has …" */
      return g_strdup_printf (_("in the %s phase rising by %s every second: requests queue at %s, which "
                                "has neither a queue limit nor a timeout, and none of them fails"),
                              ab_scenario_phase_label (ph->name), rate, where);
    }
  /* else a phase that first answers what an earlier overload left */
  for (guint p = 0; p < s->n_phases; p++)
    {
      const AbSimPhase *ph = &s->phases[p];
      g_autofree char *when = NULL;
      const char *where;
      gboolean timeout;

      if (!ph->simulated || ph->draining < 0)
        continue;
      where = setup != NULL ? ab_sim_setup_get_label (setup, (guint) ph->draining) : _("a component");
      timeout = setup != NULL && ab_sim_setup_get_network (setup)->stations[ph->draining].timeout_ms > 0.0;
      if (!isfinite (ph->drained_s))
        {
          if (timeout)
            /* TRANSLATORS: as "in the normal phase first waiting for the
             * backlog …", at a component with a timeout (the requests
             * that waited longer give up, the others wait up to it),
             * and the backlog is still there when the phase ends */
            return g_strdup_printf (_("in the %s phase first waiting for the backlog an earlier overload left "
                                      "at %s, up to its timeout, and it lasts the whole phase"),
                                    ab_scenario_phase_label (ph->name), where);
          /* TRANSLATORS: users' latency "in the normal phase first
           * waiting for the backlog …": a component without a queue
           * limit or a timeout that an earlier phase overloaded first
           * answers what queued there then, at its capacity, before the
           * phase's own requests, and is not done when the phase ends */
          return g_strdup_printf (_("in the %s phase first waiting for the backlog an earlier overload left "
                                    "at %s, which has neither a queue limit nor a timeout, and it lasts the "
                                    "whole phase"),
                                  ab_scenario_phase_label (ph->name), where);
        }
      when = ab_format_latency (1000.0 * MAX (ph->drained_s, 0.0));
      if (timeout)
        /* TRANSLATORS: as "in the normal phase first waiting for the
         * backlog …", at a component with a timeout: the requests that
         * waited longer give up, the others wait up to it; the last %s
         * is a time, "12.5 s" into the phase */
        return g_strdup_printf (_("in the %s phase first waiting for the backlog an earlier overload left at %s, "
                                  "up to its timeout, until it drains %s into the phase"),
                                ab_scenario_phase_label (ph->name), where, when);
      /* TRANSLATORS: users' latency "in the normal phase first waiting
       * for the backlog …": a component without a queue limit or a
       * timeout that an earlier phase overloaded first answers what
       * queued there then, at its capacity, before the phase's own
       * requests; the last %s is a time, "12.5 s" into the phase */
      return g_strdup_printf (_("in the %s phase first waiting for the backlog an earlier overload left at %s, "
                                "which has neither a queue limit nor a timeout, until it drains %s into the "
                                "phase"),
                              ab_scenario_phase_label (ph->name), where, when);
    }
  return NULL;
}

/* ---- requests the simulator had no room for ---- */

char *
ab_sim_summary_room_text (const AbSimSummary *s)
{
  g_autofree char *count = NULL;

  g_return_val_if_fail (s != NULL, NULL);

  if (s->method != AB_SIM_METHOD_DES || s->out_of_room == 0)
    return NULL;
  count = ab_format_count ((double) s->out_of_room);
  /* TRANSLATORS: %s is a count, "1,234": the discrete-event simulation
   * keeps a limited number of requests in flight at once; those that
   * found it full were dropped, neither served nor failed */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "The simulator ran out of room for %s request in flight: a limit of the "
                                       "simulator, not of the design. It counts neither as an error nor as "
                                       "served, and its latency is not in the figures.",
                                       "The simulator ran out of room for %s requests in flight: a limit of the "
                                       "simulator, not of the design. They count neither as errors nor as "
                                       "served, and their latencies are not in the figures.",
                                       (gulong) MIN (s->out_of_room, (guint64) G_MAXULONG)),
                          count);
}

/* ---- chart points ---- */

AbSimPoint *
ab_sim_point_new_from_bucket (const AbSimSetup  *setup,
                              const AbDesBucket *bucket)
{
  g_autoptr(AbModelResult) mix_own = NULL;
  const AbModelResult *mix;
  g_autoptr(AbCost) cost = NULL;
  AbSimPoint *pt;

  g_return_val_if_fail (setup != NULL && bucket != NULL, NULL);

  mix = model_at (setup, bucket->t_s + bucket->duration_s / 2.0, 0.0, &mix_own);
  cost = des_cost (setup, bucket->stations, mix);
  pt = g_new0 (AbSimPoint, 1);
  pt->t_s = bucket->t_s;
  pt->duration_s = bucket->duration_s;
  pt->phase = bucket->phase;
  pt->estimated = bucket->estimated;
  pt->coverage = bucket->coverage;
  pt->offered_rps = bucket->offered_rps;
  pt->served_rps = bucket->served_rps;
  pt->errors_rps = bucket->errors_rps;
  pt->p50_ms = bucket->latency[AB_DES_ALL].p50_ms;
  pt->p95_ms = bucket->latency[AB_DES_ALL].p95_ms;
  pt->p99_ms = bucket->latency[AB_DES_ALL].p99_ms;
  pt->cost_per_hour = cost->per_hour;
  pt->n_stations = bucket->n_stations;
  pt->instances = g_new0 (double, MAX (pt->n_stations, 1));
  pt->cost_per_hour_by = g_new0 (double, MAX (pt->n_stations, 1));
  for (guint i = 0; i < pt->n_stations; i++)
    {
      pt->instances[i] = bucket->stations[i].instances;
      pt->cost_per_hour_by[i] = cost->items[i].total;
    }
  return pt;
}

GPtrArray *
ab_sim_setup_model_series (const AbSimSetup *setup)
{
  GPtrArray *series = g_ptr_array_new_with_free_func ((GDestroyNotify) ab_sim_point_free);
  double duration = ab_scenario_duration (setup->scenario);
  double bucket = setup->scenario->bucket_s > 0.0 ? setup->scenario->bucket_s : 1.0;

  for (double t = 0.0; t < duration - 1e-9; t += bucket)
    {
      g_autoptr(AbModelResult) res_own = NULL;
      const AbModelResult *res = model_at (setup, t + bucket / 2.0, 0.0, &res_own);
      g_autoptr(AbCost) cost = model_cost (setup, res);
      AbSimPoint *pt = g_new0 (AbSimPoint, 1);

      pt->t_s = t;
      pt->duration_s = bucket;
      pt->phase = ab_scenario_phase_at (setup->scenario, t + bucket / 2.0);
      pt->coverage = 1.0;
      pt->offered_rps = res->offered_rps;
      pt->served_rps = res->served_rps;
      pt->errors_rps = res->offered_rps * res->error_rate;
      pt->p50_ms = res->latency[AB_N_CLASSES].p50_ms;
      pt->p95_ms = res->latency[AB_N_CLASSES].p95_ms;
      pt->p99_ms = res->latency[AB_N_CLASSES].p99_ms;
      pt->cost_per_hour = cost->per_hour;
      pt->n_stations = res->n_stations;
      pt->instances = g_new0 (double, MAX (pt->n_stations, 1));
      pt->cost_per_hour_by = g_new0 (double, MAX (pt->n_stations, 1));
      for (guint i = 0; i < pt->n_stations; i++)
        {
          pt->instances[i] = res->stations[i].instances;
          pt->cost_per_hour_by[i] = cost->items[i].total;
        }
      g_ptr_array_add (series, pt);
    }
  return series;
}

AbSimPoint *
ab_sim_point_copy (const AbSimPoint *point)
{
  AbSimPoint *pt = g_memdup2 (point, sizeof *point);

  pt->instances = g_memdup2 (point->instances, sizeof (double) * MAX (point->n_stations, 1));
  pt->cost_per_hour_by = g_memdup2 (point->cost_per_hour_by, sizeof (double) * MAX (point->n_stations, 1));
  return pt;
}

void
ab_sim_point_free (AbSimPoint *point)
{
  if (point == NULL)
    return;
  g_free (point->instances);
  g_free (point->cost_per_hour_by);
  g_free (point);
}
