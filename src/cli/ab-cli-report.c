/* SPDX-License-Identifier: GPL-3.0-or-later */
/* archboard-cli report: simulates a design file and writes the PDF report
 * (diagram, tier and performance checks, summary, charts), the same as
 * the app's Export -> PDF Report; needs no display. */
#define G_LOG_DOMAIN "archboard-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "ab-cli.h"
#include "ab-report.h"
#include "archboard-core.h"

static void
collect (const AbDesBucket *bucket,
         gpointer           user_data)
{
  gpointer *data = user_data;

  g_ptr_array_add (data[1], ab_sim_point_new_from_bucket (data[0], bucket));
}

int
ab_cli_report (int    argc,
               char **argv)
{
  g_autofree char *output = NULL;
  g_autofree char *scenario = NULL;
  g_autofree char *fail_id = NULL;
  g_autofree char *problem_id = NULL;
  gint64 seed = -1, requests = 0;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("PDF file to write"), "OUT.pdf" },
    { "problem", 'p', 0, G_OPTION_ARG_STRING, &problem_id, N_("Problem whose workload and targets to use (default: the design's)"), "ID" },
    { "scenario", 's', 0, G_OPTION_ARG_STRING, &scenario, N_("normal, peak, failure or timeline (default: timeline)"), "NAME" },
    { "fail", 0, 0, G_OPTION_ARG_STRING, &fail_id, N_("Component lost in the failure phase (default: the cache, else the primary)"), "ID" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Seed of the simulation"), "N" },
    { "requests", 'n', 0, G_OPTION_ARG_INT64, &requests, N_("Sample budget of the simulation (station visits)"), "N" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(AbDesign) design = NULL;
  g_autoptr(AbSimSetup) setup = NULL;
  g_autoptr(AbDesResult) des = NULL;
  g_autoptr(AbSimSummary) summary = NULL;
  g_autoptr(GPtrArray) points = g_ptr_array_new_with_free_func ((GDestroyNotify) ab_sim_point_free);
  AbProblem *problem = NULL;
  AbSimOptions options;
  AbDesConfig config;
  AbReportData report;
  gpointer collect_data[2];
  const char *id;

  if (!ab_cli_parse (&argc, &argv, "FILE.archboard",
                     N_("Simulate a design and write a PDF report: the diagram, the tier and performance "
                        "checks, the summary and the charts."), entries))
    return AB_CLI_EXIT_BAD_INPUT;
  if (argc != 2)
    {
      g_printerr (_("%s: expected one design file (see --help)\n"), g_get_prgname ());
      return AB_CLI_EXIT_BAD_INPUT;
    }
  if (output == NULL)
    {
      g_printerr (_("%s: missing -o OUT.pdf\n"), g_get_prgname ());
      return AB_CLI_EXIT_BAD_INPUT;
    }
  ab_sim_options_init (&options);
  if (scenario != NULL && !ab_sim_scenario_kind_from_string (scenario, &options.scenario))
    {
      g_printerr (_("%s: unknown scenario \"%s\" (normal, peak, failure or timeline)\n"), g_get_prgname (), scenario);
      return AB_CLI_EXIT_BAD_INPUT;
    }
  if (requests < 0 || seed < -1)
    {
      g_printerr (_("%s: --requests and --seed take numbers >= 0\n"), g_get_prgname ());
      return AB_CLI_EXIT_BAD_INPUT;
    }

  design = ab_design_load_from_file (argv[1], &error);
  if (design == NULL)
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return AB_CLI_EXIT_BAD_INPUT;
    }
  id = problem_id != NULL ? problem_id : ab_design_get_problem_id (design);
  if (id != NULL && *id != '\0')
    problem = ab_problem_set_lookup (ab_problem_set_get_default (), id);
  if (problem == NULL)
    {
      g_printerr (_("%s: unknown problem \"%s\" (see archboard-cli list; give --problem)\n"),
                  g_get_prgname (), id != NULL ? id : "");
      return AB_CLI_EXIT_BAD_INPUT;
    }

  options.fail_id = fail_id;
  options.seed = seed;
  options.budget = (guint64) requests;
  setup = ab_sim_setup_new (design, problem, &options, &error);
  if (setup == NULL)
    {
      g_printerr ("%s: %s: %s\n", g_get_prgname (), argv[1], error->message);
      return AB_CLI_EXIT_BAD_INPUT;
    }
  ab_des_config_init (&config);
  collect_data[0] = setup;
  collect_data[1] = points;
  config.on_bucket = collect;
  config.user_data = collect_data;
  des = ab_sim_setup_run_des (setup, &config, &error);
  if (des == NULL)
    {
      g_printerr (_("%s: simulation failed: %s\n"), g_get_prgname (), error->message);
      return AB_CLI_EXIT_BAD_INPUT;
    }
  summary = ab_sim_summary_new_des (setup, des);

  report.design = design;
  report.problem = problem;
  report.setup = setup;
  report.summary = summary;
  report.points = points;
  if (!ab_report_write_pdf (&report, output, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return AB_CLI_EXIT_BAD_INPUT;
    }
  return AB_CLI_EXIT_OK;
}
