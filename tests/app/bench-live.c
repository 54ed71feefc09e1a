/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-live: frame times of the editor while the live simulation runs.
 * A real window with the canvas and the results panel on the largest
 * reference solution; a drag is played frame by frame (the canvas' own
 * move preview, as its pointer handler sets it), first with no
 * simulation, then while the runner simulates again and again (a new run
 * whenever one finishes, its points streaming into the charts), then
 * with an edit every 200 ms (each evaluates the model at once and
 * restarts the run).  Prints frame interval percentiles; asserts
 * nothing (speed targets are benchmarks, not tests). */
#include "config.h"

#include <stdio.h>

#include <adwaita.h>

#include "ab-app-resources.h"
#include "ab-canvas-private.h"
#include "ab-reference.h"
#include "ab-results-panel.h"

typedef struct {
  GtkWidget   *canvas;
  AbDocument  *document;
  AbDesign    *design;
  GArray      *intervals;   /* ms between frames */
  gint64       last;
  guint        frames;
  guint        phase_frames;
  gboolean     rerun;
  gboolean     edit;
  gint64       last_edit;
  const char  *edit_id;
  guint        runs;
} Bench;

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static void
report (Bench      *b,
        const char *what)
{
  GArray *v = b->intervals;
  double sum = 0.0;

  g_array_sort (v, cmp_double);
  for (guint i = 0; i < v->len; i++)
    sum += g_array_index (v, double, i);
  printf ("%-44s frames %4u  mean %6.2f ms  p50 %6.2f  p95 %6.2f  p99 %6.2f  max %6.2f ms  (%u runs)\n",
          what, v->len, sum / MAX (v->len, 1),
          g_array_index (v, double, v->len / 2),
          g_array_index (v, double, (guint) (v->len * 0.95)),
          g_array_index (v, double, (guint) (v->len * 0.99)),
          g_array_index (v, double, v->len - 1), b->runs);
  fflush (stdout);
  g_array_set_size (v, 0);
}

static void
on_complete (AbSimResults *results,
             GParamSpec   *pspec,
             Bench        *b)
{
  if (!ab_sim_results_get_complete (results))
    return;
  b->runs++;
  if (b->rerun)
    ab_sim_runner_run (ab_document_get_runner (b->document));
}

static void
on_results (AbDocument *document,
            GParamSpec *pspec,
            Bench      *b)
{
  AbSimResults *results = ab_document_get_results (document);

  if (results != NULL)
    g_signal_connect (results, "notify::complete", G_CALLBACK (on_complete), b);
}

static gboolean
tick (GtkWidget     *widget,
      GdkFrameClock *clock,
      gpointer       data)
{
  Bench *b = data;
  AbCanvas *canvas = AB_CANVAS (b->canvas);
  gint64 now = gdk_frame_clock_get_frame_time (clock);

  if (b->last != 0)
    g_array_append_val (b->intervals, ((double) { (now - b->last) / 1000.0 }));
  b->last = now;

  /* the drag preview, as the pointer handler sets it */
  canvas->drag_mode = AB_DRAG_MOVE;
  canvas->move_dx = 16.0 * ((b->frames / 4) % 20);
  canvas->move_dy = 0.0;
  gtk_widget_queue_draw (b->canvas);

  if (b->edit && now - b->last_edit > 200 * 1000)
    {
      b->last_edit = now;
      ab_design_set_instances (b->design, b->edit_id, 2 + (b->frames / 10) % 6);
    }

  b->frames++;
  if (++b->phase_frames == 300)
    {
      b->phase_frames = 0;
      if (!b->rerun && !b->edit)
        {
          report (b, "drag, no simulation");
          b->rerun = TRUE;
          ab_sim_runner_run (ab_document_get_runner (b->document));
        }
      else if (!b->edit)
        {
          report (b, "drag while the simulation runs");
          b->edit = TRUE;
        }
      else
        {
          report (b, "drag + an edit every 200 ms (restarts)");
          canvas->drag_mode = AB_DRAG_NONE;
          g_application_quit (g_application_get_default ());
          return G_SOURCE_REMOVE;
        }
      b->last = 0;
    }
  return G_SOURCE_CONTINUE;
}

static void
activate (GtkApplication *app,
          Bench          *b)
{
  const char *problem_id = g_getenv ("BENCH_PROBLEM") ? g_getenv ("BENCH_PROBLEM") : "distributed-database";
  AbProblem *problem = ab_problem_set_lookup (ab_problem_set_get_default (), problem_id);
  g_autoptr(GError) error = NULL;
  GtkWidget *window, *box, *panel;

  b->design = ab_reference_build_design (problem, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < ab_design_get_n_components (b->design); i++)
    if (ab_design_get_component (b->design, i)->kind == AB_KIND_APP)
      b->edit_id = ab_design_get_component (b->design, i)->id;
  if (b->edit_id == NULL)
    b->edit_id = ab_design_get_component (b->design, 1)->id;
  printf ("reference %s: %u components\n", problem_id, ab_design_get_n_components (b->design));

  b->document = ab_document_new ();
  g_signal_connect (b->document, "notify::results", G_CALLBACK (on_results), b);
  /* no automatic run before the first phase: debounce long */
  g_object_set (ab_document_get_runner (b->document), "debounce", 60000u, NULL);

  window = gtk_application_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  b->canvas = ab_canvas_new ();
  gtk_widget_set_vexpand (b->canvas, TRUE);
  panel = ab_results_panel_new ();
  ab_panel_set_document (AB_PANEL (panel), b->document);
  gtk_box_append (GTK_BOX (box), b->canvas);
  gtk_box_append (GTK_BOX (box), panel);
  gtk_window_set_child (GTK_WINDOW (window), box);
  ab_document_set (b->document, b->design, problem, NULL);
  ab_canvas_set_design (AB_CANVAS (b->canvas), b->design);
  /* select everything: the drag moves the whole diagram */
  ab_canvas_select_all (AB_CANVAS (b->canvas));
  gtk_window_present (GTK_WINDOW (window));
  ab_canvas_zoom_to_fit (AB_CANVAS (b->canvas));
  g_object_set (ab_document_get_runner (b->document), "debounce", 0u, NULL);
  gtk_widget_add_tick_callback (b->canvas, tick, b, NULL);
}

int
main (int argc, char **argv)
{
  g_autoptr(AdwApplication) app = NULL;
  Bench b = { 0 };

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      printf ("no display: skipped\n");
      return 77;
    }
  /* the static library's resources (the results panel's template) */
  g_assert (ab_app_get_resource () != NULL);
  b.intervals = g_array_new (FALSE, FALSE, sizeof (double));
  app = adw_application_new ("io.github.archboard.BenchLive", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate), &b);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
