/* SPDX-License-Identifier: GPL-3.0-or-later */
/* archboard-cli grade: every design file of a folder graded against its
 * problem, as CSV, JSON or markdown.  Exit 0 when every file was read, 2
 * when some were broken (they are listed, the others still graded) or on
 * bad usage. */
#define G_LOG_DOMAIN "archboard-cli"

#include "config.h"

#include <glib/gi18n.h>

#include <stdio.h>
#include <string.h>

#include "ab-cli.h"
#include "ab-grade.h"
#include "ab-problem.h"

int
ab_cli_grade (int    argc,
              char **argv)
{
  g_autofree char *problem_id = NULL;
  g_autofree char *format = NULL;
  g_autofree char *output = NULL;
  int threads = 0;
  gboolean machine;
  GOptionEntry entries[] = {
    { "problem", 'p', 0, G_OPTION_ARG_STRING, &problem_id,
      N_("Grade every design against this problem (default: the one each design names)"), "ID" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format,
      N_("Output format: csv (default), json or md (a table and a summary to paste)"), "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write to FILE instead of standard output"), "FILE" },
    { "threads", 'j', 0, G_OPTION_ARG_INT, &threads, N_("Worker threads (default: one per core)"), "N" },
    { NULL }
  };
  g_autoptr(AbGradeReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!ab_cli_parse (&argc, &argv, "DIR",
                     N_("Grade a class: every .archboard file under DIR (recursively) against its problem.\n\n"
                        "One row per file: problem, tiers passed, performance checks passed, solved, P95,\n"
                        "monthly cost and bottleneck (analytical model at normal load).  Broken files are\n"
                        "listed with their error and the others still graded.  Exit status: 0 every file\n"
                        "was read, 2 some were broken or bad usage."),
                     entries))
    return AB_CLI_EXIT_BAD_INPUT;
  if (argc != 2)
    {
      g_printerr (_("%s: %s (see --help)\n"), g_get_prgname (),
                  argc < 2 ? _("missing the folder to grade") : _("expected exactly one folder"));
      return AB_CLI_EXIT_BAD_INPUT;
    }
  if (format != NULL && strcmp (format, "csv") != 0 && strcmp (format, "json") != 0 &&
      strcmp (format, "md") != 0 && strcmp (format, "markdown") != 0)
    {
      g_printerr (_("%s: unknown format \"%s\" (use csv, json or md)\n"), g_get_prgname (), format);
      return AB_CLI_EXIT_BAD_INPUT;
    }
  if (threads < 0)
    {
      g_printerr (_("%s: --threads must be at least 1\n"), g_get_prgname ());
      return AB_CLI_EXIT_BAD_INPUT;
    }
  /* CSV and JSON are the same in every language: the catalog and the
   * problems as written, the files graded in English; the markdown and
   * the messages are for people, in their language */
  machine = format == NULL || strcmp (format, "csv") == 0 || strcmp (format, "json") == 0;
  if (machine)
    ab_cli_load_english_data ();
  if (problem_id != NULL && ab_problem_set_lookup (ab_problem_set_get_default (), problem_id) == NULL)
    {
      g_printerr (_("%s: unknown problem \"%s\" (run 'archboard-cli list' for the ids)\n"),
                  g_get_prgname (), problem_id);
      return AB_CLI_EXIT_BAD_INPUT;
    }
  if (!g_file_test (argv[1], G_FILE_TEST_IS_DIR))
    {
      g_printerr (_("%s: %s: not a folder\n"), g_get_prgname (), argv[1]);
      return AB_CLI_EXIT_BAD_INPUT;
    }

  ab_cli_use_english (machine);
  report = ab_grade_directory (argv[1], problem_id, (guint) threads, &error);
  if (report == NULL)
    {
      ab_cli_use_english (FALSE);
      g_printerr ("%s: %s: %s\n", g_get_prgname (), argv[1], error->message);
      return AB_CLI_EXIT_BAD_INPUT;
    }

  if (format == NULL || strcmp (format, "csv") == 0)
    text = ab_grade_report_to_csv (report);
  else if (strcmp (format, "json") == 0)
    text = ab_grade_report_to_json (report);
  else
    text = ab_grade_report_to_markdown (report);
  ab_cli_use_english (FALSE);

  if (output != NULL)
    {
      if (!g_file_set_contents (output, text, -1, &error))
        {
          g_printerr ("%s: %s\n", g_get_prgname (), error->message);
          return AB_CLI_EXIT_BAD_INPUT;
        }
    }
  else
    fputs (text, stdout);

  for (guint i = 0; i < report->rows->len; i++)
    {
      const AbGradeRow *row = g_ptr_array_index (report->rows, i);

      g_autoptr(AbGradeRow) again = NULL;
      g_autofree char *path = NULL;

      if (row->error == NULL)
        continue;
      /* the CSV and JSON give the error in English: grade the file once
       * more in the user's language for the message (a broken file stops
       * early, at reading it or finding its problem) */
      if (machine)
        {
          path = g_build_filename (argv[1], row->file, NULL);
          again = ab_grade_file (path, row->file, problem_id);
        }
      g_printerr ("%s: %s\n", g_get_prgname (), again != NULL && again->error != NULL ? again->error : row->error);
    }
  if (report->rows->len == 0)
    g_printerr (_("%s: no .archboard files under %s\n"), g_get_prgname (), argv[1]);
  return report->n_broken > 0 ? AB_CLI_EXIT_BAD_INPUT : AB_CLI_EXIT_OK;
}
