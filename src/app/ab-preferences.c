/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbPreferences: binds the preference rows to the application's GSettings. */
#define G_LOG_DOMAIN "archboard"

#include "config.h"

#include <glib/gi18n.h>

#include "ab-a11y.h"
#include "ab-preferences.h"

struct _AbPreferences
{
  AdwPreferencesWindow parent_instance;

  AdwComboRow *style_row;
  GtkSwitch   *autosave_switch;
  GtkWidget   *reset_progress_button;

  GSettings   *settings;
};

G_DEFINE_FINAL_TYPE (AbPreferences, ab_preferences, ADW_TYPE_PREFERENCES_WINDOW)

static const char * const styles[] = { "system", "light", "dark" };

static void
on_style_selected (AdwComboRow   *row,
                   GParamSpec    *pspec,
                   AbPreferences *self)
{
  guint selected = adw_combo_row_get_selected (row);

  if (self->settings != NULL && selected < G_N_ELEMENTS (styles))
    g_settings_set_string (self->settings, "style", styles[selected]);
}

static void
on_progress_reset (AdwMessageDialog *dialog,
                   const char       *response,
                   AbPreferences    *self)
{
  if (g_strcmp0 (response, "reset") == 0)
    {
      g_settings_reset (self->settings, "progress");
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (_("Progress reset")));
    }
}

static void
on_reset_progress_clicked (GtkButton     *button,
                           AbPreferences *self)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Reset Progress?"),
                                                       _("The tiers passed for every problem will be forgotten. Your design files are not touched.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "reset", _("_Reset"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "reset", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_progress_reset), self, 0);
  ab_a11y_name_mnemonic_buttons (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
ab_preferences_dispose (GObject *object)
{
  AbPreferences *self = AB_PREFERENCES (object);

  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), AB_TYPE_PREFERENCES);

  G_OBJECT_CLASS (ab_preferences_parent_class)->dispose (object);
}

static void
ab_preferences_class_init (AbPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ab_preferences_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/archboard/Archboard/ab-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, AbPreferences, style_row);
  gtk_widget_class_bind_template_child (widget_class, AbPreferences, autosave_switch);
  gtk_widget_class_bind_template_child (widget_class, AbPreferences, reset_progress_button);
  gtk_widget_class_bind_template_callback (widget_class, on_style_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_reset_progress_clicked);
}

static void
ab_preferences_init (AbPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  ab_a11y_name_mnemonic_buttons (GTK_WIDGET (self));
}

AbPreferences *
ab_preferences_new (GtkWindow *parent,
                    GSettings *settings)
{
  AbPreferences *self;
  g_autofree char *style = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (AB_TYPE_PREFERENCES, "transient-for", parent, NULL);
  self->settings = g_object_ref (settings);

  style = g_settings_get_string (settings, "style");
  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    if (g_strcmp0 (style, styles[i]) == 0)
      adw_combo_row_set_selected (self->style_row, i);
  g_settings_bind (settings, "autosave", self->autosave_switch, "active", G_SETTINGS_BIND_DEFAULT);

  return self;
}
