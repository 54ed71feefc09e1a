/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internals shared by the problem loader, the markdown importer and the
 * derivation of targets, workload and reference layout. */
#pragma once

#include "ab-problem.h"

G_BEGIN_DECLS

/* Layout grid of reference solutions (canvas units). */
#define AB_REF_COLUMN_STEP 260.0
#define AB_REF_ROW_STEP    120.0
#define AB_REF_MARGIN       40.0

/* Bounds on a reference solution (also what keeps the layout cheap). */
#define AB_REF_MAX_COMPONENTS  500
#define AB_REF_MAX_CONNECTIONS 2000

/* Largest figure (rate, bytes, dollars, multiplier, constant) read from
 * text or accepted in a file: every whole number up to it is written as a
 * JSON integer, which every JSON writer prints exactly. */
#define AB_MAX_QUANTITY 9e18

/* The first C0 control character of @text other than tab, newline and
 * carriage return (0 if none): problem texts refuse them. */
gunichar         ab_problem_text_control_char (const char *text);

/* Keeps an error message readable whatever the input: every quoted text
 * longer than 100 bytes is cut ("xxxx…"), and the whole to 2000 bytes. */
void             ab_problem_shorten_error (GError *error);

/* A rate as problem texts write it ("2.5k", "1M"), never an exponent. */
char            *ab_problem_format_rate   (double rps);

/* Bytes of one record where the set gives counts but no sizes. */
#define AB_ASSUMED_RECORD_BYTES 1000.0

AbProblem       *ab_problem_new             (void);

void             ab_target_free             (AbTarget        *target);
void             ab_tier_rule_free          (AbTierRule      *rule);
void             ab_tier_free               (AbTier          *tier);
void             ab_ref_component_free      (AbRefComponent  *component);
void             ab_ref_param_free          (AbRefParam      *param);
/* Sets (or replaces) a parameter of a reference component. */
void             ab_ref_component_set_param (AbRefComponent  *component,
                                             const char      *name,
                                             double           value);
void             ab_ref_connection_free     (AbRefConnection *connection);
void             ab_amendment_free          (AbAmendment     *amendment);
void             ab_constant_free           (AbConstant      *constant);
void             ab_workload_clear          (AbWorkload      *workload);

const char      *ab_target_type_to_string   (AbTargetType     type);
gboolean         ab_target_type_from_string (const char      *str,
                                             AbTargetType    *out);
const char      *ab_rule_type_to_string     (AbRuleType       type);
gboolean         ab_rule_type_from_string   (const char      *str,
                                             AbRuleType      *out);

/* Parses "Must include: KIND" / "Minimum N of type: KIND"; NULL with a
 * message (no location) in @error otherwise. */
AbTierRule      *ab_tier_rule_parse         (const char      *text,
                                             GError         **error);

/* A target from a requirement line: the parsed fields where the text
 * allows, else AB_TARGET_OTHER. */
AbTarget        *ab_target_parse            (const char      *label,
                                             const char      *text);
/* The class of requests a rate sentence counts ("1M state updates/sec":
 * AB_RATE_WRITES; "10k reads/sec, 1k writes/sec": AB_RATE_SPLIT), as
 * ab_target_parse() reads it; AB_RATE_ALL when it names none. */
AbRateClass      ab_rate_class_parse        (const char      *text);
/* Appends targets the requirements lack but constants give (budget). */
void             ab_problem_add_constant_targets (AbProblem  *problem);
/* Fills problem->workload from the targets and constants, with notes. */
void             ab_problem_derive_workload (AbProblem       *problem);
/* Positions reference components on a grid, left to right by depth from
 * the clients. */
void             ab_problem_layout_reference (AbProblem      *problem);

const AbConstant *ab_problem_find_constant  (const AbProblem *problem,
                                             const char      *name);
/* The constant as a number, or FALSE if absent or not a number. */
gboolean         ab_problem_get_constant_number (const AbProblem *problem,
                                                 const char      *name,
                                                 double          *out);
AbRefComponent  *ab_problem_find_ref_component (const AbProblem *problem,
                                                const char      *name);

/* Pretty JSON text of @node: 2-space indent, numbers in the shortest form
 * that reads back exactly, non-ASCII kept as UTF-8. */
char            *ab_json_to_pretty_text     (JsonNode        *node,
                                             gsize           *length);

G_END_DECLS
