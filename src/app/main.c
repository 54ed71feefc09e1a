/* SPDX-License-Identifier: GPL-3.0-or-later */
/* archboard: the GTK application's entry point. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "ab-application.h"

int
main (int argc, char **argv)
{
  g_autoptr(AbApplication) app = NULL;
  const char *localedir = g_getenv ("ARCHBOARD_LOCALEDIR");

  /* ARCHBOARD_LOCALEDIR is set by the developer environment (meson devenv)
   * so that translations load from the build folder. */
  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = ab_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
