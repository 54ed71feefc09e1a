/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A consumer without a queue limit that cannot keep up, in a real design:
 * the multi-master reference with its merge stage cut to 4 workers (at
 * 1.25 times their capacity) and no queue limit (the catalog's 60 s
 * timeout stays).  Before the timeout lets no more wait, none of the
 * work is lost and the lag grows by 250 ms a second; the summary and the
 * freshness check say so, in the model and in the DES, with the same
 * figures (docs/simulation.md, "Background work is lag, not latency"). */
#include "config.h"

#include <string.h>

#include "sim-test-util.h"

static const AbCheck *
lag_check (const AbSimSummary *s)
{
  for (guint i = 0; i < s->checks->len; i++)
    {
      const AbCheck *c = g_ptr_array_index (s->checks, i);

      if (c->type == AB_TARGET_LAG)
        return c;
    }
  g_assert_not_reached ();
  return NULL;
}

static void
test_merge_falls_behind (void)
{
  AbProblem *problem = ab_problem_set_lookup (ab_problem_set_get_default (), "multi-master-replication");
  g_autoptr(AbDesign) design = sim_reference_design (problem);
  g_autoptr(AbSimSetup) setup = NULL;
  g_autoptr(GError) error = NULL;
  AbSimOptions options;
  const char *merge = NULL;
  double model_lag = NAN;
  int station;

  for (guint i = 0; i < ab_design_get_n_components (design); i++)
    if (g_str_equal (ab_design_get_component (design, i)->label, "Merge Workers"))
      merge = ab_design_get_component (design, i)->id;
  g_assert_nonnull (merge);
  ab_design_set_instances (design, merge, 4);
  ab_design_set_component_param (design, merge, "queue_limit", g_variant_new_double (0.0));
  ab_sim_options_init (&options);
  options.scenario = AB_SIM_SCENARIO_PEAK;
  setup = ab_sim_setup_new (design, problem, &options, &error);
  g_assert_no_error (error);
  station = ab_network_find (ab_sim_setup_get_network (setup), merge);

  for (int m = 0; m < 2; m++)
    {
      g_autoptr(AbDesResult) des = NULL;
      g_autoptr(AbSimSummary) s = NULL;
      g_autofree char *text = NULL;
      const AbSimPhase *normal;
      const AbCheck *check;

      if (m == 0)
        s = ab_sim_summary_new_model (setup);
      else
        {
          des = ab_sim_setup_run_des (setup, NULL, &error);
          g_assert_no_error (error);
          s = ab_sim_summary_new_des (setup, des);
        }
      normal = &s->phases[s->normal];
      text = ab_sim_summary_background_text (s, setup);
      check = lag_check (s);
      g_test_message ("%s: slowest %.0f ms at %d, growing %.1f ms/s, %.2f %% lost; %s; %s",
                      m == 0 ? "model" : "DES", normal->lag_slowest_ms, normal->lag_slowest,
                      normal->lag_growth, 100.0 * normal->background_error_rate, text, check->sentence);
      g_assert_cmpint (normal->lag_slowest, ==, station);
      /* 10 s of warm-up and 10 s of the normal phase at 40,000 a second
       * more than the 160,000 the workers do: 5 s */
      if (m == 0)
        {
          model_lag = normal->lag_slowest_ms;
          g_assert_cmpfloat_with_epsilon (normal->lag_slowest_ms, 5000.0, 5.0);
          g_assert_cmpfloat_with_epsilon (normal->lag_growth, 250.0, 1e-6);
        }
      else
        {
          g_assert_cmpfloat_with_epsilon (normal->lag_slowest_ms, model_lag, 0.05 * model_lag);
          g_assert_cmpfloat_with_epsilon (normal->lag_growth, 250.0, 0.15 * 250.0);
        }
      g_assert_cmpfloat (normal->background_error_rate, <, 1e-9);
      g_assert_nonnull (strstr (text, "(the slowest), and rising by "));
      g_assert_nonnull (strstr (text, " every second; "));
      g_assert_cmpint (check->verdict, ==, AB_CHECK_FAIL);
      g_assert_cmpfloat (check->growth, >, 0.0);
      g_assert_nonnull (strstr (check->sentence, "and the lag keeps growing, by "));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/background-growth/merge-falls-behind", test_merge_falls_behind);
  return g_test_run ();
}
