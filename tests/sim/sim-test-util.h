/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the simulation tests: reference designs built in
 * process the way `archboard-cli reference` builds them, and the
 * comparison of the analytical model with the DES in one phase (the
 * latency percentiles per class, within a tolerance plus the DES's own
 * confidence interval). */
#pragma once

#include <math.h>

#include "ab-des.h"
#include "ab-model.h"
#include "ab-reference.h"

static inline AbDesign *
sim_reference_design (const AbProblem *problem)
{
  g_autoptr(GError) error = NULL;
  AbDesign *design = ab_reference_build_design (problem, &error);

  g_assert_no_error (error);
  return design;
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
 * phase @d against @model's, within @tolerance plus the DES's own
 * confidence interval; a class compared must have been sampled enough.
 * Returns the number of figures that disagree. */
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
  guint disagree = 0;

  for (int k = 0; k <= AB_N_CLASSES; k++)
    {
      const AbLatencyStats *l = &d->latency[k];
      g_autofree char *p50 = g_strdup_printf ("%s %s p50", phase, sim_class_names[k]);
      g_autofree char *p95 = g_strdup_printf ("%s %s p95", phase, sim_class_names[k]);

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
      disagree += !sim_compare (id, p50, model->latency[k].p50_ms, l->p50_ms.value, l->p50_ms.ci, tolerance,
                                failures);
      disagree += !sim_compare (id, p95, model->latency[k].p95_ms, l->p95_ms.value, l->p95_ms.ci, tolerance,
                                failures);
    }
  return disagree;
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
