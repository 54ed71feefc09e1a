/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Text-entry editing on AbCanvas: the inline rename entry laid over a card
 * and the searchable "Connect to..." popover used from the keyboard. */
#define G_LOG_DOMAIN "archboard-canvas"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ab-canvas-private.h"
#include "ab-catalog.h"

/* ---- inline rename ---- */

static void
finish_rename (AbCanvas *self,
               gboolean  commit)
{
  g_autofree char *id = NULL;
  gboolean had_focus;

  if (self->rename_id == NULL || self->rename_entry == NULL)
    return;
  id = g_steal_pointer (&self->rename_id);
  had_focus = gtk_widget_get_focus_child (GTK_WIDGET (self)) == self->rename_entry;

  if (commit && self->design != NULL)
    {
      const AbComponent *component = ab_design_find_component (self->design, id);
      g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->rename_entry))));

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
  finish_rename (self, TRUE);
}

void
ab_canvas_cancel_rename (AbCanvas *self)
{
  finish_rename (self, FALSE);
}

static void
on_rename_activate (GtkEntry *entry,
                    AbCanvas *self)
{
  ab_canvas_commit_rename (self);
}

static gboolean
on_rename_key_pressed (GtkEventControllerKey *controller,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       AbCanvas              *self)
{
  if (keyval != GDK_KEY_Escape)
    return FALSE;
  ab_canvas_cancel_rename (self);
  return TRUE;
}

static void
on_rename_focus_leave (GtkEventControllerFocus *controller,
                       AbCanvas                *self)
{
  /* Clicking elsewhere commits; the window closing does not edit. */
  finish_rename (self, gtk_widget_get_mapped (GTK_WIDGET (self)));
}

static void
ensure_rename_entry (AbCanvas *self)
{
  GtkEventController *controller;

  if (self->rename_entry != NULL)
    return;

  self->rename_entry = gtk_entry_new ();
  gtk_widget_set_name (self->rename_entry, "canvas-rename");
  gtk_widget_add_css_class (self->rename_entry, "rename");
  gtk_widget_set_visible (self->rename_entry, FALSE);
  gtk_widget_set_parent (self->rename_entry, GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->rename_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Component name"),
                                  -1);
  g_signal_connect (self->rename_entry, "activate", G_CALLBACK (on_rename_activate), self);

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_name (controller, "rename-key");
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_rename_key_pressed), self);
  gtk_widget_add_controller (self->rename_entry, controller);

  controller = gtk_event_controller_focus_new ();
  g_signal_connect (controller, "leave", G_CALLBACK (on_rename_focus_leave), self);
  gtk_widget_add_controller (self->rename_entry, controller);
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
  gtk_editable_set_text (GTK_EDITABLE (self->rename_entry), component->label ? component->label : "");
  gtk_widget_set_visible (self->rename_entry, TRUE);
  ab_canvas_select_only (self, component->id);
  ab_canvas_ensure_visible (self, component->id);
  gtk_widget_grab_focus (self->rename_entry);
  gtk_editable_select_region (GTK_EDITABLE (self->rename_entry), 0, -1);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

/* ---- "Connect to..." popover ---- */

static void
on_connect_row_activated (GtkListBox    *list,
                          GtkListBoxRow *row,
                          AbCanvas      *self)
{
  g_autofree char *from = g_strdup (self->connect_from);
  g_autofree char *to = g_strdup (g_object_get_data (G_OBJECT (row), "ab-id"));

  gtk_popover_popdown (GTK_POPOVER (self->connect_popover));
  if (from != NULL && to != NULL)
    ab_canvas_try_connect (self, from, to);
}

static gboolean
connect_row_filter (GtkListBoxRow *row,
                    gpointer       user_data)
{
  AbCanvas *self = user_data;
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->connect_search));
  const char *haystack = g_object_get_data (G_OBJECT (row), "ab-search");
  g_autofree char *needle = NULL;

  if (query == NULL || query[0] == '\0')
    return TRUE;
  needle = g_utf8_casefold (query, -1);
  return haystack != NULL && strstr (haystack, needle) != NULL;
}

static GtkListBoxRow *
first_visible_row (AbCanvas *self)
{
  for (int i = 0; ; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->connect_list), i);

      if (row == NULL)
        return NULL;
      if (gtk_widget_get_child_visible (GTK_WIDGET (row)))
        return row;
    }
}

static void
on_connect_search_changed (GtkSearchEntry *entry,
                           AbCanvas       *self)
{
  gtk_list_box_invalidate_filter (GTK_LIST_BOX (self->connect_list));
}

static void
on_connect_search_activate (GtkSearchEntry *entry,
                            AbCanvas       *self)
{
  GtkListBoxRow *row = first_visible_row (self);

  if (row != NULL)
    g_signal_emit_by_name (self->connect_list, "row-activated", row);
}

static void
on_connect_stop_search (GtkSearchEntry *entry,
                        AbCanvas       *self)
{
  gtk_popover_popdown (GTK_POPOVER (self->connect_popover));
}

static gboolean
on_connect_search_key (GtkEventControllerKey *controller,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       AbCanvas              *self)
{
  GtkListBoxRow *row;

  if (keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down)
    return FALSE;
  row = first_visible_row (self);
  if (row != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (row));
  return TRUE;
}

static void
on_connect_popover_closed (GtkPopover *popover,
                           AbCanvas   *self)
{
  g_autofree char *from = g_steal_pointer (&self->connect_from);

  if (from != NULL && ab_canvas_get_item (self, from) != NULL)
    ab_canvas_focus_item (self, from);
}

static void
ensure_connect_popover (AbCanvas *self)
{
  GtkWidget *box, *scrolled;
  GtkEventController *controller;

  if (self->connect_popover != NULL)
    return;

  self->connect_popover = gtk_popover_new ();
  gtk_widget_set_name (self->connect_popover, "canvas-connect");
  gtk_widget_set_parent (self->connect_popover, GTK_WIDGET (self));
  g_signal_connect (self->connect_popover, "closed", G_CALLBACK (on_connect_popover_closed), self);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_popover_set_child (GTK_POPOVER (self->connect_popover), box);

  self->connect_title = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->connect_title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (self->connect_title), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_add_css_class (self->connect_title, "heading");
  gtk_box_append (GTK_BOX (box), self->connect_title);

  self->connect_search = gtk_search_entry_new ();
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->connect_search),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search components"),
                                  -1);
  g_signal_connect (self->connect_search, "search-changed", G_CALLBACK (on_connect_search_changed), self);
  g_signal_connect (self->connect_search, "activate", G_CALLBACK (on_connect_search_activate), self);
  g_signal_connect (self->connect_search, "stop-search", G_CALLBACK (on_connect_stop_search), self);
  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_connect_search_key), self);
  gtk_widget_add_controller (self->connect_search, controller);
  gtk_box_append (GTK_BOX (box), self->connect_search);

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 320);
  gtk_scrolled_window_set_min_content_width (GTK_SCROLLED_WINDOW (scrolled), 260);
  gtk_box_append (GTK_BOX (box), scrolled);

  self->connect_list = gtk_list_box_new ();
  gtk_widget_add_css_class (self->connect_list, "navigation-sidebar");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->connect_list), GTK_SELECTION_NONE);
  gtk_list_box_set_activate_on_single_click (GTK_LIST_BOX (self->connect_list), TRUE);
  gtk_list_box_set_filter_func (GTK_LIST_BOX (self->connect_list), connect_row_filter, self, NULL);
  g_signal_connect (self->connect_list, "row-activated", G_CALLBACK (on_connect_row_activated), self);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->connect_list);
}

typedef struct {
  const AbComponent *component;
  int                rank;   /* 0 allowed, 1 already connected, 2 refused */
} ConnectCandidate;

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const ConnectCandidate *ca = a, *cb = b;

  if (ca->rank != cb->rank)
    return ca->rank - cb->rank;
  return g_utf8_collate (ca->component->label ? ca->component->label : "",
                         cb->component->label ? cb->component->label : "");
}

static GtkWidget *
make_candidate_row (const ConnectCandidate *candidate)
{
  const AbComponent *c = candidate->component;
  const AbKindInfo *info = ab_catalog_get_kind (ab_catalog_get_default (), c->kind);
  const char *kind = info && info->display_name ? info->display_name : ab_kind_to_string (c->kind);
  GtkWidget *row, *box, *name, *detail;
  g_autofree char *detail_text = NULL;
  g_autofree char *search = NULL;
  g_autofree char *accessible = NULL;

  if (candidate->rank == 1)
    detail_text = g_strdup_printf (_("%s, already connected"), kind);
  else if (candidate->rank == 2)
    detail_text = g_strdup_printf (_("%s, not allowed"), kind);
  else
    detail_text = g_strdup (kind);

  row = gtk_list_box_row_new ();
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  name = gtk_label_new (c->label);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  detail = gtk_label_new (detail_text);
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_widget_add_css_class (detail, "caption");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), detail);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  accessible = g_strdup_printf ("%s, %s", c->label, detail_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  search = g_utf8_casefold (accessible, -1);
  g_object_set_data_full (G_OBJECT (row), "ab-id", g_strdup (c->id), g_free);
  g_object_set_data_full (G_OBJECT (row), "ab-search", g_steal_pointer (&search), g_free);
  return row;
}

void
ab_canvas_open_connect_popover (AbCanvas   *self,
                                const char *from_id)
{
  const AbComponent *from;
  AbCatalog *catalog = ab_catalog_get_default ();
  g_autoptr(GArray) candidates = NULL;
  g_autoptr(GHashTable) connected = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *title = NULL;
  guint n_connections;
  GtkWidget *child;
  graphene_rect_t r;
  guint n;

  if (self->design == NULL || (from = ab_design_find_component (self->design, from_id)) == NULL)
    return;
  n = ab_design_get_n_components (self->design);
  if (n < 2)
    {
      ab_canvas_emit_message (self, _("Add another component to connect to"));
      return;
    }

  ensure_connect_popover (self);
  g_free (self->connect_from);
  self->connect_from = g_strdup (from->id);

  while ((child = gtk_widget_get_first_child (self->connect_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->connect_list), child);

  n_connections = ab_design_get_n_connections (self->design);
  for (guint i = 0; i < n_connections; i++)
    {
      const AbConnection *e = ab_design_get_connection (self->design, i);

      if (g_strcmp0 (e->from, from->id) == 0)
        g_hash_table_add (connected, e->to);
    }

  candidates = g_array_sized_new (FALSE, FALSE, sizeof (ConnectCandidate), n);
  for (guint i = 0; i < n; i++)
    {
      const AbComponent *c = ab_design_get_component (self->design, i);
      ConnectCandidate candidate = { c, 0 };

      if (c == from)
        continue;
      if (g_hash_table_contains (connected, c->id))
        candidate.rank = 1;
      else if (!ab_catalog_can_connect (catalog, from->kind, c->kind))
        candidate.rank = 2;
      g_array_append_val (candidates, candidate);
    }
  g_array_sort (candidates, compare_candidates);
  for (guint i = 0; i < candidates->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (self->connect_list),
                         make_candidate_row (&g_array_index (candidates, ConnectCandidate, i)));

  title = g_strdup_printf (_("Connect “%s” to…"), from->label);
  gtk_editable_set_text (GTK_EDITABLE (self->connect_search), "");
  gtk_label_set_text (GTK_LABEL (self->connect_title), title);

  ab_canvas_ensure_visible (self, from->id);
  ab_canvas_component_widget_rect (self, from, &r);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->connect_popover),
                               &(GdkRectangle) { r.origin.x, r.origin.y,
                                                 MAX (1, r.size.width), MAX (1, r.size.height) });
  gtk_popover_popup (GTK_POPOVER (self->connect_popover));
  gtk_widget_grab_focus (self->connect_search);
}

void
ab_canvas_close_connect_popover (AbCanvas *self)
{
  if (self->connect_popover != NULL && gtk_widget_get_visible (self->connect_popover))
    gtk_popover_popdown (GTK_POPOVER (self->connect_popover));
  g_clear_pointer (&self->connect_from, g_free);
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
