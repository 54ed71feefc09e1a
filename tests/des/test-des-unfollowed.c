/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the anonymous visits of the representative instances load behind
 * an overloaded pool of blocking threads (docs/simulation.md,
 * "Representative instances").  A pool that cannot keep up turns away or
 * times out what it cannot serve, and those requests call nothing: the
 * database behind it sees what the pool passes on, never more requests
 * at once than the pool has threads.  A DES that follows 2 of the app's
 * 8 instances must lose what one following all 8 loses, and what the
 * model loses; its database must serve what its app serves.
 *
 * The app is 8 instances of 8 blocking threads (2 ms of its own work,
 * then one call to the database, 0.5 ms each way) behind a client; the
 * database is one instance of 4 slots of 1 ms, 4,000 visits a second.
 * The app's room (16 waiting requests per instance) fills within a
 * fraction of a second.  Short runs: the core suite also runs under
 * valgrind. */
#include "config.h"

#include "ab-types.h"
#include "des-test-util.h"

#define APP_INSTANCES 8
#define FEW 2

static AbNetwork *
app_db (double rate, int db_slots, double db_service_ms)
{
  static const char *const ids[] = { "client", "app", "db" };
  AbNetwork *net = des_test_named_network (ids, 3, 1.0);
  AbCall *call;

  net->stations[0].kind = AB_KIND_CLIENT;
  net->stations[0].concurrency = 0;
  net->stations[1].kind = AB_KIND_APP;
  net->stations[1].instances = APP_INSTANCES;
  net->stations[1].service_ms[AB_CLASS_READ] = 2.0;
  net->stations[1].blocking_calls = TRUE;
  net->stations[1].queue_limit = 16;
  net->stations[1].timeout_ms = 1000.0;
  net->stations[2].kind = AB_KIND_DB_PRIMARY;
  net->stations[2].concurrency = db_slots;
  net->stations[2].service_ms[AB_CLASS_READ] = db_service_ms;
  net->stations[2].timeout_ms = 1000.0;
  call = ab_network_add_call (net, 0, AB_CLASS_READ, 1);
  call->net_ms = 0.5;
  call = ab_network_add_call (net, 1, AB_CLASS_READ, 2);
  call->net_ms = 0.5;
  ab_network_add_entry (net, AB_CLASS_READ, 0, 1.0);
  ab_network_add_entry (net, AB_CLASS_WRITE, 0, 1.0);
  net->rate[AB_CLASS_READ] = rate;
  return net;
}

static AbDesResult *
run (const AbNetwork *net, guint max_instances)
{
  g_autoptr(AbScenario) sc = des_test_scenario (8.0, 2.0, 1.0, 17);
  g_autoptr(GError) error = NULL;
  AbDesConfig cfg;
  AbDesResult *result;

  ab_des_config_init (&cfg);
  cfg.sample_budget = 1500000;
  cfg.max_instances = max_instances;
  cfg.replications = 1;
  cfg.max_budget_factor = 1.0;
  result = ab_des_run (net, sc, &cfg, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_false (result->windowed);
  return result;
}

static void
report (const char *what, const AbDesResult *r)
{
  const AbDesPhaseResult *p = &r->phases[0];

  g_test_message ("%s (%u representatives, %.3f of the requests followed): errors %.4f, app serves %.0f/s, "
                  "db %.0f/s at %.3f, %.2f ms, %.1f waiting",
                  what, r->representatives, r->tracked_fraction, p->error_rate, p->stations[1].served_rps,
                  p->stations[2].served_rps, p->stations[2].utilization, p->stations[2].sojourn_ms,
                  p->stations[2].queue_length);
}

/* @few against @all (every instance followed) and @model */
static void
compare (const AbModelResult *model, const AbDesResult *few, const AbDesResult *all, double tolerance)
{
  const AbDesPhaseResult *f = &few->phases[0], *a = &all->phases[0];

  g_test_message ("model: app serves %.0f/s of %.0f/s, db at %.3f (%.2f ms, %.1f waiting), errors %.4f",
                  model->stations[1].served_rps, model->stations[1].offered_rps, model->stations[2].utilization,
                  model->stations[2].sojourn_ms[AB_CLASS_READ], model->stations[2].queue_length, model->error_rate);
  report ("DES, few followed", few);
  report ("DES, all followed", all);
  /* the runs are what they say: anonymous visits in one, none in the
   * other */
  g_assert_cmpuint (few->representatives, ==, FEW);
  g_assert_cmpfloat (few->tracked_fraction, <, 0.5);
  g_assert_cmpfloat (all->tracked_fraction, ==, 1.0);
  /* the database serves what the app serves (one call each), in both */
  g_assert_cmpfloat_with_epsilon (f->stations[2].served_rps, f->stations[1].served_rps,
                                  0.03 * f->stations[1].served_rps);
  g_assert_cmpfloat_with_epsilon (a->stations[2].served_rps, a->stations[1].served_rps,
                                  0.03 * a->stations[1].served_rps);
  /* and the app loses what it loses with every instance followed, and in
   * the model */
  g_assert_cmpfloat_with_epsilon (f->error_rate, a->error_rate, tolerance);
  g_assert_cmpfloat_with_epsilon (f->error_rate, model->error_rate, tolerance);
  g_assert_cmpfloat_with_epsilon (a->error_rate, model->error_rate, tolerance);
  g_assert_cmpfloat_with_epsilon (f->stations[1].served_rps, a->stations[1].served_rps,
                                  tolerance * a->stations[1].served_rps);
}

/* The app's threads are held some 4 ms (2 + 0.5 + 1 + 0.5 and a little
 * waiting): 64 threads serve about 15,000/s of the 20,000/s offered; the
 * database (0.6 ms: 6,700/s) keeps up with what the app passes on but not
 * with what it is offered, so with the anonymous load at the offered rate
 * it ran away and the app's threads waited on it. */
static void
test_overloaded_pool (void)
{
  g_autoptr(AbNetwork) net = app_db (24000.0, 8, 0.3);
  g_autoptr(AbModelResult) model = ab_model_evaluate (net, NULL);
  g_autoptr(AbDesResult) few = NULL;
  g_autoptr(AbDesResult) all = NULL;

  g_test_message ("model: app serves %.0f/s, db at %.3f", model->stations[1].served_rps, model->stations[2].utilization);
  g_assert_true (model->stations[1].overloaded);
  g_assert_cmpfloat (model->stations[2].utilization, <, 0.9);
  g_assert_cmpfloat (24000.0 * 0.3e-3 / 8, >, 0.85);
  few = run (net, FEW);
  all = run (net, APP_INSTANCES);
  compare (model, few, all, 0.03);
}

/* The database is the real limit (1 ms: 4,000/s, less than the app's
 * threads could do): the app's threads queue at it, and the database
 * runs at its capacity with as many waiting as the pool's threads allow,
 * no more.  An open stream of anonymous visits at the database's
 * capacity has no such bound: its queue wandered off. */
static void
test_saturated_callee (void)
{
  g_autoptr(AbNetwork) net = app_db (6000.0, 4, 1.0);
  g_autoptr(AbModelResult) model = ab_model_evaluate (net, NULL);
  g_autoptr(AbDesResult) few = NULL;
  g_autoptr(AbDesResult) all = NULL;

  g_test_message ("model: app serves %.0f/s, db at %.3f", model->stations[1].served_rps, model->stations[2].utilization);
  g_assert_true (model->stations[1].overloaded);
  g_assert_cmpfloat (model->stations[2].utilization, >, 0.97);
  few = run (net, FEW);
  all = run (net, APP_INSTANCES);
  compare (model, few, all, 0.04);
  /* never more waiting at the database than the pool has threads */
  g_assert_cmpfloat (few->phases[0].stations[2].queue_length, <, APP_INSTANCES * 8);
}

/* Nothing lost: the anonymous load is the offered load, as before. */
static void
test_keeping_up (void)
{
  g_autoptr(AbNetwork) net = app_db (8000.0, 8, 0.3);
  g_autoptr(AbModelResult) model = ab_model_evaluate (net, NULL);
  g_autoptr(AbDesResult) few = run (net, FEW);
  const AbDesPhaseResult *p = &few->phases[0];

  report ("DES, keeping up", few);
  g_assert_false (model->stations[1].overloaded);
  g_assert_cmpuint (p->class_errors[AB_CLASS_READ], ==, 0);
  g_assert_cmpfloat_with_epsilon (p->stations[2].served_rps, 8000.0, 0.03 * 8000.0);
  g_assert_cmpfloat_with_epsilon (p->stations[2].utilization, model->stations[2].utilization, 0.02);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/des/unfollowed/overloaded-pool", test_overloaded_pool);
  g_test_add_func ("/des/unfollowed/saturated-callee", test_saturated_callee);
  g_test_add_func ("/des/unfollowed/keeping-up", test_keeping_up);
  return g_test_run ();
}
