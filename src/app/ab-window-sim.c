/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The live simulation on the canvas: utilisation per component, the
 * bottleneck and the request rate of every connection, from the
 * document's latest results (the model at once, the simulation when it
 * finishes); hidden with the results panel's overlay toggle. */
#define G_LOG_DOMAIN "archboard"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "ab-window-private.h"

static char *
format_rate (double rps)
{
  if (rps >= 1e6)
    return g_strdup_printf (_("%.3gM/s"), rps / 1e6);
  if (rps >= 1e3)
    return g_strdup_printf (_("%.3gk/s"), rps / 1e3);
  return g_strdup_printf (_("%.3g/s"), rps);
}

static void
update_overlays (AbWindow *self)
{
  AbSimResults *results = ab_document_get_results (self->document);
  const AbSimSummary *s = results != NULL ? ab_sim_results_get_summary (results) : NULL;
  AbSimSetup *setup = results != NULL ? ab_sim_results_get_setup (results) : NULL;
  g_autoptr(GHashTable) util = NULL;
  g_autoptr(GHashTable) rates = NULL;
  const AbNetwork *network;

  if (s == NULL || setup == NULL || !ab_results_panel_get_show_overlays (self->results_panel))
    {
      ab_canvas_set_overlay (self->canvas, NULL, NULL, NULL);
      return;
    }
  network = ab_sim_setup_get_network (setup);
  util = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  rates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < s->n_stations; i++)
    if (s->reach[i] == AB_SIM_REACHED && network->stations[i].kind != AB_KIND_CLIENT
        && isfinite (s->utilisation[i]))
      g_hash_table_insert (util, g_strdup (network->stations[i].id), g_memdup2 (&s->utilisation[i], sizeof (double)));
  for (guint e = 0; e < s->n_connections; e++)
    if (isfinite (s->connection_rps[e]))
      g_hash_table_insert (rates, g_strdup (ab_sim_setup_get_connection_id (setup, e)),
                           format_rate (s->connection_rps[e]));
  ab_canvas_set_overlay (self->canvas, util,
                         s->bottleneck >= 0 ? network->stations[s->bottleneck].id : NULL,
                         rates);
}

static void
on_results_complete (AbSimResults *results,
                     GParamSpec   *pspec,
                     AbWindow     *self)
{
  if (results == ab_document_get_results (self->document))
    update_overlays (self);
}

static void
on_results (AbDocument *document,
            GParamSpec *pspec,
            AbWindow   *self)
{
  AbSimResults *results = ab_document_get_results (document);

  if (results != NULL)
    g_signal_connect_object (results, "notify::complete", G_CALLBACK (on_results_complete), self, 0);
  update_overlays (self);
}

static void
on_show_overlays (AbResultsPanel *panel,
                  GParamSpec     *pspec,
                  AbWindow       *self)
{
  update_overlays (self);
}

void
ab_window_init_sim (AbWindow *self)
{
  g_signal_connect_object (self->document, "notify::results", G_CALLBACK (on_results), self, 0);
  g_signal_connect_object (self->results_panel, "notify::show-overlays", G_CALLBACK (on_show_overlays), self, 0);
}
