/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbChecksPanel: the tiers (checkpoints) of the document's problem, each
 * pass / fail with the reason of every rule, re-evaluated through
 * ab_tiers_evaluate on every change of the design; below them the
 * problem's performance checks from the document's simulation results.
 * Set its "document" (AbPanel). */
#pragma once

#include "ab-panel.h"

G_BEGIN_DECLS

#define AB_TYPE_CHECKS_PANEL (ab_checks_panel_get_type ())
G_DECLARE_FINAL_TYPE (AbChecksPanel, ab_checks_panel, AB, CHECKS_PANEL, AbPanel)

GtkWidget *ab_checks_panel_new          (void);
guint      ab_checks_panel_get_n_passed (AbChecksPanel *self);
guint      ab_checks_panel_get_n_tiers  (AbChecksPanel *self);

/* Properties: "n-passed", "n-tiers" (read-only; 0 without a problem
 * or a design). */
/* Signals:
 *   "report-changed" (guint passed, guint total)   after each evaluation
 */

G_END_DECLS
