/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbChecksPanel: the problem's tiers (checkpoints), each pass / fail with
 * the reason of every rule, re-evaluated through ab_tiers_evaluate on
 * every change of the design. */
#pragma once

#include <adwaita.h>

#include "ab-design.h"
#include "ab-problem.h"

G_BEGIN_DECLS

#define AB_TYPE_CHECKS_PANEL (ab_checks_panel_get_type ())
G_DECLARE_FINAL_TYPE (AbChecksPanel, ab_checks_panel, AB, CHECKS_PANEL, AdwBin)

GtkWidget *ab_checks_panel_new          (void);
void       ab_checks_panel_set_problem  (AbChecksPanel *self,
                                         AbProblem     *problem);
void       ab_checks_panel_set_design   (AbChecksPanel *self,
                                         AbDesign      *design);
guint      ab_checks_panel_get_n_passed (AbChecksPanel *self);

/* Signals:
 *   "report-changed" (guint passed, guint total)   after each evaluation
 */

G_END_DECLS
