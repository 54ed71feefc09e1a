/* SPDX-License-Identifier: GPL-3.0-or-later */
/* archboard-cli export when built without cairo: explain, do not pretend. */
#include "config.h"

#include <glib/gi18n.h>

#include "ab-cli.h"

int
ab_cli_export (int argc, char **argv)
{
  g_printerr (_("archboard-cli export: this build has no renderer (cairo and pango were not found at build time)\n"));
  return AB_CLI_EXIT_BAD_INPUT;
}

int
ab_cli_report (int argc, char **argv)
{
  g_printerr (_("archboard-cli report: this build has no renderer (cairo and pango were not found at build time)\n"));
  return AB_CLI_EXIT_BAD_INPUT;
}
