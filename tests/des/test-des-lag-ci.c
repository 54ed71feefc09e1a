/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The interval of the slowest end of background work when the run has
 * no spread between units to go by (docs/simulation.md, "Confidence
 * intervals"): one replication of one batch sees thousands of chains end
 * at the worker, yet no second unit; the interval must not read as exact
 * (0 wide, which a freshness check would judge as a known figure).  It is
 * the chains' own spread as one observation (finite, wide, around the
 * lag), and unbounded for a single chain.  A windowed run's extra pass
 * gives its batches many more chains than the main run's: the lag
 * series' own interval weighs them by their chains, as the slowest end's
 * does. */
#include "config.h"

#include "des-test-util.h"

static AbDesResult *
run_one_unit (double rate, double duration_s, guint64 seed)
{
  g_autoptr(AbNetwork) net = des_test_app_worker (rate, 1, 8, 10.0, 0);
  g_autoptr(AbScenario) sc = des_test_scenario (duration_s, 1.0, 1.0, seed);
  g_autoptr(GError) error = NULL;
  AbDesConfig config;
  AbDesResult *r;

  ab_des_config_init (&config);
  config.replications = 1;
  config.batches = 1;
  r = ab_des_run (net, sc, &config, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->replications, ==, 1);
  return r;
}

static void
test_one_unit (void)
{
  g_autoptr(AbDesResult) r = run_one_unit (200.0, 20.0, 3);
  const AbEstimate *e = &r->phases[0].lag_slowest_ms;

  g_test_message ("%" G_GUINT64_FORMAT " chains, lag %.2f ms +-%.2f (%.2f .. %.2f)",
                  r->phases[0].latency[AB_DES_ASYNC].count, e->value, e->ci, e->ci_low, e->ci_high);
  g_assert_cmpint (r->phases[0].lag_slowest_station, ==, 1);
  g_assert_cmpuint (r->phases[0].latency[AB_DES_ASYNC].count, >, 2000);
  /* the worker's own time, 10 ms exponential: not exact, and as wide as
   * one chain's spread (t(n-1) x 10 ms) */
  g_assert_cmpfloat_with_epsilon (e->value, 10.0, 1.0);
  g_assert_true (isfinite (e->ci));
  g_assert_cmpfloat (e->ci, >, 0.5 * 1.96 * 10.0);
  g_assert_cmpfloat (e->ci, <, 2.0 * 1.96 * 10.0);
  g_assert_cmpfloat (e->ci_low, ==, MAX (0.0, e->value - e->ci));
  g_assert_cmpfloat (e->ci_high, ==, e->value + e->ci);
}

static void
test_one_chain (void)
{
  gboolean seen = FALSE;

  /* a trickle: find a seed whose phase sees exactly one chain end */
  for (guint64 seed = 1; seed < 60 && !seen; seed++)
    {
      g_autoptr(AbDesResult) r = run_one_unit (0.05, 20.0, seed);
      const AbEstimate *e = &r->phases[0].lag_slowest_ms;

      if (r->phases[0].lag_slowest_station != 1 || r->phases[0].latency[AB_DES_ASYNC].count != 1)
        continue;
      seen = TRUE;
      g_test_message ("seed %" G_GUINT64_FORMAT ": one chain, lag %.2f ms, interval %g .. %g",
                      seed, e->value, e->ci_low, e->ci_high);
      g_assert_true (isfinite (e->value));
      g_assert_true (isinf (e->ci) && e->ci > 0.0);
      g_assert_cmpfloat (e->ci_low, ==, 0.0);
      g_assert_true (isinf (e->ci_high) && e->ci_high > 0.0);
    }
  g_assert_true (seen);
}

/* A windowed run with an extra pass for the lag (des_test_lag_fanout):
 * one end, so the lag series' mean and the slowest end come from the
 * same chains and units, and their intervals agree. */
static void
test_weighted_series (void)
{
  g_autoptr(AbNetwork) net = des_test_lag_fanout ();
  g_autoptr(AbScenario) sc = ab_scenario_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AbDesResult) r = NULL;
  AbDesConfig config;
  const AbDesPhaseResult *p;

  sc->warmup_s = 2.0;
  sc->seed = 11;
  ab_scenario_add_phase (sc, "normal", 20.0, 1.0, 1.0, TRUE);
  ab_des_config_init (&config);
  config.sample_budget = 200000;
  config.max_budget_factor = 2.0;
  r = ab_des_run (net, sc, &config, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->lag_passes, ==, 1);
  p = &r->phases[0];
  g_test_message ("slowest end %.2f ms +-%.3f; lag series mean %.2f ms +-%.3f",
                  p->lag_slowest_ms.value, p->lag_slowest_ms.ci,
                  p->latency[AB_DES_ASYNC].mean_ms.value, p->latency[AB_DES_ASYNC].mean_ms.ci);
  g_assert_cmpfloat_with_epsilon (p->latency[AB_DES_ASYNC].mean_ms.value, p->lag_slowest_ms.value,
                                  1e-6 * p->lag_slowest_ms.value);
  g_assert_cmpfloat (p->latency[AB_DES_ASYNC].mean_ms.ci, >, 0.0);
  g_assert_cmpfloat_with_epsilon (p->latency[AB_DES_ASYNC].mean_ms.ci, p->lag_slowest_ms.ci,
                                  0.1 * p->lag_slowest_ms.ci);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/des/lag-ci/one-unit", test_one_unit);
  g_test_add_func ("/des/lag-ci/one-chain", test_one_chain);
  g_test_add_func ("/des/lag-ci/weighted-series", test_weighted_series);
  return g_test_run ();
}
