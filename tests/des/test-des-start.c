/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The starting state of a DES run: a station near saturation starts from
 * its stationary queue, so a short run is not biased low.  An M/M/1 at
 * utilisation 0.95 takes about 1 / (mu (1 - sqrt rho)^2) = 16 s to forget
 * an empty start (mean service 10 ms): runs of 10 s from empty read its
 * queue and waits far below the closed form, runs from the stationary
 * state do not. */
#include "config.h"

#include "des-test-util.h"

#define SERVICE_MS 10.0
#define RATE       95.0  /* rho = 0.95 */
#define REPS       800

static AbDesResult *
short_runs (gboolean empty_start)
{
  g_autoptr(AbNetwork) net = des_test_chain (1, 1, SERVICE_MS, RATE, AB_DIST_EXPONENTIAL);
  g_autoptr(AbScenario) sc = des_test_scenario (10.0, 0.0, 1.0, 21);
  g_autoptr(GError) error = NULL;
  AbDesConfig config;
  AbDesResult *r;

  ab_des_config_init (&config);
  config.replications = REPS;
  config.sample_budget = 4000000;
  config.empty_start = empty_start;
  r = ab_des_run (net, sc, &config, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->replications, ==, REPS);
  g_assert_false (r->windowed);
  return r;
}

static void
test_stationary_start (void)
{
  double mu = 1000.0 / SERVICE_MS, rho = RATE / mu;
  double sojourn_ms = 1000.0 / (mu - RATE);     /* 200 ms */
  double queue = rho * rho / (1.0 - rho);       /* 18.05 waiting */
  g_autoptr(AbDesResult) warm = short_runs (FALSE);
  g_autoptr(AbDesResult) cold = short_runs (TRUE);
  const AbDesPhaseResult *w = &warm->phases[0], *c = &cold->phases[0];

  g_test_message ("from the stationary queue: mean %.1f ms (+-%.1f), queue %.2f; "
                  "from empty: mean %.1f ms, queue %.2f; closed form %.1f ms, %.2f",
                  w->latency[AB_DES_READ].mean_ms.value, w->latency[AB_DES_READ].mean_ms.ci,
                  w->stations[0].queue_length, c->latency[AB_DES_READ].mean_ms.value,
                  c->stations[0].queue_length, sojourn_ms, queue);
  /* the closed-form tolerance of the queueing tests near saturation */
  g_assert_cmpfloat_with_epsilon (w->latency[AB_DES_READ].mean_ms.value, sojourn_ms, 0.1 * sojourn_ms);
  g_assert_cmpfloat_with_epsilon (w->stations[0].queue_length, queue, 0.1 * queue);
  /* an empty start is well outside it */
  g_assert_cmpfloat (c->latency[AB_DES_READ].mean_ms.value, <, 0.8 * sojourn_ms);
  g_assert_cmpfloat (c->stations[0].queue_length, <, 0.8 * queue);
}

static void
test_light_load_starts_empty (void)
{
  /* below 0.7 a station starts empty: the two starts are the same run */
  g_autoptr(AbNetwork) net = des_test_chain (2, 2, 5.0, 100.0, AB_DIST_EXPONENTIAL);
  g_autoptr(AbScenario) sc = des_test_scenario (5.0, 1.0, 1.0, 4);
  g_autoptr(AbDesResult) a = NULL;
  g_autoptr(AbDesResult) b = NULL;
  AbDesConfig config;

  ab_des_config_init (&config);
  a = ab_des_run (net, sc, &config, NULL);
  config.empty_start = TRUE;
  b = ab_des_run (net, sc, &config, NULL);
  g_assert_cmpuint (a->events, ==, b->events);
  g_assert_cmpfloat (a->phases[0].latency[AB_DES_ALL].p99_ms.value, ==,
                     b->phases[0].latency[AB_DES_ALL].p99_ms.value);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/des/start/stationary", test_stationary_start);
  g_test_add_func ("/des/start/light-load-empty", test_light_load_starts_empty);
  return g_test_run ();
}
