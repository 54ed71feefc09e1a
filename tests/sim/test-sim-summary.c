/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbSimSetup / AbSimSummary / AbSimPoint: the figures the window and the
 * report show are exactly those of `archboard-cli simulate` on the same
 * file, scenario and seed (model and DES, per phase, cost, checks, time
 * series), reach and failure flags, and bad options. */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <sys/wait.h>

#include "archboard-core.h"
#include "sim-test-util.h"

static char *tmpdir;

static JsonObject *
run_cli_json (const char *path,
              const char *scenario,
              const char *seed,
              const char *budget,
              JsonParser **parser)
{
  g_autofree char *cli = g_build_filename (g_getenv ("ARCHBOARD_BUILDDIR"), "src", "cli", "archboard-cli", NULL);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { cli, "simulate", "--format", "json", "--scenario", scenario, "--seed", seed,
                         "--requests", budget, path, NULL };
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  *parser = json_parser_new ();
  json_parser_load_from_data (*parser, out, -1, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (*parser));
}

static void
assert_same (JsonObject *o,
             const char *member,
             double      value)
{
  JsonNode *n = json_object_get_member (o, member);

  g_assert_nonnull (n);
  if (JSON_NODE_HOLDS_NULL (n))
    {
      if (isfinite (value))
        g_error ("%s: CLI null, summary %.17g", member, value);
      return;
    }
  if (json_node_get_double (n) != value)
    g_error ("%s: CLI %.17g, summary %.17g", member, json_node_get_double (n), value);
}

static void
compare (JsonObject         *res,
         const AbSimSetup   *setup,
         const AbSimSummary *s)
{
  JsonArray *phases = json_object_get_array_member (res, "phases");
  JsonArray *checks = json_object_get_array_member (res, "checks");
  JsonObject *cost = json_object_get_object_member (res, "cost");
  JsonObject *by = json_object_get_object_member (cost, "by_component");
  const AbNetwork *network = ab_sim_setup_get_network (setup);
  static const char *const classes[] = { "read", "write", "all" };

  g_assert_cmpuint (json_array_get_length (phases), ==, s->n_phases);
  for (guint p = 0; p < s->n_phases; p++)
    {
      JsonObject *ph = json_array_get_object_element (phases, p);
      const AbSimPhase *sp = &s->phases[p];

      g_assert_cmpstr (json_object_get_string_member (ph, "name"), ==, sp->name);
      g_test_message ("phase %s, %s", sp->name, s->method == AB_SIM_METHOD_DES ? "des" : "model");
      assert_same (ph, "offered_rps", sp->offered_rps);
      assert_same (ph, "served_rps", sp->served_rps);
      assert_same (ph, "error_rate", sp->error_rate);
      assert_same (ph, "bottleneck_utilization", sp->bottleneck_utilization);
      assert_same (ph, "lag_ms", sp->lag_ms);
      assert_same (ph, "lag_slowest_ms", sp->lag_slowest_ms);
      if (sp->lag_slowest >= 0)
        g_assert_cmpstr (json_object_get_string_member (ph, "lag_slowest"), ==,
                         network->stations[sp->lag_slowest].id);
      else
        g_assert_true (json_object_get_null_member (ph, "lag_slowest"));
      assert_same (ph, "background_rps", sp->background_rps);
      assert_same (ph, "background_error_rate", sp->background_error_rate);
      if (sp->bottleneck >= 0)
        g_assert_cmpstr (json_object_get_string_member (ph, "bottleneck"), ==,
                         network->stations[sp->bottleneck].id);
      else
        g_assert_true (json_object_get_null_member (ph, "bottleneck"));
      for (int k = 0; k < 3; k++)
        {
          JsonObject *l = json_object_get_object_member (ph, classes[k]);

          assert_same (l, "p50_ms", sp->latency[k].p50_ms.value);
          assert_same (l, "p95_ms", sp->latency[k].p95_ms.value);
          assert_same (l, "p99_ms", sp->latency[k].p99_ms.value);
        }
    }
  {
    g_autofree char *background = ab_sim_summary_background_text (s, setup);

    if (background == NULL)
      g_assert_true (json_object_get_null_member (res, "background"));
    else
      g_assert_cmpstr (json_object_get_string_member (res, "background"), ==, background);
  }
  assert_same (res, "max_sustainable_rps", s->max_sustainable_rps);
  assert_same (res, "availability", s->availability);
  assert_same (cost, "per_hour", s->cost->per_hour);
  assert_same (cost, "per_month", s->cost->per_month);
  for (guint i = 0; i < s->n_stations; i++)
    assert_same (by, network->stations[i].id, s->cost->items[i].total);
  g_assert_cmpuint (json_array_get_length (checks), ==, s->checks->len);
  g_assert_cmpuint (s->checks->len, >, 0);
  for (guint i = 0; i < s->checks->len; i++)
    {
      JsonObject *c = json_array_get_object_element (checks, i);
      const AbCheck *check = g_ptr_array_index (s->checks, i);

      assert_same (c, "value", check->value);
      assert_same (c, "bound", check->bound);
      g_assert_cmpint (json_object_get_boolean_member (c, "pass"), ==, check->pass);
    }
}

typedef struct {
  const AbSimSetup *setup;
  GPtrArray        *points;
} Collect;

static void
collect_bucket (const AbDesBucket *bucket,
                gpointer           data)
{
  Collect *c = data;

  g_ptr_array_add (c->points, ab_sim_point_new_from_bucket (c->setup, bucket));
}

static void
test_same_as_cli (gconstpointer data)
{
  const char *problem_id = data;
  AbProblem *problem = ab_problem_set_lookup (ab_problem_set_get_default (), problem_id);
  g_autoptr(AbDesign) design = NULL;
  g_autofree char *path = g_build_filename (tmpdir, "design.archboard", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(AbSimSetup) setup = NULL;
  g_autoptr(AbSimSummary) model = NULL;
  g_autoptr(AbSimSummary) des_summary = NULL;
  g_autoptr(AbDesResult) des = NULL;
  g_autoptr(GPtrArray) points = g_ptr_array_new_with_free_func ((GDestroyNotify) ab_sim_point_free);
  AbSimOptions options;
  AbDesConfig config;
  Collect collect;
  JsonObject *root;
  JsonArray *series;

  g_assert_nonnull (problem);
  design = sim_reference_design (problem);
  g_assert_true (ab_design_save_to_file (design, path, &error));
  g_assert_no_error (error);
  /* a budget that covers the whole timeline (gaming-leaderboard's is
   * windowed, not truncated) */
  root = run_cli_json (path, "timeline", "42", "150000", &parser);
  /* the window simulates what it opened */
  g_clear_object (&design);
  design = ab_design_load_from_file (path, &error);
  g_assert_no_error (error);

  ab_sim_options_init (&options);
  options.seed = 42;
  options.budget = 150000;
  setup = ab_sim_setup_new (design, problem, &options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (setup);

  model = ab_sim_summary_new_model (setup);
  compare (json_object_get_object_member (root, "analytical"), setup, model);
  g_assert_true (model->phases[model->normal].name != NULL);
  g_assert_cmpstr (model->phases[model->normal].name, ==, "normal");

  ab_des_config_init (&config);
  collect.setup = setup;
  collect.points = points;
  config.on_bucket = collect_bucket;
  config.user_data = &collect;
  des = ab_sim_setup_run_des (setup, &config, &error);
  g_assert_no_error (error);
  des_summary = ab_sim_summary_new_des (setup, des);
  compare (json_object_get_object_member (root, "des"), setup, des_summary);
  g_assert_cmpuint (des_summary->seed, ==, 42);

  /* the streamed points are the first replication's; with one replication
   * they are the series */
  series = json_object_get_array_member (json_object_get_object_member (root, "des"), "series");
  g_assert_cmpuint (points->len, ==, json_array_get_length (series));
  if (des->replications == 1)
    for (guint i = 0; i < points->len; i++)
      {
        const AbSimPoint *pt = g_ptr_array_index (points, i);
        JsonObject *row = json_array_get_object_element (series, i);

        assert_same (row, "t", pt->t_s);
        assert_same (row, "offered_rps", pt->offered_rps);
        assert_same (row, "p95_ms", pt->p95_ms);
        assert_same (row, "cost_per_hour", pt->cost_per_hour);
      }

  /* a component that works is reached; every component of this
   * reference is (gaming-leaderboard's snapshot worker has no caller and
   * no load of its own) */
  for (guint i = 0; i < des_summary->n_stations; i++)
    {
      if (des_summary->utilization[i] > 0.0)
        g_assert_cmpint (des_summary->reach[i], ==, AB_SIM_REACHED);
      if (g_str_equal (problem_id, "basic-database-design"))
        g_assert_cmpint (des_summary->reach[i], ==, AB_SIM_REACHED);
    }
  g_unlink (path);
}

static void
test_reach_and_failure (void)
{
  AbProblem *problem = ab_problem_set_lookup (ab_problem_set_get_default (), "basic-database-design");
  g_autoptr(AbDesign) design = sim_reference_design (problem);
  g_autoptr(GError) error = NULL;
  g_autoptr(AbSimSetup) setup = NULL;
  g_autoptr(AbSimSummary) s = NULL;
  AbSimOptions options;
  const char *lonely_id;
  const AbNetwork *network;
  int idx;
  gboolean any_failed = FALSE;

  lonely_id = ab_design_add_component (design, AB_KIND_CACHE, NULL, 0, 0, 1);
  g_assert_nonnull (lonely_id);
  ab_sim_options_init (&options);
  options.scenario = AB_SIM_SCENARIO_FAILURE;
  options.fail_id = lonely_id;
  setup = ab_sim_setup_new (design, problem, &options, &error);
  g_assert_no_error (error);
  network = ab_sim_setup_get_network (setup);
  s = ab_sim_summary_new_model (setup);
  idx = ab_network_find (network, lonely_id);
  g_assert_cmpint (idx, >=, 0);
  g_assert_cmpint (s->reach[idx], ==, AB_SIM_UNREACHED_NO_CALLER);
  g_assert_cmpfloat (s->utilization[idx], ==, 0.0);
  /* only the failure target is lost */
  for (guint i = 0; i < s->n_stations; i++)
    {
      g_assert_true (s->failed[i] == ((int) i == idx));
      any_failed |= s->failed[i];
    }
  g_assert_true (any_failed);
  g_assert_cmpstr (ab_sim_setup_get_label (setup, (guint) idx), ==, ab_design_find_component (design, lonely_id)->label);
  g_assert_cmpuint (s->n_connections, ==, ab_design_get_n_connections (design));

  options.fail_id = "no-such-component";
  g_clear_pointer (&setup, ab_sim_setup_unref);
  setup = ab_sim_setup_new (design, problem, &options, &error);
  g_assert_null (setup);
  g_assert_error (error, AB_ERROR, AB_ERROR_NOT_FOUND);
}

/* Background work in the summary: a lost standby takes every write's
 * replication with it (the users' writes succeed): the model and the DES
 * both count it as lost background work, and the summary says so; a
 * design without background work has no such line. */
static void
test_background (void)
{
  AbProblem *problem = ab_problem_set_lookup (ab_problem_set_get_default (), "nosql-basics");
  g_autoptr(AbDesign) design = sim_reference_design (problem);
  g_autoptr(GError) error = NULL;
  g_autoptr(AbSimSetup) setup = NULL;
  AbSimOptions options;
  const char *standby = "c7";

  g_assert_cmpint (ab_design_find_component (design, standby)->kind, ==, AB_KIND_DB_REPLICA);
  ab_sim_options_init (&options);
  options.scenario = AB_SIM_SCENARIO_FAILURE;
  options.fail_id = standby;
  options.budget = 200000;
  setup = ab_sim_setup_new (design, problem, &options, &error);
  g_assert_no_error (error);
  for (int m = 0; m < 2; m++)
    {
      g_autoptr(AbDesResult) des = NULL;
      g_autoptr(AbSimSummary) s = NULL;
      g_autofree char *text = NULL;
      gboolean seen_failure = FALSE;

      if (m == 0)
        s = ab_sim_summary_new_model (setup);
      else
        {
          des = ab_sim_setup_run_des (setup, NULL, &error);
          g_assert_no_error (error);
          s = ab_sim_summary_new_des (setup, des);
        }
      for (guint p = 0; p < s->n_phases; p++)
        {
          const AbSimPhase *ph = &s->phases[p];

          g_assert_cmpfloat (ph->background_rps, >, 0.0);
          if (g_str_equal (ph->name, "failure"))
            {
              seen_failure = TRUE;
              g_assert_cmpfloat (ph->background_error_rate, >, 0.99);
              g_assert_cmpfloat (ph->error_rate, <, 0.01);
            }
          else
            g_assert_cmpfloat (ph->background_error_rate, <, 0.01);
        }
      g_assert_true (seen_failure);
      text = ab_sim_summary_background_text (s, setup);
      g_test_message ("%s: %s", m == 0 ? "model" : "des", text);
      g_assert_nonnull (text);
      g_assert_true (g_str_has_suffix (text, "of it is lost in the failure phase"));
    }

  /* client -> app -> database: nothing in the background */
  {
    g_autoptr(AbDesign) plain = ab_design_new (NULL);
    g_autoptr(AbSimSetup) plain_setup = NULL;
    g_autoptr(AbSimSummary) s = NULL;
    g_autofree char *text = NULL;
    const char *client = ab_design_add_component (plain, AB_KIND_CLIENT, "Users", 0, 0, 1);
    const char *app = ab_design_add_component (plain, AB_KIND_APP, "API", 0, 0, 2);
    const char *db = ab_design_add_component (plain, AB_KIND_DB_PRIMARY, "DB", 0, 0, 1);

    ab_design_connect (plain, client, app, &error);
    g_assert_no_error (error);
    ab_design_connect (plain, app, db, &error);
    g_assert_no_error (error);
    ab_sim_options_init (&options);
    options.read_rps = 100.0;
    options.write_rps = 10.0;
    plain_setup = ab_sim_setup_new (plain, NULL, &options, &error);
    g_assert_no_error (error);
    s = ab_sim_summary_new_model (plain_setup);
    g_assert_cmpfloat (s->phases[s->normal].background_rps, ==, 0.0);
    text = ab_sim_summary_background_text (s, plain_setup);
    g_assert_null (text);
  }
}

/* The background line names the slowest end when it lags well behind the
 * mean: the multi-master reference with an audit worker of 150 ms fed
 * from the conflict resolver; without a setup (no names) it states the
 * mean alone. */
static void
test_background_slowest (void)
{
  AbProblem *problem = ab_problem_set_lookup (ab_problem_set_get_default (), "multi-master-replication");
  g_autoptr(AbDesign) design = sim_reference_design (problem);
  g_autoptr(AbSimSetup) setup = NULL;
  g_autoptr(AbSimSummary) s = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *named = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *base = NULL;
  const char *resolver = NULL, *audit, *edge;
  AbSimOptions options;
  const AbSimPhase *normal;

  for (guint i = 0; i < ab_design_get_n_components (design); i++)
    if (g_str_equal (ab_design_get_component (design, i)->label, "Conflict Resolver"))
      resolver = ab_design_get_component (design, i)->id;
  g_assert_nonnull (resolver);
  ab_sim_options_init (&options);
  setup = ab_sim_setup_new (design, problem, &options, &error);
  g_assert_no_error (error);
  s = ab_sim_summary_new_model (setup);
  base = ab_sim_summary_background_text (s, setup);
  g_test_message ("reference: %s", base);
  /* the standbys end a little after the masters: one figure */
  g_assert_null (strstr (base, "(the slowest)"));
  g_clear_pointer (&s, ab_sim_summary_free);
  g_clear_pointer (&setup, ab_sim_setup_unref);

  audit = ab_design_add_component (design, AB_KIND_WORKER, "Audit Worker", 0, 0, 10000);
  ab_design_set_component_param (design, audit, "service_ms", g_variant_new_double (150.0));
  edge = ab_design_connect (design, resolver, audit, &error);
  g_assert_no_error (error);
  ab_design_set_connection_mode (design, edge, AB_CONN_ASYNC);
  setup = ab_sim_setup_new (design, problem, &options, &error);
  g_assert_no_error (error);
  s = ab_sim_summary_new_model (setup);
  normal = &s->phases[s->normal];
  g_assert_cmpint (normal->lag_slowest, ==, ab_network_find (ab_sim_setup_get_network (setup), audit));
  g_assert_cmpfloat (normal->lag_slowest_ms, >, 150.0);
  g_assert_cmpfloat (normal->lag_ms, <, 50.0);
  named = ab_sim_summary_background_text (s, setup);
  plain = ab_sim_summary_background_text (s, NULL);
  g_test_message ("%s / %s", named, plain);
  g_assert_true (g_str_has_prefix (named, "23.2 ms behind the requests on average, 151 ms at Audit Worker (the slowest); "));
  g_assert_true (g_str_has_prefix (plain, "23.2 ms behind the requests; "));
}

/* A phase that answers none of a class (gaming-leaderboard's reference
 * loses its only primary: every request of the failure phase fails; no
 * writes at all in rate-limit-counters) has no latency: unknown in both
 * methods, so the window, the report and archboard-cli write "-" or
 * null.  The DES read 0 ms at every percentile and the model the path's
 * latency of requests that all fail. */
/* A problem's reference under its default timeline (seed 7), summed up
 * by the model and by the DES */
typedef struct {
  AbDesign     *design;
  AbSimSetup   *setup;
  AbDesResult  *des;
  /* the model's summary, then the DES's */
  AbSimSummary *both[2];
} BothMethods;

static void
both_methods_run (BothMethods *b, AbProblem *problem)
{
  g_autoptr(GError) error = NULL;
  AbSimOptions options;

  b->design = sim_reference_design (problem);
  ab_sim_options_init (&options);
  options.seed = 7;
  b->setup = ab_sim_setup_new (b->design, problem, &options, &error);
  g_assert_no_error (error);
  b->both[0] = ab_sim_summary_new_model (b->setup);
  b->des = ab_sim_setup_run_des (b->setup, NULL, &error);
  g_assert_no_error (error);
  b->both[1] = ab_sim_summary_new_des (b->setup, b->des);
}

static void
both_methods_clear (BothMethods *b)
{
  g_clear_pointer (&b->both[1], ab_sim_summary_free);
  g_clear_pointer (&b->both[0], ab_sim_summary_free);
  g_clear_pointer (&b->des, ab_des_result_free);
  g_clear_pointer (&b->setup, ab_sim_setup_unref);
  g_clear_object (&b->design);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BothMethods, both_methods_clear)

static void
test_nothing_answered (void)
{
  static const char *const ids[] = { "gaming-leaderboard", "rate-limit-counters" };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_auto(BothMethods) run = { 0 };
      AbSimSummary *const *both = run.both;
      const AbDesResult *des;
      guint unknown = 0;

      both_methods_run (&run, ab_problem_set_lookup (ab_problem_set_get_default (), ids[i]));
      des = run.des;
      for (guint m = 0; m < G_N_ELEMENTS (run.both); m++)
        for (guint p = 0; p < both[m]->n_phases; p++)
          {
            const AbSimPhase *ph = &both[m]->phases[p];

            for (int k = 0; k <= AB_N_CLASSES; k++)
              {
                const AbLatencyStats *l = &ph->latency[k];
                gboolean none = !(ph->served_rps > 0.0)
                                || (k == AB_CLASS_WRITE && g_str_equal (ids[i], "rate-limit-counters"));

                if (m == 1 && ph->simulated && k == AB_N_CLASSES)
                  /* the DES answered none of the phase exactly when it
                   * served none */
                  g_assert_true ((des->phases[p].latency[k].count == 0) == none);
                if (!none)
                  {
                    g_assert_true (isfinite (l->p50_ms.value) && l->p50_ms.value > 0.0);
                    continue;
                  }
                g_test_message ("%s, %s, %s, class %d: nothing answered", ids[i],
                                m == 0 ? "model" : "DES", ph->name, k);
                g_assert_true (isnan (l->mean_ms.value));
                g_assert_true (isnan (l->p50_ms.value));
                g_assert_true (isnan (l->p95_ms.value));
                g_assert_true (isnan (l->p99_ms.value));
                unknown++;
              }
          }
      /* gaming-leaderboard: the failure phase, both methods; rate-limit-
       * counters: its writes in every phase, both methods */
      g_assert_cmpuint (unknown, >=, 2);
    }
}

/* The default failure target of nosql-basics is its first primary, which
 * fails over to its standby after failover_s: the timeline reports the
 * pending failover ("failure", the writes to it fail) and the state after
 * the takeover ("failed-over", nothing fails) as phases of their own, in
 * the model and in the DES alike. */
static void
test_failover_phases (void)
{
  g_auto(BothMethods) run = { 0 };
  AbSimSummary *const *both = run.both;
  const AbSimSetup *setup;
  const AbScenario *scenario;
  const AbScenarioEvent *lost;
  const AbStation *st;

  both_methods_run (&run, ab_problem_set_lookup (ab_problem_set_get_default (), "nosql-basics"));
  setup = run.setup;
  scenario = ab_sim_setup_get_scenario (setup);
  lost = &g_array_index (scenario->events, AbScenarioEvent, 0);
  g_assert_cmpint (lost->kind, ==, AB_SCENARIO_LOSE_STATION);
  st = &ab_sim_setup_get_network (setup)->stations[ab_network_find (ab_sim_setup_get_network (setup), lost->station)];
  g_assert_cmpint (st->kind, ==, AB_KIND_DB_PRIMARY);
  g_assert_cmpint (st->failover_to, >=, 0);
  g_assert_cmpfloat (st->failover_s, >=, AB_SCENARIO_MIN_PENDING_S);

  for (guint m = 0; m < G_N_ELEMENTS (run.both); m++)
    {
      const AbSimPhase *failure = NULL, *over = NULL;

      for (guint p = 0; p < both[m]->n_phases; p++)
        {
          if (g_str_equal (both[m]->phases[p].name, "failure"))
            failure = &both[m]->phases[p];
          else if (g_str_equal (both[m]->phases[p].name, "failed-over"))
            over = &both[m]->phases[p];
        }
      g_assert_nonnull (failure);
      g_assert_nonnull (over);
      g_test_message ("%s: failure %.0f s, %.2f %% errors; failed over %.0f s, %.2f %% errors",
                      m == 0 ? "model" : "DES", failure->duration_s, 100.0 * failure->error_rate,
                      over->duration_s, 100.0 * over->error_rate);
      g_assert_cmpfloat (failure->start_s, ==, lost->t_s);
      g_assert_cmpfloat (failure->duration_s, ==, st->failover_s);
      g_assert_cmpfloat (over->start_s, ==, lost->t_s + st->failover_s);
      g_assert_cmpfloat (over->duration_s, ==, AB_SCENARIO_DEFAULT_FAILURE_S);
      /* the writes to the lost primary fail until the takeover, not after */
      g_assert_cmpfloat (failure->error_rate, >, 0.02);
      g_assert_cmpfloat (over->error_rate, <, 0.001);
    }
}

static void
test_scenario_names (void)
{
  AbSimScenarioKind kind;

  for (int k = AB_SIM_SCENARIO_NORMAL; k <= AB_SIM_SCENARIO_TIMELINE; k++)
    {
      g_assert_true (ab_sim_scenario_kind_from_string (ab_sim_scenario_kind_to_string (k), &kind));
      g_assert_cmpint (kind, ==, k);
    }
  g_assert_false (ab_sim_scenario_kind_from_string ("sometimes", &kind));
}

/* A replica a primary fails over to, under a workload without writes:
 * nothing reaches it, but it is a standby, not idle; with writes it
 * applies them and is reached. */
static void
test_reach_standby (void)
{
  AbProblem *problem = ab_problem_set_lookup (ab_problem_set_get_default (), "basic-database-design");

  for (guint writes = 0; writes <= 10; writes += 10)
    {
      g_autoptr(AbDesign) design = ab_design_new ("basic-database-design");
      g_autoptr(GError) error = NULL;
      g_autoptr(AbSimSetup) setup = NULL;
      g_autoptr(AbSimSummary) s = NULL;
      const char *client, *app, *primary, *replica, *spare;
      const AbNetwork *network;
      AbSimOptions options;

      client = ab_design_add_component (design, AB_KIND_CLIENT, NULL, 0, 0, 1);
      app = ab_design_add_component (design, AB_KIND_APP, NULL, 200, 0, 4);
      primary = ab_design_add_component (design, AB_KIND_DB_PRIMARY, NULL, 400, 0, 1);
      replica = ab_design_add_component (design, AB_KIND_DB_REPLICA, NULL, 600, 0, 1);
      spare = ab_design_add_component (design, AB_KIND_CACHE, NULL, 600, 200, 1);
      g_assert_nonnull (ab_design_connect (design, client, app, &error));
      g_assert_nonnull (ab_design_connect (design, app, primary, &error));
      g_assert_nonnull (ab_design_connect (design, primary, replica, &error));
      g_assert_no_error (error);
      ab_sim_options_init (&options);
      options.read_rps = 100;
      options.write_rps = writes;
      setup = ab_sim_setup_new (design, problem, &options, &error);
      g_assert_no_error (error);
      network = ab_sim_setup_get_network (setup);
      g_assert_cmpint (network->stations[ab_network_find (network, primary)].failover_to, ==,
                       ab_network_find (network, replica));
      s = ab_sim_summary_new_model (setup);
      g_assert_cmpint (s->reach[ab_network_find (network, replica)], ==,
                       writes == 0 ? AB_SIM_STANDBY : AB_SIM_REACHED);
      g_assert_cmpint (s->reach[ab_network_find (network, primary)], ==, AB_SIM_REACHED);
      g_assert_cmpint (s->reach[ab_network_find (network, spare)], ==, AB_SIM_UNREACHED_NO_CALLER);
    }
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("ab-sim-summary-XXXXXX", NULL);
  g_test_add_data_func ("/sim-summary/same-as-cli/basic-database-design", "basic-database-design",
                        test_same_as_cli);
  g_test_add_data_func ("/sim-summary/same-as-cli/gaming-leaderboard", "gaming-leaderboard", test_same_as_cli);
  g_test_add_func ("/sim-summary/reach-and-failure", test_reach_and_failure);
  g_test_add_func ("/sim-summary/reach-standby", test_reach_standby);
  g_test_add_func ("/sim-summary/scenario-names", test_scenario_names);
  g_test_add_func ("/sim-summary/background", test_background);
  g_test_add_func ("/sim-summary/background-slowest", test_background_slowest);
  g_test_add_func ("/sim-summary/failover-phases", test_failover_phases);
  g_test_add_func ("/sim-summary/nothing-answered", test_nothing_answered);
  status = g_test_run ();
  g_rmdir (tmpdir);
  return status;
}
