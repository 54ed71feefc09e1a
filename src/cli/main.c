/* SPDX-License-Identifier: GPL-3.0-or-later */
/* archboard-cli: the command-line front end (no display needed). */
#define G_LOG_DOMAIN "archboard-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "ab-cli.h"

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

char *
ab_cli_pad (const char *text,
            int         width)
{
  glong n = g_utf8_strlen (text, -1);
  GString *s = g_string_new (text);

  for (glong i = n; i < ABS (width); i++)
    {
      if (width < 0)
        g_string_prepend_c (s, ' ');
      else
        g_string_append_c (s, ' ');
    }
  return g_string_free (s, FALSE);
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
