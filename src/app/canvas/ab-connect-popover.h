/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbConnectPopover: the canvas' searchable "Connect to…" list.  Given a
 * design and the component to connect from, it lists the others (those
 * it may call first, then those it already calls, then those the catalog
 * does not allow) and says which one was chosen; the canvas makes the
 * connection. */
#pragma once

#include <gtk/gtk.h>

#include "ab-design.h"

G_BEGIN_DECLS

#define AB_TYPE_CONNECT_POPOVER (ab_connect_popover_get_type ())
G_DECLARE_FINAL_TYPE (AbConnectPopover, ab_connect_popover, AB, CONNECT_POPOVER, GtkPopover)

GtkWidget  *ab_connect_popover_new      (void);
/* Fills the list for connections from @from_id of @design, clears the
 * search and sets the title.  FALSE if @from_id is not in @design. */
gboolean    ab_connect_popover_populate (AbConnectPopover *self,
                                         AbDesign         *design,
                                         const char       *from_id);
/* The component connected from, NULL before the first populate. */
const char *ab_connect_popover_get_from (AbConnectPopover *self);

/* Signals:
 *   "chosen" (const char *from, const char *to)   a row was activated
 *       (or Return in the search took the first match); the popover has
 *       already closed.
 * Keyboard: typing filters, Down goes from the search into the list,
 * Return takes the first match, Escape closes. */

G_END_DECLS
