/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Availability estimate: series along the synchronous calls a request
 * needs, parallel for redundancy.  Asynchronous work and cache lookups
 * that a miss path covers are not required. */
#define G_LOG_DOMAIN "archboard-availability"

#include "config.h"

#include <math.h>

#include "ab-availability.h"

double
ab_availability_station (const AbStation *station,
                         int              instances)
{
  double a;

  g_return_val_if_fail (station != NULL, 0.0);

  a = CLAMP (station->availability, 0.0, 1.0);
  return 1.0 - pow (1.0 - a, MAX (instances, 1));
}

static double node_availability (const AbNetwork *net, int node, double *memo, guint8 *state);

/* Availability of the station reached by a call, counting a primary's
 * failover partner as a standby in parallel. */
static double
callee_station (const AbNetwork *net,
                int              callee)
{
  const AbStation *s = &net->stations[callee];
  /* a primary's instances are shards: a request needs the one holding its
   * key (the others do not cover for it) */
  double a = s->kind == AB_KIND_DB_PRIMARY ? ab_availability_station (s, 1)
                                           : ab_availability_station (s, s->instances);

  if (s->failover_to >= 0 && (guint) s->failover_to < net->n_stations)
    {
      const AbStation *f = &net->stations[s->failover_to];
      a = 1.0 - (1.0 - a) * (1.0 - ab_availability_station (f, f->instances));
    }
  return a;
}

static gboolean
has_dependents (const AbCallList *list,
                guint             index)
{
  for (guint i = 0; i < list->n_calls; i++)
    if (list->calls[i].on_miss_of == (int) index)
      return TRUE;
  return FALSE;
}

static double calls_availability (const AbNetwork *net, const AbCallList *list, int parent,
                                  double *memo, guint8 *state);

static double
call_availability (const AbNetwork  *net,
                   const AbCallList *list,
                   guint             index,
                   double           *memo,
                   guint8           *state)
{
  const AbCall *call = &list->calls[index];
  int node = call->callee * AB_N_CLASSES + call->as_class;
  double miss, up, hit, own;

  if (call->async)
    return 1.0;
  if (!has_dependents (list, index))
    return node_availability (net, node, memo, state);
  /* a cache lookup with a miss path: a miss, or the cache being down,
   * takes the miss path */
  miss = calls_availability (net, list, (int) index, memo, state);
  up = callee_station (net, call->callee);
  hit = call->as_class == AB_CLASS_READ ? net->stations[call->callee].hit_ratio : 0.0;
  own = node_availability (net, node, memo, state) / MAX (up, 1e-300);
  /* own = hit + (1 - hit) * (the cache's own calls) */
  return up * (hit + (own - hit) * miss) + (1.0 - up) * miss;
}

static double
calls_availability (const AbNetwork  *net,
                    const AbCallList *list,
                    int               parent,
                    double           *memo,
                    guint8           *state)
{
  double a = 1.0;

  for (guint i = 0; i < list->n_calls; i++)
    {
      const AbCall *call = &list->calls[i];
      gboolean first = TRUE, interchangeable = TRUE;
      double total = 0.0, weighted = 0.0, all_down = 1.0;
      AbKind kind;

      if (call->on_miss_of != parent)
        continue;
      if (call->group < 0)
        {
          a *= (1.0 - call->probability) + call->probability * call_availability (net, list, i, memo, state);
          continue;
        }
      for (guint k = 0; k < i; k++)
        if (list->calls[k].group == call->group && list->calls[k].on_miss_of == parent)
          first = FALSE;
      if (!first)
        continue;
      kind = net->stations[call->callee].kind;
      for (guint k = i; k < list->n_calls; k++)
        {
          const AbCall *m = &list->calls[k];
          double ak;

          if (m->group != call->group || m->on_miss_of != parent)
            continue;
          ak = call_availability (net, list, k, memo, state);
          total += m->probability;
          weighted += m->probability * ak;
          all_down *= 1.0 - ak;
          if (net->stations[m->callee].kind != kind || kind == AB_KIND_DB_PRIMARY
              || kind == AB_KIND_SEARCH)
            interchangeable = FALSE;
        }
      if (total <= 0.0)
        continue;
      /* replicas and load-balanced targets cover for each other; shards
       * (primaries) do not */
      if (interchangeable && total >= 1.0 - 1e-9)
        a *= 1.0 - all_down;
      else
        a *= (1.0 - MIN (total, 1.0)) + weighted / MAX (total, 1.0);
    }
  return a;
}

static double
node_availability (const AbNetwork *net,
                   int              node,
                   double          *memo,
                   guint8          *state)
{
  int station = node / AB_N_CLASSES;
  double go, calls;

  if (state[node] == 2)
    return memo[node];
  if (state[node] == 1)
    return 1.0;  /* a loop: counted once */
  state[node] = 1;
  go = ab_network_station_onward (net, station, node % AB_N_CLASSES);
  calls = calls_availability (net, &net->calls[node], -1, memo, state);
  memo[node] = callee_station (net, station) * ((1.0 - go) + go * calls);
  state[node] = 2;
  return memo[node];
}

double
ab_availability_estimate (const AbNetwork *network,
                          double          *per_class)
{
  guint nn;
  g_autofree double *memo = NULL;
  g_autofree guint8 *state = NULL;
  double total = 0.0, weight = 0.0;

  g_return_val_if_fail (network != NULL, 0.0);

  nn = network->n_stations * AB_N_CLASSES;
  memo = g_new0 (double, MAX (nn, 1));
  state = g_new0 (guint8, MAX (nn, 1));
  for (int k = 0; k < AB_N_CLASSES; k++)
    {
      double a = 0.0, shares = 0.0;
      double w = network->rate[AB_CLASS_READ] + network->rate[AB_CLASS_WRITE] > 0.0
                 ? network->rate[k] : 1.0;

      for (guint e = 0; e < network->entries[k].n; e++)
        {
          a += network->entries[k].shares[e]
               * node_availability (network, network->entries[k].stations[e] * AB_N_CLASSES + k, memo, state);
          shares += network->entries[k].shares[e];
        }
      a = shares > 0.0 ? a / shares : 1.0;
      if (per_class != NULL)
        per_class[k] = a;
      total += w * a;
      weight += w;
    }
  return weight > 0.0 ? total / weight : 1.0;
}
