/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Least connections is one pool (docs/simulation.md, "Representative
 * instances"): a client sends requests to a stream of n instances of
 * SLOTS slots each (5 ms, exponential) under least connections, at
 * utilisation 0.5 to 0.95, for n = 4, 20 and 100, simulated whole and in
 * windows.  A request then waits only when every slot of every instance
 * is busy: the pooled M/M/(n SLOTS) queue, the model's figure.
 *
 * With more instances than representatives the DES follows only some of
 * them; their slots alone pool k SLOTS (at most 8 instances' worth), and
 * a pool of 64 slots waits far more than one of 800 near saturation
 * (at 0.9 with 100 instances: +7.8 % / +3.3 % at the P50 / P95 in a
 * windowed run, before the rest of the pool was simulated as well). */
#include "config.h"

#include "des-test-util.h"

#define SLOTS 8
#define MU    200.0 /* per slot: 5 ms */

/* client (a pass-through) -> stream of @n instances, least connections,
 * at utilisation @rho */
static AbDesResult *
run_pool (int n, double rho, gboolean windowed)
{
  double lambda = rho * n * SLOTS * MU;
  g_autoptr(AbNetwork) net = des_test_balanced_stream (n, SLOTS, 1000.0 / MU, lambda, AB_BALANCE_LEAST_CONNECTIONS);
  g_autoptr(AbScenario) sc = NULL;
  g_autoptr(GError) error = NULL;
  AbDesConfig cfg;
  AbDesResult *r;

  ab_des_config_init (&cfg);
  if (windowed)
    {
      /* the budget buys a small part of the timeline */
      sc = des_test_scenario (600.0, 20.0, 1.0, 5);
      cfg.sample_budget = 160000;
    }
  else
    {
      double secs = 250000.0 / (lambda * MIN (1.0, 8.0 / n));

      sc = des_test_scenario (secs, 0.2 * secs, secs / 20.0, 5);
      cfg.sample_budget = 320000;
    }
  r = ab_des_run (net, sc, &cfg, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);
  g_assert_false (r->truncated);
  if (windowed)
    g_assert_cmpuint (r->phases[0].windows, >, 1);
  else
    g_assert_cmpuint (r->phases[0].windows, ==, 1);
  return r;
}

static int failures;

static void
check (const char *what, int n, double rho, gboolean windowed, AbEstimate est, double expect)
{
  double err = est.value / expect - 1.0;
  gboolean ok = fabs (est.value - expect) < 0.02 * expect + est.ci;

  g_test_message ("n %3d  rho %.2f  %-8s %s: %.3f ms (+- %.3f) vs M/M/%d %.3f ms: %+.1f %%%s",
                  n, rho, windowed ? "windowed" : "whole", what, est.value, est.ci,
                  n * SLOTS, expect, 100.0 * err, ok ? "" : "  OUTSIDE");
  if (!ok)
    failures++;
}

static void
test_pool (gconstpointer data)
{
  const int n = GPOINTER_TO_INT (data);
  const double rhos[] = { 0.5, 0.8, 0.9, 0.95 };

  failures = 0;
  for (guint i = 0; i < G_N_ELEMENTS (rhos); i++)
    for (int w = 0; w < 2; w++)
      {
        double lambda = rhos[i] * n * SLOTS * MU;
        g_autoptr(AbDesResult) r = run_pool (n, rhos[i], w);
        const AbLatencyStats *lat = &r->phases[0].latency[AB_DES_ALL];

        g_assert_cmpfloat_with_epsilon (r->phases[0].stations[1].utilization, rhos[i], 0.03);
        check ("P50", n, rhos[i], w, lat->p50_ms,
               1000.0 * des_test_mmc_quantile (n * SLOTS, lambda, MU, 0.5));
        check ("P95", n, rhos[i], w, lat->p95_ms,
               1000.0 * des_test_mmc_quantile (n * SLOTS, lambda, MU, 0.95));
      }
  g_assert_cmpint (failures, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/des/pool/4", GINT_TO_POINTER (4), test_pool);
  g_test_add_data_func ("/des/pool/20", GINT_TO_POINTER (20), test_pool);
  g_test_add_data_func ("/des/pool/100", GINT_TO_POINTER (100), test_pool);
  return g_test_run ();
}
