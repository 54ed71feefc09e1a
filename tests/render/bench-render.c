/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Renderer benchmark: a 1,000-component / 2,000-connection design drawn
 * offscreen at a typical 1920x1080 viewport and zoomed out to fit, plus
 * hit testing; prints milliseconds per frame.  Target: < 8 ms per frame
 * for a typical viewport. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ab-render.h"

#define COLS 40
#define ROWS 25
#define VIEW_W 1920
#define VIEW_H 1080

static AbDesign *
build_design (void)
{
  /* Kinds the catalog lets call one another, so every connection is allowed. */
  static const AbKind kinds[] = { AB_KIND_LB, AB_KIND_APP, AB_KIND_WORKER, AB_KIND_APP };
  AbDesign *design = ab_design_new (NULL);
  const char **ids = g_new0 (const char *, COLS * ROWS);
  guint n_edges = 0;

  for (int r = 0; r < ROWS; r++)
    for (int c = 0; c < COLS; c++)
      {
        g_autofree char *label = g_strdup_printf ("Service %c%d", 'A' + r % 26, c);

        ids[r * COLS + c] = ab_design_add_component (design, kinds[(r + c) % G_N_ELEMENTS (kinds)],
                                                     label, c * 240.0, r * 128.0, 1 + (r * c) % 4);
      }
  /* Two connections out of each component: to the next column (same row
   * and the row below, or two rows up), wrapping back to the first. */
  for (int r = 0; r < ROWS; r++)
    for (int c = 0; c < COLS; c++)
      for (int k = 0; k < 2; k++)
        {
          int tc = (c + 1) % COLS;
          int tr = k == 0 ? r : (r + (c % 3 == 0 ? ROWS - 2 : 1)) % ROWS;
          g_autoptr(GError) error = NULL;

          if (ab_design_connect (design, ids[r * COLS + c], ids[tr * COLS + tc], &error) != NULL)
            n_edges++;
        }
  g_free (ids);
  g_assert_cmpuint (ab_design_get_n_components (design), ==, 1000);
  g_assert_cmpuint (n_edges, ==, 2000);
  return design;
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* Median CPU milliseconds per frame: the machine may be busy with other
 * work, and this thread's CPU time with the median is what stays steady. */
/* As the GTK canvas does: record through gtk_snapshot_append_cairo's
 * recording surface, then replay onto the (image) target.  @device_scale
 * 0 draws card bodies as paths, 1 from cached bitmaps. */
static double
recorded_frame_ms (AbDesign *design, double device_scale, int frames)
{
  cairo_surface_t *target = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, VIEW_W, VIEW_H);
  AbRenderOptions options;
  AbRect clip = { 2000, 1000, VIEW_W, VIEW_H };
  g_autofree double *times = g_new (double, frames);
  double median;

  ab_render_options_init (&options);
  options.draw_grid = TRUE;
  options.device_scale = device_scale;
  for (int i = -1; i < frames; i++)
    {
      double start = thread_cpu_ms ();
      cairo_surface_t *recording = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA,
                                                                   &(cairo_rectangle_t) { 0, 0, VIEW_W, VIEW_H });
      cairo_t *cr = cairo_create (recording);

      cairo_translate (cr, -clip.x, -clip.y);
      ab_render_design (cr, design, &options, &clip);
      cairo_destroy (cr);
      cr = cairo_create (target);
      cairo_set_source_surface (cr, recording, 0, 0);
      cairo_paint (cr);
      cairo_destroy (cr);
      cairo_surface_destroy (recording);
      cairo_surface_flush (target);
      if (i >= 0)
        times[i] = thread_cpu_ms () - start;
    }
  cairo_surface_destroy (target);
  qsort (times, frames, sizeof (double), compare_doubles);
  median = times[frames / 2];
  return median;
}

static double
frame_ms (AbDesign *design, double zoom, double pan_x, double pan_y, gboolean grid, int frames,
          AbRenderStats *stats)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, VIEW_W, VIEW_H);
  AbRenderOptions options;
  AbRect clip = { pan_x, pan_y, VIEW_W / zoom, VIEW_H / zoom };
  g_autofree double *times = g_new (double, frames);
  double median;

  ab_render_options_init (&options);
  options.draw_grid = grid;
  /* One warm-up frame fills the text cache, as on a live canvas. */
  for (int i = -1; i < frames; i++)
    {
      double start = thread_cpu_ms ();
      cairo_t *cr = cairo_create (surface);

      cairo_scale (cr, zoom, zoom);
      cairo_translate (cr, -pan_x, -pan_y);
      ab_render_design (cr, design, &options, &clip);
      cairo_destroy (cr);
      cairo_surface_flush (surface);
      if (i >= 0)
        times[i] = thread_cpu_ms () - start;
    }
  ab_render_get_stats (stats);
  cairo_surface_destroy (surface);
  qsort (times, frames, sizeof (double), compare_doubles);
  median = times[frames / 2];
  return median;
}

int
main (int argc, char **argv)
{
  g_autoptr(AbDesign) design = build_design ();
  AbRect bounds;
  AbRenderStats stats;
  double ms, fit;
  int frames = argc > 1 ? atoi (argv[1]) : 30;
  double start;
  int hits = 0;

  g_assert_true (ab_render_bounds (design, NULL, &bounds));
  printf ("design: %u components, %u connections, %.0f x %.0f units\n",
          ab_design_get_n_components (design), ab_design_get_n_connections (design),
          bounds.width, bounds.height);

  ms = frame_ms (design, 1.0, 2000, 1000, FALSE, frames, &stats);
  printf ("viewport 1920x1080 zoom 1:        %6.2f ms/frame  (%u cards, %u connections drawn)\n",
          ms, stats.components, stats.connections);
  ms = frame_ms (design, 1.0, 2000, 1000, TRUE, frames, &stats);
  printf ("viewport 1920x1080 zoom 1 + grid: %6.2f ms/frame\n", ms);
  ms = frame_ms (design, 2.0, 2000, 1000, TRUE, frames, &stats);
  printf ("viewport 1920x1080 zoom 2 + grid: %6.2f ms/frame  (%u cards, %u connections drawn)\n",
          ms, stats.components, stats.connections);
  ms = frame_ms (design, 0.5, 2000, 1000, TRUE, frames, &stats);
  printf ("viewport 1920x1080 zoom 0.5:      %6.2f ms/frame  (%u cards, %u connections drawn)\n",
          ms, stats.components, stats.connections);
  fit = MIN (VIEW_W / bounds.width, VIEW_H / bounds.height);
  ms = frame_ms (design, fit, bounds.x, bounds.y, FALSE, MAX (frames / 3, 3), &stats);
  printf ("zoom to fit (%.3f), everything:   %6.2f ms/frame  (%u cards, %u connections drawn)\n",
          fit, ms, stats.components, stats.connections);

  printf ("recorded + replayed (GTK canvas), zoom 1 + grid, device_scale 1: %6.2f ms/frame\n",
          recorded_frame_ms (design, 1, frames));
  printf ("recorded + replayed (GTK canvas), zoom 1 + grid, device_scale 0: %6.2f ms/frame  (card bodies as paths)\n",
          recorded_frame_ms (design, 0, frames));

  start = thread_cpu_ms ();
  for (int i = 0; i < 200; i++)
    {
      const char *id;

      if (ab_render_hit_test (design, fmod (i * 97.0, bounds.width), fmod (i * 61.0, bounds.height), &id) != AB_HIT_NONE)
        hits++;
    }
  printf ("hit test:                          %6.3f ms/call  (%d of 200 hit)\n",
          (thread_cpu_ms () - start) / 200, hits);
  return 0;
}
