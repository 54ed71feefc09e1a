/* SPDX-License-Identifier: GPL-3.0-or-later */
/* UI tests of AbCanvas in a real GtkWindow: drops, selection, moves,
 * connections, zoom, keyboard, clipboard, rename, "Connect to..." and the
 * accessible item labels.  Pointer input is simulated by emitting the
 * signals of the canvas' own gestures (found through
 * gtk_widget_observe_controllers), as libshumate's tests do. */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include <adwaita.h>

#include "ab-canvas-private.h"
#include "ab-connect-popover.h"
#include "ab-rename-entry.h"
#include "ab-catalog.h"

typedef struct {
  GtkWidget *window;
  AbCanvas  *canvas;
  AbDesign  *design;
  GPtrArray *messages;
  GPtrArray *activated;
  guint      selection_changes;
} Fixture;

/* ---- helpers ---- */

static gboolean
count_frame (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       data)
{
  (*(int *) data)++;
  return G_SOURCE_CONTINUE;
}

/* Layout happens once per frame: two frames after a change, every item
 * has its new allocation. */
static void
wait_frames (Fixture *f,
             int      frames)
{
  int n = 0;
  guint id = gtk_widget_add_tick_callback (GTK_WIDGET (f->canvas), count_frame, &n, NULL);

  while (n < frames)
    g_main_context_iteration (NULL, TRUE);
  gtk_widget_remove_tick_callback (GTK_WIDGET (f->canvas), id);
}

static GtkEventController *
find_controller (GtkWidget  *widget,
                 const char *name)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  guint n = g_list_model_get_n_items (controllers);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (c), name) == 0)
        return c;
    }
  g_assert_not_reached ();
  return NULL;
}

/* Design point -> widget point at the current view. */
static void
to_widget (Fixture *f,
           double   x,
           double   y,
           double  *wx,
           double  *wy)
{
  ab_canvas_design_to_widget (f->canvas, x, y, wx, wy);
}

static void
drag (Fixture *f,
      double   x,
      double   y,
      double   dx,
      double   dy)
{
  GtkEventController *gesture = find_controller (GTK_WIDGET (f->canvas), "canvas-drag");

  g_signal_emit_by_name (gesture, "drag-begin", x, y);
  g_signal_emit_by_name (gesture, "drag-update", dx / 3, dy / 3);
  g_signal_emit_by_name (gesture, "drag-update", dx, dy);
  g_signal_emit_by_name (gesture, "drag-end", dx, dy);
}

static void
click (Fixture *f,
       double   x,
       double   y)
{
  drag (f, x, y, 0, 0);
}

/* A key press on the canvas as GTK handles it: the canvas' key bindings
 * (its class shortcuts: widget actions, which do nothing and let the key
 * go on when disabled), then the "canvas-key" controller (Space). */
static gboolean
press_key_on (GtkWidget       *widget,
              guint            keyval,
              GdkModifierType  state)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  GtkEventController *keys = NULL;
  g_autoptr(GtkShortcutTrigger) pressed = gtk_keyval_trigger_new (keyval, state);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (controller), "canvas-key") == 0)
        keys = controller;
      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), pressed))
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                 GTK_SHORTCUT_ACTION_EXCLUSIVE, widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  if (keys != NULL)
    g_signal_emit_by_name (keys, "key-pressed", keyval, 0, state, &handled);
  return handled;
}

static gboolean
press_key (Fixture         *f,
           guint            keyval,
           GdkModifierType  state)
{
  return press_key_on (GTK_WIDGET (f->canvas), keyval, state);
}

static const AbComponent *
component (Fixture    *f,
           const char *id)
{
  const AbComponent *c = ab_design_find_component (f->design, id);

  g_assert_nonnull (c);
  return c;
}

/* Widget coordinates of the centre of a component's card. */
static void
card_centre (Fixture    *f,
             const char *id,
             double     *wx,
             double     *wy)
{
  const AbComponent *c = component (f, id);

  to_widget (f, c->x + AB_CARD_WIDTH / 2, c->y + AB_CARD_HEIGHT / 2, wx, wy);
}

static void
assert_selection (Fixture    *f,
                  const char *expected)
{
  g_auto(GStrv) ids = ab_canvas_get_selection (f->canvas);
  g_autofree char *joined = g_strjoinv (",", ids);

  g_assert_cmpstr (joined, ==, expected);
}

static const char *
kind_name (AbKind kind)
{
  return ab_catalog_get_kind (ab_catalog_get_default (), kind)->display_name;
}

static void
on_message (AbCanvas   *canvas,
            const char *text,
            Fixture    *f)
{
  g_ptr_array_add (f->messages, g_strdup (text));
}

static void
on_activate (AbCanvas   *canvas,
             const char *id,
             Fixture    *f)
{
  g_ptr_array_add (f->activated, g_strdup (id));
}

static void
on_selection_changed (AbCanvas *canvas,
                      Fixture  *f)
{
  f->selection_changes++;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->messages = g_ptr_array_new_with_free_func (g_free);
  f->activated = g_ptr_array_new_with_free_func (g_free);
  f->design = ab_design_new (NULL);
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 600);
  f->canvas = AB_CANVAS (ab_canvas_new ());
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->canvas));
  ab_canvas_set_design (f->canvas, f->design);
  g_signal_connect (f->canvas, "message", G_CALLBACK (on_message), f);
  g_signal_connect (f->canvas, "activate-item", G_CALLBACK (on_activate), f);
  g_signal_connect (f->canvas, "selection-changed", G_CALLBACK (on_selection_changed), f);
  gtk_window_present (GTK_WINDOW (f->window));
  while (gtk_widget_get_width (GTK_WIDGET (f->canvas)) == 0)
    g_main_context_iteration (NULL, TRUE);
  wait_frames (f, 2);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->design);
  g_ptr_array_unref (f->messages);
  g_ptr_array_unref (f->activated);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* ---- tests ---- */

static gboolean
emit_drop (Fixture    *f,
           const char *text,
           double      x,
           double      y)
{
  GtkEventController *drop = find_controller (GTK_WIDGET (f->canvas), "canvas-drop");
  GValue value = G_VALUE_INIT;
  gboolean ok = FALSE;

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, text);
  g_signal_emit_by_name (drop, "drop", &value, x, y, &ok);
  g_value_unset (&value);
  return ok;
}

static void
test_drop_places_component (Fixture       *f,
                            gconstpointer  data)
{
  const AbComponent *c;
  g_autofree char *second = NULL;
  double dx, dy;

  g_assert_true (emit_drop (f, AB_CANVAS_DND_PREFIX "cache", 300, 200));
  g_assert_cmpuint (ab_design_get_n_components (f->design), ==, 1);
  c = ab_design_get_component (f->design, 0);
  g_assert_cmpint (c->kind, ==, AB_KIND_CACHE);
  g_assert_cmpstr (c->label, ==, kind_name (AB_KIND_CACHE));
  /* Centred where dropped, on the grid. */
  ab_canvas_widget_to_design (f->canvas, 300, 200, &dx, &dy);
  g_assert_cmpfloat (fabs (c->x + AB_CARD_WIDTH / 2 - dx), <=, AB_GRID_SIZE / 2);
  g_assert_cmpfloat (fabs (c->y + AB_CARD_HEIGHT / 2 - dy), <=, AB_GRID_SIZE / 2);
  g_assert_cmpfloat (fmod (c->x, AB_GRID_SIZE), ==, 0);
  assert_selection (f, c->id);

  g_assert_true (emit_drop (f, AB_CANVAS_DND_PREFIX "cache", 500, 400));
  second = g_strdup_printf ("%s 2", kind_name (AB_KIND_CACHE));
  g_assert_cmpstr (ab_design_get_component (f->design, 1)->label, ==, second);
  assert_selection (f, ab_design_get_component (f->design, 1)->id);

  /* Bad input: not ours, unknown kind, empty. */
  g_assert_false (emit_drop (f, "hello", 100, 100));
  g_assert_false (emit_drop (f, AB_CANVAS_DND_PREFIX "teleporter", 100, 100));
  g_assert_false (emit_drop (f, AB_CANVAS_DND_PREFIX, 100, 100));
  g_assert_cmpuint (ab_design_get_n_components (f->design), ==, 2);
}

static void
test_add_component_at_centre (Fixture       *f,
                              gconstpointer  data)
{
  const char *id = ab_canvas_add_component (f->canvas, AB_KIND_APP);
  double wx, wy;

  g_assert_nonnull (id);
  assert_selection (f, id);
  card_centre (f, id, &wx, &wy);
  g_assert_cmpfloat (fabs (wx - gtk_widget_get_width (GTK_WIDGET (f->canvas)) / 2.0), <=, AB_GRID_SIZE);
  g_assert_cmpfloat (fabs (wy - gtk_widget_get_height (GTK_WIDGET (f->canvas)) / 2.0), <=, AB_GRID_SIZE);

  /* The next ones never overlap any card, and land near the middle:
   * the first twelve within two card widths / four card heights. */
  {
    g_autofree char *label2 = g_strdup_printf ("%s 2", kind_name (AB_KIND_APP));
    const char *last = NULL;
    guint n;

    /* One in the way, off the grid, half over the next spot. */
    ab_design_add_component (f->design, AB_KIND_CACHE, "In the way",
                             component (f, id)->x + 100, component (f, id)->y + 80, 1);
    for (int i = 0; i < 12; i++)
      last = ab_canvas_add_component (f->canvas, i % 2 ? AB_KIND_APP : AB_KIND_DB_PRIMARY);
    assert_selection (f, last);
    n = ab_design_get_n_components (f->design);

    g_assert_cmpuint (n, ==, 14);
    for (guint i = 0; i < n; i++)
      {
        const AbComponent *a = ab_design_get_component (f->design, i);

        g_assert_cmpfloat (fabs (a->x - component (f, id)->x), <=, 2 * (AB_CARD_WIDTH + 2 * AB_GRID_SIZE));
        g_assert_cmpfloat (fabs (a->y - component (f, id)->y), <=, 4 * (AB_CARD_HEIGHT + 2 * AB_GRID_SIZE));
        for (guint j = i + 1; j < n; j++)
          {
            const AbComponent *b = ab_design_get_component (f->design, j);
            gboolean overlap = a->x < b->x + AB_CARD_WIDTH && b->x < a->x + AB_CARD_WIDTH &&
                               a->y < b->y + AB_CARD_HEIGHT && b->y < a->y + AB_CARD_HEIGHT;

            if (overlap)
              g_error ("%s at (%g, %g) overlaps %s at (%g, %g)", a->label, a->x, a->y, b->label, b->x, b->y);
          }
      }
    g_assert_nonnull (ab_design_find_component (f->design, last));
    /* Labels count up per kind. */
    for (guint i = 0; i < n; i++)
      if (g_strcmp0 (ab_design_get_component (f->design, i)->label, label2) == 0)
        label2[0] = '\0';
    g_assert_cmpstr (label2, ==, "");
  }
}

static void
test_click_and_rubber_band (Fixture       *f,
                            gconstpointer  data)
{
  const char *a = ab_design_add_component (f->design, AB_KIND_APP, "A", 0, 0, 1);
  const char *b = ab_design_add_component (f->design, AB_KIND_CACHE, "B", 320, 0, 1);
  const char *c = ab_design_add_component (f->design, AB_KIND_DB_PRIMARY, "C", 0, 320, 1);
  g_autofree char *ab = g_strdup_printf ("%s,%s", a, b);
  g_autofree char *ac = g_strdup_printf ("%s,%s", a, c);
  double x, y, x1, y1;

  card_centre (f, a, &x, &y);
  click (f, x, y);
  assert_selection (f, a);

  card_centre (f, b, &x, &y);
  click (f, x, y);
  assert_selection (f, b);

  /* Empty space clears. */
  to_widget (f, 250, 200, &x, &y);
  click (f, x, y);
  assert_selection (f, "");

  /* A band from the empty top-left over A and B (not C). */
  to_widget (f, -20, -20, &x, &y);
  to_widget (f, 400, 40, &x1, &y1);
  drag (f, x, y, x1 - x, y1 - y);
  assert_selection (f, ab);

  ab_canvas_set_selection (f->canvas, (const char *[]) { a, c, "nonexistent", NULL });
  assert_selection (f, ac);
  ab_canvas_select_all (f->canvas);
  g_assert_cmpuint (g_strv_length (ab_canvas_get_selection (f->canvas)), ==, 3);
}

static void
test_move_is_one_undo_step (Fixture       *f,
                            gconstpointer  data)
{
  const char *a = ab_design_add_component (f->design, AB_KIND_APP, "A", 0, 0, 1);
  const char *b = ab_design_add_component (f->design, AB_KIND_CACHE, "B", 320, 160, 1);
  g_autofree char *undo_before = g_strdup (ab_design_get_undo_name (f->design));
  double x, y;

  card_centre (f, a, &x, &y);
  /* 101 x 37 pixels at zoom 1 snap to the 16 px grid: 96 x 32. */
  ab_canvas_zoom_reset (f->canvas);
  card_centre (f, a, &x, &y);
  drag (f, x, y, 101, 37);
  g_assert_cmpfloat (component (f, a)->x, ==, 96);
  g_assert_cmpfloat (component (f, a)->y, ==, 32);
  g_assert_cmpfloat (component (f, b)->x, ==, 320);

  /* One step: a single undo puts it back. */
  g_assert_true (ab_design_undo (f->design));
  g_assert_cmpfloat (component (f, a)->x, ==, 0);
  g_assert_cmpfloat (component (f, a)->y, ==, 0);
  g_assert_cmpstr (ab_design_get_undo_name (f->design), ==, undo_before);
  g_assert_true (ab_design_redo (f->design));
  g_assert_cmpfloat (component (f, a)->x, ==, 96);

  /* A multiple selection moves together. */
  ab_canvas_set_selection (f->canvas, (const char *[]) { a, b, NULL });
  card_centre (f, b, &x, &y);
  drag (f, x, y, -64, 64);
  g_assert_cmpfloat (component (f, a)->x, ==, 32);
  g_assert_cmpfloat (component (f, a)->y, ==, 96);
  g_assert_cmpfloat (component (f, b)->x, ==, 256);
  g_assert_cmpfloat (component (f, b)->y, ==, 224);
  g_assert_true (ab_design_undo (f->design));
  g_assert_cmpfloat (component (f, a)->x, ==, 96);
  g_assert_cmpfloat (component (f, b)->x, ==, 320);

  /* A tiny jiggle is a click, not a move. */
  card_centre (f, a, &x, &y);
  drag (f, x, y, 2, 1);
  g_assert_cmpfloat (component (f, a)->x, ==, 96);
  assert_selection (f, a);
}

static void
test_move_snaps_to_alignment (Fixture       *f,
                              gconstpointer  data)
{
  /* A sits off the grid; dragging B near A's top edge aligns exactly. */
  const char *a = ab_design_add_component (f->design, AB_KIND_APP, "A", 5, 5, 1);
  const char *b = ab_design_add_component (f->design, AB_KIND_CACHE, "B", 400, 208, 1);
  GtkEventController *gesture = find_controller (GTK_WIDGET (f->canvas), "canvas-drag");
  double x, y;

  ab_canvas_zoom_reset (f->canvas);
  card_centre (f, b, &x, &y);
  g_signal_emit_by_name (gesture, "drag-begin", x, y);
  g_signal_emit_by_name (gesture, "drag-update", 3.0, -201.0);
  /* Live preview: the guide is shown, nothing committed yet. */
  g_assert_true (f->canvas->guide_y_active);
  g_assert_cmpfloat (f->canvas->guide_y, ==, 5);
  g_assert_cmpfloat (component (f, b)->y, ==, 208);
  g_signal_emit_by_name (gesture, "drag-end", 3.0, -201.0);
  g_assert_cmpfloat (component (f, b)->y, ==, component (f, a)->y);
  g_assert_false (f->canvas->guide_y_active);
  g_assert_cmpfloat (fmod (component (f, b)->x, AB_GRID_SIZE), ==, 0);
}

static void
test_connect_by_port_drag (Fixture       *f,
                           gconstpointer  data)
{
  const char *app = ab_design_add_component (f->design, AB_KIND_APP, "Blog API", 0, 0, 1);
  const char *cache = ab_design_add_component (f->design, AB_KIND_CACHE, "Query Cache", 320, 0, 1);
  const char *lb = ab_design_add_component (f->design, AB_KIND_LB, "Front", 320, 240, 1);
  const char *hit = NULL;
  double px, py, tx, ty;

  /* The port is where the renderer says it is. */
  to_widget (f, AB_CARD_WIDTH, AB_CARD_HEIGHT / 2, &px, &py);
  g_assert_cmpint (ab_render_hit_test (f->design, AB_CARD_WIDTH, AB_CARD_HEIGHT / 2, &hit), ==, AB_HIT_PORT);
  g_assert_cmpstr (hit, ==, app);
  card_centre (f, cache, &tx, &ty);
  drag (f, px, py, tx - px, ty - py);
  g_assert_cmpuint (ab_design_get_n_connections (f->design), ==, 1);
  g_assert_nonnull (ab_design_find_connection_between (f->design, app, cache));
  g_assert_cmpuint (f->messages->len, ==, 0);
  /* The new connection is selected; the card did not move. */
  assert_selection (f, ab_design_get_connection (f->design, 0)->id);
  g_assert_cmpfloat (component (f, app)->x, ==, 0);

  /* Refused: a cache may not call a load balancer; the reason is told. */
  to_widget (f, 320 + AB_CARD_WIDTH, AB_CARD_HEIGHT / 2, &px, &py);
  card_centre (f, lb, &tx, &ty);
  drag (f, px, py, tx - px, ty - py);
  g_assert_cmpuint (ab_design_get_n_connections (f->design), ==, 1);
  g_assert_cmpuint (f->messages->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->messages, 0), !=, "");

  /* Dropped on empty space: nothing happens. */
  to_widget (f, AB_CARD_WIDTH, AB_CARD_HEIGHT / 2, &px, &py);
  drag (f, px, py, 0, 300);
  g_assert_cmpuint (ab_design_get_n_connections (f->design), ==, 1);
  g_assert_cmpuint (f->messages->len, ==, 1);

  /* A duplicate is refused with a message too. */
  drag (f, px, py, tx - px, ty - py - 240);
  g_assert_cmpuint (ab_design_get_n_connections (f->design), ==, 1);
  g_assert_cmpuint (f->messages->len, ==, 2);
}

static void
hover (Fixture *f,
       double   x,
       double   y)
{
  GtkEventController *motion = find_controller (GTK_WIDGET (f->canvas), "canvas-motion");

  g_signal_emit_by_name (motion, "motion", x, y);
}

/* Handles on all four sides of a hovered or selected card, and the
 * card's border, start connections; the inside still moves the card. */
static void
test_connect_from_handles (Fixture       *f,
                           gconstpointer  data)
{
  const char *app = ab_design_add_component (f->design, AB_KIND_APP, "API", 320, 160, 1);
  const char *cache = ab_design_add_component (f->design, AB_KIND_CACHE, "Cache", 320, 0, 1);
  const char *db = ab_design_add_component (f->design, AB_KIND_DB_PRIMARY, "DB", 0, 160, 1);
  const char *queue = ab_design_add_component (f->design, AB_KIND_QUEUE, "Queue", 320, 320, 1);
  const char *id = NULL;
  double px, py, tx, ty;

  wait_frames (f, 2);
  /* No handles on a card nobody points at or selected. */
  g_assert_true (ab_canvas_handle_position (f->canvas, app, 0, &px, &py));
  g_assert_false (ab_canvas_handle_at (f->canvas, px, py, &id));

  /* Hovering the card shows them; moving onto the top one keeps it. */
  card_centre (f, app, &tx, &ty);
  hover (f, tx, ty);
  hover (f, (tx + px) / 2, (ty + py) / 2);
  hover (f, px, py);
  g_assert_true (ab_canvas_handle_at (f->canvas, px, py, &id));
  g_assert_cmpstr (id, ==, app);
  g_assert_cmpstr (f->canvas->hovered_id, ==, app);
  /* Off the card's edge, the handle is still a generous target. */
  g_assert_true (ab_canvas_handle_at (f->canvas, px + AB_CANVAS_HANDLE_HIT - 2, py, &id));

  /* Top handle -> cache above. */
  card_centre (f, cache, &tx, &ty);
  drag (f, px, py, tx - px, ty - py);
  g_assert_nonnull (ab_design_find_connection_between (f->design, app, cache));

  /* Selected (not hovered): the left handle -> the database. */
  hover (f, -100, -100);
  ab_canvas_set_selection (f->canvas, (const char *[]) { app, NULL });
  g_assert_true (ab_canvas_handle_position (f->canvas, app, 3, &px, &py));
  card_centre (f, db, &tx, &ty);
  drag (f, px, py, tx - px, ty - py);
  g_assert_nonnull (ab_design_find_connection_between (f->design, app, db));

  /* The bottom border of the card -> the queue below. */
  ab_canvas_clear_selection (f->canvas);
  hover (f, -100, -100);
  card_centre (f, app, &px, &py);
  py += AB_CARD_HEIGHT / 2 * ab_canvas_get_zoom (f->canvas) - 2;
  card_centre (f, queue, &tx, &ty);
  drag (f, px, py, tx - px, ty - py);
  g_assert_nonnull (ab_design_find_connection_between (f->design, app, queue));
  g_assert_cmpuint (ab_design_get_n_connections (f->design), ==, 3);
  g_assert_cmpfloat (component (f, app)->x, ==, 320);
  g_assert_cmpfloat (component (f, app)->y, ==, 160);

  /* The inside moves, as before. */
  card_centre (f, app, &px, &py);
  drag (f, px, py, 64, 0);
  g_assert_cmpuint (ab_design_get_n_connections (f->design), ==, 3);
  g_assert_cmpfloat (component (f, app)->x, ==, 384);
}

static void
test_zoom_keeps_point_fixed (Fixture       *f,
                             gconstpointer  data)
{
  double before_x, before_y, after_x, after_y, wx, wy;
  double cx = gtk_widget_get_width (GTK_WIDGET (f->canvas)) / 2.0;
  double cy = gtk_widget_get_height (GTK_WIDGET (f->canvas)) / 2.0;

  ab_design_add_component (f->design, AB_KIND_APP, "A", 100, 100, 1);

  /* Around a pointer position: the design point under it stays. */
  ab_canvas_widget_to_design (f->canvas, 123, 77, &before_x, &before_y);
  ab_canvas_zoom_at (f->canvas, 2.5, 123, 77);
  g_assert_cmpfloat_with_epsilon (ab_canvas_get_zoom (f->canvas), 2.5, 1e-9);
  ab_canvas_widget_to_design (f->canvas, 123, 77, &after_x, &after_y);
  g_assert_cmpfloat_with_epsilon (after_x, before_x, 1e-9);
  g_assert_cmpfloat_with_epsilon (after_y, before_y, 1e-9);

  /* zoom in / out work around the centre. */
  ab_canvas_widget_to_design (f->canvas, cx, cy, &before_x, &before_y);
  ab_canvas_zoom_out (f->canvas);
  g_assert_cmpfloat_with_epsilon (ab_canvas_get_zoom (f->canvas), 2.5 / AB_CANVAS_ZOOM_STEP, 1e-9);
  to_widget (f, before_x, before_y, &wx, &wy);
  g_assert_cmpfloat_with_epsilon (wx, cx, 1e-9);
  g_assert_cmpfloat_with_epsilon (wy, cy, 1e-9);
  ab_canvas_zoom_in (f->canvas);
  g_assert_cmpfloat_with_epsilon (ab_canvas_get_zoom (f->canvas), 2.5, 1e-9);

  /* Clamped. */
  for (int i = 0; i < 40; i++)
    ab_canvas_zoom_in (f->canvas);
  g_assert_cmpfloat (ab_canvas_get_zoom (f->canvas), ==, AB_CANVAS_ZOOM_MAX);
  for (int i = 0; i < 60; i++)
    ab_canvas_zoom_out (f->canvas);
  g_assert_cmpfloat (ab_canvas_get_zoom (f->canvas), ==, AB_CANVAS_ZOOM_MIN);
  ab_canvas_zoom_reset (f->canvas);
  g_assert_cmpfloat (ab_canvas_get_zoom (f->canvas), ==, 1.0);

  /* The pinch gesture zooms from where it started. */
  {
    GtkEventController *pinch = find_controller (GTK_WIDGET (f->canvas), "canvas-pinch");

    g_signal_emit_by_name (pinch, "begin", NULL);
    g_signal_emit_by_name (pinch, "scale-changed", 1.5);
    g_assert_cmpfloat_with_epsilon (ab_canvas_get_zoom (f->canvas), 1.5, 1e-9);
    g_signal_emit_by_name (pinch, "scale-changed", 2.0);
    g_assert_cmpfloat_with_epsilon (ab_canvas_get_zoom (f->canvas), 2.0, 1e-9);
  }
}

static void
test_scroll_and_middle_drag_pan (Fixture       *f,
                                 gconstpointer  data)
{
  GtkEventController *scroll = find_controller (GTK_WIDGET (f->canvas), "canvas-scroll");
  GtkEventController *pan = find_controller (GTK_WIDGET (f->canvas), "canvas-pan");
  double x0, y0, x1, y1;
  gboolean handled = FALSE;

  ab_canvas_widget_to_design (f->canvas, 0, 0, &x0, &y0);
  g_signal_emit_by_name (scroll, "scroll", 0.0, 1.0, &handled);
  g_assert_true (handled);
  ab_canvas_widget_to_design (f->canvas, 0, 0, &x1, &y1);
  g_assert_cmpfloat (x1, ==, x0);
  g_assert_cmpfloat (y1, >, y0);
  g_assert_cmpfloat (ab_canvas_get_zoom (f->canvas), ==, 1.0);

  ab_canvas_widget_to_design (f->canvas, 0, 0, &x0, &y0);
  g_signal_emit_by_name (pan, "drag-begin", 10.0, 10.0);
  g_signal_emit_by_name (pan, "drag-update", 50.0, -20.0);
  g_signal_emit_by_name (pan, "drag-end", 50.0, -20.0);
  ab_canvas_widget_to_design (f->canvas, 0, 0, &x1, &y1);
  g_assert_cmpfloat_with_epsilon (x1, x0 - 50, 1e-9);
  g_assert_cmpfloat_with_epsilon (y1, y0 + 20, 1e-9);
}

static void
test_space_drag_pans_and_escape_cancels (Fixture       *f,
                                         gconstpointer  data)
{
  const char *a = ab_design_add_component (f->design, AB_KIND_APP, "A", 0, 0, 1);
  GtkEventController *keys = find_controller (GTK_WIDGET (f->canvas), "canvas-key");
  GtkEventController *gesture = find_controller (GTK_WIDGET (f->canvas), "canvas-drag");
  g_autofree char *undo_name = g_strdup (ab_design_get_undo_name (f->design));
  double x0, y0, x1, y1, x, y;

  /* Space held: a drag on a card pans instead of moving it. */
  g_assert_true (press_key (f, GDK_KEY_space, 0));
  ab_canvas_widget_to_design (f->canvas, 0, 0, &x0, &y0);
  card_centre (f, a, &x, &y);
  drag (f, x, y, 40, 30);
  ab_canvas_widget_to_design (f->canvas, 0, 0, &x1, &y1);
  g_assert_cmpfloat_with_epsilon (x1, x0 - 40, 1e-9);
  g_assert_cmpfloat_with_epsilon (y1, y0 - 30, 1e-9);
  g_assert_cmpfloat (component (f, a)->x, ==, 0);
  g_assert_cmpstr (ab_design_get_undo_name (f->design), ==, undo_name);
  g_signal_emit_by_name (keys, "key-released", GDK_KEY_space, 0, 0);

  /* Escape during a move drops it: nothing committed. */
  card_centre (f, a, &x, &y);
  g_signal_emit_by_name (gesture, "drag-begin", x, y);
  g_signal_emit_by_name (gesture, "drag-update", 100.0, 0.0);
  g_assert_cmpint (f->canvas->drag_mode, ==, AB_DRAG_MOVE);
  g_assert_true (press_key (f, GDK_KEY_Escape, 0));
  g_signal_emit_by_name (gesture, "drag-end", 100.0, 0.0);
  g_assert_cmpfloat (component (f, a)->x, ==, 0);
  /* Selection survives the cancelled drag. */
  assert_selection (f, a);
}

static void
test_hover (Fixture       *f,
            gconstpointer  data)
{
  const char *a = ab_design_add_component (f->design, AB_KIND_APP, "A", 0, 0, 1);
  GtkEventController *motion = find_controller (GTK_WIDGET (f->canvas), "canvas-motion");
  double x, y;

  card_centre (f, a, &x, &y);
  g_signal_emit_by_name (motion, "motion", x, y);
  g_assert_cmpstr (f->canvas->hovered_id, ==, a);
  g_signal_emit_by_name (motion, "motion", x + 400, y + 300);
  g_assert_null (f->canvas->hovered_id);
  g_signal_emit_by_name (motion, "motion", x, y);
  g_signal_emit_by_name (motion, "leave");
  g_assert_null (f->canvas->hovered_id);
}

static void
assert_inside_canvas (Fixture    *f,
                      const char *id)
{
  graphene_rect_t bounds;
  AbCanvasItem *item = ab_canvas_get_item (f->canvas, id);

  g_assert_nonnull (item);
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (item), GTK_WIDGET (f->canvas), &bounds));
  g_assert_cmpfloat (bounds.origin.x, >=, 0);
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (GTK_WIDGET (f->canvas)));
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (GTK_WIDGET (f->canvas)));
}

static void
test_zoom_to_fit (Fixture       *f,
                  gconstpointer  data)
{
  const char *a, *b, *c;

  /* Nothing to fit: the view is left alone. */
  ab_canvas_zoom_to_fit (f->canvas);
  g_assert_cmpfloat (ab_canvas_get_zoom (f->canvas), ==, 1.0);

  a = ab_design_add_component (f->design, AB_KIND_APP, "A", -1000, -400, 1);
  b = ab_design_add_component (f->design, AB_KIND_CACHE, "B", 2400, 1500, 1);
  c = ab_design_add_component (f->design, AB_KIND_DB_PRIMARY, "C", 600, 600, 1);
  ab_canvas_zoom_to_fit (f->canvas);
  g_assert_cmpfloat (ab_canvas_get_zoom (f->canvas), <, 0.3);
  wait_frames (f, 2);
  assert_inside_canvas (f, a);
  assert_inside_canvas (f, b);
  assert_inside_canvas (f, c);

  /* Zoom to selection: just C, large. */
  ab_canvas_set_selection (f->canvas, (const char *[]) { c, NULL });
  ab_canvas_zoom_to_selection (f->canvas);
  g_assert_cmpfloat (ab_canvas_get_zoom (f->canvas), >, 1.0);
  wait_frames (f, 2);
  assert_inside_canvas (f, c);
}

/* A fitted view fits again when the canvas grows (the window settling on
 * its size, a side pane hidden), until the user zooms or pans. */
static void
test_zoom_fit_follows_size (Fixture       *f,
                            gconstpointer  data)
{
  double fitted, grown;

  ab_design_add_component (f->design, AB_KIND_APP, "A", 0, 0, 1);
  ab_design_add_component (f->design, AB_KIND_CACHE, "B", 1600, 900, 1);
  ab_canvas_zoom_to_fit (f->canvas);
  fitted = ab_canvas_get_zoom (f->canvas);

  gtk_window_set_default_size (GTK_WINDOW (f->window), 1200, 900);
  wait_frames (f, 4);
  grown = ab_canvas_get_zoom (f->canvas);
  g_assert_cmpfloat (grown, >, fitted * 1.2);

  /* after a pan, a new size leaves the view alone */
  ab_canvas_pan_by (f->canvas, 10, 10);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 700, 500);
  wait_frames (f, 4);
  g_assert_cmpfloat (ab_canvas_get_zoom (f->canvas), ==, grown);
}

static const char *
focused_id (Fixture *f)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));

  if (focus == NULL || !AB_IS_CANVAS_ITEM (focus))
    return NULL;
  return ab_canvas_item_get_id (AB_CANVAS_ITEM (focus));
}

static void
test_keyboard (Fixture       *f,
               gconstpointer  data)
{
  const char *a = ab_design_add_component (f->design, AB_KIND_APP, "A", 0, 0, 1);
  const char *b = ab_design_add_component (f->design, AB_KIND_CACHE, "B", 320, 0, 1);
  const char *c = ab_design_add_component (f->design, AB_KIND_DB_PRIMARY, "C", 0, 240, 1);
  const char *e;
  GError *error = NULL;

  e = ab_design_connect (f->design, a, b, &error);
  g_assert_no_error (error);

  /* Focus arriving from outside with nothing selected rests on the canvas
   * itself and selects nothing. */
  gtk_root_set_focus (GTK_ROOT (f->window), NULL);
  g_assert_true (gtk_widget_child_focus (f->window, GTK_DIR_TAB_FORWARD));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == GTK_WIDGET (f->canvas));
  assert_selection (f, "");
  /* So does grabbing the focus, as the window does on opening a document. */
  gtk_root_set_focus (GTK_ROOT (f->window), NULL);
  gtk_widget_grab_focus (GTK_WIDGET (f->canvas));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == GTK_WIDGET (f->canvas));
  assert_selection (f, "");

  /* Tab goes on to the first component in reading order and walks on,
   * selecting as it goes; connections come after the components. */
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (f->canvas), GTK_DIR_TAB_FORWARD));
  g_assert_cmpstr (focused_id (f), ==, a);
  assert_selection (f, a);
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (f->canvas), GTK_DIR_TAB_FORWARD));
  g_assert_cmpstr (focused_id (f), ==, b);
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (f->canvas), GTK_DIR_TAB_FORWARD));
  g_assert_cmpstr (focused_id (f), ==, c);
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (f->canvas), GTK_DIR_TAB_FORWARD));
  g_assert_cmpstr (focused_id (f), ==, e);
  /* Past the last item focus leaves the canvas. */
  g_assert_false (gtk_widget_child_focus (GTK_WIDGET (f->canvas), GTK_DIR_TAB_FORWARD));
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (f->canvas), GTK_DIR_TAB_BACKWARD));
  g_assert_cmpstr (focused_id (f), ==, c);

  /* Arrows: the nearest component in that direction. */
  g_assert_true (press_key (f, GDK_KEY_Up, 0));
  g_assert_cmpstr (focused_id (f), ==, a);
  g_assert_true (press_key (f, GDK_KEY_Right, 0));
  g_assert_cmpstr (focused_id (f), ==, b);
  g_assert_true (press_key (f, GDK_KEY_Right, 0));   /* nothing further: stays */
  g_assert_cmpstr (focused_id (f), ==, b);
  g_assert_true (press_key (f, GDK_KEY_Left, 0));
  g_assert_cmpstr (focused_id (f), ==, a);
  assert_selection (f, a);

  /* Alt+arrows move the selection one grid step, undoably. */
  g_assert_true (press_key (f, GDK_KEY_Down, GDK_ALT_MASK));
  g_assert_true (press_key (f, GDK_KEY_Right, GDK_ALT_MASK));
  g_assert_cmpfloat (component (f, a)->x, ==, AB_GRID_SIZE);
  g_assert_cmpfloat (component (f, a)->y, ==, AB_GRID_SIZE);
  g_assert_true (ab_design_undo (f->design));
  g_assert_cmpfloat (component (f, a)->x, ==, 0);
  g_assert_cmpfloat (component (f, a)->y, ==, AB_GRID_SIZE);

  /* Enter activates the focused item. */
  g_assert_true (press_key (f, GDK_KEY_Return, 0));
  g_assert_cmpuint (f->activated->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->activated, 0), ==, a);

  /* Escape clears the selection; a second Escape is not ours. */
  g_assert_true (press_key (f, GDK_KEY_Escape, 0));
  assert_selection (f, "");
  g_assert_false (press_key (f, GDK_KEY_Escape, 0));

  /* Delete removes the selection (and the connection), one step. */
  ab_canvas_set_selection (f->canvas, (const char *[]) { b, NULL });
  g_assert_true (press_key (f, GDK_KEY_Delete, 0));
  g_assert_null (ab_design_find_component (f->design, b));
  g_assert_cmpuint (ab_design_get_n_connections (f->design), ==, 0);
  g_assert_null (ab_canvas_get_item (f->canvas, b));
  g_assert_null (ab_canvas_get_item (f->canvas, e));
  g_assert_true (ab_design_undo (f->design));
  g_assert_nonnull (ab_design_find_component (f->design, b));
  g_assert_cmpuint (ab_design_get_n_connections (f->design), ==, 1);
  g_assert_nonnull (ab_canvas_get_item (f->canvas, b));

  /* Enter on a focused connection activates it too. */
  ab_canvas_focus_item (f->canvas, e);
  g_assert_cmpstr (focused_id (f), ==, e);
  g_assert_true (press_key (f, GDK_KEY_KP_Enter, 0));
  g_assert_cmpstr (g_ptr_array_index (f->activated, 1), ==, e);
}

static void
wait_for_components (Fixture *f,
                     guint    n)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (ab_design_get_n_components (f->design) < n && f->messages->len == 0)
    {
      g_main_context_iteration (NULL, FALSE);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
}

static void
wait_for_message (Fixture *f,
                  guint    n)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (f->messages->len < n)
    {
      g_main_context_iteration (NULL, FALSE);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
}

static void
test_clipboard (Fixture       *f,
                gconstpointer  data)
{
  const char *a = ab_design_add_component (f->design, AB_KIND_APP, "A", 0, 0, 2);
  const char *b = ab_design_add_component (f->design, AB_KIND_CACHE, "B", 320, 0, 1);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (f->canvas));
  GdkContentFormats *formats;
  const AbComponent *copy;
  g_auto(GStrv) pasted = NULL;
  GError *error = NULL;

  ab_design_connect (f->design, a, b, &error);
  g_assert_no_error (error);

  /* Nothing selected: nothing copied. */
  gdk_clipboard_set_text (clipboard, "untouched");
  ab_canvas_copy_selection (f->canvas);
  formats = gdk_clipboard_get_formats (clipboard);
  g_assert_false (gdk_content_formats_contain_mime_type (formats, AB_CANVAS_FRAGMENT_MIME));

  ab_canvas_set_selection (f->canvas, (const char *[]) { a, b, NULL });
  ab_canvas_copy_selection (f->canvas);
  formats = gdk_clipboard_get_formats (clipboard);
  g_assert_true (gdk_content_formats_contain_mime_type (formats, AB_CANVAS_FRAGMENT_MIME));
  g_assert_true (gdk_content_formats_contain_gtype (formats, G_TYPE_STRING));

  ab_canvas_paste (f->canvas);
  wait_for_components (f, 4);
  g_assert_cmpuint (f->messages->len, ==, 0);
  g_assert_cmpuint (ab_design_get_n_components (f->design), ==, 4);
  g_assert_cmpuint (ab_design_get_n_connections (f->design), ==, 2);
  pasted = ab_canvas_get_selection (f->canvas);
  g_assert_cmpuint (g_strv_length (pasted), ==, 2);
  copy = component (f, pasted[0]);
  g_assert_cmpstr (copy->label, ==, "A");
  g_assert_cmpint (copy->instances, ==, 2);
  /* Offset so it does not hide the original. */
  g_assert_cmpfloat (copy->x, ==, AB_CANVAS_PASTE_OFFSET);
  g_assert_cmpfloat (copy->y, ==, AB_CANVAS_PASTE_OFFSET);
  /* One step. */
  g_assert_true (ab_design_undo (f->design));
  g_assert_cmpuint (ab_design_get_n_components (f->design), ==, 2);

  /* Foreign text on the clipboard: told, nothing added. */
  gdk_clipboard_set_text (clipboard, "not a design {");
  ab_canvas_paste (f->canvas);
  wait_for_message (f, 1);
  g_assert_cmpuint (ab_design_get_n_components (f->design), ==, 2);

  /* Duplicate: no clipboard, one step, the copies selected. */
  gdk_clipboard_set_text (clipboard, "untouched");
  ab_canvas_set_selection (f->canvas, (const char *[]) { a, NULL });
  ab_canvas_duplicate_selection (f->canvas);
  g_assert_cmpuint (ab_design_get_n_components (f->design), ==, 3);
  {
    g_auto(GStrv) sel = ab_canvas_get_selection (f->canvas);

    g_assert_cmpuint (g_strv_length (sel), ==, 1);
    g_assert_cmpstr (sel[0], !=, a);
    g_assert_cmpfloat (component (f, sel[0])->x, ==, AB_CANVAS_PASTE_OFFSET);
  }
  formats = gdk_clipboard_get_formats (clipboard);
  g_assert_false (gdk_content_formats_contain_mime_type (formats, AB_CANVAS_FRAGMENT_MIME));
  g_assert_true (ab_design_undo (f->design));
  g_assert_cmpuint (ab_design_get_n_components (f->design), ==, 2);
}

static void
test_accessible_labels (Fixture       *f,
                        gconstpointer  data)
{
  const char *api = ab_design_add_component (f->design, AB_KIND_APP, "Blog API", 0, 0, 3);
  const char *cache = ab_design_add_component (f->design, AB_KIND_CACHE, "Query Cache", 320, 0, 1);
  const char *db = ab_design_add_component (f->design, AB_KIND_DB_PRIMARY, "MySQL Primary", 320, 200, 1);
  const char *e1, *e2;
  g_autofree char *expected_api = NULL;
  g_autofree char *expected_cache = NULL;
  g_autofree char *message = NULL;
  AbCanvasItem *item;
  GError *error = NULL;

  e1 = ab_design_connect (f->design, api, cache, &error);
  g_assert_no_error (error);
  e2 = ab_design_connect (f->design, api, db, &error);
  g_assert_no_error (error);

  expected_api = g_strdup_printf ("Blog API, %s, 3 instances, calls Query Cache, MySQL Primary",
                                  kind_name (AB_KIND_APP));
  item = ab_canvas_get_item (f->canvas, api);
  g_assert_cmpstr (ab_canvas_item_get_label (item), ==, expected_api);
  message = gtk_test_accessible_check_property (GTK_ACCESSIBLE (item), GTK_ACCESSIBLE_PROPERTY_LABEL, expected_api);
  g_assert_null (message);
  g_assert_true (gtk_test_accessible_has_role (GTK_ACCESSIBLE (item), GTK_ACCESSIBLE_ROLE_BUTTON));
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (item)));

  expected_cache = g_strdup_printf ("Query Cache, %s, 1 instance, called by Blog API", kind_name (AB_KIND_CACHE));
  g_assert_cmpstr (ab_canvas_item_get_label (ab_canvas_get_item (f->canvas, cache)), ==, expected_cache);
  g_assert_cmpstr (ab_canvas_item_get_label (ab_canvas_get_item (f->canvas, e1)), ==, "Blog API to Query Cache, sync");
  g_assert_cmpstr (ab_canvas_item_get_label (ab_canvas_get_item (f->canvas, e2)), ==, "Blog API to MySQL Primary, sync");

  /* The selection is told to assistive technologies. */
  ab_canvas_set_selection (f->canvas, (const char *[]) { cache, NULL });
  g_assert_true (ab_canvas_item_get_selected (ab_canvas_get_item (f->canvas, cache)));
  g_assert_false (ab_canvas_item_get_selected (item));
  g_clear_pointer (&message, g_free);
  message = gtk_test_accessible_check_state (GTK_ACCESSIBLE (ab_canvas_get_item (f->canvas, cache)),
                                             GTK_ACCESSIBLE_STATE_SELECTED, TRUE);
  g_assert_null (message);
  ab_canvas_set_selection (f->canvas, NULL);
  g_assert_false (ab_canvas_item_get_selected (ab_canvas_get_item (f->canvas, cache)));

  /* Edits show up in the labels of the neighbours too. */
  ab_design_rename_component (f->design, cache, "Hot Cache");
  ab_design_set_instances (f->design, api, 1);
  g_clear_pointer (&expected_api, g_free);
  expected_api = g_strdup_printf ("Blog API, %s, 1 instance, calls Hot Cache, MySQL Primary",
                                  kind_name (AB_KIND_APP));
  g_assert_cmpstr (ab_canvas_item_get_label (ab_canvas_get_item (f->canvas, api)), ==, expected_api);
  g_assert_cmpstr (ab_canvas_item_get_label (ab_canvas_get_item (f->canvas, e1)), ==, "Blog API to Hot Cache, sync");
  g_clear_pointer (&message, g_free);
  message = gtk_test_accessible_check_property (GTK_ACCESSIBLE (ab_canvas_get_item (f->canvas, api)),
                                                GTK_ACCESSIBLE_PROPERTY_LABEL, expected_api);
  g_assert_null (message);

  /* Items sit over their cards. */
  wait_frames (f, 2);
  {
    graphene_rect_t bounds;
    double wx, wy;

    g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (ab_canvas_get_item (f->canvas, db)),
                                              GTK_WIDGET (f->canvas), &bounds));
    to_widget (f, component (f, db)->x, component (f, db)->y, &wx, &wy);
    g_assert_cmpfloat (fabs (bounds.origin.x - wx), <=, 1);
    g_assert_cmpfloat (fabs (bounds.origin.y - wy), <=, 1);
  }

  /* One item per component and connection, no more. */
  {
    guint n = 0;

    for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (f->canvas));
         child != NULL; child = gtk_widget_get_next_sibling (child))
      if (AB_IS_CANVAS_ITEM (child))
        n++;
    g_assert_cmpuint (n, ==, 5);
  }
}

static void
test_rename (Fixture       *f,
             gconstpointer  data)
{
  const char *a = ab_design_add_component (f->design, AB_KIND_APP, "A", 0, 0, 1);
  GtkEventController *click_gesture = find_controller (GTK_WIDGET (f->canvas), "canvas-click");
  GtkWidget *entry;
  double x, y;

  /* Double-click opens the entry over the card, on release (the press
   * reaches both gestures, in either order). */
  card_centre (f, a, &x, &y);
  click (f, x, y);
  g_signal_emit_by_name (click_gesture, "pressed", 1, x, y);
  g_assert_null (f->canvas->rename_entry);
  g_signal_emit_by_name (click_gesture, "pressed", 2, x, y);
  g_assert_null (f->canvas->rename_entry);
  click (f, x, y);
  entry = f->canvas->rename_entry;
  g_assert_nonnull (entry);
  g_assert_true (gtk_widget_get_visible (entry));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "A");
  gtk_editable_set_text (GTK_EDITABLE (entry), "  Blog API ");
  g_signal_emit_by_name (entry, "activate");
  g_assert_false (gtk_widget_get_visible (entry));
  g_assert_cmpstr (component (f, a)->label, ==, "Blog API");
  g_assert_cmpstr (focused_id (f), ==, a);
  g_assert_true (ab_design_undo (f->design));
  g_assert_cmpstr (component (f, a)->label, ==, "A");

  /* F2, then Escape: nothing changes. */
  ab_canvas_set_selection (f->canvas, (const char *[]) { a, NULL });
  g_assert_true (press_key (f, GDK_KEY_F2, 0));
  g_assert_true (gtk_widget_get_visible (entry));
  gtk_editable_set_text (GTK_EDITABLE (entry), "Discarded");
  /* (A key the entry has no binding for is not taken.) */
  g_assert_false (press_key_on (entry, GDK_KEY_F2, 0));
  g_assert_true (press_key_on (entry, GDK_KEY_Escape, 0));
  g_assert_false (gtk_widget_get_visible (entry));
  g_assert_cmpstr (component (f, a)->label, ==, "A");

  /* Focus moving elsewhere commits. */
  ab_canvas_rename_selection (f->canvas);
  gtk_editable_set_text (GTK_EDITABLE (entry), "Committed");
  gtk_widget_grab_focus (GTK_WIDGET (f->canvas));
  g_assert_false (gtk_widget_get_visible (entry));
  g_assert_cmpstr (component (f, a)->label, ==, "Committed");
  g_assert_true (ab_design_undo (f->design));

  /* The other order of the two gestures. */
  {
    GtkEventController *drag_gesture = find_controller (GTK_WIDGET (f->canvas), "canvas-drag");

    g_signal_emit_by_name (drag_gesture, "drag-begin", x, y);
    g_signal_emit_by_name (click_gesture, "pressed", 2, x, y);
    g_assert_false (gtk_widget_get_visible (entry));
    g_signal_emit_by_name (drag_gesture, "drag-end", 0.0, 0.0);
    g_assert_true (gtk_widget_get_visible (entry));
    g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), entry) ||
                   gtk_root_get_focus (GTK_ROOT (f->window)) == entry);
    ab_canvas_cancel_rename (f->canvas);
  }

  /* A double-click that turns into a drag is a move, not a rename. */
  g_signal_emit_by_name (click_gesture, "pressed", 2, x, y);
  drag (f, x, y, 64, 0);
  g_assert_false (gtk_widget_get_visible (entry));
  g_assert_cmpfloat (component (f, a)->x, ==, 64);
  g_assert_true (ab_design_undo (f->design));

  /* An empty name is not applied. */
  ab_canvas_rename_selection (f->canvas);
  gtk_editable_set_text (GTK_EDITABLE (entry), "   ");
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpstr (component (f, a)->label, ==, "A");
}

static void
test_double_click_connection_activates (Fixture       *f,
                                        gconstpointer  data)
{
  const char *a = ab_design_add_component (f->design, AB_KIND_APP, "A", 0, 0, 1);
  const char *b = ab_design_add_component (f->design, AB_KIND_CACHE, "B", 480, 0, 1);
  GtkEventController *click_gesture = find_controller (GTK_WIDGET (f->canvas), "canvas-click");
  const AbConnection *e;
  GError *error = NULL;
  g_autofree double *route = NULL;
  guint n = 0;
  double x, y;

  ab_design_connect (f->design, a, b, &error);
  g_assert_no_error (error);
  e = ab_design_get_connection (f->design, 0);
  route = ab_render_connection_route (f->design, e, &n);
  g_assert_cmpuint (n, >=, 2);
  /* A point on the first segment, a little way along. */
  to_widget (f, route[0] + 0.25 * (route[2] - route[0]), route[1] + 0.25 * (route[3] - route[1]), &x, &y);
  g_signal_emit_by_name (click_gesture, "pressed", 2, x, y);
  g_assert_cmpuint (f->activated->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->activated, 0), ==, e->id);
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkListBoxRow *
row_for (GtkListBox *list,
         const char *id)
{
  for (int i = 0; ; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, i);

      if (row == NULL)
        return NULL;
      if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "ab-id"), id) == 0)
        return row;
    }
}

static void
test_connect_popover (Fixture       *f,
                      gconstpointer  data)
{
  const char *app = ab_design_add_component (f->design, AB_KIND_APP, "Blog API", 0, 0, 1);
  const char *cache = ab_design_add_component (f->design, AB_KIND_CACHE, "Query Cache", 320, 0, 1);
  const char *lb = ab_design_add_component (f->design, AB_KIND_LB, "Front", 320, 240, 1);
  GtkListBox *list;
  GtkWidget *search;
  int visible = 0;

  /* Nothing focused or selected: told what to do. */
  ab_canvas_connect_from_focus (f->canvas);
  g_assert_cmpuint (f->messages->len, ==, 1);

  ab_canvas_focus_item (f->canvas, app);
  g_assert_true (press_key (f, GDK_KEY_c, 0));
  g_assert_nonnull (f->canvas->connect_popover);
  g_assert_true (gtk_widget_get_visible (f->canvas->connect_popover));
  list = GTK_LIST_BOX (find_descendant (f->canvas->connect_popover, GTK_TYPE_LIST_BOX));
  g_assert_nonnull (row_for (list, cache));
  g_assert_nonnull (row_for (list, lb));
  g_assert_null (row_for (list, app));

  /* The search narrows the list. */
  search = find_descendant (f->canvas->connect_popover, GTK_TYPE_SEARCH_ENTRY);
  g_assert_true (gtk_widget_has_focus (search) || gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), search));
  gtk_editable_set_text (GTK_EDITABLE (search), "query");
  gtk_list_box_invalidate_filter (list);
  for (int i = 0; gtk_list_box_get_row_at_index (list, i) != NULL; i++)
    if (gtk_widget_get_child_visible (GTK_WIDGET (gtk_list_box_get_row_at_index (list, i))))
      visible++;
  g_assert_cmpint (visible, ==, 1);

  /* Keys from inside the popover are not canvas commands. */
  gtk_widget_grab_focus (GTK_WIDGET (row_for (list, cache)));
  g_assert_false (press_key (f, GDK_KEY_Delete, 0));
  g_assert_false (press_key (f, GDK_KEY_Left, 0));
  g_assert_nonnull (ab_design_find_component (f->design, app));
  g_assert_true (gtk_widget_get_visible (f->canvas->connect_popover));

  /* Return in the search takes the first match. */
  g_signal_emit_by_name (search, "activate");
  g_assert_false (gtk_widget_get_visible (f->canvas->connect_popover));
  g_assert_nonnull (ab_design_find_connection_between (f->design, app, cache));
  g_assert_cmpstr (focused_id (f), ==, app);

  /* Escape (stop-search) closes it without connecting; the canvas keys
   * work again. */
  ab_canvas_connect_from_focus (f->canvas);
  g_assert_true (gtk_widget_get_visible (f->canvas->connect_popover));
  g_assert_false (press_key (f, GDK_KEY_Delete, 0));
  g_signal_emit_by_name (search, "stop-search");
  g_assert_false (gtk_widget_get_visible (f->canvas->connect_popover));
  g_assert_cmpuint (ab_design_get_n_connections (f->design), ==, 1);
  g_assert_cmpstr (focused_id (f), ==, app);
  g_assert_true (press_key (f, GDK_KEY_Left, 0));

  /* Refused through the popover: explained. */
  ab_canvas_focus_item (f->canvas, cache);
  ab_canvas_connect_from_focus (f->canvas);
  g_signal_emit_by_name (list, "row-activated", row_for (list, lb));
  g_assert_null (ab_design_find_connection_between (f->design, cache, lb));
  g_assert_cmpuint (f->messages->len, ==, 2);
}

/* AbConnectPopover on its own: the rows in order (allowed, already
 * connected, not allowed, each by name) and "chosen" on activation. */
static void
on_chosen (AbConnectPopover *popover,
           const char       *from,
           const char       *to,
           GPtrArray        *out)
{
  g_ptr_array_add (out, g_strdup_printf ("%s->%s", from, to));
}

static void
test_connect_popover_widget (Fixture       *f,
                             gconstpointer  data)
{
  const char *app = ab_design_add_component (f->design, AB_KIND_APP, "Blog API", 0, 0, 1);
  const char *db = ab_design_add_component (f->design, AB_KIND_DB_PRIMARY, "Posts", 320, 0, 1);
  const char *cache = ab_design_add_component (f->design, AB_KIND_CACHE, "A cache", 320, 240, 1);
  const char *client = ab_design_add_component (f->design, AB_KIND_CLIENT, "Browser", 0, 240, 1);
  g_autoptr(GPtrArray) chosen = g_ptr_array_new_with_free_func (g_free);
  AbConnectPopover *popover = AB_CONNECT_POPOVER (ab_connect_popover_new ());
  GtkListBox *list;
  GtkWidget *title;
  const char *expected[] = { cache, db, client };

  g_assert_nonnull (ab_design_connect (f->design, app, db, NULL));
  gtk_widget_set_parent (GTK_WIDGET (popover), GTK_WIDGET (f->canvas));
  g_signal_connect (popover, "chosen", G_CALLBACK (on_chosen), chosen);
  g_assert_false (ab_connect_popover_populate (popover, f->design, "nope"));
  g_assert_true (ab_connect_popover_populate (popover, f->design, app));
  g_assert_cmpstr (ab_connect_popover_get_from (popover), ==, app);

  title = find_descendant (GTK_WIDGET (popover), GTK_TYPE_LABEL);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (title)), ==, "Connect “Blog API” to…");
  list = GTK_LIST_BOX (find_descendant (GTK_WIDGET (popover), GTK_TYPE_LIST_BOX));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, i);

      g_assert_nonnull (row);
      g_assert_cmpstr (g_object_get_data (G_OBJECT (row), "ab-id"), ==, expected[i]);
    }
  g_assert_null (gtk_list_box_get_row_at_index (list, G_N_ELEMENTS (expected)));

  gtk_popover_popup (GTK_POPOVER (popover));
  g_signal_emit_by_name (list, "row-activated", gtk_list_box_get_row_at_index (list, 1));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (popover)));
  g_assert_cmpuint (chosen->len, ==, 1);
  {
    g_autofree char *want = g_strdup_printf ("%s->%s", app, db);

    g_assert_cmpstr (g_ptr_array_index (chosen, 0), ==, want);
  }
  /* The popover itself never edits the design. */
  g_assert_cmpuint (ab_design_get_n_connections (f->design), ==, 1);
  gtk_widget_unparent (GTK_WIDGET (popover));
}

/* AbRenameEntry on its own: Return commits the stripped text, Escape
 * cancels, each start ends once. */
static void
on_rename_done (AbRenameEntry *entry,
                const char    *id,
                const char    *text,
                gboolean       commit,
                GPtrArray     *out)
{
  g_ptr_array_add (out, g_strdup_printf ("%s:%s:%s", id, text, commit ? "commit" : "cancel"));
  gtk_widget_set_visible (GTK_WIDGET (entry), FALSE);
}

static void
test_rename_entry_widget (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) done = g_ptr_array_new_with_free_func (g_free);
  AbRenameEntry *entry = AB_RENAME_ENTRY (ab_rename_entry_new ());

  gtk_widget_set_parent (GTK_WIDGET (entry), GTK_WIDGET (f->canvas));
  g_signal_connect (entry, "done", G_CALLBACK (on_rename_done), done);
  g_assert_null (ab_rename_entry_get_id (entry));

  ab_rename_entry_start (entry, "c1", "Old");
  g_assert_cmpstr (ab_rename_entry_get_id (entry), ==, "c1");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "Old");
  gtk_editable_set_text (GTK_EDITABLE (entry), "  New name ");
  g_signal_emit_by_name (entry, "activate");
  g_assert_null (ab_rename_entry_get_id (entry));

  ab_rename_entry_start (entry, "c2", "Keep");
  gtk_editable_set_text (GTK_EDITABLE (entry), "Dropped");
  g_assert_true (press_key_on (GTK_WIDGET (entry), GDK_KEY_Escape, 0));
  /* Finished already: nothing more. */
  ab_rename_entry_finish (entry, TRUE);

  g_assert_cmpuint (done->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (done, 0), ==, "c1:New name:commit");
  g_assert_cmpstr (g_ptr_array_index (done, 1), ==, "c2:Dropped:cancel");
  gtk_widget_unparent (GTK_WIDGET (entry));
}

static void
test_presentation_and_overlay (Fixture       *f,
                               gconstpointer  data)
{
  const char *a = ab_design_add_component (f->design, AB_KIND_APP, "A", 0, 0, 1);
  g_autoptr(GHashTable) util = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  double *u = g_new (double, 1);
  g_autoptr(GdkPaintable) paintable = NULL;

  *u = 0.8;
  g_hash_table_insert (util, g_strdup (a), u);
  ab_canvas_set_overlay (f->canvas, util, a, NULL);
  ab_canvas_set_presentation (f->canvas, TRUE);
  g_assert_true (f->canvas->presentation);
  /* Drawing with an overlay and presentation settings works. */
  paintable = gtk_widget_paintable_new (GTK_WIDGET (f->canvas));
  wait_frames (f, 2);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), >, 0);
  ab_canvas_set_overlay (f->canvas, NULL, NULL, NULL);
  ab_canvas_set_presentation (f->canvas, FALSE);
  wait_frames (f, 1);
}

static void
test_switch_design (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(AbDesign) other = ab_design_new (NULL);
  const char *a = ab_design_add_component (f->design, AB_KIND_APP, "A", 0, 0, 1);

  ab_design_add_component (other, AB_KIND_CACHE, "X", 0, 0, 1);
  ab_design_add_component (other, AB_KIND_CACHE, "Y", 300, 0, 1);
  ab_canvas_set_selection (f->canvas, (const char *[]) { a, NULL });
  ab_canvas_set_design (f->canvas, other);
  g_assert_true (ab_canvas_get_design (f->canvas) == other);
  assert_selection (f, "");
  g_assert_cmpuint (g_hash_table_size (f->canvas->items), ==, 2);
  /* The old document no longer drives the canvas. */
  ab_design_add_component (f->design, AB_KIND_APP, "B", 0, 300, 1);
  g_assert_cmpuint (g_hash_table_size (f->canvas->items), ==, 2);
  ab_canvas_set_design (f->canvas, NULL);
  g_assert_cmpuint (g_hash_table_size (f->canvas->items), ==, 0);
  ab_canvas_zoom_to_fit (f->canvas);
  ab_canvas_paste (f->canvas);
  ab_canvas_delete_selection (f->canvas);
  ab_canvas_set_design (f->canvas, f->design);
}

/* The canvas follows its document: a new design set on the document is
 * shown (and edited) without anyone handing it to the canvas. */
static void
test_follows_document (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(AbDocument) document = ab_document_new ();
  g_autoptr(AbDesign) other = ab_design_new (NULL);
  const char *a = ab_design_add_component (f->design, AB_KIND_APP, "A", 0, 0, 1);

  ab_design_add_component (other, AB_KIND_CACHE, "X", 0, 0, 1);
  ab_design_add_component (other, AB_KIND_CACHE, "Y", 300, 0, 1);

  g_object_set (f->canvas, "document", document, NULL);
  g_assert_true (ab_canvas_get_document (f->canvas) == document);
  g_assert_null (ab_canvas_get_design (f->canvas));
  g_assert_cmpuint (g_hash_table_size (f->canvas->items), ==, 0);

  ab_document_set (document, f->design, NULL, NULL);
  g_assert_true (ab_canvas_get_design (f->canvas) == f->design);
  g_assert_cmpuint (g_hash_table_size (f->canvas->items), ==, 1);
  ab_canvas_set_selection (f->canvas, (const char *[]) { a, NULL });
  /* Edits of the document's design reach the canvas. */
  ab_design_add_component (f->design, AB_KIND_CACHE, "B", 0, 300, 1);
  g_assert_cmpuint (g_hash_table_size (f->canvas->items), ==, 2);

  ab_document_set (document, other, NULL, NULL);
  g_assert_true (ab_canvas_get_design (f->canvas) == other);
  assert_selection (f, "");
  g_assert_cmpuint (g_hash_table_size (f->canvas->items), ==, 2);
  /* The old design no longer drives the canvas. */
  ab_design_add_component (f->design, AB_KIND_APP, "C", 300, 300, 1);
  g_assert_cmpuint (g_hash_table_size (f->canvas->items), ==, 2);
  g_assert_cmpuint (ab_design_get_n_components (other), ==, 2);
  ab_canvas_delete_selection (f->canvas);
  ab_canvas_select_all (f->canvas);
  ab_canvas_delete_selection (f->canvas);
  g_assert_cmpuint (ab_design_get_n_components (other), ==, 0);
  ab_design_undo (other);
  g_assert_cmpuint (g_hash_table_size (f->canvas->items), ==, 2);

  ab_document_set (document, NULL, NULL, NULL);
  g_assert_null (ab_canvas_get_design (f->canvas));
  g_assert_cmpuint (g_hash_table_size (f->canvas->items), ==, 0);

  /* Letting go of the document leaves the canvas empty and unaffected. */
  ab_document_set (document, f->design, NULL, NULL);
  g_object_set (f->canvas, "document", NULL, NULL);
  g_assert_null (ab_canvas_get_design (f->canvas));
  ab_document_set (document, other, NULL, NULL);
  g_assert_null (ab_canvas_get_design (f->canvas));
}

/* The commands are widget actions, enabled only when their key would do
 * something (a disabled one lets the key go on to the window). */
static void
test_actions_enabled (Fixture       *f,
                      gconstpointer  data)
{
  GtkWidget *widget = GTK_WIDGET (f->canvas);
  const char *a = ab_design_add_component (f->design, AB_KIND_APP, "A", 0, 0, 1);

  wait_frames (f, 2);
  /* Nothing selected: Escape and Return are not the canvas' business. */
  g_assert_false (press_key (f, GDK_KEY_Escape, 0));
  g_assert_false (press_key (f, GDK_KEY_Return, 0));
  g_assert_true (press_key (f, GDK_KEY_Delete, 0));
  /* Modifiers the canvas has no command for pass through. */
  g_assert_false (press_key (f, GDK_KEY_Delete, GDK_SHIFT_MASK));
  g_assert_false (press_key (f, GDK_KEY_Left, GDK_CONTROL_MASK));
  g_assert_false (press_key (f, GDK_KEY_F2, GDK_CONTROL_MASK));

  ab_canvas_set_selection (f->canvas, (const char *[]) { a, NULL });
  g_assert_true (press_key (f, GDK_KEY_Return, 0));
  g_assert_cmpuint (f->activated->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->activated, 0), ==, a);

  /* By name, as a menu or the window would. */
  g_assert_true (gtk_widget_activate_action (widget, "canvas.nudge", "(ii)", 2, -1));
  g_assert_cmpfloat (component (f, a)->x, ==, 2 * AB_GRID_SIZE);
  g_assert_cmpfloat (component (f, a)->y, ==, -AB_GRID_SIZE);
  g_assert_true (gtk_widget_activate_action (widget, "canvas.cancel", NULL));
  assert_selection (f, "");
  g_assert_false (press_key (f, GDK_KEY_Escape, 0));

  /* Without a design every command is off. */
  ab_canvas_set_design (f->canvas, NULL);
  g_assert_false (press_key (f, GDK_KEY_Delete, 0));
  g_assert_false (press_key (f, GDK_KEY_Left, 0));
  g_assert_false (press_key (f, GDK_KEY_c, 0));
  ab_canvas_set_design (f->canvas, f->design);
}

/* Closing the window in the middle of an edit must not commit or crash
 * (the fixture's tear-down destroys it). */
static void
test_destroy_while_renaming (Fixture       *f,
                             gconstpointer  data)
{
  const char *a = ab_design_add_component (f->design, AB_KIND_APP, "A", 0, 0, 1);

  ab_canvas_set_selection (f->canvas, (const char *[]) { a, NULL });
  ab_canvas_rename_selection (f->canvas);
  gtk_editable_set_text (GTK_EDITABLE (f->canvas->rename_entry), "Never");
  g_object_add_weak_pointer (G_OBJECT (f->canvas), (gpointer *) &f->canvas);
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_null (f->canvas);
  g_assert_cmpstr (component (f, a)->label, ==, "A");
  f->window = gtk_window_new ();
}

static void
test_destroy_with_popover (Fixture       *f,
                           gconstpointer  data)
{
  const char *a = ab_design_add_component (f->design, AB_KIND_APP, "A", 0, 0, 1);

  ab_design_add_component (f->design, AB_KIND_CACHE, "B", 300, 0, 1);
  ab_canvas_focus_item (f->canvas, a);
  ab_canvas_connect_from_focus (f->canvas);
  g_assert_true (gtk_widget_get_visible (f->canvas->connect_popover));
  g_object_add_weak_pointer (G_OBJECT (f->canvas), (gpointer *) &f->canvas);
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_null (f->canvas);
  g_assert_cmpuint (ab_design_get_n_connections (f->design), ==, 0);
  f->window = gtk_window_new ();
}

int
main (int argc, char **argv)
{
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
  g_test_init (&argc, &argv, NULL);

#define ADD(name, fn) g_test_add ("/canvas/" name, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("drop", test_drop_places_component);
  ADD ("add-component", test_add_component_at_centre);
  ADD ("select", test_click_and_rubber_band);
  ADD ("move", test_move_is_one_undo_step);
  ADD ("move-guides", test_move_snaps_to_alignment);
  ADD ("connect-drag", test_connect_by_port_drag);
  ADD ("connect-handles", test_connect_from_handles);
  ADD ("zoom", test_zoom_keeps_point_fixed);
  ADD ("pan", test_scroll_and_middle_drag_pan);
  ADD ("zoom-to-fit", test_zoom_to_fit);
  ADD ("zoom-fit-follows-size", test_zoom_fit_follows_size);
  ADD ("space-pan-escape", test_space_drag_pans_and_escape_cancels);
  ADD ("hover", test_hover);
  ADD ("keyboard", test_keyboard);
  ADD ("clipboard", test_clipboard);
  ADD ("accessible-labels", test_accessible_labels);
  ADD ("rename", test_rename);
  ADD ("activate-connection", test_double_click_connection_activates);
  ADD ("connect-popover", test_connect_popover);
  ADD ("connect-popover-widget", test_connect_popover_widget);
  ADD ("rename-entry-widget", test_rename_entry_widget);
  ADD ("presentation", test_presentation_and_overlay);
  ADD ("switch-design", test_switch_design);
  ADD ("follows-document", test_follows_document);
  ADD ("actions-enabled", test_actions_enabled);
  ADD ("destroy-renaming", test_destroy_while_renaming);
  ADD ("destroy-popover", test_destroy_with_popover);
#undef ADD

  return g_test_run ();
}
