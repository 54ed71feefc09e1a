/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Input of AbCanvas: pointer gestures (select, move with grid snap and
 * alignment guides, connect from a port, rubber band, pan, zoom), keyboard
 * (focus traversal; Space to pan; the commands are widget actions,
 * ab-canvas-actions.c), and palette drops.  The event
 * controllers are named ("canvas-drag", ...) so tests can find them. */
#define G_LOG_DOMAIN "archboard-canvas"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "ab-canvas-private.h"

#define DRAG_THRESHOLD 4.0      /* widget pixels before a press becomes a move */
#define GUIDE_THRESHOLD 6.0     /* widget pixels within which edges align */
#define WHEEL_STEP 48.0         /* widget pixels panned per wheel click */

/* ---- helpers ---- */

static GdkModifierType
current_modifiers (GtkEventController *controller)
{
  return gtk_event_controller_get_current_event_state (controller) & gtk_accelerator_get_default_mod_mask ();
}

static void
update_cursor (AbCanvas  *self,
               AbHitKind  hit)
{
  const char *name = "default";

  if (self->drag_mode == AB_DRAG_PAN)
    name = "grabbing";
  else if (self->drag_mode == AB_DRAG_MOVE)
    name = "move";
  else if (self->drag_mode == AB_DRAG_CONNECT)
    name = "crosshair";
  else if (self->space_down)
    name = "grab";
  else if (hit == AB_HIT_PORT)
    name = "crosshair";
  else if (hit == AB_HIT_COMPONENT || hit == AB_HIT_CONNECTION)
    name = "pointer";
  /* Called on every motion: only touch the cursor when it changes. */
  if (self->cursor_name != name)
    {
      self->cursor_name = name;
      gtk_widget_set_cursor_from_name (GTK_WIDGET (self), name);
    }
}

static AbHitKind
hit_at (AbCanvas    *self,
        double       wx,
        double       wy,
        const char **id)
{
  AbHitKind hit;
  double x, y;

  *id = NULL;
  if (self->design == NULL)
    return AB_HIT_NONE;
  /* A connection handle, then the renderer's own answer. */
  if (ab_canvas_handle_at (self, wx, wy, id))
    return AB_HIT_PORT;
  ab_canvas_widget_to_design (self, wx, wy, &x, &y);
  hit = ab_render_hit_test (self->design, x, y, id);
  /* The band along a card's edge starts a connection too; the inside
   * moves the card. */
  if (hit == AB_HIT_COMPONENT && !self->presentation)
    {
      const AbComponent *c = ab_design_find_component (self->design, *id);
      graphene_rect_t r;

      ab_canvas_component_widget_rect (self, c, &r);
      if (wx - r.origin.x < AB_CANVAS_BORDER_HIT ||
          r.origin.x + r.size.width - wx < AB_CANVAS_BORDER_HIT ||
          wy - r.origin.y < AB_CANVAS_BORDER_HIT ||
          r.origin.y + r.size.height - wy < AB_CANVAS_BORDER_HIT)
        return AB_HIT_PORT;
    }
  return hit;
}

void
ab_canvas_focus_item (AbCanvas   *self,
                      const char *id)
{
  AbCanvasItem *item = ab_canvas_get_item (self, id);

  if (item != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (item));
}

/* Focus the item of a clicked thing without the "focus selects" rule
 * undoing a Ctrl+click that just deselected it. */
static void
focus_item_keeping_selection (AbCanvas   *self,
                              const char *id)
{
  AbCanvasItem *item = ab_canvas_get_item (self, id);
  g_autoptr(GHashTable) saved = NULL;

  if (item == NULL)
    return;
  saved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, self->selection);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      g_hash_table_add (saved, g_strdup (key));
  }
  gtk_widget_grab_focus (GTK_WIDGET (item));
  ab_canvas_replace_selection (self, saved);
}

const char *
ab_canvas_place_component (AbCanvas *self,
                           AbKind    kind,
                           double    x,
                           double    y)
{
  g_autofree char *label = NULL;
  const char *id;

  if (self->design == NULL)
    return NULL;

  label = ab_canvas_unique_label (self, kind);
  x = round ((x - AB_CARD_WIDTH / 2) / AB_GRID_SIZE) * AB_GRID_SIZE;
  y = round ((y - AB_CARD_HEIGHT / 2) / AB_GRID_SIZE) * AB_GRID_SIZE;
  id = ab_design_add_component (self->design, kind, label, x, y, 1);
  if (id != NULL)
    ab_canvas_select_only (self, id);
  return id;
}

/* ---- moving with grid snap and alignment guides ---- */

static gboolean
best_alignment (const double  moving[3],
                const double  fixed[3],
                double        threshold,
                double       *shift,
                double       *line)
{
  gboolean found = FALSE;

  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      {
        double d = fixed[j] - moving[i];

        if (fabs (d) <= threshold && (!found || fabs (d) < fabs (*shift)))
          {
            *shift = d;
            *line = fixed[j];
            found = TRUE;
          }
      }
  return found;
}

/* (raw_dx, raw_dy): pointer offset in design units.  Sets move_dx/dy to
 * the offset that puts the pressed card on the grid, or aligned with
 * another card's edge or centre when one is close (guides win). */
static void
compute_move (AbCanvas *self,
              double    raw_dx,
              double    raw_dy)
{
  const AbComponent *anchor = ab_design_find_component (self->design, self->press_id);
  double tx = self->anchor_x + raw_dx;
  double ty = self->anchor_y + raw_dy;
  double nx = round (tx / AB_GRID_SIZE) * AB_GRID_SIZE;
  double ny = round (ty / AB_GRID_SIZE) * AB_GRID_SIZE;
  double threshold = GUIDE_THRESHOLD / self->zoom;
  double best_x = threshold + 1, best_y = threshold + 1;
  double w = AB_CARD_WIDTH, h = AB_CARD_HEIGHT;
  guint n;

  self->guide_x_active = FALSE;
  self->guide_y_active = FALSE;

  if (anchor != NULL)
    {
      AbRect r;

      ab_render_component_rect (anchor, &r);
      w = r.width;
      h = r.height;
    }

  n = ab_design_get_n_components (self->design);
  for (guint i = 0; i < n; i++)
    {
      const AbComponent *c = ab_design_get_component (self->design, i);
      double moving_x[3] = { tx, tx + w / 2, tx + w };
      double moving_y[3] = { ty, ty + h / 2, ty + h };
      double fixed_x[3], fixed_y[3];
      double shift = 0, line = 0;
      AbRect r;

      if (ab_canvas_is_selected (self, c->id))
        continue;
      ab_render_component_rect (c, &r);
      fixed_x[0] = r.x;
      fixed_x[1] = r.x + r.width / 2;
      fixed_x[2] = r.x + r.width;
      fixed_y[0] = r.y;
      fixed_y[1] = r.y + r.height / 2;
      fixed_y[2] = r.y + r.height;
      if (best_alignment (moving_x, fixed_x, threshold, &shift, &line) && fabs (shift) < best_x)
        {
          best_x = fabs (shift);
          nx = tx + shift;
          self->guide_x = line;
          self->guide_x_active = TRUE;
        }
      if (best_alignment (moving_y, fixed_y, threshold, &shift, &line) && fabs (shift) < best_y)
        {
          best_y = fabs (shift);
          ny = ty + shift;
          self->guide_y = line;
          self->guide_y_active = TRUE;
        }
    }

  self->move_dx = nx - self->anchor_x;
  self->move_dy = ny - self->anchor_y;
}

static void
update_rubber_band (AbCanvas *self)
{
  g_autoptr(GHashTable) set = g_hash_table_new (g_str_hash, g_str_equal);
  graphene_rect_t band, card;
  double x0, y0, x1, y1;
  GHashTableIter iter;
  gpointer key;
  guint n;

  ab_canvas_widget_to_design (self, self->press_x, self->press_y, &x0, &y0);
  ab_canvas_widget_to_design (self, self->drag_x, self->drag_y, &x1, &y1);
  graphene_rect_init (&band, MIN (x0, x1), MIN (y0, y1), fabs (x1 - x0), fabs (y1 - y0));

  if (self->rubber_base != NULL)
    {
      g_hash_table_iter_init (&iter, self->rubber_base);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_hash_table_add (set, key);
    }
  n = ab_design_get_n_components (self->design);
  for (guint i = 0; i < n; i++)
    {
      const AbComponent *c = ab_design_get_component (self->design, i);
      AbRect r;

      ab_render_component_rect (c, &r);
      graphene_rect_init (&card, r.x, r.y, r.width, r.height);
      if (graphene_rect_intersection (&band, &card, NULL))
        g_hash_table_add (set, c->id);
    }
  ab_canvas_replace_selection (self, set);
}

void
ab_canvas_end_drag (AbCanvas *self)
{
  self->drag_mode = AB_DRAG_NONE;
  self->guide_x_active = FALSE;
  self->guide_y_active = FALSE;
  self->move_dx = self->move_dy = 0;
  g_clear_pointer (&self->press_id, g_free);
  g_clear_pointer (&self->connect_target, g_free);
  g_clear_pointer (&self->rubber_base, g_hash_table_unref);
  update_cursor (self, AB_HIT_NONE);
  ab_canvas_update_actions (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ---- primary button drag ---- */

static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               AbCanvas       *self)
{
  GdkModifierType mods = current_modifiers (GTK_EVENT_CONTROLLER (gesture));
  gboolean toggle = (mods & (GDK_SHIFT_MASK | GDK_CONTROL_MASK)) != 0;
  const AbComponent *component;
  const char *id = NULL;
  AbHitKind hit;

  if (self->design == NULL)
    return;
  if (self->rename_id != NULL)
    ab_canvas_commit_rename (self);

  self->press_x = self->drag_x = x;
  self->press_y = self->drag_y = y;
  self->press_toggle = toggle;
  g_clear_pointer (&self->press_id, g_free);

  if (self->space_down)
    {
      self->drag_mode = AB_DRAG_PAN;
      self->pan_start_x = self->pan_x;
      self->pan_start_y = self->pan_y;
      update_cursor (self, AB_HIT_NONE);
      ab_canvas_update_actions (self);
      return;
    }

  hit = hit_at (self, x, y, &id);
  switch (hit)
    {
    case AB_HIT_PORT:
      self->drag_mode = AB_DRAG_CONNECT;
      self->press_id = g_strdup (id);
      focus_item_keeping_selection (self, id);
      break;

    case AB_HIT_COMPONENT:
      self->press_id = g_strdup (id);
      self->press_was_selected = ab_canvas_is_selected (self, id);
      if (toggle)
        ab_canvas_toggle_selected (self, id);
      else if (!self->press_was_selected)
        ab_canvas_select_only (self, id);
      component = ab_design_find_component (self->design, id);
      self->anchor_x = component ? component->x : 0;
      self->anchor_y = component ? component->y : 0;
      self->drag_mode = ab_canvas_is_selected (self, id) ? AB_DRAG_PENDING : AB_DRAG_NONE;
      focus_item_keeping_selection (self, id);
      break;

    case AB_HIT_CONNECTION:
      if (toggle)
        ab_canvas_toggle_selected (self, id);
      else
        ab_canvas_select_only (self, id);
      self->drag_mode = AB_DRAG_NONE;
      focus_item_keeping_selection (self, id);
      break;

    case AB_HIT_NONE:
    default:
      self->drag_mode = AB_DRAG_RUBBER_BAND;
      g_clear_pointer (&self->rubber_base, g_hash_table_unref);
      if (toggle)
        {
          GHashTableIter iter;
          gpointer key;

          self->rubber_base = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          g_hash_table_iter_init (&iter, self->selection);
          while (g_hash_table_iter_next (&iter, &key, NULL))
            g_hash_table_add (self->rubber_base, g_strdup (key));
        }
      else
        ab_canvas_clear_selection (self);
      gtk_widget_grab_focus (GTK_WIDGET (self));
      break;
    }
  update_cursor (self, hit);
  ab_canvas_update_actions (self);
}

static void
drag_to (AbCanvas *self,
         double    ox,
         double    oy)
{
  const char *id = NULL;
  AbHitKind hit;

  self->drag_x = self->press_x + ox;
  self->drag_y = self->press_y + oy;

  switch (self->drag_mode)
    {
    case AB_DRAG_PAN:
      self->pan_x = self->pan_start_x - ox / self->zoom;
      self->pan_y = self->pan_start_y - oy / self->zoom;
      self->auto_fit = FALSE;
      ab_canvas_view_changed (self);
      break;

    case AB_DRAG_PENDING:
      if (hypot (ox, oy) < DRAG_THRESHOLD)
        break;
      self->drag_mode = AB_DRAG_MOVE;
      update_cursor (self, AB_HIT_COMPONENT);
      G_GNUC_FALLTHROUGH;
    case AB_DRAG_MOVE:
      compute_move (self, ox / self->zoom, oy / self->zoom);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;

    case AB_DRAG_CONNECT:
      hit = hit_at (self, self->drag_x, self->drag_y, &id);
      g_clear_pointer (&self->connect_target, g_free);
      if ((hit == AB_HIT_COMPONENT || hit == AB_HIT_PORT) && g_strcmp0 (id, self->press_id) != 0)
        self->connect_target = g_strdup (id);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;

    case AB_DRAG_RUBBER_BAND:
      update_rubber_band (self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;

    case AB_DRAG_NONE:
    default:
      break;
    }
}

static void
on_drag_update (GtkGestureDrag *gesture,
                double          ox,
                double          oy,
                AbCanvas       *self)
{
  if (self->design != NULL)
    drag_to (self, ox, oy);
}

static void
on_drag_end (GtkGestureDrag *gesture,
             double          ox,
             double          oy,
             AbCanvas       *self)
{
  AbDragMode mode;
  g_autofree char *press_id = NULL;
  g_autofree char *target = NULL;
  g_autofree char *rename = g_steal_pointer (&self->pending_rename);
  double dx, dy;

  if (self->design == NULL)
    return;
  drag_to (self, ox, oy);
  mode = self->drag_mode;
  press_id = g_strdup (self->press_id);
  target = g_strdup (self->connect_target);
  dx = self->move_dx;
  dy = self->move_dy;
  /* Drop the preview before the edit redraws the canvas. */
  ab_canvas_end_drag (self);

  switch (mode)
    {
    case AB_DRAG_MOVE:
      ab_canvas_move_selection_by (self, dx, dy);
      break;
    case AB_DRAG_PENDING:
      /* A plain click inside a multiple selection narrows it. */
      if (!self->press_toggle && self->press_was_selected && press_id != NULL)
        ab_canvas_select_only (self, press_id);
      if (rename != NULL && g_strcmp0 (rename, press_id) == 0)
        ab_canvas_begin_rename (self, rename);
      break;
    case AB_DRAG_CONNECT:
      if (target != NULL)
        ab_canvas_try_connect (self, press_id, target);
      break;
    case AB_DRAG_NONE:
    case AB_DRAG_RUBBER_BAND:
    case AB_DRAG_PAN:
    default:
      break;
    }
}

static void
on_drag_cancel (GtkGesture       *gesture,
                GdkEventSequence *sequence,
                AbCanvas         *self)
{
  g_clear_pointer (&self->pending_rename, g_free);
  ab_canvas_end_drag (self);
}

static void
on_click_pressed (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  AbCanvas        *self)
{
  const char *id = NULL;
  AbHitKind hit;

  if (n_press != 2 || self->design == NULL || self->space_down)
    return;
  hit = hit_at (self, x, y, &id);
  /* The rename starts on release (on_drag_end): the press still goes on to
   * the drag gesture, which would take the focus back from the entry. */
  if (hit == AB_HIT_COMPONENT)
    {
      g_free (self->pending_rename);
      self->pending_rename = g_strdup (id);
    }
  else if (hit == AB_HIT_CONNECTION)
    ab_canvas_emit_activate (self, id);
}

/* ---- middle button pan ---- */

static void
on_pan_begin (GtkGestureDrag *gesture,
              double          x,
              double          y,
              AbCanvas       *self)
{
  self->pan_start_x = self->pan_x;
  self->pan_start_y = self->pan_y;
  self->cursor_name = "grabbing";
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), self->cursor_name);
}

static void
on_pan_update (GtkGestureDrag *gesture,
               double          ox,
               double          oy,
               AbCanvas       *self)
{
  self->pan_x = self->pan_start_x - ox / self->zoom;
  self->pan_y = self->pan_start_y - oy / self->zoom;
  self->auto_fit = FALSE;
  ab_canvas_view_changed (self);
}

static void
on_pan_end (GtkGestureDrag *gesture,
            double          ox,
            double          oy,
            AbCanvas       *self)
{
  on_pan_update (gesture, ox, oy, self);
  update_cursor (self, AB_HIT_NONE);
}

/* ---- pointer motion, scroll, pinch ---- */

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           AbCanvas                 *self)
{
  const char *id = NULL;
  AbHitKind hit;

  self->pointer_x = x;
  self->pointer_y = y;
  self->has_pointer = TRUE;
  if (self->drag_mode != AB_DRAG_NONE)
    return;
  hit = hit_at (self, x, y, &id);
  if (g_strcmp0 (id, self->hovered_id) != 0)
    {
      g_free (self->hovered_id);
      self->hovered_id = g_strdup (id);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  else if (hit != self->hover_hit)
    /* Onto or off a connection handle: it grows under the pointer. */
    gtk_widget_queue_draw (GTK_WIDGET (self));
  self->hover_hit = hit;
  update_cursor (self, hit);
}

static void
on_leave (GtkEventControllerMotion *controller,
          AbCanvas                 *self)
{
  self->has_pointer = FALSE;
  if (self->hovered_id != NULL)
    {
      g_clear_pointer (&self->hovered_id, g_free);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           AbCanvas                 *self)
{
  GdkModifierType mods = current_modifiers (GTK_EVENT_CONTROLLER (controller));
  gboolean wheel = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL;
  double px, py;

  if (mods & GDK_CONTROL_MASK)
    {
      px = self->has_pointer ? self->pointer_x : gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
      py = self->has_pointer ? self->pointer_y : gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
      /* Smooth (touchpad) deltas are pixels: make 100 px one wheel click. */
      ab_canvas_zoom_at (self, self->zoom * pow (1.1, -(wheel ? dy : dy / 10.0)), px, py);
      return TRUE;
    }
  if (mods & GDK_SHIFT_MASK && dx == 0)
    {
      dx = dy;
      dy = 0;
    }
  if (wheel)
    {
      dx *= WHEEL_STEP;
      dy *= WHEEL_STEP;
    }
  ab_canvas_pan_by (self, dx, dy);
  return TRUE;
}

static void
on_zoom_begin (GtkGesture       *gesture,
               GdkEventSequence *sequence,
               AbCanvas         *self)
{
  self->pinch_zoom_start = self->zoom;
}

static void
on_zoom_scale_changed (GtkGestureZoom *gesture,
                       double          scale,
                       AbCanvas       *self)
{
  double x, y;

  if (!gtk_gesture_is_active (GTK_GESTURE (gesture)) ||
      !gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    {
      x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
      y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
    }
  ab_canvas_zoom_at (self, self->pinch_zoom_start * scale, x, y);
}

/* ---- keyboard ---- */

typedef struct {
  const char *id;
  double      band, x;
} TabEntry;

static int
compare_tab_entries (gconstpointer a,
                     gconstpointer b)
{
  const TabEntry *ea = a, *eb = b;

  if (ea->band != eb->band)
    return ea->band < eb->band ? -1 : 1;
  if (ea->x != eb->x)
    return ea->x < eb->x ? -1 : 1;
  return strcmp (ea->id, eb->id);
}

/* Components in reading order (rows of half a card's height, then left to
 * right), then connections in document order. */
static GPtrArray *
tab_order (AbCanvas *self)
{
  GPtrArray *order = g_ptr_array_new ();
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (TabEntry));
  guint n;

  if (self->design == NULL)
    return order;
  n = ab_design_get_n_components (self->design);
  for (guint i = 0; i < n; i++)
    {
      const AbComponent *c = ab_design_get_component (self->design, i);
      TabEntry e = { c->id, floor (c->y / (AB_CARD_HEIGHT / 2)), c->x };

      g_array_append_val (entries, e);
    }
  g_array_sort (entries, compare_tab_entries);
  for (guint i = 0; i < entries->len; i++)
    g_ptr_array_add (order, (gpointer) g_array_index (entries, TabEntry, i).id);
  n = ab_design_get_n_connections (self->design);
  for (guint i = 0; i < n; i++)
    {
      const AbConnection *e = ab_design_get_connection (self->design, i);

      if (ab_canvas_get_item (self, e->id) != NULL)
        g_ptr_array_add (order, e->id);
    }
  return order;
}

const char *
ab_canvas_find_nearest (AbCanvas         *self,
                        const char       *from_id,
                        GtkDirectionType  direction)
{
  AbCanvasItem *from = ab_canvas_get_item (self, from_id);
  const char *best = NULL;
  double best_score = G_MAXDOUBLE;
  graphene_rect_t fb;
  double fx, fy;
  GHashTableIter iter;
  gpointer key, value;

  if (from == NULL)
    return NULL;
  ab_canvas_item_get_bounds (from, &fb);
  fx = fb.origin.x + fb.size.width / 2;
  fy = fb.origin.y + fb.size.height / 2;

  g_hash_table_iter_init (&iter, self->items);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      graphene_rect_t b;
      double vx, vy, primary, secondary, score;

      if (ab_canvas_item_is_connection (value) || strcmp (key, from_id) == 0)
        continue;
      ab_canvas_item_get_bounds (value, &b);
      vx = b.origin.x + b.size.width / 2 - fx;
      vy = b.origin.y + b.size.height / 2 - fy;
      switch (direction)
        {
        case GTK_DIR_LEFT:  primary = -vx; secondary = fabs (vy); break;
        case GTK_DIR_RIGHT: primary = vx;  secondary = fabs (vy); break;
        case GTK_DIR_UP:    primary = -vy; secondary = fabs (vx); break;
        case GTK_DIR_DOWN:  primary = vy;  secondary = fabs (vx); break;
        case GTK_DIR_TAB_FORWARD:
        case GTK_DIR_TAB_BACKWARD:
        default:
          return NULL;
        }
      if (primary <= 1.0)
        continue;
      score = primary + 2 * secondary;
      if (score < best_score || (score == best_score && g_strcmp0 (key, best) < 0))
        {
          best_score = score;
          best = key;
        }
    }
  return best;
}

gboolean
ab_canvas_focus_vfunc (GtkWidget        *widget,
                       GtkDirectionType  direction)
{
  AbCanvas *self = AB_CANVAS (widget);
  GtkWidget *focus_child = gtk_widget_get_focus_child (widget);
  g_autoptr(GPtrArray) order = NULL;
  const char *next = NULL;

  if (focus_child != NULL && focus_child == self->connect_popover)
    return gtk_widget_child_focus (focus_child, direction);
  if (focus_child != NULL && focus_child == self->rename_entry)
    {
      ab_canvas_commit_rename (self);
      focus_child = gtk_widget_get_focus_child (widget);
    }

  order = tab_order (self);

  if (focus_child != NULL && AB_IS_CANVAS_ITEM (focus_child))
    {
      const char *id = ab_canvas_item_get_id (AB_CANVAS_ITEM (focus_child));

      if (direction == GTK_DIR_TAB_FORWARD || direction == GTK_DIR_TAB_BACKWARD)
        {
          guint index;

          if (!g_ptr_array_find_with_equal_func (order, id, g_str_equal, &index))
            return FALSE;
          if (direction == GTK_DIR_TAB_FORWARD && index + 1 < order->len)
            next = order->pdata[index + 1];
          else if (direction == GTK_DIR_TAB_BACKWARD && index > 0)
            next = order->pdata[index - 1];
        }
      else
        next = ab_canvas_find_nearest (self, id, direction);
      if (next == NULL)
        return FALSE;
      ab_canvas_focus_item (self, next);
      return TRUE;
    }

  if (gtk_widget_is_focus (widget))
    {
      if (direction == GTK_DIR_TAB_BACKWARD || order->len == 0)
        return FALSE;
      ab_canvas_focus_item (self, order->pdata[0]);
      return TRUE;
    }

  /* Entering from outside: the selected item if any, else the canvas
   * itself (focus there must not select anything; Tab or an arrow then
   * walks the items). */
  for (guint i = 0; i < order->len; i++)
    if (ab_canvas_is_selected (self, order->pdata[i]))
      {
        next = order->pdata[i];
        break;
      }
  if (next != NULL)
    ab_canvas_focus_item (self, next);
  else
    gtk_widget_grab_focus (widget);
  return TRUE;
}

/* Space held: the primary button pans.  (The canvas' commands are
 * widget actions with key bindings, ab-canvas-actions.c.) */
static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                AbCanvas              *self)
{
  GdkModifierType mods = state & gtk_accelerator_get_default_mod_mask ();
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  if (self->design == NULL || keyval != GDK_KEY_space || mods != 0)
    return FALSE;
  /* A space typed in the rename entry or the popover's search is text. */
  if (focus != NULL &&
      ((self->rename_entry != NULL && (focus == self->rename_entry || gtk_widget_is_ancestor (focus, self->rename_entry))) ||
       (self->connect_popover != NULL && gtk_widget_is_ancestor (focus, self->connect_popover))))
    return FALSE;
  self->space_down = TRUE;
  update_cursor (self, AB_HIT_NONE);
  return TRUE;
}

static void
on_key_released (GtkEventControllerKey *controller,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 AbCanvas              *self)
{
  if (keyval == GDK_KEY_space && self->space_down)
    {
      self->space_down = FALSE;
      update_cursor (self, AB_HIT_NONE);
    }
}

static void
on_focus_leave (GtkEventControllerFocus *controller,
                AbCanvas                *self)
{
  self->space_down = FALSE;
}

/* ---- palette drops ---- */

static gboolean
on_drop_accept (GtkDropTarget *target,
                GdkDrop       *drop,
                AbCanvas      *self)
{
  GdkContentFormats *formats = gdk_drop_get_formats (drop);

  /* Files are the window's business (open a design): let them through. */
  if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_FILE_LIST))
    return FALSE;
  return self->design != NULL &&
         gdk_content_formats_contain_gtype (formats, G_TYPE_STRING) &&
         (gdk_drop_get_actions (drop) & GDK_ACTION_COPY) != 0;
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         AbCanvas      *self)
{
  const char *text;
  AbKind kind;
  double dx, dy;

  if (self->design == NULL || !G_VALUE_HOLDS_STRING (value))
    return FALSE;
  text = g_value_get_string (value);
  if (text == NULL || !g_str_has_prefix (text, AB_CANVAS_DND_PREFIX))
    return FALSE;
  kind = ab_kind_from_string (text + strlen (AB_CANVAS_DND_PREFIX));
  if (kind == AB_KIND_INVALID)
    return FALSE;
  ab_canvas_widget_to_design (self, x, y, &dx, &dy);
  return ab_canvas_place_component (self, kind, dx, dy) != NULL;
}

/* ---- setup ---- */

void
ab_canvas_init_input (AbCanvas *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkEventController *controller;
  GtkGesture *gesture;
  GtkDropTarget *drop;

  gesture = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_PRIMARY);
  gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (gesture), "canvas-drag");
  g_signal_connect (gesture, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (gesture, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (gesture, "drag-end", G_CALLBACK (on_drag_end), self);
  g_signal_connect (gesture, "cancel", G_CALLBACK (on_drag_cancel), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_PRIMARY);
  gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (gesture), "canvas-click");
  g_signal_connect (gesture, "pressed", G_CALLBACK (on_click_pressed), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_MIDDLE);
  gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (gesture), "canvas-pan");
  g_signal_connect (gesture, "drag-begin", G_CALLBACK (on_pan_begin), self);
  g_signal_connect (gesture, "drag-update", G_CALLBACK (on_pan_update), self);
  g_signal_connect (gesture, "drag-end", G_CALLBACK (on_pan_end), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_zoom_new ();
  gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (gesture), "canvas-pinch");
  g_signal_connect (gesture, "begin", G_CALLBACK (on_zoom_begin), self);
  g_signal_connect (gesture, "scale-changed", G_CALLBACK (on_zoom_scale_changed), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  controller = gtk_event_controller_motion_new ();
  gtk_event_controller_set_name (controller, "canvas-motion");
  g_signal_connect (controller, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (controller, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  gtk_event_controller_set_name (controller, "canvas-scroll");
  g_signal_connect (controller, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_name (controller, "canvas-key");
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_key_pressed), self);
  g_signal_connect (controller, "key-released", G_CALLBACK (on_key_released), self);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_focus_new ();
  g_signal_connect (controller, "leave", G_CALLBACK (on_focus_leave), self);
  gtk_widget_add_controller (widget, controller);

  drop = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_COPY);
  gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (drop), "canvas-drop");
  g_signal_connect (drop, "accept", G_CALLBACK (on_drop_accept), self);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (drop));
}
