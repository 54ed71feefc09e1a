/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of class grading: a folder of good, failing and broken designs,
 * rows in a stable order whatever the number of threads, the summary. */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "ab-design.h"
#include "ab-grade.h"
#include "ab-problem.h"
#include "ab-reference.h"

#include "../german-test-util.h"

#define PROBLEM "basic-database-design"

typedef struct {
  char *dir;
} Fixture;

static void
write_text (const char *dir,
            const char *rel,
            const char *text)
{
  g_autofree char *path = g_build_filename (dir, rel, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static void
write_design (const char *dir,
              const char *rel,
              AbDesign   *design)
{
  g_autofree char *data = ab_design_to_data (design, NULL);

  write_text (dir, rel, data);
}

static AbDesign *
reference (const char *id)
{
  AbProblem *problem = ab_problem_set_lookup (ab_problem_set_get_default (), id);
  g_autoptr(GError) error = NULL;
  AbDesign *design;

  g_assert_nonnull (problem);
  design = ab_reference_build_design (problem, &error);
  g_assert_no_error (error);
  return design;
}

/* The class: the reference (passes every tier), the reference without
 * its caches, an empty design, a design of another problem, and broken
 * files (bad JSON, unknown problem, no problem) in sub-folders; a file
 * with another extension is ignored. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AbDesign) good = reference (PROBLEM);
  g_autoptr(AbDesign) partial = reference (PROBLEM);
  g_autoptr(AbDesign) empty = ab_design_new (PROBLEM);
  g_autoptr(AbDesign) other = reference ("key-value-store");
  g_autoptr(GPtrArray) caches = g_ptr_array_new ();

  f->dir = g_dir_make_tmp ("ab-grade-XXXXXX", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < ab_design_get_n_components (partial); i++)
    {
      const AbComponent *c = ab_design_get_component (partial, i);
      if (c->kind == AB_KIND_CACHE)
        g_ptr_array_add (caches, c->id);
    }
  g_assert_cmpuint (caches->len, >, 0);
  g_ptr_array_add (caches, NULL);
  ab_design_remove (partial, (const char * const *) caches->pdata, NULL);

  write_design (f->dir, "alice/design.archboard", good);
  write_design (f->dir, "bob.archboard", partial);
  write_design (f->dir, "carol.archboard", empty);
  write_design (f->dir, "group 2/dave.archboard", other);
  write_text (f->dir, "group 2/erin/broken.archboard", "{\n  \"format\": \"archboard-design\",\n  oops\n}\n");
  write_text (f->dir, "frank.archboard",
              "{\"format\": \"archboard-design\", \"version\": 1, \"problem\": \"no-such-problem\", \"components\": []}");
  write_text (f->dir, "grace.archboard", "{\"format\": \"archboard-design\", \"version\": 1, \"components\": []}");
  write_text (f->dir, "notes.txt", "not a design");
  write_text (f->dir, ".hidden/ignored.archboard", "{");
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  remove_tree (f->dir);
  g_free (f->dir);
}

static const AbGradeRow *
row_for (const AbGradeReport *report,
         const char          *file)
{
  for (guint i = 0; i < report->rows->len; i++)
    {
      const AbGradeRow *row = g_ptr_array_index (report->rows, i);
      if (strcmp (row->file, file) == 0)
        return row;
    }
  g_error ("no row for %s", file);
  return NULL;
}

static void
test_find_files (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = ab_grade_find_files (f->dir, &error);
  const char *expected[] = { "alice/design.archboard", "bob.archboard", "carol.archboard",
                             "frank.archboard", "grace.archboard", "group 2/dave.archboard",
                             "group 2/erin/broken.archboard" };

  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < files->len; i++)
    g_assert_cmpstr (g_ptr_array_index (files, i), ==, expected[i]);

  g_assert_null (ab_grade_find_files ("/nonexistent/folder", &error));
  g_assert_nonnull (error);
}

static void
test_rows (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AbGradeReport) report = ab_grade_directory (f->dir, NULL, 0, &error);
  AbProblem *problem = ab_problem_set_lookup (ab_problem_set_get_default (), PROBLEM);
  const AbGradeRow *row;

  g_assert_no_error (error);
  g_assert_cmpuint (report->rows->len, ==, 7);
  g_assert_cmpuint (report->n_graded, ==, 4);
  g_assert_cmpuint (report->n_broken, ==, 3);

  row = row_for (report, "alice/design.archboard");
  g_assert_null (row->error);
  g_assert_cmpstr (row->problem_id, ==, PROBLEM);
  g_assert_cmpuint (row->n_tiers, ==, problem->tiers->len);
  g_assert_cmpuint (row->tiers_passed, ==, row->n_tiers);
  g_assert_null (row->first_failing_tier);
  g_assert_cmpuint (g_strv_length (row->missing), ==, 0);
  g_assert_true (row->connected);
  g_assert_cmpuint (row->n_checks, >, 0);
  g_assert_true (isfinite (row->p95_ms) && row->p95_ms > 0.0);
  g_assert_true (isfinite (row->cost_per_month) && row->cost_per_month > 0.0);
  g_assert_nonnull (row->bottleneck);
  g_assert_true (row->solved == (row->checks_passed == row->n_checks));

  row = row_for (report, "bob.archboard");
  g_assert_null (row->error);
  g_assert_cmpuint (row->tiers_passed, <, row->n_tiers);
  g_assert_nonnull (row->first_failing_tier);
  g_assert_true (g_strv_contains ((const char * const *) row->missing, "Must include: cache"));
  g_assert_false (row->solved);

  row = row_for (report, "carol.archboard");
  g_assert_null (row->error);
  g_assert_false (row->solved);
  g_assert_false (row->connected);
  g_assert_true (isnan (row->p95_ms));   /* no client: nothing to simulate */
  g_assert_null (row->bottleneck);
  g_assert_cmpuint (g_strv_length (row->missing), >, 0);

  row = row_for (report, "group 2/dave.archboard");
  g_assert_null (row->error);
  g_assert_cmpstr (row->problem_id, ==, "key-value-store");

  row = row_for (report, "group 2/erin/broken.archboard");
  g_assert_null (row->problem_id);
  g_assert_true (g_str_has_prefix (row->error, "group 2/erin/broken.archboard:3:"));
  row = row_for (report, "frank.archboard");
  g_assert_nonnull (strstr (row->error, "unknown problem \"no-such-problem\""));
  row = row_for (report, "grace.archboard");
  g_assert_nonnull (strstr (row->error, "names no problem"));
}

/* --problem grades every design against one problem. */
static void
test_problem_override (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(AbGradeReport) report = ab_grade_directory (f->dir, PROBLEM, 2, NULL);
  const AbGradeRow *row = row_for (report, "group 2/dave.archboard");

  g_assert_cmpstr (row->problem_id, ==, PROBLEM);
  row = row_for (report, "grace.archboard");
  g_assert_null (row->error);
  g_assert_cmpuint (report->n_broken, ==, 1);
}

/* Same bytes out with one thread and with many. */
static void
test_stable_order (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(AbGradeReport) one = ab_grade_directory (f->dir, NULL, 1, NULL);
  g_autofree char *csv1 = ab_grade_report_to_csv (one);
  g_autofree char *json1 = ab_grade_report_to_json (one);
  g_autofree char *md1 = ab_grade_report_to_markdown (one);

  for (guint threads = 2; threads <= 8; threads *= 2)
    {
      g_autoptr(AbGradeReport) many = ab_grade_directory (f->dir, NULL, threads, NULL);
      g_autofree char *csv = ab_grade_report_to_csv (many);
      g_autofree char *json = ab_grade_report_to_json (many);
      g_autofree char *md = ab_grade_report_to_markdown (many);

      g_assert_cmpstr (csv, ==, csv1);
      g_assert_cmpstr (json, ==, json1);
      g_assert_cmpstr (md, ==, md1);
    }
  for (guint i = 1; i < one->rows->len; i++)
    g_assert_cmpint (strcmp (((AbGradeRow *) g_ptr_array_index (one->rows, i - 1))->file,
                             ((AbGradeRow *) g_ptr_array_index (one->rows, i))->file), <, 0);
}

static void
test_csv (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(AbGradeReport) report = ab_grade_directory (f->dir, NULL, 0, NULL);
  g_autofree char *csv = ab_grade_report_to_csv (report);
  g_auto(GStrv) lines = g_strsplit (csv, "\r\n", -1);

  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 7 + 1); /* header, rows, "" */
  g_assert_true (g_str_has_prefix (lines[0], "file,problem,tiers_passed,tiers,checks_passed,checks,"));
  g_assert_true (g_str_has_prefix (lines[1], "alice/design.archboard," PROBLEM ","));
  /* a field with a comma or quote is quoted */
  g_assert_true (g_str_has_prefix (lines[7], "group 2/erin/broken.archboard,,,,,,,,,,,,\"group 2/erin/broken.archboard:3:"));
  g_assert_nonnull (strstr (lines[2], "Must include: cache"));
}

static void
test_json (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(AbGradeReport) report = ab_grade_directory (f->dir, NULL, 0, NULL);
  g_autofree char *text = ab_grade_report_to_json (report);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *first, *summary;
  JsonArray *files, *tiers, *missing;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "graded"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (root, "broken"), ==, 3);
  files = json_object_get_array_member (root, "files");
  g_assert_cmpuint (json_array_get_length (files), ==, 7);
  first = json_array_get_object_element (files, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "file"), ==, "alice/design.archboard");
  g_assert_true (json_object_has_member (first, "p95_ms"));
  g_assert_true (json_object_has_member (first, "solved"));

  /* summary: one entry per problem, sorted by id */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "summary")), ==, 2);
  summary = json_array_get_object_element (json_object_get_array_member (root, "summary"), 0);
  g_assert_cmpstr (json_object_get_string_member (summary, "problem"), ==, PROBLEM);
  g_assert_cmpint (json_object_get_int_member (summary, "designs"), ==, 3);
  tiers = json_object_get_array_member (summary, "tiers");
  /* the first tier: alice and bob pass it (a database), carol does not */
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (tiers, 0), "passed"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (tiers, 0), "first_failing"), ==, 1);
  missing = json_object_get_array_member (summary, "missing");
  g_assert_cmpuint (json_array_get_length (missing), >, 0);
  /* most common first: the cache is missing from bob and carol */
  for (guint i = 1; i < json_array_get_length (missing); i++)
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (missing, i - 1), "designs"), >=,
                     json_object_get_int_member (json_array_get_object_element (missing, i), "designs"));
  for (guint i = 0; i < json_array_get_length (missing); i++)
    {
      JsonObject *m = json_array_get_object_element (missing, i);
      if (strcmp (json_object_get_string_member (m, "rule"), "Must include: cache") == 0)
        g_assert_cmpint (json_object_get_int_member (m, "designs"), ==, 2);
    }
}

static void
test_markdown (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(AbGradeReport) report = ab_grade_directory (f->dir, NULL, 0, NULL);
  g_autofree char *md = ab_grade_report_to_markdown (report);
  AbProblem *problem = ab_problem_set_lookup (ab_problem_set_get_default (), PROBLEM);
  g_autofree char *heading = g_strdup_printf ("## %s\n\n3 designs, ", problem->title);
  const AbTier *t0 = g_ptr_array_index (problem->tiers, 0);
  g_autofree char *tier_line = g_strdup_printf ("| %s | 2 of 3 | 1 |\n", t0->name);

  g_assert_true (g_str_has_prefix (md, "# Grades\n\n4 designs graded, 3 broken.\n"));
  g_assert_nonnull (strstr (md, heading));
  g_assert_nonnull (strstr (md, tier_line));
  g_assert_nonnull (strstr (md, "Most common missing pieces:\n\n1. "));
  g_assert_nonnull (strstr (md, "Must include: cache — 2 of 3 designs"));
  g_assert_nonnull (strstr (md, "| group 2/dave.archboard | key-value-store |"));
  g_assert_nonnull (strstr (md, "## Broken files\n\n- `frank.archboard`: "));
}

/* An empty folder gives no rows and a CSV with only its header. */
static void
test_empty_folder (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ab-grade-empty-XXXXXX", &error);
  g_autoptr(AbGradeReport) report = ab_grade_directory (dir, NULL, 0, &error);
  g_autofree char *csv = ab_grade_report_to_csv (report);

  g_assert_no_error (error);
  g_assert_cmpuint (report->rows->len, ==, 0);
  g_assert_cmpstr (strchr (csv, '\n') + 1, ==, "");
  g_rmdir (dir);
}

/* The markdown is for people: in German its headings, words, the tier
 * names and the decimal separator are German (the headings stayed
 * English), and so are the errors of files that could not be graded.
 * The CSV keeps its header. */
static void
test_markdown_german (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = NULL;
      g_autoptr(AbDesign) good = NULL;
      g_autoptr(AbGradeReport) report = NULL;
      g_autofree char *md = NULL;
      g_autofree char *csv = NULL;
      g_autofree char *p95 = NULL;

      german_test_enter ();
      dir = g_dir_make_tmp ("ab-grade-de-XXXXXX", &error);
      g_assert_no_error (error);
      good = reference (PROBLEM);
      write_design (dir, "ann.archboard", good);
      write_text (dir, "frank.archboard",
                  "{\"format\": \"archboard-design\", \"version\": 1, \"problem\": \"no-such-problem\", \"components\": []}");
      report = ab_grade_directory (dir, NULL, 1, &error);
      g_assert_no_error (error);
      md = ab_grade_report_to_markdown (report);
      csv = ab_grade_report_to_csv (report);

      g_assert_true (g_str_has_prefix (md, "# Bewertungen\n\n1 Entwurf bewertet, 1 defekt.\n\n"
                                           "## Grundlegender RDBMS-Entwurf\n\n1 Entwurf, 1 gelöst.\n\n"
                                           "| Stufe | Bestanden | Hier gescheitert |\n|---|---:|---:|\n"
                                           "| T0: Datenbank | 1 von 1 | 0 |\n"));
      g_assert_nonnull (strstr (md, "| Alle Stufen | 1 von 1 | |\n"));
      g_assert_nonnull (strstr (md, "## Entwürfe\n\n| Datei | Aufgabe | Stufen | Prüfungen | Gelöst | P95 (ms) | "
                                    "US$/Monat | Engpass |\n"));
      p95 = g_strdup_printf ("| ann.archboard | %s | 3/3 | 4/4 | ja | ", PROBLEM);
      g_assert_nonnull (strstr (md, p95));
      /* P95 with a decimal comma: "| 18,5 |" */
      g_assert_true (g_ascii_isdigit (strstr (md, p95)[strlen (p95)]));
      g_assert_nonnull (strchr (strstr (md, p95) + strlen (p95), ','));
      g_assert_nonnull (strstr (md, "## Defekte Dateien\n\n- `frank.archboard`: frank.archboard: "
                                    "unbekannte Aufgabe „no-such-problem“\n"));
      g_assert_true (g_str_has_prefix (csv, "file,problem,tiers_passed,tiers,"));
      remove_tree (dir);
      return;
    }
  german_test_trap ();
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/grade/find-files", Fixture, NULL, fixture_set_up, test_find_files, fixture_tear_down);
  g_test_add ("/grade/rows", Fixture, NULL, fixture_set_up, test_rows, fixture_tear_down);
  g_test_add ("/grade/problem-override", Fixture, NULL, fixture_set_up, test_problem_override, fixture_tear_down);
  g_test_add ("/grade/stable-order", Fixture, NULL, fixture_set_up, test_stable_order, fixture_tear_down);
  g_test_add ("/grade/csv", Fixture, NULL, fixture_set_up, test_csv, fixture_tear_down);
  g_test_add ("/grade/json", Fixture, NULL, fixture_set_up, test_json, fixture_tear_down);
  g_test_add ("/grade/markdown", Fixture, NULL, fixture_set_up, test_markdown, fixture_tear_down);
  g_test_add_func ("/grade/markdown-german", test_markdown_german);
  g_test_add_func ("/grade/empty-folder", test_empty_folder);
  return g_test_run ();
}
