/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A request a windowed run keeps waiting through the skip between two
 * windows starts no later than it ends (docs/simulation.md, "The
 * backlog between windows").
 *
 * rate-limit-counters' reference: a million reads a second through 2,042
 * instances of a blocking app (a 60 s timeout) that reads a cache (99 %
 * hits) and, on a miss, 4 database instances.  In the failure phase the
 * cache is lost, the database is offered 30 times what it serves and
 * the app's queue grows behind its threads.  The fluid model leaves
 * that queue's backlog between two windows, and the followed requests
 * of the window still waiting stay at the head of the queue.  Their
 * times used to be moved so that they would count the backlog's drain
 * time when they started, and moved back by it then: later than the end
 * of the skip by up to tens of seconds, and moved back by less, or not
 * at all, where the backlog or its drain rate had changed in between
 * (the cache back).  Such requests ended before they began: 144-182
 * user latencies a run below zero (seeds 1-3), the app's mean time of a
 * visit -6.5 s in the recovery, and at 60,000 visits a recovery mean of
 * -3.5 s before a floor where latency is recorded hid them.
 *
 * banking-transaction-db's reference: a request of a fluid backlog
 * arrived a little after the present when the window's requests served
 * ahead of the backlog had moved its arrival later (its ramp answered a
 * few in -0.02 to -0.2 ms). */
#include "config.h"

#include <math.h>

#include "ab-sim-api.h"
#include "ab-sim-summary.h"
#include "../sim/sim-test-util.h"

/* @id's reference under the default timeline (the one `archboard-cli
 * simulate` runs), windowed at the default budget for seeds 1-3: every
 * phase's stations' mean time of a visit (waiting and service, from each
 * request's arrival there) is not below zero, nor any user latency (the
 * shortest recorded: a floor put where latency is recorded records one
 * below zero as 0; every request of these designs takes some time). */
static void
check_reference (const char *id)
{
  for (guint64 seed = 1; seed <= 3; seed++)
    {
      g_autoptr(AbSimSetup) setup = NULL;
      g_autoptr(AbDesResult) r = sim_reference_timeline_des (id, seed, &setup);

      for (guint p = 0; p < r->n_phases; p++)
        {
          const AbDesPhaseResult *ph = &r->phases[p];
          double least = INFINITY;

          for (guint s = 0; s < r->n_stations; s++)
            least = MIN (least, ph->stations[s].sojourn_ms);
          g_test_message ("%s, seed %" G_GUINT64_FORMAT ", %s: mean latency %.1f ms, %.1f %% failed, "
                          "shortest mean visit %.3f ms (%u windows)",
                          id, seed, ph->name, ph->latency[AB_N_CLASSES].mean_ms.value,
                          100.0 * ph->error_rate, least, ph->windows);
          g_assert_cmpfloat (least, >=, 0.0);
        }
      for (int k = 0; k < AB_N_CLASSES; k++)
        if (ab_histogram_count (r->histograms[k]) > 0)
          g_assert_cmpfloat (ab_histogram_min (r->histograms[k]), >, 0.0);
    }
}

static void
test_kept_through_skip (void)
{
  check_reference ("rate-limit-counters");
}

static void
test_backlog_arrival (void)
{
  check_reference ("banking-transaction-db");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/des/chain-start/kept-through-skip", test_kept_through_skip);
  g_test_add_func ("/des/chain-start/backlog-arrival", test_backlog_arrival);
  return g_test_run ();
}
