/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Scenarios: constructors for the standard timelines, editing, and the
 * multiplier at a given time. */
#define G_LOG_DOMAIN "archboard-scenario"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "ab-types.h"
#include "ab-scenario.h"

#define MAX_PHASES 256
#define MAX_EVENTS 1024

static void
clear_phase (gpointer data)
{
  AbPhase *phase = data;

  g_clear_pointer (&phase->name, g_free);
}

static void
clear_event (gpointer data)
{
  AbScenarioEvent *event = data;

  g_clear_pointer (&event->station, g_free);
}

AbScenario *
ab_scenario_new (void)
{
  AbScenario *scenario = g_new0 (AbScenario, 1);

  scenario->seed = AB_SCENARIO_DEFAULT_SEED;
  scenario->warmup_s = AB_SCENARIO_DEFAULT_WARMUP_S;
  scenario->bucket_s = 1.0;
  scenario->phases = g_array_new (FALSE, TRUE, sizeof (AbPhase));
  g_array_set_clear_func (scenario->phases, clear_phase);
  scenario->events = g_array_new (FALSE, TRUE, sizeof (AbScenarioEvent));
  g_array_set_clear_func (scenario->events, clear_event);
  return scenario;
}

AbScenario *
ab_scenario_new_normal (double duration_s)
{
  AbScenario *scenario = ab_scenario_new ();

  ab_scenario_add_phase (scenario, "normal", duration_s, 1.0, 1.0, TRUE);
  return scenario;
}

static void
add_peak_phases (AbScenario *scenario,
                 double      multiplier)
{
  ab_scenario_add_phase (scenario, "ramp-up", AB_SCENARIO_DEFAULT_RAMP_S, 1.0, multiplier, TRUE);
  ab_scenario_add_phase (scenario, "peak", AB_SCENARIO_DEFAULT_PEAK_S, multiplier, multiplier, TRUE);
  ab_scenario_add_phase (scenario, "ramp-down", AB_SCENARIO_DEFAULT_RAMP_S, multiplier, 1.0, TRUE);
}

/* The failure and recovery phases: the loss at the failure phase's start;
 * with a failover that takes AB_SCENARIO_MIN_PENDING_S or more, the
 * pending failover ("failure") and the state after the takeover
 * ("failed-over") as phases of their own, since they differ (the lost
 * primary's writes fail, then succeed) and a phase is summarised by one
 * state; then the recovery. */
static void
add_failure_phases (AbScenario *scenario,
                    const char *station_id,
                    gboolean    whole,
                    double      failover_s)
{
  double t_fail = ab_scenario_duration (scenario);
  double t_recover;

  if (!whole || !(failover_s >= 0.0))
    ab_scenario_add_phase (scenario, "failure", AB_SCENARIO_DEFAULT_FAILURE_S, 1.0, 1.0, TRUE);
  else if (failover_s < AB_SCENARIO_MIN_PENDING_S)
    ab_scenario_add_phase (scenario, "failure", failover_s + AB_SCENARIO_DEFAULT_FAILURE_S, 1.0, 1.0, TRUE);
  else
    {
      ab_scenario_add_phase (scenario, "failure", failover_s, 1.0, 1.0, TRUE);
      ab_scenario_add_phase (scenario, "failed-over", AB_SCENARIO_DEFAULT_FAILURE_S, 1.0, 1.0, TRUE);
    }
  t_recover = ab_scenario_duration (scenario);
  ab_scenario_add_phase (scenario, "recovery", AB_SCENARIO_DEFAULT_RECOVERY_S, 1.0, 1.0, TRUE);
  ab_scenario_add_event (scenario, t_fail,
                         whole ? AB_SCENARIO_LOSE_STATION : AB_SCENARIO_LOSE_INSTANCES,
                         station_id, 1);
  ab_scenario_add_event (scenario, t_recover, AB_SCENARIO_RECOVER, station_id, 0);
}

AbScenario *
ab_scenario_new_peak (double multiplier)
{
  AbScenario *scenario = ab_scenario_new_normal (AB_SCENARIO_DEFAULT_NORMAL_S);

  add_peak_phases (scenario, multiplier);
  return scenario;
}

AbScenario *
ab_scenario_new_failure_full (const char *station_id,
                              gboolean    whole,
                              double      failover_s)
{
  AbScenario *scenario;

  g_return_val_if_fail (station_id != NULL, NULL);

  scenario = ab_scenario_new_normal (AB_SCENARIO_DEFAULT_NORMAL_S);
  add_failure_phases (scenario, station_id, whole, failover_s);
  return scenario;
}

AbScenario *
ab_scenario_new_failure (const char *station_id,
                         gboolean    whole)
{
  return ab_scenario_new_failure_full (station_id, whole, -1.0);
}

AbScenario *
ab_scenario_new_default_timeline_full (double      multiplier,
                                       const char *failure_station_id,
                                       double      failover_s)
{
  AbScenario *scenario = ab_scenario_new_peak (multiplier);

  if (failure_station_id != NULL)
    add_failure_phases (scenario, failure_station_id, TRUE, failover_s);
  return scenario;
}

AbScenario *
ab_scenario_new_default_timeline (double      multiplier,
                                  const char *failure_station_id)
{
  return ab_scenario_new_default_timeline_full (multiplier, failure_station_id, -1.0);
}

AbScenario *
ab_scenario_copy (const AbScenario *scenario)
{
  AbScenario *copy;

  g_return_val_if_fail (scenario != NULL, NULL);

  copy = ab_scenario_new ();
  copy->seed = scenario->seed;
  copy->warmup_s = scenario->warmup_s;
  copy->bucket_s = scenario->bucket_s;
  for (guint i = 0; i < scenario->phases->len; i++)
    {
      const AbPhase *p = &g_array_index (scenario->phases, AbPhase, i);

      ab_scenario_add_phase (copy, p->name, p->duration_s, p->mult_start, p->mult_end, p->reported);
    }
  for (guint i = 0; i < scenario->events->len; i++)
    {
      const AbScenarioEvent *e = &g_array_index (scenario->events, AbScenarioEvent, i);
      AbScenarioEvent c = *e;

      c.station = g_strdup (e->station);
      g_array_append_val (copy->events, c);
    }
  return copy;
}

void
ab_scenario_free (AbScenario *scenario)
{
  if (scenario == NULL)
    return;
  g_array_unref (scenario->phases);
  g_array_unref (scenario->events);
  g_free (scenario);
}

void
ab_scenario_insert_phase (AbScenario *scenario,
                          guint       index,
                          const char *name,
                          double      duration_s,
                          double      mult_start,
                          double      mult_end,
                          gboolean    reported)
{
  AbPhase phase = { 0 };

  g_return_if_fail (scenario != NULL);
  g_return_if_fail (index <= scenario->phases->len);

  phase.name = g_strdup (name != NULL ? name : "");
  phase.duration_s = duration_s;
  phase.mult_start = mult_start;
  phase.mult_end = mult_end;
  phase.reported = reported;
  g_array_insert_val (scenario->phases, index, phase);
}

guint
ab_scenario_add_phase (AbScenario *scenario,
                       const char *name,
                       double      duration_s,
                       double      mult_start,
                       double      mult_end,
                       gboolean    reported)
{
  g_return_val_if_fail (scenario != NULL, 0);

  ab_scenario_insert_phase (scenario, scenario->phases->len, name,
                            duration_s, mult_start, mult_end, reported);
  return scenario->phases->len - 1;
}

void
ab_scenario_remove_phase (AbScenario *scenario,
                          guint       index)
{
  g_return_if_fail (scenario != NULL);
  g_return_if_fail (index < scenario->phases->len);

  g_array_remove_index (scenario->phases, index);
}

guint
ab_scenario_add_event (AbScenario          *scenario,
                       double               t_s,
                       AbScenarioEventKind  kind,
                       const char          *station_id,
                       int                  count)
{
  AbScenarioEvent event = { 0 };
  guint pos;

  g_return_val_if_fail (scenario != NULL, 0);
  g_return_val_if_fail (station_id != NULL, 0);

  event.t_s = t_s;
  event.kind = kind;
  event.station = g_strdup (station_id);
  event.count = count;
  for (pos = 0; pos < scenario->events->len; pos++)
    if (g_array_index (scenario->events, AbScenarioEvent, pos).t_s > t_s)
      break;
  g_array_insert_val (scenario->events, pos, event);
  return pos;
}

void
ab_scenario_remove_event (AbScenario *scenario,
                          guint       index)
{
  g_return_if_fail (scenario != NULL);
  g_return_if_fail (index < scenario->events->len);

  g_array_remove_index (scenario->events, index);
}

double
ab_scenario_duration (const AbScenario *scenario)
{
  double total = 0.0;

  g_return_val_if_fail (scenario != NULL, 0.0);

  for (guint i = 0; i < scenario->phases->len; i++)
    total += g_array_index (scenario->phases, AbPhase, i).duration_s;
  return total;
}

double
ab_scenario_phase_start (const AbScenario *scenario,
                         guint             index)
{
  double t = 0.0;

  g_return_val_if_fail (scenario != NULL, 0.0);

  for (guint i = 0; i < index && i < scenario->phases->len; i++)
    t += g_array_index (scenario->phases, AbPhase, i).duration_s;
  return t;
}

int
ab_scenario_phase_at (const AbScenario *scenario,
                      double            t_s)
{
  double t = 0.0;

  g_return_val_if_fail (scenario != NULL, -1);

  if (scenario->phases->len == 0)
    return -1;
  for (guint i = 0; i < scenario->phases->len; i++)
    {
      t += g_array_index (scenario->phases, AbPhase, i).duration_s;
      if (t_s < t)
        return (int) i;
    }
  return (int) scenario->phases->len - 1;
}

double
ab_scenario_multiplier_at (const AbScenario *scenario,
                           double            t_s)
{
  const AbPhase *p;
  int i;
  double start, frac;

  g_return_val_if_fail (scenario != NULL, 1.0);

  if (scenario->phases->len == 0)
    return 1.0;
  if (t_s < 0.0)
    return g_array_index (scenario->phases, AbPhase, 0).mult_start;
  i = ab_scenario_phase_at (scenario, t_s);
  p = &g_array_index (scenario->phases, AbPhase, i);
  start = ab_scenario_phase_start (scenario, (guint) i);
  frac = p->duration_s > 0.0 ? (t_s - start) / p->duration_s : 0.0;
  frac = CLAMP (frac, 0.0, 1.0);
  return p->mult_start + (p->mult_end - p->mult_start) * frac;
}

const char *
ab_scenario_event_kind_to_string (AbScenarioEventKind kind)
{
  switch (kind)
    {
    case AB_SCENARIO_LOSE_INSTANCES:
      return "lose-instances";
    case AB_SCENARIO_LOSE_STATION:
      return "lose-station";
    case AB_SCENARIO_RECOVER:
      return "recover";
    default:
      return "unknown";
    }
}

gboolean
ab_scenario_validate (const AbScenario   *scenario,
                      const char * const *station_ids,
                      GError            **error)
{
  double total;

  g_return_val_if_fail (scenario != NULL, FALSE);

  if (scenario->phases->len == 0)
    {
      g_set_error (error, AB_ERROR, AB_ERROR_INVALID, "scenario: no phases");
      return FALSE;
    }
  if (scenario->phases->len > MAX_PHASES || scenario->events->len > MAX_EVENTS)
    {
      g_set_error (error, AB_ERROR, AB_ERROR_TOO_LARGE,
                   "scenario: more than %d phases or %d events", MAX_PHASES, MAX_EVENTS);
      return FALSE;
    }
  if (!(scenario->bucket_s >= 0.01 && scenario->bucket_s <= 3600.0))
    {
      g_set_error (error, AB_ERROR, AB_ERROR_INVALID,
                   "scenario: bucket width %g s is not within 0.01 .. 3600 s", scenario->bucket_s);
      return FALSE;
    }
  if (!(scenario->warmup_s >= 0.0 && scenario->warmup_s <= 1e6))
    {
      g_set_error (error, AB_ERROR, AB_ERROR_INVALID,
                   "scenario: warm-up %g s is not within 0 .. 1e6 s", scenario->warmup_s);
      return FALSE;
    }
  for (guint i = 0; i < scenario->phases->len; i++)
    {
      const AbPhase *p = &g_array_index (scenario->phases, AbPhase, i);

      if (!(p->duration_s > 0.0 && p->duration_s <= 1e6))
        {
          g_set_error (error, AB_ERROR, AB_ERROR_INVALID,
                       "scenario: phase %u \"%s\": duration %g s is not within 0 .. 1e6 s",
                       i, p->name, p->duration_s);
          return FALSE;
        }
      if (!(p->mult_start >= 0.0 && p->mult_start <= 1e6 &&
            p->mult_end >= 0.0 && p->mult_end <= 1e6))
        {
          g_set_error (error, AB_ERROR, AB_ERROR_INVALID,
                       "scenario: phase %u \"%s\": multiplier is not within 0 .. 1e6",
                       i, p->name);
          return FALSE;
        }
    }
  total = ab_scenario_duration (scenario);
  if (total / scenario->bucket_s > 100000)
    {
      g_set_error (error, AB_ERROR, AB_ERROR_TOO_LARGE,
                   "scenario: more than 100000 buckets of %g s", scenario->bucket_s);
      return FALSE;
    }
  for (guint i = 0; i < scenario->events->len; i++)
    {
      const AbScenarioEvent *e = &g_array_index (scenario->events, AbScenarioEvent, i);
      gboolean known = station_ids == NULL;

      if (!(e->t_s >= 0.0 && e->t_s <= total))
        {
          g_set_error (error, AB_ERROR, AB_ERROR_INVALID,
                       "scenario: event %u (%s %s) at %g s is outside the timeline 0 .. %g s",
                       i, ab_scenario_event_kind_to_string (e->kind), e->station, e->t_s, total);
          return FALSE;
        }
      if ((guint) e->kind > AB_SCENARIO_RECOVER)
        {
          g_set_error (error, AB_ERROR, AB_ERROR_INVALID,
                       "scenario: event %u has an unknown kind %d", i, (int) e->kind);
          return FALSE;
        }
      if (e->kind == AB_SCENARIO_LOSE_INSTANCES && e->count < 1)
        {
          g_set_error (error, AB_ERROR, AB_ERROR_INVALID,
                       "scenario: event %u (lose-instances %s) loses %d instances",
                       i, e->station, e->count);
          return FALSE;
        }
      for (guint j = 0; station_ids != NULL && station_ids[j] != NULL; j++)
        if (g_strcmp0 (station_ids[j], e->station) == 0)
          known = TRUE;
      if (!known)
        {
          g_set_error (error, AB_ERROR, AB_ERROR_NOT_FOUND,
                       "scenario: event %u (%s) names unknown station \"%s\"",
                       i, ab_scenario_event_kind_to_string (e->kind), e->station);
          return FALSE;
        }
    }
  return TRUE;
}

const char *
ab_scenario_phase_label (const char *name)
{
  /* the phases the built-in scenarios make; their names stay English in
   * files and in the command line's output */
  static const struct { const char *name, *label; } labels[] = {
    /* TRANSLATORS: simulation phases, shown in the results and charts */
    { "normal", N_("normal") },
    { "ramp-up", N_("ramp-up") },
    { "peak", N_("peak") },
    { "ramp-down", N_("ramp-down") },
    { "failure", N_("failure") },
    /* TRANSLATORS: the phase after a lost database's standby has taken
     * over (the failover is complete, the lost one is not back yet) */
    { "failed-over", N_("failed over") },
    { "recovery", N_("recovery") },
  };

  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (strcmp (labels[i].name, name) == 0)
      return g_dgettext (GETTEXT_PACKAGE, labels[i].label);
  return name;
}

