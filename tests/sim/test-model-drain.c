/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A station with neither a queue limit nor a timeout, overloaded for a
 * phase, then at a lower load (docs/simulation.md, "Draining what an
 * overload left"): the next phase first answers the backlog the overload
 * left, at the station's capacity, first in, first out.  The request
 * answered at t arrived at a(t) with A(t) - A(a) = B(t) (A the arrivals
 * so far, B the backlog) and waited t - a(t); the model against that
 * closed form and against a DES of the same scenario, run whole: after
 * one overload, in a second overload behind what the first left, and
 * along the default timeline's ramp down (the phase's points standing
 * for stretches that tile it).  The summary says which phases users
 * first wait in behind such a backlog, and when it empties. */
#include "config.h"

#include <math.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

#include "ab-sim-api.h"
#include "sim-test-util.h"

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
  g_autoptr(AbNetwork) net = sim_app_db_network (1000.0, 1, 1, 0.0);
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
  /* all of it behind the backlog the phase began with, gone at te (in
   * scenario time, from the first phase's start) */
  g_assert_cmpfloat_with_epsilon (w.carried, w.share, 1e-9);
  g_assert_cmpfloat_with_epsilon (app->carried, w.share, 1e-9);
  if (te < t2)
    g_assert_cmpfloat_with_epsilon (w.drained_s, te - 10.0, 0.01);
  else
    g_assert_false (isfinite (w.drained_s));
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
  g_autoptr(AbNetwork) net = sim_app_db_network (1000.0, 1, 1, 0.0);
  g_autoptr(AbScenario) sc = two_phases (60.0, 30.0, 0.5);
  g_autoptr(AbDesResult) r = sim_run_des_untruncated (net, sc, 1000000);

  assert_agrees (net, sc, r, 0);
  assert_agrees (net, sc, r, 1);
  g_assert_cmpuint (r->phases[1].errors, ==, 0);
}

/* The fluid closed form for any piecewise constant load: @n phases of
 * @dur[i] seconds at @lam[i] a second (the first from the warm-up's
 * start, @warmup_s before 0), against a capacity @mu.  The requests
 * answered in phase @p: while a backlog lasts, @mu a second, each having
 * waited t - a(t) with A(t) - A(a) = B(t); else as they arrive, waiting
 * nothing.  Its quantile @q, in ms, from 20,000 instants of answer. */
#define FLUID_POINTS 20000

static double
fluid_phase_quantile (guint n, const double *dur, const double *lam, double warmup_s, double mu, guint p, double q)
{
  double t0[8], a0[8], b0[8], w[FLUID_POINTS], weight[FLUID_POINTS], total = 0.0, acc = 0.0;
  guint order[FLUID_POINTS];

  g_assert_cmpuint (n, <=, 8);
  /* each phase's start, arrivals and backlog then (the warm-up part of
   * the first) */
  for (guint i = 0; i < n; i++)
    {
      t0[i] = i == 0 ? -warmup_s : i == 1 ? dur[0] : t0[i - 1] + dur[i - 1];
      a0[i] = i == 0 ? 0.0 : a0[i - 1] + lam[i - 1] * (t0[i] - t0[i - 1]);
      b0[i] = i == 0 ? 0.0 : MAX (b0[i - 1] + (lam[i - 1] - mu) * (t0[i] - t0[i - 1]), 0.0);
    }
  for (guint j = 0; j < FLUID_POINTS; j++)
    {
      /* the phase as reported: the first from 0 */
      double ts = p == 0 ? 0.0 : t0[p];
      double t = ts + (j + 0.5) / FLUID_POINTS * dur[p];
      double b = MAX (b0[p] + (lam[p] - mu) * (t - t0[p]), 0.0);
      double target = a0[p] + lam[p] * (t - t0[p]) - b;
      guint k = p;

      order[j] = j;
      if (!(b > 0.0))
        {
          w[j] = 0.0;
          weight[j] = lam[p];
        }
      else
        {
          /* the phase in which the arrivals reached the target */
          while (k > 0 && a0[k] > target)
            k--;
          w[j] = t - (t0[k] + (target - a0[k]) / lam[k]);
          weight[j] = mu;
        }
      total += weight[j];
    }
  /* sorted by wait */
  for (guint j = 1; j < FLUID_POINTS; j++)
    for (guint i = j; i > 0 && w[order[i - 1]] > w[order[i]]; i--)
      {
        guint tmp = order[i];

        order[i] = order[i - 1];
        order[i - 1] = tmp;
      }
  for (guint j = 0; j < FLUID_POINTS; j++)
    {
      acc += weight[order[j]];
      if (acc >= q * total)
        return 1000.0 * w[order[j]];
    }
  return 1000.0 * w[order[FLUID_POINTS - 1]];
}

/* A second overload behind what a larger one left: 70 s at x1.25 (10 s
 * of warm-up and 60 s: 17,500 waiting), 20 s at half the load (7,500
 * left), then 20 s at x1.25 again.  The requests answered first in the
 * second overload arrived during the lull, at 500 a second, so they
 * waited 15 s, not B / lambda = 6 s; the waits fall to 7.5 s at 87.5 s
 * (the last of the lull's) and then rise with the new backlog to 10 s.
 * Closed form P50 9.17 s, P95 14.0 s; the even spread of B / lambda
 * would read 8.0 and 9.8 s.  The model against it and against the DES,
 * run whole, in every phase */
static void
test_second_overload (void)
{
  static const double dur[] = { 60.0, 20.0, 20.0 }, lam[] = { 1250.0, 500.0, 1250.0 };
  g_autoptr(AbNetwork) net = sim_app_db_network (1000.0, 1, 1, 0.0);
  g_autoptr(AbScenario) sc = ab_scenario_new ();
  g_autoptr(AbDesResult) r = NULL;
  AbModelWaits w;
  g_autoptr(AbModelResult) m = NULL;
  double p50, p95;

  sc->warmup_s = 10.0;
  sc->bucket_s = 1.0;
  sc->seed = 37;
  ab_scenario_add_phase (sc, "peak", dur[0], 1.25, 1.25, TRUE);
  ab_scenario_add_phase (sc, "lull", dur[1], 0.5, 0.5, TRUE);
  ab_scenario_add_phase (sc, "again", dur[2], 1.25, 1.25, TRUE);
  m = sim_model_phase (net, sc, 2, NULL, 1, &w);
  p50 = fluid_phase_quantile (3, dur, lam, 10.0, 1000.0, 2, 0.5);
  p95 = fluid_phase_quantile (3, dur, lam, 10.0, 1000.0, 2, 0.95);
  g_test_message ("again: model P50 %.0f P95 %.0f mean %.0f ms, closed form %.0f / %.0f; share %.3f, served %.1f/s, "
                  "growth %.0f ms/s", m->latency[AB_N_CLASSES].p50_ms, m->latency[AB_N_CLASSES].p95_ms,
                  m->latency[AB_N_CLASSES].mean_ms, p50, p95, w.share, m->served_rps, m->latency_growth);
  g_assert_cmpfloat_with_epsilon (p50, 9167.0, 5.0);
  g_assert_cmpfloat_with_epsilon (p95, 14000.0, 5.0);
  /* the closed form of the first overload is the unbounded test's */
  g_assert_cmpfloat_with_epsilon (fluid_phase_quantile (3, dur, lam, 10.0, 1000.0, 0, 0.5), 8000.0, 5.0);
  /* still overloaded: nothing fails, it serves its capacity, and the
   * latency rises */
  g_assert_true (m->stations[1].overloaded);
  g_assert_cmpfloat (m->error_rate, ==, 0.0);
  g_assert_cmpfloat_with_epsilon (w.share, 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (m->served_rps, 1000.0, 1.0);
  g_assert_cmpfloat_with_epsilon (m->stations[2].offered_rps, 1000.0, 1.0);
  g_assert_cmpfloat (m->latency_growth, >, 0.0);
  /* the waits, to the grid and the pieces */
  g_assert_cmpfloat_with_epsilon (m->latency[AB_N_CLASSES].p50_ms, p50, 0.015 * p95);
  g_assert_cmpfloat_with_epsilon (m->latency[AB_N_CLASSES].p95_ms, p95, 0.015 * p95);

  /* under valgrind (the memory check of CI) the model is enough */
  if (RUNNING_ON_VALGRIND)
    return;
  r = sim_run_des_untruncated (net, sc, 1000000);
  for (guint p = 0; p < 3; p++)
    assert_agrees (net, sc, r, p);
}

/* basic-database-design's reference (sim_reference_app_setup) with its
 * app servers at @rho of their capacity at the normal load (the
 * problem's, or @options'), a timeout of @timeout_ms (0: none) */
static AbSimSetup *
app_setup_with_scenario (double rho, double timeout_ms, const AbSimOptions *options,
                         const AbScenario *scenario, int *app)
{
  g_autoptr(AbSimSetup) probe = sim_reference_app_setup (1.0, 0.0, options, app);
  g_autoptr(AbModelResult) m = ab_model_evaluate (ab_sim_setup_get_network (probe), NULL);
  double at_1ms = m->stations[*app].offered_utilization;

  g_test_message ("app: utilisation %.4f at 1 ms a request", at_1ms);
  return sim_reference_app_setup_with_scenario (rho / at_1ms, timeout_ms, options, scenario, app);
}

/* app_setup_with_scenario under the scenario @options name */
static AbSimSetup *
app_setup (double rho, double timeout_ms, const AbSimOptions *options, int *app)
{
  return app_setup_with_scenario (rho, timeout_ms, options, NULL, app);
}

/* the index of the phase called @name in @s */
static guint
phase_named (const AbSimSummary *s, const char *name)
{
  for (guint p = 0; p < s->n_phases; p++)
    if (g_strcmp0 (s->phases[p].name, name) == 0)
      return p;
  g_assert_not_reached ();
  return 0;
}

/* The summary: a reference whose app servers hold the normal load at 70
 * % and not the x2 peak says the phase after the peak first waits for
 * the backlog there, in the model and in the DES, and that it lasts the
 * phase; the peak itself says the latency rises */
static void
test_summary (void)
{
  g_autoptr(AbSimSetup) setup = NULL;
  g_autoptr(AbSimSummary) s = NULL, ds = NULL;
  g_autoptr(AbDesResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL, *dtext = NULL;
  AbDesConfig config;
  guint after, peak;
  int x = -1;

  setup = app_setup (0.7, 0.0, NULL, &x);
  s = ab_sim_summary_new_model (setup);
  for (guint p = 0; p < s->n_phases; p++)
    g_test_message ("model %s: P50 %.0f ms, draining %d until %.1f s, growth %.0f", s->phases[p].name,
                    s->phases[p].latency[AB_N_CLASSES].p50_ms.value, s->phases[p].draining,
                    s->phases[p].drained_s, s->phases[p].latency_growth);
  g_assert_cmpfloat (s->phases[phase_named (s, "peak")].multiplier, >=, 1.5);
  after = phase_named (s, "ramp-down");
  peak = phase_named (s, "peak");
  g_assert_cmpint (s->phases[after].draining, ==, x);
  /* it lasts the whole phase */
  g_assert_false (isfinite (s->phases[after].drained_s));
  g_assert_cmpint (s->phases[peak].draining, ==, -1);
  g_assert_cmpint (s->phases[s->normal].draining, ==, -1);
  /* the ramp up crosses the capacity: its backlog is its own */
  g_assert_cmpint (s->phases[phase_named (s, "ramp-up")].draining, ==, -1);
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
  g_assert_false (isfinite (ds->phases[after].drained_s));
  g_assert_cmpint (ds->phases[s->normal].draining, ==, -1);

  /* the sentence on its own: without the growth */
  for (guint p = 0; p < s->n_phases; p++)
    s->phases[p].latency_growth = 0.0;
  dtext = ab_sim_summary_latency_text (s, setup);
  g_test_message ("%s", dtext);
  g_assert_true (g_str_has_prefix (dtext, "in the ramp-down phase first waiting for the backlog"));
  g_assert_nonnull (strstr (dtext, ab_sim_setup_get_label (setup, (guint) x)));
  g_assert_true (g_str_has_suffix (dtext, "and it lasts the whole phase"));

  /* with a timeout: its waits stop at it, and the sentence says so */
  {
    g_autoptr(AbSimSetup) timed = app_setup (0.7, 2000.0, NULL, &x);
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

/* When a phase reads as draining (docs/simulation.md, "Draining what an
 * overload left"): when at least a twentieth of the requests it answers
 * waited behind the backlog.  The same reference as test_summary: the
 * failure phase (60 s) leaves a backlog that the recovery answers in its
 * first 1.55 s at the capacity, 15,700 a second: 24,300 requests behind
 * it.  Of a 30 s recovery's answers that is 7.2 %: draining, and the
 * sentence says when it is gone.  Stretched to 50 s, 4.4 %: its P95 is the steady one and it
 * does not read as draining, though it answers 1.3 % more than arrive
 * (which set the flag before). */
static void
test_flag (void)
{
  g_autoptr(AbSimSetup) setup = NULL, longer = NULL;
  g_autoptr(AbSimSummary) s = NULL, ls = NULL;
  g_autofree char *text = NULL;
  g_autoptr(AbScenario) sc = NULL;
  guint rec;
  int x = -1;

  setup = app_setup (0.7, 0.0, NULL, &x);
  s = ab_sim_summary_new_model (setup);
  rec = phase_named (s, "recovery");
  g_test_message ("recovery of 30 s: P50 %.0f P95 %.0f ms, draining %d until %.2f s, served %.0f of %.0f/s",
                  s->phases[rec].latency[AB_N_CLASSES].p50_ms.value,
                  s->phases[rec].latency[AB_N_CLASSES].p95_ms.value, s->phases[rec].draining,
                  s->phases[rec].drained_s, s->phases[rec].stations[x].served_rps,
                  s->phases[rec].stations[x].offered_rps);
  g_assert_cmpint (s->phases[rec].draining, ==, x);
  g_assert_cmpfloat_with_epsilon (s->phases[rec].drained_s, 1.55, 0.05);
  /* the sentence says when, after the phases before it */
  for (guint p = 0; p < s->n_phases; p++)
    {
      s->phases[p].latency_growth = 0.0;
      if (p != rec)
        s->phases[p].draining = -1;
    }
  text = ab_sim_summary_latency_text (s, setup);
  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, "in the recovery phase first waiting for the backlog"));
  g_assert_true (g_str_has_suffix (text, "until it drains 1.55 s into the phase"));

  /* the recovery 50 s long (the last phase: nothing after it moves) */
  sc = ab_scenario_copy (ab_sim_setup_get_scenario (setup));
  g_assert_cmpstr (g_array_index (sc->phases, AbPhase, sc->phases->len - 1).name, ==, "recovery");
  g_array_index (sc->phases, AbPhase, sc->phases->len - 1).duration_s = 50.0;
  longer = app_setup_with_scenario (0.7, 0.0, NULL, sc, &x);
  g_assert_cmpfloat (g_array_index (ab_sim_setup_get_scenario (longer)->phases, AbPhase,
                                    sc->phases->len - 1).duration_s, ==, 50.0);
  ls = ab_sim_summary_new_model (longer);
  g_test_message ("recovery of 50 s: P50 %.0f P95 %.0f ms, draining %d, served %.0f of %.0f/s",
                  ls->phases[rec].latency[AB_N_CLASSES].p50_ms.value,
                  ls->phases[rec].latency[AB_N_CLASSES].p95_ms.value, ls->phases[rec].draining,
                  ls->phases[rec].stations[x].served_rps, ls->phases[rec].stations[x].offered_rps);
  g_assert_cmpint (ls->phases[rec].draining, ==, -1);
  g_assert_false (isfinite (ls->phases[rec].drained_s));
  g_assert_cmpfloat (ls->phases[rec].stations[x].served_rps, >, 1.01 * ls->phases[rec].stations[x].offered_rps);
  g_assert_cmpfloat (ls->phases[rec].latency[AB_N_CLASSES].p95_ms.value, <, 100.0);
}

/* A ramp down from an overload: the phase's points stand for stretches
 * that tile it, each weighted by the requests answered in it (what the
 * DES counts), the waits behind the backlog the fluid walk's over each
 * stretch.  The reference of test_summary at 1,000 reads a second and
 * no writes, its app servers at 30 % of their capacity and a peak of x5
 * (1.5 times their capacity): the ramp down from x5 answers at the
 * capacity throughout while the arrivals fall by five.  The model
 * against a DES run whole, in the ramp down and in the failure phase
 * after it (where the backlog is gone 28.7 s in); weighted by arrivals
 * at the points' own stretches, the ramp down's P95 read 22.9 s against
 * the DES's 19.1 s */
static void
test_ramp (void)
{
  g_autoptr(AbSimSetup) setup = NULL;
  g_autoptr(AbSimSummary) s = NULL, ds = NULL;
  g_autoptr(AbDesResult) r = NULL;
  g_autoptr(GError) error = NULL;
  const char *const names[] = { "peak", "ramp-down", "failure" };
  AbSimOptions options;
  int x = -1;

  ab_sim_options_init (&options);
  options.read_rps = 1000.0;
  options.write_rps = 0.0;
  options.peak_multiplier = 5.0;
  options.seed = 7;
  options.budget = 6000000;
  setup = app_setup (0.3, 0.0, &options, &x);
  s = ab_sim_summary_new_model (setup);
  g_assert_cmpint (s->phases[phase_named (s, "ramp-down")].draining, ==, x);
  g_assert_false (isfinite (s->phases[phase_named (s, "ramp-down")].drained_s));
  g_assert_cmpint (s->phases[phase_named (s, "failure")].draining, ==, x);
  g_assert_cmpfloat_with_epsilon (s->phases[phase_named (s, "failure")].drained_s, 28.7, 0.5);
  g_assert_cmpint (s->phases[phase_named (s, "recovery")].draining, ==, -1);
  /* under valgrind (the memory check of CI) the model is enough */
  if (RUNNING_ON_VALGRIND)
    return;
  r = ab_sim_setup_run_des (setup, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (r->windowed);
  g_assert_false (r->truncated);
  ds = ab_sim_summary_new_des (setup, r);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      guint p = phase_named (s, names[i]);
      const AbLatencyStats *dl = &ds->phases[p].latency[AB_N_CLASSES];
      const AbLatencyStats *ml = &s->phases[p].latency[AB_N_CLASSES];

      g_test_message ("%s: model P50 %.0f P95 %.0f ms, served %.0f/s, draining %d until %.1f s; "
                      "DES P50 %.0f (+-%.0f) P95 %.0f (+-%.0f) ms, served %.0f/s, %" G_GUINT64_FORMAT " requests",
                      names[i], ml->p50_ms.value, ml->p95_ms.value, s->phases[p].served_rps, s->phases[p].draining,
                      s->phases[p].drained_s, dl->p50_ms.value, dl->p50_ms.ci, dl->p95_ms.value, dl->p95_ms.ci,
                      ds->phases[p].served_rps, (guint64) ds->phases[p].requests);
      g_assert_cmpuint (dl->count, >, 10000);
      g_assert_cmpfloat_with_epsilon (s->phases[p].served_rps, ds->phases[p].served_rps,
                                      0.03 * ds->phases[p].served_rps);
      g_assert_cmpfloat_with_epsilon (ml->p50_ms.value, dl->p50_ms.value, 0.10 * dl->p50_ms.value + dl->p50_ms.ci);
      g_assert_cmpfloat_with_epsilon (ml->p95_ms.value, dl->p95_ms.value, 0.10 * dl->p95_ms.value + dl->p95_ms.ci);
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
  g_autoptr(AbNetwork) net = sim_app_db_network (1000.0, 1, 1, 5000.0);
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
  /* the queue the phase began with is gone 10 s into it (70 s) */
  g_assert_cmpfloat_with_epsilon (w.carried, w.share, 1e-9);
  g_assert_cmpfloat_with_epsilon (w.drained_s, 70.0, 0.02);
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
  g_test_add_func ("/model-drain/second-overload", test_second_overload);
  g_test_add_func ("/model-drain/flag", test_flag);
  g_test_add_func ("/model-drain/ramp", test_ramp);
  g_test_add_func ("/model-drain/timeout", test_timeout);
  return g_test_run ();
}
