/* SPDX-License-Identifier: GPL-3.0-or-later */
/* archboard-cli check: which tiers of a problem a design file passes, with
 * a reason for every failing rule, whether every component gets traffic,
 * the performance checks and the verdict (ab_verdict_compute).  Exit 0 all
 * tiers pass (with --solved: solved), 1 otherwise, 2 bad input. */
#define G_LOG_DOMAIN "archboard-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

#include "ab-cli.h"
#include "ab-design.h"
#include "ab-format.h"
#include "ab-json-write.h"
#include "ab-problem.h"
#include "ab-tiers.h"
#include "ab-verdict.h"

static const char *
rule_type_name (AbRuleType type)
{
  return type == AB_RULE_MUST_INCLUDE ? "must_include" : "min_instances";
}

static void
print_text (const AbProblem     *problem,
            const char          *path,
            AbDesign            *design,
            const AbVerdict     *verdict,
            AbVerdictMethod      method)
{
  const AbTiersReport *report = verdict->tiers;
  g_autofree char *summary = ab_verdict_to_string (verdict);
  guint nc = ab_design_get_n_components (design), ne = ab_design_get_n_connections (design);
  g_autofree char *components = g_strdup_printf (ngettext ("%u component", "%u components", nc), nc);
  g_autofree char *connections = g_strdup_printf (ngettext ("%u connection", "%u connections", ne), ne);
  /* the tags in columns as wide as their widest, in any language: a
   * tier's ("PASS", "FAIL"), a check's (also "CLOSE" and "-", at least
   * 6 wide) and a rule's ("ok", "fail"), the lines under a tier or check
   * indented as far as a check's name.  In English "PASS  T0: ...",
   * "        ok    Must include: ...", "PASS    Latency: ..." */
  int tag_width = MAX (g_utf8_strlen (ab_cli_verdict_tag (AB_CHECK_PASS), -1),
                       g_utf8_strlen (ab_cli_verdict_tag (AB_CHECK_FAIL), -1));
  int check_width = MAX (6, ab_cli_tag_width ());
  g_autofree char *ok = NULL;
  g_autofree char *fail = NULL;
  g_autofree char *pass_tag = ab_format_pad (ab_cli_verdict_tag (AB_CHECK_PASS), tag_width);
  g_autofree char *fail_tag = ab_format_pad (ab_cli_verdict_tag (AB_CHECK_FAIL), tag_width);
  g_autofree char *indent = ab_format_pad ("", check_width + 2);
  const char *method_name;

  {
    /* Translators: archboard-cli check: a rule of a tier the design meets */
    const char *ok_word = C_("rule", "ok");
    /* Translators: archboard-cli check: a rule of a tier the design does not meet */
    const char *fail_word = C_("rule", "fail");
    int w = MAX (g_utf8_strlen (ok_word, -1), g_utf8_strlen (fail_word, -1));

    ok = ab_format_pad (ok_word, w);
    fail = ab_format_pad (fail_word, w);
  }

  printf ("%s: %s\n", problem->id, problem->title != NULL ? problem->title : "");
  /* Translators: archboard-cli check: "design.archboard: 5 components, 4 connections" */
  printf (_("%s: %s, %s"), path, components, connections);
  printf ("\n\n");
  for (guint t = 0; t < report->n_tiers; t++)
    {
      const AbTierResult *tr = &report->tiers[t];

      printf ("%s  %s\n", tr->pass ? pass_tag : fail_tag, tr->tier->name);
      for (guint r = 0; r < tr->n_rules; r++)
        {
          const AbRuleResult *rr = &tr->rules[r];
          if (rr->pass)
            printf ("%s%s  %s\n", indent, ok, rr->rule->text);
          else
            printf ("%s%s  %s: %s\n", indent, fail, rr->rule->text, rr->reason);
        }
    }
  printf ("\n");
  printf (_("%u of %u tiers pass."), report->n_passed, report->n_tiers);
  printf ("\n");

  printf ("\n%s  %s\n", verdict->connected ? pass_tag : fail_tag, _("Every component is reached from a client"));
  for (guint i = 0; i < verdict->unreached->len; i++)
    {
      const AbUnreached *u = g_ptr_array_index (verdict->unreached, i);
      printf ("%s%s  %s: %s\n", indent, fail, u->component, u->reason);
    }

  if (verdict->simulated)
    {
      printf ("\n%s  %s\n", verdict->keeps_up ? pass_tag : fail_tag, _("Every component keeps up with its load"));
      for (guint i = 0; i < verdict->overloaded->len; i++)
        {
          const AbUnreached *u = g_ptr_array_index (verdict->overloaded, i);
          printf ("%s%s  %s: %s\n", indent, fail, u->component, u->reason);
        }
    }

  method_name = !verdict->simulated ? _("not simulated")
                : method == AB_VERDICT_DES ? _("simulation") : _("analytical model");
  printf ("\n");
  /* Translators: archboard-cli check: "Performance (analytical model):" */
  printf (_("Performance (%s):"), method_name);
  printf ("\n");
  if (!verdict->simulated)
    printf ("%s%s\n", indent, verdict->not_simulated);
  else if (verdict->performance->len == 0)
    printf ("%s%s\n", indent, _("the problem sets no performance target"));
  for (guint i = 0; i < verdict->performance->len; i++)
    {
      const AbCheck *c = g_ptr_array_index (verdict->performance, i);
      g_autofree char *tag = ab_format_pad (ab_cli_verdict_tag (c->verdict), check_width);

      printf ("%s  %s: %s\n%s%s\n", tag, c->label, c->target, indent, c->sentence);
    }
  printf ("\n%s\n", summary);
}

/* [{"component": ID, "reason": ...}, ...] for a list of AbUnreached */
static void
add_component_reasons (JsonBuilder *b,
                       GPtrArray   *list)
{
  json_builder_begin_array (b);
  for (guint i = 0; i < list->len; i++)
    {
      const AbUnreached *u = g_ptr_array_index (list, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "component");
      json_builder_add_string_value (b, u->component);
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, u->reason);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
print_json (const AbProblem     *problem,
            const char          *path,
            const AbVerdict     *verdict,
            const char          *method)
{
  const AbTiersReport *report = verdict->tiers;
  g_autoptr(JsonBuilder) b = json_builder_new ();
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

  json_builder_set_member_name (b, "connected");
  json_builder_add_boolean_value (b, verdict->connected);
  json_builder_set_member_name (b, "unreached");
  add_component_reasons (b, verdict->unreached);

  json_builder_set_member_name (b, "keeps_up");
  json_builder_add_boolean_value (b, verdict->keeps_up);
  json_builder_set_member_name (b, "overloaded");
  add_component_reasons (b, verdict->overloaded);

  json_builder_set_member_name (b, "method");
  json_builder_add_string_value (b, method);
  json_builder_set_member_name (b, "simulated");
  json_builder_add_boolean_value (b, verdict->simulated);
  if (!verdict->simulated)
    {
      json_builder_set_member_name (b, "not_simulated");
      json_builder_add_string_value (b, verdict->not_simulated);
    }
  json_builder_set_member_name (b, "performance");
  ab_cli_json_add_checks (b, verdict->performance);
  json_builder_set_member_name (b, "solved");
  json_builder_add_boolean_value (b, verdict->solved);
  json_builder_set_member_name (b, "reasons");
  json_builder_begin_array (b);
  for (guint i = 0; i < verdict->reasons->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (verdict->reasons, i));
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  text = ab_json_to_string_strict (root, TRUE);
  printf ("%s\n", text);
}

int
ab_cli_check (int    argc,
              char **argv)
{
  g_autofree char *problem_id = NULL;
  g_autofree char *method = NULL;
  gboolean as_json = FALSE, want_solved = FALSE;
  gint64 seed = 0;
  double peak = -1.0;
  GOptionEntry entries[] = {
    { "problem", 'p', 0, G_OPTION_ARG_STRING, &problem_id,
      N_("The problem to check against (default: the one the design names)"), "ID" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print JSON instead of text"), NULL },
    { "solved", 0, 0, G_OPTION_ARG_NONE, &want_solved,
      N_("Exit 0 only when the problem is solved (tiers, traffic and performance)"), NULL },
    { "method", 'm', 0, G_OPTION_ARG_STRING, &method,
      N_("Performance checks by the analytical model or the simulation: analytical or des (default: analytical)"), "METHOD" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Seed of the simulation (with --method des)"), "N" },
    { "peak-multiplier", 0, 0, G_OPTION_ARG_DOUBLE, &peak,
      N_("Peak rate as a multiple of the normal rate instead of the problem's"), "X" },
    { NULL }
  };
  g_autoptr(AbDesign) design = NULL;
  g_autoptr(AbVerdict) verdict = NULL;
  AbVerdictOptions options;
  g_autoptr(GError) error = NULL;
  const char *path, *id;
  AbProblem *problem;

  if (!ab_cli_parse (&argc, &argv, "FILE.archboard",
                     N_("Check a design against the tiers (checkpoints) of a problem.\n\n"
                        "Prints each tier with PASS or FAIL and, for every failing rule, what to\n"
                        "change; then whether traffic from a client reaches every component, the\n"
                        "performance checks of the problem and the verdict: \"Solved\" or \"Not\n"
                        "solved yet: ...\".  Exit status: 0 every tier passes (with --solved: the\n"
                        "problem is solved), 1 otherwise, 2 bad input."),
                     entries))
    return AB_CLI_EXIT_BAD_INPUT;
  if (argc != 2)
    {
      g_printerr (_("%s: %s (see --help)\n"), g_get_prgname (),
                  argc < 2 ? _("missing the design file") : _("expected exactly one design file"));
      return AB_CLI_EXIT_BAD_INPUT;
    }
  path = argv[1];
  if (method != NULL && !g_str_equal (method, "analytical") && !g_str_equal (method, "des"))
    {
      g_printerr (_("%s: unknown method \"%s\" (analytical or des)\n"), g_get_prgname (), method);
      return AB_CLI_EXIT_BAD_INPUT;
    }
  if (peak != -1.0 && !(peak >= 1.0 && peak <= 100.0))
    {
      g_printerr (_("%s: --peak-multiplier takes a number from 1 to 100\n"), g_get_prgname ());
      return AB_CLI_EXIT_BAD_INPUT;
    }
  if (seed < 0)
    {
      g_printerr (_("%s: --seed takes a number >= 0\n"), g_get_prgname ());
      return AB_CLI_EXIT_BAD_INPUT;
    }
  /* JSON is the same in every language: the catalog and the problems as
   * written, the verdict computed in English; messages in the user's */
  if (as_json)
    ab_cli_load_english_data ();

  design = ab_design_load_from_file (path, &error);
  if (design == NULL)
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return AB_CLI_EXIT_BAD_INPUT;
    }

  id = problem_id != NULL ? problem_id : ab_design_get_problem_id (design);
  if (id == NULL)
    {
      g_printerr (_("%s: %s names no problem: pass --problem ID (run 'archboard-cli list' for the ids)\n"),
                  g_get_prgname (), path);
      return AB_CLI_EXIT_BAD_INPUT;
    }
  problem = ab_problem_set_lookup (ab_problem_set_get_default (), id);
  if (problem == NULL)
    {
      g_printerr (_("%s: unknown problem \"%s\" (run 'archboard-cli list' for the ids)\n"), g_get_prgname (), id);
      return AB_CLI_EXIT_BAD_INPUT;
    }
  if (problem_id != NULL && ab_design_get_problem_id (design) != NULL &&
      g_strcmp0 (problem_id, ab_design_get_problem_id (design)) != 0)
    g_printerr (_("%s: note: %s was drawn for problem \"%s\", checking against \"%s\"\n"),
                g_get_prgname (), path, ab_design_get_problem_id (design), problem_id);

  ab_verdict_options_init (&options);
  options.method = method != NULL && g_str_equal (method, "des") ? AB_VERDICT_DES : AB_VERDICT_MODEL;
  options.seed = (guint64) seed;
  options.peak_multiplier = peak;
  if (as_json)
    ab_cli_use_english (TRUE);
  verdict = ab_verdict_compute (problem, design, &options, &error);
  if (verdict == NULL)
    {
      ab_cli_use_english (FALSE);
      g_printerr (_("%s: simulation failed: %s\n"), g_get_prgname (), error->message);
      return AB_CLI_EXIT_BAD_INPUT;
    }
  if (as_json)
    print_json (problem, path, verdict, options.method == AB_VERDICT_DES ? "des" : "analytical");
  else
    print_text (problem, path, design, verdict, options.method);
  if (want_solved)
    return verdict->solved ? AB_CLI_EXIT_OK : AB_CLI_EXIT_FAIL;
  return verdict->tiers_pass ? AB_CLI_EXIT_OK : AB_CLI_EXIT_FAIL;
}
