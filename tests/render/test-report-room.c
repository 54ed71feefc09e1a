/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The PDF report of a run that ran out of room for requests in flight
 * (docs/simulation.md, "Room for the requests") says so in the core's
 * words; a run that had room for all does not.  The run: the
 * basic-database-design reference under its normal load in a pool of 64
 * frames (des_run_with_frames, for tests), its text read back with
 * pdftotext.  Also the report's layout: the table of phases on one page,
 * the cost per component under the cost per month. */
#include "config.h"

#include <glib/gstdio.h>

#include "ab-des-private.h"
#include "ab-reference.h"
#include "../german-test-util.h"
#include "ab-format.h"
#include "ab-render.h"
#include "ab-report.h"
#include "ab-scenario.h"

typedef struct {
  AbDesign     *design;
  AbProblem    *problem;
  AbSimSetup   *setup;
  AbSimSummary *summary;
  GPtrArray    *points;
} Run;

static void
run_problem (Run *run, const char *problem_id, AbSimScenarioKind scenario, gint64 seed, guint frames)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AbDesResult) r = NULL;
  AbSimOptions options;
  AbDesConfig config;

  run->problem = ab_problem_set_lookup (ab_problem_set_get_default (), problem_id);
  g_assert_nonnull (run->problem);
  run->design = ab_reference_build_design (run->problem, &error);
  g_assert_no_error (error);
  ab_sim_options_init (&options);
  options.scenario = scenario;
  options.seed = seed;
  run->setup = ab_sim_setup_new (run->design, run->problem, &options, &error);
  g_assert_no_error (error);
  ab_des_config_init (&config);
  config.sample_budget = 100000;
  config.max_budget_factor = 1.0;
  r = des_run_with_frames (ab_sim_setup_get_network (run->setup), ab_sim_setup_get_scenario (run->setup),
                           &config, frames, &error);
  g_assert_no_error (error);
  run->summary = ab_sim_summary_new_des (run->setup, r);
  run->points = g_ptr_array_new_with_free_func ((GDestroyNotify) ab_sim_point_free);
  for (guint b = 0; b < r->n_buckets; b++)
    g_ptr_array_add (run->points, ab_sim_point_new_from_bucket (run->setup, &r->buckets[b]));
}

static void
run_reference (Run *run, guint frames)
{
  run_problem (run, "basic-database-design", AB_SIM_SCENARIO_NORMAL, 3, frames);
}

static void
run_clear (Run *run)
{
  g_clear_object (&run->design);
  g_clear_pointer (&run->setup, ab_sim_setup_unref);
  g_clear_pointer (&run->summary, ab_sim_summary_free);
  g_clear_pointer (&run->points, g_ptr_array_unref);
}

/* The report's text, whitespace (line ends of the wrapping) as single
 * spaces. */
static char *
report_raw_text (Run *run, AbDesign *design, gboolean layout)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ab-report-room-XXXXXX", &error);
  g_autofree char *pdf = NULL, *out = NULL, *err = NULL;
  AbReportData data = { design != NULL ? design : run->design, run->problem, run->setup, run->summary, run->points };
  int status = 0;

  g_assert_no_error (error);
  pdf = g_build_filename (dir, "report.pdf", NULL);
  g_assert_true (ab_report_write_pdf (&data, pdf, &error));
  g_assert_no_error (error);
  {
    const char *argv[] = { "pdftotext", "-enc", "UTF-8", pdf, "-", NULL, NULL };

    if (layout)
      {
        argv[3] = "-layout";
        argv[4] = pdf;
        argv[5] = "-";
      }

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
  }
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_remove (pdf);
  g_rmdir (dir);
  return g_steal_pointer (&out);
}

static char *
report_text (Run *run)
{
  g_autofree char *out = report_raw_text (run, NULL, FALSE);
  g_auto(GStrv) words = NULL;

  words = g_strsplit_set (out, " \n\t\f", -1);
  {
    g_autoptr(GString) text = g_string_new (NULL);

    for (guint i = 0; words[i] != NULL; i++)
      if (*words[i] != '\0')
        g_string_append_printf (text, "%s%s", text->len > 0 ? " " : "", words[i]);
    return g_string_free (g_steal_pointer (&text), FALSE);
  }
}

static void
test_report_says_it (void)
{
  Run full = { 0 }, room = { 0 };
  g_autofree char *text = NULL, *sentence = NULL, *room_text = NULL;
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");

  if (pdftotext == NULL)
    {
      g_test_skip ("no pdftotext (poppler-utils)");
      return;
    }
  run_reference (&full, 64);
  g_assert_cmpuint (full.summary->out_of_room, >, 1000);
  sentence = ab_sim_summary_room_text (full.summary);
  g_assert_nonnull (sentence);
  text = report_text (&full);
  g_test_message ("%s", sentence);
  g_assert_nonnull (strstr (text, sentence));

  run_reference (&room, 0);
  g_assert_cmpuint (room.summary->out_of_room, ==, 0);
  room_text = report_text (&room);
  /* the same report otherwise: its problem's title, no such sentence */
  g_assert_nonnull (strstr (room_text, "Basic RDBMS Design"));
  g_assert_null (strstr (room_text, "ran out of room"));
  run_clear (&full);
  run_clear (&room);
}

/* The run /report/layout, /report/percent and /report/table-columns
 * read: the ecommerce-order-db reference through the default timeline
 * under the app's seed (its subtitle naming the seed takes two lines),
 * in German for @german.  FALSE when the test goes no further: without
 * pdftotext (skipped), or for @german in the test itself, which has run
 * it again in German (german_test_trap). */
static gboolean
order_timeline (Run      *run,
                gboolean  german)
{
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");

  if (pdftotext == NULL)
    {
      g_test_skip ("no pdftotext (poppler-utils)");
      return FALSE;
    }
  if (german)
    {
      if (!g_test_subprocess ())
        {
          german_test_trap ();
          return FALSE;
        }
      german_test_enter ();
    }
  run_problem (run, "ecommerce-order-db", AB_SIM_SCENARIO_TIMELINE, 407714335277, 0);
  return TRUE;
}

/* The page (0, 1, ...) of the first line of @pages that starts with
 * @start and contains @part; -1 when none does. */
static int
page_of (char **pages, const char *start, const char *part)
{
  for (int p = 0; pages[p] != NULL; p++)
    {
      g_auto(GStrv) lines = g_strsplit (pages[p], "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        {
          const char *l = lines[i];

          while (*l == ' ')
            l++;
          if (g_str_has_prefix (l, start) && strstr (l, part) != NULL)
            return p;
        }
    }
  return -1;
}

/* The summary's table of phases stays on one page with its heading
 * (the e-commerce report in German put its last row, "Erholung", alone
 * at the top of page 2), and the cost per component follows the cost
 * per month it breaks down (it came after "Hintergrundarbeit" and read
 * as the parts of that).  In German, its longer texts; diagrams of other
 * heights move the table over the page's end. */
static void
test_report_layout (void)
{
  Run run = { 0 };
  g_autofree char *cost_line = NULL, *background_line = NULL;
  guint straddled = 0;

  if (!order_timeline (&run, TRUE))
    return;
  cost_line = g_strdup_printf (_("Cost per month: %s"), "");
  background_line = g_strdup_printf (_("Background work: %s"), "");
  g_assert_cmpstr (cost_line, ==, "Kosten pro Monat: ");
  g_assert_cmpuint (run.summary->n_phases, >=, 5);
  /* a note far below makes the diagram taller (up to the report's
   * limit), one far to the right makes it shorter */
  for (double extra = -300; extra <= 300; extra += 10)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AbDesign) design = ab_reference_build_design (run.problem, &error);
      g_autofree char *out = NULL;
      g_auto(GStrv) pages = NULL;
      AbRect bounds;
      int header;

      g_assert_no_error (error);
      g_assert_true (ab_render_bounds (design, NULL, &bounds));
      if (extra >= 0)
        ab_design_add_component (design, AB_KIND_CLIENT, "Note", bounds.x, bounds.y + bounds.height + extra, 1);
      else
        ab_design_add_component (design, AB_KIND_CLIENT, "Note", bounds.x + bounds.width - extra, bounds.y, 1);
      out = report_raw_text (&run, design, TRUE);
      pages = g_strsplit (out, "\f", -1);
      header = page_of (pages, "Phase", "P50");
      g_assert_cmpint (header, >=, 0);
      g_test_message ("note at %.0f: the table on page %d", extra, header + 1);
      for (guint p = 0; p < run.summary->n_phases; p++)
        {
          const char *label = ab_scenario_phase_label (run.summary->phases[p].name);
          int page = page_of (pages, label, " ms");

          g_assert_cmpint (page, >=, 0);
          if (page != header)
            g_error ("note at %.0f: the phase %s is on page %d, the table's head on %d",
                     extra, label, page + 1, header + 1);
        }
      if (page_of (pages, _("Summary"), "") != header)
        g_error ("note at %.0f: the table is not on its heading's page", extra);
      if (header > 0)
        straddled++;

      /* the cost's parts right under it, before the background work */
      {
        const char *cost = strstr (out, cost_line), *background;
        const char *first_part = NULL;

        g_assert_nonnull (cost);
        background = strstr (out, background_line);
        for (guint i = 0; i < run.summary->cost->n_stations; i++)
          {
            double month = run.summary->cost->items[i].total * run.summary->cost->hours_per_month;
            g_autofree char *money = ab_format_money (month);
            g_autofree char *needle = g_strdup_printf ("%s: %s", ab_sim_setup_get_label (run.setup, i), money);
            const char *at;

            if (!(month > 0.0))
              continue;
            at = strstr (cost, needle);
            g_assert_nonnull (at);
            if (first_part == NULL || at < first_part)
              first_part = at;
          }
        g_assert_nonnull (first_part);
        if (background != NULL && background < first_part)
          g_error ("the cost per component comes after the background work");
      }
    }
  /* some of the heights pushed the table to the next page */
  g_assert_cmpuint (straddled, >, 0);
  run_clear (&run);
}

/* The table's error rates read as the app's own (ab_format_percent):
 * "0,00 %" in German, not "0,00%" from a format of the report's own. */
static void
test_report_percent (void)
{
  Run run = { 0 };
  g_autofree char *out = NULL;
  g_auto(GStrv) pages = NULL;
  guint rows = 0;

  if (!order_timeline (&run, TRUE))
    return;
  out = report_raw_text (&run, NULL, TRUE);
  pages = g_strsplit (out, "\f", -1);
  for (guint p = 0; p < run.summary->n_phases; p++)
    {
      const AbSimPhase *ph = &run.summary->phases[p];
      g_autofree char *figure = ab_format_percent (ph->error_rate, 2);

      if (!ph->simulated)
        continue;
      g_test_message ("%s: %s", ab_scenario_phase_label (ph->name), figure);
      /* German: a decimal comma */
      g_assert_nonnull (strchr (figure, ','));
      if (page_of (pages, ab_scenario_phase_label (ph->name), figure) < 0)
        g_error ("the row of the phase %s has no \"%s\"", ab_scenario_phase_label (ph->name), figure);
      rows++;
    }
  g_assert_cmpuint (rows, >=, 5);
  run_clear (&run);
}

/* The table of phases is set in a monospace font: its figures end under
 * their headings in every row, also when a phase answered nothing ("–",
 * three bytes in UTF-8, where a byte-counting "%12s" left that row's
 * figures two places short of the others). */
static void
test_report_table_columns (void)
{
  Run run = { 0 };
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  glong head_end = -1;
  guint rows = 0, blank = 0;

  if (!order_timeline (&run, FALSE))
    return;
  /* a phase in which nothing was answered: its latencies are no figure */
  for (guint p = 0; p < run.summary->n_phases; p++)
    if (run.summary->phases[p].simulated && (int) p != run.summary->normal)
      {
        AbSimPhase *ph = &run.summary->phases[p];

        ph->latency[AB_N_CLASSES].p50_ms.value = NAN;
        ph->latency[AB_N_CLASSES].p95_ms.value = NAN;
        ph->latency[AB_N_CLASSES].p99_ms.value = NAN;
        blank++;
        break;
      }
  g_assert_cmpuint (blank, ==, 1);
  out = report_raw_text (&run, NULL, TRUE);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *l = g_strchomp (g_strdup (lines[i]));
      const char *first = l + strspn (l, " ");

      if (g_str_has_prefix (first, "Phase ") && strstr (l, "P50") != NULL)
        {
          head_end = g_utf8_strlen (l, -1);
          continue;
        }
      if (head_end < 0 || !g_str_has_suffix (l, " %"))
        continue;
      for (guint p = 0; p < run.summary->n_phases; p++)
        if (g_str_has_prefix (first, ab_scenario_phase_label (run.summary->phases[p].name)))
          {
            g_test_message ("%s", l);
            /* the error rate ends under "Errors" */
            g_assert_cmpint (g_utf8_strlen (l, -1), ==, head_end);
            rows++;
            break;
          }
    }
  g_assert_cmpint (head_end, >, 0);
  g_assert_cmpuint (rows, >=, 5);
  run_clear (&run);
}

/* Whether the line @before, followed by the line @after, splits a figure
 * from its unit or sign ("99.95" then "% asked", ">" then "99.99999 %",
 * "Archboard" then its version). */
static gboolean
splits_figure (const char *before,
               const char *after)
{
  g_autofree char *b = g_strchomp (g_strdup (before));
  g_autofree char *a = g_strchug (g_strdup (after));
  gsize n = strlen (b);
  g_autofree char *first = g_strndup (a, strcspn (a, " :;,."));

  if (n == 0 || *a == '\0')
    return FALSE;
  if (g_str_has_suffix (b, "Archboard") && g_str_has_prefix (a, PACKAGE_VERSION))
    return TRUE;
  if ((b[n - 1] == '<' || b[n - 1] == '>') && g_ascii_isdigit (*a))
    return TRUE;
  return g_ascii_isdigit (b[n - 1]) &&
         (strcmp (first, "%") == 0 || strcmp (first, "ms") == 0 || strcmp (first, "s") == 0 ||
          strcmp (first, "$") == 0 || g_str_has_suffix (first, "/s"));
}

/* The report's sentences keep each figure whole where they wrap: the
 * gaming-leaderboard reference's report read "... meets the 99.95" / "%
 * asked" and "..., seed 407714335277, Archboard" / "0.1.0". */
static void
test_report_figures_whole (void)
{
  Run run = { 0 };
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean availability = FALSE;

  if (pdftotext == NULL)
    {
      g_test_skip ("no pdftotext (poppler-utils)");
      return;
    }
  run_problem (&run, "gaming-leaderboard", AB_SIM_SCENARIO_NORMAL, 407714335277, 0);
  out = report_raw_text (&run, NULL, FALSE);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      availability |= strstr (lines[i], "Estimated availability") != NULL;
      if (lines[i + 1] != NULL && splits_figure (lines[i], lines[i + 1]))
        g_error ("a figure split over two lines: \"%s\" | \"%s\"", lines[i], lines[i + 1]);
    }
  g_assert_true (availability);
  run_clear (&run);
}

int
main (int argc, char **argv)
{
  g_setenv ("LANGUAGE", "C", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/report/room", test_report_says_it);
  g_test_add_func ("/report/layout", test_report_layout);
  g_test_add_func ("/report/percent", test_report_percent);
  g_test_add_func ("/report/table-columns", test_report_table_columns);
  g_test_add_func ("/report/figures-whole", test_report_figures_whole);
  return g_test_run ();
}
