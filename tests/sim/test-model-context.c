/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The model's evaluation context: results computed in a reused context
 * are identical, bit for bit, to fresh evaluations (every shipped
 * reference, several inputs, designs of changing size in one context),
 * and a repeated evaluation allocates no working buffers and touches no
 * fresh pages. */
#include "config.h"

#include <string.h>
#include <sys/resource.h>

#include "ab-model.h"
#include "ab-sim-api.h"
#include "sim-test-util.h"

static void
assert_same_result (const AbModelResult *a,
                    const AbModelResult *b,
                    const char          *what)
{
  g_test_message ("comparing %s", what);
  g_assert_cmpuint (a->n_stations, ==, b->n_stations);
  /* memcmp: NaN equals NaN, and any difference at all shows */
  g_assert_cmpmem (&a->multiplier, sizeof (double), &b->multiplier, sizeof (double));
  g_assert_cmpmem (&a->offered_rps, sizeof (double), &b->offered_rps, sizeof (double));
  g_assert_cmpmem (&a->served_rps, sizeof (double), &b->served_rps, sizeof (double));
  g_assert_cmpmem (&a->error_rate, sizeof (double), &b->error_rate, sizeof (double));
  g_assert_cmpmem (a->class_error_rate, sizeof a->class_error_rate,
                   b->class_error_rate, sizeof b->class_error_rate);
  g_assert_cmpmem (a->latency, sizeof a->latency, b->latency, sizeof b->latency);
  g_assert_cmpmem (&a->lag_ms, sizeof (double), &b->lag_ms, sizeof (double));
  g_assert_cmpmem (&a->background_rps, sizeof (double), &b->background_rps, sizeof (double));
  g_assert_cmpmem (&a->background_error_rate, sizeof (double),
                   &b->background_error_rate, sizeof (double));
  g_assert_cmpint (a->bottleneck, ==, b->bottleneck);
  g_assert_cmpmem (&a->max_sustainable_rps, sizeof (double), &b->max_sustainable_rps, sizeof (double));
  g_assert_cmpmem (a->grid_step_ms, sizeof a->grid_step_ms, b->grid_step_ms, sizeof b->grid_step_ms);
  for (int k = 0; k < AB_N_CLASSES; k++)
    g_assert_cmpmem (a->grid_cdf[k], sizeof (double) * AB_MODEL_GRID,
                     b->grid_cdf[k], sizeof (double) * AB_MODEL_GRID);
  g_assert_cmpmem (a->node_rps, sizeof (double) * a->n_stations * AB_N_CLASSES,
                   b->node_rps, sizeof (double) * b->n_stations * AB_N_CLASSES);
  for (guint x = 0; x < a->n_stations; x++)
    g_assert_cmpmem (&a->stations[x], sizeof (AbStationResult),
                     &b->stations[x], sizeof (AbStationResult));
}

static void
compare (AbModelContext     *context,
         const AbNetwork    *network,
         const AbModelInput *input,
         const char         *what)
{
  g_autoptr(AbModelResult) fresh = ab_model_evaluate (network, input);
  g_autoptr(AbModelResult) reused = ab_model_evaluate_in (context, network, input);

  assert_same_result (fresh, reused, what);
}

/* Every reference, at its load, at three times its load with autoscaling,
 * and with each of a few stations lost (before and after failover), all
 * in one context that goes back and forth between design sizes. */
static void
test_same_results (void)
{
  AbProblemSet *set = ab_problem_set_get_default ();
  g_autoptr(AbModelContext) context = ab_model_context_new ();

  g_assert_cmpuint (ab_problem_set_get_n (set), >, 0);
  for (guint i = 0; i < ab_problem_set_get_n (set); i++)
    {
      AbProblem *problem = ab_problem_set_get_nth (set, i);
      g_autoptr(AbDesign) design = sim_reference_design (problem);
      g_autoptr(GError) error = NULL;
      AbWorkload workload = problem->workload;
      g_autoptr(AbRoute) route = ab_route_build (design, &workload, &error);
      const AbNetwork *net;
      g_autofree gboolean *down = NULL;
      AbModelInput input = { 0 };

      g_assert_no_error (error);
      net = ab_route_get_network (route);
      compare (context, net, NULL, problem->id);
      input.multiplier = 3.0;
      input.autoscale = TRUE;
      compare (context, net, &input, problem->id);
      down = g_new0 (gboolean, MAX (net->n_stations, 1));
      input.multiplier = 1.0;
      input.autoscale = FALSE;
      input.down = down;
      for (guint x = 0; x < MIN (net->n_stations, 6); x++)
        {
          down[x] = TRUE;
          input.failover_pending = FALSE;
          compare (context, net, &input, problem->id);
          input.failover_pending = TRUE;
          compare (context, net, &input, problem->id);
          down[x] = FALSE;
        }
    }
}

/* A hub calling @n - 2 shards, behind a client. */
static AbNetwork *
wide_network (guint n)
{
  AbNetwork *net = ab_network_new (n);

  for (guint x = 0; x < n; x++)
    {
      net->stations[x].id = g_strdup_printf ("s%u", x);
      net->stations[x].kind = x == 0 ? AB_KIND_CLIENT : AB_KIND_APP;
      net->stations[x].concurrency = x == 0 ? 1000 : 8;
      net->stations[x].service_ms[AB_CLASS_READ] = 5.0;
      net->stations[x].service_ms[AB_CLASS_WRITE] = 10.0;
      net->stations[x].availability = 0.999;
    }
  for (int k = 0; k < AB_N_CLASSES; k++)
    {
      ab_network_add_entry (net, k, 0, 1.0);
      ab_network_add_call (net, 0, k, 1);
      for (guint x = 2; x < n; x++)
        ab_network_add_call (net, 1, k, (int) x)->probability = 1.0 / (n - 2);
    }
  net->rate[AB_CLASS_READ] = 100.0;
  net->rate[AB_CLASS_WRITE] = 10.0;
  return net;
}

static glong
minor_faults (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

static void
test_reuse (void)
{
  g_autoptr(AbNetwork) big = wide_network (2000);
  g_autoptr(AbNetwork) small = wide_network (50);
  g_autoptr(AbModelContext) context = ab_model_context_new ();
  AbModelInput input = { 0 };
  guint grows;
  glong faults;

  ab_model_result_free (ab_model_evaluate_in (context, big, NULL));
  grows = ab_model_context_get_n_grows (context);
  g_assert_cmpuint (grows, >, 0);

  /* the same size again, other inputs, a smaller design: no buffer grows */
  input.multiplier = 2.0;
  faults = minor_faults ();
  for (int round = 0; round < 3; round++)
    {
      g_autoptr(AbModelResult) res = ab_model_evaluate_in (context, big, &input);

      g_assert_cmpfloat (res->offered_rps, >, 0.0);
    }
  faults = minor_faults () - faults;
  ab_model_result_free (ab_model_evaluate_in (context, small, NULL));
  g_assert_cmpuint (ab_model_context_get_n_grows (context), ==, grows);

  /* a fresh evaluation of the big design faults in ~ 6 x 2,000 spectra
   * of 2 KiB (~6,000 pages); three reused ones together fault in at most
   * what their results take (~110 pages each, more under a sanitizer's
   * quarantine) */
  g_test_message ("minor page faults in three reused evaluations: %ld", faults);
  g_assert_cmpint (faults, <, 1500);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/model-context/same-results", test_same_results);
  g_test_add_func ("/model-context/reuse", test_reuse);
  return g_test_run ();
}
