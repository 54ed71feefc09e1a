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
#include "ab-panel.h"
#include "ab-render.h"

struct _AbPalette
{
  AbPanel     parent_instance;

  /* template children */
  GtkListBox *list;
  GtkSearchEntry *search;
  GtkWidget  *empty;

  GPtrArray  *tiles;   /* the rows' kind tiles (not owned) */
  AbProblem  *problem; /* the problem the rows are sorted for */
};

G_DEFINE_FINAL_TYPE (AbPalette, ab_palette, AB_TYPE_PANEL)

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

/* Escape: GtkSearchEntry clears the text; also go back to the canvas. */
static void
on_stop_search (GtkSearchEntry *entry,
                AbPalette      *self)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_widget_activate_action (GTK_WIDGET (self), "win.focus-canvas", NULL);
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

#define TILE_SIZE 32

static gboolean
is_dark (void)
{
  return adw_style_manager_get_dark (adw_style_manager_get_default ());
}

/* The same tile and glyph as the kind's cards on the canvas. */
static void
draw_tile (GtkDrawingArea *area,
           cairo_t        *cr,
           int             width,
           int             height,
           gpointer        user_data)
{
  AbRenderOptions options;

  ab_render_options_init (&options);
  options.dark = is_dark ();
  options.high_contrast = adw_style_manager_get_high_contrast (adw_style_manager_get_default ());
  ab_render_kind_tile (cr, GPOINTER_TO_INT (user_data),
                       (width - TILE_SIZE) / 2.0, (height - TILE_SIZE) / 2.0, TILE_SIZE, &options);
}

static GtkWidget *
create_row (AbPalette        *self,
            const AbKindInfo *info)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *text_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *tile, *name, *description;
  GtkDragSource *source;
  g_autofree char *tooltip = NULL;

  /* Every tile the same size, so the names line up. */
  tile = g_object_new (GTK_TYPE_DRAWING_AREA,
                       "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                       "content-width", TILE_SIZE,
                       "content-height", TILE_SIZE,
                       "valign", GTK_ALIGN_CENTER,
                       NULL);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (tile), draw_tile,
                                  GINT_TO_POINTER (info->kind), NULL);
  gtk_widget_add_css_class (tile, "palette-tile");
  g_ptr_array_add (self->tiles, tile);

  name = gtk_label_new (info->display_name);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  description = gtk_label_new (info->description);
  gtk_label_set_xalign (GTK_LABEL (description), 0);
  gtk_label_set_ellipsize (GTK_LABEL (description), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (description, "dim-label");
  gtk_widget_add_css_class (description, "caption");
  gtk_box_append (GTK_BOX (text_box), name);
  gtk_box_append (GTK_BOX (text_box), description);
  gtk_widget_set_valign (text_box, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (text_box, TRUE);

  gtk_box_append (GTK_BOX (box), tile);
  gtk_box_append (GTK_BOX (box), text_box);
  gtk_widget_add_css_class (box, "palette-row");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  g_object_set_data (G_OBJECT (row), "ab-kind", GINT_TO_POINTER (info->kind));
  /* The description is cut to one line in the row: whole in the tooltip. */
  tooltip = g_strdup_printf ("%s\n%s", info->description,
                             _("Drag onto the canvas, or press Enter to place it in the middle"));
  gtk_widget_set_tooltip_text (row, tooltip);
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
on_style_changed (AdwStyleManager *manager,
                  GParamSpec      *pspec,
                  AbPalette       *self)
{
  for (guint i = 0; i < self->tiles->len; i++)
    gtk_widget_queue_draw (g_ptr_array_index (self->tiles, i));
}

static void
ab_palette_finalize (GObject *object)
{
  AbPalette *self = AB_PALETTE (object);

  g_ptr_array_unref (self->tiles);

  G_OBJECT_CLASS (ab_palette_parent_class)->finalize (object);
}

static void
ab_palette_document_changed (AbPanel *panel)
{
  AbPalette *self = AB_PALETTE (panel);
  AbProblem *problem = ab_panel_get_problem (panel);

  if (problem == self->problem)
    return;
  if (problem != NULL)
    ab_problem_ref (problem);
  g_clear_pointer (&self->problem, ab_problem_unref);
  self->problem = problem;
  gtk_list_box_invalidate_sort (self->list);
  gtk_list_box_invalidate_headers (self->list);
}

static void
ab_palette_dispose (GObject *object)
{
  AbPalette *self = AB_PALETTE (object);

  g_clear_pointer (&self->problem, ab_problem_unref);
  g_signal_handlers_disconnect_by_data (adw_style_manager_get_default (), self);
  gtk_widget_dispose_template (GTK_WIDGET (self), AB_TYPE_PALETTE);

  G_OBJECT_CLASS (ab_palette_parent_class)->dispose (object);
}

static void
ab_palette_class_init (AbPaletteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ab_palette_dispose;
  object_class->finalize = ab_palette_finalize;
  AB_PANEL_CLASS (klass)->document_changed = ab_palette_document_changed;

  signals[SIGNAL_KIND_ACTIVATED] =
    g_signal_new ("kind-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/archboard/Archboard/ab-palette.ui");
  gtk_widget_class_bind_template_child (widget_class, AbPalette, list);
  gtk_widget_class_bind_template_child (widget_class, AbPalette, search);
  gtk_widget_class_bind_template_child (widget_class, AbPalette, empty);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
}

static void
ab_palette_init (AbPalette *self)
{
  AbCatalog *catalog = ab_catalog_get_default ();

  self->tiles = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_list_box_set_sort_func (self->list, sort_rows, self, NULL);
  gtk_list_box_set_header_func (self->list, update_header, self, NULL);
  gtk_list_box_set_filter_func (self->list, filter_rows, self, NULL);
  for (int kind = 0; kind < AB_N_KINDS && catalog != NULL; kind++)
    {
      const AbKindInfo *info = ab_catalog_get_kind (catalog, kind);

      if (info != NULL)
        gtk_list_box_append (self->list, create_row (self, info));
    }

  g_signal_connect (adw_style_manager_get_default (), "notify::dark",
                    G_CALLBACK (on_style_changed), self);
  g_signal_connect (adw_style_manager_get_default (), "notify::high-contrast",
                    G_CALLBACK (on_style_changed), self);
}

GtkWidget *
ab_palette_new (void)
{
  return g_object_new (AB_TYPE_PALETTE, NULL);
}

void
ab_palette_focus (AbPalette *self)
{
  g_return_if_fail (AB_IS_PALETTE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search));
  /* Typing replaces the last search instead of appending to it. */
  gtk_editable_select_region (GTK_EDITABLE (self->search), 0, -1);
}
