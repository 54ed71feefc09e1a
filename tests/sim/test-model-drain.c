/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A station with neither a queue limit nor a timeout, overloaded for a
 * phase, then at a lower load (docs/simulation.md, "Draining what an
 * overload left"): the next phase first answers the backlog the overload
 * left, at the station's capacity, first in, first out.  The request
 * answered at t arrived at a(t) with A(t) - A(a) = B(t) (A the arrivals
 * so far, B the backlog) and waited t - a(t); the model against that
 * closed form and against a DES of the same scenario, run whole. */
#include "config.h"

#include <math.h>

#include "ab-sim-api.h"
#include "sim-test-util.h"

/* client -> "app" (one slot of 1 ms exponential, no limit, @timeout_ms)
 * -> "db" (ten slots of 1 ms): reads at @rate */
static AbNetwork *
station (double rate, double timeout_ms)
{
  static const char *const ids[] = { "client", "app", "db" };
  AbNetwork *net = ab_network_new (3);

  for (int i = 0; i < 3; i++)
    {
      AbStation *st = &net->stations[i];

      st->id = g_strdup (ids[i]);
      st->kind = i == 0 ? AB_KIND_CLIENT : i == 1 ? AB_KIND_APP : AB_KIND_DB_PRIMARY;
      st->instances = 1;
      st->concurrency = i == 0 ? 1000 : i == 1 ? 1 : 10;
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

/* 10 s of warm-up and @over_s at x1.25 (the overload, from the warm-up's
 * start), then "after" of @after_s at x@low */
static AbScenario *
two_phases (double over_s, double after_s, double low)
{
  AbScenario *sc = ab_scenario_new ();

  sc->warmup_s = 10.0;
  sc->bucket_s = 1.0;
  sc->seed = 31;
  ab_scenario_add_phase (sc, "peak", over_s, 1.25, 1.25, TRUE);
  ab_scenario_add_phase (sc, "normal", after_s, low, low, TRUE);
  return sc;
}

/* The fluid closed form (seconds).  Arrivals at l1 from 0 (the warm-up's
 * start) to t1 against a capacity mu < l1, then at l2 < mu: the backlog
 * at t1 is B1 = (l1 - mu) t1 and drains at mu - l2 until te = t1 + B1 /
 * (mu - l2).  The request answered at t in [t1, te] arrived at a with
 * A(t) - A(a) = B(t): while a < t1 (t <= tm = t1 l1 / mu) it waited (1 -
 * mu / l1) t, rising; after, l2 (t - a) = B(t), so (te - t) (mu - l2) /
 * l2, falling.  The phase [t1, t2] answers at mu while the backlog lasts,
 * l2 after (waiting next to nothing).  The share of its answers that
 * waited at most @w. */
static double
fluid_cdf (double l1, double l2, double mu, double t1, double t2, double w)
{
  double te = t1 + (l1 - mu) * t1 / (mu - l2), tm = t1 * l1 / mu;
  double behind = mu * (MIN (te, t2) - t1), after = l2 * MAX (t2 - te, 0.0);
  double n = 0.0;

  /* rising part: t in [t1, min (tm, t2)], W = (1 - mu / l1) t */
  {
    double a = t1, b = MIN (MIN (tm, te), t2), k = 1.0 - mu / l1;

    if (b > a)
      n += mu * (CLAMP (w / k, a, b) - a);
  }
  /* falling part: t in [tm, min (te, t2)], W = (te - t) (mu - l2) / l2 */
  {
    double a = MAX (tm, t1), b = MIN (te, t2), k = (mu - l2) / l2;

    if (b > a)
      n += mu * (b - CLAMP (te - w / k, a, b));
  }
  return (n + (w >= 0.0 ? after : 0.0)) / (behind + after);
}

static double
fluid_quantile (double l1, double l2, double mu, double t1, double t2, double q)
{
  double lo = 0.0, hi = 1000.0;

  for (int i = 0; i < 100; i++)
    {
      double mid = 0.5 * (lo + hi);

      if (fluid_cdf (l1, l2, mu, t1, t2, mid) < q)
        lo = mid;
      else
        hi = mid;
    }
  return 0.5 * (lo + hi);
}

/* rho 1.25 for 70 s (10 s warm-up + 60 s), then 30 s at @low x 1,000/s:
 * the model's phase against the closed form */
static void
check_closed_form (double low, double after_s)
{
  g_autoptr(AbNetwork) net = station (1000.0, 0.0);
  g_autoptr(AbScenario) sc = two_phases (60.0, after_s, low);
  AbModelWaits w;
  g_autoptr(AbModelResult) m = sim_model_phase (net, sc, 1, NULL, 1, &w);
  double l1 = 1250.0, l2 = 1000.0 * low, mu = 1000.0, t1 = 70.0, t2 = 70.0 + after_s;
  double p50 = 1000.0 * fluid_quantile (l1, l2, mu, t1, t2, 0.5);
  double p95 = 1000.0 * fluid_quantile (l1, l2, mu, t1, t2, 0.95);
  double te = t1 + (l1 - mu) * t1 / (mu - l2);
  double served = (mu * (MIN (te, t2) - t1) + l2 * MAX (t2 - te, 0.0)) / after_s;
  const AbStationResult *app = &m->stations[1];

  g_test_message ("x%.2f for %.0f s after: model P50 %.0f P95 %.0f ms, closed form %.0f / %.0f; share %.3f, "
                  "served %.1f/s (closed form %.1f), db %.1f/s, errors %.4f",
                  low, after_s, m->latency[AB_N_CLASSES].p50_ms, m->latency[AB_N_CLASSES].p95_ms, p50, p95,
                  w.share, m->served_rps, served, m->stations[2].offered_rps, m->error_rate);
  g_assert_false (app->overloaded);
  g_assert_cmpfloat (app->loss, ==, 0.0);
  g_assert_cmpfloat (m->error_rate, ==, 0.0);
  g_assert_cmpfloat_with_epsilon (w.share, mu * (MIN (te, t2) - t1) / (served * after_s), 0.01);
  /* it answers the backlog too: at its capacity while it lasts, and the
   * database behind it sees that */
  g_assert_cmpfloat_with_epsilon (app->served_rps, served, 0.01 * served);
  g_assert_cmpfloat_with_epsilon (m->served_rps, served, 0.01 * served);
  g_assert_cmpfloat_with_epsilon (m->class_served_rps[AB_CLASS_READ], served, 0.01 * served);
  g_assert_cmpfloat_with_epsilon (m->stations[2].offered_rps, served, 0.01 * served);
  /* the waits, to the grid (about 1/200 of the range) and the pieces */
  g_assert_cmpfloat_with_epsilon (m->latency[AB_N_CLASSES].p50_ms, p50, 0.015 * p95);
  g_assert_cmpfloat_with_epsilon (m->latency[AB_N_CLASSES].p95_ms, p95, 0.015 * p95);
}

static void
test_closed_form (void)
{
  /* the backlog (17,500) lasts the whole phase: waits 14 to 17.5 s,
   * then down to 5 s; P50 15 s */
  check_closed_form (0.5, 30.0);
  g_assert_cmpfloat_with_epsilon (fluid_quantile (1250.0, 500.0, 1000.0, 70.0, 100.0, 0.5), 15.0, 1e-6);
  /* it is gone after 35 s of 60: the rest wait next to nothing */
  check_closed_form (0.5, 60.0);
  /* at x0.9 it lasts 175 s: the whole phase waits */
  check_closed_form (0.9, 30.0);
}

/* the model's phase @p against the DES's: P50 and P95 within 10 % plus
 * the DES's interval, errors, served rates (the database's too) */
static void
assert_agrees (const AbNetwork *net, const AbScenario *sc, const AbDesResult *r, guint p)
{
  const AbDesPhaseResult *d = &r->phases[p];
  g_autoptr(AbModelResult) m = sim_model_phase (net, sc, p, NULL, 0, NULL);
  const AbLatencyStats *dl = &d->latency[AB_N_CLASSES];
  const AbLatencySummary *ml = &m->latency[AB_N_CLASSES];

  g_test_message ("model: served %.0f/s of %.0f, errors %.4f, P50 %.0f P95 %.0f ms; DES (%s): "
                  "served %.0f/s of %.0f, errors %.4f, P50 %.0f (+-%.0f) P95 %.0f (+-%.0f) ms, "
                  "%" G_GUINT64_FORMAT " requests; db served model %.0f DES %.0f/s",
                  m->served_rps, m->offered_rps, m->error_rate, ml->p50_ms, ml->p95_ms,
                  r->windowed ? "windowed" : "whole", d->served_rps, d->offered_rps,
                  d->error_rate, dl->p50_ms.value, dl->p50_ms.ci, dl->p95_ms.value, dl->p95_ms.ci,
                  (guint64) d->requests, m->stations[2].served_rps, d->stations[2].served_rps);
  g_assert_false (r->windowed);
  g_assert_cmpuint (dl->count, >, 10000);
  g_assert_cmpfloat_with_epsilon (m->error_rate, d->error_rate, 0.01);
  g_assert_cmpfloat_with_epsilon (m->served_rps, d->served_rps, 0.03 * d->served_rps);
  g_assert_cmpfloat_with_epsilon (m->stations[2].served_rps, d->stations[2].served_rps,
                                  0.03 * d->stations[2].served_rps);
  g_assert_cmpfloat_with_epsilon (ml->p50_ms, dl->p50_ms.value, 0.10 * dl->p50_ms.value + dl->p50_ms.ci);
  g_assert_cmpfloat_with_epsilon (ml->p95_ms, dl->p95_ms.value, 0.10 * dl->p95_ms.value + dl->p95_ms.ci);
}

/* the closed form's scenario, simulated whole: both phases agree */
static void
test_des (void)
{
  g_autoptr(AbNetwork) net = station (1000.0, 0.0);
  g_autoptr(AbScenario) sc = two_phases (60.0, 30.0, 0.5);
  g_autoptr(AbDesResult) r = sim_run_des_untruncated (net, sc, 1000000);

  assert_agrees (net, sc, r, 0);
  assert_agrees (net, sc, r, 1);
  g_assert_cmpuint (r->phases[1].errors, ==, 0);
}

/* basic-database-design's reference with its app servers one instance
 * without a limit or blocking calls, @service_ms a request, a timeout of
 * @timeout_ms (0: none) */
static AbSimSetup *
reference_setup (AbProblem *problem, double service_ms, double timeout_ms, const char **app)
{
  g_autoptr(AbDesign) design = sim_reference_design (problem);
  g_autoptr(GError) error = NULL;
  AbSimSetup *setup;

  *app = NULL;
  for (guint i = 0; i < ab_design_get_n_components (design); i++)
    {
      const AbComponent *c = ab_design_get_component (design, i);

      if (c->kind != AB_KIND_APP)
        continue;
      *app = g_intern_string (c->id);
      ab_design_set_instances (design, c->id, 1);
      ab_design_set_component_param (design, c->id, "timeout_ms", g_variant_new_double (timeout_ms));
      ab_design_set_component_param (design, c->id, "queue_limit", g_variant_new_double (0.0));
      ab_design_set_component_param (design, c->id, "blocking_calls", g_variant_new_double (0.0));
      ab_design_set_component_param (design, c->id, "service_ms", g_variant_new_double (service_ms));
      break;
    }
  g_assert_nonnull (*app);
  setup = ab_sim_setup_new (design, problem, NULL, &error);
  g_assert_no_error (error);
  return setup;
}

/* The summary: a reference whose app servers hold the normal load and
 * not the peak says the phase after the peak first waits for the
 * backlog there, in the model and in the DES; the peak itself says the
 * latency rises */
static void
test_summary (void)
{
  AbProblem *problem = ab_problem_set_lookup (ab_problem_set_get_default (), "basic-database-design");
  g_autoptr(AbSimSetup) probe = NULL, setup = NULL;
  g_autoptr(AbSimSummary) s = NULL, ds = NULL;
  g_autoptr(AbDesResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL, *dtext = NULL;
  const AbNetwork *net;
  const char *app;
  AbDesConfig config;
  int x = -1, after = -1, peak = -1;
  double rho, mult = 0.0;

  g_assert_nonnull (problem);
  /* its utilisation at the normal rate, for a service time at 70 % */
  probe = reference_setup (problem, 1.0, 0.0, &app);
  net = ab_sim_setup_get_network (probe);
  for (guint i = 0; i < net->n_stations; i++)
    if (g_strcmp0 (net->stations[i].id, app) == 0)
      x = (int) i;
  g_assert_cmpint (x, >=, 0);
  {
    g_autoptr(AbModelResult) m = ab_model_evaluate (net, NULL);

    rho = m->stations[x].offered_utilization;
  }
  for (guint p = 0; p < ab_sim_setup_get_scenario (probe)->phases->len; p++)
    mult = MAX (mult, g_array_index (ab_sim_setup_get_scenario (probe)->phases, AbPhase, p).mult_end);
  g_test_message ("app: utilisation %.4f at 1 ms a request, peak x%.1f", rho, mult);
  g_assert_cmpfloat (mult, >=, 1.5);
  setup = reference_setup (problem, 0.7 / rho, 0.0, &app);

  s = ab_sim_summary_new_model (setup);
  for (guint p = 0; p < s->n_phases; p++)
    {
      g_test_message ("model %s: P50 %.0f ms, draining %d, growth %.0f", s->phases[p].name,
                      s->phases[p].latency[AB_N_CLASSES].p50_ms.value, s->phases[p].draining,
                      s->phases[p].latency_growth);
      if (g_strcmp0 (s->phases[p].name, "ramp-down") == 0)
        after = (int) p;
      if (g_strcmp0 (s->phases[p].name, "peak") == 0)
        peak = (int) p;
    }
  g_assert_cmpint (after, >=, 0);
  g_assert_cmpint (s->phases[after].draining, ==, x);
  g_assert_cmpint (s->phases[peak].draining, ==, -1);
  g_assert_cmpint (s->phases[s->normal].draining, ==, -1);
  g_assert_cmpfloat (s->phases[peak].latency_growth, >, 0.0);
  /* the backlog's waits: seconds, not the normal phase's milliseconds */
  g_assert_cmpfloat (s->phases[after].latency[AB_N_CLASSES].p50_ms.value, >, 1000.0);
  g_assert_cmpfloat (s->phases[after].error_rate, ==, 0.0);
  text = ab_sim_summary_latency_text (s, setup);
  g_test_message ("%s", text);
  /* the growth (ramp-up, peak) comes first */
  g_assert_nonnull (strstr (text, " phase rising by "));

  ab_des_config_init (&config);
  config.sample_budget = 200000;
  r = ab_sim_setup_run_des (setup, &config, &error);
  g_assert_no_error (error);
  ds = ab_sim_summary_new_des (setup, r);
  g_test_message ("DES ramp-down: P50 %.0f ms, draining %d", ds->phases[after].latency[AB_N_CLASSES].p50_ms.value,
                  ds->phases[after].draining);
  g_assert_cmpint (ds->phases[after].draining, ==, x);
  g_assert_cmpint (ds->phases[s->normal].draining, ==, -1);

  /* the sentence on its own: without the growth */
  for (guint p = 0; p < s->n_phases; p++)
    s->phases[p].latency_growth = 0.0;
  dtext = ab_sim_summary_latency_text (s, setup);
  g_test_message ("%s", dtext);
  g_assert_true (g_str_has_prefix (dtext, "in the ramp-down phase first waiting for the backlog"));
  g_assert_nonnull (strstr (dtext, ab_sim_setup_get_label (setup, (guint) x)));

  /* with a timeout: its waits stop at it, and the sentence says so */
  {
    g_autoptr(AbSimSetup) timed = reference_setup (problem, 0.7 / rho, 2000.0, &app);
    g_autoptr(AbSimSummary) ts = ab_sim_summary_new_model (timed);
    g_autofree char *ttext = NULL;

    g_assert_cmpint (ts->phases[after].draining, ==, x);
    g_assert_cmpfloat (ts->phases[after].latency[AB_N_CLASSES].p95_ms.value, >, 1000.0);
    g_assert_cmpfloat (ts->phases[after].latency[AB_N_CLASSES].p95_ms.value, <, 2100.0);
    for (guint p = 0; p < ts->n_phases; p++)
      ts->phases[p].latency_growth = 0.0;
    ttext = ab_sim_summary_latency_text (ts, timed);
    g_test_message ("%s; P95 %.0f ms", ttext, ts->phases[after].latency[AB_N_CLASSES].p95_ms.value);
    g_assert_nonnull (strstr (ttext, "up to its timeout"));
  }
}

/* With a timeout of 5 s (and no limit): the overload's steady state
 * has requests wait the patience and 20 % give up.  When the load halves
 * the server still works through the requests of its last 5 s, the
 * oldest first, so for 5 s it answers at its capacity after waits of 5
 * s while the rest of them give up (250 a second, 1,250 in all), then
 * the waits fall to nothing in 5 s more (those that arrived after the
 * load fell), then it answers as they come: of 21,250 requests ended,
 * 5.9 % give up, 20,000 answered (667 a second against 500 arriving), a
 * quarter at 5 s, a quarter spread below it.  The model against that
 * and against the DES */
static void
test_timeout (void)
{
  g_autoptr(AbNetwork) net = station (1000.0, 5000.0);
  g_autoptr(AbScenario) sc = two_phases (60.0, 30.0, 0.5);
  g_autoptr(AbDesResult) r = sim_run_des_untruncated (net, sc, 1000000);
  AbModelWaits w;
  g_autoptr(AbModelResult) m = sim_model_phase (net, sc, 1, NULL, 1, &w);
  const AbDesPhaseResult *d = &r->phases[1];
  const AbLatencyStats *dl = &d->latency[AB_N_CLASSES];
  const AbLatencySummary *ml = &m->latency[AB_N_CLASSES];

  g_test_message ("model: share %.3f, lost %.4f, served %.1f/s of %.0f, errors %.4f, P50 %.0f P95 %.0f mean %.0f ms; "
                  "DES: served %.1f/s of %.0f, errors %.4f, P50 %.0f (+-%.0f) P95 %.0f (+-%.0f) mean %.0f ms; "
                  "db model %.0f DES %.0f/s",
                  w.share, w.lost, m->served_rps, m->offered_rps, m->error_rate, ml->p50_ms, ml->p95_ms, ml->mean_ms,
                  d->served_rps, d->offered_rps, d->error_rate, dl->p50_ms.value, dl->p50_ms.ci,
                  dl->p95_ms.value, dl->p95_ms.ci, dl->mean_ms.value, m->stations[2].served_rps,
                  d->stations[2].served_rps);
  /* the closed form */
  g_assert_cmpfloat_with_epsilon (w.share, 0.5, 0.01);
  g_assert_cmpfloat_with_epsilon (w.lost, 1250.0 / 21250.0, 0.002);
  g_assert_cmpfloat_with_epsilon (w.served, 20000.0 / 15000.0, 0.01);
  g_assert_cmpfloat_with_epsilon (m->error_rate, 1250.0 / 21250.0, 0.002);
  g_assert_cmpfloat_with_epsilon (m->served_rps, 20000.0 / 30.0, 5.0);
  g_assert_cmpfloat_with_epsilon (m->stations[2].offered_rps, 20000.0 / 30.0, 5.0);
  /* mean: a quarter at 5 s, a quarter at 2.5 s */
  g_assert_cmpfloat_with_epsilon (ml->mean_ms, 1875.0, 20.0);
  g_assert_cmpfloat_with_epsilon (ml->p95_ms, 5000.0, 100.0);
  /* the DES */
  g_assert_false (r->windowed);
  g_assert_cmpfloat_with_epsilon (m->error_rate, d->error_rate, 0.005);
  g_assert_cmpfloat_with_epsilon (m->served_rps, d->served_rps, 0.03 * d->served_rps);
  g_assert_cmpfloat_with_epsilon (m->stations[2].served_rps, d->stations[2].served_rps,
                                  0.03 * d->stations[2].served_rps);
  g_assert_cmpfloat_with_epsilon (ml->mean_ms, dl->mean_ms.value, 0.10 * dl->mean_ms.value + dl->mean_ms.ci);
  g_assert_cmpfloat_with_epsilon (ml->p95_ms, dl->p95_ms.value, 0.10 * dl->p95_ms.value + dl->p95_ms.ci);
  /* the P50 lies where the falling waits meet the steady ones: a few ms
   * either way */
  g_assert_cmpfloat_with_epsilon (ml->p50_ms, dl->p50_ms.value, 0.10 * dl->p50_ms.value + dl->p50_ms.ci + 10.0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/model-drain/closed-form", test_closed_form);
  g_test_add_func ("/model-drain/des", test_des);
  g_test_add_func ("/model-drain/summary", test_summary);
  g_test_add_func ("/model-drain/timeout", test_timeout);
  return g_test_run ();
}
