/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A background consumer slower than its producer with no queue limit and
 * no timeout: nothing rejects its work, so none of it is lost, and its
 * backlog grows for as long as the overload lasts.  The model's lag over
 * a phase (the mean wait behind the fluid backlog of the chains started
 * in it, ab_model_backlog_at) and how fast it grows must agree with the
 * DES, simulated whole and in windows (docs/simulation.md, "Background
 * work is lag, not latency"). */
#include "config.h"

#include "des-test-util.h"
#include "../sim/sim-test-util.h"

/* "normal" at x1 for @duration_s after a warm-up of @warmup_s, then
 * "later" at @later for as long */
static AbScenario *
two_phases (double duration_s, double warmup_s, double later)
{
  AbScenario *sc = ab_scenario_new ();

  sc->warmup_s = warmup_s;
  sc->bucket_s = 1.0;
  sc->seed = 83;
  ab_scenario_add_phase (sc, "normal", duration_s, 1.0, 1.0, TRUE);
  ab_scenario_add_phase (sc, "later", duration_s, later, later, TRUE);
  return sc;
}

/* The model of phase @p of @sc; the app (station 0) never holds a backlog */
static AbModelResult *
model_phase (const AbNetwork *net, const AbScenario *sc, guint p)
{
  double backlog[2];
  AbModelResult *r = sim_model_phase (net, sc, p, backlog, 0, NULL);

  g_assert_cmpfloat (backlog[0], ==, 0.0);
  g_assert_cmpfloat (backlog[1], >, 0.0);
  return r;
}

static AbDesResult *
run (const AbNetwork *net, const AbScenario *sc, guint64 budget)
{
  g_autoptr(GError) error = NULL;
  AbDesConfig config;
  AbDesResult *r;

  ab_des_config_init (&config);
  config.sample_budget = budget;
  config.replications = 1;
  r = ab_des_run (net, sc, &config, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);
  g_assert_false (r->truncated);
  return r;
}

/* Phase @p of @r against the model: nothing lost in either, the mean lag
 * and the slowest end's within the DES's interval (and 5 %), the growth
 * within 15 % (a backlog is a random walk: over 20 s at 1,250 arrivals and
 * 1,000 services a second its slope is known to about +-5 %) */
static void
assert_agrees (const AbNetwork *net, const AbScenario *sc, const AbDesResult *r, guint p)
{
  const AbDesPhaseResult *d = &r->phases[p];
  g_autoptr(AbModelResult) m = model_phase (net, sc, p);
  const AbEstimate *mean = &d->latency[AB_DES_ASYNC].mean_ms;
  double lag = mean->value;
  double tol = MAX (mean->ci, 0.05 * m->lag_ms);

  g_test_message ("%s: model lag %.1f ms (slowest %.1f), grows %.1f ms/s, %.2f %% lost; DES lag %.1f ms "
                  "(+-%.1f), slowest %.1f (+-%.1f), grows %.1f ms/s, %.2f %% lost, %.3f s simulated in %u",
                  d->name, m->lag_ms, m->lag_slowest_ms, m->lag_slowest_growth,
                  100.0 * m->background_error_rate, lag, mean->ci, d->lag_slowest_ms.value,
                  d->lag_slowest_ms.ci, d->lag_slowest_growth, 100.0 * d->background_error_rate,
                  d->simulated_s, d->windows);
  g_assert_true (m->stations[1].overloaded);
  g_assert_cmpfloat (m->background_error_rate, ==, 0.0);
  g_assert_cmpfloat (d->background_error_rate, ==, 0.0);
  g_assert_cmpuint (d->latency[AB_DES_ASYNC].count, >, 500);
  g_assert_cmpfloat_with_epsilon (lag, m->lag_ms, tol);
  g_assert_cmpint (m->lag_slowest_station, ==, 1);
  g_assert_cmpint (d->lag_slowest_station, ==, 1);
  g_assert_cmpfloat_with_epsilon (d->lag_slowest_ms.value, m->lag_slowest_ms,
                                  MAX (d->lag_slowest_ms.ci, 0.05 * m->lag_slowest_ms));
  g_assert_cmpfloat (m->lag_slowest_growth, >, 0.0);
  /* a windowed run moves the start of chains that wait through a skip:
   * it does not measure the trend (the summary takes the model's) */
  if (r->windowed)
    g_assert_false (isfinite (d->lag_slowest_growth));
  else
    g_assert_cmpfloat_with_epsilon (d->lag_slowest_growth, m->lag_slowest_growth, 0.15 * m->lag_slowest_growth);
}

/* The closed form: one worker of one slot at 1 ms against 1,250 writes
 * a second builds 250 requests of backlog a second, a quarter of a
 * second's wait; the mean over a phase of the chains started in it is
 * the wait at its middle. */
static void
test_model (void)
{
  g_autoptr(AbNetwork) net = des_test_app_worker (1250.0, 1, 1, 1.0, 0);
  g_autoptr(AbScenario) sc = two_phases (10.0, 5.0, 1.0);
  g_autoptr(AbModelResult) plain = ab_model_evaluate (net, NULL);
  g_autoptr(AbModelResult) normal = model_phase (net, sc, 0);
  g_autoptr(AbModelResult) later = model_phase (net, sc, 1);

  g_assert_true (plain->stations[1].overloaded);
  g_assert_cmpfloat_with_epsilon (plain->stations[1].backlog_rps, 250.0, 1e-6);
  /* lost: none (it waits); growth: 250 ms a second */
  g_assert_cmpfloat (plain->background_error_rate, ==, 0.0);
  g_assert_cmpfloat_with_epsilon (plain->lag_slowest_growth, 250.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (plain->lag_growth, 250.0, 1e-6);
  /* without a backlog given: overloaded for AB_MODEL_DEFAULT_OVERLOAD_S */
  g_assert_cmpfloat_with_epsilon (plain->stations[1].backlog, 250.0 * AB_MODEL_DEFAULT_OVERLOAD_S, 1e-6);
  g_assert_cmpfloat_with_epsilon (plain->lag_ms, 250.0 * AB_MODEL_DEFAULT_OVERLOAD_S + 1.0, 1e-6);
  /* 5 s of warm-up and 5 s of the phase: 2,500 waiting, 2.5 s */
  g_assert_cmpfloat_with_epsilon (normal->stations[1].backlog, 2500.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (normal->lag_slowest_ms, 2501.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (later->lag_slowest_ms, 5001.0, 1e-6);
  /* users do not see it */
  g_assert_cmpfloat (plain->error_rate, <, 1e-9);
}

/* The backlog drains once the load falls (never below 0), linearly along
 * a ramp */
static void
test_model_drains (void)
{
  g_autoptr(AbNetwork) net = des_test_app_worker (1250.0, 1, 1, 1.0, 0);
  g_autoptr(AbScenario) sc = two_phases (10.0, 5.0, 0.5);
  g_autoptr(AbScenario) ramp = ab_scenario_new ();
  g_autoptr(AbModelResult) later = model_phase (net, sc, 1);
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func ((GDestroyNotify) ab_model_result_free);
  SimModelAt m = { net, held };
  double backlog[2];

  /* 3,750 after 15 s, draining at 375 a second: gone 10 s later */
  g_assert_false (later->stations[1].overloaded);
  g_assert_cmpfloat_with_epsilon (later->stations[1].backlog, 3750.0 - 375.0 * 5.0, 1e-6);
  g_assert_cmpfloat (later->background_error_rate, ==, 0.0);
  g_assert_true (ab_model_backlog_at (sc, 19.0, sim_model_at_multiplier, &m, 2, backlog));
  g_assert_cmpfloat_with_epsilon (backlog[1], 3750.0 - 375.0 * 9.0, 1e-6);
  g_assert_false (ab_model_backlog_at (sc, 20.0 + 1.0, sim_model_at_multiplier, &m, 2, backlog));

  /* x0.4 -> x1.2 over 10 s: overloaded for the last 5 s, at 0 to 500 a
   * second more than its 1,000: 1,250 behind at the end */
  ramp->warmup_s = 5.0;
  ab_scenario_add_phase (ramp, "ramp-up", 10.0, 0.4, 1.2, TRUE);
  g_assert_true (ab_model_backlog_at (ramp, 10.0, sim_model_at_multiplier, &m, 2, backlog));
  g_assert_cmpfloat_with_epsilon (backlog[1], 1250.0, 5.0);
}

/* simulated whole */
static void
test_whole (void)
{
  g_autoptr(AbNetwork) net = des_test_app_worker (1250.0, 1, 1, 1.0, 0);
  g_autoptr(AbScenario) sc = two_phases (20.0, 10.0, 1.0);
  g_autoptr(AbDesResult) r = run (net, sc, 1000000);

  g_assert_false (r->windowed);
  assert_agrees (net, sc, r, 0);
}

/* 200,000 writes/s against 20 workers of 8 slots at 1 ms (160,000/s):
 * windows of a fraction of a second, the backlog between them the fluid
 * model's */
static void
test_windowed (void)
{
  g_autoptr(AbNetwork) net = des_test_app_worker (200000.0, 20, 8, 1.0, 0);
  g_autoptr(AbScenario) sc = two_phases (20.0, 10.0, 1.0);
  g_autoptr(AbDesResult) r = run (net, sc, 200000);

  g_assert_true (r->windowed);
  assert_agrees (net, sc, r, 0);

  /* over time: the lag of a skipped bucket follows the fluid backlog, so
   * after a phase's last window it keeps rising, by about the 250 ms a
   * second the backlog adds (it used to be held at the window's) */
  {
    guint after = 0;
    int prev = -1;

    for (guint b = 0; b < r->n_buckets; b++)
      {
        const AbDesBucket *bk = &r->buckets[b];
        int before = -1;
        gboolean later = FALSE;
        double rise;

        if (!bk->estimated)
          continue;
        for (guint a = 0; a < r->n_buckets; a++)
          if (r->buckets[a].phase == bk->phase && !r->buckets[a].estimated)
            {
              if (a < b)
                before = (int) a;
              else
                later = TRUE;
            }
        if (before < 0 || later)
          {
            prev = -1;
            continue;
          }
        if (prev >= 0 && r->buckets[prev].phase == bk->phase)
          {
            rise = bk->latency[AB_DES_ASYNC].mean_ms - r->buckets[prev].latency[AB_DES_ASYNC].mean_ms;
            g_test_message ("bucket %u (%.0f s), after its phase's last window: %.0f ms, %.1f ms more than "
                            "the one before", b, bk->t_s, bk->latency[AB_DES_ASYNC].mean_ms, rise);
            g_assert_cmpfloat_with_epsilon (rise, 250.0, 0.1 * 250.0);
            after++;
          }
        prev = (int) b;
      }
    g_assert_cmpuint (after, >=, 6);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/des/open-backlog/model", test_model);
  g_test_add_func ("/des/open-backlog/model-drains", test_model_drains);
  g_test_add_func ("/des/open-backlog/whole", test_whole);
  g_test_add_func ("/des/open-backlog/windowed", test_windowed);
  return g_test_run ();
}
