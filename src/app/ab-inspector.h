/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbInspector: properties of the selected component or connection.  Every
 * change is one undoable command on the design, committed when a field is
 * activated or loses focus, never per keystroke.  Set its "document"
 * (AbPanel): it edits the document's design, and shows nothing selected
 * when the document's design changes. */
#pragma once

#include "ab-panel.h"

G_BEGIN_DECLS

#define AB_TYPE_INSPECTOR (ab_inspector_get_type ())
G_DECLARE_FINAL_TYPE (AbInspector, ab_inspector, AB, INSPECTOR, AbPanel)

GtkWidget *ab_inspector_new           (void);
/* Component and connection ids; shows one item's properties, or a
 * summary when several are selected. */
void       ab_inspector_set_selection (AbInspector        *self,
                                       const char * const *ids);
/* Moves the keyboard focus to the first field. */
void       ab_inspector_focus         (AbInspector        *self);
/* Commits edits still being typed. */
void       ab_inspector_commit        (AbInspector        *self);

/* Properties: "n-selected" (read-only), how many items the selection has. */

G_END_DECLS
