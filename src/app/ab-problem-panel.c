/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbProblemPanel: shows an AbProblem as text; the reference solution is
 * built on demand (ab-reference.c) and compared by instances per kind. */
#define G_LOG_DOMAIN "archboard"

#include "config.h"

#include <glib/gi18n.h>

#include "ab-a11y.h"
#include "ab-catalog.h"
#include "ab-problem-panel.h"
#include "ab-panel.h"
#include "ab-reference.h"

struct _AbProblemPanel
{
  AbPanel     parent_instance;

  /* template children */
  GtkWidget  *requirements_box;
  GtkWidget  *hints_box;
  GtkWidget  *hint_button;
  GtkWidget  *reveal_button;
  GtkWidget  *reference_box;
  GtkWidget  *reference_details;
  GtkWidget  *compare_box;

  AbProblem  *problem;     /* the problem the lists were built for */
  AbDesign   *reference;
  guint       hints_shown;
  gboolean    comparing;
};

G_DEFINE_FINAL_TYPE (AbProblemPanel, ab_problem_panel, AB_TYPE_PANEL)

enum {
  SIGNAL_OPEN_REFERENCE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GtkWidget *
add_label (GtkWidget  *box,
           const char *text,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_box_append (GTK_BOX (box), label);
  return label;
}

static GtkWidget *
add_heading (GtkWidget  *box,
             const char *text)
{
  GtkWidget *label = add_label (box, text, "heading");

  gtk_widget_add_css_class (label, "section-heading");
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LEVEL, 3, -1);
  return label;
}

static GtkWidget *
add_bullet (GtkWidget  *box,
            const char *text)
{
  g_autofree char *bullet = g_strdup_printf ("•  %s", text);

  return add_label (box, bullet, "bullet");
}

static char *
constant_to_string (const AbConstant *constant)
{
  JsonNode *node = constant->value;

  if (node == NULL)
    return g_strdup ("");
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_STRING)
        return g_strdup (json_node_get_string (node));
      if (type == G_TYPE_INT64)
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      if (type == G_TYPE_DOUBLE)
        return g_strdup_printf ("%g", json_node_get_double (node));
      if (type == G_TYPE_BOOLEAN)
        return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          AbConstant item = { NULL, json_array_get_element (array, i) };

          g_ptr_array_add (parts, constant_to_string (&item));
        }
      g_ptr_array_add (parts, NULL);
      return g_strjoinv (", ", (char **) parts->pdata);
    }
  return json_to_string (node, FALSE);
}

static const char *
difficulty_label (const char *difficulty)
{
  if (g_strcmp0 (difficulty, "easy") == 0)
    return _("Easy");
  if (g_strcmp0 (difficulty, "intermediate") == 0)
    return _("Intermediate");
  if (g_strcmp0 (difficulty, "advanced") == 0)
    return _("Advanced");
  return difficulty ? difficulty : "";
}

static const char *
kind_name (AbKind kind)
{
  const AbKindInfo *info = ab_catalog_get_kind (ab_catalog_get_default (), kind);

  return info != NULL ? info->display_name : ab_kind_to_string (kind);
}

static void
clear_box (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    gtk_box_remove (GTK_BOX (box), child);
}

static void
update_hints (AbProblemPanel *self)
{
  guint n_hints = self->problem != NULL && self->problem->hints != NULL
                  ? g_strv_length (self->problem->hints) : 0;

  clear_box (self->hints_box);
  gtk_widget_set_visible (self->hints_box, n_hints > 0);
  for (guint i = 0; i < self->hints_shown && i < n_hints; i++)
    {
      g_autofree char *text = g_strdup_printf (_("Hint %u: %s"), i + 1, self->problem->hints[i]);

      add_label (self->hints_box, text, "hint");
    }

  if (self->hints_shown == 0)
    gtk_button_set_label (GTK_BUTTON (self->hint_button), _("Show a Hint"));
  else if (self->hints_shown < n_hints)
    {
      /* Translators: button; "Show Hint 2 of 3" */
      g_autofree char *label = g_strdup_printf (_("Show Hint %u of %u"), self->hints_shown + 1, n_hints);

      gtk_button_set_label (GTK_BUTTON (self->hint_button), label);
    }
  gtk_widget_set_visible (self->hint_button, self->hints_shown < n_hints);
}

static void
on_hint_clicked (GtkButton      *button,
                 AbProblemPanel *self)
{
  self->hints_shown++;
  update_hints (self);
}

static void
update_comparison (AbProblemPanel *self)
{
  AbDesign *design = ab_panel_get_design (AB_PANEL (self));
  g_autoptr(GArray) lacking = NULL;

  clear_box (self->compare_box);
  if (!self->comparing || self->reference == NULL || design == NULL)
    {
      gtk_widget_set_visible (self->compare_box, FALSE);
      return;
    }
  gtk_widget_set_visible (self->compare_box, TRUE);

  lacking = ab_reference_compare (self->reference, design);
  if (lacking->len == 0)
    {
      add_label (self->compare_box,
                 _("Your design has every kind of the reference, with at least as many instances."),
                 "success");
      return;
    }
  add_label (self->compare_box, _("Compared with the reference, your design lacks:"), NULL);
  for (guint i = 0; i < lacking->len; i++)
    {
      const AbKindShortfall *item = &g_array_index (lacking, AbKindShortfall, i);
      g_autofree char *text = NULL;

      if (item->mine == 0)
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%s: none (the reference has %d instance)",
                                             "%s: none (the reference has %d instances)",
                                             item->reference),
                                kind_name (item->kind), item->reference);
      else
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%s: %d of the reference’s %d instance",
                                             "%s: %d of the reference’s %d instances",
                                             item->reference),
                                kind_name (item->kind), item->mine, item->reference);
      add_bullet (self->compare_box, text);
    }
}

static void
ab_problem_panel_design_edited (AbPanel *panel)
{
  AbProblemPanel *self = AB_PROBLEM_PANEL (panel);

  if (self->comparing)
    update_comparison (self);
}

static AbDesign *
get_reference (AbProblemPanel *self)
{
  if (self->reference == NULL && self->problem != NULL)
    {
      g_autoptr(GError) error = NULL;

      self->reference = ab_reference_build_design (self->problem, &error);
      if (self->reference == NULL)
        g_warning ("%s", error->message);
    }
  return self->reference;
}

static void
on_compare_clicked (GtkButton      *button,
                    AbProblemPanel *self)
{
  get_reference (self);
  self->comparing = TRUE;
  update_comparison (self);
}

static void
on_open_reference_clicked (GtkButton      *button,
                           AbProblemPanel *self)
{
  g_autoptr(AbDesign) design = NULL;
  g_autoptr(GError) error = NULL;

  if (self->problem == NULL)
    return;
  /* A fresh copy each time: the documents must not share one design. */
  design = ab_reference_build_design (self->problem, &error);
  if (design == NULL)
    {
      g_warning ("%s", error->message);
      return;
    }
  g_object_set_data (G_OBJECT (design), "ab-reference", GINT_TO_POINTER (1));
  g_signal_emit (self, signals[SIGNAL_OPEN_REFERENCE], 0, design);
}

static void
on_reveal_clicked (GtkButton      *button,
                   AbProblemPanel *self)
{
  gtk_widget_set_visible (self->reveal_button, FALSE);
  gtk_widget_set_visible (self->reference_box, TRUE);
}

/* The reference's description, components, connections and amendments. */
static void
build_reference (AbProblemPanel *self)
{
  AbProblem *problem = self->problem;
  GtkWidget *box = self->reference_details;

  if (problem->reference_text != NULL && *problem->reference_text)
    add_label (box, problem->reference_text, NULL);

  if (problem->reference_components != NULL && problem->reference_components->len > 0)
    {
      add_label (box, _("Components"), "caption-heading");
      for (guint i = 0; i < problem->reference_components->len; i++)
        {
          const AbRefComponent *ref = g_ptr_array_index (problem->reference_components, i);
          g_autofree char *text = NULL;

          if (ref->instances > 1)
            /* Translators: "Data API (App server) ×30" */
            text = g_strdup_printf (_("%s (%s) ×%d"), ref->name, kind_name (ref->kind), ref->instances);
          else
            text = g_strdup_printf (_("%s (%s)"), ref->name, kind_name (ref->kind));
          add_bullet (box, text);
        }
    }
  if (problem->reference_connections != NULL && problem->reference_connections->len > 0)
    {
      add_label (box, _("Connections"), "caption-heading");
      for (guint i = 0; i < problem->reference_connections->len; i++)
        {
          const AbRefConnection *ref = g_ptr_array_index (problem->reference_connections, i);
          g_autofree char *text = g_strdup_printf (_("%s → %s"), ref->from, ref->to);

          add_bullet (box, text);
        }
    }
  if (problem->amendments != NULL && problem->amendments->len > 0)
    {
      add_label (box, _("Amended From the Original"), "caption-heading");
      for (guint i = 0; i < problem->amendments->len; i++)
        {
          const AbAmendment *amendment = g_ptr_array_index (problem->amendments, i);
          g_autofree char *text = g_strdup_printf (_("%s — “%s”"), amendment->what,
                                                   amendment->quote ? amendment->quote : "");

          add_bullet (box, text);
        }
    }
  gtk_widget_set_visible (box, gtk_widget_get_first_child (box) != NULL);
}

/* The requirements and constants (the title, summary, goal and
 * description are bound in the template). */
static void
build_requirements (AbProblemPanel *self)
{
  AbProblem *problem = self->problem;
  GtkWidget *box = self->requirements_box;

  if (problem->functional != NULL && problem->functional[0] != NULL)
    {
      add_heading (box, _("Functional Requirements"));
      for (guint i = 0; problem->functional[i]; i++)
        add_bullet (box, problem->functional[i]);
    }
  if (problem->nonfunctional != NULL && problem->nonfunctional->len > 0)
    {
      add_heading (box, _("Non-Functional Requirements"));
      for (guint i = 0; i < problem->nonfunctional->len; i++)
        {
          const AbTarget *target = g_ptr_array_index (problem->nonfunctional, i);
          g_autofree char *text = g_strdup_printf ("%s: %s", target->label, target->text);

          add_bullet (box, text);
        }
    }
  if (problem->constants != NULL && problem->constants->len > 0)
    {
      add_heading (box, _("Constants"));
      for (guint i = 0; i < problem->constants->len; i++)
        {
          const AbConstant *constant = g_ptr_array_index (problem->constants, i);
          g_autofree char *value = constant_to_string (constant);
          g_autofree char *text = g_strdup_printf ("%s = %s", constant->name, value);
          GtkWidget *label = add_bullet (box, text);

          gtk_widget_add_css_class (label, "monospace");
        }
    }
  gtk_widget_set_visible (box, gtk_widget_get_first_child (box) != NULL);
}

static void
rebuild (AbProblemPanel *self)
{
  clear_box (self->requirements_box);
  clear_box (self->hints_box);
  clear_box (self->reference_details);
  clear_box (self->compare_box);
  self->hints_shown = 0;
  self->comparing = FALSE;
  g_clear_object (&self->reference);
  gtk_widget_set_visible (self->reveal_button, TRUE);
  gtk_widget_set_visible (self->reference_box, FALSE);
  gtk_widget_set_visible (self->compare_box, FALSE);

  if (self->problem == NULL)
    return;
  build_requirements (self);
  update_hints (self);
  build_reference (self);
}

static void
ab_problem_panel_document_changed (AbPanel *panel)
{
  AbProblemPanel *self = AB_PROBLEM_PANEL (panel);
  AbProblem *problem = ab_panel_get_problem (panel);

  if (problem != self->problem)
    {
      if (problem != NULL)
        ab_problem_ref (problem);
      g_clear_pointer (&self->problem, ab_problem_unref);
      self->problem = problem;
      rebuild (self);
    }
  else if (self->comparing)
    update_comparison (self);
}

/* ---- template closures: the problem's texts ---- */

static gboolean
has_text (const char *text)
{
  return text != NULL && *text != '\0';
}

static char *
page_name (gpointer   this,
           AbProblem *problem)
{
  return g_strdup (problem != NULL ? "problem" : "empty");
}

static char *
problem_title (gpointer   this,
               AbProblem *problem)
{
  return g_strdup (problem != NULL ? problem->title : NULL);
}

static char *
problem_difficulty (gpointer   this,
                    AbProblem *problem)
{
  return g_strdup (problem != NULL ? difficulty_label (problem->difficulty) : NULL);
}

static GStrv
difficulty_classes (gpointer   this,
                    AbProblem *problem)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_strv_builder_add (builder, "difficulty");
  if (problem != NULL && problem->difficulty != NULL)
    {
      g_autofree char *level = g_strdup_printf ("difficulty-%s", problem->difficulty);

      g_strv_builder_add (builder, level);
    }
  return g_strv_builder_end (builder);
}

static char *
problem_category (gpointer   this,
                  AbProblem *problem)
{
  /* the category is an identifier ("storage"); po/problem-strings.py
   * extracts its values in this context */
  if (problem == NULL || problem->category == NULL)
    return NULL;
  return g_strdup (g_dpgettext2 (GETTEXT_PACKAGE, "problem category", problem->category));
}

static gboolean
problem_has_category (gpointer   this,
                      AbProblem *problem)
{
  return problem != NULL && problem->category != NULL;
}

static char *
problem_summary (gpointer   this,
                 AbProblem *problem)
{
  return g_strdup (problem != NULL ? problem->summary : NULL);
}

static gboolean
problem_has_summary (gpointer   this,
                     AbProblem *problem)
{
  return problem != NULL && problem->summary != NULL;
}

static char *
problem_goal (gpointer   this,
              AbProblem *problem)
{
  return g_strdup (problem != NULL ? problem->goal : NULL);
}

static gboolean
problem_has_goal (gpointer   this,
                  AbProblem *problem)
{
  return problem != NULL && has_text (problem->goal);
}

static char *
problem_description (gpointer   this,
                     AbProblem *problem)
{
  return g_strdup (problem != NULL ? problem->description : NULL);
}

static gboolean
problem_has_description (gpointer   this,
                         AbProblem *problem)
{
  return problem != NULL && has_text (problem->description);
}

static gboolean
problem_has_hints (gpointer   this,
                   AbProblem *problem)
{
  return problem != NULL && problem->hints != NULL && problem->hints[0] != NULL;
}

static void
ab_problem_panel_dispose (GObject *object)
{
  AbProblemPanel *self = AB_PROBLEM_PANEL (object);

  g_clear_object (&self->reference);
  g_clear_pointer (&self->problem, ab_problem_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), AB_TYPE_PROBLEM_PANEL);

  G_OBJECT_CLASS (ab_problem_panel_parent_class)->dispose (object);
}

static void
ab_problem_panel_class_init (AbProblemPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AbPanelClass *panel_class = AB_PANEL_CLASS (klass);

  object_class->dispose = ab_problem_panel_dispose;
  panel_class->document_changed = ab_problem_panel_document_changed;
  panel_class->design_edited = ab_problem_panel_design_edited;

  signals[SIGNAL_OPEN_REFERENCE] =
    g_signal_new ("open-reference", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, AB_TYPE_DESIGN);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/archboard/Archboard/ab-problem-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, AbProblemPanel, requirements_box);
  gtk_widget_class_bind_template_child (widget_class, AbProblemPanel, hints_box);
  gtk_widget_class_bind_template_child (widget_class, AbProblemPanel, hint_button);
  gtk_widget_class_bind_template_child (widget_class, AbProblemPanel, reveal_button);
  gtk_widget_class_bind_template_child (widget_class, AbProblemPanel, reference_box);
  gtk_widget_class_bind_template_child (widget_class, AbProblemPanel, reference_details);
  gtk_widget_class_bind_template_child (widget_class, AbProblemPanel, compare_box);
  gtk_widget_class_bind_template_callback (widget_class, on_hint_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_reveal_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_open_reference_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_compare_clicked);
  gtk_widget_class_bind_template_callback (widget_class, page_name);
  gtk_widget_class_bind_template_callback (widget_class, problem_title);
  gtk_widget_class_bind_template_callback (widget_class, problem_difficulty);
  gtk_widget_class_bind_template_callback (widget_class, difficulty_classes);
  gtk_widget_class_bind_template_callback (widget_class, problem_category);
  gtk_widget_class_bind_template_callback (widget_class, problem_has_category);
  gtk_widget_class_bind_template_callback (widget_class, problem_summary);
  gtk_widget_class_bind_template_callback (widget_class, problem_has_summary);
  gtk_widget_class_bind_template_callback (widget_class, problem_goal);
  gtk_widget_class_bind_template_callback (widget_class, problem_has_goal);
  gtk_widget_class_bind_template_callback (widget_class, problem_description);
  gtk_widget_class_bind_template_callback (widget_class, problem_has_description);
  gtk_widget_class_bind_template_callback (widget_class, problem_has_hints);
}

static void
ab_problem_panel_init (AbProblemPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  ab_a11y_name_mnemonic_buttons (GTK_WIDGET (self));
}

GtkWidget *
ab_problem_panel_new (void)
{
  return g_object_new (AB_TYPE_PROBLEM_PANEL, NULL);
}
