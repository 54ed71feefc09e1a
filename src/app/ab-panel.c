/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbPanel: see ab-panel.h.  Two signal groups: one on the document
 * (notify::design, notify::problem), one on its design ("changed"),
 * re-targeted whenever the document or its design changes. */
#define G_LOG_DOMAIN "archboard"

#include "config.h"

#include "ab-panel.h"

typedef struct
{
  AbDocument   *document;
  GSignalGroup *document_signals;
  GSignalGroup *design_signals;
} AbPanelPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (AbPanel, ab_panel, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_DOCUMENT,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
on_document_changed (AbPanel *self)
{
  AbPanelPrivate *priv = ab_panel_get_instance_private (self);

  /* The design group first: the subclass may edit what it follows. */
  g_signal_group_set_target (priv->design_signals, ab_panel_get_design (self));
  if (AB_PANEL_GET_CLASS (self)->document_changed != NULL)
    AB_PANEL_GET_CLASS (self)->document_changed (self);
}

static void
on_design_edited (AbPanel *self)
{
  if (AB_PANEL_GET_CLASS (self)->design_edited != NULL)
    AB_PANEL_GET_CLASS (self)->design_edited (self);
}

static void
ab_panel_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  AbPanel *self = AB_PANEL (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      g_value_set_object (value, ab_panel_get_document (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ab_panel_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  AbPanel *self = AB_PANEL (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      ab_panel_set_document (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ab_panel_dispose (GObject *object)
{
  AbPanel *self = AB_PANEL (object);
  AbPanelPrivate *priv = ab_panel_get_instance_private (self);

  if (priv->document_signals != NULL)
    g_signal_group_set_target (priv->document_signals, NULL);
  if (priv->design_signals != NULL)
    g_signal_group_set_target (priv->design_signals, NULL);
  g_clear_object (&priv->document_signals);
  g_clear_object (&priv->design_signals);
  g_clear_object (&priv->document);

  G_OBJECT_CLASS (ab_panel_parent_class)->dispose (object);
}

static void
ab_panel_class_init (AbPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ab_panel_dispose;
  object_class->get_property = ab_panel_get_property;
  object_class->set_property = ab_panel_set_property;

  props[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, AB_TYPE_DOCUMENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
ab_panel_init (AbPanel *self)
{
  AbPanelPrivate *priv = ab_panel_get_instance_private (self);

  priv->document_signals = ab_document_signal_group_new (self, G_CALLBACK (on_document_changed));
  priv->design_signals = g_signal_group_new (AB_TYPE_DESIGN);
  g_signal_group_connect_swapped (priv->design_signals, "changed",
                                  G_CALLBACK (on_design_edited), self);
}

AbDocument *
ab_panel_get_document (AbPanel *self)
{
  AbPanelPrivate *priv = ab_panel_get_instance_private (self);

  g_return_val_if_fail (AB_IS_PANEL (self), NULL);
  return priv->document;
}

void
ab_panel_set_document (AbPanel    *self,
                       AbDocument *document)
{
  AbPanelPrivate *priv = ab_panel_get_instance_private (self);

  g_return_if_fail (AB_IS_PANEL (self));
  g_return_if_fail (document == NULL || AB_IS_DOCUMENT (document));

  if (!g_set_object (&priv->document, document))
    return;
  g_signal_group_set_target (priv->document_signals, document);
  on_document_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DOCUMENT]);
}

AbDesign *
ab_panel_get_design (AbPanel *self)
{
  AbDocument *document = ab_panel_get_document (self);

  return document != NULL ? ab_document_get_design (document) : NULL;
}

AbProblem *
ab_panel_get_problem (AbPanel *self)
{
  AbDocument *document = ab_panel_get_document (self);

  return document != NULL ? ab_document_get_problem (document) : NULL;
}

GSignalGroup *
ab_panel_get_document_signals (AbPanel *self)
{
  AbPanelPrivate *priv = ab_panel_get_instance_private (self);

  g_return_val_if_fail (AB_IS_PANEL (self), NULL);
  return priv->document_signals;
}
