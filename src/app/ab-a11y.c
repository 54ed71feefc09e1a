/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Accessible labels for buttons with mnemonics (see ab-a11y.h). */
#define G_LOG_DOMAIN "archboard"

#include "config.h"

#include <string.h>

#include "ab-a11y.h"

char *
ab_a11y_strip_mnemonic (const char *label)
{
  GString *out;

  g_return_val_if_fail (label != NULL, NULL);

  out = g_string_sized_new (strlen (label));
  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p == '_')
        {
          /* "__" is a literal underscore; a single one marks the mnemonic */
          if (p[1] == '_')
            {
              g_string_append_c (out, '_');
              p++;
            }
          continue;
        }
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static void
name_button (GtkButton *button)
{
  const char *label = gtk_button_get_label (button);
  g_autofree char *name = NULL;

  if (!gtk_button_get_use_underline (button) || label == NULL || strchr (label, '_') == NULL)
    return;
  name = ab_a11y_strip_mnemonic (label);
  /* the name is the button's label property, which GtkButton sets to the
   * raw label, followed by the name of what it is labelled by (its label
   * child, "Save"): the clean label alone, and no child to add */
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

void
ab_a11y_name_mnemonic_buttons (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_BUTTON (root))
    name_button (GTK_BUTTON (root));
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    ab_a11y_name_mnemonic_buttons (child);
}
