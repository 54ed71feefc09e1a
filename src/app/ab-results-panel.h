/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbResultsPanel: the live simulation at the bottom of the editor — the
 * scenario bar (scenario, failure target, rate, seed, run again, stop,
 * pin, overlays, progress), and, when expanded (remembered in GSettings),
 * the summary (per phase P50 / P95 / P99 and errors, maximum sustainable
 * rate, bottleneck and why, availability, cost per month by component)
 * beside the charts (one at a time, with a switch, when the panel is
 * too narrow for both); with a pinned run, the pinned run's figure under each
 * one and the difference in words ("2.8 ms better").  With nothing to
 * simulate (no component, no client, a design the simulation refuses) a
 * status page says what to add instead.  Shows what the document's
 * AbSimRunner returns; it computes no figure. */
#pragma once

#include <adwaita.h>

#include "ab-panel.h"

G_BEGIN_DECLS

#define AB_TYPE_RESULTS_PANEL (ab_results_panel_get_type ())
G_DECLARE_FINAL_TYPE (AbResultsPanel, ab_results_panel, AB, RESULTS_PANEL, AbPanel)

/* The least height of the results below the bar. */
#define AB_RESULTS_PANEL_MIN_HEIGHT 160

GtkWidget  *ab_results_panel_new                (void);
gboolean    ab_results_panel_get_show_overlays  (AbResultsPanel *self);
gboolean    ab_results_panel_get_expanded       (AbResultsPanel *self);
void        ab_results_panel_set_expanded       (AbResultsPanel *self,
                                                 gboolean        expanded);
/* The height the results (below the bar) have, 0 when they are not
 * fully shown. */
int         ab_results_panel_get_results_height (AbResultsPanel *self);
/* Makes the results at least @height high (AB_RESULTS_PANEL_MIN_HEIGHT
 * or less: only their minimum): how the window's split opens the panel
 * at the height the user last gave it. */
void        ab_results_panel_reserve_height     (AbResultsPanel *self,
                                                 int             height);

/* Properties: "document" (AbDocument), "show-overlays" (boolean, the
 * overlay toggle; remembered in GSettings), "expanded" (boolean, the
 * results shown below the bar; remembered in GSettings), "revealed"
 * (boolean, read-only: expanded and done opening). */

G_END_DECLS
