/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbApplication: app-wide actions (quit, about, preferences, shortcuts),
 * the command line, colour scheme, per-problem progress and the offer to
 * restore autosaved designs after a crash. */
#define G_LOG_DOMAIN "archboard"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ab-a11y.h"
#include "ab-app-resources.h"
#include "ab-application.h"
#include "ab-design.h"
#include "ab-preferences.h"
#include "ab-window.h"

struct _AbApplication
{
  AdwApplication parent_instance;

  GSettings *settings;
  /* Autosave files left by a previous run, found at startup. */
  GPtrArray *orphans;
  gboolean   recovery_offered;
};

G_DEFINE_FINAL_TYPE (AbApplication, ab_application, ADW_TYPE_APPLICATION)

static const char * const autosave_ext = ".archboard";

static void
apply_style (AbApplication *self)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  g_autofree char *style = g_settings_get_string (self->settings, "style");

  if (g_strcmp0 (style, "light") == 0)
    adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  else if (g_strcmp0 (style, "dark") == 0)
    adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  else
    adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
}

static void
on_style_changed (GSettings     *settings,
                  const char    *key,
                  AbApplication *self)
{
  apply_style (self);
}

char *
ab_application_get_autosave_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "archboard", "autosave", NULL);
}

static GPtrArray *
find_orphans (void)
{
  g_autofree char *dir_path = ab_application_get_autosave_dir ();
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    return found;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, autosave_ext))
      g_ptr_array_add (found, g_build_filename (dir_path, name, NULL));
  g_ptr_array_sort (found, (GCompareFunc) g_strcmp0);
  return found;
}

/* The .info key file beside an autosave file remembers where the design
 * was saved before, so a restored design saves back to the same place. */
static GFile *
orphan_original_file (const char *autosave_path)
{
  g_autofree char *base = g_strndup (autosave_path, strlen (autosave_path) - strlen (autosave_ext));
  g_autofree char *info_path = g_strconcat (base, ".info", NULL);
  g_autoptr(GKeyFile) info = g_key_file_new ();
  g_autofree char *uri = NULL;

  if (!g_key_file_load_from_file (info, info_path, G_KEY_FILE_NONE, NULL))
    return NULL;
  uri = g_key_file_get_string (info, "autosave", "uri", NULL);
  if (uri == NULL || *uri == '\0')
    return NULL;
  return g_file_new_for_uri (uri);
}

static void
remove_orphan (const char *autosave_path)
{
  g_autofree char *base = g_strndup (autosave_path, strlen (autosave_path) - strlen (autosave_ext));
  g_autofree char *info_path = g_strconcat (base, ".info", NULL);

  g_remove (autosave_path);
  g_remove (info_path);
}

static AbWindow *
find_empty_window (AbApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (AB_IS_WINDOW (l->data) && ab_window_is_empty (AB_WINDOW (l->data)))
      return AB_WINDOW (l->data);
  return NULL;
}

static AbWindow *
empty_or_new_window (AbApplication *self)
{
  AbWindow *window = find_empty_window (self);

  if (window == NULL)
    window = ab_window_new (self);
  return window;
}

static void
on_recovery_response (AdwMessageDialog *dialog,
                      const char       *response,
                      AbApplication    *self)
{
  g_autoptr(GPtrArray) orphans = g_steal_pointer (&self->orphans);
  gboolean restore = g_strcmp0 (response, "restore") == 0;
  guint restored = 0;

  for (guint i = 0; i < orphans->len; i++)
    {
      const char *path = g_ptr_array_index (orphans, i);

      if (restore)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(AbDesign) design = ab_design_load_from_file (path, &error);

          if (design == NULL)
            {
              g_warning ("Could not restore %s: %s", path, error->message);
              continue;
            }
          else
            {
              g_autoptr(GFile) original = orphan_original_file (path);
              AbWindow *window = empty_or_new_window (self);

              gboolean copied = ab_window_restore_design (window, design, original);

              gtk_window_present (GTK_WINDOW (window));
              restored++;
              /* Kept until the restored design has a copy of its own. */
              if (!copied)
                continue;
            }
        }
      remove_orphan (path);
    }

  if (restore && restored == 0)
    ab_application_show_browser (self);
}

static void
offer_recovery (AbApplication *self,
                GtkWindow     *parent)
{
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;

  if (self->recovery_offered)
    return;
  self->recovery_offered = TRUE;
  if (self->orphans == NULL || self->orphans->len == 0)
    return;

  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Archboard did not close properly. %u design had unsaved changes.",
                                       "Archboard did not close properly. %u designs had unsaved changes.",
                                       self->orphans->len),
                          self->orphans->len);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Restore Unsaved Designs?"), body));
  adw_message_dialog_add_responses (dialog,
                                    "discard", _("_Discard"),
                                    "restore", _("_Restore"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "restore", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "restore");
  adw_message_dialog_set_close_response (dialog, "restore");
  g_signal_connect (dialog, "response", G_CALLBACK (on_recovery_response), self);
  ab_a11y_name_mnemonic_buttons (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  AbApplication *self = user_data;
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Each window asks about its own unsaved changes; the application ends
   * when the last window is gone. */
  for (GList *l = windows; l; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  AbApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "The Archboard authors", NULL };

  adw_show_about_window (parent,
                         "application-name", _("Archboard"),
                         "application-icon", APP_ID,
                         "developer-name", _("The Archboard authors"),
                         "version", PACKAGE_VERSION,
                         "comments", _("Practise system design by drawing it"),
                         "website", "https://github.com/archboard/archboard",
                         "issue-url", "https://github.com/archboard/archboard/issues",
                         "developers", developers,
                         /* Translators: your names, one a line */
                         "translator-credits", _("translator-credits"),
                         "copyright", "© 2026 The Archboard authors",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         NULL);
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  AbApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  AbPreferences *preferences = ab_preferences_new (parent, self->settings);

  gtk_window_present (GTK_WINDOW (preferences));
}

static void
shortcuts_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  AbApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.show-help-overlay", NULL);
}

static void
new_window_activated (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  ab_application_show_browser (AB_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "about", about_activated },
  { "preferences", preferences_activated },
  { "shortcuts", shortcuts_activated },
  { "new-window", new_window_activated },
};

/* Keys that text fields also use (Ctrl+C, Delete, Ctrl+Z, ...) are not
 * application accelerators, which would take them from the fields: the
 * window handles them when the focused widget did not (ab-window-actions.c). */
static const struct {
  const char *action;
  const char *accels[3];
} accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "win.show-help-overlay", { "<Control>question", NULL } },
  { "win.new", { "<Control>n", NULL } },
  { "win.open", { "<Control>o", NULL } },
  { "win.save", { "<Control>s", NULL } },
  { "win.save-as", { "<Shift><Control>s", NULL } },
  { "win.export", { "<Control>e", NULL } },
  { "win.arrange", { "<Shift><Control>l", NULL } },
  { "win.present", { "F5", NULL } },
  { "win.present-reference", { "<Shift>F5", NULL } },
  { "win.close", { "<Control>w", NULL } },
  { "win.zoom-in", { "<Control>plus", "<Control>equal", NULL } },
  { "win.zoom-out", { "<Control>minus", NULL } },
  { "win.zoom-reset", { "<Control>1", NULL } },
  { "win.zoom-fit", { "<Control>0", NULL } },
  { "win.zoom-selection", { "<Control>2", NULL } },
  { "win.rename", { "F2", NULL } },
  { "win.connect", { "<Control>k", NULL } },
  { "win.show-problem", { "F9", NULL } },
  { "win.show-checks", { "<Shift>F9", NULL } },
  { "win.find-component", { "<Control>f", NULL } },
};

static void
ab_application_startup (GApplication *app)
{
  AbApplication *self = AB_APPLICATION (app);

  G_APPLICATION_CLASS (ab_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                           accels[i].action, accels[i].accels);

  self->settings = g_settings_new (APP_ID);
  g_signal_connect (self->settings, "changed::style", G_CALLBACK (on_style_changed), self);
  apply_style (self);

  self->orphans = find_orphans ();
}

static void
ab_application_activate (GApplication *app)
{
  AbApplication *self = AB_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      ab_application_show_browser (self);
      window = gtk_application_get_active_window (GTK_APPLICATION (app));
    }
  else
    gtk_window_present (window);
  offer_recovery (self, window);
}

static int
ab_application_command_line (GApplication            *app,
                             GApplicationCommandLine *command_line)
{
  AbApplication *self = AB_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  const char *problem_id = NULL;
  g_autofree const char **files = NULL;
  GtkWindow *window;

  g_variant_dict_lookup (options, "problem", "&s", &problem_id);
  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &files);

  if (problem_id != NULL)
    {
      AbProblem *problem = ab_problem_set_lookup (ab_problem_set_get_default (), problem_id);

      if (problem == NULL)
        {
          g_application_command_line_printerr (command_line,
                                               _("Unknown problem “%s”; “archboard-cli list” shows them all\n"),
                                               problem_id);
          return 1;
        }
      ab_application_open_problem (self, problem, NULL);
    }

  for (guint i = 0; files != NULL && files[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (command_line, files[i]);

      ab_application_open_file (self, file, NULL);
    }

  if (problem_id == NULL && (files == NULL || files[0] == NULL))
    g_application_activate (app);
  else
    {
      window = gtk_application_get_active_window (GTK_APPLICATION (app));
      if (window != NULL)
        offer_recovery (self, window);
    }

  return 0;
}

static void
ab_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  AbApplication *self = AB_APPLICATION (app);

  for (int i = 0; i < n_files; i++)
    ab_application_open_file (self, files[i], NULL);
  if (gtk_application_get_active_window (GTK_APPLICATION (app)) != NULL)
    offer_recovery (self, gtk_application_get_active_window (GTK_APPLICATION (app)));
}

static int
ab_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("archboard %s\n", PACKAGE_VERSION);
      return 0;
    }
  /* Without this, GTK prints a bare warning and GtkApplication aborts. */
  if (!gtk_init_check ())
    {
      g_printerr (_("archboard: no graphical display could be opened (is DISPLAY or WAYLAND_DISPLAY set?); "
                    "archboard-cli works without one.\n"));
      return 1;
    }
  return -1;
}

static void
ab_application_dispose (GObject *object)
{
  AbApplication *self = AB_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->orphans, g_ptr_array_unref);

  G_OBJECT_CLASS (ab_application_parent_class)->dispose (object);
}

static void
ab_application_class_init (AbApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  /* archboard-app is a static library: referencing the resource links it
   * in, and its constructor registers it. */
  g_assert (ab_app_get_resource () != NULL);

  object_class->dispose = ab_application_dispose;
  app_class->startup = ab_application_startup;
  app_class->activate = ab_application_activate;
  app_class->command_line = ab_application_command_line;
  app_class->open = ab_application_open;
  app_class->handle_local_options = ab_application_handle_local_options;
}

static void
ab_application_init (AbApplication *self)
{
  static const GOptionEntry entries[] = {
    { "problem", 'p', 0, G_OPTION_ARG_STRING, NULL,
      N_("Start a new design for the problem with this id"), N_("ID") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Print the version and exit"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL,
      NULL, N_("[FILE.archboard…]") },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[FILE.archboard…]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Practise system design by drawing it."));
}

AbApplication *
ab_application_new (void)
{
  return g_object_new (AB_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/archboard/Archboard",
                       NULL);
}

GSettings *
ab_application_get_settings (AbApplication *self)
{
  g_return_val_if_fail (AB_IS_APPLICATION (self), NULL);
  return self->settings;
}

static void
show_load_error (GtkWindow   *parent,
                 GFile       *file,
                 const GError *error)
{
  AdwMessageDialog *dialog;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *heading = g_strdup_printf (_("Could Not Open “%s”"), name);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, heading, error->message));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  ab_a11y_name_mnemonic_buttons (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static AbDesign *
load_design (GFile   *file,
             GError **error)
{
  const char *path = g_file_peek_path (file);
  g_autofree char *data = NULL;
  g_autofree char *name = NULL;
  gsize length;

  if (path != NULL)
    return ab_design_load_from_file (path, error);

  /* Not a local file (e.g. dropped from a remote location). */
  if (!g_file_load_contents (file, NULL, &data, &length, NULL, error))
    return NULL;
  name = g_file_get_basename (file);
  return ab_design_load_from_data (data, length, name, error);
}

void
ab_application_open_file (AbApplication *self,
                          GFile         *file,
                          GtkWindow     *parent)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AbDesign) design = NULL;
  AbWindow *window;

  g_return_if_fail (AB_IS_APPLICATION (self));
  g_return_if_fail (G_IS_FILE (file));

  /* Already open: bring that window forward. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      GFile *shown;

      if (!AB_IS_WINDOW (l->data))
        continue;
      shown = ab_window_get_file (AB_WINDOW (l->data));
      if (shown != NULL && g_file_equal (shown, file))
        {
          gtk_window_present (GTK_WINDOW (l->data));
          return;
        }
    }

  design = load_design (file, &error);
  if (design == NULL)
    {
      if (parent == NULL)
        parent = gtk_application_get_active_window (GTK_APPLICATION (self));
      if (parent == NULL)
        {
          ab_application_show_browser (self);
          parent = gtk_application_get_active_window (GTK_APPLICATION (self));
        }
      show_load_error (parent, file, error);
      return;
    }

  if (parent != NULL && AB_IS_WINDOW (parent) && ab_window_is_empty (AB_WINDOW (parent)))
    window = AB_WINDOW (parent);
  else
    window = empty_or_new_window (self);
  ab_window_set_design (window, design, file);
  gtk_window_present (GTK_WINDOW (window));
  ab_application_add_recent (file);
}

void
ab_application_add_recent (GFile *file)
{
  g_autofree char *uri = g_file_get_uri (file);
  static const char *groups[] = { "Archboard", NULL };
  GtkRecentData data = {
    .display_name = NULL,
    .description = NULL,
    .mime_type = (char *) "application/x-archboard",
    .app_name = (char *) "Archboard",
    .app_exec = (char *) "archboard %u",
    .groups = (char **) groups,
    .is_private = FALSE,
  };

  gtk_recent_manager_add_full (gtk_recent_manager_get_default (), uri, &data);
}

void
ab_application_open_problem (AbApplication *self,
                             AbProblem     *problem,
                             GtkWindow     *parent)
{
  AbWindow *window;

  g_return_if_fail (AB_IS_APPLICATION (self));
  g_return_if_fail (problem != NULL);

  if (parent != NULL && AB_IS_WINDOW (parent) && ab_window_is_empty (AB_WINDOW (parent)))
    window = AB_WINDOW (parent);
  else
    window = empty_or_new_window (self);
  ab_window_new_design (window, problem);
  gtk_window_present (GTK_WINDOW (window));
  g_settings_set_string (self->settings, "recent-problem", problem->id);
}

void
ab_application_show_browser (AbApplication *self)
{
  AbWindow *window;

  g_return_if_fail (AB_IS_APPLICATION (self));

  window = find_empty_window (self);
  if (window == NULL)
    window = ab_window_new (self);
  ab_window_show_browser (window);
  gtk_window_present (GTK_WINDOW (window));
}

void
ab_application_record_progress (AbApplication *self,
                                const char    *problem_id,
                                guint          passed,
                                guint          total)
{
  g_autoptr(GVariant) old = NULL;
  GVariantBuilder builder;
  GVariantIter iter;
  const char *id;
  guint old_passed, old_total;
  gboolean found = FALSE;

  g_return_if_fail (AB_IS_APPLICATION (self));
  g_return_if_fail (problem_id != NULL);

  if (ab_application_get_progress (self, problem_id, &old_passed, &old_total) &&
      old_total == total && old_passed >= passed)
    return;

  old = g_settings_get_value (self->settings, "progress");
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{s(uu)}"));
  g_variant_iter_init (&iter, old);
  while (g_variant_iter_next (&iter, "{&s(uu)}", &id, &old_passed, &old_total))
    {
      if (g_strcmp0 (id, problem_id) == 0)
        {
          found = TRUE;
          if (old_total == total && old_passed > passed)
            passed = old_passed;
          g_variant_builder_add (&builder, "{s(uu)}", id, passed, total);
        }
      else
        g_variant_builder_add (&builder, "{s(uu)}", id, old_passed, old_total);
    }
  if (!found)
    g_variant_builder_add (&builder, "{s(uu)}", problem_id, passed, total);
  g_settings_set_value (self->settings, "progress", g_variant_builder_end (&builder));
}

gboolean
ab_application_get_progress (AbApplication *self,
                             const char    *problem_id,
                             guint         *passed,
                             guint         *total)
{
  g_autoptr(GVariant) progress = NULL;
  GVariantIter iter;
  const char *id;
  guint p, t;

  g_return_val_if_fail (AB_IS_APPLICATION (self), FALSE);

  progress = g_settings_get_value (self->settings, "progress");
  g_variant_iter_init (&iter, progress);
  while (g_variant_iter_next (&iter, "{&s(uu)}", &id, &p, &t))
    if (g_strcmp0 (id, problem_id) == 0)
      {
        *passed = p;
        *total = t;
        return TRUE;
      }
  return FALSE;
}
