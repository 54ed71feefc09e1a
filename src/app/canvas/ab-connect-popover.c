/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbConnectPopover: "Connect to…" (see ab-connect-popover.h).  The layout
 * is the template ab-connect-popover.ui; the rows come from the design. */
#define G_LOG_DOMAIN "archboard-canvas"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ab-catalog.h"
#include "ab-connect-popover.h"

/* The canvas' own resource bundle (ab-canvas.gresource.xml). */
GResource *ab_canvas_get_resource (void);

struct _AbConnectPopover
{
  GtkPopover  parent_instance;

  GtkLabel   *title;
  GtkEditable *search;
  GtkListBox *list;

  char       *from;
};

G_DEFINE_FINAL_TYPE (AbConnectPopover, ab_connect_popover, GTK_TYPE_POPOVER)

enum {
  SIGNAL_CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_row_activated (GtkListBox       *list,
                  GtkListBoxRow    *row,
                  AbConnectPopover *self)
{
  g_autofree char *from = g_strdup (self->from);
  g_autofree char *to = g_strdup (g_object_get_data (G_OBJECT (row), "ab-id"));

  gtk_popover_popdown (GTK_POPOVER (self));
  if (from != NULL && to != NULL)
    g_signal_emit (self, signals[SIGNAL_CHOSEN], 0, from, to);
}

static gboolean
row_filter (GtkListBoxRow *row,
            gpointer       user_data)
{
  AbConnectPopover *self = user_data;
  const char *query = gtk_editable_get_text (self->search);
  const char *haystack = g_object_get_data (G_OBJECT (row), "ab-search");
  g_autofree char *needle = NULL;

  if (query == NULL || query[0] == '\0')
    return TRUE;
  needle = g_utf8_casefold (query, -1);
  return haystack != NULL && strstr (haystack, needle) != NULL;
}

static GtkListBoxRow *
first_visible_row (AbConnectPopover *self)
{
  for (int i = 0; ; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->list, i);

      if (row == NULL)
        return NULL;
      if (gtk_widget_get_child_visible (GTK_WIDGET (row)))
        return row;
    }
}

static void
on_search_changed (AbConnectPopover *self)
{
  gtk_list_box_invalidate_filter (self->list);
}

static void
on_search_activate (AbConnectPopover *self)
{
  GtkListBoxRow *row = first_visible_row (self);

  if (row != NULL)
    g_signal_emit_by_name (self->list, "row-activated", row);
}

static void
on_stop_search (AbConnectPopover *self)
{
  gtk_popover_popdown (GTK_POPOVER (self));
}

static gboolean
on_search_key (GtkEventControllerKey *controller,
               guint                  keyval,
               guint                  keycode,
               GdkModifierType        state,
               AbConnectPopover      *self)
{
  GtkListBoxRow *row;

  if (keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down)
    return FALSE;
  row = first_visible_row (self);
  if (row != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (row));
  return TRUE;
}

typedef struct {
  const AbComponent *component;
  int                rank;   /* 0 allowed, 1 already connected, 2 refused */
} Candidate;

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const Candidate *ca = a, *cb = b;

  if (ca->rank != cb->rank)
    return ca->rank - cb->rank;
  return g_utf8_collate (ca->component->label ? ca->component->label : "",
                         cb->component->label ? cb->component->label : "");
}

/* Catalog-driven rows stay in code: a name over its kind and state. */
static GtkWidget *
make_row (const Candidate *candidate)
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

static void
ab_connect_popover_finalize (GObject *object)
{
  AbConnectPopover *self = AB_CONNECT_POPOVER (object);

  g_free (self->from);

  G_OBJECT_CLASS (ab_connect_popover_parent_class)->finalize (object);
}

static void
ab_connect_popover_class_init (AbConnectPopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ab_connect_popover_finalize;

  signals[SIGNAL_CHOSEN] =
    g_signal_new ("chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  /* Referencing the bundle links it in (it registers itself). */
  g_assert (ab_canvas_get_resource () != NULL);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/archboard/Archboard/canvas/ab-connect-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, AbConnectPopover, title);
  gtk_widget_class_bind_template_child (widget_class, AbConnectPopover, search);
  gtk_widget_class_bind_template_child (widget_class, AbConnectPopover, list);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_search_key);
}

static void
ab_connect_popover_init (AbConnectPopover *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_set_filter_func (self->list, row_filter, self, NULL);
}

GtkWidget *
ab_connect_popover_new (void)
{
  return g_object_new (AB_TYPE_CONNECT_POPOVER, NULL);
}

gboolean
ab_connect_popover_populate (AbConnectPopover *self,
                             AbDesign         *design,
                             const char       *from_id)
{
  AbCatalog *catalog = ab_catalog_get_default ();
  const AbComponent *from;
  g_autoptr(GArray) candidates = NULL;
  g_autoptr(GHashTable) connected = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *title = NULL;
  GtkWidget *child;
  guint n;

  g_return_val_if_fail (AB_IS_CONNECT_POPOVER (self), FALSE);
  g_return_val_if_fail (AB_IS_DESIGN (design), FALSE);

  if ((from = ab_design_find_component (design, from_id)) == NULL)
    return FALSE;
  g_free (self->from);
  self->from = g_strdup (from->id);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);

  n = ab_design_get_n_connections (design);
  for (guint i = 0; i < n; i++)
    {
      const AbConnection *e = ab_design_get_connection (design, i);

      if (g_strcmp0 (e->from, from->id) == 0)
        g_hash_table_add (connected, e->to);
    }

  n = ab_design_get_n_components (design);
  candidates = g_array_sized_new (FALSE, FALSE, sizeof (Candidate), n);
  for (guint i = 0; i < n; i++)
    {
      const AbComponent *c = ab_design_get_component (design, i);
      Candidate candidate = { c, 0 };

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
    gtk_list_box_append (self->list, make_row (&g_array_index (candidates, Candidate, i)));

  title = g_strdup_printf (_("Connect “%s” to…"), from->label);
  gtk_editable_set_text (self->search, "");
  gtk_label_set_text (self->title, title);
  return TRUE;
}

const char *
ab_connect_popover_get_from (AbConnectPopover *self)
{
  g_return_val_if_fail (AB_IS_CONNECT_POPOVER (self), NULL);

  return self->from;
}
