/* SPDX-License-Identifier: GPL-3.0-or-later */
/* archboard-cli simulate: the JSON shape of issue 3, CSV, text, exit
 * codes and determinism, an overloaded design over the whole timeline
 * (windows), run as a real process. */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/wait.h>

#include "ab-design.h"
#include "ab-format.h"

static char *tmpdir;
static char *reference;

static char *
cli_path (void)
{
  const char *build = g_getenv ("ARCHBOARD_BUILDDIR");

  g_assert_nonnull (build);
  return g_build_filename (build, "src", "cli", "archboard-cli", NULL);
}

/* Runs the CLI with @args (NULL-terminated), returns the exit status. */
static int
run (char **out, char **err, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  va_list ap;
  const char *arg;
  int status = 0;

  g_ptr_array_add (argv, cli_path ());
  va_start (ap, err);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, NULL);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static JsonObject *
parse (const char *text, JsonParser **parser)
{
  g_autoptr(GError) error = NULL;

  *parser = json_parser_new ();
  json_parser_load_from_data (*parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (*parser));
}

static void
assert_members (JsonObject *o, const char *const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (!json_object_has_member (o, names[i]))
      g_error ("missing key \"%s\"", names[i]);
}

static void
check_result (JsonObject *res)
{
  static const char *const result_keys[] = { "phases", "max_sustainable_rps", "availability", "cost",
                                             "checks", "series", NULL };
  static const char *const phase_keys[] = { "name", "offered_rps", "served_rps", "error_rate", "bottleneck",
                                            "read", "write", "all", "components", "edges", NULL };
  static const char *const latency_keys[] = { "mean_ms", "p50_ms", "p95_ms", "p99_ms", NULL };
  static const char *const component_keys[] = { "id", "kind", "instances", "utilization", "queue_length",
                                                "offered_rps", "served_rps", "capacity_rps", "sojourn_ms", NULL };
  static const char *const edge_keys[] = { "id", "read_rps", "write_rps", NULL };
  static const char *const cost_keys[] = { "per_hour", "per_month", "by_component", NULL };
  static const char *const check_keys[] = { "target", "value", "pass", NULL };
  static const char *const series_keys[] = { "t", "offered_rps", "served_rps", "errors", "p50_ms", "p95_ms",
                                             "p99_ms", "cost_per_hour", NULL };
  JsonArray *phases, *series, *checks;
  JsonObject *phase, *cost;

  assert_members (res, result_keys);
  phases = json_object_get_array_member (res, "phases");
  g_assert_cmpuint (json_array_get_length (phases), >=, 1);
  phase = json_array_get_object_element (phases, 0);
  assert_members (phase, phase_keys);
  g_assert_cmpstr (json_object_get_string_member (phase, "name"), ==, "normal");
  assert_members (json_object_get_object_member (phase, "read"), latency_keys);
  assert_members (json_object_get_object_member (phase, "write"), latency_keys);
  assert_members (json_object_get_object_member (phase, "all"), latency_keys);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (phase, "components")), ==, 6);
  assert_members (json_array_get_object_element (json_object_get_array_member (phase, "components"), 0),
                  component_keys);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (phase, "edges")), ==, 5);
  assert_members (json_array_get_object_element (json_object_get_array_member (phase, "edges"), 0), edge_keys);
  g_assert_cmpfloat (json_object_get_double_member (phase, "offered_rps"), >, 0.0);
  cost = json_object_get_object_member (res, "cost");
  assert_members (cost, cost_keys);
  g_assert_cmpfloat (json_object_get_double_member (cost, "per_month"), >, 0.0);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (cost, "by_component")), ==, 6);
  checks = json_object_get_array_member (res, "checks");
  g_assert_cmpuint (json_array_get_length (checks), >=, 2);
  assert_members (json_array_get_object_element (checks, 0), check_keys);
  series = json_object_get_array_member (res, "series");
  g_assert_cmpuint (json_array_get_length (series), >=, 10);
  assert_members (json_array_get_object_element (series, 0), series_keys);
  g_assert_cmpfloat (json_object_get_double_member (res, "availability"), >, 0.9);
  g_assert_cmpfloat (json_object_get_double_member (res, "availability"), <=, 1.0);
}

static void
test_json (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *root;

  g_assert_cmpint (run (&out, &err, "simulate", reference, "--format", "json", "--scenario", "normal",
                        "--read-rps", "300", "--write-rps", "30", "--requests", "60000", NULL), ==, 0);
  root = parse (out, &parser);
  g_assert_true (json_object_has_member (root, "analytical"));
  g_assert_true (json_object_has_member (root, "des"));
  check_result (json_object_get_object_member (root, "analytical"));
  check_result (json_object_get_object_member (root, "des"));
  /* one vocabulary: every component has the same figures under the same
   * names in both methods; the DES measures what it serves and knows its
   * capacity (one instance's times the instances it ran), not its
   * arrivals */
  {
    JsonObject *phase[2];
    JsonArray *comps[2];

    for (int m = 0; m < 2; m++)
      {
        phase[m] = json_array_get_object_element (json_object_get_array_member (
            json_object_get_object_member (root, m == 0 ? "analytical" : "des"), "phases"), 0);
        comps[m] = json_object_get_array_member (phase[m], "components");
      }
    g_assert_cmpuint (json_array_get_length (comps[0]), ==, json_array_get_length (comps[1]));
    for (guint i = 0; i < json_array_get_length (comps[0]); i++)
      {
        JsonObject *model = json_array_get_object_element (comps[0], i);
        JsonObject *des = json_array_get_object_element (comps[1], i);
        g_autoptr(GList) model_keys = json_object_get_members (model);
        g_autoptr(GList) des_keys = json_object_get_members (des);
        double served;

        g_assert_cmpuint (g_list_length (model_keys), ==, g_list_length (des_keys));
        for (GList *l = model_keys, *d = des_keys; l != NULL; l = l->next, d = d->next)
          g_assert_cmpstr (l->data, ==, d->data);
        g_assert_false (json_object_has_member (des, "throughput_rps"));
        g_assert_true (json_object_get_null_member (des, "offered_rps"));
        if (g_strcmp0 (json_object_get_string_member (model, "kind"), "client") == 0)
          continue;
        served = json_object_get_double_member (model, "served_rps");
        g_assert_cmpfloat (served, >, 0.0);
        g_assert_cmpfloat_with_epsilon (json_object_get_double_member (des, "served_rps"), served, 0.1 * served);
        /* same instances (no autoscaling here): the same capacity */
        g_assert_cmpfloat_with_epsilon (json_object_get_double_member (des, "capacity_rps"),
                                        json_object_get_double_member (model, "capacity_rps"),
                                        1e-6 * json_object_get_double_member (model, "capacity_rps"));
      }
  }
  /* the overrides are the offered load */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (
      json_array_get_object_element (json_object_get_array_member (
          json_object_get_object_member (root, "analytical"), "phases"), 0), "offered_rps"), 330.0, 1e-6);
}

static void
test_methods_and_determinism (void)
{
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *err = NULL;
  g_autoptr(JsonParser) pa = NULL;
  g_autoptr(JsonParser) pc = NULL;

  g_assert_cmpint (run (&a, NULL, "simulate", reference, "-f", "json", "--method", "des", "--scenario", "peak",
                        "--read-rps", "100", "--write-rps", "10", "--seed", "7", "--requests", "40000", NULL), ==, 0);
  g_assert_cmpint (run (&b, NULL, "simulate", reference, "-f", "json", "--method", "des", "--scenario", "peak",
                        "--read-rps", "100", "--write-rps", "10", "--seed", "7", "--requests", "40000", NULL), ==, 0);
  g_assert_cmpstr (a, ==, b);
  g_assert_false (json_object_has_member (parse (a, &pa), "analytical"));
  g_assert_cmpint (run (&c, &err, "simulate", reference, "-f", "json", "--method", "analytical", NULL), ==, 0);
  g_assert_false (json_object_has_member (parse (c, &pc), "des"));
}

static void
test_pricing (void)
{
  g_autofree char *a = NULL, *b = NULL;
  g_autoptr(JsonParser) pa = NULL;
  g_autoptr(JsonParser) pb = NULL;
  double ca, cb;

  g_assert_cmpint (run (&a, NULL, "simulate", reference, "-f", "json", "-m", "analytical", "-s", "normal", NULL), ==, 0);
  g_assert_cmpint (run (&b, NULL, "simulate", reference, "-f", "json", "-m", "analytical", "-s", "normal",
                        "--pricing", "gcp-us-central1", NULL), ==, 0);
  ca = json_object_get_double_member (json_object_get_object_member (json_object_get_object_member (
           parse (a, &pa), "analytical"), "cost"), "per_hour");
  cb = json_object_get_double_member (json_object_get_object_member (json_object_get_object_member (
           parse (b, &pb), "analytical"), "cost"), "per_hour");
  g_assert_cmpfloat (ca, >, 0.0);
  g_assert_cmpfloat (cb, >, 0.0);
  g_assert_cmpfloat (ca, !=, cb);
}

static void
test_csv_and_text (void)
{
  g_autofree char *csv = NULL, *text = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_cmpint (run (&csv, NULL, "simulate", reference, "--format", "csv", "--method", "analytical", NULL), ==, 0);
  lines = g_strsplit (csv, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "method,t,offered_rps,served_rps,errors,p50_ms,p95_ms,p99_ms,cost_per_hour,estimated");
  g_assert_cmpuint (g_strv_length (lines), >, 100);  /* the default timeline, 1 s buckets */
  g_assert_true (g_str_has_prefix (lines[1], "analytical,0,"));
  {
    g_auto(GStrv) fields = g_strsplit (lines[1], ",", -1);
    g_assert_cmpuint (g_strv_length (fields), ==, 10);
    g_assert_cmpstr (fields[9], ==, "");  /* the model is never "estimated" */
  }

  g_assert_cmpint (run (&text, NULL, "simulate", reference, "-m", "analytical", NULL), ==, 0);
  g_assert_nonnull (strstr (text, "Analytical model"));
  g_assert_nonnull (strstr (text, "Checks:"));
  g_assert_nonnull (strstr (text, "normal"));
  g_assert_nonnull (strstr (text, "peak"));
  g_assert_nonnull (strstr (text, "Max sustainable rate"));
  /* the figures as the app writes them (src/core/ab-format.c): grouped
   * rates, "0.00 %" with its space, latencies with their unit, and the
   * columns still aligned (they read "1e+04 reads/s", "11000.0",
   * "0.00%", "6.19 / 17.7 / 25.8" and "(c3, 34%)") */
  g_assert_nonnull (strstr (text, "\nWorkload  10,000 reads/s, 1,000 writes/s, peak x2\n"));
  g_assert_nonnull (strstr (text, "\nphase       offered/s   served/s   errors  read p50/p95/p99   "));
  g_assert_nonnull (strstr (text, "\nnormal         11,000     11,000   0.00 %  6.19 ms / 17.7 ms / 25.8 ms  "));
  g_assert_nonnull (strstr (text, " (c3, 34 %)\n"));
  g_assert_nonnull (strstr (text, "\n  c3             app                26.0       34.1 %  "));
  g_assert_null (strstr (text, "0.00%"));
  g_clear_pointer (&text, g_free);

  /* no writes, no write latency: "-", the columns aligned all the same */
  g_assert_cmpint (run (&text, NULL, "simulate", reference, "-m", "analytical", "-s", "normal",
                        "--read-rps", "10000", "--write-rps", "0", NULL), ==, 0);
  g_assert_nonnull (strstr (text, "\nWorkload  10,000 reads/s, 0 writes/s, peak x2\n"));
  g_assert_nonnull (strstr (text, "\nnormal         10,000     10,000   0.00 %  6.19 ms / 17.7 ms / 25.8 ms  "
                                  "- / - / -                6.19 ms / 17.7 ms / 25.8 ms  "));
}

/* A learner's design: one app server for 11,000 req/s.  The DES cannot
 * simulate every second of the default timeline within its budget: it
 * simulates windows of every phase and fast-forwards the rest. */
static char *
overloaded_design (void)
{
  char *path = g_build_filename (tmpdir, "overloaded.archboard", NULL);
  g_autoptr(AbDesign) d = ab_design_new ("basic-database-design");
  g_autoptr(GError) error = NULL;
  const char *client = ab_design_add_component (d, AB_KIND_CLIENT, "Users", 0, 0, 1);
  const char *lb = ab_design_add_component (d, AB_KIND_LB, "LB", 0, 0, 1);
  const char *app = ab_design_add_component (d, AB_KIND_APP, "Blog API", 0, 0, 1);
  const char *db = ab_design_add_component (d, AB_KIND_DB_PRIMARY, "MySQL", 0, 0, 1);

  ab_design_connect (d, client, lb, &error);
  ab_design_connect (d, lb, app, &error);
  ab_design_connect (d, app, db, &error);
  g_assert_no_error (error);
  ab_design_save_to_file (d, path, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_overloaded_timeline (void)
{
  g_autofree char *path = overloaded_design ();
  g_autofree char *json = NULL, *text = NULL, *csv = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *des, *model;
  JsonArray *phases, *series;
  double capacity;
  guint estimated = 0;
  double duration_s = 0.0;
  g_auto(GStrv) lines = NULL;

  g_assert_cmpint (run (&json, NULL, "simulate", path, "-f", "json", NULL), ==, 0);
  des = json_object_get_object_member (parse (json, &parser), "des");
  model = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "analytical");
  capacity = json_object_get_double_member (model, "max_sustainable_rps");
  g_assert_cmpfloat (capacity, <, 5000.0);
  g_assert_true (json_object_get_boolean_member (des, "windowed"));
  g_assert_false (json_object_get_boolean_member (des, "truncated"));
  g_assert_cmpint (json_object_get_int_member (des, "visits"), <=, json_object_get_int_member (des, "budget"));
  phases = json_object_get_array_member (des, "phases");
  g_assert_cmpuint (json_array_get_length (phases), ==, 6);
  for (guint i = 0; i < json_array_get_length (phases); i++)
    {
      JsonObject *ph = json_array_get_object_element (phases, i);
      const char *name = json_object_get_string_member (ph, "name");

      g_test_message ("%-10s simulated %.3f of %.0f s in %" G_GINT64_FORMAT " windows, served %.0f/s "
                      "(capacity %.0f/s), errors %.3f", name, json_object_get_double_member (ph, "simulated_s"),
                      json_object_get_double_member (ph, "duration_s"), json_object_get_int_member (ph, "windows"),
                      json_object_get_double_member (ph, "served_rps"), capacity,
                      json_object_get_double_member (ph, "error_rate"));
      g_assert_cmpfloat (json_object_get_double_member (ph, "simulated_s"), >, 0.0);
      g_assert_cmpint (json_object_get_int_member (ph, "windows"), >=, 1);
      g_assert_cmpint (json_object_get_int_member (ph, "requests"), >, 0);
      g_assert_cmpfloat (json_object_get_double_member (ph, "error_rate"), >, 0.5);
      if (g_strcmp0 (name, "failure") == 0)
        continue;  /* the primary is lost: nothing is served */
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (ph, "served_rps"), capacity, 0.15 * capacity);
      if (g_strcmp0 (name, "normal") == 0)
        {
          g_assert_cmpstr (json_object_get_string_member (ph, "bottleneck_label"), ==, "Blog API");
          g_assert_true (g_str_has_prefix (json_object_get_string_member (ph, "bottleneck"), "c"));
        }
    }
  /* a bucket for every second of the timeline */
  for (guint i = 0; i < json_array_get_length (phases); i++)
    duration_s += json_object_get_double_member (json_array_get_object_element (phases, i), "duration_s");
  series = json_object_get_array_member (des, "series");
  g_assert_cmpuint (json_array_get_length (series), ==, (guint) duration_s);
  for (guint i = 0; i < json_array_get_length (series); i++)
    estimated += json_object_get_boolean_member (json_array_get_object_element (series, i), "estimated");
  g_assert_cmpuint (estimated, >, 0);
  g_assert_cmpuint (estimated, <, (guint) duration_s);

  g_assert_cmpint (run (&text, NULL, "simulate", path, "-m", "des", NULL), ==, 0);
  g_assert_null (strstr (text, "not simulated"));
  g_assert_null (strstr (text, "stopped"));
  g_assert_nonnull (strstr (text, "Blog API (c"));
  g_assert_nonnull (strstr (text, "simulated in windows"));
  g_assert_nonnull (strstr (text, "recovery"));

  g_assert_cmpint (run (&csv, NULL, "simulate", path, "-f", "csv", "-m", "des", "-s", "peak", NULL), ==, 0);
  lines = g_strsplit (csv, "\n", -1);
  g_assert_true (g_str_has_suffix (lines[0], ",estimated"));
  g_assert_true (g_str_has_suffix (lines[1], ",0"));  /* the first second is simulated */
  g_assert_nonnull (strstr (csv, ",1\n"));
}

/* A timeline the sample budget cannot cover (the distributed-database
 * reference at its own load): the phases the DES never reached say so
 * ("simulated": false) and every figure of them is null, not zero, as the
 * window and the report read "not simulated"; the model simulates every
 * phase. */
/* The distributed-database reference with its Raft followers back at the
 * 4 instances of the text's "5-node Raft cluster": they fall behind the
 * writes, their backlog grows, and the default timeline outgrows the
 * simulation's sample budget. */
static void
followers_as_drawn (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  JsonArray *components;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  components = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "components");
  for (guint i = 0; i < json_array_get_length (components); i++)
    {
      JsonObject *c = json_array_get_object_element (components, i);
      if (json_object_has_member (c, "label") && strstr (json_object_get_string_member (c, "label"), "Raft Followers"))
        json_object_set_int_member (c, "instances", 4);
    }
  json_generator_set_root (generator, json_parser_get_root (parser));
  g_assert_true (json_generator_to_file (generator, path, &error));
  g_assert_no_error (error);
}

static void
test_not_simulated (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "distributed.archboard", NULL);
  g_autofree char *json = NULL, *text = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *root;
  JsonArray *phases;
  guint skipped = 0, simulated = 0;

  g_assert_cmpint (run (NULL, NULL, "reference", "distributed-database", "-o", path, NULL), ==, 0);
  followers_as_drawn (path);
  g_assert_cmpint (run (&json, NULL, "simulate", path, "-f", "json", NULL), ==, 0);
  root = parse (json, &parser);

  phases = json_object_get_array_member (json_object_get_object_member (root, "analytical"), "phases");
  for (guint p = 0; p < json_array_get_length (phases); p++)
    {
      JsonObject *ph = json_array_get_object_element (phases, p);

      g_assert_true (json_object_get_boolean_member (ph, "simulated"));
      g_assert_false (json_object_get_null_member (ph, "error_rate"));
    }

  phases = json_object_get_array_member (json_object_get_object_member (root, "des"), "phases");
  for (guint p = 0; p < json_array_get_length (phases); p++)
    {
      JsonObject *ph = json_array_get_object_element (phases, p);
      JsonObject *all = json_object_get_object_member (ph, "all");
      JsonObject *comp = json_array_get_object_element (json_object_get_array_member (ph, "components"), 1);
      JsonObject *edge = json_array_get_object_element (json_object_get_array_member (ph, "edges"), 0);
      gboolean sim = json_object_get_boolean_member (ph, "simulated");
      const char *const figures[] = { "offered_rps", "served_rps", "error_rate", "bottleneck",
                                      "bottleneck_utilization", "lag_ms" };

      g_assert_cmpint (sim, ==, json_object_get_double_member (ph, "simulated_s") > 0.0);
      for (guint k = 0; k < G_N_ELEMENTS (figures); k++)
        if (g_strcmp0 (figures[k], "lag_ms") != 0 || !sim)
          g_assert_cmpint (json_object_get_null_member (ph, figures[k]), ==, !sim);
      g_assert_cmpint (json_object_get_null_member (all, "p50_ms"), ==, !sim);
      g_assert_cmpint (json_object_get_null_member (all, "p95_ms"), ==, !sim);
      g_assert_cmpint (json_object_get_null_member (all, "p99_ms"), ==, !sim);
      g_assert_cmpint (json_object_get_null_member (comp, "utilization"), ==, !sim);
      g_assert_cmpint (json_object_get_null_member (comp, "served_rps"), ==, !sim);
      g_assert_cmpint (json_object_get_null_member (edge, "read_rps"), ==, !sim);
      if (sim)
        simulated++;
      else
        skipped++;
    }
  g_test_message ("%u phases simulated, %u not", simulated, skipped);
  g_assert_cmpuint (simulated, >, 0);
  g_assert_cmpuint (skipped, >, 0);

  g_assert_cmpint (run (&text, NULL, "simulate", path, "-m", "des", NULL), ==, 0);
  g_assert_nonnull (strstr (text, "(not simulated: the sample budget ran out before any of its requests finished"));
}

static void
test_bad_input (void)
{
  g_autofree char *cycle = g_build_filename (tmpdir, "cycle.archboard", NULL);
  g_autofree char *garbage = g_build_filename (tmpdir, "garbage.archboard", NULL);
  const char *const *cases[] = {
    (const char *[]) { "simulate", NULL },
    (const char *[]) { "simulate", "/nonexistent/x.archboard", NULL },
    (const char *[]) { "simulate", garbage, NULL },
    (const char *[]) { "simulate", reference, "--method", "magic", NULL },
    (const char *[]) { "simulate", reference, "--scenario", "apocalypse", NULL },
    (const char *[]) { "simulate", reference, "--format", "xml", NULL },
    (const char *[]) { "simulate", reference, "--problem", "no-such-problem", NULL },
    (const char *[]) { "simulate", reference, "--pricing", "mars-1", NULL },
    (const char *[]) { "simulate", reference, "--read-rps", "-5", NULL },
    (const char *[]) { "simulate", reference, "--read-rps", "lots", NULL },
    (const char *[]) { "simulate", reference, "--fail", "c99", NULL },
    (const char *[]) { "simulate", reference, reference, NULL },
    (const char *[]) { "simulate", cycle, NULL },
  };

  g_file_set_contents (garbage, "{ not json", -1, NULL);
  {
    g_autoptr(AbDesign) d = ab_design_new ("basic-database-design");
    g_autoptr(GError) error = NULL;
    const char *client = ab_design_add_component (d, AB_KIND_CLIENT, NULL, 0, 0, 1);
    const char *a = ab_design_add_component (d, AB_KIND_APP, NULL, 0, 0, 1);
    const char *b = ab_design_add_component (d, AB_KIND_APP, NULL, 0, 0, 1);

    ab_design_connect (d, client, a, &error);
    ab_design_connect (d, a, b, &error);
    ab_design_connect (d, b, a, &error);
    g_assert_no_error (error);
    ab_design_save_to_file (d, cycle, &error);
    g_assert_no_error (error);
  }
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL, *err = NULL;
      const char *const *c = cases[i];
      int status;

      switch (g_strv_length ((char **) c))
        {
        case 1: status = run (&out, &err, c[0], NULL); break;
        case 2: status = run (&out, &err, c[0], c[1], NULL); break;
        case 3: status = run (&out, &err, c[0], c[1], c[2], NULL); break;
        default: status = run (&out, &err, c[0], c[1], c[2], c[3], NULL); break;
        }
      if (status != 2)
        g_error ("case %u (%s %s): exit %d, stderr: %s", i, c[1] ? c[1] : "", c[1] && c[2] ? c[2] : "", status, err);
      g_assert_cmpuint (strlen (err), >, 0);
    }
}

/* An availability the model estimates at 1 (the multi-master reference:
 * its replicas are down together less often than double precision
 * tells) reads as a bound in the text and its check, never "100 %"; the
 * JSON keeps the number. */
static void
test_availability_never_100 (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "multi-master.archboard", NULL);
  g_autofree char *json = NULL, *text = NULL, *figure = NULL, *line = NULL, *reason = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *root;
  double availability;

  g_assert_cmpint (run (NULL, NULL, "reference", "multi-master-replication", "-o", path, NULL), ==, 0);
  g_assert_cmpint (run (&json, NULL, "simulate", path, "-m", "analytical", "-f", "json", NULL), ==, 0);
  root = parse (json, &parser);
  availability = json_object_get_double_member (json_object_get_object_member (root, "analytical"),
                                                "availability");
  /* the test means something: past seven nines */
  g_assert_cmpfloat (availability, >, 1.0 - 1e-7);
  g_assert_cmpfloat (availability, <=, 1.0);

  g_assert_cmpint (run (&text, NULL, "simulate", path, "-m", "analytical", NULL), ==, 0);
  figure = ab_format_availability (availability);
  g_assert_cmpstr (figure, ==, "> 99.99999 %");
  line = g_strdup_printf ("Availability          %s\n", figure);
  g_assert_nonnull (strstr (text, line));
  reason = g_strdup_printf ("Estimated availability is %s", figure);
  g_assert_nonnull (strstr (text, reason));
  g_assert_null (strstr (text, "100 %"));
}

/* The multi-master reference, windowed at the default budget, knows the
 * lag of its slowest end too roughly from its one replication and makes
 * the extra pass for it; the JSON says so, and its visits count */
static void
test_lag_pass (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "multi-master-lag.archboard", NULL);
  g_autofree char *json = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *des;

  g_assert_cmpint (run (NULL, NULL, "reference", "multi-master-replication", "-o", path, NULL), ==, 0);
  g_assert_cmpint (run (&json, NULL, "simulate", path, "-m", "des", "-f", "json", NULL), ==, 0);
  des = json_object_get_object_member (parse (json, &parser), "des");
  g_assert_true (json_object_get_boolean_member (des, "windowed"));
  g_assert_cmpint (json_object_get_int_member (des, "lag_passes"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (des, "lag_visits"), >, 0);
  g_assert_cmpint (json_object_get_int_member (des, "visits"), >, json_object_get_int_member (des, "lag_visits"));
  g_assert_true (json_object_has_member (des, "lag_capped"));
  /* at most 0.4 of the budget, and as many again for its chains' tail */
  g_assert_cmpint (json_object_get_int_member (des, "lag_visits"), <=,
                   0.8 * json_object_get_int_member (des, "budget") + 1);
}

int
main (int argc, char **argv)
{
  g_autofree char *out = NULL, *err = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("ab-sim-cli-XXXXXX", NULL);
  reference = g_build_filename (tmpdir, "basic.archboard", NULL);
  status = run (&out, &err, "reference", "basic-database-design", "-o", reference, NULL);
  g_assert_cmpint (status, ==, 0);

  g_test_add_func ("/cli-simulate/json", test_json);
  g_test_add_func ("/cli-simulate/methods-determinism", test_methods_and_determinism);
  g_test_add_func ("/cli-simulate/pricing", test_pricing);
  g_test_add_func ("/cli-simulate/csv-text", test_csv_and_text);
  g_test_add_func ("/cli-simulate/overloaded-timeline", test_overloaded_timeline);
  g_test_add_func ("/cli-simulate/not-simulated", test_not_simulated);
  g_test_add_func ("/cli-simulate/lag-pass", test_lag_pass);
  g_test_add_func ("/cli-simulate/bad-input", test_bad_input);
  g_test_add_func ("/cli-simulate/availability-never-100", test_availability_never_100);
  status = g_test_run ();
  {
    g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;
    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmpdir, name, NULL);
        g_remove (path);
      }
    g_rmdir (tmpdir);
  }
  return status;
}
