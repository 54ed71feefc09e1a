/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbProblemBrowser: the start view — every shipped problem with its
 * difficulty and progress, search and a difficulty filter, and the
 * recently used designs. */
#pragma once

#include <adwaita.h>

#include "ab-problem.h"

G_BEGIN_DECLS

#define AB_TYPE_PROBLEM_BROWSER (ab_problem_browser_get_type ())
G_DECLARE_FINAL_TYPE (AbProblemBrowser, ab_problem_browser, AB, PROBLEM_BROWSER, AdwBin)

GtkWidget *ab_problem_browser_new          (void);
/* Progress per problem is read from the "progress" key of @settings and
 * follows its changes. */
void       ab_problem_browser_set_settings (AbProblemBrowser *self,
                                            GSettings        *settings);
void       ab_problem_browser_focus_search (AbProblemBrowser *self);

/* Signals:
 *   "problem-activated" (AbProblem *problem)
 *   "file-activated"    (GFile *file)        a recent design
 *   "open-requested"    ()                   the "Open…" button
 */

G_END_DECLS
