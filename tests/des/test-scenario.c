/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Scenarios: the standard timelines, editing, multipliers, validation. */
#include "config.h"

#include <string.h>

#include "ab-types.h"
#include "ab-scenario.h"

static const AbPhase *
phase (const AbScenario *sc, guint i)
{
  return &g_array_index (sc->phases, AbPhase, i);
}

static void
test_scenario_normal (void)
{
  g_autoptr(AbScenario) sc = ab_scenario_new_normal (30.0);

  g_assert_cmpuint (sc->phases->len, ==, 1);
  g_assert_cmpstr (phase (sc, 0)->name, ==, "normal");
  g_assert_true (phase (sc, 0)->reported);
  g_assert_cmpfloat (ab_scenario_duration (sc), ==, 30.0);
  g_assert_cmpfloat (sc->bucket_s, ==, 1.0);
  g_assert_cmpfloat (ab_scenario_multiplier_at (sc, -1.0), ==, 1.0);
  g_assert_cmpfloat (ab_scenario_multiplier_at (sc, 15.0), ==, 1.0);
  g_assert_cmpuint (sc->events->len, ==, 0);
  g_assert_true (ab_scenario_validate (sc, NULL, NULL));
}

static void
test_scenario_peak (void)
{
  g_autoptr(AbScenario) sc = ab_scenario_new_peak (10.0);
  double t_up = ab_scenario_phase_start (sc, 1);
  double t_peak = ab_scenario_phase_start (sc, 2);
  double t_down = ab_scenario_phase_start (sc, 3);

  g_assert_cmpuint (sc->phases->len, ==, 4);
  g_assert_cmpstr (phase (sc, 2)->name, ==, "peak");
  g_assert_cmpfloat (t_up, ==, AB_SCENARIO_DEFAULT_NORMAL_S);
  g_assert_cmpfloat_with_epsilon (ab_scenario_multiplier_at (sc, t_up + AB_SCENARIO_DEFAULT_RAMP_S / 2),
                                  5.5, 1e-9);
  g_assert_cmpfloat (ab_scenario_multiplier_at (sc, t_peak + 1.0), ==, 10.0);
  g_assert_cmpfloat_with_epsilon (ab_scenario_multiplier_at (sc, t_down + AB_SCENARIO_DEFAULT_RAMP_S),
                                  1.0, 1e-9);
  g_assert_cmpint (ab_scenario_phase_at (sc, 0.0), ==, 0);
  g_assert_cmpint (ab_scenario_phase_at (sc, t_peak + 0.5), ==, 2);
  g_assert_cmpint (ab_scenario_phase_at (sc, 1e9), ==, 3);
}

static void
test_scenario_failure (void)
{
  g_autoptr(AbScenario) one = ab_scenario_new_failure ("db", FALSE);
  g_autoptr(AbScenario) whole = ab_scenario_new_failure ("db", TRUE);
  const AbScenarioEvent *e;
  const char *ids[] = { "app", "db", NULL };
  const char *others[] = { "app", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (one->events->len, ==, 2);
  e = &g_array_index (one->events, AbScenarioEvent, 0);
  g_assert_cmpint (e->kind, ==, AB_SCENARIO_LOSE_INSTANCES);
  g_assert_cmpint (e->count, ==, 1);
  g_assert_cmpstr (e->station, ==, "db");
  g_assert_cmpfloat (e->t_s, ==, ab_scenario_phase_start (one, 1));
  e = &g_array_index (one->events, AbScenarioEvent, 1);
  g_assert_cmpint (e->kind, ==, AB_SCENARIO_RECOVER);
  g_assert_cmpfloat (e->t_s, ==, ab_scenario_phase_start (one, 2));
  g_assert_cmpint (g_array_index (whole->events, AbScenarioEvent, 0).kind, ==,
                   AB_SCENARIO_LOSE_STATION);

  g_assert_true (ab_scenario_validate (one, ids, NULL));
  g_assert_false (ab_scenario_validate (one, others, &error));
  g_assert_error (error, AB_ERROR, AB_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "\"db\""));
}

static void
test_scenario_default_timeline (void)
{
  g_autoptr(AbScenario) plain = ab_scenario_new_default_timeline (3.0, NULL);
  g_autoptr(AbScenario) full = ab_scenario_new_default_timeline (3.0, "cache");
  const char *names[] = { "normal", "ramp-up", "peak", "ramp-down", "failure", "recovery" };

  g_assert_cmpuint (plain->phases->len, ==, 4);
  g_assert_cmpuint (plain->events->len, ==, 0);
  g_assert_cmpuint (full->phases->len, ==, 6);
  for (guint i = 0; i < 6; i++)
    g_assert_cmpstr (phase (full, i)->name, ==, names[i]);
  g_assert_cmpuint (full->events->len, ==, 2);
  g_assert_cmpfloat (full->warmup_s, >, 0.0);
  g_assert_cmpfloat (ab_scenario_multiplier_at (full, ab_scenario_phase_start (full, 4) + 1), ==, 1.0);
}

/* A failover: the pending takeover and the state after it are phases of
 * their own, long enough to show each; the recovery follows. */
static void
test_scenario_failover (void)
{
  g_autoptr(AbScenario) none = ab_scenario_new_failure ("db", TRUE);
  g_autoptr(AbScenario) over = ab_scenario_new_failure_full ("db", TRUE, 90.0);
  g_autoptr(AbScenario) quick = ab_scenario_new_failure_full ("db", TRUE, 4.0);
  g_autoptr(AbScenario) one = ab_scenario_new_failure_full ("db", FALSE, 90.0);
  g_autoptr(AbScenario) timeline = ab_scenario_new_default_timeline_full (3.0, "db", 60.0);
  const char *names[] = { "normal", "ramp-up", "peak", "ramp-down", "failure", "failed-over", "recovery" };
  double t_fail, t_over, t_back;

  /* no failover target: one failure phase of the default length */
  g_assert_cmpuint (none->phases->len, ==, 3);
  g_assert_cmpstr (phase (none, 1)->name, ==, "failure");
  g_assert_cmpfloat (phase (none, 1)->duration_s, ==, AB_SCENARIO_DEFAULT_FAILURE_S);

  /* a failover of 90 s: "failure" until the takeover, "failed-over" after */
  g_assert_cmpuint (over->phases->len, ==, 4);
  g_assert_cmpstr (phase (over, 1)->name, ==, "failure");
  g_assert_cmpfloat (phase (over, 1)->duration_s, ==, 90.0);
  g_assert_cmpstr (phase (over, 2)->name, ==, "failed-over");
  g_assert_cmpfloat (phase (over, 2)->duration_s, ==, AB_SCENARIO_DEFAULT_FAILURE_S);
  g_assert_true (phase (over, 2)->reported);
  g_assert_cmpstr (phase (over, 3)->name, ==, "recovery");
  t_fail = ab_scenario_phase_start (over, 1);
  t_over = ab_scenario_phase_start (over, 2);
  t_back = ab_scenario_phase_start (over, 3);
  g_assert_cmpfloat (t_over - t_fail, ==, 90.0);
  g_assert_cmpuint (over->events->len, ==, 2);
  g_assert_cmpint (g_array_index (over->events, AbScenarioEvent, 0).kind, ==, AB_SCENARIO_LOSE_STATION);
  g_assert_cmpfloat (g_array_index (over->events, AbScenarioEvent, 0).t_s, ==, t_fail);
  g_assert_cmpint (g_array_index (over->events, AbScenarioEvent, 1).kind, ==, AB_SCENARIO_RECOVER);
  g_assert_cmpfloat (g_array_index (over->events, AbScenarioEvent, 1).t_s, ==, t_back);
  g_assert_true (ab_scenario_validate (over, NULL, NULL));

  /* a takeover within seconds happens inside one failure phase */
  g_assert_cmpuint (quick->phases->len, ==, 3);
  g_assert_cmpfloat (phase (quick, 1)->duration_s, ==, 4.0 + AB_SCENARIO_DEFAULT_FAILURE_S);
  g_assert_cmpfloat (g_array_index (quick->events, AbScenarioEvent, 1).t_s, ==, ab_scenario_phase_start (quick, 2));

  /* one instance lost: nothing fails over */
  g_assert_cmpuint (one->phases->len, ==, 3);
  g_assert_cmpint (g_array_index (one->events, AbScenarioEvent, 0).kind, ==, AB_SCENARIO_LOSE_INSTANCES);

  g_assert_cmpuint (timeline->phases->len, ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_cmpstr (phase (timeline, i)->name, ==, names[i]);
  g_assert_cmpfloat (ab_scenario_duration (timeline), ==,
                     AB_SCENARIO_DEFAULT_NORMAL_S + 2 * AB_SCENARIO_DEFAULT_RAMP_S + AB_SCENARIO_DEFAULT_PEAK_S
                     + 60.0 + AB_SCENARIO_DEFAULT_FAILURE_S + AB_SCENARIO_DEFAULT_RECOVERY_S);
  g_assert_cmpstr (ab_scenario_phase_label ("failed-over"), ==, "failed over");
}

static void
test_scenario_edit_copy (void)
{
  g_autoptr(AbScenario) sc = ab_scenario_new ();
  g_autoptr(AbScenario) copy = NULL;
  guint i;

  g_assert_false (ab_scenario_validate (sc, NULL, NULL));
  ab_scenario_add_phase (sc, "a", 10.0, 1.0, 2.0, TRUE);
  ab_scenario_add_phase (sc, "c", 5.0, 2.0, 2.0, FALSE);
  ab_scenario_insert_phase (sc, 1, "b", 5.0, 2.0, 4.0, TRUE);
  g_assert_cmpstr (phase (sc, 1)->name, ==, "b");
  g_assert_cmpfloat (ab_scenario_duration (sc), ==, 20.0);
  g_assert_cmpfloat (ab_scenario_multiplier_at (sc, 12.5), ==, 3.0);

  ab_scenario_add_event (sc, 8.0, AB_SCENARIO_RECOVER, "x", 0);
  i = ab_scenario_add_event (sc, 2.0, AB_SCENARIO_LOSE_STATION, "x", 0);
  g_assert_cmpuint (i, ==, 0);
  i = ab_scenario_add_event (sc, 8.0, AB_SCENARIO_LOSE_INSTANCES, "y", 2);
  g_assert_cmpuint (i, ==, 2);  /* after the existing event at the same time */

  copy = ab_scenario_copy (sc);
  ab_scenario_remove_phase (sc, 0);
  ab_scenario_remove_event (sc, 0);
  g_assert_cmpuint (sc->phases->len, ==, 2);
  g_assert_cmpuint (sc->events->len, ==, 2);
  g_assert_cmpuint (copy->phases->len, ==, 3);
  g_assert_cmpuint (copy->events->len, ==, 3);
  g_assert_cmpstr (phase (copy, 0)->name, ==, "a");
  g_assert_cmpstr (g_array_index (copy->events, AbScenarioEvent, 2).station, ==, "y");
  g_assert_cmpuint (copy->seed, ==, sc->seed);
}

static void
test_scenario_invalid (void)
{
  struct {
    double duration, m0, bucket, warmup, event_t;
    int count;
    int code;
  } cases[] = {
    { 0.0, 1.0, 1.0, 0.0, -1, 1, AB_ERROR_INVALID },     /* zero duration */
    { 10.0, -1.0, 1.0, 0.0, -1, 1, AB_ERROR_INVALID },   /* negative multiplier */
    { 10.0, 1.0, 0.0, 0.0, -1, 1, AB_ERROR_INVALID },    /* zero bucket */
    { 10.0, 1.0, 1.0, -3.0, -1, 1, AB_ERROR_INVALID },   /* negative warm-up */
    { 10.0, 1.0, 1.0, 0.0, 11.0, 1, AB_ERROR_INVALID },  /* event after the end */
    { 10.0, 1.0, 1.0, 0.0, 5.0, 0, AB_ERROR_INVALID },   /* lose 0 instances */
    { 1e6, 1.0, 0.01, 0.0, -1, 1, AB_ERROR_TOO_LARGE },  /* 1e8 buckets */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(AbScenario) sc = ab_scenario_new ();
      g_autoptr(GError) error = NULL;

      ab_scenario_add_phase (sc, "p", cases[i].duration, cases[i].m0, 1.0, TRUE);
      sc->bucket_s = cases[i].bucket;
      sc->warmup_s = cases[i].warmup;
      if (cases[i].event_t >= 0)
        ab_scenario_add_event (sc, cases[i].event_t, AB_SCENARIO_LOSE_INSTANCES, "s", cases[i].count);
      g_assert_false (ab_scenario_validate (sc, NULL, &error));
      g_assert_error (error, AB_ERROR, cases[i].code);
      g_assert_true (g_str_has_prefix (error->message, "scenario: "));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/scenario/normal", test_scenario_normal);
  g_test_add_func ("/scenario/peak", test_scenario_peak);
  g_test_add_func ("/scenario/failure", test_scenario_failure);
  g_test_add_func ("/scenario/default-timeline", test_scenario_default_timeline);
  g_test_add_func ("/scenario/failover", test_scenario_failover);
  g_test_add_func ("/scenario/edit-copy", test_scenario_edit_copy);
  g_test_add_func ("/scenario/invalid", test_scenario_invalid);
  return g_test_run ();
}
