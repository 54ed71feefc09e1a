/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Class grading: see ab-grade.h. */
#define G_LOG_DOMAIN "archboard-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "ab-grade.h"
#include "ab-design.h"
#include "ab-problem.h"
#include "ab-sim-api.h"
#include "ab-tiers.h"
#include "ab-verdict.h"
#include "ab-types.h"

#define AB_GRADE_EXTENSION ".archboard"
/* Directory levels followed below the graded folder (symlink loops). */
#define AB_GRADE_MAX_DEPTH 32
/* Missing pieces listed in the markdown summary, per problem. */
#define AB_GRADE_TOP_MISSING 5

void
ab_grade_row_free (AbGradeRow *row)
{
  if (row == NULL)
    return;
  g_free (row->file);
  g_free (row->error);
  g_free (row->problem_id);
  g_free (row->first_failing_tier);
  g_free (row->tier_pass);
  g_free (row->bottleneck);
  g_strfreev (row->missing);
  g_free (row);
}

void
ab_grade_report_free (AbGradeReport *report)
{
  if (report == NULL)
    return;
  g_ptr_array_unref (report->rows);
  g_free (report);
}

/* ---- finding the files ---- */

static gboolean
collect (GFile      *dir,
         const char *relative,
         guint       depth,
         GPtrArray  *out,
         GError    **error)
{
  g_autoptr(GFileEnumerator) en = NULL;
  GFileInfo *info;
  GFile *child;

  en = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                  G_FILE_QUERY_INFO_NONE, NULL, error);
  if (en == NULL)
    return FALSE;
  while (g_file_enumerator_iterate (en, &info, &child, NULL, error))
    {
      const char *name;
      g_autofree char *rel = NULL;
      GFileType type;

      if (info == NULL)
        return TRUE;
      name = g_file_info_get_name (info);
      type = g_file_info_get_file_type (info);
      rel = relative != NULL ? g_build_filename (relative, name, NULL) : g_strdup (name);
      if (type == G_FILE_TYPE_DIRECTORY)
        {
          g_autoptr(GError) sub_error = NULL;

          if (name[0] == '.' || depth >= AB_GRADE_MAX_DEPTH)
            continue;
          /* An unreadable sub-folder is not fatal: the rest is graded. */
          if (!collect (child, rel, depth + 1, out, &sub_error))
            g_debug ("Skipping %s: %s", rel, sub_error->message);
        }
      else if (type == G_FILE_TYPE_REGULAR && g_str_has_suffix (name, AB_GRADE_EXTENSION))
        g_ptr_array_add (out, g_steal_pointer (&rel));
    }
  return FALSE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GPtrArray *
ab_grade_find_files (const char  *dir,
                     GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (dir);
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);

  if (!collect (file, NULL, 0, out, error))
    return NULL;
  g_ptr_array_sort (out, compare_strings);
  return g_steal_pointer (&out);
}

/* ---- grading one design ---- */

/* The default pricing profile, parsed once for every worker. */
static const AbPricing *
default_pricing (void)
{
  static gsize done = 0;
  static AbPricing *pricing = NULL;

  if (g_once_init_enter (&done))
    {
      pricing = ab_pricing_get_named (AB_PRICING_DEFAULT, NULL);
      g_once_init_leave (&done, 1);
    }
  return pricing;
}

/* The figures a teacher reads next to the verdict: P95 of all requests,
 * cost per month and the busiest component, by the analytical model at
 * normal load. */
static void
grade_figures (AbGradeRow      *row,
               const AbProblem *problem,
               AbDesign        *design)
{
  AbWorkload workload;
  g_autoptr(AbRoute) route = NULL;
  g_autoptr(AbModelResult) res = NULL;
  g_autoptr(AbCost) cost = NULL;
  g_autofree double *instances = NULL;
  const AbPricing *pricing = default_pricing ();
  const AbNetwork *network;

  ab_workload_init (&workload, problem, -1.0, -1.0);
  route = ab_route_build (design, &workload, NULL);
  if (route == NULL)
    return;
  network = ab_route_get_network (route);
  res = ab_model_evaluate (network, NULL);
  instances = g_new (double, MAX (res->n_stations, 1));
  for (guint i = 0; i < res->n_stations; i++)
    instances[i] = res->stations[i].instances;
  if (pricing != NULL)
    cost = ab_cost_compute (pricing, network, instances, res->node_rps, workload.dataset_bytes);

  row->p95_ms = res->latency[AB_N_CLASSES].p95_ms;
  row->cost_per_month = cost != NULL ? cost->per_month : NAN;
  if (res->bottleneck >= 0)
    {
      const AbComponent *c = ab_design_find_component (design, network->stations[res->bottleneck].id);

      row->bottleneck = c != NULL && c->label != NULL && *c->label != '\0'
        ? g_strdup_printf ("%s (%s)", c->label, c->id)
        : g_strdup (network->stations[res->bottleneck].id);
    }
}

/* Tiers, connection and performance checks come from the verdict (the
 * same "Solved" as the app and archboard-cli check). */
static gboolean
grade_design (AbGradeRow      *row,
              const AbProblem *problem,
              AbDesign        *design,
              GError         **error)
{
  AbVerdictOptions options;
  g_autoptr(AbVerdict) verdict = NULL;
  g_autoptr(GStrvBuilder) missing = g_strv_builder_new ();
  const AbTiersReport *report;

  ab_verdict_options_init (&options);
  options.pricing = default_pricing ();
  verdict = ab_verdict_compute (problem, design, &options, error);
  if (verdict == NULL)
    return FALSE;
  report = verdict->tiers;
  row->n_tiers = report->n_tiers;
  row->tiers_passed = report->n_passed;
  row->tier_pass = g_new0 (gboolean, MAX (report->n_tiers, 1));
  for (guint t = 0; t < report->n_tiers; t++)
    {
      const AbTierResult *tr = &report->tiers[t];

      row->tier_pass[t] = tr->pass;
      if (!tr->pass && row->first_failing_tier == NULL)
        row->first_failing_tier = g_strdup (tr->tier->name);
      for (guint r = 0; r < tr->n_rules; r++)
        if (!tr->rules[r].pass)
          g_strv_builder_add (missing, tr->rules[r].rule->text);
    }
  row->missing = g_strv_builder_end (missing);
  row->connected = verdict->connected;
  row->n_checks = verdict->performance->len;
  for (guint i = 0; i < verdict->performance->len; i++)
    if (((const AbCheck *) g_ptr_array_index (verdict->performance, i))->pass)
      row->checks_passed++;
  row->solved = verdict->solved;
  grade_figures (row, problem, design);
  return TRUE;
}

AbGradeRow *
ab_grade_file (const char *path,
               const char *display_name,
               const char *problem_id)
{
  g_autoptr(AbGradeRow) row = g_new0 (AbGradeRow, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(AbDesign) design = NULL;
  g_autofree char *data = NULL;
  gsize length;
  const char *id;
  AbProblem *problem;

  row->file = g_strdup (display_name != NULL ? display_name : path);
  row->p95_ms = NAN;
  row->cost_per_month = NAN;

  if (!g_file_get_contents (path, &data, &length, &error))
    {
      row->error = g_strdup (error->message);
      return g_steal_pointer (&row);
    }
  design = ab_design_load_from_data (data, length, row->file, &error);
  if (design == NULL)
    {
      row->error = g_strdup (error->message);
      return g_steal_pointer (&row);
    }
  id = problem_id != NULL ? problem_id : ab_design_get_problem_id (design);
  if (id == NULL)
    {
      row->error = g_strdup_printf (_("%s: the design names no problem (grade with --problem ID)"), row->file);
      return g_steal_pointer (&row);
    }
  problem = ab_problem_set_lookup (ab_problem_set_get_default (), id);
  if (problem == NULL)
    {
      row->error = g_strdup_printf (_("%s: unknown problem \"%s\""), row->file, id);
      return g_steal_pointer (&row);
    }
  row->problem_id = g_strdup (problem->id);
  if (!grade_design (row, problem, design, &error))
    {
      g_clear_pointer (&row->problem_id, g_free);
      row->error = g_strdup_printf ("%s: %s", row->file, error->message);
    }
  return g_steal_pointer (&row);
}

/* ---- the folder, in parallel ---- */

typedef struct {
  const char  *dir;
  const char  *problem_id;
  GPtrArray   *files;     /* relative paths */
  AbGradeRow **rows;      /* one slot per file, written by one worker */
} GradeJob;

static void
grade_one (gpointer data,
           gpointer user_data)
{
  GradeJob *job = user_data;
  guint i = GPOINTER_TO_UINT (data) - 1;
  const char *rel = g_ptr_array_index (job->files, i);
  g_autofree char *path = g_build_filename (job->dir, rel, NULL);

  job->rows[i] = ab_grade_file (path, rel, job->problem_id);
}

AbGradeReport *
ab_grade_directory (const char  *dir,
                    const char  *problem_id,
                    guint        n_threads,
                    GError     **error)
{
  g_autoptr(GPtrArray) files = NULL;
  g_autofree AbGradeRow **rows = NULL;
  AbGradeReport *report;
  GradeJob job;

  files = ab_grade_find_files (dir, error);
  if (files == NULL)
    return NULL;
  if (n_threads == 0)
    n_threads = MAX (g_get_num_processors (), 1);
  n_threads = MIN (n_threads, MAX (files->len, 1));

  /* Load the shared data once, before the workers race for it. */
  (void) ab_problem_set_get_default ();

  rows = g_new0 (AbGradeRow *, MAX (files->len, 1));
  job = (GradeJob) { dir, problem_id, files, rows };
  if (n_threads <= 1)
    {
      for (guint i = 0; i < files->len; i++)
        grade_one (GUINT_TO_POINTER (i + 1), &job);
    }
  else
    {
      GThreadPool *pool = g_thread_pool_new (grade_one, &job, (int) n_threads, TRUE, NULL);

      for (guint i = 0; i < files->len; i++)
        g_thread_pool_push (pool, GUINT_TO_POINTER (i + 1), NULL);
      g_thread_pool_free (pool, FALSE, TRUE);
    }

  report = g_new0 (AbGradeReport, 1);
  report->rows = g_ptr_array_new_full (files->len, (GDestroyNotify) ab_grade_row_free);
  for (guint i = 0; i < files->len; i++)
    {
      g_ptr_array_add (report->rows, rows[i]);
      if (rows[i]->error != NULL)
        report->n_broken++;
      else
        report->n_graded++;
    }
  return report;
}

/* ---- output ---- */

static void
append_number (GString    *s,
               double      value,
               const char *format)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isfinite (value))
    g_string_append (s, g_ascii_formatd (buf, sizeof buf, format, value));
}

static void
append_csv_field (GString    *s,
                  const char *text)
{
  if (text == NULL)
    return;
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (s, text);
      return;
    }
  g_string_append_c (s, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
}

char *
ab_grade_report_to_csv (const AbGradeReport *report)
{
  GString *s = g_string_new ("file,problem,tiers_passed,tiers,checks_passed,checks,connected,solved,"
                             "p95_ms,cost_per_month,bottleneck,missing,error\r\n");

  for (guint i = 0; i < report->rows->len; i++)
    {
      const AbGradeRow *row = g_ptr_array_index (report->rows, i);

      append_csv_field (s, row->file);
      g_string_append_c (s, ',');
      append_csv_field (s, row->problem_id);
      if (row->error == NULL)
        {
          g_autofree char *missing = g_strjoinv ("; ", row->missing);

          g_string_append_printf (s, ",%u,%u,%u,%u,%s,%s,", row->tiers_passed, row->n_tiers,
                                  row->checks_passed, row->n_checks,
                                  row->connected ? "yes" : "no", row->solved ? "yes" : "no");
          append_number (s, row->p95_ms, "%.1f");
          g_string_append_c (s, ',');
          append_number (s, row->cost_per_month, "%.2f");
          g_string_append_c (s, ',');
          append_csv_field (s, row->bottleneck);
          g_string_append_c (s, ',');
          append_csv_field (s, missing);
          g_string_append_c (s, ',');
        }
      else
        {
          g_string_append (s, ",,,,,,,,,,,");
          append_csv_field (s, row->error);
        }
      g_string_append (s, "\r\n");
    }
  return g_string_free (s, FALSE);
}

static void
add_double (JsonBuilder *b,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (b, name);
  if (isfinite (value))
    json_builder_add_double_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

/* Per problem: designs graded, solved, passing each tier, and missing
 * pieces with how many designs lack them (most common first). */
typedef struct {
  const char *text;
  guint       count;
} MissingCount;

typedef struct {
  const AbProblem *problem;
  guint            n_designs;
  guint            n_solved;
  guint           *tier_passed;   /* designs passing tier t */
  guint           *stopped_at;    /* designs whose first failing tier is t */
  GArray          *missing;       /* of MissingCount, sorted */
} ProblemSummary;

static void
problem_summary_free (ProblemSummary *ps)
{
  g_free (ps->tier_passed);
  g_free (ps->stopped_at);
  g_array_unref (ps->missing);
  g_free (ps);
}

static int
compare_missing (gconstpointer a,
                 gconstpointer b)
{
  const MissingCount *ma = a, *mb = b;

  if (ma->count != mb->count)
    return ma->count > mb->count ? -1 : 1;
  return strcmp (ma->text, mb->text);
}

static int
compare_summaries (gconstpointer a,
                   gconstpointer b)
{
  const ProblemSummary *pa = *(ProblemSummary * const *) a, *pb = *(ProblemSummary * const *) b;

  return strcmp (pa->problem->id, pb->problem->id);
}

static GPtrArray *
summarise (const AbGradeReport *report)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) problem_summary_free);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < report->rows->len; i++)
    {
      const AbGradeRow *row = g_ptr_array_index (report->rows, i);
      ProblemSummary *ps;
      guint n_tiers;

      if (row->error != NULL)
        continue;
      ps = g_hash_table_lookup (by_id, row->problem_id);
      if (ps == NULL)
        {
          ps = g_new0 (ProblemSummary, 1);
          ps->problem = ab_problem_set_lookup (ab_problem_set_get_default (), row->problem_id);
          g_return_val_if_fail (ps->problem != NULL, out);
          n_tiers = ps->problem->tiers->len;
          ps->tier_passed = g_new0 (guint, n_tiers + 1);
          ps->stopped_at = g_new0 (guint, n_tiers + 1);
          ps->missing = g_array_new (FALSE, FALSE, sizeof (MissingCount));
          g_hash_table_insert (by_id, ps->problem->id, ps);
          g_ptr_array_add (out, ps);
        }
      n_tiers = ps->problem->tiers->len;
      ps->n_designs++;
      if (row->solved)
        ps->n_solved++;
      for (guint t = 0; t < n_tiers; t++)
        if (t < row->n_tiers && row->tier_pass[t])
          ps->tier_passed[t]++;
      for (guint t = 0; t <= n_tiers; t++)
        {
          const AbTier *tier = t < n_tiers ? g_ptr_array_index (ps->problem->tiers, t) : NULL;

          if (tier == NULL ? row->first_failing_tier == NULL
                           : g_strcmp0 (row->first_failing_tier, tier->name) == 0)
            {
              ps->stopped_at[t]++;
              break;
            }
        }
      for (guint m = 0; row->missing[m] != NULL; m++)
        {
          guint k;

          for (k = 0; k < ps->missing->len; k++)
            if (strcmp (g_array_index (ps->missing, MissingCount, k).text, row->missing[m]) == 0)
              break;
          if (k == ps->missing->len)
            {
              MissingCount mc = { row->missing[m], 0 };
              g_array_append_val (ps->missing, mc);
            }
          g_array_index (ps->missing, MissingCount, k).count++;
        }
    }
  for (guint i = 0; i < out->len; i++)
    {
      ProblemSummary *ps = g_ptr_array_index (out, i);
      g_array_sort (ps->missing, compare_missing);
    }
  g_ptr_array_sort (out, compare_summaries);
  return out;
}

char *
ab_grade_report_to_json (const AbGradeReport *report)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) summary = summarise (report);
  GString *text;
  char *data;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "graded");
  json_builder_add_int_value (b, report->n_graded);
  json_builder_set_member_name (b, "broken");
  json_builder_add_int_value (b, report->n_broken);
  json_builder_set_member_name (b, "files");
  json_builder_begin_array (b);
  for (guint i = 0; i < report->rows->len; i++)
    {
      const AbGradeRow *row = g_ptr_array_index (report->rows, i);

      json_builder_begin_object (b);
      add_string (b, "file", row->file);
      if (row->error != NULL)
        add_string (b, "error", row->error);
      else
        {
          add_string (b, "problem", row->problem_id);
          json_builder_set_member_name (b, "tiers_passed");
          json_builder_add_int_value (b, row->tiers_passed);
          json_builder_set_member_name (b, "tiers");
          json_builder_add_int_value (b, row->n_tiers);
          add_string (b, "first_failing_tier", row->first_failing_tier);
          json_builder_set_member_name (b, "checks_passed");
          json_builder_add_int_value (b, row->checks_passed);
          json_builder_set_member_name (b, "checks");
          json_builder_add_int_value (b, row->n_checks);
          json_builder_set_member_name (b, "connected");
          json_builder_add_boolean_value (b, row->connected);
          json_builder_set_member_name (b, "solved");
          json_builder_add_boolean_value (b, row->solved);
          add_double (b, "p95_ms", row->p95_ms);
          add_double (b, "cost_per_month", row->cost_per_month);
          add_string (b, "bottleneck", row->bottleneck);
          json_builder_set_member_name (b, "missing");
          json_builder_begin_array (b);
          for (guint m = 0; row->missing[m] != NULL; m++)
            json_builder_add_string_value (b, row->missing[m]);
          json_builder_end_array (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "summary");
  json_builder_begin_array (b);
  for (guint i = 0; i < summary->len; i++)
    {
      ProblemSummary *ps = g_ptr_array_index (summary, i);

      json_builder_begin_object (b);
      add_string (b, "problem", ps->problem->id);
      json_builder_set_member_name (b, "designs");
      json_builder_add_int_value (b, ps->n_designs);
      json_builder_set_member_name (b, "solved");
      json_builder_add_int_value (b, ps->n_solved);
      json_builder_set_member_name (b, "tiers");
      json_builder_begin_array (b);
      for (guint t = 0; t < ps->problem->tiers->len; t++)
        {
          const AbTier *tier = g_ptr_array_index (ps->problem->tiers, t);

          json_builder_begin_object (b);
          add_string (b, "name", tier->name);
          json_builder_set_member_name (b, "passed");
          json_builder_add_int_value (b, ps->tier_passed[t]);
          json_builder_set_member_name (b, "first_failing");
          json_builder_add_int_value (b, ps->stopped_at[t]);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "missing");
      json_builder_begin_array (b);
      for (guint m = 0; m < ps->missing->len; m++)
        {
          const MissingCount *mc = &g_array_index (ps->missing, MissingCount, m);

          json_builder_begin_object (b);
          add_string (b, "rule", mc->text);
          json_builder_set_member_name (b, "designs");
          json_builder_add_int_value (b, mc->count);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, NULL);
  text = g_string_new (data);
  g_free (data);
  g_string_append_c (text, '\n');
  return g_string_free (text, FALSE);
}

/* Markdown table cells: pipes escaped, newlines flattened. */
static void
append_md_cell (GString    *s,
                const char *text)
{
  g_string_append (s, " ");
  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    {
      if (*p == '|')
        g_string_append (s, "\\|");
      else if (*p == '\n' || *p == '\r')
        g_string_append_c (s, ' ');
      else
        g_string_append_c (s, *p);
    }
  g_string_append (s, " |");
}

/* A figure for people: the locale's decimal separator (the markdown is
 * read in the user's language; CSV and JSON use '.') */
static void
append_local_number (GString *s,
                     double   value,
                     int      decimals)
{
  if (isfinite (value))
    g_string_append_printf (s, "%.*f", decimals, value);
}

char *
ab_grade_report_to_markdown (const AbGradeReport *report)
{
  GString *s = g_string_new (NULL);
  g_autoptr(GPtrArray) summary = summarise (report);

  /* Translators: archboard-cli grade --format md: the report's title */
  g_string_append_printf (s, "# %s\n\n", _("Grades"));
  g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE, "%u design graded, %u broken.",
                                          "%u designs graded, %u broken.", report->n_graded),
                          report->n_graded, report->n_broken);
  g_string_append (s, "\n\n");

  for (guint i = 0; i < summary->len; i++)
    {
      ProblemSummary *ps = g_ptr_array_index (summary, i);
      guint n_tiers = ps->problem->tiers->len;

      g_string_append_printf (s, "## %s\n\n",
                              ps->problem->title != NULL ? ps->problem->title : ps->problem->id);
      /* Translators: archboard-cli grade --format md: under a problem's heading */
      g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE, "%u design, %u solved.",
                                              "%u designs, %u solved.", ps->n_designs),
                              ps->n_designs, ps->n_solved);
      /* Translators: archboard-cli grade --format md: the headings of the
       * table of a problem's tiers: the tier, how many designs pass it,
       * how many pass every tier before it but not this one */
      g_string_append_printf (s, "\n\n| %s | %s | %s |\n|---|---:|---:|\n",
                              _("Tier"), _("Designs passing"), _("Stopped here"));
      for (guint t = 0; t < n_tiers; t++)
        {
          const AbTier *tier = g_ptr_array_index (ps->problem->tiers, t);

          g_string_append (s, "|");
          append_md_cell (s, tier->name);
          g_string_append_c (s, ' ');
          /* Translators: archboard-cli grade --format md: "2 of 3" designs */
          g_string_append_printf (s, _("%u of %u"), ps->tier_passed[t], ps->n_designs);
          g_string_append_printf (s, " | %u |\n", ps->stopped_at[t]);
        }
      /* Translators: archboard-cli grade --format md: the last row of the
       * tier table, the designs that pass every tier */
      g_string_append_printf (s, "| %s | ", _("All tiers"));
      g_string_append_printf (s, _("%u of %u"), ps->stopped_at[n_tiers], ps->n_designs);
      g_string_append (s, " | |\n\n");
      if (ps->missing->len > 0)
        {
          /* Translators: archboard-cli grade --format md: a numbered list
           * of the tier rules most designs fail follows */
          g_string_append_printf (s, "%s\n\n", _("Most common missing pieces:"));
          for (guint m = 0; m < MIN (ps->missing->len, AB_GRADE_TOP_MISSING); m++)
            {
              const MissingCount *mc = &g_array_index (ps->missing, MissingCount, m);

              g_string_append_printf (s, "%u. %s — ", m + 1, mc->text);
              /* Translators: archboard-cli grade --format md: "Must
               * include: cache — 2 of 3 designs" lack it */
              g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE, "%u of %u design", "%u of %u designs",
                                                      ps->n_designs),
                                      mc->count, ps->n_designs);
              g_string_append_c (s, '\n');
            }
          g_string_append_c (s, '\n');
        }
    }

  /* Translators: archboard-cli grade --format md: the heading and the
   * columns of the table with a row per design file */
  g_string_append_printf (s, "## %s\n\n| %s | %s | %s | %s | %s | %s | %s | %s |\n"
                             "|---|---|---:|---:|---|---:|---:|---|\n",
                          _("Designs"), _("File"), _("Problem"), _("Tiers"), _("Checks"), _("Solved"),
                          _("P95 (ms)"), _("US$/month"), _("Bottleneck"));
  for (guint i = 0; i < report->rows->len; i++)
    {
      const AbGradeRow *row = g_ptr_array_index (report->rows, i);

      if (row->error != NULL)
        continue;
      g_string_append (s, "|");
      append_md_cell (s, row->file);
      append_md_cell (s, row->problem_id);
      g_string_append_printf (s, " %u/%u | %u/%u | %s | ", row->tiers_passed, row->n_tiers,
                              row->checks_passed, row->n_checks,
                              /* Translators: archboard-cli grade --format md: the Solved column */
                              row->solved ? C_("solved", "yes") : C_("solved", "no"));
      append_local_number (s, row->p95_ms, 1);
      g_string_append (s, " | ");
      append_local_number (s, row->cost_per_month, 0);
      g_string_append (s, " |");
      append_md_cell (s, row->bottleneck);
      g_string_append_c (s, '\n');
    }

  if (report->n_broken > 0)
    {
      /* Translators: archboard-cli grade --format md: the files that could
       * not be graded, each with its error */
      g_string_append_printf (s, "\n## %s\n\n", _("Broken files"));
      for (guint i = 0; i < report->rows->len; i++)
        {
          const AbGradeRow *row = g_ptr_array_index (report->rows, i);

          if (row->error != NULL)
            g_string_append_printf (s, "- `%s`: %s\n", row->file, row->error);
        }
    }
  return g_string_free (s, FALSE);
}
