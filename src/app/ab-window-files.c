/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbWindow and files: open, save, save as, the unsaved-changes prompt and
 * autosave (g_get_user_data_dir()/archboard/autosave, every 30 s while
 * modified, removed on save and close). */
#define G_LOG_DOMAIN "archboard"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <string.h>

#include "ab-a11y.h"
#include "ab-window-private.h"

static GtkFileFilter *
design_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Archboard Designs"));
  gtk_file_filter_add_pattern (filter, "*.archboard");
  gtk_file_filter_add_mime_type (filter, "application/x-archboard");
  return filter;
}

static void
on_open_response (GtkNativeDialog *native,
                  int              response,
                  AbWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));

      if (file != NULL)
        ab_application_open_file (AB_APPLICATION (app), file, GTK_WINDOW (self));
    }
  gtk_native_dialog_destroy (native);
  g_object_unref (native);
  g_object_unref (self);
}

void
ab_window_open_dialog (AbWindow *self)
{
  GtkFileChooserNative *native;
  g_autoptr(GtkFileFilter) filter = design_filter ();

  native = gtk_file_chooser_native_new (_("Open Design"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Open"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  g_signal_connect (native, "response", G_CALLBACK (on_open_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static void
show_error (AbWindow   *self,
            const char *heading,
            const char *body)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, body));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  ab_a11y_name_mnemonic_buttons (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
close_idle (gpointer user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));
  return G_SOURCE_REMOVE;
}

/* Closes once the dialog that asked is gone: destroying a dialog's parent
 * from the dialog's own response handler leaves it pointing at a
 * destroyed window. */
static void
close_confirmed (AbWindow *self)
{
  self->close_confirmed = TRUE;
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_idle, g_object_ref (self), g_object_unref);
}

static gboolean
write_design (AbWindow  *self,
              GFile     *file,
              GError   **error)
{
  const char *path = g_file_peek_path (file);
  g_autofree char *data = NULL;
  gsize length;

  if (path != NULL)
    return ab_design_save_to_file (self->design, path, error);

  data = ab_design_to_data (self->design, &length);
  if (!g_file_replace_contents (file, data, length, NULL, FALSE,
                                G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, error))
    return FALSE;
  ab_design_mark_saved (self->design);
  return TRUE;
}

static void
on_read_only_response (AdwMessageDialog *dialog,
                       const char       *response,
                       AbWindow         *self)
{
  if (g_strcmp0 (response, "save-as") == 0)
    ab_window_save_as (self, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "close-after")));
}

/* A read-only file is never overwritten; a copy elsewhere is offered. */
static void
offer_save_as (AbWindow   *self,
               const char *heading,
               gboolean    close_after)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading,
                                                       _("The file is read-only. Save the design under another name to keep your changes.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "save-as", _("Save _As…"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "save-as", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save-as");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data (G_OBJECT (dialog), "close-after", GINT_TO_POINTER (close_after));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_read_only_response), self, 0);
  ab_a11y_name_mnemonic_buttons (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
save_to (AbWindow *self,
         GFile    *file,
         gboolean  close_after)
{
  g_autoptr(GError) error = NULL;

  if (!write_design (self, file, &error))
    {
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *heading = g_strdup_printf (_("Could Not Save “%s”"), name);

      if (g_error_matches (error, AB_ERROR, AB_ERROR_READ_ONLY))
        offer_save_as (self, heading, close_after);
      else
        show_error (self, heading, error->message);
      return;
    }

  self->restored = FALSE;
  /* Saving the reference solution makes it the learner's own document. */
  g_object_set_data (G_OBJECT (self->design), "ab-reference", NULL);
  ab_window_set_file (self, file);
  ab_window_autosave_remove (self);
  ab_application_add_recent (file);
  ab_window_update_title (self);
  ab_window_update_actions (self);

  if (close_after)
    close_confirmed (self);
}

static void
on_save_as_response (GtkNativeDialog *native,
                     int              response,
                     AbWindow        *self)
{
  gboolean close_after = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (native), "close-after"));

  if (response == GTK_RESPONSE_ACCEPT && self->design != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      g_autofree char *name = file ? g_file_get_basename (file) : NULL;

      if (file != NULL && name != NULL && !g_str_has_suffix (name, ".archboard"))
        {
          g_autoptr(GFile) parent = g_file_get_parent (file);
          g_autofree char *full = g_strconcat (name, ".archboard", NULL);

          GFile *child = g_file_get_child (parent, full);

          g_object_unref (file);
          file = child;
        }
      if (file != NULL)
        save_to (self, file, close_after);
    }
  gtk_native_dialog_destroy (native);
  g_object_unref (native);
  g_object_unref (self);
}

void
ab_window_save_as (AbWindow *self,
                   gboolean  close_after)
{
  GtkFileChooserNative *native;
  g_autoptr(GtkFileFilter) filter = design_filter ();
  g_autofree char *name = NULL;

  if (self->design == NULL)
    return;

  native = gtk_file_chooser_native_new (_("Save Design"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Save"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);

  if (self->file != NULL)
    gtk_file_chooser_set_file (GTK_FILE_CHOOSER (native), self->file, NULL);
  else
    {
      name = g_strconcat (self->problem != NULL ? self->problem->id : "design", ".archboard", NULL);
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);
    }

  g_object_set_data (G_OBJECT (native), "close-after", GINT_TO_POINTER (close_after));
  g_signal_connect (native, "response", G_CALLBACK (on_save_as_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

void
ab_window_save (AbWindow *self,
                gboolean  close_after)
{
  if (self->design == NULL)
    return;
  if (self->file == NULL)
    ab_window_save_as (self, close_after);
  else
    save_to (self, self->file, close_after);
}

static void
on_close_response (AdwMessageDialog *dialog,
                   const char       *response,
                   AbWindow         *self)
{
  if (g_strcmp0 (response, "discard") == 0)
    close_confirmed (self);
  else if (g_strcmp0 (response, "save") == 0)
    ab_window_save (self, TRUE);
}

void
ab_window_confirm_close (AbWindow *self)
{
  AdwMessageDialog *dialog;
  g_autofree char *name = ab_window_dup_display_name (self);
  g_autofree char *body = NULL;

  body = g_strdup_printf (_("“%s” has unsaved changes. Changes which are not saved will be permanently lost."),
                          name);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Save Changes?"), body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_close_response), self, 0);
  ab_a11y_name_mnemonic_buttons (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- autosave ---- */

static void
autosave_paths (AbWindow  *self,
                char     **design_path,
                char     **info_path)
{
  if (self->autosave_path == NULL)
    {
      g_autofree char *dir = ab_application_get_autosave_dir ();
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *name = g_strconcat (uuid, ".archboard", NULL);

      self->autosave_path = g_build_filename (dir, name, NULL);
    }
  *design_path = g_strdup (self->autosave_path);
  *info_path = g_strconcat (self->autosave_path, ".info", NULL);
  /* "<uuid>.archboard" -> "<uuid>.info" */
  memcpy (*info_path + strlen (self->autosave_path) - strlen (".archboard"), ".info", sizeof ".info");
}

gboolean
ab_window_autosave_now (AbWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *design_path = NULL;
  g_autofree char *info_path = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *data = NULL;
  g_autofree char *info_data = NULL;
  g_autoptr(GKeyFile) info = g_key_file_new ();
  gsize length;

  if (self->design == NULL)
    return FALSE;

  autosave_paths (self, &design_path, &info_path);
  dir = g_path_get_dirname (design_path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_warning ("Could not create %s: %s", dir, g_strerror (errno));
      return FALSE;
    }

  data = ab_design_to_data (self->design, &length);
  if (!g_file_set_contents_full (design_path, data, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      g_warning ("Could not autosave: %s", error->message);
      return FALSE;
    }

  if (self->file != NULL)
    {
      g_autofree char *uri = g_file_get_uri (self->file);

      g_key_file_set_string (info, "autosave", "uri", uri);
    }
  info_data = g_key_file_to_data (info, &length, NULL);
  if (!g_file_set_contents_full (info_path, info_data, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_warning ("Could not autosave: %s", error->message);

  self->autosave_dirty = FALSE;
  return TRUE;
}

static gboolean
autosave_tick (gpointer user_data)
{
  AbWindow *self = user_data;

  if (self->autosave_dirty && ab_window_is_modified (self))
    ab_window_autosave_now (self);
  return G_SOURCE_CONTINUE;
}

static void
on_autosave_setting_changed (GSettings  *settings,
                             const char *key,
                             AbWindow   *self)
{
  if (self->design == NULL)
    return;
  ab_window_autosave_stop (self);
  ab_window_autosave_start (self);
}

void
ab_window_autosave_start (AbWindow *self)
{
  guint interval;

  if (g_object_get_data (G_OBJECT (self), "ab-autosave-watch") == NULL)
    {
      g_signal_connect_object (self->settings, "changed::autosave",
                               G_CALLBACK (on_autosave_setting_changed), self, 0);
      g_signal_connect_object (self->settings, "changed::autosave-interval",
                               G_CALLBACK (on_autosave_setting_changed), self, 0);
      g_object_set_data (G_OBJECT (self), "ab-autosave-watch", GINT_TO_POINTER (1));
    }

  if (self->autosave_timeout_id != 0 || !g_settings_get_boolean (self->settings, "autosave"))
    return;
  interval = g_settings_get_uint (self->settings, "autosave-interval");
  self->autosave_timeout_id = g_timeout_add_seconds (MAX (interval, 1), autosave_tick, self);
}

void
ab_window_autosave_stop (AbWindow *self)
{
  g_clear_handle_id (&self->autosave_timeout_id, g_source_remove);
}

void
ab_window_autosave_remove (AbWindow *self)
{
  g_autofree char *design_path = NULL;
  g_autofree char *info_path = NULL;

  self->autosave_dirty = FALSE;
  if (self->autosave_path == NULL)
    return;
  autosave_paths (self, &design_path, &info_path);
  g_remove (design_path);
  g_remove (info_path);
}

void
ab_window_autosave_changed (AbWindow *self)
{
  if (ab_window_is_modified (self))
    self->autosave_dirty = TRUE;
  else
    ab_window_autosave_remove (self);
}
