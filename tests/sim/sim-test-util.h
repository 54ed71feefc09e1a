/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the simulation tests: reference designs built in
 * process the way `archboard-cli reference` builds them, and the
 * comparison of the analytical model with the DES in one phase (the
 * latency percentiles per class, within a tolerance plus the DES's own
 * confidence interval). */
#pragma once

#include <math.h>
#include <string.h>

#include "ab-des.h"
#include "ab-model.h"
#include "ab-reference.h"
#include "ab-sim-api.h"
#include "ab-sim-summary.h"
#include "ab-sim-summary-private.h"

static inline AbDesign *
sim_reference_design (const AbProblem *problem)
{
  g_autoptr(GError) error = NULL;
  AbDesign *design = ab_reference_build_design (problem, &error);

  g_assert_no_error (error);
  return design;
}

/* The default DES run (windowed) of problem @id's reference solution
 * over the timeline at @seed, as the window and `archboard-cli simulate
 * --scenario timeline --seed` make it; its setup in @setup_out. */
static inline AbDesResult *
sim_reference_timeline_des (const char  *id,
                            guint64      seed,
                            AbSimSetup **setup_out)
{
  AbProblem *problem = ab_problem_set_lookup (ab_problem_set_get_default (), id);
  g_autoptr(AbDesign) design = NULL;
  g_autoptr(GError) error = NULL;
  AbSimOptions options;
  AbDesResult *r;

  g_assert_nonnull (problem);
  design = sim_reference_design (problem);
  ab_sim_options_init (&options);
  options.scenario = AB_SIM_SCENARIO_TIMELINE;
  options.seed = (gint64) seed;
  *setup_out = ab_sim_setup_new (design, problem, &options, &error);
  g_assert_no_error (error);
  r = ab_sim_setup_run_des (*setup_out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (r->windowed);
  return r;
}

/* The DES's default sample budget in the comparisons; a design that
 * samples too few whole requests with it gets up to 16 times more. */
#define SIM_BUDGET 1000000

/* The DES's own confidence interval is added to the tolerance, so fewer
 * samples widen it honestly; below this a P95 says too little. */
#define SIM_MIN_SAMPLES 1000

static inline AbDesResult *
sim_run_des (const AbNetwork  *net,
             const AbScenario *scenario,
             guint64           budget)
{
  g_autoptr(GError) error = NULL;
  AbDesConfig config;
  AbDesResult *res;

  ab_des_config_init (&config);
  config.sample_budget = budget;
  res = ab_des_run (net, scenario, &config, &error);
  g_assert_no_error (error);
  g_assert_nonnull (res);
  return res;
}

/* sim_run_des, and the budget ran the whole scenario */
static inline AbDesResult *
sim_run_des_untruncated (const AbNetwork  *net,
                         const AbScenario *scenario,
                         guint64           budget)
{
  AbDesResult *res = sim_run_des (net, scenario, budget);

  g_assert_false (res->truncated);
  return res;
}

/* Does the workload send enough of class @k (AB_N_CLASSES: all) in a
 * phase of @duration_s to sample it?  (ml-model-registry's writes are
 * 0.01 per second.)  The DES samples the classes in proportion to their
 * rates, so a class under 1 % of the traffic gets too few samples at any
 * budget (analytics-warehouse's 100 queries/s beside 1M events/s). */
static inline gboolean
sim_samplable (const AbNetwork *net,
               int              k,
               double           duration_s)
{
  double total = net->rate[AB_CLASS_READ] + net->rate[AB_CLASS_WRITE];

  return k == AB_N_CLASSES
         || (net->rate[k] * duration_s >= 4 * SIM_MIN_SAMPLES && net->rate[k] >= 0.01 * total);
}

/* The index of the phase called @name in @res. */
static inline guint
sim_phase_index (const AbDesResult *res,
                 const char        *name)
{
  for (guint i = 0; i < res->n_phases; i++)
    if (g_strcmp0 (res->phases[i].name, name) == 0)
      return i;
  g_assert_not_reached ();
}

/* A phase of a DES run to sample: at least SIM_MIN_SAMPLES completed
 * requests of every class in @wanted (indexed by class, AB_N_CLASSES + 1
 * entries; NULL: every samplable class). */
typedef struct {
  const char     *phase;
  const gboolean *wanted;
} SimSampleNeed;

/* Runs the DES of @net under @scenario until every phase of @needs is
 * sampled enough, from SIM_BUDGET up to 16 times it: a design of many
 * instances samples few whole requests per visit and gets a larger
 * budget rather than a comparison on noise.  Says how much it simulated
 * and how long it took. */
static inline AbDesResult *
sim_run_des_sampled (const char          *id,
                     const AbNetwork     *net,
                     const AbScenario    *scenario,
                     const SimSampleNeed *needs,
                     guint                n_needs)
{
  AbDesResult *des = NULL;
  gint64 t0 = g_get_monotonic_time ();

  for (guint64 budget = SIM_BUDGET; budget <= 16 * (guint64) SIM_BUDGET; budget *= (budget == SIM_BUDGET ? 4 : 2))
    {
      gboolean enough = TRUE;

      g_clear_pointer (&des, ab_des_result_free);
      des = sim_run_des (net, scenario, budget);
      for (guint i = 0; i < n_needs; i++)
        {
          const AbDesPhaseResult *p = &des->phases[sim_phase_index (des, needs[i].phase)];

          for (int k = 0; k <= AB_N_CLASSES; k++)
            if ((needs[i].wanted != NULL ? needs[i].wanted[k] : sim_samplable (net, k, p->duration_s))
                && p->latency[k].count < SIM_MIN_SAMPLES)
              enough = FALSE;
        }
      if (enough)
        break;
    }
  for (guint i = 0; i < n_needs; i++)
    {
      const AbDesPhaseResult *p = &des->phases[sim_phase_index (des, needs[i].phase)];

      g_test_message ("%-28s %-8s DES: %" G_GUINT64_FORMAT " requests, %.2f of %g s simulated, %u windows, %.0f ms",
                      id, needs[i].phase, (guint64) p->requests, p->simulated_s, p->duration_s, p->windows,
                      (g_get_monotonic_time () - t0) / 1000.0);
    }
  return des;
}

/* Compares one figure.  @ci: half-width of the DES estimate's 95 %
 * confidence interval, added to the tolerance (a P95 from ~2,000 samples
 * is itself only known to ~4 %).  Returns whether they agree; a
 * disagreement is appended to @failures when that is not NULL. */
static inline gboolean
sim_compare (const char *id,
             const char *what,
             double      model,
             double      des,
             double      ci,
             double      tolerance,
             GString    *failures)
{
  double rel = fabs (model - des) / MAX (des, 1e-9);

  tolerance += ci / MAX (des, 1e-9);

  g_test_message ("%-28s %-16s model %9.3f  des %9.3f  +/- %6.3f (%+.1f %%)", id, what, model, des, ci,
                  100.0 * (model - des) / MAX (des, 1e-9));
  if (rel <= tolerance)
    return TRUE;
  if (failures != NULL)
    g_string_append_printf (failures, "%s %s: model %.3f ms, DES %.3f ms +/- %.3f (%.1f %%, allowed %.1f %%)\n",
                            id, what, model, des, ci, 100.0 * rel, 100.0 * tolerance);
  return FALSE;
}

static const char *const sim_class_names[] = { "read", "write", "all" };

/* P50 / P95 of every class in @wanted (NULL: every samplable one) of DES
 * phase @d against the model's @p50 / @p95 (ms, per class as
 * AbModelResult.latency), within @tolerance plus the DES's own
 * confidence interval; a class compared must have been sampled enough.
 * Returns the number of figures that disagree. */
static inline guint
sim_compare_latency_figures (const char             *id,
                             const char             *phase,
                             const AbNetwork        *net,
                             const double           *p50,
                             const double           *p95,
                             const AbDesPhaseResult *d,
                             const gboolean         *wanted,
                             double                  tolerance,
                             GString                *failures)
{
  guint disagree = 0;

  for (int k = 0; k <= AB_N_CLASSES; k++)
    {
      const AbLatencyStats *l = &d->latency[k];
      g_autofree char *what50 = g_strdup_printf ("%s %s p50", phase, sim_class_names[k]);
      g_autofree char *what95 = g_strdup_printf ("%s %s p95", phase, sim_class_names[k]);

      /* a class the workload does not send has nothing to compare;
       * one it sends must have been sampled enough */
      if (!(wanted != NULL ? wanted[k] : sim_samplable (net, k, d->duration_s)))
        continue;
      if (l->count < SIM_MIN_SAMPLES)
        {
          if (failures != NULL)
            g_string_append_printf (failures, "%s %s %s: only %" G_GUINT64_FORMAT " samples\n",
                                    id, phase, sim_class_names[k], (guint64) l->count);
          disagree++;
          continue;
        }
      disagree += !sim_compare (id, what50, p50[k], l->p50_ms.value, l->p50_ms.ci, tolerance, failures);
      disagree += !sim_compare (id, what95, p95[k], l->p95_ms.value, l->p95_ms.ci, tolerance, failures);
    }
  return disagree;
}

/* sim_compare_latency_figures with @model's P50 / P95. */
static inline guint
sim_compare_latencies (const char             *id,
                       const char             *phase,
                       const AbNetwork        *net,
                       const AbModelResult    *model,
                       const AbDesPhaseResult *d,
                       const gboolean         *wanted,
                       double                  tolerance,
                       GString                *failures)
{
  double p50[AB_N_CLASSES + 1], p95[AB_N_CLASSES + 1];

  for (int k = 0; k <= AB_N_CLASSES; k++)
    {
      p50[k] = model->latency[k].p50_ms;
      p95[k] = model->latency[k].p95_ms;
    }
  return sim_compare_latency_figures (id, phase, net, p50, p95, d, wanted, tolerance, failures);
}

/* Is the model's phase overloaded: a station at or past its capacity, or
 * requests lost?  Such a phase has no steady state to compare. */
static inline gboolean
sim_model_overloaded (const AbModelResult *model)
{
  for (guint s = 0; s < model->n_stations; s++)
    if (model->stations[s].offered_utilization >= 1.0)
      return TRUE;
  return model->error_rate >= 0.01;
}

/* ---- a phase with a component lost or back: model against DES ----
 *
 * Shared by the comparisons of the failure, recovery and lost-instance
 * phases: the model is read at a time inside a phase of a scenario
 * (ab_model_input_at: what is lost, whether a failover is pending), the
 * DES's phase is compared with it, and real disagreements are listed as
 * exceptions with their reasons. */

/* Tolerances: latency relative (plus the DES's interval); error shares
 * relative plus absolute (plus three binomial standard errors). */
#define SIM_LATENCY_TOLERANCE 0.10
#define SIM_ERROR_TOLERANCE 0.10
#define SIM_ERROR_POINTS 0.005
/* A class's error share is compared when the DES finished this many of
 * its requests in the phase. */
#define SIM_MIN_ERROR_REQUESTS 200
/* The DES's utilisation of a station that is saturated. */
#define SIM_SATURATED 0.95
/* Near saturation a P95 is not a reproducible figure (the wait grows as
 * 1 / (1 - utilisation)): a state whose busiest station runs at
 * SIM_NEAR_SATURATION or more (and below 1) is compared at the load that
 * puts it at SIM_SCALED_UTILISATION instead. */
#define SIM_NEAR_SATURATION 0.95
#define SIM_SCALED_UTILISATION 0.9

/* @problem's reference solution set up for the failure scenario, and in
 * @default_lost the component that scenario loses (the CLI's and the
 * window's choice: the first cache, else the first primary). */
static inline AbSimSetup *
sim_reference_setup (AbProblem   *problem,
                     const char **default_lost)
{
  g_autoptr(AbDesign) design = sim_reference_design (problem);
  g_autoptr(GError) error = NULL;
  AbSimOptions options;
  AbSimSetup *setup;
  const AbScenario *scenario;

  ab_sim_options_init (&options);
  options.scenario = AB_SIM_SCENARIO_FAILURE;
  setup = ab_sim_setup_new (design, problem, &options, &error);
  g_assert_no_error (error);
  scenario = ab_sim_setup_get_scenario (setup);
  *default_lost = NULL;
  for (guint e = 0; e < scenario->events->len; e++)
    {
      const AbScenarioEvent *ev = &g_array_index (scenario->events, AbScenarioEvent, e);

      if (ev->kind == AB_SCENARIO_LOSE_STATION)
        *default_lost = ev->station;
    }
  g_assert_nonnull (*default_lost);
  return setup;
}

/* The network of the backlog tests (docs/simulation.md, "Overload
 * without limits"): client -> "app" (@instances of @c exponential slots
 * of 1 ms, no queue limit, a timeout of @timeout_ms, 0: none) -> "db"
 * (ten times the app's slots, 1 ms, neither): reads at @rate. */
/* No network time on any call of @net: the exact chains and closed
 * forms the tests hold the model to have none. */
static inline void
sim_network_no_hops (AbNetwork *net)
{
  for (guint x = 0; x < net->n_stations; x++)
    for (int k = 0; k < AB_N_CLASSES; k++)
      for (guint j = 0; j < net->calls[x * AB_N_CLASSES + k].n_calls; j++)
        net->calls[x * AB_N_CLASSES + k].calls[j].net_ms = 0.0;
}

static inline AbNetwork *
sim_app_db_network (double rate,
                    int    instances,
                    int    c,
                    double timeout_ms)
{
  static const char *const ids[] = { "client", "app", "db" };
  AbNetwork *net = ab_network_new (3);

  for (int i = 0; i < 3; i++)
    {
      AbStation *st = &net->stations[i];

      st->id = g_strdup (ids[i]);
      st->kind = i == 0 ? AB_KIND_CLIENT : i == 1 ? AB_KIND_APP : AB_KIND_DB_PRIMARY;
      st->instances = i == 1 ? instances : 1;
      st->concurrency = i == 0 ? 1000 : i == 1 ? c : 10 * instances * c;
      st->failover_to = -1;
      st->dist = AB_DIST_EXPONENTIAL;
      st->cv = 1.0;
      st->timeout_ms = i == 1 ? timeout_ms : 0.0;
      for (int k = 0; k < AB_N_CLASSES && i > 0; k++)
        st->service_ms[k] = 1.0;
    }
  for (int k = 0; k < AB_N_CLASSES; k++)
    {
      ab_network_add_call (net, 0, k, 1);
      ab_network_add_call (net, 1, k, 2);
      ab_network_add_entry (net, k, 0, 1.0);
    }
  net->rate[AB_CLASS_READ] = rate;
  return net;
}

/* basic-database-design's reference with its app servers one instance
 * with neither a queue limit nor blocking calls, @service_ms a request
 * and a timeout of @timeout_ms (0: none), set up with @options (NULL:
 * the defaults) and @scenario (NULL: the one @options name); the app
 * servers' station into *@app. */
static inline AbSimSetup *
sim_reference_app_setup_with_scenario (double              service_ms,
                                       double              timeout_ms,
                                       const AbSimOptions *options,
                                       const AbScenario   *scenario,
                                       int                *app)
{
  AbProblem *problem = ab_problem_set_lookup (ab_problem_set_get_default (), "basic-database-design");
  g_autoptr(AbDesign) design = NULL;
  g_autoptr(GError) error = NULL;
  const char *id = NULL;
  const AbNetwork *net;
  AbSimSetup *setup;

  g_assert_nonnull (problem);
  design = sim_reference_design (problem);
  for (guint i = 0; i < ab_design_get_n_components (design) && id == NULL; i++)
    {
      const AbComponent *c = ab_design_get_component (design, i);

      if (c->kind != AB_KIND_APP)
        continue;
      id = g_intern_string (c->id);
      ab_design_set_instances (design, id, 1);
      ab_design_set_component_param (design, id, "timeout_ms", g_variant_new_double (timeout_ms));
      ab_design_set_component_param (design, id, "queue_limit", g_variant_new_double (0.0));
      ab_design_set_component_param (design, id, "blocking_calls", g_variant_new_double (0.0));
      ab_design_set_component_param (design, id, "service_ms", g_variant_new_double (service_ms));
    }
  g_assert_nonnull (id);
  setup = ab_sim_setup_new_with_scenario (design, problem, options, scenario, &error);
  g_assert_no_error (error);
  net = ab_sim_setup_get_network (setup);
  *app = ab_network_find (net, id);
  g_assert_cmpint (*app, >=, 0);
  return setup;
}

/* sim_reference_app_setup_with_scenario under the scenario @options
 * name */
static inline AbSimSetup *
sim_reference_app_setup (double              service_ms,
                         double              timeout_ms,
                         const AbSimOptions *options,
                         int                *app)
{
  return sim_reference_app_setup_with_scenario (service_ms, timeout_ms, options, NULL, app);
}

/* ab_model_backlog_at's and ab_model_backlog_waits's view of the model:
 * @net at a multiplier, each result kept in @held until the caller is
 * done with them. */
typedef struct {
  const AbNetwork *net;
  GPtrArray       *held;
} SimModelAt;

static inline const AbModelResult *
sim_model_at_multiplier (gpointer data,
                         double   t_s,
                         double   multiplier)
{
  SimModelAt *m = data;
  AbModelInput input = { .multiplier = multiplier };
  AbModelResult *r = ab_model_evaluate (m->net, &input);

  (void) t_s;
  g_ptr_array_add (m->held, r);
  return r;
}

/* The model of phase @p of @sc as a run's summary evaluates it
 * (ab_des_model_cache_at_backlog): at the phase's middle, standing for
 * the whole phase, with the backlog then and, where a station answers
 * requests while a backlog lasts, their waits.  The backlog into
 * @backlog_out and the waits at station @station into @waits_out, when
 * not NULL. */
static inline AbModelResult *
sim_model_phase (const AbNetwork  *net,
                 const AbScenario *sc,
                 guint             p,
                 double           *backlog_out,
                 guint             station,
                 AbModelWaits     *waits_out)
{
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func ((GDestroyNotify) ab_model_result_free);
  SimModelAt m = { net, held };
  const AbPhase *ph = &g_array_index (sc->phases, AbPhase, p);
  double mid = ab_scenario_phase_start (sc, p) + ph->duration_s / 2.0;
  g_autofree double *backlog = g_new0 (double, net->n_stations);
  g_autofree AbModelWaits *waits = g_new0 (AbModelWaits, net->n_stations);
  AbModelInput input = { .multiplier = ph->mult_start, .span_s = ph->duration_s };

  ab_model_backlog_at (sc, mid, sim_model_at_multiplier, &m, net->n_stations, backlog);
  input.backlog = backlog;
  if (ab_model_backlog_waits (sc, mid - ph->duration_s / 2.0, mid + ph->duration_s / 2.0,
                              sim_model_at_multiplier, &m, net->n_stations, waits))
    input.waits = waits;
  if (backlog_out != NULL)
    memcpy (backlog_out, backlog, net->n_stations * sizeof *backlog);
  if (waits_out != NULL)
    *waits_out = waits[station];
  return ab_model_evaluate (net, &input);
}

/* The model of @net at @t_s of @scenario. */
static inline AbModelResult *
sim_model_at (const AbNetwork  *net,
              const AbScenario *scenario,
              double            t_s)
{
  g_autofree int *instances = g_new (int, net->n_stations);
  g_autofree gboolean *down = g_new (gboolean, net->n_stations);
  AbModelInput input;

  ab_model_input_at (&input, net, scenario, t_s, instances, down);
  return ab_model_evaluate (net, &input);
}

/* The busiest station's offered utilisation in @model (may exceed 1),
 * its index in @station (-1: no load). */
static inline double
sim_busiest (const AbModelResult *model,
             int                 *station)
{
  double top = 0.0;

  *station = -1;
  for (guint s = 0; s < model->n_stations; s++)
    if (model->stations[s].offered_utilization > top)
      {
        top = model->stations[s].offered_utilization;
        *station = (int) s;
      }
  return top;
}

/* The share of class @k's requests that failed in DES phase @d. */
static inline double
sim_class_error (const AbDesPhaseResult *d,
                 int                     k)
{
  return d->class_requests[k] > 0 ? (double) d->class_errors[k] / (double) d->class_requests[k] : 0.0;
}

/* The model's and the DES's share of failed requests of class @k
 * (AB_N_CLASSES: all), within SIM_ERROR_TOLERANCE relative +
 * SIM_ERROR_POINTS + three binomial standard errors of the DES's
 * estimate; a disagreement is appended to @found. */
static inline void
sim_compare_errors (const char             *id,
                    const char             *phase,
                    const AbModelResult    *model,
                    const AbDesPhaseResult *d,
                    int                     k,
                    GString                *found)
{
  guint64 n = k == AB_N_CLASSES ? d->requests : d->class_requests[k];
  double m = k == AB_N_CLASSES ? model->error_rate : model->class_error_rate[k];
  double e = k == AB_N_CLASSES ? d->error_rate : sim_class_error (d, k);
  double allowed;

  if (n < SIM_MIN_ERROR_REQUESTS)
    return;
  allowed = SIM_ERROR_TOLERANCE * m + SIM_ERROR_POINTS + 3.0 * sqrt (e * (1.0 - e) / (double) n);
  g_test_message ("%-28s %-8s %-5s errors  model %6.2f %%  des %6.2f %% (%" G_GUINT64_FORMAT " requests)",
                  id, phase, sim_class_names[k], 100.0 * m, 100.0 * e, n);
  if (fabs (m - e) > allowed)
    g_string_append_printf (found, "%s %s %s errors: model %.2f %%, DES %.2f %% of %" G_GUINT64_FORMAT
                            " (allowed +/- %.2f points)\n",
                            id, phase, sim_class_names[k], 100.0 * m, 100.0 * e, n, 100.0 * allowed);
}

/* The classes whose latency a phase of @duration_s compares: where the
 * model's state is not overloaded, every class the workload sends that
 * does not fail (the DES's percentiles are of the requests served, the
 * model's of all of the class's, the failed ones at the time their path
 * takes without the lost call; where part of a class fails the two
 * describe different sets and the share that fails is compared
 * instead). */
static inline void
sim_wanted_classes (const AbNetwork     *net,
                    const AbModelResult *model,
                    double               duration_s,
                    gboolean            *wanted)
{
  int s;
  gboolean overloaded = sim_busiest (model, &s) >= 1.0;

  for (int k = 0; k <= AB_N_CLASSES; k++)
    wanted[k] = !overloaded && sim_samplable (net, k, duration_s)
                && (k == AB_N_CLASSES ? model->error_rate : model->class_error_rate[k]) < 0.01;
}

/* Compares DES phase @d with @model, the state of phase @phase of case
 * @what (a problem and the component lost).  Not overloaded: the error
 * share of every class, and P50 / P95 of the @wanted ones; disagreements
 * go to @errors and @latency.  Overloaded (a station at or past its
 * capacity): no steady state to compare latencies in; the DES must lose
 * requests where the model does (more than 1 %; a failure to @failures)
 * and as many (to @errors); where the model loses less than 1 % of every
 * series, the DES's overloaded station must be saturated.  Returns
 * whether the state is overloaded. */
static inline gboolean
sim_compare_state (const char             *what,
                   const char             *phase,
                   const AbNetwork        *net,
                   const AbModelResult    *model,
                   const AbDesPhaseResult *d,
                   const gboolean         *wanted,
                   GString                *latency,
                   GString                *errors,
                   GString                *failures)
{
  int s;
  double top = sim_busiest (model, &s);
  gboolean some = FALSE;

  g_test_message ("%s, %s: busiest %s at %.3f; model %.2f %% lost, DES %.2f %%", what, phase,
                  s >= 0 ? net->stations[s].id : "-", top, 100.0 * model->error_rate, 100.0 * d->error_rate);
  if (top < 1.0)
    {
      for (int k = 0; k <= AB_N_CLASSES; k++)
        sim_compare_errors (what, phase, model, d, k, errors);
      sim_compare_latencies (what, phase, net, model, d, wanted, SIM_LATENCY_TOLERANCE, latency);
      return FALSE;
    }
  for (int k = 0; k <= AB_N_CLASSES; k++)
    {
      guint64 n = k == AB_N_CLASSES ? d->requests : d->class_requests[k];
      double m = k == AB_N_CLASSES ? model->error_rate : model->class_error_rate[k];
      double e = k == AB_N_CLASSES ? d->error_rate : sim_class_error (d, k);

      if (n < SIM_MIN_ERROR_REQUESTS || m < 0.01)
        continue;
      some = TRUE;
      if (e <= 0.01)
        g_string_append_printf (failures, "%s, %s: %s overloaded in the model (%.2f %% of %s lost) but the DES "
                                "loses %.2f %%\n", what, phase, net->stations[s].id, 100.0 * m,
                                sim_class_names[k], 100.0 * e);
      sim_compare_errors (what, phase, model, d, k, errors);
    }
  /* background work only: its stages fail, the users' requests not */
  if (!some && model->background_error_rate >= 0.01)
    {
      some = TRUE;
      g_test_message ("%-28s %-8s background errors  model %6.2f %%  des %6.2f %%", what, phase,
                      100.0 * model->background_error_rate, 100.0 * d->background_error_rate);
      if (d->background_error_rate <= 0.01)
        g_string_append_printf (failures, "%s, %s: %s overloaded in the model (%.2f %% of the background work "
                                "lost) but the DES loses %.2f %%\n", what, phase, net->stations[s].id,
                                100.0 * model->background_error_rate, 100.0 * d->background_error_rate);
    }
  /* the overloaded station sees a sliver of the traffic: the DES's
   * station must be saturated */
  if (!some)
    {
      g_test_message ("%-28s %-8s %s: model loses %.1f %% of its arrivals, DES utilisation %.3f", what, phase,
                      net->stations[s].id, 100.0 * model->stations[s].loss, d->stations[s].utilization);
      if (d->stations[s].utilization < SIM_SATURATED)
        g_string_append_printf (failures, "%s, %s: %s overloaded in the model (%.3f) but at %.3f of its "
                                "capacity in the DES\n", what, phase, net->stations[s].id, top,
                                d->stations[s].utilization);
    }
  return TRUE;
}

/* What a comparison checks of a phase. */
typedef enum {
  SIM_CHECK_LATENCY,
  SIM_CHECK_ERRORS,
} SimCheck;

static const char *const sim_check_names[] = { "latency", "errors" };

/* A real disagreement: problem, component lost, phase, check; why. */
typedef struct {
  const char *problem, *lost, *phase;
  SimCheck    check;
  const char *reason;
} SimException;

/* A list of exceptions and which of them a run met. */
typedef struct {
  const SimException *list;
  guint               n;
  gboolean           *seen;
  guint               excepted;
} SimExceptions;

/* Files what one check of one phase found (@found, empty when they
 * agree): a disagreement fails the test (appended to @failures) unless it
 * is a listed exception, and a listed exception that agrees fails it too
 * (remove it from the list). */
static inline void
sim_file_check (SimExceptions *exceptions,
                const char    *problem,
                const char    *lost,
                const char    *phase,
                SimCheck       check,
                GString       *found,
                GString       *failures)
{
  const SimException *e = NULL;

  for (guint i = 0; i < exceptions->n && e == NULL; i++)
    if (exceptions->list[i].problem != NULL  /* an empty list's placeholder */
        && g_str_equal (exceptions->list[i].problem, problem) && g_str_equal (exceptions->list[i].lost, lost)
        && g_str_equal (exceptions->list[i].phase, phase) && exceptions->list[i].check == check)
      e = &exceptions->list[i];
  if (e == NULL)
    {
      g_string_append (failures, found->str);
      return;
    }
  exceptions->seen[e - exceptions->list] = TRUE;
  exceptions->excepted++;
  if (found->len > 0)
    g_test_message ("known disagreement (%s):\n%s", e->reason, found->str);
  else
    g_string_append_printf (failures, "%s losing %s, %s %s: listed as an exception but model and DES agree "
                            "now: remove it from the list\n", problem, lost, phase, sim_check_names[check]);
}

/* Every listed exception (of @phase; NULL: of every phase) must have
 * been met: one a run never compared (a problem or phase that is gone, a
 * case no longer run) is appended to @failures. */
static inline void
sim_check_exceptions_met (const SimExceptions *exceptions,
                          const char          *phase,
                          GString             *failures)
{
  for (guint i = 0; i < exceptions->n; i++)
    if (exceptions->list[i].problem != NULL && !exceptions->seen[i]
        && (phase == NULL || g_str_equal (exceptions->list[i].phase, phase)))
      g_string_append_printf (failures, "exception %s losing %s, %s %s: no such case was compared\n",
                              exceptions->list[i].problem, exceptions->list[i].lost, exceptions->list[i].phase,
                              sim_check_names[exceptions->list[i].check]);
}
