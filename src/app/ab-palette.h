/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbPalette: every component kind of the catalog, with icon, name and a
 * one-line explanation; drag a row onto the canvas or activate it. */
#pragma once

#include <adwaita.h>

#include "ab-problem.h"

G_BEGIN_DECLS

#define AB_TYPE_PALETTE (ab_palette_get_type ())
G_DECLARE_FINAL_TYPE (AbPalette, ab_palette, AB, PALETTE, AdwBin)

GtkWidget *ab_palette_new         (void);
/* The kinds the problem lists as available come first. */
void       ab_palette_set_problem (AbPalette *self,
                                   AbProblem *problem);
void       ab_palette_focus       (AbPalette *self);

/* Signals:
 *   "kind-activated" (int kind)   a row was clicked or activated with Enter
 */

G_END_DECLS
