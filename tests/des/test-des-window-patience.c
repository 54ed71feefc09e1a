/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The answered waits of an overload that builds its queue for longer than
 * the windows of a windowed run (docs/simulation.md, "The sample budget")
 * last: an app of 16 instances of 8 blocking threads calls a cache that
 * answers 99 % of the reads and, on a miss, a database of 4 slots of
 * 10 ms (400 a second) that only it calls.  At 4,000 reads a second the
 * cache's loss sends the database ten times what it serves: the app's
 * threads wait on it, each instance starts 25 requests a second, and the
 * app's queue (no limit, a patience of 30 s) grows at 3,600 a second.
 * First in, first out, the request answered t seconds into the loss
 * arrived 0.1 t after it: its wait is 0.9 t, rising to the patience
 * after 33 s, and who would wait longer gives up.
 *
 * Windowed, the phase of the loss answered its first window's requests,
 * with the waits they had then, in all its windows: kept through each
 * skip at the head of the queue and started a few a window, they went
 * ahead of every later request (ab-des-fluid.c, waits_through); the
 * window's own requests, at a station with a patience, counted the time
 * the whole backlog takes to drain, the wait of a request arriving
 * behind it, not of the one answered first in, first out; and the
 * requests waiting on the database through a skip kept the app's wait
 * of the window they started in (skip_shift_chain).  Rate-limit-counters'
 * reference read a P50 of 1.2 s in its failure phase where a run without
 * windows reads 29 s. */
#include "config.h"

#include <math.h>

#include "ab-sim-api.h"
#include "des-test-util.h"
#include "../sim/sim-test-util.h"

#define RATE 4000.0

/* client -> "app" (16 instances of 8 blocking threads of 0.1 ms, no
 * queue limit, 30 s of patience) -> "cache" (8 slots of 0.1 ms, 99 % of
 * the reads hit) and, on a miss, -> "db" (4 exponential slots of 10 ms) */
static AbNetwork *
slow_pool (void)
{
  AbNetwork *net = des_test_pool_behind_cache (16, 0.1, 0, 0.1, 0.99, 4, RATE);

  net->stations[1].timeout_ms = 30000.0;
  for (int k = 0; k < AB_N_CLASSES; k++)
    net->stations[3].service_ms[k] = 10.0;
  return net;
}

/* The phase of the loss windowed on a twentieth of the visits a whole run
 * needs, against the run simulated whole, for three seeds.  The whole run
 * answers requests that waited 0-30 s: P50 18.0-18.2 s, P95 30.3 s.
 * Before, the windowed runs read a P50 of 1.9 s (16 windows); now
 * 18.3-20.9 s over seeds 51-62, P95 30.8-31.0 s.  Allowed: 10 % of the
 * whole run's P95 and 20 % of its P50: the answered waits come in one
 * cluster a window, 2.3 s apart (0.9 of the phase's 40 s over its 16
 * windows), and the P50 falls on one cluster or the next (the windowed
 * run's own interval, some 750 requests answered, is wider still:
 * +-8 s).
 *
 * Who gives up: in a whole run, those answered after 30 s of waiting,
 * from 33 s into the loss on, 60 % of the requests the phase ends (the
 * answered ones are 400 a second); windowed, the window's requests that
 * would wait past the patience fail on arrival (ab-des.c), and they
 * once counted then: 89 %.  They count a patience later now
 * (des_defer_error), and not at all where the cache is back by then (a
 * whole run answers them in the first milliseconds of the recovery):
 * 53.8-54.5 %, held to 8 points of the whole run's.  The recovery reads
 * 1.4-1.7 % windowed against 0.1-0.2 % whole (not asserted). */
static void
test_patience (void)
{
  g_autoptr(AbNetwork) net = slow_pool ();
  /* a visit at the client, the app and the cache, and a miss's second
   * call, per request */
  double visits = 3.5 * RATE * 90.0;

  for (guint64 seed = 51; seed <= 53; seed++)
    {
      g_autoptr(AbScenario) sc = des_test_cache_loss (seed, 20.0);
      g_autoptr(AbDesResult) whole = sim_run_des_untruncated (net, sc, (guint64) (2.0 * visits));
      g_autoptr(AbDesResult) win = sim_run_des_untruncated (net, sc, (guint64) (0.05 * visits));
      const AbDesPhaseResult *wp = &whole->phases[1], *dp = &win->phases[1];
      const AbLatencyStats *wl = &wp->latency[AB_N_CLASSES], *dl = &dp->latency[AB_N_CLASSES];

      g_assert_false (whole->windowed);
      g_assert_true (win->windowed);
      g_test_message ("seed %" G_GUINT64_FORMAT ", %s: errors whole %.1f %%, windowed %.1f %% (%u windows, "
                      "%" G_GUINT64_FORMAT " answered); P50 / P95 (ms) whole %.0f / %.0f, windowed %.0f / %.0f "
                      "(+-%.0f / %.0f)",
                      seed, wp->name, 100.0 * wp->error_rate, 100.0 * dp->error_rate, dp->windows,
                      dl->count, wl->p50_ms.value, wl->p95_ms.value, dl->p50_ms.value, dl->p95_ms.value,
                      dl->p50_ms.ci, dl->p95_ms.ci);
      g_test_message ("  recovery: errors whole %.1f %%, windowed %.1f %%",
                      100.0 * whole->phases[2].error_rate, 100.0 * win->phases[2].error_rate);
      g_assert_cmpfloat_with_epsilon (dp->error_rate, wp->error_rate, 0.08);
      g_assert_cmpfloat_with_epsilon (dl->p50_ms.value, wl->p50_ms.value, 0.2 * wl->p50_ms.value);
      g_assert_cmpfloat_with_epsilon (dl->p95_ms.value, wl->p95_ms.value, 0.1 * wl->p95_ms.value);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/des/window-patience/pool", test_patience);
  return g_test_run ();
}
