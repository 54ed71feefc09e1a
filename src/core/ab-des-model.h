/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The analytical model at the times of a scenario, evaluated once per
 * distinct load: what a DES run's summary, cost and chart points need of
 * the model (the class mix behind each component's completions, the
 * instances, the cost) is the model at the offered load and failure state
 * of each time bucket and phase, and most buckets share theirs with their
 * neighbours (a flat phase: one; a ramp: one per bucket).  The cache keys
 * an evaluation by the model's whole input — the rate multiplier, the
 * instances, which components are down, whether a failover is pending —
 * so a cached result is exactly the one a fresh evaluation gives.
 * Thread-safe: the evaluations of one cache are serialised. */
#pragma once

#include <glib.h>

#include "ab-model.h"
#include "ab-network.h"
#include "ab-scenario.h"

G_BEGIN_DECLS

typedef struct _AbDesModelCache AbDesModelCache;

/* A cache for @network under @scenario; both must outlive it. */
AbDesModelCache     *ab_des_model_cache_new             (const AbNetwork  *network,
                                                         const AbScenario *scenario);
void                 ab_des_model_cache_free            (AbDesModelCache  *cache);

/* The model at time @t_s of the scenario (its multiplier replaced by
 * @multiplier when that is > 0).  The result belongs to the cache and
 * lives as long as it, or, once the cache holds as many results as its
 * memory cap allows, is a new one stored in *@owned for the caller to
 * free (*@owned is NULL otherwise). */
const AbModelResult *ab_des_model_cache_at              (AbDesModelCache  *cache,
                                                         double            t_s,
                                                         double            multiplier,
                                                         AbModelResult   **owned);
/* ab_des_model_cache_at, with the backlog that queues without a limit
 * hold at @t_s (ab_model_backlog_at): what the model's lag at that time
 * is; the evaluation stands for the stretch [@from_s, @to_s] that holds
 * @t_s (AbModelInput.span_s, and the waits behind a backlog over it,
 * ab_model_backlog_waits).  The same result as ab_des_model_cache_at when
 * there is none. */
const AbModelResult *ab_des_model_cache_at_backlog      (AbDesModelCache  *cache,
                                                         double            t_s,
                                                         double            multiplier,
                                                         double            from_s,
                                                         double            to_s,
                                                         AbModelResult   **owned);
/* How many times the cache evaluated the model (for tests). */
guint                ab_des_model_cache_get_evaluations (AbDesModelCache  *cache);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AbDesModelCache, ab_des_model_cache_free)

G_END_DECLS
