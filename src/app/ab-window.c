/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbWindow: the document window.  This file holds the class, the template,
 * switching between the start view and the editor, and the title; actions,
 * drag and drop, and files live in ab-window-{actions,dnd,files}.c. */
#define G_LOG_DOMAIN "archboard"

#include "config.h"

#include <glib/gi18n.h>

#include "ab-a11y.h"
#include "ab-window-private.h"

G_DEFINE_FINAL_TYPE (AbWindow, ab_window, ADW_TYPE_APPLICATION_WINDOW)

char *
ab_window_dup_display_name (AbWindow *self)
{
  if (self->file != NULL)
    return g_file_get_basename (self->file);
  if (self->restored)
    return g_strdup (_("Recovered Design"));
  if (self->design != NULL && g_object_get_data (G_OBJECT (self->design), "ab-reference") != NULL)
    return g_strdup (_("Reference Solution"));
  return g_strdup (_("Unsaved Design"));
}

gboolean
ab_window_is_modified (AbWindow *self)
{
  g_return_val_if_fail (AB_IS_WINDOW (self), FALSE);

  if (self->design == NULL)
    return FALSE;
  return self->restored || ab_design_is_modified (self->design);
}

void
ab_window_update_title (AbWindow *self)
{
  g_autofree char *name = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *title = NULL;
  const char *heading;

  if (self->design == NULL)
    {
      adw_window_title_set_title (self->window_title, _("Archboard"));
      adw_window_title_set_subtitle (self->window_title, _("Choose a Problem"));
      gtk_window_set_title (GTK_WINDOW (self), _("Archboard"));
      return;
    }

  name = ab_window_dup_display_name (self);
  if (self->problem != NULL)
    heading = self->problem->title;
  else if (ab_design_get_title (self->design) != NULL && *ab_design_get_title (self->design))
    heading = ab_design_get_title (self->design);
  else
    heading = _("Design");

  if (ab_window_is_modified (self))
    subtitle = g_strdup_printf ("• %s", name);
  else
    subtitle = g_strdup (name);
  adw_window_title_set_title (self->window_title, heading);
  adw_window_title_set_subtitle (self->window_title, subtitle);

  /* Translators: window title: "file name — problem title" */
  title = g_strdup_printf (_("%s — %s"), subtitle, heading);
  gtk_window_set_title (GTK_WINDOW (self), title);
}

void
ab_window_set_file (AbWindow *self,
                    GFile    *file)
{
  g_set_object (&self->file, file);
  ab_document_set_file (self->document, file);
  ab_window_update_title (self);
}

static void
on_design_changed (AbDesign *design,
                   AbWindow *self)
{
  ab_window_update_title (self);
  ab_window_update_actions (self);
  ab_window_autosave_changed (self);
}

static void
on_selection_changed (AbCanvas *canvas,
                      AbWindow *self)
{
  g_auto(GStrv) selection = ab_canvas_get_selection (canvas);

  ab_inspector_set_selection (self->inspector, (const char * const *) selection);
  ab_window_update_actions (self);
}

/* The right pane's split: the inspector's form when something is
 * selected, else the checks (see ab-window.ui). */
static void
on_inspector_n_selected (AbInspector *inspector,
                         GParamSpec  *pspec,
                         AbWindow    *self)
{
  guint n_selected = 0;

  g_object_get (inspector, "n-selected", &n_selected, NULL);
  gtk_widget_set_vexpand (GTK_WIDGET (self->inspector), n_selected > 0);
  gtk_widget_set_size_request (GTK_WIDGET (self->inspector), -1, n_selected > 0 ? 200 : -1);
  gtk_widget_set_vexpand (GTK_WIDGET (self->checks_panel), n_selected == 0);
}

static void
on_activate_item (AbCanvas   *canvas,
                  const char *id,
                  AbWindow   *self)
{
  adw_flap_set_reveal_flap (self->right_flap, TRUE);
  ab_inspector_focus (self->inspector);
}

static void
on_canvas_message (AbCanvas   *canvas,
                   const char *text,
                   AbWindow   *self)
{
  ab_window_add_toast (self, text);
}

static void
on_kind_activated (AbPalette *palette,
                   int        kind,
                   AbWindow  *self)
{
  if (self->design == NULL)
    return;
  ab_canvas_add_component (self->canvas, (AbKind) kind);
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
}

static void
on_problem_activated (AbProblemBrowser *browser,
                      AbProblem        *problem,
                      AbWindow         *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  ab_application_open_problem (AB_APPLICATION (app), problem, GTK_WINDOW (self));
}

static void
on_file_activated (AbProblemBrowser *browser,
                   GFile            *file,
                   AbWindow         *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  ab_application_open_file (AB_APPLICATION (app), file, GTK_WINDOW (self));
}

static void
on_open_requested (AbProblemBrowser *browser,
                   AbWindow         *self)
{
  ab_window_open_dialog (self);
}

static void
on_open_reference (AbProblemPanel *panel,
                   AbDesign       *reference,
                   AbWindow       *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  AbWindow *window = ab_window_new (AB_APPLICATION (app));

  ab_window_set_design (window, reference, NULL);
  gtk_window_present (GTK_WINDOW (window));
}

static void
on_report_changed (AbChecksPanel *panel,
                   guint          passed,
                   guint          total,
                   AbWindow      *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (self->problem == NULL || total == 0 || app == NULL)
    return;
  /* A reference solution opened as a document would count as solved:
   * only the learner's own designs earn progress. */
  if (g_object_get_data (G_OBJECT (self->design), "ab-reference") != NULL)
    return;
  ab_application_record_progress (AB_APPLICATION (app), self->problem->id, passed, total);
}
static gboolean
grab_canvas_focus_idle (gpointer data)
{
  AbWindow *self = data;

  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
  return G_SOURCE_REMOVE;
}

static void
focus_canvas_when_mapped (AbWindow *self)
{
  g_signal_handlers_disconnect_by_func (self, focus_canvas_when_mapped, self);
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, grab_canvas_focus_idle,
                   g_object_ref (self), g_object_unref);
}


static void
show_editor (AbWindow  *self,
             AbDesign  *design,
             GFile     *file,
             gboolean   restored)
{
  AbProblemSet *set = ab_problem_set_get_default ();
  const char *problem_id;

  if (self->design != NULL)
    {
      g_clear_signal_handler (&self->design_changed_id, self->design);
      ab_window_autosave_remove (self);
    }
  g_set_object (&self->design, design);
  g_set_object (&self->file, file);
  self->restored = restored;

  problem_id = ab_design_get_problem_id (design);
  g_clear_pointer (&self->problem, ab_problem_unref);
  if (problem_id != NULL && set != NULL)
    {
      AbProblem *problem = ab_problem_set_lookup (set, problem_id);

      if (problem != NULL)
        self->problem = ab_problem_ref (problem);
    }

  self->design_changed_id = g_signal_connect (design, "changed",
                                              G_CALLBACK (on_design_changed), self);

  /* the canvas and the panels follow the document */
  ab_document_set (self->document, design, self->problem, file);

  gtk_stack_set_visible_child_name (self->main_stack, "editor");
  gtk_widget_set_visible (self->editor_start_box, TRUE);
  gtk_widget_set_visible (self->editor_end_box, TRUE);
  ab_window_update_title (self);
  ab_window_update_actions (self);
  ab_window_autosave_start (self);
  if (restored)
    ab_window_autosave_changed (self);

  if (ab_design_get_n_components (design) > 0)
    ab_canvas_zoom_to_fit_readable (self->canvas);
  /* Before the window is shown, GtkWindow's initial focus move would pass
   * through a focused canvas and select its first component: focus the
   * canvas once the window is up instead. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
  else
    g_signal_connect_object (self, "map", G_CALLBACK (focus_canvas_when_mapped), self,
                             G_CONNECT_AFTER);
}

static gboolean
ab_window_close_request (GtkWindow *window)
{
  AbWindow *self = AB_WINDOW (window);

  if (!self->close_confirmed && ab_window_is_modified (self))
    {
      ab_window_confirm_close (self);
      return TRUE;
    }

  if (!gtk_window_is_maximized (window))
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_set (self->settings, "window-size", "(ii)", width, height);
    }
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  ab_window_save_results (self);

  ab_window_autosave_stop (self);
  ab_window_autosave_remove (self);

  return GTK_WINDOW_CLASS (ab_window_parent_class)->close_request (window);
}

static void
ab_window_dispose (GObject *object)
{
  AbWindow *self = AB_WINDOW (object);

  ab_window_autosave_stop (self);
  if (self->document != NULL)
    ab_document_set (self->document, NULL, NULL, NULL);
  if (self->design != NULL)
    g_clear_signal_handler (&self->design_changed_id, self->design);
  g_clear_object (&self->design);
  g_clear_object (&self->file);
  g_clear_pointer (&self->problem, ab_problem_unref);
  g_clear_object (&self->settings);
  if (self->results_settle_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->results_split), self->results_settle_id);
  self->results_settle_id = 0;
  g_clear_handle_id (&self->results_save_id, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), AB_TYPE_WINDOW);
  g_clear_object (&self->document);

  G_OBJECT_CLASS (ab_window_parent_class)->dispose (object);
}

static void
ab_window_finalize (GObject *object)
{
  AbWindow *self = AB_WINDOW (object);

  g_free (self->autosave_path);

  G_OBJECT_CLASS (ab_window_parent_class)->finalize (object);
}

static void
ab_window_class_init (AbWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ab_window_dispose;
  object_class->finalize = ab_window_finalize;
  window_class->close_request = ab_window_close_request;

  g_type_ensure (AB_TYPE_CANVAS);
  g_type_ensure (AB_TYPE_CHECKS_PANEL);
  g_type_ensure (AB_TYPE_INSPECTOR);
  g_type_ensure (AB_TYPE_PALETTE);
  g_type_ensure (AB_TYPE_PROBLEM_BROWSER);
  g_type_ensure (AB_TYPE_PROBLEM_PANEL);
  g_type_ensure (AB_TYPE_RESULTS_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/archboard/Archboard/ab-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AbWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AbWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, AbWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, AbWindow, editor_start_box);
  gtk_widget_class_bind_template_child (widget_class, AbWindow, editor_end_box);
  gtk_widget_class_bind_template_child (widget_class, AbWindow, undo_button);
  gtk_widget_class_bind_template_child (widget_class, AbWindow, redo_button);
  gtk_widget_class_bind_template_child (widget_class, AbWindow, left_toggle);
  gtk_widget_class_bind_template_child (widget_class, AbWindow, right_toggle);
  gtk_widget_class_bind_template_child (widget_class, AbWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, AbWindow, browser);
  gtk_widget_class_bind_template_child (widget_class, AbWindow, left_flap);
  gtk_widget_class_bind_template_child (widget_class, AbWindow, right_flap);
  gtk_widget_class_bind_template_child (widget_class, AbWindow, problem_panel);
  gtk_widget_class_bind_template_child (widget_class, AbWindow, palette);
  gtk_widget_class_bind_template_child (widget_class, AbWindow, canvas);
  gtk_widget_class_bind_template_child (widget_class, AbWindow, checks_panel);
  gtk_widget_class_bind_template_child (widget_class, AbWindow, inspector);
  gtk_widget_class_bind_template_child (widget_class, AbWindow, results_panel);
  gtk_widget_class_bind_template_child (widget_class, AbWindow, results_split);
  gtk_widget_class_bind_template_callback (widget_class, on_selection_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_activate_item);
  gtk_widget_class_bind_template_callback (widget_class, on_inspector_n_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_canvas_message);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_problem_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_file_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_open_requested);
  gtk_widget_class_bind_template_callback (widget_class, on_open_reference);
  gtk_widget_class_bind_template_callback (widget_class, on_report_changed);
}

static void
ab_window_init (AbWindow *self)
{
  int width, height;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* "_Save" read as "Save", not "_Save Save" */
  ab_a11y_name_mnemonic_buttons (GTK_WIDGET (self));
  on_inspector_n_selected (self->inspector, NULL, self);

  self->document = ab_document_new ();
  ab_canvas_set_document (self->canvas, self->document);
  g_object_set (self->checks_panel, "document", self->document, NULL);
  g_object_set (self->problem_panel, "document", self->document, NULL);
  g_object_set (self->palette, "document", self->document, NULL);
  g_object_set (self->inspector, "document", self->document, NULL);
  ab_panel_set_document (AB_PANEL (self->results_panel), self->document);
  ab_window_init_sim (self);

  self->settings = g_settings_new (APP_ID);
  g_settings_get (self->settings, "window-size", "(ii)", &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  ab_problem_browser_set_settings (self->browser, self->settings);

  ab_window_init_results (self);

  ab_window_init_actions (self);
  ab_window_init_dnd (self);
  ab_window_show_browser (self);
}

AbWindow *
ab_window_new (AbApplication *application)
{
  return g_object_new (AB_TYPE_WINDOW, "application", application, NULL);
}

void
ab_window_show_browser (AbWindow *self)
{
  g_return_if_fail (AB_IS_WINDOW (self));

  /* Only an untouched window turns back into the start view. */
  if (self->design != NULL && !ab_window_is_empty (self))
    return;

  if (self->design != NULL)
    {
      g_clear_signal_handler (&self->design_changed_id, self->design);
      ab_window_autosave_stop (self);
      ab_window_autosave_remove (self);
      ab_document_set (self->document, NULL, NULL, NULL);
      g_clear_object (&self->design);
      g_clear_object (&self->file);
      g_clear_pointer (&self->problem, ab_problem_unref);
    }

  gtk_stack_set_visible_child_name (self->main_stack, "browser");
  gtk_widget_set_visible (self->editor_start_box, FALSE);
  gtk_widget_set_visible (self->editor_end_box, FALSE);
  ab_window_update_title (self);
  ab_window_update_actions (self);
  ab_problem_browser_focus_search (self->browser);
}

void
ab_window_new_design (AbWindow  *self,
                      AbProblem *problem)
{
  g_autoptr(AbDesign) design = NULL;

  g_return_if_fail (AB_IS_WINDOW (self));
  g_return_if_fail (problem != NULL);

  design = ab_design_new (problem->id);
  show_editor (self, design, NULL, FALSE);
}

void
ab_window_set_design (AbWindow *self,
                      AbDesign *design,
                      GFile    *file)
{
  g_return_if_fail (AB_IS_WINDOW (self));
  g_return_if_fail (AB_IS_DESIGN (design));

  show_editor (self, design, file, FALSE);
}

gboolean
ab_window_restore_design (AbWindow *self,
                          AbDesign *design,
                          GFile    *original)
{
  g_return_val_if_fail (AB_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (AB_IS_DESIGN (design), FALSE);

  show_editor (self, design, original, TRUE);
  return ab_window_autosave_now (self);
}

gboolean
ab_window_is_empty (AbWindow *self)
{
  g_return_val_if_fail (AB_IS_WINDOW (self), FALSE);

  if (self->design == NULL)
    return TRUE;
  return self->file == NULL &&
         !ab_window_is_modified (self) &&
         !ab_design_can_undo (self->design) &&
         ab_design_get_n_components (self->design) == 0;
}

GFile *
ab_window_get_file (AbWindow *self)
{
  g_return_val_if_fail (AB_IS_WINDOW (self), NULL);
  return self->file;
}

AbDesign *
ab_window_get_design (AbWindow *self)
{
  g_return_val_if_fail (AB_IS_WINDOW (self), NULL);
  return self->design;
}

AbProblem *
ab_window_get_problem (AbWindow *self)
{
  g_return_val_if_fail (AB_IS_WINDOW (self), NULL);
  return self->problem;
}

void
ab_window_add_toast (AbWindow   *self,
                     const char *text)
{
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  g_return_if_fail (AB_IS_WINDOW (self));

  /* Toast titles are Pango markup in libadwaita 1.2. */
  escaped = g_markup_escape_text (text, -1);
  toast = adw_toast_new (escaped);
  /* A plain title is one ellipsized line: an explanation ("A client
   * cannot call a primary database: clients call … Put a …") would lose
   * its end, the part that says what to do.  The text wraps instead, and
   * stays long enough to be read (about 20 characters a second). */
  if (g_utf8_strlen (text, -1) > 60)
    {
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 70);
      gtk_label_set_width_chars (GTK_LABEL (label), 40);
      gtk_label_set_xalign (GTK_LABEL (label), 0.0);
      adw_toast_set_custom_title (toast, label);
      adw_toast_set_timeout (toast, (guint) CLAMP (4 + g_utf8_strlen (text, -1) / 20, 4, 15));
    }
  else
    adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
