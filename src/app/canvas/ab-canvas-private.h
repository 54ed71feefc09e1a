/* SPDX-License-Identifier: GPL-3.0-or-later */
/* State shared by the files of AbCanvas: ab-canvas.c (drawing, layout,
 * document sync, public API), ab-canvas-input.c (pointer, keyboard, focus,
 * drop), ab-canvas-actions.c (keyboard commands as widget actions) and
 * ab-canvas-edit.c (inline rename, "Connect to..." popover). */
#pragma once

#include "ab-canvas.h"
#include "ab-canvas-item.h"
#include "ab-document.h"
#include "ab-render.h"

G_BEGIN_DECLS

#define AB_CANVAS_ZOOM_MIN 0.1
#define AB_CANVAS_ZOOM_MAX 4.0
#define AB_CANVAS_ZOOM_STEP 1.25
/* The smallest zoom a design opens at: the cards' names 7.2 px high
 * (13 px at zoom 1), their kind lines 6 px, still read.  At the 0.4
 * that fitted a large design into a 1024x700 window the kind lines were
 * bars (text under 4.5 px is drawn so); the first problem's reference
 * still opens whole at 1280x800 with both side panes (at 0.55). */
#define AB_CANVAS_FIT_MIN_ZOOM 0.55
/* How far a paste / duplicate lands from the original, design units. */
#define AB_CANVAS_PASTE_OFFSET (2 * AB_GRID_SIZE)
/* The clipboard type that carries a design fragment between windows. */
#define AB_CANVAS_FRAGMENT_MIME "application/x-archboard-fragment"

typedef enum {
  AB_DRAG_NONE,
  AB_DRAG_PENDING,    /* pressed on a component, not moved past the threshold */
  AB_DRAG_MOVE,
  AB_DRAG_CONNECT,
  AB_DRAG_RUBBER_BAND,
  AB_DRAG_PAN
} AbDragMode;

struct _AbCanvas
{
  GtkWidget        parent_instance;

  /* The document the canvas follows (may be NULL: tests, the demo), its
   * design (the document's, or one set directly), and the design's
   * "changed", followed through a signal group. */
  AbDocument      *document;
  GSignalGroup    *document_signals;
  AbDesign        *design;
  GSignalGroup    *design_signals;

  /* View: a design point p is drawn at (p - pan) * zoom. */
  double           zoom;
  double           pan_x, pan_y;
  gboolean         fit_pending;
  /* Zoomed to fit and not panned / zoomed by the user since: a new size
   * (the window settling, a side pane shown) fits again. */
  gboolean         auto_fit;
  int              fit_width, fit_height;
  /* The fit (pending or automatic) keeps the names readable: at
   * AB_CANVAS_FIT_MIN_ZOOM at least (the fit a design opens with), not
   * the whole design however small (Zoom to Fit). */
  gboolean         fit_readable;

  /* Set of selected component and connection ids (owned strings). */
  GHashTable      *selection;
  char            *focused_id;
  char            *hovered_id;

  /* id -> AbCanvasItem (one per component and connection). */
  GHashTable      *items;
  /* Connection ids whose item waits for its route midpoint. */
  GQueue          *route_queue;
  guint            route_idle_id;

  /* Pointer interaction. */
  AbDragMode       drag_mode;
  double           press_x, press_y;       /* widget coordinates */
  double           drag_x, drag_y;         /* current, widget coordinates */
  double           pan_start_x, pan_start_y;
  char            *press_id;               /* component / port pressed */
  gboolean         press_toggle;           /* Shift / Ctrl held at press */
  gboolean         press_was_selected;
  double           anchor_x, anchor_y;     /* pressed card's design origin */
  double           move_dx, move_dy;       /* snapped preview offset */
  gboolean         guide_x_active, guide_y_active;
  double           guide_x, guide_y;       /* design coordinates */
  char            *connect_target;
  GHashTable      *rubber_base;            /* selection before the band */
  gboolean         space_down;
  double           pointer_x, pointer_y;
  gboolean         has_pointer;
  AbHitKind        hover_hit;              /* what on_motion last found */
  double           pinch_zoom_start;
  const char      *cursor_name;            /* static string */

  /* Presentation and simulation overlay. */
  gboolean         presentation;
  GHashTable      *utilization;
  char            *bottleneck;
  GHashTable      *edge_rates;
  GHashTable      *dimmed;     /* simulation: id -> reason, no traffic */
  GHashTable      *failed;     /* simulation: lost in the failure phase */

  /* Inline rename: an AbRenameEntry, the id while renaming. */
  GtkWidget       *rename_entry;
  char            *rename_id;
  char            *pending_rename;         /* double-clicked, until release */

  /* "Connect to..." popover (AbConnectPopover) and the id it connects
   * from while open. */
  GtkWidget       *connect_popover;
  char            *connect_from;

  guint            paste_count;

  /* "Drag components here..." while the design is empty. */
  GtkWidget       *empty_hint;
};

/* ab-canvas.c */
void        ab_canvas_widget_to_design     (AbCanvas   *self,
                                            double      wx,
                                            double      wy,
                                            double     *dx,
                                            double     *dy);
void        ab_canvas_design_to_widget     (AbCanvas   *self,
                                            double      dx,
                                            double      dy,
                                            double     *wx,
                                            double     *wy);
void        ab_canvas_component_widget_rect (AbCanvas          *self,
                                             const AbComponent *component,
                                             graphene_rect_t   *out);
void        ab_canvas_zoom_at              (AbCanvas   *self,
                                            double      zoom,
                                            double      wx,
                                            double      wy);
void        ab_canvas_pan_by               (AbCanvas   *self,
                                            double      wdx,
                                            double      wdy);
void        ab_canvas_view_changed         (AbCanvas   *self);
void        ab_canvas_ensure_visible       (AbCanvas   *self,
                                            const char *id);
gboolean    ab_canvas_is_selected          (AbCanvas   *self,
                                            const char *id);
void        ab_canvas_select_only          (AbCanvas   *self,
                                            const char *id);
void        ab_canvas_toggle_selected      (AbCanvas   *self,
                                            const char *id);
void        ab_canvas_clear_selection      (AbCanvas   *self);
void        ab_canvas_replace_selection    (AbCanvas   *self,
                                            GHashTable *ids);
void        ab_canvas_emit_message         (AbCanvas   *self,
                                            const char *text);
void        ab_canvas_emit_activate        (AbCanvas   *self,
                                            const char *id);
GStrv       ab_canvas_selected_components  (AbCanvas   *self);
AbCanvasItem *ab_canvas_get_item           (AbCanvas   *self,
                                            const char *id);
void        ab_canvas_move_selection_by    (AbCanvas   *self,
                                            double      dx,
                                            double      dy);
/* Connects @from -> @to through the design; a refusal becomes a "message". */
gboolean    ab_canvas_try_connect          (AbCanvas   *self,
                                            const char *from,
                                            const char *to);
char       *ab_canvas_unique_label         (AbCanvas   *self,
                                            AbKind      kind);
/* What Return shows in the inspector: the focused item, else the only
 * selected item, else the first selected component; NULL if none. */
const char *ab_canvas_activation_target   (AbCanvas   *self);

/* Connection handles: canvas-only chrome (never in exports), one on each
 * side of the hovered card and of the only selected card, in widget
 * pixels so they are as easy to hit at every zoom. */
#define AB_CANVAS_HANDLE_RADIUS  8.0   /* drawn */
#define AB_CANVAS_HANDLE_HIT    13.0   /* hit radius */
#define AB_CANVAS_HANDLE_OFFSET 20.0   /* card edge to handle centre */
#define AB_CANVAS_BORDER_HIT     6.0   /* band inside a card's edge that connects too */

/* The handle under the widget point (wx, wy): TRUE and its component's
 * id (owned by the design). */
gboolean    ab_canvas_handle_at            (AbCanvas    *self,
                                            double       wx,
                                            double       wy,
                                            const char **id);
/* Widget point of handle @side (0 top, 1 right, 2 bottom, 3 left) of @id. */
gboolean    ab_canvas_handle_position      (AbCanvas    *self,
                                            const char  *id,
                                            int          side,
                                            double      *wx,
                                            double      *wy);

/* ab-canvas-actions.c */
void        ab_canvas_class_init_actions   (GtkWidgetClass *widget_class);
/* Enables the actions whose keys would do something now. */
void        ab_canvas_update_actions       (AbCanvas   *self);

/* ab-canvas-input.c */
void        ab_canvas_init_input           (AbCanvas   *self);
/* Drops a pointer drag in progress (its preview, guides, rubber band). */
void        ab_canvas_end_drag             (AbCanvas   *self);
gboolean    ab_canvas_focus_vfunc          (GtkWidget        *widget,
                                            GtkDirectionType  direction);
void        ab_canvas_focus_item           (AbCanvas   *self,
                                            const char *id);
/* The nearest component from @from_id in @direction (GTK_DIR_UP ...). */
const char *ab_canvas_find_nearest         (AbCanvas         *self,
                                            const char       *from_id,
                                            GtkDirectionType  direction);
/* Places a new component of @kind centred on the design point (x, y). */
const char *ab_canvas_place_component      (AbCanvas   *self,
                                            AbKind      kind,
                                            double      x,
                                            double      y);

/* ab-canvas-edit.c */
void        ab_canvas_begin_rename         (AbCanvas   *self,
                                            const char *id);
void        ab_canvas_commit_rename        (AbCanvas   *self);
void        ab_canvas_cancel_rename        (AbCanvas   *self);
void        ab_canvas_open_connect_popover (AbCanvas   *self,
                                            const char *from_id);
void        ab_canvas_close_connect_popover (AbCanvas  *self);
void        ab_canvas_allocate_popups      (AbCanvas   *self);

G_END_DECLS
