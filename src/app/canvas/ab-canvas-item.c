/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbCanvasItem: one accessible, focusable stand-in widget per component or
 * connection of the canvas.  It draws nothing and takes no pointer input:
 * the canvas draws the diagram and positions the item over what it stands
 * for, so screen readers and UI tests see where things are. */
#define G_LOG_DOMAIN "archboard-canvas"

#include "config.h"

#include <string.h>

#include "ab-canvas-item.h"

struct _AbCanvasItem
{
  GtkWidget  parent_instance;

  char      *id;
  char      *label;
  gboolean   is_connection;
  graphene_rect_t bounds;
  double     route_key[4];
  gboolean   route_valid;
  gboolean   selected;
};

G_DEFINE_FINAL_TYPE (AbCanvasItem, ab_canvas_item, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ID,
  PROP_LABEL,
  PROP_IS_CONNECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ab_canvas_item_finalize (GObject *object)
{
  AbCanvasItem *self = AB_CANVAS_ITEM (object);

  g_free (self->id);
  g_free (self->label);

  G_OBJECT_CLASS (ab_canvas_item_parent_class)->finalize (object);
}

static void
ab_canvas_item_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  AbCanvasItem *self = AB_CANVAS_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    case PROP_IS_CONNECTION:
      g_value_set_boolean (value, self->is_connection);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ab_canvas_item_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  AbCanvasItem *self = AB_CANVAS_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_free (self->id);
      self->id = g_value_dup_string (value);
      break;
    case PROP_LABEL:
      ab_canvas_item_set_label (self, g_value_get_string (value));
      break;
    case PROP_IS_CONNECTION:
      self->is_connection = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ab_canvas_item_class_init (AbCanvasItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ab_canvas_item_finalize;
  object_class->get_property = ab_canvas_item_get_property;
  object_class->set_property = ab_canvas_item_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IS_CONNECTION] =
    g_param_spec_boolean ("is-connection", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "abcanvasitem");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_BUTTON);
}

static void
ab_canvas_item_init (AbCanvasItem *self)
{
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

GtkWidget *
ab_canvas_item_new (const char *id,
                    gboolean    is_connection)
{
  g_return_val_if_fail (id != NULL, NULL);

  return g_object_new (AB_TYPE_CANVAS_ITEM,
                       "id", id,
                       "is-connection", is_connection,
                       NULL);
}

const char *
ab_canvas_item_get_id (AbCanvasItem *self)
{
  g_return_val_if_fail (AB_IS_CANVAS_ITEM (self), NULL);

  return self->id;
}

gboolean
ab_canvas_item_is_connection (AbCanvasItem *self)
{
  g_return_val_if_fail (AB_IS_CANVAS_ITEM (self), FALSE);

  return self->is_connection;
}

const char *
ab_canvas_item_get_label (AbCanvasItem *self)
{
  g_return_val_if_fail (AB_IS_CANVAS_ITEM (self), NULL);

  return self->label;
}

gboolean
ab_canvas_item_set_label (AbCanvasItem *self,
                          const char   *label)
{
  g_return_val_if_fail (AB_IS_CANVAS_ITEM (self), FALSE);

  if (g_strcmp0 (self->label, label) == 0)
    return FALSE;

  g_free (self->label);
  self->label = g_strdup (label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label ? label : "",
                                  -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL]);
  return TRUE;
}

void
ab_canvas_item_set_bounds (AbCanvasItem          *self,
                           const graphene_rect_t *bounds)
{
  g_return_if_fail (AB_IS_CANVAS_ITEM (self));

  self->bounds = *bounds;
}

void
ab_canvas_item_get_bounds (AbCanvasItem    *self,
                           graphene_rect_t *bounds)
{
  g_return_if_fail (AB_IS_CANVAS_ITEM (self));

  *bounds = self->bounds;
}

gboolean
ab_canvas_item_update_route_key (AbCanvasItem *self,
                                 const double  key[4])
{
  g_return_val_if_fail (AB_IS_CANVAS_ITEM (self), FALSE);

  if (self->route_valid && memcmp (self->route_key, key, sizeof self->route_key) == 0)
    return FALSE;
  memcpy (self->route_key, key, sizeof self->route_key);
  self->route_valid = TRUE;
  return TRUE;
}

void
ab_canvas_item_invalidate_route (AbCanvasItem *self)
{
  g_return_if_fail (AB_IS_CANVAS_ITEM (self));

  self->route_valid = FALSE;
}

void
ab_canvas_item_set_selected (AbCanvasItem *self,
                             gboolean      selected)
{
  g_return_if_fail (AB_IS_CANVAS_ITEM (self));

  selected = !!selected;
  if (self->selected == selected)
    return;
  self->selected = selected;
  gtk_accessible_update_state (GTK_ACCESSIBLE (self),
                               GTK_ACCESSIBLE_STATE_SELECTED, selected,
                               -1);
}

gboolean
ab_canvas_item_get_selected (AbCanvasItem *self)
{
  g_return_val_if_fail (AB_IS_CANVAS_ITEM (self), FALSE);

  return self->selected;
}
