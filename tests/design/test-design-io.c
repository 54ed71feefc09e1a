/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the .archboard format: round trips, every validation error with
 * its position, versioning, file bounds and atomic saving. */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "ab-catalog.h"
#include "ab-design.h"
#include "../german-test-util.h"

#define HEAD "{\n\"format\": \"archboard-design\",\n\"version\": 1,\n"

static void
assert_load_error (const char *text,
                   AbErrorCode code,
                   const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AbDesign) d = ab_design_load_from_data (text, -1, "f.archboard", &error);

  g_assert_null (d);
  if (error == NULL || error->domain != AB_ERROR || error->code != (int) code)
    g_error ("%s\n: expected code %d, got %s", text, code, error ? error->message : "success");
  if (g_getenv ("AB_DUMP"))
    g_printerr ("GOT %s\nWANT %s\n\n", error->message, expected);
  else if (strstr (error->message, expected) == NULL)
    g_error ("%s\n: message \"%s\" does not contain \"%s\"", text, error->message, expected);
}

static AbDesign *
full_design (void)
{
  AbDesign *d = ab_design_new ("storage-01");
  g_autofree char *client = g_strdup (ab_design_add_component (d, AB_KIND_CLIENT, "Users", 0, 0, 1));
  g_autofree char *lb = g_strdup (ab_design_add_component (d, AB_KIND_LB, NULL, 200.5, -10, 2));
  g_autofree char *app = g_strdup (ab_design_add_component (d, AB_KIND_APP, "API \"v2\"\n\xc3\xa9", 400, 0.1, 12));
  g_autofree char *cache = g_strdup (ab_design_add_component (d, AB_KIND_CACHE, NULL, 600, 100, 1));
  g_autofree char *db = g_strdup (ab_design_add_component (d, AB_KIND_DB_PRIMARY, NULL, 600, -100, 3));
  g_autofree char *q = g_strdup (ab_design_add_component (d, AB_KIND_QUEUE, NULL, 800, 0, 1));
  g_autofree char *e = NULL;

  ab_design_connect (d, client, lb, NULL);
  ab_design_connect (d, lb, app, NULL);
  ab_design_connect (d, app, cache, NULL);
  e = g_strdup (ab_design_connect (d, app, db, NULL));
  ab_design_connect (d, app, q, NULL);
  ab_design_set_region (d, db, "eu-west-1");
  ab_design_set_component_param (d, cache, "hit_ratio", g_variant_new_double (0.93));
  ab_design_set_component_param (d, app, "service_distribution", g_variant_new_string ("lognormal"));
  ab_design_set_component_param (d, app, "service_cv", g_variant_new_double (0.1 + 0.2));
  ab_design_set_connection_param (d, e, "latency_ms", g_variant_new_double (1.25));
  ab_design_set_connection_label (d, e, "writes");
  ab_design_set_notes (d, "Line 1\nLine 2\t\"quoted\" \\ \x01");
  ab_design_set_title (d, "My design");
  return d;
}

static void
test_round_trip (void)
{
  g_autoptr(AbDesign) d = full_design ();
  g_autoptr(GError) error = NULL;
  g_autofree char *bytes = NULL;
  g_autofree char *again = NULL;
  g_autoptr(AbDesign) loaded = NULL;
  gsize length = 0;

  bytes = ab_design_to_data (d, &length);
  g_assert_cmpuint (length, ==, strlen (bytes));
  g_assert_true (g_str_has_prefix (bytes, "{\n  \"format\": \"archboard-design\",\n  \"version\": 1,\n"));
  /* Shortest round-tripping numbers, integers without a fraction. */
  g_assert_nonnull (strstr (bytes, "\"service_cv\": 0.30000000000000004"));
  g_assert_nonnull (strstr (bytes, "\"hit_ratio\": 0.93"));
  g_assert_nonnull (strstr (bytes, "\"x\": 200.5"));
  g_assert_nonnull (strstr (bytes, "\"y\": -10,"));
  /* A control character typed into the notes is replaced, not saved. */
  g_assert_null (strstr (bytes, "\\u0001"));
  g_assert_nonnull (strstr (bytes, "\\\" \\\\ \xef\xbf\xbd"));

  loaded = ab_design_load_from_data (bytes, length, "r.archboard", &error);
  g_assert_no_error (error);
  again = ab_design_to_data (loaded, NULL);
  g_assert_cmpstr (again, ==, bytes);
  g_assert_false (ab_design_is_modified (loaded));
  g_assert_false (ab_design_can_undo (loaded));
  g_assert_cmpstr (ab_design_get_problem_id (loaded), ==, "storage-01");
  g_assert_cmpstr (ab_design_get_title (loaded), ==, "My design");
  g_assert_cmpstr (ab_design_get_created (loaded), ==, ab_design_get_created (d));
  g_assert_cmpstr (ab_design_find_component (loaded, "c3")->label, ==, "API \"v2\"\n\xc3\xa9");
  g_assert_cmpfloat (ab_component_get_param_double (ab_design_find_component (loaded, "c4"), "hit_ratio", 0), ==, 0.93);
  g_assert_cmpint (ab_design_find_connection (loaded, "e5")->mode, ==, AB_CONN_ASYNC);
  /* New ids continue after the loaded ones. */
  g_assert_cmpstr (ab_design_add_component (loaded, AB_KIND_APP, NULL, 0, 0, 1), ==, "c7");
}

/* Characters XML or Pango cannot carry: refused at load with line and
 * column, replaced when set by an edit. */
static void
test_unusable_characters (void)
{
  static const struct { const char *label; const char *expected; } cases[] = {
    { "A\xef\xbf\xbe", "f.archboard:3:57: U+FFFE cannot be used in text: it is a Unicode non-character" },
    { "AB\xef\xbf\xbf", "f.archboard:3:58: U+FFFF cannot be used in text" },
    { "\xef\xb7\x90", "f.archboard:3:56: U+FDD0 cannot be used in text" },
    { "\xf0\x9f\xbf\xbe", "f.archboard:3:56: U+1FFFE cannot be used in text" },
    { "x\\uFFFE", "f.archboard:3:57: \\uFFFE cannot be used in text: it is a Unicode non-character" },
    { "\\uFDEF", "f.archboard:3:56: \\uFDEF cannot be used in text" },
    { "bell\\u0007", "f.archboard:3:55: \"label\" holds control character U+0007" },
    { "\\f", "f.archboard:3:55: \"label\" holds control character U+000C" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf (
          "{\"format\": \"archboard-design\", \"version\": 1,\n\"components\": [\n"
          "  {\"id\": \"a\", \"kind\": \"app\", \"x\": 0, \"y\": 0, \"label\": \"%s\"}]}\n",
          cases[i].label);
      assert_load_error (text, strstr (cases[i].expected, "holds control") ? AB_ERROR_INVALID : AB_ERROR_PARSE,
                         cases[i].expected);
    }
  {
    g_autoptr(AbDesign) d = ab_design_new (NULL);
    const char *id = ab_design_add_component (d, AB_KIND_APP, "a\xef\xbf\xbe" "b\x01", 0, 0, 1);
    g_autofree char *data = NULL;
    g_autoptr(AbDesign) again = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_cmpstr (ab_design_find_component (d, id)->label, ==, "a\xef\xbf\xbd" "b\xef\xbf\xbd");
    ab_design_rename_component (d, id, "\xef\xb7\x90");
    g_assert_cmpstr (ab_design_find_component (d, id)->label, ==, "\xef\xbf\xbd");
    ab_design_set_notes (d, "\xf4\x8f\xbf\xbf");
    g_assert_cmpstr (ab_design_get_notes (d), ==, "\xef\xbf\xbd");
    data = ab_design_to_data (d, NULL);
    again = ab_design_load_from_data (data, -1, "x.archboard", &error);
    g_assert_no_error (error);
  }
}

static void
test_minimal_and_defaults (void)
{
  const char *text = HEAD
    "\"components\": [\n"
    "  {\"id\": \"web\", \"kind\": \"redirect_client\", \"x\": 1, \"y\": 2},\n"
    "  {\"id\": \"q\", \"kind\": \"queue\", \"x\": 1, \"y\": 2, \"label\": null, \"region\": null, \"params\": null}\n"
    "],\n"
    "\"connections\": [{\"id\": \"x\", \"from\": \"web\", \"to\": \"q\"}]\n}";
  g_autoptr(GError) error = NULL;
  g_autoptr(AbDesign) d = ab_design_load_from_data (text, -1, "m.archboard", &error);
  const AbComponent *c;

  g_assert_no_error (error);
  c = ab_design_find_component (d, "web");
  g_assert_cmpint (c->kind, ==, AB_KIND_CLIENT);
  g_assert_cmpint (c->instances, ==, 1);
  g_assert_cmpstr (c->label, ==, "Client");
  g_assert_null (ab_design_get_problem_id (d));
  g_assert_cmpstr (ab_design_get_notes (d), ==, "");
  g_assert_cmpint (ab_design_find_connection (d, "x")->mode, ==, AB_CONN_ASYNC);
  g_assert_cmpstr (ab_design_add_component (d, AB_KIND_APP, NULL, 0, 0, 1), ==, "c1");
}

typedef struct {
  const char *text;
  AbErrorCode code;
  const char *expected;
} BadFile;

static void
test_validation_errors (void)
{
  static const BadFile cases[] = {
    /* Not JSON / wrong shape */
    { "", AB_ERROR_PARSE, "f.archboard:1:1: empty document" },
    { "{\"format\": \"archboard-design\",}", AB_ERROR_PARSE, "f.archboard:1:31: trailing comma" },
    { "[]", AB_ERROR_INVALID, "f.archboard:1:1: an Archboard design must be an object, not an array" },
    { "{}", AB_ERROR_INVALID, "f.archboard:1:1: missing member \"format\"" },
    { "{\"format\": \"archboard-problem\", \"version\": 1}", AB_ERROR_INVALID,
      "f.archboard:1:12: not an Archboard design (\"format\" is \"archboard-problem\"" },
    { "{\"format\": \"archboard-design\"}", AB_ERROR_INVALID, "f.archboard:1:1: missing member \"version\"" },
    { "{\"format\": \"archboard-design\", \"version\": \"1\"}", AB_ERROR_INVALID,
      "f.archboard:1:43: \"version\" must be a number, not a string" },
    { "{\"format\": \"archboard-design\", \"version\": 1.5}", AB_ERROR_INVALID,
      "f.archboard:1:43: \"version\" must be a whole number, not 1.5" },
    { "{\"format\": \"archboard-design\", \"version\": 1e308}", AB_ERROR_VERSION,
      "f.archboard:1:43: written by a newer Archboard (format version 1e+308); this version reads up to 1" },
    { "{\"format\": \"archboard-design\", \"version\": 0}", AB_ERROR_INVALID,
      "f.archboard:1:43: format version 0 does not exist" },
    { "{\"format\": \"archboard-design\", \"version\": 3, \"future\": true}", AB_ERROR_VERSION,
      "f.archboard:1:43: written by a newer Archboard (format version 3); this version reads up to 1" },
    { HEAD "\"colour\": 1\n}", AB_ERROR_INVALID, "f.archboard:4:1: unknown member \"colour\"" },
    { HEAD "\"notes\": 5\n}", AB_ERROR_INVALID, "f.archboard:4:10: \"notes\" must be a string, not a number" },
    { HEAD "\"components\": {}\n}", AB_ERROR_INVALID, "f.archboard:4:15: \"components\" must be an array, not an object" },
    { HEAD "\"components\": [3]\n}", AB_ERROR_INVALID, "f.archboard:4:16: a component must be an object, not a number" },
    /* Components */
    { HEAD "\"components\": [\n {\"kind\": \"app\", \"x\": 0, \"y\": 0}\n]}", AB_ERROR_INVALID,
      "f.archboard:5:2: missing member \"id\"" },
    { HEAD "\"components\": [\n {\"id\": \"a b\", \"kind\": \"app\", \"x\": 0, \"y\": 0}\n]}", AB_ERROR_INVALID,
      "f.archboard:5:9: \"id\" must be 1 to 64 letters" },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"router\", \"x\": 0, \"y\": 0}\n]}", AB_ERROR_UNKNOWN_KIND,
      "f.archboard:5:22: unknown component kind \"router\" (known kinds: client, lb, app," },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"app\", \"x\": 0, \"y\": 0},\n {\"id\": \"a\", \"kind\": \"lb\", \"x\": 0, \"y\": 0}\n]}",
      AB_ERROR_INVALID, "f.archboard:6:9: duplicate component id \"a\" (first used at 5:9)" },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"app\", \"x\": \"0\", \"y\": 0}\n]}", AB_ERROR_INVALID,
      "f.archboard:5:34: \"x\" must be a number, not a string" },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"app\", \"x\": 0}\n]}", AB_ERROR_INVALID,
      "f.archboard:5:2: missing member \"y\"" },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"app\", \"x\": 2e6, \"y\": 0}\n]}", AB_ERROR_INVALID,
      "f.archboard:5:34: \"x\" is 2000000, outside the allowed range -1000000 to 1000000" },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"app\", \"x\": NaN, \"y\": 0}\n]}", AB_ERROR_PARSE,
      "f.archboard:5:34: NaN is not a JSON number" },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"app\", \"x\": 0, \"y\": -Infinity}\n]}", AB_ERROR_PARSE,
      "f.archboard:5:42: Infinity is not a JSON number" },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"app\", \"x\": 0, \"y\": 1e999}\n]}", AB_ERROR_PARSE,
      "f.archboard:5:42: number 1e999 is too large" },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"app\", \"x\": 0, \"y\": 0, \"instances\": 0}\n]}", AB_ERROR_INVALID,
      "f.archboard:5:58: \"instances\" is 0, outside the allowed range 1 to 100000" },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"app\", \"x\": 0, \"y\": 0, \"instances\": 100001}\n]}", AB_ERROR_INVALID,
      "\"instances\" is 100001, outside the allowed range 1 to 100000" },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"app\", \"x\": 0, \"y\": 0, \"instances\": 2.5}\n]}", AB_ERROR_INVALID,
      "\"instances\" must be a whole number, not 2.5" },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"app\", \"x\": 0, \"y\": 0, \"size\": 2}\n]}", AB_ERROR_INVALID,
      "f.archboard:5:45: unknown member \"size\"" },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"app\", \"x\": 0, \"y\": 0,\n  \"params\": {\"hit_ratio\": 0.5}}\n]}",
      AB_ERROR_INVALID, "f.archboard:6:14: unknown parameter \"hit_ratio\" for kind app (known: service_ms," },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"cache\", \"x\": 0, \"y\": 0,\n  \"params\": {\"hit_ratio\": 1.5}}\n]}",
      AB_ERROR_INVALID, "f.archboard:6:27: \"hit_ratio\" is 1.5, outside the allowed range 0 to 1" },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"cache\", \"x\": 0, \"y\": 0,\n  \"params\": {\"hit_ratio\": \"high\"}}\n]}",
      AB_ERROR_INVALID, "f.archboard:6:27: \"hit_ratio\" must be a number, not a string" },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"app\", \"x\": 0, \"y\": 0,\n  \"params\": {\"service_distribution\": \"pareto\"}}\n]}",
      AB_ERROR_INVALID, "f.archboard:6:38: \"service_distribution\" must be one of exponential, deterministic, lognormal, not \"pareto\"" },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"app\", \"x\": 0, \"y\": 0, \"params\": [1]}\n]}",
      AB_ERROR_INVALID, "f.archboard:5:55: \"params\" must be an object, not an array" },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"app\", \"x\": 0, \"y\": 0, \"region\": 7}\n]}",
      AB_ERROR_INVALID, "f.archboard:5:55: \"region\" must be a string, not a number" },
    /* Connections */
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"app\", \"x\": 0, \"y\": 0}\n],\n"
      "\"connections\": [\n {\"id\": \"e1\", \"from\": \"a\", \"to\": \"db9\"}\n]}",
      AB_ERROR_INVALID, "f.archboard:8:34: connection \"e1\" points to unknown component \"db9\"" },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"app\", \"x\": 0, \"y\": 0}\n],\n"
      "\"connections\": [\n {\"id\": \"e1\", \"from\": \"zz\", \"to\": \"a\"}\n]}",
      AB_ERROR_INVALID, "f.archboard:8:23: connection \"e1\" starts at unknown component \"zz\"" },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"app\", \"x\": 0, \"y\": 0}\n],\n"
      "\"connections\": [\n {\"id\": \"e1\", \"from\": \"a\", \"to\": \"a\"}\n]}",
      AB_ERROR_INVALID, "f.archboard:8:34: connection \"e1\" connects \"a\" to itself" },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"app\", \"x\": 0, \"y\": 0},\n {\"id\": \"b\", \"kind\": \"cache\", \"x\": 0, \"y\": 0}\n],\n"
      "\"connections\": [\n {\"id\": \"e1\", \"from\": \"a\", \"to\": \"b\"},\n {\"id\": \"e2\", \"from\": \"a\", \"to\": \"b\"}\n]}",
      AB_ERROR_INVALID, "f.archboard:10:2: \"a\" is already connected to \"b\" (at 9:2)" },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"app\", \"x\": 0, \"y\": 0},\n {\"id\": \"b\", \"kind\": \"cache\", \"x\": 0, \"y\": 0}\n],\n"
      "\"connections\": [\n {\"id\": \"e1\", \"from\": \"a\", \"to\": \"b\"},\n {\"id\": \"e1\", \"from\": \"b\", \"to\": \"a\"}\n]}",
      AB_ERROR_INVALID, "f.archboard:10:9: duplicate connection id \"e1\" (first used at 9:9)" },
    { HEAD "\"components\": [\n {\"id\": \"d\", \"kind\": \"db_primary\", \"x\": 0, \"y\": 0},\n {\"id\": \"l\", \"kind\": \"lb\", \"x\": 0, \"y\": 0}\n],\n"
      "\"connections\": [\n {\"id\": \"e1\", \"from\": \"d\", \"to\": \"l\"}\n]}",
      AB_ERROR_INVALID, "f.archboard:9:2: connection \"e1\" from \"d\" to \"l\" is not allowed: A primary database cannot call a load balancer" },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"app\", \"x\": 0, \"y\": 0},\n {\"id\": \"b\", \"kind\": \"cache\", \"x\": 0, \"y\": 0}\n],\n"
      "\"connections\": [\n {\"id\": \"e1\", \"from\": \"a\", \"to\": \"b\", \"mode\": \"maybe\"}\n]}",
      AB_ERROR_INVALID, "f.archboard:9:47: \"mode\" must be \"sync\" or \"async\", not \"maybe\"" },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"app\", \"x\": 0, \"y\": 0},\n {\"id\": \"b\", \"kind\": \"cache\", \"x\": 0, \"y\": 0}\n],\n"
      "\"connections\": [\n {\"id\": \"e1\", \"from\": \"a\", \"to\": \"b\", \"params\": {\"weight\": 0.5}}\n]}",
      AB_ERROR_INVALID, "f.archboard:9:50: unknown parameter \"weight\" for connections (known: latency_ms, cross_region_ms, share, synchronous)" },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"app\", \"x\": 0, \"y\": 0},\n {\"id\": \"b\", \"kind\": \"cache\", \"x\": 0, \"y\": 0}\n],\n"
      "\"connections\": [\n {\"id\": \"e1\", \"from\": \"a\", \"to\": \"b\", \"params\": {\"latency_ms\": -1}}\n]}",
      AB_ERROR_INVALID, "f.archboard:9:64: \"latency_ms\" is -1, outside the allowed range 0 to 10000" },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"app\", \"x\": 0, \"y\": 0}\n],\n"
      "\"connections\": [\n {\"id\": \"e1\", \"from\": \"a\"}\n]}",
      AB_ERROR_INVALID, "f.archboard:8:2: missing member \"to\"" },
    { HEAD "\"problem\": 42\n}", AB_ERROR_INVALID, "f.archboard:4:12: \"problem\" must be a string, not a number" },
    { HEAD "\"connections\": \"none\"\n}", AB_ERROR_INVALID, "f.archboard:4:16: \"connections\" must be an array, not a string" },
    { HEAD "\"connections\": [null]\n}", AB_ERROR_INVALID, "f.archboard:4:17: a connection must be an object, not null" },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"app\", \"x\": 0, \"y\": 0, \"label\": [\"x\"]}\n]}", AB_ERROR_INVALID,
      "f.archboard:5:54: \"label\" must be a string, not an array" },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"app\", \"kind\": \"lb\", \"x\": 0, \"y\": 0}\n]}", AB_ERROR_PARSE,
      "f.archboard:5:29: duplicate member name \"kind\"" },
    { HEAD "\"components\": [\n {\"id\": 7, \"kind\": \"app\", \"x\": 0, \"y\": 0}\n]}", AB_ERROR_INVALID,
      "f.archboard:5:9: \"id\" must be a string, not a number" },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"app\", \"x\": 0, \"y\": 0}\n],\n"
      "\"connections\": [\n {\"id\": \"e1\", \"from\": true, \"to\": \"a\"}\n]}",
      AB_ERROR_INVALID, "f.archboard:8:23: \"from\" must be a string, not a boolean" },
    { HEAD "\"notes\": \"x\"\n} trailing", AB_ERROR_PARSE, "f.archboard:5:3: unexpected 't' after the end of the document" },
    /* Sizes */
    { HEAD "\"components\": [[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]\n}", AB_ERROR_TOO_LARGE,
      "f.archboard:4:30: nested deeper than 16 levels" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_load_error (cases[i].text, cases[i].code, cases[i].expected);
}

/* A design file that does not open says why in the user's language,
 * at the line and column it always gave ("f.archboard:LINE:COLUMN: "). */
static void
test_errors_german (void)
{
  static const struct {
    const char *text;
    int code;
    const char *expected;
  } cases[] = {
    /* the JSON reader */
    { "", AB_ERROR_PARSE, "f.archboard:1:1: leeres Dokument: erwartet wurde ein JSON-Wert" },
    { HEAD "\"components\": [,\n", AB_ERROR_PARSE,
      "f.archboard:4:16: erwartet wurde ein Wert (Objekt, Array, Zeichenkette, Zahl, true, false oder null), "
      "gefunden wurde ','" },
    { HEAD "\"notes\": \"a\n", AB_ERROR_PARSE,
      "f.archboard:4:12: Steuerzeichen U+000A in einer Zeichenkette (als Escape-Sequenz schreiben)" },
    { HEAD "\"components\": [\n", AB_ERROR_PARSE, "f.archboard:5:1: erwartet wurde ein Wert (Objekt, Array, "
      "Zeichenkette, Zahl, true, false oder null), gefunden wurde das Dateiende" },
    { HEAD "\"components\": []\n", AB_ERROR_PARSE,
      "f.archboard:5:1: unerwartetes Dateiende: ein Objekt ist nicht geschlossen" },
    { HEAD "\"notes\": \"\" x}", AB_ERROR_PARSE,
      "f.archboard:4:13: erwartet wurde ',' oder '}', gefunden wurde 'x'" },
    { HEAD "\"x\": 1e999}", AB_ERROR_PARSE, "f.archboard:4:6: die Zahl 1e999 ist zu groß, um sie darzustellen" },
    { HEAD "\"notes\": \"\"} x", AB_ERROR_PARSE, "f.archboard:4:14: unerwartet nach dem Ende des Dokuments: 'x'" },
    { HEAD "\"notes\": \"\", \"notes\": \"\"}", AB_ERROR_PARSE, "f.archboard:4:14: doppelter Eintragsname „notes“" },
    { HEAD "\"x\": [[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]}", AB_ERROR_TOO_LARGE,
      "f.archboard:4:21: tiefer als 16 Ebenen verschachtelt" },
    { HEAD "\"notes\": \"\\uDC00\"}", AB_ERROR_PARSE, "f.archboard:4:11: UTF-16-Surrogat \\uDC00 ohne sein Gegenstück" },
    /* the design */
    { "[]", AB_ERROR_INVALID, "f.archboard:1:1: ein Archboard-Entwurf muss ein Objekt sein, ist aber ein Array" },
    { "{}", AB_ERROR_INVALID, "f.archboard:1:1: der Eintrag „format“ fehlt" },
    { HEAD "\"notes\": 5\n}", AB_ERROR_INVALID,
      "f.archboard:4:10: „notes“ muss eine Zeichenkette sein, ist aber eine Zahl" },
    { HEAD "\"colour\": 1\n}", AB_ERROR_INVALID, "f.archboard:4:1: unbekannter Eintrag „colour“" },
    { HEAD "\"components\": [3]\n}", AB_ERROR_INVALID,
      "f.archboard:4:16: eine Komponente muss ein Objekt sein, ist aber eine Zahl" },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"cachee\", \"x\": 0, \"y\": 0}\n]}", AB_ERROR_UNKNOWN_KIND,
      "f.archboard:5:22: unbekannte Komponentenart „cachee“ (bekannte Arten: client, lb, app, db_primary, "
      "db_replica, cache, queue, worker, storage, stream, cdn, search, object_store)" },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"cache\", \"x\": 0, \"y\": 1e9}\n]}", AB_ERROR_INVALID,
      "f.archboard:5:44: „y“ ist 1000000000, außerhalb des erlaubten Bereichs von -1000000 bis 1000000" },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"cache\", \"x\": 0, \"y\": 0, \"instances\": 0}\n]}",
      AB_ERROR_INVALID, "f.archboard:5:60: „instances“ ist 0, außerhalb des erlaubten Bereichs von 1 bis 100000" },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"cache\", \"x\": 0, \"y\": 0, \"params\": {\"speed\": 1}}\n]}",
      AB_ERROR_INVALID, "f.archboard:5:58: unbekannter Parameter „speed“ für die Art cache (bekannt: " },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"cache\", \"x\": 0, \"y\": 0},\n"
      " {\"id\": \"a\", \"kind\": \"cache\", \"x\": 0, \"y\": 0}\n]}", AB_ERROR_INVALID,
      "f.archboard:6:9: doppelte Komponenten-ID „a“ (zuerst vergeben bei 5:9)" },
    { HEAD "\"components\": [\n {\"id\": \"a\", \"kind\": \"app\", \"x\": 0, \"y\": 0}\n],\n"
      "\"connections\": [{\"id\": \"e\", \"from\": \"a\", \"to\": \"b\"}]}", AB_ERROR_INVALID,
      "f.archboard:7:48: die Verbindung „e“ führt zur unbekannten Komponente „b“" },
    { "{\"format\": \"archboard-design\", \"version\": 3}", AB_ERROR_VERSION,
      "f.archboard:1:43: von einem neueren Archboard geschrieben (Formatversion 3); diese Version liest bis Version 1" },
  };

  if (g_test_subprocess ())
    {
      german_test_enter ();
      for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(AbDesign) d = ab_design_load_from_data (cases[i].text, -1, "f.archboard", &error);

          g_assert_null (d);
          g_assert_error (error, AB_ERROR, cases[i].code);
          if (!g_str_has_prefix (error->message, cases[i].expected))
            g_error ("case %u: \"%s\", expected \"%s\"", i, error->message, cases[i].expected);
        }
      return;
    }
  german_test_trap ();
}

/* A component without a label shows its kind's catalog name in the
 * language of the session; saving does not write that name into the
 * file (in German it wrote "label": "Lastverteiler", and the design read
 * German in English ever after).  A label of its own is kept. */
static void
test_no_label_kept_german (void)
{
  const char *text = HEAD
    "\"components\": [\n"
    "  {\"id\": \"c1\", \"kind\": \"client\", \"x\": 0, \"y\": 0},\n"
    "  {\"id\": \"c2\", \"kind\": \"lb\", \"x\": 240, \"y\": 0, \"instances\": 2},\n"
    "  {\"id\": \"c3\", \"kind\": \"app\", \"label\": \"Blog API\", \"x\": 480, \"y\": 0}\n"
    "],\n"
    "\"connections\": [{\"id\": \"e1\", \"from\": \"c1\", \"to\": \"c2\"}]\n}";

  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AbDesign) d = NULL;
      g_autoptr(AbDesign) again = NULL;
      g_autofree char *saved = NULL;
      g_autofree char *resaved = NULL;
      const AbKindInfo *lb;

      german_test_enter ();
      lb = ab_catalog_get_kind (ab_catalog_get_default (), AB_KIND_LB);
      g_assert_cmpstr (lb->display_name, !=, "Load balancer");
      d = ab_design_load_from_data (text, -1, "n.archboard", &error);
      g_assert_no_error (error);
      /* shown under the German name */
      g_assert_cmpstr (ab_design_find_component (d, "c2")->label, ==, lb->display_name);
      saved = ab_design_to_data (d, NULL);
      g_assert_null (strstr (saved, lb->display_name));
      g_assert_nonnull (strstr (saved, "\"label\": \"Blog API\""));
      /* the only label is the one the file had */
      g_assert_null (strstr (strstr (saved, "\"label\"") + 1, "\"label\""));
      again = ab_design_load_from_data (saved, -1, "n.archboard", &error);
      g_assert_no_error (error);
      resaved = ab_design_to_data (again, NULL);
      g_assert_cmpstr (resaved, ==, saved);

      /* renamed to a name of its own: written */
      ab_design_rename_component (again, "c2", "Edge");
      g_clear_pointer (&resaved, g_free);
      resaved = ab_design_to_data (again, NULL);
      g_assert_nonnull (strstr (resaved, "\"label\": \"Edge\""));
      return;
    }
  german_test_trap ();
}

static void
test_size_bounds (void)
{
  g_autoptr(GString) s = g_string_new (HEAD "\"components\": [\n");
  g_autoptr(GString) notes = g_string_new (HEAD "\"notes\": \"");

  for (int i = 0; i <= 10000; i++)
    g_string_append_printf (s, "%s{\"id\": \"c%d\", \"kind\": \"app\", \"x\": 0, \"y\": 0}", i ? ",\n" : "", i);
  g_string_append (s, "]}");
  assert_load_error (s->str, AB_ERROR_TOO_LARGE, "f.archboard:4:15: 10,001 components, more than the 10,000 a design may have");

  for (int i = 0; i < 256 * 1024 + 1; i++)
    g_string_append_c (notes, 'n');
  g_string_append (notes, "\"}");
  assert_load_error (notes->str, AB_ERROR_TOO_LARGE, "f.archboard:4:10: \"notes\" is longer than 262,144 characters");

  {
    g_autoptr(GString) label = g_string_new (HEAD "\"components\": [{\"id\": \"a\", \"kind\": \"app\", \"x\": 0, \"y\": 0, \"label\": \"");
    for (int i = 0; i < 1001; i++)
      g_string_append (label, "\xc3\xa9");
    g_string_append (label, "\"}]}");
    assert_load_error (label->str, AB_ERROR_TOO_LARGE, "\"label\" is longer than 1,000 characters");
  }
}

static char *
temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("archboard-io-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  g_chmod (dir, 0755);
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_dir (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

static void
test_files (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "a.archboard", NULL);
  g_autofree char *missing = g_build_filename (dir, "nope", "a.archboard", NULL);
  g_autofree char *big = g_build_filename (dir, "big.archboard", NULL);
  g_autoptr(AbDesign) d = full_design ();
  g_autoptr(AbDesign) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *bytes = ab_design_to_data (d, NULL);

  g_assert_true (ab_design_is_modified (d));
  g_assert_true (ab_design_save_to_file (d, path, &error));
  g_assert_no_error (error);
  g_assert_false (ab_design_is_modified (d));
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, bytes);

  loaded = ab_design_load_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ab_design_get_n_components (loaded), ==, 6);

  g_assert_false (ab_design_save_to_file (d, missing, &error));
  g_assert_error (error, AB_ERROR, AB_ERROR_IO);
  g_clear_error (&error);

  g_assert_null (ab_design_load_from_file (missing, &error));
  g_assert_error (error, AB_ERROR, AB_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, missing));
  g_clear_error (&error);

  g_assert_null (ab_design_load_from_file (dir, &error));
  g_assert_error (error, AB_ERROR, AB_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "not a regular file"));
  g_clear_error (&error);

  /* A sparse 40 MB file is refused before it is read. */
  {
    FILE *f = fopen (big, "w");
    g_assert_nonnull (f);
    g_assert_cmpint (fseek (f, 40 << 20, SEEK_SET), ==, 0);
    fputc ('x', f);
    fclose (f);
  }
  g_assert_null (ab_design_load_from_file (big, &error));
  g_assert_error (error, AB_ERROR, AB_ERROR_TOO_LARGE);
  {
    /* the limit grouped as the app writes counts (it read "33554432") */
    g_autofree char *expected = g_strdup_printf ("%s: file larger than 33,554,432 bytes", big);

    g_assert_cmpstr (error->message, ==, expected);
  }
  g_clear_error (&error);

  /* A file with an error names itself with line and column. */
  g_assert_true (g_file_set_contents (big, "{\n  \"format\": 1}", -1, NULL));
  g_assert_null (ab_design_load_from_file (big, &error));
  g_assert_error (error, AB_ERROR, AB_ERROR_INVALID);
  {
    g_autofree char *expected = g_strdup_printf ("%s:2:13: \"format\" must be a string", big);
    g_assert_true (g_str_has_prefix (error->message, expected));
  }
  g_clear_error (&error);
  remove_dir (dir);
}

/* A save that fails half-way leaves the previous file as it was. */
static void
test_atomic_save (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "keep.archboard", NULL);
  g_autoptr(AbDesign) d = full_design ();
  g_autoptr(GError) error = NULL;
  g_autofree char *original = NULL;
  g_autofree char *after = NULL;
  struct rlimit old_limit, limit;

  g_assert_true (ab_design_save_to_file (d, path, &error));
  g_assert_true (g_file_get_contents (path, &original, NULL, NULL));
  for (int i = 0; i < 200; i++)
    ab_design_add_component (d, AB_KIND_APP, NULL, i, i, 1);
  g_assert_true (ab_design_is_modified (d));

  /* Writes beyond 1 KiB fail with EFBIG (this works for root too, unlike
   * a read-only directory). */
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &old_limit), ==, 0);
  limit = old_limit;
  limit.rlim_cur = 1024;
  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
  g_assert_false (ab_design_save_to_file (d, path, &error));
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &old_limit), ==, 0);
  g_assert_error (error, AB_ERROR, AB_ERROR_IO);
  g_clear_error (&error);

  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, original);
  g_assert_true (ab_design_is_modified (d));

  if (geteuid () != 0)
    {
      g_autofree char *again = NULL;
      g_assert_cmpint (g_chmod (dir, 0555), ==, 0);
      g_assert_false (ab_design_save_to_file (d, path, &error));
      g_assert_error (error, AB_ERROR, AB_ERROR_IO);
      g_clear_error (&error);
      g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
      g_assert_true (g_file_get_contents (path, &again, NULL, NULL));
      g_assert_cmpstr (again, ==, original);
    }

  /* No temporary files left behind. */
  {
    g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
    guint n = 0;
    while (g_dir_read_name (listing) != NULL)
      n++;
    g_assert_cmpuint (n, ==, 1);
  }
  remove_dir (dir);
}

static void
test_deterministic (void)
{
  g_autoptr(AbDesign) a = full_design ();
  g_autoptr(AbDesign) b = full_design ();
  g_autofree char *ba = ab_design_to_data (a, NULL);
  g_autofree char *bb = NULL;
  g_autofree char *ba2 = ab_design_to_data (a, NULL);

  g_assert_cmpstr (ba, ==, ba2);
  /* Same edits give the same bytes except the creation time. */
  bb = ab_design_to_data (b, NULL);
  if (g_strcmp0 (ab_design_get_created (a), ab_design_get_created (b)) == 0)
    g_assert_cmpstr (ba, ==, bb);
}

/* The example of docs/file-format.md is valid and written exactly as
 * Archboard writes it. */
static void
test_doc_example (void)
{
  const char *srcdir = g_getenv ("ARCHBOARD_SRCDIR") ? g_getenv ("ARCHBOARD_SRCDIR") : ABS_SRCDIR;
  g_autofree char *path = g_build_filename (srcdir, "docs", "file-format.md", NULL);
  g_autofree char *doc = NULL;
  g_autofree char *example = NULL;
  g_autofree char *written = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AbDesign) d = NULL;
  const char *start, *end;

  g_assert_true (g_file_get_contents (path, &doc, NULL, NULL));
  start = strstr (doc, "## Example\n\n```json\n");
  g_assert_nonnull (start);
  start += strlen ("## Example\n\n```json\n");
  end = strstr (start, "```");
  g_assert_nonnull (end);
  example = g_strndup (start, end - start);
  d = ab_design_load_from_data (example, -1, "example", &error);
  g_assert_no_error (error);
  written = ab_design_to_data (d, NULL);
  g_assert_cmpstr (written, ==, example);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/design-io/round-trip", test_round_trip);
  g_test_add_func ("/design-io/minimal-and-defaults", test_minimal_and_defaults);
  g_test_add_func ("/design-io/unusable-characters", test_unusable_characters);
  g_test_add_func ("/design-io/validation-errors", test_validation_errors);
  g_test_add_func ("/design-io/errors-german", test_errors_german);
  g_test_add_func ("/design-io/no-label-german", test_no_label_kept_german);
  g_test_add_func ("/design-io/size-bounds", test_size_bounds);
  g_test_add_func ("/design-io/files", test_files);
  g_test_add_func ("/design-io/atomic-save", test_atomic_save);
  g_test_add_func ("/design-io/deterministic", test_deterministic);
  g_test_add_func ("/design-io/doc-example", test_doc_example);
  return g_test_run ();
}
