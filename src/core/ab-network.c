/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The queueing network a design becomes: construction helpers and the
 * expected visit counts per request class (see ab-network.h). */
#define G_LOG_DOMAIN "archboard-network"

#include "config.h"

#include <string.h>

#include "ab-network.h"

AbNetwork *
ab_network_new (guint n_stations)
{
  AbNetwork *network = g_new0 (AbNetwork, 1);

  network->n_stations = n_stations;
  network->stations = g_new0 (AbStation, MAX (n_stations, 1));
  network->calls = g_new0 (AbCallList, MAX (n_stations, 1) * AB_N_CLASSES);

  for (guint i = 0; i < n_stations; i++)
    {
      AbStation *station = &network->stations[i];

      station->kind = AB_KIND_APP;
      station->instances = 1;
      station->concurrency = 1;
      station->dist = AB_DIST_EXPONENTIAL;
      station->cv = 1.0;
      station->availability = 1.0;
      station->autoscale_target = 0.7;
      station->failover_to = -1;
    }

  return network;
}

void
ab_network_free (AbNetwork *network)
{
  if (network == NULL)
    return;

  for (guint i = 0; i < network->n_stations; i++)
    g_free (network->stations[i].id);
  for (guint i = 0; i < network->n_stations * AB_N_CLASSES; i++)
    g_free (network->calls[i].calls);
  for (int k = 0; k < AB_N_CLASSES; k++)
    {
      g_free (network->entries[k].stations);
      g_free (network->entries[k].shares);
    }
  g_free (network->stations);
  g_free (network->calls);
  g_free (network);
}

AbCall *
ab_network_add_call (AbNetwork  *network,
                     int         from,
                     AbReqClass  klass,
                     int         callee)
{
  AbCallList *list;
  AbCall *call;

  g_return_val_if_fail (network != NULL, NULL);
  g_return_val_if_fail (from >= 0 && (guint) from < network->n_stations, NULL);
  g_return_val_if_fail (callee >= 0 && (guint) callee < network->n_stations, NULL);
  g_return_val_if_fail (klass >= 0 && klass < AB_N_CLASSES, NULL);

  list = &network->calls[from * AB_N_CLASSES + klass];
  list->calls = g_renew (AbCall, list->calls, list->n_calls + 1);
  call = &list->calls[list->n_calls++];
  call->callee = callee;
  call->probability = 1.0;
  call->group = -1;
  call->on_miss_of = -1;
  call->net_ms = 0.0;
  call->async = FALSE;
  call->as_class = klass;

  return call;
}

void
ab_network_add_entry (AbNetwork  *network,
                      AbReqClass  klass,
                      int         station,
                      double      share)
{
  guint n;

  g_return_if_fail (network != NULL);
  g_return_if_fail (klass >= 0 && klass < AB_N_CLASSES);
  g_return_if_fail (station >= 0 && (guint) station < network->n_stations);

  n = network->entries[klass].n;
  network->entries[klass].stations = g_renew (int, network->entries[klass].stations, n + 1);
  network->entries[klass].shares = g_renew (double, network->entries[klass].shares, n + 1);
  network->entries[klass].stations[n] = station;
  network->entries[klass].shares[n] = share;
  network->entries[klass].n = n + 1;
}

int
ab_network_find (const AbNetwork *network,
                 const char      *id)
{
  g_return_val_if_fail (network != NULL, -1);
  g_return_val_if_fail (id != NULL, -1);

  for (guint i = 0; i < network->n_stations; i++)
    if (g_strcmp0 (network->stations[i].id, id) == 0)
      return (int) i;
  return -1;
}

double
ab_network_call_probability (const AbNetwork  *network,
                             const AbCallList *list,
                             guint             index,
                             AbReqClass        caller_class)
{
  const AbCall *call;
  double p;
  int guard = 0;

  g_return_val_if_fail (index < list->n_calls, 0.0);

  call = &list->calls[index];
  p = call->probability;
  /* A miss call is made only when the call it depends on was made and missed;
   * miss chains nest (cache -> miss -> second cache -> miss). */
  while (call->on_miss_of >= 0 && (guint) call->on_miss_of < list->n_calls && guard++ < 64)
    {
      const AbCall *parent = &list->calls[call->on_miss_of];
      const AbStation *cache = &network->stations[parent->callee];
      double miss = parent->as_class == AB_CLASS_READ ? 1.0 - cache->hit_ratio : 1.0;

      p *= parent->probability * miss;
      call = parent;
    }
  (void) caller_class;
  return p;
}

/* ---- the call groups of a list ---- */

gboolean
ab_call_takes_part (const AbCallList *list,
                    guint             index,
                    int               parent,
                    AbCallFilter      filter)
{
  const AbCall *call = &list->calls[index];

  if (parent != AB_CALLS_ANY_PARENT && call->on_miss_of != parent)
    return FALSE;
  if ((filter & AB_CALLS_SYNC) && call->async)
    return FALSE;
  return call->probability > 0.0;
}

void
ab_call_group_iter_init (AbCallGroupIter  *iter,
                         const AbCallList *list,
                         int               parent,
                         AbCallFilter      filter)
{
  g_return_if_fail (iter != NULL);
  g_return_if_fail (list != NULL);

  memset (iter, 0, sizeof *iter);
  iter->list = list;
  iter->parent = parent;
  iter->filter = filter;
  iter->group = -1;
}

static gboolean
same_group (const AbCallGroupIter *iter,
            guint                  index,
            int                    group)
{
  return iter->list->calls[index].group == group
         && ab_call_takes_part (iter->list, index, iter->parent, iter->filter);
}

/* TRUE when @group was met before position @index. */
static gboolean
group_seen (const AbCallGroupIter *iter,
            guint                  index,
            int                    group)
{
  for (guint k = 0; k < iter->n_seen; k++)
    if (iter->seen[k] == group)
      return TRUE;
  if (!iter->seen_overflow)
    return FALSE;
  /* more groups than the table holds: look back */
  for (guint k = 0; k < index; k++)
    if (same_group (iter, k, group))
      return TRUE;
  return FALSE;
}

gboolean
ab_call_group_iter_next (AbCallGroupIter *iter)
{
  const AbCallList *list;

  g_return_val_if_fail (iter != NULL, FALSE);

  list = iter->list;
  for (; iter->pos < list->n_calls; iter->pos++)
    {
      guint i = iter->pos;
      const AbCall *call = &list->calls[i];

      if (!ab_call_takes_part (list, i, iter->parent, iter->filter))
        continue;
      if (call->group < 0)
        {
          iter->group = -1;
          iter->first = iter->last = iter->member = i;
          iter->n_members = 1;
          iter->total = call->probability;
          iter->pos = i + 1;
          return TRUE;
        }
      if (group_seen (iter, i, call->group))
        continue;
      if (iter->n_seen < G_N_ELEMENTS (iter->seen))
        iter->seen[iter->n_seen++] = call->group;
      else
        iter->seen_overflow = TRUE;
      iter->group = call->group;
      iter->first = iter->last = iter->member = i;
      iter->n_members = 0;
      iter->total = 0.0;
      for (guint k = i; k < list->n_calls; k++)
        if (same_group (iter, k, call->group))
          {
            iter->n_members++;
            iter->total += list->calls[k].probability;
            iter->last = k;
          }
      iter->pos = i + 1;
      return TRUE;
    }
  return FALSE;
}

gboolean
ab_call_group_iter_next_member (AbCallGroupIter *iter,
                                guint           *index)
{
  g_return_val_if_fail (iter != NULL, FALSE);

  if (iter->n_members == 0)
    return FALSE;
  for (; iter->member <= iter->last; iter->member++)
    if (iter->member == iter->first
        || (iter->group >= 0 && same_group (iter, iter->member, iter->group)))
      {
        *index = iter->member++;
        return TRUE;
      }
  return FALSE;
}

double
ab_network_copies (const AbNetwork *network,
                   int              station,
                   AbReqClass       klass,
                   int              instances)
{
  const AbStation *s = &network->stations[station];

  if (s->write_shards <= 0 || klass != AB_CLASS_WRITE || instances <= 1)
    return 1.0;
  return (double) instances / MIN (instances, s->write_shards);
}

double
ab_network_shards_live (const AbNetwork *network,
                        int              station,
                        int              instances)
{
  const AbStation *s = &network->stations[station];

  if (s->kind != AB_KIND_DB_PRIMARY || s->failover_to >= 0
      || s->autoscale_max > s->autoscale_min || s->instances <= 1
      || instances >= s->instances)
    return 1.0;
  return (double) MAX (instances, 0) / s->instances;
}

/* The item of @list under @parent (all calls, synchronous or not) that
 * call @index belongs to, in @iter. */
static void
item_of (AbCallGroupIter  *iter,
         const AbCallList *list,
         guint             index)
{
  const AbCall *call = &list->calls[index];

  ab_call_group_iter_init (iter, list, call->on_miss_of, AB_CALLS_ALL);
  iter->group = call->group;
  iter->first = iter->last = iter->member = index;
  iter->n_members = 1;
  iter->total = call->probability;
  if (call->group < 0)
    return;
  iter->n_members = 0;
  iter->total = 0.0;
  for (guint k = 0; k < list->n_calls; k++)
    if (same_group (iter, k, call->group))
      {
        if (iter->n_members++ == 0)
          iter->first = iter->member = k;
        iter->total += list->calls[k].probability;
        iter->last = k;
      }
}

/* Whether the members of @iter's current group cover for each other. */
static gboolean
item_covers (const AbNetwork       *network,
             const AbCallGroupIter *iter)
{
  const AbCallList *list = iter->list;
  AbKind kind;

  if (iter->group < 0 || iter->n_members == 0)
    return FALSE;
  kind = network->stations[list->calls[iter->first].callee].kind;
  if (kind == AB_KIND_DB_PRIMARY || kind == AB_KIND_SEARCH)
    return FALSE;
  for (guint k = iter->first; k <= iter->last; k++)
    if (same_group (iter, k, iter->group) && network->stations[list->calls[k].callee].kind != kind)
      return FALSE;
  return TRUE;
}

gboolean
ab_call_group_iter_covers (const AbCallGroupIter *iter,
                           const AbNetwork       *network)
{
  g_return_val_if_fail (iter != NULL && network != NULL, FALSE);

  return item_covers (network, iter);
}

void
ab_call_group_iter_live_factors (const AbCallGroupIter *iter,
                                 const AbNetwork       *network,
                                 gboolean             (*live) (gconstpointer data, int station),
                                 gconstpointer          data,
                                 double                *factors)
{
  const AbCallList *list = iter->list;
  double total[2] = { 0.0, 0.0 }, up[2] = { 0.0, 0.0 };
  gboolean covers = item_covers (network, iter);

  for (guint k = iter->first; k <= iter->last && iter->n_members > 0; k++)
    if (k == iter->first || (iter->group >= 0 && same_group (iter, k, iter->group)))
      {
        const AbCall *m = &list->calls[k];

        factors[k] = 1.0;
        if (!covers)
          continue;
        total[m->async != FALSE] += m->probability;
        if (live (data, m->callee))
          up[m->async != FALSE] += m->probability;
      }
  if (!covers)
    return;
  /* a lost member's share goes to the live members of its kind of call
   * (synchronous or not); when none is live, the calls fail */
  for (guint k = iter->first; k <= iter->last; k++)
    if (same_group (iter, k, iter->group))
      {
        const AbCall *m = &list->calls[k];
        int a = m->async != FALSE;

        factors[k] = up[a] <= 0.0 ? 1.0 : live (data, m->callee) ? total[a] / up[a] : 0.0;
      }
}

gboolean
ab_network_group_covers (const AbNetwork  *network,
                         const AbCallList *list,
                         guint             index)
{
  AbCallGroupIter iter;

  g_return_val_if_fail (index < list->n_calls, FALSE);

  item_of (&iter, list, index);
  return item_covers (network, &iter);
}

double
ab_network_group_live_factor (const AbNetwork  *network,
                              const AbCallList *list,
                              guint             index,
                              gboolean        (*live) (gconstpointer data, int station),
                              gconstpointer     data)
{
  AbCallGroupIter iter;
  const AbCall *call = &list->calls[index];
  double total = 0.0, up = 0.0;

  if (call->group < 0 || call->probability <= 0.0)
    return 1.0;
  item_of (&iter, list, index);
  if (!item_covers (network, &iter))
    return 1.0;
  for (guint k = iter.first; k <= iter.last; k++)
    if (same_group (&iter, k, call->group) && list->calls[k].async == call->async)
      {
        total += list->calls[k].probability;
        if (live (data, list->calls[k].callee))
          up += list->calls[k].probability;
      }
  if (up <= 0.0)
    return 1.0;
  return live (data, call->callee) ? total / up : 0.0;
}

double
ab_network_station_onward (const AbNetwork *network,
                           int              station,
                           AbReqClass       klass)
{
  const AbStation *s = &network->stations[station];

  /* A hit at a cache / cdn answers the read there. */
  if (klass == AB_CLASS_READ && s->hit_ratio > 0.0)
    return 1.0 - s->hit_ratio;
  return 1.0;
}

/* Kahn's algorithm over (station, class) nodes; returns the order or NULL
 * when the calls contain a cycle. */
static int *
topological_order (const AbNetwork *network)
{
  guint n = network->n_stations * AB_N_CLASSES;
  g_autofree int *indegree = g_new0 (int, MAX (n, 1));
  g_autofree int *order = g_new (int, MAX (n, 1));
  guint head = 0, tail = 0;

  for (guint v = 0; v < n; v++)
    {
      const AbCallList *list = &network->calls[v];
      for (guint i = 0; i < list->n_calls; i++)
        indegree[list->calls[i].callee * AB_N_CLASSES + list->calls[i].as_class]++;
    }
  for (guint v = 0; v < n; v++)
    if (indegree[v] == 0)
      order[tail++] = (int) v;
  while (head < tail)
    {
      int v = order[head++];
      const AbCallList *list = &network->calls[v];

      for (guint i = 0; i < list->n_calls; i++)
        {
          int w = list->calls[i].callee * AB_N_CLASSES + list->calls[i].as_class;
          if (--indegree[w] == 0)
            order[tail++] = w;
        }
    }
  if (tail < n)
    return NULL;
  return g_steal_pointer (&order);
}

double *
ab_network_class_visits (const AbNetwork *network,
                         AbReqClass       klass)
{
  guint n = network->n_stations * AB_N_CLASSES;
  double *visits = g_new0 (double, MAX (n, 1));
  g_autofree int *order = topological_order (network);
  guint rounds;

  for (guint e = 0; e < network->entries[klass].n; e++)
    visits[network->entries[klass].stations[e] * AB_N_CLASSES + klass] += network->entries[klass].shares[e];

  /* A cyclic network has no topological order: iterate to the fixed point
   * (converges when every cycle's gain is below 1). */
  rounds = order != NULL ? 1 : 1000;
  for (guint round = 0; round < rounds; round++)
    {
      g_autofree double *next = NULL;
      double change = 0.0;

      if (order == NULL)
        {
          next = g_new0 (double, MAX (n, 1));
          for (guint e = 0; e < network->entries[klass].n; e++)
            next[network->entries[klass].stations[e] * AB_N_CLASSES + klass] += network->entries[klass].shares[e];
        }
      for (guint idx = 0; idx < n; idx++)
        {
          int v = order != NULL ? order[idx] : (int) idx;
          const AbCallList *list = &network->calls[v];
          int station = v / AB_N_CLASSES;
          AbReqClass vclass = v % AB_N_CLASSES;
          double onward = visits[v] * ab_network_station_onward (network, station, vclass);

          if (onward == 0.0)
            continue;
          for (guint i = 0; i < list->n_calls; i++)
            {
              const AbCall *call = &list->calls[i];
              double p = ab_network_call_probability (network, list, i, vclass);
              int w = call->callee * AB_N_CLASSES + call->as_class;

              if (order != NULL)
                visits[w] += onward * p;
              else
                next[w] += onward * p;
            }
        }
      if (order != NULL)
        break;
      for (guint v = 0; v < n; v++)
        {
          change = MAX (change, ABS (next[v] - visits[v]));
          visits[v] = MIN (next[v], 1e12);
        }
      if (change < 1e-12)
        break;
    }

  return visits;
}

double *
ab_network_visit_ratios (const AbNetwork *network,
                         AbReqClass       klass)
{
  g_autofree double *per_class = NULL;
  double *visits;

  g_return_val_if_fail (network != NULL, NULL);
  g_return_val_if_fail (klass >= 0 && klass < AB_N_CLASSES, NULL);

  per_class = ab_network_class_visits (network, klass);
  visits = g_new0 (double, MAX (network->n_stations, 1));
  for (guint s = 0; s < network->n_stations; s++)
    for (int k = 0; k < AB_N_CLASSES; k++)
      visits[s] += per_class[s * AB_N_CLASSES + k];
  return visits;
}

gboolean
ab_network_is_acyclic (const AbNetwork *network)
{
  g_autofree int *order = topological_order (network);

  return order != NULL;
}
