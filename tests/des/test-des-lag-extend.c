/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A windowed run extends itself for the lag (docs/simulation.md,
 * "Confidence intervals"): a worker of 4,000 instances (8 slots of
 * 150 ms, half busy) behind an application of 200 is followed through 8
 * of its instances, 0.2 % of the chains, and a budget that has to
 * simulate the phase in windows sees a few hundred of them: the slowest
 * end is known to some +-13 %.  The extra pass follows 20 times as many
 * chains (the application's share) for 0.4 of the budget more, and the
 * interval comes within +-5 %.  The users' figures are the replication's
 * alone, to the bit; the same seed gives the same lag. */
#include "config.h"

#include "des-test-util.h"


static void
assert_same_latency (const AbLatencyStats *a, const AbLatencyStats *b)
{
  const AbEstimate *ea[] = { &a->mean_ms, &a->p50_ms, &a->p95_ms, &a->p99_ms };
  const AbEstimate *eb[] = { &b->mean_ms, &b->p50_ms, &b->p95_ms, &b->p99_ms };

  g_assert_cmpuint (a->count, ==, b->count);
  for (guint i = 0; i < G_N_ELEMENTS (ea); i++)
    {
      g_assert_cmpmem (&ea[i]->value, sizeof (double), &eb[i]->value, sizeof (double));
      g_assert_cmpmem (&ea[i]->ci, sizeof (double), &eb[i]->ci, sizeof (double));
    }
}

static void
test_extends (void)
{
  g_autoptr(AbNetwork) net = des_test_lag_fanout ();
  g_autoptr(AbScenario) sc = ab_scenario_new ();
  g_autoptr(AbModelResult) m = ab_model_evaluate (net, NULL);
  g_autoptr(AbDesResult) before = NULL, after = NULL, again = NULL;
  const AbDesPhaseResult *p0, *p1;

  sc->warmup_s = 2.0;
  sc->seed = 11;
  ab_scenario_add_phase (sc, "normal", 20.0, 1.0, 1.0, TRUE);
  before = des_test_run_windowed (net, sc, 200000, 1.0);
  after = des_test_run_windowed (net, sc, 200000, 2.0);
  p0 = &before->phases[0];
  p1 = &after->phases[0];
  g_test_message ("model %.1f ms; one replication %.1f ms +-%.1f; extended (%u pass, %"
                  G_GUINT64_FORMAT " visits more) %.1f ms +-%.1f",
                  m->lag_ms, p0->lag_slowest_ms.value, p0->lag_slowest_ms.ci,
                  after->lag_passes, after->lag_visits,
                  p1->lag_slowest_ms.value, p1->lag_slowest_ms.ci);

  /* before: the worker is the slowest end, known too roughly */
  g_assert_cmpint (p0->lag_slowest_station, ==, 2);
  g_assert_cmpuint (before->lag_passes, ==, 0);
  g_assert_cmpfloat (p0->lag_slowest_ms.ci, >, AB_DES_TARGET_PRECISION * p0->lag_slowest_ms.value);

  /* after: within +-5 %, no more than half the budget more, and about
   * the model's lag */
  g_assert_cmpint (p1->lag_slowest_station, ==, 2);
  g_assert_cmpuint (after->lag_passes, ==, 1);
  g_test_message ("chains %" G_GUINT64_FORMAT " -> %" G_GUINT64_FORMAT ", simulated %.3f s", p0->latency[AB_DES_ASYNC].count, p1->latency[AB_DES_ASYNC].count, p0->simulated_s);
  g_assert_false (after->lag_capped);
  g_assert_cmpuint (after->lag_visits, <=, 0.85 * after->budget);
  g_assert_cmpuint (after->visits, ==, before->visits + after->lag_visits);
  g_assert_cmpfloat (p1->lag_slowest_ms.ci, <=, AB_DES_TARGET_PRECISION * p1->lag_slowest_ms.value);
  g_assert_cmpfloat_with_epsilon (p1->lag_slowest_ms.value, m->lag_ms,
                                  p1->lag_slowest_ms.ci + 0.02 * m->lag_ms);
  g_assert_cmpuint (p1->latency[AB_DES_ASYNC].count, >, 8 * p0->latency[AB_DES_ASYNC].count);

  /* the users' figures, the components and the time series: the
   * replication's, to the bit */
  for (int k = 0; k < AB_DES_N_SERIES; k++)
    if (k != AB_DES_ASYNC)
      assert_same_latency (&p0->latency[k], &p1->latency[k]);
  g_assert_cmpuint (p0->requests, ==, p1->requests);
  g_assert_cmpuint (p0->errors, ==, p1->errors);
  g_assert_cmpmem (&p0->served_rps, sizeof (double), &p1->served_rps, sizeof (double));
  g_assert_cmpmem (&p0->simulated_s, sizeof (double), &p1->simulated_s, sizeof (double));
  g_assert_cmpuint (p0->windows, ==, p1->windows);
  for (guint s = 0; s < net->n_stations; s++)
    g_assert_cmpmem (&p0->stations[s], sizeof (AbDesStationStats), &p1->stations[s], sizeof (AbDesStationStats));
  g_assert_cmpuint (before->n_buckets, ==, after->n_buckets);
  for (guint b = 0; b < before->n_buckets; b++)
    {
      g_assert_cmpmem (&before->buckets[b].served_rps, sizeof (double),
                       &after->buckets[b].served_rps, sizeof (double));
      g_assert_cmpint (before->buckets[b].estimated, ==, after->buckets[b].estimated);
      for (guint s = 0; s < net->n_stations; s++)
        g_assert_cmpmem (&before->buckets[b].stations[s], sizeof (AbDesStationStats),
                         &after->buckets[b].stations[s], sizeof (AbDesStationStats));
    }

  /* the same seed, the same lag */
  again = des_test_run_windowed (net, sc, 200000, 2.0);
  g_assert_cmpmem (&again->phases[0].lag_slowest_ms, sizeof (AbEstimate),
                   &p1->lag_slowest_ms, sizeof (AbEstimate));
  g_assert_cmpuint (again->visits, ==, after->visits);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/des/lag-extend/windowed", test_extends);
  return g_test_run ();
}
