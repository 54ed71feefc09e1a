/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Wide designs in the DES: one component calling thousands of others (a
 * hub in front of many shards, or of 10,000 caches each with its
 * fallback), and the limit on cache lookups waiting for their fallback at
 * the same time. */
#include "config.h"

#include <string.h>

#include "ab-types.h"
#include "des-test-util.h"

#define N_SHARDS 10000

static void
test_hub_10000_shards (void)
{
  g_autoptr(AbNetwork) net = ab_network_new (N_SHARDS + 1);
  g_autoptr(AbScenario) sc = des_test_scenario (20.0, 2.0, 1.0, 11);
  g_autoptr(AbDesResult) r = NULL;
  g_autoptr(GError) error = NULL;
  const AbDesPhaseResult *p;
  double sum = 0.0, lo = G_MAXDOUBLE, hi = 0.0, rate = 20000.0;

  for (guint i = 0; i <= N_SHARDS; i++)
    {
      AbStation *st = &net->stations[i];

      st->id = g_strdup_printf (i == 0 ? "hub" : "shard%u", i);
      st->kind = AB_KIND_APP;
      st->instances = 1;
      st->concurrency = i == 0 ? 64 : 4;
      st->service_ms[AB_CLASS_READ] = i == 0 ? 1.0 : 2.0;
      st->dist = AB_DIST_EXPONENTIAL;
      st->failover_to = -1;
      if (i > 0)
        {
          AbCall *call = ab_network_add_call (net, 0, AB_CLASS_READ, (int) i);

          call->group = 0;
          call->probability = 1.0 / N_SHARDS;
        }
    }
  ab_network_add_entry (net, AB_CLASS_READ, 0, 1.0);
  net->rate[AB_CLASS_READ] = rate;

  r = ab_des_run (net, sc, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);
  p = &r->phases[0];
  g_assert_cmpuint (p->class_errors[AB_CLASS_READ], ==, 0);
  g_assert_cmpfloat_with_epsilon (p->stations[0].served_rps, rate, 0.03 * rate);
  for (guint i = 1; i <= N_SHARDS; i++)
    {
      sum += p->stations[i].served_rps;
      lo = MIN (lo, p->stations[i].served_rps);
      hi = MAX (hi, p->stations[i].served_rps);
    }
  /* every shard gets its 1 / 10,000 (2 requests/s: about 40 in the phase,
   * so a Poisson spread, but none idle and none taking a multiple) */
  g_assert_cmpfloat_with_epsilon (sum, p->stations[0].served_rps, 0.01 * rate);
  g_assert_cmpfloat (lo, >, 0.0);
  g_assert_cmpfloat (hi, <, 4.0 * rate / N_SHARDS);
  g_assert_cmpfloat_with_epsilon (sum / N_SHARDS, rate / N_SHARDS, 0.03 * rate / N_SHARDS);
  /* user latency: the hub's 1 ms and a shard's 2 ms, lightly loaded */
  g_assert_cmpfloat (p->latency[AB_DES_READ].mean_ms.value, >, 2.7);
  g_assert_cmpfloat (p->latency[AB_DES_READ].mean_ms.value, <, 4.0);
}

/* app reads each of @n caches, falling back on its own database per
 * cache (cache-aside); caches hit 0.75 */
static AbNetwork *
many_lookups (guint n)
{
  AbNetwork *net = ab_network_new (1 + 2 * n);

  for (guint i = 0; i < 1 + 2 * n; i++)
    {
      AbStation *st = &net->stations[i];

      st->id = g_strdup_printf ("n%u", i);
      st->kind = i == 0 ? AB_KIND_APP : i % 2 == 1 ? AB_KIND_CACHE : AB_KIND_DB_PRIMARY;
      st->instances = 1;
      st->concurrency = 8;
      st->service_ms[AB_CLASS_READ] = 0.1;
      st->hit_ratio = i % 2 == 1 ? 0.75 : 0.0;
      st->dist = AB_DIST_EXPONENTIAL;
      st->failover_to = -1;
    }
  for (guint k = 0; k < n; k++)
    {
      AbCall *call;

      ab_network_add_call (net, 0, AB_CLASS_READ, (int) (1 + 2 * k));
      call = ab_network_add_call (net, 0, AB_CLASS_READ, (int) (2 + 2 * k));
      call->on_miss_of = (int) (2 * k);
    }
  ab_network_add_entry (net, AB_CLASS_READ, 0, 1.0);
  net->rate[AB_CLASS_READ] = 50.0;
  return net;
}

static void
test_many_lookups (void)
{
  /* 64 lookups: the last ones sit past call 64 of the list */
  g_autoptr(AbNetwork) net = many_lookups (64);
  g_autoptr(AbScenario) sc = des_test_scenario (40.0, 2.0, 1.0, 5);
  g_autoptr(AbDesResult) r = NULL;
  g_autoptr(GError) error = NULL;
  const AbDesPhaseResult *p;

  r = ab_des_run (net, sc, NULL, &error);
  g_assert_no_error (error);
  p = &r->phases[0];
  g_assert_cmpuint (p->class_errors[AB_CLASS_READ], ==, 0);
  for (guint k = 0; k < 64; k++)
    {
      /* every cache sees every read, its database a quarter of them */
      g_assert_cmpfloat_with_epsilon (p->stations[1 + 2 * k].served_rps, 50.0, 5.0);
      g_assert_cmpfloat_with_epsilon (p->stations[2 + 2 * k].served_rps, 12.5, 3.5);
    }
}

/* app reads one of @n caches (a group, as the routing makes it for a
 * tier of caches), falling back on that cache's own database; caches hit
 * 0.75.  A fallback must run only after its own cache missed. */
static AbNetwork *
hub_caches_aside (guint n, double rate)
{
  AbNetwork *net = ab_network_new (1 + 2 * n);

  for (guint i = 0; i < 1 + 2 * n; i++)
    {
      AbStation *st = &net->stations[i];

      st->id = g_strdup_printf ("n%u", i);
      st->kind = i == 0 ? AB_KIND_APP : i <= n ? AB_KIND_CACHE : AB_KIND_DB_PRIMARY;
      st->instances = 1;
      st->concurrency = i == 0 ? 64 : 8;
      st->service_ms[AB_CLASS_READ] = 0.1;
      st->hit_ratio = i >= 1 && i <= n ? 0.75 : 0.0;
      st->dist = AB_DIST_EXPONENTIAL;
      st->failover_to = -1;
    }
  for (guint k = 0; k < n; k++)
    {
      AbCall *call = ab_network_add_call (net, 0, AB_CLASS_READ, (int) (1 + k));

      call->group = 0;
      call->probability = 1.0 / n;
    }
  for (guint k = 0; k < n; k++)
    {
      AbCall *call = ab_network_add_call (net, 0, AB_CLASS_READ, (int) (1 + n + k));

      call->on_miss_of = (int) k;
    }
  ab_network_add_entry (net, AB_CLASS_READ, 0, 1.0);
  net->rate[AB_CLASS_READ] = rate;
  return net;
}

static void
test_hub_10000_caches_aside (void)
{
  const guint n = 10000;
  const double rate = 400.0;
  g_autoptr(AbNetwork) net = hub_caches_aside (n, rate);
  g_autoptr(AbScenario) sc = des_test_scenario (20.0, 2.0, 1.0, 3);
  g_autoptr(AbDesResult) r = NULL;
  g_autoptr(GError) error = NULL;
  const AbDesPhaseResult *p;
  double caches = 0.0, dbs = 0.0;
  guint own = 0;
  AbDesConfig config;

  ab_des_config_init (&config);
  config.replications = 4;
  r = ab_des_run (net, sc, &config, &error);
  g_assert_no_error (error);
  p = &r->phases[0];
  g_assert_cmpuint (p->class_errors[AB_CLASS_READ], ==, 0);
  for (guint k = 0; k < n; k++)
    {
      caches += p->stations[1 + k].served_rps;
      dbs += p->stations[1 + n + k].served_rps;
      /* a database is visited only when its own cache was */
      if (p->stations[1 + n + k].served_rps > 0.0)
        own += p->stations[1 + k].served_rps > 0.0;
      else
        own++;
    }
  g_assert_cmpuint (own, ==, n);
  g_assert_cmpfloat_with_epsilon (caches, rate, 0.03 * rate);
  /* a quarter of the reads miss, and each miss goes to one database */
  g_assert_cmpfloat_with_epsilon (dbs, 0.25 * rate, 0.05 * 0.25 * rate);
}

static void
test_10000_lookups_in_turn (void)
{
  /* 10,000 caches one after the other, each with its fallback right
   * behind it: a request makes 10,000 lookups and about 2,500 fallbacks */
  const guint n = 10000;
  g_autoptr(AbNetwork) net = many_lookups (n);
  g_autoptr(AbScenario) sc = des_test_scenario (10.0, 1.0, 1.0, 7);
  g_autoptr(AbDesResult) r = NULL;
  g_autoptr(GError) error = NULL;
  const AbDesPhaseResult *p;
  double caches = 0.0, dbs = 0.0;
  AbDesConfig config;

  /* short visits, so a request (12,500 of them) is over in about 0.1 s */
  for (guint i = 1; i < net->n_stations; i++)
    net->stations[i].service_ms[AB_CLASS_READ] = 0.01;
  net->rate[AB_CLASS_READ] = 10.0;
  ab_des_config_init (&config);
  config.sample_budget = 4000000;
  r = ab_des_run (net, sc, &config, &error);
  g_assert_no_error (error);
  p = &r->phases[0];
  g_assert_cmpuint (p->class_errors[AB_CLASS_READ], ==, 0);
  for (guint k = 0; k < n; k++)
    {
      caches += p->stations[1 + 2 * k].served_rps;
      dbs += p->stations[2 + 2 * k].served_rps;
    }
  /* every request visits every cache: the sum is n times the served rate */
  g_assert_false (r->windowed);
  g_assert_cmpfloat_with_epsilon (caches, n * p->served_rps, 0.03 * n * p->served_rps);
  g_assert_cmpfloat_with_epsilon (dbs, 0.25 * caches, 0.03 * 0.25 * caches);
}

static void
test_too_many_lookups (void)
{
  /* 65 lookups made before any of their fallbacks: 65 wait at once */
  const guint n = 65;
  g_autoptr(AbNetwork) net = ab_network_new (1 + 2 * n);
  g_autoptr(AbScenario) sc = des_test_scenario (10.0, 1.0, 1.0, 5);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 1 + 2 * n; i++)
    {
      AbStation *st = &net->stations[i];

      st->id = g_strdup_printf ("n%u", i);
      st->kind = i == 0 ? AB_KIND_APP : i <= n ? AB_KIND_CACHE : AB_KIND_DB_PRIMARY;
      st->instances = 1;
      st->concurrency = 8;
      st->service_ms[AB_CLASS_READ] = 0.1;
      st->failover_to = -1;
    }
  for (guint k = 0; k < n; k++)
    ab_network_add_call (net, 0, AB_CLASS_READ, (int) (1 + k));
  for (guint k = 0; k < n; k++)
    ab_network_add_call (net, 0, AB_CLASS_READ, (int) (1 + n + k))->on_miss_of = (int) k;
  ab_network_add_entry (net, AB_CLASS_READ, 0, 1.0);
  net->rate[AB_CLASS_READ] = 10.0;

  g_assert_null (ab_des_run (net, sc, NULL, &error));
  g_assert_error (error, AB_ERROR, AB_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "\"n0\""));
  g_assert_nonnull (strstr (error->message, "too many cache lookups"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/des/wide/hub-10000-shards", test_hub_10000_shards);
  g_test_add_func ("/des/wide/many-lookups", test_many_lookups);
  g_test_add_func ("/des/wide/hub-10000-caches-aside", test_hub_10000_caches_aside);
  g_test_add_func ("/des/wide/10000-lookups-in-turn", test_10000_lookups_in_turn);
  g_test_add_func ("/des/wide/too-many-lookups", test_too_many_lookups);
  return g_test_run ();
}
