/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbPalette: every component kind of the catalog, with icon, name and a
 * one-line explanation; drag a row onto the canvas or activate it.  Set
 * its "document" (AbPanel): the kinds the document's problem lists as
 * available come first. */
#pragma once

#include "ab-panel.h"

G_BEGIN_DECLS

#define AB_TYPE_PALETTE (ab_palette_get_type ())
G_DECLARE_FINAL_TYPE (AbPalette, ab_palette, AB, PALETTE, AbPanel)

GtkWidget *ab_palette_new         (void);
void       ab_palette_focus       (AbPalette *self);

/* Signals:
 *   "kind-activated" (int kind)   a row was clicked or activated with Enter
 */

G_END_DECLS
