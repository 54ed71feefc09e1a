/* SPDX-License-Identifier: GPL-3.0-or-later */
/* archboard-cli: the command-line front end (no display needed). */
#define G_LOG_DOMAIN "archboard-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "ab-catalog.h"
#include "ab-cli.h"
#include "ab-problem.h"

typedef struct {
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} Command;

static const Command commands[] = {
  { "list", ab_cli_list, N_("List the shipped problems") },
  { "show", ab_cli_show, N_("Show one problem") },
  { "reference", ab_cli_reference, N_("Write a problem's reference solution as a design file") },
  { "check", ab_cli_check, N_("Check a design against a problem's tiers") },
  { "simulate", ab_cli_simulate, N_("Simulate a design under its problem's load") },
  { "arrange", ab_cli_arrange, N_("Lay a design out automatically (Graphviz)") },
  { "grade", ab_cli_grade, N_("Grade every design file of a folder (a class)") },
  { "export", ab_cli_export, N_("Export a design as PNG, SVG or PDF") },
  { "report", ab_cli_report, N_("Simulate a design and write a PDF report") },
  { "import", ab_cli_import, N_("Convert a markdown problem set to JSON problem files") },
};

gboolean
ab_cli_parse (int           *argc,
              char        ***argv,
              const char    *parameter_string,
              const char    *summary,
              GOptionEntry  *entries)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameter_string);
  g_autoptr(GError) error = NULL;

  /* the summary and the options' descriptions in the user's language
   * (the callers mark them with N_()); GOption's own words come from
   * GLib's translations */
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return FALSE;
    }
  return TRUE;
}

/* the user's LC_MESSAGES and LC_NUMERIC while the run is in English */
static char *user_messages, *user_numeric;

void
ab_cli_use_english (gboolean english)
{
  if (english)
    {
      if (user_messages == NULL)
        {
          user_messages = g_strdup (setlocale (LC_MESSAGES, NULL));
          user_numeric = g_strdup (setlocale (LC_NUMERIC, NULL));
        }
      /* gettext leaves every message as written (in English) when
       * LC_MESSAGES is "C", whatever LANGUAGE asks; numbers get "." and
       * English grouping */
      setlocale (LC_MESSAGES, "C");
      setlocale (LC_NUMERIC, "C");
    }
  else if (user_messages != NULL)
    {
      setlocale (LC_MESSAGES, user_messages);
      setlocale (LC_NUMERIC, user_numeric);
    }
}

void
ab_cli_load_english_data (void)
{
  ab_cli_use_english (TRUE);
  (void) ab_catalog_get_default ();
  (void) ab_problem_set_get_default ();
  ab_cli_use_english (FALSE);
}

const char *
ab_cli_verdict_tag (AbCheckVerdict verdict)
{
  switch (verdict)
    {
    case AB_CHECK_PASS:
      /* Translators: archboard-cli check and simulate: the tag of a tier
       * or check that passes, in a column before its name; keep it short
       * (at most 6 letters keeps the columns as in English) */
      return C_("tag", "PASS");
    case AB_CHECK_FAIL:
      /* Translators: archboard-cli: the tag of a tier or check that fails;
       * keep it short */
      return C_("tag", "FAIL");
    case AB_CHECK_TOO_CLOSE:
      /* Translators: archboard-cli: the tag of a check too close to call;
       * keep it short */
      return C_("tag", "CLOSE");
    case AB_CHECK_NOT_JUDGED:
    default:
      return "-";
    }
}

int
ab_cli_tag_width (void)
{
  int width = 0;

  for (int v = AB_CHECK_PASS; v <= AB_CHECK_NOT_JUDGED; v++)
    width = MAX (width, (int) g_utf8_strlen (ab_cli_verdict_tag (v), -1));
  return width;
}

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n\n%s\n\n%s\n",
           _("Usage: archboard-cli COMMAND [OPTION...]"),
           _("Practise system design: problems, tier checks, simulation and export."),
           _("Commands:"));
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n  --version  %s\n",
           _("Run 'archboard-cli COMMAND --help' for a command's options."),
           _("Print the version"));
}

int
main (int argc, char **argv)
{
  const char *localedir = g_getenv ("ARCHBOARD_LOCALEDIR");

  /* as the app: the check sentences and the report in the user's
   * language, the translations from the build folder in the developer
   * environment (meson devenv sets ARCHBOARD_LOCALEDIR) */
  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      print_usage (stderr);
      return AB_CLI_EXIT_BAD_INPUT;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "help") == 0)
    {
      print_usage (stdout);
      return AB_CLI_EXIT_OK;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("archboard-cli %s\n", PACKAGE_VERSION);
      return AB_CLI_EXIT_OK;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      {
        g_autofree char *prgname = g_strdup_printf ("archboard-cli %s", commands[i].name);
        g_set_prgname (prgname);
        return commands[i].run (argc - 1, argv + 1);
      }

  g_printerr ("archboard-cli: ");
  g_printerr (_("unknown command '%s'"), argv[1]);
  g_printerr ("\n\n");
  print_usage (stderr);
  return AB_CLI_EXIT_BAD_INPUT;
}
