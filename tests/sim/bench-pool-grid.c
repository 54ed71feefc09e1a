/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The grid of blocking pools with several instances (docs/simulation.md,
 * "Several instances of a pool"): client -> app (instances x threads,
 * blocking) -> database (M/M/c of 5 ms), the model against a DES of the
 * same network.  Prints, per case, the slots held (utilisation) and the
 * mean, P50 and P95 of reads in the model and the DES with the model's
 * error, then a summary: cases whose worst error is above 10 %, the
 * median and the worst, per instance count and balancing policy.
 *
 * The grid: instances 2, 3, 4, 8; threads an instance 1, 2, 4; database
 * servers 1, 2, 4 at 50, 70 and 85 %; the app's own work 1 or 5 ms;
 * round robin and random.  Cases whose pool the model finds more than
 * 93 % busy are skipped (a DES there is known only to tens of per cent).
 *
 *   bench-pool-grid                 round robin, 4 and 8 instances (the
 *                                   hard part; under a minute)
 *   bench-pool-grid --full          every case (366; a few minutes)
 *   bench-pool-grid --model-only    the model alone (a second), e.g. with
 *                                   --full, to time it or to hold it
 *                                   against an earlier DES listing
 *   -i 3,8  -b rr|random  -u 0.85  -t 1,2  -s seconds  --budget n
 *                                   pick a part of the grid; the DES's
 *                                   simulated time and sample budget
 *   -v                              each station's figures too
 *   --saturated                     pools in front of a database they
 *                                   saturate (no limit, no timeout), the
 *                                   first against its closed form
 *   --cycle                         the closed cycle behind a pool over a
 *                                   pool of instances (round robin):
 *                                   how far the busy slots of gamma
 *                                   times lie from the exponential
 *                                   cycle's shortfall scaled by SCV^p,
 *                                   and by the derived factors of
 *                                   Allen-Cunneen and Kraemer &
 *                                   Langenbach-Belz
 *                                   (docs/simulation.md, "Pools in front
 *                                   of pools of instances")
 *
 * Every DES run uses the same seed, so a listing is reproducible. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ab-sim-api.h"
#include "sim-test-util.h"

#define HOP_MS 0.5
#define DB_MS 5.0

static gboolean opt_full, opt_model_only, opt_saturated, opt_verbose, opt_cycle;
static char *opt_instances, *opt_balance, *opt_utils, *opt_threads;
static double opt_seconds = 300.0, opt_budget = 2e6;

static GOptionEntry entries[] = {
  { "full", 0, 0, G_OPTION_ARG_NONE, &opt_full, "Every case of the grid", NULL },
  { "model-only", 'm', 0, G_OPTION_ARG_NONE, &opt_model_only, "The model alone, no DES", NULL },
  { "verbose", 'v', 0, G_OPTION_ARG_NONE, &opt_verbose, "Each station's figures too", NULL },
  { "saturated", 0, 0, G_OPTION_ARG_NONE, &opt_saturated, "A pool in front of a saturated database", NULL },
  { "cycle", 0, 0, G_OPTION_ARG_NONE, &opt_cycle, "The closed cycle of visits dealt to a pool of instances", NULL },
  { "instances", 'i', 0, G_OPTION_ARG_STRING, &opt_instances, "Instance counts (comma separated)", "LIST" },
  { "balance", 'b', 0, G_OPTION_ARG_STRING, &opt_balance, "rr, random or both", "POLICY" },
  { "utilisation", 'u', 0, G_OPTION_ARG_STRING, &opt_utils, "Database utilisations", "LIST" },
  { "threads", 't', 0, G_OPTION_ARG_STRING, &opt_threads, "Threads an instance", "LIST" },
  { "seconds", 's', 0, G_OPTION_ARG_DOUBLE, &opt_seconds, "Simulated seconds a case", "S" },
  { "budget", 0, 0, G_OPTION_ARG_DOUBLE, &opt_budget, "DES sample budget a case", "N" },
  { NULL }
};

/* client -> app -> db */
static AbNetwork *
pool_network (int       instances,
              int       threads,
              double    app_ms,
              AbBalance balance,
              int       db_c,
              double    db_ms,
              double    rate)
{
  AbNetwork *net = ab_network_new (3);

  for (int i = 0; i < 3; i++)
    {
      AbStation *st = &net->stations[i];

      st->id = g_strdup (i == 0 ? "client" : i == 1 ? "app" : "db");
      st->kind = i == 0 ? AB_KIND_CLIENT : i == 1 ? AB_KIND_APP : AB_KIND_DB_PRIMARY;
      st->instances = i == 1 ? instances : 1;
      st->failover_to = -1;
      st->balance = balance;
      if (i > 0)
        {
          st->concurrency = i == 1 ? threads : db_c;
          st->service_ms[AB_CLASS_READ] = st->service_ms[AB_CLASS_WRITE] = i == 1 ? app_ms : db_ms;
        }
      st->blocking_calls = i == 1;
      if (i < 2)
        ab_network_add_call (net, i, AB_CLASS_READ, i + 1)->net_ms = HOP_MS;
    }
  ab_network_add_entry (net, AB_CLASS_READ, 0, 1.0);
  ab_network_add_entry (net, AB_CLASS_WRITE, 0, 1.0);
  net->rate[AB_CLASS_READ] = rate;
  return net;
}

static AbDesResult *
simulate (const AbNetwork *net,
          double           seconds,
          double           warmup_s)
{
  g_autoptr(AbScenario) sc = ab_scenario_new_normal (seconds);
  g_autoptr(GError) error = NULL;
  AbDesConfig cfg;
  AbDesResult *res;

  sc->warmup_s = warmup_s;
  sc->bucket_s = MIN (60.0, seconds / 5.0);
  sc->seed = 7;
  ab_des_config_init (&cfg);
  cfg.sample_budget = (guint64) opt_budget;
  res = ab_des_run (net, sc, &cfg, &error);
  if (res == NULL)
    g_error ("DES: %s", error->message);
  return res;
}

typedef struct {
  char   label[48];
  int    instances;
  gboolean rr;
  double worst;
} Row;

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

/* Runs one case; FALSE when skipped. */
static gboolean
run_case (int       instances,
          int       threads,
          int       db_c,
          double    util,
          double    app_ms,
          AbBalance balance,
          Row      *row)
{
  double rate = util * db_c / DB_MS * 1000.0, t0, model_ms;
  g_autoptr(AbNetwork) net = pool_network (instances, threads, app_ms, balance, db_c, DB_MS, rate);
  g_autoptr(AbModelResult) m = NULL;
  g_autoptr(AbDesResult) d = NULL;
  const AbLatencySummary *M;
  const AbDesPhaseResult *p;
  const AbLatencyStats *L;
  double em, e50, e95;

  g_snprintf (row->label, sizeof row->label, "%-6s I%d T%d db%d u%.2f w%.0f",
              balance == AB_BALANCE_RANDOM ? "random" : "rr", instances, threads, db_c, util, app_ms);
  row->instances = instances;
  row->rr = balance != AB_BALANCE_RANDOM;
  t0 = now_ms ();
  m = ab_model_evaluate (net, NULL);
  model_ms = now_ms () - t0;
  M = &m->latency[AB_CLASS_READ];
  if (m->stations[1].offered_utilization > 0.93 || m->error_rate > 0.0)
    {
      printf ("%-30s skip (model: pool %.3f busy)\n", row->label, m->stations[1].offered_utilization);
      return FALSE;
    }
  if (opt_model_only)
    {
      printf ("%-30s util m %.3f | mean %8.3f p50 %8.3f p95 %8.3f | wait %.4f %.3f ms | %.2f ms\n", row->label,
              m->stations[1].utilization, M->mean_ms, M->p50_ms, M->p95_ms, m->stations[1].wait_probability,
              m->stations[1].mean_wait_ms, model_ms);
      row->worst = 0.0;
      return TRUE;
    }
  d = simulate (net, opt_seconds, 20.0);
  p = &d->phases[0];
  L = &p->latency[AB_DES_READ];
  em = M->mean_ms / L->mean_ms.value - 1.0;
  e50 = M->p50_ms / L->p50_ms.value - 1.0;
  e95 = M->p95_ms / L->p95_ms.value - 1.0;
  row->worst = 100.0 * MAX (fabs (em), MAX (fabs (e50), fabs (e95)));
  printf ("%-30s util m %.3f d %.3f | mean %7.2f %7.2f (%+5.1f%% ci %.1f) p50 %7.2f %7.2f (%+5.1f%% ci %.1f) "
          "p95 %7.2f %7.2f (%+5.1f%% ci %.1f) %s\n",
          row->label, m->stations[1].utilization, p->stations[1].utilization,
          M->mean_ms, L->mean_ms.value, 100.0 * em, 100.0 * L->mean_ms.ci / L->mean_ms.value,
          M->p50_ms, L->p50_ms.value, 100.0 * e50, 100.0 * L->p50_ms.ci / L->p50_ms.value,
          M->p95_ms, L->p95_ms.value, 100.0 * e95, 100.0 * L->p95_ms.ci / L->p95_ms.value,
          row->worst > 10.0 ? "OFF" : "");
  if (opt_verbose)
    for (guint i = 1; i < net->n_stations; i++)
      printf ("    %-4s utilisation m %.3f d %.3f | sojourn m %8.3f d %8.3f ms | waiting m %7.3f d %7.3f | "
              "in it m %7.3f d %7.3f | wait chance m %.3f\n", net->stations[i].id, m->stations[i].utilization,
              p->stations[i].utilization, m->stations[i].sojourn_ms[AB_CLASS_READ], p->stations[i].sojourn_ms,
              m->stations[i].queue_length, p->stations[i].queue_length, m->stations[i].in_station,
              p->stations[i].in_station, m->stations[i].wait_probability);
  fflush (stdout);
  return TRUE;
}

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
summarise (const GArray *rows,
           int           instances,
           int           rr)
{
  g_autoptr(GArray) w = g_array_new (FALSE, FALSE, sizeof (double));
  int off = 0;

  for (guint i = 0; i < rows->len; i++)
    {
      const Row *r = &g_array_index (rows, Row, i);

      if ((instances > 0 && r->instances != instances) || (rr >= 0 && r->rr != rr))
        continue;
      g_array_append_val (w, r->worst);
      off += r->worst > 10.0;
    }
  if (w->len == 0)
    return;
  g_array_sort (w, cmp_double);
  printf ("  %-9s %-7s %3u cases: %3d above 10 %%, median %4.1f %%, worst %4.1f %%\n",
          instances > 0 ? g_strdup_printf ("I%d", instances) : "all", rr < 0 ? "" : rr ? "rr" : "random",
          w->len, off, g_array_index (w, double, w->len / 2), g_array_index (w, double, w->len - 1));
}

static GArray *
parse_list (const char *s,
            const char *dflt)
{
  g_auto(GStrv) parts = g_strsplit (s != NULL ? s : dflt, ",", -1);
  GArray *a = g_array_new (FALSE, FALSE, sizeof (double));

  for (int i = 0; parts[i] != NULL; i++)
    {
      double v = g_ascii_strtod (parts[i], NULL);

      g_array_append_val (a, v);
    }
  return a;
}

/* Pools past their capacity, neither a limit nor a timeout, against the
 * DES (docs/simulation.md, "A pool past its capacity").  The first: a
 * pool of 8 threads of 0.5 ms in front of one database slot of 1 ms
 * (no network delay), 1,250 requests a second for 60 s after 10 s of
 * warm-up: the database is the bottleneck (its utilisation 1.25), and
 * once every thread waits there it serves its capacity, 1,000 a second
 * (the closed network of 8 requests between the pool's 0.5 ms and the
 * database leaves the database idle a share of the time below 10^-5);
 * the backlog grows at 250 a second in front of the pool, so the
 * request answered at t waited (1 - 1000 / 1250) t: P50 8.0 s, P95
 * 13.4 s over the phase ("Overload with neither a limit nor a
 * timeout"). */
static void
run_saturated (void)
{
  const struct {
    int       instances, threads, db_c;
    double    app_ms, db_ms, rate;
    AbBalance balance;
  } cases[] = {
    { 1, 8, 1, 0.5, 1.0, 1250.0, AB_BALANCE_ROUND_ROBIN },   /* the closed form above */
    { 1, 4, 1, 2.0, 1.0, 1250.0, AB_BALANCE_ROUND_ROBIN },
    { 1, 16, 2, 5.0, 4.0, 600.0, AB_BALANCE_ROUND_ROBIN },
    { 4, 2, 1, 1.0, 1.0, 1250.0, AB_BALANCE_ROUND_ROBIN },
    { 2, 4, 2, 5.0, 4.0, 600.0, AB_BALANCE_RANDOM },
    { 3, 4, 2, 5.0, 4.0, 600.0, AB_BALANCE_LEAST_CONNECTIONS },
    { 1, 32, 1, 0.5, 1.0, 1250.0, AB_BALANCE_ROUND_ROBIN },
    { 1, 200, 1, 0.5, 1.0, 1250.0, AB_BALANCE_ROUND_ROBIN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(AbNetwork) net = pool_network (cases[i].instances, cases[i].threads, cases[i].app_ms,
                                               cases[i].balance, cases[i].db_c, cases[i].db_ms, cases[i].rate);
      g_autoptr(AbModelResult) m = NULL;
      g_autoptr(AbScenario) sc = ab_scenario_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(AbDesResult) d = NULL;
      AbDesConfig cfg;

      sim_network_no_hops (net);
      sc->warmup_s = 10.0;
      sc->bucket_s = 1.0;
      sc->seed = 7;
      ab_scenario_add_phase (sc, "normal", 60.0, 1.0, 1.0, TRUE);
      m = sim_model_phase (net, sc, 0, NULL, 0, NULL);
      ab_des_config_init (&cfg);
      cfg.sample_budget = (guint64) opt_budget;
      d = ab_des_run (net, sc, &cfg, &error);
      if (d == NULL)
        g_error ("DES: %s", error->message);
      printf ("%d x %d threads of %.1f ms (%s) over %d x %.0f ms at %.0f/s for 60 s: served model %.0f/s, "
              "DES %.0f/s; P50 model %.2f s, DES %.2f s; P95 model %.2f s, DES %.2f s%s\n",
              cases[i].instances, cases[i].threads, cases[i].app_ms,
              cases[i].balance == AB_BALANCE_RANDOM ? "random"
              : cases[i].balance == AB_BALANCE_LEAST_CONNECTIONS ? "least connections" : "round robin",
              cases[i].db_c, cases[i].db_ms, cases[i].rate, m->served_rps, d->phases[0].served_rps,
              m->latency[AB_CLASS_READ].p50_ms / 1000.0, d->phases[0].latency[AB_DES_READ].p50_ms.value / 1000.0,
              m->latency[AB_CLASS_READ].p95_ms / 1000.0, d->phases[0].latency[AB_DES_READ].p95_ms.value / 1000.0,
              i == 0 ? " (closed form 1000/s, 8.0 s, 13.4 s)" : "");
    }
}

/* A gamma time of mean @m and squared coefficient of variation @c2
 * (Marsaglia & Tsang; exponential for 1, constant for 0). */
static double
gamma_draw (GRand *rng,
            double m,
            double c2)
{
  double a, d, c, boost = 1.0;

  if (c2 <= 0.0)
    return m;
  a = 1.0 / c2;
  if (a < 1.0)
    {
      boost = pow (g_rand_double (rng), 1.0 / a);
      a += 1.0;
    }
  d = a - 1.0 / 3.0;
  c = 1.0 / sqrt (9.0 * d);
  for (;;)
    {
      double x, v, u;

      do
        {
          x = sqrt (-2.0 * log (1.0 - g_rand_double (rng))) * cos (2.0 * G_PI * g_rand_double (rng));
          v = 1.0 + c * x;
        }
      while (v <= 0.0);
      v = v * v * v;
      u = g_rand_double (rng);
      if (log (1.0 - u) < 0.5 * x * x + d - d * v + d * log (v))
        return boost * d * v * m * c2;
    }
}

#define CYCLE_MAX 16

/* @N requests alternate a rest (gamma, mean @d, SCV @dc2) and a visit
 * dealt by round robin to @nu instances of @cu slots (first come, first
 * served at each; gamma, mean 1, SCV @sc2) for @span time units: for k
 * visits in the instances, the share of time @occ[k] and the mean busy
 * slots @busy[k]. */
static void
cycle_sim (int     N,
           int     nu,
           int     cu,
           double  d,
           double  dc2,
           double  sc2,
           double  span,
           double *occ,
           double *busy)
{
  g_autoptr(GRand) rng = g_rand_new_with_seed (1234);
  double next[CYCLE_MAX], t = 0.0, last = 0.0;
  int where[CYCLE_MAX], at[CYCLE_MAX], cnt[CYCLE_MAX] = { 0 }, serving[CYCLE_MAX] = { 0 }, k = 0, ptr = 0;
  gint64 order[CYCLE_MAX], dealt = 0;

  for (int j = 0; j <= N; j++)
    occ[j] = busy[j] = 0.0;
  for (int r = 0; r < N; r++)
    {
      where[r] = 0;  /* 0 resting, 1 waiting, 2 served */
      next[r] = gamma_draw (rng, d, dc2);
    }
  while (t < span)
    {
      int r = -1, b = 0;

      for (int q = 0; q < N; q++)
        if (where[q] != 1 && (r < 0 || next[q] < next[r]))
          r = q;
      t = next[r];
      for (int i = 0; i < nu; i++)
        b += serving[i];
      occ[k] += t - last;
      busy[k] += (t - last) * b;
      last = t;
      if (where[r] == 0)
        {
          int i = ptr;

          ptr = (ptr + 1) % nu;
          at[r] = i;
          order[r] = dealt++;
          cnt[i]++;
          k++;
          if (serving[i] < cu)
            {
              serving[i]++;
              where[r] = 2;
              next[r] = t + gamma_draw (rng, 1.0, sc2);
            }
          else
            where[r] = 1;
        }
      else
        {
          int i = at[r], w = -1;

          cnt[i]--;
          k--;
          where[r] = 0;
          next[r] = t + gamma_draw (rng, d, dc2);
          for (int q = 0; q < N; q++)
            if (where[q] == 1 && at[q] == i && (w < 0 || order[q] < order[w]))
              w = q;
          if (w >= 0)
            {
              where[w] = 2;
              next[w] = t + gamma_draw (rng, 1.0, sc2);
            }
          else
            serving[i]--;
        }
    }
  for (int j = 0; j <= N; j++)
    {
      busy[j] = occ[j] > 0.0 ? busy[j] / occ[j] : 0.0;
      occ[j] /= t;
    }
}

static void
run_cycle (void)
{
  const int cfg[][3] = { { 2, 2, 1 }, { 3, 3, 1 }, { 4, 4, 1 }, { 4, 2, 1 }, { 4, 2, 2 },
                         { 6, 3, 1 }, { 8, 4, 1 }, { 8, 2, 4 }, { 16, 2, 8 }, { 8, 4, 2 } };
  const double rests[] = { 0.3, 1.0 }, scvs[] = { 0.2, 0.35, 0.5, 0.7, 0.85 };
  /* the powers; -1 the factor (c2_rest + c2_slot) / 2 used before; -2
   * Allen-Cunneen's (c2_a + c2_slot) / (c2_a + 1) with an instance's
   * Erlang arrivals under round robin, c2_a = 1 / instances; -3 the
   * Kraemer & Langenbach-Belz factor (ab_klb_shape ()) at the instances'
   * utilisation in the exponential cycle */
  const double powers[] = { 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, -1.0, -2.0, -3.0 };
  double sum[G_N_ELEMENTS (powers)] = { 0 }, worst[G_N_ELEMENTS (powers)] = { 0 };
  int n = 0;

  for (guint c = 0; c < G_N_ELEMENTS (cfg); c++)
    for (guint r = 0; r < G_N_ELEMENTS (rests); r++)
      {
        int N = cfg[c][0], nu = cfg[c][1], cu = cfg[c][2], P = nu * cu;
        double occ_e[CYCLE_MAX + 1], busy_e[CYCLE_MAX + 1];

        cycle_sim (N, nu, cu, rests[r], 0.5, 1.0, 3e5, occ_e, busy_e);
        for (guint v = 0; v < G_N_ELEMENTS (scvs); v++)
          {
            double occ[CYCLE_MAX + 1], busy[CYCLE_MAX + 1];

            cycle_sim (N, nu, cu, rests[r], 0.5, scvs[v], 3e5, occ, busy);
            for (guint p = 0; p < G_N_ELEMENTS (powers); p++)
              {
                double scale = pow (scvs[v], powers[p]), err = 0.0, rho = 0.0;

                for (int k = 1; k <= N; k++)
                  rho += occ_e[k] * busy_e[k] / P;
                if (powers[p] == -1.0)
                  scale = (0.5 + scvs[v]) / 2.0;
                else if (powers[p] == -2.0)
                  scale = (1.0 / nu + scvs[v]) / (1.0 / nu + 1.0);
                else if (powers[p] == -3.0)
                  scale = ab_klb_shape (nu, rho, scvs[v]);

                for (int k = 1; k <= N; k++)
                  {
                    double even = MIN (k, P), model = even - scale * (even - busy_e[k]);

                    if (busy[k] > 0.0)
                      err += occ[k] * fabs (model / busy[k] - 1.0);
                  }
                sum[p] += err;
                worst[p] = MAX (worst[p], err);
              }
            n++;
          }
      }
  printf ("The busy slots of a closed cycle of visits dealt by round robin, gamma times against\n"
          "the exponential cycle's shortfall scaled (%d cycles; error weighed by each population's share):\n", n);
  for (guint p = 0; p < G_N_ELEMENTS (powers); p++)
    {
      if (powers[p] > 0.0)
        printf ("  SCV^%.1f                         mean %.2f %%, worst %.2f %%\n", powers[p], 100.0 * sum[p] / n,
                100.0 * worst[p]);
      else
        printf ("  %-31s mean %.2f %%, worst %.2f %%\n",
                powers[p] == -1.0 ? "(c2_rest + SCV) / 2" : powers[p] == -2.0 ? "(1/n + SCV) / (1/n + 1)"
                : "Kraemer & Langenbach-Belz", 100.0 * sum[p] / n, 100.0 * worst[p]);
    }
}

int
main (int argc, char **argv)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- blocking pools, model against DES");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (Row));
  g_autoptr(GArray) inst = NULL, thr = NULL, utl = NULL;
  const int dbs[] = { 1, 2, 4 };
  const double works[] = { 1.0, 5.0 };
  int bal_lo = 0, bal_hi = 1;
  double t0 = now_ms ();

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 2;
    }
  if (opt_saturated)
    {
      run_saturated ();
      return 0;
    }
  if (opt_cycle)
    {
      run_cycle ();
      return 0;
    }
  inst = parse_list (opt_instances, opt_full ? "2,3,4,8" : "4,8");
  thr = parse_list (opt_threads, "1,2,4");
  utl = parse_list (opt_utils, "0.5,0.7,0.85");
  if (opt_balance != NULL ? g_str_equal (opt_balance, "rr") : !opt_full)
    bal_hi = 0;
  else if (opt_balance != NULL && g_str_equal (opt_balance, "random"))
    bal_lo = 1;
  for (int b = bal_lo; b <= bal_hi; b++)
    for (guint ii = 0; ii < inst->len; ii++)
      for (guint ti = 0; ti < thr->len; ti++)
        for (guint di = 0; di < G_N_ELEMENTS (dbs); di++)
          for (guint ui = 0; ui < utl->len; ui++)
            for (guint wi = 0; wi < G_N_ELEMENTS (works); wi++)
              {
                Row row = { 0 };

                if (run_case ((int) g_array_index (inst, double, ii), (int) g_array_index (thr, double, ti),
                              dbs[di], g_array_index (utl, double, ui), works[wi],
                              b ? AB_BALANCE_RANDOM : AB_BALANCE_ROUND_ROBIN, &row))
                  g_array_append_val (rows, row);
              }
  if (!opt_model_only)
    {
      printf ("Cases whose worst of mean, P50 and P95 is more than 10 %% off the DES:\n");
      for (guint ii = 0; ii < inst->len; ii++)
        for (int b = bal_lo; b <= bal_hi; b++)
          summarise (rows, (int) g_array_index (inst, double, ii), !b);
      summarise (rows, 0, -1);
    }
  printf ("%u cases in %.1f s\n", rows->len, (now_ms () - t0) / 1000.0);
  return 0;
}
