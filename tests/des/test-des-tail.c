/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The last phase of a run keeps its background chains: a run goes on
 * past its end, unreported, until the chains started in its phases have
 * ended (docs/simulation.md, "Background work is lag, not latency").
 * Chains of 200 ms on average (exponential) against a last phase of half
 * a second: cut at the run's end, the long ones were lost and the phase's
 * lag read a third low. */
#include "config.h"

#include "des-test-util.h"

static void
test_last_phase (void)
{
  /* the worker: one instance of 5,000 slots at 200 ms, a pure wait
   * (1,000 of them busy) */
  g_autoptr(AbNetwork) net = des_test_app_worker (5000.0, 1, 5000, 200.0, 0);
  g_autoptr(AbScenario) sc = ab_scenario_new ();
  g_autoptr(AbModelResult) m = ab_model_evaluate (net, NULL);
  g_autoptr(AbDesResult) r = NULL;
  g_autoptr(GError) error = NULL;
  AbDesConfig config;

  sc->warmup_s = 1.0;
  sc->seed = 85;
  ab_scenario_add_phase (sc, "normal", 2.0, 1.0, 1.0, TRUE);
  ab_scenario_add_phase (sc, "last", 0.5, 1.0, 1.0, TRUE);
  ab_des_config_init (&config);
  config.sample_budget = 2000000;
  config.replications = 8;
  r = ab_des_run (net, sc, &config, &error);
  g_assert_no_error (error);
  g_assert_false (r->windowed);
  g_assert_false (r->truncated);
  g_assert_cmpfloat_with_epsilon (m->lag_ms, 200.0, 1e-9);
  for (guint i = 0; i < r->n_phases; i++)
    {
      const AbDesPhaseResult *p = &r->phases[i];
      const AbEstimate *lag = &p->latency[AB_DES_ASYNC].mean_ms;
      /* every chain started in the phase ended and counted: about 5,000
       * a second of it, per replication */
      double started = 5000.0 * p->duration_s * r->replications;

      g_test_message ("%s: lag %.1f ms (+-%.1f), %" G_GUINT64_FORMAT " chains ended of about %.0f started",
                      p->name, lag->value, lag->ci, p->latency[AB_DES_ASYNC].count, started);
      g_assert_cmpfloat_with_epsilon (lag->value, 200.0, MAX (lag->ci, 0.03 * 200.0));
      g_assert_cmpfloat_with_epsilon ((double) p->latency[AB_DES_ASYNC].count, started, 0.03 * started);
      g_assert_cmpfloat (p->background_error_rate, ==, 0.0);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/des/tail/last-phase", test_last_phase);
  return g_test_run ();
}
