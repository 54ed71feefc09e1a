/* SPDX-License-Identifier: GPL-3.0-or-later */
/* canvas-demo: a window with just an AbCanvas on a reference design (or the
 * .archboard file given), for the dogtail / xdotool test and screenshots.
 * With ARCHBOARD_DEMO_LOG set, it rewrites that file after every edit,
 * selection change and zoom with one line per component: id, label, x, y
 * (tab separated), then "#selection" and "#zoom" lines. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <adwaita.h>

#include "ab-canvas.h"

static void
write_log (AbCanvas *canvas)
{
  const char *path = g_getenv ("ARCHBOARD_DEMO_LOG");
  AbDesign *design = ab_canvas_get_design (canvas);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) selection = NULL;
  g_autofree char *joined = NULL;
  char zoom[G_ASCII_DTOSTR_BUF_SIZE];
  guint n = ab_design_get_n_components (design);

  if (path == NULL)
    return;
  for (guint i = 0; i < n; i++)
    {
      const AbComponent *c = ab_design_get_component (design, i);

      g_string_append_printf (out, "%s\t%s\t%g\t%g\n", c->id, c->label, c->x, c->y);
    }
  selection = ab_canvas_get_selection (canvas);
  joined = g_strjoinv (",", selection);
  g_string_append_printf (out, "#selection\t%s\n", joined);
  g_string_append_printf (out, "#zoom\t%s\n", g_ascii_dtostr (zoom, sizeof zoom, ab_canvas_get_zoom (canvas)));
  if (!g_file_set_contents (path, out->str, out->len, &error))
    g_printerr ("canvas-demo: %s\n", error->message);
}

static void
connect_or_warn (AbDesign   *design,
                 const char *from,
                 const char *to)
{
  g_autoptr(GError) error = NULL;

  if (ab_design_connect (design, from, to, &error) == NULL)
    g_printerr ("canvas-demo: %s\n", error->message);
}

static AbDesign *
reference_design (void)
{
  AbDesign *design = ab_design_new (NULL);
  const char *client = ab_design_add_component (design, AB_KIND_CLIENT, "Readers", 0, 176, 1);
  const char *lb = ab_design_add_component (design, AB_KIND_LB, "Front LB", 240, 176, 2);
  const char *api = ab_design_add_component (design, AB_KIND_APP, "Blog API", 480, 176, 3);
  const char *cache = ab_design_add_component (design, AB_KIND_CACHE, "Query Cache", 752, 48, 1);
  const char *db = ab_design_add_component (design, AB_KIND_DB_PRIMARY, "MySQL Primary", 752, 304, 1);
  const char *queue = ab_design_add_component (design, AB_KIND_QUEUE, "Email Queue", 480, 432, 1);
  const char *worker = ab_design_add_component (design, AB_KIND_WORKER, "Mailer", 752, 480, 2);

  connect_or_warn (design, client, lb);
  connect_or_warn (design, lb, api);
  connect_or_warn (design, api, cache);
  connect_or_warn (design, api, db);
  connect_or_warn (design, api, queue);
  connect_or_warn (design, queue, worker);
  return design;
}

static void
on_message (AbCanvas   *canvas,
            const char *text)
{
  g_print ("message: %s\n", text);
}

static void
on_activate (AbCanvas   *canvas,
             const char *id)
{
  g_print ("activate: %s\n", id);
}

static void
on_close (GtkWindow *window,
          gboolean  *done)
{
  *done = TRUE;
}

int
main (int argc, char **argv)
{
  g_autoptr(AbDesign) design = NULL;
  GtkWidget *window, *canvas;
  gboolean done = FALSE;

  g_set_prgname ("canvas-demo");
  g_set_application_name ("canvas-demo");
  gtk_init ();
  adw_init ();

  if (argc > 1)
    {
      g_autoptr(GError) error = NULL;

      design = ab_design_load_from_file (argv[1], &error);
      if (design == NULL)
        {
          g_printerr ("canvas-demo: %s\n", error->message);
          return EXIT_FAILURE;
        }
    }
  else
    design = reference_design ();

  window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), "Archboard canvas demo");
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  canvas = ab_canvas_new ();
  ab_canvas_set_design (AB_CANVAS (canvas), design);
  g_signal_connect (canvas, "message", G_CALLBACK (on_message), NULL);
  g_signal_connect (canvas, "activate-item", G_CALLBACK (on_activate), NULL);
  g_signal_connect_object (design, "changed", G_CALLBACK (write_log), canvas, G_CONNECT_SWAPPED);
  g_signal_connect (canvas, "selection-changed", G_CALLBACK (write_log), NULL);
  g_signal_connect (canvas, "notify::zoom", G_CALLBACK (write_log), NULL);
  write_log (AB_CANVAS (canvas));
  gtk_window_set_child (GTK_WINDOW (window), canvas);
  g_signal_connect (window, "close-request", G_CALLBACK (on_close), &done);
  gtk_window_present (GTK_WINDOW (window));
  g_print ("ready\n");

  while (!done)
    g_main_context_iteration (NULL, TRUE);
  return EXIT_SUCCESS;
}
