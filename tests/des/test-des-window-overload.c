/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A station far past its capacity with neither a queue limit nor a
 * timeout, simulated in windows (docs/simulation.md, "The backlog between
 * windows"): a phase reports the requests answered in it, first in,
 * first out, each after the wait it met, B(t) / lambda for the one
 * answered at t.  A windowed run once counted the requests that arrived
 * in its windows instead, each after the whole backlog ahead of it,
 * B(a) / mu, and read 97 s where a whole run and the model read 18 s
 * (rho 11).  Here the windowed run against the closed form, the model
 * and a run of the same scenario simulated whole, at four loads; and
 * the phase after such an overload, which answers what it left. */
#include "config.h"

#include <math.h>

#include "ab-sim-api.h"
#include "des-test-util.h"
#include "../sim/sim-test-util.h"

/* the station's capacity: one slot of 1 ms */
#define MU 1000.0

/* client -> "app" (one exponential slot of 1 ms, no limit, no timeout)
 * -> "db" (ten slots of 1 ms): reads at @rate */
static AbNetwork *
station (double rate)
{
  static const char *const ids[] = { "client", "app", "db" };
  AbNetwork *net = des_test_named_network (ids, 3, 1.0);

  net->stations[0].kind = AB_KIND_CLIENT;
  net->stations[0].concurrency = 1000;
  net->stations[1].kind = AB_KIND_APP;
  net->stations[1].concurrency = 1;
  net->stations[2].kind = AB_KIND_DB_PRIMARY;
  net->stations[2].concurrency = 10;
  for (int i = 1; i < 3; i++)
    for (int k = 0; k < AB_N_CLASSES; k++)
      net->stations[i].service_ms[k] = 1000.0 / MU;
  for (int k = 0; k < AB_N_CLASSES; k++)
    {
      ab_network_add_call (net, 0, k, 1);
      ab_network_add_call (net, 1, k, 2);
      ab_network_add_entry (net, k, 0, 1.0);
    }
  net->rate[AB_CLASS_READ] = rate;
  return net;
}

/* 10 s of warm-up, then "over" of @over_s at x1 (the overload, from the
 * warm-up's start), then, when @after_s > 0, "after" at x@low */
static AbScenario *
scenario (double over_s, double after_s, double low)
{
  AbScenario *sc = ab_scenario_new ();

  sc->warmup_s = 10.0;
  sc->bucket_s = 1.0;
  sc->seed = 43;
  ab_scenario_add_phase (sc, "over", over_s, 1.0, 1.0, TRUE);
  if (after_s > 0.0)
    ab_scenario_add_phase (sc, "after", after_s, low, low, TRUE);
  return sc;
}

static AbDesResult *
run (const AbNetwork *net, const AbScenario *sc, guint64 budget, gboolean windowed)
{
  AbDesResult *r = sim_run_des_untruncated (net, sc, budget);

  g_assert_cmpint (r->windowed, ==, windowed);
  return r;
}

/* The windowed phase against the whole run's and the model's: no errors,
 * served at the capacity, and P50 / P95 within 10 % of both */
static void
assert_phase_agrees (const char *what, const AbNetwork *net, const AbScenario *sc, guint p,
                     const AbDesResult *whole, const AbDesResult *win,
                     double closed_p50, double closed_p95)
{
  g_autoptr(AbModelResult) m = sim_model_phase (net, sc, p, NULL, 0, NULL);
  const AbDesPhaseResult *wp = &whole->phases[p], *dp = &win->phases[p];
  const AbLatencyStats *wl = &wp->latency[AB_N_CLASSES], *dl = &dp->latency[AB_N_CLASSES];
  const AbLatencySummary *ml = &m->latency[AB_N_CLASSES];

  g_test_message ("%-12s P50 / P95 (s): closed form %6.2f / %6.2f, model %6.2f / %6.2f, "
                  "whole %6.2f / %6.2f (+-%.2f / %.2f), windowed %6.2f / %6.2f (%u windows, %.2f of %.0f s, "
                  "%" G_GUINT64_FORMAT " answered); served whole %.0f, windowed %.0f/s; errors %.4f / %.4f",
                  what, closed_p50 / 1000.0, closed_p95 / 1000.0, ml->p50_ms / 1000.0, ml->p95_ms / 1000.0,
                  wl->p50_ms.value / 1000.0, wl->p95_ms.value / 1000.0, wl->p50_ms.ci / 1000.0,
                  wl->p95_ms.ci / 1000.0,
                  dl->p50_ms.value / 1000.0, dl->p95_ms.value / 1000.0, dp->windows, dp->simulated_s,
                  dp->duration_s, (guint64) dl->count, wp->served_rps, dp->served_rps,
                  wp->error_rate, dp->error_rate);
  g_assert_cmpuint (dl->count, >=, 500);
  g_assert_cmpuint (dp->errors, ==, 0);
  g_assert_cmpuint (wp->errors, ==, 0);
  g_assert_cmpfloat_with_epsilon (dp->served_rps, wp->served_rps, 0.05 * wp->served_rps);
  /* the model against its closed form (its grid) and the whole run
   * against both: the measure the windowed run is held to */
  if (closed_p50 > 0.0)
    {
      g_assert_cmpfloat_with_epsilon (ml->p50_ms, closed_p50, 0.015 * closed_p95);
      g_assert_cmpfloat_with_epsilon (ml->p95_ms, closed_p95, 0.015 * closed_p95);
    }
  g_assert_cmpfloat_with_epsilon (wl->p50_ms.value, ml->p50_ms, 0.03 * ml->p50_ms);
  g_assert_cmpfloat_with_epsilon (wl->p95_ms.value, ml->p95_ms, 0.03 * ml->p95_ms);
  /* the windowed run against both */
  g_assert_cmpfloat_with_epsilon (dl->p50_ms.value, wl->p50_ms.value, 0.10 * wl->p50_ms.value);
  g_assert_cmpfloat_with_epsilon (dl->p95_ms.value, wl->p95_ms.value, 0.10 * wl->p95_ms.value);
  g_assert_cmpfloat_with_epsilon (dl->p50_ms.value, ml->p50_ms, 0.10 * ml->p50_ms);
  g_assert_cmpfloat_with_epsilon (dl->p95_ms.value, ml->p95_ms, 0.10 * ml->p95_ms);
}

/* The fluid closed form of tests/sim/test-model-unbounded.c: from an
 * empty queue at 0, the request answered at t waited (1 - mu / lambda) t,
 * and a phase [t0, t1] answers at mu, so its quantile q is the wait at
 * t0 + q (t1 - t0).  In ms. */
static double
fluid_wait_quantile (double lambda, double t0, double t1, double q)
{
  return 1000.0 * (1.0 - MU / lambda) * (t0 + q * (t1 - t0));
}

/* rho 1.25, 2, 5 and 11 over 20 s after 10 s of warm-up: waits of 2 to
 * 27 s.  The windowed run gets a quarter of the whole one's visits. */
static void
test_overload (void)
{
  static const double rhos[] = { 1.25, 2.0, 5.0, 11.0 };

  for (guint i = 0; i < G_N_ELEMENTS (rhos); i++)
    {
      double lambda = rhos[i] * MU;
      g_autoptr(AbNetwork) net = station (lambda);
      g_autoptr(AbScenario) sc = scenario (20.0, 0.0, 1.0);
      /* a visit at the client, one at the app, and one at the database
       * per request answered */
      guint64 visits = (guint64) ((2.0 * lambda + MU) * 30.0);
      g_autoptr(AbDesResult) whole = run (net, sc, visits + visits / 2, FALSE);
      g_autoptr(AbDesResult) win = run (net, sc, visits / 4, TRUE);
      g_autofree char *what = g_strdup_printf ("rho %.2f", rhos[i]);

      assert_phase_agrees (what, net, sc, 0, whole, win,
                           fluid_wait_quantile (lambda, 10.0, 30.0, 0.5),
                           fluid_wait_quantile (lambda, 10.0, 30.0, 0.95));
    }
}

/* 30 s at rho 2 (40 s from the warm-up's start: 40,000 left), then 30 s
 * at half the capacity: the backlog lasts the whole phase (80 s), answered
 * first in, first out: the request answered at t arrived at t / 2, so the
 * waits rise from 20 to 35 s (tests/sim/test-model-drain.c has the
 * closed form).  A windowed run once answered the phase's arrivals behind
 * the whole backlog instead. */
static void
test_after (void)
{
  g_autoptr(AbNetwork) net = station (2.0 * MU);
  g_autoptr(AbScenario) sc = scenario (20.0, 30.0, 0.25);
  guint64 visits = (guint64) ((2.0 * 2.0 * MU + MU) * 30.0 + 3.0 * MU * 30.0);
  g_autoptr(AbDesResult) whole = run (net, sc, visits + visits / 2, FALSE);
  g_autoptr(AbDesResult) win = run (net, sc, visits / 4, TRUE);

  assert_phase_agrees ("rho 2, over", net, sc, 0, whole, win,
                       fluid_wait_quantile (2.0 * MU, 10.0, 30.0, 0.5),
                       fluid_wait_quantile (2.0 * MU, 10.0, 30.0, 0.95));
  assert_phase_agrees ("rho 2, after", net, sc, 1, whole, win, 0.0, 0.0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/des/window-overload/overload", test_overload);
  g_test_add_func ("/des/window-overload/after", test_after);
  return g_test_run ();
}
