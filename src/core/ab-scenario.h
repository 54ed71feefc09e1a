/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A simulation scenario: the seed, a warm-up, a timeline of load phases
 * (each with a linear ramp of the rate multiplier) and failure events at
 * given times.  Plain data; the DES reads it, the UI edits it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char     *name;        /* "normal", "ramp-up", "peak", "failure",
                            "failed-over", ... */
  double    duration_s;  /* > 0 */
  double    mult_start;  /* rate multiplier at the phase start ... */
  double    mult_end;    /* ... and at its end; linear in between */
  gboolean  reported;    /* appears in the result's per-phase summary */
} AbPhase;

typedef enum {
  AB_SCENARIO_LOSE_INSTANCES = 0, /* @count instances of @station fail */
  AB_SCENARIO_LOSE_STATION,       /* the whole station fails; it fails over
                                     to its failover_to station after
                                     failover_s if it has one.  A lost cache
                                     is a miss for every caller. */
  AB_SCENARIO_RECOVER             /* every lost instance of @station is back */
} AbScenarioEventKind;

typedef struct {
  double               t_s;     /* seconds since the start of the first phase
                                   (the warm-up precedes t = 0) */
  AbScenarioEventKind  kind;
  char                *station; /* station id (AbStation.id) */
  int                  count;   /* LOSE_INSTANCES only, >= 1 */
} AbScenarioEvent;

typedef struct {
  guint64  seed;
  double   warmup_s;  /* simulated before t = 0 at the first phase's start
                         multiplier; never reported */
  double   bucket_s;  /* width of a time-series bucket, default 1 s */
  GArray  *phases;    /* of AbPhase, in order */
  GArray  *events;    /* of AbScenarioEvent, sorted by t_s */
} AbScenario;

/* Default phase durations of ab_scenario_new_default_timeline().  The
 * failure lasts until the lost station's failover (when it has one) and
 * then AB_SCENARIO_DEFAULT_FAILURE_S in the state the design settles in:
 * long enough for the stampede of a lost cache and the queues elsewhere
 * to reach their new level (docs/simulation.md, "The timeline"). */
#define AB_SCENARIO_DEFAULT_WARMUP_S    10.0
#define AB_SCENARIO_DEFAULT_NORMAL_S    20.0
#define AB_SCENARIO_DEFAULT_RAMP_S      15.0
#define AB_SCENARIO_DEFAULT_PEAK_S      40.0
#define AB_SCENARIO_DEFAULT_FAILURE_S   60.0
#define AB_SCENARIO_DEFAULT_RECOVERY_S  30.0
/* A pending failover shorter than this is not a phase of its own: the
 * failure phase then lasts failover_s + AB_SCENARIO_DEFAULT_FAILURE_S. */
#define AB_SCENARIO_MIN_PENDING_S       10.0
#define AB_SCENARIO_DEFAULT_SEED        0x5eedab0a2dULL

/* An empty scenario: default seed, warm-up, 1 s buckets, no phases. */
AbScenario *ab_scenario_new                  (void);
/* One reported "normal" phase of @duration_s at multiplier 1. */
AbScenario *ab_scenario_new_normal           (double               duration_s);
/* "normal" (1), "ramp-up" (1 -> m), "peak" (m), "ramp-down" (m -> 1). */
AbScenario *ab_scenario_new_peak             (double               multiplier);
/* "normal", then "failure": @station_id loses one instance (or the whole
 * station when @whole) at the failure phase's start, then "recovery":
 * recovered at its start.  The failure phase lasts
 * AB_SCENARIO_DEFAULT_FAILURE_S; see ab_scenario_new_failure_full() for a
 * station with a failover target. */
AbScenario *ab_scenario_new_failure          (const char          *station_id,
                                              gboolean             whole);
/* As ab_scenario_new_failure(), for a station that fails over to its
 * failover target @failover_s after it is lost as a whole (< 0: it has
 * none).  With @whole and a failover of AB_SCENARIO_MIN_PENDING_S or more,
 * "failure" lasts @failover_s (the takeover is pending) and is followed
 * by "failed-over" (the target has taken over) for
 * AB_SCENARIO_DEFAULT_FAILURE_S; a shorter failover happens inside a
 * "failure" of @failover_s + AB_SCENARIO_DEFAULT_FAILURE_S. */
AbScenario *ab_scenario_new_failure_full     (const char          *station_id,
                                              gboolean             whole,
                                              double               failover_s);
/* warm-up, normal, ramp-up, peak, ramp-down, and when @failure_station_id
 * is not NULL: failure (the whole station lost) and recovery. */
AbScenario *ab_scenario_new_default_timeline (double               multiplier,
                                              const char          *failure_station_id);
/* As ab_scenario_new_default_timeline(), the failure phases as
 * ab_scenario_new_failure_full() makes them. */
AbScenario *ab_scenario_new_default_timeline_full (double          multiplier,
                                                   const char     *failure_station_id,
                                                   double          failover_s);
AbScenario *ab_scenario_copy                 (const AbScenario    *scenario);
void        ab_scenario_free                 (AbScenario          *scenario);

/* The phase's name for people (translated) for the built-in phases
 * ("normal", "ramp-up", "peak", "ramp-down", "failure", "failed-over",
 * "recovery"), else @name itself. */
const char *ab_scenario_phase_label          (const char          *name);

/* Appends a phase; returns its index. */
guint       ab_scenario_add_phase            (AbScenario          *scenario,
                                              const char          *name,
                                              double               duration_s,
                                              double               mult_start,
                                              double               mult_end,
                                              gboolean             reported);
void        ab_scenario_insert_phase         (AbScenario          *scenario,
                                              guint                index,
                                              const char          *name,
                                              double               duration_s,
                                              double               mult_start,
                                              double               mult_end,
                                              gboolean             reported);
void        ab_scenario_remove_phase         (AbScenario          *scenario,
                                              guint                index);
/* Adds an event keeping the list sorted (stable for equal times); returns
 * its index. */
guint       ab_scenario_add_event            (AbScenario          *scenario,
                                              double               t_s,
                                              AbScenarioEventKind  kind,
                                              const char          *station_id,
                                              int                  count);
void        ab_scenario_remove_event         (AbScenario          *scenario,
                                              guint                index);

/* Sum of the phase durations (excluding the warm-up). */
double      ab_scenario_duration             (const AbScenario    *scenario);
/* Start time of phase @index (t = 0 is the first phase's start). */
double      ab_scenario_phase_start          (const AbScenario    *scenario,
                                              guint                index);
/* Index of the phase containing @t_s (clamped to the first / last phase),
 * -1 when there are no phases. */
int         ab_scenario_phase_at             (const AbScenario    *scenario,
                                              double               t_s);
/* Rate multiplier at @t_s (t < 0: the warm-up, at the first phase's start
 * multiplier). */
double      ab_scenario_multiplier_at        (const AbScenario    *scenario,
                                              double               t_s);
/* Checks durations, multipliers, event times and counts; when @station_ids
 * (NULL-terminated) is given, that every event names one of them. */
gboolean    ab_scenario_validate             (const AbScenario    *scenario,
                                              const char * const  *station_ids,
                                              GError             **error);

const char *ab_scenario_event_kind_to_string (AbScenarioEventKind  kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AbScenario, ab_scenario_free)

G_END_DECLS
