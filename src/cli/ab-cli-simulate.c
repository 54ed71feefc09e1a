/* SPDX-License-Identifier: GPL-3.0-or-later */
/* archboard-cli simulate: what a design does under its problem's load,
 * by the analytical model and / or the discrete-event simulation, as a
 * table, JSON (the shape of issue 3) or the time series as CSV. */
#define G_LOG_DOMAIN "archboard-cli"

#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "ab-cli.h"
#include "ab-format.h"
#include "ab-json-write.h"
#include "ab-sim-api.h"
#include "ab-sim-summary.h"
#include "ab-verdict.h"

/* ---- JSON: everything from the summary (src/core/ab-sim-summary.c), the
 * figures the window and the report show ---- */

/* @name's value, and with @interval its 95 % confidence interval as
 * NAME_ci_low and NAME_ci_high (null: none could be computed) */
static void
add_estimate (JsonBuilder      *b,
              const char       *name,
              const AbEstimate *e,
              gboolean          interval)
{
  gboolean known = e->ci > 0.0 && isfinite (e->ci_low) && isfinite (e->ci_high);
  g_autofree char *low = g_strconcat (name, "_ci_low", NULL);
  g_autofree char *high = g_strconcat (name, "_ci_high", NULL);

  ab_cli_json_add_number (b, name, e->value);
  if (!interval)
    return;
  ab_cli_json_add_number (b, low, known ? e->ci_low : NAN);
  ab_cli_json_add_number (b, high, known ? e->ci_high : NAN);
}

/* a class's latency; the DES's (@interval) with each figure's interval */
static void
add_latency (JsonBuilder          *b,
             const char           *name,
             const AbLatencyStats *l,
             gboolean              interval)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  add_estimate (b, "mean_ms", &l->mean_ms, interval);
  add_estimate (b, "p50_ms", &l->p50_ms, interval);
  add_estimate (b, "p95_ms", &l->p95_ms, interval);
  add_estimate (b, "p99_ms", &l->p99_ms, interval);
  json_builder_end_object (b);
}

static double
member_double (JsonObject *o,
               const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || JSON_NODE_HOLDS_NULL (n) || !JSON_NODE_HOLDS_VALUE (n))
    return NAN;
  return json_node_get_double (n);
}

static void
add_edges (JsonBuilder      *b,
           const AbSimSetup *setup,
           const AbSimPhase *ph)
{
  guint nc = ab_sim_setup_get_n_connections (setup);

  json_builder_set_member_name (b, "edges");
  json_builder_begin_array (b);
  for (guint e = 0; e < nc; e++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, ab_sim_setup_get_connection_id (setup, e));
      json_builder_set_member_name (b, "from");
      json_builder_add_string_value (b, ab_sim_setup_get_connection_from (setup, e));
      json_builder_set_member_name (b, "to");
      json_builder_add_string_value (b, ab_sim_setup_get_connection_to (setup, e));
      ab_cli_json_add_number (b, "read_rps", ph->connection_read_rps[e]);
      ab_cli_json_add_number (b, "write_rps", ph->connection_write_rps[e]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
add_cost (JsonBuilder        *b,
          const AbSimSetup   *setup,
          const AbSimSummary *s)
{
  const AbNetwork *network = ab_sim_setup_get_network (setup);
  const AbPricing *pricing = ab_sim_setup_get_pricing (setup);
  const AbCost *cost = s->cost;

  json_builder_set_member_name (b, "cost");
  json_builder_begin_object (b);
  ab_cli_json_add_number (b, "per_hour", cost->per_hour);
  ab_cli_json_add_number (b, "per_month", cost->per_month);
  json_builder_set_member_name (b, "pricing");
  json_builder_add_string_value (b, ab_pricing_get_id (pricing));
  json_builder_set_member_name (b, "pricing_date");
  json_builder_add_string_value (b, ab_pricing_get_date (pricing));
  json_builder_set_member_name (b, "by_component");
  json_builder_begin_object (b);
  for (guint i = 0; i < cost->n_stations; i++)
    ab_cli_json_add_number (b, network->stations[i].id, cost->items[i].total);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "breakdown");
  json_builder_begin_object (b);
  for (guint i = 0; i < cost->n_stations; i++)
    {
      json_builder_set_member_name (b, network->stations[i].id);
      json_builder_begin_object (b);
      ab_cli_json_add_number (b, "compute", cost->items[i].compute);
      ab_cli_json_add_number (b, "storage", cost->items[i].storage);
      ab_cli_json_add_number (b, "requests", cost->items[i].requests);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
}

/* @name (the station id, null for none) and "@name_label" (the
 * component's label, null when it has none) */
static void
add_station (JsonBuilder      *b,
             const char       *name,
             const AbSimSetup *setup,
             int               station)
{
  const char *label = station >= 0 ? ab_sim_setup_get_own_label (setup, (guint) station) : NULL;
  g_autofree char *label_name = g_strconcat (name, "_label", NULL);

  json_builder_set_member_name (b, name);
  if (station >= 0)
    json_builder_add_string_value (b, ab_sim_setup_get_network (setup)->stations[station].id);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, label_name);
  if (label != NULL)
    json_builder_add_string_value (b, label);
  else
    json_builder_add_null_value (b);
}

static void
add_phase (JsonBuilder        *b,
           const AbSimSetup   *setup,
           const AbSimSummary *s,
           const AbSimPhase   *ph)
{
  const AbNetwork *network = ab_sim_setup_get_network (setup);
  gboolean des = s->method == AB_SIM_METHOD_DES;
  static const char *const names[] = { "read", "write", "all" };

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, ph->name);
  ab_cli_json_add_number (b, "multiplier", ph->multiplier);
  /* false: a DES run spent its sample budget before this phase; its
   * figures are null (docs/simulation.md, "Output") */
  json_builder_set_member_name (b, "simulated");
  json_builder_add_boolean_value (b, ph->simulated);
  ab_cli_json_add_number (b, "offered_rps", ph->offered_rps);
  ab_cli_json_add_number (b, "served_rps", ph->served_rps);
  ab_cli_json_add_number (b, "error_rate", ph->error_rate);
  if (des)
    {
      /* its 95 % confidence interval (null: none) */
      ab_cli_json_add_number (b, "error_rate_ci_low", ph->error_ci_low);
      ab_cli_json_add_number (b, "error_rate_ci_high", ph->error_ci_high);
    }
  add_station (b, "bottleneck", setup, ph->bottleneck);
  ab_cli_json_add_number (b, "bottleneck_utilization", ph->bottleneck_utilization);
  ab_cli_json_add_number (b, "lag_ms", ph->lag_ms);
  ab_cli_json_add_number (b, "lag_slowest_ms", ph->lag_slowest_ms);
  add_station (b, "lag_slowest", setup, ph->lag_slowest);
  ab_cli_json_add_number (b, "background_rps", ph->background_rps);
  ab_cli_json_add_number (b, "background_error_rate", ph->background_error_rate);
  if (des)
    {
      json_builder_set_member_name (b, "requests");
      json_builder_add_int_value (b, (gint64) ph->requests);
      ab_cli_json_add_number (b, "duration_s", ph->duration_s);
      ab_cli_json_add_number (b, "simulated_s", ph->simulated_s);
      json_builder_set_member_name (b, "windows");
      json_builder_add_int_value (b, ph->windows);
    }
  for (int k = 0; k <= AB_N_CLASSES; k++)
    add_latency (b, names[k], &ph->latency[k], des);
  json_builder_set_member_name (b, "components");
  json_builder_begin_array (b);
  for (guint i = 0; i < s->n_stations; i++)
    {
      const AbSimStation *st = &ph->stations[i];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, network->stations[i].id);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, ab_kind_to_string (network->stations[i].kind));
      ab_cli_json_add_number (b, "instances", st->instances);
      ab_cli_json_add_number (b, "utilization", st->utilization);
      ab_cli_json_add_number (b, "queue_length", st->queue_length);
      ab_cli_json_add_number (b, "offered_rps", st->offered_rps);
      ab_cli_json_add_number (b, "served_rps", st->served_rps);
      ab_cli_json_add_number (b, "capacity_rps", st->capacity_rps);
      ab_cli_json_add_number (b, "sojourn_ms", st->sojourn_ms);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  add_edges (b, setup, ph);
  json_builder_end_object (b);
}

static void
add_series (JsonBuilder *b,
            GPtrArray   *points,
            gboolean     des)
{
  json_builder_set_member_name (b, "series");
  json_builder_begin_array (b);
  for (guint i = 0; i < points->len; i++)
    {
      const AbSimPoint *pt = points->pdata[i];

      json_builder_begin_object (b);
      ab_cli_json_add_number (b, "t", pt->t_s);
      ab_cli_json_add_number (b, "offered_rps", pt->offered_rps);
      ab_cli_json_add_number (b, "served_rps", pt->served_rps);
      ab_cli_json_add_number (b, "errors", pt->errors_rps);
      ab_cli_json_add_number (b, "p50_ms", pt->p50_ms);
      ab_cli_json_add_number (b, "p95_ms", pt->p95_ms);
      ab_cli_json_add_number (b, "p99_ms", pt->p99_ms);
      ab_cli_json_add_number (b, "cost_per_hour", pt->cost_per_hour);
      if (des)
        {
          /* a skipped stretch of a windowed run: fluid model and
           * interpolation */
          json_builder_set_member_name (b, "estimated");
          json_builder_add_boolean_value (b, pt->estimated);
          ab_cli_json_add_number (b, "coverage", pt->coverage);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

/* One method's result: @points is the time series (AbSimPoint*). */
static JsonNode *
summary_to_json (const AbSimSetup   *setup,
                 const AbSimSummary *s,
                 GPtrArray          *points)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gboolean des = s->method == AB_SIM_METHOD_DES;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "phases");
  json_builder_begin_array (b);
  for (guint p = 0; p < s->n_phases; p++)
    add_phase (b, setup, s, &s->phases[p]);
  json_builder_end_array (b);
  /* null: no finite limit, or nothing serves the requests (ends_at_once) */
  ab_cli_json_add_number (b, "max_sustainable_rps", s->max_sustainable_rps);
  json_builder_set_member_name (b, "ends_at_once");
  json_builder_add_boolean_value (b, ab_verdict_all_end_at_once (ab_sim_setup_get_network (setup)));
  ab_cli_json_add_number (b, "availability", s->availability);
  {
    g_autofree char *background = ab_sim_summary_background_text (s, setup);

    json_builder_set_member_name (b, "background");
    if (background != NULL)
      json_builder_add_string_value (b, background);
    else
      json_builder_add_null_value (b);
  }
  {
    g_autofree char *latency = ab_sim_summary_latency_text (s, setup);

    /* null: users' latency holds in every phase */
    json_builder_set_member_name (b, "latency_growth");
    if (latency != NULL)
      json_builder_add_string_value (b, latency);
    else
      json_builder_add_null_value (b);
  }
  add_cost (b, setup, s);
  json_builder_set_member_name (b, "checks");
  ab_cli_json_add_checks (b, ab_sim_setup_get_problem (setup) != NULL ? s->checks : NULL);
  if (des)
    {
      json_builder_set_member_name (b, "replications");
      json_builder_add_int_value (b, s->replications);
      json_builder_set_member_name (b, "events");
      json_builder_add_int_value (b, (gint64) s->events);
      json_builder_set_member_name (b, "visits");
      json_builder_add_int_value (b, (gint64) s->visits);
      json_builder_set_member_name (b, "budget");
      json_builder_add_int_value (b, (gint64) s->budget);
      json_builder_set_member_name (b, "windowed");
      json_builder_add_boolean_value (b, s->windowed);
      ab_cli_json_add_number (b, "sampled_s", s->sampled_s);
      json_builder_set_member_name (b, "truncated");
      json_builder_add_boolean_value (b, s->truncated);
      json_builder_set_member_name (b, "out_of_room");
      json_builder_add_int_value (b, (gint64) s->out_of_room);
      /* a windowed run's extra pass for the lag (docs/simulation.md,
       * "Confidence intervals"): its visits count in visits */
      json_builder_set_member_name (b, "lag_passes");
      json_builder_add_int_value (b, s->lag_passes);
      json_builder_set_member_name (b, "lag_visits");
      json_builder_add_int_value (b, (gint64) s->lag_visits);
      json_builder_set_member_name (b, "lag_capped");
      json_builder_add_boolean_value (b, s->lag_capped);
    }
  add_series (b, points, des);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static JsonNode *
analytical_result (const AbSimSetup *setup)
{
  g_autoptr(AbSimSummary) s = ab_sim_summary_new_model (setup);
  g_autoptr(GPtrArray) points = ab_sim_setup_model_series (setup);

  return summary_to_json (setup, s, points);
}

static JsonNode *
des_result (const AbSimSetup *setup,
            GError          **error)
{
  g_autoptr(AbDesResult) des = ab_sim_setup_run_des (setup, NULL, error);
  g_autoptr(AbSimSummary) s = NULL;
  g_autoptr(GPtrArray) points = NULL;

  if (des == NULL)
    return NULL;
  s = ab_sim_summary_new_des (setup, des);
  points = g_ptr_array_new_with_free_func ((GDestroyNotify) ab_sim_point_free);
  for (guint i = 0; i < des->n_buckets; i++)
    g_ptr_array_add (points, ab_sim_point_new_from_bucket (setup, &des->buckets[i]));
  return summary_to_json (setup, s, points);
}

/* ---- output ---- */

/* A table set in the terminal's monospace font: each row (a GStrv of
 * @n_columns cells, the first the headings) printed after @indent, its
 * cells padded by characters (ab_format_pad()) to the widest of their
 * column, at least @min_width[c], those of a column with a negative
 * @min_width to the right as figures are; @sep[c] goes before column c.
 * The last column is not padded.  A row of two cells when the table has
 * more is a note: its first cell padded as the first column's, then the
 * second as it is. */
static void
print_table (GPtrArray        *rows,
             guint             n_columns,
             const int        *min_width,
             const char *const *sep,
             const char       *indent)
{
  g_autofree int *width = g_new0 (int, n_columns);

  for (guint c = 0; c < n_columns; c++)
    width[c] = ABS (min_width[c]);
  for (guint r = 0; r < rows->len; r++)
    {
      char **row = rows->pdata[r];
      guint n = g_strv_length (row) == n_columns ? n_columns : 1;

      for (guint c = 0; c < n; c++)
        width[c] = MAX (width[c], (int) g_utf8_strlen (row[c], -1));
    }
  for (guint r = 0; r < rows->len; r++)
    {
      char **row = rows->pdata[r];
      GString *line = g_string_new (indent);

      if (g_strv_length (row) != n_columns)
        {
          g_autofree char *first = ab_format_pad (row[0], width[0]);

          g_string_append_printf (line, "%s %s", first, row[1]);
        }
      else
        for (guint c = 0; c < n_columns; c++)
          {
            gboolean last = c + 1 == n_columns;
            g_autofree char *cell = ab_format_pad (row[c], last ? 0 : min_width[c] < 0 ? -width[c] : width[c]);

            if (last && *row[c] == '\0')
              break;
            if (c > 0)
              g_string_append (line, sep[c]);
            g_string_append (line, cell);
          }
      /* a left-aligned cell padded before an empty one */
      while (line->len > 0 && line->str[line->len - 1] == ' ')
        g_string_truncate (line, line->len - 1);
      printf ("%s\n", line->str);
      g_string_free (line, TRUE);
    }
}

/* a latency of the phase table: ab_format_latency()'s, or "-" for none */
static char *
latency_cell (double ms)
{
  return isfinite (ms) ? ab_format_latency (ms) : g_strdup ("-");
}

static char **
row_new (guint n,
         ...)
{
  char **row = g_new0 (char *, n + 1);
  va_list args;

  va_start (args, n);
  for (guint i = 0; i < n; i++)
    row[i] = va_arg (args, char *);
  va_end (args);
  return row;
}

static void
print_text (const AbSimSetup *setup,
            JsonObject       *root,
            const char       *path)
{
  static const char *const methods[] = { "analytical", "des" };
  AbProblem *problem = ab_sim_setup_get_problem (setup);
  const AbWorkload *workload = ab_sim_setup_get_workload (setup);
  const AbPricing *pricing = ab_sim_setup_get_pricing (setup);
  const AbNetwork *network = ab_sim_setup_get_network (setup);
  /* the labels of the head and of the summary, each as wide as the
   * widest of its block (in English "Design    " and "Availability          ") */
  const char *head[] = { _("Design"), _("Workload"), _("Pricing"), _("Note") };
  const char *sums[] = { _("Max sustainable rate"), _("Availability"), _("Cost"), _("Background work") };
  char *head_pad[G_N_ELEMENTS (head)], *sum_pad[G_N_ELEMENTS (sums)];
  int head_width = 10, sum_width = 22;
  /* the tags of the checks (in English "PASS ", "CLOSE") */
  int tag_width = MAX (5, ab_cli_tag_width ());

  for (guint i = 0; i < G_N_ELEMENTS (head); i++)
    head_width = MAX (head_width, g_utf8_strlen (head[i], -1) + 2);
  for (guint i = 0; i < G_N_ELEMENTS (head); i++)
    head_pad[i] = ab_format_pad (head[i], head_width);
  for (guint i = 0; i < G_N_ELEMENTS (sums); i++)
    sum_width = MAX (sum_width, g_utf8_strlen (sums[i], -1) + 2);
  for (guint i = 0; i < G_N_ELEMENTS (sums); i++)
    sum_pad[i] = ab_format_pad (sums[i], sum_width);

  printf ("%s%s", head_pad[0], path);
  if (problem != NULL)
    printf (_("  (problem %s: %s)"), problem->id, problem->title);
  printf ("\n%s", head_pad[1]);
  {
    g_autofree char *reads = ab_format_class_rate (workload->read_rps, AB_CLASS_READ);
    g_autofree char *writes = ab_format_class_rate (workload->write_rps, AB_CLASS_WRITE);

    /* Translators: archboard-cli simulate: "10,000 reads/s, 1,000 writes/s, peak x2" */
    printf (_("%s, %s, peak x%g"), reads, writes, workload->peak_multiplier);
  }
  printf ("\n%s%s, %s\n", head_pad[2], ab_pricing_get_title (pricing), ab_pricing_get_date (pricing));
  for (const char * const *cut = ab_sim_setup_get_cut_connections (setup); *cut != NULL; cut++)
    {
      printf ("%s", head_pad[3]);
      printf (_("connection %s closes an asynchronous loop: its calls are not simulated"), *cut);
      printf ("\n");
    }

  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      JsonObject *res;
      JsonArray *phases, *checks;
      JsonObject *cost;

      if (!json_object_has_member (root, methods[m]))
        continue;
      res = json_object_get_object_member (root, methods[m]);
      phases = json_object_get_array_member (res, "phases");
      printf ("\n== %s ==\n", m == 0 ? _("Analytical model") : _("Discrete-event simulation"));
      {
        /* at least as wide as the headings were in English
         * ("%-10s %10s %10s %8s  %-23s  %-23s  %-23s  %s"), the
         * latencies two spaces apart */
        static const int min_width[] = { 10, -10, -10, -8, 23, 23, 23, 0 };
        static const char *const sep[] = { "", " ", " ", " ", "  ", "  ", "  ", "  " };
        g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

        g_ptr_array_add (rows, row_new (8, g_strdup (_("phase")), g_strdup (_("offered/s")),
                                        g_strdup (_("served/s")), g_strdup (_("errors")),
                                        g_strdup (_("read p50/p95/p99")), g_strdup (_("write p50/p95/p99")),
                                        g_strdup (_("all p50/p95/p99")), g_strdup (_("bottleneck"))));
        for (guint p = 0; p < json_array_get_length (phases); p++)
          {
            JsonObject *ph = json_array_get_object_element (phases, p);
            char *lat[3], *bottleneck;
            const char *names[] = { "read", "write", "all" };

            if (!json_object_get_boolean_member (ph, "simulated"))
              {
                g_ptr_array_add (rows, row_new (2, g_strdup (json_object_get_string_member (ph, "name")),
                                                g_strdup (_("(not simulated: the sample budget ran out before "
                                                            "any of its requests finished; raise --requests)"))));
                continue;
              }

            /* a latency the phase has none of (null in the JSON) is "-",
             * as a missing bottleneck is (docs/simulation.md, "Output") */
            for (int k = 0; k < 3; k++)
              {
                JsonObject *l = json_object_get_object_member (ph, names[k]);
                g_autofree char *a = latency_cell (member_double (l, "p50_ms"));
                g_autofree char *b2 = latency_cell (member_double (l, "p95_ms"));
                g_autofree char *c = latency_cell (member_double (l, "p99_ms"));

                lat[k] = g_strdup_printf ("%s / %s / %s", a, b2, c);
              }
            if (json_object_get_null_member (ph, "bottleneck"))
              bottleneck = g_strdup ("-");
            else
              {
                g_autofree char *busy = ab_format_percent (member_double (ph, "bottleneck_utilization"), 0);

                if (json_object_get_null_member (ph, "bottleneck_label"))
                  bottleneck = g_strdup_printf ("%s (%s)", json_object_get_string_member (ph, "bottleneck"), busy);
                else
                  bottleneck = g_strdup_printf ("%s (%s, %s)", json_object_get_string_member (ph, "bottleneck_label"),
                                                json_object_get_string_member (ph, "bottleneck"), busy);
              }
            g_ptr_array_add (rows, row_new (8, g_strdup (json_object_get_string_member (ph, "name")),
                                            ab_format_count (member_double (ph, "offered_rps")),
                                            ab_format_count (member_double (ph, "served_rps")),
                                            ab_format_percent (member_double (ph, "error_rate"), 2),
                                            lat[0], lat[1], lat[2], bottleneck));
          }
        print_table (rows, 8, min_width, sep, "");
      }
      if (json_array_get_length (phases) > 0)
        {
          JsonObject *ph = json_array_get_object_element (phases, 0);
          JsonArray *comps = json_object_get_array_member (ph, "components");
          /* at least as wide as in English ("  %-14s %-13s %9s %12s %12s  %s") */
          static const int min_width[] = { 14, 13, -9, -12, -12, 0 };
          static const char *const sep[] = { "", " ", " ", " ", " ", "  " };
          g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

          printf ("\n");
          printf (_("Components in phase \"%s\":"), json_object_get_string_member (ph, "name"));
          printf ("\n");
          g_ptr_array_add (rows, row_new (6, g_strdup (_("id")), g_strdup (_("kind")), g_strdup (_("instances")),
                                          g_strdup (_("utilisation")), g_strdup (_("queue")), g_strdup ("")));
          for (guint i = 0; i < json_array_get_length (comps); i++)
            {
              JsonObject *c = json_array_get_object_element (comps, i);
              const char *label = i < network->n_stations ? ab_sim_setup_get_own_label (setup, i) : NULL;

              g_ptr_array_add (rows, row_new (6, g_strdup (json_object_get_string_member (c, "id")),
                                              g_strdup (json_object_get_string_member (c, "kind")),
                                              ab_format_decimal (member_double (c, "instances"), 1),
                                              ab_format_percent (member_double (c, "utilization"), 1),
                                              ab_format_decimal (member_double (c, "queue_length"), 2),
                                              g_strdup (label != NULL ? label : "")));
            }
          print_table (rows, 6, min_width, sep, "  ");
        }
      if (json_object_has_member (res, "windowed") && json_object_get_boolean_member (res, "windowed"))
        {
          g_autofree char *budget = ab_format_count ((double) json_object_get_int_member (res, "budget"));

          printf (_("Note: this load is too high to simulate every second within the sample budget (%s "
                    "station visits): each phase was simulated in windows, the time between "
                    "them fast-forwarded by a fluid model (queues grow and drain at the difference of "
                    "arrivals and capacity).  Simulated:"),
                  budget);
          for (guint p = 0; p < json_array_get_length (phases); p++)
            {
              JsonObject *ph = json_array_get_object_element (phases, p);
              g_autofree char *windows = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                          json_object_get_int_member (ph, "windows"));

              printf ("%s ", p > 0 ? "," : "");
              /* Translators: archboard-cli simulate: "normal 4 s of 20 s in 4" (windows) */
              printf (_("%s %.3g s of %.3g s in %s"),
                      json_object_get_string_member (ph, "name"), member_double (ph, "simulated_s"),
                      member_double (ph, "duration_s"), windows);
            }
          printf (".\n");
        }
      if (json_object_has_member (res, "truncated") && json_object_get_boolean_member (res, "truncated"))
        printf ("%s\n", _("Note: the simulation stopped when its sample budget was spent, even simulating each "
                          "phase in short windows; raise --requests for the rest."));
      /* docs/simulation.md, "Room for the requests" */
      if (json_object_has_member (res, "out_of_room") && json_object_get_int_member (res, "out_of_room") > 0)
        {
          g_autofree char *n = ab_format_count ((double) json_object_get_int_member (res, "out_of_room"));

          printf (_("Note: the simulator ran out of room for %s requests in flight: a limit of "
                    "the simulator, not of the design.  They count neither as errors nor as served, and their "
                    "latencies are not in the figures."), n);
          printf ("\n");
        }
      cost = json_object_get_object_member (res, "cost");
      {
        double max_rps = member_double (res, "max_sustainable_rps");
        /* null in the JSON: no finite limit, or no rate at all when
         * nothing serves the requests */
        g_autofree char *rate = json_object_get_boolean_member (res, "ends_at_once")
                                ? g_strdup (_("none: nothing serves the requests; connect a server, cache or database"))
                                : ab_format_rate (isnan (max_rps) ? INFINITY : max_rps);
        g_autofree char *availability = ab_format_availability (member_double (res, "availability"));
        g_autofree char *per_hour = ab_format_money_cents (member_double (cost, "per_hour"));
        g_autofree char *per_month = ab_format_money (member_double (cost, "per_month"));

        printf ("\n%s%s\n", sum_pad[0], rate);
        printf ("%s%s\n", sum_pad[1], availability);
        printf ("%s", sum_pad[2]);
        printf (_("%s per hour, %s per month"), per_hour, per_month);
        printf ("\n");
        if (!json_object_get_null_member (res, "background"))
          printf ("%s%s\n", sum_pad[3], json_object_get_string_member (res, "background"));
      }
      checks = json_object_get_array_member (res, "checks");
      if (json_array_get_length (checks) > 0)
        printf ("\n%s\n", _("Checks:"));
      for (guint i = 0; i < json_array_get_length (checks); i++)
        {
          JsonObject *c = json_array_get_object_element (checks, i);
          const char *verdict = json_object_get_string_member (c, "verdict");
          AbCheckVerdict v = g_str_equal (verdict, "pass") ? AB_CHECK_PASS
                              : g_str_equal (verdict, "fail") ? AB_CHECK_FAIL
                              : g_str_equal (verdict, "too_close_to_call") ? AB_CHECK_TOO_CLOSE
                              : AB_CHECK_NOT_JUDGED;
          g_autofree char *tag = ab_format_pad (ab_cli_verdict_tag (v), tag_width);

          printf ("  %s  %s: %s — %s\n", tag, json_object_get_string_member (c, "label"),
                  json_object_get_string_member (c, "target"), json_object_get_string_member (c, "sentence"));
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (head); i++)
    g_free (head_pad[i]);
  for (guint i = 0; i < G_N_ELEMENTS (sums); i++)
    g_free (sum_pad[i]);
}

static void
print_csv (JsonObject *root)
{
  static const char *const methods[] = { "analytical", "des" };
  static const char *const columns[] = { "t", "offered_rps", "served_rps", "errors", "p50_ms",
                                         "p95_ms", "p99_ms", "cost_per_hour" };

  printf ("method");
  for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
    printf (",%s", columns[c]);
  /* 1: a skipped stretch of a windowed DES run (estimated); empty for the
   * model */
  printf (",estimated\n");
  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      JsonArray *series;

      if (!json_object_has_member (root, methods[m]))
        continue;
      series = json_object_get_array_member (json_object_get_object_member (root, methods[m]), "series");
      for (guint i = 0; i < json_array_get_length (series); i++)
        {
          JsonObject *row = json_array_get_object_element (series, i);

          printf ("%s", methods[m]);
          for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
            {
              double v = member_double (row, columns[c]);
              char buf[G_ASCII_DTOSTR_BUF_SIZE];

              if (isfinite (v))
                printf (",%s", g_ascii_formatd (buf, sizeof buf, "%.6g", v));
              else
                printf (",");
            }
          if (json_object_has_member (row, "estimated"))
            printf (",%d", json_object_get_boolean_member (row, "estimated") ? 1 : 0);
          else
            printf (",");
          printf ("\n");
        }
    }
}

/* ---- command ---- */

static int bad (const char *format, ...) G_GNUC_PRINTF (1, 2);

static int
bad (const char *format,
     ...)
{
  va_list args;
  g_autofree char *msg = NULL;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("%s: %s\n", g_get_prgname (), msg);
  return AB_CLI_EXIT_BAD_INPUT;
}

int
ab_cli_simulate (int    argc,
                 char **argv)
{
  g_autofree char *problem_id = NULL;
  g_autofree char *scenario_name = NULL;
  g_autofree char *method = NULL;
  g_autofree char *pricing_name = NULL;
  g_autofree char *format = NULL;
  g_autofree char *fail_id = NULL;
  double read_rps = -1.0, write_rps = -1.0, peak = -1.0;
  gint64 seed = -1, requests = 0;
  GOptionEntry entries[] = {
    { "problem", 'p', 0, G_OPTION_ARG_STRING, &problem_id, N_("Problem whose workload and targets to use (default: the design's)"), "ID" },
    { "scenario", 's', 0, G_OPTION_ARG_STRING, &scenario_name, N_("normal, peak, failure or timeline (default: timeline)"), "NAME" },
    { "read-rps", 0, 0, G_OPTION_ARG_DOUBLE, &read_rps, N_("Reads per second instead of the problem's"), "N" },
    { "write-rps", 0, 0, G_OPTION_ARG_DOUBLE, &write_rps, N_("Writes per second instead of the problem's"), "N" },
    { "peak-multiplier", 0, 0, G_OPTION_ARG_DOUBLE, &peak, N_("Peak rate as a multiple of the normal rate instead of the problem's"), "X" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Seed of the simulation"), "N" },
    { "requests", 'n', 0, G_OPTION_ARG_INT64, &requests, N_("Sample budget of the simulation (station visits)"), "N" },
    { "method", 'm', 0, G_OPTION_ARG_STRING, &method, N_("analytical, des or both (default: both)"), "METHOD" },
    /* the description is set below, with the default profile's name */
    { "pricing", 0, 0, G_OPTION_ARG_STRING, &pricing_name, NULL, "NAME" },
    { "fail", 0, 0, G_OPTION_ARG_STRING, &fail_id, N_("Component lost in the failure phase (default: the cache, else the primary)"), "ID" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, N_("text, json or csv (the time series)"), "FORMAT" },
    { NULL }
  };
  g_autoptr(AbDesign) design = NULL;
  g_autoptr(AbSimSetup) setup = NULL;
  AbProblem *problem = NULL;
  AbSimOptions options;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  gboolean want_model, want_des, machine;
  const char *scen, *path;
  g_autofree char *pricing_help = g_strdup_printf (_("Pricing profile name or FILE.json (default: %s)"),
                                                   AB_PRICING_DEFAULT);

  for (GOptionEntry *e = entries; e->long_name != NULL; e++)
    if (g_str_equal (e->long_name, "pricing"))
      e->description = pricing_help;

  if (!ab_cli_parse (&argc, &argv, "FILE.archboard",
                     N_("Simulate a design under its problem's load: the analytical queueing model and the "
                        "discrete-event simulation, with latency percentiles, throughput, errors, bottleneck, "
                        "availability, cost and the checks against the problem's targets."), entries))
    return AB_CLI_EXIT_BAD_INPUT;
  if (argc != 2)
    return bad (_("expected one design file (see --help)"));
  path = argv[1];
  if (method == NULL)
    method = g_strdup ("both");
  if (format == NULL)
    format = g_strdup ("text");
  scen = scenario_name != NULL ? scenario_name : "timeline";
  if (!g_str_equal (method, "analytical") && !g_str_equal (method, "des") && !g_str_equal (method, "both"))
    return bad (_("unknown method \"%s\" (analytical, des or both)"), method);
  if (!g_str_equal (format, "text") && !g_str_equal (format, "json") && !g_str_equal (format, "csv"))
    return bad (_("unknown format \"%s\" (text, json or csv)"), format);
  if (!g_str_equal (scen, "normal") && !g_str_equal (scen, "peak") && !g_str_equal (scen, "failure")
      && !g_str_equal (scen, "timeline"))
    return bad (_("unknown scenario \"%s\" (normal, peak, failure or timeline)"), scen);
  /* At most 10^9 a second: with the peak multiplier that stays within
   * what the simulation accepts (less than 10^12). */
  if ((read_rps < 0.0 && read_rps != -1.0) || (write_rps < 0.0 && write_rps != -1.0)
      || !isfinite (read_rps) || !isfinite (write_rps) || read_rps > 1e9 || write_rps > 1e9)
    return bad (_("--read-rps and --write-rps take requests per second from 0 to 1000000000"));
  if (peak != -1.0 && !(peak >= 1.0 && peak <= 100.0))
    return bad (_("--peak-multiplier takes a number from 1 to 100"));
  if (requests < 0 || seed < -1)
    return bad (_("--requests and --seed take numbers >= 0"));
  /* JSON and CSV are the same in every language: the catalog and the
   * problems as written, the results computed in English; messages in the
   * user's */
  machine = !g_str_equal (format, "text");
  if (machine)
    ab_cli_load_english_data ();
  want_model = !g_str_equal (method, "des");
  want_des = !g_str_equal (method, "analytical");

  design = ab_design_load_from_file (path, &error);
  if (design == NULL)
    return bad ("%s", error->message);

  {
    const char *id = problem_id != NULL ? problem_id : ab_design_get_problem_id (design);

    problem = id != NULL && *id != '\0' ? ab_problem_set_lookup (ab_problem_set_get_default (), id) : NULL;
    if (problem == NULL && problem_id != NULL)
      return bad (_("unknown problem \"%s\" (see archboard-cli list)"), problem_id);
    if (problem == NULL && (read_rps < 0.0 || write_rps < 0.0))
      {
        if (id == NULL || *id == '\0')
          return bad (_("the design names no problem: give --problem ID or both --read-rps and --write-rps"));
        return bad (_("the design's problem \"%s\" is unknown: give --problem or both --read-rps and --write-rps"),
                    id);
      }
  }

  /* a pricing profile that does not load is named as such (the setup
   * loads it again) */
  {
    g_autoptr(AbPricing) pricing = pricing_name != NULL && g_str_has_suffix (pricing_name, ".json")
                                   ? ab_pricing_load_from_file (pricing_name, &error)
                                   : ab_pricing_get_named (pricing_name != NULL ? pricing_name : AB_PRICING_DEFAULT,
                                                           &error);
    if (pricing == NULL)
      return bad ("%s", error->message);
  }

  /* the figures the window and the report show: src/core/ab-sim-summary.c */
  ab_sim_options_init (&options);
  ab_sim_scenario_kind_from_string (scen, &options.scenario);
  options.fail_id = fail_id;
  options.read_rps = read_rps;
  options.write_rps = write_rps;
  options.peak_multiplier = peak;
  options.seed = seed;
  options.budget = requests > 0 ? (guint64) requests : 0;
  options.pricing = pricing_name;
  setup = ab_sim_setup_new (design, problem, &options, &error);
  if (setup == NULL)
    {
      if (g_error_matches (error, AB_ERROR, AB_ERROR_NOT_FOUND) && fail_id != NULL)
        return bad ("--fail: %s", error->message);
      return bad ("%s: %s", path, error->message);
    }

  if (machine)
    ab_cli_use_english (TRUE);
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "design");
  json_builder_add_string_value (builder, path);
  json_builder_set_member_name (builder, "problem");
  if (problem != NULL)
    json_builder_add_string_value (builder, problem->id);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "scenario");
  json_builder_add_string_value (builder, scen);
  json_builder_set_member_name (builder, "seed");
  json_builder_add_int_value (builder, (gint64) ab_sim_setup_get_scenario (setup)->seed);
  json_builder_set_member_name (builder, "workload");
  json_builder_begin_object (builder);
  {
    const AbWorkload *workload = ab_sim_setup_get_workload (setup);

    ab_cli_json_add_number (builder, "read_rps", workload->read_rps);
    ab_cli_json_add_number (builder, "write_rps", workload->write_rps);
    ab_cli_json_add_number (builder, "peak_multiplier", workload->peak_multiplier);
    ab_cli_json_add_number (builder, "dataset_bytes", workload->dataset_bytes);
  }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "cut_connections");
  json_builder_begin_array (builder);
  for (const char * const *cut = ab_sim_setup_get_cut_connections (setup); *cut != NULL; cut++)
    json_builder_add_string_value (builder, *cut);
  json_builder_end_array (builder);
  if (want_model)
    {
      json_builder_set_member_name (builder, "analytical");
      json_builder_add_value (builder, analytical_result (setup));
    }
  if (want_des)
    {
      JsonNode *des = des_result (setup, &error);

      if (des == NULL)
        {
          ab_cli_use_english (FALSE);
          return bad (_("simulation failed: %s"), error->message);
        }
      json_builder_set_member_name (builder, "des");
      json_builder_add_value (builder, des);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  if (g_str_equal (format, "json"))
    {
      g_autofree char *text = ab_json_to_string_strict (root, TRUE);

      printf ("%s\n", text);
    }
  else if (g_str_equal (format, "csv"))
    print_csv (json_node_get_object (root));
  else
    print_text (setup, json_node_get_object (root), path);
  return AB_CLI_EXIT_OK;
}
