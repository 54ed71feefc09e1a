/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The phase of a loss that overloads a blocking pool, simulated in
 * windows (docs/simulation.md, "The sample budget"): an app of 16
 * instances of 8 blocking threads calls a cache that answers half the
 * reads and, on a miss, a database of 4 slots of 1 ms that only it
 * calls.  At 6,000 reads a second the database serves the 3,000 misses
 * at 0.75; with the cache lost it is offered 6,000 and serves 4,000,
 * the app's threads wait on it, and the app's queue (512 places an
 * instance) fills in about 4 s and turns away the rest: in the closed
 * form a third of the requests, 1 - 4,000 / 6,000.
 *
 * Windowed, the phase of the loss kept a window at its start and one
 * in its middle: the first, before the queue had filled, stood for half
 * of it.  Spread over it as a ramp's are, its windows still read half
 * the requests turned away that a whole run does: the fluid model
 * between them took the pool's capacity from its threads over the slot
 * times measured in the window before (the first, right after the loss,
 * measured them before the database's queue had built, and read the
 * pool just over its load), and it drained the database's queue (the
 * pool's threads waiting) whenever the pool's measured rate fell a
 * little under the database's, so that the next window's threads found
 * it empty and served everything.  Now the fluid holds the pool at what
 * the database serves and the database keeps its queue. */
#include "config.h"

#include <math.h>

#include "ab-sim-api.h"
#include "des-test-util.h"
#include "../sim/sim-test-util.h"

/* reads a second, the database's capacity */
#define RATE 6000.0
#define DB_MU 4000.0

/* client -> "app" (16 instances of 8 blocking threads of 0.1 ms, 512
 * waiting each) -> "cache" (8 slots of 0.1 ms, half of the reads hit)
 * and, on a miss, -> "db" (4 exponential slots of 1 ms, no limit, no
 * timeout) */
static AbNetwork *
pool_behind_cache (void)
{
  return des_test_pool_behind_cache (16, 0.1, 512, 0.1, 0.5, 4, RATE);
}

/* 10 s of warm-up, 20 s at x1, then the cache lost for 40 s: "failure"
 * from the loss on (the queue fills in its first seconds), "lost" its
 * last 20 s (full throughout), then 20 s with the cache back */
static AbScenario *
loss (guint64 seed)
{
  AbScenario *sc = ab_scenario_new ();

  sc->warmup_s = 10.0;
  sc->bucket_s = 1.0;
  sc->seed = seed;
  ab_scenario_add_phase (sc, "normal", 20.0, 1.0, 1.0, TRUE);
  ab_scenario_add_phase (sc, "failure", 20.0, 1.0, 1.0, TRUE);
  ab_scenario_add_phase (sc, "lost", 20.0, 1.0, 1.0, TRUE);
  ab_scenario_add_phase (sc, "recovery", 20.0, 1.0, 1.0, TRUE);
  ab_scenario_add_event (sc, 20.0, AB_SCENARIO_LOSE_STATION, "cache", 0);
  ab_scenario_add_event (sc, 60.0, AB_SCENARIO_RECOVER, "cache", 0);
  return sc;
}

/* The phase of the loss and the one after it, windowed on five and ten
 * hundredths of the visits a whole run needs, against the run simulated
 * whole and the closed form, for three seeds.  The whole run turns away
 * 28.6-28.9 % in the phase of the loss (the queue fills in its first
 * 4 s) and 33.2-33.6 % once full, the closed form's third; its P50 is
 * 2.06-2.08 s in both (the full queue's wait).  Before, the windowed
 * runs (two windows a phase) read 19.0-21.4 % and a P50 of 229-358 ms
 * in the phase of the loss (its first window, before the queue had
 * filled, stood for half of it), and a P50 of 2.31-2.45 s once full.
 * Now 27.2-29.7 % and 2.07 s, and once full 33.5-34.5 % and 2.07-2.08 s
 * (16 windows a phase).  Allowed: 3 points of the whole run's share in
 * the phase of the loss, 2 points of the closed form's once full (3 on
 * five hundredths), and 10 % of the whole run's P50 in both.  On five
 * hundredths the full phase's share lies some 1.5 points above the
 * closed form with a spread of 1.1 points between seeds, and any change
 * to the draws moves a seed's figure within it: over seeds 40-51 it read
 * 32.8-36.8 %, with one more random draw for each request kept through
 * a skip 31.2-36.4 %, and with the kept requests' waits counted once
 * (ab-des-fluid.c, materialize_backlog) 34.0-37.4 % (on ten hundredths
 * 31.8-35.1, 32.3-35.2 and 32.5-34.9 %).  With the share the pool
 * passes on started each window from the fluid model's (ab-des-setup.c,
 * window_pass_reset) 32.1-36.3 %, 34.4 % on average where it was
 * 35.2 % (on ten hundredths 31.6-36.1 %, 33.6 % on average where it was
 * 33.8 %): a seed's figure of the full phase is held within 4.5 points
 * of the closed form (the most any moved: seed 51 on five hundredths
 * before, 37.4 %), the mean of the three seeds within the 3 and 2
 * points.  On three hundredths (12 windows a phase, each a few tens of
 * milliseconds) the full phase reads 34.8-39.2 %: its windows turn away
 * a few per cent more at their edges. */
static void
test_loss (void)
{
  static const double fractions[] = { 0.05, 0.1 };
  g_autoptr(AbNetwork) net = pool_behind_cache ();
  /* a visit at the client, the app and the cache or the database, and a
   * miss's second call, per request */
  double visits = 3.5 * RATE * 90.0;
  double closed = 1.0 - DB_MU / RATE;
  double full[G_N_ELEMENTS (fractions)] = { 0.0 };
  guint seeds = 0;

  for (guint64 seed = 43; seed <= 45; seed++, seeds++)
    {
      g_autoptr(AbScenario) sc = loss (seed);
      g_autoptr(AbDesResult) whole = sim_run_des_untruncated (net, sc, (guint64) (2.0 * visits));

      g_assert_false (whole->windowed);
      g_assert_cmpfloat_with_epsilon (whole->phases[2].error_rate, closed, 0.02);
      for (guint f = 0; f < G_N_ELEMENTS (fractions); f++)
        {
          g_autoptr(AbDesResult) win = sim_run_des_untruncated (net, sc, (guint64) (fractions[f] * visits));

          g_assert_true (win->windowed);
          for (guint p = 1; p <= 2; p++)
            {
              const AbDesPhaseResult *wp = &whole->phases[p], *dp = &win->phases[p];
              const AbLatencyStats *wl = &wp->latency[AB_N_CLASSES], *dl = &dp->latency[AB_N_CLASSES];

              g_test_message ("seed %" G_GUINT64_FORMAT ", %.0f %% of the visits, %s: errors whole %.1f %%, "
                              "windowed %.1f %% (%u windows), closed form %.1f %%; P50 / P95 (ms) whole "
                              "%.0f / %.0f, windowed %.0f / %.0f",
                              seed, 100.0 * fractions[f], wp->name, 100.0 * wp->error_rate,
                              100.0 * dp->error_rate, dp->windows, 100.0 * closed,
                              wl->p50_ms.value, wl->p95_ms.value, dl->p50_ms.value, dl->p95_ms.value);
              g_assert_cmpfloat_with_epsilon (dl->p50_ms.value, wl->p50_ms.value,
                                              MAX (0.1 * wl->p50_ms.value, dl->p50_ms.ci + wl->p50_ms.ci));
              if (p == 1)
                g_assert_cmpfloat_with_epsilon (dp->error_rate, wp->error_rate, 0.03);
              else
                {
                  g_assert_cmpfloat_with_epsilon (dp->error_rate, closed, 0.045);
                  full[f] += dp->error_rate;
                }
            }
        }
    }
  for (guint f = 0; f < G_N_ELEMENTS (fractions); f++)
    {
      g_test_message ("%.0f %% of the visits, lost: errors %.1f %% on average, closed form %.1f %%",
                      100.0 * fractions[f], 100.0 * full[f] / seeds, 100.0 * closed);
      g_assert_cmpfloat_with_epsilon (full[f] / seeds, closed, fractions[f] < 0.1 ? 0.03 : 0.02);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/des/window-loss/pool", test_loss);
  return g_test_run ();
}
