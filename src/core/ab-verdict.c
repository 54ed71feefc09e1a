/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The verdict on a design: tiers, connection, performance checks, solved. */
#define G_LOG_DOMAIN "archboard-verdict"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "ab-availability.h"
#include "ab-types.h"
#include "ab-verdict.h"

void
ab_verdict_options_init (AbVerdictOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->method = AB_VERDICT_MODEL;
  options->read_rps = -1.0;
  options->write_rps = -1.0;
}

static void
unreached_free (AbUnreached *u)
{
  g_free (u->component);
  g_free (u->reason);
  g_free (u);
}

void
ab_verdict_free (AbVerdict *verdict)
{
  if (verdict == NULL)
    return;
  g_clear_pointer (&verdict->tiers, ab_tiers_report_free);
  g_clear_pointer (&verdict->unreached, g_ptr_array_unref);
  g_clear_pointer (&verdict->overloaded, g_ptr_array_unref);
  g_clear_pointer (&verdict->performance, g_ptr_array_unref);
  g_clear_pointer (&verdict->reasons, g_ptr_array_unref);
  g_free (verdict->not_simulated);
  g_free (verdict);
}

/* ---- reachability ---- */

gboolean *
ab_verdict_reached (const AbNetwork *network)
{
  guint n;
  gboolean *station_reached;
  g_autofree gboolean *seen = NULL;   /* [station * AB_N_CLASSES + class] */
  g_autoptr(GArray) stack = NULL;     /* of int: station * AB_N_CLASSES + class */
  gboolean any_rate;

  g_return_val_if_fail (network != NULL, NULL);

  n = network->n_stations;
  station_reached = g_new0 (gboolean, MAX (n, 1));
  seen = g_new0 (gboolean, MAX (n, 1) * AB_N_CLASSES);
  stack = g_array_new (FALSE, FALSE, sizeof (int));
  /* a class with no rate sends nothing, unless no class has one (then the
   * question is whether anything could reach a component at all) */
  any_rate = network->rate[AB_CLASS_READ] > 0.0 || network->rate[AB_CLASS_WRITE] > 0.0;

#define PUSH(s, k) G_STMT_START {                                  \
    int node_ = (s) * AB_N_CLASSES + (k);                          \
    if (!seen[node_]) { seen[node_] = TRUE; g_array_append_val (stack, node_); } \
  } G_STMT_END

  for (int k = 0; k < AB_N_CLASSES; k++)
    {
      if (any_rate && !(network->rate[k] > 0.0))
        continue;
      for (guint e = 0; e < network->entries[k].n; e++)
        if (network->entries[k].shares[e] > 0.0)
          PUSH (network->entries[k].stations[e], k);
    }
  /* a station generating its own work (a scheduled worker) is a source */
  for (guint s = 0; s < n; s++)
    for (int k = 0; k < AB_N_CLASSES; k++)
      if (network->stations[s].self_rate[k] > 0.0)
        PUSH ((int) s, k);

  while (stack->len > 0)
    {
      int node = g_array_index (stack, int, stack->len - 1);
      int s = node / AB_N_CLASSES;
      AbReqClass k = node % AB_N_CLASSES;
      const AbCallList *list = &network->calls[node];

      g_array_set_size (stack, stack->len - 1);
      station_reached[s] = TRUE;
      /* the standby a station fails over to serves its traffic then */
      if (network->stations[s].failover_to >= 0)
        PUSH (network->stations[s].failover_to, k);
      if (!(ab_network_station_onward (network, s, k) > 0.0))
        continue;
      for (guint c = 0; c < list->n_calls; c++)
        if (ab_network_call_probability (network, list, c, k) > 0.0)
          PUSH (list->calls[c].callee, list->calls[c].as_class);
    }
#undef PUSH
  return station_reached;
}

/* a station that passes requests on without doing their work */
static gboolean
kind_passes_on (AbKind kind)
{
  return kind == AB_KIND_CLIENT || kind == AB_KIND_LB;
}

void
ab_verdict_ends_at_once (const AbNetwork *network,
                         gboolean         ends[AB_N_CLASSES + 1])
{
  guint n;
  g_autofree gboolean *seen = NULL;   /* [station * AB_N_CLASSES + class] */
  g_autoptr(GArray) stack = NULL;
  gboolean any_rate;

  g_return_if_fail (network != NULL && ends != NULL);

  n = network->n_stations;
  seen = g_new0 (gboolean, MAX (n, 1) * AB_N_CLASSES);
  stack = g_array_new (FALSE, FALSE, sizeof (int));
  any_rate = network->rate[AB_CLASS_READ] > 0.0 || network->rate[AB_CLASS_WRITE] > 0.0;
  ends[AB_N_CLASSES] = FALSE;
  for (int k = 0; k < AB_N_CLASSES; k++)
    {
      gboolean works = FALSE;

      memset (seen, 0, sizeof (gboolean) * MAX (n, 1) * AB_N_CLASSES);
      g_array_set_size (stack, 0);
      for (guint e = 0; e < network->entries[k].n; e++)
        {
          int node = network->entries[k].stations[e] * AB_N_CLASSES + k;

          if (network->entries[k].shares[e] > 0.0 && !seen[node])
            {
              seen[node] = TRUE;
              g_array_append_val (stack, node);
            }
        }
      while (stack->len > 0 && !works)
        {
          int node = g_array_index (stack, int, stack->len - 1);
          int s = node / AB_N_CLASSES;
          AbReqClass kk = node % AB_N_CLASSES;
          const AbCallList *list = &network->calls[node];

          g_array_set_size (stack, stack->len - 1);
          if (!kind_passes_on (network->stations[s].kind))
            {
              works = TRUE;
              break;
            }
          if (!(ab_network_station_onward (network, s, kk) > 0.0))
            continue;
          for (guint c = 0; c < list->n_calls; c++)
            {
              int next = list->calls[c].callee * AB_N_CLASSES + list->calls[c].as_class;

              /* background work is not what the request waits for */
              if (list->calls[c].async || seen[next]
                  || !(ab_network_call_probability (network, list, c, kk) > 0.0))
                continue;
              seen[next] = TRUE;
              g_array_append_val (stack, next);
            }
        }
      ends[k] = !works;
      if (ends[k] && (!any_rate || network->rate[k] > 0.0))
        ends[AB_N_CLASSES] = TRUE;
    }
}

gboolean
ab_verdict_all_end_at_once (const AbNetwork *network)
{
  gboolean ends[AB_N_CLASSES + 1], offered = FALSE;

  g_return_val_if_fail (network != NULL, FALSE);

  ab_verdict_ends_at_once (network, ends);
  for (int k = 0; k < AB_N_CLASSES; k++)
    if (network->rate[k] > 0.0)
      {
        if (!ends[k])
          return FALSE;
        offered = TRUE;
      }
  return offered;
}

/* ---- quantiles ---- */

double
ab_verdict_model_quantile (const AbModelResult *result,
                           int                  klass,
                           double               q)
{
  double lo = 0.0, hi = 1.0;

  g_return_val_if_fail (result != NULL, NAN);

  while (ab_model_latency_cdf (result, klass, hi) < q && hi < 1e9)
    hi *= 2.0;
  for (int i = 0; i < 60; i++)
    {
      double mid = (lo + hi) / 2.0;
      if (ab_model_latency_cdf (result, klass, mid) < q)
        lo = mid;
      else
        hi = mid;
    }
  return (lo + hi) / 2.0;
}

static double
model_quantile_func (gpointer  data,
                     int       klass,
                     double    q,
                     double   *ci_low,
                     double   *ci_high)
{
  *ci_low = NAN;
  *ci_high = NAN;
  return ab_verdict_model_quantile (data, klass, q);
}

typedef struct {
  const AbDesPhaseResult *phase;
  const AbDesResult      *result;
} DesQuantile;

static double
estimate (const AbEstimate *e,
          double           *ci_low,
          double           *ci_high)
{
  if (e->ci > 0.0 && isfinite (e->ci))
    {
      *ci_low = e->value - e->ci;
      *ci_high = e->value + e->ci;
    }
  return e->value;
}

static double
des_quantile_func (gpointer  data,
                   int       klass,
                   double    q,
                   double   *ci_low,
                   double   *ci_high)
{
  DesQuantile *d = data;
  const AbLatencyStats *l = &d->phase->latency[klass];

  *ci_low = NAN;
  *ci_high = NAN;
  if (fabs (q - 0.50) < 1e-9)
    return estimate (&l->p50_ms, ci_low, ci_high);
  if (fabs (q - 0.95) < 1e-9)
    return estimate (&l->p95_ms, ci_low, ci_high);
  if (fabs (q - 0.99) < 1e-9)
    return estimate (&l->p99_ms, ci_low, ci_high);
  /* other percentiles: every reported phase together, no interval */
  if (d->result->histograms[klass] != NULL)
    return ab_histogram_quantile (d->result->histograms[klass], q);
  return NAN;
}

/* ---- checks ---- */

/* The model of one network at the multipliers a verdict needs (the
 * normal phase, the peak), each evaluated once, in one context: the
 * overload test and the normal phase's checks share the normal phase's
 * evaluation, and a peak multiplier of 1 shares it too. */
#define MODEL_SET_SIZE 8

typedef struct {
  const AbNetwork *network;
  AbModelContext  *context;
  guint            n;
  double           multiplier[MODEL_SET_SIZE];
  AbModelResult   *result[MODEL_SET_SIZE];
  guint            evaluations;
} ModelSet;

static void
model_set_init (ModelSet        *set,
                const AbNetwork *network)
{
  memset (set, 0, sizeof *set);
  set->network = network;
}

static void
model_set_clear (ModelSet *set)
{
  for (guint i = 0; i < set->n; i++)
    g_clear_pointer (&set->result[i], ab_model_result_free);
  g_clear_pointer (&set->context, ab_model_context_free);
  set->n = 0;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ModelSet, model_set_clear)

/* The model at @multiplier, autoscaling at its steady state; the result
 * belongs to @set. */
static const AbModelResult *
model_at (ModelSet *set,
          double    multiplier)
{
  AbModelInput input = { 0 };

  for (guint i = 0; i < set->n; i++)
    if (set->multiplier[i] == multiplier)
      return set->result[i];
  g_assert (set->n < MODEL_SET_SIZE);
  if (set->context == NULL)
    set->context = ab_model_context_new ();
  input.multiplier = multiplier;
  input.autoscale = TRUE;
  set->multiplier[set->n] = multiplier;
  set->result[set->n] = ab_model_evaluate_in (set->context, set->network, &input);
  set->evaluations++;
  return set->result[set->n++];
}

static const AbModelResult *
model_set_at (gpointer data,
              double   t_s,
              double   multiplier)
{
  (void) t_s;
  return model_at (data, multiplier);
}

/* The model at the peak of the default timeline: with the backlog that a
 * queue without a limit has built by the middle of the peak phase (the
 * phase's mean lag, as the summary states it); owned by @set when there
 * is none, else *@owned. */
static const AbModelResult *
model_at_peak (ModelSet       *set,
               double          multiplier,
               AbModelResult **owned)
{
  const AbModelResult *plain = model_at (set, multiplier);
  g_autoptr(AbScenario) sc = NULL;
  g_autofree double *backlog = NULL;
  g_autofree AbModelWaits *waits = NULL;
  AbModelInput input = { 0 };
  double mid, start, span = 0.0;
  gboolean open = FALSE;

  *owned = NULL;
  for (guint x = 0; x < plain->n_stations && !open; x++)
    open = plain->stations[x].backlog > 0.0;
  if (!open)
    return plain;
  sc = ab_scenario_new_default_timeline (multiplier, NULL);
  mid = 0.0;
  for (guint i = 0; i < sc->phases->len; i++)
    {
      const AbPhase *ph = &g_array_index (sc->phases, AbPhase, i);

      if (g_str_equal (ph->name, "peak"))
        {
          mid += ph->duration_s / 2.0;
          span = ph->duration_s;
          break;
        }
      mid += ph->duration_s;
    }
  backlog = g_new0 (double, MAX (plain->n_stations, 1));
  ab_model_backlog_at (sc, mid, model_set_at, set, plain->n_stations, backlog);
  /* the waits of those the peak answers, first in first out behind the
   * backlog, as the summary's peak phase counts them */
  start = mid - span / 2.0;
  waits = g_new0 (AbModelWaits, MAX (plain->n_stations, 1));
  if (span > 0.0
      && ab_model_backlog_waits (sc, start, start + span, model_set_at, set, plain->n_stations, waits))
    input.waits = waits;
  input.span_s = span;
  input.multiplier = multiplier;
  input.autoscale = TRUE;
  input.backlog = backlog;
  *owned = ab_model_evaluate_in (set->context, set->network, &input);
  set->evaluations++;
  return *owned;
}

static const AbPricing *
default_pricing (void)
{
  static AbPricing *pricing;

  if (g_once_init_enter (&pricing))
    {
      g_autoptr(GError) error = NULL;
      AbPricing *p = ab_pricing_get_named (AB_PRICING_DEFAULT, &error);

      if (p == NULL)
        g_error ("the default pricing profile does not load: %s", error->message);
      g_once_init_leave (&pricing, p);
    }
  return pricing;
}

/* What the checks compare of a model result: offered and served per
 * class (served: what does not fail). */
static void
model_phase_input (AbCheckPhaseInput   *in,
                   const AbModelResult *result,
                   double               cost_per_month)
{
  in->present = TRUE;
  in->quantile = model_quantile_func;
  in->quantile_data = (gpointer) result;
  for (int k = 0; k < AB_N_CLASSES; k++)
    {
      in->offered_rps[k] = result->class_offered_rps[k];
      in->served_rps[k] = result->class_served_rps[k];
    }
  in->offered_rps[AB_N_CLASSES] = result->offered_rps;
  in->served_rps[AB_N_CLASSES] = result->served_rps;
  in->cost_per_month = cost_per_month;
  in->background = result->background_rps > 0.0;
  in->lag_ms = result->lag_slowest_ms;
  in->lag_ci_low = NAN;
  in->lag_ci_high = NAN;
  in->lag_growth = result->lag_slowest_growth;
  in->background_error_rate = result->background_error_rate;
  for (int k = 0; k <= AB_N_CLASSES; k++)
    in->error_ci_low[k] = in->error_ci_high[k] = NAN;
}

static GPtrArray *
checks_model (const AbProblem  *problem,
              ModelSet         *models,
              const AbWorkload *workload,
              const AbPricing  *pricing)
{
  const AbNetwork *network = models->network;
  const AbModelResult *normal, *peak;
  g_autoptr(AbCost) normal_cost = NULL;
  g_autoptr(AbCost) peak_cost = NULL;
  AbCheckInput in = { 0 };
  g_autoptr(AbModelResult) peak_own = NULL;

  if (pricing == NULL)
    pricing = default_pricing ();
  normal = model_at (models, 1.0);
  peak = model_at_peak (models, workload->peak_multiplier > 0.0 ? workload->peak_multiplier : 1.0, &peak_own);
  normal_cost = ab_cost_for_model (pricing, network, normal, workload->dataset_bytes);
  peak_cost = ab_cost_for_model (pricing, network, peak, workload->dataset_bytes);
  model_phase_input (&in.phases[AB_CHECK_PHASE_NORMAL], normal, normal_cost->per_month);
  model_phase_input (&in.phases[AB_CHECK_PHASE_PEAK], peak, peak_cost->per_month);
  in.availability = ab_availability_estimate (network, NULL);
  ab_verdict_ends_at_once (network, in.ends_at_once);
  return ab_checks_evaluate (problem, &in);
}

GPtrArray *
ab_verdict_checks_model (const AbProblem  *problem,
                         const AbNetwork  *network,
                         const AbWorkload *workload,
                         const AbPricing  *pricing)
{
  ModelSet models;
  GPtrArray *checks;

  g_return_val_if_fail (problem != NULL && network != NULL && workload != NULL, NULL);

  model_set_init (&models, network);
  checks = checks_model (problem, &models, workload, pricing);
  model_set_clear (&models);
  return checks;
}

static int
find_phase (const AbDesResult *des,
            const char        *name)
{
  for (guint i = 0; i < des->n_phases; i++)
    if (g_strcmp0 (des->phases[i].name, name) == 0)
      return (int) i;
  return -1;
}

/* What the checks compare of a DES phase: offered, the phase's
 * configured rate of each class (what the model is given); served, the
 * share of that class's simulated requests that succeeded (1 - its error
 * rate) of it.  The counts per second of a short or windowed run carry
 * the Poisson noise of the arrivals, which is not the design's doing.  A
 * class with no simulated request (a trickle of 0.01 writes/s) takes the
 * phase's error rate. */
static void
des_phase_input (AbCheckPhaseInput      *in,
                 const AbDesPhaseResult *ph,
                 const AbModelResult    *mix,
                 double                  cost_per_month)
{
  double phase_errors = isfinite (ph->error_rate) ? ph->error_rate : 1.0;
  double answered = 1.0;

  /* behind a backlog without a limit (the model says so) requests wait
   * rather than fail: what the run answered in the phase, against what
   * did not fail */
  if (mix->served_rps < mix->offered_rps * (1.0 - mix->error_rate) * (1.0 - 1e-9)
      && ph->offered_rps > 0.0 && phase_errors < 1.0)
    answered = CLAMP (ph->served_rps / (ph->offered_rps * (1.0 - phase_errors)), 0.0, 1.0);
  in->present = TRUE;
  in->quantile = des_quantile_func;
  in->offered_rps[AB_N_CLASSES] = 0.0;
  in->served_rps[AB_N_CLASSES] = 0.0;
  for (int k = 0; k < AB_N_CLASSES; k++)
    {
      double errors = ph->class_requests[k] > 0
                      ? (double) ph->class_errors[k] / (double) ph->class_requests[k] : phase_errors;

      in->offered_rps[k] = mix->class_offered_rps[k];
      in->served_rps[k] = mix->class_offered_rps[k] * (1.0 - CLAMP (errors, 0.0, 1.0)) * answered;
      in->offered_rps[AB_N_CLASSES] += in->offered_rps[k];
      in->served_rps[AB_N_CLASSES] += in->served_rps[k];
    }
  /* the error rates' intervals: a rate check whose bound lies inside the
   * served rate's interval is too close to call */
  for (int k = 0; k <= AB_N_CLASSES; k++)
    {
      in->error_ci_low[k] = ph->error_rate_ci[k].ci_low;
      in->error_ci_high[k] = ph->error_rate_ci[k].ci_high;
    }
  in->cost_per_month = cost_per_month;
  /* background work: the mean lag at its slowest end over the
   * replications, with its interval (a phase whose every background stage
   * failed has no lag sample, and its error rate says why); a trickle the
   * run did not sample takes the model's figures */
  in->lag_ci_low = NAN;
  in->lag_ci_high = NAN;
  if (ph->async_requests > 0)
    {
      const AbEstimate *lag = &ph->lag_slowest_ms;

      in->background = TRUE;
      in->lag_ms = ph->lag_slowest_station >= 0 ? lag->value : NAN;
      /* the interval as the DES states it (its low end at least 0; its
       * high end unbounded where the run could not estimate it) */
      if (ph->lag_slowest_station >= 0 && lag->ci > 0.0)
        {
          in->lag_ci_low = lag->ci_low;
          in->lag_ci_high = lag->ci_high;
        }
      in->background_error_rate = ph->background_error_rate;
      /* the model says whether it grows without bound, the run by how
       * much */
      in->lag_growth = mix->lag_slowest_growth > 0.0
                       ? (isfinite (ph->lag_slowest_growth) && ph->lag_slowest_growth > 0.0
                          ? ph->lag_slowest_growth : mix->lag_slowest_growth)
                       : 0.0;
    }
  else
    {
      in->background = mix->background_rps > 0.0;
      in->lag_ms = mix->lag_slowest_ms;
      in->lag_growth = mix->lag_slowest_growth;
      in->background_error_rate = mix->background_error_rate;
    }
}

static GPtrArray *
checks_des (const AbProblem    *problem,
            ModelSet           *models,
            const AbWorkload   *workload,
            const AbPricing    *pricing,
            const AbScenario   *scenario,
            const AbDesResult  *des)
{
  static const char *const names[AB_CHECK_N_PHASES] = { "normal", "peak" };
  const AbNetwork *network = models->network;
  AbCheckInput in = { 0 };
  DesQuantile q[AB_CHECK_N_PHASES];
  const AbModelResult *mix[AB_CHECK_N_PHASES] = { NULL, NULL };

  if (pricing == NULL)
    pricing = default_pricing ();
  for (int p = 0; p < AB_CHECK_N_PHASES; p++)
    {
      int index = find_phase (des, names[p]);
      const AbDesPhaseResult *ph;
      g_autoptr(AbCost) cost = NULL;

      if (index < 0)
        continue;
      ph = &des->phases[index];
      if ((guint) index < scenario->phases->len)
        {
          const AbPhase *sp = &g_array_index (scenario->phases, AbPhase, index);
          mix[p] = model_at (models, (sp->mult_start + sp->mult_end) / 2.0);
        }
      else
        mix[p] = model_at (models, 1.0);
      /* simulated in part, and none of its requests finished there
       * (they take longer than the windows the budget paid for): no
       * figure to judge, not a latency of 0 */
      if (ph->requests == 0 && ph->offered_rps > 0.0 && ph->simulated_s > 0.0)
        {
          in.phases[p].unfinished = TRUE;
          continue;
        }
      cost = ab_cost_for_des (pricing, network, ph->stations, mix[p], workload->dataset_bytes);
      q[p] = (DesQuantile) { ph, des };
      des_phase_input (&in.phases[p], ph, mix[p], cost->per_month);
      in.phases[p].quantile_data = &q[p];
    }
  in.availability = ab_availability_estimate (network, NULL);
  ab_verdict_ends_at_once (network, in.ends_at_once);
  return ab_checks_evaluate (problem, &in);
}

GPtrArray *
ab_verdict_checks_des (const AbProblem    *problem,
                       const AbNetwork    *network,
                       const AbWorkload   *workload,
                       const AbPricing    *pricing,
                       const AbScenario   *scenario,
                       const AbDesResult  *des)
{
  ModelSet models;
  GPtrArray *checks;

  g_return_val_if_fail (problem != NULL && network != NULL && workload != NULL, NULL);
  g_return_val_if_fail (scenario != NULL && des != NULL, NULL);

  model_set_init (&models, network);
  checks = checks_des (problem, &models, workload, pricing, scenario, des);
  model_set_clear (&models);
  return checks;
}

/* ---- the verdict ---- */

static const char *
component_name (AbDesign   *design,
                const char *id)
{
  const AbComponent *comp = ab_design_find_component (design, id);

  return comp != NULL && comp->label != NULL && *comp->label != '\0' ? comp->label : id;
}

/* Components offered more than they can do in the normal phase. */
static void
find_overloaded (AbVerdict       *v,
                 AbDesign        *design,
                 ModelSet        *models)
{
  const AbNetwork *network = models->network;
  const AbModelResult *normal = model_at (models, 1.0);

  for (guint i = 0; i < normal->n_stations && i < network->n_stations; i++)
    {
      const AbStationResult *st = &normal->stations[i];
      AbUnreached *u;

      if (!(st->offered_utilization >= 1.0))
        continue;
      u = g_new0 (AbUnreached, 1);
      u->component = g_strdup (network->stations[i].id);
      if (st->offered_utilization >= 1.995)
        /* TRANSLATORS: "offered 104 times what its 4 instances can do in
         * the normal phase" */
        u->reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "offered %.0f times what its %d instance can do in the normal phase",
                                                  "offered %.0f times what its %d instances can do in the normal phase",
                                                  st->instances),
                                     st->offered_utilization, st->instances);
      else
        /* TRANSLATORS: "offered 130 % of what its 4 instances can do in
         * the normal phase" */
        u->reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "offered %.0f %% of what its %d instance can do in the normal phase",
                                                  "offered %.0f %% of what its %d instances can do in the normal phase",
                                                  st->instances),
                                     100.0 * MAX (st->offered_utilization, 1.0), st->instances);
      g_ptr_array_add (v->overloaded, u);
      /* TRANSLATORS: "US Raft Followers cannot keep up: offered 104 times
       * what its 4 instances can do in the normal phase" */
      g_ptr_array_add (v->reasons, g_strdup_printf (_("%s cannot keep up: %s"),
                                                    component_name (design, u->component), u->reason));
    }
  v->keeps_up = v->overloaded->len == 0;
}

/* The verdict's reason for the checks not judged because requests end
 * at once. */
static char *
ends_at_once_reason (const AbNetwork *network)
{
  gboolean ends[AB_N_CLASSES + 1];

  ab_verdict_ends_at_once (network, ends);
  if (ends[AB_CLASS_READ] && !ends[AB_CLASS_WRITE])
    return g_strdup (_("the reads end at once, at the client or a load balancer: no component does their work"));
  if (ends[AB_CLASS_WRITE] && !ends[AB_CLASS_READ])
    return g_strdup (_("the writes end at once, at the client or a load balancer: no component does their work"));
  return g_strdup (_("the requests end at once, at the client or a load balancer: no component does their work"));
}

AbVerdict *
ab_verdict_compute (const AbProblem        *problem,
                    AbDesign               *design,
                    const AbVerdictOptions *options,
                    GError                **error)
{
  g_autoptr(AbVerdict) v = NULL;
  g_autoptr(AbRoute) route = NULL;
  g_autoptr(GError) route_error = NULL;
  AbVerdictOptions defaults;
  AbWorkload workload;
  g_autofree char *ends_reason = NULL;

  g_return_val_if_fail (problem != NULL, NULL);
  g_return_val_if_fail (AB_IS_DESIGN (design), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (options == NULL)
    {
      ab_verdict_options_init (&defaults);
      options = &defaults;
    }

  v = g_new0 (AbVerdict, 1);
  v->unreached = g_ptr_array_new_with_free_func ((GDestroyNotify) unreached_free);
  v->overloaded = g_ptr_array_new_with_free_func ((GDestroyNotify) unreached_free);
  v->reasons = g_ptr_array_new_with_free_func (g_free);
  v->tiers = ab_tiers_evaluate (problem, design);
  v->tiers_pass = v->tiers->n_passed == v->tiers->n_tiers;
  for (guint t = 0; t < v->tiers->n_tiers; t++)
    if (!v->tiers->tiers[t].pass)
      /* TRANSLATORS: "tier T2: Replicas fails" */
      g_ptr_array_add (v->reasons, g_strdup_printf (_("tier %s fails"), v->tiers->tiers[t].tier->name));

  ab_workload_init (&workload, problem, options->read_rps, options->write_rps);
  if (options->peak_multiplier > 0.0)
    workload.peak_multiplier = options->peak_multiplier;
  route = ab_route_build (design, &workload, &route_error);
  if (route == NULL)
    {
      guint n = ab_design_get_n_components (design);

      v->simulated = FALSE;
      v->performance = g_ptr_array_new_with_free_func ((GDestroyNotify) ab_check_free);
      if (g_error_matches (route_error, AB_ERROR, AB_ERROR_INVALID))
        {
          /* no client: nothing is reached */
          v->not_simulated = g_strdup (_("the design has no client, so nothing sends it traffic"));
          for (guint i = 0; i < n; i++)
            {
              AbUnreached *u = g_new0 (AbUnreached, 1);

              u->component = g_strdup (ab_design_get_component (design, i)->id);
              u->reason = g_strdup (_("no client reaches it"));
              g_ptr_array_add (v->unreached, u);
            }
        }
      else
        /* TRANSLATORS: the argument says which components call each other in a loop */
        v->not_simulated = g_strdup_printf (_("the design cannot be simulated: %s"), route_error->message);
      v->connected = n > 0 && v->unreached->len == 0;
      g_ptr_array_add (v->reasons, g_strdup (v->not_simulated));
    }
  else
    {
      const AbNetwork *network = ab_route_get_network (route);
      g_autofree gboolean *reached = ab_verdict_reached (network);
      g_auto(ModelSet) models = { 0 };

      for (guint i = 0; i < network->n_stations; i++)
        if (!reached[i])
          {
            AbUnreached *u = g_new0 (AbUnreached, 1);

            u->component = g_strdup (network->stations[i].id);
            u->reason = g_strdup (_("no client reaches it"));
            g_ptr_array_add (v->unreached, u);
          }
      v->connected = v->unreached->len == 0;
      for (guint i = 0; i < v->unreached->len; i++)
        {
          const AbUnreached *u = g_ptr_array_index (v->unreached, i);

          /* TRANSLATORS: "Cache: no client reaches it" */
          g_ptr_array_add (v->reasons, g_strdup_printf (_("%s: %s"), component_name (design, u->component),
                                                        u->reason));
        }
      model_set_init (&models, network);
      find_overloaded (v, design, &models);

      v->simulated = TRUE;
      if (options->method == AB_VERDICT_DES)
        {
          g_autoptr(AbScenario) scenario = ab_scenario_new_peak (workload.peak_multiplier);
          g_autoptr(AbDesResult) des = NULL;
          AbDesConfig config;

          ab_des_config_init (&config);
          config.sample_budget = options->budget;
          config.cancellable = options->cancellable;
          if (options->seed != 0)
            scenario->seed = options->seed;
          des = ab_des_run (network, scenario, &config, error);
          if (des == NULL)
            return NULL;
          v->performance = checks_des (problem, &models, &workload, options->pricing, scenario, des);
        }
      else
        v->performance = checks_model (problem, &models, &workload, options->pricing);
      v->model_evaluations = models.evaluations;
    }

  v->performance_pass = v->simulated;
  for (guint i = 0; i < v->performance->len; i++)
    {
      const AbCheck *c = g_ptr_array_index (v->performance, i);

      /* requests that end at once: one reason for all their checks */
      if (c->ends_at_once)
        {
          v->performance_pass = FALSE;
          if (ends_reason == NULL)
            ends_reason = ends_at_once_reason (ab_route_get_network (route));
          continue;
        }

      /* a target the problem records as unmeetable with the catalog's
       * figures still reads "fail" with its reason, but does not keep the
       * problem from being solved */
      if (c->verdict != AB_CHECK_PASS && c->unmeetable == NULL)
        {
          v->performance_pass = FALSE;
          g_ptr_array_add (v->reasons, g_strdup (c->sentence));
        }
    }
  if (ends_reason != NULL)
    g_ptr_array_add (v->reasons, g_steal_pointer (&ends_reason));
  v->solved = v->tiers_pass && v->connected && v->keeps_up && v->performance_pass;
  return g_steal_pointer (&v);
}

char *
ab_verdict_to_string (const AbVerdict *verdict)
{
  GString *s;

  g_return_val_if_fail (verdict != NULL, NULL);

  if (verdict->solved)
    return g_strdup (_("Solved"));
  s = g_string_new (_("Not solved yet: "));
  for (guint i = 0; i < verdict->reasons->len; i++)
    {
      if (i > 0)
        g_string_append (s, "; ");
      g_string_append (s, g_ptr_array_index (verdict->reasons, i));
    }
  return g_string_free (s, FALSE);
}
