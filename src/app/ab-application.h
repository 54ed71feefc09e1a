/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbApplication: the Archboard application — app-wide actions, command
 * line, settings, per-problem progress and crash recovery. */
#pragma once

#include <adwaita.h>

#include "ab-problem.h"

G_BEGIN_DECLS

#define AB_TYPE_APPLICATION (ab_application_get_type ())
G_DECLARE_FINAL_TYPE (AbApplication, ab_application, AB, APPLICATION, AdwApplication)

AbApplication *ab_application_new              (void);

GSettings     *ab_application_get_settings     (AbApplication *self);

/* Loads @file; on success shows it in an empty window (or a new one), on
 * failure shows the loader's error over @parent (which stays as it was). */
void           ab_application_open_file        (AbApplication *self,
                                                GFile         *file,
                                                GtkWindow     *parent);
/* Opens a new design for @problem in an empty window or a new one. */
void           ab_application_open_problem     (AbApplication *self,
                                                AbProblem     *problem,
                                                GtkWindow     *parent);
/* A window showing the problem browser. */
void           ab_application_show_browser     (AbApplication *self);

/* Remembers the best number of tiers passed for a problem. */
void           ab_application_record_progress  (AbApplication *self,
                                                const char    *problem_id,
                                                guint          passed,
                                                guint          total);
gboolean       ab_application_get_progress     (AbApplication *self,
                                                const char    *problem_id,
                                                guint         *passed,
                                                guint         *total);

/* Adds @file to the recently used files (shown in the start view). */
void           ab_application_add_recent       (GFile         *file);

/* Folder of the autosave files: g_get_user_data_dir()/archboard/autosave. */
char          *ab_application_get_autosave_dir (void);

G_END_DECLS
