/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of AbDesign: edits, refusals, signals, modified tracking, groups,
 * copy / paste, snapshots, and a seeded random undo / redo property test. */
#include "config.h"

#include <string.h>

#include "ab-design.h"
#include "ab-catalog.h"
#include "../german-test-util.h"

static char *
bytes_of (AbDesign *design)
{
  return ab_design_to_data (design, NULL);
}

static void
test_add_and_find (void)
{
  g_autoptr(AbDesign) d = ab_design_new ("storage-01");
  const char *lb, *app;
  const AbComponent *c;

  g_assert_cmpstr (ab_design_get_problem_id (d), ==, "storage-01");
  g_assert_cmpuint (ab_design_get_n_components (d), ==, 0);
  g_assert_nonnull (ab_design_get_created (d));
  g_assert_cmpstr (ab_design_get_notes (d), ==, "");

  lb = ab_design_add_component (d, AB_KIND_LB, NULL, 10, 20, 2);
  g_assert_cmpstr (lb, ==, "c1");
  app = ab_design_add_component (d, AB_KIND_APP, "API", 5e6, -5e6, 0);
  g_assert_cmpstr (app, ==, "c2");
  c = ab_design_find_component (d, "c1");
  g_assert_cmpstr (c->label, ==, "Load balancer");
  g_assert_cmpint (c->instances, ==, 2);
  g_assert_cmpfloat (c->x, ==, 10);
  c = ab_design_find_component (d, "c2");
  g_assert_cmpstr (c->label, ==, "API");
  /* Clamped into the format's limits. */
  g_assert_cmpfloat (c->x, ==, 1e6);
  g_assert_cmpfloat (c->y, ==, -1e6);
  g_assert_cmpint (c->instances, ==, 1);
  g_assert_null (ab_design_find_component (d, "c3"));
  g_assert_null (ab_design_find_component (d, NULL));
  g_assert_true (ab_design_get_component (d, 1) == c);

  ab_design_set_instances (d, "c2", 7);
  ab_design_add_component (d, AB_KIND_APP, NULL, 0, 0, 3);
  g_assert_cmpint (ab_design_count_instances (d, AB_KIND_APP), ==, 10);
  g_assert_cmpint (ab_design_count_instances (d, AB_KIND_LB), ==, 2);
  g_assert_cmpint (ab_design_count_instances (d, AB_KIND_CACHE), ==, 0);
}

static void
test_connect_rules (void)
{
  g_autoptr(AbDesign) d = ab_design_new (NULL);
  g_autoptr(GError) error = NULL;
  const char *client = ab_design_add_component (d, AB_KIND_CLIENT, NULL, 0, 0, 1);
  const char *lb = ab_design_add_component (d, AB_KIND_LB, NULL, 0, 0, 1);
  const char *app = ab_design_add_component (d, AB_KIND_APP, NULL, 0, 0, 1);
  const char *db = ab_design_add_component (d, AB_KIND_DB_PRIMARY, NULL, 0, 0, 1);
  const char *q = ab_design_add_component (d, AB_KIND_QUEUE, NULL, 0, 0, 1);
  const char *e;
  const AbConnection *conn;

  e = ab_design_connect (d, client, lb, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (e, ==, "e1");
  conn = ab_design_find_connection (d, "e1");
  g_assert_cmpint (conn->mode, ==, AB_CONN_SYNC);
  g_assert_true (ab_design_find_connection_between (d, client, lb) == conn);
  g_assert_null (ab_design_find_connection_between (d, lb, client));

  e = ab_design_connect (d, app, q, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ab_design_find_connection (d, e)->mode, ==, AB_CONN_ASYNC);

  g_assert_null (ab_design_connect (d, client, lb, &error));
  g_assert_error (error, AB_ERROR, AB_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "already calls"));
  g_clear_error (&error);

  g_assert_null (ab_design_connect (d, app, app, &error));
  g_assert_error (error, AB_ERROR, AB_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "cannot call itself"));
  g_clear_error (&error);

  g_assert_null (ab_design_connect (d, db, lb, &error));
  g_assert_error (error, AB_ERROR, AB_ERROR_REFUSED);
  g_assert_true (g_str_has_prefix (error->message, "A primary database cannot call a load balancer"));
  g_clear_error (&error);

  g_assert_null (ab_design_connect (d, app, "nope", &error));
  g_assert_error (error, AB_ERROR, AB_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_cmpuint (ab_design_get_n_connections (d), ==, 2);
  /* Refusals leave no undo step. */
  g_assert_cmpstr (ab_design_get_undo_name (d), ==, "Connect");
}

static void
test_remove_cascades (void)
{
  g_autoptr(AbDesign) d = ab_design_new (NULL);
  const char *lb = ab_design_add_component (d, AB_KIND_LB, NULL, 0, 0, 1);
  const char *a1 = ab_design_add_component (d, AB_KIND_APP, NULL, 0, 0, 1);
  const char *a2 = ab_design_add_component (d, AB_KIND_APP, NULL, 0, 0, 1);
  const char *db = ab_design_add_component (d, AB_KIND_DB_PRIMARY, NULL, 0, 0, 1);
  g_autofree char *before = NULL;
  g_autofree char *lb_id = g_strdup (lb), *a1_id = g_strdup (a1), *a2_id = g_strdup (a2), *db_id = g_strdup (db);
  g_autofree char *e1 = g_strdup (ab_design_connect (d, lb_id, a1_id, NULL));
  g_autofree char *e2 = g_strdup (ab_design_connect (d, lb_id, a2_id, NULL));
  g_autofree char *e3 = g_strdup (ab_design_connect (d, a1_id, db_id, NULL));
  g_autofree char *e4 = g_strdup (ab_design_connect (d, a2_id, db_id, NULL));
  const char *remove_c[] = { a1_id, NULL };
  const char *remove_e[] = { e4, NULL };

  before = bytes_of (d);
  ab_design_remove (d, remove_c, remove_e);
  g_assert_cmpuint (ab_design_get_n_components (d), ==, 3);
  g_assert_cmpuint (ab_design_get_n_connections (d), ==, 1);
  g_assert_nonnull (ab_design_find_connection (d, e2));
  g_assert_null (ab_design_find_connection (d, e1));
  g_assert_null (ab_design_find_connection (d, e3));
  g_assert_cmpstr (ab_design_get_undo_name (d), ==, "Delete");
  g_assert_true (ab_design_undo (d));
  {
    g_autofree char *after = bytes_of (d);
    g_assert_cmpstr (after, ==, before);
  }
  ab_design_remove (d, NULL, remove_e);
  g_assert_cmpstr (ab_design_get_undo_name (d), ==, "Disconnect");
  g_assert_cmpuint (ab_design_get_n_connections (d), ==, 3);
}

static void
test_params (void)
{
  g_autoptr(AbDesign) d = ab_design_new (NULL);
  const char *cache = ab_design_add_component (d, AB_KIND_CACHE, NULL, 0, 0, 1);
  const char *db = ab_design_add_component (d, AB_KIND_DB_PRIMARY, NULL, 0, 0, 1);
  g_autofree char *cache_id = g_strdup (cache), *db_id = g_strdup (db);
  g_autofree char *e = NULL;
  const AbComponent *c;

  c = ab_design_find_component (d, cache_id);
  g_assert_cmpfloat (ab_component_get_param_double (c, "hit_ratio", -1), ==, 0.8);
  g_assert_cmpfloat (ab_component_get_param_double (c, "nope", -1), ==, -1);
  g_assert_cmpstr (ab_component_get_param_string (c, "service_distribution", NULL), ==, "exponential");
  g_assert_cmpstr (ab_component_get_param_string (c, "nope", "x"), ==, "x");

  ab_design_set_component_param (d, cache_id, "hit_ratio", g_variant_new_double (0.95));
  c = ab_design_find_component (d, cache_id);
  g_assert_cmpfloat (ab_component_get_param_double (c, "hit_ratio", -1), ==, 0.95);
  /* Out of range: clamped to the catalog's bounds. */
  ab_design_set_component_param (d, cache_id, "hit_ratio", g_variant_new_double (3));
  c = ab_design_find_component (d, cache_id);
  g_assert_cmpfloat (ab_component_get_param_double (c, "hit_ratio", -1), ==, 1);
  ab_design_set_component_param (d, cache_id, "service_distribution", g_variant_new_string ("lognormal"));
  c = ab_design_find_component (d, cache_id);
  g_assert_cmpstr (ab_component_get_param_string (c, "service_distribution", NULL), ==, "lognormal");
  ab_design_set_component_param (d, cache_id, "hit_ratio", NULL);
  c = ab_design_find_component (d, cache_id);
  g_assert_cmpfloat (ab_component_get_param_double (c, "hit_ratio", -1), ==, 0.8);

  e = g_strdup (ab_design_connect (d, cache_id, db_id, NULL));
  g_assert_cmpfloat (ab_connection_get_param_double (ab_design_find_connection (d, e), "latency_ms", -1), ==, 0.5);
  ab_design_set_connection_param (d, e, "latency_ms", g_variant_new_double (2));
  g_assert_cmpfloat (ab_connection_get_param_double (ab_design_find_connection (d, e), "latency_ms", -1), ==, 2);
  ab_design_set_connection_mode (d, e, AB_CONN_ASYNC);
  g_assert_cmpint (ab_design_find_connection (d, e)->mode, ==, AB_CONN_ASYNC);
  ab_design_set_connection_label (d, e, "reads");
  g_assert_cmpstr (ab_design_find_connection (d, e)->label, ==, "reads");
  ab_design_set_connection_label (d, e, "");
  g_assert_null (ab_design_find_connection (d, e)->label);
  ab_design_set_region (d, cache_id, "eu-west-1");
  g_assert_cmpstr (ab_design_find_component (d, cache_id)->region, ==, "eu-west-1");
  ab_design_set_region (d, cache_id, NULL);
  g_assert_null (ab_design_find_component (d, cache_id)->region);
}

typedef struct {
  guint changed;
  guint geometry;
  guint modified_notifies;
  guint can_undo_notifies;
} Counts;

static void
on_changed (AbDesign *d, Counts *counts)
{
  counts->changed++;
}

static void
on_geometry (AbDesign *d, Counts *counts)
{
  counts->geometry++;
}

static void
on_notify_modified (GObject *o, GParamSpec *pspec, Counts *counts)
{
  counts->modified_notifies++;
}

static void
on_notify_can_undo (GObject *o, GParamSpec *pspec, Counts *counts)
{
  counts->can_undo_notifies++;
}

static void
test_signals_and_modified (void)
{
  g_autoptr(AbDesign) d = ab_design_new (NULL);
  Counts counts = { 0 };
  const char *ids[2] = { NULL, NULL };
  g_autofree char *id = NULL;

  g_signal_connect (d, "changed", G_CALLBACK (on_changed), &counts);
  g_signal_connect (d, "changed::geometry", G_CALLBACK (on_geometry), &counts);
  g_signal_connect (d, "notify::modified", G_CALLBACK (on_notify_modified), &counts);
  g_signal_connect (d, "notify::can-undo", G_CALLBACK (on_notify_can_undo), &counts);

  g_assert_false (ab_design_is_modified (d));
  g_assert_false (ab_design_can_undo (d));
  g_assert_null (ab_design_get_undo_name (d));

  id = g_strdup (ab_design_add_component (d, AB_KIND_CACHE, NULL, 0, 0, 1));
  g_assert_cmpuint (counts.changed, ==, 1);
  g_assert_cmpuint (counts.geometry, ==, 0);
  g_assert_cmpint (ab_design_get_last_change (d), ==, AB_DESIGN_CHANGE_STRUCTURE);
  g_assert_true (ab_design_is_modified (d));
  g_assert_cmpuint (counts.modified_notifies, ==, 1);
  g_assert_cmpuint (counts.can_undo_notifies, ==, 1);
  g_assert_cmpstr (ab_design_get_undo_name (d), ==, "Add Cache");

  ids[0] = id;
  ab_design_move_components (d, ids, 5, 5);
  g_assert_cmpuint (counts.changed, ==, 2);
  g_assert_cmpuint (counts.geometry, ==, 1);
  g_assert_cmpint (ab_design_get_last_change (d), ==, AB_DESIGN_CHANGE_GEOMETRY);

  /* No-op edits: no signal, no step. */
  ab_design_move_components (d, ids, 0, 0);
  ab_design_rename_component (d, id, "Cache");
  ab_design_set_instances (d, id, 1);
  ab_design_set_notes (d, "");
  g_assert_cmpuint (counts.changed, ==, 2);
  g_assert_cmpstr (ab_design_get_undo_name (d), ==, "Move");

  ab_design_mark_saved (d);
  g_assert_false (ab_design_is_modified (d));
  g_assert_cmpuint (counts.modified_notifies, ==, 2);
  g_assert_true (ab_design_undo (d));
  g_assert_cmpuint (counts.geometry, ==, 2);
  g_assert_true (ab_design_is_modified (d));
  g_assert_cmpstr (ab_design_get_redo_name (d), ==, "Move");
  g_assert_true (ab_design_redo (d));
  g_assert_false (ab_design_is_modified (d));
  g_assert_true (ab_design_undo (d));
  /* A new edit after undoing past the saved point: that point is gone. */
  ab_design_set_notes (d, "hello");
  g_assert_cmpint (ab_design_get_last_change (d), ==, AB_DESIGN_CHANGE_NOTES);
  g_assert_false (ab_design_can_redo (d));
  g_assert_true (ab_design_is_modified (d));
  g_assert_true (ab_design_undo (d));
  g_assert_true (ab_design_is_modified (d));
  g_assert_true (ab_design_undo (d));
  g_assert_false (ab_design_undo (d));
  g_assert_true (ab_design_is_modified (d));
  g_assert_cmpstr (ab_design_get_notes (d), ==, "");
}

static void
test_groups (void)
{
  g_autoptr(AbDesign) d = ab_design_new (NULL);
  g_autofree char *empty = bytes_of (d);
  g_autofree char *a = NULL;
  Counts counts = { 0 };
  const char *ids[2] = { NULL, NULL };

  g_signal_connect (d, "changed", G_CALLBACK (on_changed), &counts);
  ab_design_begin_group (d, "Build");
  a = g_strdup (ab_design_add_component (d, AB_KIND_APP, NULL, 0, 0, 1));
  ab_design_begin_group (d, "Inner");
  ab_design_add_component (d, AB_KIND_DB_PRIMARY, NULL, 0, 0, 1);
  ab_design_connect (d, a, "c2", NULL);
  ab_design_end_group (d);
  ids[0] = a;
  ab_design_move_components (d, ids, 1, 1);
  g_assert_false (ab_design_can_undo (d));
  g_assert_true (ab_design_is_modified (d));
  ab_design_end_group (d);
  /* Each edit inside the group still told listeners. */
  g_assert_cmpuint (counts.changed, ==, 4);
  g_assert_true (ab_design_can_undo (d));
  g_assert_cmpstr (ab_design_get_undo_name (d), ==, "Build");
  g_assert_true (ab_design_undo (d));
  g_assert_false (ab_design_can_undo (d));
  {
    g_autofree char *now = bytes_of (d);
    g_assert_cmpstr (now, ==, empty);
  }
  g_assert_true (ab_design_redo (d));
  g_assert_cmpuint (ab_design_get_n_components (d), ==, 2);
  g_assert_cmpuint (ab_design_get_n_connections (d), ==, 1);

  /* An empty group leaves no step. */
  ab_design_begin_group (d, "Nothing");
  ab_design_end_group (d);
  g_assert_cmpstr (ab_design_get_undo_name (d), ==, "Build");
}

static void
test_copy_paste (void)
{
  g_autoptr(AbDesign) d = ab_design_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *lb = g_strdup (ab_design_add_component (d, AB_KIND_LB, NULL, 0, 0, 1));
  g_autofree char *app = g_strdup (ab_design_add_component (d, AB_KIND_APP, "API", 100, 50, 4));
  g_autofree char *db = g_strdup (ab_design_add_component (d, AB_KIND_DB_PRIMARY, NULL, 200, 0, 1));
  g_autofree char *fragment = NULL;
  g_autofree char *before = NULL;
  g_auto(GStrv) pasted = NULL;
  const char *ids[] = { app, lb, NULL };
  const AbComponent *c;

  ab_design_connect (d, lb, app, NULL);
  ab_design_connect (d, app, db, NULL);
  ab_design_set_component_param (d, app, "service_ms", g_variant_new_double (7.5));
  fragment = ab_design_copy_fragment (d, ids);
  g_assert_nonnull (strstr (fragment, "\"archboard-fragment\""));
  g_assert_null (strstr (fragment, "\"c3\""));

  before = bytes_of (d);
  pasted = ab_design_paste_fragment (d, fragment, 20, 30, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (pasted), ==, 2);
  g_assert_cmpstr (pasted[0], ==, "c4");
  g_assert_cmpstr (pasted[1], ==, "c5");
  c = ab_design_find_component (d, "c5");
  g_assert_cmpstr (c->label, ==, "API");
  g_assert_cmpfloat (c->x, ==, 120);
  g_assert_cmpfloat (c->y, ==, 80);
  g_assert_cmpint (c->instances, ==, 4);
  g_assert_cmpfloat (ab_component_get_param_double (c, "service_ms", 0), ==, 7.5);
  g_assert_nonnull (ab_design_find_connection_between (d, "c4", "c5"));
  g_assert_cmpuint (ab_design_get_n_connections (d), ==, 3);
  g_assert_cmpstr (ab_design_get_undo_name (d), ==, "Paste");
  g_assert_true (ab_design_undo (d));
  {
    g_autofree char *after = bytes_of (d);
    g_assert_cmpstr (after, ==, before);
  }

  g_assert_null (ab_design_paste_fragment (d, "{\"format\": \"archboard-fragment\", \"components\": [{\"id\": \"x\", \"kind\": \"nope\", \"x\": 0, \"y\": 0}]}", 0, 0, &error));
  g_assert_error (error, AB_ERROR, AB_ERROR_UNKNOWN_KIND);
  g_assert_true (g_str_has_prefix (error->message, "clipboard:1:"));
  g_clear_error (&error);
  g_assert_null (ab_design_paste_fragment (d, "not json", 0, 0, &error));
  g_assert_error (error, AB_ERROR, AB_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_null (ab_design_paste_fragment (d, "{\"format\": \"archboard-design\"}", 0, 0, &error));
  g_assert_error (error, AB_ERROR, AB_ERROR_INVALID);
  g_clear_error (&error);
  {
    g_autofree char *after = bytes_of (d);
    g_assert_cmpstr (after, ==, before);
  }
}

static void
test_snapshot (void)
{
  g_autoptr(AbDesign) d = ab_design_new ("p");
  g_autoptr(AbDesign) snap = NULL;
  g_autofree char *a = g_strdup (ab_design_add_component (d, AB_KIND_APP, NULL, 1, 2, 3));
  g_autofree char *b = g_strdup (ab_design_add_component (d, AB_KIND_CACHE, NULL, 1, 2, 3));
  g_autofree char *snap_bytes = NULL;
  g_autofree char *orig_bytes = NULL;

  ab_design_connect (d, a, b, NULL);
  ab_design_set_component_param (d, b, "hit_ratio", g_variant_new_double (0.5));
  ab_design_set_notes (d, "n");
  ab_design_set_title (d, "T");
  snap = ab_design_snapshot (d);
  snap_bytes = bytes_of (snap);
  orig_bytes = bytes_of (d);
  g_assert_cmpstr (snap_bytes, ==, orig_bytes);
  g_assert_false (ab_design_can_undo (snap));
  g_assert_cmpstr (ab_design_get_title (snap), ==, "T");
  ab_design_set_component_param (d, b, "hit_ratio", g_variant_new_double (0.6));
  ab_design_rename_component (d, a, "Other");
  g_assert_cmpfloat (ab_component_get_param_double (ab_design_find_component (snap, b), "hit_ratio", 0), ==, 0.5);
  g_assert_cmpstr (ab_design_find_component (snap, a)->label, ==, "Application server");
}

/* ---- the property test ---- */

static const char *
random_component (AbDesign *d, GRand *rand)
{
  guint n = ab_design_get_n_components (d);

  if (n == 0)
    return NULL;
  return ab_design_get_component (d, g_rand_int_range (rand, 0, n))->id;
}

static const char *
random_connection (AbDesign *d, GRand *rand)
{
  guint n = ab_design_get_n_connections (d);

  if (n == 0)
    return NULL;
  return ab_design_get_connection (d, g_rand_int_range (rand, 0, n))->id;
}

static GStrv
random_selection (AbDesign *d, GRand *rand)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  for (guint i = 0; i < ab_design_get_n_components (d); i++)
    if (g_rand_int_range (rand, 0, 3) == 0)
      g_strv_builder_add (b, ab_design_get_component (d, i)->id);
  return g_strv_builder_end (b);
}

static void random_edit (AbDesign *d, GRand *rand, int depth);

static void
random_edit (AbDesign *d, GRand *rand, int depth)
{
  static const char * const regions[] = { "us-east-1", "eu-west-1", NULL };
  int what = g_rand_int_range (rand, 0, 16);
  const char *id;

  switch (what)
    {
    case 0:
    case 1:
      ab_design_add_component (d, (AbKind) g_rand_int_range (rand, 0, AB_N_KINDS), NULL,
                               g_rand_int_range (rand, -500, 500), g_rand_double (rand) * 300,
                               g_rand_int_range (rand, 1, 5));
      break;
    case 2:
      {
        g_auto(GStrv) sel = random_selection (d, rand);
        const char *conn[] = { random_connection (d, rand), NULL };
        ab_design_remove (d, (const char * const *) sel, g_rand_boolean (rand) ? conn : NULL);
      }
      break;
    case 3:
      {
        g_auto(GStrv) sel = random_selection (d, rand);
        ab_design_move_components (d, (const char * const *) sel,
                                   g_rand_double_range (rand, -50, 50), g_rand_int_range (rand, -3, 3));
      }
      break;
    case 4:
      if ((id = random_component (d, rand)) != NULL)
        {
          g_autofree char *label = g_strdup_printf ("Name %d \"q\"\n", g_rand_int_range (rand, 0, 5));
          ab_design_rename_component (d, id, label);
        }
      break;
    case 5:
      if ((id = random_component (d, rand)) != NULL)
        ab_design_set_instances (d, id, g_rand_int_range (rand, 1, 10));
      break;
    case 6:
      if ((id = random_component (d, rand)) != NULL)
        ab_design_set_region (d, id, regions[g_rand_int_range (rand, 0, 3)]);
      break;
    case 7:
      if ((id = random_component (d, rand)) != NULL)
        {
          const AbComponent *c = ab_design_find_component (d, id);
          const AbKindInfo *info = ab_catalog_get_kind (ab_catalog_get_default (), c->kind);
          const AbParamSpec *spec;
          g_autofree char *cid = g_strdup (id);

          if (info->params->len == 0)
            break;
          spec = info->params->pdata[g_rand_int_range (rand, 0, info->params->len)];
          if (g_rand_int_range (rand, 0, 4) == 0)
            ab_design_set_component_param (d, cid, spec->name, NULL);
          else if (spec->is_string)
            ab_design_set_component_param (d, cid, spec->name,
                                           g_variant_new_string (spec->choices[g_rand_int_range (rand, 0, g_strv_length (spec->choices))]));
          else
            ab_design_set_component_param (d, cid, spec->name,
                                           g_variant_new_double (g_rand_double_range (rand, spec->min, MIN (spec->max, spec->min + 100))));
        }
      break;
    case 8:
    case 9:
      {
        const char *a = random_component (d, rand);
        const char *b = random_component (d, rand);
        if (a != NULL && b != NULL)
          {
            g_autofree char *aa = g_strdup (a), *bb = g_strdup (b);
            g_autoptr(GError) error = NULL;
            if (ab_design_connect (d, aa, bb, &error) == NULL)
              g_assert_error (error, AB_ERROR, AB_ERROR_REFUSED);
          }
      }
      break;
    case 10:
      if ((id = random_connection (d, rand)) != NULL)
        {
          const char *ids[] = { id, NULL };
          g_autofree char *eid = g_strdup (id);
          ids[0] = eid;
          ab_design_remove (d, NULL, ids);
        }
      break;
    case 11:
      if ((id = random_connection (d, rand)) != NULL)
        {
          g_autofree char *eid = g_strdup (id);
          switch (g_rand_int_range (rand, 0, 3))
            {
            case 0:
              ab_design_set_connection_label (d, eid, g_rand_boolean (rand) ? "label" : NULL);
              break;
            case 1:
              ab_design_set_connection_mode (d, eid, g_rand_boolean (rand) ? AB_CONN_ASYNC : AB_CONN_SYNC);
              break;
            default:
              ab_design_set_connection_param (d, eid, g_rand_boolean (rand) ? "latency_ms" : "cross_region_ms",
                                              g_rand_boolean (rand) ? NULL : g_variant_new_double (g_rand_double_range (rand, 0, 100)));
            }
        }
      break;
    case 12:
      {
        g_autofree char *notes = g_strdup_printf ("notes %d", g_rand_int_range (rand, 0, 4));
        if (g_rand_boolean (rand))
          ab_design_set_notes (d, notes);
        else
          ab_design_set_title (d, g_rand_boolean (rand) ? notes : NULL);
      }
      break;
    case 13:
      {
        g_auto(GStrv) sel = random_selection (d, rand);
        g_autofree char *fragment = ab_design_copy_fragment (d, (const char * const *) sel);
        g_autoptr(GError) error = NULL;
        g_auto(GStrv) pasted = ab_design_paste_fragment (d, fragment, 16, 16, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (g_strv_length (pasted), ==, g_strv_length (sel));
      }
      break;
    default:
      if (depth < 3)
        {
          int n = g_rand_int_range (rand, 0, 4);
          ab_design_begin_group (d, "Group");
          for (int i = 0; i < n; i++)
            random_edit (d, rand, depth + 1);
          ab_design_end_group (d);
        }
      break;
    }
}

static void
check_state (AbDesign *d, GPtrArray *states, guint pos)
{
  g_autofree char *now = bytes_of (d);

  if (g_strcmp0 (now, states->pdata[pos]) != 0)
    g_error ("state %u differs:\n%s\n---- expected ----\n%s", pos, now, (char *) states->pdata[pos]);
}

static void
run_property (guint32 seed, guint n_edits)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(AbDesign) d = ab_design_new ("prop");
  g_autoptr(GPtrArray) states = g_ptr_array_new_with_free_func (g_free);
  Counts counts = { 0 };
  guint pos;

  g_ptr_array_add (states, bytes_of (d));
  g_signal_connect (d, "changed", G_CALLBACK (on_changed), &counts);
  for (guint i = 0; i < n_edits; i++)
    {
      guint before = counts.changed;

      random_edit (d, rand, 0);
      /* An edit that emitted "changed" added exactly one undo step (a
       * group may even end where it started). */
      if (counts.changed != before)
        g_ptr_array_add (states, bytes_of (d));
    }
  pos = states->len - 1;
  /* Not vacuous: most random edits change something. */
  g_assert_cmpuint (states->len, >, n_edits / 3);

  /* Undo all: every intermediate state, ending at the empty design. */
  while (ab_design_undo (d))
    check_state (d, states, --pos);
  g_assert_cmpuint (pos, ==, 0);
  g_assert_false (ab_design_is_modified (d));
  /* Redo all: identical bytes to before. */
  while (ab_design_redo (d))
    check_state (d, states, ++pos);
  g_assert_cmpuint (pos, ==, states->len - 1);

  /* Interleaved undo / redo. */
  for (guint i = 0; i < 200; i++)
    {
      if (g_rand_boolean (rand))
        {
          if (ab_design_undo (d))
            pos--;
        }
      else if (ab_design_redo (d))
        pos++;
      check_state (d, states, pos);
    }

  /* Save / load round trip keeps the bytes. */
  {
    g_autofree char *bytes = bytes_of (d);
    g_autoptr(GError) error = NULL;
    g_autoptr(AbDesign) loaded = ab_design_load_from_data (bytes, -1, "prop.archboard", &error);
    g_autofree char *again = NULL;

    g_assert_no_error (error);
    again = bytes_of (loaded);
    g_assert_cmpstr (again, ==, bytes);
  }

  /* Ids are part of the state: undo all, then the next id is c1 again. */
  while (ab_design_undo (d))
    ;
  g_assert_cmpstr (ab_design_add_component (d, AB_KIND_APP, NULL, 0, 0, 1), ==, "c1");
  g_assert_false (ab_design_can_redo (d));
}

static void
test_undo_redo_property (void)
{
  guint n_seeds = g_test_slow () ? 200 : 25;

  for (guint seed = 1; seed <= n_seeds; seed++)
    run_property (seed, 120);
}

/* The undo steps are named in the user's language: the window's undo
 * button reads "„Cache hinzufügen“ rückgängig machen" in German. */
static void
test_undo_names_german (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(AbDesign) d = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *app = NULL, *db = NULL;
      const char *ids[2] = { NULL, NULL };

      german_test_enter ();
      d = ab_design_new ("storage-01");
      app = g_strdup (ab_design_add_component (d, AB_KIND_APP, NULL, 0, 0, 1));
      db = g_strdup (ab_design_add_component (d, AB_KIND_DB_PRIMARY, NULL, 200, 0, 1));
      g_assert_cmpstr (ab_design_get_undo_name (d), ==, "Primärdatenbank hinzufügen");
      g_assert_nonnull (ab_design_connect (d, app, db, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (ab_design_get_undo_name (d), ==, "Verbinden");
      ids[0] = db;
      ab_design_move_components (d, ids, 10, 0);
      g_assert_cmpstr (ab_design_get_undo_name (d), ==, "Verschieben");
      ab_design_set_instances (d, db, 3);
      g_assert_cmpstr (ab_design_get_undo_name (d), ==, "Instanzen ändern");
      ab_design_remove (d, ids, NULL);
      g_assert_cmpstr (ab_design_get_undo_name (d), ==, "Löschen");
      g_assert_true (ab_design_undo (d));
      g_assert_cmpstr (ab_design_get_redo_name (d), ==, "Löschen");
      /* what the clipboard holds when it is not something copied here */
      g_assert_null (ab_design_paste_fragment (d, "[1]", 0, 0, &error));
      g_assert_cmpstr (error->message, ==, "clipboard:1:1: ein kopiertes Fragment muss ein Objekt sein, ist aber ein Array");
      g_clear_error (&error);
      g_assert_null (ab_design_paste_fragment (d, "{\"format\": \"archboard\"}", 0, 0, &error));
      g_assert_cmpstr (error->message, ==, "clipboard:1:1: kein kopiertes Archboard-Fragment");
      return;
    }
  german_test_trap ();
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/design/add-and-find", test_add_and_find);
  g_test_add_func ("/design/connect-rules", test_connect_rules);
  g_test_add_func ("/design/remove-cascades", test_remove_cascades);
  g_test_add_func ("/design/params", test_params);
  g_test_add_func ("/design/signals-and-modified", test_signals_and_modified);
  g_test_add_func ("/design/groups", test_groups);
  g_test_add_func ("/design/copy-paste", test_copy_paste);
  g_test_add_func ("/design/snapshot", test_snapshot);
  g_test_add_func ("/design/undo-redo-property", test_undo_redo_property);
  g_test_add_func ("/design/undo-names-german", test_undo_names_german);
  return g_test_run ();
}
