/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbRenameEntry: the entry the canvas lays over a card to rename it in
 * place.  It knows nothing of designs: it edits a text for an id and
 * says how the edit ended; the canvas applies the name. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define AB_TYPE_RENAME_ENTRY (ab_rename_entry_get_type ())
G_DECLARE_FINAL_TYPE (AbRenameEntry, ab_rename_entry, AB, RENAME_ENTRY, GtkEntry)

GtkWidget  *ab_rename_entry_new     (void);
/* Shows the entry with @text all selected and focuses it, editing the
 * name of @id. */
void        ab_rename_entry_start   (AbRenameEntry *self,
                                     const char    *id,
                                     const char    *text);
/* The id being renamed, NULL when not editing. */
const char *ab_rename_entry_get_id  (AbRenameEntry *self);
/* Ends the edit now (hides the entry): emits "done" with @commit. */
void        ab_rename_entry_finish  (AbRenameEntry *self,
                                     gboolean       commit);

/* Signals:
 *   "done" (const char *id, const char *text, gboolean commit)
 *       once per start: Return or the focus leaving commit (text is the
 *       stripped new name), Escape cancels.  The handler hides the entry
 *       and places the focus.
 */

G_END_DECLS
