/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Problems: statement, requirements, constants, tiers, reference solution,
 * structured targets and workload.  Loaded from problems/<set>/<id>.json. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "ab-types.h"

G_BEGIN_DECLS

typedef enum {
  AB_RULE_MUST_INCLUDE,   /* "Must include: KIND" */
  AB_RULE_MIN_INSTANCES   /* "Minimum N of type: KIND" */
} AbRuleType;

typedef struct {
  AbRuleType type;
  AbKind     kind;
  int        count;       /* 1 for must-include */
  char      *text;        /* the rule as written */
} AbTierRule;

typedef struct {
  char      *name;        /* "T1: Replicas" */
  GPtrArray *rules;       /* of AbTierRule* */
} AbTier;

/* A non-functional requirement as written ("Latency", "P95 < 50ms for
 * queries") and what could be parsed from it. */
typedef enum {
  AB_TARGET_LATENCY,      /* percentile, bound_ms, applies_to */
  AB_TARGET_RATE,         /* value = requests/s (read_rps/write_rps if split),
                           * applies_to = the class counted (AbRateClass) */
  AB_TARGET_AVAILABILITY, /* value = fraction, e.g. 0.999 */
  AB_TARGET_BUDGET,       /* value = US$ per month */
  AB_TARGET_DATASET,      /* value = bytes */
  AB_TARGET_OTHER,        /* not parsed: text only */
  AB_TARGET_LAG           /* freshness: bound_ms on the mean processing
                           * lag of background work ("Eventual (<100ms)",
                           * constant propagation_delay_ms) */
} AbTargetType;

typedef struct {
  AbTargetType type;
  char        *label;      /* "Latency" */
  char        *text;       /* original sentence "P95 < 50ms for queries" */
  double       percentile; /* 50, 95, 99, 99.9 (latency) */
  double       bound_ms;   /* latency bound; lag bound */
  char        *applies_to; /* latency: as written, "queries", "reads",
                            * "block I/O", "all", ...; rate: exactly
                            * "reads", "writes", "all" or "reads and
                            * writes" (ab_target_rate_class) */
  double       value;      /* see AbTargetType */
  double       read_rps, write_rps; /* for AB_TARGET_RATE when given split */
  char        *source;     /* NULL: a requirement line; else where a derived
                            * target came from ("constant budget_monthly") */
  char        *phase;      /* NULL, "normal" or "peak": the phase its check
                            * is judged in when the wording alone does
                            * not say (see ab_target_check_phase) */
  char        *unmeetable; /* NULL, or why no design can meet this target
                            * with the catalog's figures (the check says so) */
} AbTarget;

/* Which requests a rate requirement counts: the class its wording names
 * ("1M state updates/sec": writes), both when it gives a figure for each
 * ("10k reads/sec, 1k writes/sec"), else every request ("20k ops/sec",
 * "10k bookings/sec").  Its check compares what is served of that class
 * with what is asked of it (docs/simulation.md, "Checks"). */
typedef enum {
  AB_RATE_ALL = 0,   /* every user request; applies_to "all" */
  AB_RATE_READS,     /* value reads/s; "reads" */
  AB_RATE_WRITES,    /* value writes/s; "writes" */
  AB_RATE_SPLIT      /* read_rps reads and write_rps writes, each held;
                      * "reads and writes" */
} AbRateClass;

/* The class a rate target counts, from its applies_to (AB_RATE_ALL for
 * another target or an applies_to it does not know). */
AbRateClass  ab_target_rate_class          (const AbTarget *target);
/* "all", "reads", "writes", "reads and writes"; and back (FALSE for
 * another string). */
const char  *ab_rate_class_to_string       (AbRateClass     klass);
gboolean     ab_rate_class_from_string     (const char     *text,
                                            AbRateClass    *klass);

/* Peak multiplier of a problem whose text gives no peak figure: twice the
 * normal rate (docs/simulation.md, "Peak"). */
#define AB_PROBLEM_DEFAULT_PEAK 2.0

typedef struct {
  double read_rps;
  double write_rps;
  double peak_multiplier;
  double dataset_bytes;
  double search_share;     /* fraction of reads that go to search, 0..1 */
  char  *read_note;        /* where each figure came from */
  char  *write_note;
  char  *peak_note;
  char  *dataset_note;
  char  *search_note;
} AbWorkload;

typedef struct {
  char  *name;             /* a numeric parameter of the catalog's kind */
  double value;
} AbRefParam;

typedef struct {
  char  *name;
  AbKind kind;
  char  *kind_string;      /* as written: "redirect_client" */
  int    instances;
  double x, y;             /* layout position (canvas units) */
  GPtrArray *params;       /* of AbRefParam*, in order; NULL for none */
} AbRefComponent;

typedef struct {
  char *from;              /* component names */
  char *to;
  char *mode;              /* "sync" / "async" as the text says; NULL: the design's default */
} AbRefConnection;

typedef struct {
  char *what;              /* "Data API: 30 instances" */
  char *quote;             /* sentence of the reference text that justifies it */
} AbAmendment;

typedef struct {
  char  *name;
  JsonNode *value;         /* number, string, or list */
} AbConstant;

typedef struct _AbProblem AbProblem;

struct _AbProblem {
  gatomicrefcount ref_count;
  char       *id;
  char       *title;
  char       *category;
  char       *difficulty;    /* "easy", "intermediate", "advanced" (lower case) */
  char       *summary;
  char       *goal;
  char       *description;
  GStrv       functional;    /* functional requirements */
  GPtrArray  *nonfunctional; /* of AbTarget*, in order, with original text */
  GPtrArray  *constants;     /* of AbConstant* in order */
  AbKind     *available;     /* available component kinds */
  guint       n_available;
  GStrv       hints;
  GPtrArray  *tiers;         /* of AbTier* */
  char       *reference_text;
  GPtrArray  *reference_components;  /* of AbRefComponent* */
  GPtrArray  *reference_connections; /* of AbRefConnection* */
  GPtrArray  *amendments;            /* of AbAmendment* */
  char       *analysis;      /* published analysis, markdown text as is */
  AbWorkload  workload;
  int         number;        /* position in its set (1-based), for ordering */
  /* A shipped problem whose texts were translated at load (into the
   * user's language; see ab_problem_set_get_default): the problem as
   * written, in English; ab_problem_to_json serialises it.  NULL for any
   * other problem (a file of the user's, or nothing translated). */
  AbProblem  *source;
};

AbProblem *ab_problem_ref             (AbProblem   *problem);
void       ab_problem_unref           (AbProblem   *problem);

/* Parse one problem from its JSON file; errors carry file:line:col. */
AbProblem *ab_problem_load_from_data  (const char  *data,
                                       gssize       length,
                                       const char  *filename,
                                       GError     **error);
AbProblem *ab_problem_load_from_file  (const char  *path,
                                       GError     **error);
/* Serialise back to the JSON of problems/<set>/<id>.json. */
JsonNode  *ab_problem_to_json         (const AbProblem *problem);
/* The same as pretty-printed text (2-space indent, numbers in their
 * shortest exact form, trailing newline): what the shipped files hold. */
char      *ab_problem_to_data         (const AbProblem *problem,
                                       gsize           *length);

/* The problem as written: its untranslated source, else @problem. */
const AbProblem *ab_problem_get_source (const AbProblem *problem);

/* TRUE for "easy", "intermediate" and "advanced" (lower case). */
gboolean   ab_problem_difficulty_is_valid (const char *difficulty);

/* The first target of @type, or NULL. */
const AbTarget *ab_problem_find_target (const AbProblem *problem,
                                        AbTargetType     type);

/* A set of problems, ordered as shipped. */
typedef struct _AbProblemSet AbProblemSet;

/* The problems shipped with Archboard (embedded).  Loaded once, never
 * freed.  Their texts for people (title, summary, goal, description,
 * requirements, each non-functional requirement's label, text and
 * unmeetable reason, tier names, rule texts and hints) are in the user's
 * language where po/ translates them (po/problem-strings.py extracts
 * them); identifiers, numbers and every field the program reads stay as
 * written. */
AbProblemSet *ab_problem_set_get_default (void);
/* Loads every *.json of a folder (sorted by the "number" field, then id). */
AbProblemSet *ab_problem_set_load_dir    (const char   *dir,
                                          GError      **error);
void          ab_problem_set_free        (AbProblemSet *set);
guint         ab_problem_set_get_n       (AbProblemSet *set);
AbProblem    *ab_problem_set_get_nth     (AbProblemSet *set,
                                          guint         index);
AbProblem    *ab_problem_set_lookup      (AbProblemSet *set,
                                          const char   *id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AbProblem, ab_problem_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AbProblemSet, ab_problem_set_free)

G_END_DECLS
