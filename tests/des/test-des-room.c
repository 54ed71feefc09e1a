/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Room for the requests (docs/simulation.md, "Room for the requests"): a
 * run keeps its requests in a pool of at most MAX_FRAMES frames, and the
 * followed requests waiting behind a backlog without a limit or a timeout
 * stay frames from window to window.  A large sample budget once made
 * the windows long enough to pile past the pool: the requests that found
 * no frame were counted as the design's errors (0.98 of them, served a
 * quarter of the capacity, P50 10 s where it is 18 s).  The window plan
 * now keeps what piles up within the room: the same design at a large
 * budget reads what it reads at the default one.
 *
 * What a run does when the pool is full anyway, seen through a pool a
 * test makes small (des_run_with_frames): the requests and calls that
 * find no frame are counted in AbDesResult.out_of_room and end
 * uncounted otherwise, neither served nor failed, their latency not
 * recorded (the requests it had room for read what they read with
 * room for all); background work that finds no frame is not counted as
 * lost; and the window plan keeps its rule in a smaller pool.  The
 * summary of such a run says so in words (ab_sim_summary_room_text), as
 * the results panel, the report and the CLI show it. */
#include "config.h"

#include <locale.h>
#include <math.h>

#include <glib/gi18n-lib.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

#include "ab-sim-api.h"
#include "ab-des-private.h"
#include "ab-format.h"
#include "des-test-util.h"
#include "../sim/sim-test-util.h"
#include "../german-test-util.h"

/* 20 instances of 8 slots of 1 ms */
#define CAPACITY 160000.0
#define RATE     1760000.0 /* rho 11 */

/* client -> "app" (20 instances x 8 slots, 1 ms, no queue limit, no
 * timeout) -> "db" (1000 slots of 1 ms): reads at RATE */
static AbNetwork *
design (void)
{
  static const char *const ids[] = { "client", "app", "db" };
  AbNetwork *net = des_test_named_network (ids, 3, 1.0);

  net->stations[0].kind = AB_KIND_CLIENT;
  net->stations[0].concurrency = 1000;
  net->stations[1].kind = AB_KIND_APP;
  net->stations[1].instances = 20;
  net->stations[1].concurrency = 8;
  net->stations[2].kind = AB_KIND_DB_PRIMARY;
  net->stations[2].concurrency = 1000;
  for (int i = 1; i < 3; i++)
    for (int k = 0; k < AB_N_CLASSES; k++)
      net->stations[i].service_ms[k] = 1.0;
  for (int k = 0; k < AB_N_CLASSES; k++)
    {
      ab_network_add_call (net, 0, k, 1);
      ab_network_add_call (net, 1, k, 2);
      ab_network_add_entry (net, k, 0, 1.0);
    }
  net->rate[AB_CLASS_READ] = RATE;
  return net;
}

static AbDesResult *
run (guint64 budget, guint frames)
{
  g_autoptr(AbScenario) sc = ab_scenario_new ();
  g_autoptr(AbNetwork) net = design ();
  g_autoptr(GError) error = NULL;
  AbDesConfig config;
  AbDesResult *r;

  sc->warmup_s = 10.0;
  sc->bucket_s = 1.0;
  sc->seed = 43;
  ab_scenario_add_phase (sc, "over", 20.0, 1.0, 1.0, TRUE);
  ab_des_config_init (&config);
  config.sample_budget = budget;
  r = des_run_with_frames (net, sc, &config, frames, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);
  g_assert_cmpuint (r->n_phases, ==, 1);
  return r;
}

/* rho 11 for 30 s: some 50 M requests; at the default budget and at 40 M
 * visits (archboard-cli simulate --requests 40000000), no errors, the
 * capacity served and the same P50 */
static void
test_large_budget (void)
{
  AbDesResult *ref, *big;
  double p50_ref, p50_big;

  if (RUNNING_ON_VALGRIND)
    {
      g_test_skip ("tens of millions of visits: too slow under valgrind");
      return;
    }
  ref = run (0, 0);
  big = run (40000000, 0);
  p50_ref = ref->phases[0].latency[AB_N_CLASSES].p50_ms.value;
  p50_big = big->phases[0].latency[AB_N_CLASSES].p50_ms.value;
  g_test_message ("default budget: served %.0f/s, errors %.4f, P50 %.2f s; "
                  "40 M: served %.0f/s, errors %.4f, P50 %.2f s",
                  ref->phases[0].served_rps, ref->phases[0].error_rate, p50_ref / 1000.0,
                  big->phases[0].served_rps, big->phases[0].error_rate, p50_big / 1000.0);
  g_assert_true (big->windowed);
  g_assert_false (big->truncated);
  g_assert_cmpfloat (ref->phases[0].error_rate, <, 1e-3);
  g_assert_cmpfloat (big->phases[0].error_rate, <, 1e-3);
  g_assert_cmpuint (ref->out_of_room, ==, 0);
  g_assert_cmpuint (big->out_of_room, ==, 0);
  g_assert_cmpfloat (fabs (big->phases[0].served_rps / CAPACITY - 1.0), <, 0.05);
  g_assert_cmpfloat (fabs (ref->phases[0].served_rps / CAPACITY - 1.0), <, 0.05);
  g_assert_cmpfloat (fabs (p50_big / p50_ref - 1.0), <, 0.10);
  ab_des_result_free (ref);
  ab_des_result_free (big);
}

/* The same design in a pool of a million frames (a quarter of the real
 * one) at a 4 M budget, which would pile some 1.2 M requests in it: the
 * plan keeps what piles up within half of the pool, so no request finds
 * it full (with the real pool's room, 0.6 M would not find a frame),
 * and the run reads what it reads at the default budget in the real
 * pool. */
#define QUARTER_POOL 1000000
static void
test_plan_follows_pool (void)
{
  AbDesResult *r;

  if (RUNNING_ON_VALGRIND)
    {
      g_test_skip ("millions of visits: too slow under valgrind");
      return;
    }
  r = run (4000000, QUARTER_POOL);
  g_test_message ("pool of %d: served %.0f/s, errors %.4f, P50 %.2f s, out of room %" G_GUINT64_FORMAT
                  ", %u windows, %.2f s simulated, %" G_GUINT64_FORMAT " visits, %u replications",
                  QUARTER_POOL, r->phases[0].served_rps, r->phases[0].error_rate,
                  r->phases[0].latency[AB_N_CLASSES].p50_ms.value / 1000.0, r->out_of_room,
                  r->phases[0].windows, r->phases[0].simulated_s, r->visits, r->replications);
  g_assert_true (r->windowed);
  g_assert_cmpuint (r->out_of_room, ==, 0);
  g_assert_cmpfloat (r->phases[0].error_rate, <, 1e-3);
  g_assert_cmpfloat (fabs (r->phases[0].served_rps / CAPACITY - 1.0), <, 0.05);
  ab_des_result_free (r);
}

/* ------------------------------------------------- a pool that fills -- */

#define CHAIN_MS   50.0
#define CHAIN_RATE 4000.0
#define SMALL_POOL 512

/* s0 -> s1 -> s2, thread per request (each holds its slot until its
 * call answers), 2,000 slots each of 50 ms, reads at 4,000/s: nothing
 * queues, a request takes three exponential times (Erlang-3, mean
 * 150 ms) and about 1,200 frames are in flight (0.05 s at each of one,
 * two and three frames a request), more than SMALL_POOL.  With
 * @background, s2 is called asynchronously instead: s0 -> s1, and s1's
 * work goes on to s2 in the background. */
static AbNetwork *
chain_design (gboolean background)
{
  AbNetwork *net = des_test_chain (3, 2000, CHAIN_MS, CHAIN_RATE, AB_DIST_EXPONENTIAL);

  for (int i = 0; i < 3; i++)
    net->stations[i].blocking_calls = TRUE;
  if (background)
    for (int k = 0; k < AB_N_CLASSES; k++)
      net->calls[1 * AB_N_CLASSES + k].calls[0].async = TRUE;
  return net;
}

static AbDesResult *
run_chain (gboolean background, guint frames)
{
  g_autoptr(AbScenario) sc = ab_scenario_new ();
  g_autoptr(AbNetwork) net = chain_design (background);
  g_autoptr(GError) error = NULL;
  AbDesConfig config;
  AbDesResult *r;

  sc->warmup_s = 2.0;
  sc->bucket_s = 1.0;
  sc->seed = 7;
  ab_scenario_add_phase (sc, "normal", 10.0, 1.0, 1.0, TRUE);
  ab_des_config_init (&config);
  config.sample_budget = 400000;
  config.max_budget_factor = 1.0;
  r = des_run_with_frames (net, sc, &config, frames, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);
  g_assert_cmpuint (r->n_phases, ==, 1);
  g_assert_false (r->windowed);
  return r;
}

/* The Erlang-3 quantile of mean 3 * CHAIN_MS: P50 at 2.6741 and P95 at
 * 6.2958 times CHAIN_MS */
#define ERLANG3_P50 (2.6741 * CHAIN_MS)
#define ERLANG3_P95 (6.2958 * CHAIN_MS)

static void
test_pool_fills (void)
{
  AbDesResult *full = run_chain (FALSE, SMALL_POOL);
  AbDesResult *room = run_chain (FALSE, 0);
  const AbDesPhaseResult *f = &full->phases[0], *r = &room->phases[0];
  const AbLatencyStats *lf = &f->latency[AB_N_CLASSES], *lr = &r->latency[AB_N_CLASSES];

  g_test_message ("pool of %d: out of room %" G_GUINT64_FORMAT ", offered %.0f/s, served %.0f/s, "
                  "errors %" G_GUINT64_FORMAT ", P50 %.1f ms, P95 %.1f ms; room for all: out of room %"
                  G_GUINT64_FORMAT ", served %.0f/s, errors %" G_GUINT64_FORMAT ", P50 %.1f ms, P95 %.1f ms",
                  SMALL_POOL, full->out_of_room, f->offered_rps, f->served_rps, f->errors,
                  lf->p50_ms.value, lf->p95_ms.value, room->out_of_room, r->served_rps, r->errors,
                  lr->p50_ms.value, lr->p95_ms.value);
  /* room for all: nothing dropped, every request served */
  g_assert_cmpuint (room->out_of_room, ==, 0);
  g_assert_cmpuint (r->errors, ==, 0);
  g_assert_cmpfloat (fabs (r->served_rps / CHAIN_RATE - 1.0), <, 0.03);
  /* a full pool: requests and calls found no frame; not the design's
   * errors */
  g_assert_cmpuint (full->out_of_room, >, 1000);
  g_assert_cmpuint (f->requests, >, 0);
  g_assert_cmpuint (f->errors, ==, 0);
  g_assert_cmpfloat (f->error_rate, ==, 0.0);
  g_assert_cmpfloat (f->error_rate_ci[AB_N_CLASSES].value, ==, 0.0);
  for (guint b = 0; b < full->n_buckets; b++)
    g_assert_cmpfloat (full->buckets[b].errors_rps, ==, 0.0);
  /* fewer served (those it had no room for are neither served nor
   * failed): no more than the pool's share of the 1,200 frames in
   * demand (less: a request dropped halfway held frames too), and not
   * far less */
  g_assert_cmpfloat (f->served_rps, <, (double) SMALL_POOL / 1200.0 * CHAIN_RATE);
  g_assert_cmpfloat (f->served_rps, >, 0.25 * CHAIN_RATE);
  /* those served took as long as with room for all: no slot held by a
   * dropped request stays taken (2,000 slots would run out and the
   * requests would queue), and no dropped request's time is recorded */
  g_assert_cmpfloat (fabs (lf->p50_ms.value / ERLANG3_P50 - 1.0), <, 0.10);
  g_assert_cmpfloat (fabs (lf->p95_ms.value / ERLANG3_P95 - 1.0), <, 0.10);
  g_assert_cmpfloat (fabs (lr->p50_ms.value / ERLANG3_P50 - 1.0), <, 0.10);
  g_assert_cmpfloat (fabs (lr->p95_ms.value / ERLANG3_P95 - 1.0), <, 0.10);
  for (guint s = 0; s < 3; s++)
    g_assert_cmpfloat (f->stations[s].queue_length, <, 1.0);
  ab_des_result_free (full);
  ab_des_result_free (room);
}

/* Background work that finds the pool full is not lost work: s1's
 * stages at s2 that found no frame leave the background error rate 0. */
static void
test_pool_fills_background (void)
{
  AbDesResult *full = run_chain (TRUE, SMALL_POOL / 2);
  const AbDesPhaseResult *f = &full->phases[0];

  g_test_message ("pool of %d, background: out of room %" G_GUINT64_FORMAT ", served %.0f/s, "
                  "background stages %" G_GUINT64_FORMAT ", lost %" G_GUINT64_FORMAT ", lag %.1f ms",
                  SMALL_POOL / 2, full->out_of_room, f->served_rps, f->async_requests, f->async_errors,
                  f->latency[AB_DES_ASYNC].mean_ms.value);
  g_assert_cmpuint (full->out_of_room, >, 1000);
  g_assert_cmpuint (f->errors, ==, 0);
  g_assert_cmpuint (f->async_requests, >, 0);
  g_assert_cmpuint (f->async_errors, ==, 0);
  g_assert_cmpfloat (f->background_error_rate, ==, 0.0);
  ab_des_result_free (full);
}

/* --------------------------------------------- the summary's words -- */

/* basic-database-design's reference under its normal load (the normal
 * phase only), with its app servers' and the databases' many slots: in
 * a pool of 64 frames many requests find no room */
static AbSimSetup *
reference_setup (void)
{
  AbProblem *problem = ab_problem_set_lookup (ab_problem_set_get_default (), "basic-database-design");
  g_autoptr(AbDesign) design = NULL;
  g_autoptr(GError) error = NULL;
  AbSimOptions options;
  AbSimSetup *setup;

  g_assert_nonnull (problem);
  design = sim_reference_design (problem);
  ab_sim_options_init (&options);
  options.scenario = AB_SIM_SCENARIO_NORMAL;
  options.seed = 3;
  options.budget = 100000;
  setup = ab_sim_setup_new (design, problem, &options, &error);
  g_assert_no_error (error);
  return setup;
}

static AbSimSummary *
reference_summary (AbSimSetup *setup, guint frames, guint64 *out_of_room)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AbDesResult) r = NULL;
  AbDesConfig config;

  ab_des_config_init (&config);
  config.sample_budget = 100000;
  config.max_budget_factor = 1.0;
  r = des_run_with_frames (ab_sim_setup_get_network (setup), ab_sim_setup_get_scenario (setup), &config,
                           frames, &error);
  g_assert_no_error (error);
  *out_of_room = r->out_of_room;
  return ab_sim_summary_new_des (setup, r);
}

/* A run that ran out of room says how many and what they are not;
 * one that did not, and the model, say nothing. */
static void
test_summary_text (void)
{
  g_autoptr(AbSimSetup) setup = reference_setup ();
  g_autoptr(AbSimSummary) full = NULL, room = NULL, model = NULL;
  g_autofree char *text = NULL, *count = NULL, *want = NULL;
  guint64 n = 0, none = 1;

  full = reference_summary (setup, 64, &n);
  room = reference_summary (setup, 0, &none);
  model = ab_sim_summary_new_model (setup);
  g_test_message ("pool of 64: %" G_GUINT64_FORMAT " out of room, normal phase errors %.4f", n,
                  full->phases[full->normal].error_rate);
  g_assert_cmpuint (n, >, 1000);
  g_assert_cmpuint (full->out_of_room, ==, n);
  g_assert_cmpuint (none, ==, 0);
  g_assert_cmpuint (room->out_of_room, ==, 0);

  text = ab_sim_summary_room_text (full);
  g_test_message ("%s", text);
  count = ab_format_count ((double) n);
  want = g_strdup_printf ("The simulator ran out of room for %s requests in flight: a limit of the simulator, "
                          "not of the design. They count neither as errors nor as served, and their latencies "
                          "are not in the figures.", count);
  g_assert_cmpstr (text, ==, want);
  g_assert_null (ab_sim_summary_room_text (room));
  g_assert_null (ab_sim_summary_room_text (model));

  /* one */
  full->out_of_room = 1;
  g_clear_pointer (&text, g_free);
  text = ab_sim_summary_room_text (full);
  g_assert_cmpstr (text, ==, "The simulator ran out of room for 1 request in flight: a limit of the simulator, "
                             "not of the design. It counts neither as an error nor as served, and its latency "
                             "is not in the figures.");
  /* a model summary never says it, whatever the field holds */
  model->out_of_room = 5;
  g_assert_null (ab_sim_summary_room_text (model));
}

/* The same in German, grouped as German groups */
static void
test_summary_text_german (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(AbSimSetup) setup = NULL;
      g_autoptr(AbSimSummary) s = NULL;
      g_autofree char *text = NULL;

      german_test_enter ();
      setup = reference_setup ();
      s = ab_sim_summary_new_model (setup);
      s->method = AB_SIM_METHOD_DES;
      s->out_of_room = 1234567;
      text = ab_sim_summary_room_text (s);
      g_assert_cmpstr (text, ==, "Dem Simulator fehlte der Platz für 1.234.567 gleichzeitig laufende Anfragen: "
                                 "eine Grenze des Simulators, nicht des Entwurfs. Sie zählen weder als Fehler "
                                 "noch als bedient, und ihre Latenzen gehen nicht in die Werte ein.");
      s->out_of_room = 1;
      g_clear_pointer (&text, g_free);
      text = ab_sim_summary_room_text (s);
      g_assert_true (g_str_has_prefix (text, "Dem Simulator fehlte der Platz für 1 gleichzeitig laufende Anfrage: "));
      return;
    }
  german_test_trap ();
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/des/room/large-budget", test_large_budget);
  g_test_add_func ("/des/room/plan-follows-pool", test_plan_follows_pool);
  g_test_add_func ("/des/room/pool-fills", test_pool_fills);
  g_test_add_func ("/des/room/pool-fills-background", test_pool_fills_background);
  g_test_add_func ("/des/room/summary-text", test_summary_text);
  g_test_add_func ("/des/room/summary-text-german", test_summary_text_german);
  return g_test_run ();
}
