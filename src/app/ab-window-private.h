/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbWindow's instance struct and the functions its files share
 * (ab-window.c, ab-window-actions.c, ab-window-dnd.c, ab-window-files.c,
 * ab-window-results.c, ab-window-sim.c). */
#pragma once

#include "ab-canvas.h"
#include "ab-checks-panel.h"
#include "ab-document.h"
#include "ab-inspector.h"
#include "ab-palette.h"
#include "ab-problem-browser.h"
#include "ab-problem-panel.h"
#include "ab-results-panel.h"
#include "ab-window.h"

G_BEGIN_DECLS

struct _AbWindow
{
  AdwApplicationWindow parent_instance;

  /* template children */
  AdwToastOverlay   *toast_overlay;
  AdwHeaderBar      *header_bar;
  AdwWindowTitle    *window_title;
  GtkWidget         *editor_start_box;
  GtkWidget         *editor_end_box;
  GtkWidget         *undo_button;
  GtkWidget         *redo_button;
  GtkToggleButton   *left_toggle;
  GtkToggleButton   *right_toggle;
  GtkStack          *main_stack;
  AbProblemBrowser  *browser;
  AdwFlap           *left_flap;
  AdwFlap           *right_flap;
  AbProblemPanel    *problem_panel;
  AbPalette         *palette;
  AbCanvas          *canvas;
  AbChecksPanel     *checks_panel;
  AbInspector       *inspector;
  AbResultsPanel    *results_panel;
  GtkPaned          *results_split;

  /* document: the panels follow self->document; design, problem and
   * file are the same objects, kept here for the window's own files */
  AbDocument        *document;
  AbDesign          *design;
  AbProblem         *problem;
  GFile             *file;
  gulong             design_changed_id;
  /* Restored from an autosave: unsaved until the next save. */
  gboolean           restored;

  /* autosave */
  guint              autosave_timeout_id;
  char              *autosave_path;
  gboolean           autosave_dirty;

  /* the results' height (ab-window-results.c): reserving it as their
   * minimum while they open, and the tick that ends that */
  gboolean           results_reserving;
  int                results_reserved;
  guint              results_settle_id;
  guint              results_save_id;

  /* Set once the user agreed to close despite unsaved changes. */
  gboolean           close_confirmed;
  GSettings         *settings;
};

/* ab-window-actions.c */
void     ab_window_init_actions      (AbWindow   *self);
void     ab_window_update_actions    (AbWindow   *self);

/* ab-window-sim.c: the live simulation's overlays on the canvas */
void     ab_window_init_sim          (AbWindow   *self);

/* ab-window-results.c: the split between the diagram and the results */
void     ab_window_init_results      (AbWindow   *self);
/* Remembers the results' height (when closing). */
void     ab_window_save_results      (AbWindow   *self);

/* ab-window-dnd.c */
void     ab_window_init_dnd          (AbWindow   *self);

/* ab-window-files.c */
void     ab_window_open_dialog       (AbWindow   *self);
void     ab_window_save              (AbWindow   *self,
                                      gboolean    close_after);
void     ab_window_save_as           (AbWindow   *self,
                                      gboolean    close_after);
void     ab_window_confirm_close     (AbWindow   *self);
void     ab_window_autosave_start    (AbWindow   *self);
void     ab_window_autosave_stop     (AbWindow   *self);
void     ab_window_autosave_remove   (AbWindow   *self);
void     ab_window_autosave_changed  (AbWindow   *self);
/* Writes the autosave file now; FALSE on error (logged). */
gboolean ab_window_autosave_now      (AbWindow   *self);

/* ab-window.c */
void     ab_window_update_title      (AbWindow   *self);
char    *ab_window_dup_display_name  (AbWindow   *self);
void     ab_window_set_file          (AbWindow   *self,
                                      GFile      *file);

G_END_DECLS
