/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the DES tests: small hand-built networks and the
 * closed forms of M/M/c queues. */
#pragma once

#include <math.h>

#include "ab-sim-api.h"

/* A chain of @n stations, each with @c slots on one instance and mean
 * service @service_ms, read rate @rate entering station 0; station i calls
 * station i + 1 synchronously. */
static inline AbNetwork *
des_test_chain (guint n, int c, double service_ms, double rate, AbDist dist)
{
  AbNetwork *net = ab_network_new (n);

  for (guint i = 0; i < n; i++)
    {
      AbStation *st = &net->stations[i];

      st->id = g_strdup_printf ("s%u", i);
      st->kind = AB_KIND_APP;
      st->instances = 1;
      st->concurrency = c;
      st->service_ms[AB_CLASS_READ] = service_ms;
      st->service_ms[AB_CLASS_WRITE] = service_ms;
      st->dist = dist;
      st->cv = 1.0;
      st->failover_to = -1;
      if (i + 1 < n)
        {
          ab_network_add_call (net, (int) i, AB_CLASS_READ, (int) i + 1);
          ab_network_add_call (net, (int) i, AB_CLASS_WRITE, (int) i + 1);
        }
    }
  ab_network_add_entry (net, AB_CLASS_READ, 0, 1.0);
  ab_network_add_entry (net, AB_CLASS_WRITE, 0, 1.0);
  net->rate[AB_CLASS_READ] = rate;
  return net;
}

/* @n stations named @ids: one instance of 8 exponential slots each,
 * @availability, no failover; the caller sets kinds, times and calls. */
static inline AbNetwork *
des_test_named_network (const char *const *ids, guint n, double availability)
{
  AbNetwork *net = ab_network_new (n);

  for (guint i = 0; i < n; i++)
    {
      AbStation *st = &net->stations[i];

      st->id = g_strdup (ids[i]);
      st->instances = 1;
      st->concurrency = 8;
      st->failover_to = -1;
      st->availability = availability;
      st->dist = AB_DIST_EXPONENTIAL;
      st->cv = 1.0;
    }
  return net;
}

/* client -> "app" (@apps instances of 8 blocking threads of @app_ms,
 * @limit waiting each) -> "cache" (8 slots of @cache_ms, @hit_ratio of
 * the reads hit) and, on a miss, -> "db" (@db_slots exponential slots of
 * 1 ms, no limit, no timeout); @rate reads a second, no network time on
 * the calls.  A blocking pool behind a cache the tests lose. */
static inline AbNetwork *
des_test_pool_behind_cache (int apps, double app_ms, int limit, double cache_ms, double hit_ratio,
                            int db_slots, double rate)
{
  static const char *const ids[] = { "client", "app", "cache", "db" };
  AbNetwork *net = des_test_named_network (ids, 4, 1.0);

  net->stations[0].kind = AB_KIND_CLIENT;
  net->stations[0].concurrency = 1000;
  net->stations[1].kind = AB_KIND_APP;
  net->stations[1].instances = apps;
  net->stations[1].concurrency = 8;
  net->stations[1].blocking_calls = TRUE;
  net->stations[1].queue_limit = limit;
  net->stations[2].kind = AB_KIND_CACHE;
  net->stations[2].hit_ratio = hit_ratio;
  net->stations[3].kind = AB_KIND_DB_PRIMARY;
  net->stations[3].concurrency = db_slots;
  for (int k = 0; k < AB_N_CLASSES; k++)
    {
      AbCall *call;

      net->stations[1].service_ms[k] = app_ms;
      net->stations[2].service_ms[k] = cache_ms;
      net->stations[3].service_ms[k] = 1.0;
      ab_network_add_call (net, 0, k, 1)->net_ms = 0.0;
      ab_network_add_call (net, 1, k, 2)->net_ms = 0.0;
      call = ab_network_add_call (net, 1, k, 3);
      call->net_ms = 0.0;
      call->on_miss_of = 0;
      ab_network_add_entry (net, k, 0, 1.0);
    }
  net->rate[AB_CLASS_READ] = rate;
  return net;
}

/* 10 s of warm-up, 20 s at x1 ("normal"), then "cache" lost for 40 s
 * ("failure") and back for @recovery_s ("recovery"): the scenario the
 * tests of des_test_pool_behind_cache's pools run. */
static inline AbScenario *
des_test_cache_loss (guint64 seed, double recovery_s)
{
  AbScenario *sc = ab_scenario_new ();

  sc->warmup_s = 10.0;
  sc->bucket_s = 1.0;
  sc->seed = seed;
  ab_scenario_add_phase (sc, "normal", 20.0, 1.0, 1.0, TRUE);
  ab_scenario_add_phase (sc, "failure", 40.0, 1.0, 1.0, TRUE);
  ab_scenario_add_phase (sc, "recovery", recovery_s, 1.0, 1.0, TRUE);
  ab_scenario_add_event (sc, 20.0, AB_SCENARIO_LOSE_STATION, "cache", 0);
  ab_scenario_add_event (sc, 60.0, AB_SCENARIO_RECOVER, "cache", 0);
  return sc;
}

/* des_test_chain of @n exponential stations whose first is a client (a
 * pass-through) */
static inline AbNetwork *
des_test_client_chain (guint n, int c, double service_ms, double rate)
{
  AbNetwork *net = des_test_chain (n, c, service_ms, rate, AB_DIST_EXPONENTIAL);

  net->stations[0].kind = AB_KIND_CLIENT;
  net->stations[0].service_ms[AB_CLASS_READ] = 0.0;
  net->stations[0].service_ms[AB_CLASS_WRITE] = 0.0;
  return net;
}

/* A client (a pass-through) sending @rate reads to a stream of
 * @instances instances of @c exponential slots of @service_ms, balanced
 * by @policy; the caller may split the rate between the classes. */
static inline AbNetwork *
des_test_balanced_stream (guint instances, int c, double service_ms, double rate, AbBalance policy)
{
  AbNetwork *net = des_test_client_chain (2, c, service_ms, rate);

  net->stations[1].kind = AB_KIND_STREAM;
  net->stations[1].instances = instances;
  net->stations[1].balance = policy;
  return net;
}

/* Background work spread thin: a front of 4 instances, an app of 200
 * instances of 8 threads (1 ms) at 100,000 writes a second, each write
 * handing a 150 ms job to a worker of 4,000 instances of 8 slots.  Few
 * of a windowed run's followed chains reach the workers, so the lag's
 * interval is wide without an extra pass (test-des-lag-extend,
 * test-des-lag-ci).  With @read_rps > 0 the front also sends that many
 * reads to "side" (4 instances of 8 slots, 1 ms), which a scenario may
 * lose while the writes' background work goes on (test-des-lag-steady). */
static inline AbNetwork *
des_test_lag_fanout_reads (double read_rps)
{
  static const char *const ids[] = { "lb", "app", "worker", "side" };
  AbNetwork *net = des_test_named_network (ids, read_rps > 0.0 ? 4 : 3, 1.0);

  /* the front: 4 instances, all simulated (where the visits go) */
  net->stations[0].kind = AB_KIND_APP;
  net->stations[0].instances = 4;
  net->stations[0].concurrency = 64;
  net->stations[0].service_ms[AB_CLASS_WRITE] = 0.1;
  net->stations[1].kind = AB_KIND_APP;
  net->stations[1].instances = 200;
  net->stations[1].concurrency = 8;
  net->stations[1].service_ms[AB_CLASS_WRITE] = 1.0;
  net->stations[2].kind = AB_KIND_WORKER;
  net->stations[2].instances = 4000;
  net->stations[2].concurrency = 8;
  net->stations[2].service_ms[AB_CLASS_WRITE] = 150.0;
  ab_network_add_call (net, 0, AB_CLASS_WRITE, 1);
  ab_network_add_call (net, 1, AB_CLASS_WRITE, 2)->async = TRUE;
  ab_network_add_entry (net, AB_CLASS_WRITE, 0, 1.0);
  net->rate[AB_CLASS_WRITE] = 100000.0;
  if (read_rps > 0.0)
    {
      net->stations[0].service_ms[AB_CLASS_READ] = 0.1;
      net->stations[3].kind = AB_KIND_APP;
      net->stations[3].instances = 4;
      net->stations[3].concurrency = 8;
      net->stations[3].service_ms[AB_CLASS_READ] = 1.0;
      ab_network_add_call (net, 0, AB_CLASS_READ, 3);
      ab_network_add_entry (net, AB_CLASS_READ, 0, 1.0);
      net->rate[AB_CLASS_READ] = read_rps;
    }
  return net;
}

static inline AbNetwork *
des_test_lag_fanout (void)
{
  return des_test_lag_fanout_reads (0.0);
}

/* A windowed, untruncated run of @net under @sc with @budget samples, the
 * budget allowed to grow by @factor (the extra lag pass). */
static inline AbDesResult *
des_test_run_windowed (const AbNetwork *net, const AbScenario *sc, guint64 budget, double factor)
{
  g_autoptr(GError) error = NULL;
  AbDesConfig config;
  AbDesResult *r;

  ab_des_config_init (&config);
  config.sample_budget = budget;
  config.max_budget_factor = factor;
  r = ab_des_run (net, sc, &config, &error);
  g_assert_no_error (error);
  g_assert_true (r->windowed);
  g_assert_false (r->truncated);
  return r;
}

/* User writes at @rate enter "app" (8 instances of 64 slots, 1 ms), which
 * hands each to "worker" asynchronously: @instances instances of @c
 * slots, @service_ms, @limit waiting places each (0: no limit), no
 * timeout. */
static inline AbNetwork *
des_test_app_worker (double rate, int instances, int c, double service_ms, int limit)
{
  static const char *const ids[] = { "app", "worker" };
  AbNetwork *net = des_test_named_network (ids, 2, 1.0);

  net->stations[0].kind = AB_KIND_APP;
  net->stations[0].instances = 8;
  net->stations[0].concurrency = 64;
  net->stations[0].service_ms[AB_CLASS_WRITE] = 1.0;
  net->stations[1].kind = AB_KIND_WORKER;
  net->stations[1].instances = instances;
  net->stations[1].concurrency = c;
  net->stations[1].service_ms[AB_CLASS_WRITE] = service_ms;
  net->stations[1].queue_limit = limit;
  ab_network_add_call (net, 0, AB_CLASS_WRITE, 1)->async = TRUE;
  ab_network_add_entry (net, AB_CLASS_WRITE, 0, 1.0);
  net->rate[AB_CLASS_WRITE] = rate;
  return net;
}

/* Erlang C through the stable recursion of docs/simulation.md. */
static inline double
des_test_erlang_c (int c, double a)
{
  double b = 1.0;

  for (int k = 1; k <= c; k++)
    b = a * b / (k + a * b);
  return c * b / (c - a * (1.0 - b));
}

static inline double
des_test_mmc_mean (int c, double lambda, double mu)
{
  return 1.0 / mu + des_test_erlang_c (c, lambda / mu) / (c * mu - lambda);
}

static inline double
des_test_mmc_tail (int c, double lambda, double mu, double t)
{
  double C = des_test_erlang_c (c, lambda / mu);
  double theta = c * mu - lambda;

  if (fabs (theta - mu) < 1e-9 * mu)
    return (1.0 - C) * exp (-mu * t) + C * exp (-mu * t) * (1.0 + mu * t);
  return (1.0 - C) * exp (-mu * t) +
         C * (theta * exp (-mu * t) - mu * exp (-theta * t)) / (theta - mu);
}

/* The sojourn-time quantile q, by bisection. */
static inline double
des_test_mmc_quantile (int c, double lambda, double mu, double q)
{
  double lo = 0.0, hi = 1.0 / mu;

  while (des_test_mmc_tail (c, lambda, mu, hi) > 1.0 - q)
    hi *= 2.0;
  for (int i = 0; i < 200; i++)
    {
      double mid = 0.5 * (lo + hi);

      if (des_test_mmc_tail (c, lambda, mu, mid) > 1.0 - q)
        lo = mid;
      else
        hi = mid;
    }
  return 0.5 * (lo + hi);
}

static inline AbScenario *
des_test_scenario (double duration_s, double warmup_s, double bucket_s, guint64 seed)
{
  AbScenario *sc = ab_scenario_new_normal (duration_s);

  sc->warmup_s = warmup_s;
  sc->bucket_s = bucket_s;
  sc->seed = seed;
  return sc;
}

/* Checksums of DES results: result_checksum () is a SHA-256 of every
 * figure of a result (phases, buckets, stations, the visits and events
 * simulated); equal checksums mean byte-identical results. */
static inline void
checksum_doubles (GChecksum *sum, const double *v, gsize n)
{
  g_checksum_update (sum, (const guchar *) v, sizeof (double) * n);
}

static inline void
checksum_stations (GChecksum *sum, const AbDesStationStats *st, guint n)
{
  for (guint s = 0; s < n; s++)
    {
      double v[] = { st[s].utilization, st[s].queue_length, st[s].in_station,
                     st[s].served_rps, st[s].sojourn_ms, st[s].instances };

      checksum_doubles (sum, v, G_N_ELEMENTS (v));
    }
}

static inline char *
result_checksum (const AbDesResult *r)
{
  GChecksum *sum = g_checksum_new (G_CHECKSUM_SHA256);
  char *hex;

  for (guint i = 0; i < r->n_phases; i++)
    {
      const AbDesPhaseResult *p = &r->phases[i];
      double v[] = { p->offered_rps, p->served_rps, p->error_rate,
                     (double) p->requests, (double) p->errors };

      checksum_doubles (sum, v, G_N_ELEMENTS (v));
      for (int k = 0; k < AB_DES_N_SERIES; k++)
        {
          const AbLatencyStats *l = &p->latency[k];
          double w[] = { (double) l->count, l->mean_ms.value, l->mean_ms.ci, l->p50_ms.value,
                         l->p50_ms.ci, l->p95_ms.value, l->p95_ms.ci, l->p99_ms.value,
                         l->p99_ms.ci };

          checksum_doubles (sum, w, G_N_ELEMENTS (w));
        }
      checksum_stations (sum, p->stations, r->n_stations);
    }
  for (guint b = 0; b < r->n_buckets; b++)
    {
      const AbDesBucket *bk = &r->buckets[b];
      double v[] = { bk->t_s, bk->offered_rps, bk->served_rps, bk->errors_rps,
                     bk->latency[AB_DES_ALL].p50_ms, bk->latency[AB_DES_ALL].p99_ms,
                     bk->latency[AB_DES_ASYNC].mean_ms };

      checksum_doubles (sum, v, G_N_ELEMENTS (v));
      checksum_stations (sum, bk->stations, bk->n_stations);
    }
  {
    double v[] = { (double) r->visits, (double) r->events, r->tracked_fraction };

    checksum_doubles (sum, v, G_N_ELEMENTS (v));
  }
  hex = g_strdup (g_checksum_get_string (sum));
  g_checksum_free (sum);
  return hex;
}
