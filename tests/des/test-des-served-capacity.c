/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A component saturated in a phase simulated in windows serves no more
 * than its capacity (docs/simulation.md, "Served rates of a windowed
 * run").
 *
 * /des/served-capacity/loss: rate-limit-counters' reference under the
 * default timeline.  Its cache is lost in the failure phase and every
 * request of the application ("c3": 2,042 instances of eight blocking
 * threads) waits on the primary behind it, which serves 32,000 a
 * second: the threads' capacity is what comes back, 32,335 a second.
 * Right at the loss the primary's queue is still empty, and the threads
 * turn over quickly until it has filled (some 30 ms): a dozen requests
 * of the followed instance more than its steady rate, once.  A run
 * simulated whole counts them over the phase's 60 s (seed 1: 1.023 of
 * the capacity); the windowed run simulates the phase in 16 windows,
 * the first at the loss, and counted them over the windows' 1.9 s, the
 * first window weighed by its length: 1.13-1.44 of the capacity over
 * seeds 1-16, 1.24 on average.  The phase's figures are now the windows'
 * mixture weighed by the seconds each stands for, and the window at the
 * loss stands for its own (ab-des-record.c, window_rate_weight):
 * 0.97-1.01, 0.990 on average, the spread between seeds 0.010.
 *
 * /des/served-capacity/pass-on: multi-model-database's reference, its
 * balancer seven times over its capacity through the peak.  The share of
 * its arrivals it passes on, estimated from the few followed requests
 * of each window, lagged the stretches between the windows (0.36-0.63
 * of the reads and 0.50-0.67 of the writes where it serves 0.14 of
 * either), the writes, fewer, the most; the primary behind it ("c5":
 * 17,143 instances of eight slots, reads 1 ms, writes 4 ms), sent the
 * anonymous writes thinned less than the reads, served a mix of shorter
 * requests than its followed ones: 1.08 of its capacity on average over
 * seeds 1-16 (0.96-1.15, seeds 1-8 1.076).  The share now starts each
 * window from what the fluid model passed on (ab-des-setup.c,
 * window_pass_reset): 1.009 on average (0.95-1.07, seeds 1-8 1.007; a
 * seed's figure counts a few hundred services of one representative in
 * 0.15 s, its spread 0.036 now, 0.06 before). */
#include "config.h"

#include <math.h>

#include "ab-sim-api.h"
#include "ab-sim-summary.h"
#include "../sim/sim-test-util.h"

/* The served rate of station @id in phase @phase over its capacity, in
 * the default timeline of reference @ref at @seed, windowed */
static double
served_share (const char *ref, const char *phase, const char *id, guint64 seed, guint *windows)
{
  g_autoptr(AbSimSetup) setup = NULL;
  g_autoptr(AbDesResult) r = sim_reference_timeline_des (ref, seed, &setup);
  AbSimSummary *summary = ab_sim_summary_new_des (setup, r);
  const AbNetwork *net = ab_sim_setup_get_network (setup);
  int s = -1, p = -1;
  double share, utilization;

  for (guint i = 0; i < net->n_stations; i++)
    if (g_strcmp0 (net->stations[i].id, id) == 0)
      s = (int) i;
  for (guint i = 0; i < summary->n_phases; i++)
    if (g_strcmp0 (summary->phases[i].name, phase) == 0)
      p = (int) i;
  g_assert_cmpint (s, >=, 0);
  g_assert_cmpint (p, >=, 0);
  g_assert_true (summary->phases[p].simulated);
  g_assert_cmpfloat (summary->phases[p].stations[s].capacity_rps, >, 0.0);
  share = summary->phases[p].stations[s].served_rps / summary->phases[p].stations[s].capacity_rps;
  utilization = summary->phases[p].stations[s].utilization;
  *windows = summary->phases[p].windows;
  ab_sim_summary_free (summary);
  /* saturated: it serves its capacity, no more */
  g_assert_cmpfloat (utilization, >=, 0.95);
  return share;
}

/* The mean over seeds 1-8 of served_share (@problem, @phase, @station),
 * each seed's at most @seed_max; @what names the station in messages */
static double
mean_share (const char *problem, const char *phase, const char *station, const char *what,
            double seed_max, gboolean windowed)
{
  double sum = 0.0;
  guint runs = 0;

  for (guint64 seed = 1; seed <= 8; seed++)
    {
      guint windows;
      double share = served_share (problem, phase, station, seed, &windows);

      g_test_message ("seed %" G_GUINT64_FORMAT ": %s serves %.4f of its capacity in the %s (%u windows)",
                      seed, what, share, phase, windows);
      if (windowed)
        g_assert_cmpuint (windows, >, 1);
      g_assert_cmpfloat (share, <=, seed_max);
      sum += share;
      runs++;
    }
  g_test_message ("mean over %u seeds: %.4f of its capacity", runs, sum / runs);
  return sum / runs;
}

static void
test_loss (void)
{
  /* a seed's figure moves by about 0.010 (seeds 1-16); a run simulated
   * whole reads 1.023 */
  double mean = mean_share ("rate-limit-counters", "failure", "c3", "the application", 1.05, TRUE);

  g_assert_cmpfloat (mean, <=, 1.04);
  g_assert_cmpfloat (mean, >=, 0.96);
}

static void
test_pass_on (void)
{
  /* one seed's figure: a few hundred services, spread 0.036 (0.06
   * before); the mean of eight: spread 0.036 / sqrt (8) = 0.013 */
  double mean = mean_share ("multi-model-database", "peak", "c5", "the primary", 1.2, FALSE);

  g_assert_cmpfloat (mean, <=, 1.03);
  g_assert_cmpfloat (mean, >=, 0.93);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/des/served-capacity/loss", test_loss);
  g_test_add_func ("/des/served-capacity/pass-on", test_pass_on);
  return g_test_run ();
}
