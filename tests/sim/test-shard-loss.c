/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A primary's instances are shards (docs/simulation.md, "Replication and
 * sharding"): losing one of four fails the quarter of the requests whose
 * data it held — its siblings do not have it — and the three left each
 * keep their own share, as busy as before; a failover target covers a
 * lost shard.  A replica's instances are copies: losing one moves its
 * reads to the others (test-des-mechanics' /des/mechanics/replica-failover).
 * The model and the DES alike. */
#include "config.h"

#include <math.h>

#include "ab-des.h"
#include "ab-model.h"
#include "ab-network.h"
#include "ab-scenario.h"

enum { S_CLIENT, S_APP, S_PRIMARY, S_REPLICA, S_N };

/* client -> app -> primary (4 shards, reads and writes); a replica (2
 * copies) the primary may fail over to */
static AbNetwork *
sharded (void)
{
  AbNetwork *net = ab_network_new (S_N);
  static const int instances[S_N] = { 1, 2, 4, 2 };
  static const AbKind kinds[S_N] = { AB_KIND_CLIENT, AB_KIND_APP, AB_KIND_DB_PRIMARY, AB_KIND_DB_REPLICA };

  for (int i = 0; i < S_N; i++)
    {
      AbStation *st = &net->stations[i];

      st->id = g_strdup_printf ("s%d", i);
      st->kind = kinds[i];
      st->instances = instances[i];
      st->concurrency = 4;
      st->failover_to = -1;
      st->service_ms[AB_CLASS_READ] = i == S_CLIENT ? 0.0 : 1.0;
      st->service_ms[AB_CLASS_WRITE] = i == S_CLIENT ? 0.0 : 2.0;
    }
  for (int k = 0; k < AB_N_CLASSES; k++)
    {
      ab_network_add_call (net, S_CLIENT, k, S_APP);
      ab_network_add_call (net, S_APP, k, S_PRIMARY);
      ab_network_add_entry (net, k, S_CLIENT, 1.0);
    }
  net->rate[AB_CLASS_READ] = 3000.0;
  net->rate[AB_CLASS_WRITE] = 1000.0;
  return net;
}

static void
test_shards_live (void)
{
  g_autoptr(AbNetwork) net = sharded ();

  g_assert_cmpfloat (ab_network_shards_live (net, S_PRIMARY, 4), ==, 1.0);
  g_assert_cmpfloat (ab_network_shards_live (net, S_PRIMARY, 3), ==, 0.75);
  g_assert_cmpfloat (ab_network_shards_live (net, S_PRIMARY, 1), ==, 0.25);
  /* copies and stateless instances cover for each other */
  g_assert_cmpfloat (ab_network_shards_live (net, S_REPLICA, 1), ==, 1.0);
  g_assert_cmpfloat (ab_network_shards_live (net, S_APP, 1), ==, 1.0);
  /* a failover target covers a lost shard */
  net->stations[S_PRIMARY].failover_to = S_REPLICA;
  g_assert_cmpfloat (ab_network_shards_live (net, S_PRIMARY, 3), ==, 1.0);
}

static void
test_model (void)
{
  g_autoptr(AbNetwork) net = sharded ();
  g_autoptr(AbModelResult) all = NULL;
  g_autoptr(AbModelResult) three = NULL;
  g_autoptr(AbModelResult) covered = NULL;
  int instances[S_N] = { 1, 2, 4, 2 };
  AbModelInput input = { 1.0, instances, NULL, FALSE, FALSE };

  all = ab_model_evaluate (net, &input);
  g_assert_cmpfloat (all->error_rate, <, 1e-12);
  instances[S_PRIMARY] = 3;
  three = ab_model_evaluate (net, &input);
  for (int k = 0; k < AB_N_CLASSES; k++)
    g_assert_cmpfloat_with_epsilon (three->class_error_rate[k], 0.25, 1e-9);
  g_assert_cmpfloat_with_epsilon (three->served_rps, 3000.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (three->stations[S_PRIMARY].offered_rps, 4000.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (three->stations[S_PRIMARY].served_rps, 3000.0, 1e-6);
  /* each live shard as busy as before, the requests that get through as
   * fast (but for round robin over three rather than four), the most the
   * design sustains unchanged */
  g_assert_cmpfloat_with_epsilon (three->stations[S_PRIMARY].utilization,
                                  all->stations[S_PRIMARY].utilization, 1e-12);
  g_assert_cmpfloat_with_epsilon (three->latency[AB_N_CLASSES].p95_ms, all->latency[AB_N_CLASSES].p95_ms,
                                  1e-2 * all->latency[AB_N_CLASSES].p95_ms);
  g_assert_cmpfloat_with_epsilon (three->max_sustainable_rps, all->max_sustainable_rps,
                                  1e-9 * all->max_sustainable_rps);

  net->stations[S_PRIMARY].failover_to = S_REPLICA;
  covered = ab_model_evaluate (net, &input);
  g_assert_cmpfloat (covered->error_rate, <, 1e-12);
}

/* The DES loses one shard of four for the failure phase: a quarter of
 * each class fails, the rest as fast as the model says */
static void
test_des (void)
{
  g_autoptr(AbNetwork) net = sharded ();
  g_autoptr(AbScenario) sc = ab_scenario_new_failure ("s2", FALSE);
  g_autoptr(AbModelResult) model = NULL;
  g_autoptr(AbDesResult) des = NULL;
  g_autoptr(GError) error = NULL;
  int instances[S_N] = { 1, 2, 3, 2 };
  AbModelInput input = { 1.0, instances, NULL, FALSE, FALSE };
  const AbDesPhaseResult *ph = NULL;
  AbDesConfig cfg;

  model = ab_model_evaluate (net, &input);
  ab_des_config_init (&cfg);
  cfg.sample_budget = 400000;
  des = ab_des_run (net, sc, &cfg, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < des->n_phases; i++)
    if (g_str_equal (des->phases[i].name, "failure"))
      ph = &des->phases[i];
  g_assert_nonnull (ph);
  for (int k = 0; k < AB_N_CLASSES; k++)
    {
      double share = (double) ph->class_errors[k] / (double) ph->class_requests[k];
      /* three binomial standard errors */
      double tol = 3.0 * sqrt (0.25 * 0.75 / (double) ph->class_requests[k]);

      g_test_message ("class %d: %" G_GUINT64_FORMAT " requests, %.4f failed (model %.4f)", k,
                      ph->class_requests[k], share, model->class_error_rate[k]);
      g_assert_cmpuint (ph->class_requests[k], >, 1000);
      g_assert_cmpfloat_with_epsilon (share, 0.25, tol);
    }
  g_test_message ("P95 %.3f ms (model %.3f ms), primary %.3f busy (model %.3f)",
                  ph->latency[AB_DES_ALL].p95_ms.value, model->latency[AB_N_CLASSES].p95_ms,
                  ph->stations[S_PRIMARY].utilization, model->stations[S_PRIMARY].utilization);
  g_assert_cmpfloat_with_epsilon (ph->latency[AB_DES_ALL].p95_ms.value, model->latency[AB_N_CLASSES].p95_ms,
                                  0.1 * model->latency[AB_N_CLASSES].p95_ms + ph->latency[AB_DES_ALL].p95_ms.ci);
  g_assert_cmpfloat_with_epsilon (ph->stations[S_PRIMARY].utilization, model->stations[S_PRIMARY].utilization, 0.03);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/shard-loss/shards-live", test_shards_live);
  g_test_add_func ("/shard-loss/model", test_model);
  g_test_add_func ("/shard-loss/des", test_des);
  return g_test_run ();
}
