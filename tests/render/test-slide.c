/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Slide-ready drawing: the router's geometry on all shipped references
 * (no looping route, no two connections on one segment, separate
 * arrowheads), exports without ports, both themes and transparent
 * backgrounds, the legend of connection kinds. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include <glib/gstdio.h>

#include "ab-export.h"
#include "ab-problem.h"
#include "ab-reference.h"
#include "ab-render.h"
#include "ab-render-private.h"

typedef struct {
  char   *connection;
  double *pts;
  guint   n;
} RouteCopy;

static void
route_copy_free (gpointer data)
{
  RouteCopy *r = data;

  g_free (r->connection);
  g_free (r->pts);
  g_free (r);
}

static void
collect_route (const AbConnection *connection,
               const double       *points,
               guint               n_points,
               gpointer            user_data)
{
  RouteCopy *r = g_new0 (RouteCopy, 1);

  r->connection = g_strdup (connection->id);
  r->pts = g_memdup2 (points, sizeof (double) * 2 * n_points);
  r->n = n_points;
  g_ptr_array_add (user_data, r);
}

static GPtrArray *
routes_of (AbDesign *design)
{
  GPtrArray *routes = g_ptr_array_new_with_free_func (route_copy_free);

  ab_render_foreach_route (design, NULL, collect_route, routes);
  return routes;
}

/* Axis-aligned segments a-b, c-d have a point in common. */
static gboolean
touch (const double *a, const double *b, const double *c, const double *d)
{
  return MIN (a[0], b[0]) <= MAX (c[0], d[0]) + 1e-6 && MIN (c[0], d[0]) <= MAX (a[0], b[0]) + 1e-6
         && MIN (a[1], b[1]) <= MAX (c[1], d[1]) + 1e-6 && MIN (c[1], d[1]) <= MAX (a[1], b[1]) + 1e-6;
}

/* Length two collinear axis-aligned segments share (0 if not collinear). */
static double
shared_length (const double *a, const double *b, const double *c, const double *d)
{
  gboolean v1 = fabs (a[0] - b[0]) < 1e-6, v2 = fabs (c[0] - d[0]) < 1e-6;
  gboolean h1 = fabs (a[1] - b[1]) < 1e-6, h2 = fabs (c[1] - d[1]) < 1e-6;

  if (v1 && v2 && fabs (a[0] - c[0]) < 0.5)
    return MIN (MAX (a[1], b[1]), MAX (c[1], d[1])) - MAX (MIN (a[1], b[1]), MIN (c[1], d[1]));
  if (h1 && h2 && fabs (a[1] - c[1]) < 0.5)
    return MIN (MAX (a[0], b[0]), MAX (c[0], d[0])) - MAX (MIN (a[0], b[0]), MIN (c[0], d[0]));
  return 0;
}

/* Problems found, each printed: a test lists them all, then fails. */
static guint n_problems;

G_GNUC_PRINTF (1, 2)
static void
report (const char *format, ...)
{
  va_list args;
  g_autofree char *text = NULL;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_test_message ("%s", text);
  g_printerr ("%s\n", text);
  n_problems++;
}

static void
assert_route_simple (const RouteCopy *r, const char *what)
{
  g_assert_cmpuint (r->n, >=, 2);
  for (guint i = 0; i + 1 < r->n; i++)
    {
      const double *a = &r->pts[2 * i], *b = &r->pts[2 * i + 2];

      /* orthogonal, no zero-length segment */
      g_assert_true (fabs (a[0] - b[0]) < 1e-6 || fabs (a[1] - b[1]) < 1e-6);
      g_assert_cmpfloat (fabs (a[0] - b[0]) + fabs (a[1] - b[1]), >, 0.5);
      /* no turning back onto itself */
      if (i + 2 < r->n)
        {
          const double *c = &r->pts[2 * i + 4];
          double dot = (b[0] - a[0]) * (c[0] - b[0]) + (b[1] - a[1]) * (c[1] - b[1]);

          if (dot < 0)
            report ("%s: route of %s turns back at point %u", what, r->connection, i + 1);
        }
      /* no loop: segments that are not neighbours never meet */
      for (guint j = i + 2; j + 1 < r->n; j++)
        if (touch (a, b, &r->pts[2 * j], &r->pts[2 * j + 2]))
          report ("%s: route of %s crosses itself (segments %u and %u)", what, r->connection, i, j);
    }
}

/* Every route of @design is simple, starts on its source's right edge and
 * ends on its target's left edge; no two connections share a segment or
 * an arrowhead. */
static void
assert_routes_apart (AbDesign *design, const char *what)
{
  g_autoptr(GPtrArray) routes = routes_of (design);
  guint drawn = 0;

  for (guint i = 0; i < ab_design_get_n_connections (design); i++)
    {
      const AbConnection *c = ab_design_get_connection (design, i);
      if (g_strcmp0 (c->from, c->to) != 0)
        drawn++;
    }
  g_assert_cmpuint (routes->len, ==, drawn);

  for (guint i = 0; i < routes->len; i++)
    {
      const RouteCopy *r = g_ptr_array_index (routes, i);
      const AbConnection *c = ab_design_find_connection (design, r->connection);
      const AbComponent *from = ab_design_find_component (design, c->from);
      const AbComponent *to = ab_design_find_component (design, c->to);

      assert_route_simple (r, what);
      g_assert_cmpfloat_with_epsilon (r->pts[0], from->x + AB_CARD_WIDTH, 1e-6);
      g_assert_cmpfloat (r->pts[1], >, from->y);
      g_assert_cmpfloat (r->pts[1], <, from->y + AB_CARD_HEIGHT);
      g_assert_cmpfloat_with_epsilon (r->pts[2 * r->n - 2], to->x, 1e-6);
      g_assert_cmpfloat (r->pts[2 * r->n - 1], >, to->y);
      g_assert_cmpfloat (r->pts[2 * r->n - 1], <, to->y + AB_CARD_HEIGHT);

      for (guint j = i + 1; j < routes->len; j++)
        {
          const RouteCopy *o = g_ptr_array_index (routes, j);

          if (fabs (r->pts[2 * r->n - 2] - o->pts[2 * o->n - 2]) < 1e-6
              && fabs (r->pts[2 * r->n - 1] - o->pts[2 * o->n - 1]) < 4.0)
            report ("%s: %s and %s end on the same arrowhead", what, r->connection, o->connection);
          for (guint a = 0; a + 1 < r->n; a++)
            for (guint b = 0; b + 1 < o->n; b++)
              {
                double shared = shared_length (&r->pts[2 * a], &r->pts[2 * a + 2], &o->pts[2 * b], &o->pts[2 * b + 2]);

                if (shared > 0.5)
                  report ("%s: %s (segment %u) and %s (segment %u) share %.1f units of line",
                           what, r->connection, a, o->connection, b, shared);
              }
        }
    }
}

static AbDesign *
reference (AbProblem *problem)
{
  g_autoptr(GError) error = NULL;
  AbDesign *design = ab_reference_build_design (problem, &error);

  g_assert_no_error (error);
  return design;
}

static void
test_reference_routes (void)
{
  AbProblemSet *set = ab_problem_set_get_default ();

  g_assert_cmpuint (ab_problem_set_get_n (set), ==, 35);
  n_problems = 0;
  for (guint i = 0; i < ab_problem_set_get_n (set); i++)
    {
      AbProblem *problem = ab_problem_set_get_nth (set, i);
      g_autoptr(AbDesign) design = reference (problem);

      assert_routes_apart (design, problem->id);
    }
  g_assert_cmpuint (n_problems, ==, 0);
}

/* Hand-made situations that used to loop or overlap: two cards side by
 * side with a gap narrower than two stubs, one under the other, the
 * target left of the source, fan-out and fan-in through one column. */
static void
test_tricky_routes (void)
{
  static const double gaps[] = { 4, 12, 24, 30, 39, 41, 80 };

  n_problems = 0;
  for (guint g = 0; g < G_N_ELEMENTS (gaps); g++)
    for (int dy = -96; dy <= 96; dy += 24)
      {
        g_autoptr(AbDesign) design = ab_design_new (NULL);
        g_autoptr(GError) error = NULL;
        g_autofree char *what = g_strdup_printf ("gap %g, dy %d", gaps[g], dy);
        const char *a = ab_design_add_component (design, AB_KIND_CLIENT, "A", 0, 0, 1);
        const char *b = ab_design_add_component (design, AB_KIND_APP, "B", AB_CARD_WIDTH + gaps[g], dy, 1);

        ab_design_connect (design, a, b, &error);
        g_assert_no_error (error);
        assert_routes_apart (design, what);
      }

  {
    g_autoptr(AbDesign) design = ab_design_new (NULL);
    g_autoptr(GError) error = NULL;
    const char *app[3], *db[3], *stream;

    for (int i = 0; i < 3; i++)
      {
        app[i] = ab_design_add_component (design, AB_KIND_APP, "App", 0, i * 112, 1);
        db[i] = ab_design_add_component (design, AB_KIND_DB_PRIMARY, "DB", 320, i * 112, 1);
      }
    stream = ab_design_add_component (design, AB_KIND_STREAM, "CDC", 640, 112, 1);
    for (int i = 0; i < 3; i++)
      for (int j = 0; j < 3; j++)
        {
          ab_design_connect (design, app[i], db[j], &error);
          g_assert_no_error (error);
        }
    for (int i = 0; i < 3; i++)
      {
        const char *e = ab_design_connect (design, db[i], stream, &error);
        g_assert_no_error (error);
        ab_design_set_connection_mode (design, e, AB_CONN_ASYNC);
      }
    /* and back, right to left, over the others */
    ab_design_connect (design, stream, app[0], &error);
    g_clear_error (&error);
    assert_routes_apart (design, "fan-out / fan-in");
  }
  g_assert_cmpuint (n_problems, ==, 0);
}

/* ---- exports ---- */

static char *temp_dir;

static char *
temp_path (const char *name)
{
  g_autoptr(GError) error = NULL;

  if (temp_dir == NULL)
    {
      temp_dir = g_dir_make_tmp ("ab-slide-XXXXXX", &error);
      g_assert_no_error (error);
    }
  return g_build_filename (temp_dir, name, NULL);
}

static cairo_surface_t *
export_png (AbDesign *design, gboolean dark, gboolean transparent, const char *name)
{
  g_autofree char *path = temp_path (name);
  g_autoptr(GError) error = NULL;
  AbExportOptions options;
  cairo_surface_t *surface;

  ab_export_options_init (&options);
  options.dark = dark;
  options.transparent = transparent;
  g_assert_true (ab_export_to_file (design, path, &options, &error));
  g_assert_no_error (error);
  surface = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  return surface;
}

static guint32
pixel_at (cairo_surface_t *surface, int x, int y)
{
  cairo_surface_flush (surface);
  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, cairo_image_surface_get_width (surface));
  g_assert_cmpint (y, <, cairo_image_surface_get_height (surface));
  return *(guint32 *) (cairo_image_surface_get_data (surface)
                       + y * cairo_image_surface_get_stride (surface) + x * 4);
}

/* Relative luminance of a premultiplied ARGB pixel laid over @backdrop
 * (0 black .. 255 white). */
static double
luminance_over (guint32 p, int backdrop)
{
  double a = (p >> 24) / 255.0, lum = 0;
  const double weights[3] = { 0.2126, 0.7152, 0.0722 };
  const int shifts[3] = { 16, 8, 0 };

  for (int k = 0; k < 3; k++)
    {
      double c = (((p >> shifts[k]) & 0xff) + (1 - a) * backdrop) / 255.0;

      c = c <= 0.04045 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
      lum += weights[k] * c;
    }
  return lum;
}

static double
contrast (double l1, double l2)
{
  return (MAX (l1, l2) + 0.05) / (MIN (l1, l2) + 0.05);
}

/* Two lone cards and a connection between them; where a port would be
 * (the source's right edge, outside the card; the target, which has no
 * outgoing connection, too) nothing is drawn in an export. */
static void
test_no_ports (void)
{
  g_autoptr(AbDesign) design = ab_design_new (NULL);
  g_autoptr(GError) error = NULL;
  const char *a = ab_design_add_component (design, AB_KIND_APP, "A", 0, 0, 1);
  const char *b = ab_design_add_component (design, AB_KIND_CACHE, "B", 0, 160, 1);
  AbRect bounds;
  cairo_surface_t *png, *canvas;
  cairo_t *cr;
  AbRenderOptions options;
  int ox, oy;

  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_true (ab_render_bounds (design, NULL, &bounds));
  png = export_png (design, FALSE, TRUE, "ports.png");
  ox = (int) round (24 - bounds.x);
  oy = (int) round (24 - bounds.y);
  for (int card = 0; card < 2; card++)
    {
      int px = ox + (int) AB_CARD_WIDTH + 3, py = oy + card * 160 + (int) AB_CARD_HEIGHT / 2;

      /* just outside the right edge, where the port circle bulges out */
      g_assert_cmpuint (pixel_at (png, px, py) >> 24, ==, 0);
      g_assert_cmpuint (pixel_at (png, px - 6, py) >> 24, ==, 0xff);  /* inside the card */
    }
  cairo_surface_destroy (png);

  /* Nor does the canvas, hovered or selected: its connection handles
   * (drawn by the canvas widget, away from the card) replaced the old
   * right-edge port circle. */
  canvas = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, ox + 260, oy + 260);
  cr = cairo_create (canvas);
  ab_render_options_init (&options);
  options.transparent = TRUE;
  options.hovered = a;
  options.selected = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_add (options.selected, (gpointer) b);
  cairo_translate (cr, ox, oy);
  ab_render_design (cr, design, &options, NULL);
  cairo_destroy (cr);
  for (int card = 0; card < 2; card++)
    {
      int px = ox + (int) AB_CARD_WIDTH + 4, py = oy + card * 160 + (int) AB_CARD_HEIGHT / 2;

      g_assert_cmpuint (pixel_at (canvas, px, py) >> 24, ==, 0);
      g_assert_cmpuint (pixel_at (canvas, px - 8, py) >> 24, ==, 0xff);
    }
  g_hash_table_unref (options.selected);
  cairo_surface_destroy (canvas);
  (void) error;
}

/* A point in the middle of the longest straight run of a connection's
 * route, in export pixels. */
static void
line_pixel (AbDesign *design, const char *connection, int *x, int *y)
{
  const AbConnection *c = ab_design_find_connection (design, connection);
  guint n;
  g_autofree double *pts = ab_render_connection_route (design, c, &n);
  AbRect bounds;
  double best = -1;

  g_assert_true (ab_render_bounds (design, NULL, &bounds));
  for (guint i = 0; i + 1 < n; i++)
    {
      double len = fabs (pts[2 * i + 2] - pts[2 * i]) + fabs (pts[2 * i + 3] - pts[2 * i + 1]);

      if (len > best && fabs (pts[2 * i + 3] - pts[2 * i + 1]) < 1e-6)
        {
          best = len;
          *x = (int) floor ((pts[2 * i] + pts[2 * i + 2]) / 2 + 24 - bounds.x);
          *y = (int) floor (pts[2 * i + 1] + 24 - bounds.y);
        }
    }
  g_assert_cmpfloat (best, >, 20);
}

static void
test_themes_and_transparency (void)
{
  g_autoptr(AbDesign) design = ab_design_new (NULL);
  g_autoptr(GError) error = NULL;
  const char *a = ab_design_add_component (design, AB_KIND_CLIENT, "Users", 0, 0, 1);
  const char *b = ab_design_add_component (design, AB_KIND_APP, "API", 320, 0, 1);
  const char *e = ab_design_connect (design, a, b, &error);
  int lx = 0, ly = 0;

  g_assert_no_error (error);
  line_pixel (design, e, &lx, &ly);
  for (int dark = 0; dark < 2; dark++)
    {
      cairo_surface_t *themed = export_png (design, dark, FALSE, dark ? "dark.png" : "light.png");
      cairo_surface_t *clear = export_png (design, dark, TRUE, dark ? "dark-clear.png" : "light-clear.png");
      guint32 corner = pixel_at (themed, 1, 1), line = 0;

      /* themed background: opaque, light or dark as asked */
      g_assert_cmpuint (corner >> 24, ==, 0xff);
      if (dark)
        g_assert_cmpfloat (luminance_over (corner, 0), <, 0.05);
      else
        g_assert_cmpfloat (luminance_over (corner, 0), >, 0.9);
      /* transparent: nothing behind the diagram */
      g_assert_cmpuint (pixel_at (clear, 1, 1), ==, 0);

      /* the line of a transparent export reads on white and on black
       * (the darkest / lightest pixel across the 1.5-unit line) */
      for (int dy = -1; dy <= 1; dy++)
        {
          guint32 p = pixel_at (clear, lx, ly + dy);
          if ((p >> 24) > (line >> 24))
            line = p;
        }
      g_assert_cmpuint (line >> 24, >=, 0x80);
      g_assert_cmpfloat (contrast (luminance_over (line, 255), 1.0), >=, 2.5);
      g_assert_cmpfloat (contrast (luminance_over (line, 0), 0.0), >=, 2.5);
      cairo_surface_destroy (themed);
      cairo_surface_destroy (clear);
    }
}

static gboolean
file_contains (const char *path, const char *needle)
{
  g_autofree char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return strstr (contents, needle) != NULL;
}

static void
test_legend (void)
{
  g_autoptr(AbDesign) design = ab_design_new (NULL);
  g_autoptr(GError) error = NULL;
  const char *app = ab_design_add_component (design, AB_KIND_APP, "API", 0, 0, 1);
  const char *db = ab_design_add_component (design, AB_KIND_DB_PRIMARY, "DB", 320, 0, 1);
  const char *queue = ab_design_add_component (design, AB_KIND_QUEUE, "Jobs", 320, 128, 1);
  const char *e, *select[] = { app, db, NULL };
  g_autofree char *with = temp_path ("legend.svg");
  g_autofree char *without = temp_path ("no-legend.svg");
  AbExportOptions options;
  cairo_surface_t *tall, *short_;

  ab_design_connect (design, app, db, &error);
  g_assert_no_error (error);
  e = ab_design_connect (design, app, queue, &error);
  g_assert_no_error (error);
  ab_design_set_connection_mode (design, e, AB_CONN_ASYNC);

  ab_export_options_init (&options);
  options.format = AB_EXPORT_SVG;
  g_assert_true (ab_export_to_file (design, with, &options, &error));
  g_assert_true (file_contains (with, ">Synchronous call</text>"));
  g_assert_true (file_contains (with, ">Asynchronous (queued) work</text>"));
  /* only the synchronous connection among the selection: no legend */
  options.selection = select;
  g_assert_true (ab_export_to_file (design, without, &options, &error));
  g_assert_false (file_contains (without, "Synchronous call"));

  /* the legend takes room under the diagram */
  tall = export_png (design, FALSE, FALSE, "legend.png");
  ab_design_set_connection_mode (design, e, AB_CONN_SYNC);
  short_ = export_png (design, FALSE, FALSE, "no-legend.png");
  g_assert_cmpint (cairo_image_surface_get_height (tall), >, cairo_image_surface_get_height (short_) + 20);
  cairo_surface_destroy (tall);
  cairo_surface_destroy (short_);
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = dir != NULL ? g_dir_open (dir, 0, NULL) : NULL;
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  if (dir != NULL)
    g_rmdir (dir);
}

/* ---- presentation: labels shown whole ---- */

typedef struct {
  AbDesign  *design;
  GPtrArray *shortened;
} Shortened;

/* card labels (not kind names) shown shortened */
static void
collect_shortened (const AbTextRun *run, gpointer user_data)
{
  Shortened *s = user_data;
  const AbComponent *c = run->owner_id != NULL ? ab_design_find_component (s->design, run->owner_id) : NULL;

  if (c != NULL && g_strcmp0 (run->full_text, c->label) == 0 && g_str_has_suffix (run->text, "…"))
    g_ptr_array_add (s->shortened, g_strdup (run->full_text));
}

static guint
count_shortened (AbDesign *design, double text_scale)
{
  cairo_surface_t *surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cairo_t *cr = cairo_create (surface);
  g_autoptr(GPtrArray) shortened = g_ptr_array_new_with_free_func (g_free);
  Shortened s = { design, shortened };
  AbRenderOptions options;

  ab_render_options_init (&options);
  options.slide = TRUE;
  options.text_scale = text_scale;
  /* the zoom of a slide on a 1440x900 screen */
  cairo_scale (cr, 1.2, 1.2);
  ab_render_design_full (cr, design, &options, NULL, NULL, collect_shortened, &s);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  for (guint i = 0; i < shortened->len; i++)
    g_test_message ("at %.3f: %s shortened", text_scale, (char *) shortened->pdata[i]);
  return shortened->len;
}

/* On a 1440x900 screen the slide asks for labels 1.57 times the canvas's
 * (24.5 px): "Customers" came out as "Cust…" and "Order Service" as
 * "Order / Servi…".  The presentation's scale is the largest at which
 * every label fits whole, not below the least asked for. */
static void
test_slide_labels_whole (void)
{
  g_autoptr(AbDesign) design = ab_design_new (NULL);
  const double asked = 24.5 / (13.0 * 1.2);
  double fitted;

  ab_design_add_component (design, AB_KIND_CLIENT, "Customers", 0, 0, 1);
  ab_design_add_component (design, AB_KIND_APP, "Order Service", 240, 0, 16);
  ab_design_add_component (design, AB_KIND_DB_REPLICA, "Read Replicas", 480, 0, 4);
  ab_design_add_component (design, AB_KIND_DB_PRIMARY, "Shard 1", 720, 0, 1);
  /* the scale asked cuts names short (what the slide showed before) */
  g_assert_cmpuint (count_shortened (design, asked), >, 0);

  fitted = ab_render_slide_text_scale (design, NULL, asked, 1.0);
  g_test_message ("asked %.3f, fitted %.3f", asked, fitted);
  g_assert_cmpfloat (fitted, <, asked);
  g_assert_cmpfloat (fitted, >=, 1.0);
  g_assert_cmpuint (count_shortened (design, fitted), ==, 0);
  /* as large as fits: one step up cuts a name again */
  g_assert_cmpuint (count_shortened (design, fitted + 0.125), >, 0);

  /* short names keep the size asked */
  {
    g_autoptr(AbDesign) small = ab_design_new (NULL);

    ab_design_add_component (small, AB_KIND_APP, "API", 0, 0, 1);
    ab_design_add_component (small, AB_KIND_CACHE, "Cache", 240, 0, 1);
    g_assert_cmpfloat (ab_render_slide_text_scale (small, NULL, asked, 1.0), ==, asked);
  }
  /* a name that never fits: the least allowed, not smaller */
  ab_design_add_component (design, AB_KIND_APP, "Supercalifragilisticexpialidocious", 0, 200, 1);
  g_assert_cmpfloat (ab_render_slide_text_scale (design, NULL, asked, 1.1), ==, 1.1);
}

/* ---- presentation: the failure phase's note under a card ---- */

typedef struct {
  const AbComponent *card;
  const char        *kind_name;
  guint              label_runs;
  double             kind_baseline, kind_size;
} CardRuns;

static void
collect_card_runs (const AbTextRun *run, gpointer user_data)
{
  CardRuns *s = user_data;

  if (g_strcmp0 (run->owner_id, s->card->id) != 0)
    return;
  if (g_strcmp0 (run->full_text, s->card->label) == 0)
    s->label_runs++;
  else
    {
      s->kind_baseline = run->baseline;
      s->kind_size = run->size;
    }
}

/* On the basic-database-design slide (1440x900) the Load Balancer's label
 * takes two lines over its kind; lost in the failure phase, the note
 * "Lost in the failure phase" sat across the card's bottom edge and hid
 * the kind line.  The note's grey starts below the kind's descenders. */
static void
test_slide_failed_note (void)
{
  g_autoptr(GError) error = NULL;
  AbProblem *problem = ab_problem_set_lookup (ab_problem_set_get_default (), "basic-database-design");
  g_autoptr(AbDesign) design = NULL;
  g_autoptr(GHashTable) failed = g_hash_table_new (g_str_hash, g_str_equal);
  const double asked = 24.5 / (13.0 * 1.2), zoom = 1.2;
  const AbComponent *lb = NULL;
  CardRuns runs = { 0 };
  AbRenderOptions options;
  AbRect bounds, card;
  cairo_surface_t *surface;
  cairo_t *cr;
  int width, height, stride, x0, x1, note_top = -1;
  const guchar *data;

  g_assert_nonnull (problem);
  design = ab_reference_build_design (problem, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < ab_design_get_n_components (design); i++)
    {
      const AbComponent *c = ab_design_get_component (design, i);

      if (c->kind == AB_KIND_LB)
        lb = c;
    }
  g_assert_nonnull (lb);
  ab_render_component_rect (lb, &card);
  g_assert_true (ab_render_bounds (design, NULL, &bounds));
  ab_render_options_init (&options);
  options.slide = TRUE;
  options.text_scale = ab_render_slide_text_scale (design, NULL, asked, 1.0);
  width = (int) ceil ((bounds.width + 80) * zoom);
  height = (int) ceil ((bounds.height + 80) * zoom);

  /* where the card's text is: the kind line under two lines of label */
  runs.card = lb;
  surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cr = cairo_create (surface);
  cairo_scale (cr, zoom, zoom);
  cairo_translate (cr, -bounds.x + 40, -bounds.y + 40);
  ab_render_design_full (cr, design, &options, NULL, NULL, collect_card_runs, &runs);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  g_test_message ("text scale %.3f: %u label lines, kind at baseline %.1f (%.1f px)",
                  options.text_scale, runs.label_runs, runs.kind_baseline, runs.kind_size);
  g_assert_cmpuint (runs.label_runs, ==, 2);
  g_assert_cmpfloat (runs.kind_size, >, 0);

  /* the card lost: the note's own grey, within the card's width */
  g_hash_table_add (failed, lb->id);
  options.failed = failed;
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, zoom, zoom);
  cairo_translate (cr, -bounds.x + 40, -bounds.y + 40);
  ab_render_design (cr, design, &options, NULL);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  x0 = (int) ((card.x - bounds.x + 40) * zoom);
  x1 = (int) ((card.x + card.width - bounds.x + 40) * zoom);
  for (int y = 0; y < height && note_top < 0; y++)
    for (int x = MAX (x0, 0); x < MIN (x1, width); x++)
      {
        const guint32 px = *(const guint32 *) (data + y * stride + 4 * x);
        int r = (px >> 16) & 0xff, g = (px >> 8) & 0xff, b = px & 0xff;

        /* the note's fill, 0.45 0.45 0.48 */
        if (ABS (r - 115) <= 2 && ABS (g - 115) <= 2 && ABS (b - 122) <= 2)
          {
            note_top = y;
            break;
          }
      }
  cairo_surface_destroy (surface);
  g_test_message ("the note's top at %d, the kind's baseline at %.1f", note_top, runs.kind_baseline);
  g_assert_cmpint (note_top, >=, 0);
  g_assert_cmpfloat (note_top, >=, runs.kind_baseline + 0.2 * runs.kind_size);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/slide/routes/references", test_reference_routes);
  g_test_add_func ("/slide/routes/tricky", test_tricky_routes);
  g_test_add_func ("/slide/export/no-ports", test_no_ports);
  g_test_add_func ("/slide/export/themes-and-transparency", test_themes_and_transparency);
  g_test_add_func ("/slide/export/legend", test_legend);
  g_test_add_func ("/slide/present/labels-whole", test_slide_labels_whole);
  g_test_add_func ("/slide/present/failed-note", test_slide_failed_note);
  status = g_test_run ();
  remove_dir (temp_dir);
  return status;
}
