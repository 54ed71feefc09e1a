/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbChecksPanel: one expander row per tier with its rules.  The results
 * come from ab_tiers_evaluate (core); this widget only shows them. */
#define G_LOG_DOMAIN "archboard"

#include "config.h"

#include <glib/gi18n.h>

#include "ab-checks-panel.h"
#include "ab-tiers.h"

typedef struct {
  GtkWidget *row;     /* AdwActionRow */
  GtkWidget *icon;
} RuleRow;

typedef struct {
  GtkWidget *row;     /* AdwExpanderRow */
  GtkWidget *icon;
  GArray    *rules;   /* of RuleRow */
} TierRow;

struct _AbChecksPanel
{
  AdwBin      parent_instance;

  GtkWidget  *stack;
  GtkWidget  *summary;
  GtkWidget  *level;
  GtkListBox *list;
  GArray     *tiers;  /* of TierRow */

  AbProblem  *problem;
  AbDesign   *design;
  gulong      changed_id;
  guint       n_passed;
};

G_DEFINE_FINAL_TYPE (AbChecksPanel, ab_checks_panel, ADW_TYPE_BIN)

enum {
  SIGNAL_REPORT_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
clear_tier_row (gpointer data)
{
  TierRow *tier = data;

  g_clear_pointer (&tier->rules, g_array_unref);
}

static void
set_title (GtkWidget  *row,
           const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text ? text : "", -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);
}

static void
set_state_icon (GtkWidget *icon,
                gboolean   pass)
{
  gtk_image_set_from_icon_name (GTK_IMAGE (icon), pass ? "emblem-ok-symbolic" : "process-stop-symbolic");
  if (pass)
    {
      gtk_widget_add_css_class (icon, "success");
      gtk_widget_remove_css_class (icon, "error");
    }
  else
    {
      gtk_widget_add_css_class (icon, "error");
      gtk_widget_remove_css_class (icon, "success");
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, pass ? _("Passed") : _("Not passed"),
                                  -1);
}

static void
rebuild (AbChecksPanel *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  g_array_set_size (self->tiers, 0);

  if (self->problem == NULL || self->problem->tiers->len == 0)
    return;

  for (guint i = 0; i < self->problem->tiers->len; i++)
    {
      const AbTier *tier = g_ptr_array_index (self->problem->tiers, i);
      TierRow row = { 0 };

      row.row = adw_expander_row_new ();
      set_title (row.row, tier->name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row.row),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, tier->name, -1);
      row.icon = gtk_image_new ();
      gtk_widget_set_valign (row.icon, GTK_ALIGN_CENTER);
      adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row.row), row.icon);
      row.rules = g_array_new (FALSE, TRUE, sizeof (RuleRow));

      for (guint j = 0; j < tier->rules->len; j++)
        {
          const AbTierRule *rule = g_ptr_array_index (tier->rules, j);
          RuleRow rule_row;

          rule_row.row = adw_action_row_new ();
          set_title (rule_row.row, rule->text);
          rule_row.icon = gtk_image_new ();
          gtk_widget_add_css_class (rule_row.icon, "rule-icon");
          adw_action_row_add_prefix (ADW_ACTION_ROW (rule_row.row), rule_row.icon);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (row.row), rule_row.row);
          g_array_append_val (row.rules, rule_row);
        }

      gtk_list_box_append (self->list, row.row);
      g_array_append_val (self->tiers, row);
    }
}

static void
evaluate (AbChecksPanel *self)
{
  g_autoptr(AbTiersReport) report = NULL;
  g_autofree char *summary = NULL;
  guint n_tiers;

  if (self->problem == NULL || self->design == NULL || self->tiers->len == 0)
    {
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
      self->n_passed = 0;
      return;
    }
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "tiers");

  report = ab_tiers_evaluate (self->problem, self->design);
  n_tiers = MIN (report->n_tiers, self->tiers->len);

  for (guint i = 0; i < n_tiers; i++)
    {
      const AbTierResult *result = &report->tiers[i];
      TierRow *row = &g_array_index (self->tiers, TierRow, i);
      g_autoptr(GString) reasons = g_string_new (NULL);
      g_autofree char *escaped = NULL;

      set_state_icon (row->icon, result->pass);
      for (guint j = 0; j < result->n_rules && j < row->rules->len; j++)
        {
          const AbRuleResult *rule = &result->rules[j];
          RuleRow *rule_row = &g_array_index (row->rules, RuleRow, j);
          g_autofree char *subtitle = NULL;
          g_autofree char *escaped_subtitle = NULL;

          set_state_icon (rule_row->icon, rule->pass);
          if (rule->pass)
            subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Has %d instance", "Has %d instances",
                                                     rule->measured),
                                        rule->measured);
          else
            {
              subtitle = g_strdup (rule->reason ? rule->reason : "");
              if (reasons->len > 0)
                g_string_append (reasons, "; ");
              g_string_append (reasons, subtitle);
            }
          escaped_subtitle = g_markup_escape_text (subtitle, -1);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (rule_row->row), escaped_subtitle);
        }

      if (result->pass)
        g_string_assign (reasons, _("Passed"));
      escaped = g_markup_escape_text (reasons->str, -1);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row->row), escaped);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row->row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, reasons->str,
                                      -1);
      if (result->pass)
        gtk_widget_add_css_class (row->row, "tier-passed");
      else
        gtk_widget_remove_css_class (row->row, "tier-passed");
    }

  self->n_passed = report->n_passed;
  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u of %u tier passed",
                                          "%u of %u tiers passed",
                                          report->n_tiers),
                             report->n_passed, report->n_tiers);
  gtk_label_set_label (GTK_LABEL (self->summary), summary);
  gtk_level_bar_set_max_value (GTK_LEVEL_BAR (self->level), MAX (report->n_tiers, 1));
  gtk_level_bar_set_value (GTK_LEVEL_BAR (self->level), report->n_passed);

  g_signal_emit (self, signals[SIGNAL_REPORT_CHANGED], 0, report->n_passed, report->n_tiers);
}

static void
on_design_changed (AbDesign      *design,
                   AbChecksPanel *self)
{
  evaluate (self);
}

static void
ab_checks_panel_dispose (GObject *object)
{
  AbChecksPanel *self = AB_CHECKS_PANEL (object);

  if (self->design != NULL)
    g_clear_signal_handler (&self->changed_id, self->design);
  g_clear_object (&self->design);
  g_clear_pointer (&self->problem, ab_problem_unref);

  G_OBJECT_CLASS (ab_checks_panel_parent_class)->dispose (object);
}

static void
ab_checks_panel_finalize (GObject *object)
{
  AbChecksPanel *self = AB_CHECKS_PANEL (object);

  g_array_unref (self->tiers);

  G_OBJECT_CLASS (ab_checks_panel_parent_class)->finalize (object);
}

static void
ab_checks_panel_class_init (AbChecksPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ab_checks_panel_dispose;
  object_class->finalize = ab_checks_panel_finalize;

  signals[SIGNAL_REPORT_CHANGED] =
    g_signal_new ("report-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
}

static void
ab_checks_panel_init (AbChecksPanel *self)
{
  GtkWidget *box, *header, *title, *empty, *scrolled;

  self->tiers = g_array_new (FALSE, TRUE, sizeof (TierRow));
  g_array_set_clear_func (self->tiers, clear_tier_row);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_add_css_class (box, "panel-content");

  header = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  title = gtk_label_new (_("Checks"));
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "heading");
  gtk_accessible_update_property (GTK_ACCESSIBLE (title),
                                  GTK_ACCESSIBLE_PROPERTY_LEVEL, 2, -1);
  self->summary = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->summary), 0);
  gtk_widget_add_css_class (self->summary, "dim-label");
  self->level = gtk_level_bar_new ();
  gtk_level_bar_set_mode (GTK_LEVEL_BAR (self->level), GTK_LEVEL_BAR_MODE_CONTINUOUS);
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (self->level), GTK_LEVEL_BAR_OFFSET_LOW);
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (self->level), GTK_LEVEL_BAR_OFFSET_HIGH);
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (self->level), GTK_LEVEL_BAR_OFFSET_FULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->level),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Tiers passed"), -1);
  gtk_box_append (GTK_BOX (header), title);
  gtk_box_append (GTK_BOX (header), self->summary);
  gtk_box_append (GTK_BOX (header), self->level);
  gtk_box_append (GTK_BOX (box), header);

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Tiers"), -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->list));

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), box);

  empty = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "emblem-ok-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (empty), _("No Checks"));
  adw_status_page_set_description (ADW_STATUS_PAGE (empty),
                                   _("This design does not belong to a known problem"));
  gtk_widget_add_css_class (empty, "compact");

  self->stack = gtk_stack_new ();
  gtk_stack_add_named (GTK_STACK (self->stack), scrolled, "tiers");
  gtk_stack_add_named (GTK_STACK (self->stack), empty, "empty");
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
  adw_bin_set_child (ADW_BIN (self), self->stack);
}

GtkWidget *
ab_checks_panel_new (void)
{
  return g_object_new (AB_TYPE_CHECKS_PANEL, NULL);
}

void
ab_checks_panel_set_problem (AbChecksPanel *self,
                             AbProblem     *problem)
{
  g_return_if_fail (AB_IS_CHECKS_PANEL (self));

  if (problem != NULL)
    ab_problem_ref (problem);
  g_clear_pointer (&self->problem, ab_problem_unref);
  self->problem = problem;
  rebuild (self);
  evaluate (self);
}

void
ab_checks_panel_set_design (AbChecksPanel *self,
                            AbDesign      *design)
{
  g_return_if_fail (AB_IS_CHECKS_PANEL (self));

  if (self->design == design)
    return;
  if (self->design != NULL)
    g_clear_signal_handler (&self->changed_id, self->design);
  g_set_object (&self->design, design);
  if (design != NULL)
    self->changed_id = g_signal_connect (design, "changed", G_CALLBACK (on_design_changed), self);
  evaluate (self);
}

guint
ab_checks_panel_get_n_passed (AbChecksPanel *self)
{
  g_return_val_if_fail (AB_IS_CHECKS_PANEL (self), 0);
  return self->n_passed;
}
