/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Room for the requests (docs/simulation.md, "Room for the requests"): a
 * run keeps its requests in a pool of at most MAX_FRAMES frames, and the
 * followed requests waiting behind a backlog without a limit or a timeout
 * stay frames from window to window.  A large sample budget once made
 * the windows long enough to pile past the pool: the requests that found
 * no frame were counted as the design's errors (0.98 of them, served a
 * quarter of the capacity, P50 10 s where it is 18 s).  The window plan
 * now keeps what piles up within the room: the same design at a large
 * budget reads what it reads at the default one. */
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
#include "des-test-util.h"
#include "../sim/sim-test-util.h"

/* 20 instances of 8 slots of 1 ms */
#define CAPACITY 160000.0
#define RATE     1760000.0 /* rho 11 */

/* client -> "app" (20 instances x 8 slots, 1 ms, no queue limit, no
 * timeout) -> "db" (1000 slots of 1 ms): reads at RATE */
static AbNetwork *
design (void)
{
  static const char *const ids[] = { "client", "app", "db" };
  AbNetwork *net = des_test_named_network (ids, 3, 1.0);

  net->stations[0].kind = AB_KIND_CLIENT;
  net->stations[0].concurrency = 1000;
  net->stations[1].kind = AB_KIND_APP;
  net->stations[1].instances = 20;
  net->stations[1].concurrency = 8;
  net->stations[2].kind = AB_KIND_DB_PRIMARY;
  net->stations[2].concurrency = 1000;
  for (int i = 1; i < 3; i++)
    for (int k = 0; k < AB_N_CLASSES; k++)
      net->stations[i].service_ms[k] = 1.0;
  for (int k = 0; k < AB_N_CLASSES; k++)
    {
      ab_network_add_call (net, 0, k, 1);
      ab_network_add_call (net, 1, k, 2);
      ab_network_add_entry (net, k, 0, 1.0);
    }
  net->rate[AB_CLASS_READ] = RATE;
  return net;
}

static AbDesResult *
run (guint64 budget)
{
  g_autoptr(AbScenario) sc = ab_scenario_new ();
  g_autoptr(AbNetwork) net = design ();
  g_autoptr(GError) error = NULL;
  AbDesConfig config;
  AbDesResult *r;

  sc->warmup_s = 10.0;
  sc->bucket_s = 1.0;
  sc->seed = 43;
  ab_scenario_add_phase (sc, "over", 20.0, 1.0, 1.0, TRUE);
  ab_des_config_init (&config);
  config.sample_budget = budget;
  r = ab_des_run (net, sc, &config, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);
  g_assert_cmpuint (r->n_phases, ==, 1);
  return r;
}

/* rho 11 for 30 s: some 50 M requests; at the default budget and at 40 M
 * visits (archboard-cli simulate --requests 40000000), no errors, the
 * capacity served and the same P50 */
static void
test_large_budget (void)
{
  AbDesResult *ref, *big;
  double p50_ref, p50_big;

  if (RUNNING_ON_VALGRIND)
    {
      g_test_skip ("tens of millions of visits: too slow under valgrind");
      return;
    }
  ref = run (0);
  big = run (40000000);
  p50_ref = ref->phases[0].latency[AB_N_CLASSES].p50_ms.value;
  p50_big = big->phases[0].latency[AB_N_CLASSES].p50_ms.value;
  g_test_message ("default budget: served %.0f/s, errors %.4f, P50 %.2f s; "
                  "40 M: served %.0f/s, errors %.4f, P50 %.2f s",
                  ref->phases[0].served_rps, ref->phases[0].error_rate, p50_ref / 1000.0,
                  big->phases[0].served_rps, big->phases[0].error_rate, p50_big / 1000.0);
  g_assert_true (big->windowed);
  g_assert_false (big->truncated);
  g_assert_cmpfloat (ref->phases[0].error_rate, <, 1e-3);
  g_assert_cmpfloat (big->phases[0].error_rate, <, 1e-3);
  g_assert_cmpfloat (fabs (big->phases[0].served_rps / CAPACITY - 1.0), <, 0.05);
  g_assert_cmpfloat (fabs (ref->phases[0].served_rps / CAPACITY - 1.0), <, 0.05);
  g_assert_cmpfloat (fabs (p50_big / p50_ref - 1.0), <, 0.10);
  ab_des_result_free (ref);
  ab_des_result_free (big);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/des/room/large-budget", test_large_budget);
  return g_test_run ();
}
