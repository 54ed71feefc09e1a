/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the panel tests: finding widgets in a built tree. */
#pragma once

#include <adwaita.h>

/* The first AdwComboRow titled @title (its mnemonic included) under
 * @root, or NULL. */
static inline AdwComboRow *
find_combo_row (GtkWidget  *root,
                const char *title)
{
  if (ADW_IS_COMBO_ROW (root)
      && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0)
    return ADW_COMBO_ROW (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwComboRow *row = find_combo_row (child, title);

      if (row != NULL)
        return row;
    }
  return NULL;
}
