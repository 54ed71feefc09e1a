/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the diagram renderer and the exports: geometry, hit testing,
 * culling, drawing states, PNG / SVG / PDF output of hand-built designs
 * and of every shipped reference solution. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "ab-catalog.h"
#include "ab-export.h"
#include "ab-problem.h"
#include "ab-reference.h"
#include "ab-render.h"

/* ---- helpers ---- */

typedef struct {
  AbDesign *design;
  const char *client, *lb, *app, *db, *cache, *queue, *worker;
  const char *e_client_lb, *e_lb_app, *e_app_db, *e_app_cache, *e_app_queue, *e_queue_worker;
} Fixture;

static void
fixture_build (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->design = ab_design_new (NULL);
  f->client = ab_design_add_component (f->design, AB_KIND_CLIENT, "Browsers", 0, 96, 1);
  f->lb = ab_design_add_component (f->design, AB_KIND_LB, "Front door", 240, 96, 2);
  f->app = ab_design_add_component (f->design, AB_KIND_APP, "API", 480, 96, 4);
  f->db = ab_design_add_component (f->design, AB_KIND_DB_PRIMARY, "Orders DB", 720, 0, 1);
  f->cache = ab_design_add_component (f->design, AB_KIND_CACHE, "Hot keys", 720, 192, 3);
  f->queue = ab_design_add_component (f->design, AB_KIND_QUEUE, "Jobs", 480, 320, 1);
  f->worker = ab_design_add_component (f->design, AB_KIND_WORKER, "Mailer", 720, 320, 2);
  f->e_client_lb = ab_design_connect (f->design, f->client, f->lb, &error);
  g_assert_no_error (error);
  f->e_lb_app = ab_design_connect (f->design, f->lb, f->app, &error);
  g_assert_no_error (error);
  f->e_app_db = ab_design_connect (f->design, f->app, f->db, &error);
  g_assert_no_error (error);
  f->e_app_cache = ab_design_connect (f->design, f->app, f->cache, &error);
  g_assert_no_error (error);
  f->e_app_queue = ab_design_connect (f->design, f->app, f->queue, &error);
  g_assert_no_error (error);
  f->e_queue_worker = ab_design_connect (f->design, f->queue, f->worker, &error);
  g_assert_no_error (error);
  ab_design_set_connection_label (f->design, f->e_app_db, "writes");
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  fixture_build (f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->design);
}

static char *temp_dir;

static char *
temp_path (const char *name)
{
  g_autoptr(GError) error = NULL;
  char *dir = temp_dir;

  if (dir == NULL)
    {
      dir = temp_dir = g_dir_make_tmp ("ab-render-XXXXXX", &error);
      g_assert_no_error (error);
    }
  return g_build_filename (dir, name, NULL);
}

static cairo_surface_t *
load_png (const char *path)
{
  cairo_surface_t *surface = cairo_image_surface_create_from_png (path);

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

static double
pixel_luma (guint32 p)
{
  return (0.2126 * ((p >> 16) & 0xff) + 0.7152 * ((p >> 8) & 0xff) + 0.0722 * (p & 0xff)) / 255.0;
}

/* Text content of every <text> (and its <title>) of an SVG, checking on
 * the way that it is well-formed XML. */
typedef struct {
  GString *texts;
  int in_text;
  guint n_text_elements;
  guint n_glyph_symbols;
} SvgScan;

static void
svg_start (GMarkupParseContext *context, const char *element, const char **names,
           const char **values, gpointer user_data, GError **error)
{
  SvgScan *scan = user_data;

  if (strcmp (element, "text") == 0)
    {
      scan->in_text++;
      scan->n_text_elements++;
    }
  if (strcmp (element, "symbol") == 0)
    for (guint i = 0; names[i] != NULL; i++)
      if (strcmp (names[i], "id") == 0 && g_str_has_prefix (values[i], "glyph"))
        scan->n_glyph_symbols++;
}

static void
svg_end (GMarkupParseContext *context, const char *element, gpointer user_data, GError **error)
{
  SvgScan *scan = user_data;

  if (strcmp (element, "text") == 0)
    {
      scan->in_text--;
      g_string_append_c (scan->texts, '\n');
    }
}

static void
svg_text (GMarkupParseContext *context, const char *text, gsize len, gpointer user_data, GError **error)
{
  SvgScan *scan = user_data;

  if (scan->in_text > 0)
    {
      g_string_append_len (scan->texts, text, len);
      g_string_append_c (scan->texts, '\n');
    }
}

static void
scan_svg (const char *path, SvgScan *scan)
{
  static const GMarkupParser parser = { svg_start, svg_end, svg_text, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *xmllint = g_find_program_in_path ("xmllint");
  gsize length;

  memset (scan, 0, sizeof *scan);
  scan->texts = g_string_new (NULL);
  g_file_get_contents (path, &data, &length, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (data, "<?xml"));
  context = g_markup_parse_context_new (&parser, 0, scan, NULL);
  g_markup_parse_context_parse (context, data, length, &error);
  g_assert_no_error (error);
  g_markup_parse_context_end_parse (context, &error);
  g_assert_no_error (error);

  if (xmllint != NULL)
    {
      const char *argv[] = { xmllint, "--noout", path, NULL };
      int status = -1;

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                    &status, &error);
      g_assert_no_error (error);
      g_spawn_check_wait_status (status, &error);
      g_assert_no_error (error);
    }
}

static guint
count_pdf_pages (const char *data, gsize length)
{
  g_autoptr(GRegex) regex = g_regex_new ("/Type\\s*/Page(?![A-Za-z])", G_REGEX_RAW, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  guint n = 0;

  g_regex_match_full (regex, data, length, 0, 0, &match, NULL);
  while (g_match_info_matches (match))
    {
      n++;
      g_match_info_next (match, NULL);
    }
  return n;
}

static const char *
kind_name (AbKind kind)
{
  const AbKindInfo *info = ab_catalog_get_kind (ab_catalog_get_default (), kind);

  g_assert_nonnull (info);
  return info->display_name;
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) handle = dir != NULL ? g_dir_open (dir, 0, NULL) : NULL;
  const char *name;

  if (handle == NULL)
    return;
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (dir);
}

/* ---- geometry ---- */

static void
test_component_rect (Fixture *f, gconstpointer data)
{
  AbRect r;

  ab_render_component_rect (ab_design_find_component (f->design, f->app), &r);
  g_assert_cmpfloat (r.x, ==, 480);
  g_assert_cmpfloat (r.y, ==, 96);
  g_assert_cmpfloat (r.width, ==, AB_CARD_WIDTH);
  g_assert_cmpfloat (r.height, ==, AB_CARD_HEIGHT);
}

static void
test_bounds (Fixture *f, gconstpointer data)
{
  g_autoptr(AbDesign) empty = ab_design_new (NULL);
  const char *pair[] = { f->client, f->lb, NULL };
  const char *nothing[] = { NULL };
  AbRect all, part;

  g_assert_false (ab_render_bounds (empty, NULL, &all));
  g_assert_false (ab_render_bounds (f->design, nothing, &part));
  g_assert_true (ab_render_bounds (f->design, NULL, &all));
  for (guint i = 0; i < ab_design_get_n_components (f->design); i++)
    {
      AbRect r;

      ab_render_component_rect (ab_design_get_component (f->design, i), &r);
      g_assert_cmpfloat (r.x, >=, all.x);
      g_assert_cmpfloat (r.y, >=, all.y);
      g_assert_cmpfloat (r.x + r.width, <=, all.x + all.width);
      g_assert_cmpfloat (r.y + r.height, <=, all.y + all.height);
    }
  /* Just the decorations around the cards, not a big empty border. */
  g_assert_cmpfloat (all.x, >, -30);
  g_assert_cmpfloat (all.x + all.width, <, 720 + AB_CARD_WIDTH + 30);

  g_assert_true (ab_render_bounds (f->design, pair, &part));
  g_assert_cmpfloat (part.width, <, all.width);
  g_assert_cmpfloat (part.x + part.width, <, 240 + AB_CARD_WIDTH + 30);
  g_assert_cmpfloat (part.y, >, 96 - 30);
}

static void
assert_route_shape (AbDesign *design, const AbConnection *c, const double *pts, guint n)
{
  const AbComponent *from = ab_design_find_component (design, c->from);
  const AbComponent *to = ab_design_find_component (design, c->to);

  g_assert_cmpuint (n, >=, 2);
  g_assert_cmpfloat_with_epsilon (pts[0], from->x + AB_CARD_WIDTH, 1e-9);
  /* Ports: on the right edge of the source and the left edge of the
   * target, away from the rounded corners. */
  g_assert_cmpfloat (pts[1], >=, from->y + 12);
  g_assert_cmpfloat (pts[1], <=, from->y + AB_CARD_HEIGHT - 12);
  g_assert_cmpfloat_with_epsilon (pts[2 * n - 2], to->x, 1e-9);
  g_assert_cmpfloat (pts[2 * n - 1], >=, to->y + 12);
  g_assert_cmpfloat (pts[2 * n - 1], <=, to->y + AB_CARD_HEIGHT - 12);
  for (guint i = 0; i + 1 < n; i++)
    g_assert_true (pts[2 * i] == pts[2 * i + 2] || pts[2 * i + 1] == pts[2 * i + 3]);
  /* Arrives horizontally from the left. */
  g_assert_cmpfloat (pts[2 * n - 4], <, pts[2 * n - 2]);
  g_assert_cmpfloat (pts[2 * n - 3], ==, pts[2 * n - 1]);
}

static gboolean
segment_crosses_rect (double x0, double y0, double x1, double y1, const AbRect *r)
{
  return MIN (x0, x1) < r->x + r->width && r->x < MAX (x0, x1)
         && MIN (y0, y1) < r->y + r->height && r->y < MAX (y0, y1);
}

static void
test_routes (Fixture *f, gconstpointer data)
{
  for (guint i = 0; i < ab_design_get_n_connections (f->design); i++)
    {
      const AbConnection *c = ab_design_get_connection (f->design, i);
      guint n = 0;
      g_autofree double *pts = ab_render_connection_route (f->design, c, &n);

      g_assert_nonnull (pts);
      assert_route_shape (f->design, c, pts, n);
    }
}

static void
test_route_avoids_cards (void)
{
  g_autoptr(AbDesign) design = ab_design_new (NULL);
  g_autoptr(GError) error = NULL;
  const char *a = ab_design_add_component (design, AB_KIND_APP, "A", 0, 0, 1);
  const char *wall = ab_design_add_component (design, AB_KIND_APP, "Wall", 300, -16, 1);
  const char *b = ab_design_add_component (design, AB_KIND_DB_PRIMARY, "B", 600, 0, 1);
  const char *back_src = ab_design_add_component (design, AB_KIND_APP, "Back", 600, 200, 1);
  const char *back_dst = ab_design_add_component (design, AB_KIND_CACHE, "Target", 0, 200, 1);
  const char *middle = ab_design_add_component (design, AB_KIND_APP, "Middle", 300, 200, 1);
  const char *e = ab_design_connect (design, a, b, &error);
  const char *e_back;
  AbRect wall_rect, middle_rect;
  guint n;
  g_autofree double *pts = NULL;
  g_autofree double *back = NULL;

  g_assert_no_error (error);
  e_back = ab_design_connect (design, back_src, back_dst, &error);
  g_assert_no_error (error);
  ab_render_component_rect (ab_design_find_component (design, wall), &wall_rect);
  ab_render_component_rect (ab_design_find_component (design, middle), &middle_rect);

  pts = ab_render_connection_route (design, ab_design_find_connection (design, e), &n);
  assert_route_shape (design, ab_design_find_connection (design, e), pts, n);
  g_assert_cmpuint (n, >, 2);
  for (guint i = 0; i + 1 < n; i++)
    g_assert_false (segment_crosses_rect (pts[2 * i], pts[2 * i + 1], pts[2 * i + 2], pts[2 * i + 3], &wall_rect));

  /* Backwards (right to left) around the card in between. */
  back = ab_render_connection_route (design, ab_design_find_connection (design, e_back), &n);
  assert_route_shape (design, ab_design_find_connection (design, e_back), back, n);
  for (guint i = 0; i + 1 < n; i++)
    g_assert_false (segment_crosses_rect (back[2 * i], back[2 * i + 1], back[2 * i + 2], back[2 * i + 3], &middle_rect));
}

/* ---- hit testing ---- */

static void
test_hit_test (Fixture *f, gconstpointer data)
{
  const AbComponent *app = ab_design_find_component (f->design, f->app);
  const AbConnection *app_db = ab_design_find_connection (f->design, f->e_app_db);
  const char *id = NULL;
  guint n;
  g_autofree double *pts = ab_render_connection_route (f->design, app_db, &n);
  double mx, my;

  g_assert_cmpint (ab_render_hit_test (f->design, app->x + 40, app->y + 20, &id), ==, AB_HIT_COMPONENT);
  g_assert_cmpstr (id, ==, f->app);
  g_assert_cmpint (ab_render_hit_test (f->design, app->x + 1, app->y + AB_CARD_HEIGHT - 1, &id), ==, AB_HIT_COMPONENT);
  g_assert_cmpstr (id, ==, f->app);

  g_assert_cmpint (ab_render_hit_test (f->design, app->x + AB_CARD_WIDTH, app->y + AB_CARD_HEIGHT / 2, &id), ==, AB_HIT_PORT);
  g_assert_cmpstr (id, ==, f->app);
  g_assert_cmpint (ab_render_hit_test (f->design, app->x + AB_CARD_WIDTH + 4, app->y + AB_CARD_HEIGHT / 2 + 3, &id), ==, AB_HIT_PORT);

  /* On the vertical part of the route, a few units off it, and far off. */
  g_assert_cmpuint (n, >=, 3);
  mx = pts[2];
  my = (pts[3] + pts[5]) / 2 + 12;
  g_assert_cmpint (ab_render_hit_test (f->design, mx + 3, my, &id), ==, AB_HIT_CONNECTION);
  g_assert_cmpstr (id, ==, f->e_app_db);
  g_assert_cmpint (ab_render_hit_test (f->design, mx + 30, pts[3] - 10, &id), ==, AB_HIT_NONE);
  g_assert_null (id);

  /* The straight connection client -> lb, in the middle of the gap. */
  g_assert_cmpint (ab_render_hit_test (f->design, 200, 96 + AB_CARD_HEIGHT / 2 + 2, &id), ==, AB_HIT_CONNECTION);
  g_assert_cmpstr (id, ==, f->e_client_lb);
  g_assert_cmpint (ab_render_hit_test (f->design, 200, 96 + AB_CARD_HEIGHT / 2 + 12, &id), ==, AB_HIT_NONE);

  /* Empty canvas. */
  g_assert_cmpint (ab_render_hit_test (f->design, -500, -500, &id), ==, AB_HIT_NONE);
  g_assert_cmpint (ab_render_hit_test (f->design, app->x - 40, app->y - 60, NULL), ==, AB_HIT_NONE);
}

/* What is drawn at a hit-tested point: the card body is drawn where hit
 * testing says a component is. */
static void
test_hit_matches_drawing (Fixture *f, gconstpointer data)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1000, 500);
  cairo_t *cr = cairo_create (surface);
  AbRenderOptions options;
  const AbComponent *db = ab_design_find_component (f->design, f->db);
  guint32 inside, outside;

  ab_render_options_init (&options);
  options.transparent = TRUE;
  cairo_translate (cr, 40, 40);
  ab_render_design (cr, f->design, &options, NULL);
  cairo_destroy (cr);

  inside = pixel_at (surface, 40 + (int) db->x + 140, 40 + (int) db->y + 10);
  outside = pixel_at (surface, 40 + (int) db->x + 140, 40 + (int) db->y - 20);
  g_assert_cmpint (ab_render_hit_test (f->design, db->x + 140, db->y + 10, NULL), ==, AB_HIT_COMPONENT);
  g_assert_cmpint (ab_render_hit_test (f->design, db->x + 140, db->y - 20, NULL), ==, AB_HIT_NONE);
  g_assert_cmpuint (inside >> 24, ==, 0xff);
  g_assert_cmpuint (outside >> 24, ==, 0);
  cairo_surface_destroy (surface);
}

/* ---- drawing ---- */

static AbDesign *
grid_design (int cols, int rows, gboolean connect)
{
  AbDesign *design = ab_design_new (NULL);
  g_autofree const char **ids = g_new0 (const char *, cols * rows);

  for (int r = 0; r < rows; r++)
    for (int c = 0; c < cols; c++)
      {
        g_autofree char *label = g_strdup_printf ("Service %d.%d", r, c);

        ids[r * cols + c] = ab_design_add_component (design, c % 2 == 0 ? AB_KIND_APP : AB_KIND_CACHE,
                                                     label, c * 240, r * 128, 1 + (r + c) % 3);
      }
  if (connect)
    for (int r = 0; r < rows; r++)
      for (int c = 0; c + 1 < cols; c += 2)
        ab_design_connect (design, ids[r * cols + c], ids[r * cols + c + 1], NULL);
  return design;
}

static void
test_culling (void)
{
  g_autoptr(AbDesign) design = grid_design (20, 20, TRUE);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 300);
  cairo_t *cr = cairo_create (surface);
  AbRenderStats all, few;
  AbRect clip = { 500, 300, 400, 300 };

  ab_render_design (cr, design, NULL, NULL);
  ab_render_get_stats (&all);
  g_assert_cmpuint (all.components, ==, 400);
  g_assert_cmpuint (all.connections, ==, 200);

  cairo_translate (cr, -clip.x, -clip.y);
  ab_render_design (cr, design, NULL, &clip);
  ab_render_get_stats (&few);
  g_assert_cmpuint (few.components, >, 0);
  g_assert_cmpuint (few.components, <=, 12);
  g_assert_cmpuint (few.connections, >, 0);
  g_assert_cmpuint (few.connections, <=, 8);

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static void
test_every_kind_has_a_glyph (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref, NULL);
  const double fg[4] = { 0, 0, 0, 1 }, bg[4] = { 1, 1, 1, 1 };

  for (int kind = 0; kind < AB_N_KINDS; kind++)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 48, 48);
      cairo_t *cr = cairo_create (surface);
      int stride = cairo_image_surface_get_stride (surface);
      guint inked = 0;
      GBytes *bytes;

      ab_render_kind_glyph (cr, (AbKind) kind, 0, 0, 48, fg, bg);
      cairo_destroy (cr);
      cairo_surface_flush (surface);
      for (int i = 0; i < 48 * stride; i += 4)
        if (cairo_image_surface_get_data (surface)[i + 3] > 128)
          inked++;
      g_assert_cmpuint (inked, >, 48 * 48 / 25);
      g_assert_cmpuint (inked, <, 48 * 48 * 3 / 4);
      bytes = g_bytes_new (cairo_image_surface_get_data (surface), 48 * stride);
      g_assert_false (g_hash_table_contains (seen, bytes));
      g_hash_table_add (seen, bytes);
      cairo_surface_destroy (surface);
    }
}

static cairo_surface_t *
render_states (AbDesign *design, const AbRenderOptions *options)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1000, 460);
  cairo_t *cr = cairo_create (surface);

  cairo_translate (cr, 40, 40);
  ab_render_design (cr, design, options, NULL);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  return surface;
}

static guint
count_differences (cairo_surface_t *a, cairo_surface_t *b, int x0, int y0, int x1, int y1)
{
  guint n = 0;

  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      if (pixel_at (a, x, y) != pixel_at (b, x, y))
        n++;
  return n;
}

static void
test_states (Fixture *f, gconstpointer data)
{
  AbRenderOptions options;
  cairo_surface_t *plain, *styled, *dragged;
  g_autoptr(GHashTable) selected = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) utilization = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) rates = g_hash_table_new (g_str_hash, g_str_equal);
  static double busy = 0.95, idle = 0.2;
  const AbComponent *db = ab_design_find_component (f->design, f->db);
  const AbComponent *worker = ab_design_find_component (f->design, f->worker);
  const AbComponent *client = ab_design_find_component (f->design, f->client);
  guint32 ring_pixel;

  ab_render_options_init (&options);
  plain = render_states (f->design, &options);

  g_hash_table_add (selected, (gpointer) f->db);
  g_hash_table_insert (utilization, (gpointer) f->db, &busy);
  g_hash_table_insert (utilization, (gpointer) f->client, &idle);
  g_hash_table_insert (rates, (gpointer) f->e_client_lb, "1.5k rps");
  options.selected = selected;
  options.focused = f->worker;
  options.hovered = f->lb;
  options.utilization = utilization;
  options.bottleneck = f->db;
  options.edge_rates = rates;
  styled = render_states (f->design, &options);

  /* Selection + bottleneck on the db, focus on the worker, utilisation
   * on the client, a rate pill between client and lb. */
  g_assert_cmpuint (count_differences (plain, styled, 40 + db->x - 10, 40 + db->y - 10,
                                       40 + db->x + AB_CARD_WIDTH + 10, 40 + db->y + AB_CARD_HEIGHT + 10), >, 200);
  g_assert_cmpuint (count_differences (plain, styled, 40 + worker->x - 6, 40 + worker->y - 6,
                                       40 + worker->x + AB_CARD_WIDTH + 6, 40 + worker->y + AB_CARD_HEIGHT + 6), >, 100);
  g_assert_cmpuint (count_differences (plain, styled, 40 + 162, 40 + 96 + 20, 40 + 238, 40 + 96 + 44), >, 50);
  /* The utilisation ring of an idle client is green. */
  ring_pixel = pixel_at (styled, 40 + (int) client->x + 80, 40 + (int) client->y - 4);
  g_assert_cmpuint ((ring_pixel >> 8) & 0xff, >, (ring_pixel >> 16) & 0xff);
  g_assert_cmpuint ((ring_pixel >> 8) & 0xff, >, ring_pixel & 0xff);

  /* Dragging the selection draws the db card moved, the rest in place. */
  options.dragging = TRUE;
  options.drag_dx = 0;
  options.drag_dy = 200;
  options.focused = NULL;
  options.hovered = NULL;
  options.utilization = NULL;
  options.bottleneck = NULL;
  options.edge_rates = NULL;
  dragged = render_states (f->design, &options);
  g_assert_cmpuint (pixel_at (dragged, 40 + (int) db->x + 140, 40 + (int) db->y + 10),
                    ==, pixel_at (plain, 40 + (int) db->x + 140, 40 + (int) db->y - 25));
  g_assert_cmpuint (pixel_at (dragged, 40 + (int) db->x + 140, 40 + (int) db->y + 210),
                    ==, pixel_at (plain, 40 + (int) db->x + 140, 40 + (int) db->y + 10));
  g_assert_cmpuint (count_differences (plain, dragged, 40, 40 + 96, 40 + 160, 40 + 96 + 64), ==, 0);

  cairo_surface_destroy (plain);
  cairo_surface_destroy (styled);
  cairo_surface_destroy (dragged);
}

/* The bottleneck is the busiest component, not necessarily a problem: its
 * ring and "Bottleneck" pill take the colour of its utilisation, green
 * with room to spare, red at or past its capacity (and red when no
 * figure is known). */
static void
test_bottleneck_color (Fixture *f, gconstpointer data)
{
  AbRenderOptions options;
  g_autoptr(GHashTable) utilization = g_hash_table_new (g_str_hash, g_str_equal);
  static double relaxed = 0.34, saturated = 1.2;
  const AbComponent *db = ab_design_find_component (f->design, f->db);
  int x = 40 + (int) db->x - 4, y = 40 + (int) db->y + AB_CARD_HEIGHT / 2;
  cairo_surface_t *surface;
  guint32 px;

  ab_render_options_init (&options);
  options.utilization = utilization;
  options.bottleneck = f->db;

  g_hash_table_insert (utilization, (gpointer) f->db, &relaxed);
  surface = render_states (f->design, &options);
  px = pixel_at (surface, x, y);
  g_assert_cmpuint ((px >> 8) & 0xff, >, (px >> 16) & 0xff);   /* green over red */
  cairo_surface_destroy (surface);

  g_hash_table_insert (utilization, (gpointer) f->db, &saturated);
  surface = render_states (f->design, &options);
  px = pixel_at (surface, x, y);
  g_assert_cmpuint ((px >> 16) & 0xff, >, 2 * ((px >> 8) & 0xff));   /* red */
  cairo_surface_destroy (surface);

  g_hash_table_remove (utilization, f->db);
  surface = render_states (f->design, &options);
  px = pixel_at (surface, x, y);
  g_assert_cmpuint ((px >> 16) & 0xff, >, 2 * ((px >> 8) & 0xff));
  cairo_surface_destroy (surface);
}

/* The canvas draws into a recording surface (GTK records cairo nodes):
 * with or without cached card bitmaps, the replayed picture is the one
 * an image surface gets. */
static guint
count_visible_differences (cairo_surface_t *a, cairo_surface_t *b)
{
  int w = cairo_image_surface_get_width (a), h = cairo_image_surface_get_height (a);
  guint n = 0;

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint32 pa = pixel_at (a, x, y), pb = pixel_at (b, x, y);
        int worst = 0;

        for (int shift = 0; shift < 32; shift += 8)
          worst = MAX (worst, ABS ((int) ((pa >> shift) & 0xff) - (int) ((pb >> shift) & 0xff)));
        if (worst > 40)
          n++;
      }
  return n;
}

static cairo_surface_t *
render_via_recording (AbDesign *design, double device_scale)
{
  cairo_surface_t *recording = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1000, 460);
  cairo_t *cr = cairo_create (recording);
  AbRenderOptions options;

  ab_render_options_init (&options);
  options.device_scale = device_scale;
  options.draw_grid = TRUE;
  cairo_translate (cr, 40, 40);
  ab_render_design (cr, design, &options, NULL);
  cairo_destroy (cr);

  cr = cairo_create (image);
  cairo_set_source_surface (cr, recording, 0, 0);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_destroy (recording);
  return image;
}

static void
test_recording_matches_image (Fixture *f, gconstpointer data)
{
  AbRenderOptions options;
  cairo_surface_t *direct, *paths, *bitmaps;

  ab_render_options_init (&options);
  options.draw_grid = TRUE;
  direct = render_states (f->design, &options);
  paths = render_via_recording (f->design, 0);
  bitmaps = render_via_recording (f->design, 1);

  g_assert_cmpuint (count_visible_differences (direct, paths), <, 200);
  g_assert_cmpuint (count_visible_differences (direct, bitmaps), <, 200);
  /* And they did draw the diagram. */
  g_assert_cmpfloat (pixel_luma (pixel_at (paths, 40 + 480 + 80, 40 + 96 + 5)), >, 0.95);
  g_assert_cmpfloat (pixel_luma (pixel_at (paths, 40 + 480 + 30, 40 + 96 + 32)), <, 0.95);

  cairo_surface_destroy (direct);
  cairo_surface_destroy (paths);
  cairo_surface_destroy (bitmaps);
}

static void
test_contrast_and_text_scale (Fixture *f, gconstpointer data)
{
  AbRenderOptions options;
  cairo_surface_t *normal, *contrast, *large;
  const AbComponent *app = ab_design_find_component (f->design, f->app);
  int x0 = 40 + (int) app->x, y0 = 40 + (int) app->y;

  ab_render_options_init (&options);
  normal = render_states (f->design, &options);
  options.high_contrast = TRUE;
  contrast = render_states (f->design, &options);
  options.high_contrast = FALSE;
  options.text_scale = 1.5;
  large = render_states (f->design, &options);

  /* Stronger card border and text with high contrast; bigger text. */
  g_assert_cmpfloat (pixel_luma (pixel_at (contrast, x0 + 80, y0)), <,
                     pixel_luma (pixel_at (normal, x0 + 80, y0)) - 0.1);
  g_assert_cmpuint (count_differences (normal, contrast, x0 + 56, y0 + 8, x0 + 150, y0 + 56), >, 50);
  g_assert_cmpuint (count_differences (normal, large, x0 + 56, y0 + 8, x0 + 150, y0 + 56), >, 200);
  /* Same card, same glyph tile. */
  g_assert_cmpuint (count_differences (normal, large, x0 + 14, y0 + 16, x0 + 46, y0 + 48), ==, 0);

  cairo_surface_destroy (normal);
  cairo_surface_destroy (contrast);
  cairo_surface_destroy (large);
}

static void
test_grid_and_palettes (Fixture *f, gconstpointer data)
{
  AbRenderOptions options;
  cairo_surface_t *light, *dark, *grid;

  ab_render_options_init (&options);
  light = render_states (f->design, &options);
  options.dark = TRUE;
  dark = render_states (f->design, &options);
  options.draw_grid = TRUE;
  grid = render_states (f->design, &options);

  g_assert_cmpfloat (pixel_luma (pixel_at (light, 2, 2)), >, 0.9);
  g_assert_cmpfloat (pixel_luma (pixel_at (dark, 2, 2)), <, 0.2);
  /* Card text: dark on light, light on dark. */
  g_assert_cmpuint (count_differences (dark, grid, 0, 0, 1000, 30), >, 100);
  g_assert_cmpuint (count_differences (dark, grid, 40 + 4, 40 + 96 + 4, 40 + 156, 40 + 96 + 60), ==, 0);

  cairo_surface_destroy (light);
  cairo_surface_destroy (dark);
  cairo_surface_destroy (grid);
}

/* ---- export ---- */

static void
test_format_from_path (void)
{
  AbExportFormat format;

  g_assert_true (ab_export_format_from_path ("a/b.png", &format));
  g_assert_cmpint (format, ==, AB_EXPORT_PNG);
  g_assert_true (ab_export_format_from_path ("b.SVG", &format));
  g_assert_cmpint (format, ==, AB_EXPORT_SVG);
  g_assert_true (ab_export_format_from_path ("/x.y/b.Pdf", &format));
  g_assert_cmpint (format, ==, AB_EXPORT_PDF);
  g_assert_false (ab_export_format_from_path ("b.jpeg", &format));
  g_assert_false (ab_export_format_from_path ("png", &format));
  g_assert_false (ab_export_format_from_path ("dir.png/file", &format));
  g_assert_false (ab_export_format_from_path (NULL, &format));
}

static void
test_png_sizes (Fixture *f, gconstpointer data)
{
  AbRect bounds;
  const double scales[] = { 1, 2, 4 };

  g_assert_true (ab_render_bounds (f->design, NULL, &bounds));
  for (guint i = 0; i < G_N_ELEMENTS (scales); i++)
    {
      g_autofree char *path = temp_path ("size.png");
      AbExportOptions options;
      g_autoptr(GError) error = NULL;
      cairo_surface_t *png;

      ab_export_options_init (&options);
      options.scale = scales[i];
      options.margin = 16;
      g_assert_true (ab_export_to_file (f->design, path, &options, &error));
      g_assert_no_error (error);
      png = load_png (path);
      g_assert_cmpint (cairo_image_surface_get_width (png), ==, (int) ceil ((bounds.width + 32) * scales[i]));
      /* the fixture has synchronous and asynchronous connections: a
       * legend (20 units high, 16 below the diagram) under it */
      g_assert_cmpint (cairo_image_surface_get_height (png), ==, (int) ceil ((bounds.height + 32 + 36) * scales[i]));
      cairo_surface_destroy (png);
    }
}

static void
test_png_background (Fixture *f, gconstpointer data)
{
  g_autofree char *path = temp_path ("bg.png");
  AbExportOptions options;
  g_autoptr(GError) error = NULL;
  cairo_surface_t *png;
  double light_luma;

  ab_export_options_init (&options);
  options.transparent = TRUE;
  g_assert_true (ab_export_to_file (f->design, path, &options, &error));
  png = load_png (path);
  g_assert_cmpuint (pixel_at (png, 0, 0) >> 24, ==, 0);
  g_assert_cmpuint (pixel_at (png, cairo_image_surface_get_width (png) - 1,
                              cairo_image_surface_get_height (png) - 1) >> 24, ==, 0);
  cairo_surface_destroy (png);

  options.transparent = FALSE;
  g_assert_true (ab_export_to_file (f->design, path, &options, &error));
  png = load_png (path);
  g_assert_cmpuint (pixel_at (png, 0, 0) >> 24, ==, 0xff);
  light_luma = pixel_luma (pixel_at (png, 0, 0));
  g_assert_cmpfloat (light_luma, >, 0.9);
  cairo_surface_destroy (png);

  options.dark = TRUE;
  g_assert_true (ab_export_to_file (f->design, path, &options, &error));
  png = load_png (path);
  g_assert_cmpuint (pixel_at (png, 0, 0) >> 24, ==, 0xff);
  g_assert_cmpfloat (pixel_luma (pixel_at (png, 0, 0)), <, 0.2);
  cairo_surface_destroy (png);
  g_assert_no_error (error);
}

static void
assert_svg_labels (AbDesign *design, const char *path, const char * const *only)
{
  SvgScan scan;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) texts = g_hash_table_new (g_str_hash, g_str_equal);

  scan_svg (path, &scan);
  g_assert_cmpuint (scan.n_glyph_symbols, ==, 0);
  lines = g_strsplit (scan.texts->str, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    g_hash_table_add (texts, lines[i]);
  for (guint i = 0; i < ab_design_get_n_components (design); i++)
    {
      const AbComponent *c = ab_design_get_component (design, i);
      gboolean wanted = only == NULL || g_strv_contains (only, c->id);

      if (wanted)
        {
          g_assert_true (g_hash_table_contains (texts, c->label));
          g_assert_true (g_hash_table_contains (texts, kind_name (c->kind)));
        }
      else
        g_assert_false (g_hash_table_contains (texts, c->label));
    }
  g_string_free (scan.texts, TRUE);
}

static void
test_svg (Fixture *f, gconstpointer data)
{
  g_autofree char *path = temp_path ("diagram.svg");
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  AbExportOptions options;
  const char *long_id;

  long_id = ab_design_add_component (f->design, AB_KIND_SEARCH,
                                     "A very long label that cannot fit <on> a card & more", 960, 96, 1);
  ab_design_add_component (f->design, AB_KIND_SEARCH, "Alpha Beta Gamma Delta", 960, 192, 1);
  ab_design_add_component (f->design, AB_KIND_APP, "Fleet", 960, 288, 89286);
  ab_export_options_init (&options);
  options.format = AB_EXPORT_SVG;
  g_assert_true (ab_export_to_file (f->design, path, &options, &error));
  g_assert_no_error (error);
  assert_svg_labels (f->design, path, NULL);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  /* The connection label and the instance badge are text too; the long
   * label is shortened on the card and kept whole in its title. */
  g_assert_nonnull (strstr (contents, ">writes</text>"));
  g_assert_nonnull (strstr (contents, ">×4</text>"));
  /* large counts grouped (the tests run in the C locale: in threes) */
  g_assert_nonnull (strstr (contents, ">×89,286</text>"));
  g_assert_nonnull (strstr (contents, "<title>A very long label that cannot fit &lt;on&gt; a card &amp; more</title>A very"));
  g_assert_nonnull (strstr (contents, "…</text>"));
  /* A label too long for one line breaks where the two lines balance. */
  g_assert_nonnull (strstr (contents, ">Alpha Beta</text>"));
  g_assert_nonnull (strstr (contents, ">Gamma Delta</text>"));
  (void) long_id;
}

static double
channel_lin (double c)
{
  return c <= 0.03928 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
}

/* WCAG relative luminance of an opaque ARGB32 pixel. */
static double
pixel_luminance (guint32 p)
{
  return 0.2126 * channel_lin (((p >> 16) & 0xff) / 255.0) +
         0.7152 * channel_lin (((p >> 8) & 0xff) / 255.0) +
         0.0722 * channel_lin ((p & 0xff) / 255.0);
}

/* The palette's kind tiles (the cards' tile and glyph): in the light and
 * the dark theme, and with high contrast, each glyph stands out from its
 * tile by at least 3:1 (WCAG's figure for graphics). */
static void
test_kind_tile_contrast (void)
{
  const int size = 64;

  for (int theme = 0; theme < 4; theme++)
    for (int kind = 0; kind < AB_N_KINDS; kind++)
      {
        cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size, size);
        cairo_t *cr = cairo_create (surface);
        AbRenderOptions options;
        double bg, best = 1.0;

        ab_render_options_init (&options);
        options.dark = theme & 1;
        options.high_contrast = (theme & 2) != 0;
        ab_render_kind_tile (cr, kind, 0, 0, size, &options);
        cairo_destroy (cr);
        /* Just inside the rounded corner: the tile's own colour. */
        g_assert_cmpuint (pixel_at (surface, size / 2, 2) >> 24, ==, 0xff);
        bg = pixel_luminance (pixel_at (surface, size / 2, 2));
        for (int y = 0; y < size; y++)
          for (int x = 0; x < size; x++)
            {
              guint32 p = pixel_at (surface, x, y);
              double l = pixel_luminance (p), c;

              if ((p >> 24) != 0xff)
                continue;
              c = (MAX (l, bg) + 0.05) / (MIN (l, bg) + 0.05);
              best = MAX (best, c);
            }
        if (best < 3.0)
          g_error ("%s tile, %s%s theme: glyph contrast %.2f:1",
                   ab_kind_to_string (kind), options.dark ? "dark" : "light",
                   options.high_contrast ? " high-contrast" : "", best);
        cairo_surface_destroy (surface);
      }
}

static guint
count_occurrences (const char *haystack, const char *needle)
{
  guint n = 0;

  for (const char *p = haystack; (p = strstr (p, needle)) != NULL; p += strlen (needle))
    n++;
  return n;
}

/* A card shows its kind under the label only when the label is not the
 * kind's name already ("Cache" over "Cache" said it twice). */
static void
test_kind_subtitle (void)
{
  g_autoptr(AbDesign) design = ab_design_new (NULL);
  g_autofree char *path = temp_path ("subtitle.svg");
  g_autofree char *contents = NULL;
  g_autofree char *cache = g_strdup_printf (">%s</text>", kind_name (AB_KIND_CACHE));
  g_autofree char *replica = g_strdup_printf (">%s</text>", kind_name (AB_KIND_DB_REPLICA));
  g_autoptr(GError) error = NULL;
  AbExportOptions options;

  ab_design_add_component (design, AB_KIND_CACHE, kind_name (AB_KIND_CACHE), 0, 0, 1);
  ab_design_add_component (design, AB_KIND_DB_REPLICA, "Replica A", 0, 96, 1);
  ab_export_options_init (&options);
  options.format = AB_EXPORT_SVG;
  g_assert_true (ab_export_to_file (design, path, &options, &error));
  g_assert_no_error (error);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_occurrences (contents, cache), ==, 1);
  g_assert_cmpuint (count_occurrences (contents, replica), ==, 1);
  g_assert_cmpuint (count_occurrences (contents, ">Replica A</text>"), ==, 1);
}

static void
test_pdf (Fixture *f, gconstpointer data)
{
  g_autofree char *path = temp_path ("diagram.pdf");
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  AbExportOptions options;

  ab_export_options_init (&options);
  options.format = AB_EXPORT_PDF;
  g_assert_true (ab_export_to_file (f->design, path, &options, &error));
  g_assert_no_error (error);
  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  g_assert_cmpuint (count_pdf_pages (contents, length), ==, 1);
}

static void
test_selection (Fixture *f, gconstpointer data)
{
  g_autofree char *svg = temp_path ("part.svg");
  g_autofree char *png = temp_path ("part.png");
  const char *subset[] = { f->app, f->db, f->queue, NULL };
  const char *with_edge[] = { f->app, f->e_app_db, f->db, f->queue, NULL };
  g_autoptr(GError) error = NULL;
  AbExportOptions options;
  cairo_surface_t *surface;
  AbRenderStats stats;
  AbRect bounds;

  ab_export_options_init (&options);
  options.selection = subset;
  options.format = AB_EXPORT_SVG;
  g_assert_true (ab_export_to_file (f->design, svg, &options, &error));
  g_assert_no_error (error);
  assert_svg_labels (f->design, svg, subset);

  options.format = AB_EXPORT_PNG;
  options.margin = 0;
  g_assert_true (ab_export_to_file (f->design, png, &options, &error));
  g_assert_true (ab_render_bounds (f->design, subset, &bounds));
  surface = load_png (png);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, (int) ceil (bounds.width));
  /* app -> db is synchronous, app -> queue asynchronous: the legend
   * (16 + 20 units) goes under the diagram */
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, (int) ceil (bounds.height + 36));
  cairo_surface_destroy (surface);

  /* The export drew 3 cards and the 2 connections among them; a
   * connection id in the selection (as the canvas gives) changes nothing. */
  g_assert_true (ab_export_to_file (f->design, png, &options, &error));
  ab_render_get_stats (&stats);
  g_assert_cmpuint (stats.components, ==, 3);
  g_assert_cmpuint (stats.connections, ==, 2);
  options.selection = with_edge;
  g_assert_true (ab_export_to_file (f->design, png, &options, &error));
  g_assert_no_error (error);
  ab_render_get_stats (&stats);
  g_assert_cmpuint (stats.components, ==, 3);
  g_assert_cmpuint (stats.connections, ==, 2);
}

static void
test_export_errors (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AbDesign) empty = ab_design_new (NULL);
  g_autofree char *ok_path = temp_path ("ok.png");
  const char *unknown[] = { f->app, "nope", NULL };
  AbExportOptions options;

  ab_export_options_init (&options);
  g_assert_false (ab_export_to_file (f->design, "/nonexistent-dir/sub/x.png", &options, &error));
  g_assert_error (error, AB_ERROR, AB_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "/nonexistent-dir/sub/x.png"));
  g_clear_error (&error);

  g_assert_false (ab_export_to_file (empty, ok_path, &options, &error));
  g_assert_error (error, AB_ERROR, AB_ERROR_INVALID);
  g_clear_error (&error);

  options.selection = unknown;
  g_assert_false (ab_export_to_file (f->design, ok_path, &options, &error));
  g_assert_error (error, AB_ERROR, AB_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "\"nope\""));
  g_clear_error (&error);
  options.selection = NULL;

  options.scale = 0;
  g_assert_false (ab_export_to_file (f->design, ok_path, &options, &error));
  g_assert_error (error, AB_ERROR, AB_ERROR_INVALID);
  g_clear_error (&error);
  options.scale = NAN;
  g_assert_false (ab_export_to_file (f->design, ok_path, &options, &error));
  g_assert_error (error, AB_ERROR, AB_ERROR_INVALID);
  g_clear_error (&error);

  options.scale = 1;
  options.margin = -1;
  g_assert_false (ab_export_to_file (f->design, ok_path, &options, &error));
  g_assert_error (error, AB_ERROR, AB_ERROR_INVALID);
  g_clear_error (&error);

  /* Too many pixels for one image. */
  options.margin = 0;
  options.scale = 8;
  ab_design_add_component (f->design, AB_KIND_APP, "Far away", 5000, 0, 1);
  g_assert_false (ab_export_to_file (f->design, ok_path, &options, &error));
  g_assert_error (error, AB_ERROR, AB_ERROR_TOO_LARGE);
  g_clear_error (&error);
  g_assert_false (g_file_test (ok_path, G_FILE_TEST_EXISTS));
}

/* ---- the shipped reference solutions ---- */

static AbDesign *
reference_design (AbProblem *problem)
{
  g_autoptr(GError) error = NULL;
  AbDesign *design = ab_reference_build_design (problem, &error);

  g_assert_no_error (error);
  return design;
}

static void
test_reference_solutions (void)
{
  AbProblemSet *set = ab_problem_set_get_default ();
  guint n = ab_problem_set_get_n (set);

  g_assert_cmpuint (n, >, 0);
  for (guint i = 0; i < n; i++)
    {
      AbProblem *problem = ab_problem_set_get_nth (set, i);
      g_autoptr(AbDesign) design = reference_design (problem);
      g_autofree char *base = g_strdup_printf ("ref-%s", problem->id);
      g_autoptr(GError) error = NULL;
      const AbExportFormat formats[] = { AB_EXPORT_PNG, AB_EXPORT_SVG, AB_EXPORT_PDF };
      const char *exts[] = { "png", "svg", "pdf" };

      for (guint k = 0; k < G_N_ELEMENTS (formats); k++)
        {
          g_autofree char *name = g_strdup_printf ("%s.%s", base, exts[k]);
          g_autofree char *path = temp_path (name);
          AbExportOptions options;
          AbRenderStats stats;

          ab_export_options_init (&options);
          options.format = formats[k];
          options.dark = (i % 2) == 1;
          g_assert_true (ab_export_to_file (design, path, &options, &error));
          g_assert_no_error (error);
          ab_render_get_stats (&stats);
          g_assert_cmpuint (stats.components, ==, ab_design_get_n_components (design));
          g_assert_cmpuint (stats.connections, ==, ab_design_get_n_connections (design));
          if (formats[k] == AB_EXPORT_SVG)
            assert_svg_labels (design, path, NULL);
          else if (formats[k] == AB_EXPORT_PNG)
            {
              cairo_surface_t *png = load_png (path);

              g_assert_cmpint (cairo_image_surface_get_width (png), >, AB_CARD_WIDTH);
              cairo_surface_destroy (png);
            }
          else
            {
              g_autofree char *contents = NULL;
              gsize length;

              g_file_get_contents (path, &contents, &length, &error);
              g_assert_no_error (error);
              g_assert_true (g_str_has_prefix (contents, "%PDF-"));
              g_assert_cmpuint (count_pdf_pages (contents, length), ==, 1);
            }
        }
    }
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

#define FIXTURE_TEST(path, fn) \
  g_test_add ("/render/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

  FIXTURE_TEST ("geometry/component-rect", test_component_rect);
  FIXTURE_TEST ("geometry/bounds", test_bounds);
  FIXTURE_TEST ("geometry/routes", test_routes);
  g_test_add_func ("/render/geometry/route-avoids-cards", test_route_avoids_cards);
  FIXTURE_TEST ("hit-test/points", test_hit_test);
  FIXTURE_TEST ("hit-test/matches-drawing", test_hit_matches_drawing);
  g_test_add_func ("/render/draw/culling", test_culling);
  g_test_add_func ("/render/draw/glyphs", test_every_kind_has_a_glyph);
  FIXTURE_TEST ("draw/states", test_states);
  FIXTURE_TEST ("draw/bottleneck-color", test_bottleneck_color);
  FIXTURE_TEST ("draw/grid-and-palettes", test_grid_and_palettes);
  FIXTURE_TEST ("draw/contrast-and-text-scale", test_contrast_and_text_scale);
  FIXTURE_TEST ("draw/recording-matches-image", test_recording_matches_image);
  g_test_add_func ("/render/export/format-from-path", test_format_from_path);
  FIXTURE_TEST ("export/png-sizes", test_png_sizes);
  FIXTURE_TEST ("export/png-background", test_png_background);
  FIXTURE_TEST ("export/svg", test_svg);
  g_test_add_func ("/render/export/kind-subtitle", test_kind_subtitle);
  g_test_add_func ("/render/draw/kind-tile-contrast", test_kind_tile_contrast);
  FIXTURE_TEST ("export/pdf", test_pdf);
  FIXTURE_TEST ("export/selection", test_selection);
  FIXTURE_TEST ("export/errors", test_export_errors);
  g_test_add_func ("/render/export/reference-solutions", test_reference_solutions);

  status = g_test_run ();
  remove_dir (temp_dir);
  return status;
}
