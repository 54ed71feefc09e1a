/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Accessible names the toolkit gets wrong.  GTK 4.8 names a button whose
 * label has a mnemonic ("_Save") by its raw label, underscore and all,
 * followed by the text of its label child: a screen reader says
 * "underscore Save Save".  Such buttons get an accessible label without
 * the mnemonic, and nothing added to it. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* "_Save" -> "Save", "Drag__Drop" -> "Drag_Drop".  g_free it. */
char *ab_a11y_strip_mnemonic         (const char *label);

/* Every button in @root's widget tree (@root too) whose label uses a
 * mnemonic gets its label without it as its accessible label.  Call it
 * once the buttons are built (after gtk_widget_init_template, after
 * adding a message dialog's responses); a button whose label changes
 * later must be named again. */
void  ab_a11y_name_mnemonic_buttons  (GtkWidget  *root);

G_END_DECLS
