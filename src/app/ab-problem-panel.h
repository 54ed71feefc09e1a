/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbProblemPanel: the problem statement beside the canvas — summary,
 * description, requirements, constants, hints revealed one at a time, and
 * the reference solution (reveal, open as a new document, compare). */
#pragma once

#include <adwaita.h>

#include "ab-design.h"
#include "ab-problem.h"

G_BEGIN_DECLS

#define AB_TYPE_PROBLEM_PANEL (ab_problem_panel_get_type ())
G_DECLARE_FINAL_TYPE (AbProblemPanel, ab_problem_panel, AB, PROBLEM_PANEL, AdwBin)

GtkWidget *ab_problem_panel_new         (void);
void       ab_problem_panel_set_problem (AbProblemPanel *self,
                                         AbProblem      *problem);
/* The learner's design, for "Compare With Mine". */
void       ab_problem_panel_set_design  (AbProblemPanel *self,
                                         AbDesign       *design);

/* Signals:
 *   "open-reference" (AbDesign *reference)   open it as a new document
 */

G_END_DECLS
