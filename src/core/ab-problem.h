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
  AB_TARGET_RATE,         /* value = requests/s (read_rps/write_rps if split) */
  AB_TARGET_AVAILABILITY, /* value = fraction, e.g. 0.999 */
  AB_TARGET_BUDGET,       /* value = US$ per month */
  AB_TARGET_DATASET,      /* value = bytes */
  AB_TARGET_OTHER         /* not parsed: text only */
} AbTargetType;

typedef struct {
  AbTargetType type;
  char        *label;      /* "Latency" */
  char        *text;       /* original sentence "P95 < 50ms for queries" */
  double       percentile; /* 50, 95, 99, 99.9 (latency) */
  double       bound_ms;   /* latency bound */
  char        *applies_to; /* "queries", "reads", "writes", "all", ... */
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

/* TRUE for "easy", "intermediate" and "advanced" (lower case). */
gboolean   ab_problem_difficulty_is_valid (const char *difficulty);

/* The first target of @type, or NULL. */
const AbTarget *ab_problem_find_target (const AbProblem *problem,
                                        AbTargetType     type);

/* A set of problems, ordered as shipped. */
typedef struct _AbProblemSet AbProblemSet;

/* The problems shipped with Archboard (embedded).  Loaded once, never freed. */
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
