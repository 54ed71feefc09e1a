/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The model at the loads of a DES run (ab-des-model.h): evaluated once
 * per distinct load and failure state, and a cached result the same as a
 * fresh evaluation. */
#include "config.h"

#include <string.h>

#include "ab-des-model.h"
#include "ab-reference.h"
#include "ab-sim-summary.h"
#include "des-test-util.h"

/* the distinct model inputs at @times (multiplier, instances, down,
 * failover pending), counted the slow way */
static guint
distinct_inputs (const AbNetwork *net, const AbScenario *sc, const double *times, guint n_times)
{
  guint n = net->n_stations, distinct = 0;
  g_autofree int *inst = g_new (int, n * n_times);
  g_autofree gboolean *down = g_new (gboolean, n * n_times);
  g_autofree AbModelInput *in = g_new (AbModelInput, n_times);

  for (guint i = 0; i < n_times; i++)
    {
      gboolean seen = FALSE;

      ab_model_input_at (&in[i], net, sc, times[i], inst + i * n, down + i * n);
      for (guint j = 0; j < i && !seen; j++)
        seen = in[j].multiplier == in[i].multiplier
               && in[j].failover_pending == in[i].failover_pending
               && memcmp (inst + j * n, inst + i * n, sizeof (int) * n) == 0
               && memcmp (down + j * n, down + i * n, sizeof (gboolean) * n) == 0;
      distinct += !seen;
    }
  return distinct;
}

static void
test_once_per_load (void)
{
  g_autoptr(AbNetwork) net = des_test_chain (3, 2, 5.0, 200.0, AB_DIST_EXPONENTIAL);
  g_autoptr(AbScenario) sc = ab_scenario_new_default_timeline (3.0, "s1");
  g_autoptr(AbDesModelCache) cache = ab_des_model_cache_new (net, sc);
  double duration = ab_scenario_duration (sc);
  guint n_times = (guint) ceil (duration / sc->bucket_s);
  g_autofree double *times = g_new (double, n_times);

  for (guint b = 0; b < n_times; b++)
    times[b] = (b + 0.5) * sc->bucket_s;
  /* every bucket, twice (a summary and a chart ask again) */
  for (int round = 0; round < 2; round++)
    for (guint b = 0; b < n_times; b++)
      {
        g_autoptr(AbModelResult) owned = NULL;
        g_autoptr(AbModelResult) fresh = NULL;
        const AbModelResult *r = ab_des_model_cache_at (cache, times[b], 0.0, &owned);
        g_autofree int *inst = g_new (int, net->n_stations);
        g_autofree gboolean *down = g_new (gboolean, net->n_stations);
        AbModelInput input;

        g_assert_null (owned);
        ab_model_input_at (&input, net, sc, times[b], inst, down);
        fresh = ab_model_evaluate (net, &input);
        g_assert_cmpfloat (r->multiplier, ==, fresh->multiplier);
        g_assert_cmpfloat (r->served_rps, ==, fresh->served_rps);
        g_assert_cmpfloat (r->error_rate, ==, fresh->error_rate);
        g_assert_cmpfloat (r->latency[AB_N_CLASSES].p95_ms, ==, fresh->latency[AB_N_CLASSES].p95_ms);
        for (guint s = 0; s < net->n_stations; s++)
          {
            g_assert_cmpfloat (r->stations[s].utilization, ==, fresh->stations[s].utilization);
            g_assert_cmpint (r->stations[s].instances, ==, fresh->stations[s].instances);
          }
      }
  /* flat phases cost one evaluation each, a ramp one per bucket */
  g_assert_cmpuint (ab_des_model_cache_get_evaluations (cache), ==,
                    distinct_inputs (net, sc, times, n_times));
  g_assert_cmpuint (ab_des_model_cache_get_evaluations (cache), <, n_times / 3);
  /* a multiplier given overrides the scenario's: a load of its own */
  {
    g_autoptr(AbModelResult) owned = NULL;
    guint before = ab_des_model_cache_get_evaluations (cache);
    const AbModelResult *r = ab_des_model_cache_at (cache, times[0], 7.5, &owned);

    g_assert_cmpfloat (r->multiplier, ==, 7.5);
    g_assert_cmpuint (ab_des_model_cache_get_evaluations (cache), ==, before + 1);
  }
}

static void
test_setup_run (void)
{
  AbProblemSet *set = ab_problem_set_get_default ();
  AbProblem *problem = ab_problem_set_get_nth (set, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(AbDesign) design = ab_reference_build_design (problem, &error);
  g_autoptr(AbSimSetup) setup = NULL;
  g_autoptr(AbDesResult) des = NULL;
  AbSimSummary *summary;
  AbSimOptions options;
  guint evaluations;

  g_assert_no_error (error);
  ab_sim_options_init (&options);
  options.budget = 100000;
  setup = ab_sim_setup_new (design, problem, &options, &error);
  g_assert_no_error (error);
  des = ab_sim_setup_run_des (setup, NULL, &error);
  g_assert_no_error (error);
  for (guint b = 0; b < des->n_buckets; b++)
    ab_sim_point_free (ab_sim_point_new_from_bucket (setup, &des->buckets[b]));
  summary = ab_sim_summary_new_des (setup, des);
  ab_sim_summary_free (summary);
  evaluations = ab_sim_setup_get_model_evaluations (setup);
  /* was one per bucket and phase (157 on the default timeline); now the
   * flat phases are one each and only the ramps' buckets differ */
  g_test_message ("%u buckets, %u model evaluations", des->n_buckets, evaluations);
  g_assert_cmpuint (des->n_buckets, >=, 150);
  g_assert_cmpuint (evaluations, <=, 45);
  /* the chart's model series asks for the same loads again */
  g_ptr_array_unref (ab_sim_setup_model_series (setup));
  g_assert_cmpuint (ab_sim_setup_get_model_evaluations (setup), ==, evaluations);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/des/model/once-per-load", test_once_per_load);
  g_test_add_func ("/des/model/setup-run", test_setup_run);
  return g_test_run ();
}
