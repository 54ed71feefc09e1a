/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Mechanics of the model and the DES checked against each other and
 * against closed forms: blocking calls (the layered fixed point against a
 * DES of the same network, a small pool in front of a slow database),
 * replication and sharding (every replica copy applies every write of its
 * shard, a lost replica's reads move to the others, shards are each
 * needed), finite queues (M/M/c/K) and patience (M/M/c+D), background
 * lag summed along an async chain and an overloaded consumer, confidence
 * intervals and a run that extends itself when they are too wide. */
#include "config.h"

#include <string.h>

#include "ab-types.h"
#include "des-test-util.h"

static AbDesResult *
run (const AbNetwork *net, const AbScenario *sc, const AbDesConfig *cfg)
{
  g_autoptr(GError) error = NULL;
  AbDesResult *result = ab_des_run (net, sc, cfg, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

/* client -> app (1 instance, @app_c slots, @app_ms) -> db (1 instance,
 * @db_c slots, @db_ms), 0.5 ms network per hop; reads at @rate. */
static AbNetwork *
app_db (int app_c, double app_ms, int db_c, double db_ms, double rate, gboolean blocking)
{
  AbNetwork *net = ab_network_new (3);
  const char *ids[] = { "client", "app", "db" };
  AbCall *call;

  for (int i = 0; i < 3; i++)
    {
      net->stations[i].id = g_strdup (ids[i]);
      net->stations[i].instances = 1;
      net->stations[i].failover_to = -1;
    }
  net->stations[0].kind = AB_KIND_CLIENT;
  net->stations[1].kind = AB_KIND_APP;
  net->stations[1].concurrency = app_c;
  net->stations[1].service_ms[AB_CLASS_READ] = app_ms;
  net->stations[1].blocking_calls = blocking;
  net->stations[2].kind = AB_KIND_DB_PRIMARY;
  net->stations[2].concurrency = db_c;
  net->stations[2].service_ms[AB_CLASS_READ] = db_ms;
  call = ab_network_add_call (net, 0, AB_CLASS_READ, 1);
  call->net_ms = 0.5;
  call = ab_network_add_call (net, 1, AB_CLASS_READ, 2);
  call->net_ms = 0.5;
  ab_network_add_entry (net, AB_CLASS_READ, 0, 1.0);
  ab_network_add_entry (net, AB_CLASS_WRITE, 0, 1.0);
  net->rate[AB_CLASS_READ] = rate;
  return net;
}

static void
test_blocking_fixed_point (void)
{
  /* db M/M/2 at 5 ms and 60 %: 240/s; the app's 4 slots are held for
   * 2 ms + 0.5 ms + the db's response (about 8.4 ms) */
  const double rate = 240.0;
  g_autoptr(AbNetwork) net = app_db (8, 2.0, 2, 5.0, rate, TRUE);
  g_autoptr(AbNetwork) free_net = app_db (8, 2.0, 2, 5.0, rate, FALSE);
  g_autoptr(AbScenario) sc = des_test_scenario (200.0, 10.0, 10.0, 31);
  g_autoptr(AbModelResult) model = ab_model_evaluate (net, NULL);
  g_autoptr(AbModelResult) model_free = ab_model_evaluate (free_net, NULL);
  g_autoptr(AbDesResult) des = NULL;
  AbDesConfig cfg;
  const AbDesPhaseResult *p;
  double db_response, slot, a;

  /* the fixed point: the app's slot time is its service plus the call;
   * the db sees at most the app's 8 requests, so it answers a little
   * faster than an M/M/2 of open arrivals (docs/simulation.md, "Blocking
   * calls") */
  db_response = model->stations[2].sojourn_ms[AB_CLASS_READ];
  g_assert_cmpfloat (db_response, <=, ab_mmc_mean_sojourn (2, rate / 1000.0, 1.0 / 5.0));
  g_assert_cmpfloat (db_response, >, 0.95 * ab_mmc_mean_sojourn (2, rate / 1000.0, 1.0 / 5.0));
  slot = 2.0 + 0.5 + db_response;
  g_assert_cmpfloat_with_epsilon (model->stations[1].slot_ms[AB_CLASS_READ], slot, 1e-9);
  g_assert_cmpfloat_with_epsilon (model_free->stations[1].slot_ms[AB_CLASS_READ], 2.0, 1e-12);
  a = rate * slot / 1000.0;
  g_assert_cmpfloat_with_epsilon (model->stations[1].offered_utilization, a / 8.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (model_free->stations[1].offered_utilization, rate * 2.0 / 8000.0, 1e-12);
  /* the pool waits: more latency than without blocking */
  g_assert_cmpfloat (model->latency[AB_CLASS_READ].mean_ms, >, model_free->latency[AB_CLASS_READ].mean_ms);

  ab_des_config_init (&cfg);
  cfg.sample_budget = 2000000;
  des = run (net, sc, &cfg);
  p = &des->phases[0];
  g_test_message ("app utilisation: model %.4f, DES %.4f; mean: model %.3f ms, DES %.3f ms; "
                  "P95: model %.3f ms, DES %.3f ms",
                  model->stations[1].utilization, p->stations[1].utilization,
                  model->latency[AB_CLASS_READ].mean_ms, p->latency[AB_DES_READ].mean_ms.value,
                  model->latency[AB_CLASS_READ].p95_ms, p->latency[AB_DES_READ].p95_ms.value);
  /* the DES holds the slot: the same utilisation */
  g_assert_cmpfloat_with_epsilon (p->stations[1].utilization, model->stations[1].utilization, 0.02);
  g_assert_cmpfloat_with_epsilon (p->stations[2].utilization, 0.6, 0.02);
  g_assert_cmpfloat_with_epsilon (p->latency[AB_DES_READ].mean_ms.value,
                                  model->latency[AB_CLASS_READ].mean_ms,
                                  0.05 * model->latency[AB_CLASS_READ].mean_ms);
  g_assert_cmpfloat_with_epsilon (p->latency[AB_DES_READ].p95_ms.value,
                                  model->latency[AB_CLASS_READ].p95_ms,
                                  0.05 * model->latency[AB_CLASS_READ].p95_ms);
}

static void
test_pool_runs_dry (void)
{
  /* 4 threads of 1 ms in front of a database answering in 50 ms: 100/s
   * need 100 x 51.5 ms = 5.15 threads */
  const double rate = 100.0, slot = 1.0 + 0.5 + 50.0, capacity = 4000.0 / slot;
  g_autoptr(AbNetwork) net = app_db (4, 1.0, 64, 50.0, rate, TRUE);
  g_autoptr(AbNetwork) free_net = app_db (4, 1.0, 64, 50.0, rate, FALSE);
  g_autoptr(AbScenario) sc = des_test_scenario (300.0, 20.0, 10.0, 32);
  g_autoptr(AbModelResult) model = NULL;
  g_autoptr(AbModelResult) model_free = ab_model_evaluate (free_net, NULL);
  g_autoptr(AbDesResult) des = NULL;
  g_autoptr(AbDesResult) des_free = NULL;
  AbDesConfig cfg;

  net->stations[1].timeout_ms = 1000.0;
  free_net->stations[1].timeout_ms = 1000.0;
  model = ab_model_evaluate (net, NULL);
  /* without blocking the app idles at 2.5 % */
  g_assert_false (model_free->stations[1].overloaded);
  g_assert_cmpfloat_with_epsilon (model_free->stations[1].utilization, 0.025, 1e-9);
  g_assert_cmpfloat (model_free->error_rate, <, 1e-6);
  /* with it, the pool runs dry: it serves 4 / 51.5 ms and fails the rest */
  g_assert_true (model->stations[1].overloaded);
  g_assert_cmpint (model->bottleneck, ==, 1);
  g_assert_cmpfloat_with_epsilon (model->stations[1].served_rps, capacity, 1e-6 * capacity);
  g_assert_cmpfloat_with_epsilon (model->error_rate, 1.0 - capacity / rate, 1e-6);
  g_assert_cmpfloat_with_epsilon (model->max_sustainable_rps, capacity, 1e-6 * capacity);

  ab_des_config_init (&cfg);
  cfg.sample_budget = 1000000;
  des = run (net, sc, &cfg);
  des_free = run (free_net, sc, &cfg);
  g_test_message ("DES: app utilisation %.3f, served %.2f/s (capacity %.2f/s), errors %.3f "
                  "(1 - capacity / offered = %.3f); without blocking %.4f, errors %.4f",
                  des->phases[0].stations[1].utilization, des->phases[0].served_rps, capacity,
                  des->phases[0].error_rate, 1.0 - capacity / rate,
                  des_free->phases[0].stations[1].utilization, des_free->phases[0].error_rate);
  g_assert_cmpfloat (des->phases[0].stations[1].utilization, >, 0.97);
  g_assert_cmpfloat_with_epsilon (des->phases[0].served_rps, capacity, 0.05 * capacity);
  g_assert_cmpfloat_with_epsilon (des->phases[0].error_rate, 1.0 - capacity / rate,
                                  0.1 * (1.0 - capacity / rate));
  g_assert_cmpfloat_with_epsilon (des_free->phases[0].stations[1].utilization, 0.025, 0.003);
  g_assert_cmpfloat (des_free->phases[0].error_rate, ==, 0.0);
}

/* A pool in front of an overloaded database: held for the database's
 * long response the app overloads and thins what reaches the database,
 * which then answers fast, which frees the app...  Plain alternation of
 * rates and slot times swung between the two for ever (a search API of 300
 * instances in front of 20 saturated search nodes came out with the nodes
 * at 3.5 %).  The fixed point is consistent: the database gets what the
 * app serves, and the app's slot time is its service plus the call. */
static void
test_blocking_overloaded_callee (void)
{
  const double rate = 600.0;
  g_autoptr(AbNetwork) net = app_db (40, 5.0, 2, 10.0, rate, TRUE);
  g_autoptr(AbModelResult) model = NULL;
  const AbStationResult *app, *db;

  net->stations[1].timeout_ms = 1000.0;
  net->stations[2].timeout_ms = 1000.0;
  model = ab_model_evaluate (net, NULL);
  app = &model->stations[1];
  db = &model->stations[2];
  g_test_message ("app: offered %.2f/s, served %.2f/s, slot %.3f ms; db: offered %.2f/s, served %.2f/s, "
                  "sojourn %.3f ms; errors %.4f", app->offered_rps, app->served_rps, app->slot_ms[AB_CLASS_READ],
                  db->offered_rps, db->served_rps, db->sojourn_ms[AB_CLASS_READ], model->error_rate);
  g_assert_cmpfloat_with_epsilon (db->offered_rps, app->served_rps, 1e-6 * app->served_rps);
  g_assert_cmpfloat_with_epsilon (app->slot_ms[AB_CLASS_READ], 5.0 + 0.5 + db->sojourn_ms[AB_CLASS_READ],
                                  1e-6 * app->slot_ms[AB_CLASS_READ]);
  /* the database cannot do more than 2 / 10 ms */
  g_assert_cmpfloat (db->served_rps, <=, 200.0 * (1.0 + 1e-9));
  g_assert_cmpfloat (model->error_rate, >, 0.5);
}

enum { R_CLIENT, R_APP, R_PRIMARY, R_REP1, R_REP2, R_N };

/* app reads from two replica components (2 instances each, an even
 * split), writes to a primary of @shards instances replicating
 * asynchronously to both */
static AbNetwork *
replicated (int shards)
{
  AbNetwork *net = ab_network_new (R_N);
  const char *ids[] = { "client", "app", "primary", "rep1", "rep2" };
  AbCall *call;

  for (int i = 0; i < R_N; i++)
    {
      AbStation *st = &net->stations[i];

      st->id = g_strdup (ids[i]);
      st->instances = 1;
      st->concurrency = 8;
      st->failover_to = -1;
      st->availability = 0.99;
    }
  net->stations[R_CLIENT].kind = AB_KIND_CLIENT;
  net->stations[R_CLIENT].concurrency = 0;
  net->stations[R_APP].kind = AB_KIND_APP;
  net->stations[R_APP].concurrency = 64;
  net->stations[R_APP].service_ms[AB_CLASS_READ] = 1.0;
  net->stations[R_APP].service_ms[AB_CLASS_WRITE] = 1.0;
  net->stations[R_PRIMARY].kind = AB_KIND_DB_PRIMARY;
  net->stations[R_PRIMARY].instances = shards;
  net->stations[R_PRIMARY].balance = AB_BALANCE_RANDOM;
  net->stations[R_PRIMARY].service_ms[AB_CLASS_WRITE] = 2.0;
  for (int r = R_REP1; r <= R_REP2; r++)
    {
      net->stations[r].kind = AB_KIND_DB_REPLICA;
      net->stations[r].instances = 2;
      net->stations[r].write_shards = shards;
      net->stations[r].service_ms[AB_CLASS_READ] = 2.0;
      net->stations[r].service_ms[AB_CLASS_WRITE] = 1.0;   /* apply */
      call = ab_network_add_call (net, R_APP, AB_CLASS_READ, r);
      call->group = 0;
      call->probability = 0.5;
      call = ab_network_add_call (net, R_PRIMARY, AB_CLASS_WRITE, r);
      call->async = TRUE;
    }
  ab_network_add_call (net, R_CLIENT, AB_CLASS_READ, R_APP);
  ab_network_add_call (net, R_CLIENT, AB_CLASS_WRITE, R_APP);
  ab_network_add_call (net, R_APP, AB_CLASS_WRITE, R_PRIMARY);
  ab_network_add_entry (net, AB_CLASS_READ, R_CLIENT, 1.0);
  ab_network_add_entry (net, AB_CLASS_WRITE, R_CLIENT, 1.0);
  net->rate[AB_CLASS_READ] = 2000.0;
  net->rate[AB_CLASS_WRITE] = 200.0;
  return net;
}

static void
test_replica_failover (void)
{
  g_autoptr(AbNetwork) net = replicated (1);
  g_autoptr(AbNetwork) sharded = replicated (2);
  g_autoptr(AbScenario) sc = ab_scenario_new_failure ("rep1", TRUE);
  g_autoptr(AbModelResult) normal = ab_model_evaluate (net, NULL);
  g_autoptr(AbModelResult) shard_res = ab_model_evaluate (sharded, NULL);
  g_autoptr(AbModelResult) lost = NULL;
  g_autoptr(AbDesResult) des = NULL;
  gboolean down[R_N] = { FALSE };
  AbModelInput input = { 1.0, NULL, down, FALSE, FALSE };
  AbDesConfig cfg;
  /* per replica instance: 500 reads/s x 2 ms + every write, 200/s x 1 ms */
  double util = (500.0 * 2.0 + 200.0 * 1.0) / 8000.0;
  /* the lost replica's reads go to the other: 1000/s per instance */
  double util_lost = (1000.0 * 2.0 + 200.0 * 1.0) / 8000.0;
  const AbDesPhaseResult *ph;

  g_assert_cmpfloat_with_epsilon (normal->stations[R_REP1].utilization, util, 1e-12);
  /* two primary shards: each replica instance copies one shard, applying
   * half the writes */
  g_assert_cmpfloat_with_epsilon (shard_res->stations[R_REP1].utilization,
                                  (500.0 * 2.0 + 100.0 * 1.0) / 8000.0, 1e-12);
  /* shards do not cover for each other: a request needs its own */
  g_assert_cmpfloat_with_epsilon (ab_availability_estimate (sharded, NULL),
                                  ab_availability_estimate (net, NULL), 1e-12);

  down[R_REP1] = TRUE;
  lost = ab_model_evaluate (net, &input);
  g_assert_cmpfloat (lost->error_rate, <, 1e-12);
  g_assert_cmpfloat_with_epsilon (lost->stations[R_REP2].class_rps[AB_CLASS_READ], 2000.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (lost->stations[R_REP2].utilization, util_lost, 1e-12);

  ab_des_config_init (&cfg);
  cfg.sample_budget = 3000000;
  des = run (net, sc, &cfg);
  for (guint i = 0; i < des->n_phases; i++)
    {
      ph = &des->phases[i];
      g_test_message ("%s: errors %.5f, rep1 %.4f, rep2 %.4f", ph->name, ph->error_rate,
                      ph->stations[R_REP1].utilization, ph->stations[R_REP2].utilization);
    }
  ph = &des->phases[0];
  g_assert_cmpfloat_with_epsilon (ph->stations[R_REP1].utilization, util, 0.01);
  g_assert_cmpfloat_with_epsilon (ph->stations[R_REP2].utilization, util, 0.01);
  g_assert_cmpfloat (ph->error_rate, ==, 0.0);
  /* losing rep1 moves its reads to rep2: only what rep1 held fails */
  ph = &des->phases[1];
  g_assert_cmpstr (ph->name, ==, "failure");
  g_assert_cmpfloat (ph->error_rate, <, 0.001);
  g_assert_cmpfloat_with_epsilon (ph->stations[R_REP2].utilization, util_lost, 0.015);
  g_assert_cmpfloat (ph->stations[R_REP1].utilization, ==, 0.0);
  ph = &des->phases[2];
  g_assert_cmpfloat_with_epsilon (ph->stations[R_REP1].utilization, util, 0.015);
}

static void
test_replica_storage (void)
{
  g_autoptr(AbNetwork) net = replicated (1);
  g_autoptr(AbNetwork) sharded = replicated (2);
  AbPricing *pricing = ab_pricing_get_named ("aws-us-east-1", NULL);
  AbCost *one, *two;

  g_assert_nonnull (pricing);
  one = ab_cost_compute (pricing, net, NULL, NULL, 1e12);
  two = ab_cost_compute (pricing, sharded, NULL, NULL, 1e12);
  /* each of the 2 replica instances holds the whole dataset of a single
   * primary; over 2 shards, each holds one shard's half */
  g_assert_cmpfloat (one->items[R_REP1].storage, >, 0.0);
  g_assert_cmpfloat_with_epsilon (one->items[R_REP1].storage, 2.0 * one->items[R_PRIMARY].storage, 1e-12);
  g_assert_cmpfloat_with_epsilon (two->items[R_REP1].storage, one->items[R_PRIMARY].storage, 1e-12);
  g_assert_cmpfloat_with_epsilon (two->items[R_PRIMARY].storage, one->items[R_PRIMARY].storage, 1e-12);
  ab_cost_free (one);
  ab_cost_free (two);
  ab_pricing_free (pricing);
}

/* M/M/c/K by brute force: the birth-death chain */
static void
mmck_brute (int c, int K, double lambda, double mu, double *p_block, double *mean_wait)
{
  double p[256], total = 0.0, lq = 0.0;

  g_assert_cmpint (K, <, 256);
  p[0] = 1.0;
  for (int j = 1; j <= K; j++)
    p[j] = p[j - 1] * lambda / (MIN (j, c) * mu);
  for (int j = 0; j <= K; j++)
    total += p[j];
  for (int j = 0; j <= K; j++)
    {
      p[j] /= total;
      if (j > c)
        lq += (j - c) * p[j];
    }
  *p_block = p[K];
  /* Little on the accepted arrivals */
  *mean_wait = lq / (lambda * (1.0 - p[K]));
}

static void
check_finite (int c, int queue_limit, double timeout_ms, double rho, guint64 seed)
{
  const double service_ms = 10.0, mu = 0.1;     /* per ms */
  double lambda = rho * c * mu;                 /* per ms */
  g_autoptr(AbNetwork) net = des_test_chain (1, c, service_ms, lambda * 1000.0, AB_DIST_EXPONENTIAL);
  g_autoptr(AbScenario) sc = des_test_scenario (2e6 / (lambda * 1000.0) / 10.0, 20.0, 100.0, seed);
  g_autoptr(AbModelResult) model = NULL;
  g_autoptr(AbDesResult) des = NULL;
  AbDesConfig cfg;
  double loss, pw, m1, m2, wait;
  const AbDesPhaseResult *p;

  net->stations[0].queue_limit = queue_limit;
  net->stations[0].timeout_ms = timeout_ms;
  if (timeout_ms > 0.0)
    ab_mmc_patience (c, lambda, mu, timeout_ms, &loss, &pw, &m1, &m2);
  else
    ab_mmck (c, c + queue_limit, lambda, mu, &loss, &pw, &m1, &m2);
  wait = pw * m1;
  model = ab_model_evaluate (net, NULL);
  g_assert_cmpfloat_with_epsilon (model->error_rate, loss, 1e-9);
  g_assert_cmpfloat_with_epsilon (model->stations[0].served_rps, lambda * 1000.0 * (1.0 - loss), 1e-6);
  g_assert_cmpfloat_with_epsilon (model->latency[AB_CLASS_READ].mean_ms, service_ms + wait, 1e-9);

  ab_des_config_init (&cfg);
  cfg.replications = 10;
  cfg.sample_budget = 5000000;
  des = run (net, sc, &cfg);
  p = &des->phases[0];
  g_test_message ("c %d, queue %d, patience %.0f ms, rho %.2f: loss model %.5f, DES %.5f; "
                  "mean model %.4f ms, DES %.4f ms (+- %.4f); P95 model %.3f, DES %.3f",
                  c, queue_limit, timeout_ms, rho, loss, p->error_rate,
                  service_ms + wait, p->latency[AB_DES_READ].mean_ms.value,
                  p->latency[AB_DES_READ].mean_ms.ci,
                  model->latency[AB_CLASS_READ].p95_ms, p->latency[AB_DES_READ].p95_ms.value);
  g_assert_cmpfloat_with_epsilon (p->error_rate, loss, 0.03 * loss + 0.002);
  g_assert_cmpfloat_with_epsilon (p->latency[AB_DES_READ].mean_ms.value, service_ms + wait,
                                  0.02 * (service_ms + wait));
  g_assert_cmpfloat_with_epsilon (p->latency[AB_DES_READ].p95_ms.value, model->latency[AB_CLASS_READ].p95_ms,
                                  0.04 * model->latency[AB_CLASS_READ].p95_ms);
  /* what is lost never reaches the stations behind: served = offered x (1 - loss) */
  g_assert_cmpfloat_with_epsilon (p->stations[0].served_rps, lambda * 1000.0 * (1.0 - loss),
                                  0.02 * lambda * 1000.0);
}

static void
test_finite_queue (void)
{
  double block, pw, m1, m2, bb, bw;

  /* M/M/1/5 at rho 0.8: P5 = (1 - rho) rho^5 / (1 - rho^6) = 0.088816;
   * L = rho / (1 - rho) - 6 rho^6 / (1 - rho^6) = 1.868313 */
  ab_mmck (1, 5, 0.8, 1.0, &block, &pw, &m1, &m2);
  g_assert_cmpfloat_with_epsilon (block, 0.2 * pow (0.8, 5) / (1.0 - pow (0.8, 6)), 1e-12);
  g_assert_cmpfloat_with_epsilon (pw * m1 + 1.0,
                                  (4.0 - 6.0 * pow (0.8, 6) / (1.0 - pow (0.8, 6))) / (0.8 * (1.0 - block)),
                                  1e-12);
  /* against the birth-death chain, under and over capacity */
  for (int c = 1; c <= 4; c++)
    for (double rho = 0.3; rho < 2.5; rho += 0.4)
      {
        mmck_brute (c, c + 20, rho * c, 1.0, &bb, &bw);
        ab_mmck (c, c + 20, rho * c, 1.0, &block, &pw, &m1, &m2);
        g_assert_cmpfloat_with_epsilon (block, bb, 1e-12);
        g_assert_cmpfloat_with_epsilon (pw * m1, bw, 1e-9);
      }
  /* the model and the DES against the closed form */
  check_finite (1, 4, 0.0, 0.8, 41);
  check_finite (4, 10, 0.0, 0.9, 42);
  check_finite (2, 20, 0.0, 1.5, 43);
}

static void
test_patience (void)
{
  double ab, pw, m1, m2;

  /* M/M/1+D: P(abandon) = rho (1 - rho) e^(-(mu - lambda) D) / (1 - rho^2 e^(-(mu - lambda) D)) */
  for (double rho = 0.5; rho < 2.0; rho += 0.3)
    {
      double e = exp (-(1.0 - rho) * 2.0);

      ab_mmc_patience (1, rho, 1.0, 2.0, &ab, &pw, &m1, &m2);
      g_assert_cmpfloat_with_epsilon (ab, rho * (1.0 - rho) * e / (1.0 - rho * rho * e), 1e-12);
    }
  /* the model and the DES against it; M/M/4+D */
  check_finite (1, 0, 20.0, 0.8, 44);
  check_finite (1, 0, 20.0, 1.3, 45);
  check_finite (4, 0, 5.0, 0.9, 46);
}

enum { B_CLIENT, B_APP, B_QUEUE, B_WORKER, B_DB, B_N };

/* client -> app -> (async) queue -> (async) worker -> db: writes at
 * @rate; the worker has @worker_c slots of 20 ms; @extra more stations
 * (empty) after the db */
static AbNetwork *
pipeline_with (double rate, int worker_c, guint extra)
{
  AbNetwork *net = ab_network_new (B_N + extra);
  const char *ids[] = { "client", "app", "queue", "worker", "db" };
  const double svc[] = { 0.0, 2.0, 1.0, 20.0, 4.0 };
  const int slots[] = { 0, 8, 10, 0, 8 };
  AbCall *call;

  for (int i = 0; i < B_N; i++)
    {
      AbStation *st = &net->stations[i];

      st->id = g_strdup (ids[i]);
      st->instances = 1;
      st->concurrency = i == B_WORKER ? worker_c : slots[i];
      st->service_ms[AB_CLASS_READ] = svc[i];
      st->service_ms[AB_CLASS_WRITE] = svc[i];
      st->failover_to = -1;
      if (i > 0 && i + 1 < B_N)
        {
          call = ab_network_add_call (net, i, AB_CLASS_WRITE, i + 1);
          call->net_ms = 0.5;
          call->async = i == B_APP || i == B_QUEUE;
        }
    }
  net->stations[B_CLIENT].kind = AB_KIND_CLIENT;
  net->stations[B_APP].kind = AB_KIND_APP;
  net->stations[B_QUEUE].kind = AB_KIND_QUEUE;
  net->stations[B_WORKER].kind = AB_KIND_WORKER;
  net->stations[B_DB].kind = AB_KIND_DB_PRIMARY;
  ab_network_add_call (net, B_CLIENT, AB_CLASS_WRITE, B_APP);
  ab_network_add_entry (net, AB_CLASS_READ, B_CLIENT, 1.0);
  ab_network_add_entry (net, AB_CLASS_WRITE, B_CLIENT, 1.0);
  net->rate[AB_CLASS_WRITE] = rate;
  return net;
}

static AbNetwork *
pipeline (double rate, int worker_c)
{
  return pipeline_with (rate, worker_c, 0);
}

static void
test_background_lag (void)
{
  /* 100 writes/s; worker M/M/4 at 20 ms (rho 0.5), db M/M/8 at 4 ms,
   * queue M/M/10 at 1 ms */
  const double rate = 100.0, l = rate / 1000.0;
  g_autoptr(AbNetwork) net = pipeline (rate, 4);
  g_autoptr(AbScenario) sc = des_test_scenario (300.0, 10.0, 10.0, 51);
  g_autoptr(AbModelResult) model = ab_model_evaluate (net, NULL);
  g_autoptr(AbDesResult) des = NULL;
  AbDesConfig cfg;
  /* the lag is the sum of the stages: queue, worker and its db call,
   * with a network hop before each */
  double lag = 0.5 + ab_mmc_mean_sojourn (10, l, 1.0)
               + 0.5 + ab_mmc_mean_sojourn (4, l, 1.0 / 20.0)
               + 0.5 + ab_mmc_mean_sojourn (8, l, 1.0 / 4.0);
  const AbDesPhaseResult *p;

  g_assert_cmpfloat_with_epsilon (model->lag_ms, lag, 1e-9);
  g_assert_cmpfloat_with_epsilon (model->background_rps, 2.0 * rate, 1e-9);
  g_assert_cmpfloat (model->background_error_rate, <, 1e-9);
  ab_des_config_init (&cfg);
  cfg.sample_budget = 1000000;
  des = run (net, sc, &cfg);
  p = &des->phases[0];
  g_test_message ("lag: closed form %.3f ms, model %.3f ms, DES %.3f ms (+- %.3f)",
                  lag, model->lag_ms, p->latency[AB_DES_ASYNC].mean_ms.value,
                  p->latency[AB_DES_ASYNC].mean_ms.ci);
  g_assert_cmpfloat_with_epsilon (p->latency[AB_DES_ASYNC].mean_ms.value, lag, 0.02 * lag);
  g_assert_cmpfloat (p->background_error_rate, ==, 0.0);
  g_assert_cmpuint (p->async_requests, >, 0);
}

/* Two kinds of background work from one write: the pipeline's queue ->
 * worker -> db (the slow one) and an index of 1 ms (M/M/8 at 0.1 ms
 * busy per ms).  The mean over both ends hides the slow one; the
 * slowest end is the worker's, with the pipeline's lag, in both
 * methods. */
static void
test_background_slowest_end (void)
{
  const double rate = 100.0, l = rate / 1000.0;
  g_autoptr(AbNetwork) net = pipeline_with (rate, 4, 1);
  g_autoptr(AbScenario) sc = des_test_scenario (300.0, 10.0, 10.0, 53);
  g_autoptr(AbModelResult) model = NULL;
  g_autoptr(AbDesResult) des = NULL;
  AbDesConfig cfg;
  AbCall *call;
  double slow = 0.5 + ab_mmc_mean_sojourn (10, l, 1.0)
                + 0.5 + ab_mmc_mean_sojourn (4, l, 1.0 / 20.0)
                + 0.5 + ab_mmc_mean_sojourn (8, l, 1.0 / 4.0);
  double fast = 0.5 + ab_mmc_mean_sojourn (8, l, 1.0);
  const AbDesPhaseResult *p;
  int index;

  index = B_N;
  net->stations[index].id = g_strdup ("index");
  net->stations[index].kind = AB_KIND_SEARCH;
  net->stations[index].instances = 1;
  net->stations[index].concurrency = 8;
  net->stations[index].service_ms[AB_CLASS_READ] = 1.0;
  net->stations[index].service_ms[AB_CLASS_WRITE] = 1.0;
  net->stations[index].failover_to = -1;
  call = ab_network_add_call (net, B_APP, AB_CLASS_WRITE, index);
  call->net_ms = 0.5;
  call->async = TRUE;

  model = ab_model_evaluate (net, NULL);
  g_assert_cmpfloat_with_epsilon (model->lag_ms, (slow + fast) / 2.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (model->lag_slowest_ms, slow, 1e-9);
  g_assert_cmpint (model->lag_slowest_station, ==, B_WORKER);

  ab_des_config_init (&cfg);
  cfg.sample_budget = 300000;
  des = run (net, sc, &cfg);
  p = &des->phases[0];
  g_test_message ("slowest end: closed form %.3f ms, model %.3f ms, DES %.3f ms (+- %.3f) at %d; mean %.3f / %.3f ms",
                  slow, model->lag_slowest_ms, p->lag_slowest_ms.value, p->lag_slowest_ms.ci,
                  p->lag_slowest_station, model->lag_ms, p->latency[AB_DES_ASYNC].mean_ms.value);
  g_assert_cmpint (p->lag_slowest_station, ==, B_WORKER);
  g_assert_cmpfloat_with_epsilon (p->lag_slowest_ms.value, slow, 0.02 * slow);
  g_assert_cmpfloat (p->lag_slowest_ms.ci, >, 0.0);
  g_assert_cmpfloat (p->lag_slowest_ms.ci, <, 0.05 * slow);
  g_assert_cmpfloat_with_epsilon (p->latency[AB_DES_ASYNC].mean_ms.value, (slow + fast) / 2.0, 0.02 * slow);
}

static void
test_background_overload (void)
{
  /* 150 messages/s for a worker of 2 x 20 ms = 100/s, room for 50
   * waiting: a third is rejected, and what gets through waited about a
   * full queue's drain time (50 / 100/s = 0.5 s) */
  const double rate = 150.0;
  g_autoptr(AbNetwork) net = pipeline (rate, 2);
  g_autoptr(AbNetwork) open_net = pipeline (rate, 2);
  g_autoptr(AbScenario) sc = des_test_scenario (200.0, 20.0, 10.0, 52);
  g_autoptr(AbModelResult) model = NULL;
  g_autoptr(AbModelResult) open_model = NULL;
  g_autoptr(AbDesResult) des = NULL;
  g_autoptr(AbDesResult) open_des = NULL;
  AbDesConfig cfg;
  const AbDesPhaseResult *p;
  double block, pw, m1, m2;

  net->stations[B_WORKER].queue_limit = 50;
  model = ab_model_evaluate (net, NULL);
  ab_mmck (2, 52, rate / 1000.0, 1.0 / 20.0, &block, &pw, &m1, &m2);
  /* two stages per message (queue, worker) and the worker's share fails */
  g_assert_cmpfloat_with_epsilon (model->background_error_rate, block / 2.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (block, 1.0 - 100.0 / 150.0, 0.01);
  g_assert_cmpfloat (model->lag_ms, >, 500.0);
  g_assert_cmpfloat (model->lag_ms, <, 560.0);
  g_assert_cmpfloat (model->error_rate, <, 1e-9);    /* users do not see it */

  ab_des_config_init (&cfg);
  cfg.sample_budget = 1000000;
  des = run (net, sc, &cfg);
  p = &des->phases[0];
  g_test_message ("overload: background errors model %.4f, DES %.4f; lag model %.1f ms, DES %.1f ms",
                  model->background_error_rate, p->background_error_rate, model->lag_ms,
                  p->latency[AB_DES_ASYNC].mean_ms.value);
  g_assert_cmpfloat_with_epsilon (p->background_error_rate, model->background_error_rate,
                                  0.1 * model->background_error_rate);
  g_assert_cmpfloat_with_epsilon (p->latency[AB_DES_ASYNC].mean_ms.value, model->lag_ms, 0.1 * model->lag_ms);
  g_assert_cmpfloat (p->error_rate, ==, 0.0);

  /* no limit: the backlog and the lag grow without bound */
  open_model = ab_model_evaluate (open_net, NULL);
  g_assert_true (open_model->stations[B_WORKER].overloaded);
  /* nothing rejects: none of it is lost; the wait grows by half a second
   * a second (50 more a second than its 100), 10 s after the
   * AB_MODEL_DEFAULT_OVERLOAD_S it assumes without a backlog given */
  g_assert_cmpfloat (open_model->background_error_rate, ==, 0.0);
  g_assert_cmpfloat_with_epsilon (open_model->lag_slowest_growth, 500.0, 1e-6);
  g_assert_cmpfloat (open_model->lag_ms, >=, 500.0 * AB_MODEL_DEFAULT_OVERLOAD_S);
  open_des = run (open_net, sc, &cfg);
  {
    guint first = 0, last = open_des->n_buckets - 1;
    double a = open_des->buckets[first].latency[AB_DES_ASYNC].mean_ms;
    double b = open_des->buckets[last].latency[AB_DES_ASYNC].mean_ms;

    g_test_message ("no limit: lag %.0f ms in the first bucket, %.0f ms in the last", a, b);
    /* the backlog grows by 50/s: after t seconds a message waits t / 2 s */
    g_assert_cmpfloat (b, >, 3.0 * a);
    g_assert_cmpfloat (b, >, 50000.0);
  }
}

static void
test_interval_extension (void)
{
  /* M/M/1 at 0.95 on a small budget: the first replications leave the
   * P99 known to worse than +-5 %; the run extends itself */
  g_autoptr(AbNetwork) net = des_test_chain (1, 1, 10.0, 95.0, AB_DIST_EXPONENTIAL);
  g_autoptr(AbScenario) sc = des_test_scenario (60.0, 10.0, 10.0, 61);
  g_autoptr(AbDesResult) fixed = NULL;
  g_autoptr(AbDesResult) grown = NULL;
  AbDesConfig cfg;
  const AbEstimate *a, *b;

  ab_des_config_init (&cfg);
  cfg.sample_budget = 40000;
  cfg.max_budget_factor = 1.0;
  fixed = run (net, sc, &cfg);
  cfg.max_budget_factor = 8.0;
  grown = run (net, sc, &cfg);
  a = &fixed->phases[0].latency[AB_DES_ALL].p99_ms;
  b = &grown->phases[0].latency[AB_DES_ALL].p99_ms;
  g_test_message ("budget x1: %u replications, %" G_GUINT64_FORMAT " visits, P99 %.1f [%.1f, %.1f]; "
                  "up to x8: %u replications, %" G_GUINT64_FORMAT " visits, P99 %.1f [%.1f, %.1f]",
                  fixed->replications, fixed->visits, a->value, a->ci_low, a->ci_high,
                  grown->replications, grown->visits, b->value, b->ci_low, b->ci_high);
  /* every interval is reported as bounds around its value */
  for (int k = 0; k < AB_DES_N_SERIES; k++)
    {
      const AbLatencyStats *l = &grown->phases[0].latency[k];
      const AbEstimate *e[] = { &l->mean_ms, &l->p50_ms, &l->p95_ms, &l->p99_ms };

      for (guint i = 0; i < G_N_ELEMENTS (e); i++)
        {
          g_assert_cmpfloat_with_epsilon (e[i]->ci_high, e[i]->value + e[i]->ci, 1e-9);
          g_assert_cmpfloat_with_epsilon (e[i]->ci_low, MAX (0.0, e[i]->value - e[i]->ci), 1e-9);
        }
    }
  g_assert_cmpfloat (a->ci, >, AB_DES_TARGET_PRECISION * a->value);
  g_assert_cmpuint (grown->replications, >, fixed->replications);
  g_assert_cmpuint (grown->visits, <=, 8 * cfg.sample_budget);
  g_assert_cmpfloat (b->ci / b->value, <, a->ci / a->value);
  /* it stops once every interval is narrow enough, or at the cap */
  g_assert_true (b->ci <= AB_DES_TARGET_PRECISION * b->value
                 || grown->visits + grown->visits / grown->replications > 8 * cfg.sample_budget);
  g_assert_false (grown->truncated);
}

static void
test_overload_converges (void)
{
  /* an app of 8 slots x 5 ms (1600/s per instance) at 1000/s per
   * instance, peaking at x3, with the catalog's room (4096 per instance)
   * and patience (60 s): during the peak's hold the errors settle at
   * 1 - capacity / offered, for one instance and for 100 (followed
   * through 8 representatives) */
  for (int n = 1; n <= 100; n *= 100)
    {
      g_autoptr(AbNetwork) net = des_test_chain (1, 8, 5.0, 1000.0 * n, AB_DIST_EXPONENTIAL);
      g_autoptr(AbScenario) sc = ab_scenario_new_default_timeline (3.0, NULL);
      g_autoptr(AbModelResult) model = NULL;
      g_autoptr(AbDesResult) des = NULL;
      AbModelInput input = { 3.0, NULL, NULL, FALSE, FALSE };
      AbDesConfig cfg;
      double exact = 1.0 - 1600.0 / 3000.0;
      gboolean seen = FALSE;

      net->stations[0].instances = n;
      net->stations[0].queue_limit = 4096;
      net->stations[0].timeout_ms = 60000.0;
      model = ab_model_evaluate (net, &input);
      g_assert_cmpfloat_with_epsilon (model->error_rate, exact, 0.01 * exact);
      ab_des_config_init (&cfg);
      des = run (net, sc, &cfg);
      for (guint i = 0; i < des->n_phases; i++)
        if (g_strcmp0 (des->phases[i].name, "peak") == 0)
          {
            g_test_message ("%d instances, peak: errors DES %.4f, model %.4f, "
                            "1 - capacity / offered %.4f", n, des->phases[i].error_rate,
                            model->error_rate, exact);
            g_assert_cmpfloat_with_epsilon (des->phases[i].error_rate, exact, 0.1 * exact);
            seen = TRUE;
          }
      g_assert_true (seen);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/des/mechanics/blocking-fixed-point", test_blocking_fixed_point);
  g_test_add_func ("/des/mechanics/pool-runs-dry", test_pool_runs_dry);
  g_test_add_func ("/des/mechanics/blocking-overloaded-callee", test_blocking_overloaded_callee);
  g_test_add_func ("/des/mechanics/replica-failover", test_replica_failover);
  g_test_add_func ("/des/mechanics/replica-storage", test_replica_storage);
  g_test_add_func ("/des/mechanics/finite-queue", test_finite_queue);
  g_test_add_func ("/des/mechanics/patience", test_patience);
  g_test_add_func ("/des/mechanics/background-lag", test_background_lag);
  g_test_add_func ("/des/mechanics/background-overload", test_background_overload);
  g_test_add_func ("/des/mechanics/background-slowest-end", test_background_slowest_end);
  g_test_add_func ("/des/mechanics/interval-extension", test_interval_extension);
  g_test_add_func ("/des/mechanics/overload-converges", test_overload_converges);
  return g_test_run ();
}
