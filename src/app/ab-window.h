/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbWindow: one design per window — header bar, problem panel and palette
 * on the left, the canvas in the middle, checks and inspector on the
 * right; or, before a design is chosen, the problem browser. */
#pragma once

#include <adwaita.h>

#include "ab-application.h"
#include "ab-design.h"
#include "ab-problem.h"

G_BEGIN_DECLS

#define AB_TYPE_WINDOW (ab_window_get_type ())
G_DECLARE_FINAL_TYPE (AbWindow, ab_window, AB, WINDOW, AdwApplicationWindow)

AbWindow  *ab_window_new            (AbApplication *application);

/* Shows the start view (problem browser, recent designs). */
void       ab_window_show_browser   (AbWindow      *self);
/* Starts an empty design for @problem. */
void       ab_window_new_design     (AbWindow      *self,
                                     AbProblem     *problem);
/* Shows @design, loaded from @file (NULL: never saved). */
void       ab_window_set_design     (AbWindow      *self,
                                     AbDesign      *design,
                                     GFile         *file);
/* Shows a design recovered from an autosave: it counts as modified until
 * saved; @original is where it was saved before, or NULL.  Autosaves it at
 * once: returns TRUE when that copy is written, so the autosave it was
 * recovered from may go (until then a second crash must not lose it). */
gboolean   ab_window_restore_design (AbWindow      *self,
                                     AbDesign      *design,
                                     GFile         *original);

/* TRUE when the window shows the browser, or an untouched new design:
 * opening something may reuse it. */
gboolean   ab_window_is_empty       (AbWindow      *self);
GFile     *ab_window_get_file       (AbWindow      *self);
AbDesign  *ab_window_get_design     (AbWindow      *self);
AbProblem *ab_window_get_problem    (AbWindow      *self);
/* TRUE if the design has changes that are not saved. */
gboolean   ab_window_is_modified    (AbWindow      *self);

void       ab_window_add_toast      (AbWindow      *self,
                                     const char    *text);

G_END_DECLS
