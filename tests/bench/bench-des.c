/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DES speed figures (targets in README.md, "Measured performance"):
 * - events/s of ab_des_run on a chain of M/M/c stations, and of a minimal
 *   hand-written event loop of the same model (binary heap, no
 *   abstraction) in the same run;
 * - run time of a 10 req/s and a 10 M req/s design with the same budget;
 * - a default background run (normal, peak, failure);
 * - the same for an overloaded single-instance design (1 app server at
 *   11,000 req/s), which the budget covers only in windows.
 * Prints the figures; exits non-zero only if a run fails. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ab-rng.h"
#include "des-test-util.h"

#define CHAIN 3
#define SLOTS 4
#define SERVICE_S 0.010
#define RHO 0.7

/* ------------------------------------------------- the minimal loop -- */

typedef struct {
  double t;
  int    type;   /* 0 arrival, 1 departure */
  int    job;
} MinEvent;

typedef struct {
  MinEvent *h;
  int       n, cap;
} MinHeap;

static void
min_push (MinHeap *hp, MinEvent e)
{
  int i;

  if (hp->n == hp->cap)
    {
      hp->cap = hp->cap ? hp->cap * 2 : 1024;
      hp->h = realloc (hp->h, sizeof (MinEvent) * hp->cap);
    }
  i = hp->n++;
  while (i > 0 && hp->h[(i - 1) / 2].t > e.t)
    {
      hp->h[i] = hp->h[(i - 1) / 2];
      i = (i - 1) / 2;
    }
  hp->h[i] = e;
}

static MinEvent
min_pop (MinHeap *hp)
{
  MinEvent top = hp->h[0], last = hp->h[--hp->n];
  int i = 0;

  for (;;)
    {
      int c = 2 * i + 1;

      if (c >= hp->n)
        break;
      if (c + 1 < hp->n && hp->h[c + 1].t < hp->h[c].t)
        c++;
      if (hp->h[c].t < last.t)
        {
          hp->h[i] = hp->h[c];
          i = c;
        }
      else
        break;
    }
  if (hp->n > 0)
    hp->h[i] = last;
  return top;
}

/* M/M/c stations in tandem; returns events processed, *mean_ms the mean
 * sojourn through the chain. */
static guint64
minimal_loop (guint64 requests, guint64 seed, double *mean_ms)
{
  const double lambda = RHO * SLOTS / SERVICE_S;
  MinHeap hp = { 0 };
  AbRng rng;
  int busy[CHAIN] = { 0 };
  int *queue[CHAIN];
  int qhead[CHAIN] = { 0 }, qlen[CHAIN] = { 0 }, qcap[CHAIN];
  double *start = NULL;
  int *stage = NULL, *free_list = NULL;
  int n_jobs = 0, cap_jobs = 0, n_free = 0;
  guint64 events = 0, generated = 0, done = 0;
  double sum = 0.0;

  ab_rng_seed (&rng, seed);
  for (int s = 0; s < CHAIN; s++)
    {
      qcap[s] = 1024;
      queue[s] = malloc (sizeof (int) * qcap[s]);
    }
  min_push (&hp, (MinEvent) { ab_rng_exponential (&rng, 1.0 / lambda), 0, -1 });
  while (hp.n > 0 && done < requests)
    {
      MinEvent e = min_pop (&hp);
      int j, s;

      events++;
      if (e.type == 0)
        {
          if (++generated < requests)
            min_push (&hp, (MinEvent) { e.t + ab_rng_exponential (&rng, 1.0 / lambda), 0, -1 });
          if (n_free > 0)
            j = free_list[--n_free];
          else
            {
              if (n_jobs == cap_jobs)
                {
                  cap_jobs = cap_jobs ? cap_jobs * 2 : 1024;
                  start = realloc (start, sizeof (double) * cap_jobs);
                  stage = realloc (stage, sizeof (int) * cap_jobs);
                  free_list = realloc (free_list, sizeof (int) * cap_jobs);
                }
              j = n_jobs++;
            }
          start[j] = e.t;
          stage[j] = 0;
        }
      else
        {
          j = e.job;
          s = stage[j];
          if (qlen[s] > 0)
            {
              int w = queue[s][qhead[s]];

              qhead[s] = (qhead[s] + 1) % qcap[s];
              qlen[s]--;
              min_push (&hp, (MinEvent) { e.t + ab_rng_exponential (&rng, SERVICE_S), 1, w });
            }
          else
            busy[s]--;
          if (++stage[j] == CHAIN)
            {
              sum += e.t - start[j];
              done++;
              free_list[n_free++] = j;
              continue;
            }
        }
      /* job j arrives at stage[j] */
      s = stage[j];
      if (busy[s] < SLOTS)
        {
          busy[s]++;
          min_push (&hp, (MinEvent) { e.t + ab_rng_exponential (&rng, SERVICE_S), 1, j });
        }
      else
        {
          if (qlen[s] == qcap[s])
            {
              int *nq = malloc (sizeof (int) * qcap[s] * 2);

              for (int i = 0; i < qlen[s]; i++)
                nq[i] = queue[s][(qhead[s] + i) % qcap[s]];
              free (queue[s]);
              queue[s] = nq;
              qhead[s] = 0;
              qcap[s] *= 2;
            }
          queue[s][(qhead[s] + qlen[s]) % qcap[s]] = j;
          qlen[s]++;
        }
    }
  *mean_ms = done > 0 ? 1000.0 * sum / done : 0.0;
  for (int s = 0; s < CHAIN; s++)
    free (queue[s]);
  free (hp.h);
  free (start);
  free (stage);
  free (free_list);
  return events;
}

/* ---------------------------------------------------------- the DES -- */

static double
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
}

/* CPU time of this thread: the figure that does not depend on how busy
 * the shared machine is */
static double
cpu_s (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static AbDesResult *
run_or_die (const AbNetwork *net, const AbScenario *sc, const AbDesConfig *cfg)
{
  g_autoptr(GError) error = NULL;
  AbDesResult *r = ab_des_run (net, sc, cfg, &error);

  if (r == NULL)
    {
      fprintf (stderr, "bench-des: %s\n", error->message);
      exit (1);
    }
  return r;
}

static void
bench_event_rate (guint64 requests)
{
  const double lambda = RHO * SLOTS / SERVICE_S;
  g_autoptr(AbNetwork) net = des_test_chain (CHAIN, SLOTS, SERVICE_S * 1000.0, lambda,
                                             AB_DIST_EXPONENTIAL);
  g_autoptr(AbScenario) sc = des_test_scenario (requests / lambda, 0.0, 10.0, 1);
  g_autoptr(AbDesResult) r = NULL;
  AbDesConfig cfg;
  double t0, t_des, t_min, c_des, c_min, mean_min, des_rate, min_rate;
  guint64 min_events;

  ab_des_config_init (&cfg);
  cfg.replications = 1;
  cfg.sample_budget = requests * CHAIN * 2;

  /* best of three for both, interleaved, on a shared machine */
  t_des = t_min = c_des = c_min = G_MAXDOUBLE;
  for (int i = 0; i < 3; i++)
    {
      double c0;

      g_clear_pointer (&r, ab_des_result_free);
      t0 = now_s ();
      c0 = cpu_s ();
      r = run_or_die (net, sc, &cfg);
      c_des = MIN (c_des, cpu_s () - c0);
      t_des = MIN (t_des, now_s () - t0);
      t0 = now_s ();
      c0 = cpu_s ();
      min_events = minimal_loop (requests, 1, &mean_min);
      c_min = MIN (c_min, cpu_s () - c0);
      t_min = MIN (t_min, now_s () - t0);
    }
  des_rate = r->events / c_des;
  min_rate = min_events / c_min;
  printf ("M/M/%d chain of %d at rho %.1f, %" G_GUINT64_FORMAT " requests (best of 3):\n",
          SLOTS, CHAIN, RHO, requests);
  printf ("  ab_des_run:    %" G_GUINT64_FORMAT " events, %.3f s CPU (%.3f s wall) = "
          "%.2f M events/s per CPU second (mean %.3f ms)\n", r->events, c_des, t_des,
          des_rate / 1e6, r->phases[0].latency[AB_DES_ALL].mean_ms.value);
  printf ("  minimal loop:  %" G_GUINT64_FORMAT " events, %.3f s CPU (%.3f s wall) = "
          "%.2f M events/s per CPU second (mean %.3f ms)\n", min_events, c_min, t_min,
          min_rate / 1e6, mean_min);
  printf ("  ratio des / minimal = %.2f (target >= 0.5); des >= 10 M events/s: %s\n",
          des_rate / min_rate, des_rate >= 1e7 ? "yes" : "no");
}

static double
time_design (double rate, int instances, guint64 budget, AbDesResult **out)
{
  g_autoptr(AbNetwork) net = des_test_chain (2, 8, 10.0, rate, AB_DIST_EXPONENTIAL);
  g_autoptr(AbScenario) sc = ab_scenario_new_default_timeline (2.0, "s1");
  AbDesConfig cfg;
  double c0;

  /* 0.6 of capacity per instance at multiplier 1: 480/s per instance */
  net->stations[0].instances = instances;
  net->stations[1].instances = instances;
  net->stations[1].failover_to = -1;
  ab_des_config_init (&cfg);
  cfg.sample_budget = budget;
  c0 = cpu_s ();
  *out = run_or_die (net, sc, &cfg);
  return cpu_s () - c0;
}

static void
bench_rate_independence (guint64 budget)
{
  AbDesResult *lo = NULL, *hi = NULL;
  double t_lo = G_MAXDOUBLE, t_hi = G_MAXDOUBLE;

  for (int i = 0; i < 3; i++)
    {
      g_clear_pointer (&lo, ab_des_result_free);
      g_clear_pointer (&hi, ab_des_result_free);
      t_lo = MIN (t_lo, time_design (10.0, 1, budget, &lo));
      t_hi = MIN (t_hi, time_design (1e7, 1000000, budget, &hi));
    }
  printf ("same budget (%" G_GUINT64_FORMAT " visits), default timeline, CPU time, best of 3:\n",
          budget);
  printf ("  10 req/s:    %.1f ms, %u replications, %" G_GUINT64_FORMAT " visits, "
          "P99 %.1f ms\n", t_lo * 1000, lo->replications, lo->visits,
          lo->phases[0].latency[AB_DES_ALL].p99_ms.value);
  printf ("  10 M req/s:  %.1f ms, %u replications, %" G_GUINT64_FORMAT " visits, "
          "P99 %.1f ms, tracked fraction %.2g\n", t_hi * 1000, hi->replications, hi->visits,
          hi->phases[0].latency[AB_DES_ALL].p99_ms.value, hi->tracked_fraction);
  printf ("  ratio %.2f (target within 2x)\n", MAX (t_lo, t_hi) / MIN (t_lo, t_hi));
  ab_des_result_free (lo);
  ab_des_result_free (hi);
}

static void
bench_default_run (void)
{
  /* app x2 (cache-aside reads, writes to a primary with a replica) */
  g_autoptr(AbNetwork) net = des_test_chain (3, 8, 5.0, 400.0, AB_DIST_EXPONENTIAL);
  g_autoptr(AbScenario) sc = ab_scenario_new_default_timeline (3.0, "s2");
  g_autoptr(AbDesResult) r = NULL;
  double t0, c0, best = G_MAXDOUBLE, best_cpu = G_MAXDOUBLE;

  net->stations[0].instances = 2;
  net->rate[AB_CLASS_WRITE] = 100.0;
  for (int i = 0; i < 3; i++)
    {
      g_clear_pointer (&r, ab_des_result_free);
      t0 = now_s ();
      c0 = cpu_s ();
      r = run_or_die (net, sc, NULL);
      best_cpu = MIN (best_cpu, cpu_s () - c0);
      best = MIN (best, now_s () - t0);
    }
  printf ("default background run (normal, peak x3, failure, recovery; default budget):\n"
          "  %.1f ms CPU (%.1f ms wall), %u replications, %" G_GUINT64_FORMAT
          " events (target < 300 ms)\n",
          best_cpu * 1000, best * 1000, r->replications, r->events);
}

static void
bench_windowed_run (void)
{
  /* one app server (8 slots, 5 ms: 1,600 req/s, queue limit 4,096) in
   * front of a database, at 10,000 reads + 1,000 writes a second */
  g_autoptr(AbNetwork) net = des_test_chain (2, 8, 5.0, 10000.0, AB_DIST_EXPONENTIAL);
  g_autoptr(AbScenario) sc = ab_scenario_new_default_timeline (10.0, "s1");
  g_autoptr(AbDesResult) r = NULL;
  double t0, c0, best = G_MAXDOUBLE, best_cpu = G_MAXDOUBLE;

  net->rate[AB_CLASS_WRITE] = 1000.0;
  net->stations[0].queue_limit = 4096;
  net->stations[1].concurrency = 64;
  net->stations[1].service_ms[AB_CLASS_READ] = 1.0;
  net->stations[1].service_ms[AB_CLASS_WRITE] = 2.0;
  for (int i = 0; i < 3; i++)
    {
      g_clear_pointer (&r, ab_des_result_free);
      t0 = now_s ();
      c0 = cpu_s ();
      r = run_or_die (net, sc, NULL);
      best_cpu = MIN (best_cpu, cpu_s () - c0);
      best = MIN (best, now_s () - t0);
    }
  printf ("overloaded single-instance design, default timeline x10, default budget:\n"
          "  %.1f ms CPU (%.1f ms wall), %" G_GUINT64_FORMAT " visits, %" G_GUINT64_FORMAT
          " events, %s, %.1f s of %.0f s simulated%s\n", best_cpu * 1000, best * 1000, r->visits,
          r->events, r->windowed ? "windowed" : "whole", r->sampled_s, ab_scenario_duration (sc),
          r->truncated ? " (truncated)" : "");
  for (guint i = 0; i < r->n_phases; i++)
    printf ("    %-10s %6.3f s of %3.0f s in %u windows: served %6.0f/s, errors %5.1f %%, P50 %.0f ms\n",
            r->phases[i].name, r->phases[i].simulated_s, r->phases[i].duration_s, r->phases[i].windows,
            r->phases[i].served_rps, 100.0 * r->phases[i].error_rate,
            r->phases[i].latency[AB_DES_ALL].p50_ms.value);
}

int
main (int argc, char **argv)
{
  guint64 requests = argc > 1 ? g_ascii_strtoull (argv[1], NULL, 10) : 2000000;

  bench_event_rate (requests);
  bench_rate_independence (1000000);
  bench_default_run ();
  bench_windowed_run ();
  return 0;
}
