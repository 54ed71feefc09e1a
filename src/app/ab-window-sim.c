/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The live simulation on the canvas: utilisation per component, the
 * bottleneck and the request rate of every connection, from the
 * document's latest results (the model at once, the simulation when it
 * finishes); hidden with the results panel's overlay toggle. */
#define G_LOG_DOMAIN "archboard"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "ab-format.h"
#include "ab-records.h"
#include "ab-report.h"
#include "ab-verdict.h"
#include "ab-window-private.h"


/* What a standby waits for: the one it takes over from by name, or how
 * many (a replica several primaries fail over to). */
static char *
standby_note (AbSimSetup *setup,
              guint       standby)
{
  const AbNetwork *network = ab_sim_setup_get_network (setup);
  guint n = 0, first = 0;

  for (guint j = 0; j < network->n_stations; j++)
    if (network->stations[j].failover_to == (int) standby)
      {
        if (n++ == 0)
          first = j;
      }
  if (n == 1)
    /* Translators: under a component that only takes over when another
     * is lost; %s is that other component's name */
    return g_strdup_printf (_("Standby for %s"), ab_sim_setup_get_label (setup, first));
  /* Translators: under a component that several others fail over to */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Standby for %u component", "Standby for %u components", n), n);
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
      ab_canvas_set_overlay_states (self->canvas, NULL, NULL);
      return;
    }
  network = ab_sim_setup_get_network (setup);
  util = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  rates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < s->n_stations; i++)
    if (s->reach[i] == AB_SIM_REACHED && network->stations[i].kind != AB_KIND_CLIENT
        && isfinite (s->utilization[i]))
      g_hash_table_insert (util, g_strdup (network->stations[i].id), g_memdup2 (&s->utilization[i], sizeof (double)));
  for (guint e = 0; e < s->n_connections; e++)
    if (isfinite (s->connection_rps[e]))
      g_hash_table_insert (rates, g_strdup (ab_sim_setup_get_connection_id (setup, e)),
                           ab_format_rate_short (s->connection_rps[e]));
  /* the summary names none where nothing does the requests' work (the
   * results panel asks for a server) */
  ab_canvas_set_overlay (self->canvas, util,
                         s->bottleneck >= 0 ? network->stations[s->bottleneck].id : NULL,
                         rates);

  /* components without traffic, and the one the failure phase loses */
  {
    g_autoptr(GHashTable) dimmed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    g_autoptr(GHashTable) failed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    g_autofree char *scenario = NULL;

    /* the lost component is greyed when the failure is what is looked at
     * (the failure scenario), not over the normal phase of the timeline */
    g_object_get (ab_document_get_runner (self->document), "scenario", &scenario, NULL);

    for (guint i = 0; i < s->n_stations; i++)
      {
        if (s->reach[i] == AB_SIM_UNREACHED_NO_CALLER)
          g_hash_table_insert (dimmed, g_strdup (network->stations[i].id), g_strdup (_("No client reaches it")));
        else if (s->reach[i] == AB_SIM_UNREACHED_NO_LOAD)
          g_hash_table_insert (dimmed, g_strdup (network->stations[i].id), g_strdup (_("The workload sends it nothing")));
        else if (s->reach[i] == AB_SIM_STANDBY)
          g_hash_table_insert (dimmed, g_strdup (network->stations[i].id), standby_note (setup, i));
        if (s->failed[i] && g_strcmp0 (scenario, "failure") == 0)
          g_hash_table_insert (failed, g_strdup (network->stations[i].id), GINT_TO_POINTER (1));
      }
    ab_canvas_set_overlay_states (self->canvas, dimmed, failed);
  }
}

/* The report needs a finished simulation. */
static void
update_report_action (AbWindow *self)
{
  AbSimResults *results = ab_document_get_results (self->document);
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "export-report");

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action),
                               results != NULL && ab_sim_results_get_des (results) != NULL);
}

static void
on_report_file (GtkNativeDialog *dialog,
                int              response,
                AbWindow        *self)
{
  AbSimResults *results = ab_document_get_results (self->document);
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  AbReportData report;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_object_unref (dialog);
  if (file == NULL)
    return;
  path = g_file_get_path (file);
  if (results == NULL || ab_sim_results_get_des (results) == NULL || path == NULL)
    {
      ab_window_add_toast (self, _("The simulation changed: export the report again once it has finished"));
      return;
    }
  report.design = ab_document_get_design (self->document);
  report.problem = ab_document_get_problem (self->document);
  report.setup = ab_sim_results_get_setup (results);
  report.summary = ab_sim_results_get_des (results);
  report.points = ab_sim_results_get_points (results);
  if (!ab_report_write_pdf (&report, path, &error))
    ab_window_add_toast (self, error->message);
  else
    ab_window_add_toast (self, _("Report exported"));
}

static void
export_report_activated (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  AbWindow *self = AB_WINDOW (user_data);
  GtkFileChooserNative *dialog;
  g_autofree char *name = ab_window_dup_display_name (self);
  g_autofree char *stem = NULL;
  g_autofree char *suggested = NULL;
  char *dot;

  stem = g_strdup (name);
  if ((dot = strrchr (stem, '.')) != NULL)
    *dot = '\0';
  /* Translators: suggested file name of the PDF report, %s is the design's */
  suggested = g_strdup_printf (_("%s report.pdf"), stem);
  dialog = gtk_file_chooser_native_new (_("Export PDF Report"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), suggested);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_report_file), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* A finished simulation of the learner's own design counts for the
 * problem browser: solved by the core's verdict (the same as
 * `archboard-cli check`), its P95 when it is a whole design (every tier
 * passes, every component is reached: a half-built design's P95, a
 * client and a load balancer, would stand as a "best P95" no real answer
 * can beat) and, when solved, its cost. */
static void
record_result (AbWindow     *self,
               AbSimResults *results)
{
  AbProblem *problem = ab_document_get_problem (self->document);
  AbDesign *design = ab_document_get_design (self->document);
  const AbSimSummary *des = ab_sim_results_get_des (results);
  g_autoptr(AbVerdict) verdict = NULL;
  g_autoptr(GError) error = NULL;
  const AbSimPhase *normal;

  if (problem == NULL || design == NULL || des == NULL || des->n_phases == 0)
    return;
  /* a reference solution opened as a document is not the learner's */
  if (g_object_get_data (G_OBJECT (design), "ab-reference") != NULL)
    return;
  verdict = ab_verdict_compute (problem, design, NULL, &error);
  if (verdict == NULL)
    {
      g_warning ("Verdict: %s", error->message);
      return;
    }
  normal = &des->phases[des->normal];
  ab_records_add (self->settings, problem->id, verdict->solved,
                  verdict->tiers_pass && verdict->connected ? normal->latency[AB_N_CLASSES].p95_ms.value : NAN,
                  des->cost->per_month);
}

static void
on_results_complete (AbSimResults *results,
                     GParamSpec   *pspec,
                     AbWindow     *self)
{
  if (results == ab_document_get_results (self->document))
    {
      update_overlays (self);
      update_report_action (self);
      if (ab_sim_results_get_complete (results))
        record_result (self, results);
    }
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
  update_report_action (self);
}

static void
on_show_overlays (AbResultsPanel *panel,
                  GParamSpec     *pspec,
                  AbWindow       *self)
{
  update_overlays (self);
}

static const GActionEntry sim_actions[] = {
  { "export-report", export_report_activated },
};

void
ab_window_init_sim (AbWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), sim_actions, G_N_ELEMENTS (sim_actions), self);
  update_report_action (self);
  g_signal_connect_object (self->document, "notify::results", G_CALLBACK (on_results), self, 0);
  g_signal_connect_object (self->results_panel, "notify::show-overlays", G_CALLBACK (on_show_overlays), self, 0);
}
