/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbDocument: see ab-document.h. */
#define G_LOG_DOMAIN "archboard"

#include "config.h"

#include "ab-document.h"

G_DEFINE_BOXED_TYPE (AbProblem, ab_problem, ab_problem_ref, ab_problem_unref)

struct _AbDocument
{
  GObject      parent_instance;
  AbDesign    *design;
  AbProblem   *problem;
  GFile       *file;
  AbSimRunner *runner;
};

G_DEFINE_FINAL_TYPE (AbDocument, ab_document, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DESIGN,
  PROP_PROBLEM,
  PROP_FILE,
  PROP_RUNNER,
  PROP_RESULTS,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
on_runner_results (AbSimRunner *runner,
                   GParamSpec  *pspec,
                   AbDocument  *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RESULTS]);
}

static void
ab_document_dispose (GObject *object)
{
  AbDocument *self = AB_DOCUMENT (object);

  if (self->runner != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->runner, on_runner_results, self);
      ab_sim_runner_set_document (self->runner, NULL, NULL);
    }
  g_clear_object (&self->runner);
  g_clear_object (&self->design);
  g_clear_pointer (&self->problem, ab_problem_unref);
  g_clear_object (&self->file);

  G_OBJECT_CLASS (ab_document_parent_class)->dispose (object);
}

static void
ab_document_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  AbDocument *self = AB_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_DESIGN:
      g_value_set_object (value, self->design);
      break;
    case PROP_PROBLEM:
      g_value_set_boxed (value, self->problem);
      break;
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_RUNNER:
      g_value_set_object (value, self->runner);
      break;
    case PROP_RESULTS:
      g_value_set_object (value, ab_document_get_results (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ab_document_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  AbDocument *self = AB_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_DESIGN:
      ab_document_set (self, g_value_get_object (value), self->problem, self->file);
      break;
    case PROP_PROBLEM:
      ab_document_set (self, self->design, g_value_get_boxed (value), self->file);
      break;
    case PROP_FILE:
      ab_document_set_file (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ab_document_class_init (AbDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->dispose = ab_document_dispose;
  object_class->get_property = ab_document_get_property;
  object_class->set_property = ab_document_set_property;

  props[PROP_DESIGN] = g_param_spec_object ("design", NULL, NULL, AB_TYPE_DESIGN, rw);
  props[PROP_PROBLEM] = g_param_spec_boxed ("problem", NULL, NULL, AB_TYPE_PROBLEM, rw);
  props[PROP_FILE] = g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE, rw);
  props[PROP_RUNNER] = g_param_spec_object ("runner", NULL, NULL, AB_TYPE_SIM_RUNNER, ro);
  props[PROP_RESULTS] = g_param_spec_object ("results", NULL, NULL, AB_TYPE_SIM_RESULTS, ro);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
ab_document_init (AbDocument *self)
{
  self->runner = ab_sim_runner_new ();
  g_signal_connect (self->runner, "notify::results", G_CALLBACK (on_runner_results), self);
}

AbDocument *
ab_document_new (void)
{
  return g_object_new (AB_TYPE_DOCUMENT, NULL);
}

void
ab_document_set (AbDocument *self,
                 AbDesign   *design,
                 AbProblem  *problem,
                 GFile      *file)
{
  gboolean design_changed, problem_changed;

  g_return_if_fail (AB_IS_DOCUMENT (self));
  g_return_if_fail (design == NULL || AB_IS_DESIGN (design));
  g_return_if_fail (file == NULL || G_IS_FILE (file));

  g_object_freeze_notify (G_OBJECT (self));
  design_changed = g_set_object (&self->design, design);
  problem_changed = self->problem != problem;
  if (problem_changed)
    {
      g_clear_pointer (&self->problem, ab_problem_unref);
      if (problem != NULL)
        self->problem = ab_problem_ref (problem);
    }
  if (design_changed)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DESIGN]);
  if (problem_changed)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PROBLEM]);
  ab_document_set_file (self, file);
  if (design_changed || problem_changed)
    ab_sim_runner_set_document (self->runner, design, problem);
  g_object_thaw_notify (G_OBJECT (self));
}

AbDesign *
ab_document_get_design (AbDocument *self)
{
  g_return_val_if_fail (AB_IS_DOCUMENT (self), NULL);
  return self->design;
}

AbProblem *
ab_document_get_problem (AbDocument *self)
{
  g_return_val_if_fail (AB_IS_DOCUMENT (self), NULL);
  return self->problem;
}

GFile *
ab_document_get_file (AbDocument *self)
{
  g_return_val_if_fail (AB_IS_DOCUMENT (self), NULL);
  return self->file;
}

void
ab_document_set_file (AbDocument *self,
                      GFile      *file)
{
  g_return_if_fail (AB_IS_DOCUMENT (self));

  if (g_set_object (&self->file, file))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FILE]);
}

AbSimRunner *
ab_document_get_runner (AbDocument *self)
{
  g_return_val_if_fail (AB_IS_DOCUMENT (self), NULL);
  return self->runner;
}

AbSimResults *
ab_document_get_results (AbDocument *self)
{
  g_return_val_if_fail (AB_IS_DOCUMENT (self), NULL);
  return ab_sim_runner_get_results (self->runner);
}

GSignalGroup *
ab_document_signal_group_new (gpointer  owner,
                              GCallback callback)
{
  GSignalGroup *group = g_signal_group_new (AB_TYPE_DOCUMENT);

  g_signal_group_connect_swapped (group, "notify::design", callback, owner);
  g_signal_group_connect_swapped (group, "notify::problem", callback, owner);
  return group;
}
