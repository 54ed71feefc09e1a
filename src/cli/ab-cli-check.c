/* SPDX-License-Identifier: GPL-3.0-or-later */
/* archboard-cli check: which tiers of a problem a design file passes, with
 * a reason for every failing rule.  Exit 0 all pass, 1 some fail, 2 bad
 * input. */
#define G_LOG_DOMAIN "archboard-cli"

#include "config.h"

#include <stdio.h>

#include "ab-cli.h"
#include "ab-design.h"
#include "ab-problem.h"
#include "ab-tiers.h"

static const char *
rule_type_name (AbRuleType type)
{
  return type == AB_RULE_MUST_INCLUDE ? "must_include" : "min_instances";
}

static void
print_text (const AbProblem     *problem,
            const char          *path,
            AbDesign            *design,
            const AbTiersReport *report)
{
  guint nc = ab_design_get_n_components (design), ne = ab_design_get_n_connections (design);

  printf ("%s: %s\n", problem->id, problem->title != NULL ? problem->title : "");
  printf ("%s: %u component%s, %u connection%s\n\n", path,
          nc, nc == 1 ? "" : "s", ne, ne == 1 ? "" : "s");
  for (guint t = 0; t < report->n_tiers; t++)
    {
      const AbTierResult *tr = &report->tiers[t];

      printf ("%s  %s\n", tr->pass ? "PASS" : "FAIL", tr->tier->name);
      for (guint r = 0; r < tr->n_rules; r++)
        {
          const AbRuleResult *rr = &tr->rules[r];
          if (rr->pass)
            printf ("        ok    %s\n", rr->rule->text);
          else
            printf ("        fail  %s: %s\n", rr->rule->text, rr->reason);
        }
    }
  printf ("\n%u of %u tiers pass.\n", report->n_passed, report->n_tiers);
}

static void
print_json (const AbProblem     *problem,
            const char          *path,
            const AbTiersReport *report)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "problem");
  json_builder_add_string_value (b, problem->id);
  json_builder_set_member_name (b, "file");
  json_builder_add_string_value (b, path);
  json_builder_set_member_name (b, "passed");
  json_builder_add_int_value (b, report->n_passed);
  json_builder_set_member_name (b, "total");
  json_builder_add_int_value (b, report->n_tiers);
  json_builder_set_member_name (b, "all_passed");
  json_builder_add_boolean_value (b, report->n_passed == report->n_tiers);
  json_builder_set_member_name (b, "tiers");
  json_builder_begin_array (b);
  for (guint t = 0; t < report->n_tiers; t++)
    {
      const AbTierResult *tr = &report->tiers[t];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, tr->tier->name);
      json_builder_set_member_name (b, "pass");
      json_builder_add_boolean_value (b, tr->pass);
      json_builder_set_member_name (b, "rules");
      json_builder_begin_array (b);
      for (guint r = 0; r < tr->n_rules; r++)
        {
          const AbRuleResult *rr = &tr->rules[r];

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "text");
          json_builder_add_string_value (b, rr->rule->text);
          json_builder_set_member_name (b, "type");
          json_builder_add_string_value (b, rule_type_name (rr->rule->type));
          json_builder_set_member_name (b, "kind");
          json_builder_add_string_value (b, ab_kind_to_string (rr->rule->kind));
          json_builder_set_member_name (b, "required");
          json_builder_add_int_value (b, rr->required);
          json_builder_set_member_name (b, "measured");
          json_builder_add_int_value (b, rr->measured);
          json_builder_set_member_name (b, "pass");
          json_builder_add_boolean_value (b, rr->pass);
          json_builder_set_member_name (b, "reason");
          if (rr->reason != NULL)
            json_builder_add_string_value (b, rr->reason);
          else
            json_builder_add_null_value (b);
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
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}

int
ab_cli_check (int    argc,
              char **argv)
{
  g_autofree char *problem_id = NULL;
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    { "problem", 'p', 0, G_OPTION_ARG_STRING, &problem_id,
      "The problem to check against (default: the one the design names)", "ID" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, "Print JSON instead of text", NULL },
    { NULL }
  };
  g_autoptr(AbDesign) design = NULL;
  g_autoptr(AbTiersReport) report = NULL;
  g_autoptr(GError) error = NULL;
  const char *path, *id;
  AbProblem *problem;

  if (!ab_cli_parse (&argc, &argv, "FILE.archboard",
                     "Check a design against the tiers (checkpoints) of a problem.\n\n"
                     "Prints each tier with PASS or FAIL and, for every failing rule, what to\n"
                     "change.  Exit status: 0 every tier passes, 1 some tier fails, 2 bad input.",
                     entries))
    return AB_CLI_EXIT_BAD_INPUT;
  if (argc != 2)
    {
      g_printerr ("%s: %s (see --help)\n", g_get_prgname (),
                  argc < 2 ? "missing the design file" : "expected exactly one design file");
      return AB_CLI_EXIT_BAD_INPUT;
    }
  path = argv[1];

  design = ab_design_load_from_file (path, &error);
  if (design == NULL)
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return AB_CLI_EXIT_BAD_INPUT;
    }

  id = problem_id != NULL ? problem_id : ab_design_get_problem_id (design);
  if (id == NULL)
    {
      g_printerr ("%s: %s names no problem: pass --problem ID (run 'archboard-cli list' for the ids)\n",
                  g_get_prgname (), path);
      return AB_CLI_EXIT_BAD_INPUT;
    }
  problem = ab_problem_set_lookup (ab_problem_set_get_default (), id);
  if (problem == NULL)
    {
      g_printerr ("%s: unknown problem \"%s\" (run 'archboard-cli list' for the ids)\n", g_get_prgname (), id);
      return AB_CLI_EXIT_BAD_INPUT;
    }
  if (problem_id != NULL && ab_design_get_problem_id (design) != NULL &&
      g_strcmp0 (problem_id, ab_design_get_problem_id (design)) != 0)
    g_printerr ("%s: note: %s was drawn for problem \"%s\", checking against \"%s\"\n",
                g_get_prgname (), path, ab_design_get_problem_id (design), problem_id);

  report = ab_tiers_evaluate (problem, design);
  if (as_json)
    print_json (problem, path, report);
  else
    print_text (problem, path, design, report);
  return report->n_passed == report->n_tiers ? AB_CLI_EXIT_OK : AB_CLI_EXIT_FAIL;
}
