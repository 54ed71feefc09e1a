/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbProblemPanel: shows an AbProblem as text; the reference solution is
 * built on demand (ab-reference.c) and compared by instances per kind. */
#define G_LOG_DOMAIN "archboard"

#include "config.h"

#include <glib/gi18n.h>

#include "ab-catalog.h"
#include "ab-problem-panel.h"
#include "ab-document.h"
#include "ab-reference.h"

struct _AbProblemPanel
{
  AdwBin      parent_instance;

  /* the window's document, followed through a signal group */
  AbDocument   *document;
  GSignalGroup *document_signals;

  GtkWidget  *stack;
  GtkWidget  *box;
  GtkWidget  *hints_box;
  GtkWidget  *hint_button;
  GtkWidget  *reference_box;
  GtkWidget  *reveal_button;
  GtkWidget  *compare_box;

  AbProblem  *problem;
  AbDesign   *design;
  AbDesign   *reference;
  gulong      changed_id;
  guint       hints_shown;
  gboolean    comparing;
};

G_DEFINE_FINAL_TYPE (AbProblemPanel, ab_problem_panel, ADW_TYPE_BIN)

enum {
  PROP_DOCUMENT = 1,
  N_DOCUMENT_PROPS
};

static GParamSpec *document_props[N_DOCUMENT_PROPS];

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
update_hints (AbProblemPanel *self)
{
  guint n_hints = self->problem->hints ? g_strv_length (self->problem->hints) : 0;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->hints_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->hints_box), child);
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
  g_autoptr(GArray) lacking = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->compare_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->compare_box), child);
  if (!self->comparing || self->reference == NULL || self->design == NULL)
    {
      gtk_widget_set_visible (self->compare_box, FALSE);
      return;
    }
  gtk_widget_set_visible (self->compare_box, TRUE);

  lacking = ab_reference_compare (self->reference, self->design);
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
on_design_changed (AbDesign       *design,
                   AbProblemPanel *self)
{
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

static void
build_reference (AbProblemPanel *self,
                 GtkWidget      *box)
{
  AbProblem *problem = self->problem;
  GtkWidget *buttons, *button;

  add_heading (box, _("Reference Solution"));
  add_label (box, _("Try the problem first: the reference is one good answer, not the only one."),
             "dim-label");

  self->reveal_button = gtk_button_new_with_mnemonic (_("_Reveal Reference Solution"));
  gtk_widget_set_halign (self->reveal_button, GTK_ALIGN_START);
  gtk_widget_add_css_class (self->reveal_button, "pill");
  g_signal_connect (self->reveal_button, "clicked", G_CALLBACK (on_reveal_clicked), self);
  gtk_box_append (GTK_BOX (box), self->reveal_button);

  self->reference_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_visible (self->reference_box, FALSE);
  gtk_box_append (GTK_BOX (box), self->reference_box);

  if (problem->reference_text != NULL && *problem->reference_text)
    add_label (self->reference_box, problem->reference_text, NULL);

  if (problem->reference_components != NULL && problem->reference_components->len > 0)
    {
      add_label (self->reference_box, _("Components"), "caption-heading");
      for (guint i = 0; i < problem->reference_components->len; i++)
        {
          const AbRefComponent *ref = g_ptr_array_index (problem->reference_components, i);
          g_autofree char *text = NULL;

          if (ref->instances > 1)
            /* Translators: "Data API (App server) ×30" */
            text = g_strdup_printf (_("%s (%s) ×%d"), ref->name, kind_name (ref->kind), ref->instances);
          else
            text = g_strdup_printf (_("%s (%s)"), ref->name, kind_name (ref->kind));
          add_bullet (self->reference_box, text);
        }
    }
  if (problem->reference_connections != NULL && problem->reference_connections->len > 0)
    {
      add_label (self->reference_box, _("Connections"), "caption-heading");
      for (guint i = 0; i < problem->reference_connections->len; i++)
        {
          const AbRefConnection *ref = g_ptr_array_index (problem->reference_connections, i);
          g_autofree char *text = g_strdup_printf (_("%s → %s"), ref->from, ref->to);

          add_bullet (self->reference_box, text);
        }
    }
  if (problem->amendments != NULL && problem->amendments->len > 0)
    {
      add_label (self->reference_box, _("Amended From the Original"), "caption-heading");
      for (guint i = 0; i < problem->amendments->len; i++)
        {
          const AbAmendment *amendment = g_ptr_array_index (problem->amendments, i);
          g_autofree char *text = g_strdup_printf (_("%s — “%s”"), amendment->what,
                                                   amendment->quote ? amendment->quote : "");

          add_bullet (self->reference_box, text);
        }
    }

  /* One above the other: side by side they are wider than the pane,
   * which would widen it (and shift the canvas) on revealing. */
  buttons = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_halign (buttons, GTK_ALIGN_START);
  gtk_widget_set_margin_top (buttons, 6);
  button = gtk_button_new_with_mnemonic (_("_Open as New Design"));
  gtk_widget_add_css_class (button, "suggested-action");
  g_signal_connect (button, "clicked", G_CALLBACK (on_open_reference_clicked), self);
  gtk_box_append (GTK_BOX (buttons), button);
  button = gtk_button_new_with_mnemonic (_("_Compare With Mine"));
  g_signal_connect (button, "clicked", G_CALLBACK (on_compare_clicked), self);
  gtk_box_append (GTK_BOX (buttons), button);
  gtk_box_append (GTK_BOX (self->reference_box), buttons);

  self->compare_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_add_css_class (self->compare_box, "card");
  gtk_widget_add_css_class (self->compare_box, "compare-card");
  gtk_widget_set_visible (self->compare_box, FALSE);
  gtk_box_append (GTK_BOX (self->reference_box), self->compare_box);
}

static void
rebuild (AbProblemPanel *self)
{
  AbProblem *problem = self->problem;
  GtkWidget *child, *box = self->box, *meta, *pill;
  g_autofree char *pill_class = NULL;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    gtk_box_remove (GTK_BOX (box), child);
  self->hints_shown = 0;
  self->comparing = FALSE;
  g_clear_object (&self->reference);

  if (problem == NULL)
    {
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
      return;
    }
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "problem");

  add_label (box, problem->title, "title-3");

  meta = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  pill = gtk_label_new (difficulty_label (problem->difficulty));
  pill_class = g_strdup_printf ("difficulty-%s", problem->difficulty ? problem->difficulty : "");
  gtk_widget_add_css_class (pill, "difficulty");
  gtk_widget_add_css_class (pill, pill_class);
  gtk_box_append (GTK_BOX (meta), pill);
  if (problem->category != NULL)
    {
      GtkWidget *category = gtk_label_new (problem->category);

      gtk_widget_add_css_class (category, "dim-label");
      gtk_box_append (GTK_BOX (meta), category);
    }
  gtk_box_append (GTK_BOX (box), meta);

  if (problem->summary != NULL)
    add_label (box, problem->summary, NULL);
  if (problem->goal != NULL && *problem->goal)
    {
      add_heading (box, _("Goal"));
      add_label (box, problem->goal, NULL);
    }
  if (problem->description != NULL && *problem->description)
    {
      add_heading (box, _("Description"));
      add_label (box, problem->description, NULL);
    }
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

  if (problem->hints != NULL && problem->hints[0] != NULL)
    {
      add_heading (box, _("Hints"));
      self->hints_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      gtk_box_append (GTK_BOX (box), self->hints_box);
      self->hint_button = gtk_button_new ();
      gtk_widget_set_halign (self->hint_button, GTK_ALIGN_START);
      gtk_widget_add_css_class (self->hint_button, "pill");
      g_signal_connect (self->hint_button, "clicked", G_CALLBACK (on_hint_clicked), self);
      gtk_box_append (GTK_BOX (box), self->hint_button);
      update_hints (self);
    }

  build_reference (self, box);
}

static void
on_document_changed (AbProblemPanel *self)
{
  AbDesign *design = self->document != NULL ? ab_document_get_design (self->document) : NULL;
  AbProblem *problem = self->document != NULL ? ab_document_get_problem (self->document) : NULL;

  if (problem != self->problem)
    ab_problem_panel_set_problem (self, problem);
  ab_problem_panel_set_design (self, design);
}

static void
ab_problem_panel_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  AbProblemPanel *self = AB_PROBLEM_PANEL (object);

  if (prop_id == PROP_DOCUMENT)
    g_value_set_object (value, self->document);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
ab_problem_panel_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  AbProblemPanel *self = AB_PROBLEM_PANEL (object);

  if (prop_id != PROP_DOCUMENT)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  if (g_set_object (&self->document, g_value_get_object (value)))
    {
      g_signal_group_set_target (self->document_signals, self->document);
      on_document_changed (self);
      g_object_notify_by_pspec (object, pspec);
    }
}

static void
ab_problem_panel_dispose (GObject *object)
{
  AbProblemPanel *self = AB_PROBLEM_PANEL (object);

  if (self->document_signals != NULL)
    g_signal_group_set_target (self->document_signals, NULL);
  g_clear_object (&self->document_signals);
  g_clear_object (&self->document);

  if (self->design != NULL)
    g_clear_signal_handler (&self->changed_id, self->design);
  g_clear_object (&self->design);
  g_clear_object (&self->reference);
  g_clear_pointer (&self->problem, ab_problem_unref);

  G_OBJECT_CLASS (ab_problem_panel_parent_class)->dispose (object);
}

static void
ab_problem_panel_class_init (AbProblemPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ab_problem_panel_dispose;
  object_class->get_property = ab_problem_panel_get_property;
  object_class->set_property = ab_problem_panel_set_property;
  document_props[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, AB_TYPE_DOCUMENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_DOCUMENT_PROPS, document_props);

  signals[SIGNAL_OPEN_REFERENCE] =
    g_signal_new ("open-reference", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, AB_TYPE_DESIGN);
}

static void
ab_problem_panel_init (AbProblemPanel *self)
{
  GtkWidget *scrolled, *empty;

  self->document_signals = ab_document_signal_group_new (self, G_CALLBACK (on_document_changed));

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_add_css_class (self->box, "panel-content");
  gtk_widget_add_css_class (self->box, "problem-panel");

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->box);

  empty = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "dialog-question-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (empty), _("Unknown Problem"));
  adw_status_page_set_description (ADW_STATUS_PAGE (empty),
                                   _("This design is for a problem Archboard does not ship"));
  gtk_widget_add_css_class (empty, "compact");

  self->stack = gtk_stack_new ();
  gtk_stack_add_named (GTK_STACK (self->stack), scrolled, "problem");
  gtk_stack_add_named (GTK_STACK (self->stack), empty, "empty");
  adw_bin_set_child (ADW_BIN (self), self->stack);
}

GtkWidget *
ab_problem_panel_new (void)
{
  return g_object_new (AB_TYPE_PROBLEM_PANEL, NULL);
}

void
ab_problem_panel_set_problem (AbProblemPanel *self,
                              AbProblem      *problem)
{
  g_return_if_fail (AB_IS_PROBLEM_PANEL (self));

  if (problem != NULL)
    ab_problem_ref (problem);
  g_clear_pointer (&self->problem, ab_problem_unref);
  self->problem = problem;
  rebuild (self);
}

void
ab_problem_panel_set_design (AbProblemPanel *self,
                             AbDesign       *design)
{
  g_return_if_fail (AB_IS_PROBLEM_PANEL (self));

  if (self->design == design)
    return;
  if (self->design != NULL)
    g_clear_signal_handler (&self->changed_id, self->design);
  g_set_object (&self->design, design);
  if (design != NULL)
    self->changed_id = g_signal_connect (design, "changed", G_CALLBACK (on_design_changed), self);
  if (self->comparing)
    update_comparison (self);
}
