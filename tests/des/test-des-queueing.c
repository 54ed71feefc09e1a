/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The DES against queueing theory: M/M/1 and M/M/c (Erlang C) means and
 * sojourn-time percentiles, M/D/1 (Pollaczek-Khinchine), a tandem network,
 * Little's law per station, lognormal service.  Fixed seeds; 10
 * replications of about 200 k requests each. */
#include "config.h"

#include "des-test-util.h"

static AbDesResult *
run_chain (guint n, int c, double rho, AbDist dist, double cv, double requests, guint64 seed)
{
  const double service_ms = 10.0, mu = 100.0;
  double lambda = rho * c * mu;
  g_autoptr(AbNetwork) net = des_test_chain (n, c, service_ms, lambda, dist);
  g_autoptr(AbScenario) sc = des_test_scenario (requests / lambda / 10.0, 50.0, 100.0, seed);
  g_autoptr(GError) error = NULL;
  AbDesConfig cfg;
  AbDesResult *result;

  for (guint i = 0; i < n; i++)
    net->stations[i].cv = cv;
  ab_des_config_init (&cfg);
  cfg.replications = 10;
  cfg.sample_budget = (guint64) (requests * n * 2);
  result = ab_des_run (net, sc, &cfg, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpuint (result->replications, ==, 10);
  g_assert_false (result->truncated);
  g_assert_cmpfloat (result->tracked_fraction, ==, 1.0);
  return result;
}

static void
assert_close (const char *what, AbEstimate est, double expect, double rel)
{
  double err = est.value / expect - 1.0;

  g_test_message ("%s: %.4f ms (+- %.4f) vs %.4f ms: %+.2f %%",
                  what, est.value, est.ci, expect, 100.0 * err);
  g_assert_cmpfloat (fabs (err), <, rel);
  /* the confidence interval is honest: the exact value is inside a
   * generous multiple of it, and it is not absurdly wide */
  g_assert_cmpfloat (est.ci, >, 0.0);
  g_assert_cmpfloat (fabs (est.value - expect), <, 3.0 * est.ci);
  g_assert_cmpfloat (est.ci, <, 0.05 * expect);
}

static void
check_mmc (int c, double rho, double requests, guint64 seed)
{
  const double mu = 100.0;
  double lambda = rho * c * mu;
  g_autoptr(AbDesResult) r = run_chain (1, c, rho, AB_DIST_EXPONENTIAL, 1.0, requests, seed);
  const AbLatencyStats *l = &r->phases[0].latency[AB_DES_ALL];
  const AbDesStationStats *st = &r->phases[0].stations[0];
  g_autofree char *label = g_strdup_printf ("M/M/%d rho %.2f", c, rho);

  g_test_message ("%s: %" G_GUINT64_FORMAT " requests", label, l->count);
  g_assert_cmpuint (l->count, >, requests * 0.98);
  g_assert_cmpuint (r->phases[0].latency[AB_DES_READ].count, ==, l->count);
  g_assert_cmpuint (r->phases[0].latency[AB_DES_WRITE].count, ==, 0);
  assert_close ("mean", l->mean_ms, 1000.0 * des_test_mmc_mean (c, lambda, mu), 0.01);
  assert_close ("P95", l->p95_ms, 1000.0 * des_test_mmc_quantile (c, lambda, mu, 0.95), 0.02);
  assert_close ("P99", l->p99_ms, 1000.0 * des_test_mmc_quantile (c, lambda, mu, 0.99), 0.05);
  g_assert_cmpfloat_with_epsilon (st->utilization, rho, 0.01 * rho);
  g_assert_cmpfloat_with_epsilon (st->served_rps, lambda, 0.01 * lambda);
  g_assert_cmpfloat_with_epsilon (r->phases[0].offered_rps, lambda, 0.01 * lambda);
  g_assert_cmpfloat_with_epsilon (r->phases[0].served_rps, lambda, 0.01 * lambda);
  g_assert_cmpfloat (r->phases[0].error_rate, ==, 0.0);
}

static void
test_mm1 (void)
{
  check_mmc (1, 0.5, 2e6, 11);
}

static void
test_mm2 (void)
{
  check_mmc (2, 0.7, 2e6, 12);
}

static void
test_mm4 (void)
{
  check_mmc (4, 0.8, 3e6, 13);
}

static void
test_mm8 (void)
{
  check_mmc (8, 0.6, 2e6, 14);
}

static void
test_md1 (void)
{
  const double rho = 0.7, mu = 100.0;
  g_autoptr(AbDesResult) r = run_chain (1, 1, rho, AB_DIST_DETERMINISTIC, 0.0, 2e6, 15);
  /* Pollaczek-Khinchine with zero service variance */
  double expect = 1000.0 * (1.0 / mu + rho / (2.0 * mu * (1.0 - rho)));

  assert_close ("M/D/1 mean", r->phases[0].latency[AB_DES_ALL].mean_ms, expect, 0.01);
  /* no request is faster than the service time */
  g_assert_cmpfloat (ab_histogram_min (r->histograms[AB_DES_ALL]), >=, 10.0 - 1e-9);
}

static void
test_mg1_lognormal (void)
{
  const double rho = 0.6, mu = 100.0, cv = 0.5;
  g_autoptr(AbDesResult) r = run_chain (1, 1, rho, AB_DIST_LOGNORMAL, cv, 2e6, 16);
  /* Pollaczek-Khinchine: W = 1/mu + rho (1 + cv^2) / (2 mu (1 - rho)) */
  double expect = 1000.0 * (1.0 / mu + rho * (1.0 + cv * cv) / (2.0 * mu * (1.0 - rho)));

  assert_close ("M/G/1 lognormal cv 0.5 mean", r->phases[0].latency[AB_DES_ALL].mean_ms, expect, 0.02);
}

static void
test_tandem (void)
{
  const double rho = 0.5, mu = 100.0;
  g_autoptr(AbDesResult) r = run_chain (3, 1, rho, AB_DIST_EXPONENTIAL, 1.0, 2e6, 17);
  double per_station = 1000.0 * des_test_mmc_mean (1, rho * mu, mu);
  double sum = 0.0;

  /* Jackson: each station is an M/M/1 and the means add up */
  assert_close ("tandem mean", r->phases[0].latency[AB_DES_ALL].mean_ms, 3.0 * per_station, 0.01);
  for (int i = 0; i < 3; i++)
    {
      const AbDesStationStats *st = &r->phases[0].stations[i];

      g_assert_cmpfloat_with_epsilon (st->sojourn_ms, per_station, 0.02 * per_station);
      sum += st->sojourn_ms;
    }
  g_assert_cmpfloat_with_epsilon (sum, r->phases[0].latency[AB_DES_ALL].mean_ms.value,
                                  0.001 * sum);
}

static void
test_little (void)
{
  /* a small network with different stations: L = X W at each */
  g_autoptr(AbNetwork) net = des_test_chain (3, 1, 10.0, 60.0, AB_DIST_EXPONENTIAL);
  g_autoptr(AbScenario) sc = des_test_scenario (2000.0, 20.0, 100.0, 18);
  g_autoptr(AbDesResult) r = NULL;
  g_autoptr(GError) error = NULL;
  AbDesConfig cfg;

  net->stations[1].concurrency = 3;
  net->stations[1].service_ms[AB_CLASS_READ] = 40.0;
  net->stations[2].dist = AB_DIST_DETERMINISTIC;
  net->stations[2].service_ms[AB_CLASS_READ] = 5.0;
  ab_des_config_init (&cfg);
  cfg.replications = 2;
  r = ab_des_run (net, sc, &cfg, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 3; i++)
    {
      const AbDesStationStats *st = &r->phases[0].stations[i];
      double little = st->served_rps * st->sojourn_ms / 1000.0;

      g_test_message ("station %d: L %.4f, X W %.4f, queue %.4f, util %.3f",
                      i, st->in_station, little, st->queue_length, st->utilization);
      g_assert_cmpfloat_with_epsilon (st->in_station, little, 0.02 * little);
      g_assert_cmpfloat (st->queue_length, <, st->in_station);
      g_assert_cmpfloat_with_epsilon (st->served_rps, 60.0, 1.5);
      g_assert_cmpfloat (st->instances, ==, 1.0);
    }
  /* station 1 is M/M/3 at 60/s with 40 ms: utilisation 0.8 */
  g_assert_cmpfloat_with_epsilon (r->phases[0].stations[1].utilization, 0.8, 0.02);
}

/* Least connections against one pooled queue: never shorter (beyond the
 * noise), at most @rel longer */
static void
assert_pooled (const char *what, AbEstimate est, double pooled, double rel)
{
  g_test_message ("%s: %.4f ms (+- %.4f) vs pooled %.4f ms: %+.2f %%",
                  what, est.value, est.ci, pooled, 100.0 * (est.value / pooled - 1.0));
  g_assert_cmpfloat (est.value + 2.0 * est.ci, >, pooled);
  g_assert_cmpfloat (est.value, <, pooled * (1.0 + rel));
}

/* n instances of c slots under a balancing policy, at utilisation rho */
static AbDesResult *
run_balanced (AbBalance policy, int n, int c, double rho, double requests, guint64 seed)
{
  const double mu = 100.0;
  double lambda = rho * n * c * mu;
  g_autoptr(AbNetwork) net = des_test_chain (1, c, 10.0, lambda, AB_DIST_EXPONENTIAL);
  g_autoptr(AbScenario) sc = des_test_scenario (requests / lambda / 10.0, 20.0, 100.0, seed);
  g_autoptr(GError) error = NULL;
  AbDesConfig cfg;
  AbDesResult *result;

  net->stations[0].instances = n;
  net->stations[0].balance = policy;
  ab_des_config_init (&cfg);
  cfg.replications = 10;
  cfg.sample_budget = (guint64) (requests * 2.5);
  result = ab_des_run (net, sc, &cfg, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->representatives, >=, (guint) n);
  g_assert_cmpfloat (result->tracked_fraction, ==, 1.0);
  return result;
}

static void
test_balancing (void)
{
  const double mu = 100.0, rho = 0.7;
  const int n = 4;
  double lambda = rho * n * mu;
  g_autoptr(AbDesResult) rr = run_balanced (AB_BALANCE_ROUND_ROBIN, n, 1, rho, 1e6, 21);
  g_autoptr(AbDesResult) rnd = run_balanced (AB_BALANCE_RANDOM, n, 1, rho, 1e6, 23);
  g_autoptr(AbDesResult) lc1 = run_balanced (AB_BALANCE_LEAST_CONNECTIONS, n, 1, rho, 1e6, 22);
  g_autoptr(AbDesResult) lc = run_balanced (AB_BALANCE_LEAST_CONNECTIONS, n, 4, rho, 1e6, 24);
  g_autoptr(AbDesResult) lc2 = run_balanced (AB_BALANCE_LEAST_CONNECTIONS, 2 * n, 4, rho, 1e6, 25);
  double sigma = ab_erlang_gim1_sigma (n, rho);
  double pooled1 = 1000.0 * des_test_mmc_mean (n, lambda, mu);
  double separate = 1000.0 * des_test_mmc_mean (1, lambda / n, mu);
  double lc1_mean = lc1->phases[0].latency[AB_DES_ALL].mean_ms.value;

  /* round robin over 4 single-slot instances: each is E4/M/1, exact */
  assert_close ("round robin mean (E4/M/1)", rr->phases[0].latency[AB_DES_ALL].mean_ms,
                1000.0 / mu * (1.0 + sigma / (1.0 - sigma)), 0.01);
  /* random: 4 separate M/M/1 queues */
  assert_close ("random mean (M/M/1)", rnd->phases[0].latency[AB_DES_ALL].mean_ms, separate, 0.01);
  g_assert_cmpfloat (rr->phases[0].latency[AB_DES_ALL].mean_ms.value, <, 0.75 * separate);
  /* least connections over single-slot instances (join the shortest
   * queue): a request waits at its instance, so longer than one pooled
   * M/M/4, far shorter than separate queues */
  g_test_message ("least connections, 4 x 1 slot: %.4f ms, pooled M/M/4 %.4f ms, separate %.4f ms",
                  lc1_mean, pooled1, separate);
  g_assert_cmpfloat (lc1_mean, >, pooled1);
  g_assert_cmpfloat (lc1_mean, <, 1.15 * pooled1);
  /* with several slots per instance, least connections is the pool:
   * 4 x 4 slots against M/M/16, 8 x 4 against M/M/32 */
  assert_pooled ("least connections 4 x 4 (M/M/16)", lc->phases[0].latency[AB_DES_ALL].mean_ms,
                 1000.0 * des_test_mmc_mean (4 * n, 4 * lambda, mu), 0.02);
  assert_pooled ("least connections 4 x 4 P95 (M/M/16)", lc->phases[0].latency[AB_DES_ALL].p95_ms,
                 1000.0 * des_test_mmc_quantile (4 * n, 4 * lambda, mu, 0.95), 0.03);
  assert_pooled ("least connections 8 x 4 (M/M/32)", lc2->phases[0].latency[AB_DES_ALL].mean_ms,
                 1000.0 * des_test_mmc_mean (8 * n, 8 * lambda, mu), 0.02);
  /* doubling the instances at equal utilisation lowers latency */
  g_assert_cmpfloat (lc2->phases[0].latency[AB_DES_ALL].mean_ms.value, <,
                     0.99 * lc->phases[0].latency[AB_DES_ALL].mean_ms.value);
  g_assert_cmpfloat_with_epsilon (lc->phases[0].stations[0].utilization, rho, 0.01);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/des/queueing/mm1", test_mm1);
  g_test_add_func ("/des/queueing/mm2", test_mm2);
  g_test_add_func ("/des/queueing/mm4", test_mm4);
  g_test_add_func ("/des/queueing/mm8", test_mm8);
  g_test_add_func ("/des/queueing/md1", test_md1);
  g_test_add_func ("/des/queueing/mg1-lognormal", test_mg1_lognormal);
  g_test_add_func ("/des/queueing/tandem", test_tandem);
  g_test_add_func ("/des/queueing/balancing", test_balancing);
  g_test_add_func ("/des/queueing/little", test_little);
  return g_test_run ();
}
