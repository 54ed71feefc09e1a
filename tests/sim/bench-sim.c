/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmarks of the simulation model: the analytical model on a
 * 200-component design (target < 1 ms) and the default timeline DES run
 * of every reference solution (target < 300 ms), and the model's summary
 * of that timeline (its ramps mixed over several loads).  Prints
 * figures. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ab-sim-api.h"
#include "sim-test-util.h"

#define DES_RUNS 3

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static const char *
add (AbDesign *d, AbKind kind, int instances)
{
  return ab_design_add_component (d, kind, NULL, 0, 0, instances);
}

static void
link_ (AbDesign *d, const char *a, const char *b)
{
  g_autoptr(GError) error = NULL;

  ab_design_connect (d, a, b, &error);
  g_assert_no_error (error);
}

/* 200 components: clients, lbs, apps with caches, sharded primaries with
 * replicas, queues with workers, object stores and search. */
static AbDesign *
big_design (void)
{
  AbDesign *d = ab_design_new ("bench");
  const char *lb[2], *app[60], *cache[20], *primary[20], *replica[40], *queue[10], *worker[30],
             *store[10], *search[7];
  const char *client = add (d, AB_KIND_CLIENT, 1);

  ab_design_begin_group (d, "build");
  for (int i = 0; i < 2; i++)
    lb[i] = g_strdup (add (d, AB_KIND_LB, 2));
  for (int i = 0; i < 60; i++)
    app[i] = g_strdup (add (d, AB_KIND_APP, 4));
  for (int i = 0; i < 20; i++)
    cache[i] = g_strdup (add (d, AB_KIND_CACHE, 1));
  for (int i = 0; i < 20; i++)
    primary[i] = g_strdup (add (d, AB_KIND_DB_PRIMARY, 1));
  for (int i = 0; i < 40; i++)
    replica[i] = g_strdup (add (d, AB_KIND_DB_REPLICA, 1));
  for (int i = 0; i < 10; i++)
    queue[i] = g_strdup (add (d, AB_KIND_QUEUE, 1));
  for (int i = 0; i < 30; i++)
    worker[i] = g_strdup (add (d, AB_KIND_WORKER, 2));
  for (int i = 0; i < 10; i++)
    store[i] = g_strdup (add (d, AB_KIND_OBJECT_STORE, 1));
  for (int i = 0; i < 7; i++)
    search[i] = g_strdup (add (d, AB_KIND_SEARCH, 2));
  for (int i = 0; i < 2; i++)
    {
      link_ (d, client, lb[i]);
      for (int j = 0; j < 60; j++)
        link_ (d, lb[i], app[j]);
    }
  for (int j = 0; j < 60; j++)
    {
      link_ (d, app[j], cache[j % 20]);
      link_ (d, app[j], primary[j % 20]);
      link_ (d, app[j], primary[(j + 7) % 20]);
      link_ (d, app[j], replica[j % 40]);
      link_ (d, app[j], replica[(j + 1) % 40]);
      link_ (d, app[j], queue[j % 10]);
      link_ (d, app[j], search[j % 6]);
    }
  for (int i = 0; i < 20; i++)
    {
      link_ (d, primary[i], replica[(2 * i) % 40]);
      link_ (d, primary[i], replica[(2 * i + 1) % 40]);
    }
  for (int i = 0; i < 30; i++)
    {
      link_ (d, queue[i % 10], worker[i]);
      link_ (d, worker[i], store[i % 10]);
      link_ (d, worker[i], primary[i % 20]);
    }
  ab_design_end_group (d);
  g_assert_cmpuint (ab_design_get_n_components (d), ==, 200);
  return d;
}

static void
bench_model (void)
{
  g_autoptr(AbDesign) design = big_design ();
  g_autoptr(GError) error = NULL;
  AbWorkload w = { 0 };
  g_autoptr(AbRoute) route = NULL;
  double times[201], route_times[21];

  w.read_rps = 50000;
  w.write_rps = 5000;
  w.search_share = 0.1;
  for (int i = 0; i < 21; i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      AbRoute *r = ab_route_build (design, &w, &error);
      route_times[i] = (g_get_monotonic_time () - t0) / 1000.0;
      g_assert_no_error (error);
      ab_route_free (r);
    }
  route = ab_route_build (design, &w, &error);
  for (int i = 0; i < 201; i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      AbModelResult *res = ab_model_evaluate (ab_route_get_network (route), NULL);
      times[i] = (g_get_monotonic_time () - t0) / 1000.0;
      ab_model_result_free (res);
    }
  qsort (times, 201, sizeof (double), compare_doubles);
  qsort (route_times, 21, sizeof (double), compare_doubles);
  printf ("analytical model, 200 components, %u connections: median %.3f ms, min %.3f ms, max %.3f ms (target < 1 ms)\n",
          ab_design_get_n_connections (design), times[100], times[0], times[200]);
  printf ("routing (design -> network), 200 components: median %.3f ms\n", route_times[10]);
}

static void
bench_timelines (void)
{
  AbProblemSet *set = ab_problem_set_get_default ();
  double worst = 0.0;

  for (guint i = 0; i < ab_problem_set_get_n (set); i++)
    {
      AbProblem *p = ab_problem_set_get_nth (set, i);
      g_autoptr(AbDesign) design = sim_reference_design (p);
      g_autoptr(GError) error = NULL;
      g_autoptr(AbRoute) route = ab_route_build (design, &p->workload, &error);
      const AbNetwork *net;
      const char *fail = NULL;
      double failover_s = -1.0;
      g_autoptr(AbScenario) scenario = NULL;
      g_autoptr(AbDesResult) res = NULL;
      AbDesConfig config;
      double ms;

      g_assert_no_error (error);
      net = ab_route_get_network (route);
      for (guint s = 0; s < net->n_stations && fail == NULL; s++)
        if (net->stations[s].kind == AB_KIND_CACHE || net->stations[s].kind == AB_KIND_DB_PRIMARY)
          {
            fail = net->stations[s].id;
            failover_s = net->stations[s].failover_to >= 0 ? net->stations[s].failover_s : -1.0;
          }
      scenario = ab_scenario_new_default_timeline_full (p->workload.peak_multiplier, fail, failover_s);
      ab_des_config_init (&config);
      /* thread CPU time, least of DES_RUNS runs: the wall clock of a
       * loaded machine says more about the machine than the run */
      ms = G_MAXDOUBLE;
      for (int run = 0; run < DES_RUNS; run++)
        {
          struct timespec t0, t1;

          g_clear_pointer (&res, ab_des_result_free);
          clock_gettime (CLOCK_THREAD_CPUTIME_ID, &t0);
          res = ab_des_run (net, scenario, &config, &error);
          clock_gettime (CLOCK_THREAD_CPUTIME_ID, &t1);
          g_assert_no_error (error);
          ms = MIN (ms, (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
        }
      worst = MAX (worst, ms);
      printf ("default timeline DES  %-28s %7.1f ms CPU  (%" G_GUINT64_FORMAT " events, %u replications)\n",
              p->id, ms, res->events, res->replications);
    }
  printf ("default timeline DES: worst %.1f ms CPU (least of %d runs) over %u reference solutions "
          "(target < 300 ms)\n", worst, DES_RUNS, ab_problem_set_get_n (set));
}

/* The CPU time of the model's summary of the default timeline of
 * @design (what the window and archboard-cli simulate compute for the
 * model), a fresh setup each time so every load is evaluated: the
 * median of 5, ms. */
static double
model_summary_ms (AbDesign           *design,
                  AbProblem          *problem,
                  const AbSimOptions *options)
{
  double times[5];

  for (guint r = 0; r < G_N_ELEMENTS (times); r++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AbSimSetup) setup = ab_sim_setup_new (design, problem, options, &error);
      g_autoptr(AbSimSummary) summary = NULL;
      struct timespec t0, t1;

      g_assert_no_error (error);
      clock_gettime (CLOCK_THREAD_CPUTIME_ID, &t0);
      summary = ab_sim_summary_new_model (setup);
      clock_gettime (CLOCK_THREAD_CPUTIME_ID, &t1);
      times[r] = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
    }
  qsort (times, G_N_ELEMENTS (times), sizeof (double), compare_doubles);
  return times[2];
}

/* The model's summary of the default timeline of every reference (what
 * the window and archboard-cli simulate compute for the model), in CPU
 * time: a fresh setup each time, so every load is evaluated. */
static void
bench_model_timelines (void)
{
  AbProblemSet *set = ab_problem_set_get_default ();
  double worst = 0.0, total = 0.0;
  const char *worst_id = NULL;

  for (guint i = 0; i < ab_problem_set_get_n (set); i++)
    {
      AbProblem *p = ab_problem_set_get_nth (set, i);
      g_autoptr(AbDesign) design = sim_reference_design (p);
      double ms = model_summary_ms (design, p, NULL);

      total += ms;
      if (ms > worst)
        {
          worst = ms;
          worst_id = p->id;
        }
    }
  printf ("default timeline model summary: worst %.2f ms CPU (%s), all %u references %.1f ms (medians of 5)\n",
          worst, worst_id, ab_problem_set_get_n (set), total);
}

/* The same for the widest pool the chain of one instance among the
 * others takes (docs/simulation.md, "Several instances of a pool"): a
 * client, 16 one-thread app instances under round robin, a database of
 * one slot at 85 %, the catalog's defaults otherwise */
static void
bench_model_wide_pool (void)
{
  static const char *json =
    "{\"format\":\"archboard-design\",\"version\":1,\"components\":["
    "{\"id\":\"c1\",\"kind\":\"client\",\"label\":\"C\",\"x\":0,\"y\":0,\"instances\":1},"
    "{\"id\":\"c2\",\"kind\":\"app\",\"label\":\"App\",\"x\":200,\"y\":0,\"instances\":16,"
    "\"params\":{\"concurrency\":1,\"service_ms\":1}},"
    "{\"id\":\"c3\",\"kind\":\"db_primary\",\"label\":\"DB\",\"x\":400,\"y\":0,\"instances\":1,"
    "\"params\":{\"concurrency\":1,\"service_ms\":5}}],"
    "\"connections\":[{\"id\":\"e1\",\"from\":\"c1\",\"to\":\"c2\",\"mode\":\"sync\"},"
    "{\"id\":\"e2\",\"from\":\"c2\",\"to\":\"c3\",\"mode\":\"sync\"}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(AbDesign) design = ab_design_load_from_data (json, -1, "wide-pool.archboard", &error);
  AbSimOptions options;

  g_assert_no_error (error);
  ab_sim_options_init (&options);
  options.read_rps = 170.0;
  options.write_rps = 0.0;
  printf ("default timeline model summary, 16 one-thread instances over a database at 85 %%: %.0f ms CPU "
          "(median of 5; the live simulation shows the model this much later)\n",
          model_summary_ms (design, NULL, &options));
}

int
main (int argc, char **argv)
{
  bench_model ();
  bench_model_timelines ();
  bench_model_wide_pool ();
  if (argc < 2 || g_strcmp0 (argv[1], "--model-only") != 0)
    bench_timelines ();
  return 0;
}
