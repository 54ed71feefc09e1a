/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbExportDialog: chooses the format and options, then a file, then calls
 * ab_export_to_file (src/render) so an export looks like the canvas. */
#define G_LOG_DOMAIN "archboard"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ab-a11y.h"
#include "ab-export.h"
#include "ab-export-dialog.h"

struct _AbExportDialog
{
  AdwWindow    parent_instance;

  AdwComboRow *format_row;
  AdwComboRow *scale_row;
  AdwComboRow *theme_row;
  AdwComboRow *background_row;
  GtkSpinButton *margin_spin;
  AdwComboRow *content_row;

  AbDesign    *design;
  GStrv        selection;   /* component ids only */
  char        *base_name;
};

G_DEFINE_FINAL_TYPE (AbExportDialog, ab_export_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_EXPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const struct {
  AbExportFormat format;
  const char    *extension;
  const char    *mime_type;
} formats[] = {
  { AB_EXPORT_PNG, "png", "image/png" },
  { AB_EXPORT_SVG, "svg", "image/svg+xml" },
  { AB_EXPORT_PDF, "pdf", "application/pdf" },
};

static const double scales[] = { 1, 2, 4 };

static guint
selected_format (AbExportDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->format_row);

  return MIN (selected, G_N_ELEMENTS (formats) - 1);
}

static void
on_format_changed (AdwComboRow    *row,
                   GParamSpec     *pspec,
                   AbExportDialog *self)
{
  gboolean png = formats[selected_format (self)].format == AB_EXPORT_PNG;

  gtk_widget_set_sensitive (GTK_WIDGET (self->scale_row), png);
}

/* The Background row says what the chosen background does: each choice
 * has its own line, so none reads as if it explained the other. */
static void
on_background_changed (AdwComboRow    *row,
                       GParamSpec     *pspec,
                       AbExportDialog *self)
{
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->background_row),
                               adw_combo_row_get_selected (self->background_row) == 1
                               ? _("No fill: the lines read on any slide")
                               : _("Filled with the theme’s canvas colour"));
}

static void
show_error (AbExportDialog *self,
            const char     *message)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent ? parent : GTK_WINDOW (self),
                                                       _("Could Not Export"), message));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  ab_a11y_name_mnemonic_buttons (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_to (AbExportDialog *self,
           GFile          *file)
{
  AbExportOptions options;
  g_autoptr(GError) error = NULL;
  const char *path = g_file_peek_path (file);
  guint scale = adw_combo_row_get_selected (self->scale_row);

  ab_export_options_init (&options);
  options.format = formats[selected_format (self)].format;
  options.scale = scales[MIN (scale, G_N_ELEMENTS (scales) - 1)];
  options.transparent = adw_combo_row_get_selected (self->background_row) == 1;
  switch (adw_combo_row_get_selected (self->theme_row))
    {
    case 1:
      options.dark = FALSE;
      break;
    case 2:
      options.dark = TRUE;
      break;
    default:
      options.dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
      break;
    }
  options.margin = gtk_spin_button_get_value (self->margin_spin);
  if (adw_combo_row_get_selected (self->content_row) == 1 && self->selection != NULL)
    options.selection = (const char * const *) self->selection;

  if (path == NULL)
    {
      show_error (self, _("Exports can only be written to local folders"));
      return;
    }
  if (!ab_export_to_file (self->design, path, &options, &error))
    {
      show_error (self, error->message);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_EXPORTED], 0, file);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_file_response (GtkNativeDialog *native,
                  int              response,
                  AbExportDialog  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      const char *extension = formats[selected_format (self)].extension;
      g_autofree char *name = file ? g_file_get_basename (file) : NULL;
      g_autofree char *suffix = g_strconcat (".", extension, NULL);

      if (file != NULL && !g_str_has_suffix (name, suffix))
        {
          g_autoptr(GFile) parent = g_file_get_parent (file);
          g_autofree char *full = g_strconcat (name, suffix, NULL);
          GFile *child = g_file_get_child (parent, full);

          g_object_unref (file);
          file = child;
        }
      if (file != NULL)
        export_to (self, file);
    }
  gtk_native_dialog_destroy (native);
  g_object_unref (native);
  g_object_unref (self);
}

static void
on_export_clicked (GtkButton      *button,
                   AbExportDialog *self)
{
  GtkFileChooserNative *native;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  guint format = selected_format (self);
  g_autofree char *name = g_strconcat (self->base_name, ".", formats[format].extension, NULL);
  g_autofree char *pattern = g_strconcat ("*.", formats[format].extension, NULL);

  gtk_file_filter_set_name (filter, adw_combo_row_get_selected_item (self->format_row)
                            ? gtk_string_object_get_string (adw_combo_row_get_selected_item (self->format_row))
                            : formats[format].extension);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_filter_add_mime_type (filter, formats[format].mime_type);

  native = gtk_file_chooser_native_new (_("Export Diagram"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  g_signal_connect (native, "response", G_CALLBACK (on_file_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static void
ab_export_dialog_dispose (GObject *object)
{
  AbExportDialog *self = AB_EXPORT_DIALOG (object);

  g_clear_object (&self->design);
  gtk_widget_dispose_template (GTK_WIDGET (self), AB_TYPE_EXPORT_DIALOG);

  G_OBJECT_CLASS (ab_export_dialog_parent_class)->dispose (object);
}

static void
ab_export_dialog_finalize (GObject *object)
{
  AbExportDialog *self = AB_EXPORT_DIALOG (object);

  g_strfreev (self->selection);
  g_free (self->base_name);

  G_OBJECT_CLASS (ab_export_dialog_parent_class)->finalize (object);
}

static void
ab_export_dialog_class_init (AbExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ab_export_dialog_dispose;
  object_class->finalize = ab_export_dialog_finalize;

  signals[SIGNAL_EXPORTED] =
    g_signal_new ("exported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_FILE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/archboard/Archboard/ab-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AbExportDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, AbExportDialog, scale_row);
  gtk_widget_class_bind_template_child (widget_class, AbExportDialog, theme_row);
  gtk_widget_class_bind_template_child (widget_class, AbExportDialog, background_row);
  gtk_widget_class_bind_template_child (widget_class, AbExportDialog, margin_spin);
  gtk_widget_class_bind_template_child (widget_class, AbExportDialog, content_row);
  gtk_widget_class_bind_template_callback (widget_class, on_format_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_background_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ab_export_dialog_init (AbExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  ab_a11y_name_mnemonic_buttons (GTK_WIDGET (self));
  on_background_changed (self->background_row, NULL, self);
}

AbExportDialog *
ab_export_dialog_new (GtkWindow          *parent,
                      AbDesign           *design,
                      const char * const *selection,
                      const char         *base_name)
{
  AbExportDialog *self;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n_components = 0;

  g_return_val_if_fail (AB_IS_DESIGN (design), NULL);

  self = g_object_new (AB_TYPE_EXPORT_DIALOG, "transient-for", parent, NULL);
  self->design = g_object_ref (design);
  self->base_name = g_strdup (base_name && *base_name ? base_name : "design");
  if (g_str_has_suffix (self->base_name, ".archboard"))
    self->base_name[strlen (self->base_name) - strlen (".archboard")] = '\0';

  for (guint i = 0; selection != NULL && selection[i] != NULL; i++)
    if (ab_design_find_component (design, selection[i]) != NULL)
      {
        g_strv_builder_add (builder, selection[i]);
        n_components++;
      }
  if (n_components > 0)
    {
      self->selection = g_strv_builder_end (builder);
      adw_combo_row_set_selected (self->content_row, 1);
    }
  else
    gtk_widget_set_sensitive (GTK_WIDGET (self->content_row), FALSE);

  return self;
}
