/* SPDX-License-Identifier: GPL-3.0-or-later */
/* archboard-cli list / show / reference / import: the problem library from
 * the command line. */
#define G_LOG_DOMAIN "archboard-cli"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ab-cli.h"
#include "ab-design.h"
#include "ab-format.h"
#include "ab-import.h"
#include "ab-problem.h"
#include "ab-json-write.h"
#include "ab-reference.h"

static AbProblem *
lookup_problem (const char *id)
{
  AbProblem *problem = ab_problem_set_lookup (ab_problem_set_get_default (), id);

  if (problem == NULL)
    g_printerr (_("%s: unknown problem \"%s\" (run 'archboard-cli list' for the ids)\n"), g_get_prgname (), id);
  return problem;
}

static gboolean
expect_args (int         argc,
             int         wanted,
             const char *what)
{
  if (argc == wanted)
    return TRUE;
  if (argc < wanted)
    g_printerr (_("%s: missing %s (see --help)\n"), g_get_prgname (), what);
  else
    g_printerr (_("%s: unexpected argument (see --help)\n"), g_get_prgname ());
  return FALSE;
}

static void
print_json (JsonNode *node)
{
  g_autofree char *text = ab_json_to_string_strict (node, TRUE);

  printf ("%s\n", text);
}

/* ---- list ---- */

int
ab_cli_list (int    argc,
             char **argv)
{
  g_autofree char *difficulty = NULL;
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    { "difficulty", 'd', 0, G_OPTION_ARG_STRING, &difficulty, N_("Only problems of this difficulty"), "easy|intermediate|advanced" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print JSON instead of a table"), NULL },
    { NULL }
  };
  AbProblemSet *set;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (!ab_cli_parse (&argc, &argv, "", N_("List the shipped problems: id, difficulty, title and number of tiers."), entries) ||
      !expect_args (argc, 1, ""))
    return AB_CLI_EXIT_BAD_INPUT;
  if (difficulty != NULL)
    {
      char *lower = g_ascii_strdown (difficulty, -1);
      g_free (difficulty);
      difficulty = lower;
      if (!ab_problem_difficulty_is_valid (difficulty))
        {
          g_printerr (_("%s: unknown difficulty \"%s\" (easy, intermediate or advanced)\n"), g_get_prgname (), difficulty);
          return AB_CLI_EXIT_BAD_INPUT;
        }
    }

  /* JSON is the same in every language: the problems as written */
  if (as_json)
    ab_cli_use_english (TRUE);
  set = ab_problem_set_get_default ();
  json_builder_begin_array (builder);
  for (guint i = 0; i < ab_problem_set_get_n (set); i++)
    {
      AbProblem *problem = ab_problem_set_get_nth (set, i);

      if (difficulty != NULL && strcmp (problem->difficulty, difficulty) != 0)
        continue;
      if (as_json)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, problem->id);
          json_builder_set_member_name (builder, "number");
          json_builder_add_int_value (builder, problem->number);
          json_builder_set_member_name (builder, "title");
          json_builder_add_string_value (builder, problem->title);
          json_builder_set_member_name (builder, "category");
          json_builder_add_string_value (builder, problem->category);
          json_builder_set_member_name (builder, "difficulty");
          json_builder_add_string_value (builder, problem->difficulty);
          json_builder_set_member_name (builder, "tiers");
          json_builder_add_int_value (builder, problem->tiers->len);
          json_builder_end_object (builder);
        }
      else
        {
          g_autofree char *title = ab_format_pad (problem->title, 44);

          printf ("%-28s %-12s %s ", problem->id, problem->difficulty, title);
          printf (ngettext ("%u tier", "%u tiers", problem->tiers->len), problem->tiers->len);
          printf ("\n");
        }
    }
  json_builder_end_array (builder);
  if (as_json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (builder);
      print_json (root);
    }
  return AB_CLI_EXIT_OK;
}

/* ---- show ---- */

/* A rate or a sum as people read it: grouped as the locale groups it
 * ("100,000,000", not "1e+08"); a fraction below a thousand as it is
 * ("2.5"). */
static char *
figure (double v)
{
  if (v >= 1000.0 || v == floor (v))
    return ab_format_count (v);
  return g_strdup_printf ("%g", v);
}

static void
print_target (const AbTarget *target)
{
  printf ("  - %s: %s", target->label, target->text);
  switch (target->type)
    {
    case AB_TARGET_LATENCY:
      printf ("   [P%g < %g ms, %s]", target->percentile, target->bound_ms, target->applies_to);
      break;
    case AB_TARGET_RATE:
      if (target->read_rps > 0 || target->write_rps > 0)
        {
          g_autofree char *reads = figure (target->read_rps);
          g_autofree char *writes = figure (target->write_rps);

          /* Translators: archboard-cli show: a rate target's figures */
          printf (_("   [%s reads/s + %s writes/s]"), reads, writes);
        }
      else
        {
          g_autofree char *rate = figure (target->value);

          /* the class its check counts */
          printf (ab_target_rate_class (target) == AB_RATE_READS ? _("   [%s reads/s]")
                  : ab_target_rate_class (target) == AB_RATE_WRITES ? _("   [%s writes/s]")
                  : _("   [%s requests/s]"), rate);
        }
      break;
    case AB_TARGET_AVAILABILITY:
      printf ("   [%g]", target->value);
      break;
    case AB_TARGET_BUDGET:
      {
        g_autofree char *money = ab_format_money (target->value);

        printf (_("   [%s a month]"), money);
      }
      break;
    case AB_TARGET_LAG:
      printf (_("   [background lag < %g ms]"), target->bound_ms);
      break;
    case AB_TARGET_DATASET:
      {
        g_autofree char *size = g_format_size_full ((guint64) target->value, G_FORMAT_SIZE_DEFAULT);
        printf ("   [%s]", size);
      }
      break;
    case AB_TARGET_OTHER:
    default:
      break;
    }
  printf ("\n");
}

static void
print_indented (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    printf ("  %s\n", lines[i]);
}

int
ab_cli_show (int    argc,
             char **argv)
{
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print the problem's JSON"), NULL },
    { NULL }
  };
  AbProblem *problem;
  const AbWorkload *w;
  g_autofree char *reads = NULL;
  g_autofree char *writes = NULL;

  if (!ab_cli_parse (&argc, &argv, "PROBLEM-ID",
                     N_("Show a problem: statement, requirements, constants, tiers and hints."), entries) ||
      !expect_args (argc, 2, "PROBLEM-ID"))
    return AB_CLI_EXIT_BAD_INPUT;
  problem = lookup_problem (argv[1]);
  if (problem == NULL)
    return AB_CLI_EXIT_BAD_INPUT;

  if (as_json)
    {
      g_autofree char *text = ab_problem_to_data (problem, NULL);
      fputs (text, stdout);
      return AB_CLI_EXIT_OK;
    }

  printf ("%d. %s\n", problem->number, problem->title);
  printf (_("id: %s   category: %s   difficulty: %s"), problem->id, problem->category, problem->difficulty);
  printf ("\n\n%s\n\n%s\n", problem->summary, _("Goal:"));
  print_indented (problem->goal);
  printf ("\n%s\n", _("Description:"));
  print_indented (problem->description);
  printf ("\n%s\n", _("Functional requirements:"));
  for (guint i = 0; problem->functional[i] != NULL; i++)
    printf ("  - %s\n", problem->functional[i]);
  printf ("\n%s\n", _("Non-functional requirements:"));
  for (guint i = 0; i < problem->nonfunctional->len; i++)
    print_target (g_ptr_array_index (problem->nonfunctional, i));
  printf ("\n%s\n", _("Constants:"));
  for (guint i = 0; i < problem->constants->len; i++)
    {
      const AbConstant *constant = g_ptr_array_index (problem->constants, i);
      g_autofree char *value = ab_json_to_string_strict (constant->value, FALSE);

      printf ("  %s = %s\n", constant->name, value);
    }
  printf ("\n%s", _("Available components:"));
  for (guint i = 0; i < problem->n_available; i++)
    printf ("%s %s", i > 0 ? "," : "", ab_kind_to_string (problem->available[i]));
  printf ("\n\n%s\n", _("Tiers:"));
  for (guint i = 0; i < problem->tiers->len; i++)
    {
      const AbTier *tier = g_ptr_array_index (problem->tiers, i);

      printf ("  %s\n", tier->name);
      for (guint j = 0; j < tier->rules->len; j++)
        printf ("    - %s\n", ((AbTierRule *) g_ptr_array_index (tier->rules, j))->text);
    }
  printf ("\n%s\n", _("Hints:"));
  for (guint i = 0; problem->hints[i] != NULL; i++)
    printf ("  %u. %s\n", i + 1, problem->hints[i]);

  w = &problem->workload;
  printf ("\n%s\n", _("Simulated workload:"));
  reads = figure (w->read_rps);
  writes = figure (w->write_rps);
  {
    /* the workload's lines, their labels as wide as the widest */
    const char *labels[] = { _("reads:"), _("writes:"), _("peak:"), _("dataset:"), _("search:") };
    g_autofree char *size = g_format_size_full ((guint64) w->dataset_bytes, G_FORMAT_SIZE_DEFAULT);
    g_autofree char *search = g_strdup_printf (_("%g of reads"), w->search_share);
    g_autofree char *peak = g_strdup_printf ("x%g", w->peak_multiplier);
    g_autofree char *read_rate = g_strdup_printf ("%s/s", reads);
    g_autofree char *write_rate = g_strdup_printf ("%s/s", writes);
    const char *figures[] = { read_rate, write_rate, peak, size, search };
    const char *notes[] = { w->read_note, w->write_note, w->peak_note, w->dataset_note, w->search_note };
    int width = 8;

    for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
      width = MAX (width, g_utf8_strlen (labels[i], -1));
    for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
      {
        g_autofree char *label = ab_format_pad (labels[i], width);

        printf ("  %s %s  (%s)\n", label, figures[i], notes[i]);
      }
  }
  return AB_CLI_EXIT_OK;
}

/* ---- reference ---- */

int
ab_cli_reference (int    argc,
                  char **argv)
{
  g_autofree char *output = NULL;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Design file to write"), "FILE.archboard" },
    { NULL }
  };
  g_autoptr(AbDesign) design = NULL;
  g_autoptr(GError) error = NULL;
  AbProblem *problem;

  if (!ab_cli_parse (&argc, &argv, "PROBLEM-ID",
                     N_("Write a problem's reference solution as a design file (components with their "
                        "instances and positions, connections)."), entries) ||
      !expect_args (argc, 2, "PROBLEM-ID"))
    return AB_CLI_EXIT_BAD_INPUT;
  if (output == NULL)
    {
      g_printerr (_("%s: missing -o FILE.archboard (see --help)\n"), g_get_prgname ());
      return AB_CLI_EXIT_BAD_INPUT;
    }
  problem = lookup_problem (argv[1]);
  if (problem == NULL)
    return AB_CLI_EXIT_BAD_INPUT;

  design = ab_reference_build_design (problem, &error);
  if (design == NULL)
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return AB_CLI_EXIT_BAD_INPUT;
    }
  if (!ab_design_save_to_file (design, output, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return AB_CLI_EXIT_BAD_INPUT;
    }
  return AB_CLI_EXIT_OK;
}

/* ---- import ---- */

/* The problems of @data with @amendments (a file, or NULL) applied. */
static GPtrArray *
import_problems (const char  *data,
                 gsize        length,
                 const char  *path,
                 const char  *amendments,
                 GError     **error)
{
  g_autoptr(GPtrArray) problems = ab_import_markdown (data, length, path, error);
  g_autofree char *amend_data = NULL;
  gsize amend_length;

  if (problems == NULL)
    return NULL;
  if (amendments != NULL &&
      (!g_file_get_contents (amendments, &amend_data, &amend_length, error) ||
       !ab_import_apply_amendments (problems, amend_data, amend_length, amendments, error)))
    return NULL;
  return g_steal_pointer (&problems);
}

int
ab_cli_import (int    argc,
               char **argv)
{
  g_autofree char *out_dir = NULL;
  g_autofree char *amendments = NULL;
  GOptionEntry entries[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_dir, N_("Folder for the problem files (created if missing)"), "DIR" },
    { "amendments", 'a', 0, G_OPTION_ARG_FILENAME, &amendments, N_("Amendments to apply to the reference solutions"), "FILE.json" },
    { NULL }
  };
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  gsize length;
  locale_t c_locale, user_locale;

  if (!ab_cli_parse (&argc, &argv, "FILE.md",
                     N_("Convert a problem set in markdown (the format of problems/storage.md) into one JSON "
                        "file per problem.  Nothing is written if any problem is malformed."), entries) ||
      !expect_args (argc, 2, "FILE.md"))
    return AB_CLI_EXIT_BAD_INPUT;
  if (out_dir == NULL)
    {
      g_printerr (_("%s: missing --out DIR (see --help)\n"), g_get_prgname ());
      return AB_CLI_EXIT_BAD_INPUT;
    }

  if (!g_file_get_contents (argv[1], &data, &length, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return AB_CLI_EXIT_BAD_INPUT;
    }
  /* The problem files are data, in English whatever the user's language:
   * their notes say "2.5k/s", not "2,5k/s" (under LANG=de_DE.UTF-8 the
   * shipped files came out different) */
  c_locale = newlocale (LC_ALL_MASK, "C.UTF-8", (locale_t) 0);
  if (c_locale == (locale_t) 0)
    c_locale = newlocale (LC_ALL_MASK, "C", (locale_t) 0);
  user_locale = uselocale (c_locale);
  problems = import_problems (data, length, argv[1], amendments, &error);
  uselocale (user_locale);
  freelocale (c_locale);
  if (problems == NULL)
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return AB_CLI_EXIT_BAD_INPUT;
    }
  if (!ab_import_write_folder (problems, out_dir, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return AB_CLI_EXIT_BAD_INPUT;
    }
  printf (ngettext ("%u problem written to %s\n", "%u problems written to %s\n", problems->len),
          problems->len, out_dir);
  return AB_CLI_EXIT_OK;
}
