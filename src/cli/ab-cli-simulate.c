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

#include <json-glib/json-glib.h>

#include "ab-cli.h"
#include "ab-json-write.h"
#include "ab-sim-api.h"

typedef struct {
  AbDesign        *design;
  AbProblem       *problem;      /* may be NULL */
  AbWorkload       workload;
  AbRoute         *route;
  const AbNetwork *network;
  AbScenario      *scenario;
  AbPricing       *pricing;
  guint64          budget;
} Sim;

/* ---- JSON helpers ---- */

static void
add_latency (JsonBuilder *b,
             const char  *name,
             double       mean,
             double       p50,
             double       p95,
             double       p99)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  ab_cli_json_add_number (b, "mean_ms", mean);
  ab_cli_json_add_number (b, "p50_ms", p50);
  ab_cli_json_add_number (b, "p95_ms", p95);
  ab_cli_json_add_number (b, "p99_ms", p99);
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

/* ---- the analytical model over the scenario ---- */

static AbModelResult *
model_at (Sim    *sim,
          double  t_s,
          double  multiplier)
{
  guint n = sim->network->n_stations;
  g_autofree int *instances = g_new (int, MAX (n, 1));
  g_autofree gboolean *down = g_new (gboolean, MAX (n, 1));
  AbModelInput input;

  ab_model_input_at (&input, sim->network, sim->scenario, t_s, instances, down);
  if (multiplier > 0.0)
    input.multiplier = multiplier;
  return ab_model_evaluate (sim->network, &input);
}

static AbCost *
model_cost (Sim                 *sim,
            const AbModelResult *res)
{
  return ab_cost_for_model (sim->pricing, sim->network, res, sim->workload.dataset_bytes);
}

static void
add_edges (JsonBuilder         *b,
           Sim                 *sim,
           const AbModelResult *res,
           double               scale)
{
  guint nc = ab_route_get_n_connections (sim->route);
  g_autofree double *reads = g_new0 (double, MAX (nc, 1));
  g_autofree double *writes = g_new0 (double, MAX (nc, 1));
  double **rates = ab_model_call_rates (sim->network, res);

  ab_route_connection_rates (sim->route, rates, reads, writes);
  ab_model_call_rates_free (sim->network, rates);
  json_builder_set_member_name (b, "edges");
  json_builder_begin_array (b);
  for (guint e = 0; e < nc; e++)
    {
      const AbConnection *conn = ab_design_get_connection (sim->design, e);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, ab_route_connection_id (sim->route, e));
      json_builder_set_member_name (b, "from");
      json_builder_add_string_value (b, conn->from);
      json_builder_set_member_name (b, "to");
      json_builder_add_string_value (b, conn->to);
      ab_cli_json_add_number (b, "read_rps", reads[e] * scale);
      ab_cli_json_add_number (b, "write_rps", writes[e] * scale);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
add_cost (JsonBuilder  *b,
          Sim          *sim,
          const AbCost *cost)
{
  json_builder_set_member_name (b, "cost");
  json_builder_begin_object (b);
  ab_cli_json_add_number (b, "per_hour", cost->per_hour);
  ab_cli_json_add_number (b, "per_month", cost->per_month);
  json_builder_set_member_name (b, "pricing");
  json_builder_add_string_value (b, ab_pricing_get_id (sim->pricing));
  json_builder_set_member_name (b, "pricing_date");
  json_builder_add_string_value (b, ab_pricing_get_date (sim->pricing));
  json_builder_set_member_name (b, "by_component");
  json_builder_begin_object (b);
  for (guint i = 0; i < cost->n_stations; i++)
    ab_cli_json_add_number (b, sim->network->stations[i].id, cost->items[i].total);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "breakdown");
  json_builder_begin_object (b);
  for (guint i = 0; i < cost->n_stations; i++)
    {
      json_builder_set_member_name (b, sim->network->stations[i].id);
      json_builder_begin_object (b);
      ab_cli_json_add_number (b, "compute", cost->items[i].compute);
      ab_cli_json_add_number (b, "storage", cost->items[i].storage);
      ab_cli_json_add_number (b, "requests", cost->items[i].requests);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static void
add_checks (JsonBuilder *b,
            GPtrArray   *checks)
{
  json_builder_set_member_name (b, "checks");
  ab_cli_json_add_checks (b, checks);
}

/* "bottleneck" (the station id) and "bottleneck_label" (the component's
 * label, null when it has none) */
static void
add_bottleneck (JsonBuilder *b,
                Sim         *sim,
                int          station)
{
  const AbComponent *comp = station >= 0
                            ? ab_design_find_component (sim->design, sim->network->stations[station].id)
                            : NULL;

  json_builder_set_member_name (b, "bottleneck");
  if (station >= 0)
    json_builder_add_string_value (b, sim->network->stations[station].id);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "bottleneck_label");
  if (comp != NULL && comp->label != NULL && *comp->label != '\0')
    json_builder_add_string_value (b, comp->label);
  else
    json_builder_add_null_value (b);
}

static int
normal_phase (const AbScenario *scenario)
{
  for (guint i = 0; i < scenario->phases->len; i++)
    if (g_strcmp0 (g_array_index (scenario->phases, AbPhase, i).name, "normal") == 0)
      return (int) i;
  return 0;
}

static double
phase_mid (const AbScenario *scenario,
           guint             index)
{
  return ab_scenario_phase_start (scenario, index)
         + g_array_index (scenario->phases, AbPhase, index).duration_s / 2.0;
}

static void
add_common_head (JsonBuilder         *b,
                 Sim                 *sim,
                 const AbModelResult *normal)
{
  ab_cli_json_add_number (b, "max_sustainable_rps", normal->max_sustainable_rps);
  ab_cli_json_add_number (b, "availability", ab_availability_estimate (sim->network, NULL));
}

static JsonNode *
analytical_result (Sim *sim)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  int normal = normal_phase (sim->scenario);
  g_autoptr(AbModelResult) normal_res = model_at (sim, phase_mid (sim->scenario, (guint) normal), 0.0);
  g_autoptr(AbCost) cost = model_cost (sim, normal_res);
  double duration = ab_scenario_duration (sim->scenario);
  double bucket = sim->scenario->bucket_s > 0.0 ? sim->scenario->bucket_s : 1.0;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "phases");
  json_builder_begin_array (b);
  for (guint p = 0; p < sim->scenario->phases->len; p++)
    {
      const AbPhase *phase = &g_array_index (sim->scenario->phases, AbPhase, p);
      g_autoptr(AbModelResult) res = NULL;

      if (!phase->reported)
        continue;
      res = model_at (sim, phase_mid (sim->scenario, p), (phase->mult_start + phase->mult_end) / 2.0);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, phase->name);
      ab_cli_json_add_number (b, "multiplier", res->multiplier);
      ab_cli_json_add_number (b, "offered_rps", res->offered_rps);
      ab_cli_json_add_number (b, "served_rps", res->served_rps);
      ab_cli_json_add_number (b, "error_rate", res->error_rate);
      add_bottleneck (b, sim, res->bottleneck);
      ab_cli_json_add_number (b, "bottleneck_utilization", res->bottleneck_utilization);
      ab_cli_json_add_number (b, "lag_ms", res->lag_ms);
      add_latency (b, "read", res->latency[0].mean_ms, res->latency[0].p50_ms,
                   res->latency[0].p95_ms, res->latency[0].p99_ms);
      add_latency (b, "write", res->latency[1].mean_ms, res->latency[1].p50_ms,
                   res->latency[1].p95_ms, res->latency[1].p99_ms);
      add_latency (b, "all", res->latency[2].mean_ms, res->latency[2].p50_ms,
                   res->latency[2].p95_ms, res->latency[2].p99_ms);
      json_builder_set_member_name (b, "components");
      json_builder_begin_array (b);
      for (guint i = 0; i < res->n_stations; i++)
        {
          const AbStationResult *s = &res->stations[i];

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, sim->network->stations[i].id);
          json_builder_set_member_name (b, "kind");
          json_builder_add_string_value (b, ab_kind_to_string (sim->network->stations[i].kind));
          ab_cli_json_add_number (b, "instances", s->instances);
          ab_cli_json_add_number (b, "utilization", s->utilization);
          ab_cli_json_add_number (b, "queue_length", s->queue_length);
          ab_cli_json_add_number (b, "offered_rps", s->offered_rps);
          ab_cli_json_add_number (b, "served_rps", s->served_rps);
          ab_cli_json_add_number (b, "capacity_rps", s->capacity_rps);
          ab_cli_json_add_number (b, "sojourn_ms", s->offered_rps > 0.0
                      ? (s->class_rps[0] * s->sojourn_ms[0] + s->class_rps[1] * s->sojourn_ms[1]) / s->offered_rps
                      : s->sojourn_ms[0]);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      add_edges (b, sim, res, 1.0);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  add_common_head (b, sim, normal_res);
  add_cost (b, sim, cost);
  {
    g_autoptr(GPtrArray) checks = sim->problem != NULL
                                  ? ab_verdict_checks_model (sim->problem, sim->network, &sim->workload, sim->pricing)
                                  : NULL;
    add_checks (b, checks);
  }

  json_builder_set_member_name (b, "series");
  json_builder_begin_array (b);
  for (double t = 0.0; t < duration - 1e-9; t += bucket)
    {
      g_autoptr(AbModelResult) res = model_at (sim, t + bucket / 2.0, 0.0);
      g_autoptr(AbCost) c = model_cost (sim, res);

      json_builder_begin_object (b);
      ab_cli_json_add_number (b, "t", t);
      ab_cli_json_add_number (b, "offered_rps", res->offered_rps);
      ab_cli_json_add_number (b, "served_rps", res->served_rps);
      ab_cli_json_add_number (b, "errors", res->offered_rps - res->served_rps);
      ab_cli_json_add_number (b, "p50_ms", res->latency[2].p50_ms);
      ab_cli_json_add_number (b, "p95_ms", res->latency[2].p95_ms);
      ab_cli_json_add_number (b, "p99_ms", res->latency[2].p99_ms);
      ab_cli_json_add_number (b, "cost_per_hour", c->per_hour);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* ---- the discrete-event simulation ---- */

static AbCost *
des_cost (Sim                     *sim,
          const AbDesStationStats *stations,
          const AbModelResult     *mix)
{
  return ab_cost_for_des (sim->pricing, sim->network, stations, mix, sim->workload.dataset_bytes);
}

static JsonNode *
des_result (Sim     *sim,
            GError **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(AbDesResult) des = NULL;
  AbDesConfig config;
  int normal = normal_phase (sim->scenario);
  g_autoptr(AbModelResult) normal_res = model_at (sim, phase_mid (sim->scenario, (guint) normal), 0.0);
  const AbDesPhaseResult *normal_phase_res;

  ab_des_config_init (&config);
  config.sample_budget = sim->budget;
  des = ab_des_run (sim->network, sim->scenario, &config, error);
  if (des == NULL)
    return NULL;
  normal_phase_res = (guint) normal < des->n_phases ? &des->phases[normal] : &des->phases[0];

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "phases");
  json_builder_begin_array (b);
  for (guint p = 0; p < des->n_phases; p++)
    {
      const AbDesPhaseResult *ph = &des->phases[p];
      const AbPhase *phase = &g_array_index (sim->scenario->phases, AbPhase, p);
      g_autoptr(AbModelResult) res = NULL;
      int bottleneck = -1;
      double top = -1.0;

      if (!ph->reported)
        continue;
      res = model_at (sim, phase_mid (sim->scenario, p), (phase->mult_start + phase->mult_end) / 2.0);
      for (guint i = 0; i < des->n_stations; i++)
        if (ph->stations[i].throughput > 0.0 && ph->stations[i].utilisation > top
            && isfinite (res->stations[i].capacity_rps))
          {
            top = ph->stations[i].utilisation;
            bottleneck = (int) i;
          }
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, ph->name);
      ab_cli_json_add_number (b, "multiplier", (phase->mult_start + phase->mult_end) / 2.0);
      ab_cli_json_add_number (b, "offered_rps", ph->offered_rps);
      ab_cli_json_add_number (b, "served_rps", ph->served_rps);
      ab_cli_json_add_number (b, "error_rate", ph->error_rate);
      add_bottleneck (b, sim, bottleneck);
      ab_cli_json_add_number (b, "bottleneck_utilization", bottleneck >= 0 ? top : NAN);
      ab_cli_json_add_number (b, "lag_ms", ph->latency[AB_DES_ASYNC].mean_ms.value);
      json_builder_set_member_name (b, "requests");
      json_builder_add_int_value (b, (gint64) ph->requests);
      ab_cli_json_add_number (b, "duration_s", ph->duration_s);
      ab_cli_json_add_number (b, "simulated_s", ph->simulated_s);
      json_builder_set_member_name (b, "windows");
      json_builder_add_int_value (b, ph->windows);
      for (int k = 0; k <= AB_N_CLASSES; k++)
        {
          static const char *const names[] = { "read", "write", "all" };
          const AbDesLatencyStats *l = &ph->latency[k];

          add_latency (b, names[k], l->mean_ms.value, l->p50_ms.value, l->p95_ms.value, l->p99_ms.value);
        }
      json_builder_set_member_name (b, "components");
      json_builder_begin_array (b);
      for (guint i = 0; i < des->n_stations; i++)
        {
          const AbDesStationStats *s = &ph->stations[i];

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, sim->network->stations[i].id);
          json_builder_set_member_name (b, "kind");
          json_builder_add_string_value (b, ab_kind_to_string (sim->network->stations[i].kind));
          ab_cli_json_add_number (b, "instances", s->instances);
          ab_cli_json_add_number (b, "utilization", s->utilisation);
          ab_cli_json_add_number (b, "queue_length", s->queue_len);
          ab_cli_json_add_number (b, "throughput_rps", s->throughput);
          ab_cli_json_add_number (b, "sojourn_ms", s->sojourn_ms);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      /* the DES does not trace connections: the model's rates, scaled to
       * the throughput the DES served */
      add_edges (b, sim, res, res->served_rps > 0.0 ? ph->served_rps / res->served_rps : 0.0);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  add_common_head (b, sim, normal_res);
  {
    g_autoptr(AbCost) cost = des_cost (sim, normal_phase_res->stations, normal_res);
    g_autoptr(GPtrArray) checks = sim->problem != NULL
                                  ? ab_verdict_checks_des (sim->problem, sim->network, &sim->workload,
                                                           sim->pricing, sim->scenario, des)
                                  : NULL;

    add_cost (b, sim, cost);
    add_checks (b, checks);
  }
  json_builder_set_member_name (b, "replications");
  json_builder_add_int_value (b, des->replications);
  json_builder_set_member_name (b, "events");
  json_builder_add_int_value (b, (gint64) des->events);
  json_builder_set_member_name (b, "visits");
  json_builder_add_int_value (b, (gint64) des->visits);
  json_builder_set_member_name (b, "budget");
  json_builder_add_int_value (b, (gint64) des->budget);
  json_builder_set_member_name (b, "windowed");
  json_builder_add_boolean_value (b, des->windowed);
  ab_cli_json_add_number (b, "sampled_s", des->sampled_s);
  json_builder_set_member_name (b, "truncated");
  json_builder_add_boolean_value (b, des->truncated);

  json_builder_set_member_name (b, "series");
  json_builder_begin_array (b);
  for (guint i = 0; i < des->n_buckets; i++)
    {
      const AbDesBucket *bk = &des->buckets[i];
      g_autoptr(AbModelResult) mix = model_at (sim, bk->t_s + bk->duration_s / 2.0, 0.0);
      g_autoptr(AbCost) c = des_cost (sim, bk->stations, mix);

      json_builder_begin_object (b);
      ab_cli_json_add_number (b, "t", bk->t_s);
      ab_cli_json_add_number (b, "offered_rps", bk->offered_rps);
      ab_cli_json_add_number (b, "served_rps", bk->served_rps);
      ab_cli_json_add_number (b, "errors", bk->errors_rps);
      ab_cli_json_add_number (b, "p50_ms", bk->latency[AB_DES_ALL].p50_ms);
      ab_cli_json_add_number (b, "p95_ms", bk->latency[AB_DES_ALL].p95_ms);
      ab_cli_json_add_number (b, "p99_ms", bk->latency[AB_DES_ALL].p99_ms);
      ab_cli_json_add_number (b, "cost_per_hour", c->per_hour);
      /* a skipped stretch of a windowed run: fluid model and interpolation */
      json_builder_set_member_name (b, "estimated");
      json_builder_add_boolean_value (b, bk->estimated);
      ab_cli_json_add_number (b, "coverage", bk->coverage);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* ---- output ---- */

static char *
format_ms (double ms)
{
  if (!isfinite (ms))
    return g_strdup ("-");
  if (ms < 10.0)
    return g_strdup_printf ("%.2f", ms);
  if (ms < 1000.0)
    return g_strdup_printf ("%.1f", ms);
  return g_strdup_printf ("%.0f", ms);
}

static void
print_text (Sim        *sim,
            JsonObject *root,
            const char *path)
{
  static const char *const methods[] = { "analytical", "des" };

  printf ("Design    %s", path);
  if (sim->problem != NULL)
    printf ("  (problem %s: %s)", sim->problem->id, sim->problem->title);
  printf ("\nWorkload  %.6g reads/s, %.6g writes/s, peak x%g\n",
          sim->workload.read_rps, sim->workload.write_rps, sim->workload.peak_multiplier);
  printf ("Pricing   %s, %s\n", ab_pricing_get_title (sim->pricing), ab_pricing_get_date (sim->pricing));
  for (const char * const *cut = ab_route_get_cut_connections (sim->route); *cut != NULL; cut++)
    printf ("Note      connection %s closes an asynchronous loop: its calls are not simulated\n", *cut);

  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      JsonObject *res;
      JsonArray *phases, *checks;
      JsonObject *cost;

      if (!json_object_has_member (root, methods[m]))
        continue;
      res = json_object_get_object_member (root, methods[m]);
      phases = json_object_get_array_member (res, "phases");
      printf ("\n== %s ==\n", m == 0 ? "Analytical model" : "Discrete-event simulation");
      printf ("%-10s %10s %10s %7s  %-23s %-23s %-23s %s\n", "phase", "offered/s", "served/s", "errors",
              "read p50/p95/p99 ms", "write p50/p95/p99 ms", "all p50/p95/p99 ms", "bottleneck");
      for (guint p = 0; p < json_array_get_length (phases); p++)
        {
          JsonObject *ph = json_array_get_object_element (phases, p);
          char lat[3][64], bottleneck[256];
          const char *names[] = { "read", "write", "all" };

          if (json_object_has_member (ph, "simulated_s") && !(member_double (ph, "simulated_s") > 0.0))
            {
              printf ("%-10s (not simulated: the sample budget was spent; raise --requests)\n",
                      json_object_get_string_member (ph, "name"));
              continue;
            }

          for (int k = 0; k < 3; k++)
            {
              JsonObject *l = json_object_get_object_member (ph, names[k]);
              g_autofree char *a = format_ms (member_double (l, "p50_ms"));
              g_autofree char *b2 = format_ms (member_double (l, "p95_ms"));
              g_autofree char *c = format_ms (member_double (l, "p99_ms"));

              g_snprintf (lat[k], sizeof lat[k], "%s / %s / %s", a, b2, c);
            }
          if (json_object_get_null_member (ph, "bottleneck"))
            g_snprintf (bottleneck, sizeof bottleneck, "-");
          else if (json_object_get_null_member (ph, "bottleneck_label"))
            g_snprintf (bottleneck, sizeof bottleneck, "%s (%.0f%%)",
                        json_object_get_string_member (ph, "bottleneck"),
                        100.0 * member_double (ph, "bottleneck_utilization"));
          else
            g_snprintf (bottleneck, sizeof bottleneck, "%s (%s, %.0f%%)",
                        json_object_get_string_member (ph, "bottleneck_label"),
                        json_object_get_string_member (ph, "bottleneck"),
                        100.0 * member_double (ph, "bottleneck_utilization"));
          printf ("%-10s %10.1f %10.1f %6.2f%%  %-23s %-23s %-23s %s\n",
                  json_object_get_string_member (ph, "name"),
                  member_double (ph, "offered_rps"), member_double (ph, "served_rps"),
                  100.0 * member_double (ph, "error_rate"), lat[0], lat[1], lat[2], bottleneck);
        }
      if (json_array_get_length (phases) > 0)
        {
          JsonObject *ph = json_array_get_object_element (phases, 0);
          JsonArray *comps = json_object_get_array_member (ph, "components");

          printf ("\nComponents in phase \"%s\":\n", json_object_get_string_member (ph, "name"));
          printf ("  %-14s %-13s %9s %12s %12s\n", "id", "kind", "instances", "utilisation", "queue");
          for (guint i = 0; i < json_array_get_length (comps); i++)
            {
              JsonObject *c = json_array_get_object_element (comps, i);
              const AbComponent *comp = ab_design_find_component (sim->design, json_object_get_string_member (c, "id"));

              printf ("  %-14s %-13s %9.1f %11.1f%% %12.2f  %s\n", json_object_get_string_member (c, "id"),
                      json_object_get_string_member (c, "kind"), member_double (c, "instances"),
                      100.0 * member_double (c, "utilization"), member_double (c, "queue_length"),
                      comp != NULL && comp->label != NULL ? comp->label : "");
            }
        }
      if (json_object_has_member (res, "windowed") && json_object_get_boolean_member (res, "windowed"))
        {
          printf ("Note: this load is too high to simulate every second within the sample budget (%"
                  G_GINT64_FORMAT " station visits): each phase was simulated in windows, the time between "
                  "them fast-forwarded by a fluid model (queues grow and drain at the difference of "
                  "arrivals and capacity).  Simulated:",
                  json_object_get_int_member (res, "budget"));
          for (guint p = 0; p < json_array_get_length (phases); p++)
            {
              JsonObject *ph = json_array_get_object_element (phases, p);

              printf ("%s %s %.3g s of %.3g s in %" G_GINT64_FORMAT, p > 0 ? "," : "",
                      json_object_get_string_member (ph, "name"), member_double (ph, "simulated_s"),
                      member_double (ph, "duration_s"), json_object_get_int_member (ph, "windows"));
            }
          printf (".\n");
        }
      if (json_object_has_member (res, "truncated") && json_object_get_boolean_member (res, "truncated"))
        printf ("Note: the simulation stopped when its sample budget was spent, even simulating each phase "
                "in short windows; raise --requests for the rest.\n");
      cost = json_object_get_object_member (res, "cost");
      printf ("\nMax sustainable rate  %.6g req/s\n", member_double (res, "max_sustainable_rps"));
      printf ("Availability          %.4f %%\n", 100.0 * member_double (res, "availability"));
      printf ("Cost                  $%.2f per hour, $%.0f per month\n",
              member_double (cost, "per_hour"), member_double (cost, "per_month"));
      checks = json_object_get_array_member (res, "checks");
      if (json_array_get_length (checks) > 0)
        printf ("\nChecks:\n");
      for (guint i = 0; i < json_array_get_length (checks); i++)
        {
          JsonObject *c = json_array_get_object_element (checks, i);
          const char *verdict = json_object_get_string_member (c, "verdict");
          const char *tag = g_str_equal (verdict, "pass") ? "PASS"
                            : g_str_equal (verdict, "fail") ? "FAIL"
                            : g_str_equal (verdict, "too_close_to_call") ? "CLOSE" : "-";

          printf ("  %-5s  %s: %s — %s\n", tag, json_object_get_string_member (c, "label"),
                  json_object_get_string_member (c, "target"), json_object_get_string_member (c, "sentence"));
        }
    }
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

static const char *
default_failure_station (Sim *sim)
{
  static const AbKind order[] = { AB_KIND_CACHE, AB_KIND_DB_PRIMARY };

  for (guint k = 0; k < G_N_ELEMENTS (order); k++)
    for (guint i = 0; i < sim->network->n_stations; i++)
      if (sim->network->stations[i].kind == order[k])
        return sim->network->stations[i].id;
  {
    g_autoptr(AbModelResult) res = ab_model_evaluate (sim->network, NULL);
    if (res->bottleneck >= 0)
      return sim->network->stations[res->bottleneck].id;
  }
  for (guint i = 0; i < sim->network->n_stations; i++)
    if (sim->network->stations[i].kind != AB_KIND_CLIENT)
      return sim->network->stations[i].id;
  return NULL;
}

static void
sim_clear (Sim *sim)
{
  g_clear_object (&sim->design);
  g_clear_pointer (&sim->problem, ab_problem_unref);
  g_clear_pointer (&sim->route, ab_route_free);
  g_clear_pointer (&sim->scenario, ab_scenario_free);
  g_clear_pointer (&sim->pricing, ab_pricing_free);
}

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
    { "problem", 'p', 0, G_OPTION_ARG_STRING, &problem_id, "Problem whose workload and targets to use (default: the design's)", "ID" },
    { "scenario", 's', 0, G_OPTION_ARG_STRING, &scenario_name, "normal, peak, failure or timeline (default: timeline)", "NAME" },
    { "read-rps", 0, 0, G_OPTION_ARG_DOUBLE, &read_rps, "Reads per second instead of the problem's", "N" },
    { "write-rps", 0, 0, G_OPTION_ARG_DOUBLE, &write_rps, "Writes per second instead of the problem's", "N" },
    { "peak-multiplier", 0, 0, G_OPTION_ARG_DOUBLE, &peak, "Peak rate as a multiple of the normal rate instead of the problem's", "X" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed of the simulation", "N" },
    { "requests", 'n', 0, G_OPTION_ARG_INT64, &requests, "Sample budget of the simulation (station visits)", "N" },
    { "method", 'm', 0, G_OPTION_ARG_STRING, &method, "analytical, des or both (default: both)", "METHOD" },
    { "pricing", 0, 0, G_OPTION_ARG_STRING, &pricing_name, "Pricing profile name or FILE.json (default: " AB_PRICING_DEFAULT ")", "NAME" },
    { "fail", 0, 0, G_OPTION_ARG_STRING, &fail_id, "Component lost in the failure phase (default: the cache, else the primary)", "ID" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, "text, json or csv (the time series)", "FORMAT" },
    { NULL }
  };
  Sim sim = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  gboolean want_model, want_des;
  const char *scen, *path;
  int status = AB_CLI_EXIT_OK;

  if (!ab_cli_parse (&argc, &argv, "FILE.archboard",
                     "Simulate a design under its problem's load: the analytical queueing model and the "
                     "discrete-event simulation, with latency percentiles, throughput, errors, bottleneck, "
                     "availability, cost and the checks against the problem's targets.", entries))
    return AB_CLI_EXIT_BAD_INPUT;
  if (argc != 2)
    return bad ("expected one design file (see --help)");
  path = argv[1];
  if (method == NULL)
    method = g_strdup ("both");
  if (format == NULL)
    format = g_strdup ("text");
  scen = scenario_name != NULL ? scenario_name : "timeline";
  if (!g_str_equal (method, "analytical") && !g_str_equal (method, "des") && !g_str_equal (method, "both"))
    return bad ("unknown method \"%s\" (analytical, des or both)", method);
  if (!g_str_equal (format, "text") && !g_str_equal (format, "json") && !g_str_equal (format, "csv"))
    return bad ("unknown format \"%s\" (text, json or csv)", format);
  if (!g_str_equal (scen, "normal") && !g_str_equal (scen, "peak") && !g_str_equal (scen, "failure")
      && !g_str_equal (scen, "timeline"))
    return bad ("unknown scenario \"%s\" (normal, peak, failure or timeline)", scen);
  /* At most 10^9 a second: with the peak multiplier that stays within
   * what the simulation accepts (less than 10^12). */
  if ((read_rps < 0.0 && read_rps != -1.0) || (write_rps < 0.0 && write_rps != -1.0)
      || !isfinite (read_rps) || !isfinite (write_rps) || read_rps > 1e9 || write_rps > 1e9)
    return bad ("--read-rps and --write-rps take requests per second from 0 to 1000000000");
  if (peak != -1.0 && !(peak >= 1.0 && peak <= 100.0))
    return bad ("--peak-multiplier takes a number from 1 to 100");
  if (requests < 0 || seed < -1)
    return bad ("--requests and --seed take numbers >= 0");
  want_model = !g_str_equal (method, "des");
  want_des = !g_str_equal (method, "analytical");

  sim.design = ab_design_load_from_file (path, &error);
  if (sim.design == NULL)
    return bad ("%s", error->message);

  {
    const char *id = problem_id != NULL ? problem_id : ab_design_get_problem_id (sim.design);
    AbProblem *problem = id != NULL && *id != '\0'
                         ? ab_problem_set_lookup (ab_problem_set_get_default (), id) : NULL;

    if (problem == NULL && problem_id != NULL)
      {
        status = bad ("unknown problem \"%s\" (see archboard-cli list)", problem_id);
        goto out;
      }
    if (problem != NULL)
      sim.problem = ab_problem_ref (problem);
    if (problem == NULL && (read_rps < 0.0 || write_rps < 0.0))
      {
        if (id == NULL || *id == '\0')
          status = bad ("the design names no problem: give --problem ID or both --read-rps and --write-rps");
        else
          status = bad ("the design's problem \"%s\" is unknown: give --problem or both --read-rps and --write-rps",
                        id);
        goto out;
      }
  }
  ab_workload_init (&sim.workload, sim.problem, read_rps, write_rps);
  if (peak > 0.0)
    sim.workload.peak_multiplier = peak;

  if (pricing_name != NULL && g_str_has_suffix (pricing_name, ".json"))
    sim.pricing = ab_pricing_load_from_file (pricing_name, &error);
  else
    sim.pricing = ab_pricing_get_named (pricing_name != NULL ? pricing_name : AB_PRICING_DEFAULT, &error);
  if (sim.pricing == NULL)
    {
      status = bad ("%s", error->message);
      goto out;
    }

  sim.route = ab_route_build (sim.design, &sim.workload, &error);
  if (sim.route == NULL)
    {
      g_autofree char *msg = g_strdup_printf ("%s: %s", path, error->message);
      status = bad ("%s", msg);
      goto out;
    }
  sim.network = ab_route_get_network (sim.route);

  if (fail_id != NULL && ab_network_find (sim.network, fail_id) < 0)
    {
      status = bad ("--fail: the design has no component \"%s\"", fail_id);
      goto out;
    }
  if (g_str_equal (scen, "normal"))
    sim.scenario = ab_scenario_new_normal (AB_SCENARIO_DEFAULT_NORMAL_S);
  else if (g_str_equal (scen, "peak"))
    sim.scenario = ab_scenario_new_peak (sim.workload.peak_multiplier);
  else if (g_str_equal (scen, "failure"))
    sim.scenario = ab_scenario_new_failure (fail_id != NULL ? fail_id : default_failure_station (&sim), TRUE);
  else
    sim.scenario = ab_scenario_new_default_timeline (sim.workload.peak_multiplier,
                                                     fail_id != NULL ? fail_id : default_failure_station (&sim));
  if (seed >= 0)
    sim.scenario->seed = (guint64) seed;
  sim.budget = requests > 0 ? (guint64) requests : AB_DES_DEFAULT_BUDGET;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "design");
  json_builder_add_string_value (builder, path);
  json_builder_set_member_name (builder, "problem");
  if (sim.problem != NULL)
    json_builder_add_string_value (builder, sim.problem->id);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "scenario");
  json_builder_add_string_value (builder, scen);
  json_builder_set_member_name (builder, "seed");
  json_builder_add_int_value (builder, (gint64) sim.scenario->seed);
  json_builder_set_member_name (builder, "workload");
  json_builder_begin_object (builder);
  ab_cli_json_add_number (builder, "read_rps", sim.workload.read_rps);
  ab_cli_json_add_number (builder, "write_rps", sim.workload.write_rps);
  ab_cli_json_add_number (builder, "peak_multiplier", sim.workload.peak_multiplier);
  ab_cli_json_add_number (builder, "dataset_bytes", sim.workload.dataset_bytes);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "cut_connections");
  json_builder_begin_array (builder);
  for (const char * const *cut = ab_route_get_cut_connections (sim.route); *cut != NULL; cut++)
    json_builder_add_string_value (builder, *cut);
  json_builder_end_array (builder);
  if (want_model)
    {
      json_builder_set_member_name (builder, "analytical");
      json_builder_add_value (builder, analytical_result (&sim));
    }
  if (want_des)
    {
      JsonNode *des = des_result (&sim, &error);

      if (des == NULL)
        {
          g_autofree char *msg = g_strdup_printf ("simulation failed: %s", error->message);
          status = bad ("%s", msg);
          goto out;
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
    print_text (&sim, json_node_get_object (root), path);

out:
  sim_clear (&sim);
  return status;
}
