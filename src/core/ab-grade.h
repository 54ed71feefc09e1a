/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Class grading: every design file of a folder (recursively) graded
 * against its problem in parallel (one GThreadPool worker per core), with
 * a row per file, broken files listed with their error, and a summary a
 * teacher can paste (designs per tier, the most common missing pieces).
 * Rows come out sorted by path, whatever the number of threads. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char     *file;            /* path relative to the folder graded */
  char     *error;           /* NULL when the file was read and graded */
  char     *problem_id;      /* NULL when unknown (broken file) */
  guint     tiers_passed;
  guint     n_tiers;
  gboolean *tier_pass;       /* n_tiers flags, in the problem's order */
  /* the design's first failing tier, as "T2: Replicas", or NULL */
  char     *first_failing_tier;
  guint     checks_passed;   /* performance checks (latency, rate, ...) */
  guint     n_checks;
  gboolean  connected;       /* every component reachable from a client */
  gboolean  solved;
  double    p95_ms;          /* P95 of all requests at normal load; NAN when
                                the design cannot be simulated */
  double    cost_per_month;  /* US$; NAN when not simulated */
  char     *bottleneck;      /* label (id) of the busiest component, or NULL */
  /* what the design lacks: the text of every failing tier rule
   * ("Must include: cache"), NULL-terminated */
  GStrv     missing;
} AbGradeRow;

typedef struct {
  GPtrArray *rows;           /* of AbGradeRow*, sorted by file */
  guint      n_graded;
  guint      n_broken;
} AbGradeReport;

/* Files named *.archboard under @dir, recursively, sorted, relative to
 * @dir.  Fails when @dir cannot be read. */
GPtrArray     *ab_grade_find_files     (const char     *dir,
                                        GError        **error);

/* Grades one file (@path read as is; the row's file is @display_name).
 * @problem_id (or NULL: the one the design names) picks the problem.
 * Never fails: a broken file gives a row with an error. */
AbGradeRow    *ab_grade_file           (const char     *path,
                                        const char     *display_name,
                                        const char     *problem_id);
void           ab_grade_row_free       (AbGradeRow     *row);

/* Grades every design file under @dir on @n_threads workers (0: one per
 * core).  Fails only when @dir cannot be read. */
AbGradeReport *ab_grade_directory      (const char     *dir,
                                        const char     *problem_id,
                                        guint           n_threads,
                                        GError        **error);
void           ab_grade_report_free    (AbGradeReport  *report);

/* The report as CSV (header + one line per file, RFC 4180 quoting), JSON
 * (an object with "files", "broken" and "summary") or markdown (a table
 * and, per problem, the designs that pass each tier and the most common
 * missing pieces).  CSV and JSON are for programs: fixed keys and headers,
 * numbers with '.' whatever the locale (archboard-cli grades in English
 * for them, so that the problems' texts and the errors are English too).
 * The markdown is for people: headings, words and numbers in the user's
 * language, as the problems' texts and the errors are. */
char          *ab_grade_report_to_csv      (const AbGradeReport *report);
char          *ab_grade_report_to_json     (const AbGradeReport *report);
char          *ab_grade_report_to_markdown (const AbGradeReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AbGradeRow, ab_grade_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AbGradeReport, ab_grade_report_free)

G_END_DECLS
