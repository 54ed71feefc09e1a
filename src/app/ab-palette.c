/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbPalette: the component palette.  Rows offer a drag of the string
 * "archboard-kind:<kind>" (AB_CANVAS_DND_PREFIX) that the canvas accepts. */
#define G_LOG_DOMAIN "archboard"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ab-canvas.h"
#include "ab-catalog.h"
#include "ab-palette.h"

struct _AbPalette
{
  AdwBin      parent_instance;

  GtkListBox *list;
  GtkSearchEntry *search;
  GtkWidget  *empty;
  AbProblem  *problem;
};

G_DEFINE_FINAL_TYPE (AbPalette, ab_palette, ADW_TYPE_BIN)

enum {
  SIGNAL_KIND_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static int
row_kind (GtkListBoxRow *row)
{
  return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "ab-kind"));
}

static gboolean
is_available (AbPalette *self,
              int        kind)
{
  if (self->problem == NULL)
    return FALSE;
  for (guint i = 0; i < self->problem->n_available; i++)
    if ((int) self->problem->available[i] == kind)
      return TRUE;
  return FALSE;
}

static int
sort_rows (GtkListBoxRow *a,
           GtkListBoxRow *b,
           gpointer       user_data)
{
  AbPalette *self = user_data;
  int ka = row_kind (a), kb = row_kind (b);
  gboolean aa = is_available (self, ka), ab = is_available (self, kb);

  if (aa != ab)
    return aa ? -1 : 1;
  return ka - kb;
}

static void
update_header (GtkListBoxRow *row,
               GtkListBoxRow *before,
               gpointer       user_data)
{
  AbPalette *self = user_data;
  gboolean available = is_available (self, row_kind (row));
  const char *text = NULL;

  if (self->problem == NULL || self->problem->n_available == 0)
    text = NULL;
  else if (before == NULL)
    text = available ? _("For This Problem") : _("Other Components");
  else if (is_available (self, row_kind (before)) && !available)
    text = _("Other Components");

  if (text == NULL)
    gtk_list_box_row_set_header (row, NULL);
  else
    {
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "heading");
      gtk_widget_add_css_class (label, "palette-header");
      gtk_list_box_row_set_header (row, label);
    }
}

static gboolean
filter_rows (GtkListBoxRow *row,
             gpointer       user_data)
{
  AbPalette *self = user_data;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search));
  const AbKindInfo *info;
  g_autofree char *needle = NULL;
  g_autofree char *haystack = NULL;
  g_autofree char *joined = NULL;

  if (text == NULL || *text == '\0')
    return TRUE;
  info = ab_catalog_get_kind (ab_catalog_get_default (), row_kind (row));
  if (info == NULL)
    return FALSE;
  needle = g_utf8_casefold (text, -1);
  joined = g_strjoin (" ", info->id, info->display_name, info->description, NULL);
  haystack = g_utf8_casefold (joined, -1);
  return strstr (haystack, needle) != NULL;
}

static void
on_search_changed (GtkSearchEntry *entry,
                   AbPalette      *self)
{
  gboolean any = FALSE;

  gtk_list_box_invalidate_filter (self->list);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && filter_rows (GTK_LIST_BOX_ROW (child), self))
      any = TRUE;
  gtk_widget_set_visible (self->empty, !any);
}

static void
on_search_activate (GtkSearchEntry *entry,
                    AbPalette      *self)
{
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->list, i)) != NULL; i++)
    if (filter_rows (row, self))
      {
        g_signal_emit (self, signals[SIGNAL_KIND_ACTIVATED], 0, row_kind (row));
        return;
      }
}

static void
on_row_activated (GtkListBox    *list,
                  GtkListBoxRow *row,
                  AbPalette     *self)
{
  g_signal_emit (self, signals[SIGNAL_KIND_ACTIVATED], 0, row_kind (row));
}

static GdkContentProvider *
on_drag_prepare (GtkDragSource *source,
                 double         x,
                 double         y,
                 GtkWidget     *row)
{
  const AbKindInfo *info = ab_catalog_get_kind (ab_catalog_get_default (),
                                                row_kind (GTK_LIST_BOX_ROW (row)));
  g_autofree char *text = NULL;

  if (info == NULL)
    return NULL;
  text = g_strconcat (AB_CANVAS_DND_PREFIX, info->id, NULL);
  return gdk_content_provider_new_typed (G_TYPE_STRING, text);
}

static void
on_drag_begin (GtkDragSource *source,
               GdkDrag       *drag,
               GtkWidget     *row)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (row);

  gtk_drag_source_set_icon (source, paintable, 24, 24);
}

static GtkWidget *
create_row (const AbKindInfo *info)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *icon_frame = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *icon, *name, *description;
  GtkDragSource *source;
  g_autofree char *css_class = g_strdup_printf ("kind-%s", info->id);

  icon = gtk_image_new_from_icon_name (info->icon_name && *info->icon_name
                                       ? info->icon_name : "application-x-addon-symbolic");
  gtk_widget_set_halign (icon, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (icon, TRUE);
  gtk_box_append (GTK_BOX (icon_frame), icon);
  gtk_widget_add_css_class (icon_frame, "palette-icon");
  gtk_widget_add_css_class (icon_frame, css_class);
  gtk_widget_set_valign (icon_frame, GTK_ALIGN_CENTER);
  if (info->color != NULL)
    {
      /* The kind's colour from the catalog, as on the canvas. */
      g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();
      g_autofree char *css = g_strdup_printf (".palette-icon.%s { background-color: alpha(%s, 0.18); color: %s; }",
                                              css_class, info->color, info->color);

      gtk_css_provider_load_from_data (provider, css, -1);
      gtk_style_context_add_provider (gtk_widget_get_style_context (icon_frame),
                                      GTK_STYLE_PROVIDER (provider),
                                      GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    }

  name = gtk_label_new (info->display_name);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  description = gtk_label_new (info->description);
  gtk_label_set_xalign (GTK_LABEL (description), 0);
  gtk_label_set_wrap (GTK_LABEL (description), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (description), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (description), 2);
  gtk_label_set_ellipsize (GTK_LABEL (description), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (description, "dim-label");
  gtk_widget_add_css_class (description, "caption");
  gtk_box_append (GTK_BOX (text_box), name);
  gtk_box_append (GTK_BOX (text_box), description);
  gtk_widget_set_valign (text_box, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (text_box, TRUE);

  gtk_box_append (GTK_BOX (box), icon_frame);
  gtk_box_append (GTK_BOX (box), text_box);
  gtk_widget_add_css_class (box, "palette-row");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  g_object_set_data (G_OBJECT (row), "ab-kind", GINT_TO_POINTER (info->kind));
  gtk_widget_set_tooltip_text (row, _("Drag onto the canvas, or press Enter to place it in the middle"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, info->display_name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, info->description,
                                  -1);

  source = gtk_drag_source_new ();
  gtk_drag_source_set_actions (source, GDK_ACTION_COPY);
  g_signal_connect (source, "prepare", G_CALLBACK (on_drag_prepare), row);
  g_signal_connect (source, "drag-begin", G_CALLBACK (on_drag_begin), row);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (source));

  return row;
}

static void
ab_palette_dispose (GObject *object)
{
  AbPalette *self = AB_PALETTE (object);

  g_clear_pointer (&self->problem, ab_problem_unref);

  G_OBJECT_CLASS (ab_palette_parent_class)->dispose (object);
}

static void
ab_palette_class_init (AbPaletteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ab_palette_dispose;

  signals[SIGNAL_KIND_ACTIVATED] =
    g_signal_new ("kind-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
ab_palette_init (AbPalette *self)
{
  AbCatalog *catalog = ab_catalog_get_default ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *search_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  self->search = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  g_object_set (self->search, "placeholder-text", _("Search components"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search components"), -1);
  g_signal_connect (self->search, "search-changed", G_CALLBACK (on_search_changed), self);
  g_signal_connect (self->search, "activate", G_CALLBACK (on_search_activate), self);
  gtk_box_append (GTK_BOX (search_box), GTK_WIDGET (self->search));
  gtk_widget_add_css_class (search_box, "palette-search");
  gtk_box_append (GTK_BOX (box), search_box);

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_list_box_set_activate_on_single_click (self->list, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "navigation-sidebar");
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "palette");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Components"), -1);
  gtk_list_box_set_sort_func (self->list, sort_rows, self, NULL);
  gtk_list_box_set_header_func (self->list, update_header, self, NULL);
  gtk_list_box_set_filter_func (self->list, filter_rows, self, NULL);
  g_signal_connect (self->list, "row-activated", G_CALLBACK (on_row_activated), self);

  for (int kind = 0; kind < AB_N_KINDS && catalog != NULL; kind++)
    {
      const AbKindInfo *info = ab_catalog_get_kind (catalog, kind);

      if (info != NULL)
        gtk_list_box_append (self->list, create_row (info));
    }

  self->empty = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->empty), "edit-find-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (self->empty), _("No Matching Components"));
  gtk_widget_add_css_class (self->empty, "compact");
  gtk_widget_set_visible (self->empty, FALSE);

  {
    GtkWidget *inner = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

    gtk_box_append (GTK_BOX (inner), GTK_WIDGET (self->list));
    gtk_box_append (GTK_BOX (inner), self->empty);
    gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), inner);
  }
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), scrolled);

  adw_bin_set_child (ADW_BIN (self), box);
}

GtkWidget *
ab_palette_new (void)
{
  return g_object_new (AB_TYPE_PALETTE, NULL);
}

void
ab_palette_set_problem (AbPalette *self,
                        AbProblem *problem)
{
  g_return_if_fail (AB_IS_PALETTE (self));

  if (problem != NULL)
    ab_problem_ref (problem);
  g_clear_pointer (&self->problem, ab_problem_unref);
  self->problem = problem;
  gtk_list_box_invalidate_sort (self->list);
  gtk_list_box_invalidate_headers (self->list);
}

void
ab_palette_focus (AbPalette *self)
{
  g_return_if_fail (AB_IS_PALETTE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search));
}
