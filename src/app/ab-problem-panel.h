/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbProblemPanel: the problem statement beside the canvas — summary,
 * description, requirements, constants, hints revealed one at a time, and
 * the reference solution (reveal, open as a new document, compare).  Set
 * its "document" (AbPanel): it shows the document's problem and compares
 * the reference with the document's design. */
#pragma once

#include "ab-panel.h"

G_BEGIN_DECLS

#define AB_TYPE_PROBLEM_PANEL (ab_problem_panel_get_type ())
G_DECLARE_FINAL_TYPE (AbProblemPanel, ab_problem_panel, AB, PROBLEM_PANEL, AbPanel)

GtkWidget *ab_problem_panel_new (void);

/* Signals:
 *   "open-reference" (AbDesign *reference)   open it as a new document
 */

G_END_DECLS
