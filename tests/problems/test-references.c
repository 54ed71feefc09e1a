/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every shipped reference solution, built as a design the way
 * `archboard-cli reference` builds it, passes every tier of its problem
 * and carries its problem's normal load (analytical model); and the
 * amendment features the sizing uses ("why", requirement quotes). */
#include "config.h"

#include <string.h>

#include "ab-design.h"
#include "ab-import.h"
#include "ab-model.h"
#include "ab-problem.h"
#include "ab-reference.h"
#include "ab-problem-private.h"
#include "ab-route.h"
#include "ab-tiers.h"

/* Utilisation every station of a reference must stay below at its
 * problem's normal load (the references are sized for 0.7). */
#define REFERENCE_MAX_UTILIZATION 0.8

static AbDesign *
design_from_reference (const AbProblem *problem)
{
  g_autoptr(GError) error = NULL;
  AbDesign *design = ab_reference_build_design (problem, &error);

  g_assert_no_error (error);
  return design;
}

static void
test_reference (gconstpointer data)
{
  AbProblem *problem = ab_problem_set_lookup (ab_problem_set_get_default (), data);
  g_autoptr(AbDesign) design = NULL;
  g_autoptr(AbTiersReport) report = NULL;

  g_assert_nonnull (problem);
  design = design_from_reference (problem);
  g_assert_cmpuint (ab_design_get_n_components (design), ==, problem->reference_components->len);
  g_assert_cmpuint (ab_design_get_n_connections (design), ==, problem->reference_connections->len);
  report = ab_tiers_evaluate (problem, design);
  g_assert_cmpuint (report->n_tiers, ==, problem->tiers->len);
  for (guint t = 0; t < report->n_tiers; t++)
    for (guint r = 0; r < report->tiers[t].n_rules; r++)
      if (!report->tiers[t].rules[r].pass)
        g_error ("%s: %s fails: %s", problem->id, report->tiers[t].tier->name, report->tiers[t].rules[r].reason);
  g_assert_cmpuint (report->n_passed, ==, report->n_tiers);
}

/* At its problem's normal load every station of the reference runs below
 * REFERENCE_MAX_UTILIZATION, but for the listed ones. */
static void
test_reference_load (gconstpointer data)
{
  AbProblem *problem = ab_problem_set_lookup (ab_problem_set_get_default (), data);
  g_autoptr(AbDesign) design = design_from_reference (problem);
  g_autoptr(GError) error = NULL;
  g_autoptr(AbRoute) route = ab_route_build (design, &problem->workload, &error);
  g_autoptr(AbModelResult) result = NULL;
  const AbNetwork *network;

  g_assert_no_error (error);
  network = ab_route_get_network (route);
  result = ab_model_evaluate (network, NULL);
  g_assert_cmpuint (result->n_stations, ==, problem->reference_components->len);
  g_assert_cmpfloat (result->offered_rps, >, 0.0);
  for (guint s = 0; s < result->n_stations; s++)
    {
      const AbRefComponent *component = g_ptr_array_index (problem->reference_components, s);
      const AbStationResult *station = &result->stations[s];

      g_assert_cmpstr (ab_design_get_component (design, s)->id, ==, network->stations[s].id);
      if (!(station->offered_utilization < REFERENCE_MAX_UTILIZATION))
        g_error ("%s: %s (%d instances) runs at utilisation %.2f under %.0f req/s", problem->id,
                 component->name, station->instances, station->offered_utilization, station->offered_rps);
    }
}

/* A one-instance reference at its problem's load is what the test above
 * catches: basic-database-design with one Blog API runs at ~6.9. */
static void
test_unsized_reference_overloaded (void)
{
  AbProblem *problem = ab_problem_set_lookup (ab_problem_set_get_default (), "basic-database-design");
  g_autoptr(AbDesign) design = design_from_reference (problem);
  g_autoptr(GError) error = NULL;
  g_autoptr(AbRoute) route = NULL;
  g_autoptr(AbModelResult) result = NULL;
  int index = -1;

  for (guint s = 0; s < ab_design_get_n_components (design); s++)
    if (g_strcmp0 (ab_design_get_component (design, s)->label, "Blog API") == 0)
      index = (int) s;
  g_assert_cmpint (index, >=, 0);
  g_assert_cmpint (ab_design_get_component (design, index)->instances, >, 1);
  ab_design_set_instances (design, ab_design_get_component (design, index)->id, 1);
  route = ab_route_build (design, &problem->workload, &error);
  g_assert_no_error (error);
  result = ab_model_evaluate (ab_route_get_network (route), NULL);
  g_assert_cmpfloat (result->stations[index].offered_utilization, >, 5.0);
}

/* multi-master-replication: the catalog's primaries are shards, so the
 * reference has every master consume the replication log; each applies
 * every write (the problem's whole write rate), not the quarter a shard
 * of four would take. */
static void
test_multi_master_every_write (void)
{
  AbProblem *problem = ab_problem_set_lookup (ab_problem_set_get_default (), "multi-master-replication");
  g_autoptr(AbDesign) design = design_from_reference (problem);
  g_autoptr(GError) error = NULL;
  g_autoptr(AbRoute) route = ab_route_build (design, &problem->workload, &error);
  g_autoptr(AbModelResult) result = NULL;
  guint masters = 0;

  g_assert_no_error (error);
  result = ab_model_evaluate (ab_route_get_network (route), NULL);
  for (guint s = 0; s < result->n_stations; s++)
    {
      const AbRefComponent *component = g_ptr_array_index (problem->reference_components, s);

      if (component->kind != AB_KIND_DB_PRIMARY)
        continue;
      if (!(result->stations[s].class_rps[AB_CLASS_WRITE] >= problem->workload.write_rps))
        g_error ("%s applies %.0f writes/s of the %.0f written", component->name,
                 result->stations[s].class_rps[AB_CLASS_WRITE], problem->workload.write_rps);
      masters++;
    }
  g_assert_cmpuint (masters, >=, 4);
}

/* A reference whose problem records its peak as unmeetable is sized for
 * its normal rate (build-aux/size-references), not for a peak it cannot
 * hold anyway: every station it scaled out runs at 0.5 or more of its
 * capacity at the normal rate (sized at 0.7), not at the fraction a
 * sizing for the peak would leave. */
static void
test_unmeetable_peak_sized_for_normal (void)
{
  AbProblemSet *set = ab_problem_set_get_default ();
  guint checked = 0;

  for (guint i = 0; i < ab_problem_set_get_n (set); i++)
    {
      AbProblem *problem = ab_problem_set_get_nth (set, i);
      const AbTarget *rate = ab_problem_find_target (problem, AB_TARGET_RATE);
      g_autoptr(AbDesign) design = NULL;
      g_autoptr(AbRoute) route = NULL;
      g_autoptr(AbModelResult) result = NULL;
      g_autoptr(GError) error = NULL;

      if (rate == NULL || rate->unmeetable == NULL)
        continue;
      design = design_from_reference (problem);
      route = ab_route_build (design, &problem->workload, &error);
      g_assert_no_error (error);
      result = ab_model_evaluate (ab_route_get_network (route), NULL);
      for (guint s = 0; s < result->n_stations; s++)
        {
          const AbRefComponent *component = g_ptr_array_index (problem->reference_components, s);

          if (result->stations[s].instances > 1 && !(result->stations[s].offered_utilization >= 0.5))
            g_error ("%s: %s (%d instances) runs at %.2f at the normal rate: sized for the unmeetable peak?",
                     problem->id, component->name, result->stations[s].instances,
                     result->stations[s].offered_utilization);
        }
      checked++;
    }
  g_assert_cmpuint (checked, >=, 2);
}

/* ---- the amendment features the sizing uses ---- */

static GPtrArray *
import_storage (void)
{
  const char *srcdir = g_getenv ("ARCHBOARD_SRCDIR");
  g_autofree char *path = g_build_filename (srcdir != NULL ? srcdir : ABS_SRCDIR, "problems", "storage.md", NULL);
  g_autofree char *data = NULL;
  gsize length;
  g_autoptr(GError) error = NULL;
  GPtrArray *problems;

  g_file_get_contents (path, &data, &length, &error);
  g_assert_no_error (error);
  problems = ab_import_markdown (data, length, "storage.md", &error);
  g_assert_no_error (error);
  return problems;
}

static void
test_amendment_why_and_requirement_quote (void)
{
  const char json[] =
    "{\"basic-database-design\": [{\"what\": \"Blog API: 10 instances\", \"why\": \"11k req/s / 1.6k\", "
    "\"quote\": \"Request Rate: 10k reads/sec, 1k writes/sec\", "
    "\"set_instances\": {\"component\": \"Blog API\", \"instances\": 10}},"
    "{\"what\": \"Query Cache: 2 instances\", \"quote\": \"P95 < 50 ms for queries\", "
    "\"set_instances\": {\"component\": \"Query Cache\", \"instances\": 2}}]}";
  g_autoptr(GPtrArray) problems = import_storage ();
  g_autoptr(GError) error = NULL;
  AbProblem *problem = NULL;
  const AbAmendment *amendment;

  g_assert_true (ab_import_apply_amendments (problems, json, -1, "amend.json", &error));
  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    if (strcmp (((AbProblem *) g_ptr_array_index (problems, i))->id, "basic-database-design") == 0)
      problem = g_ptr_array_index (problems, i);
  g_assert_nonnull (problem);
  g_assert_cmpint (ab_problem_find_ref_component (problem, "Blog API")->instances, ==, 10);
  g_assert_cmpint (ab_problem_find_ref_component (problem, "Query Cache")->instances, ==, 2);
  g_assert_cmpuint (problem->amendments->len, ==, 2);
  amendment = g_ptr_array_index (problem->amendments, 0);
  g_assert_cmpstr (amendment->what, ==, "Blog API: 10 instances (11k req/s / 1.6k)");
  g_assert_cmpstr (amendment->quote, ==, "Request Rate: 10k reads/sec, 1k writes/sec");
  amendment = g_ptr_array_index (problem->amendments, 1);
  g_assert_cmpstr (amendment->what, ==, "Query Cache: 2 instances");
}

static void
test_amendment_why_errors (void)
{
  static const struct {
    const char *json;
    const char *what;
  } cases[] = {
    /* a "why" must be a non-empty string */
    { "{\"basic-database-design\": [{\"what\": \"x\", \"why\": 3, \"quote\": \"Request Rate: 10k reads/sec\", "
      "\"set_instances\": {\"component\": \"Blog API\", \"instances\": 2}}]}", "\"why\" must be a non-empty string" },
    { "{\"basic-database-design\": [{\"what\": \"x\", \"why\": \"\", \"quote\": \"Request Rate: 10k reads/sec\", "
      "\"set_instances\": {\"component\": \"Blog API\", \"instances\": 2}}]}", "\"why\" must be a non-empty string" },
    /* an unknown member is still refused next to a "why" */
    { "{\"basic-database-design\": [{\"what\": \"x\", \"why\": \"y\", \"note\": \"z\", \"quote\": \"Request Rate: 10k reads/sec\", "
      "\"set_instances\": {\"component\": \"Blog API\", \"instances\": 2}}]}", "exactly one of" },
    /* a requirement of another problem is not a quote of this one */
    { "{\"basic-database-design\": [{\"what\": \"x\", \"quote\": \"Request Rate: 20k ops/sec\", "
      "\"set_instances\": {\"component\": \"Blog API\", \"instances\": 2}}]}", "the quote is not in" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) problems = import_storage ();
      g_autoptr(GError) error = NULL;

      g_assert_false (ab_import_apply_amendments (problems, cases[i].json, -1, "amend.json", &error));
      g_test_message ("case %u: %s", i, error->message);
      g_assert_error (error, AB_ERROR, AB_ERROR_INVALID);
      g_assert_true (g_str_has_prefix (error->message, "amend.json:1:"));
      g_assert_nonnull (strstr (error->message, cases[i].what));
    }
}

/* The checker really checks: the reference without its instance counts
 * fails where the amendments were needed. */
static void
test_unamended_fails (void)
{
  AbProblem *problem = ab_problem_set_lookup (ab_problem_set_get_default (), "distributed-database");
  g_autoptr(AbDesign) design = design_from_reference (problem);
  g_autoptr(AbTiersReport) report = NULL;

  for (guint i = 0; i < ab_design_get_n_components (design); i++)
    {
      const AbComponent *component = ab_design_get_component (design, i);
      if (component->kind == AB_KIND_APP)
        ab_design_set_instances (design, component->id, 1);
    }
  report = ab_tiers_evaluate (problem, design);
  g_assert_cmpuint (report->n_passed, <, report->n_tiers);
}

/* Compare with the reference: an empty design lacks every kind of it with
 * the reference's instance counts; the reference itself lacks nothing; a
 * reference naming an unknown component is an error, not a partial design. */
static void
test_reference_compare (void)
{
  AbProblem *problem = ab_problem_set_lookup (ab_problem_set_get_default (), "basic-database-design");
  g_autoptr(AbDesign) reference = design_from_reference (problem);
  g_autoptr(AbDesign) empty = ab_design_new (problem->id);
  g_autoptr(GArray) lacking = ab_reference_compare (reference, empty);
  g_autoptr(GArray) none = ab_reference_compare (reference, reference);
  g_autoptr(AbProblem) broken = NULL;
  g_autoptr(AbDesign) nothing = NULL;
  g_autoptr(GError) error = NULL;
  AbRefConnection *connection;
  guint kinds = 0;

  for (int k = 0; k < AB_N_KINDS; k++)
    kinds += ab_design_count_instances (reference, k) > 0;
  g_assert_cmpuint (lacking->len, ==, kinds);
  for (guint i = 0; i < lacking->len; i++)
    {
      const AbKindShortfall *item = &g_array_index (lacking, AbKindShortfall, i);

      g_assert_cmpint (item->mine, ==, 0);
      g_assert_cmpint (item->reference, ==, ab_design_count_instances (reference, item->kind));
    }
  g_assert_cmpuint (none->len, ==, 0);

  /* a copy of the problem whose first connection names a ghost */
  {
    g_autoptr(JsonNode) node = ab_problem_to_json (problem);
    g_autofree char *data = json_to_string (node, FALSE);

    broken = ab_problem_load_from_data (data, -1, "copy.json", &error);
    g_assert_no_error (error);
  }
  connection = g_ptr_array_index (broken->reference_connections, 0);
  g_free (connection->to);
  connection->to = g_strdup ("Nowhere");
  nothing = ab_reference_build_design (broken, &error);
  g_assert_null (nothing);
  g_assert_error (error, AB_ERROR, AB_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Nowhere"));
}

/* set_param, set_target and set_workload: applied, kept through the
 * problem file, and the parameter reaches the reference design. */
static void
test_amendment_param_target_workload (void)
{
  const char json[] =
    "{\"basic-database-design\": ["
    "{\"what\": \"Query Cache: 0.5 ms\", \"quote\": \"P95 < 50 ms for queries\", "
    " \"set_param\": {\"component\": \"Query Cache\", \"name\": \"service_ms\", \"value\": 0.5}},"
    "{\"what\": \"Latency judged at the peak\", \"quote\": \"P95 < 50 ms for queries\", "
    " \"set_target\": {\"label\": \"Latency\", \"phase\": \"peak\", \"unmeetable\": \"because\"}},"
    "{\"what\": \"Writes\", \"quote\": \"Request Rate: 10k reads/sec, 1k writes/sec\", "
    " \"set_workload\": {\"write_rps\": 2000, \"peak_multiplier\": 3, \"note\": \"a test\"}}]}";
  g_autoptr(GPtrArray) problems = import_storage ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AbProblem) reloaded = NULL;
  g_autoptr(AbDesign) design = NULL;
  g_autofree char *data = NULL;
  AbProblem *problem = NULL;
  const AbRefComponent *cache;
  const AbTarget *latency;
  gsize length;

  g_assert_true (ab_import_apply_amendments (problems, json, -1, "amend.json", &error));
  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    if (strcmp (((AbProblem *) g_ptr_array_index (problems, i))->id, "basic-database-design") == 0)
      problem = g_ptr_array_index (problems, i);
  g_assert_nonnull (problem);

  data = ab_problem_to_data (problem, &length);
  reloaded = ab_problem_load_from_data (data, length, "p.json", &error);
  g_assert_no_error (error);
  cache = ab_problem_find_ref_component (reloaded, "Query Cache");
  g_assert_nonnull (cache->params);
  g_assert_cmpuint (cache->params->len, ==, 1);
  g_assert_cmpstr (((AbRefParam *) g_ptr_array_index (cache->params, 0))->name, ==, "service_ms");
  latency = ab_problem_find_target (reloaded, AB_TARGET_LATENCY);
  g_assert_cmpstr (latency->phase, ==, "peak");
  g_assert_cmpstr (latency->unmeetable, ==, "because");
  g_assert_cmpfloat (reloaded->workload.write_rps, ==, 2000);
  g_assert_cmpfloat (reloaded->workload.peak_multiplier, ==, 3);
  g_assert_nonnull (strstr (reloaded->workload.write_note, "a test"));
  g_assert_nonnull (strstr (reloaded->workload.peak_note, "a test"));

  design = ab_reference_build_design (reloaded, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < ab_design_get_n_components (design); i++)
    {
      const AbComponent *c = ab_design_get_component (design, i);
      if (g_strcmp0 (c->label, "Query Cache") == 0)
        g_assert_cmpfloat (ab_component_get_param_double (c, "service_ms", -1), ==, 0.5);
    }

  /* errors name the problem with a location */
  {
    static const char *const bad[] = {
      "{\"basic-database-design\": [{\"what\": \"x\", \"quote\": \"P95 < 50 ms for queries\", "
      "\"set_param\": {\"component\": \"Query Cache\", \"name\": \"colour\", \"value\": 1}}]}",
      "{\"basic-database-design\": [{\"what\": \"x\", \"quote\": \"P95 < 50 ms for queries\", "
      "\"set_target\": {\"label\": \"Latency\", \"phase\": \"sometimes\"}}]}",
      "{\"basic-database-design\": [{\"what\": \"x\", \"quote\": \"P95 < 50 ms for queries\", "
      "\"set_workload\": {\"note\": \"nothing set\"}}]}",
      "{\"basic-database-design\": [{\"what\": \"x\", \"quote\": \"P95 < 50 ms for queries\", "
      "\"set_param\": {\"component\": \"Query Cache\", \"name\": \"service_ms\", \"value\": -4}}]}",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GPtrArray) fresh = import_storage ();
        g_autoptr(GError) e = NULL;

        g_assert_false (ab_import_apply_amendments (fresh, bad[i], -1, "amend.json", &e));
        g_assert_nonnull (e);
        g_assert_true (g_str_has_prefix (e->message, "amend.json:1:"));
      }
  }
}

int
main (int    argc,
      char **argv)
{
  AbProblemSet *set;

  g_test_init (&argc, &argv, NULL);
  set = ab_problem_set_get_default ();
  g_assert_cmpuint (ab_problem_set_get_n (set), ==, 35);
  for (guint i = 0; i < ab_problem_set_get_n (set); i++)
    {
      AbProblem *problem = ab_problem_set_get_nth (set, i);
      g_autofree char *path = g_strdup_printf ("/problems/reference/%s", problem->id);
      g_autofree char *load_path = g_strdup_printf ("/problems/reference-load/%s", problem->id);

      g_test_add_data_func (path, problem->id, test_reference);
      g_test_add_data_func (load_path, problem->id, test_reference_load);
    }
  g_test_add_func ("/problems/reference/unamended-fails", test_unamended_fails);
  g_test_add_func ("/problems/reference/compare", test_reference_compare);
  g_test_add_func ("/problems/reference-load/one-instance-overloaded", test_unsized_reference_overloaded);
  g_test_add_func ("/problems/reference-load/multi-master-every-write", test_multi_master_every_write);
  g_test_add_func ("/problems/reference-load/unmeetable-peak-sized-for-normal", test_unmeetable_peak_sized_for_normal);
  g_test_add_func ("/problems/amendments/why-and-requirement-quote", test_amendment_why_and_requirement_quote);
  g_test_add_func ("/problems/amendments/why-errors", test_amendment_why_errors);
  g_test_add_func ("/problems/amendments/param-target-workload", test_amendment_param_target_workload);
  return g_test_run ();
}
