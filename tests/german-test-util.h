/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checking a test's strings in German: the test runs itself again in a
 * subprocess (g_test_trap_subprocess) that switches to German there, as
 * switching the locale back and forth in one process is not reliable. */
#pragma once

#include <locale.h>

#include <glib.h>
#include <glib/gi18n-lib.h>

/* In the subprocess: German messages from the build's translations. */
static inline void
german_test_enter (void)
{
  g_autofree char *localedir = g_test_build_filename (G_TEST_BUILT, "..", "..", "po", NULL);

  g_setenv ("LANGUAGE", "de", TRUE);
  g_assert_nonnull (setlocale (LC_ALL, "de_DE.UTF-8"));
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
}

/* In the test: runs it again in German and asserts that passed; skips
 * without the de_DE.UTF-8 locale (build-aux/dev setup generates it) or
 * without the German translation (builds without the GUI build none). */
static inline void
german_test_trap (void)
{
  g_autofree char *mo = g_test_build_filename (G_TEST_BUILT, "..", "..", "po", "de", "LC_MESSAGES",
                                               GETTEXT_PACKAGE ".mo", NULL);

  if (setlocale (LC_ALL, "de_DE.UTF-8") == NULL)
    {
      g_test_skip ("no de_DE.UTF-8 locale (build-aux/dev setup generates it)");
      return;
    }
  setlocale (LC_ALL, "C");
  if (!g_file_test (mo, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no German translation built");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}
