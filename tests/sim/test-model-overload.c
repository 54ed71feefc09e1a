/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Overloaded stations with a finite queue or a patience: the latency of
 * the requests that are served (issue 8).  Past its capacity such a
 * station keeps its queue nearly full (M/M/1/K) or its virtual wait near
 * the patience (M/M/1+D), so what it serves waits about the full queue's
 * drain time or the patience.  The model's mean and P95 are held to the
 * closed forms, computed here from first principles (the stationary
 * distribution seen by arrivals; the level-crossing balance of the
 * virtual wait), at offered utilisations 2, 5 and 10 -- with service much
 * shorter than the model's grid step, where summing grid-rounded stages
 * once lost the whole wait.  Then the basic-database-design reference
 * with a single app instance (8.7 times overloaded, blocking calls to its
 * database) against the DES. */
#include "config.h"

#include <math.h>

#include "ab-sim-api.h"
#include "sim-test-util.h"

/* client -> one exponential station (one slot, @service_ms), reads at
 * @rate */
static AbNetwork *
station (double rate, double service_ms, int queue_limit, double timeout_ms)
{
  AbNetwork *net = ab_network_new (2);

  net->stations[0].id = g_strdup ("client");
  net->stations[0].kind = AB_KIND_CLIENT;
  net->stations[0].concurrency = 1000;
  net->stations[0].failover_to = -1;
  net->stations[1].id = g_strdup ("app");
  net->stations[1].kind = AB_KIND_APP;
  net->stations[1].instances = 1;
  net->stations[1].concurrency = 1;
  net->stations[1].failover_to = -1;
  net->stations[1].service_ms[AB_CLASS_READ] = service_ms;
  net->stations[1].service_ms[AB_CLASS_WRITE] = service_ms;
  net->stations[1].dist = AB_DIST_EXPONENTIAL;
  net->stations[1].queue_limit = queue_limit;
  net->stations[1].timeout_ms = timeout_ms;
  for (int k = 0; k < AB_N_CLASSES; k++)
    {
      ab_network_add_call (net, 0, k, 1);
      ab_network_add_entry (net, k, 0, 1.0);
    }
  net->rate[AB_CLASS_READ] = rate;
  return net;
}

/* P(Erlang (n, mu) <= t) for n = 1 .. K at once: 1 - P(Poisson (mu t) < n) */
static void
erlang_cdfs (double mu, double t, int K, double *out)
{
  double a = mu * t, below = 0.0;
  double log_term = -a;   /* log P(Poisson = 0) */

  for (int n = 1; n <= K; n++)
    {
      below += exp (log_term);
      out[n - 1] = MAX (0.0, 1.0 - below);
      log_term += log (a) - log ((double) n);
    }
}

/* M/M/1/K, response time of admitted requests: an arrival that finds n
 * (n < K, probability proportional to rho^n) leaves after n + 1
 * exponential services. */
static double
mm1k_cdf (double rho, double mu, int K, double t, double *scratch)
{
  double norm = 0.0, acc = 0.0, w = 1.0;

  erlang_cdfs (mu, t, K, scratch);
  /* weights rho^n / rho^(K - 1), which do not overflow */
  for (int n = K - 1; n >= 0; n--)
    {
      norm += w;
      acc += w * scratch[n];
      w /= rho;
    }
  return acc / norm;
}

static double
mm1k_mean (double rho, double mu, int K)
{
  double norm = 0.0, acc = 0.0, w = 1.0;

  for (int n = K - 1; n >= 0; n--)
    {
      norm += w;
      acc += w * (n + 1.0) / mu;
      w /= rho;
    }
  return acc / norm;
}

/* M/M/1+D, patience D, overloaded (lambda > mu): the virtual wait V has
 * an atom P0 at 0 and density P0 lambda e^((lambda - mu) x) on (0, D];
 * above D (only the service of the last request that joined)
 * P(V > D) = f(D) / mu.  Served requests are those arriving with V <= D;
 * their response is V + Exp (mu).  Written with u = P0 e^(phi D),
 * phi = lambda - mu, so that nothing overflows. */
typedef struct {
  double lambda, mu, D, u, served;
} Mm1d;

static Mm1d
mm1d_new (double lambda, double mu, double D)
{
  Mm1d m = { lambda, mu, D, 0.0, 0.0 };
  double phi = lambda - mu, r = exp (-phi * D);

  g_assert_cmpfloat (phi, >, 0.0);
  m.u = 1.0 / (r + lambda * (1.0 - r) / phi + lambda / mu);
  m.served = 1.0 - m.u * lambda / mu;
  return m;
}

static double
mm1d_atom (const Mm1d *m)
{
  return m->u * exp (-(m->lambda - m->mu) * m->D);
}

static double
mm1d_density (const Mm1d *m, double x)
{
  return m->u * m->lambda * exp ((m->lambda - m->mu) * (x - m->D));
}

/* the distribution function by Simpson's rule with this many panels */
#define SIMPSON_N 20000

/* the integral of x f(x) on (0, D], in closed form */
static double
mm1d_mean (const Mm1d *m)
{
  double phi = m->lambda - m->mu;
  double first = m->u * m->lambda * (m->D / phi - (1.0 - exp (-phi * m->D)) / (phi * phi));

  return first / m->served + 1.0 / m->mu;
}

static double
mm1d_cdf (const Mm1d *m, double t)
{
  double b = MIN (t, m->D), h = b / SIMPSON_N, acc = 0.0;

  for (int i = 0; i <= SIMPSON_N; i++)
    {
      double x = i * h, wgt = (i == 0 || i == SIMPSON_N) ? 1.0 : (i % 2 ? 4.0 : 2.0);
      acc += wgt * mm1d_density (m, x) * (1.0 - exp (-m->mu * (t - x)));
    }
  acc *= h / 3.0;
  return (mm1d_atom (m) * (1.0 - exp (-m->mu * t)) + acc) / m->served;
}

typedef double (*CdfFunc) (gconstpointer data, double t);

static double
quantile (CdfFunc cdf, gconstpointer data, double q, double hi)
{
  double lo = 0.0;

  for (int i = 0; i < 60; i++)
    {
      double mid = (lo + hi) / 2.0;

      if (cdf (data, mid) < q)
        lo = mid;
      else
        hi = mid;
    }
  return (lo + hi) / 2.0;
}

typedef struct {
  double  rho, mu;
  int     K;
  double *scratch;
} Mm1k;

static double
mm1k_cdf_cb (gconstpointer data, double t)
{
  const Mm1k *m = data;

  return mm1k_cdf (m->rho, m->mu, m->K, t, m->scratch);
}

static double
mm1d_cdf_cb (gconstpointer data, double t)
{
  return mm1d_cdf (data, t);
}

static void
test_mm1k_overloaded (void)
{
  const double service = 1.0, mu = 1.0 / service;   /* per ms */
  const int queue_limit = 1000, K = 1 + queue_limit;
  /* and, below capacity, a queue that does fill at times */
  const double rhos[] = { 2.0, 5.0, 10.0, 0.98 };
  g_autofree double *scratch = g_new (double, K);

  for (guint i = 0; i < G_N_ELEMENTS (rhos); i++)
    {
      double rho = rhos[i];
      g_autoptr(AbNetwork) net = station (rho * 1000.0 / service, service, queue_limit, 0.0);
      g_autoptr(AbModelResult) res = ab_model_evaluate (net, NULL);
      Mm1k m = { rho, mu, K, scratch };
      double mean = mm1k_mean (rho, mu, K);
      double p95 = quantile (mm1k_cdf_cb, &m, 0.95, 10.0 * K / mu);
      double block = (rho - 1.0) / (rho - pow (rho, -(double) K));  /* p_K */

      g_test_message ("M/M/1/%d at rho %g: model mean %.1f P95 %.1f ms, exact %.1f / %.1f ms",
                      K, rho, res->latency[AB_CLASS_READ].mean_ms, res->latency[AB_CLASS_READ].p95_ms,
                      mean, p95);
      g_assert_true (res->stations[1].overloaded == (rho >= 1.0));
      g_assert_cmpfloat_with_epsilon (res->error_rate, block, 1e-9);
      g_assert_cmpfloat_with_epsilon (res->latency[AB_CLASS_READ].mean_ms, mean, mean * 1e-6);
      /* the grid: a step is about 1/200 of the span */
      g_assert_cmpfloat_with_epsilon (res->latency[AB_CLASS_READ].p95_ms, p95, p95 * 0.01);
      g_assert_cmpfloat_with_epsilon (res->latency[AB_CLASS_READ].p50_ms,
                                      quantile (mm1k_cdf_cb, &m, 0.5, 10.0 * K / mu),
                                      p95 * 0.01);
    }
}

static void
test_mm1d_overloaded (void)
{
  const double service = 1.0, mu = 1.0 / service, D = 1000.0;
  const double rhos[] = { 2.0, 5.0, 10.0 };

  for (guint i = 0; i < G_N_ELEMENTS (rhos); i++)
    {
      double rho = rhos[i], lambda = rho * mu;
      g_autoptr(AbNetwork) net = station (lambda * 1000.0, service, 0, D);
      g_autoptr(AbModelResult) res = ab_model_evaluate (net, NULL);
      Mm1d m = mm1d_new (lambda, mu, D);
      double mean = mm1d_mean (&m);
      double p95 = quantile (mm1d_cdf_cb, &m, 0.95, 2.0 * D);

      g_test_message ("M/M/1+D (D %g ms) at rho %g: model mean %.1f P95 %.1f ms, exact %.1f / %.1f ms",
                      D, rho, res->latency[AB_CLASS_READ].mean_ms, res->latency[AB_CLASS_READ].p95_ms,
                      mean, p95);
      g_assert_true (res->stations[1].overloaded);
      g_assert_cmpfloat_with_epsilon (res->error_rate, 1.0 - m.served, 1e-9);
      g_assert_cmpfloat_with_epsilon (res->latency[AB_CLASS_READ].mean_ms, mean, mean * 1e-6);
      g_assert_cmpfloat_with_epsilon (res->latency[AB_CLASS_READ].p95_ms, p95, p95 * 0.01);
    }
}

/* basic-database-design's reference with one app instance: offered about
 * 8.7 times what the app's thread pool can serve while it blocks on its
 * database; model and DES agree on the errors and on the latency of what
 * is served (about the full queue's drain time, over 3 s). */
static void
test_reference_single_app (void)
{
  AbProblemSet *set = ab_problem_set_get_default ();
  AbProblem *problem = ab_problem_set_lookup (set, "basic-database-design");
  g_autoptr(AbDesign) design = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AbRoute) route = NULL;
  g_autoptr(AbModelResult) model = NULL;
  g_autoptr(AbScenario) scenario = NULL;
  g_autoptr(AbDesResult) des = NULL;
  AbDesConfig config;
  guint apps = 0;
  double model_p95, des_p95;

  g_assert_nonnull (problem);
  design = sim_reference_design (problem);
  for (guint i = 0; i < ab_design_get_n_components (design); i++)
    {
      const AbComponent *c = ab_design_get_component (design, i);

      if (c->kind == AB_KIND_APP)
        {
          ab_design_set_instances (design, c->id, 1);
          apps++;
        }
    }
  g_assert_cmpuint (apps, >, 0);
  route = ab_route_build (design, &problem->workload, &error);
  g_assert_no_error (error);
  model = ab_model_evaluate (ab_route_get_network (route), NULL);
  g_assert_cmpfloat (model->bottleneck_utilization, >, 5.0);

  scenario = ab_scenario_new_normal (60.0);
  ab_des_config_init (&config);
  des = ab_des_run (ab_route_get_network (route), scenario, &config, &error);
  g_assert_no_error (error);
  g_assert_nonnull (des);

  model_p95 = model->latency[AB_N_CLASSES].p95_ms;
  des_p95 = des->phases[0].latency[AB_N_CLASSES].p95_ms.value;
  g_test_message ("basic-database-design, one app: errors model %.3f DES %.3f; P95 model %.0f ms DES %.0f ms",
                  model->error_rate, des->phases[0].error_rate, model_p95, des_p95);
  g_assert_cmpfloat (des_p95, >, 1000.0);
  g_assert_cmpfloat_with_epsilon (model->error_rate, des->phases[0].error_rate, 0.03);
  g_assert_cmpfloat_with_epsilon (model_p95, des_p95, 0.15 * des_p95);
  g_assert_cmpfloat_with_epsilon (model->latency[AB_N_CLASSES].mean_ms,
                                  des->phases[0].latency[AB_N_CLASSES].mean_ms.value,
                                  0.15 * des->phases[0].latency[AB_N_CLASSES].mean_ms.value);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/model-overload/mm1k", test_mm1k_overloaded);
  g_test_add_func ("/model-overload/mm1d", test_mm1d_overloaded);
  g_test_add_func ("/model-overload/reference-single-app", test_reference_single_app);
  return g_test_run ();
}
