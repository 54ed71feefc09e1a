/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbCanvas: the diagram editor widget.  This file holds the drawing, the
 * view transform, the accessible item children kept in step with the
 * design (the AbDocument's, followed through signal groups), selection
 * and the public editing API; pointer input lives in ab-canvas-input.c,
 * the keyboard commands (widget actions) in ab-canvas-actions.c, and
 * placing the rename entry (AbRenameEntry) and "Connect to..."
 * (AbConnectPopover) in ab-canvas-edit.c. */
#define G_LOG_DOMAIN "archboard-canvas"

#include "config.h"

#include <math.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ab-canvas-private.h"
#include "ab-catalog.h"

G_DEFINE_FINAL_TYPE (AbCanvas, ab_canvas, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DOCUMENT,
  PROP_DESIGN,
  PROP_ZOOM,
  PROP_PRESENTATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_SELECTION_CHANGED,
  SIGNAL_ACTIVATE_ITEM,
  SIGNAL_MESSAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define CONNECTION_ITEM_SIZE 24.0
#define FIT_MARGIN 32.0
#define FIT_MAX_ZOOM 2.0
#define ROUTES_PER_BATCH 16
#define ROUTE_BATCH 256
#define ROUTE_IDLE_BUDGET_US 6000

/* ---- view transform ---- */

void
ab_canvas_widget_to_design (AbCanvas *self,
                            double    wx,
                            double    wy,
                            double   *dx,
                            double   *dy)
{
  *dx = wx / self->zoom + self->pan_x;
  *dy = wy / self->zoom + self->pan_y;
}

void
ab_canvas_design_to_widget (AbCanvas *self,
                            double    dx,
                            double    dy,
                            double   *wx,
                            double   *wy)
{
  *wx = (dx - self->pan_x) * self->zoom;
  *wy = (dy - self->pan_y) * self->zoom;
}

static void
design_rect_to_widget (AbCanvas              *self,
                       const graphene_rect_t *in,
                       graphene_rect_t       *out)
{
  double x, y;

  ab_canvas_design_to_widget (self, in->origin.x, in->origin.y, &x, &y);
  graphene_rect_init (out, x, y,
                      in->size.width * self->zoom,
                      in->size.height * self->zoom);
}

void
ab_canvas_component_widget_rect (AbCanvas          *self,
                                 const AbComponent *component,
                                 graphene_rect_t   *out)
{
  AbRect r;
  graphene_rect_t d;

  ab_render_component_rect (component, &r);
  graphene_rect_init (&d, r.x, r.y, r.width, r.height);
  design_rect_to_widget (self, &d, out);
}

void
ab_canvas_view_changed (AbCanvas *self)
{
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static double
clamp_zoom (double zoom)
{
  return CLAMP (zoom, AB_CANVAS_ZOOM_MIN, AB_CANVAS_ZOOM_MAX);
}

void
ab_canvas_zoom_at (AbCanvas *self,
                   double    zoom,
                   double    wx,
                   double    wy)
{
  double px, py;

  zoom = clamp_zoom (zoom);
  if (zoom == self->zoom)
    return;

  /* Keep the design point under (wx, wy) where it is. */
  ab_canvas_widget_to_design (self, wx, wy, &px, &py);
  self->zoom = zoom;
  self->pan_x = px - wx / zoom;
  self->pan_y = py - wy / zoom;
  self->fit_pending = FALSE;
  self->auto_fit = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
  ab_canvas_view_changed (self);
}

void
ab_canvas_pan_by (AbCanvas *self,
                  double    wdx,
                  double    wdy)
{
  if (wdx == 0 && wdy == 0)
    return;
  self->pan_x += wdx / self->zoom;
  self->pan_y += wdy / self->zoom;
  self->fit_pending = FALSE;
  self->auto_fit = FALSE;
  ab_canvas_view_changed (self);
}

static void
zoom_around_centre (AbCanvas *self,
                    double    zoom)
{
  ab_canvas_zoom_at (self, zoom,
                     gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
                     gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

/* Shows @r (design coordinates) as large as fits, from @min_zoom up to
 * @max_zoom, in the middle.  At @min_zoom, what fits only without the
 * margins stays in the middle; what is too wide shows from its left edge
 * (the clients, where a design's requests come in), what is too high
 * around its middle. */
static gboolean
fit_rect (AbCanvas     *self,
          const AbRect *r,
          double        min_zoom,
          double        max_zoom)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double zoom;

  if (width <= 0 || height <= 0)
    return FALSE;

  zoom = MIN ((width - 2 * FIT_MARGIN) / MAX (r->width, 1.0),
              (height - 2 * FIT_MARGIN) / MAX (r->height, 1.0));
  zoom = CLAMP (zoom, min_zoom, max_zoom);
  self->zoom = zoom;
  if (r->width * zoom > width)
    self->pan_x = r->x - FIT_MARGIN / zoom;
  else
    self->pan_x = r->x + r->width / 2 - width / (2 * zoom);
  self->pan_y = r->y + r->height / 2 - height / (2 * zoom);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
  ab_canvas_view_changed (self);
  return TRUE;
}

/* The whole design (@readable: not below AB_CANVAS_FIT_MIN_ZOOM); fits
 * again on a new size until the user zooms or pans. */
static void
fit_design (AbCanvas *self,
            gboolean  readable)
{
  AbRect r;

  if (self->design == NULL || !ab_render_bounds (self->design, NULL, &r))
    return;
  self->auto_fit = TRUE;
  self->fit_readable = readable;
  self->fit_width = gtk_widget_get_width (GTK_WIDGET (self));
  self->fit_height = gtk_widget_get_height (GTK_WIDGET (self));
  if (!fit_rect (self, &r, readable ? AB_CANVAS_FIT_MIN_ZOOM : AB_CANVAS_ZOOM_MIN, FIT_MAX_ZOOM))
    self->fit_pending = TRUE;
}

void
ab_canvas_ensure_visible (AbCanvas   *self,
                          const char *id)
{
  AbCanvasItem *item = ab_canvas_get_item (self, id);
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  const double margin = 24;
  graphene_rect_t d, r;
  double dx = 0, dy = 0;

  if (item == NULL || width <= 0 || height <= 0)
    return;

  ab_canvas_item_get_bounds (item, &d);
  design_rect_to_widget (self, &d, &r);
  if (r.origin.x < margin)
    dx = r.origin.x - margin;
  else if (r.origin.x + r.size.width > width - margin)
    dx = MIN (r.origin.x + r.size.width - (width - margin), r.origin.x - margin);
  if (r.origin.y < margin)
    dy = r.origin.y - margin;
  else if (r.origin.y + r.size.height > height - margin)
    dy = MIN (r.origin.y + r.size.height - (height - margin), r.origin.y - margin);
  ab_canvas_pan_by (self, dx, dy);
}

/* ---- selection ---- */

static void
emit_selection_changed (AbCanvas *self)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->items);
  while (g_hash_table_iter_next (&iter, &key, &value))
    ab_canvas_item_set_selected (value, g_hash_table_contains (self->selection, key));
  ab_canvas_update_actions (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[SIGNAL_SELECTION_CHANGED], 0);
}

gboolean
ab_canvas_is_selected (AbCanvas   *self,
                       const char *id)
{
  return id != NULL && g_hash_table_contains (self->selection, id);
}

void
ab_canvas_select_only (AbCanvas   *self,
                       const char *id)
{
  if (g_hash_table_size (self->selection) == 1 && ab_canvas_is_selected (self, id))
    return;
  g_hash_table_remove_all (self->selection);
  if (id != NULL)
    g_hash_table_add (self->selection, g_strdup (id));
  emit_selection_changed (self);
}

void
ab_canvas_toggle_selected (AbCanvas   *self,
                           const char *id)
{
  if (!g_hash_table_remove (self->selection, id))
    g_hash_table_add (self->selection, g_strdup (id));
  emit_selection_changed (self);
}

void
ab_canvas_clear_selection (AbCanvas *self)
{
  if (g_hash_table_size (self->selection) == 0)
    return;
  g_hash_table_remove_all (self->selection);
  emit_selection_changed (self);
}

static gboolean
same_set (GHashTable *a,
          GHashTable *b)
{
  GHashTableIter iter;
  gpointer key;

  if (g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (b, key))
      return FALSE;
  return TRUE;
}

/* @ids: a set of (any) strings; copied. */
void
ab_canvas_replace_selection (AbCanvas   *self,
                             GHashTable *ids)
{
  GHashTableIter iter;
  gpointer key;

  if (same_set (self->selection, ids))
    return;
  g_hash_table_remove_all (self->selection);
  g_hash_table_iter_init (&iter, ids);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (self->selection, g_strdup (key));
  emit_selection_changed (self);
}

GStrv
ab_canvas_selected_components (AbCanvas *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n;

  n = self->design ? ab_design_get_n_components (self->design) : 0;
  for (guint i = 0; i < n; i++)
    {
      const AbComponent *c = ab_design_get_component (self->design, i);

      if (ab_canvas_is_selected (self, c->id))
        g_strv_builder_add (builder, c->id);
    }
  return g_strv_builder_end (builder);
}

static GStrv
selected_connections (AbCanvas *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n;

  n = self->design ? ab_design_get_n_connections (self->design) : 0;
  for (guint i = 0; i < n; i++)
    {
      const AbConnection *c = ab_design_get_connection (self->design, i);

      if (ab_canvas_is_selected (self, c->id))
        g_strv_builder_add (builder, c->id);
    }
  return g_strv_builder_end (builder);
}

static void
select_ids (AbCanvas           *self,
            const char * const *ids)
{
  g_autoptr(GHashTable) set = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    g_hash_table_add (set, (gpointer) ids[i]);
  ab_canvas_replace_selection (self, set);
}

void
ab_canvas_emit_message (AbCanvas   *self,
                        const char *text)
{
  g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, text);
}

void
ab_canvas_emit_activate (AbCanvas   *self,
                         const char *id)
{
  g_signal_emit (self, signals[SIGNAL_ACTIVATE_ITEM], 0, id);
}

AbCanvasItem *
ab_canvas_get_item (AbCanvas   *self,
                    const char *id)
{
  if (id == NULL)
    return NULL;
  return g_hash_table_lookup (self->items, id);
}

/* ---- editing helpers ---- */

void
ab_canvas_move_selection_by (AbCanvas *self,
                             double    dx,
                             double    dy)
{
  g_auto(GStrv) ids = NULL;

  if (self->design == NULL || (dx == 0 && dy == 0))
    return;
  ids = ab_canvas_selected_components (self);
  if (ids[0] == NULL)
    return;
  ab_design_move_components (self->design, (const char * const *) ids, dx, dy);
}

gboolean
ab_canvas_try_connect (AbCanvas   *self,
                       const char *from,
                       const char *to)
{
  g_autoptr(GError) error = NULL;
  const char *id;

  if (self->design == NULL)
    return FALSE;
  id = ab_design_connect (self->design, from, to, &error);
  if (id == NULL)
    {
      g_autofree char *text = NULL;

      if (error != NULL)
        text = g_strdup (error->message);
      else
        {
          const AbComponent *a = ab_design_find_component (self->design, from);
          const AbComponent *b = ab_design_find_component (self->design, to);

          if (a != NULL && b != NULL)
            text = ab_catalog_explain_refusal (ab_catalog_get_default (), a->kind, b->kind);
        }
      ab_canvas_emit_message (self, text ? text : _("These components cannot be connected"));
      return FALSE;
    }
  ab_canvas_select_only (self, id);
  return TRUE;
}

static gboolean
label_in_use (AbDesign   *design,
              const char *label)
{
  guint n = ab_design_get_n_components (design);

  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (ab_design_get_component (design, i)->label, label) == 0)
      return TRUE;
  return FALSE;
}

char *
ab_canvas_unique_label (AbCanvas *self,
                        AbKind    kind)
{
  const AbKindInfo *info = ab_catalog_get_kind (ab_catalog_get_default (), kind);
  const char *name = info && info->display_name ? info->display_name : ab_kind_to_string (kind);

  if (!label_in_use (self->design, name))
    return g_strdup (name);
  for (guint n = 2; ; n++)
    {
      g_autofree char *label = g_strdup_printf ("%s %u", name, n);

      if (!label_in_use (self->design, label))
        return g_steal_pointer (&label);
    }
}

/* Room kept free around a placed card, design units. */
#define PLACE_GAP (2 * AB_GRID_SIZE)
/* How many rings of spots around the centre a placement tries. */
#define PLACE_RINGS 24

/* Whether a card with its top-left corner at (x, y) keeps PLACE_GAP from
 * every card of the design. */
static gboolean
spot_is_free (AbCanvas *self,
              double    x,
              double    y)
{
  guint n = ab_design_get_n_components (self->design);

  for (guint i = 0; i < n; i++)
    {
      const AbComponent *c = ab_design_get_component (self->design, i);
      AbRect r;

      ab_render_component_rect (c, &r);
      if (x < r.x + r.width + PLACE_GAP && r.x < x + AB_CARD_WIDTH + PLACE_GAP &&
          y < r.y + r.height + PLACE_GAP && r.y < y + AB_CARD_HEIGHT + PLACE_GAP)
        return FALSE;
    }
  return TRUE;
}

/* The free grid spot nearest to a card centred on (*cx, *cy): spots one
 * card (plus the gap) apart, ring by ring around the centre, nearest
 * first.  Leaves the centre unchanged when every spot tried is taken. */
static void
find_free_spot (AbCanvas *self,
                double   *cx,
                double   *cy)
{
  const double step_x = AB_CARD_WIDTH + PLACE_GAP, step_y = AB_CARD_HEIGHT + PLACE_GAP;
  double x0 = round ((*cx - AB_CARD_WIDTH / 2) / AB_GRID_SIZE) * AB_GRID_SIZE;
  double y0 = round ((*cy - AB_CARD_HEIGHT / 2) / AB_GRID_SIZE) * AB_GRID_SIZE;

  for (int ring = 0; ring <= PLACE_RINGS; ring++)
    {
      double best_x = 0, best_y = 0, best_d = G_MAXDOUBLE;

      for (int j = -ring; j <= ring; j++)
        for (int i = -ring; i <= ring; i++)
          {
            double x, y, d;

            if (MAX (ABS (i), ABS (j)) != ring)
              continue;
            x = x0 + i * step_x;
            y = y0 + j * step_y;
            d = (x - x0) * (x - x0) + (y - y0) * (y - y0);
            if (d < best_d && spot_is_free (self, x, y))
              {
                best_d = d;
                best_x = x;
                best_y = y;
              }
          }
      if (best_d < G_MAXDOUBLE)
        {
          *cx = best_x + AB_CARD_WIDTH / 2;
          *cy = best_y + AB_CARD_HEIGHT / 2;
          return;
        }
    }
}

/* ---- accessible items ---- */

static const char *
kind_display_name (AbKind kind)
{
  const AbKindInfo *info = ab_catalog_get_kind (ab_catalog_get_default (), kind);

  return info && info->display_name ? info->display_name : ab_kind_to_string (kind);
}

static void
append_list (GString   *str,
             const char *intro,
             GPtrArray *names)
{
  if (names == NULL || names->len == 0)
    return;
  g_string_append_printf (str, ", %s ", intro);
  for (guint i = 0; i < names->len; i++)
    {
      if (i > 0)
        g_string_append (str, ", ");
      g_string_append (str, g_ptr_array_index (names, i));
    }
}

static AbCanvasItem *
ensure_item (AbCanvas   *self,
             const char *id,
             gboolean    is_connection)
{
  AbCanvasItem *item = g_hash_table_lookup (self->items, id);

  if (item == NULL)
    {
      item = AB_CANVAS_ITEM (ab_canvas_item_new (id, is_connection));
      /* First, not last: GTK's AT-SPI context finds a new child's index by
       * walking the siblings before it, which is quadratic when appending
       * thousands. */
      gtk_widget_insert_after (GTK_WIDGET (item), GTK_WIDGET (self), NULL);
      g_hash_table_insert (self->items, g_strdup (id), item);
    }
  return item;
}

static void
midpoint_of_route (const double *pts,
                   guint         n,
                   double       *mx,
                   double       *my)
{
  double total = 0, half, run = 0;

  *mx = n > 0 ? pts[0] : 0;
  *my = n > 0 ? pts[1] : 0;
  for (guint i = 1; i < n; i++)
    total += hypot (pts[2 * i] - pts[2 * i - 2], pts[2 * i + 1] - pts[2 * i - 1]);
  half = total / 2;
  for (guint i = 1; i < n; i++)
    {
      double len = hypot (pts[2 * i] - pts[2 * i - 2], pts[2 * i + 1] - pts[2 * i - 1]);

      if (run + len >= half && len > 0)
        {
          double t = (half - run) / len;

          *mx = pts[2 * i - 2] + t * (pts[2 * i] - pts[2 * i - 2]);
          *my = pts[2 * i - 1] + t * (pts[2 * i + 1] - pts[2 * i - 1]);
          return;
        }
      run += len;
    }
}

static void
place_connection_item (const AbConnection *connection,
                       const double       *points,
                       guint               n_points,
                       gpointer            user_data)
{
  AbCanvas *self = user_data;
  AbCanvasItem *item = ab_canvas_get_item (self, connection->id);
  graphene_rect_t bounds;
  double mx, my;

  if (item == NULL || n_points == 0)
    return;
  midpoint_of_route (points, n_points, &mx, &my);
  graphene_rect_init (&bounds, mx - CONNECTION_ITEM_SIZE / 2, my - CONNECTION_ITEM_SIZE / 2,
                      CONNECTION_ITEM_SIZE, CONNECTION_ITEM_SIZE);
  ab_canvas_item_set_bounds (item, &bounds);
}

/* Puts connection items at the middle of their real routes, a batch at a
 * time from one routing scene, until @max are done or the budget is spent. */
static void
compute_queued_routes (AbCanvas *self,
                       guint     max,
                       gint64    budget_us)
{
  gint64 deadline = g_get_monotonic_time () + budget_us;
  guint done = 0;

  while (done < max && !g_queue_is_empty (self->route_queue) &&
         (done == 0 || g_get_monotonic_time () < deadline))
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_free);

      while (batch->len < MIN (ROUTE_BATCH, max - done) && !g_queue_is_empty (self->route_queue))
        g_ptr_array_add (batch, g_queue_pop_head (self->route_queue));
      g_ptr_array_add (batch, NULL);
      done += batch->len - 1;
      if (self->design != NULL)
        ab_render_foreach_route (self->design, (const char * const *) batch->pdata,
                                 place_connection_item, self);
    }
  if (done > 0)
    gtk_widget_queue_allocate (GTK_WIDGET (self));
}

static gboolean
route_idle (gpointer data)
{
  AbCanvas *self = data;

  /* A slice of a frame at a time, so a large document stays responsive
   * while its connection items find their places. */
  compute_queued_routes (self, G_MAXUINT, ROUTE_IDLE_BUDGET_US);
  if (!g_queue_is_empty (self->route_queue))
    return G_SOURCE_CONTINUE;
  self->route_idle_id = 0;
  return G_SOURCE_REMOVE;
}

static void
clear_route_queue (AbCanvas *self)
{
  g_queue_clear_full (self->route_queue, g_free);
  g_clear_handle_id (&self->route_idle_id, g_source_remove);
}

static void
remove_item (AbCanvas     *self,
             AbCanvasItem *item)
{
  if (gtk_widget_get_focus_child (GTK_WIDGET (self)) == GTK_WIDGET (item))
    gtk_widget_grab_focus (GTK_WIDGET (self));
  gtk_widget_unparent (GTK_WIDGET (item));
}

/* From the first child on, so each removal is cheap for the AT context. */
static void
remove_all_items (AbCanvas *self)
{
  GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self));

  while (child != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      if (AB_IS_CANVAS_ITEM (child))
        remove_item (self, AB_CANVAS_ITEM (child));
      child = next;
    }
  g_hash_table_remove_all (self->items);
}

/* Brings the item children in step with the document: creates the missing
 * ones, drops the stale ones, and updates labels and bounds. */
static void
sync_items (AbCanvas *self)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) calls = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                       (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) callers = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                         (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) str = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key, value;
  guint n_components = 0, n_connections = 0;

  if (self->design != NULL)
    {
      n_components = ab_design_get_n_components (self->design);
      n_connections = ab_design_get_n_connections (self->design);
    }

  for (guint i = 0; i < n_components; i++)
    {
      const AbComponent *c = ab_design_get_component (self->design, i);

      g_hash_table_insert (by_id, c->id, (gpointer) c);
    }

  for (guint i = 0; i < n_connections; i++)
    {
      const AbConnection *e = ab_design_get_connection (self->design, i);
      const AbComponent *from = g_hash_table_lookup (by_id, e->from);
      const AbComponent *to = g_hash_table_lookup (by_id, e->to);
      GPtrArray *list;

      if (from == NULL || to == NULL)
        continue;
      list = g_hash_table_lookup (calls, from->id);
      if (list == NULL)
        g_hash_table_insert (calls, from->id, list = g_ptr_array_new ());
      g_ptr_array_add (list, to->label);
      list = g_hash_table_lookup (callers, to->id);
      if (list == NULL)
        g_hash_table_insert (callers, to->id, list = g_ptr_array_new ());
      g_ptr_array_add (list, from->label);
    }

  /* Backwards, as new items go first: the children end up in document
   * order, components then connections, for screen readers. */
  for (guint i = n_connections; i-- > 0;)
    {
      const AbConnection *e = ab_design_get_connection (self->design, i);
      const AbComponent *from = g_hash_table_lookup (by_id, e->from);
      const AbComponent *to = g_hash_table_lookup (by_id, e->to);
      AbCanvasItem *item;
      double route_key[4];

      if (from == NULL || to == NULL)
        continue;
      item = ensure_item (self, e->id, TRUE);
      g_string_printf (str, _("%s to %s, %s"), from->label, to->label,
                       ab_conn_mode_to_string (e->mode));
      if (e->label != NULL && e->label[0] != '\0')
        g_string_append_printf (str, ", %s", e->label);
      ab_canvas_item_set_label (item, str->str);

      route_key[0] = from->x;
      route_key[1] = from->y;
      route_key[2] = to->x;
      route_key[3] = to->y;
      if (ab_canvas_item_update_route_key (item, route_key))
        {
          AbRect a, b;
          graphene_rect_t bounds;

          /* Between the cards until the route is known (see route_idle). */
          ab_render_component_rect (from, &a);
          ab_render_component_rect (to, &b);
          graphene_rect_init (&bounds,
                              (a.x + a.width / 2 + b.x + b.width / 2 - CONNECTION_ITEM_SIZE) / 2,
                              (a.y + a.height / 2 + b.y + b.height / 2 - CONNECTION_ITEM_SIZE) / 2,
                              CONNECTION_ITEM_SIZE, CONNECTION_ITEM_SIZE);
          ab_canvas_item_set_bounds (item, &bounds);
          g_queue_push_tail (self->route_queue, g_strdup (e->id));
        }
      g_hash_table_add (seen, e->id);
    }

  for (guint i = n_components; i-- > 0;)
    {
      const AbComponent *c = ab_design_get_component (self->design, i);
      AbCanvasItem *item = ensure_item (self, c->id, FALSE);
      graphene_rect_t bounds;
      AbRect r;

      g_string_assign (str, c->label ? c->label : "");
      g_string_append_printf (str, ", %s, ", kind_display_name (c->kind));
      g_string_append_printf (str, ngettext ("%d instance", "%d instances", c->instances),
                              c->instances);
      append_list (str, _("calls"), g_hash_table_lookup (calls, c->id));
      append_list (str, _("called by"), g_hash_table_lookup (callers, c->id));
      ab_canvas_item_set_label (item, str->str);

      ab_render_component_rect (c, &r);
      graphene_rect_init (&bounds, r.x, r.y, r.width, r.height);
      ab_canvas_item_set_bounds (item, &bounds);
      g_hash_table_add (seen, c->id);
    }

  g_hash_table_iter_init (&iter, self->items);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (seen, key))
      {
        remove_item (self, value);
        g_hash_table_iter_remove (&iter);
      }

  /* Routing is the costly part: a few now, a large batch in the idle. */
  if (g_queue_get_length (self->route_queue) <= ROUTES_PER_BATCH)
    compute_queued_routes (self, ROUTES_PER_BATCH, G_MAXINT64 / 2);
  else if (self->route_idle_id == 0)
    self->route_idle_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, route_idle, self, NULL);
}

static void
prune_selection (AbCanvas *self)
{
  GHashTableIter iter;
  gpointer key;
  gboolean changed = FALSE;

  g_hash_table_iter_init (&iter, self->selection);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (self->items, key))
      {
        g_hash_table_iter_remove (&iter);
        changed = TRUE;
      }
  if (self->hovered_id != NULL && !g_hash_table_contains (self->items, self->hovered_id))
    g_clear_pointer (&self->hovered_id, g_free);
  if (self->focused_id != NULL && !g_hash_table_contains (self->items, self->focused_id))
    g_clear_pointer (&self->focused_id, g_free);
  if (changed)
    emit_selection_changed (self);
}

/* ---- empty-canvas hint ---- */

static void
update_empty_hint (AbCanvas *self)
{
  gtk_widget_set_visible (self->empty_hint,
                          self->design != NULL && !self->presentation &&
                          ab_design_get_n_components (self->design) == 0);
}

static void
allocate_empty_hint (AbCanvas *self,
                     int       width,
                     int       height)
{
  int min_w, nat_w, min_h, nat_h, w, h;

  if (!gtk_widget_get_visible (self->empty_hint))
    return;
  gtk_widget_measure (self->empty_hint, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, &nat_w, NULL, NULL);
  w = MAX (min_w, MIN (nat_w, width - 24));
  gtk_widget_measure (self->empty_hint, GTK_ORIENTATION_VERTICAL, w, &min_h, &nat_h, NULL, NULL);
  h = MAX (min_h, nat_h);
  gtk_widget_size_allocate (self->empty_hint,
                            &(GtkAllocation) { (width - w) / 2, (height - h) / 2, w, h }, -1);
}

static void
on_design_changed (AbCanvas *self)
{
  if (self->rename_id != NULL && ab_design_find_component (self->design, self->rename_id) == NULL)
    ab_canvas_cancel_rename (self);
  if (self->connect_from != NULL && ab_design_find_component (self->design, self->connect_from) == NULL)
    ab_canvas_close_connect_popover (self);
  sync_items (self);
  prune_selection (self);
  update_empty_hint (self);
  ab_canvas_update_actions (self);
  ab_canvas_view_changed (self);
}

/* ---- drawing ---- */

static gboolean
is_dark (AbCanvas *self)
{
  return adw_style_manager_get_dark (adw_style_manager_get_for_display (gtk_widget_get_display (GTK_WIDGET (self))));
}

static gboolean
is_high_contrast (AbCanvas *self)
{
  return adw_style_manager_get_high_contrast (adw_style_manager_get_for_display (gtk_widget_get_display (GTK_WIDGET (self))));
}

static gboolean
focus_visible (AbCanvas *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (gtk_widget_get_focus_child (GTK_WIDGET (self)) == NULL)
    return FALSE;
  return GTK_IS_WINDOW (root) && gtk_window_get_focus_visible (GTK_WINDOW (root));
}

static void
draw_overlays (AbCanvas *self,
               cairo_t  *cr,
               const AbRect *clip)
{
  double line = 1.0 / self->zoom;
  double dash[] = { 4.0 / self->zoom, 3.0 / self->zoom };
  gboolean dark = is_dark (self);

  /* Adwaita's accent blue, lighter on dark backgrounds. */
  if (dark)
    cairo_set_source_rgb (cr, 0.47, 0.68, 0.93);
  else
    cairo_set_source_rgb (cr, 0.21, 0.52, 0.89);

  if (self->drag_mode == AB_DRAG_MOVE && (self->guide_x_active || self->guide_y_active))
    {
      cairo_save (cr);
      cairo_set_line_width (cr, line);
      cairo_set_dash (cr, dash, 2, 0);
      if (self->guide_x_active)
        {
          cairo_move_to (cr, self->guide_x, clip->y);
          cairo_line_to (cr, self->guide_x, clip->y + clip->height);
        }
      if (self->guide_y_active)
        {
          cairo_move_to (cr, clip->x, self->guide_y);
          cairo_line_to (cr, clip->x + clip->width, self->guide_y);
        }
      cairo_stroke (cr);
      cairo_restore (cr);
    }

  if (self->drag_mode == AB_DRAG_RUBBER_BAND)
    {
      double x0, y0, x1, y1;

      ab_canvas_widget_to_design (self, self->press_x, self->press_y, &x0, &y0);
      ab_canvas_widget_to_design (self, self->drag_x, self->drag_y, &x1, &y1);
      cairo_rectangle (cr, MIN (x0, x1), MIN (y0, y1), fabs (x1 - x0), fabs (y1 - y0));
      cairo_save (cr);
      cairo_clip_preserve (cr);
      cairo_paint_with_alpha (cr, 0.12);
      cairo_restore (cr);
      cairo_set_line_width (cr, line);
      cairo_stroke (cr);
    }

  if (self->drag_mode == AB_DRAG_CONNECT)
    {
      double x0, y0, x1, y1, angle;
      double head = 10.0 / self->zoom;

      ab_canvas_widget_to_design (self, self->press_x, self->press_y, &x0, &y0);
      ab_canvas_widget_to_design (self, self->drag_x, self->drag_y, &x1, &y1);
      cairo_save (cr);
      cairo_set_line_width (cr, 2 * line);
      cairo_set_dash (cr, dash, 2, 0);
      cairo_move_to (cr, x0, y0);
      cairo_line_to (cr, x1, y1);
      cairo_stroke (cr);
      cairo_restore (cr);
      angle = atan2 (y1 - y0, x1 - x0);
      cairo_move_to (cr, x1, y1);
      cairo_line_to (cr, x1 - head * cos (angle - 0.4), y1 - head * sin (angle - 0.4));
      cairo_line_to (cr, x1 - head * cos (angle + 0.4), y1 - head * sin (angle + 0.4));
      cairo_close_path (cr);
      cairo_fill (cr);
    }
}

/* ---- connection handles ---- */

/* The components that show handles: the hovered one and the only selected
 * one (NULL when none). */
static void
handle_owners (AbCanvas    *self,
               const char **owners)
{
  owners[0] = owners[1] = NULL;
  if (self->design == NULL || self->presentation)
    return;
  if (self->hovered_id != NULL && ab_design_find_component (self->design, self->hovered_id) != NULL)
    owners[0] = self->hovered_id;
  if (g_hash_table_size (self->selection) == 1)
    {
      g_auto(GStrv) ids = ab_canvas_selected_components (self);

      if (ids[0] != NULL && g_strcmp0 (ids[0], owners[0]) != 0)
        owners[1] = ab_design_find_component (self->design, ids[0])->id;
    }
}

gboolean
ab_canvas_handle_position (AbCanvas   *self,
                           const char *id,
                           int         side,
                           double     *wx,
                           double     *wy)
{
  const AbComponent *c = self->design != NULL ? ab_design_find_component (self->design, id) : NULL;
  graphene_rect_t r;

  if (c == NULL || side < 0 || side > 3)
    return FALSE;
  ab_canvas_component_widget_rect (self, c, &r);
  *wx = r.origin.x + r.size.width / 2;
  *wy = r.origin.y + r.size.height / 2;
  switch (side)
    {
    case 0: *wy = r.origin.y - AB_CANVAS_HANDLE_OFFSET; break;
    case 1: *wx = r.origin.x + r.size.width + AB_CANVAS_HANDLE_OFFSET; break;
    case 2: *wy = r.origin.y + r.size.height + AB_CANVAS_HANDLE_OFFSET; break;
    default: *wx = r.origin.x - AB_CANVAS_HANDLE_OFFSET; break;
    }
  return TRUE;
}

gboolean
ab_canvas_handle_at (AbCanvas    *self,
                     double       wx,
                     double       wy,
                     const char **id)
{
  const char *owners[2];

  handle_owners (self, owners);
  for (int i = 0; i < 2; i++)
    for (int side = 0; owners[i] != NULL && side < 4; side++)
      {
        double hx, hy;

        if (ab_canvas_handle_position (self, owners[i], side, &hx, &hy) &&
            hypot (wx - hx, wy - hy) <= AB_CANVAS_HANDLE_HIT)
          {
            *id = owners[i];
            return TRUE;
          }
      }
  return FALSE;
}

/* Drawn in widget pixels over the design: accent discs with an arrow
 * pointing away from the card, the one under the pointer larger. */
static void
draw_handles (AbCanvas *self,
              cairo_t  *cr)
{
  const char *owners[2];
  gboolean dark = is_dark (self);

  if (self->drag_mode != AB_DRAG_NONE && self->drag_mode != AB_DRAG_PENDING)
    return;
  handle_owners (self, owners);
  for (int i = 0; i < 2; i++)
    for (int side = 0; owners[i] != NULL && side < 4; side++)
      {
        double hx, hy, radius = AB_CANVAS_HANDLE_RADIUS, angle = (side - 1) * G_PI / 2;
        double head = 3.5;

        if (!ab_canvas_handle_position (self, owners[i], side, &hx, &hy))
          continue;
        if (self->has_pointer && hypot (self->pointer_x - hx, self->pointer_y - hy) <= AB_CANVAS_HANDLE_HIT)
          radius += 2;
        cairo_new_path (cr);
        cairo_arc (cr, hx, hy, radius, 0, 2 * G_PI);
        if (dark)
          cairo_set_source_rgba (cr, 0.47, 0.68, 0.93, 0.95);
        else
          cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 0.95);
        cairo_fill (cr);
        /* The arrow: a chevron pointing out of the card. */
        cairo_save (cr);
        cairo_translate (cr, hx, hy);
        cairo_rotate (cr, angle);
        cairo_move_to (cr, -head + 1, -head);
        cairo_line_to (cr, 1.5, 0);
        cairo_line_to (cr, -head + 1, head);
        cairo_restore (cr);
        cairo_set_source_rgb (cr, 1, 1, 1);
        cairo_set_line_width (cr, 2);
        cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
        cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke (cr);
      }
}

static void
ab_canvas_snapshot (GtkWidget   *widget,
                    GtkSnapshot *snapshot)
{
  AbCanvas *self = AB_CANVAS (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  AbRenderOptions options;
  AbRect clip;
  cairo_t *cr;

  if (self->design == NULL || width <= 0 || height <= 0)
    return;

  ab_render_options_init (&options);
  options.dark = is_dark (self);
  options.high_contrast = is_high_contrast (self);
  options.draw_grid = !self->presentation;
  options.text_scale = self->presentation ? 1.5 : 1.0;
  options.selected = self->selection;
  options.focused = focus_visible (self) ? self->focused_id : NULL;
  options.hovered = self->drag_mode == AB_DRAG_CONNECT ? self->connect_target : self->hovered_id;
  options.dragging = self->drag_mode == AB_DRAG_MOVE;
  options.drag_dx = options.dragging ? self->move_dx : 0;
  options.drag_dy = options.dragging ? self->move_dy : 0;
  options.utilization = self->utilization;
  options.bottleneck = self->bottleneck;
  options.edge_rates = self->edge_rates;
  options.dimmed = self->dimmed;
  options.failed = self->failed;
  /* GTK records the cairo drawing and replays it at the widget's scale;
   * telling the renderer lets it use its cached card bitmaps. */
  options.device_scale = gtk_widget_get_scale_factor (widget);

  clip.x = self->pan_x;
  clip.y = self->pan_y;
  clip.width = width / self->zoom;
  clip.height = height / self->zoom;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_save (cr);
  cairo_scale (cr, self->zoom, self->zoom);
  cairo_translate (cr, -self->pan_x, -self->pan_y);
  ab_render_design (cr, self->design, &options, &clip);
  draw_overlays (self, cr, &clip);
  cairo_restore (cr);
  draw_handles (self, cr);
  cairo_destroy (cr);

  /* The items draw nothing; only the hint and the rename entry are visible. */
  if (gtk_widget_get_visible (self->empty_hint))
    gtk_widget_snapshot_child (widget, self->empty_hint, snapshot);
  if (self->rename_entry != NULL && gtk_widget_get_visible (self->rename_entry))
    gtk_widget_snapshot_child (widget, self->rename_entry, snapshot);
}

/* ---- layout ---- */

static void
ab_canvas_measure (GtkWidget      *widget,
                   GtkOrientation  orientation,
                   int             for_size,
                   int            *minimum,
                   int            *natural,
                   int            *minimum_baseline,
                   int            *natural_baseline)
{
  *minimum = 64;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 800 : 600;
}

static void
ab_canvas_size_allocate (GtkWidget *widget,
                         int        width,
                         int        height,
                         int        baseline)
{
  AbCanvas *self = AB_CANVAS (widget);
  GHashTableIter iter;
  gpointer value;

  if ((self->fit_pending || (self->auto_fit && (width != self->fit_width || height != self->fit_height)))
      && width > 0 && height > 0)
    {
      self->fit_pending = FALSE;
      fit_design (self, self->fit_readable);
    }

  g_hash_table_iter_init (&iter, self->items);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GtkWidget *item = value;
      graphene_rect_t d, r;
      int min;

      ab_canvas_item_get_bounds (AB_CANVAS_ITEM (item), &d);
      design_rect_to_widget (self, &d, &r);
      gtk_widget_measure (item, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
      gtk_widget_measure (item, GTK_ORIENTATION_VERTICAL, -1, &min, NULL, NULL, NULL);
      gtk_widget_size_allocate (item,
                                &(GtkAllocation) {
                                  floor (r.origin.x), floor (r.origin.y),
                                  MAX (1, ceil (r.size.width)), MAX (1, ceil (r.size.height))
                                }, -1);
    }

  allocate_empty_hint (self, width, height);
  ab_canvas_allocate_popups (self);
}

/* ---- the document ---- */

static void
on_document_changed (AbCanvas *self)
{
  ab_canvas_set_design (self, self->document != NULL ? ab_document_get_design (self->document) : NULL);
}

/* ---- GObject ---- */

static void
ab_canvas_dispose (GObject *object)
{
  AbCanvas *self = AB_CANVAS (object);
  GtkWidget *child;

  if (self->document_signals != NULL)
    g_signal_group_set_target (self->document_signals, NULL);
  if (self->design_signals != NULL)
    g_signal_group_set_target (self->design_signals, NULL);
  g_clear_object (&self->document_signals);
  g_clear_object (&self->design_signals);
  g_clear_object (&self->document);
  g_clear_object (&self->design);
  /* No rename commit or popover "closed" handling while tearing down. */
  g_clear_pointer (&self->rename_id, g_free);
  g_clear_pointer (&self->connect_from, g_free);
  if (self->connect_popover != NULL)
    g_signal_handlers_disconnect_by_data (self->connect_popover, self);
  if (self->rename_entry != NULL)
    g_signal_handlers_disconnect_by_data (self->rename_entry, self);
  g_clear_pointer (&self->connect_popover, gtk_widget_unparent);
  g_clear_pointer (&self->rename_entry, gtk_widget_unparent);
  g_clear_pointer (&self->empty_hint, gtk_widget_unparent);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_hash_table_remove_all (self->items);
  clear_route_queue (self);
  g_clear_pointer (&self->utilization, g_hash_table_unref);
  g_clear_pointer (&self->edge_rates, g_hash_table_unref);
  g_clear_pointer (&self->dimmed, g_hash_table_unref);
  g_clear_pointer (&self->failed, g_hash_table_unref);
  g_clear_pointer (&self->rubber_base, g_hash_table_unref);

  G_OBJECT_CLASS (ab_canvas_parent_class)->dispose (object);
}

static void
ab_canvas_finalize (GObject *object)
{
  AbCanvas *self = AB_CANVAS (object);

  g_hash_table_unref (self->selection);
  g_hash_table_unref (self->items);
  g_queue_free (self->route_queue);
  g_free (self->focused_id);
  g_free (self->hovered_id);
  g_free (self->press_id);
  g_free (self->connect_target);
  g_free (self->bottleneck);
  g_free (self->rename_id);
  g_free (self->pending_rename);
  g_free (self->connect_from);

  G_OBJECT_CLASS (ab_canvas_parent_class)->finalize (object);
}

static void
ab_canvas_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  AbCanvas *self = AB_CANVAS (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;
    case PROP_DESIGN:
      g_value_set_object (value, self->design);
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    case PROP_PRESENTATION:
      g_value_set_boolean (value, self->presentation);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ab_canvas_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  AbCanvas *self = AB_CANVAS (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      ab_canvas_set_document (self, g_value_get_object (value));
      break;
    case PROP_DESIGN:
      ab_canvas_set_design (self, g_value_get_object (value));
      break;
    case PROP_PRESENTATION:
      ab_canvas_set_presentation (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ab_canvas_set_focus_child (GtkWidget *widget,
                           GtkWidget *child)
{
  AbCanvas *self = AB_CANVAS (widget);

  GTK_WIDGET_CLASS (ab_canvas_parent_class)->set_focus_child (widget, child);

  if (child != NULL && AB_IS_CANVAS_ITEM (child))
    {
      const char *id = ab_canvas_item_get_id (AB_CANVAS_ITEM (child));

      g_free (self->focused_id);
      self->focused_id = g_strdup (id);
      /* Keyboard focus carries the selection along, unless it lands on
       * something already selected (a click, or a multiple selection). */
      if (!ab_canvas_is_selected (self, id))
        ab_canvas_select_only (self, id);
      ab_canvas_ensure_visible (self, id);
    }
  else if (child == NULL)
    g_clear_pointer (&self->focused_id, g_free);
  ab_canvas_update_actions (self);
  gtk_widget_queue_draw (widget);
}

static void
on_style_changed (AbCanvas *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_focus_visible_changed (AbCanvas *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The rename entry sits on a card: it needs an opaque background. */
static void
ensure_css (GdkDisplay *display)
{
  static const char css[] =
    "abcanvas > entry.rename {"
    "  background-color: @view_bg_color;"
    "  box-shadow: 0 0 0 2px @accent_color;"
    "  font-weight: bold;"
    "}";
  g_autoptr(GtkCssProvider) provider = NULL;

  if (g_object_get_data (G_OBJECT (display), "ab-canvas-css") != NULL)
    return;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider, css, -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data_full (G_OBJECT (display), "ab-canvas-css",
                          g_steal_pointer (&provider), g_object_unref);
}

static void
ab_canvas_root (GtkWidget *widget)
{
  AdwStyleManager *style;

  GTK_WIDGET_CLASS (ab_canvas_parent_class)->root (widget);

  ensure_css (gtk_widget_get_display (widget));

  style = adw_style_manager_get_for_display (gtk_widget_get_display (widget));
  g_signal_connect_object (style, "notify::dark", G_CALLBACK (on_style_changed), widget, G_CONNECT_SWAPPED);
  g_signal_connect_object (style, "notify::high-contrast", G_CALLBACK (on_style_changed), widget, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_widget_get_root (widget), "notify::focus-visible",
                           G_CALLBACK (on_focus_visible_changed), widget, G_CONNECT_SWAPPED);
}

static void
ab_canvas_unroot (GtkWidget *widget)
{
  AdwStyleManager *style = adw_style_manager_get_for_display (gtk_widget_get_display (widget));

  g_signal_handlers_disconnect_by_func (style, on_style_changed, widget);
  g_signal_handlers_disconnect_by_func (gtk_widget_get_root (widget), on_focus_visible_changed, widget);

  GTK_WIDGET_CLASS (ab_canvas_parent_class)->unroot (widget);
}

static void
ab_canvas_class_init (AbCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ab_canvas_dispose;
  object_class->finalize = ab_canvas_finalize;
  object_class->get_property = ab_canvas_get_property;
  object_class->set_property = ab_canvas_set_property;

  widget_class->snapshot = ab_canvas_snapshot;
  widget_class->measure = ab_canvas_measure;
  widget_class->size_allocate = ab_canvas_size_allocate;
  widget_class->focus = ab_canvas_focus_vfunc;
  widget_class->set_focus_child = ab_canvas_set_focus_child;
  widget_class->root = ab_canvas_root;
  widget_class->unroot = ab_canvas_unroot;

  properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, AB_TYPE_DOCUMENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESIGN] =
    g_param_spec_object ("design", NULL, NULL, AB_TYPE_DESIGN,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, AB_CANVAS_ZOOM_MIN, AB_CANVAS_ZOOM_MAX, 1.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRESENTATION] =
    g_param_spec_boolean ("presentation", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_ACTIVATE_ITEM] =
    g_signal_new ("activate-item", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  ab_canvas_class_init_actions (widget_class);

  gtk_widget_class_set_css_name (widget_class, "abcanvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ab_canvas_init (AbCanvas *self)
{
  self->zoom = 1.0;
  self->pan_x = -FIT_MARGIN;
  self->pan_y = -FIT_MARGIN;
  self->selection = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->route_queue = g_queue_new ();

  /* The document's design (and problem) changing: show the new design. */
  self->document_signals = ab_document_signal_group_new (self, G_CALLBACK (on_document_changed));
  self->design_signals = g_signal_group_new (AB_TYPE_DESIGN);
  g_signal_group_connect_swapped (self->design_signals, "changed", G_CALLBACK (on_design_changed), self);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Diagram"),
                                  -1);

  /* Not a target: drops and clicks go to the canvas underneath. */
  self->empty_hint = g_object_new (GTK_TYPE_LABEL,
                                   "label", _("Drag components here from the palette, then connect them"),
                                   "wrap", TRUE,
                                   "justify", GTK_JUSTIFY_CENTER,
                                   "max-width-chars", 32,
                                   "can-target", FALSE,
                                   "visible", FALSE,
                                   NULL);
  gtk_widget_add_css_class (self->empty_hint, "canvas-hint");
  gtk_widget_add_css_class (self->empty_hint, "dim-label");
  gtk_widget_set_parent (self->empty_hint, GTK_WIDGET (self));

  ab_canvas_init_input (self);
  ab_canvas_update_actions (self);
}

/* ---- public API ---- */

GtkWidget *
ab_canvas_new (void)
{
  return g_object_new (AB_TYPE_CANVAS, NULL);
}

void
ab_canvas_set_design (AbCanvas *self,
                      AbDesign *design)
{
  g_return_if_fail (AB_IS_CANVAS (self));
  g_return_if_fail (design == NULL || AB_IS_DESIGN (design));

  if (self->design == design)
    return;

  ab_canvas_cancel_rename (self);
  ab_canvas_close_connect_popover (self);
  self->drag_mode = AB_DRAG_NONE;
  g_set_object (&self->design, design);
  g_signal_group_set_target (self->design_signals, design);

  g_hash_table_remove_all (self->selection);
  g_clear_pointer (&self->hovered_id, g_free);
  clear_route_queue (self);
  /* Ids repeat between documents ("c1"): start from fresh items. */
  remove_all_items (self);
  self->paste_count = 0;
  sync_items (self);
  prune_selection (self);
  update_empty_hint (self);

  self->zoom = 1.0;
  self->pan_x = -FIT_MARGIN;
  self->pan_y = -FIT_MARGIN;
  self->auto_fit = FALSE;
  self->fit_readable = TRUE;
  self->fit_pending = design != NULL && ab_design_get_n_components (design) > 0;
  if (self->fit_pending && gtk_widget_get_width (GTK_WIDGET (self)) > 0)
    {
      self->fit_pending = FALSE;
      fit_design (self, TRUE);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESIGN]);
  emit_selection_changed (self);
  ab_canvas_view_changed (self);
}

void
ab_canvas_set_document (AbCanvas   *self,
                        AbDocument *document)
{
  g_return_if_fail (AB_IS_CANVAS (self));
  g_return_if_fail (document == NULL || AB_IS_DOCUMENT (document));

  if (!g_set_object (&self->document, document))
    return;
  g_signal_group_set_target (self->document_signals, document);
  on_document_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
}

AbDocument *
ab_canvas_get_document (AbCanvas *self)
{
  g_return_val_if_fail (AB_IS_CANVAS (self), NULL);

  return self->document;
}

AbDesign *
ab_canvas_get_design (AbCanvas *self)
{
  g_return_val_if_fail (AB_IS_CANVAS (self), NULL);

  return self->design;
}

GStrv
ab_canvas_get_selection (AbCanvas *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) components = NULL;
  g_auto(GStrv) connections = NULL;

  g_return_val_if_fail (AB_IS_CANVAS (self), NULL);

  components = ab_canvas_selected_components (self);
  connections = selected_connections (self);
  g_strv_builder_addv (builder, (const char **) components);
  g_strv_builder_addv (builder, (const char **) connections);
  return g_strv_builder_end (builder);
}

void
ab_canvas_set_selection (AbCanvas           *self,
                         const char * const *ids)
{
  g_autoptr(GHashTable) set = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_if_fail (AB_IS_CANVAS (self));

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    if (g_hash_table_contains (self->items, ids[i]))
      g_hash_table_add (set, (gpointer) ids[i]);
  ab_canvas_replace_selection (self, set);
}

const char *
ab_canvas_add_component (AbCanvas *self,
                         AbKind    kind)
{
  const char *id;
  double cx, cy;

  g_return_val_if_fail (AB_IS_CANVAS (self), NULL);
  g_return_val_if_fail (self->design != NULL, NULL);
  g_return_val_if_fail (kind >= 0 && kind < AB_N_KINDS, NULL);

  ab_canvas_widget_to_design (self,
                              gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
                              gtk_widget_get_height (GTK_WIDGET (self)) / 2.0,
                              &cx, &cy);
  /* Components added from the keyboard never overlap: the free spot
   * nearest to the middle of the view. */
  find_free_spot (self, &cx, &cy);
  id = ab_canvas_place_component (self, kind, cx, cy);
  if (id != NULL)
    ab_canvas_ensure_visible (self, id);
  return id;
}

void
ab_canvas_zoom_in (AbCanvas *self)
{
  g_return_if_fail (AB_IS_CANVAS (self));

  zoom_around_centre (self, self->zoom * AB_CANVAS_ZOOM_STEP);
}

void
ab_canvas_zoom_out (AbCanvas *self)
{
  g_return_if_fail (AB_IS_CANVAS (self));

  zoom_around_centre (self, self->zoom / AB_CANVAS_ZOOM_STEP);
}

void
ab_canvas_zoom_reset (AbCanvas *self)
{
  g_return_if_fail (AB_IS_CANVAS (self));

  zoom_around_centre (self, 1.0);
}

void
ab_canvas_zoom_to_fit (AbCanvas *self)
{
  g_return_if_fail (AB_IS_CANVAS (self));

  fit_design (self, FALSE);
}

void
ab_canvas_zoom_to_fit_readable (AbCanvas *self)
{
  g_return_if_fail (AB_IS_CANVAS (self));

  fit_design (self, TRUE);
}

void
ab_canvas_zoom_to_selection (AbCanvas *self)
{
  g_auto(GStrv) ids = NULL;
  AbRect r;

  g_return_if_fail (AB_IS_CANVAS (self));

  if (self->design == NULL)
    return;
  ids = ab_canvas_selected_components (self);
  if (ids[0] == NULL)
    {
      ab_canvas_zoom_to_fit (self);
      return;
    }
  self->auto_fit = FALSE;
  if (ab_render_bounds (self->design, (const char * const *) ids, &r))
    fit_rect (self, &r, AB_CANVAS_ZOOM_MIN, AB_CANVAS_ZOOM_MAX);
}

double
ab_canvas_get_zoom (AbCanvas *self)
{
  g_return_val_if_fail (AB_IS_CANVAS (self), 1.0);

  return self->zoom;
}

void
ab_canvas_select_all (AbCanvas *self)
{
  g_return_if_fail (AB_IS_CANVAS (self));

  ab_canvas_replace_selection (self, self->items);
}

void
ab_canvas_delete_selection (AbCanvas *self)
{
  g_auto(GStrv) components = NULL;
  g_auto(GStrv) connections = NULL;

  g_return_if_fail (AB_IS_CANVAS (self));

  if (self->design == NULL)
    return;
  components = ab_canvas_selected_components (self);
  connections = selected_connections (self);
  if (components[0] == NULL && connections[0] == NULL)
    return;
  ab_design_remove (self->design, (const char * const *) components,
                    (const char * const *) connections);
}

void
ab_canvas_duplicate_selection (AbCanvas *self)
{
  g_auto(GStrv) ids = NULL;
  g_auto(GStrv) new_ids = NULL;
  g_autofree char *fragment = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (AB_IS_CANVAS (self));

  if (self->design == NULL)
    return;
  ids = ab_canvas_selected_components (self);
  if (ids[0] == NULL)
    return;
  fragment = ab_design_copy_fragment (self->design, (const char * const *) ids);
  new_ids = ab_design_paste_fragment (self->design, fragment,
                                      AB_CANVAS_PASTE_OFFSET, AB_CANVAS_PASTE_OFFSET, &error);
  if (new_ids == NULL)
    {
      ab_canvas_emit_message (self, error->message);
      return;
    }
  select_ids (self, (const char * const *) new_ids);
}

void
ab_canvas_copy_selection (AbCanvas *self)
{
  g_auto(GStrv) ids = NULL;
  g_autofree char *fragment = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkContentProvider) provider = NULL;
  GdkContentProvider *providers[2];

  g_return_if_fail (AB_IS_CANVAS (self));

  if (self->design == NULL)
    return;
  ids = ab_canvas_selected_components (self);
  if (ids[0] == NULL)
    return;
  fragment = ab_design_copy_fragment (self->design, (const char * const *) ids);
  bytes = g_bytes_new (fragment, strlen (fragment));
  providers[0] = gdk_content_provider_new_for_bytes (AB_CANVAS_FRAGMENT_MIME, bytes);
  providers[1] = gdk_content_provider_new_typed (G_TYPE_STRING, fragment);
  provider = gdk_content_provider_new_union (providers, G_N_ELEMENTS (providers));
  gdk_clipboard_set_content (gtk_widget_get_clipboard (GTK_WIDGET (self)), provider);
  self->paste_count = 0;
}

static void
paste_text (AbCanvas   *self,
            const char *text)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) new_ids = NULL;
  double offset;

  if (self->design == NULL || text == NULL)
    return;
  self->paste_count++;
  offset = AB_CANVAS_PASTE_OFFSET * self->paste_count;
  new_ids = ab_design_paste_fragment (self->design, text, offset, offset, &error);
  if (new_ids == NULL)
    {
      g_debug ("paste: %s", error->message);
      ab_canvas_emit_message (self, _("The clipboard does not hold Archboard components"));
      return;
    }
  select_ids (self, (const char * const *) new_ids);
}

static void
on_paste_spliced (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(AbCanvas) self = user_data;
  GOutputStream *out = G_OUTPUT_STREAM (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;

  if (g_output_stream_splice_finish (out, result, &error) < 0)
    {
      ab_canvas_emit_message (self, error->message);
      return;
    }
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  paste_text (self, text);
}

static void
on_clipboard_read (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(AbCanvas) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GOutputStream) out = NULL;
  const char *mime_type = NULL;

  in = gdk_clipboard_read_finish (GDK_CLIPBOARD (source), result, &mime_type, &error);
  if (in == NULL)
    {
      g_debug ("paste: %s", error->message);
      ab_canvas_emit_message (self, _("The clipboard does not hold Archboard components"));
      return;
    }
  out = g_memory_output_stream_new_resizable ();
  g_output_stream_splice_async (out, in,
                                G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                G_PRIORITY_DEFAULT, NULL, on_paste_spliced, g_object_ref (self));
}

void
ab_canvas_paste (AbCanvas *self)
{
  static const char *mime_types[] = {
    AB_CANVAS_FRAGMENT_MIME, "text/plain;charset=utf-8", "text/plain", NULL
  };

  g_return_if_fail (AB_IS_CANVAS (self));

  if (self->design == NULL)
    return;
  gdk_clipboard_read_async (gtk_widget_get_clipboard (GTK_WIDGET (self)), mime_types,
                            G_PRIORITY_DEFAULT, NULL, on_clipboard_read, g_object_ref (self));
}

/* The component a keyboard command acts on: the focused one, else the
 * first selected one; NULL if none.  The id is owned by the design. */
static const char *
command_target (AbCanvas *self)
{
  g_auto(GStrv) ids = NULL;
  const AbComponent *c;

  if (self->design == NULL)
    return NULL;
  if (self->focused_id != NULL && (c = ab_design_find_component (self->design, self->focused_id)) != NULL)
    return c->id;
  ids = ab_canvas_selected_components (self);
  c = ids[0] != NULL ? ab_design_find_component (self->design, ids[0]) : NULL;
  return c != NULL ? c->id : NULL;
}

const char *
ab_canvas_activation_target (AbCanvas *self)
{
  if (self->design == NULL)
    return NULL;
  if (self->focused_id != NULL && g_hash_table_contains (self->items, self->focused_id))
    return self->focused_id;
  if (g_hash_table_size (self->selection) == 1)
    {
      GHashTableIter iter;
      gpointer id;

      g_hash_table_iter_init (&iter, self->selection);
      if (g_hash_table_iter_next (&iter, &id, NULL) && g_hash_table_contains (self->items, id))
        return id;
    }
  return command_target (self);
}

void
ab_canvas_rename_selection (AbCanvas *self)
{
  const char *id;

  g_return_if_fail (AB_IS_CANVAS (self));

  if ((id = command_target (self)) != NULL)
    ab_canvas_begin_rename (self, id);
}

void
ab_canvas_connect_from_focus (AbCanvas *self)
{
  const char *id;

  g_return_if_fail (AB_IS_CANVAS (self));

  if (self->design == NULL)
    return;
  if ((id = command_target (self)) != NULL)
    ab_canvas_open_connect_popover (self, id);
  else
    ab_canvas_emit_message (self, _("Select a component to connect from"));
}

void
ab_canvas_set_presentation (AbCanvas *self,
                            gboolean  presentation)
{
  g_return_if_fail (AB_IS_CANVAS (self));

  presentation = !!presentation;
  if (self->presentation == presentation)
    return;
  self->presentation = presentation;
  update_empty_hint (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRESENTATION]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ab_canvas_set_overlay (AbCanvas   *self,
                       GHashTable *utilization,
                       const char *bottleneck,
                       GHashTable *edge_rates)
{
  g_return_if_fail (AB_IS_CANVAS (self));

  if (utilization != NULL)
    g_hash_table_ref (utilization);
  if (edge_rates != NULL)
    g_hash_table_ref (edge_rates);
  g_clear_pointer (&self->utilization, g_hash_table_unref);
  g_clear_pointer (&self->edge_rates, g_hash_table_unref);
  self->utilization = utilization;
  self->edge_rates = edge_rates;
  g_free (self->bottleneck);
  self->bottleneck = g_strdup (bottleneck);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ab_canvas_set_overlay_states (AbCanvas   *self,
                              GHashTable *dimmed,
                              GHashTable *failed)
{
  g_return_if_fail (AB_IS_CANVAS (self));

  if (dimmed != NULL)
    g_hash_table_ref (dimmed);
  if (failed != NULL)
    g_hash_table_ref (failed);
  g_clear_pointer (&self->dimmed, g_hash_table_unref);
  g_clear_pointer (&self->failed, g_hash_table_unref);
  self->dimmed = dimmed;
  self->failed = failed;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
