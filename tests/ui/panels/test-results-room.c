/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The results panel tells the user when the simulator ran out of room
 * for requests in flight (docs/simulation.md, "Room for the requests"):
 * users 10 s away from an API, at 250,000 requests a second (the
 * problem's rates scaled), simulated whole with a large sample budget
 * (the runner's "budget"), keep more requests in flight than the
 * simulator's pool holds.  The panel shows the core's sentence under
 * "Simulator limit" once the run is done, no error in the phases, and
 * nothing of the kind for a run that had room. */
#include "config.h"

#include <adwaita.h>

#include "ab-app-resources.h"
#include "ab-document.h"
#include "ab-results-panel.h"
#include "panel-test-util.h"

#define FAR_RATE 250000.0

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The first label under @root whose text starts with @prefix. */
/* Waits for the document's current run to finish its DES. */
static const AbSimSummary *
wait_for_des (AbDocument *document)
{
  gboolean late = FALSE;
  guint timer = g_timeout_add_seconds (120, timed_out, &late);
  AbSimResults *results;

  for (;;)
    {
      AbSimRunner *runner = ab_document_get_runner (document);

      results = ab_document_get_results (document);
      if (results != NULL && ab_sim_results_get_des (results) != NULL && !ab_sim_runner_get_running (runner))
        break;
      g_assert_false (late);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (timer);
  iterate ();
  return ab_sim_results_get_des (results);
}

static AbDesign *
far_design (AbProblem *problem)
{
  g_autoptr(GError) error = NULL;
  AbDesign *design = ab_design_new (problem->id);
  const char *users = ab_design_add_component (design, AB_KIND_CLIENT, "Far Users", 40, 160, 1);
  const char *api = ab_design_add_component (design, AB_KIND_APP, "API", 300, 160, 1);
  const char *edge;

  ab_design_set_component_param (design, api, "concurrency", g_variant_new_double (100000));
  ab_design_set_component_param (design, api, "service_ms", g_variant_new_double (0.001));
  edge = ab_design_connect (design, users, api, &error);
  g_assert_no_error (error);
  ab_design_set_connection_param (design, edge, "latency_ms", g_variant_new_double (10000.0));
  return design;
}

static void
test_simulator_limit (void)
{
  AbProblem *problem = ab_problem_set_lookup (ab_problem_set_get_default (), "basic-database-design");
  g_autoptr(AbDocument) document = ab_document_new ();
  g_autoptr(AbDesign) design = NULL;
  AbSimRunner *runner = ab_document_get_runner (document);
  const AbWorkload *workload;
  const AbSimSummary *s;
  GtkWidget *window, *panel;
  GtkLabel *label;
  double rate;

  g_assert_nonnull (problem);
  design = far_design (problem);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  panel = g_object_new (AB_TYPE_RESULTS_PANEL, "document", document, NULL);
  gtk_window_set_child (GTK_WINDOW (window), panel);
  gtk_window_present (GTK_WINDOW (window));
  g_object_set (runner, "debounce", 0u, "scenario", "normal", "seed", (gint64) 5, NULL);
  ab_document_set (document, design, problem, NULL);
  iterate ();

  /* at the problem's own load (11,000/s) there is room for all */
  s = wait_for_des (document);
  g_test_message ("at the problem's load: out of room %" G_GUINT64_FORMAT, s->out_of_room);
  g_assert_cmpuint (s->out_of_room, ==, 0);
  g_assert_null (find_label (panel, "The simulator ran out of room"));
  g_assert_null (find_label (panel, "Simulator limit"));

  /* at 250,000/s simulated whole: the pool fills */
  workload = ab_sim_setup_get_workload (ab_sim_results_get_setup (ab_document_get_results (document)));
  rate = workload->read_rps + workload->write_rps;
  g_object_set (runner, "rate-scale", FAR_RATE / rate, "budget", (guint64) 20000000, NULL);
  iterate ();
  s = wait_for_des (document);
  g_test_message ("at %.0f/s: out of room %" G_GUINT64_FORMAT ", normal phase errors %.4f", FAR_RATE,
                  s->out_of_room, s->phases[s->normal].error_rate);
  g_assert_cmpuint (s->out_of_room, >, 100000);
  g_assert_cmpfloat (s->phases[s->normal].error_rate, ==, 0.0);
  label = find_label (panel, "The simulator ran out of room for ");
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (label)));
  {
    g_autofree char *want = ab_sim_summary_room_text (s);

    g_assert_cmpstr (gtk_label_get_label (label), ==, want);
  }
  g_assert_nonnull (find_label (panel, "Simulator limit"));

  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();
  ab_document_set (document, NULL, NULL, NULL);
  iterate ();
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("LANGUAGE", "C", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      g_printerr ("no display: skipping\n");
      return 77;
    }
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  g_assert (ab_app_get_resource () != NULL);

  g_test_add_func ("/results-room/simulator-limit", test_simulator_limit);
  return g_test_run ();
}
