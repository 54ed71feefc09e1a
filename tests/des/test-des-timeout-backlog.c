/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A background consumer slower than its producer whose work times out:
 * 320,000 writes/s handed to 20 workers of 8 slots at 1 ms (160,000/s)
 * that give up on a change after 60 s of waiting.  The backlog grows at
 * 160,000/s until the oldest change has waited the timeout, then stays
 * at the served rate times the timeout (9.6 M): the lag is the timeout
 * and half the work is lost.  The model and the DES simulated in
 * windows (the fluid model between them, docs/simulation.md "The
 * backlog between windows") must agree. */
#include "config.h"

#include "des-test-util.h"
#include "../sim/sim-test-util.h"

#define TIMEOUT_S 60.0

static AbNetwork *
timeout_network (void)
{
  AbNetwork *net = des_test_app_worker (320000.0, 20, 8, 1.0, 0);

  net->stations[1].timeout_ms = 1000.0 * TIMEOUT_S;
  return net;
}

/* warm-up 10 s, "normal" for 60 s (the backlog fills), "later" for 60 s
 * (it stays full) */
static AbScenario *
two_phases (void)
{
  AbScenario *sc = ab_scenario_new ();

  sc->warmup_s = 10.0;
  sc->bucket_s = 1.0;
  sc->seed = 83;
  ab_scenario_add_phase (sc, "normal", 60.0, 1.0, 1.0, TRUE);
  ab_scenario_add_phase (sc, "later", 60.0, 1.0, 1.0, TRUE);
  return sc;
}

static void
test_later (void)
{
  g_autoptr(AbNetwork) net = timeout_network ();
  g_autoptr(AbScenario) sc = two_phases ();
  g_autoptr(AbModelResult) m = sim_model_phase (net, sc, 1, NULL, 0, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AbDesResult) r = NULL;
  AbDesConfig config;
  const AbDesPhaseResult *d;

  ab_des_config_init (&config);
  config.sample_budget = 200000;
  r = ab_des_run (net, sc, &config, &error);
  g_assert_no_error (error);
  g_assert_true (r->windowed);
  g_assert_false (r->truncated);
  for (guint p = 0; p < r->n_phases; p++)
    {
      d = &r->phases[p];
      g_test_message ("%s: DES lag %.0f ms (slowest %.0f +-%.0f, %" G_GUINT64_FORMAT " chains), "
                      "%.1f %% lost (%" G_GUINT64_FORMAT " stages), %.2f s simulated in %u windows",
                      d->name, d->latency[AB_DES_ASYNC].mean_ms.value, d->lag_slowest_ms.value,
                      d->lag_slowest_ms.ci, d->latency[AB_DES_ASYNC].count,
                      100.0 * d->background_error_rate, d->async_requests, d->simulated_s, d->windows);
    }
  g_test_message ("model, later: lag %.0f ms (slowest %.0f), %.1f %% lost, backlog %.3g",
                  m->lag_ms, m->lag_slowest_ms, 100.0 * m->background_error_rate, m->stations[1].backlog);

  /* the model: the timeout's lag, half lost */
  g_assert_cmpfloat_with_epsilon (m->lag_slowest_ms, 1000.0 * TIMEOUT_S, 0.1 * 1000.0 * TIMEOUT_S);
  g_assert_cmpfloat_with_epsilon (m->background_error_rate, 0.5, 0.05);

  /* the DES, in windows: the same */
  d = &r->phases[1];
  g_assert_cmpint (d->lag_slowest_station, ==, 1);
  g_assert_cmpuint (d->latency[AB_DES_ASYNC].count, >, 100);
  g_assert_cmpfloat_with_epsilon (d->lag_slowest_ms.value, 1000.0 * TIMEOUT_S, 0.1 * 1000.0 * TIMEOUT_S);
  g_assert_cmpfloat_with_epsilon (d->background_error_rate, 0.5, 0.05);

  /* while the backlog fills (the normal phase: 40 s at its middle),
   * nothing is lost yet, in either */
  {
    g_autoptr(AbModelResult) m0 = sim_model_phase (net, sc, 0, NULL, 0, NULL);

    d = &r->phases[0];
    g_test_message ("model, normal: lag %.0f ms, %.1f %% lost", m0->lag_slowest_ms,
                    100.0 * m0->background_error_rate);
    g_assert_cmpfloat (m0->background_error_rate, <, 0.01);
    g_assert_cmpfloat (d->background_error_rate, <, 0.01);
    g_assert_cmpfloat_with_epsilon (d->lag_slowest_ms.value, m0->lag_slowest_ms, 0.1 * m0->lag_slowest_ms);
  }

  /* the same seed, the same figures */
  {
    g_autoptr(AbDesResult) again = ab_des_run (net, sc, &config, &error);

    g_assert_no_error (error);
    for (guint p = 0; p < r->n_phases; p++)
      {
        g_assert_cmpmem (&again->phases[p].lag_slowest_ms, sizeof (AbEstimate),
                         &r->phases[p].lag_slowest_ms, sizeof (AbEstimate));
        g_assert_cmpuint (again->phases[p].async_errors, ==, r->phases[p].async_errors);
      }
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/des/timeout-backlog/later", test_later);
  return g_test_run ();
}
