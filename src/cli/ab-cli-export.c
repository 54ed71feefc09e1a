/* SPDX-License-Identifier: GPL-3.0-or-later */
/* archboard-cli export: draws a design file to PNG, SVG or PDF with the
 * same renderer as the canvas; needs no display. */
#define G_LOG_DOMAIN "archboard-cli"

#include "config.h"

#include <glib/gi18n.h>

#include <math.h>

#include "ab-cli.h"
#include "ab-design.h"
#include "ab-export.h"
#include "ab-layout.h"

int
ab_cli_export (int argc, char **argv)
{
  g_autofree char *output = NULL;
  g_autofree char *format = NULL;
  g_auto(GStrv) select = NULL;
  double scale = 1.0;
  double margin = NAN;
  gboolean transparent = FALSE;
  gboolean dark = FALSE;
  g_autofree char *theme = NULL;
  gboolean arrange = FALSE;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("File to write (.png, .svg or .pdf; - for standard output, with --format)"), "OUT" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, N_("png, svg or pdf (default: from the file name)"), "FORMAT" },
    { "scale", 's', 0, G_OPTION_ARG_DOUBLE, &scale, N_("PNG pixels per canvas unit: more than 0, at most 8, e.g. 2 for HiDPI (default 1)"), "N" },
    { "transparent", 't', 0, G_OPTION_ARG_NONE, &transparent, N_("No background"), NULL },
    { "dark", 'd', 0, G_OPTION_ARG_NONE, &dark, N_("Dark palette (the same as --theme=dark)"), NULL },
    { "arrange", 'a', 0, G_OPTION_ARG_NONE, &arrange, N_("Lay the design out automatically first (as 'archboard-cli arrange')"), NULL },
    { "theme", 0, 0, G_OPTION_ARG_STRING, &theme, N_("light (default) or dark"), "THEME" },
    { "margin", 'm', 0, G_OPTION_ARG_DOUBLE, &margin, N_("Space around the diagram in canvas units (default 24)"), "N" },
    { "select", 0, 0, G_OPTION_ARG_STRING_ARRAY, &select, N_("Export only this component and the connections among the selected (repeat)"), "ID" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(AbDesign) design = NULL;
  AbExportOptions options;

  if (!ab_cli_parse (&argc, &argv, "FILE.archboard",
                     N_("Export a design as PNG, SVG or PDF, drawn exactly as on the canvas."),
                     entries))
    return AB_CLI_EXIT_BAD_INPUT;
  if (argc != 2)
    {
      g_printerr (_("%s: expected one design file (see --help)\n"), g_get_prgname ());
      return AB_CLI_EXIT_BAD_INPUT;
    }
  if (output == NULL)
    {
      g_printerr (_("%s: missing -o OUT.png|OUT.svg|OUT.pdf\n"), g_get_prgname ());
      return AB_CLI_EXIT_BAD_INPUT;
    }

  ab_export_options_init (&options);
  if (format != NULL)
    {
      g_autofree char *dotted = g_strconcat ("x.", format, NULL);

      if (!ab_export_format_from_path (dotted, &options.format))
        {
          g_printerr (_("%s: unknown format \"%s\" (png, svg or pdf)\n"), g_get_prgname (), format);
          return AB_CLI_EXIT_BAD_INPUT;
        }
    }
  else if (g_str_equal (output, "-"))
    {
      g_printerr (_("%s: -o - writes to standard output; say which format with --format png, svg or pdf\n"),
                  g_get_prgname ());
      return AB_CLI_EXIT_BAD_INPUT;
    }
  else if (!ab_export_format_from_path (output, &options.format))
    {
      g_printerr (_("%s: %s: cannot tell the format from the file name; use .png, .svg or .pdf, or --format\n"),
                  g_get_prgname (), output);
      return AB_CLI_EXIT_BAD_INPUT;
    }
  options.scale = scale;
  options.transparent = transparent;
  if (theme != NULL && g_strcmp0 (theme, "light") != 0 && g_strcmp0 (theme, "dark") != 0)
    {
      g_printerr (_("%s: unknown theme \"%s\" (light or dark)\n"), g_get_prgname (), theme);
      return AB_CLI_EXIT_BAD_INPUT;
    }
  if (theme != NULL && dark && g_strcmp0 (theme, "light") == 0)
    {
      g_printerr (_("%s: --dark and --theme=light contradict each other\n"), g_get_prgname ());
      return AB_CLI_EXIT_BAD_INPUT;
    }
  options.dark = dark || g_strcmp0 (theme, "dark") == 0;
  if (!isnan (margin))
    options.margin = margin;
  options.selection = (const char * const *) select;

  design = ab_design_load_from_file (argv[1], &error);
  if (design == NULL)
    {
      g_printerr ("%s\n", error->message);
      return AB_CLI_EXIT_BAD_INPUT;
    }
  if (arrange && !ab_layout_arrange (design, NULL, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return AB_CLI_EXIT_BAD_INPUT;
    }
  if (!ab_export_to_file (design, output, &options, &error))
    {
      g_printerr ("%s\n", error->message);
      return AB_CLI_EXIT_BAD_INPUT;
    }
  return AB_CLI_EXIT_OK;
}
