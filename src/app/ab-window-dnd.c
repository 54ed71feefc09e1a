/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbWindow: dropping .archboard files onto the window opens them. */
#define G_LOG_DOMAIN "archboard"

#include "config.h"

#include "ab-window-private.h"

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         AbWindow      *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  files = g_value_get_boxed (value);
  if (files == NULL)
    return FALSE;
  for (GSList *l = files; l; l = l->next)
    ab_application_open_file (AB_APPLICATION (app), G_FILE (l->data), GTK_WINDOW (self));
  return TRUE;
}

void
ab_window_init_dnd (AbWindow *self)
{
  GtkDropTarget *target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

  g_signal_connect (target, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}
