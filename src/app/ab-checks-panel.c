/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbChecksPanel: one expander row per tier with its rules.  The results
 * come from ab_tiers_evaluate (core); this widget only shows them. */
#define G_LOG_DOMAIN "archboard"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ab-checks-panel.h"
#include "ab-document.h"
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
  GtkWidget  *perf_box;
  GtkListBox *perf_list;

  AbDocument   *document;
  GSignalGroup *document_signals;
  GSignalGroup *results_signals;   /* the document's results: complete */
  AbProblem  *problem;
  AbDesign   *design;
  gulong      changed_id;
  guint       n_passed;
};

G_DEFINE_FINAL_TYPE (AbChecksPanel, ab_checks_panel, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_DOCUMENT,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

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
          g_autofree char *words = ab_tiers_describe_rule (rule);

          rule_row.row = adw_action_row_new ();
          set_title (rule_row.row, words);
          /* As written in the problem file. */
          gtk_widget_set_tooltip_text (rule_row.row, rule->text);
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

/* ---- performance checks (from the document's simulation results) ---- */

static void
update_performance (AbChecksPanel *self)
{
  AbSimResults *results = self->document != NULL ? ab_document_get_results (self->document) : NULL;
  const AbSimSummary *summary = results != NULL ? ab_sim_results_get_summary (results) : NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->perf_list))) != NULL)
    gtk_list_box_remove (self->perf_list, child);
  gtk_widget_set_visible (self->perf_box, summary != NULL && summary->checks->len > 0);
  if (summary == NULL)
    return;

  for (guint i = 0; i < summary->checks->len; i++)
    {
      const AbCheck *check = g_ptr_array_index (summary->checks, i);
      g_autofree char *subtitle = NULL;
      g_autofree char *escaped = NULL;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new ();

      set_title (row, check->target);
      /* the core's sentence, in the learner's words (with the reason when
       * the target is recorded as unmeetable) */
      subtitle = g_strdup_printf ("%s%s", check->sentence != NULL ? check->sentence : "",
                                  summary->method == AB_SIM_METHOD_MODEL
                                  ? _(" (estimated; simulating…)") : "");
      escaped = g_markup_escape_text (subtitle, -1);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
      gtk_widget_add_css_class (icon, "rule-icon");
      if (check->verdict == AB_CHECK_TOO_CLOSE || check->verdict == AB_CHECK_NOT_JUDGED)
        {
          gtk_image_set_from_icon_name (GTK_IMAGE (icon), "dialog-warning-symbolic");
          gtk_widget_add_css_class (icon, "warning");
          gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          check->verdict == AB_CHECK_TOO_CLOSE
                                          ? _("Too close to call") : _("Not judged"), -1);
        }
      else
        set_state_icon (icon, check->pass);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle,
                                      -1);
      gtk_list_box_append (self->perf_list, row);
    }
}

static void
on_results_changed (AbChecksPanel *self)
{
  g_signal_group_set_target (self->results_signals,
                             self->document != NULL ? ab_document_get_results (self->document) : NULL);
  update_performance (self);
}

static void
on_document_changed (AbChecksPanel *self)
{
  AbDesign *design = self->document != NULL ? ab_document_get_design (self->document) : NULL;
  AbProblem *problem = self->document != NULL ? ab_document_get_problem (self->document) : NULL;

  /* Problem and design change together: never evaluate one with the
   * other's. */
  if (problem != self->problem)
    {
      ab_checks_panel_set_design (self, NULL);
      ab_checks_panel_set_problem (self, problem);
    }
  ab_checks_panel_set_design (self, design);
  on_results_changed (self);
}

static void
ab_checks_panel_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AbChecksPanel *self = AB_CHECKS_PANEL (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ab_checks_panel_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  AbChecksPanel *self = AB_CHECKS_PANEL (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      if (g_set_object (&self->document, g_value_get_object (value)))
        {
          g_signal_group_set_target (self->document_signals, self->document);
          on_document_changed (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ab_checks_panel_dispose (GObject *object)
{
  AbChecksPanel *self = AB_CHECKS_PANEL (object);

  g_signal_group_set_target (self->document_signals, NULL);
  g_signal_group_set_target (self->results_signals, NULL);
  g_clear_object (&self->document_signals);
  g_clear_object (&self->results_signals);
  g_clear_object (&self->document);

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
  object_class->get_property = ab_checks_panel_get_property;
  object_class->set_property = ab_checks_panel_set_property;

  props[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, AB_TYPE_DOCUMENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

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

  /* the problem's performance targets, measured by the live simulation */
  self->perf_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  {
    GtkWidget *perf_title = gtk_label_new (_("Performance"));

    gtk_label_set_xalign (GTK_LABEL (perf_title), 0);
    gtk_widget_add_css_class (perf_title, "heading");
    gtk_accessible_update_property (GTK_ACCESSIBLE (perf_title),
                                    GTK_ACCESSIBLE_PROPERTY_LEVEL, 2, -1);
    gtk_box_append (GTK_BOX (self->perf_box), perf_title);
  }
  self->perf_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->perf_list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->perf_list), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->perf_list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Performance checks"), -1);
  gtk_box_append (GTK_BOX (self->perf_box), GTK_WIDGET (self->perf_list));
  gtk_widget_set_visible (self->perf_box, FALSE);
  gtk_box_append (GTK_BOX (box), self->perf_box);

  self->document_signals = ab_document_signal_group_new (self, G_CALLBACK (on_document_changed));
  g_signal_group_connect_swapped (self->document_signals, "notify::results",
                                  G_CALLBACK (on_results_changed), self);
  self->results_signals = g_signal_group_new (AB_TYPE_SIM_RESULTS);
  g_signal_group_connect_swapped (self->results_signals, "notify::complete",
                                  G_CALLBACK (update_performance), self);

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), box);
  /* As tall as the checks when there is room; scrolls when there is not. */
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);

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
