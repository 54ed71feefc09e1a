/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbWindow's win.* actions: documents, undo / redo, zoom and the canvas
 * editing commands, and keeping their sensitivity up to date. */
#define G_LOG_DOMAIN "archboard"

#include "config.h"

#include <glib/gi18n.h>

#include "ab-export-dialog.h"
#include "ab-layout.h"
#include "ab-presentation.h"
#include "ab-reference.h"
#include "ab-window-private.h"

static void
new_activated (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  AbWindow *self = user_data;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  /* One design per window: a new design starts in a window of its own. */
  if (ab_window_is_empty (self))
    ab_window_show_browser (self);
  else
    {
      AbWindow *window = ab_window_new (AB_APPLICATION (app));

      ab_window_show_browser (window);
      gtk_window_present (GTK_WINDOW (window));
    }
}

static void
open_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  ab_window_open_dialog (AB_WINDOW (user_data));
}

static void
save_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  ab_window_save (AB_WINDOW (user_data), FALSE);
}

static void
save_as_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  ab_window_save_as (AB_WINDOW (user_data), FALSE);
}

static void
on_exported (AbExportDialog *dialog,
             GFile          *file,
             AbWindow       *self)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *text = g_strdup_printf (_("Exported “%s”"), name);

  ab_window_add_toast (self, text);
}

static void
export_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  AbWindow *self = user_data;
  g_auto(GStrv) selection = NULL;
  g_autofree char *name = NULL;
  AbExportDialog *dialog;

  if (self->design == NULL)
    return;
  selection = ab_canvas_get_selection (self->canvas);
  name = ab_window_dup_display_name (self);
  if (self->file == NULL && self->problem != NULL)
    {
      g_free (name);
      name = g_strdup (self->problem->id);
    }
  dialog = ab_export_dialog_new (GTK_WINDOW (self), self->design,
                                 (const char * const *) selection, name);
  g_signal_connect_object (dialog, "exported", G_CALLBACK (on_exported), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Lays out the selected components (two or more), else the whole
 * design, with Graphviz: one undo step. */
static void
arrange_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  AbWindow *self = user_data;
  g_auto(GStrv) selection = NULL;
  g_autoptr(GPtrArray) components = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  if (self->design == NULL)
    return;
  selection = ab_canvas_get_selection (self->canvas);
  for (guint i = 0; selection != NULL && selection[i] != NULL; i++)
    if (ab_design_find_component (self->design, selection[i]) != NULL)
      g_ptr_array_add (components, selection[i]);
  g_ptr_array_add (components, NULL);
  if (!ab_layout_arrange (self->design,
                          components->len > 2 ? (const char * const *) components->pdata : NULL,
                          &error))
    ab_window_add_toast (self, error->message);
}

static void
present_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  AbWindow *self = user_data;

  if (self->design == NULL)
    return;
  gtk_window_present (GTK_WINDOW (ab_presentation_new (GTK_WINDOW (self), self->design, self->problem)));
}

static void
present_reference_activated (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  AbWindow *self = user_data;
  g_autoptr(AbDesign) reference = NULL;
  g_autoptr(GError) error = NULL;

  if (self->problem == NULL)
    return;
  reference = ab_reference_build_design (self->problem, &error);
  if (reference == NULL)
    {
      ab_window_add_toast (self, error->message);
      return;
    }
  gtk_window_present (GTK_WINDOW (ab_presentation_new (GTK_WINDOW (self), reference, self->problem)));
}

static void
close_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));
}

static void
undo_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  AbWindow *self = user_data;

  if (self->design != NULL)
    ab_design_undo (self->design);
}

static void
redo_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  AbWindow *self = user_data;

  if (self->design != NULL)
    ab_design_redo (self->design);
}

#define CANVAS_ACTION(name, call)                                   \
  static void                                                       \
  name##_activated (GSimpleAction *action,                          \
                    GVariant      *parameter,                       \
                    gpointer       user_data)                       \
  {                                                                 \
    AbWindow *self = user_data;                                     \
    if (self->design != NULL)                                       \
      call (self->canvas);                                          \
  }

CANVAS_ACTION (zoom_in, ab_canvas_zoom_in)
CANVAS_ACTION (zoom_out, ab_canvas_zoom_out)
CANVAS_ACTION (zoom_reset, ab_canvas_zoom_reset)
CANVAS_ACTION (zoom_fit, ab_canvas_zoom_to_fit)
CANVAS_ACTION (zoom_selection, ab_canvas_zoom_to_selection)
CANVAS_ACTION (copy, ab_canvas_copy_selection)
CANVAS_ACTION (paste, ab_canvas_paste)
CANVAS_ACTION (duplicate, ab_canvas_duplicate_selection)
CANVAS_ACTION (delete, ab_canvas_delete_selection)
CANVAS_ACTION (select_all, ab_canvas_select_all)
CANVAS_ACTION (rename, ab_canvas_rename_selection)

static void
connect_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  AbWindow *self = user_data;

  if (self->design == NULL)
    return;
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
  ab_canvas_connect_from_focus (self->canvas);
}

static void
show_problem_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  AbWindow *self = user_data;

  adw_flap_set_reveal_flap (self->left_flap, !adw_flap_get_reveal_flap (self->left_flap));
}

static void
show_checks_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  AbWindow *self = user_data;

  adw_flap_set_reveal_flap (self->right_flap, !adw_flap_get_reveal_flap (self->right_flap));
}

static void
find_component_activated (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  AbWindow *self = user_data;

  adw_flap_set_reveal_flap (self->left_flap, TRUE);
  ab_palette_focus (self->palette);
}

/* Escape in the inspector or the palette's search: back to the diagram. */
static void
focus_canvas_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  AbWindow *self = user_data;

  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
}

static const GActionEntry win_actions[] = {
  { "new", new_activated },
  { "open", open_activated },
  { "save", save_activated },
  { "save-as", save_as_activated },
  { "export", export_activated },
  { "arrange", arrange_activated },
  { "present", present_activated },
  { "present-reference", present_reference_activated },
  { "close", close_activated },
  { "undo", undo_activated },
  { "redo", redo_activated },
  { "zoom-in", zoom_in_activated },
  { "zoom-out", zoom_out_activated },
  { "zoom-reset", zoom_reset_activated },
  { "zoom-fit", zoom_fit_activated },
  { "zoom-selection", zoom_selection_activated },
  { "copy", copy_activated },
  { "paste", paste_activated },
  { "duplicate", duplicate_activated },
  { "delete", delete_activated },
  { "select-all", select_all_activated },
  { "rename", rename_activated },
  { "connect", connect_activated },
  { "show-problem", show_problem_activated },
  { "show-checks", show_checks_activated },
  { "find-component", find_component_activated },
  { "focus-canvas", focus_canvas_activated },
};

/* Shortcuts that only apply when the focused widget (a text field, the
 * rename entry) did not use the key itself: they run in the bubble phase. */
static const struct {
  const char *trigger;
  const char *action;
} editing_shortcuts[] = {
  { "<Control>z", "win.undo" },
  { "<Shift><Control>z", "win.redo" },
  { "<Control>y", "win.redo" },
  { "<Control>c", "win.copy" },
  { "<Control>v", "win.paste" },
  { "<Control>d", "win.duplicate" },
  { "Delete", "win.delete" },
  { "<Control>a", "win.select-all" },
};

void
ab_window_init_actions (AbWindow *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions,
                                   G_N_ELEMENTS (win_actions), self);

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_BUBBLE);
  for (guint i = 0; i < G_N_ELEMENTS (editing_shortcuts); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                          gtk_shortcut_new (gtk_shortcut_trigger_parse_string (editing_shortcuts[i].trigger),
                                                            gtk_named_action_new (editing_shortcuts[i].action)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static void
set_enabled (AbWindow   *self,
             const char *name,
             gboolean    enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

void
ab_window_update_actions (AbWindow *self)
{
  static const char * const editor_actions[] = {
    "save", "save-as", "export", "zoom-in", "zoom-out", "zoom-reset",
    "zoom-fit", "zoom-selection", "paste", "select-all", "connect", "arrange", "present",
    "show-problem", "show-checks", "find-component",
  };
  static const char * const selection_actions[] = {
    "copy", "duplicate", "delete", "rename",
  };
  gboolean editing = self->design != NULL;
  gboolean has_selection = FALSE;
  g_autofree char *undo_tip = NULL;
  g_autofree char *redo_tip = NULL;

  if (editing)
    {
      g_auto(GStrv) selection = ab_canvas_get_selection (self->canvas);

      has_selection = selection != NULL && selection[0] != NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (editor_actions); i++)
    set_enabled (self, editor_actions[i], editing);
  for (guint i = 0; i < G_N_ELEMENTS (selection_actions); i++)
    set_enabled (self, selection_actions[i], has_selection);

  set_enabled (self, "present-reference", editing && self->problem != NULL);
  set_enabled (self, "undo", editing && ab_design_can_undo (self->design));
  set_enabled (self, "redo", editing && ab_design_can_redo (self->design));

  if (editing && ab_design_can_undo (self->design))
    /* Translators: tooltip of the undo button, %s is the step ("Add cache") */
    undo_tip = g_strdup_printf (_("Undo “%s”"), ab_design_get_undo_name (self->design));
  if (editing && ab_design_can_redo (self->design))
    /* Translators: tooltip of the redo button, %s is the step ("Add cache") */
    redo_tip = g_strdup_printf (_("Redo “%s”"), ab_design_get_redo_name (self->design));
  gtk_widget_set_tooltip_text (self->undo_button, undo_tip ? undo_tip : _("Undo"));
  gtk_widget_set_tooltip_text (self->redo_button, redo_tip ? redo_tip : _("Redo"));
}
