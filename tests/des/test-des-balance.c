/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the representatives of a wide balanced station see (docs/simulation.md,
 * "Representative instances"): a client sends 203,060 requests a second to
 * a stream of 286 instances of 5 slots (5 ms, exponential), utilisation
 * 0.71, simulated through k <= 8 representatives.
 *
 * The real policies: round robin gives each instance every 286th request
 * (Erlang-286 gaps: E286/M/5, solved exactly below), least connections is
 * close to one pool of 1,430 slots (M/M/1430), random gives each instance
 * a Poisson share (M/M/5); 70 % of the requests are reads, 30 % writes.
 * The representatives take only followed
 * requests there, and the followed requests are every (286 / k)-th of the
 * client's, so round robin hands each representative every 286th request
 * in an unwindowed run (k = 8) and a windowed one (k = 1) alike.  Least
 * connections over 8 representatives pools 40 slots, within 1 % of the
 * real pool at this load, and a windowed run takes 8 for it too (one
 * representative was one instance fed round robin, E286/M/5, +12 % / +4 %
 * above the pool).  Random is exact for any k.
 * Before the systematic sampling, the followed requests were a random
 * share: the windowed run's representative saw a Poisson stream, M/M/5,
 * 20 % / 12 % above round robin's P50 / P95.
 *
 * The same behind a component with a service time (a balancer's own tier
 * in front of an app tier, say): the followed requests are every
 * (1/f)-th of the client's there as well, so each representative of the
 * stream gets about every n-th request the front passes on (checked
 * against E64/M/1 behind an M/M/1 and behind a pure delay). */
#include "config.h"

#include "des-test-util.h"
#include "../sim/sim-test-util.h"

#define N_INST   286
#define SLOTS    5
#define RHO      0.71
#define MU       200.0 /* per slot: 5 ms */
#define STATES   240

/* The number in system an arrival finds at one instance of E_n/M/c (gaps
 * Erlang-n of mean 1 / lambda): the embedded chain at arrivals, by power
 * iteration; between two arrivals the n exponential phases of the gap
 * each let the pure-death process of the slots run. */
static void
gim_arrival_dist (int n, int c, double lambda, double mu, double *pi)
{
  double r = n * lambda;
  double v[STATES], x[STATES];

  memset (pi, 0, sizeof (double) * STATES);
  pi[0] = 1.0;
  for (int it = 0; it < 20000; it++)
    {
      double diff = 0.0;

      v[0] = 0.0;
      for (int j = 1; j < STATES; j++)
        v[j] = pi[j - 1];
      v[STATES - 1] += pi[STATES - 1];
      for (int ph = 0; ph < n; ph++)
        {
          /* x (r I - Q) = r v for the death generator Q: from the top */
          x[STATES - 1] = r * v[STATES - 1] / (r + MIN (STATES - 1, c) * mu);
          for (int j = STATES - 2; j >= 0; j--)
            x[j] = (r * v[j] + x[j + 1] * MIN (j + 1, c) * mu) / (r + MIN (j, c) * mu);
          memcpy (v, x, sizeof v);
        }
      for (int j = 0; j < STATES; j++)
        diff += fabs (v[j] - pi[j]);
      memcpy (pi, v, sizeof v);
      if (diff < 1e-13)
        break;
    }
}

/* P(Erlang(m, a) > t) */
static double
erlang_tail (int m, double a, double t)
{
  double term = exp (-a * t), sum = 0.0;

  for (int i = 0; i < m; i++)
    {
      sum += term;
      term *= a * t / (i + 1);
    }
  return sum;
}

/* The sojourn time's tail of E_n/M/c (c >= 2): an arrival finding j >= c
 * waits for j - c + 1 departures at rate c mu, then is served. */
static double
gim_tail (const double *pi, int c, double mu, double t)
{
  double a = c * mu, b = a - mu, p = 0.0;

  for (int j = 0; j < STATES; j++)
    {
      int m = j - c + 1;

      if (pi[j] < 1e-16)
        continue;
      if (m <= 0)
        p += pi[j] * exp (-mu * t);
      else
        p += pi[j] * (erlang_tail (m, a, t) +
                      exp (-mu * t) * pow (a / b, m) * (1.0 - erlang_tail (m, b, t)));
    }
  return p;
}

/* The sojourn-time quantile @q of E_n/M/c at utilisation RHO, in ms. */
static double
gim_quantile (int n, double q)
{
  /* the arrival distributions solved so far, by n */
  static double cache[4][STATES];
  static int cached_n[4], n_cached;
  double *pi = NULL, lo = 0.0, hi = 1.0 / MU;

  for (int i = 0; i < n_cached; i++)
    if (cached_n[i] == n)
      pi = cache[i];
  if (pi == NULL)
    {
      g_assert_cmpint (n_cached, <, (int) G_N_ELEMENTS (cached_n));
      pi = cache[n_cached];
      cached_n[n_cached++] = n;
      gim_arrival_dist (n, SLOTS, RHO * SLOTS * MU, MU, pi);
    }
  while (gim_tail (pi, SLOTS, MU, hi) > 1.0 - q)
    hi *= 2.0;
  for (int i = 0; i < 100; i++)
    {
      double mid = 0.5 * (lo + hi);

      if (gim_tail (pi, SLOTS, MU, mid) > 1.0 - q)
        lo = mid;
      else
        hi = mid;
    }
  return 1000.0 * 0.5 * (lo + hi);
}

/* M/M/c sojourn quantile at utilisation RHO per slot, in ms */
static double
mmc_quantile (int c, double q)
{
  return 1000.0 * des_test_mmc_quantile (c, RHO * c * MU, MU, q);
}

/* client (a pass-through) -> stream of N_INST instances under @policy */
static AbDesResult *
run_stream (AbBalance policy, guint64 budget, double duration_s, double warmup_s)
{
  double lambda = RHO * N_INST * SLOTS * MU;
  g_autoptr(AbNetwork) net = des_test_balanced_stream (N_INST, SLOTS, 5.0, lambda, policy);
  g_autoptr(AbScenario) sc = des_test_scenario (duration_s, warmup_s, 1.0, 7);
  AbDesResult *r;

  /* reads and writes alike: both classes are one sequence of requests */
  net->rate[AB_CLASS_READ] = 0.7 * lambda;
  net->rate[AB_CLASS_WRITE] = 0.3 * lambda;
  r = sim_run_des_untruncated (net, sc, budget);
  g_assert_cmpfloat_with_epsilon (r->phases[0].stations[1].utilization, RHO, 0.03);
  return r;
}

/* unwindowed: 8 representatives follow every request they serve */
static AbDesResult *
run_whole (AbBalance policy)
{
  AbDesResult *r = run_stream (policy, 150000, 10.0, 2.0);

  g_assert_cmpuint (r->phases[0].windows, ==, 1);
  g_assert_cmpfloat (r->phases[0].simulated_s, ==, 10.0);
  g_assert_cmpuint (r->representatives, ==, 8);
  return r;
}

/* windowed: the budget buys a tenth of the timeline; one representative
 * follows as many requests per visit as eight, and takes them, except
 * under least connections (which pools the representatives' slots) */
static AbDesResult *
run_windowed (AbBalance policy)
{
  AbDesResult *r = run_stream (policy, 60000, 600.0, 20.0);

  g_assert_cmpuint (r->phases[0].windows, >, 1);
  g_assert_cmpfloat (r->phases[0].simulated_s, <, 100.0);
  g_assert_cmpuint (r->representatives, ==, policy == AB_BALANCE_LEAST_CONNECTIONS ? 8 : 1);
  return r;
}

/* @est within @rel (plus its confidence interval) of @expect */
static void
assert_near (const char *what, AbEstimate est, double expect, double rel)
{
  g_test_message ("%s: %.3f ms (+- %.3f) vs %.3f ms: %+.1f %%", what, est.value, est.ci,
                  expect, 100.0 * (est.value / expect - 1.0));
  g_assert_cmpfloat (est.ci, >, 0.0);
  g_assert_cmpfloat (fabs (est.value - expect), <, rel * expect + est.ci);
}

/* The E_n/M/c solver against Erlang C (n = 1 is M/M/c) and its limit:
 * more regular arrivals wait less. */
static void
test_closed_form (void)
{
  g_assert_cmpfloat_with_epsilon (gim_quantile (1, 0.5), mmc_quantile (SLOTS, 0.5), 1e-6);
  g_assert_cmpfloat_with_epsilon (gim_quantile (1, 0.95), mmc_quantile (SLOTS, 0.95), 1e-6);
  g_assert_cmpfloat (gim_quantile (8, 0.95), <, gim_quantile (2, 0.95));
  g_assert_cmpfloat (gim_quantile (N_INST, 0.95), <, gim_quantile (8, 0.95));
  /* never below the service time alone */
  g_assert_cmpfloat (gim_quantile (N_INST, 0.95), >, 1000.0 * log (20.0) / MU);
}

static void
test_round_robin (void)
{
  g_autoptr(AbDesResult) whole = run_whole (AB_BALANCE_ROUND_ROBIN);
  g_autoptr(AbDesResult) win = run_windowed (AB_BALANCE_ROUND_ROBIN);
  const AbLatencyStats *w = &whole->phases[0].latency[AB_DES_ALL];
  const AbLatencyStats *v = &win->phases[0].latency[AB_DES_ALL];
  double p50 = gim_quantile (N_INST, 0.5), p95 = gim_quantile (N_INST, 0.95);

  /* each representative gets every 286th request: E286/M/5, with 8
   * representatives and with one */
  assert_near ("round robin, whole, P50 vs E286/M/5", w->p50_ms, p50, 0.05);
  assert_near ("round robin, whole, P95 vs E286/M/5", w->p95_ms, p95, 0.05);
  assert_near ("round robin, windowed, P50 vs E286/M/5", v->p50_ms, p50, 0.05);
  assert_near ("round robin, windowed, P95 vs E286/M/5", v->p95_ms, p95, 0.05);
  /* and not what a Poisson stream gives one representative (M/M/5), nor
   * round robin over 8 of them (E8/M/5): the closed forms lie apart */
  g_assert_cmpfloat (mmc_quantile (SLOTS, 0.5), >, 1.2 * p50);
  g_assert_cmpfloat (gim_quantile (8, 0.5), >, 1.02 * p50);
  g_assert_cmpfloat (v->p50_ms.value, <, 0.5 * (p50 + mmc_quantile (SLOTS, 0.5)));
}

static void
test_least_connections (void)
{
  g_autoptr(AbDesResult) whole = run_whole (AB_BALANCE_LEAST_CONNECTIONS);
  g_autoptr(AbDesResult) win = run_windowed (AB_BALANCE_LEAST_CONNECTIONS);
  const AbLatencyStats *w = &whole->phases[0].latency[AB_DES_ALL];
  const AbLatencyStats *v = &win->phases[0].latency[AB_DES_ALL];
  double p50 = mmc_quantile (N_INST * SLOTS, 0.5), p95 = mmc_quantile (N_INST * SLOTS, 0.95);

  /* 8 representatives pool 40 slots: at 0.71 hardly anyone waits, as in
   * the real pool of 1,430; a windowed run takes 8 as well (with one, the
   * representative was one instance's 5 slots fed every 286th request,
   * E286/M/5: +12 % / +4 % above the pool) */
  assert_near ("least connections, whole, P50 vs M/M/1430", w->p50_ms, p50, 0.05);
  assert_near ("least connections, whole, P95 vs M/M/1430", w->p95_ms, p95, 0.05);
  assert_near ("least connections, windowed, P50 vs M/M/1430", v->p50_ms, p50, 0.03);
  assert_near ("least connections, windowed, P95 vs M/M/1430", v->p95_ms, p95, 0.03);
  g_assert_cmpfloat (gim_quantile (N_INST, 0.5), >, 1.1 * p50);
}

static void
test_random (void)
{
  g_autoptr(AbDesResult) whole = run_whole (AB_BALANCE_RANDOM);
  g_autoptr(AbDesResult) win = run_windowed (AB_BALANCE_RANDOM);
  double p50 = mmc_quantile (SLOTS, 0.5), p95 = mmc_quantile (SLOTS, 0.95);

  /* a random pick is a Poisson share whatever the representatives */
  assert_near ("random, whole, P50 vs M/M/5", whole->phases[0].latency[AB_DES_ALL].p50_ms, p50, 0.05);
  assert_near ("random, whole, P95 vs M/M/5", whole->phases[0].latency[AB_DES_ALL].p95_ms, p95, 0.05);
  assert_near ("random, windowed, P50 vs M/M/5", win->phases[0].latency[AB_DES_ALL].p50_ms, p50, 0.05);
  assert_near ("random, windowed, P95 vs M/M/5", win->phases[0].latency[AB_DES_ALL].p95_ms, p95, 0.05);
}

/* The stream again, where it does not set the followed share: each
 * request then hands a job to a worker tier of SINK_N instances
 * (asynchronously: the users' latency ends at the stream), whose
 * representatives set it, k / SINK_N.  The stream's representatives take
 * 286 / SINK_N of their requests followed and the rest as anonymous
 * visits, the two in turn.  The anonymous visits were a Poisson stream:
 * each representative got every k-th of the merged stream, E8/M/5 whole
 * (P50 +3.8 % above E286/M/5) and, windowed, one representative a
 * Poisson stream, M/M/5 (+24 %).  Their gaps are now Gamma(286 / k),
 * every k-th an Erlang-286 gap: +1.4 % and +9.3 %.  What is left
 * windowed is the followed requests' own Poisson share (29 % of the
 * representative's arrivals) and the M/M/c queues the windows start
 * from (ab-des-setup.c, des_window_queues): the windowed P50 is held
 * to 12 % and below halfway to M/M/5's. */
#define SINK_N 1000

static AbDesResult *
run_stream_behind_sink (guint64 budget, double duration_s, double warmup_s)
{
  double lambda = RHO * N_INST * SLOTS * MU;
  g_autoptr(AbNetwork) net = des_test_client_chain (3, SLOTS, 5.0, lambda);
  g_autoptr(AbScenario) sc = des_test_scenario (duration_s, warmup_s, 1.0, 7);
  AbDesResult *r;

  net->stations[1].kind = AB_KIND_STREAM;
  net->stations[1].instances = N_INST;
  net->stations[1].balance = AB_BALANCE_ROUND_ROBIN;
  net->stations[2].kind = AB_KIND_WORKER;
  net->stations[2].instances = SINK_N;
  net->stations[2].concurrency = 8;
  net->stations[2].service_ms[AB_CLASS_READ] = 1.0;
  net->stations[2].service_ms[AB_CLASS_WRITE] = 1.0;
  for (int c = 0; c < AB_N_CLASSES; c++)
    net->calls[1 * AB_N_CLASSES + c].calls[0].async = TRUE;
  r = sim_run_des_untruncated (net, sc, budget);
  g_assert_cmpfloat_with_epsilon (r->phases[0].stations[1].utilization, RHO, 0.03);
  return r;
}

static void
test_round_robin_anonymous (void)
{
  g_autoptr(AbDesResult) whole = run_stream_behind_sink (400000, 10.0, 2.0);
  g_autoptr(AbDesResult) win = run_stream_behind_sink (60000, 600.0, 20.0);
  const AbLatencyStats *w = &whole->phases[0].latency[AB_DES_ALL];
  const AbLatencyStats *v = &win->phases[0].latency[AB_DES_ALL];
  double p50 = gim_quantile (N_INST, 0.5), p95 = gim_quantile (N_INST, 0.95);

  g_test_message ("whole: %u representatives, windowed: %u (%u windows)",
                  whole->representatives, win->representatives, win->phases[0].windows);
  g_assert_cmpuint (whole->phases[0].windows, ==, 1);
  g_assert_cmpuint (whole->representatives, ==, 8);
  g_assert_cmpuint (win->phases[0].windows, >, 1);
  g_assert_cmpuint (win->representatives, ==, 1);
  assert_near ("anonymous visits, whole, P50 vs E286/M/5", w->p50_ms, p50, 0.05);
  assert_near ("anonymous visits, whole, P95 vs E286/M/5", w->p95_ms, p95, 0.05);
  assert_near ("anonymous visits, windowed, P50 vs E286/M/5", v->p50_ms, p50, 0.12);
  assert_near ("anonymous visits, windowed, P95 vs E286/M/5", v->p95_ms, p95, 0.05);
  g_assert_cmpfloat (v->p50_ms.value, <, 0.5 * (p50 + mmc_quantile (SLOTS, 0.5)));
}

/* ---------------------------------------------- behind another station -- */

/* A balanced stream behind a component with a service time: client ->
 * front -> BEHIND_N instances of one slot (5 ms,
 * exponential) under round robin at utilisation 0.7.  What reaches the
 * stream is the front's departures; in both fronts below they are a
 * Poisson stream (Burke's theorem for the M/M/1, and an M/G/infinity
 * passes a Poisson stream on), so each instance gets every BEHIND_N-th
 * request of a Poisson stream: E64/M/1, whose sojourn is exponential with
 * rate mu (1 - sigma), sigma the root in (0, 1) of
 * sigma = (n rho / (n rho + 1 - sigma))^n.  The front's sojourn is
 * independent of it (the M/M/1's sojourn is independent of the departures
 * before it leaves; the infinite server's is its service time), so a
 * request's latency is the sum of two exponentials. */
#define BEHIND_N   64
#define BEHIND_RHO 0.7

static double
en_m1_sigma (int n, double rho)
{
  double s = rho;

  for (int i = 0; i < 10000; i++)
    s = pow (n * rho / (n * rho + 1.0 - s), n);
  return s;
}

/* the quantile @q of Exp(@a) + Exp(@b), a != b, in ms */
static double
hypoexp_quantile (double a, double b, double q)
{
  double lo = 0.0, hi = 1.0 / MIN (a, b);

#define HYPO_TAIL(t) ((a * exp (-b * (t)) - b * exp (-a * (t))) / (a - b))
  while (HYPO_TAIL (hi) > 1.0 - q)
    hi *= 2.0;
  for (int i = 0; i < 200; i++)
    {
      double mid = 0.5 * (lo + hi);

      if (HYPO_TAIL (mid) > 1.0 - q)
        lo = mid;
      else
        hi = mid;
    }
#undef HYPO_TAIL
  return 1000.0 * 0.5 * (lo + hi);
}

/* client -> front (@front_instances of @front_slots, 0 for a pure delay,
 * mean @front_ms) -> BEHIND_N instances of 1 slot; reads only */
static AbDesResult *
run_behind (int front_instances, int front_slots, double front_ms,
            guint64 budget, double duration_s, double warmup_s)
{
  double lambda = BEHIND_RHO * BEHIND_N * MU;
  g_autoptr(AbNetwork) net = des_test_client_chain (3, 1, 5.0, lambda);
  g_autoptr(AbScenario) sc = des_test_scenario (duration_s, warmup_s, 1.0, 11);
  AbDesResult *r;

  net->stations[1].kind = AB_KIND_LB;
  net->stations[1].instances = front_instances;
  net->stations[1].concurrency = front_slots;
  net->stations[1].service_ms[AB_CLASS_READ] = front_ms;
  net->stations[2].kind = AB_KIND_STREAM;
  net->stations[2].instances = BEHIND_N;
  net->stations[2].balance = AB_BALANCE_ROUND_ROBIN;
  r = sim_run_des_untruncated (net, sc, budget);
  g_assert_cmpfloat_with_epsilon (r->phases[0].stations[2].utilization, BEHIND_RHO, 0.03);
  return r;
}

/* The stream's mean sojourn and the latency's P50 / P95 against the exact
 * figures for a front whose own sojourn is Exp(@front_rate) */
static void
assert_behind (const char *what, const AbDesResult *r, double front_rate)
{
  const AbLatencyStats *lat = &r->phases[0].latency[AB_DES_ALL];
  double sigma = en_m1_sigma (BEHIND_N, BEHIND_RHO), a = MU * (1.0 - sigma);
  double soj = r->phases[0].stations[2].sojourn_ms, exact = 1000.0 / a;
  g_autofree char *p50 = g_strdup_printf ("%s, P50 vs E%d/M/1 behind it", what, BEHIND_N);
  g_autofree char *p95 = g_strdup_printf ("%s, P95 vs E%d/M/1 behind it", what, BEHIND_N);

  g_test_message ("%s, the stream's mean sojourn: %.3f ms vs E%d/M/1's %.3f ms: %+.1f %%",
                  what, soj, BEHIND_N, exact, 100.0 * (soj / exact - 1.0));
  g_assert_cmpfloat (fabs (soj / exact - 1.0), <, 0.05);
  assert_near (p50, lat->p50_ms, hypoexp_quantile (front_rate, a, 0.5), 0.03);
  assert_near (p95, lat->p95_ms, hypoexp_quantile (front_rate, a, 0.95), 0.03);
}

/* The closed forms: E1/M/1 is M/M/1 (sigma = rho); E8/M/1 (round robin
 * over 8 representatives fed a Poisson stream) lies 8 % above E64/M/1,
 * M/M/1 (one representative) 75 %, so the checks above tell them apart;
 * Exp(a) + Exp(b) is Exp(a) alone when b is far faster, and longer
 * otherwise */
static void
test_behind_closed_form (void)
{
  double s64 = en_m1_sigma (BEHIND_N, BEHIND_RHO);

  g_assert_cmpfloat_with_epsilon (en_m1_sigma (1, BEHIND_RHO), BEHIND_RHO, 1e-9);
  g_assert_cmpfloat ((1.0 - s64) / (1.0 - en_m1_sigma (8, BEHIND_RHO)), >, 1.07);
  g_assert_cmpfloat ((1.0 - s64) / (1.0 - BEHIND_RHO), >, 1.7);
  /* Exp(a) alone when b is far faster */
  g_assert_cmpfloat_with_epsilon (hypoexp_quantile (1e9, 100.0, 0.5), 1000.0 * log (2.0) / 100.0, 1e-4);
  g_assert_cmpfloat (hypoexp_quantile (300.0, 100.0, 0.95), >, hypoexp_quantile (1e9, 100.0, 0.95));
}

/* Unwindowed, 8 representatives: a front of one instance and one slot
 * (M/M/1 at 0.8) */
static void
test_behind_queue (void)
{
  double lambda = BEHIND_RHO * BEHIND_N * MU, front_mu = lambda / 0.8;
  g_autoptr(AbDesResult) r = run_behind (1, 1, 1000.0 / front_mu, 800000, 50.0, 5.0);

  g_assert_cmpuint (r->phases[0].windows, ==, 1);
  g_assert_cmpuint (r->representatives, ==, 8);
  assert_behind ("round robin behind an M/M/1", r, front_mu - lambda);
}

/* Windowed, one representative: a front of 16 instances without a slot
 * limit (a pure delay of 1 ms, exponential) */
static void
test_behind_delay (void)
{
  g_autoptr(AbDesResult) r = run_behind (16, 0, 1.0, 300000, 600.0, 20.0);

  g_assert_cmpuint (r->phases[0].windows, >, 1);
  g_assert_cmpuint (r->representatives, ==, 1);
  assert_behind ("round robin behind a delay, windowed", r, 1000.0);
}

/* client -> front -> @app_n app instances of @app_c slots (1 ms) under
 * @policy, blocking or not -> a database of one slot (5 ms for @klass,
 * 0.5 ms for the other class), @rate requests of @klass a second */
static AbDesResult *
run_tier (int app_n, int app_c, AbBalance policy, gboolean blocking, int klass, double rate, guint64 seed)
{
  g_autoptr(AbNetwork) net = des_test_client_chain (4, 1, 5.0, 0.0);
  g_autoptr(AbScenario) sc = des_test_scenario (2000.0, 20.0, 10.0, seed);

  net->rate[klass] = rate;
  net->stations[1].kind = AB_KIND_LB;
  net->stations[1].service_ms[AB_CLASS_READ] = 0.5;
  net->stations[1].service_ms[AB_CLASS_WRITE] = 0.5;
  net->stations[2].instances = app_n;
  net->stations[2].concurrency = app_c;
  net->stations[2].service_ms[AB_CLASS_READ] = 1.0;
  net->stations[2].service_ms[AB_CLASS_WRITE] = 1.0;
  net->stations[2].balance = policy;
  net->stations[2].blocking_calls = blocking;
  net->stations[3].kind = AB_KIND_DB_PRIMARY;
  net->stations[3].service_ms[1 - klass] = 0.5;
  return sim_run_des_untruncated (net, sc, 2000000);
}

/* client -> front (one instance of one slot, 0.5 ms) -> app instances
 * of 4 slots (1 ms) -> a database of one slot (5 ms), 100 reads a
 * second: the database is an M/M/1 at 0.5
 * whatever the number of app instances, a sojourn of 10 ms (Burke's
 * theorem: what the front and the app tier pass on stays Poisson).  With
 * more app instances than representatives the followed requests are
 * every (1/f)-th of the client's; the anonymous visits at the front and
 * the database must then be the requests in between, not a Poisson
 * stream of their own: before, the two together were smoother than the
 * real stream and the database's sojourn read 9.2 ms with 16 instances
 * (-8 %). */
static void
test_wide_tier (void)
{
  static const struct {
    int n;
    AbBalance policy;
    const char *what;
  } cases[] = {
    { 16, AB_BALANCE_ROUND_ROBIN, "16 instances, round robin (8 followed)" },
    { 64, AB_BALANCE_ROUND_ROBIN, "64 instances, round robin (8 followed)" },
    { 8, AB_BALANCE_ROUND_ROBIN, "8 instances, round robin (all followed)" },
    { 16, AB_BALANCE_RANDOM, "16 instances, random" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(AbDesResult) r = run_tier (cases[i].n, 4, cases[i].policy, FALSE, AB_CLASS_READ, 100.0, 13);
      const AbDesPhaseResult *p = &r->phases[0];
      const AbDesStationStats *db = &p->stations[3];
      const AbLatencyStats *lat = &p->latency[AB_DES_ALL];
      /* the front: M/M/1 at 0.05, 0.526 ms; the app: 1 ms, no wait */
      double mean = 1000.0 / (2000.0 - 100.0) + 1.0 + 10.0;

      g_test_message ("%s: database %.3f busy, queue %.3f, sojourn %.3f ms (M/M/1: 10 ms, %+.1f %%); "
                      "mean %.3f ms (+- %.3f) vs %.3f ms",
                      cases[i].what, db->utilization, db->queue_length, db->sojourn_ms,
                      100.0 * (db->sojourn_ms / 10.0 - 1.0), lat->mean_ms.value, lat->mean_ms.ci, mean);
      g_assert_cmpuint (r->representatives, ==, 8);
      g_assert_cmpfloat_with_epsilon (db->utilization, 0.5, 0.01);
      g_assert_cmpfloat_with_epsilon (db->queue_length, 0.5, 0.03);
      g_assert_cmpfloat (fabs (db->sojourn_ms / 10.0 - 1.0), <, 0.04);
      g_assert_cmpfloat (fabs (lat->mean_ms.value - mean), <, 0.04 * mean + lat->mean_ms.ci);
    }
}

/* The same wide tier of one-thread blocking instances (16 under round
 * robin, 8 followed) in front of a database kept 85 % busy, once with
 * reads only and once with writes only, the database as slow for each
 * (5 ms; the other class 0.5 ms): the same system, so the same figures.
 * Its pools run out of threads often, and the anonymous visits they
 * could not make wait for one (pop_release); those were all made as
 * reads, so the writes-only run lost most of the database's work
 * there: 30.5 ms end to end against 36.6 ms. */
static AbDesResult *
run_blocking_tier (int klass)
{
  AbDesResult *r = run_tier (16, 1, AB_BALANCE_ROUND_ROBIN, TRUE, klass, 170.0, 17);

  g_assert_cmpuint (r->representatives, ==, 8);
  g_assert_cmpfloat_with_epsilon (r->phases[0].stations[3].utilization, 0.85, 0.02);
  return r;
}

static void
test_blocking_tier_classes (void)
{
  g_autoptr(AbDesResult) reads = run_blocking_tier (AB_CLASS_READ);
  g_autoptr(AbDesResult) writes = run_blocking_tier (AB_CLASS_WRITE);
  AbEstimate rm = reads->phases[0].latency[AB_DES_ALL].mean_ms;
  AbEstimate wm = writes->phases[0].latency[AB_DES_ALL].mean_ms;

  g_test_message ("reads only %.2f ms (+- %.2f), writes only %.2f ms (+- %.2f): %+.1f %%",
                  rm.value, rm.ci, wm.value, wm.ci, 100.0 * (wm.value / rm.value - 1.0));
  g_assert_cmpfloat (fabs (wm.value - rm.value), <, 0.03 * rm.value + rm.ci + wm.ci);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/des/balance/closed-form", test_closed_form);
  g_test_add_func ("/des/balance/round-robin", test_round_robin);
  g_test_add_func ("/des/balance/round-robin/anonymous", test_round_robin_anonymous);
  g_test_add_func ("/des/balance/least-connections", test_least_connections);
  g_test_add_func ("/des/balance/random", test_random);
  g_test_add_func ("/des/balance/behind/closed-form", test_behind_closed_form);
  g_test_add_func ("/des/balance/behind/queue", test_behind_queue);
  g_test_add_func ("/des/balance/behind/delay", test_behind_delay);
  g_test_add_func ("/des/balance/wide-tier", test_wide_tier);
  g_test_add_func ("/des/balance/blocking-tier-classes", test_blocking_tier_classes);
  return g_test_run ();
}
