/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-canvas: how AbCanvas copes with 1,000 components and 2,000
 * connections: building the accessible items, syncing after one edit,
 * laying out, drawing (all of it, and the part visible at 100 %), and
 * hit testing under the pointer.  Prints figures; asserts nothing. */
#include "config.h"

#include <stdio.h>

#include <adwaita.h>

#include "ab-canvas-private.h"

#define N_COMPONENTS 1000
#define COLUMNS 40

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static AbDesign *
big_design (void)
{
  AbDesign *design = ab_design_new (NULL);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  guint connected = 0;

  for (guint i = 0; i < N_COMPONENTS; i++)
    {
      g_autofree char *label = g_strdup_printf ("Service %u", i + 1);

      g_ptr_array_add (ids, g_strdup (ab_design_add_component (design, AB_KIND_APP, label,
                                                               (i % COLUMNS) * 240.0,
                                                               (i / COLUMNS) * 128.0, 1)));
    }
  for (guint i = 0; i < N_COMPONENTS; i++)
    {
      guint targets[2] = { i + 1, i + COLUMNS };

      for (guint k = 0; k < 2; k++)
        if (targets[k] < N_COMPONENTS && (k == 1 || targets[k] % COLUMNS != 0))
          {
            g_autoptr(GError) error = NULL;

            if (ab_design_connect (design, ids->pdata[i], ids->pdata[targets[k]], &error))
              connected++;
          }
    }
  /* Top up to 2,000 with longer links. */
  for (guint i = 0; connected < 2 * N_COMPONENTS && i < N_COMPONENTS; i++)
    {
      g_autoptr(GError) error = NULL;
      guint t = (i + 2 * COLUMNS + 1) % N_COMPONENTS;

      if (t != i && ab_design_connect (design, ids->pdata[i], ids->pdata[t], &error))
        connected++;
    }
  return design;
}

static double
time_snapshot (GtkWidget *canvas)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  gint64 start = g_get_monotonic_time ();
  GskRenderNode *node;
  double ms;

  GTK_WIDGET_GET_CLASS (canvas)->snapshot (canvas, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  ms = ms_since (start);
  if (node != NULL)
    gsk_render_node_unref (node);
  return ms;
}

int
main (int argc, char **argv)
{
  g_autoptr(AbDesign) design = NULL;
  GtkWidget *window, *canvas;
  gint64 start;
  double ms;
  const char *first;
  guint n_hits = 0;

  /* GTK's test accessibility backend: the labels are checked through the
   * GTK API, and a desktop accessibility bus (or a stale one left on the
   * display by another test) must not matter. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  if (!gtk_init_check ())
    {
      g_printerr ("no display: skipping\n");
      return 77;
    }
  adw_init ();

  start = g_get_monotonic_time ();
  design = big_design ();
  printf ("design: %u components, %u connections built in %.1f ms\n",
          ab_design_get_n_components (design), ab_design_get_n_connections (design), ms_since (start));

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  canvas = ab_canvas_new ();
  gtk_window_set_child (GTK_WINDOW (window), canvas);
  gtk_window_present (GTK_WINDOW (window));
  while (gtk_widget_get_width (canvas) == 0)
    g_main_context_iteration (NULL, TRUE);

  start = g_get_monotonic_time ();
  ab_canvas_set_design (AB_CANVAS (canvas), design);
  printf ("set_design (create %u accessible items): %.1f ms\n",
          g_hash_table_size (AB_CANVAS (canvas)->items), ms_since (start));

  start = g_get_monotonic_time ();
  while (!g_queue_is_empty (AB_CANVAS (canvas)->route_queue))
    g_main_context_iteration (NULL, TRUE);
  printf ("connection items placed on their routes (in idle time): %.1f ms\n", ms_since (start));

  first = ab_design_get_component (design, 0)->id;
  start = g_get_monotonic_time ();
  for (int i = 0; i < 10; i++)
    ab_design_move_components (design, (const char *[]) { first, NULL }, AB_GRID_SIZE, 0);
  printf ("sync after one move (labels, bounds): %.1f ms per edit\n", ms_since (start) / 10);

  start = g_get_monotonic_time ();
  for (int i = 0; i < 10; i++)
    {
      /* What a pan / zoom step costs: every item is placed again. */
      ab_canvas_pan_by (AB_CANVAS (canvas), 1, 0);
      gtk_widget_size_allocate (canvas, &(GtkAllocation) { 0, 0, 1280, 800 }, -1);
    }
  printf ("layout of all items: %.2f ms\n", ms_since (start) / 10);

  ab_canvas_zoom_reset (AB_CANVAS (canvas));
  ms = 0;
  for (int i = 0; i < 10; i++)
    ms += time_snapshot (canvas);
  printf ("draw at 100 %% (visible part): %.2f ms\n", ms / 10);

  ab_canvas_zoom_to_fit (AB_CANVAS (canvas));
  ms = 0;
  for (int i = 0; i < 5; i++)
    ms += time_snapshot (canvas);
  printf ("draw everything (zoom %.2f): %.2f ms\n", ab_canvas_get_zoom (AB_CANVAS (canvas)), ms / 5);

  ab_canvas_zoom_reset (AB_CANVAS (canvas));
  start = g_get_monotonic_time ();
  for (int i = 0; i < 200; i++)
    {
      const char *id = NULL;
      double x, y;

      ab_canvas_widget_to_design (AB_CANVAS (canvas), (i * 37) % 1280, (i * 53) % 800, &x, &y);
      if (ab_render_hit_test (design, x, y, &id) != AB_HIT_NONE)
        n_hits++;
    }
  printf ("hit test under the pointer: %.3f ms (%u of 200 hit)\n", ms_since (start) / 200, n_hits);

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
