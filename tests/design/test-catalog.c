/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the component catalog: the shipped data is complete and sourced,
 * connection rules cover the reference solutions, bad catalogs are refused. */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "ab-catalog.h"
#include "../german-test-util.h"

static void
test_default_complete (void)
{
  AbCatalog *catalog = ab_catalog_get_default ();
  static const char * const server_params[] = {
    "service_ms", "concurrency", "service_distribution", "service_cv", "timeout_ms", "queue_limit",
    "autoscale_min", "autoscale_max", "autoscale_target", "autoscale_delay_s", "availability", NULL
  };

  g_assert_nonnull (catalog);
  g_assert_true (catalog == ab_catalog_get_default ());
  for (int k = 0; k < AB_N_KINDS; k++)
    {
      const AbKindInfo *info = ab_catalog_get_kind (catalog, (AbKind) k);
      g_autofree char *icon_path = NULL;

      g_assert_nonnull (info);
      g_assert_cmpint (info->kind, ==, k);
      g_assert_cmpstr (info->id, ==, ab_kind_to_string ((AbKind) k));
      g_assert_cmpstr (info->display_name, !=, "");
      g_assert_cmpstr (info->description, !=, "");
      g_assert_true (g_str_has_suffix (info->icon_name, "-symbolic"));
      g_assert_cmpint (strlen (info->color), ==, 7);
      g_assert_nonnull (info->params);
      if (k != AB_KIND_CLIENT)
        {
          g_assert_cmpuint (info->n_connects_to, >, 0);
          for (guint i = 0; server_params[i] != NULL; i++)
            if (ab_catalog_get_param (catalog, (AbKind) k, server_params[i]) == NULL)
              g_error ("kind %s lacks parameter %s", info->id, server_params[i]);
        }
      for (guint i = 0; i < info->params->len; i++)
        {
          const AbParamSpec *spec = info->params->pdata[i];
          g_assert_cmpuint (strlen (spec->source), >, 10);
          g_assert_true (g_str_has_prefix (spec->source, "https://") || strstr (spec->source, "Press") != NULL);
          g_assert_cmpuint (strlen (spec->date), ==, 10);
          g_assert_cmpstr (spec->display_name, !=, "");
          g_assert_cmpstr (spec->description, !=, "");
          if (spec->is_string)
            g_assert_true (g_strv_contains ((const char * const *) spec->choices, spec->default_string));
          else
            {
              g_assert_cmpfloat (spec->default_value, >=, spec->min);
              g_assert_cmpfloat (spec->default_value, <=, spec->max);
            }
        }
    }
}

static void
test_defaults (void)
{
  AbCatalog *c = ab_catalog_get_default ();
  const AbParamSpec *spec;

  g_assert_cmpfloat (ab_catalog_param_default (c, AB_KIND_APP, "service_ms", -1), ==, 5);
  g_assert_cmpfloat (ab_catalog_param_default (c, AB_KIND_APP, "concurrency", -1), ==, 8);
  g_assert_cmpfloat (ab_catalog_param_default (c, AB_KIND_LB, "service_ms", -1), ==, 0.5);
  g_assert_cmpfloat (ab_catalog_param_default (c, AB_KIND_WORKER, "service_ms", -1), ==, 20);
  g_assert_cmpfloat (ab_catalog_param_default (c, AB_KIND_CACHE, "service_ms", -1), ==, 0.2);
  g_assert_cmpfloat (ab_catalog_param_default (c, AB_KIND_CACHE, "hit_ratio", -1), ==, 0.8);
  g_assert_cmpfloat (ab_catalog_param_default (c, AB_KIND_CDN, "hit_ratio", -1), ==, 0.9);
  g_assert_cmpfloat (ab_catalog_param_default (c, AB_KIND_DB_PRIMARY, "service_ms", -1), ==, 1);
  g_assert_cmpfloat (ab_catalog_param_default (c, AB_KIND_DB_PRIMARY, "write_service_ms", -1), ==, 4);
  g_assert_cmpfloat (ab_catalog_param_default (c, AB_KIND_DB_PRIMARY, "failover_s", -1), >, 0);
  g_assert_cmpfloat (ab_catalog_param_default (c, AB_KIND_DB_REPLICA, "apply_ms", -1), >, 0);
  g_assert_cmpfloat (ab_catalog_param_default (c, AB_KIND_SEARCH, "service_ms", -1), ==, 10);
  g_assert_cmpfloat (ab_catalog_param_default (c, AB_KIND_QUEUE, "service_ms", -1), ==, 1);
  g_assert_cmpfloat (ab_catalog_param_default (c, AB_KIND_STREAM, "service_ms", -1), ==, 5);
  g_assert_cmpfloat (ab_catalog_param_default (c, AB_KIND_OBJECT_STORE, "service_ms", -1), ==, 30);
  g_assert_cmpfloat (ab_catalog_param_default (c, AB_KIND_STORAGE, "service_ms", -1), ==, 2);
  g_assert_cmpfloat (ab_catalog_param_default (c, AB_KIND_CDN, "service_ms", -1), ==, 5);
  /* Unknown names and string parameters give the fallback. */
  g_assert_cmpfloat (ab_catalog_param_default (c, AB_KIND_APP, "nope", -1), ==, -1);
  g_assert_cmpfloat (ab_catalog_param_default (c, AB_KIND_APP, "service_distribution", -1), ==, -1);
  g_assert_null (ab_catalog_get_param (c, AB_KIND_APP, "hit_ratio"));
  spec = ab_catalog_get_param (c, AB_KIND_APP, "service_distribution");
  g_assert_true (spec->is_string);
  g_assert_cmpstr (spec->default_string, ==, "exponential");
  g_assert_true (g_strv_contains ((const char * const *) spec->choices, "lognormal"));
  g_assert_true (g_strv_contains ((const char * const *) spec->choices, "deterministic"));

  g_assert_cmpuint (ab_catalog_get_connection_params (c)->len, >=, 2);
  g_assert_cmpfloat (ab_catalog_connection_param_default (c, "latency_ms", -1), ==, 0.5);
  g_assert_cmpfloat (ab_catalog_connection_param_default (c, "cross_region_ms", -1), >, 10);
  g_assert_cmpfloat (ab_catalog_connection_param_default (c, "nope", -1), ==, -1);
  g_assert_nonnull (ab_catalog_get_connection_param (c, "latency_ms")->source);
}

/* Every connection of every reference solution in problems/storage.md. */
static void
test_reference_connections (void)
{
  AbCatalog *c = ab_catalog_get_default ();
  g_autofree char *path = g_build_filename (g_getenv ("ARCHBOARD_SRCDIR") ? g_getenv ("ARCHBOARD_SRCDIR") : ABS_SRCDIR,
                                            "problems", "storage.md", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) kinds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  int mode = 0;
  guint checked = 0, solutions = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *l = lines[i];

      if (g_str_has_prefix (l, "**Components:**"))
        {
          mode = 1;
          solutions++;
          g_hash_table_remove_all (kinds);
          continue;
        }
      if (g_str_has_prefix (l, "**Connections:**"))
        {
          mode = 2;
          continue;
        }
      if (!g_str_has_prefix (l, "- "))
        {
          if (*l != '\0')
            mode = 0;
          continue;
        }
      if (mode == 1)
        {
          const char *open = strrchr (l, '(');
          g_autofree char *name = NULL;
          g_autofree char *kind = NULL;
          AbKind k;

          g_assert_nonnull (open);
          name = g_strstrip (g_strndup (l + 2, open - l - 2));
          kind = g_strndup (open + 1, strcspn (open + 1, ")"));
          k = ab_kind_from_string (kind);
          g_assert_cmpint (k, !=, AB_KIND_INVALID);
          g_hash_table_insert (kinds, g_steal_pointer (&name), GINT_TO_POINTER (k));
        }
      else if (mode == 2)
        {
          g_auto(GStrv) parts = g_strsplit (l + 2, " \xe2\x86\x92 ", 2);
          gpointer from, to;

          g_assert_cmpuint (g_strv_length (parts), ==, 2);
          g_strstrip (parts[0]);
          g_strstrip (parts[1]);
          g_assert_true (g_hash_table_lookup_extended (kinds, parts[0], NULL, &from));
          g_assert_true (g_hash_table_lookup_extended (kinds, parts[1], NULL, &to));
          if (!ab_catalog_can_connect (c, GPOINTER_TO_INT (from), GPOINTER_TO_INT (to)))
            g_error ("reference connection %s -> %s (%s -> %s) refused", parts[0], parts[1],
                     ab_kind_to_string (GPOINTER_TO_INT (from)), ab_kind_to_string (GPOINTER_TO_INT (to)));
          checked++;
        }
    }
  g_assert_cmpuint (solutions, ==, 35);
  g_assert_cmpuint (checked, >, 150);
}

static void
test_refusals (void)
{
  AbCatalog *c = ab_catalog_get_default ();
  g_autofree char *db_lb = NULL;
  g_autofree char *to_client = NULL;
  g_autofree char *client_db = NULL;
  g_autofree char *reverse = NULL;

  g_assert_false (ab_catalog_can_connect (c, AB_KIND_DB_PRIMARY, AB_KIND_LB));
  g_assert_false (ab_catalog_can_connect (c, AB_KIND_CACHE, AB_KIND_LB));
  g_assert_false (ab_catalog_can_connect (c, AB_KIND_DB_REPLICA, AB_KIND_DB_PRIMARY));
  g_assert_false (ab_catalog_can_connect (c, AB_KIND_CLIENT, AB_KIND_DB_PRIMARY));
  g_assert_false (ab_catalog_can_connect (c, AB_KIND_APP, AB_KIND_CLIENT));
  g_assert_false (ab_catalog_can_connect (c, AB_KIND_SEARCH, AB_KIND_APP));
  g_assert_false (ab_catalog_can_connect (c, AB_KIND_APP, AB_KIND_INVALID));
  g_assert_true (ab_catalog_can_connect (c, AB_KIND_LB, AB_KIND_APP));
  g_assert_null (ab_catalog_explain_refusal (c, AB_KIND_LB, AB_KIND_APP));

  db_lb = ab_catalog_explain_refusal (c, AB_KIND_DB_PRIMARY, AB_KIND_LB);
  g_assert_cmpstr (db_lb, ==, "A primary database cannot call a load balancer: primary databases call "
                              "read replicas, event streams, message queues, caches, search indexes, block storage "
                              "or object stores. Did you mean the other direction? A load balancer may call "
                              "a primary database.");
  to_client = ab_catalog_explain_refusal (c, AB_KIND_APP, AB_KIND_CLIENT);
  g_assert_nonnull (strstr (to_client, "Nothing calls a client"));
  g_assert_nonnull (strstr (to_client, "from the client to an application server"));
  client_db = ab_catalog_explain_refusal (c, AB_KIND_CLIENT, AB_KIND_DB_PRIMARY);
  g_assert_nonnull (strstr (client_db, "Put a load balancer and an application server in front of it"));
  reverse = ab_catalog_explain_refusal (c, AB_KIND_WORKER, AB_KIND_CDN);
  g_assert_true (g_str_has_prefix (reverse, "A worker cannot call a CDN"));
}

static void
assert_bad_catalog (const char *json,
                    AbErrorCode code,
                    const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AbCatalog) c = ab_catalog_load_from_data (json, -1, "cat.json", &error);

  g_assert_null (c);
  g_assert_error (error, AB_ERROR, (int) code);
  if (strstr (error->message, expected) == NULL)
    g_error ("message \"%s\" does not contain \"%s\"", error->message, expected);
}

static char *
shipped_text (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("ARCHBOARD_SRCDIR") ? g_getenv ("ARCHBOARD_SRCDIR") : ABS_SRCDIR,
                                            "data", "catalog", "components.json", NULL);
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static char *
replace_once (const char *text,
              const char *from,
              const char *to)
{
  const char *at = strstr (text, from);

  g_assert_nonnull (at);
  return g_strdup_printf ("%.*s%s%s", (int) (at - text), text, to, at + strlen (from));
}

static void
test_bad_catalogs (void)
{
  g_autofree char *text = shipped_text ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AbCatalog) ok = ab_catalog_load_from_data (text, -1, "cat.json", &error);

  g_assert_no_error (error);
  g_assert_nonnull (ok);

  assert_bad_catalog ("[]", AB_ERROR_INVALID, "cat.json:1:1: the catalog must be an object");
  assert_bad_catalog ("{\"format\": \"x\"}", AB_ERROR_INVALID, "cat.json:1:12: not a component catalog");
  assert_bad_catalog ("{\"format\": \"archboard-catalog\", \"version\": 2}", AB_ERROR_VERSION, "newer");
  assert_bad_catalog ("{\"format\": \"archboard-catalog\", \"version\": 1, \"x\": 1}", AB_ERROR_INVALID,
                      "cat.json:1:47: unknown member \"x\"");
  {
    g_autofree char *t = replace_once (text, "\"id\": \"lb\"", "\"id\": \"balancer\"");
    assert_bad_catalog (t, AB_ERROR_UNKNOWN_KIND, "unknown kind \"balancer\"");
  }
  {
    g_autofree char *t = replace_once (text, "\"id\": \"lb\"", "\"id\": \"app\"");
    assert_bad_catalog (t, AB_ERROR_INVALID, "kind \"app\" is described twice");
  }
  {
    g_autofree char *t = replace_once (text, "\"color\": \"#1c71d8\"", "\"color\": \"blue\"");
    assert_bad_catalog (t, AB_ERROR_INVALID, "\"color\" must be #rrggbb");
  }
  {
    g_autofree char *t = replace_once (text, "\"default\": 0.5,", "\"default\": 20000,");
    assert_bad_catalog (t, AB_ERROR_INVALID, "\"default\" is 20000, outside the allowed range");
  }
  {
    g_autofree char *t = replace_once (text, "\"date\": \"2026-11-27\"", "\"date\": \"yesterday\"");
    assert_bad_catalog (t, AB_ERROR_INVALID, "\"date\" must be a date");
  }
  {
    g_autofree char *t = replace_once (text, "\"default\": \"exponential\"", "\"default\": \"pareto\"");
    assert_bad_catalog (t, AB_ERROR_INVALID, "default \"pareto\" is not one of the choices");
  }
  {
    g_autofree char *t = replace_once (text, "\"connects_to\": [\n        \"lb\",", "\"connects_to\": [\n        \"router\",");
    assert_bad_catalog (t, AB_ERROR_UNKNOWN_KIND, "unknown kind \"router\"");
  }
  {
    g_autofree char *t = replace_once (text, "\"source\": \"https://gist", "\"sourc\": \"https://gist");
    assert_bad_catalog (t, AB_ERROR_INVALID, "unknown member \"sourc\"");
  }
}

static gpointer
get_default_thread (gpointer data)
{
  return ab_catalog_get_default ();
}

static void
test_threads (void)
{
  GThread *threads[4];
  gpointer results[4];

  for (int i = 0; i < 4; i++)
    threads[i] = g_thread_new ("catalog", get_default_thread, NULL);
  for (int i = 0; i < 4; i++)
    results[i] = g_thread_join (threads[i]);
  for (int i = 1; i < 4; i++)
    g_assert_true (results[i] == results[0]);
}

/* Under German, the refusals are whole German sentences with the
 * catalog's German names as they are: nouns keep their capital letter,
 * no English article is glued in front ("A primärdatenbank").  Runs in a
 * subprocess (locale and catalog of its own); skipped without the
 * de_DE.UTF-8 locale. */
static void
test_refusals_german (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *path = g_build_filename (g_getenv ("ARCHBOARD_SRCDIR"), "data", "catalog",
                                                "components.json", NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(AbCatalog) c = NULL;
      const AbKind pairs[][2] = {
        { AB_KIND_DB_PRIMARY, AB_KIND_LB }, { AB_KIND_APP, AB_KIND_CLIENT },
        { AB_KIND_CLIENT, AB_KIND_DB_PRIMARY }, { AB_KIND_WORKER, AB_KIND_CDN },
        { AB_KIND_CACHE, AB_KIND_APP },
      };

      german_test_enter ();
      c = ab_catalog_load_from_file (path, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (ab_catalog_get_kind (c, AB_KIND_DB_PRIMARY)->display_name, ==, "Primärdatenbank");
      for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
        {
          g_autofree char *text = ab_catalog_explain_refusal (c, pairs[i][0], pairs[i][1]);

          g_test_message ("%s", text);
          g_assert_null (strstr (text, "A "));
          g_assert_null (strstr (text, " a "));
          g_assert_null (strstr (text, " cannot "));
          /* Every quoted name starts as the catalog writes it. */
          for (const char *q = strstr (text, "„"); q != NULL; q = strstr (q + 1, "„"))
            {
              gunichar first = g_utf8_get_char (q + strlen ("„"));
              g_assert_true (g_unichar_isupper (first));
            }
        }
      {
        g_autofree char *text = ab_catalog_explain_refusal (c, AB_KIND_DB_PRIMARY, AB_KIND_LB);
        g_assert_true (g_str_has_prefix (text, "„Primärdatenbank“ kann „Lastverteiler“ nicht aufrufen; "
                                               "erlaubt sind Aufrufe an „"));
        g_assert_nonnull (strstr (text, " Meinten Sie die andere Richtung? „Lastverteiler“ darf "
                                        "„Primärdatenbank“ aufrufen."));
      }
      return;
    }
  german_test_trap ();
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/catalog/threads", test_threads);
  g_test_add_func ("/catalog/default-complete", test_default_complete);
  g_test_add_func ("/catalog/defaults", test_defaults);
  g_test_add_func ("/catalog/reference-connections", test_reference_connections);
  g_test_add_func ("/catalog/refusals", test_refusals);
  g_test_add_func ("/catalog/refusals-german", test_refusals_german);
  g_test_add_func ("/catalog/bad-catalogs", test_bad_catalogs);
  return g_test_run ();
}
