/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Routing: the default rules of docs/simulation.md ("From a design to a network")
 * that decide, per component and request class, which connections a
 * request takes after the component's own work, and with what chance. */
#define G_LOG_DOMAIN "archboard-route"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ab-route.h"

struct _AbRoute {
  AbNetwork *network;
  GArray   **call_conn;     /* per (station, class): int connection per call */
  GStrv      connection_ids;
  guint      n_connections;
  GPtrArray *cut;           /* connection ids cut to break async loops, NULL-terminated */
  int        next_group;
};

typedef struct {
  const AbConnection *conn;
  int                 conn_index;
  int                 target;
  AbKind              kind;
  gboolean            async_marked;
} Out;

typedef struct {
  const Out *out;
  double     weight;
} Choice;

typedef struct {
  AbRoute          *route;
  AbDesign         *design;
  const AbWorkload *workload;
  GArray          **outs;      /* per component: Out */
  int              *incoming;
} Builder;

static double
param_or (const AbComponent *c,
          const char        *name,
          double             fallback)
{
  double v = ab_component_get_param_double (c, name, fallback);

  return isfinite (v) ? v : fallback;
}

/* An explicit per-edge number (only when set on the connection: the
 * catalog default of such a parameter means "by the rules"). */
static double
edge_override (const AbConnection *conn,
               const char         *name,
               double              unset)
{
  GVariant *v = conn->params != NULL ? g_hash_table_lookup (conn->params, name) : NULL;

  if (v == NULL || !g_variant_is_of_type (v, G_VARIANT_TYPE_DOUBLE)
      || !isfinite (g_variant_get_double (v)))
    return unset;
  return g_variant_get_double (v);
}

static double
edge_share (const Out *out)
{
  double v = edge_override (out->conn, "share", -1.0);

  if (v < 0.0)
    return -1.0;
  return MIN (v, 1.0);
}

static double
edge_net_ms (Builder   *b,
             int        from,
             const Out *out)
{
  const AbComponent *src = ab_design_get_component (b->design, (guint) from);
  const AbComponent *dst = ab_design_get_component (b->design, (guint) out->target);
  double v;

  if (g_strcmp0 (src->region, dst->region) != 0)
    v = ab_connection_get_param_double (out->conn, "cross_region_ms", 70.0);
  else
    v = ab_connection_get_param_double (out->conn, "latency_ms", 0.5);
  return isfinite (v) && v >= 0.0 ? v : 0.0;
}

static int
emit (Builder    *b,
      int         from,
      AbReqClass  klass,
      const Out  *out,
      double      probability,
      int         group,
      int         on_miss_of,
      gboolean    async,
      AbReqClass  as_class)
{
  AbNetwork *net = b->route->network;
  AbCall *call = ab_network_add_call (net, from, klass, out->target);
  GArray *map = b->route->call_conn[from * AB_N_CLASSES + klass];

  call->probability = probability;
  call->group = group;
  call->on_miss_of = on_miss_of;
  call->async = async;
  call->as_class = as_class;
  call->net_ms = edge_net_ms (b, from, out);
  g_array_append_val (map, out->conn_index);
  return (int) net->calls[from * AB_N_CLASSES + klass].n_calls - 1;
}

/* Normalises the weights of @choices to @total, honouring per-edge
 * "share" overrides (a share is a fraction of the caller's requests).
 * Shares that ask for more than @total (what is left beside the search
 * share) are scaled down to it: one group never sends more than all the
 * caller's requests. */
static void
normalise (GArray *choices,
           double  total)
{
  double fixed = 0.0, free_weight = 0.0;

  for (guint i = 0; i < choices->len; i++)
    {
      Choice *ch = &g_array_index (choices, Choice, i);
      double share = edge_share (ch->out);
      if (share >= 0.0)
        fixed += share;
      else
        free_weight += ch->weight;
    }
  for (guint i = 0; i < choices->len; i++)
    {
      Choice *ch = &g_array_index (choices, Choice, i);
      double share = edge_share (ch->out);

      if (share >= 0.0)
        ch->weight = fixed > total || free_weight <= 0.0 ? share / MAX (fixed, 1e-12) * total : share;
      else
        ch->weight = fixed < total && free_weight > 0.0 ? ch->weight / free_weight * (total - fixed) : 0.0;
    }
}

/* Emits @choices as one exclusive group (or a single call); returns the
 * call indices in @indices when not NULL. */
static void
emit_choices (Builder    *b,
              int         from,
              AbReqClass  klass,
              GArray     *choices,
              int         on_miss_of,
              gboolean    async,
              GArray     *indices)
{
  int group = -1;
  double total = 0.0;
  guint used = 0;

  for (guint i = 0; i < choices->len; i++)
    if (g_array_index (choices, Choice, i).weight > 0.0)
      {
        total += g_array_index (choices, Choice, i).weight;
        used++;
      }
  if (used == 0)
    return;
  if (used > 1 || total < 1.0 - 1e-9)
    group = b->route->next_group++;
  for (guint i = 0; i < choices->len; i++)
    {
      const Choice *ch = &g_array_index (choices, Choice, i);
      int index;

      if (ch->weight <= 0.0)
        continue;
      if (used == 1 && total < 1.0 - 1e-9)
        group = -1;  /* a lone partial call is just a chance */
      index = emit (b, from, klass, ch->out, ch->weight, group, on_miss_of,
                    async || ch->out->async_marked, klass);
      if (indices != NULL)
        g_array_append_val (indices, index);
    }
}

static int
instances_of (Builder *b,
              int      index)
{
  return MAX (ab_design_get_component (b->design, (guint) index)->instances, 1);
}

static void
add_choice (GArray    *choices,
            const Out *out,
            double     weight)
{
  Choice ch = { out, weight };
  g_array_append_val (choices, ch);
}

static gboolean
is_store (AbKind kind)
{
  return kind == AB_KIND_DB_PRIMARY || kind == AB_KIND_DB_REPLICA
         || kind == AB_KIND_STORAGE || kind == AB_KIND_OBJECT_STORE;
}

static gboolean
calls_kind (Builder  *b,
            int       component,
            gboolean (*pred) (AbKind))
{
  GArray *outs = b->outs[component];

  for (guint i = 0; i < outs->len; i++)
    if (pred (g_array_index (outs, Out, i).kind))
      return TRUE;
  return FALSE;
}

static gboolean
is_primary (AbKind kind)
{
  return kind == AB_KIND_DB_PRIMARY;
}

/* Every target of @from, one group, weighted by instances (or evenly). */
static void
route_split (Builder  *b,
             int       from,
             gboolean  by_instances,
             gboolean  async)
{
  GArray *outs = b->outs[from];

  for (int k = 0; k < AB_N_CLASSES; k++)
    {
      g_autoptr(GArray) choices = g_array_new (FALSE, FALSE, sizeof (Choice));

      for (guint i = 0; i < outs->len; i++)
        {
          const Out *o = &g_array_index (outs, Out, i);
          add_choice (choices, o, by_instances ? instances_of (b, o->target) : 1.0);
        }
      normalise (choices, 1.0);
      emit_choices (b, from, k, choices, -1, async, NULL);
    }
}

/* Every target of @from, independently, for both classes (stream fan-out). */
static void
route_fanout (Builder *b,
              int      from,
              gboolean async)
{
  GArray *outs = b->outs[from];

  for (int k = 0; k < AB_N_CLASSES; k++)
    for (guint i = 0; i < outs->len; i++)
      {
        const Out *o = &g_array_index (outs, Out, i);
        double share = edge_share (o);
        emit (b, from, k, o, share >= 0.0 ? share : 1.0, -1, -1, async || o->async_marked, k);
      }
}

static void
route_store_writes (Builder *b,
                    int      from)
{
  GArray *outs = b->outs[from];
  AbKind kind = ab_design_get_component (b->design, (guint) from)->kind;

  for (guint i = 0; i < outs->len; i++)
    {
      const Out *o = &g_array_index (outs, Out, i);
      double share = edge_share (o);
      double p = share >= 0.0 ? share : 1.0;

      switch (o->kind)
        {
        case AB_KIND_DB_REPLICA:
          /* replication: apply work on every replica */
          emit (b, from, AB_CLASS_WRITE, o, p, -1, -1,
                edge_override (o->conn, "synchronous", 0.0) < 0.5,
                AB_CLASS_WRITE);
          break;
        case AB_KIND_STREAM:
        case AB_KIND_QUEUE:
          /* change data capture */
          emit (b, from, AB_CLASS_WRITE, o, p, -1, -1, TRUE, AB_CLASS_WRITE);
          break;
        case AB_KIND_STORAGE:
          if (kind == AB_KIND_DB_PRIMARY)
            emit (b, from, AB_CLASS_WRITE, o, p, -1, -1, o->async_marked, AB_CLASS_WRITE);
          break;
        case AB_KIND_SEARCH:
        case AB_KIND_CACHE:
          /* index / cache refresh from the primary's changes */
          if (kind == AB_KIND_DB_PRIMARY)
            emit (b, from, AB_CLASS_WRITE, o, p, -1, -1, TRUE, AB_CLASS_WRITE);
          break;
        default:
          break;
        }
    }
}

/* storage / object store: a write notifies the workers, queues, streams
 * and search indexes it calls (events); a cdn pulls from it, so a
 * connection to a cdn carries nothing. */
static void
route_blob_events (Builder *b,
                   int      from)
{
  GArray *outs = b->outs[from];

  for (guint i = 0; i < outs->len; i++)
    {
      const Out *o = &g_array_index (outs, Out, i);
      double share = edge_share (o);

      if (o->kind == AB_KIND_CDN)
        continue;
      emit (b, from, AB_CLASS_WRITE, o, share >= 0.0 ? share : 1.0, -1, -1, TRUE, AB_CLASS_WRITE);
    }
}

/* client: splits the workload over its targets; with a cdn beside other
 * targets, reads go through the cdn and writes to the others. */
static void
route_client (Builder *b,
              int      from)
{
  GArray *outs = b->outs[from];
  gboolean has_cdn = FALSE, has_other = FALSE, has_ingest = FALSE, has_query = FALSE;

  for (guint i = 0; i < outs->len; i++)
    {
      AbKind kind = g_array_index (outs, Out, i).kind;

      if (kind == AB_KIND_CDN)
        has_cdn = TRUE;
      else
        has_other = TRUE;
      if (kind == AB_KIND_QUEUE || kind == AB_KIND_STREAM)
        has_ingest = TRUE;
      else
        has_query = TRUE;
    }
  for (int k = 0; k < AB_N_CLASSES; k++)
    {
      g_autoptr(GArray) choices = g_array_new (FALSE, FALSE, sizeof (Choice));

      for (guint i = 0; i < outs->len; i++)
        {
          const Out *o = &g_array_index (outs, Out, i);
          gboolean cdn = o->kind == AB_KIND_CDN;
          gboolean ingest = o->kind == AB_KIND_QUEUE || o->kind == AB_KIND_STREAM;

          if (has_cdn && has_other && (k == AB_CLASS_READ) != cdn)
            continue;
          /* ingestion beside a query path: writes into the queue or
           * stream, reads to the rest */
          if (!(has_cdn && has_other) && has_ingest && has_query && (k == AB_CLASS_WRITE) != ingest)
            continue;
          add_choice (choices, o, 1.0);
        }
      normalise (choices, 1.0);
      emit_choices (b, from, k, choices, -1, FALSE, NULL);
    }
}

/* app, worker, cache, search: the store rules. */
static void
route_generic (Builder *b,
               int      from)
{
  GArray *outs = b->outs[from];
  g_autoptr(GArray) caches = g_array_new (FALSE, FALSE, sizeof (const Out *));
  g_autoptr(GArray) primaries = g_array_new (FALSE, FALSE, sizeof (const Out *));
  g_autoptr(GArray) replicas = g_array_new (FALSE, FALSE, sizeof (const Out *));
  g_autoptr(GArray) searches = g_array_new (FALSE, FALSE, sizeof (const Out *));
  g_autoptr(GArray) objects = g_array_new (FALSE, FALSE, sizeof (const Out *));
  g_autoptr(GArray) queues = g_array_new (FALSE, FALSE, sizeof (const Out *));
  g_autoptr(GArray) sync_calls = g_array_new (FALSE, FALSE, sizeof (const Out *));
  g_autoptr(GArray) async_calls = g_array_new (FALSE, FALSE, sizeof (const Out *));
  GArray *read_db;
  gboolean has_read_path;

  for (guint i = 0; i < outs->len; i++)
    {
      const Out *o = &g_array_index (outs, Out, i);

      if (o->kind == AB_KIND_QUEUE || o->kind == AB_KIND_STREAM)
        g_array_append_val (queues, o);
      else if (o->async_marked)
        g_array_append_val (async_calls, o);
      else if (o->kind == AB_KIND_CACHE)
        g_array_append_val (caches, o);
      else if (o->kind == AB_KIND_DB_PRIMARY)
        g_array_append_val (primaries, o);
      else if (o->kind == AB_KIND_DB_REPLICA)
        g_array_append_val (replicas, o);
      else if (o->kind == AB_KIND_SEARCH)
        g_array_append_val (searches, o);
      else if (o->kind == AB_KIND_OBJECT_STORE || o->kind == AB_KIND_STORAGE)
        g_array_append_val (objects, o);
      else
        g_array_append_val (sync_calls, o);
    }
  read_db = replicas->len > 0 ? replicas : primaries;

  /* ---- reads ---- */
  {
    g_autoptr(GArray) choices = g_array_new (FALSE, FALSE, sizeof (Choice));
    g_autoptr(GArray) indices = g_array_new (FALSE, FALSE, sizeof (int));
    GArray *main_path = caches->len > 0 ? caches : read_db->len > 0 ? read_db : objects;
    double search_share = 0.0;
    double search_weight = 0.0;
    guint n_main;

    if (searches->len > 0)
      {
        double edge = -1.0;
        for (guint i = 0; i < searches->len; i++)
          {
            double s = edge_share (g_array_index (searches, const Out *, i));
            if (s >= 0.0)
              edge = MAX (edge, 0.0) + s;
          }
        search_share = edge >= 0.0 ? edge
                       : b->workload != NULL && b->workload->search_share > 0.0 ? b->workload->search_share
                       : AB_ROUTE_DEFAULT_SEARCH_SHARE;
        if (main_path->len == 0)
          search_share = 1.0;  /* nothing else answers reads */
        search_share = CLAMP (search_share, 0.0, 1.0);
      }
    for (guint i = 0; i < main_path->len; i++)
      {
        const Out *o = g_array_index (main_path, const Out *, i);
        double w = o->kind == AB_KIND_DB_PRIMARY ? 1.0 : instances_of (b, o->target);
        add_choice (choices, o, w);
      }
    n_main = choices->len;
    {
      g_autoptr(GArray) main_choices = g_array_new (FALSE, FALSE, sizeof (Choice));
      g_array_append_vals (main_choices, choices->data, n_main);
      normalise (main_choices, 1.0 - search_share);
      g_array_set_size (choices, 0);
      g_array_append_vals (choices, main_choices->data, n_main);
    }
    for (guint i = 0; i < searches->len; i++)
      search_weight += instances_of (b, g_array_index (searches, const Out *, i)->target);
    for (guint i = 0; i < searches->len; i++)
      {
        const Out *o = g_array_index (searches, const Out *, i);
        add_choice (choices, o, search_share * instances_of (b, o->target) / search_weight);
      }
    emit_choices (b, from, AB_CLASS_READ, choices, -1, FALSE, indices);

    /* cache-aside: a miss at a cache that does not read through goes on
     * to the caller's read stores */
    if (main_path == caches)
      for (guint i = 0; i < indices->len; i++)
        {
          int index = g_array_index (indices, int, i);
          const AbCall *call = &b->route->network->calls[from * AB_N_CLASSES + AB_CLASS_READ].calls[index];
          g_autoptr(GArray) miss = g_array_new (FALSE, FALSE, sizeof (Choice));
          GArray *behind = read_db->len > 0 ? read_db : objects;

          if (b->route->network->stations[call->callee].kind != AB_KIND_CACHE
              || calls_kind (b, call->callee, is_store))
            continue;
          for (guint j = 0; j < behind->len; j++)
            {
              const Out *o = g_array_index (behind, const Out *, j);
              add_choice (miss, o, o->kind == AB_KIND_DB_PRIMARY ? 1.0 : instances_of (b, o->target));
            }
          normalise (miss, 1.0);
          emit_choices (b, from, AB_CLASS_READ, miss, index, FALSE, NULL);
        }

    has_read_path = main_path->len > 0 || searches->len > 0 || sync_calls->len > 0;
  }

  /* ---- writes ---- */
  {
    g_autoptr(GArray) choices = g_array_new (FALSE, FALSE, sizeof (Choice));

    for (guint i = 0; i < primaries->len; i++)
      add_choice (choices, g_array_index (primaries, const Out *, i), 1.0);
    if (choices->len == 0)
      /* write-through: caches that themselves call a primary */
      for (guint i = 0; i < caches->len; i++)
        {
          const Out *o = g_array_index (caches, const Out *, i);
          if (calls_kind (b, o->target, is_primary))
            add_choice (choices, o, instances_of (b, o->target));
        }
    normalise (choices, 1.0);
    emit_choices (b, from, AB_CLASS_WRITE, choices, -1, FALSE, NULL);

    g_array_set_size (choices, 0);
    for (guint i = 0; i < objects->len; i++)
      {
        const Out *o = g_array_index (objects, const Out *, i);
        add_choice (choices, o, instances_of (b, o->target));
      }
    normalise (choices, 1.0);
    emit_choices (b, from, AB_CLASS_WRITE, choices, -1, FALSE, NULL);
  }

  /* ---- both classes: synchronous calls per request, async work ---- */
  for (int k = 0; k < AB_N_CLASSES; k++)
    {
      for (guint i = 0; i < sync_calls->len; i++)
        {
          const Out *o = g_array_index (sync_calls, const Out *, i);
          double share = edge_share (o);
          emit (b, from, k, o, share >= 0.0 ? share : 1.0, -1, -1, FALSE, k);
        }
      for (guint i = 0; i < async_calls->len; i++)
        {
          const Out *o = g_array_index (async_calls, const Out *, i);
          double share = edge_share (o);
          emit (b, from, k, o, share >= 0.0 ? share : 1.0, -1, -1, TRUE, k);
        }
      /* enqueue: writes publish; reads only when nothing else serves them */
      if (k == AB_CLASS_WRITE || !has_read_path)
        for (guint i = 0; i < queues->len; i++)
          {
            const Out *o = g_array_index (queues, const Out *, i);
            double share = edge_share (o);
            emit (b, from, k, o, share >= 0.0 ? share : 1.0, -1, -1, FALSE, k);
          }
    }
}

static void
fill_station (AbStation         *st,
              const AbComponent *c,
              int                incoming)
{
  const char *dist = ab_component_get_param_string (c, "service_distribution", "exponential");
  double service = MAX (param_or (c, "service_ms", 0.0), 0.0);

  st->id = g_strdup (c->id);
  st->kind = c->kind;
  st->instances = MAX (c->instances, 1);
  st->concurrency = MAX ((int) param_or (c, "concurrency", 1.0), 1);
  st->service_ms[AB_CLASS_READ] = service;
  if (c->kind == AB_KIND_DB_PRIMARY)
    st->service_ms[AB_CLASS_WRITE] = MAX (param_or (c, "write_service_ms", service), 0.0);
  else if (c->kind == AB_KIND_DB_REPLICA)
    st->service_ms[AB_CLASS_WRITE] = MAX (param_or (c, "apply_ms", service), 0.0);
  else
    st->service_ms[AB_CLASS_WRITE] = service;
  if (g_strcmp0 (dist, "deterministic") == 0)
    st->dist = AB_DIST_DETERMINISTIC;
  else if (g_strcmp0 (dist, "lognormal") == 0)
    st->dist = AB_DIST_LOGNORMAL;
  else
    st->dist = AB_DIST_EXPONENTIAL;
  st->cv = MAX (param_or (c, "service_cv", 1.0), 0.0);
  if (c->kind == AB_KIND_CACHE || c->kind == AB_KIND_CDN)
    st->hit_ratio = CLAMP (param_or (c, "hit_ratio", 0.0), 0.0, 1.0);
  /* thread per request by default for servers that make calls */
  st->blocking_calls = (c->kind == AB_KIND_APP || c->kind == AB_KIND_WORKER)
                       && param_or (c, "blocking_calls", 1.0) >= 0.5;
  st->timeout_ms = MAX (param_or (c, "timeout_ms", 0.0), 0.0);
  st->queue_limit = MAX ((int) param_or (c, "queue_limit", 0.0), 0);
  st->availability = c->kind == AB_KIND_CLIENT ? 1.0
                     : CLAMP (param_or (c, "availability", 1.0), 0.0, 1.0);
  st->autoscale_min = MAX ((int) param_or (c, "autoscale_min", 0.0), 0);
  st->autoscale_max = MAX ((int) param_or (c, "autoscale_max", 0.0), 0);
  st->autoscale_target = CLAMP (param_or (c, "autoscale_target", 0.7), 0.05, 1.0);
  st->autoscale_delay_s = MAX (param_or (c, "autoscale_delay_s", 60.0), 0.0);
  st->failover_to = -1;
  st->failover_s = MAX (param_or (c, "failover_s", 0.0), 0.0);
  if (incoming == 0 && c->kind != AB_KIND_CLIENT)
    st->self_rate[AB_CLASS_WRITE] = MAX (param_or (c, "rate", 0.0), 0.0);
}

/* Depth-first search for a cycle in the station graph; fills @path. */
static gboolean
find_cycle (const AbNetwork *net,
            int              v,
            guint8          *color,
            GArray          *path)
{
  color[v] = 1;
  g_array_append_val (path, v);
  for (int k = 0; k < AB_N_CLASSES; k++)
    {
      const AbCallList *list = &net->calls[v * AB_N_CLASSES + k];
      for (guint i = 0; i < list->n_calls; i++)
        {
          int w = list->calls[i].callee;
          if (!ab_call_takes_part (list, i, AB_CALLS_ANY_PARENT, AB_CALLS_ALL))
            continue;
          if (color[w] == 1)
            {
              g_array_append_val (path, w);
              return TRUE;
            }
          if (color[w] == 0 && find_cycle (net, w, color, path))
            return TRUE;
        }
    }
  color[v] = 2;
  g_array_set_size (path, path->len - 1);
  return FALSE;
}

static gboolean
edge_is_sync (const AbNetwork *net,
              int              from,
              int              to)
{
  for (int k = 0; k < AB_N_CLASSES; k++)
    {
      const AbCallList *list = &net->calls[from * AB_N_CLASSES + k];
      for (guint i = 0; i < list->n_calls; i++)
        if (list->calls[i].callee == to && ab_call_takes_part (list, i, AB_CALLS_ANY_PARENT, AB_CALLS_SYNC))
          return TRUE;
    }
  return FALSE;
}

/* Removes every call @from makes to @to, keeping miss links and group
 * weights consistent; records the connections it cut. */
static void
remove_calls (AbRoute *route,
              int      from,
              int      to)
{
  for (int k = 0; k < AB_N_CLASSES; k++)
    {
      AbCallList *list = &route->network->calls[from * AB_N_CLASSES + k];
      GArray *map = route->call_conn[from * AB_N_CLASSES + k];
      guint i = 0;

      while (i < list->n_calls)
        {
          AbCall removed = list->calls[i];
          int conn = g_array_index (map, int, i);

          if (removed.callee != to)
            {
              i++;
              continue;
            }
          if (conn >= 0 && !g_strv_contains ((const char * const *) route->cut->pdata,
                                             route->connection_ids[conn]))
            g_ptr_array_insert (route->cut, (int) route->cut->len - 1,
                                g_strdup (route->connection_ids[conn]));
          memmove (&list->calls[i], &list->calls[i + 1], sizeof (AbCall) * (list->n_calls - i - 1));
          list->n_calls--;
          g_array_remove_index (map, i);
          for (guint j = 0; j < list->n_calls; j++)
            {
              if (list->calls[j].on_miss_of == (int) i)
                list->calls[j].on_miss_of = removed.on_miss_of;
              else if (list->calls[j].on_miss_of > (int) i)
                list->calls[j].on_miss_of--;
            }
          if (removed.group >= 0)
            {
              AbCallGroupIter it;

              ab_call_group_iter_init (&it, list, removed.on_miss_of, AB_CALLS_ALL);
              while (ab_call_group_iter_next (&it))
                if (it.group == removed.group)
                  {
                    double total = it.total;
                    guint j;

                    while (ab_call_group_iter_next_member (&it, &j))
                      list->calls[j].probability /= total;
                    break;
                  }
            }
        }
    }
}

/* Synchronous loops are errors (a request would wait on itself); a loop
 * through asynchronous work (change data capture feeding a worker that
 * writes back) is cut where it closes, seen from the clients. */
static gboolean
check_cycles (AbRoute   *route,
              AbDesign  *design,
              GError   **error)
{
  const AbNetwork *net = route->network;
  guint n = net->n_stations;

  for (guint round = 0; round < n * n + 1; round++)
    {
      g_autofree guint8 *color = g_new0 (guint8, MAX (n, 1));
      g_autoptr(GArray) path = g_array_new (FALSE, FALSE, sizeof (int));
      gboolean found = FALSE;

      for (int pass = 0; pass < 2 && !found; pass++)
        for (guint v = 0; v < n && !found; v++)
          if ((pass == 1 || net->stations[v].kind == AB_KIND_CLIENT) && color[v] == 0)
            found = find_cycle (net, (int) v, color, path);
      if (!found)
        return TRUE;
      {
        int closing_to = g_array_index (path, int, path->len - 1);
        int closing_from = g_array_index (path, int, path->len - 2);
        guint first = 0;
        gboolean all_sync = TRUE;

        while (g_array_index (path, int, first) != closing_to)
          first++;
        for (guint i = first; i + 1 < path->len; i++)
          if (!edge_is_sync (net, g_array_index (path, int, i), g_array_index (path, int, i + 1)))
            all_sync = FALSE;
        if (all_sync)
          {
            g_autoptr(GString) names = g_string_new (NULL);

            for (guint i = first; i < path->len; i++)
              {
                const AbComponent *c = ab_design_get_component (design, (guint) g_array_index (path, int, i));
                if (i > first)
                  g_string_append (names, " -> ");
                g_string_append_printf (names, "%s (%s)", c->label != NULL ? c->label : c->id, c->id);
              }
            g_set_error (error, AB_ERROR, AB_ERROR_CYCLE,
                         "requests loop forever: %s; remove a connection of the loop or make one asynchronous",
                         names->str);
            return FALSE;
          }
        remove_calls (route, closing_from, closing_to);
      }
    }
  return TRUE;
}

AbRoute *
ab_route_build (AbDesign          *design,
                const AbWorkload  *workload,
                GError           **error)
{
  guint n, nc;
  Builder b = { 0 };
  g_autoptr(AbRoute) route = NULL;
  g_autoptr(GHashTable) index_of = g_hash_table_new (g_str_hash, g_str_equal);
  int n_clients = 0;

  g_return_val_if_fail (AB_IS_DESIGN (design), NULL);

  n = ab_design_get_n_components (design);
  nc = ab_design_get_n_connections (design);
  route = g_new0 (AbRoute, 1);
  route->network = ab_network_new (n);
  route->call_conn = g_new0 (GArray *, MAX (n, 1) * AB_N_CLASSES);
  for (guint i = 0; i < n * AB_N_CLASSES; i++)
    route->call_conn[i] = g_array_new (FALSE, FALSE, sizeof (int));
  route->n_connections = nc;
  route->connection_ids = g_new0 (char *, nc + 1);
  route->cut = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (route->cut, NULL);

  b.route = route;
  b.design = design;
  b.workload = workload;
  b.outs = g_new0 (GArray *, MAX (n, 1));
  b.incoming = g_new0 (int, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    b.outs[i] = g_array_new (FALSE, FALSE, sizeof (Out));

  for (guint i = 0; i < n; i++)
    g_hash_table_insert (index_of, ab_design_get_component (design, i)->id, GINT_TO_POINTER (i + 1));
  for (guint e = 0; e < nc; e++)
    {
      const AbConnection *conn = ab_design_get_connection (design, e);
      Out out = { 0 };
      int from = GPOINTER_TO_INT (g_hash_table_lookup (index_of, conn->from)) - 1;
      int to = GPOINTER_TO_INT (g_hash_table_lookup (index_of, conn->to)) - 1;

      route->connection_ids[e] = g_strdup (conn->id);
      if (from < 0 || to < 0 || from == to)
        continue;
      out.conn = conn;
      out.conn_index = (int) e;
      out.target = to;
      out.kind = ab_design_get_component (design, (guint) to)->kind;
      out.async_marked = conn->mode == AB_CONN_ASYNC
                         && out.kind != AB_KIND_QUEUE && out.kind != AB_KIND_STREAM;
      g_array_append_val (b.outs[from], out);
      b.incoming[to]++;
    }

  for (guint i = 0; i < n; i++)
    {
      const AbComponent *c = ab_design_get_component (design, i);
      fill_station (&route->network->stations[i], c, b.incoming[i]);
      if (c->kind == AB_KIND_CLIENT)
        n_clients++;
    }
  /* the instances behind a balancer share its arrivals by its policy;
   * without one, round robin (client-side balancing, DNS) */
  for (guint i = 0; i < n; i++)
    {
      const AbComponent *c = ab_design_get_component (design, i);
      const char *policy;
      AbBalance balance = AB_BALANCE_ROUND_ROBIN;

      if (c->kind != AB_KIND_LB)
        continue;
      policy = ab_component_get_param_string (c, "policy", "round_robin");
      if (g_strcmp0 (policy, "least_connections") == 0)
        balance = AB_BALANCE_LEAST_CONNECTIONS;
      else if (g_strcmp0 (policy, "random") == 0)
        balance = AB_BALANCE_RANDOM;
      for (guint j = 0; j < b.outs[i]->len; j++)
        {
          AbStation *target = &route->network->stations[g_array_index (b.outs[i], Out, j).target];

          /* the first balancer that names a policy other than the default
           * decides */
          if (target->balance == AB_BALANCE_ROUND_ROBIN)
            target->balance = balance;
        }
    }
  /* a primary's instances are shards: a request goes to the one that
   * holds its key, a hash split whatever the balancer's policy */
  for (guint i = 0; i < n; i++)
    if (route->network->stations[i].kind == AB_KIND_DB_PRIMARY)
      route->network->stations[i].balance = AB_BALANCE_RANDOM;
  /* a replica copies the shards of the primaries that replicate to it */
  for (guint i = 0; i < n; i++)
    if (route->network->stations[i].kind == AB_KIND_DB_PRIMARY)
      for (guint j = 0; j < b.outs[i]->len; j++)
        if (g_array_index (b.outs[i], Out, j).kind == AB_KIND_DB_REPLICA)
          route->network->stations[g_array_index (b.outs[i], Out, j).target].write_shards
            += route->network->stations[i].instances;
  /* a primary fails over to the first replica it replicates to */
  for (guint i = 0; i < n; i++)
    if (route->network->stations[i].kind == AB_KIND_DB_PRIMARY)
      for (guint j = 0; j < b.outs[i]->len; j++)
        if (g_array_index (b.outs[i], Out, j).kind == AB_KIND_DB_REPLICA)
          {
            route->network->stations[i].failover_to = g_array_index (b.outs[i], Out, j).target;
            break;
          }

  for (guint i = 0; i < n; i++)
    {
      switch (route->network->stations[i].kind)
        {
        case AB_KIND_CLIENT:
          route_client (&b, (int) i);
          break;
        case AB_KIND_STORAGE:
        case AB_KIND_OBJECT_STORE:
          route_blob_events (&b, (int) i);
          break;
        case AB_KIND_LB:
        case AB_KIND_CDN:
          route_split (&b, (int) i, TRUE, FALSE);
          break;
        case AB_KIND_QUEUE:
          /* competing consumers: each message to one of them */
          route_split (&b, (int) i, TRUE, TRUE);
          break;
        case AB_KIND_STREAM:
          /* every consumer reads every record */
          route_fanout (&b, (int) i, TRUE);
          break;
        case AB_KIND_DB_PRIMARY:
        case AB_KIND_DB_REPLICA:
          route_store_writes (&b, (int) i);
          break;
        default:
          route_generic (&b, (int) i);
          break;
        }
    }

  for (guint i = 0; i < n; i++)
    g_array_unref (b.outs[i]);
  g_free (b.outs);
  g_free (b.incoming);

  if (workload != NULL)
    {
      route->network->rate[AB_CLASS_READ] = MAX (workload->read_rps, 0.0);
      route->network->rate[AB_CLASS_WRITE] = MAX (workload->write_rps, 0.0);
    }
  for (guint i = 0; i < n; i++)
    if (route->network->stations[i].kind == AB_KIND_CLIENT)
      for (int k = 0; k < AB_N_CLASSES; k++)
        ab_network_add_entry (route->network, k, (int) i, 1.0 / n_clients);

  if (n_clients == 0)
    {
      g_set_error (error, AB_ERROR, AB_ERROR_INVALID,
                   "the design has no client: add a client to send the problem's requests");
      return NULL;
    }
  if (!check_cycles (route, design, error))
    return NULL;

  return g_steal_pointer (&route);
}

void
ab_route_free (AbRoute *route)
{
  if (route == NULL)
    return;
  if (route->call_conn != NULL)
    for (guint i = 0; i < route->network->n_stations * AB_N_CLASSES; i++)
      g_array_unref (route->call_conn[i]);
  g_free (route->call_conn);
  ab_network_free (route->network);
  g_strfreev (route->connection_ids);
  g_ptr_array_unref (route->cut);
  g_free (route);
}

const AbNetwork *
ab_route_get_network (const AbRoute *route)
{
  g_return_val_if_fail (route != NULL, NULL);
  return route->network;
}

int
ab_route_call_connection (const AbRoute *route,
                          int            station,
                          AbReqClass     klass,
                          guint          index)
{
  GArray *map;

  g_return_val_if_fail (route != NULL, -1);
  g_return_val_if_fail (station >= 0 && (guint) station < route->network->n_stations, -1);

  map = route->call_conn[station * AB_N_CLASSES + klass];
  if (index >= map->len)
    return -1;
  return g_array_index (map, int, index);
}

guint
ab_route_get_n_connections (const AbRoute *route)
{
  g_return_val_if_fail (route != NULL, 0);
  return route->n_connections;
}

const char *
ab_route_connection_id (const AbRoute *route,
                        guint          connection)
{
  g_return_val_if_fail (route != NULL && connection < route->n_connections, NULL);
  return route->connection_ids[connection];
}

void
ab_route_connection_rates (const AbRoute  *route,
                           double        **call_rates,
                           double         *read_rps,
                           double         *write_rps)
{
  const AbNetwork *net;

  g_return_if_fail (route != NULL && call_rates != NULL);

  net = route->network;
  memset (read_rps, 0, sizeof (double) * route->n_connections);
  memset (write_rps, 0, sizeof (double) * route->n_connections);
  for (guint v = 0; v < net->n_stations * AB_N_CLASSES; v++)
    for (guint i = 0; i < net->calls[v].n_calls; i++)
      {
        int conn = g_array_index (route->call_conn[v], int, i);
        if (conn < 0)
          continue;
        if (net->calls[v].calls[i].as_class == AB_CLASS_READ)
          read_rps[conn] += call_rates[v][i];
        else
          write_rps[conn] += call_rates[v][i];
      }
}

void
ab_route_offered_connection_rates (const AbRoute *route,
                                   double        *read_rps,
                                   double        *write_rps)
{
  const AbNetwork *net;
  guint nn;
  g_autofree double *rates = NULL;
  double **call_rates;

  g_return_if_fail (route != NULL);

  net = route->network;
  nn = net->n_stations * AB_N_CLASSES;
  rates = g_new0 (double, MAX (nn, 1));
  for (int k = 0; k < AB_N_CLASSES; k++)
    {
      g_autofree double *visits = ab_network_class_visits (net, k);
      for (guint v = 0; v < nn; v++)
        rates[v] += visits[v] * net->rate[k];
    }
  call_rates = g_new0 (double *, MAX (nn, 1));
  for (guint v = 0; v < nn; v++)
    {
      double go = rates[v] * ab_network_station_onward (net, (int) (v / AB_N_CLASSES), v % AB_N_CLASSES);
      call_rates[v] = g_new0 (double, MAX (net->calls[v].n_calls, 1));
      for (guint i = 0; i < net->calls[v].n_calls; i++)
        call_rates[v][i] = go * ab_network_call_probability (net, &net->calls[v], i, v % AB_N_CLASSES);
    }
  ab_route_connection_rates (route, call_rates, read_rps, write_rps);
  for (guint v = 0; v < nn; v++)
    g_free (call_rates[v]);
  g_free (call_rates);
}

const char * const *
ab_route_get_cut_connections (const AbRoute *route)
{
  g_return_val_if_fail (route != NULL, NULL);
  return (const char * const *) route->cut->pdata;
}
