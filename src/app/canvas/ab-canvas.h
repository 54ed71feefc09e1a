/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbCanvas: the diagram editor widget.  Draws through src/render, edits
 * the AbDesign only through its undoable commands. */
#pragma once

#include <gtk/gtk.h>

#include "ab-design.h"
#include "ab-document.h"

G_BEGIN_DECLS

/* Palette drag-and-drop: the palette offers a GdkContentProvider of
 * G_TYPE_STRING whose value is "archboard-kind:" followed by the kind id,
 * e.g. "archboard-kind:cache".  The canvas' GtkDropTarget accepts it and
 * places the component where it was dropped. */
#define AB_CANVAS_DND_PREFIX "archboard-kind:"

#define AB_TYPE_CANVAS (ab_canvas_get_type ())
G_DECLARE_FINAL_TYPE (AbCanvas, ab_canvas, AB, CANVAS, GtkWidget)

GtkWidget  *ab_canvas_new                 (void);

/* The document the canvas shows and edits: it follows the document's
 * design as it changes (a GSignalGroup on the document). */
void        ab_canvas_set_document        (AbCanvas   *self,
                                           AbDocument *document);
AbDocument *ab_canvas_get_document        (AbCanvas   *self);
/* A design without a document (the canvas demo, tests, benchmarks).  With
 * a document set, the next change of its design replaces this one. */
void        ab_canvas_set_design          (AbCanvas   *self,
                                           AbDesign   *design);
AbDesign   *ab_canvas_get_design          (AbCanvas   *self);

/* Selected component and connection ids (NULL-terminated, free with
 * g_strfreev). */
GStrv       ab_canvas_get_selection       (AbCanvas   *self);
void        ab_canvas_set_selection       (AbCanvas   *self,
                                           const char * const *ids);

/* Places a new component of @kind at the centre of the visible area,
 * selects it, and returns its id. */
const char *ab_canvas_add_component       (AbCanvas   *self,
                                           AbKind      kind);

void        ab_canvas_zoom_in             (AbCanvas   *self);
void        ab_canvas_zoom_out            (AbCanvas   *self);
void        ab_canvas_zoom_reset          (AbCanvas   *self);
/* The whole design, however small (the Zoom to Fit action). */
void        ab_canvas_zoom_to_fit         (AbCanvas   *self);
/* The fit a design opens with: the whole design when it fits at
 * a zoom its names read at, else at that zoom its left part (where the
 * requests come in), centred vertically; the rest a pan away. */
void        ab_canvas_zoom_to_fit_readable (AbCanvas  *self);
void        ab_canvas_zoom_to_selection   (AbCanvas   *self);
double      ab_canvas_get_zoom            (AbCanvas   *self);

void        ab_canvas_select_all          (AbCanvas   *self);
void        ab_canvas_delete_selection    (AbCanvas   *self);
void        ab_canvas_duplicate_selection (AbCanvas   *self);
void        ab_canvas_copy_selection      (AbCanvas   *self);  /* to the clipboard */
void        ab_canvas_paste               (AbCanvas   *self);  /* from the clipboard */
/* Starts inline rename of the selected / focused component. */
void        ab_canvas_rename_selection    (AbCanvas   *self);
/* Opens the "Connect to..." popover for the focused component. */
void        ab_canvas_connect_from_focus  (AbCanvas   *self);

/* Presentation: larger text, no grid. */
void        ab_canvas_set_presentation    (AbCanvas   *self,
                                           gboolean    presentation);
/* Simulation overlay (may be NULL): id -> double utilisation; bottleneck id;
 * connection id -> char* rate label. The canvas takes references. */
void        ab_canvas_set_overlay         (AbCanvas   *self,
                                           GHashTable *utilization,
                                           const char *bottleneck,
                                           GHashTable *edge_rates);
/* Simulation states (may be NULL): id -> reason of components that get no
 * traffic (drawn faded), and the set lost in the failure phase. */
void        ab_canvas_set_overlay_states  (AbCanvas   *self,
                                           GHashTable *dimmed,
                                           GHashTable *failed);

/* Properties: "document" (AbDocument), "design" (AbDesign), "zoom"
 * (double, read-only; notify::zoom to show the zoom level),
 * "presentation" (gboolean).
 *
 * Keyboard on the canvas: Tab / Shift+Tab move focus between components
 * (then connections).  The commands are widget actions with key bindings
 * (enabled only when they apply, so other keys go on to the window):
 *   canvas.focus-move ("left" ...)  arrow keys: focus the nearest component
 *   canvas.nudge ((dx, dy))         Alt+arrows: move the selection a grid step
 *   canvas.activate                 Return: "activate-item" for the inspector
 *   canvas.rename                   F2: inline rename
 *   canvas.delete                   Delete, BackSpace
 *   canvas.connect                  C, Ctrl+K: "Connect to..."
 *   canvas.cancel                   Escape: drop a drag, else clear the selection
 * Space held while dragging pans.
 *
 * Signals:
 *   "selection-changed" ()
 *   "activate-item" (const char *id)   Enter / double-click on a connection:
 *                                      the window shows the inspector.
 *   "message" (const char *text)       something to tell the user (a
 *                                      refused connection): the window
 *                                      shows a toast.
 */

G_END_DECLS
