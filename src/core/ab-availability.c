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

typedef struct {
  const AbNetwork *net;
  double          *memo;       /* per (station, class) node */
  guint8          *state;      /* 0 new, 1 in progress, 2 done */
  guint           *call_first; /* per node: its calls' first index in @dependents */
  gboolean        *dependents; /* per call: a later call falls back on it */
} Avail;

static double node_availability (Avail *av, int node);

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
has_dependents (const Avail      *av,
                const AbCallList *list,
                guint             index)
{
  return av->dependents[av->call_first[list - av->net->calls] + index];
}

static double calls_availability (Avail *av, const AbCallList *list, int parent);

/* Availability of synchronous call @index of @list. */
static double
call_availability (Avail            *av,
                   const AbCallList *list,
                   guint             index)
{
  const AbNetwork *net = av->net;
  const AbCall *call = &list->calls[index];
  int node = call->callee * AB_N_CLASSES + call->as_class;
  double miss, up, hit, own;

  if (!has_dependents (av, list, index))
    return node_availability (av, node);
  /* a cache lookup with a miss path: a miss, or the cache being down,
   * takes the miss path */
  miss = calls_availability (av, list, (int) index);
  up = callee_station (net, call->callee);
  hit = call->as_class == AB_CLASS_READ ? net->stations[call->callee].hit_ratio : 0.0;
  own = node_availability (av, node) / MAX (up, 1e-300);
  /* own = hit + (1 - hit) * (the cache's own calls) */
  return up * (hit + (own - hit) * miss) + (1.0 - up) * miss;
}

/* The calls of @list after @parent that a request needs: the synchronous
 * ones (asynchronous work does not fail the request), an item at a time
 * (ab_call_group_iter). */
static double
calls_availability (Avail            *av,
                    const AbCallList *list,
                    int               parent)
{
  const AbNetwork *net = av->net;
  AbCallGroupIter it;
  double a = 1.0;

  ab_call_group_iter_init (&it, list, parent, AB_CALLS_SYNC);
  while (ab_call_group_iter_next (&it))
    {
      gboolean interchangeable = TRUE;
      double weighted = 0.0, all_down = 1.0;
      AbKind kind = net->stations[list->calls[it.first].callee].kind;
      guint k;

      if (it.group < 0)
        {
          a *= (1.0 - it.total) + it.total * call_availability (av, list, it.first);
          continue;
        }
      while (ab_call_group_iter_next_member (&it, &k))
        {
          const AbCall *m = &list->calls[k];
          double ak = call_availability (av, list, k);

          weighted += m->probability * ak;
          all_down *= 1.0 - ak;
          if (net->stations[m->callee].kind != kind || kind == AB_KIND_DB_PRIMARY
              || kind == AB_KIND_SEARCH)
            interchangeable = FALSE;
        }
      /* replicas and load-balanced targets cover for each other; shards
       * (primaries) do not */
      if (interchangeable && it.total >= 1.0 - 1e-9)
        a *= 1.0 - all_down;
      else
        a *= (1.0 - MIN (it.total, 1.0)) + weighted / MAX (it.total, 1.0);
    }
  return a;
}

static double
node_availability (Avail *av,
                   int    node)
{
  const AbNetwork *net = av->net;
  int station = node / AB_N_CLASSES;
  double go, calls;

  if (av->state[node] == 2)
    return av->memo[node];
  if (av->state[node] == 1)
    return 1.0;  /* a loop: counted once */
  av->state[node] = 1;
  go = ab_network_station_onward (net, station, node % AB_N_CLASSES);
  calls = calls_availability (av, &net->calls[node], -1);
  av->memo[node] = callee_station (net, station) * ((1.0 - go) + go * calls);
  av->state[node] = 2;
  return av->memo[node];
}

double
ab_availability_estimate (const AbNetwork *network,
                          double          *per_class)
{
  guint nn, total_calls = 0;
  g_autofree double *memo = NULL;
  g_autofree guint8 *state = NULL;
  g_autofree guint *call_first = NULL;
  g_autofree gboolean *dependents = NULL;
  Avail av;
  double total = 0.0, weight = 0.0;

  g_return_val_if_fail (network != NULL, 0.0);

  nn = network->n_stations * AB_N_CLASSES;
  memo = g_new0 (double, MAX (nn, 1));
  state = g_new0 (guint8, MAX (nn, 1));
  call_first = g_new (guint, MAX (nn, 1));
  for (guint v = 0; v < nn; v++)
    {
      call_first[v] = total_calls;
      total_calls += network->calls[v].n_calls;
    }
  dependents = g_new0 (gboolean, MAX (total_calls, 1));
  for (guint v = 0; v < nn; v++)
    for (guint j = 0; j < network->calls[v].n_calls; j++)
      {
        int of = network->calls[v].calls[j].on_miss_of;

        if (of >= 0 && (guint) of < network->calls[v].n_calls)
          dependents[call_first[v] + (guint) of] = TRUE;
      }
  av.net = network;
  av.memo = memo;
  av.state = state;
  av.call_first = call_first;
  av.dependents = dependents;
  for (int k = 0; k < AB_N_CLASSES; k++)
    {
      double a = 0.0, shares = 0.0;
      double w = network->rate[AB_CLASS_READ] + network->rate[AB_CLASS_WRITE] > 0.0
                 ? network->rate[k] : 1.0;

      for (guint e = 0; e < network->entries[k].n; e++)
        {
          a += network->entries[k].shares[e]
               * node_availability (&av, network->entries[k].stations[e] * AB_N_CLASSES + k);
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
