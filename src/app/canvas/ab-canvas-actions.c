/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The keyboard commands of AbCanvas as widget actions ("canvas.delete",
 * "canvas.nudge", ...) with their key bindings.  An action is enabled
 * only when its key would do something, so a key the canvas has no use
 * for at that moment (Escape with nothing selected, Return with nothing
 * to show) goes on to the window; while the inline rename or the
 * "Connect to..." popover is open every action is off, so keys those
 * leave unhandled never become canvas commands.
 *
 * Space (held to pan with the pointer) is not a command: it stays in
 * the "canvas-key" controller of ab-canvas-input.c. */
#define G_LOG_DOMAIN "archboard-canvas"

#include "config.h"

#include "ab-canvas-private.h"

static gboolean
is_editing_text (AbCanvas *self)
{
  return self->rename_id != NULL || self->connect_from != NULL;
}

static gboolean
direction_from_string (const char       *name,
                       GtkDirectionType *direction)
{
  static const struct {
    const char       *name;
    GtkDirectionType  direction;
  } directions[] = {
    { "left", GTK_DIR_LEFT },
    { "right", GTK_DIR_RIGHT },
    { "up", GTK_DIR_UP },
    { "down", GTK_DIR_DOWN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (directions); i++)
    if (g_strcmp0 (name, directions[i].name) == 0)
      {
        *direction = directions[i].direction;
        return TRUE;
      }
  return FALSE;
}

/* canvas.delete: deletes the selection (Delete, BackSpace). */
static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ab_canvas_delete_selection (AB_CANVAS (widget));
}

/* canvas.activate: shows the focused / selected item in the inspector
 * (Return): the canvas emits "activate-item". */
static void
activate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  AbCanvas *self = AB_CANVAS (widget);
  const char *id = ab_canvas_activation_target (self);

  if (id != NULL)
    ab_canvas_emit_activate (self, id);
}

/* canvas.rename: inline rename of the focused / selected component (F2). */
static void
rename_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ab_canvas_rename_selection (AB_CANVAS (widget));
}

/* canvas.connect: "Connect to..." from the focused component (C, Ctrl+K). */
static void
connect_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  ab_canvas_connect_from_focus (AB_CANVAS (widget));
}

/* canvas.cancel: drops a pointer drag in progress, else clears the
 * selection (Escape). */
static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AbCanvas *self = AB_CANVAS (widget);

  if (self->drag_mode != AB_DRAG_NONE)
    ab_canvas_end_drag (self);
  else
    ab_canvas_clear_selection (self);
}

/* canvas.focus-move ("left", "right", "up", "down"): focus the nearest
 * component that way (arrow keys); from the canvas itself, the first
 * item. */
static void
focus_move_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  AbCanvas *self = AB_CANVAS (widget);
  GtkDirectionType direction;
  const char *next = NULL;

  if (!direction_from_string (g_variant_get_string (parameter, NULL), &direction))
    return;
  if (self->focused_id != NULL)
    next = ab_canvas_find_nearest (self, self->focused_id, direction);
  else if (gtk_widget_is_focus (widget))
    {
      gtk_widget_child_focus (widget, GTK_DIR_TAB_FORWARD);
      return;
    }
  if (next != NULL)
    ab_canvas_focus_item (self, next);
}

/* canvas.nudge (dx, dy): moves the selection by whole grid steps
 * (Alt+arrows). */
static void
nudge_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  AbCanvas *self = AB_CANVAS (widget);
  int dx, dy;

  g_variant_get (parameter, "(ii)", &dx, &dy);
  ab_canvas_move_selection_by (self, dx * AB_GRID_SIZE, dy * AB_GRID_SIZE);
  if (self->focused_id != NULL)
    ab_canvas_ensure_visible (self, self->focused_id);
}

void
ab_canvas_update_actions (AbCanvas *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean editing = self->design != NULL && !is_editing_text (self);

  gtk_widget_action_set_enabled (widget, "canvas.delete", editing);
  gtk_widget_action_set_enabled (widget, "canvas.rename", editing);
  gtk_widget_action_set_enabled (widget, "canvas.connect", editing);
  gtk_widget_action_set_enabled (widget, "canvas.nudge", editing);
  gtk_widget_action_set_enabled (widget, "canvas.activate",
                                 editing && ab_canvas_activation_target (self) != NULL);
  gtk_widget_action_set_enabled (widget, "canvas.cancel",
                                 editing && (self->drag_mode != AB_DRAG_NONE ||
                                             g_hash_table_size (self->selection) > 0));
  gtk_widget_action_set_enabled (widget, "canvas.focus-move",
                                 editing && g_hash_table_size (self->items) > 0);
}

static void
add_arrow_bindings (GtkWidgetClass  *widget_class,
                    guint            keyval,
                    guint            kp_keyval,
                    const char      *direction,
                    int              dx,
                    int              dy)
{
  gtk_widget_class_add_binding_action (widget_class, keyval, 0, "canvas.focus-move", "s", direction);
  gtk_widget_class_add_binding_action (widget_class, kp_keyval, 0, "canvas.focus-move", "s", direction);
  gtk_widget_class_add_binding_action (widget_class, keyval, GDK_ALT_MASK, "canvas.nudge", "(ii)", dx, dy);
  gtk_widget_class_add_binding_action (widget_class, kp_keyval, GDK_ALT_MASK, "canvas.nudge", "(ii)", dx, dy);
}

void
ab_canvas_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "canvas.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "canvas.activate", NULL, activate_action);
  gtk_widget_class_install_action (widget_class, "canvas.rename", NULL, rename_action);
  gtk_widget_class_install_action (widget_class, "canvas.connect", NULL, connect_action);
  gtk_widget_class_install_action (widget_class, "canvas.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "canvas.focus-move", "s", focus_move_action);
  gtk_widget_class_install_action (widget_class, "canvas.nudge", "(ii)", nudge_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "canvas.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "canvas.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_BackSpace, 0, "canvas.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "canvas.activate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "canvas.activate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_ISO_Enter, 0, "canvas.activate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0, "canvas.rename", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, 0, "canvas.connect", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, GDK_CONTROL_MASK, "canvas.connect", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "canvas.cancel", NULL);
  add_arrow_bindings (widget_class, GDK_KEY_Left, GDK_KEY_KP_Left, "left", -1, 0);
  add_arrow_bindings (widget_class, GDK_KEY_Right, GDK_KEY_KP_Right, "right", 1, 0);
  add_arrow_bindings (widget_class, GDK_KEY_Up, GDK_KEY_KP_Up, "up", 0, -1);
  add_arrow_bindings (widget_class, GDK_KEY_Down, GDK_KEY_KP_Down, "down", 0, 1);
}
