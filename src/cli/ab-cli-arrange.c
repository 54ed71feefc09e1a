/* SPDX-License-Identifier: GPL-3.0-or-later */
/* archboard-cli arrange: lays a design out with Graphviz (dot, left to
 * right by call depth) and writes it to a new file. */
#define G_LOG_DOMAIN "archboard-cli"

#include "config.h"

#include <glib/gi18n.h>

#include <stdio.h>

#include "ab-cli.h"
#include "ab-design.h"
#include "ab-layout.h"

int
ab_cli_arrange (int    argc,
                char **argv)
{
  g_autofree char *output = NULL;
  g_auto(GStrv) select = NULL;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Design file to write (may be FILE itself)"), "OUT" },
    { "select", 0, 0, G_OPTION_ARG_STRING_ARRAY, &select,
      N_("Arrange only this component (repeat); the others stay where they are"), "ID" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(AbDesign) design = NULL;

  if (!ab_cli_parse (&argc, &argv, "FILE.archboard",
                     N_("Lay a design out automatically with Graphviz: components in layers from left\n"
                        "to right by call depth, snapped to the grid, and write it to OUT."),
                     entries))
    return AB_CLI_EXIT_BAD_INPUT;
  if (argc != 2)
    {
      g_printerr (_("%s: expected one design file (see --help)\n"), g_get_prgname ());
      return AB_CLI_EXIT_BAD_INPUT;
    }
  if (output == NULL)
    {
      g_printerr (_("%s: missing -o OUT.archboard\n"), g_get_prgname ());
      return AB_CLI_EXIT_BAD_INPUT;
    }

  design = ab_design_load_from_file (argv[1], &error);
  if (design == NULL)
    {
      g_printerr ("%s\n", error->message);
      return AB_CLI_EXIT_BAD_INPUT;
    }
  for (guint i = 0; select != NULL && select[i] != NULL; i++)
    if (ab_design_find_component (design, select[i]) == NULL)
      {
        g_printerr (_("%s: %s has no component \"%s\"\n"), g_get_prgname (), argv[1], select[i]);
        return AB_CLI_EXIT_BAD_INPUT;
      }
  if (!ab_layout_arrange (design, (const char * const *) select, &error) ||
      !ab_design_save_to_file (design, output, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return AB_CLI_EXIT_BAD_INPUT;
    }
  return AB_CLI_EXIT_OK;
}
