/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A background consumer slower than its producer: requests hand work
 * asynchronously to a worker whose queue fills to its limit and then
 * rejects.  Its lag (the wait behind a full queue) and the share of the
 * work lost must agree with the model (M/M/c/K above saturation) in the
 * DES, simulated whole and in windows shorter than that wait, the time
 * between them fast-forwarded by the fluid model (docs/simulation.md,
 * "The backlog between windows"). */
#include "config.h"

#include "des-test-util.h"

/* how far the DES may be from the model: the lag (relative) and the
 * share of background work lost (absolute) */
#define LAG_TOLERANCE  0.05
#define LOST_TOLERANCE 0.03

/* "normal" at x1 and "peak" at @peak, @duration_s each after a warm-up
 * of @warmup_s */
static AbScenario *
two_phases (double duration_s, double warmup_s, double peak)
{
  AbScenario *sc = ab_scenario_new ();

  sc->warmup_s = warmup_s;
  sc->bucket_s = 1.0;
  sc->seed = 81;
  ab_scenario_add_phase (sc, "normal", duration_s, 1.0, 1.0, TRUE);
  if (peak > 0.0)
    ab_scenario_add_phase (sc, "peak", duration_s, peak, peak, TRUE);
  return sc;
}

static AbDesResult *
run (const AbNetwork *net, const AbScenario *sc, guint64 budget, gboolean empty_start)
{
  g_autoptr(GError) error = NULL;
  AbDesConfig config;
  AbDesResult *r;

  ab_des_config_init (&config);
  config.sample_budget = budget;
  config.replications = 1;
  config.empty_start = empty_start;
  r = ab_des_run (net, sc, &config, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);
  g_assert_false (r->truncated);
  return r;
}

/* Each reported phase of @r against the model at the phase's multiplier:
 * the consumer is overloaded, its lag and lost share agree. */
static void
assert_agrees (const AbNetwork *net, const AbScenario *sc, const AbDesResult *r)
{
  g_assert_cmpuint (r->n_phases, ==, sc->phases->len);
  for (guint i = 0; i < r->n_phases; i++)
    {
      const AbDesPhaseResult *p = &r->phases[i];
      AbModelInput input = { .multiplier = g_array_index (sc->phases, AbPhase, i).mult_start };
      g_autoptr(AbModelResult) m = ab_model_evaluate (net, &input);
      double lag = p->latency[AB_DES_ASYNC].mean_ms.value;

      g_test_message ("%s: model lag %.1f ms, %.1f %% lost; DES lag %.1f ms (+-%.1f, %" G_GUINT64_FORMAT
                      " finished), %.1f %% lost (%" G_GUINT64_FORMAT " stages), %.3f s simulated in %u",
                      p->name, m->lag_ms, 100.0 * m->background_error_rate, lag,
                      p->latency[AB_DES_ASYNC].mean_ms.ci, p->latency[AB_DES_ASYNC].count,
                      100.0 * p->background_error_rate, p->async_requests, p->simulated_s, p->windows);
      g_assert_true (m->stations[1].overloaded);
      g_assert_cmpfloat (m->background_error_rate, >, 0.05);
      g_assert_cmpuint (p->latency[AB_DES_ASYNC].count, >, 500);
      g_assert_cmpfloat_with_epsilon (lag, m->lag_ms, LAG_TOLERANCE * m->lag_ms);
      g_assert_cmpfloat_with_epsilon (p->background_error_rate, m->background_error_rate, LOST_TOLERANCE);
      /* where freshness is judged: at the worker, with a real interval
       * (the waits behind the backlog spread over the phase's batches) */
      g_assert_cmpint (m->lag_slowest_station, ==, 1);
      g_assert_cmpint (p->lag_slowest_station, ==, 1);
      g_assert_cmpfloat_with_epsilon (p->lag_slowest_ms.value, m->lag_slowest_ms, LAG_TOLERANCE * m->lag_slowest_ms);
      g_assert_cmpfloat (p->latency[AB_DES_ASYNC].mean_ms.ci, >, 0.0);
      g_assert_cmpfloat (p->lag_slowest_ms.ci, >, 0.0);
    }
}

/* 200,000 writes/s against 20 workers of 8 slots at 1 ms (160,000/s):
 * x1.25, then x2.5 at the peak; a full queue of 16,384 per instance is
 * a 2 s wait.  The budget allows two windows of about half a second (a
 * quarter at the peak) per phase, shorter than that wait: a request
 * that arrives in a window finishes after it, and must still count, with
 * its whole wait. */
static void
test_windowed (void)
{
  g_autoptr(AbNetwork) net = des_test_app_worker (200000.0, 20, 8, 1.0, 16384);
  g_autoptr(AbScenario) sc = two_phases (20.0, 10.0, 2.0);
  g_autoptr(AbDesResult) r = run (net, sc, 100000, FALSE);

  g_assert_true (r->windowed);
  for (guint i = 0; i < r->n_phases; i++)
    {
      g_assert_cmpuint (r->phases[i].windows, >=, 1);
      g_assert_cmpfloat (r->phases[i].simulated_s / r->phases[i].windows, <, 0.6);
    }
  assert_agrees (net, sc, r);
}

/* The same consumer scaled down to one worker of one slot at 1 ms
 * against 1,250 writes/s (a queue of 200: a 200 ms wait), simulated
 * whole. */
static void
test_whole (void)
{
  g_autoptr(AbNetwork) net = des_test_app_worker (1250.0, 1, 1, 1.0, 200);
  g_autoptr(AbScenario) sc = two_phases (10.0, 5.0, 2.0);
  g_autoptr(AbDesResult) r = run (net, sc, 200000, FALSE);

  g_assert_false (r->windowed);
  assert_agrees (net, sc, r);
}

/* x1.1 against a queue of 2,000: from empty it fills in 20 s, longer
 * than the warm-up.  The run starts from the stationary state, the queue
 * near full, as the model's figures are; an empty start reads the lag
 * far lower and loses nothing. */
static void
test_starts_full (void)
{
  g_autoptr(AbNetwork) net = des_test_app_worker (1100.0, 1, 1, 1.0, 2000);
  g_autoptr(AbScenario) sc = two_phases (10.0, 5.0, 0.0);
  g_autoptr(AbDesResult) r = run (net, sc, 200000, FALSE);
  g_autoptr(AbDesResult) cold = run (net, sc, 200000, TRUE);
  g_autoptr(AbModelResult) m = ab_model_evaluate (net, NULL);

  g_assert_false (r->windowed);
  assert_agrees (net, sc, r);
  g_test_message ("from empty: lag %.1f ms, %.1f %% lost",
                  cold->phases[0].latency[AB_DES_ASYNC].mean_ms.value,
                  100.0 * cold->phases[0].background_error_rate);
  g_assert_cmpfloat (cold->phases[0].latency[AB_DES_ASYNC].mean_ms.value, <, 0.75 * m->lag_ms);
  g_assert_cmpfloat (cold->phases[0].background_error_rate, <, 0.01);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/des/backlog/windowed", test_windowed);
  g_test_add_func ("/des/backlog/whole", test_whole);
  g_test_add_func ("/des/backlog/starts-full", test_starts_full);
  return g_test_run ();
}
