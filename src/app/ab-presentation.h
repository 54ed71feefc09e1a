/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbPresentation: a fullscreen window showing a design for a room: no
 * panes, the diagram fitted with large type and no editing chrome, tier
 * by tier (the components a tier needs appear as it is reached, with the
 * tier's name and rules as a caption), traffic dots flowing along the
 * connections at a speed that follows their request rate (analytical
 * model), a spotlight around the pointer, optional high contrast, and a
 * failure scenario (one component lost and greyed, the traffic as the
 * model says it flows without it).
 * Keys: Right / Down / Space / Page Down next tier, Left / Up /
 * BackSpace / Page Up previous, Home / End, F fail the next component
 * (then none), H high contrast, Escape leaves. */
#pragma once

#include <gtk/gtk.h>

#include "ab-design.h"
#include "ab-problem.h"

G_BEGIN_DECLS

#define AB_TYPE_PRESENTATION (ab_presentation_get_type ())
G_DECLARE_FINAL_TYPE (AbPresentation, ab_presentation, AB, PRESENTATION, GtkWindow)

/* Presents a copy of @design (later edits do not show).  @problem (may be
 * NULL) gives the tiers and the load; without one the design is shown
 * whole.  The window is fullscreen once presented. */
AbPresentation *ab_presentation_new         (GtkWindow       *parent,
                                             AbDesign        *design,
                                             AbProblem       *problem);

guint           ab_presentation_get_step    (AbPresentation  *self);
guint           ab_presentation_get_n_steps (AbPresentation  *self);
void            ab_presentation_set_step    (AbPresentation  *self,
                                             guint            step);
/* Components shown at the current step (ids, NULL-terminated). */
GStrv           ab_presentation_dup_visible (AbPresentation  *self);
/* Height in device pixels of the smallest card label as last drawn (0
 * before the first frame). */
double          ab_presentation_get_label_px (AbPresentation *self);

G_END_DECLS
