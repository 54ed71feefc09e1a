/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The DES beyond steady state: failures and failover, the cache stampede,
 * overload and draining, timeouts and bounded queues, autoscaling,
 * representative instances, routing (groups, cache-aside, async work,
 * own load), determinism, threads, cancellation, streaming, the sample
 * budget (windows over an overloaded timeline, truncation) and bad
 * input. */
#include "config.h"

#include <string.h>

#include "ab-types.h"
#include "des-test-util.h"

enum { APP, PRIMARY, REPLICA, CACHE, N_WEB };

/* app (2 instances x 8 slots, 5 ms) reads through a cache (hit 0.8) with
 * the replica behind it (cache-aside) and writes to the primary, which
 * replicates asynchronously to the replica when @replication. */
static AbNetwork *
web_network (gboolean replication, double read_rate, double write_rate)
{
  AbNetwork *net = ab_network_new (N_WEB);
  const char *ids[] = { "app", "primary", "replica", "cache" };
  AbCall *call;

  for (int i = 0; i < N_WEB; i++)
    {
      AbStation *st = &net->stations[i];

      st->id = g_strdup (ids[i]);
      st->instances = 1;
      st->concurrency = 8;
      st->failover_to = -1;
      st->dist = AB_DIST_EXPONENTIAL;
    }
  net->stations[APP].kind = AB_KIND_APP;
  net->stations[APP].instances = 2;
  net->stations[APP].service_ms[AB_CLASS_READ] = 5.0;
  net->stations[APP].service_ms[AB_CLASS_WRITE] = 5.0;
  net->stations[PRIMARY].kind = AB_KIND_DB_PRIMARY;
  net->stations[PRIMARY].service_ms[AB_CLASS_READ] = 1.0;
  net->stations[PRIMARY].service_ms[AB_CLASS_WRITE] = 4.0;
  net->stations[REPLICA].kind = AB_KIND_DB_REPLICA;
  net->stations[REPLICA].service_ms[AB_CLASS_READ] = 1.0;
  net->stations[REPLICA].service_ms[AB_CLASS_WRITE] = 4.0;
  net->stations[CACHE].kind = AB_KIND_CACHE;
  net->stations[CACHE].concurrency = 1;
  net->stations[CACHE].service_ms[AB_CLASS_READ] = 0.2;
  net->stations[CACHE].hit_ratio = 0.8;

  call = ab_network_add_call (net, APP, AB_CLASS_READ, CACHE);
  call->net_ms = 0.5;
  call = ab_network_add_call (net, APP, AB_CLASS_READ, REPLICA);
  call->on_miss_of = 0;
  call->net_ms = 0.5;
  call = ab_network_add_call (net, APP, AB_CLASS_WRITE, PRIMARY);
  call->net_ms = 0.5;
  if (replication)
    {
      call = ab_network_add_call (net, PRIMARY, AB_CLASS_WRITE, REPLICA);
      call->async = TRUE;
      call->net_ms = 0.5;
    }
  ab_network_add_entry (net, AB_CLASS_READ, APP, 1.0);
  ab_network_add_entry (net, AB_CLASS_WRITE, APP, 1.0);
  net->rate[AB_CLASS_READ] = read_rate;
  net->rate[AB_CLASS_WRITE] = write_rate;
  return net;
}

static AbDesResult *
run (const AbNetwork *net, const AbScenario *sc, const AbDesConfig *cfg)
{
  g_autoptr(GError) error = NULL;
  AbDesResult *result = ab_des_run (net, sc, cfg, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static AbScenario *
three_phases (double normal_s, double event_s, double after_s)
{
  AbScenario *sc = ab_scenario_new ();

  sc->warmup_s = 5.0;
  ab_scenario_add_phase (sc, "normal", normal_s, 1.0, 1.0, TRUE);
  ab_scenario_add_phase (sc, "failure", event_s, 1.0, 1.0, TRUE);
  ab_scenario_add_phase (sc, "recovery", after_s, 1.0, 1.0, TRUE);
  return sc;
}

static double
class_error_rate (const AbDesPhaseResult *p, AbReqClass c)
{
  return p->class_requests[c] > 0 ? (double) p->class_errors[c] / p->class_requests[c] : -1.0;
}

/* ------------------------------------------------------------ failures -- */

static void
test_primary_lost (void)
{
  g_autoptr(AbNetwork) net = web_network (TRUE, 400.0, 100.0);
  g_autoptr(AbScenario) sc = three_phases (10.0, 10.0, 10.0);
  g_autoptr(AbDesResult) r = NULL;

  ab_scenario_add_event (sc, 10.0, AB_SCENARIO_LOSE_STATION, "primary", 0);
  ab_scenario_add_event (sc, 20.0, AB_SCENARIO_RECOVER, "primary", 0);
  r = run (net, sc, NULL);
  g_assert_cmpfloat (class_error_rate (&r->phases[0], AB_CLASS_WRITE), ==, 0.0);
  /* without failover every write fails until recovery, reads carry on */
  g_assert_cmpfloat (class_error_rate (&r->phases[1], AB_CLASS_WRITE), ==, 1.0);
  g_assert_cmpfloat (class_error_rate (&r->phases[1], AB_CLASS_READ), ==, 0.0);
  g_assert_cmpuint (r->phases[1].class_requests[AB_CLASS_WRITE], >, 0);
  g_assert_cmpfloat (class_error_rate (&r->phases[2], AB_CLASS_WRITE), ==, 0.0);
  g_assert_cmpfloat_with_epsilon (r->phases[1].error_rate, 0.2, 0.03);
  g_assert_cmpfloat (r->phases[1].stations[PRIMARY].served_rps, ==, 0.0);
  g_assert_cmpfloat_with_epsilon (r->phases[1].stations[PRIMARY].instances, 0.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (r->phases[2].stations[PRIMARY].instances, 1.0, 1e-6);
  /* the time series shows it too */
  for (guint b = 0; b < r->n_buckets; b++)
    {
      const AbDesBucket *bk = &r->buckets[b];

      if (bk->t_s >= 11.0 && bk->t_s < 19.0)
        g_assert_cmpfloat_with_epsilon (bk->errors_rps, 100.0, 30.0);
      if (bk->t_s >= 21.0 || bk->t_s < 9.0)
        g_assert_cmpfloat (bk->errors_rps, ==, 0.0);
    }
}

static void
test_primary_failover (void)
{
  g_autoptr(AbNetwork) net = web_network (TRUE, 400.0, 100.0);
  g_autoptr(AbScenario) sc = three_phases (10.0, 10.0, 10.0);
  g_autoptr(AbDesResult) r = NULL;
  double write_errors;

  net->stations[PRIMARY].failover_to = REPLICA;
  net->stations[PRIMARY].failover_s = 3.0;
  ab_scenario_add_event (sc, 10.0, AB_SCENARIO_LOSE_STATION, "primary", 0);
  ab_scenario_add_event (sc, 20.0, AB_SCENARIO_RECOVER, "primary", 0);
  r = run (net, sc, NULL);
  /* writes fail for the 3 s before the replica takes over */
  write_errors = class_error_rate (&r->phases[1], AB_CLASS_WRITE);
  g_test_message ("write errors during the failure: %.3f", write_errors);
  g_assert_cmpfloat_with_epsilon (write_errors, 0.3, 0.05);
  /* normal: 80 reads + 100 replicated writes; failure: no replication,
   * but the replica takes the 100 writes/s for the last 7 s */
  g_assert_cmpfloat_with_epsilon (r->phases[0].stations[REPLICA].served_rps, 180.0, 10.0);
  g_assert_cmpfloat_with_epsilon (r->phases[1].stations[REPLICA].served_rps, 150.0, 10.0);
  g_assert_cmpfloat (class_error_rate (&r->phases[2], AB_CLASS_WRITE), ==, 0.0);
}

static void
test_cache_stampede (void)
{
  g_autoptr(AbNetwork) net = web_network (FALSE, 400.0, 100.0);
  g_autoptr(AbScenario) sc = three_phases (20.0, 20.0, 20.0);
  g_autoptr(AbDesResult) r = NULL;

  ab_scenario_add_event (sc, 20.0, AB_SCENARIO_LOSE_STATION, "cache", 0);
  ab_scenario_add_event (sc, 40.0, AB_SCENARIO_RECOVER, "cache", 0);
  r = run (net, sc, NULL);
  /* misses only, then every read, then misses again */
  g_assert_cmpfloat_with_epsilon (r->phases[0].stations[REPLICA].served_rps, 80.0, 8.0);
  g_assert_cmpfloat_with_epsilon (r->phases[1].stations[REPLICA].served_rps, 400.0, 20.0);
  g_assert_cmpfloat_with_epsilon (r->phases[2].stations[REPLICA].served_rps, 80.0, 8.0);
  g_assert_cmpfloat (r->phases[1].stations[CACHE].served_rps, ==, 0.0);
  /* a lost cache is a miss, not an error */
  g_assert_cmpfloat (r->phases[1].error_rate, ==, 0.0);
  g_assert_cmpfloat (r->phases[1].latency[AB_DES_READ].mean_ms.value, >,
                     r->phases[0].latency[AB_DES_READ].mean_ms.value);
}

static void
test_instance_lost (void)
{
  g_autoptr(AbNetwork) net = des_test_chain (1, 1, 10.0, 80.0, AB_DIST_EXPONENTIAL);
  g_autoptr(AbScenario) sc = three_phases (20.0, 20.0, 20.0);
  g_autoptr(AbDesResult) r = NULL;

  net->stations[0].instances = 2;
  ab_scenario_add_event (sc, 20.0, AB_SCENARIO_LOSE_INSTANCES, "s0", 1);
  ab_scenario_add_event (sc, 40.0, AB_SCENARIO_RECOVER, "s0", 0);
  r = run (net, sc, NULL);
  g_assert_cmpfloat_with_epsilon (r->phases[0].stations[0].instances, 2.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (r->phases[1].stations[0].instances, 1.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (r->phases[2].stations[0].instances, 2.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (r->phases[0].stations[0].utilization, 0.4, 0.04);
  g_assert_cmpfloat_with_epsilon (r->phases[1].stations[0].utilization, 0.8, 0.06);
  /* losing an instance fails only what it held */
  g_assert_cmpfloat (r->phases[1].error_rate, <, 0.01);
  g_assert_cmpfloat (r->phases[1].latency[AB_DES_ALL].mean_ms.value, >,
                     2.0 * r->phases[0].latency[AB_DES_ALL].mean_ms.value);
}

/* ------------------------------------------------------------ overload -- */

static AbScenario *
overload_scenario (void)
{
  AbScenario *sc = ab_scenario_new ();

  sc->warmup_s = 5.0;
  sc->seed = 21;
  ab_scenario_add_phase (sc, "normal", 20.0, 1.0, 1.0, TRUE);
  ab_scenario_add_phase (sc, "overload", 10.0, 3.0, 3.0, TRUE);
  ab_scenario_add_phase (sc, "recovery", 40.0, 1.0, 1.0, TRUE);
  return sc;
}

static void
test_overload_backlog_drains (void)
{
  /* capacity 100/s; 150/s for 10 s leaves ~500 waiting, drained at 50/s */
  g_autoptr(AbNetwork) net = des_test_chain (1, 1, 10.0, 50.0, AB_DIST_EXPONENTIAL);
  g_autoptr(AbScenario) sc = overload_scenario ();
  g_autoptr(AbDesResult) r = NULL;
  AbDesConfig cfg;
  double peak_queue = 0.0;

  ab_des_config_init (&cfg);
  cfg.replications = 4;
  r = run (net, sc, &cfg);
  g_assert_cmpuint (r->n_buckets, ==, 70);
  for (guint b = 0; b < r->n_buckets; b++)
    peak_queue = MAX (peak_queue, r->buckets[b].stations[0].queue_length);
  g_test_message ("peak queue %.0f, queue at 29 s %.0f, at 45 s %.1f, at 69 s %.1f", peak_queue,
                  r->buckets[29].stations[0].queue_length, r->buckets[45].stations[0].queue_length,
                  r->buckets[69].stations[0].queue_length);
  g_assert_cmpfloat (r->buckets[29].stations[0].queue_length, >, 350.0);
  g_assert_cmpfloat (r->buckets[29].stations[0].utilization, >, 0.99);
  g_assert_cmpfloat_with_epsilon (r->buckets[25].served_rps, 100.0, 10.0);
  g_assert_cmpfloat_with_epsilon (r->buckets[25].offered_rps, 150.0, 15.0);
  g_assert_cmpfloat (r->phases[1].latency[AB_DES_ALL].mean_ms.value, >, 1000.0);
  /* the backlog drains once the load drops */
  g_assert_cmpfloat (r->buckets[69].stations[0].queue_length, <, 5.0);
  g_assert_cmpfloat (r->buckets[69].latency[AB_DES_ALL].p50_ms, <, 100.0);
  g_assert_cmpfloat (r->phases[2].served_rps, >, r->phases[2].offered_rps);
  g_assert_cmpfloat (r->phases[1].error_rate, ==, 0.0);
}

static void
test_overload_timeouts (void)
{
  g_autoptr(AbNetwork) net = des_test_chain (1, 1, 10.0, 50.0, AB_DIST_EXPONENTIAL);
  g_autoptr(AbScenario) sc = overload_scenario ();
  g_autoptr(AbDesResult) r = NULL;

  net->stations[0].timeout_ms = 200.0;
  r = run (net, sc, NULL);
  /* a third of the overload cannot be served: it times out */
  g_test_message ("overload error rate %.3f", r->phases[1].error_rate);
  g_assert_cmpfloat (r->phases[1].error_rate, >, 0.2);
  g_assert_cmpfloat (r->phases[1].error_rate, <, 0.45);
  g_assert_cmpfloat (r->phases[0].error_rate, <, 0.01);
  /* nobody waited much longer than the timeout */
  g_assert_cmpfloat (r->phases[1].latency[AB_DES_ALL].p99_ms.value, <, 200.0 + 80.0);
  g_assert_cmpfloat (r->buckets[69].stations[0].queue_length, <, 5.0);
}

static void
test_overload_queue_limit (void)
{
  g_autoptr(AbNetwork) net = des_test_chain (1, 1, 10.0, 50.0, AB_DIST_EXPONENTIAL);
  g_autoptr(AbScenario) sc = overload_scenario ();
  g_autoptr(AbDesResult) r = NULL;

  net->stations[0].queue_limit = 20;
  r = run (net, sc, NULL);
  g_assert_cmpfloat (r->phases[1].error_rate, >, 0.2);
  for (guint b = 0; b < r->n_buckets; b++)
    g_assert_cmpfloat (r->buckets[b].stations[0].queue_length, <=, 20.0);
  g_assert_cmpfloat (r->phases[1].latency[AB_DES_ALL].p99_ms.value, <, 21 * 10.0 * 3);
}

/* ---------------------------------------------------------- autoscaling -- */

static void
test_autoscaling (void)
{
  g_autoptr(AbNetwork) net = des_test_chain (1, 8, 10.0, 800.0, AB_DIST_EXPONENTIAL);
  g_autoptr(AbScenario) sc = ab_scenario_new ();
  g_autoptr(AbDesResult) r = NULL;
  AbStation *st = &net->stations[0];
  double most = 0.0, peak_end_util;
  AbDesConfig cfg;

  st->instances = 2;
  st->autoscale_min = 2;
  st->autoscale_max = 20;
  st->autoscale_target = 0.6;
  st->autoscale_delay_s = 5.0;
  sc->warmup_s = 5.0;
  ab_scenario_add_phase (sc, "normal", 20.0, 1.0, 1.0, TRUE);
  ab_scenario_add_phase (sc, "ramp-up", 10.0, 1.0, 5.0, TRUE);
  ab_scenario_add_phase (sc, "peak", 60.0, 5.0, 5.0, TRUE);
  ab_scenario_add_phase (sc, "ramp-down", 10.0, 5.0, 1.0, TRUE);
  ab_scenario_add_phase (sc, "after", 60.0, 1.0, 1.0, TRUE);
  ab_des_config_init (&cfg);
  cfg.replications = 1;
  r = run (net, sc, &cfg);
  for (guint b = 0; b < r->n_buckets; b++)
    most = MAX (most, r->buckets[b].stations[0].instances);
  peak_end_util = r->buckets[89].stations[0].utilization;
  g_test_message ("instances: start %.0f, most %.0f, end of peak %.0f (util %.2f), end %.0f",
                  r->buckets[0].stations[0].instances, most,
                  r->buckets[89].stations[0].instances, peak_end_util,
                  r->buckets[159].stations[0].instances);
  g_assert_cmpfloat_with_epsilon (r->buckets[0].stations[0].instances, 2.0, 1e-6);
  /* 4000/s at 800/s per instance and 60 % target: about 9 instances */
  g_assert_cmpfloat (r->buckets[89].stations[0].instances, >=, 7.0);
  g_assert_cmpfloat (r->buckets[89].stations[0].instances, <=, 12.0);
  g_assert_cmpfloat (peak_end_util, <, 0.8);
  g_assert_cmpfloat (r->buckets[159].stations[0].instances, <, 4.0);
  g_assert_cmpfloat (r->phases[2].stations[0].served_rps, >, 3800.0);
}

/* ----------------------------------------------- representative instances -- */

static void
test_representatives (void)
{
  /* 1000 instances at 50/s each: the same per-instance queue as one */
  g_autoptr(AbNetwork) big = des_test_chain (1, 1, 10.0, 50000.0, AB_DIST_EXPONENTIAL);
  g_autoptr(AbNetwork) small = des_test_chain (1, 1, 10.0, 50.0, AB_DIST_EXPONENTIAL);
  g_autoptr(AbScenario) sc = des_test_scenario (100.0, 10.0, 10.0, 5);
  g_autoptr(AbDesResult) rb = NULL;
  g_autoptr(AbDesResult) rs = NULL;
  AbDesConfig cfg;
  const AbDesStationStats *st;

  /* random split: each instance is an M/M/1 fed by Poisson lambda / n */
  big->stations[0].instances = 1000;
  big->stations[0].balance = AB_BALANCE_RANDOM;
  ab_des_config_init (&cfg);
  cfg.sample_budget = 400000;
  rb = run (big, sc, &cfg);
  rs = run (small, sc, &cfg);
  g_test_message ("1000 x 50/s: %u replications, %" G_GUINT64_FORMAT " visits, f %.4f; "
                  "1 x 50/s: %u replications, %" G_GUINT64_FORMAT " visits",
                  rb->replications, rb->visits, rb->tracked_fraction,
                  rs->replications, rs->visits);
  g_assert_cmpuint (rb->representatives, ==, 8);
  g_assert_cmpfloat (rb->tracked_fraction, ==, 0.008);
  /* cost does not grow with the modelled rate */
  g_assert_cmpuint (rb->visits, <=, 2 * cfg.sample_budget);
  g_assert_cmpuint (rs->visits, <=, 2 * cfg.sample_budget);
  g_assert_cmpfloat ((double) rb->visits / rs->visits, <, 2.0);
  g_assert_cmpfloat ((double) rb->visits / rs->visits, >, 0.5);
  st = &rb->phases[0].stations[0];
  g_assert_cmpfloat_with_epsilon (st->served_rps, 50000.0, 1000.0);
  g_assert_cmpfloat_with_epsilon (st->utilization, 0.5, 0.02);
  g_assert_cmpfloat_with_epsilon (st->instances, 1000.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (st->in_station, 1000.0, 40.0); /* 1 per M/M/1 */
  g_assert_cmpfloat_with_epsilon (rb->phases[0].offered_rps, 50000.0, 1500.0);
  g_assert_cmpfloat_with_epsilon (rb->phases[0].latency[AB_DES_ALL].mean_ms.value, 20.0, 1.0);
  g_assert_cmpfloat_with_epsilon (rs->phases[0].latency[AB_DES_ALL].mean_ms.value, 20.0, 1.0);
}

/* -------------------------------------------------------------- routing -- */

static void
test_groups_and_async (void)
{
  /* app -> exactly one of two shards (30 / 70 %), then enqueue; the
   * queue hands the message to a worker asynchronously */
  enum { A, SHARD1, SHARD2, QUEUE, WORKER, N };
  g_autoptr(AbNetwork) net = ab_network_new (N);
  g_autoptr(AbScenario) sc = des_test_scenario (50.0, 5.0, 1.0, 8);
  g_autoptr(AbDesResult) r = NULL;
  AbCall *call;
  const AbDesPhaseResult *p;

  for (int i = 0; i < N; i++)
    {
      net->stations[i].id = g_strdup_printf ("n%d", i);
      net->stations[i].concurrency = 4;
      net->stations[i].service_ms[AB_CLASS_WRITE] = 2.0;
    }
  net->stations[WORKER].service_ms[AB_CLASS_WRITE] = 20.0;
  call = ab_network_add_call (net, A, AB_CLASS_WRITE, SHARD1);
  call->group = 0;
  call->probability = 0.3;
  call = ab_network_add_call (net, A, AB_CLASS_WRITE, SHARD2);
  call->group = 0;
  call->probability = 0.7;
  ab_network_add_call (net, A, AB_CLASS_WRITE, QUEUE);
  call = ab_network_add_call (net, QUEUE, AB_CLASS_WRITE, WORKER);
  call->async = TRUE;
  ab_network_add_entry (net, AB_CLASS_WRITE, A, 1.0);
  net->rate[AB_CLASS_WRITE] = 100.0;
  r = run (net, sc, NULL);
  p = &r->phases[0];
  g_assert_cmpfloat_with_epsilon (p->stations[SHARD1].served_rps, 30.0, 3.0);
  g_assert_cmpfloat_with_epsilon (p->stations[SHARD2].served_rps, 70.0, 4.0);
  g_assert_cmpfloat_with_epsilon (p->stations[WORKER].served_rps, 100.0, 5.0);
  /* user latency: three 2 ms hops; the worker's 20 ms is processing lag */
  g_assert_cmpfloat (p->latency[AB_DES_WRITE].mean_ms.value, <, 8.0);
  g_assert_cmpfloat (p->latency[AB_DES_WRITE].mean_ms.value, >, 5.7);
  g_assert_cmpuint (p->latency[AB_DES_ASYNC].count, >, 4000);
  g_assert_cmpfloat_with_epsilon (p->latency[AB_DES_ASYNC].mean_ms.value, 20.0, 2.0);
  g_assert_cmpuint (p->latency[AB_DES_READ].count, ==, 0);
  g_assert_cmpfloat (r->buckets[10].latency[AB_DES_ASYNC].mean_ms, >, 0.0);
}

static void
test_own_load (void)
{
  /* a cron worker with no incoming traffic generates its own load */
  g_autoptr(AbNetwork) net = des_test_chain (2, 2, 10.0, 0.0, AB_DIST_EXPONENTIAL);
  g_autoptr(AbScenario) sc = des_test_scenario (50.0, 5.0, 1.0, 9);
  g_autoptr(AbDesResult) r = NULL;

  net->stations[0].self_rate[AB_CLASS_WRITE] = 40.0;
  r = run (net, sc, NULL);
  g_assert_cmpfloat_with_epsilon (r->phases[0].stations[0].served_rps, 40.0, 3.0);
  g_assert_cmpfloat_with_epsilon (r->phases[0].stations[1].served_rps, 40.0, 3.0);
  g_assert_cmpfloat (r->phases[0].offered_rps, ==, 0.0);
  g_assert_cmpuint (r->phases[0].latency[AB_DES_ASYNC].count, >, 1500);
  g_assert_cmpfloat (r->phases[0].latency[AB_DES_ASYNC].mean_ms.value, >, 20.0);
}

static void
test_pass_through_and_delay (void)
{
  /* client (no service time) -> edge (infinite server, 5 ms fixed) ->
   * app (100 instances x 1 slot, 10 ms, 50/s each) */
  enum { CLIENT, EDGE, APPS, N };
  g_autoptr(AbNetwork) net = ab_network_new (N);
  g_autoptr(AbScenario) sc = des_test_scenario (60.0, 5.0, 1.0, 10);
  g_autoptr(AbDesResult) r = NULL;
  const AbDesPhaseResult *p;

  for (int i = 0; i < N; i++)
    {
      net->stations[i].id = g_strdup_printf ("n%d", i);
      if (i + 1 < N)
        ab_network_add_call (net, i, AB_CLASS_READ, i + 1);
    }
  net->stations[CLIENT].kind = AB_KIND_CLIENT;
  net->stations[CLIENT].concurrency = 0;
  net->stations[EDGE].concurrency = 0;
  net->stations[EDGE].dist = AB_DIST_DETERMINISTIC;
  net->stations[EDGE].service_ms[AB_CLASS_READ] = 5.0;
  net->stations[APPS].instances = 100;
  net->stations[APPS].balance = AB_BALANCE_RANDOM;
  net->stations[APPS].service_ms[AB_CLASS_READ] = 10.0;
  ab_network_add_entry (net, AB_CLASS_READ, CLIENT, 1.0);
  net->rate[AB_CLASS_READ] = 5000.0;
  r = run (net, sc, NULL);
  p = &r->phases[0];
  g_assert_cmpfloat (r->tracked_fraction, ==, 0.08);
  for (int i = 0; i < N; i++)
    g_assert_cmpfloat_with_epsilon (p->stations[i].served_rps, 5000.0, 150.0);
  g_assert_cmpfloat (p->stations[CLIENT].in_station, ==, 0.0);
  /* the infinite server never queues: 5000/s x 5 ms = 25 in it */
  g_assert_cmpfloat (p->stations[EDGE].queue_length, ==, 0.0);
  g_assert_cmpfloat_with_epsilon (p->stations[EDGE].in_station, 25.0, 1.5);
  g_assert_cmpfloat_with_epsilon (p->stations[EDGE].sojourn_ms, 5.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (p->stations[APPS].utilization, 0.5, 0.03);
  /* 5 ms + an M/M/1 at rho 0.5 (20 ms) */
  g_assert_cmpfloat_with_epsilon (p->latency[AB_DES_READ].mean_ms.value, 25.0, 1.0);
}

static void
test_read_through_cache (void)
{
  /* a cache that calls a store: read hits stop there, misses and every
   * write go on */
  g_autoptr(AbNetwork) net = des_test_chain (2, 4, 1.0, 100.0, AB_DIST_EXPONENTIAL);
  g_autoptr(AbScenario) sc = des_test_scenario (100.0, 5.0, 1.0, 12);
  g_autoptr(AbDesResult) r = NULL;

  net->rate[AB_CLASS_WRITE] = 100.0;
  net->stations[0].hit_ratio = 0.8;
  r = run (net, sc, NULL);
  g_assert_cmpfloat_with_epsilon (r->phases[0].stations[0].served_rps, 200.0, 8.0);
  g_assert_cmpfloat_with_epsilon (r->phases[0].stations[1].served_rps, 120.0, 6.0);
  g_assert_cmpfloat_with_epsilon (r->phases[0].latency[AB_DES_READ].mean_ms.value, 1.2, 0.05);
  g_assert_cmpfloat_with_epsilon (r->phases[0].latency[AB_DES_WRITE].mean_ms.value, 2.0, 0.08);
}

/* -------------------------------------------------- determinism, threads -- */

static char *
run_checksum (const AbNetwork *net, guint64 seed)
{
  g_autoptr(AbScenario) sc = ab_scenario_new_default_timeline (3.0, "cache");
  g_autoptr(AbDesResult) r = NULL;
  AbDesConfig cfg;

  sc->seed = seed;
  ab_des_config_init (&cfg);
  cfg.sample_budget = 300000;
  r = run (net, sc, &cfg);
  return result_checksum (r);
}

static void
test_determinism (void)
{
  g_autoptr(AbNetwork) net = web_network (TRUE, 400.0, 100.0);
  g_autofree char *a = run_checksum (net, 1);
  g_autofree char *b = run_checksum (net, 1);
  g_autofree char *c = run_checksum (net, 2);

  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, c);
}

typedef struct {
  const AbNetwork *net;
  guint64          seed;
  char            *checksum;
} ThreadRun;

static gpointer
thread_run (gpointer data)
{
  ThreadRun *tr = data;

  tr->checksum = run_checksum (tr->net, tr->seed);
  return NULL;
}

static void
test_threads (void)
{
  g_autoptr(AbNetwork) net = web_network (TRUE, 400.0, 100.0);
  ThreadRun runs[2] = { { net, 3, NULL }, { net, 4, NULL } };
  GThread *threads[2];

  for (int i = 0; i < 2; i++)
    threads[i] = g_thread_new ("des", thread_run, &runs[i]);
  for (int i = 0; i < 2; i++)
    g_thread_join (threads[i]);
  for (int i = 0; i < 2; i++)
    {
      g_autofree char *sequential = run_checksum (net, runs[i].seed);

      g_assert_cmpstr (runs[i].checksum, ==, sequential);
      g_free (runs[i].checksum);
    }
}

/* --------------------------------------------------- cancel, streaming -- */

typedef struct {
  GCancellable *cancellable;
  gint          buckets;
  gint64        last_bucket_at;
  gint64        max_gap;      /* longest wall time between two buckets */
  gint          cancel_in_bucket; /* > 0: the callback cancels at this bucket */
  gint          after_cancel;     /* buckets finished after the cancel */
  gint64        cancelled_at;
  gint64        returned_at;
  GError       *error;
  AbDesResult  *result;
} CancelRun;

static void
count_bucket (const AbDesBucket *bucket, gpointer user_data)
{
  CancelRun *cr = user_data;
  gint64 now = g_get_monotonic_time ();

  if (cr->last_bucket_at > 0)
    cr->max_gap = MAX (cr->max_gap, now - cr->last_bucket_at);
  cr->last_bucket_at = now;
  if (cr->cancelled_at > 0 && g_cancellable_is_cancelled (cr->cancellable))
    cr->after_cancel++;
  if (g_atomic_int_add (&cr->buckets, 1) + 1 == cr->cancel_in_bucket)
    {
      cr->cancelled_at = g_get_monotonic_time ();
      g_cancellable_cancel (cr->cancellable);
    }
}

static gpointer
cancel_thread (gpointer data)
{
  CancelRun *cr = data;
  g_autoptr(AbNetwork) net = web_network (TRUE, 4000.0, 1000.0);
  g_autoptr(AbScenario) sc = ab_scenario_new_normal (2000.0);
  AbDesConfig cfg;

  ab_des_config_init (&cfg);
  cfg.sample_budget = G_GUINT64_CONSTANT (1) << 40;
  cfg.replications = 1;
  cfg.cancellable = cr->cancellable;
  cfg.on_bucket = count_bucket;
  cfg.user_data = cr;
  cr->result = ab_des_run (net, sc, &cfg, &cr->error);
  cr->returned_at = g_get_monotonic_time ();
  return NULL;
}

static void
test_cancel (void)
{
  CancelRun cr = { 0 };
  GThread *thread;
  double ms;

  cr.cancellable = g_cancellable_new ();
  thread = g_thread_new ("des-cancel", cancel_thread, &cr);
  while (g_atomic_int_get (&cr.buckets) < 4)
    g_usleep (1000);
  cr.cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (cr.cancellable);
  g_thread_join (thread);
  ms = (cr.returned_at - cr.cancelled_at) / 1000.0;
  g_test_message ("returned %.2f ms after the cancel (a simulated second of this "
                  "load takes up to %.2f ms here)", ms, cr.max_gap / 1000.0);
  g_assert_null (cr.result);
  g_assert_error (cr.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* the time allows for slow runs (valgrind serialises threads) */
  g_assert_cmpfloat (ms, <, 500.0 + 10.0 * cr.max_gap / 1000.0);
  g_clear_error (&cr.error);
  g_object_unref (cr.cancellable);

  /* cancelled from the simulating thread: the run checks every few
   * thousand events, so it stops well before the next bucket (25 k
   * events) */
  memset (&cr, 0, sizeof cr);
  cr.cancellable = g_cancellable_new ();
  cr.cancel_in_bucket = 5;
  cancel_thread (&cr);
  ms = (cr.returned_at - cr.cancelled_at) / 1000.0;
  g_test_message ("cancelled in the bucket callback: returned after %.3f ms, %d buckets later",
                  ms, cr.after_cancel);
  g_assert_null (cr.result);
  g_assert_error (cr.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (cr.buckets, ==, 5);
  g_assert_cmpint (cr.after_cancel, ==, 0);
  g_assert_cmpfloat (ms, <, 500.0 + cr.max_gap / 1000.0);
  g_clear_error (&cr.error);

  /* already cancelled: returns at once */
  {
    g_autoptr(AbNetwork) net = web_network (TRUE, 400.0, 100.0);
    g_autoptr(AbScenario) sc = ab_scenario_new_normal (10.0);
    g_autoptr(GError) error = NULL;
    AbDesConfig cfg;

    ab_des_config_init (&cfg);
    cfg.cancellable = cr.cancellable;
    g_assert_null (ab_des_run (net, sc, &cfg, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }
  g_object_unref (cr.cancellable);
}

typedef struct {
  GArray *buckets;
} Stream;

static void
collect_bucket (const AbDesBucket *bucket, gpointer user_data)
{
  Stream *s = user_data;
  AbDesBucket copy = *bucket;

  copy.stations = g_memdup2 (bucket->stations, sizeof (AbDesStationStats) * bucket->n_stations);
  g_array_append_val (s->buckets, copy);
}

static void
test_streaming (void)
{
  g_autoptr(AbNetwork) net = web_network (TRUE, 400.0, 100.0);
  g_autoptr(AbScenario) sc = ab_scenario_new_peak (2.0);
  g_autoptr(AbDesResult) r = NULL;
  Stream s = { g_array_new (FALSE, FALSE, sizeof (AbDesBucket)) };
  AbDesConfig cfg;

  sc->bucket_s = 2.5;
  ab_des_config_init (&cfg);
  cfg.replications = 1;
  cfg.on_bucket = collect_bucket;
  cfg.user_data = &s;
  r = run (net, sc, &cfg);
  g_assert_cmpuint (r->n_buckets, ==, (guint) ceil (ab_scenario_duration (sc) / 2.5));
  g_assert_cmpuint (s.buckets->len, ==, r->n_buckets);
  for (guint b = 0; b < s.buckets->len; b++)
    {
      AbDesBucket *got = &g_array_index (s.buckets, AbDesBucket, b);
      const AbDesBucket *want = &r->buckets[b];

      g_assert_cmpuint (got->index, ==, b);
      g_assert_cmpfloat (got->t_s, ==, b * 2.5);
      g_assert_cmpfloat (got->served_rps, ==, want->served_rps);
      g_assert_cmpfloat (got->latency[AB_DES_ALL].p99_ms, ==, want->latency[AB_DES_ALL].p99_ms);
      g_assert_cmpfloat (got->stations[APP].utilization, ==, want->stations[APP].utilization);
      g_assert_cmpint (got->phase, ==, ab_scenario_phase_at (sc, got->t_s));
      g_free (got->stations);
    }
  /* the ramp shows in the multiplier and the offered load */
  g_assert_cmpfloat_with_epsilon (r->buckets[0].multiplier, 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (r->buckets[20].multiplier, 2.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (r->buckets[20].offered_rps, 1000.0, 80.0);
  g_array_unref (s.buckets);
}

/* ---------------------------------------------------------- budget, bad -- */

static void
test_budget_truncates (void)
{
  /* 10 M req/s on one instance: even a hundredth of a second per phase
   * (300 k visits) is more than the budget */
  g_autoptr(AbNetwork) net = des_test_chain (1, 16384, 1.0, 1e7, AB_DIST_EXPONENTIAL);
  g_autoptr(AbScenario) sc = three_phases (20.0, 20.0, 20.0);
  g_autoptr(AbDesResult) r = NULL;
  AbDesConfig cfg;

  ab_des_config_init (&cfg);
  sc->warmup_s = 0.0;
  cfg.sample_budget = 50000;
  r = run (net, sc, &cfg);
  g_assert_true (r->truncated);
  g_assert_true (r->windowed);
  g_assert_cmpuint (r->replications, ==, 1);
  g_assert_cmpfloat (r->simulated_s, <, 0.1);
  g_assert_cmpfloat (r->simulated_s, >, 0.0);
  g_assert_cmpuint (r->n_buckets, <=, 1);
  g_assert_cmpuint (r->visits, <, 50000 + 8192);
  g_assert_cmpfloat (r->phases[0].simulated_s, >, 0.0);
  g_assert_cmpfloat (r->phases[1].simulated_s, ==, 0.0);
  g_assert_cmpuint (r->phases[1].windows, ==, 0);
  g_assert_cmpuint (r->phases[2].requests, ==, 0);
  /* from an empty start: the first millisecond serves nothing */
  g_assert_cmpfloat (r->phases[0].served_rps, >, 0.5e7);
  g_assert_cmpfloat (r->phases[0].offered_rps, >, 0.9e7);
}

/* ------------------------------------------------------------- windows -- */

/* Station visits of a run and the bucket series must cover the timeline;
 * every reported phase simulated in at least one window. */
static void
assert_covers_timeline (const AbDesResult *r, const AbScenario *sc)
{
  guint estimated = 0;

  g_assert_false (r->truncated);
  g_assert_cmpfloat_with_epsilon (r->simulated_s, ab_scenario_duration (sc), 1e-6);
  g_assert_cmpuint (r->n_buckets, ==, (guint) ceil (ab_scenario_duration (sc) / sc->bucket_s - 1e-9));
  for (guint i = 0; i < r->n_phases; i++)
    {
      g_assert_cmpfloat (r->phases[i].simulated_s, >, 0.0);
      g_assert_cmpfloat (r->phases[i].simulated_s, <=, r->phases[i].duration_s + 1e-9);
      g_assert_cmpuint (r->phases[i].windows, >=, 1);
      g_assert_cmpuint (r->phases[i].requests, >, 0);
    }
  for (guint b = 0; b < r->n_buckets; b++)
    {
      const AbDesBucket *bk = &r->buckets[b];

      g_assert_cmpuint (bk->index, ==, b);
      g_assert_cmpfloat (bk->coverage, >=, 0.0);
      g_assert_cmpfloat (bk->coverage, <=, 1.0 + 1e-9);
      g_assert_true (bk->estimated == (bk->coverage == 0.0));
      /* (a bucket a sliver of which was simulated may have seen none) */
      g_assert_true (bk->offered_rps > 0.0 || bk->coverage < 0.1);
      g_assert_true (isfinite (bk->served_rps) && bk->served_rps >= 0.0);
      g_assert_true (isfinite (bk->latency[AB_DES_ALL].p50_ms));
      estimated += bk->estimated;
    }
  g_test_message ("%u of %u buckets estimated; %" G_GUINT64_FORMAT " visits of a budget of %"
                  G_GUINT64_FORMAT "; %.2f s of %.0f s simulated", estimated, r->n_buckets,
                  r->visits, r->budget, r->sampled_s, ab_scenario_duration (sc));
  for (guint i = 0; i < r->n_phases; i++)
    g_test_message ("  %-10s %6.3f s in %u windows: offered %8.1f/s, served %6.1f/s, errors %.3f, "
                    "P50 %.0f ms", r->phases[i].name, r->phases[i].simulated_s, r->phases[i].windows,
                    r->phases[i].offered_rps, r->phases[i].served_rps, r->phases[i].error_rate,
                    r->phases[i].latency[AB_DES_ALL].p50_ms.value);
}

/* The learner's design: one app server (8 slots, 80 ms: 100/s) with a
 * queue limit, a database behind it, at 1,100 req/s (11 x capacity),
 * peak x10, the database lost and recovered. */
static AbNetwork *
overloaded_network (void)
{
  AbNetwork *net = des_test_chain (2, 8, 80.0, 1000.0, AB_DIST_EXPONENTIAL);

  net->rate[AB_CLASS_WRITE] = 100.0;
  net->stations[0].queue_limit = 400;
  net->stations[1].concurrency = 64;
  net->stations[1].service_ms[AB_CLASS_READ] = 1.0;
  net->stations[1].service_ms[AB_CLASS_WRITE] = 2.0;
  return net;
}

static void
test_windows_overloaded (void)
{
  g_autoptr(AbNetwork) net = overloaded_network ();
  g_autoptr(AbScenario) sc = ab_scenario_new_default_timeline (10.0, "s1");
  g_autoptr(AbDesResult) r = NULL;
  AbDesConfig cfg;

  ab_des_config_init (&cfg);
  cfg.sample_budget = 200000;
  r = run (net, sc, &cfg);
  g_assert_true (r->windowed);
  g_assert_cmpuint (r->budget, ==, 200000);
  assert_covers_timeline (r, sc);
  /* the budget is respected: station visits counted by the run */
  g_assert_cmpuint (r->visits, <=, cfg.sample_budget);
  g_assert_cmpuint (r->visits, >, cfg.sample_budget / 10);
  g_assert_cmpfloat (r->sampled_s, <, 0.8 * ab_scenario_duration (sc));
  for (guint i = 0; i < r->n_phases; i++)
    {
      const AbDesPhaseResult *p = &r->phases[i];
      double offered = 1100.0 * (0.5 * (g_array_index (sc->phases, AbPhase, i).mult_start +
                                        g_array_index (sc->phases, AbPhase, i).mult_end));

      g_assert_cmpfloat_with_epsilon (p->offered_rps, offered, 0.1 * offered);
      g_assert_cmpfloat_with_epsilon (p->stations[0].utilization, 1.0, 0.01);
      g_assert_cmpfloat_with_epsilon (p->stations[0].queue_length, 400.0, 40.0);
      if (g_strcmp0 (p->name, "failure") == 0)
        {
          /* the database is gone: every request fails */
          g_assert_cmpfloat (p->error_rate, ==, 1.0);
          continue;
        }
      /* served at capacity (give or take three standard deviations of
       * the count in the simulated time), the rest rejected, waits of a
       * full queue */
      g_assert_cmpfloat_with_epsilon (p->served_rps, 100.0, 3.0 * 10.0 / sqrt (p->simulated_s) + 2.0);
      g_assert_cmpfloat_with_epsilon (p->error_rate, 1.0 - 100.0 / offered, 0.03);
      g_assert_cmpfloat_with_epsilon (p->latency[AB_DES_ALL].p50_ms.value, 4000.0, 800.0);
    }
  /* the estimated buckets carry on the picture */
  for (guint b = 0; b < r->n_buckets; b++)
    if (r->buckets[b].estimated && r->buckets[b].phase != 4)
      {
        const AbDesBucket *bk = &r->buckets[b];

        g_assert_cmpfloat_with_epsilon (bk->stations[0].utilization, 1.0, 1e-6);
        g_assert_cmpfloat_with_epsilon (bk->stations[0].queue_length, 400.0, 1.0);
        g_assert_cmpfloat_with_epsilon (bk->stations[0].served_rps, 100.0, 1e-6);
        /* interpolated from simulated buckets, some a fraction simulated */
        g_assert_cmpfloat_with_epsilon (bk->served_rps, 100.0, 60.0);
        g_assert_cmpfloat_with_epsilon (bk->latency[AB_DES_ALL].p50_ms, 4000.0, 800.0);
        g_assert_cmpfloat_with_epsilon (bk->offered_rps, 1100.0 * bk->multiplier, 1e-6);
      }
}

static void
test_windows_unchanged (void)
{
  /* where the budget suffices, a small budget and a huge one give the
   * same run, bit for bit */
  g_autoptr(AbNetwork) net = web_network (TRUE, 400.0, 100.0);
  g_autoptr(AbScenario) sc = ab_scenario_new_default_timeline (3.0, "cache");
  g_autoptr(AbDesResult) small = NULL;
  g_autoptr(AbDesResult) big = NULL;
  g_autofree char *a = NULL, *b = NULL;
  AbDesConfig cfg;

  ab_des_config_init (&cfg);
  cfg.replications = 2;
  cfg.sample_budget = 850000;
  small = run (net, sc, &cfg);
  cfg.sample_budget = G_GUINT64_CONSTANT (1) << 40;
  big = run (net, sc, &cfg);
  g_assert_false (small->windowed);
  g_assert_false (big->windowed);
  a = result_checksum (small);
  b = result_checksum (big);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpuint (small->visits, <=, 850000);
  for (guint i = 0; i < small->n_phases; i++)
    {
      g_assert_cmpfloat (small->phases[i].simulated_s, ==, small->phases[i].duration_s);
      g_assert_cmpuint (small->phases[i].windows, ==, 1);
    }
  for (guint k = 0; k < small->n_buckets; k++)
    {
      g_assert_false (small->buckets[k].estimated);
      g_assert_cmpfloat_with_epsilon (small->buckets[k].coverage, 1.0, 1e-9);
    }
}

static void
test_windows_backlog_drains (void)
{
  /* the overload scenario (capacity 100/s, 150/s for 10 s) on a budget
   * that cannot cover it: the backlog left by the overload is carried
   * over the skipped time and drains in the recovery */
  g_autoptr(AbNetwork) net = des_test_chain (1, 1, 10.0, 50.0, AB_DIST_EXPONENTIAL);
  g_autoptr(AbScenario) sc = overload_scenario ();
  g_autoptr(AbDesResult) r = NULL;
  AbDesConfig cfg;
  int first_recovery = -1;

  ab_des_config_init (&cfg);
  cfg.sample_budget = 1500;
  r = run (net, sc, &cfg);
  g_assert_true (r->windowed);
  assert_covers_timeline (r, sc);
  g_assert_cmpuint (r->visits, <=, cfg.sample_budget);
  for (guint b = 0; b < r->n_buckets; b++)
    g_test_message ("%3u %s queue %6.1f served %6.1f offered %6.1f p50 %7.1f ms", b,
                    r->buckets[b].estimated ? "est" : "sim", r->buckets[b].stations[0].queue_length,
                    r->buckets[b].served_rps, r->buckets[b].offered_rps,
                    r->buckets[b].latency[AB_DES_ALL].p50_ms);
  /* ~500 waiting at the end of the overload (150 - 100 for 10 s) */
  g_assert_cmpfloat (r->buckets[29].stations[0].queue_length, >, 350.0);
  g_assert_cmpfloat (r->buckets[29].stations[0].queue_length, <, 650.0);
  g_assert_cmpfloat (r->buckets[29].stations[0].utilization, >, 0.99);
  /* the recovery starts with it (simulated: its first window) ... */
  for (guint b = 30; b < r->n_buckets && first_recovery < 0; b++)
    if (!r->buckets[b].estimated)
      first_recovery = (int) b;
  g_assert_cmpint (first_recovery, ==, 30);
  g_assert_cmpfloat (r->buckets[30].stations[0].queue_length, >, 300.0);
  g_assert_cmpfloat (r->buckets[30].latency[AB_DES_ALL].p50_ms, >, 2000.0);
  g_assert_cmpfloat (r->phases[2].served_rps, >, r->phases[2].offered_rps);
  g_assert_cmpfloat (r->phases[2].latency[AB_DES_ALL].p99_ms.value, >, 3000.0);
  /* ... and drains at 50/s: gone after ~10 s */
  for (guint b = 45; b < r->n_buckets; b++)
    g_assert_cmpfloat (r->buckets[b].stations[0].queue_length, <, 10.0);
  g_assert_cmpfloat (r->buckets[69].latency[AB_DES_ALL].p50_ms, <, 100.0);
  g_assert_cmpfloat (r->phases[1].error_rate, ==, 0.0);
}

static void
test_windows_autoscaling (void)
{
  /* the autoscaling test's timeline on a tenth of the visits it needs:
   * the scaler acts in the skipped stretches too (on the fluid
   * utilisation) */
  g_autoptr(AbNetwork) net = des_test_chain (1, 8, 10.0, 800.0, AB_DIST_EXPONENTIAL);
  g_autoptr(AbScenario) sc = ab_scenario_new ();
  g_autoptr(AbDesResult) r = NULL;
  AbStation *st = &net->stations[0];
  AbDesConfig cfg;

  st->instances = 2;
  st->autoscale_min = 2;
  st->autoscale_max = 20;
  st->autoscale_target = 0.6;
  st->autoscale_delay_s = 5.0;
  sc->warmup_s = 5.0;
  ab_scenario_add_phase (sc, "normal", 20.0, 1.0, 1.0, TRUE);
  ab_scenario_add_phase (sc, "ramp-up", 10.0, 1.0, 5.0, TRUE);
  ab_scenario_add_phase (sc, "peak", 60.0, 5.0, 5.0, TRUE);
  ab_scenario_add_phase (sc, "ramp-down", 10.0, 5.0, 1.0, TRUE);
  ab_scenario_add_phase (sc, "after", 60.0, 1.0, 1.0, TRUE);
  ab_des_config_init (&cfg);
  cfg.sample_budget = 40000;
  r = run (net, sc, &cfg);
  g_assert_true (r->windowed);
  assert_covers_timeline (r, sc);
  g_test_message ("instances: start %.1f, end of peak %.1f (%s), end %.1f (%s)",
                  r->buckets[0].stations[0].instances, r->buckets[89].stations[0].instances,
                  r->buckets[89].estimated ? "estimated" : "simulated",
                  r->buckets[159].stations[0].instances,
                  r->buckets[159].estimated ? "estimated" : "simulated");
  g_assert_cmpfloat_with_epsilon (r->buckets[0].stations[0].instances, 2.0, 1e-6);
  g_assert_cmpfloat (r->buckets[89].stations[0].instances, >=, 7.0);
  g_assert_cmpfloat (r->buckets[89].stations[0].instances, <=, 12.0);
  g_assert_cmpfloat (r->buckets[159].stations[0].instances, <, 4.0);
  /* once scaled, the peak is carried at a moderate utilisation (the
   * phase's own figures mix in its start, when the backlog builds) */
  for (guint b = 70; b < 90; b++)
    {
      g_assert_cmpfloat_with_epsilon (r->buckets[b].stations[0].served_rps, 4000.0, 400.0);
      g_assert_cmpfloat (r->buckets[b].stations[0].utilization, <, 0.8);
      g_assert_cmpfloat (r->buckets[b].stations[0].queue_length, <, 50.0);
    }
  g_assert_cmpfloat (r->phases[2].stations[0].instances, >=, 4.0);
  g_assert_cmpfloat (r->phases[2].stations[0].served_rps, >, 2400.0);
}

/* The buckets a run streamed (collected in @s, emptied here) are its
 * result's, in order. */
static void
assert_streamed (Stream *s, const AbDesResult *r)
{
  g_assert_cmpuint (s->buckets->len, ==, r->n_buckets);
  for (guint b = 0; b < s->buckets->len; b++)
    {
      AbDesBucket *got = &g_array_index (s->buckets, AbDesBucket, b);
      const AbDesBucket *want = &r->buckets[b];

      g_assert_cmpuint (got->index, ==, b);
      g_assert_true (got->estimated == want->estimated);
      g_assert_cmpfloat (got->served_rps, ==, want->served_rps);
      g_assert_cmpfloat (got->latency[AB_DES_ALL].p95_ms, ==, want->latency[AB_DES_ALL].p95_ms);
      g_assert_cmpfloat (got->stations[0].queue_length, ==, want->stations[0].queue_length);
      g_free (got->stations);
    }
  g_array_set_size (s->buckets, 0);
}

static void
test_windows_deterministic (void)
{
  g_autoptr(AbNetwork) net = overloaded_network ();
  g_autoptr(AbScenario) sc = ab_scenario_new_default_timeline (10.0, "s1");
  char *sums[3] = { NULL };
  Stream s = { g_array_new (FALSE, FALSE, sizeof (AbDesBucket)) };
  g_autoptr(AbDesResult) streamed = NULL;
  AbDesConfig cfg;

  ab_des_config_init (&cfg);
  cfg.sample_budget = 100000;
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(AbDesResult) r = NULL;

      sc->seed = i < 2 ? 7 : 8;
      r = run (net, sc, &cfg);
      g_assert_true (r->windowed);
      sums[i] = result_checksum (r);
    }
  g_assert_cmpstr (sums[0], ==, sums[1]);
  g_assert_cmpstr (sums[0], !=, sums[2]);
  for (int i = 0; i < 3; i++)
    g_free (sums[i]);

  /* streaming: estimated buckets come once the next simulated one is in,
   * in order, the same as the result's */
  sc->seed = 7;
  cfg.on_bucket = collect_bucket;
  cfg.user_data = &s;
  streamed = run (net, sc, &cfg);
  g_assert_false (streamed->truncated);
  assert_streamed (&s, streamed);

  /* a run the budget stops part-way streams every bucket its result
   * holds, the estimated ones after its last simulated bucket too */
  {
    /* 300 k req/s on one instance: the windows' budget runs out in the
     * ramp-up, 35 s in */
    g_autoptr(AbNetwork) big = des_test_chain (2, 16384, 1.0, 3e5, AB_DIST_EXPONENTIAL);
    g_autoptr(AbDesResult) cut = NULL;

    cfg.sample_budget = 100000;
    cut = run (big, sc, &cfg);
    g_test_message ("truncated at %.1f s of %.1f: %u buckets", cut->simulated_s,
                    ab_scenario_duration (sc), cut->n_buckets);
    g_assert_true (cut->truncated);
    g_assert_cmpuint (cut->n_buckets, >, 10);
    g_assert_cmpuint (cut->n_buckets, <, (guint) ceil (ab_scenario_duration (sc) / sc->bucket_s) - 10);
    assert_streamed (&s, cut);
  }
  g_array_unref (s.buckets);
}

static void
test_invalid (void)
{
  g_autoptr(AbScenario) sc = ab_scenario_new_normal (10.0);

  {
    g_autoptr(AbNetwork) net = des_test_chain (2, 1, 1.0, 10.0, AB_DIST_EXPONENTIAL);
    g_autoptr(GError) error = NULL;

    net->calls[0].calls[0].callee = 7;
    g_assert_null (ab_des_run (net, sc, NULL, &error));
    g_assert_error (error, AB_ERROR, AB_ERROR_INVALID);
  }
  {
    g_autoptr(AbNetwork) net = des_test_chain (2, 1, 1.0, 10.0, AB_DIST_EXPONENTIAL);
    g_autoptr(GError) error = NULL;

    net->stations[1].hit_ratio = 1.5;
    g_assert_null (ab_des_run (net, sc, NULL, &error));
    g_assert_error (error, AB_ERROR, AB_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "\"s1\""));
  }
  {
    /* s0 -> s1 -> s0 with probability 1: no request ever finishes */
    g_autoptr(AbNetwork) net = des_test_chain (2, 1, 1.0, 10.0, AB_DIST_EXPONENTIAL);
    g_autoptr(GError) error = NULL;

    ab_network_add_call (net, 1, AB_CLASS_READ, 0);
    g_assert_null (ab_des_run (net, sc, NULL, &error));
    g_assert_error (error, AB_ERROR, AB_ERROR_CYCLE);
  }
  {
    g_autoptr(AbNetwork) net = des_test_chain (2, 1, 1.0, 10.0, AB_DIST_EXPONENTIAL);
    g_autoptr(AbScenario) bad = ab_scenario_new_failure ("nope", TRUE);
    g_autoptr(GError) error = NULL;

    g_assert_null (ab_des_run (net, bad, NULL, &error));
    g_assert_error (error, AB_ERROR, AB_ERROR_NOT_FOUND);
  }
  {
    g_autoptr(AbNetwork) net = des_test_chain (2, 1, 1.0, 10.0, AB_DIST_EXPONENTIAL);
    g_autoptr(GError) error = NULL;

    net->calls[0].calls[0].on_miss_of = 0; /* refers to itself */
    g_assert_null (ab_des_run (net, sc, NULL, &error));
    g_assert_error (error, AB_ERROR, AB_ERROR_INVALID);
  }
  {
    /* a cycle that is left with some probability is fine */
    g_autoptr(AbNetwork) net = des_test_chain (2, 4, 1.0, 10.0, AB_DIST_EXPONENTIAL);
    g_autoptr(AbDesResult) r = NULL;
    AbCall *call = ab_network_add_call (net, 1, AB_CLASS_READ, 0);

    call->probability = 0.5;
    r = run (net, sc, NULL);
    g_assert_cmpfloat_with_epsilon (r->phases[0].stations[0].served_rps, 20.0, 3.0);
  }
}

static void
test_default_run (void)
{
  g_autoptr(AbNetwork) net = web_network (TRUE, 400.0, 100.0);
  g_autoptr(AbScenario) sc = ab_scenario_new_default_timeline (3.0, "primary");
  g_autoptr(AbDesResult) r = NULL;
  gint64 t0 = g_get_monotonic_time ();

  r = run (net, sc, NULL);
  g_test_message ("default timeline: %.1f ms, %u replications, %" G_GUINT64_FORMAT
                  " visits, %" G_GUINT64_FORMAT " events",
                  (g_get_monotonic_time () - t0) / 1000.0, r->replications, r->visits, r->events);
  g_assert_cmpuint (r->n_phases, ==, 6);
  g_assert_cmpuint (r->visits, <=, 2 * AB_DES_DEFAULT_BUDGET);
  g_assert_cmpfloat_with_epsilon (r->phases[2].offered_rps, 1500.0, 40.0);
  g_assert_cmpfloat (r->phases[4].class_errors[AB_CLASS_WRITE], >, 0);
  for (int k = 0; k < AB_DES_N_SERIES; k++)
    g_assert_cmpuint (ab_histogram_count (r->histograms[k]), >, 0);
  g_assert_cmpfloat (r->phases[0].latency[AB_DES_ALL].p95_ms.ci, >, 0.0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/des/failure/primary-lost", test_primary_lost);
  g_test_add_func ("/des/failure/primary-failover", test_primary_failover);
  g_test_add_func ("/des/failure/cache-stampede", test_cache_stampede);
  g_test_add_func ("/des/failure/instance-lost", test_instance_lost);
  g_test_add_func ("/des/overload/backlog-drains", test_overload_backlog_drains);
  g_test_add_func ("/des/overload/timeouts", test_overload_timeouts);
  g_test_add_func ("/des/overload/queue-limit", test_overload_queue_limit);
  g_test_add_func ("/des/autoscaling", test_autoscaling);
  g_test_add_func ("/des/representatives", test_representatives);
  g_test_add_func ("/des/routing/groups-async", test_groups_and_async);
  g_test_add_func ("/des/routing/own-load", test_own_load);
  g_test_add_func ("/des/routing/read-through-cache", test_read_through_cache);
  g_test_add_func ("/des/routing/pass-through-delay", test_pass_through_and_delay);
  g_test_add_func ("/des/determinism", test_determinism);
  g_test_add_func ("/des/threads", test_threads);
  g_test_add_func ("/des/cancel", test_cancel);
  g_test_add_func ("/des/streaming", test_streaming);
  g_test_add_func ("/des/budget-truncates", test_budget_truncates);
  g_test_add_func ("/des/windows/overloaded", test_windows_overloaded);
  g_test_add_func ("/des/windows/unchanged", test_windows_unchanged);
  g_test_add_func ("/des/windows/backlog-drains", test_windows_backlog_drains);
  g_test_add_func ("/des/windows/autoscaling", test_windows_autoscaling);
  g_test_add_func ("/des/windows/deterministic", test_windows_deterministic);
  g_test_add_func ("/des/invalid", test_invalid);
  g_test_add_func ("/des/default-run", test_default_run);
  return g_test_run ();
}
