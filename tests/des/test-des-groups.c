/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The DES takes a station's calls an item at a time from the group
 * iterator (ab_call_group_iter), the rule the model, availability and
 * routing follow: a call of chance 0 is never made, belongs to no group
 * and costs no random number, so adding one changes no figure of a run;
 * a lost member of a covering group hands its share only to live
 * members of its own kind of call (synchronous or not), as the model's
 * live factors do; a group whose weights sum below 1 makes no call for
 * the rest, as the model takes it. */
#include "config.h"

#include "ab-types.h"
#include "des-test-util.h"

static AbDesResult *
run (const AbNetwork *net, const AbScenario *sc, guint64 budget)
{
  g_autoptr(GError) error = NULL;
  AbDesConfig cfg;
  AbDesResult *result;

  ab_des_config_init (&cfg);
  cfg.sample_budget = budget;
  result = ab_des_run (net, sc, &cfg, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

/* ------------------------------------------------ calls of chance 0 -- */

enum { G_CLIENT, G_APP, G_CACHE, G_PRIMARY, G_REP1, G_REP2, G_AUDIT, G_N };

/* Calls of chance 0 added to the app's reads by zero_network () */
typedef enum {
  ZERO_LONE_FIRST  = 1 << 0, /* a lone call before everything else */
  ZERO_LONE_LAST   = 1 << 1, /* a lone call after everything else */
  ZERO_LOOKUP      = 1 << 2, /* a lookup of chance 0 with its fallback */
  ZERO_GROUP       = 1 << 3, /* a group whose members all have chance 0 */
  ZERO_MEMBER      = 1 << 4, /* a member of chance 0 in the replica group */
  ZERO_AFTER_MISS  = 1 << 5, /* a lone call of chance 0 on the cache's miss path */
  ZERO_ALL         = (1 << 6) - 1
} ZeroCalls;

static AbCall *
add (AbNetwork *net, int from, AbReqClass klass, int to, double p, int group, int on_miss_of)
{
  AbCall *call = ab_network_add_call (net, from, klass, to);

  call->probability = p;
  call->group = group;
  call->on_miss_of = on_miss_of;
  call->net_ms = 0.5;
  return call;
}

/* client -> app (2 instances) -> a cache (hit ratio 0.8), on a miss one
 * of two replicas (a covering group); writes to a primary; plus @zeros
 * calls of chance 0 to an audit service that nothing else calls.  The
 * audit station is there either way, so results compare figure by
 * figure. */
static AbNetwork *
zero_network (ZeroCalls zeros)
{
  static const char *const ids[] = { "client", "app", "cache", "primary", "rep1", "rep2", "audit" };
  AbNetwork *net = des_test_named_network (ids, G_N, 0.999);
  int lookup, zero_lookup = -1;

  for (int i = 0; i < G_N; i++)
    {
      net->stations[i].service_ms[AB_CLASS_READ] = 1.0;
      net->stations[i].service_ms[AB_CLASS_WRITE] = 2.0;
    }
  net->stations[G_CLIENT].kind = AB_KIND_CLIENT;
  net->stations[G_CLIENT].concurrency = 0;
  net->stations[G_CLIENT].service_ms[AB_CLASS_READ] = 0.0;
  net->stations[G_CLIENT].service_ms[AB_CLASS_WRITE] = 0.0;
  net->stations[G_APP].kind = AB_KIND_APP;
  net->stations[G_APP].instances = 2;
  net->stations[G_APP].concurrency = 32;
  net->stations[G_CACHE].kind = AB_KIND_CACHE;
  net->stations[G_CACHE].hit_ratio = 0.8;
  net->stations[G_CACHE].service_ms[AB_CLASS_READ] = 0.2;
  net->stations[G_PRIMARY].kind = AB_KIND_DB_PRIMARY;
  net->stations[G_REP1].kind = AB_KIND_DB_REPLICA;
  net->stations[G_REP2].kind = AB_KIND_DB_REPLICA;
  net->stations[G_AUDIT].kind = AB_KIND_APP;
  /* were it reachable, the DES would follow a smaller share of the
   * requests whole (8 representatives of 64 instances) */
  net->stations[G_AUDIT].instances = 64;

  add (net, G_CLIENT, AB_CLASS_READ, G_APP, 1.0, -1, -1);
  add (net, G_CLIENT, AB_CLASS_WRITE, G_APP, 1.0, -1, -1);
  if (zeros & ZERO_LONE_FIRST)
    add (net, G_APP, AB_CLASS_READ, G_AUDIT, 0.0, -1, -1);
  if (zeros & ZERO_LOOKUP)
    {
      zero_lookup = (int) net->calls[G_APP * AB_N_CLASSES + AB_CLASS_READ].n_calls;
      add (net, G_APP, AB_CLASS_READ, G_CACHE, 0.0, -1, -1);
    }
  lookup = (int) net->calls[G_APP * AB_N_CLASSES + AB_CLASS_READ].n_calls;
  add (net, G_APP, AB_CLASS_READ, G_CACHE, 1.0, -1, -1);
  if (zeros & ZERO_LOOKUP)
    add (net, G_APP, AB_CLASS_READ, G_AUDIT, 1.0, -1, zero_lookup);
  add (net, G_APP, AB_CLASS_READ, G_REP1, 0.5, 0, lookup);
  if (zeros & ZERO_MEMBER)
    add (net, G_APP, AB_CLASS_READ, G_AUDIT, 0.0, 0, lookup);
  add (net, G_APP, AB_CLASS_READ, G_REP2, 0.5, 0, lookup);
  if (zeros & ZERO_AFTER_MISS)
    add (net, G_APP, AB_CLASS_READ, G_AUDIT, 0.0, -1, lookup);
  if (zeros & ZERO_GROUP)
    {
      add (net, G_APP, AB_CLASS_READ, G_AUDIT, 0.0, 1, -1);
      add (net, G_APP, AB_CLASS_READ, G_AUDIT, 0.0, 1, -1);
    }
  if (zeros & ZERO_LONE_LAST)
    add (net, G_APP, AB_CLASS_READ, G_AUDIT, 0.0, -1, -1);
  add (net, G_APP, AB_CLASS_WRITE, G_PRIMARY, 1.0, -1, -1);

  ab_network_add_entry (net, AB_CLASS_READ, G_CLIENT, 1.0);
  ab_network_add_entry (net, AB_CLASS_WRITE, G_CLIENT, 1.0);
  net->rate[AB_CLASS_READ] = 3000.0;
  net->rate[AB_CLASS_WRITE] = 300.0;
  return net;
}

/* The default timeline at x2 with rep1 lost in the failure phase, so a
 * run also draws for the covering group's lost member. */
static char *
zero_checksum (ZeroCalls zeros, guint64 seed)
{
  g_autoptr(AbNetwork) net = zero_network (zeros);
  g_autoptr(AbScenario) sc = ab_scenario_new_default_timeline (2.0, "rep1");
  g_autoptr(AbDesResult) r = NULL;

  sc->seed = seed;
  r = run (net, sc, 200000);
  g_assert_cmpuint (r->phases[0].class_requests[AB_CLASS_READ], >, 0);
  return result_checksum (r);
}

static void
test_zero_chance_calls (void)
{
  static const struct {
    const char *name;
    ZeroCalls   zeros;
  } cases[] = {
    { "lone, first", ZERO_LONE_FIRST },
    { "lone, last", ZERO_LONE_LAST },
    { "a lookup and its fallback", ZERO_LOOKUP },
    { "a group of chance-0 members", ZERO_GROUP },
    { "a member of the replica group", ZERO_MEMBER },
    { "on a miss path", ZERO_AFTER_MISS },
    { "all of them", ZERO_ALL },
  };
  g_autofree char *plain = zero_checksum (0, 7);
  g_autofree char *other_seed = zero_checksum (0, 8);

  /* the checksum sees a difference when there is one */
  g_assert_cmpstr (plain, !=, other_seed);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *with = zero_checksum (cases[i].zeros, 7);

      g_test_message ("calls of chance 0: %s", cases[i].name);
      g_assert_cmpstr (with, ==, plain);
    }
}

/* The audit station of a network with every kind of chance-0 call is
 * never visited, in the DES as in the model. */
static void
test_zero_chance_never_made (void)
{
  g_autoptr(AbNetwork) net = zero_network (ZERO_ALL);
  g_autoptr(AbScenario) sc = ab_scenario_new_normal (5.0);
  g_autoptr(AbDesResult) des = run (net, sc, 200000);
  g_autoptr(AbModelResult) model = ab_model_evaluate (net, NULL);

  g_assert_cmpfloat (model->stations[G_AUDIT].served_rps, ==, 0.0);
  g_assert_cmpfloat (des->phases[0].stations[G_AUDIT].served_rps, ==, 0.0);
  g_assert_cmpfloat (des->phases[0].stations[G_AUDIT].utilization, ==, 0.0);
  g_assert_cmpfloat (des->phases[0].stations[G_REP1].served_rps, >, 0.0);
}

/* -------------------------------------- asynchronous members of a group -- */

enum { A_CLIENT, A_APP, A_REP1, A_REP2, A_N };

/* app reads from one of two replicas, half and half: rep1 synchronously,
 * rep2 as background work (a connection marked asynchronous on one
 * target of a balancer).  The two cover for each other by kind, but a
 * request that waits for rep1 cannot be answered by background work. */
static AbNetwork *
mixed_group (void)
{
  static const char *const ids[] = { "client", "app", "rep1", "rep2" };
  AbNetwork *net = des_test_named_network (ids, A_N, 0.999);

  for (int i = 0; i < A_N; i++)
    net->stations[i].service_ms[AB_CLASS_READ] = 2.0;
  net->stations[A_CLIENT].kind = AB_KIND_CLIENT;
  net->stations[A_CLIENT].concurrency = 0;
  net->stations[A_CLIENT].service_ms[AB_CLASS_READ] = 0.0;
  net->stations[A_APP].kind = AB_KIND_APP;
  net->stations[A_APP].concurrency = 64;
  net->stations[A_APP].service_ms[AB_CLASS_READ] = 1.0;
  net->stations[A_REP1].kind = AB_KIND_DB_REPLICA;
  net->stations[A_REP2].kind = AB_KIND_DB_REPLICA;
  add (net, A_CLIENT, AB_CLASS_READ, A_APP, 1.0, -1, -1);
  add (net, A_APP, AB_CLASS_READ, A_REP1, 0.5, 0, -1);
  add (net, A_APP, AB_CLASS_READ, A_REP2, 0.5, 0, -1)->async = TRUE;
  ab_network_add_entry (net, AB_CLASS_READ, A_CLIENT, 1.0);
  net->rate[AB_CLASS_READ] = 1000.0;
  return net;
}

static void
check_lost_member (int lost)
{
  g_autoptr(AbNetwork) net = mixed_group ();
  g_autoptr(AbScenario) sc = ab_scenario_new_failure (net->stations[lost].id, TRUE);
  g_autoptr(AbModelResult) model = NULL;
  g_autoptr(AbDesResult) des = NULL;
  gboolean down[A_N] = { FALSE };
  AbModelInput input = { 1.0, NULL, down, FALSE, FALSE };
  const AbDesPhaseResult *normal, *failure;

  down[lost] = TRUE;
  model = ab_model_evaluate (net, &input);
  des = run (net, sc, 400000);
  normal = &des->phases[0];
  failure = &des->phases[1];
  g_assert_cmpstr (failure->name, ==, "failure");
  g_test_message ("%s lost: model errors %.4f, rep1 %.4f; DES errors %.4f, "
                  "background errors %.4f, rep1 %.4f",
                  net->stations[lost].id, model->error_rate,
                  model->stations[A_REP1].utilization, failure->error_rate,
                  failure->background_error_rate, failure->stations[A_REP1].utilization);

  g_assert_cmpfloat (normal->error_rate, ==, 0.0);
  /* the DES fails what the model fails, and loads the live replica as
   * the model does */
  g_assert_cmpfloat_with_epsilon (failure->error_rate, model->error_rate, 0.03);
  g_assert_cmpfloat_with_epsilon (failure->stations[A_REP1].utilization,
                                  model->stations[A_REP1].utilization, 0.02);
  if (lost == A_REP1)
    {
      /* the requests that chose rep1 fail: rep2's background work does
       * not answer them */
      g_assert_cmpfloat_with_epsilon (model->error_rate, 0.5, 0.01);
      g_assert_cmpfloat (failure->stations[A_REP2].utilization, <, 0.2);
    }
  else
    {
      /* rep2's background work fails; no request waits on rep1 for it */
      g_assert_cmpfloat (model->error_rate, <, 1e-6);
      g_assert_cmpfloat (failure->background_error_rate, >, 0.9);
      g_assert_cmpfloat_with_epsilon (failure->stations[A_REP1].utilization,
                                      normal->stations[A_REP1].utilization, 0.02);
    }
}

static void
test_async_member_sync_lost (void)
{
  check_lost_member (A_REP1);
}

static void
test_async_member_async_lost (void)
{
  check_lost_member (A_REP2);
}

/* ------------------------------------------------ weights below 1 -- */

/* app reads from rep1 with weight 0.3 and rep2 with 0.3, one group (a
 * hand-built network: routing normalises its groups): 40 % of the reads
 * make neither call, as the model takes it; the DES used to pick one
 * member always (50 / 50).  @scale multiplies the rate and the instances
 * (a large design is simulated through representatives and per-station
 * load). */
static void
check_partial_group (double scale)
{
  g_autoptr(AbNetwork) net = mixed_group ();
  g_autoptr(AbScenario) sc = ab_scenario_new_normal (10.0);
  g_autoptr(AbModelResult) model = NULL;
  g_autoptr(AbDesResult) des = NULL;
  AbCallList *list = &net->calls[A_APP * AB_N_CLASSES + AB_CLASS_READ];
  double rate;

  list->calls[0].probability = 0.3;
  list->calls[1].probability = 0.3;
  list->calls[1].async = FALSE;
  net->rate[AB_CLASS_READ] *= scale;
  for (int i = A_APP; i < A_N; i++)
    net->stations[i].instances = (int) scale;
  rate = net->rate[AB_CLASS_READ];
  model = ab_model_evaluate (net, NULL);
  des = run (net, sc, 400000);
  g_test_message ("x%g: model rep1 %.1f/s, rep2 %.1f/s; DES rep1 %.1f/s, rep2 %.1f/s, mean %.3f ms "
                  "(model %.3f ms)", scale,
                  model->stations[A_REP1].served_rps, model->stations[A_REP2].served_rps,
                  des->phases[0].stations[A_REP1].served_rps,
                  des->phases[0].stations[A_REP2].served_rps,
                  des->phases[0].latency[AB_DES_ALL].mean_ms.value, model->latency[AB_CLASS_READ].mean_ms);
  for (int r = A_REP1; r <= A_REP2; r++)
    {
      g_assert_cmpfloat_with_epsilon (model->stations[r].served_rps, 0.3 * rate, 1e-9 * rate);
      g_assert_cmpfloat_with_epsilon (des->phases[0].stations[r].served_rps, 0.3 * rate, 0.03 * rate);
    }
  g_assert_cmpfloat (des->phases[0].error_rate, ==, 0.0);
  g_assert_cmpfloat_with_epsilon (des->phases[0].latency[AB_DES_ALL].mean_ms.value,
                                  model->latency[AB_CLASS_READ].mean_ms,
                                  0.05 * model->latency[AB_CLASS_READ].mean_ms);
}

static void
test_partial_group (void)
{
  check_partial_group (1.0);
}

static void
test_partial_group_large (void)
{
  check_partial_group (200.0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/des/groups/zero-chance-calls", test_zero_chance_calls);
  g_test_add_func ("/des/groups/zero-chance-never-made", test_zero_chance_never_made);
  g_test_add_func ("/des/groups/async-member/sync-lost", test_async_member_sync_lost);
  g_test_add_func ("/des/groups/async-member/async-lost", test_async_member_async_lost);
  g_test_add_func ("/des/groups/weights-below-one", test_partial_group);
  g_test_add_func ("/des/groups/weights-below-one/large", test_partial_group_large);
  return g_test_run ();
}
