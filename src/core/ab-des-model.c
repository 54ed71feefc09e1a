/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The model at the times of a scenario, once per distinct load: see
 * ab-des-model.h. */
#define G_LOG_DOMAIN "archboard-des"

#include "config.h"

#include <string.h>

#include "ab-des-model.h"

/* memory the cached results may take, roughly */
#define CACHE_BYTES (32u << 20)
#define MAX_ENTRIES 256

typedef struct {
  double         multiplier;
  gboolean       autoscale, failover_pending;
  int           *instances;
  gboolean      *down;
  double        *backlog;   /* NULL: none given */
  double         span_s;
  AbModelWaits  *waits;     /* NULL: none given */
  AbModelResult *result;
} Entry;

struct _AbDesModelCache
{
  GMutex            lock;
  const AbNetwork  *network;
  const AbScenario *scenario;
  AbModelContext   *context;
  GArray           *entries;     /* of Entry */
  guint             max_entries;
  guint             evaluations;
};

static void
entry_clear (gpointer data)
{
  Entry *e = data;

  g_free (e->instances);
  g_free (e->down);
  g_free (e->backlog);
  g_free (e->waits);
  ab_model_result_free (e->result);
}

AbDesModelCache *
ab_des_model_cache_new (const AbNetwork  *network,
                        const AbScenario *scenario)
{
  AbDesModelCache *cache;
  gsize per_entry;

  g_return_val_if_fail (network != NULL && scenario != NULL, NULL);

  cache = g_new0 (AbDesModelCache, 1);
  g_mutex_init (&cache->lock);
  cache->network = network;
  cache->scenario = scenario;
  cache->entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  g_array_set_clear_func (cache->entries, entry_clear);
  /* a result: per station its figures and rates, the latency grids */
  per_entry = (gsize) network->n_stations
              * (sizeof (AbStationResult) + AB_N_CLASSES * sizeof (double) + sizeof (int) + sizeof (gboolean))
              + 2 * AB_MODEL_GRID * sizeof (double) + 1024;
  cache->max_entries = (guint) CLAMP (CACHE_BYTES / per_entry, 2, MAX_ENTRIES);
  return cache;
}

void
ab_des_model_cache_free (AbDesModelCache *cache)
{
  if (cache == NULL)
    return;
  g_array_unref (cache->entries);
  g_clear_pointer (&cache->context, ab_model_context_free);
  g_mutex_clear (&cache->lock);
  g_free (cache);
}

static gboolean
entry_matches (const Entry        *e,
               const AbModelInput *input,
               guint               n)
{
  return e->multiplier == input->multiplier
         && e->autoscale == input->autoscale
         && e->failover_pending == input->failover_pending
         && memcmp (e->instances, input->instances, sizeof (int) * n) == 0
         && memcmp (e->down, input->down, sizeof (gboolean) * n) == 0
         && (e->backlog == NULL) == (input->backlog == NULL)
         && (e->backlog == NULL || memcmp (e->backlog, input->backlog, sizeof (double) * n) == 0)
         && (e->backlog == NULL || e->span_s == input->span_s)
         && (e->waits == NULL) == (input->waits == NULL)
         && (e->waits == NULL || memcmp (e->waits, input->waits, sizeof (AbModelWaits) * n) == 0);
}

static const AbModelResult *
cache_at (AbDesModelCache  *cache,
          double            t_s,
          double            multiplier,
          const double     *backlog,
          double            span_s,
          const AbModelWaits *waits,
          AbModelResult   **owned)
{
  guint n;
  g_autofree int *instances = NULL;
  g_autofree gboolean *down = NULL;
  AbModelInput input;
  AbModelResult *result;
  Entry e;

  g_return_val_if_fail (cache != NULL && owned != NULL, NULL);

  *owned = NULL;
  n = cache->network->n_stations;
  instances = g_new (int, MAX (n, 1));
  down = g_new (gboolean, MAX (n, 1));
  ab_model_input_at (&input, cache->network, cache->scenario, t_s, instances, down);
  if (multiplier > 0.0)
    input.multiplier = multiplier;
  input.backlog = backlog;
  input.span_s = backlog != NULL ? span_s : 0.0;
  input.waits = backlog != NULL ? waits : NULL;

  g_mutex_lock (&cache->lock);
  for (guint i = 0; i < cache->entries->len; i++)
    {
      const Entry *c = &g_array_index (cache->entries, Entry, i);

      if (entry_matches (c, &input, n))
        {
          g_mutex_unlock (&cache->lock);
          return c->result;
        }
    }
  if (cache->context == NULL)
    cache->context = ab_model_context_new ();
  result = ab_model_evaluate_in (cache->context, cache->network, &input);
  cache->evaluations++;
  if (cache->entries->len >= cache->max_entries)
    {
      g_mutex_unlock (&cache->lock);
      *owned = result;
      return result;
    }
  e.multiplier = input.multiplier;
  e.autoscale = input.autoscale;
  e.failover_pending = input.failover_pending;
  e.instances = g_steal_pointer (&instances);
  e.down = g_steal_pointer (&down);
  e.backlog = backlog != NULL ? g_memdup2 (backlog, sizeof (double) * MAX (n, 1)) : NULL;
  e.span_s = input.span_s;
  e.waits = input.waits != NULL ? g_memdup2 (input.waits, sizeof (AbModelWaits) * MAX (n, 1)) : NULL;
  e.result = result;
  g_array_append_val (cache->entries, e);
  g_mutex_unlock (&cache->lock);
  return result;
}

const AbModelResult *
ab_des_model_cache_at (AbDesModelCache  *cache,
                       double            t_s,
                       double            multiplier,
                       AbModelResult   **owned)
{
  return cache_at (cache, t_s, multiplier, NULL, 0.0, NULL, owned);
}

typedef struct {
  AbDesModelCache *cache;
  GPtrArray       *owned;
} BacklogAt;

static const AbModelResult *
backlog_at (gpointer data,
            double   t_s,
            double   multiplier)
{
  BacklogAt *b = data;
  AbModelResult *own = NULL;
  const AbModelResult *res = cache_at (b->cache, t_s, multiplier, NULL, 0.0, NULL, &own);

  if (own != NULL)
    g_ptr_array_add (b->owned, own);
  return res;
}

const AbModelResult *
ab_des_model_cache_at_backlog (AbDesModelCache  *cache,
                               double            t_s,
                               double            multiplier,
                               double            from_s,
                               double            to_s,
                               AbModelResult   **owned)
{
  double span_s = to_s - from_s;
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func ((GDestroyNotify) ab_model_result_free);
  g_autofree double *backlog = NULL;
  BacklogAt b = { cache, held };
  guint n;

  g_return_val_if_fail (cache != NULL && owned != NULL, NULL);

  n = cache->network->n_stations;
  backlog = g_new0 (double, MAX (n, 1));
  /* the plain model says whether any queue without a limit has a
   * backlog to build or drain at all */
  {
    gboolean open = FALSE;

    for (guint x = 0; x < n && !open; x++)
      open = cache->network->stations[x].queue_limit <= 0;
    if (!open)
      return cache_at (cache, t_s, multiplier, NULL, 0.0, NULL, owned);
  }
  {
    /* the waits of those answered over the span while a backlog drains
     * (it may be gone by @t_s, or left before the span's start) */
    g_autofree AbModelWaits *waits = g_new0 (AbModelWaits, MAX (n, 1));
    gboolean any = ab_model_backlog_at (cache->scenario, t_s, backlog_at, &b, n, backlog);
    gboolean drains = span_s > 0.0
                      && ab_model_backlog_waits (cache->scenario, from_s, to_s, backlog_at, &b, n, waits);

    if (!any && !drains)
      return cache_at (cache, t_s, multiplier, NULL, 0.0, NULL, owned);
    return cache_at (cache, t_s, multiplier, backlog, span_s, drains ? waits : NULL, owned);
  }
}

guint
ab_des_model_cache_get_evaluations (AbDesModelCache *cache)
{
  guint n;

  g_return_val_if_fail (cache != NULL, 0);

  g_mutex_lock (&cache->lock);
  n = cache->evaluations;
  g_mutex_unlock (&cache->lock);
  return n;
}
