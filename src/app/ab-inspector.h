/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbInspector: properties of the selected component or connection.  Every
 * change is one undoable command on the design, committed when a field is
 * activated or loses focus, never per keystroke. */
#pragma once

#include <adwaita.h>

#include "ab-design.h"

G_BEGIN_DECLS

#define AB_TYPE_INSPECTOR (ab_inspector_get_type ())
G_DECLARE_FINAL_TYPE (AbInspector, ab_inspector, AB, INSPECTOR, AdwBin)

GtkWidget *ab_inspector_new           (void);
void       ab_inspector_set_design    (AbInspector        *self,
                                       AbDesign           *design);
/* Component and connection ids; shows one item's properties, or a
 * summary when several are selected. */
void       ab_inspector_set_selection (AbInspector        *self,
                                       const char * const *ids);
/* Moves the keyboard focus to the first field. */
void       ab_inspector_focus         (AbInspector        *self);
/* Commits edits still being typed. */
void       ab_inspector_commit        (AbInspector        *self);

G_END_DECLS
