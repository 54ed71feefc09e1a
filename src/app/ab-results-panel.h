/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbResultsPanel: the live simulation at the bottom of the editor — the
 * scenario bar (scenario, failure target, rate, seed, run again, stop,
 * pin, overlays, progress), and, when expanded (remembered in GSettings),
 * the summary (per phase P50 / P95 / P99 and errors, maximum sustainable
 * rate, bottleneck and why, availability, cost per month by component)
 * beside the charts; with a pinned run, the pinned run's figure under each
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

GtkWidget  *ab_results_panel_new               (void);
gboolean    ab_results_panel_get_show_overlays (AbResultsPanel *self);

/* Properties: "document" (AbDocument), "show-overlays" (boolean, the
 * overlay toggle; remembered in GSettings). */

G_END_DECLS
