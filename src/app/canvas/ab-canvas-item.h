/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbCanvasItem: an invisible, focusable child of AbCanvas standing for one
 * component or connection, so keyboard focus and the accessibility tree
 * have a real widget per diagram item (GTK 4.8 has no custom
 * GtkAccessible objects). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define AB_TYPE_CANVAS_ITEM (ab_canvas_item_get_type ())
G_DECLARE_FINAL_TYPE (AbCanvasItem, ab_canvas_item, AB, CANVAS_ITEM, GtkWidget)

GtkWidget  *ab_canvas_item_new            (const char   *id,
                                           gboolean      is_connection);
const char *ab_canvas_item_get_id         (AbCanvasItem *self);
gboolean    ab_canvas_item_is_connection  (AbCanvasItem *self);
/* The accessible label ("Blog API, App server, 3 instances, calls ..."). */
const char *ab_canvas_item_get_label      (AbCanvasItem *self);
/* Updates the label and the accessible name; TRUE if it changed. */
gboolean    ab_canvas_item_set_label      (AbCanvasItem *self,
                                           const char   *label);
/* Where the item sits, in design coordinates (the canvas maps it to the
 * widget on every layout). */
void        ab_canvas_item_set_bounds     (AbCanvasItem          *self,
                                           const graphene_rect_t *bounds);
void        ab_canvas_item_get_bounds     (AbCanvasItem          *self,
                                           graphene_rect_t       *bounds);

/* Mirrors the canvas selection into the accessible "selected" state. */
void        ab_canvas_item_set_selected   (AbCanvasItem *self,
                                           gboolean      selected);
gboolean    ab_canvas_item_get_selected   (AbCanvasItem *self);

/* Connections: the end points the item's position was computed for, so the
 * canvas re-routes only connections whose cards moved.  Returns TRUE (and
 * remembers @key) when @key differs from the stored one. */
gboolean    ab_canvas_item_update_route_key (AbCanvasItem *self,
                                             const double  key[4]);
void        ab_canvas_item_invalidate_route (AbCanvasItem *self);

G_END_DECLS
