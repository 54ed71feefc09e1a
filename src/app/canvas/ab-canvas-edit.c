/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Text-entry editing on AbCanvas: the inline rename entry laid over a card
 * (AbRenameEntry) and the searchable "Connect to..." popover used from the
 * keyboard (AbConnectPopover); the canvas places them and applies their
 * outcome to the design. */
#define G_LOG_DOMAIN "archboard-canvas"

#include "config.h"

#include <glib/gi18n.h>

#include "ab-canvas-private.h"
#include "ab-connect-popover.h"
#include "ab-rename-entry.h"

/* ---- inline rename ---- */

static void
on_rename_done (AbRenameEntry *entry,
                const char    *id,
                const char    *text,
                gboolean       commit,
                AbCanvas      *self)
{
  gboolean had_focus = gtk_widget_get_focus_child (GTK_WIDGET (self)) == self->rename_entry;

  g_clear_pointer (&self->rename_id, g_free);
  ab_canvas_update_actions (self);

  if (commit && self->design != NULL)
    {
      const AbComponent *component = ab_design_find_component (self->design, id);

      if (component != NULL && text[0] != '\0' && g_strcmp0 (text, component->label) != 0)
        ab_design_rename_component (self->design, id, text);
    }

  gtk_widget_set_visible (self->rename_entry, FALSE);
  if (had_focus)
    {
      if (ab_canvas_get_item (self, id) != NULL)
        ab_canvas_focus_item (self, id);
      else
        gtk_widget_grab_focus (GTK_WIDGET (self));
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ab_canvas_commit_rename (AbCanvas *self)
{
  if (self->rename_entry != NULL)
    ab_rename_entry_finish (AB_RENAME_ENTRY (self->rename_entry), TRUE);
}

void
ab_canvas_cancel_rename (AbCanvas *self)
{
  if (self->rename_entry != NULL)
    ab_rename_entry_finish (AB_RENAME_ENTRY (self->rename_entry), FALSE);
}

static void
ensure_rename_entry (AbCanvas *self)
{
  if (self->rename_entry != NULL)
    return;

  self->rename_entry = ab_rename_entry_new ();
  gtk_widget_set_visible (self->rename_entry, FALSE);
  gtk_widget_set_parent (self->rename_entry, GTK_WIDGET (self));
  g_signal_connect (self->rename_entry, "done", G_CALLBACK (on_rename_done), self);
}

void
ab_canvas_begin_rename (AbCanvas   *self,
                        const char *id)
{
  const AbComponent *component;

  if (self->design == NULL || (component = ab_design_find_component (self->design, id)) == NULL)
    return;
  if (self->rename_id != NULL)
    ab_canvas_commit_rename (self);

  ensure_rename_entry (self);
  self->rename_id = g_strdup (component->id);
  ab_canvas_update_actions (self);
  ab_canvas_select_only (self, component->id);
  ab_canvas_ensure_visible (self, component->id);
  ab_rename_entry_start (AB_RENAME_ENTRY (self->rename_entry), component->id, component->label);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

/* ---- "Connect to..." popover ---- */

static void
on_connect_chosen (AbConnectPopover *popover,
                   const char       *from,
                   const char       *to,
                   AbCanvas         *self)
{
  ab_canvas_try_connect (self, from, to);
}

static void
on_connect_popover_closed (GtkPopover *popover,
                           AbCanvas   *self)
{
  g_autofree char *from = g_steal_pointer (&self->connect_from);

  ab_canvas_update_actions (self);
  if (from != NULL && ab_canvas_get_item (self, from) != NULL)
    ab_canvas_focus_item (self, from);
}

static void
ensure_connect_popover (AbCanvas *self)
{
  if (self->connect_popover != NULL)
    return;

  self->connect_popover = ab_connect_popover_new ();
  gtk_widget_set_parent (self->connect_popover, GTK_WIDGET (self));
  g_signal_connect (self->connect_popover, "closed", G_CALLBACK (on_connect_popover_closed), self);
  g_signal_connect (self->connect_popover, "chosen", G_CALLBACK (on_connect_chosen), self);
}

void
ab_canvas_open_connect_popover (AbCanvas   *self,
                                const char *from_id)
{
  const AbComponent *from;
  graphene_rect_t r;

  if (self->design == NULL || (from = ab_design_find_component (self->design, from_id)) == NULL)
    return;
  if (ab_design_get_n_components (self->design) < 2)
    {
      ab_canvas_emit_message (self, _("Add another component to connect to"));
      return;
    }

  ensure_connect_popover (self);
  ab_connect_popover_populate (AB_CONNECT_POPOVER (self->connect_popover), self->design, from->id);
  g_free (self->connect_from);
  self->connect_from = g_strdup (from->id);
  ab_canvas_update_actions (self);

  ab_canvas_ensure_visible (self, from->id);
  ab_canvas_component_widget_rect (self, from, &r);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->connect_popover),
                               &(GdkRectangle) { r.origin.x, r.origin.y,
                                                 MAX (1, r.size.width), MAX (1, r.size.height) });
  gtk_popover_popup (GTK_POPOVER (self->connect_popover));
}

void
ab_canvas_close_connect_popover (AbCanvas *self)
{
  if (self->connect_popover != NULL && gtk_widget_get_visible (self->connect_popover))
    gtk_popover_popdown (GTK_POPOVER (self->connect_popover));
  g_clear_pointer (&self->connect_from, g_free);
  ab_canvas_update_actions (self);
}

void
ab_canvas_allocate_popups (AbCanvas *self)
{
  if (self->rename_entry != NULL && gtk_widget_get_visible (self->rename_entry) &&
      self->rename_id != NULL && self->design != NULL)
    {
      const AbComponent *c = ab_design_find_component (self->design, self->rename_id);
      graphene_rect_t r;
      int min_w, min_h, nat_h;
      int w, h;

      if (c != NULL)
        {
          ab_canvas_component_widget_rect (self, c, &r);
          gtk_widget_measure (self->rename_entry, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
          gtk_widget_measure (self->rename_entry, GTK_ORIENTATION_VERTICAL, -1, &min_h, &nat_h, NULL, NULL);
          w = MAX (min_w, (int) r.size.width);
          h = MAX (MAX (min_h, nat_h), (int) r.size.height);
          gtk_widget_size_allocate (self->rename_entry,
                                    &(GtkAllocation) {
                                      r.origin.x + (r.size.width - w) / 2,
                                      r.origin.y + (r.size.height - h) / 2,
                                      w, h
                                    }, -1);
        }
    }

  if (self->connect_popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->connect_popover));
}
