/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of routing: visit ratios for each rule of docs/simulation.md, per-edge
 * rates and overrides, cycles. */
#include "config.h"

#include <math.h>

#include "ab-model.h"
#include "ab-route.h"

typedef struct {
  AbDesign  *design;
  AbWorkload workload;
} Fixture;

static const char *
add (Fixture *f, AbKind kind, int instances)
{
  return ab_design_add_component (f->design, kind, NULL, 0, 0, instances);
}

static const char *
link_ (Fixture *f, const char *from, const char *to)
{
  g_autoptr(GError) error = NULL;
  const char *id = ab_design_connect (f->design, from, to, &error);

  g_assert_no_error (error);
  return id;
}

/* The catalog does not list the connection parameters "share" and
 * "synchronous" (so ab_design_set_connection_param refuses them); set the
 * override the way a future catalog entry would store it. */
static void
set_edge_param (Fixture *f, const char *id, const char *name, GVariant *value)
{
  const AbConnection *conn = ab_design_find_connection (f->design, id);

  if (value == NULL)
    g_hash_table_remove (conn->params, name);
  else
    g_hash_table_insert (conn->params, g_strdup (name), g_variant_ref_sink (value));
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->design = ab_design_new ("test");
  memset (&f->workload, 0, sizeof f->workload);
  f->workload.read_rps = 1000.0;
  f->workload.write_rps = 100.0;
  f->workload.peak_multiplier = 10.0;
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->design);
}

static AbRoute *
build (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  AbRoute *route = ab_route_build (f->design, &f->workload, &error);

  g_assert_no_error (error);
  g_assert_nonnull (route);
  return route;
}

/* visits of (station id, class at the station) per request of @klass */
static double
visits (AbRoute *route, AbReqClass klass, const char *id, AbReqClass at)
{
  const AbNetwork *net = ab_route_get_network (route);
  g_autofree double *v = ab_network_class_visits (net, klass);
  int s = ab_network_find (net, id);

  g_assert_cmpint (s, >=, 0);
  return v[s * AB_N_CLASSES + at];
}

static int
conn_index (AbRoute *route, const char *id)
{
  for (guint i = 0; i < ab_route_get_n_connections (route); i++)
    if (g_strcmp0 (ab_route_connection_id (route, i), id) == 0)
      return (int) i;
  g_assert_not_reached ();
}

static const AbCall *
find_call (AbRoute *route, const char *from, AbReqClass klass, const char *to)
{
  const AbNetwork *net = ab_route_get_network (route);
  int s = ab_network_find (net, from), t = ab_network_find (net, to);
  const AbCallList *list = &net->calls[s * AB_N_CLASSES + klass];

  for (guint i = 0; i < list->n_calls; i++)
    if (list->calls[i].callee == t)
      return &list->calls[i];
  return NULL;
}

static void
test_lb_by_instances (Fixture *f, gconstpointer data)
{
  const char *client = add (f, AB_KIND_CLIENT, 1);
  const char *lb = add (f, AB_KIND_LB, 1);
  const char *a = add (f, AB_KIND_APP, 1);
  const char *b = add (f, AB_KIND_APP, 3);
  const char *eb;
  g_autoptr(AbRoute) route = NULL;
  double reads[4], writes[4];

  link_ (f, client, lb);
  link_ (f, lb, a);
  eb = link_ (f, lb, b);
  route = build (f);
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_READ, a, AB_CLASS_READ), 0.25, 1e-12);
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_READ, b, AB_CLASS_READ), 0.75, 1e-12);
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_WRITE, b, AB_CLASS_WRITE), 0.75, 1e-12);
  g_assert_cmpuint (ab_route_get_n_connections (route), ==, 3);
  ab_route_offered_connection_rates (route, reads, writes);
  g_assert_cmpfloat_with_epsilon (reads[conn_index (route, eb)], 750.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (writes[conn_index (route, eb)], 75.0, 1e-9);
  /* network delay per synchronous hop from the catalog */
  g_assert_cmpfloat_with_epsilon (find_call (route, lb, AB_CLASS_READ, b)->net_ms, 0.5, 1e-12);
}

static void
test_cache_aside (Fixture *f, gconstpointer data)
{
  const char *client = add (f, AB_KIND_CLIENT, 1);
  const char *app = add (f, AB_KIND_APP, 2);
  const char *cache = add (f, AB_KIND_CACHE, 1);
  const char *primary = add (f, AB_KIND_DB_PRIMARY, 1);
  const char *replica = add (f, AB_KIND_DB_REPLICA, 1);
  const char *e_rep;
  g_autoptr(AbRoute) route = NULL;
  double reads[4], writes[4];

  link_ (f, client, app);
  link_ (f, app, cache);
  link_ (f, app, primary);
  e_rep = link_ (f, app, replica);
  route = build (f);
  /* catalog hit ratio 0.8: every read looks up the cache, misses go to the
   * replica (the caller calls one), none to the primary */
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_READ, cache, AB_CLASS_READ), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_READ, replica, AB_CLASS_READ), 0.2, 1e-12);
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_READ, primary, AB_CLASS_READ), 0.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_WRITE, primary, AB_CLASS_WRITE), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_WRITE, cache, AB_CLASS_WRITE), 0.0, 1e-12);
  g_assert_cmpint (find_call (route, app, AB_CLASS_READ, replica)->on_miss_of, >=, 0);
  ab_route_offered_connection_rates (route, reads, writes);
  g_assert_cmpfloat_with_epsilon (reads[conn_index (route, e_rep)], 200.0, 1e-9);

  /* the per-edge rates from the model agree */
  {
    g_autoptr(AbModelResult) res = ab_model_evaluate (ab_route_get_network (route), NULL);
    double **rates = ab_model_call_rates (ab_route_get_network (route), res);
    double r2[4], w2[4];

    ab_route_connection_rates (route, rates, r2, w2);
    g_assert_cmpfloat_with_epsilon (r2[conn_index (route, e_rep)], 200.0, 1e-6);
    ab_model_call_rates_free (ab_route_get_network (route), rates);
  }
}

static void
test_read_through (Fixture *f, gconstpointer data)
{
  const char *client = add (f, AB_KIND_CLIENT, 1);
  const char *app = add (f, AB_KIND_APP, 1);
  const char *cache = add (f, AB_KIND_CACHE, 1);
  const char *primary = add (f, AB_KIND_DB_PRIMARY, 1);
  g_autoptr(AbRoute) route = NULL;

  link_ (f, client, app);
  link_ (f, app, cache);
  link_ (f, cache, primary);
  route = build (f);
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_READ, cache, AB_CLASS_READ), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_READ, primary, AB_CLASS_READ), 0.2, 1e-12);
  /* writes go through the cache to the primary it calls */
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_WRITE, primary, AB_CLASS_WRITE), 1.0, 1e-12);
}

static void
test_shards_and_replicas (Fixture *f, gconstpointer data)
{
  const char *client = add (f, AB_KIND_CLIENT, 1);
  const char *app = add (f, AB_KIND_APP, 1);
  const char *p1 = add (f, AB_KIND_DB_PRIMARY, 1);
  const char *p2 = add (f, AB_KIND_DB_PRIMARY, 4);
  const char *worker = add (f, AB_KIND_WORKER, 1);
  const char *r1 = add (f, AB_KIND_DB_REPLICA, 1);
  const char *r2 = add (f, AB_KIND_DB_REPLICA, 3);
  g_autoptr(AbRoute) route = NULL;
  const AbCall *c1, *c2;

  const char *lb = add (f, AB_KIND_LB, 1);

  link_ (f, client, lb);
  link_ (f, lb, app);
  link_ (f, app, p1);
  link_ (f, app, p2);
  link_ (f, lb, worker);
  link_ (f, worker, r1);
  link_ (f, worker, r2);
  route = build (f);
  /* shards split evenly by key, whatever their instances (the lb sends
   * half the requests to the app) */
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_READ, p1, AB_CLASS_READ), 0.25, 1e-12);
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_WRITE, p2, AB_CLASS_WRITE), 0.25, 1e-12);
  c1 = find_call (route, app, AB_CLASS_WRITE, p1);
  c2 = find_call (route, app, AB_CLASS_WRITE, p2);
  g_assert_cmpint (c1->group, >=, 0);
  g_assert_cmpint (c1->group, ==, c2->group);
  /* replicas by instances; the lb splits evenly between app and worker */
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_READ, r1, AB_CLASS_READ), 0.5 * 0.25, 1e-12);
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_READ, r2, AB_CLASS_READ), 0.5 * 0.75, 1e-12);
  /* replicas take no writes from callers */
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_WRITE, r1, AB_CLASS_WRITE), 0.0, 1e-12);
}

static void
test_async_queue (Fixture *f, gconstpointer data)
{
  const char *client = add (f, AB_KIND_CLIENT, 1);
  /* two instances: the app holds its slot through its calls (blocking
   * calls), and one instance would run near saturation at 1100 req/s */
  const char *app = add (f, AB_KIND_APP, 2);
  const char *primary = add (f, AB_KIND_DB_PRIMARY, 1);
  const char *queue = add (f, AB_KIND_QUEUE, 1);
  const char *worker = add (f, AB_KIND_WORKER, 2);
  const char *store = add (f, AB_KIND_OBJECT_STORE, 1);
  g_autoptr(AbRoute) route = NULL;
  g_autoptr(AbModelResult) res = NULL;

  link_ (f, client, app);
  link_ (f, app, primary);
  link_ (f, app, queue);
  link_ (f, queue, worker);
  link_ (f, worker, store);
  route = build (f);
  /* every write publishes; the app waits for the enqueue only */
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_WRITE, queue, AB_CLASS_WRITE), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_READ, queue, AB_CLASS_READ), 0.0, 1e-12);
  g_assert_false (find_call (route, app, AB_CLASS_WRITE, queue)->async);
  g_assert_true (find_call (route, queue, AB_CLASS_WRITE, worker)->async);
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_WRITE, store, AB_CLASS_WRITE), 1.0, 1e-12);
  res = ab_model_evaluate (ab_route_get_network (route), NULL);
  /* the worker's 20 ms and the object store's 30 ms are lag, not latency */
  g_assert_cmpfloat (res->latency[AB_CLASS_WRITE].mean_ms, <, 20.0);
  g_assert_cmpfloat (res->lag_ms, >, 50.0);
}

static void
test_replication_and_cdc (Fixture *f, gconstpointer data)
{
  const char *client = add (f, AB_KIND_CLIENT, 1);
  const char *app = add (f, AB_KIND_APP, 1);
  const char *primary = add (f, AB_KIND_DB_PRIMARY, 1);
  const char *r1 = add (f, AB_KIND_DB_REPLICA, 1);
  const char *r2 = add (f, AB_KIND_DB_REPLICA, 1);
  const char *stream = add (f, AB_KIND_STREAM, 1);
  const char *e2;
  g_autoptr(AbRoute) route = NULL;
  const AbNetwork *net;

  link_ (f, client, app);
  link_ (f, app, primary);
  link_ (f, primary, r1);
  e2 = link_ (f, primary, r2);
  link_ (f, primary, stream);
  set_edge_param (f, e2, "synchronous", g_variant_new_double (1.0));
  route = build (f);
  net = ab_route_get_network (route);
  /* every write is applied on every replica */
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_WRITE, r1, AB_CLASS_WRITE), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_WRITE, r2, AB_CLASS_WRITE), 1.0, 1e-12);
  g_assert_true (find_call (route, primary, AB_CLASS_WRITE, r1)->async);
  g_assert_false (find_call (route, primary, AB_CLASS_WRITE, r2)->async);
  g_assert_true (find_call (route, primary, AB_CLASS_WRITE, stream)->async);
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_WRITE, stream, AB_CLASS_WRITE), 1.0, 1e-12);
  /* the apply is the replica's apply_ms (catalog 2 ms), not its read time */
  g_assert_cmpfloat_with_epsilon (net->stations[ab_network_find (net, r1)].service_ms[AB_CLASS_WRITE], 2.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (net->stations[ab_network_find (net, primary)].service_ms[AB_CLASS_WRITE], 4.0, 1e-12);
  /* a primary fails over to its replica */
  g_assert_cmpint (net->stations[ab_network_find (net, primary)].failover_to, ==, ab_network_find (net, r1));
}

static void
test_cdn (Fixture *f, gconstpointer data)
{
  const char *client = add (f, AB_KIND_CLIENT, 1);
  const char *cdn = add (f, AB_KIND_CDN, 1);
  const char *lb = add (f, AB_KIND_LB, 1);
  const char *app = add (f, AB_KIND_APP, 1);
  g_autoptr(AbRoute) route = NULL;

  link_ (f, client, cdn);
  link_ (f, cdn, lb);
  link_ (f, lb, app);
  route = build (f);
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_READ, cdn, AB_CLASS_READ), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_READ, app, AB_CLASS_READ), 0.1, 1e-12);
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_WRITE, app, AB_CLASS_WRITE), 1.0, 1e-12);
}

static void
test_cdn_beside_origin (Fixture *f, gconstpointer data)
{
  const char *client = add (f, AB_KIND_CLIENT, 1);
  const char *cdn = add (f, AB_KIND_CDN, 1);
  const char *lb = add (f, AB_KIND_LB, 1);
  g_autoptr(AbRoute) route = NULL;

  link_ (f, client, cdn);
  link_ (f, client, lb);
  link_ (f, cdn, lb);
  route = build (f);
  /* reads through the cdn, writes straight to the origin */
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_READ, lb, AB_CLASS_READ), 0.1, 1e-12);
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_WRITE, cdn, AB_CLASS_WRITE), 0.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_WRITE, lb, AB_CLASS_WRITE), 1.0, 1e-12);
}

static void
test_ingest_beside_queries (Fixture *f, gconstpointer data)
{
  const char *client = add (f, AB_KIND_CLIENT, 1);
  const char *stream = add (f, AB_KIND_STREAM, 1);
  const char *worker = add (f, AB_KIND_WORKER, 1);
  const char *app = add (f, AB_KIND_APP, 1);
  const char *db = add (f, AB_KIND_DB_PRIMARY, 1);
  g_autoptr(AbRoute) route = NULL;

  link_ (f, client, stream);
  link_ (f, client, app);
  link_ (f, stream, worker);
  link_ (f, worker, db);
  link_ (f, app, db);
  route = build (f);
  /* events into the stream, queries to the app */
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_WRITE, stream, AB_CLASS_WRITE), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_WRITE, app, AB_CLASS_WRITE), 0.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_READ, app, AB_CLASS_READ), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_READ, stream, AB_CLASS_READ), 0.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_READ, db, AB_CLASS_READ), 1.0, 1e-12);
}

static void
test_search_share (Fixture *f, gconstpointer data)
{
  const char *client = add (f, AB_KIND_CLIENT, 1);
  const char *app = add (f, AB_KIND_APP, 1);
  const char *primary = add (f, AB_KIND_DB_PRIMARY, 1);
  const char *search = add (f, AB_KIND_SEARCH, 1);
  const char *e;

  link_ (f, client, app);
  link_ (f, app, primary);
  e = link_ (f, app, search);
  f->workload.search_share = 0.3;
  {
    g_autoptr(AbRoute) route = build (f);
    g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_READ, search, AB_CLASS_READ), 0.3, 1e-12);
    g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_READ, primary, AB_CLASS_READ), 0.7, 1e-12);
    g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_WRITE, search, AB_CLASS_WRITE), 0.0, 1e-12);
  }
  /* the edge's share overrides the workload's */
  set_edge_param (f, e, "share", g_variant_new_double (0.5));
  {
    g_autoptr(AbRoute) route = build (f);
    g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_READ, search, AB_CLASS_READ), 0.5, 1e-12);
    g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_READ, primary, AB_CLASS_READ), 0.5, 1e-12);
  }
  /* no share anywhere: the documented default */
  set_edge_param (f, e, "share", NULL);
  f->workload.search_share = 0.0;
  {
    g_autoptr(AbRoute) route = build (f);
    g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_READ, search, AB_CLASS_READ),
                                    AB_ROUTE_DEFAULT_SEARCH_SHARE, 1e-12);
  }
}

/* A share on the read path beside the search share: the read path gets
 * what the search leaves (0.7), so the one group of reads sends each read
 * once (was 0.9 + 0.3 = 1.2 visits: the model's loads and its latency
 * then disagreed with each other and with the DES). */
static void
test_share_beside_search (Fixture *f, gconstpointer data)
{
  const char *client = add (f, AB_KIND_CLIENT, 1);
  const char *app = add (f, AB_KIND_APP, 1);
  const char *r1 = add (f, AB_KIND_DB_REPLICA, 1);
  const char *r2 = add (f, AB_KIND_DB_REPLICA, 1);
  const char *search = add (f, AB_KIND_SEARCH, 1);
  const char *e1;
  g_autoptr(AbRoute) route = NULL;
  const AbNetwork *net;
  const AbCallList *reads;
  const AbCall *to_r1;
  double sum = 0.0;

  link_ (f, client, app);
  e1 = link_ (f, app, r1);
  link_ (f, app, r2);
  link_ (f, app, search);
  f->workload.search_share = 0.3;
  set_edge_param (f, e1, "share", g_variant_new_double (0.9));
  route = build (f);
  net = ab_route_get_network (route);
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_READ, search, AB_CLASS_READ), 0.3, 1e-12);
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_READ, r1, AB_CLASS_READ), 0.7, 1e-12);
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_READ, r2, AB_CLASS_READ), 0.0, 1e-12);
  reads = &net->calls[ab_network_find (net, app) * AB_N_CLASSES + AB_CLASS_READ];
  to_r1 = find_call (route, app, AB_CLASS_READ, r1);
  for (guint i = 0; i < reads->n_calls; i++)
    if (reads->calls[i].group == to_r1->group)
      sum += reads->calls[i].probability;
  g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-12);

  /* a share that fits beside the search keeps its figure; the rest of
   * the read path shares what is left */
  set_edge_param (f, e1, "share", g_variant_new_double (0.5));
  g_clear_pointer (&route, ab_route_free);
  route = build (f);
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_READ, r1, AB_CLASS_READ), 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_READ, r2, AB_CLASS_READ), 0.2, 1e-12);
}

static void
test_edge_overrides (Fixture *f, gconstpointer data)
{
  const char *client = add (f, AB_KIND_CLIENT, 1);
  const char *app = add (f, AB_KIND_APP, 1);
  const char *r1 = add (f, AB_KIND_DB_REPLICA, 1);
  const char *r2 = add (f, AB_KIND_DB_REPLICA, 1);
  const char *worker = add (f, AB_KIND_WORKER, 1);
  const char *e1, *ew;
  g_autoptr(AbRoute) route = NULL;

  link_ (f, client, app);
  e1 = link_ (f, app, r1);
  link_ (f, app, r2);
  ew = link_ (f, app, worker);
  set_edge_param (f, e1, "share", g_variant_new_double (0.9));
  ab_design_set_connection_param (f->design, e1, "latency_ms", g_variant_new_double (3.0));
  ab_design_set_connection_mode (f->design, ew, AB_CONN_ASYNC);
  ab_design_set_region (f->design, r2, "eu-west-1");
  route = build (f);
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_READ, r1, AB_CLASS_READ), 0.9, 1e-12);
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_READ, r2, AB_CLASS_READ), 0.1, 1e-12);
  g_assert_cmpfloat_with_epsilon (find_call (route, app, AB_CLASS_READ, r1)->net_ms, 3.0, 1e-12);
  /* a hop across regions costs the cross-region delay (catalog 70 ms) */
  g_assert_cmpfloat_with_epsilon (find_call (route, app, AB_CLASS_READ, r2)->net_ms, 70.0, 1e-12);
  /* app -> worker marked async: background work for both classes */
  g_assert_true (find_call (route, app, AB_CLASS_READ, worker)->async);
  g_assert_true (find_call (route, app, AB_CLASS_WRITE, worker)->async);
}

static void
test_app_to_app_and_cron (Fixture *f, gconstpointer data)
{
  const char *client = add (f, AB_KIND_CLIENT, 1);
  /* a holds its slots through b's answer, b through the primary's
   * (blocking calls): enough instances that 1100 req/s lose nothing */
  const char *a = add (f, AB_KIND_APP, 3);
  const char *b = add (f, AB_KIND_APP, 3);
  const char *cron = add (f, AB_KIND_WORKER, 1);
  const char *primary = add (f, AB_KIND_DB_PRIMARY, 1);
  g_autoptr(AbRoute) route = NULL;
  const AbNetwork *net;

  link_ (f, client, a);
  link_ (f, a, b);
  link_ (f, b, primary);
  link_ (f, cron, primary);
  ab_design_set_component_param (f->design, cron, "rate", g_variant_new_double (40.0));
  route = build (f);
  net = ab_route_get_network (route);
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_READ, b, AB_CLASS_READ), 1.0, 1e-12);
  g_assert_false (find_call (route, a, AB_CLASS_READ, b)->async);
  g_assert_cmpfloat_with_epsilon (net->stations[ab_network_find (net, cron)].self_rate[AB_CLASS_WRITE], 40.0, 1e-12);
  {
    g_autoptr(AbModelResult) res = ab_model_evaluate (net, NULL);
    /* the primary sees the users' 100 writes/s plus the cron's 40 */
    g_assert_cmpfloat_with_epsilon (res->node_rps[ab_network_find (net, primary) * AB_N_CLASSES + AB_CLASS_WRITE],
                                    140.0, 1e-9);
  }
}

static void
test_sync_cycle (Fixture *f, gconstpointer data)
{
  const char *client = add (f, AB_KIND_CLIENT, 1);
  const char *a = add (f, AB_KIND_APP, 1);
  const char *b = add (f, AB_KIND_APP, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(AbRoute) route = NULL;

  link_ (f, client, a);
  link_ (f, a, b);
  link_ (f, b, a);
  route = ab_route_build (f->design, &f->workload, &error);
  g_assert_null (route);
  g_assert_error (error, AB_ERROR, AB_ERROR_CYCLE);
  g_assert_nonnull (strstr (error->message, a));
  g_assert_nonnull (strstr (error->message, b));
}

static void
test_async_cycle_cut (Fixture *f, gconstpointer data)
{
  const char *client = add (f, AB_KIND_CLIENT, 1);
  const char *app = add (f, AB_KIND_APP, 1);
  const char *primary = add (f, AB_KIND_DB_PRIMARY, 1);
  const char *stream = add (f, AB_KIND_STREAM, 1);
  const char *worker = add (f, AB_KIND_WORKER, 1);
  const char *back;
  g_autoptr(AbRoute) route = NULL;

  link_ (f, client, app);
  link_ (f, app, primary);
  link_ (f, primary, stream);
  link_ (f, stream, worker);
  back = link_ (f, worker, primary);
  route = build (f);
  g_assert_true (ab_network_is_acyclic (ab_route_get_network (route)));
  g_assert_cmpuint (g_strv_length ((char **) ab_route_get_cut_connections (route)), ==, 1);
  g_assert_cmpstr (ab_route_get_cut_connections (route)[0], ==, back);
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_WRITE, worker, AB_CLASS_WRITE), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (visits (route, AB_CLASS_WRITE, primary, AB_CLASS_WRITE), 1.0, 1e-12);
}

static void
test_no_client (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AbRoute) route = NULL;

  add (f, AB_KIND_APP, 1);
  route = ab_route_build (f->design, &f->workload, &error);
  g_assert_null (route);
  g_assert_error (error, AB_ERROR, AB_ERROR_INVALID);
}

static void
test_lb_policy (Fixture *f, gconstpointer data)
{
  const char *client = add (f, AB_KIND_CLIENT, 1);
  const char *lb = add (f, AB_KIND_LB, 1);
  const char *app = add (f, AB_KIND_APP, 4);
  const char *cache = add (f, AB_KIND_CACHE, 3);
  const char *db = add (f, AB_KIND_DB_PRIMARY, 1);
  static const struct { const char *policy; AbBalance balance; } cases[] = {
    { NULL, AB_BALANCE_ROUND_ROBIN },
    { "least_connections", AB_BALANCE_LEAST_CONNECTIONS },
    { "random", AB_BALANCE_RANDOM },
    { "round_robin", AB_BALANCE_ROUND_ROBIN },
  };

  link_ (f, client, lb);
  link_ (f, lb, app);
  link_ (f, app, cache);
  link_ (f, app, db);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(AbRoute) route = NULL;
      const AbNetwork *net;

      ab_design_set_component_param (f->design, lb, "policy",
                                     cases[i].policy != NULL ? g_variant_new_string (cases[i].policy) : NULL);
      route = build (f);
      net = ab_route_get_network (route);
      g_assert_cmpint (net->stations[ab_network_find (net, app)].balance, ==, cases[i].balance);
      /* instances called without a balancer in front: round robin */
      g_assert_cmpint (net->stations[ab_network_find (net, cache)].balance, ==, AB_BALANCE_ROUND_ROBIN);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/route/lb-by-instances", test_lb_by_instances);
  ADD ("/route/lb-policy", test_lb_policy);
  ADD ("/route/cache-aside", test_cache_aside);
  ADD ("/route/read-through", test_read_through);
  ADD ("/route/shards-replicas", test_shards_and_replicas);
  ADD ("/route/async-queue", test_async_queue);
  ADD ("/route/replication-cdc", test_replication_and_cdc);
  ADD ("/route/cdn", test_cdn);
  ADD ("/route/cdn-beside-origin", test_cdn_beside_origin);
  ADD ("/route/ingest-beside-queries", test_ingest_beside_queries);
  ADD ("/route/search-share", test_search_share);
  ADD ("/route/share-beside-search", test_share_beside_search);
  ADD ("/route/edge-overrides", test_edge_overrides);
  ADD ("/route/app-app-cron", test_app_to_app_and_cron);
  ADD ("/route/sync-cycle", test_sync_cycle);
  ADD ("/route/async-cycle-cut", test_async_cycle_cut);
  ADD ("/route/no-client", test_no_client);
  return g_test_run ();
}
