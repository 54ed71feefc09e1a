/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The ramps of the default timeline (issue 8).  The model states a ramp
 * as the mixture of its states along it, each weighted by its arrivals
 * (docs/simulation.md, "The timeline", "Ramps"):
 *
 * - /sim-ramps/mixture: ab_latency_mixture against mixtures whose
 *   percentiles are known in closed form;
 * - /sim-ramps/model, /sim-ramps/model-overload: the summary's ramps
 *   against the same mixture integrated finely in the test (percentiles,
 *   rates, the errors of a ramp whose peak end overloads), its flat
 *   phases against the model at their middle;
 * - /sim-des/ramps/near-saturation (references suite, like the next): an
 *   M/M/8 ramped to 0.9 of its capacity, whose P95 over the ramp the DES
 *   puts well above the P95 at the ramp's middle, where the mixture is;
 * - /sim-des/ramps/references (references suite, tests/sim/meson.build):
 *   every reference's ramp-up and ramp-down, the model's figures as the
 *   summary states them against a DES of the two ramps (a short warm-up
 *   at the ramp-up's starting load, a short hold at the peak between
 *   them): P50 / P95 of every class within 10 % plus the DES's own 95 %
 *   confidence interval, wherever the model's ramp is not overloaded
 *   (its peak end, the peak phase's state, has no station at or past its
 *   capacity and loses under 1 %).  Real disagreements are listed in
 *   `exceptions` with their numbers and reasons. */
#include "config.h"

#include <math.h>

#include "ab-sim-api.h"
#include "sim-test-util.h"

/* ---- the mixture helper ---- */

typedef struct {
  double a, b;   /* uniform on [a, b] */
} Uniform;

static double
uniform_cdf (gconstpointer data,
             double        t)
{
  const Uniform *u = data;

  return CLAMP ((t - u->a) / (u->b - u->a), 0.0, 1.0);
}

static AbLatencySummary
uniform_summary (const Uniform *u)
{
  AbLatencySummary s = { 0 };

  s.count = 10;
  s.mean_ms = (u->a + u->b) / 2.0;
  s.p50_ms = u->a + 0.50 * (u->b - u->a);
  s.p95_ms = u->a + 0.95 * (u->b - u->a);
  s.p99_ms = u->a + 0.99 * (u->b - u->a);
  return s;
}

static void
test_mixture (void)
{
  Uniform u[3] = { { 0.0, 1.0 }, { 1.0, 2.0 }, { 10.0, 20.0 } };
  gconstpointer data[3] = { &u[0], &u[1], &u[2] };
  AbLatencySummary parts[3], out;
  double w[3] = { 1.0, 3.0, 0.0 };

  for (guint i = 0; i < 3; i++)
    parts[i] = uniform_summary (&u[i]);

  /* 1 : 3 of U(0, 1) and U(1, 2): F = t / 4 below 1, 1/4 + 3/4 (t - 1)
   * above; the third part has no weight */
  ab_latency_mixture (3, w, uniform_cdf, data, parts, &out);
  g_assert_cmpfloat_with_epsilon (out.mean_ms, 0.25 * 0.5 + 0.75 * 1.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (out.p50_ms, 1.0 + 0.25 / 0.75, 1e-8);
  g_assert_cmpfloat_with_epsilon (out.p95_ms, 1.0 + 0.70 / 0.75, 1e-8);
  g_assert_cmpfloat_with_epsilon (out.p99_ms, 1.0 + 0.74 / 0.75, 1e-8);
  g_assert_cmpuint (out.count, ==, 20);

  /* equal weights of U(0, 1), U(1, 2), U(10, 20): the median at 1.5 (the
   * scale of the weights does not matter), P95 in the third: 10 + 10 *
   * (0.95 - 2/3) * 3 */
  w[0] = w[1] = w[2] = 7.0;
  ab_latency_mixture (3, w, uniform_cdf, data, parts, &out);
  g_assert_cmpfloat_with_epsilon (out.p50_ms, 1.5, 1e-8);
  g_assert_cmpfloat_with_epsilon (out.p95_ms, 10.0 + 10.0 * (0.95 - 2.0 / 3.0) * 3.0, 1e-7);
  g_assert_cmpfloat_with_epsilon (out.mean_ms, (0.5 + 1.5 + 15.0) / 3.0, 1e-12);

  /* one part of weight: its figures exactly, whatever its distribution
   * function says */
  w[0] = 0.0;
  w[1] = 2.0;
  w[2] = 0.0;
  parts[1].p95_ms = 1.9000000001;
  ab_latency_mixture (3, w, uniform_cdf, data, parts, &out);
  g_assert_true (out.p95_ms == parts[1].p95_ms && out.p50_ms == parts[1].p50_ms
                 && out.mean_ms == parts[1].mean_ms);
  g_assert_cmpuint (out.count, ==, 30);

  /* no weight anywhere (a class the workload does not send): the parts
   * alike */
  w[1] = 0.0;
  ab_latency_mixture (2, w, uniform_cdf, data, parts, &out);
  g_assert_cmpfloat_with_epsilon (out.p50_ms, 1.0, 1e-8);
}

/* ---- the model's ramps ---- */

/* client -> lb -> 1 app -> primary, reads and writes, peak @multiplier */
static AbSimSetup *
small_setup (double multiplier)
{
  g_autoptr(AbDesign) design = ab_design_new ("ramps");
  g_autoptr(GError) error = NULL;
  const char *client = ab_design_add_component (design, AB_KIND_CLIENT, "Users", 0, 0, 1);
  const char *lb = ab_design_add_component (design, AB_KIND_LB, "LB", 0, 0, 1);
  const char *app = ab_design_add_component (design, AB_KIND_APP, "API", 0, 0, 1);
  const char *db = ab_design_add_component (design, AB_KIND_DB_PRIMARY, "DB", 0, 0, 1);
  AbSimOptions options;
  AbSimSetup *setup;

  ab_design_connect (design, client, lb, &error);
  ab_design_connect (design, lb, app, &error);
  ab_design_connect (design, app, db, &error);
  g_assert_no_error (error);
  ab_sim_options_init (&options);
  options.read_rps = 280.0;
  options.write_rps = 70.0;
  options.peak_multiplier = multiplier;
  setup = ab_sim_setup_new (design, NULL, &options, &error);
  g_assert_no_error (error);
  return setup;
}

static const AbSimPhase *
summary_phase (const AbSimSummary *s,
               const char         *name)
{
  for (guint p = 0; p < s->n_phases; p++)
    if (g_str_equal (s->phases[p].name, name))
      return &s->phases[p];
  g_assert_not_reached ();
}

static guint
scenario_phase (const AbScenario *scenario,
                const char       *name)
{
  for (guint p = 0; p < scenario->phases->len; p++)
    if (g_str_equal (g_array_index (scenario->phases, AbPhase, p).name, name))
      return p;
  g_assert_not_reached ();
}

/* The ramp integrated finely: the model at FINE points (midpoints of
 * equal stretches), each weighted by its arrivals. */
#define FINE 200

typedef struct {
  AbModelResult *at[FINE];
  double         offered, served, errors;
} Fine;

static void
fine_init (Fine             *f,
           const AbNetwork  *net,
           const AbScenario *scenario,
           guint             phase)
{
  double start = ab_scenario_phase_start (scenario, phase);
  double d = g_array_index (scenario->phases, AbPhase, phase).duration_s;

  f->offered = f->served = f->errors = 0.0;
  for (guint i = 0; i < FINE; i++)
    {
      f->at[i] = sim_model_at (net, scenario, start + (i + 0.5) * d / FINE);
      f->offered += f->at[i]->offered_rps / FINE;
      f->served += f->at[i]->served_rps / FINE;
      f->errors += f->at[i]->offered_rps * f->at[i]->error_rate / FINE;
    }
}

static void
fine_clear (Fine *f)
{
  for (guint i = 0; i < FINE; i++)
    g_clear_pointer (&f->at[i], ab_model_result_free);
}

/* The @q quantile of class @k (AB_N_CLASSES: all) of the requests of the
 * whole ramp, by bisection on the arrival-weighted distribution. */
static double
fine_quantile (const Fine *f,
               int         k,
               double      q)
{
  double lo = 0.0, hi = 1e5;

  for (int it = 0; it < 100; it++)
    {
      double mid = (lo + hi) / 2.0, num = 0.0, den = 0.0;

      for (guint i = 0; i < FINE; i++)
        {
          double rate = k == AB_N_CLASSES ? f->at[i]->offered_rps : f->at[i]->class_offered_rps[k];

          num += rate * ab_model_latency_cdf (f->at[i], k, mid);
          den += rate;
        }
      if (num / den < q)
        lo = mid;
      else
        hi = mid;
    }
  return (lo + hi) / 2.0;
}

static void
test_model_ramps (void)
{
  /* the app runs at 0.31 at normal load (its slots held for its own
   * service and the database's answer): x3 puts the peak end at 0.93,
   * where its wait grows fast */
  g_autoptr(AbSimSetup) setup = small_setup (3.0);
  const AbNetwork *net = ab_sim_setup_get_network (setup);
  const AbScenario *scenario = ab_sim_setup_get_scenario (setup);
  g_autoptr(AbSimSummary) s = ab_sim_summary_new_model (setup);
  const char *flat[] = { "normal", "peak" };
  const char *ramps[] = { "ramp-up", "ramp-down" };

  /* a phase at one load: the model at its middle, as it is */
  for (guint i = 0; i < G_N_ELEMENTS (flat); i++)
    {
      guint p = scenario_phase (scenario, flat[i]);
      const AbSimPhase *ph = summary_phase (s, flat[i]);
      g_autoptr(AbModelResult) mid = sim_model_at (net, scenario, ab_scenario_phase_start (scenario, p)
                                                   + g_array_index (scenario->phases, AbPhase, p).duration_s / 2.0);

      for (int k = 0; k <= AB_N_CLASSES; k++)
        {
          g_assert_cmpfloat (ph->latency[k].p50_ms.value, ==, mid->latency[k].p50_ms);
          g_assert_cmpfloat (ph->latency[k].p95_ms.value, ==, mid->latency[k].p95_ms);
          g_assert_cmpfloat (ph->latency[k].mean_ms.value, ==, mid->latency[k].mean_ms);
        }
      g_assert_cmpfloat (ph->served_rps, ==, mid->served_rps);
      g_assert_cmpfloat (ph->error_rate, ==, mid->error_rate);
    }

  /* a ramp: the mixture of its states, each by its arrivals */
  for (guint i = 0; i < G_N_ELEMENTS (ramps); i++)
    {
      guint p = scenario_phase (scenario, ramps[i]);
      const AbSimPhase *ph = summary_phase (s, ramps[i]);
      g_autoptr(AbModelResult) mid = sim_model_at (net, scenario, ab_scenario_phase_start (scenario, p)
                                                   + g_array_index (scenario->phases, AbPhase, p).duration_s / 2.0);
      Fine f;

      fine_init (&f, net, scenario, p);
      /* the mean rate of a linear ramp is its middle's */
      g_assert_cmpfloat_with_epsilon (ph->offered_rps / (2.0 * 350.0), 1.0, 1e-9);
      g_assert_cmpfloat_with_epsilon (ph->offered_rps / f.offered, 1.0, 1e-9);
      g_assert_cmpfloat (ph->error_rate, <, 1e-9);
      g_assert_cmpfloat (mid->stations[2].offered_utilization, >, 0.6);
      for (int k = 0; k <= AB_N_CLASSES; k++)
        {
          double p50 = fine_quantile (&f, k, 0.50), p95 = fine_quantile (&f, k, 0.95);

          g_test_message ("%s %s: P50 %.4f ms (finely %.4f, the middle %.4f), P95 %.4f ms (finely %.4f, the "
                          "middle %.4f)", ramps[i], sim_class_names[k], ph->latency[k].p50_ms.value, p50,
                          mid->latency[k].p50_ms, ph->latency[k].p95_ms.value, p95, mid->latency[k].p95_ms);
          g_assert_cmpfloat (fabs (ph->latency[k].p50_ms.value / p50 - 1.0), <, 0.005);
          g_assert_cmpfloat (fabs (ph->latency[k].p95_ms.value / p95 - 1.0), <, 0.005);
        }
      /* more requests arrive near the peak end, where they wait longer:
       * the ramp's tail is above its middle's */
      g_assert_cmpfloat (ph->latency[AB_N_CLASSES].p95_ms.value, >, 1.02 * mid->latency[AB_N_CLASSES].p95_ms);
      /* what a station does over the ramp: its time-mean */
      {
        int app = -1;
        double util = 0.0;

        for (guint st = 0; st < net->n_stations; st++)
          if (net->stations[st].kind == AB_KIND_APP)
            app = (int) st;
        g_assert_cmpint (app, >=, 0);

        for (guint j = 0; j < FINE; j++)
          util += f.at[j]->stations[app].utilization / FINE;
        g_assert_cmpfloat_with_epsilon (ph->stations[app].utilization, util, 1e-3);
      }
      fine_clear (&f);
    }
}

/* A ramp whose peak end overloads: its middle does not, but the requests
 * of its overloaded end fail, and the ramp states them (arrival-weighted,
 * as the DES counts them). */
static void
test_model_ramp_overload (void)
{
  /* x4: the app at 1.25 of its capacity at the peak end, 0.78 in the
   * middle */
  g_autoptr(AbSimSetup) setup = small_setup (4.0);
  const AbNetwork *net = ab_sim_setup_get_network (setup);
  const AbScenario *scenario = ab_sim_setup_get_scenario (setup);
  g_autoptr(AbSimSummary) s = ab_sim_summary_new_model (setup);
  guint p = scenario_phase (scenario, "ramp-up");
  const AbSimPhase *ph = summary_phase (s, "ramp-up");
  g_autoptr(AbModelResult) mid = sim_model_at (net, scenario, ab_scenario_phase_start (scenario, p)
                                               + g_array_index (scenario->phases, AbPhase, p).duration_s / 2.0);
  Fine f;

  fine_init (&f, net, scenario, p);
  g_test_message ("ramp-up to x4: errors %.3f %% (finely %.3f %%, the middle %.3f %%), served %.1f/s (finely %.1f)",
                  100.0 * ph->error_rate, 100.0 * f.errors / f.offered, 100.0 * mid->error_rate, ph->served_rps,
                  f.served);
  g_assert_cmpfloat (mid->error_rate, <, 1e-6);
  g_assert_cmpfloat (ph->error_rate, >, 0.01);
  /* the onset of overload is a kink that the quadrature rounds: within
   * 5 % of the finely integrated share */
  g_assert_cmpfloat (fabs (ph->error_rate / (f.errors / f.offered) - 1.0), <, 0.05);
  g_assert_cmpfloat_with_epsilon (ph->served_rps / f.served, 1.0, 0.005);
  fine_clear (&f);
}

/* ---- the references' ramps against the DES ---- */

/* The DES of the ramps: this warm-up at the ramp-up's starting load, the
 * ramp-up, this long at the peak (not reported: the ramp-down starts
 * from the peak's state), the ramp-down. */
#define RAMPS_WARMUP_S 5.0
#define RAMPS_HOLD_S 5.0

/* Real disagreements: none.  Each would name its problem, "nothing" (no
 * component is lost), the phase and the check, with the reason and the
 * numbers measured. */
static const SimException exceptions[] = {
  { NULL, NULL, NULL, SIM_CHECK_LATENCY, NULL },
};

/* The DES's scenario for the ramps of @timeline (a default timeline). */
static AbScenario *
ramps_scenario (const AbScenario *timeline)
{
  AbScenario *scenario = ab_scenario_new ();
  const AbPhase *up = &g_array_index (timeline->phases, AbPhase, scenario_phase (timeline, "ramp-up"));
  const AbPhase *down = &g_array_index (timeline->phases, AbPhase, scenario_phase (timeline, "ramp-down"));

  g_assert_cmpfloat (up->mult_end, ==, down->mult_start);
  scenario->warmup_s = RAMPS_WARMUP_S;
  ab_scenario_add_phase (scenario, "ramp-up", up->duration_s, up->mult_start, up->mult_end, TRUE);
  ab_scenario_add_phase (scenario, "peak", RAMPS_HOLD_S, up->mult_end, up->mult_end, FALSE);
  ab_scenario_add_phase (scenario, "ramp-down", down->duration_s, down->mult_start, down->mult_end, TRUE);
  return scenario;
}

/* One app server (8 slots of 5 ms: M/M/8) ramped from 0.3 to 0.9 of its
 * capacity: its P95 over the ramp is well above the P95 at the ramp's
 * middle, and the DES agrees with the mixture. */
static void
test_near_saturation (void)
{
  g_autoptr(AbDesign) design = ab_design_new ("ramp-near-saturation");
  g_autoptr(GError) error = NULL;
  const char *client = ab_design_add_component (design, AB_KIND_CLIENT, "Users", 0, 0, 1);
  const char *app = ab_design_add_component (design, AB_KIND_APP, "API", 0, 0, 1);
  g_autoptr(AbSimSetup) setup = NULL;
  g_autoptr(AbSimSummary) model = NULL;
  g_autoptr(AbScenario) scenario = NULL;
  g_autoptr(AbDesResult) des = NULL;
  g_autoptr(GString) failures = g_string_new (NULL);
  static const char *const ramps[] = { "ramp-up", "ramp-down" };
  SimSampleNeed needs[] = { { "ramp-up", NULL }, { "ramp-down", NULL } };
  const AbScenario *timeline;
  const AbNetwork *net;
  AbSimOptions options;

  ab_design_connect (design, client, app, &error);
  g_assert_no_error (error);
  ab_sim_options_init (&options);
  options.read_rps = 480.0;
  options.write_rps = 0.0;
  options.peak_multiplier = 3.0;
  setup = ab_sim_setup_new (design, NULL, &options, &error);
  g_assert_no_error (error);
  net = ab_sim_setup_get_network (setup);
  timeline = ab_sim_setup_get_scenario (setup);
  model = ab_sim_summary_new_model (setup);
  scenario = ramps_scenario (timeline);
  des = sim_run_des_sampled ("near-saturation", net, scenario, needs, G_N_ELEMENTS (needs));
  for (guint r = 0; r < G_N_ELEMENTS (ramps); r++)
    {
      const AbSimPhase *ph = summary_phase (model, ramps[r]);
      const AbDesPhaseResult *d = &des->phases[sim_phase_index (des, ramps[r])];
      guint p = scenario_phase (timeline, ramps[r]);
      g_autoptr(AbModelResult) mid = sim_model_at (net, timeline, ab_scenario_phase_start (timeline, p)
                                                   + ph->duration_s / 2.0);
      double p50[AB_N_CLASSES + 1], p95[AB_N_CLASSES + 1];

      g_assert_cmpfloat_with_epsilon (ph->stations[1].utilization, 0.6, 0.01);
      for (int k = 0; k <= AB_N_CLASSES; k++)
        {
          p50[k] = ph->latency[k].p50_ms.value;
          p95[k] = ph->latency[k].p95_ms.value;
        }
      g_test_message ("%s: P95 DES %.3f ms +/- %.3f, the mixture %.3f (%+.1f %%), the middle %.3f (%+.1f %%)",
                      ramps[r], d->latency[AB_N_CLASSES].p95_ms.value, d->latency[AB_N_CLASSES].p95_ms.ci,
                      p95[AB_N_CLASSES], 100.0 * (p95[AB_N_CLASSES] / d->latency[AB_N_CLASSES].p95_ms.value - 1.0),
                      mid->latency[AB_N_CLASSES].p95_ms,
                      100.0 * (mid->latency[AB_N_CLASSES].p95_ms / d->latency[AB_N_CLASSES].p95_ms.value - 1.0));
      /* the middle (0.6 busy) misses the tail of the busy end */
      g_assert_cmpfloat (p95[AB_N_CLASSES], >, 1.08 * mid->latency[AB_N_CLASSES].p95_ms);
      sim_compare_latency_figures ("near-saturation", ramps[r], net, p50, p95, d, NULL, SIM_LATENCY_TOLERANCE,
                                   failures);
    }
  if (failures->len > 0)
    g_error ("the model's ramps and the DES disagree:\n%s", failures->str);
}

static void
test_references_ramps (void)
{
  AbProblemSet *set = ab_problem_set_get_default ();
  g_autoptr(GString) failures = g_string_new (NULL);
  g_autofree gboolean *seen = g_new0 (gboolean, G_N_ELEMENTS (exceptions));
  SimExceptions ex = { exceptions, G_N_ELEMENTS (exceptions), seen, 0 };
  static const char *const ramps[] = { "ramp-up", "ramp-down" };
  guint compared = 0, overloaded = 0, figures = 0;
  double worst_mid = 0.0, worst_mix = 0.0;

  for (guint i = 0; i < ab_problem_set_get_n (set); i++)
    {
      AbProblem *problem = ab_problem_set_get_nth (set, i);
      g_autoptr(AbDesign) design = sim_reference_design (problem);
      g_autoptr(GError) error = NULL;
      g_autoptr(AbSimSetup) setup = ab_sim_setup_new (design, problem, NULL, &error);
      g_autoptr(AbSimSummary) model = NULL;
      g_autoptr(AbScenario) des_scenario = NULL;
      g_autoptr(AbDesResult) des = NULL;
      const AbScenario *timeline;
      const AbNetwork *net;
      const AbPhase *up;
      SimSampleNeed needs[G_N_ELEMENTS (ramps)];
      gboolean over[G_N_ELEMENTS (ramps)];
      guint n_needs = 0;

      g_assert_no_error (error);
      net = ab_sim_setup_get_network (setup);
      timeline = ab_sim_setup_get_scenario (setup);
      model = ab_sim_summary_new_model (setup);
      up = &g_array_index (timeline->phases, AbPhase, scenario_phase (timeline, "ramp-up"));
      des_scenario = ramps_scenario (timeline);

      /* a ramp is overloaded where its peak end is (the peak phase's
       * state; its other end is the normal phase's) */
      for (guint r = 0; r < G_N_ELEMENTS (ramps); r++)
        {
          guint p = scenario_phase (timeline, ramps[r]);
          const AbPhase *ph = &g_array_index (timeline->phases, AbPhase, p);
          double start = ab_scenario_phase_start (timeline, p);
          g_autoptr(AbModelResult) a = sim_model_at (net, timeline, start + 1e-6);
          g_autoptr(AbModelResult) b = sim_model_at (net, timeline, start + ph->duration_s - 1e-6);

          over[r] = sim_model_overloaded (a) || sim_model_overloaded (b)
                    || summary_phase (model, ramps[r])->error_rate >= 0.01;
          if (over[r])
            {
              const AbTarget *rate = ab_problem_find_target (problem, AB_TARGET_RATE);

              g_test_message ("%s %s: overloaded in the model at its peak end (x%g, %.1f %% of the ramp lost): "
                              "not compared", problem->id, ramps[r], up->mult_end,
                              100.0 * summary_phase (model, ramps[r])->error_rate);
              /* only a peak the problem records as unmeetable may be */
              if (rate == NULL || rate->unmeetable == NULL)
                g_string_append_printf (failures, "%s %s: overloaded but the peak is not recorded as "
                                        "unmeetable\n", problem->id, ramps[r]);
              overloaded++;
            }
          else
            needs[n_needs++] = (SimSampleNeed) { ramps[r], NULL };
        }
      if (n_needs == 0)
        continue;
      des = sim_run_des_sampled (problem->id, net, des_scenario, needs, n_needs);

      for (guint r = 0; r < G_N_ELEMENTS (ramps); r++)
        {
          const AbSimPhase *ph = summary_phase (model, ramps[r]);
          const AbDesPhaseResult *d = &des->phases[sim_phase_index (des, ramps[r])];
          guint p = scenario_phase (timeline, ramps[r]);
          g_autoptr(AbModelResult) mid = NULL;
          g_autoptr(GString) found = g_string_new (NULL);
          double p50[AB_N_CLASSES + 1], p95[AB_N_CLASSES + 1];

          if (over[r])
            continue;
          /* the model at the ramp's middle, as it stated a ramp before:
           * for the record */
          mid = sim_model_at (net, timeline, ab_scenario_phase_start (timeline, p) + ph->duration_s / 2.0);
          for (int k = 0; k <= AB_N_CLASSES; k++)
            {
              p50[k] = ph->latency[k].p50_ms.value;
              p95[k] = ph->latency[k].p95_ms.value;
              if (!sim_samplable (net, k, d->duration_s) || d->latency[k].count < SIM_MIN_SAMPLES)
                continue;
              for (guint j = 0; j < 2; j++)
                {
                  double dv = j == 0 ? d->latency[k].p50_ms.value : d->latency[k].p95_ms.value;
                  double mv = j == 0 ? mid->latency[k].p50_ms : mid->latency[k].p95_ms;
                  double xv = j == 0 ? p50[k] : p95[k];

                  g_test_message ("%-28s %-9s %-5s %s  DES %9.3f  middle %+6.1f %%  mixture %+6.1f %%",
                                  problem->id, ramps[r], sim_class_names[k], j == 0 ? "p50" : "p95", dv,
                                  100.0 * (mv / dv - 1.0), 100.0 * (xv / dv - 1.0));
                  worst_mid = MAX (worst_mid, fabs (mv / dv - 1.0));
                  worst_mix = MAX (worst_mix, fabs (xv / dv - 1.0));
                  figures++;
                }
            }
          sim_compare_latency_figures (problem->id, ramps[r], net, p50, p95, d, NULL, SIM_LATENCY_TOLERANCE, found);
          sim_file_check (&ex, problem->id, "nothing", ramps[r], SIM_CHECK_LATENCY, found, failures);
          compared++;
        }
    }
  sim_check_exceptions_met (&ex, NULL, failures);
  g_test_message ("compared %u ramps of %u references (%u figures; largest gap, before the DES's interval: the "
                  "middle %.1f %%, the mixture %.1f %%); %u overloaded; %u listed exceptions met",
                  compared, ab_problem_set_get_n (set), figures, 100.0 * worst_mid, 100.0 * worst_mix, overloaded,
                  ex.excepted);
  g_assert_cmpuint (compared + overloaded, ==, 2 * ab_problem_set_get_n (set));
  if (failures->len > 0)
    g_error ("analytical model and DES disagree by more than 10 %% on a ramp:\n%s", failures->str);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sim-ramps/mixture", test_mixture);
  g_test_add_func ("/sim-ramps/model", test_model_ramps);
  g_test_add_func ("/sim-ramps/model-overload", test_model_ramp_overload);
  g_test_add_func ("/sim-des/ramps/near-saturation", test_near_saturation);
  g_test_add_func ("/sim-des/ramps/references", test_references_ramps);
  return g_test_run ();
}
