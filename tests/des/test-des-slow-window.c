/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Requests slower than a windowed run's windows (docs/simulation.md,
 * "Slow requests in windows"): users 10 s away from an M/M/1.  A request
 * takes 10 s plus the queue's sojourn, and a run on a small budget
 * simulates its phase in windows of a fraction of a second.  Lived
 * through, the delay carried each request out of the window it started
 * in, and the phase counted only the few that came back to finish in a
 * later window: served far below offered, without errors.  A delay no
 * caller holds a slot for is now added to the latency instead: the
 * windowed phase serves what it is offered, at the closed form's
 * percentiles, as the run simulated whole does. */
#include "config.h"

#include <math.h>

#include "ab-sim-api.h"
#include "des-test-util.h"
#include "../sim/sim-test-util.h"

/* client -> @delay_ms -> "db" (one exponential slot of 1 / @mu s):
 * reads at @lambda */
static AbNetwork *
slow_users (double delay_ms, double mu, double lambda)
{
  static const char *const ids[] = { "client", "db" };
  AbNetwork *net = des_test_named_network (ids, 2, 1.0);

  net->stations[0].kind = AB_KIND_CLIENT;
  net->stations[0].concurrency = 0;
  net->stations[1].kind = AB_KIND_DB_PRIMARY;
  net->stations[1].concurrency = 1;
  for (int k = 0; k < AB_N_CLASSES; k++)
    {
      net->stations[1].service_ms[k] = 1000.0 / mu;
      ab_network_add_call (net, 0, k, 1)->net_ms = delay_ms;
      ab_network_add_entry (net, k, 0, 1.0);
    }
  net->rate[AB_CLASS_READ] = lambda;
  return net;
}

/* 10 s of warm-up, then 30 s at the network's rate */
static AbScenario *
steady (void)
{
  AbScenario *sc = ab_scenario_new ();

  sc->warmup_s = 10.0;
  sc->bucket_s = 1.0;
  sc->seed = 7;
  ab_scenario_add_phase (sc, "steady", 30.0, 1.0, 1.0, TRUE);
  return sc;
}

/* The phase windowed on @budget visits and whole, against the closed
 * form: served at @lambda, P50 and P95 within @tol (whole) and @tol_win
 * (windowed: fewer requests) of the delay plus an M/M/1's sojourn
 * (exponential of mean 1 / (mu - lambda)) */
static void
check_slow_users (double DELAY_MS, double MU, double LAMBDA, guint64 budget, double tol,
                  double tol_win)
{
  g_autoptr(AbNetwork) net = slow_users (DELAY_MS, MU, LAMBDA);
  g_autoptr(AbScenario) sc = steady ();
  double soj = 1000.0 / (MU - LAMBDA);
  double p50 = DELAY_MS + soj * log (2.0), p95 = DELAY_MS + soj * log (20.0);
  g_autoptr(AbDesResult) whole = sim_run_des_untruncated (net, sc, 100 * budget);
  g_autoptr(AbDesResult) win = sim_run_des_untruncated (net, sc, budget);
  const AbDesPhaseResult *wp = &whole->phases[0], *dp = &win->phases[0];
  const AbLatencyStats *wl = &wp->latency[AB_N_CLASSES], *dl = &dp->latency[AB_N_CLASSES];

  g_test_message ("offered %.0f/s; served whole %.0f/s, windowed %.0f/s (%u windows, %.2f of %.0f s, "
                  "%" G_GUINT64_FORMAT " answered); P50 / P95 (ms): closed form %.1f / %.1f, "
                  "whole %.1f / %.1f, windowed %.1f / %.1f; db busy whole %.3f, windowed %.3f",
                  dp->offered_rps, wp->served_rps, dp->served_rps, dp->windows, dp->simulated_s,
                  dp->duration_s, dp->requests, p50, p95, wl->p50_ms.value, wl->p95_ms.value,
                  dl->p50_ms.value, dl->p95_ms.value, wp->stations[1].utilization,
                  dp->stations[1].utilization);
  g_assert_false (whole->windowed);
  g_assert_true (win->windowed);
  g_assert_cmpuint (dp->windows, >=, 2);
  /* windows far shorter than a request */
  g_assert_cmpfloat (dp->simulated_s / dp->windows, <, DELAY_MS / 1000.0);
  g_assert_cmpuint (dp->errors, ==, 0);
  g_assert_cmpuint (wp->errors, ==, 0);
  g_assert_cmpuint (dp->requests, >=, 500);
  /* served what is offered, as the whole run does (it read 0 of 800 a
   * second in this phase when the delay was lived through) */
  g_assert_cmpfloat_with_epsilon (wp->served_rps, LAMBDA, 0.03 * LAMBDA);
  g_assert_cmpfloat_with_epsilon (dp->served_rps, dp->offered_rps, 0.05 * dp->offered_rps);
  g_assert_cmpfloat_with_epsilon (dp->served_rps, LAMBDA, 0.10 * LAMBDA);
  g_assert_cmpfloat_with_epsilon (dp->served_rps, wp->served_rps, 0.10 * wp->served_rps);
  /* the callee sees the whole load */
  g_assert_cmpfloat_with_epsilon (dp->stations[1].utilization, LAMBDA / MU, 0.05);
  /* the latencies: the delay and the queue */
  g_assert_cmpfloat_with_epsilon (wl->p50_ms.value, p50, tol * p50);
  g_assert_cmpfloat_with_epsilon (wl->p95_ms.value, p95, tol * p95);
  g_assert_cmpfloat_with_epsilon (dl->p50_ms.value, p50, tol_win * p50);
  g_assert_cmpfloat_with_epsilon (dl->p95_ms.value, p95, tol_win * p95);
  g_assert_cmpfloat (dl->p50_ms.value, >=, DELAY_MS);
}

/* 10 s (the slowest connection the catalog allows) before an M/M/1 of
 * 1 ms at 0.8: the 5 ms of queue are within the histogram's resolution
 * at 10 s (some 0.3 %) */
static void
test_slow_users (void)
{
  check_slow_users (10000.0, 1000.0, 800.0, 8000, 0.003, 0.003);
}

/* 2 s before an M/M/1 of 10 ms at 0.8: 50 ms of queue on average, P50
 * and P95 (2.03 and 2.15 s) within 1 % whole and 4 % windowed (some 1,000
 * requests: over seeds its P95 reads 2.11 to 2.22 s) */
static void
test_slow_queue (void)
{
  check_slow_users (2000.0, 100.0, 80.0, 3000, 0.01, 0.04);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/des/slow-window/users-10s-away", test_slow_users);
  g_test_add_func ("/des/slow-window/queue-2s-away", test_slow_queue);
  return g_test_run ();
}
