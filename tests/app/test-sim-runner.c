/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbSimRunner: hundreds of rapid edits while runs are in progress never
 * show a stale result (the shown results always belong to the current
 * design; no point or summary of a cancelled run reaches any results
 * object; the final summary is that of a fresh run of the final design),
 * stop and dispose cancel, and every results object is freed. */
#include "config.h"

#include "archboard-core.h"
#include "ab-sim-runner.h"

typedef struct {
  AbSimRunner  *runner;
  AbDesign     *design;
  AbProblem    *problem;
  GPtrArray    *seen;        /* of gpointer* slots: every results object
                                shown, each a weak pointer */
  guint         stale_points;
  guint         points;
  guint         completions;
} Fixture;

static void
on_point_added (AbSimResults *results,
                guint         index,
                Fixture      *f)
{
  f->points++;
  if (f->runner == NULL || results != ab_sim_runner_get_results (f->runner))
    f->stale_points++;
  g_assert_cmpuint (index + 1, ==, ab_sim_results_get_points (results)->len);
}

static void
on_complete (AbSimResults *results,
             GParamSpec   *pspec,
             Fixture      *f)
{
  if (!ab_sim_results_get_complete (results))
    return;
  f->completions++;
  /* a run completes only for the shown design */
  g_assert_nonnull (f->runner);
  g_assert_true (results == ab_sim_runner_get_results (f->runner));
}

static void
on_results (AbSimRunner *runner,
            GParamSpec  *pspec,
            Fixture     *f)
{
  AbSimResults *results = ab_sim_runner_get_results (runner);
  gpointer *slot;

  if (results == NULL)
    return;
  slot = g_new (gpointer, 1);

  *slot = results;
  g_ptr_array_add (f->seen, slot);
  g_object_add_weak_pointer (G_OBJECT (results), slot);
  g_signal_connect (results, "point-added", G_CALLBACK (on_point_added), f);
  g_signal_connect (results, "notify::complete", G_CALLBACK (on_complete), f);
}

static void
fixture_init (Fixture    *f,
              const char *problem_id)
{
  g_autoptr(GError) error = NULL;

  f->problem = ab_problem_set_lookup (ab_problem_set_get_default (), problem_id);
  g_assert_nonnull (f->problem);
  f->design = ab_reference_build_design (f->problem, &error);
  g_assert_no_error (error);
  f->seen = g_ptr_array_new_with_free_func (g_free);
  f->runner = ab_sim_runner_new ();
  g_object_set (f->runner, "seed", (gint64) 7, "budget", (guint64) 30000, "debounce", 2u, NULL);
  g_signal_connect (f->runner, "notify::results", G_CALLBACK (on_results), f);
  ab_sim_runner_set_document (f->runner, f->design, f->problem);
}

static void
fixture_clear (Fixture *f)
{
  g_clear_object (&f->runner);
  g_clear_object (&f->design);
  /* the worker's last messages are freed on the main context */
  for (int i = 0; i < 200; i++)
    {
      gboolean alive = FALSE;

      while (g_main_context_iteration (NULL, FALSE))
        ;
      for (guint k = 0; k < f->seen->len; k++)
        alive |= *(gpointer *) f->seen->pdata[k] != NULL;
      if (!alive)
        break;
      g_usleep (5000);
    }
  for (guint k = 0; k < f->seen->len; k++)
    if (*(gpointer *) f->seen->pdata[k] != NULL)
      g_error ("results object %u of %u was not freed", k, f->seen->len);
  /* disposing the runner cancelled its run: nothing arrived since */
  g_assert_cmpuint (f->stale_points, ==, 0);
  g_ptr_array_unref (f->seen);
}

static void
wait_complete (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!ab_sim_results_get_complete (ab_sim_runner_get_results (f->runner)))
    {
      g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
}

/* The figures shown are those of a fresh synchronous run of @design. */
static void
assert_fresh (Fixture            *f,
              const AbSimSummary *shown,
              gboolean            des)
{
  g_autoptr(AbSimSetup) setup = NULL;
  g_autoptr(AbSimSummary) fresh = NULL;
  g_autoptr(GError) error = NULL;
  AbSimOptions options;

  ab_sim_options_init (&options);
  options.seed = 7;
  options.budget = 30000;
  setup = ab_sim_setup_new (f->design, f->problem, &options, &error);
  g_assert_no_error (error);
  if (des)
    {
      g_autoptr(AbDesResult) result = ab_sim_setup_run_des (setup, NULL, &error);
      g_assert_no_error (error);
      fresh = ab_sim_summary_new_des (setup, result);
    }
  else
    fresh = ab_sim_summary_new_model (setup);
  g_assert_cmpuint (shown->n_stations, ==, fresh->n_stations);
  g_assert_cmpuint (shown->n_phases, ==, fresh->n_phases);
  for (guint p = 0; p < shown->n_phases; p++)
    for (int k = 0; k <= AB_N_CLASSES; k++)
      {
        g_assert_cmpfloat (shown->phases[p].latency[k].p95_ms.value, ==, fresh->phases[p].latency[k].p95_ms.value);
        g_assert_cmpfloat (shown->phases[p].latency[k].p50_ms.value, ==, fresh->phases[p].latency[k].p50_ms.value);
      }
  g_assert_cmpfloat (shown->cost->per_month, ==, fresh->cost->per_month);
  for (guint i = 0; i < shown->n_stations; i++)
    g_assert_cmpfloat (shown->utilization[i], ==, fresh->utilization[i]);
}

static void
test_rapid_edits (void)
{
  Fixture f = { 0 };
  GRand *rand = g_rand_new_with_seed (11);
  const char *app_id = NULL;
  guint edits = 0;

  fixture_init (&f, "basic-database-design");
  for (guint i = 0; i < ab_design_get_n_components (f.design); i++)
    if (ab_design_get_component (f.design, i)->kind == AB_KIND_APP)
      app_id = ab_design_get_component (f.design, i)->id;
  g_assert_nonnull (app_id);

  for (guint i = 0; i < 300; i++)
    {
      const char *ids[] = { app_id, NULL };
      AbSimResults *results;
      guint spins;

      switch (g_rand_int_range (rand, 0, 4))
        {
        case 0:
          ab_design_set_instances (f.design, app_id, g_rand_int_range (rand, 1, 12));
          break;
        case 1:
          ab_design_move_components (f.design, ids, 3.0, -2.0);
          break;
        case 2:
          if (ab_design_get_n_components (f.design) < 20)
          {
            const char *id = ab_design_add_component (f.design, AB_KIND_CACHE, NULL, 10, 10, 1);
            g_autoptr(GError) error = NULL;

            ab_design_connect (f.design, app_id, id, &error);
          }
          break;
        default:
          if (ab_design_can_undo (f.design))
            ab_design_undo (f.design);
          break;
        }
      edits++;

      /* the model of the current design is shown at once */
      results = ab_sim_runner_get_results (f.runner);
      g_assert_nonnull (results);
      if (ab_sim_results_get_error (results) != NULL)
        g_error ("edit %u: %s", i, ab_sim_results_get_error (results));
      g_assert_cmpuint (ab_sim_setup_get_network (ab_sim_results_get_setup (results))->n_stations, ==,
                        ab_design_get_n_components (f.design));
      if (i % 25 == 0)
        assert_fresh (&f, ab_sim_results_get_model (results), FALSE);

      /* let runs start, stream and sometimes finish */
      spins = g_rand_int_range (rand, 0, 6);
      for (guint s = 0; s < spins; s++)
        {
          g_usleep (g_rand_int_range (rand, 0, 3000));
          while (g_main_context_iteration (NULL, FALSE))
            ;
        }
    }

  wait_complete (&f);
  g_assert_cmpuint (f.stale_points, ==, 0);
  g_assert_cmpuint (f.points, >, 0);
  g_assert_cmpuint (f.seen->len, >, edits / 2);
  assert_fresh (&f, ab_sim_results_get_des (ab_sim_runner_get_results (f.runner)), TRUE);
  g_assert_cmpuint (ab_sim_results_get_points (ab_sim_runner_get_results (f.runner))->len, >, 0);
  g_assert_cmpfloat (ab_sim_results_get_progress (ab_sim_runner_get_results (f.runner)), ==, 1.0);
  g_assert_false (ab_sim_runner_get_running (f.runner));
  g_test_message ("%u edits, %u completed runs, %u points", edits, f.completions, f.points);

  g_rand_free (rand);
  fixture_clear (&f);
}

static void
test_stop_and_rerun (void)
{
  Fixture f = { 0 };
  AbSimResults *results;
  guint points;

  fixture_init (&f, "basic-database-design");
  g_object_set (f.runner, "budget", (guint64) 400000, NULL);
  /* wait for the run to start */
  while (!ab_sim_runner_get_running (f.runner))
    g_main_context_iteration (NULL, TRUE);
  ab_sim_runner_stop (f.runner);
  g_assert_false (ab_sim_runner_get_running (f.runner));
  results = ab_sim_runner_get_results (f.runner);
  points = ab_sim_results_get_points (results)->len;
  /* nothing of the stopped run arrives afterwards */
  for (int i = 0; i < 20; i++)
    {
      g_usleep (2000);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  g_assert_cmpuint (ab_sim_results_get_points (results)->len, ==, points);
  g_assert_false (ab_sim_results_get_complete (results));
  g_assert_null (ab_sim_results_get_des (results));

  /* run again: the same snapshot from empty charts to the end */
  g_object_set (f.runner, "budget", (guint64) 30000, NULL);
  ab_sim_runner_run (f.runner);
  g_assert_true (ab_sim_runner_get_running (f.runner));
  wait_complete (&f);
  assert_fresh (&f, ab_sim_results_get_des (ab_sim_runner_get_results (f.runner)), TRUE);
  fixture_clear (&f);
}

static void
test_dispose_while_running (void)
{
  Fixture f = { 0 };

  fixture_init (&f, "gaming-leaderboard");
  g_object_set (f.runner, "budget", (guint64) 2000000, NULL);
  while (!ab_sim_runner_get_running (f.runner))
    g_main_context_iteration (NULL, TRUE);
  g_usleep (20000);
  /* fixture_clear asserts every results object is freed */
  fixture_clear (&f);
}

static void
test_unsimulatable (void)
{
  Fixture f = { 0 };
  AbSimResults *results;
  g_autoptr(AbDesign) empty = ab_design_new ("basic-database-design");

  fixture_init (&f, "basic-database-design");
  ab_sim_runner_set_design (f.runner, empty);
  results = ab_sim_runner_get_results (f.runner);
  g_assert_nonnull (ab_sim_results_get_error (results));
  g_assert_true (ab_sim_results_get_complete (results));
  g_assert_null (ab_sim_results_get_summary (results));
  g_assert_false (ab_sim_runner_get_running (f.runner));
  ab_sim_runner_set_design (f.runner, NULL);
  g_assert_null (ab_sim_runner_get_results (f.runner));
  fixture_clear (&f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sim-runner/rapid-edits", test_rapid_edits);
  g_test_add_func ("/sim-runner/stop-and-rerun", test_stop_and_rerun);
  g_test_add_func ("/sim-runner/dispose-while-running", test_dispose_while_running);
  g_test_add_func ("/sim-runner/unsimulatable", test_unsimulatable);
  return g_test_run ();
}
