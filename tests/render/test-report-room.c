/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The PDF report of a run that ran out of room for requests in flight
 * (docs/simulation.md, "Room for the requests") says so in the core's
 * words; a run that had room for all does not.  The run: the
 * basic-database-design reference under its normal load in a pool of 64
 * frames (des_run_with_frames, for tests), its text read back with
 * pdftotext. */
#include "config.h"

#include <glib/gstdio.h>

#include "ab-des-private.h"
#include "ab-reference.h"
#include "ab-report.h"

typedef struct {
  AbDesign     *design;
  AbProblem    *problem;
  AbSimSetup   *setup;
  AbSimSummary *summary;
  GPtrArray    *points;
} Run;

static void
run_reference (Run *run, guint frames)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AbDesResult) r = NULL;
  AbSimOptions options;
  AbDesConfig config;

  run->problem = ab_problem_set_lookup (ab_problem_set_get_default (), "basic-database-design");
  g_assert_nonnull (run->problem);
  run->design = ab_reference_build_design (run->problem, &error);
  g_assert_no_error (error);
  ab_sim_options_init (&options);
  options.scenario = AB_SIM_SCENARIO_NORMAL;
  options.seed = 3;
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
report_text (Run *run)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ab-report-room-XXXXXX", &error);
  g_autofree char *pdf = NULL, *out = NULL, *err = NULL;
  g_auto(GStrv) words = NULL;
  AbReportData data = { run->design, run->problem, run->setup, run->summary, run->points };
  int status = 0;

  g_assert_no_error (error);
  pdf = g_build_filename (dir, "report.pdf", NULL);
  g_assert_true (ab_report_write_pdf (&data, pdf, &error));
  g_assert_no_error (error);
  {
    const char *argv[] = { "pdftotext", "-enc", "UTF-8", pdf, "-", NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
  }
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_remove (pdf);
  g_rmdir (dir);
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

int
main (int argc, char **argv)
{
  g_setenv ("LANGUAGE", "C", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/report/room", test_report_says_it);
  return g_test_run ();
}
