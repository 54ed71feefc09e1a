/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbRenameEntry: inline rename entry (see ab-rename-entry.h). */
#define G_LOG_DOMAIN "archboard-canvas"

#include "config.h"

#include <glib/gi18n.h>

#include "ab-rename-entry.h"

struct _AbRenameEntry
{
  GtkEntry  parent_instance;

  char     *id;
};

G_DEFINE_FINAL_TYPE (AbRenameEntry, ab_rename_entry, GTK_TYPE_ENTRY)

enum {
  SIGNAL_DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
ab_rename_entry_finish (AbRenameEntry *self,
                        gboolean       commit)
{
  g_autofree char *id = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (AB_IS_RENAME_ENTRY (self));

  if (self->id == NULL)
    return;
  /* Steal first: hiding moves the focus away, which must not finish twice. */
  id = g_steal_pointer (&self->id);
  text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self))));
  g_signal_emit (self, signals[SIGNAL_DONE], 0, id, text, commit);
}

static void
on_activate (AbRenameEntry *self)
{
  ab_rename_entry_finish (self, TRUE);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ab_rename_entry_finish (AB_RENAME_ENTRY (widget), FALSE);
}

static void
on_focus_leave (AbRenameEntry *self)
{
  /* Clicking elsewhere commits; the window closing does not edit. */
  ab_rename_entry_finish (self, gtk_widget_get_mapped (GTK_WIDGET (self)));
}

static void
ab_rename_entry_finalize (GObject *object)
{
  AbRenameEntry *self = AB_RENAME_ENTRY (object);

  g_free (self->id);

  G_OBJECT_CLASS (ab_rename_entry_parent_class)->finalize (object);
}

static void
ab_rename_entry_class_init (AbRenameEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ab_rename_entry_finalize;

  signals[SIGNAL_DONE] =
    g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_BOOLEAN);

  gtk_widget_class_install_action (widget_class, "rename.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "rename.cancel", NULL);
}

static void
ab_rename_entry_init (AbRenameEntry *self)
{
  GtkEventController *controller;

  gtk_widget_set_name (GTK_WIDGET (self), "canvas-rename");
  gtk_widget_add_css_class (GTK_WIDGET (self), "rename");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Component name"),
                                  -1);
  g_signal_connect (self, "activate", G_CALLBACK (on_activate), NULL);

  controller = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (controller, "leave", G_CALLBACK (on_focus_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

GtkWidget *
ab_rename_entry_new (void)
{
  return g_object_new (AB_TYPE_RENAME_ENTRY, NULL);
}

void
ab_rename_entry_start (AbRenameEntry *self,
                       const char    *id,
                       const char    *text)
{
  g_return_if_fail (AB_IS_RENAME_ENTRY (self));
  g_return_if_fail (id != NULL);

  if (self->id != NULL)
    ab_rename_entry_finish (self, TRUE);
  self->id = g_strdup (id);
  gtk_editable_set_text (GTK_EDITABLE (self), text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self));
  gtk_editable_select_region (GTK_EDITABLE (self), 0, -1);
}

const char *
ab_rename_entry_get_id (AbRenameEntry *self)
{
  g_return_val_if_fail (AB_IS_RENAME_ENTRY (self), NULL);

  return self->id;
}
