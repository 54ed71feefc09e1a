/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The editor's split between the diagram and the results panel: the
 * results keep the height the user gave them by dragging the divider
 * when the window is resized, when they are collapsed and expanded, and
 * from one session to the next (GSettings "results-height").
 *
 * GtkPaned places its divider from the children's minimum heights until
 * a position is set.  So while the results open (and when the window
 * first shows) they reserve their height as a minimum and the divider
 * follows them, animation included; once open, the divider's position is
 * fixed and the reservation dropped, so that the user can drag it either
 * way and the window can shrink. */
#define G_LOG_DOMAIN "archboard"

#include "config.h"

#include "ab-window-private.h"

/* Room the diagram keeps when the results open at a remembered height
 * that was set in a taller window (the bar and the divider included). */
#define DIAGRAM_RESERVE 240

static int
remembered_height (AbWindow *self)
{
  int height = g_settings_get_int (self->settings, "results-height");
  int split = gtk_widget_get_height (GTK_WIDGET (self->results_split));

  if (split <= 0)
    {
      int window_width, window_height;

      gtk_window_get_default_size (GTK_WINDOW (self), &window_width, &window_height);
      split = window_height - 50;   /* the header bar */
    }
  return MAX (MIN (height, split - DIAGRAM_RESERVE), AB_RESULTS_PANEL_MIN_HEIGHT);
}

static void
remember_height (AbWindow *self)
{
  int height = ab_results_panel_get_results_height (self->results_panel);

  if (height > 0 && !self->results_reserving)
    g_settings_set_int (self->settings, "results-height", height);
}

/* Once the results are open at their height: fix the divider there and
 * drop the reservation. */
static gboolean
settle_tick (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       data)
{
  AbWindow *self = AB_WINDOW (data);
  int height = ab_results_panel_get_results_height (self->results_panel);
  int min_position;

  if (height <= 0)
    return G_SOURCE_CONTINUE;
  g_object_get (self->results_split, "min-position", &min_position, NULL);
  if (height < self->results_reserved && gtk_paned_get_position (self->results_split) > min_position)
    return G_SOURCE_CONTINUE;
  gtk_paned_set_position (self->results_split, gtk_paned_get_position (self->results_split));
  ab_results_panel_reserve_height (self->results_panel, 0);
  self->results_reserving = FALSE;
  self->results_settle_id = 0;
  return G_SOURCE_REMOVE;
}

/* Let the results' (reserved) minimum place the divider again. */
static void
follow_results (AbWindow *self)
{
  self->results_reserving = TRUE;
  self->results_reserved = remembered_height (self);
  ab_results_panel_reserve_height (self->results_panel, self->results_reserved);
  g_object_set (self->results_split, "position-set", FALSE, NULL);
  if (self->results_settle_id == 0 && ab_results_panel_get_expanded (self->results_panel))
    self->results_settle_id = gtk_widget_add_tick_callback (GTK_WIDGET (self->results_split),
                                                            settle_tick, self, NULL);
}

/* Collapsing or expanding: the height was remembered when the divider
 * last rested (on_split_position). */
static void
on_results_expanded (AbWindow *self)
{
  follow_results (self);
}

/* The divider dragged while the results are collapsed would open a gap
 * below the bar: it stays. */
static void
on_split_position_set (AbWindow *self)
{
  gboolean set;

  g_object_get (self->results_split, "position-set", &set, NULL);
  if (set && !ab_results_panel_get_expanded (self->results_panel))
    g_object_set (self->results_split, "position-set", FALSE, NULL);
}

static gboolean
remember_height_timeout (gpointer data)
{
  AbWindow *self = AB_WINDOW (data);

  self->results_save_id = 0;
  remember_height (self);
  return G_SOURCE_REMOVE;
}

/* The divider moved: the user's height is remembered once it rests. */
static void
on_split_position (AbWindow *self)
{
  if (self->results_reserving || !ab_results_panel_get_expanded (self->results_panel))
    return;
  g_clear_handle_id (&self->results_save_id, g_source_remove);
  self->results_save_id = g_timeout_add (500, remember_height_timeout, self);
}

void
ab_window_init_results (AbWindow *self)
{
  g_signal_connect_object (self->results_panel, "notify::expanded",
                           G_CALLBACK (on_results_expanded), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->results_split, "notify::position-set",
                           G_CALLBACK (on_split_position_set), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->results_split, "notify::position",
                           G_CALLBACK (on_split_position), self, G_CONNECT_SWAPPED);
  follow_results (self);
}

void
ab_window_save_results (AbWindow *self)
{
  g_clear_handle_id (&self->results_save_id, g_source_remove);
  remember_height (self);
}
