/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbChecksPanel: one expander row per tier with its rules.  The results
 * come from ab_tiers_evaluate (core); this widget only shows them. */
#define G_LOG_DOMAIN "archboard"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ab-checks-panel.h"
#include "ab-format.h"
#include "ab-panel.h"
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
  AbPanel     parent_instance;

  /* template children */
  GtkLevelBar *level;
  GtkListBox *list;
  GtkWidget  *perf_box;
  GtkListBox *perf_list;

  GArray     *tiers;  /* of TierRow */
  GSignalGroup *results_signals;   /* the document's results: complete */
  AbProblem  *problem;             /* the problem the rows were built for */
  guint       n_passed;
  guint       n_tiers;
};

G_DEFINE_FINAL_TYPE (AbChecksPanel, ab_checks_panel, AB_TYPE_PANEL)

enum {
  PROP_0,
  PROP_N_PASSED,
  PROP_N_TIERS,
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
set_counts (AbChecksPanel *self,
            guint          n_passed,
            guint          n_tiers)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->n_passed != n_passed)
    {
      self->n_passed = n_passed;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_PASSED]);
    }
  if (self->n_tiers != n_tiers)
    {
      self->n_tiers = n_tiers;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_TIERS]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
evaluate (AbChecksPanel *self)
{
  AbDesign *design = ab_panel_get_design (AB_PANEL (self));
  g_autoptr(AbTiersReport) report = NULL;
  guint n_tiers;

  if (self->problem == NULL || design == NULL || self->tiers->len == 0)
    {
      set_counts (self, 0, 0);
      return;
    }

  report = ab_tiers_evaluate (self->problem, design);
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

  set_counts (self, report->n_passed, report->n_tiers);
  g_signal_emit (self, signals[SIGNAL_REPORT_CHANGED], 0, report->n_passed, report->n_tiers);
}

static void
ab_checks_panel_design_edited (AbPanel *panel)
{
  evaluate (AB_CHECKS_PANEL (panel));
}

/* ---- performance checks (from the document's simulation results) ---- */

static void
update_performance (AbChecksPanel *self)
{
  AbDocument *document = ab_panel_get_document (AB_PANEL (self));
  AbSimResults *results = document != NULL ? ab_document_get_results (document) : NULL;
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
      /* "10k reads/sec, 1k writes/sec" is checked twice: "(reads)", "(writes)" */
      g_autofree char *title = ab_check_title (summary->checks, i);
      g_autofree char *subtitle = NULL;
      g_autofree char *shown = NULL;
      g_autofree char *escaped = NULL;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new ();

      set_title (row, title);
      /* the core's sentence, in the learner's words (with the reason when
       * the target is recorded as unmeetable) */
      subtitle = g_strdup_printf ("%s%s", check->sentence != NULL ? check->sentence : "",
                                  summary->method == AB_SIM_METHOD_MODEL
                                  ? _(" (estimated; simulating…)") : "");
      /* each figure whole on its line ("99.9 %", not "99.9" then "%") */
      shown = ab_format_keep_figures (subtitle);
      escaped = g_markup_escape_text (shown, -1);
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
  AbDocument *document = ab_panel_get_document (AB_PANEL (self));

  g_signal_group_set_target (self->results_signals,
                             document != NULL ? ab_document_get_results (document) : NULL);
  update_performance (self);
}

static void
ab_checks_panel_document_changed (AbPanel *panel)
{
  AbChecksPanel *self = AB_CHECKS_PANEL (panel);
  AbProblem *problem = ab_panel_get_problem (panel);

  /* Problem and design change together (AbDocument notifies once both
   * are set): the rows are the problem's, the verdicts the design's. */
  if (problem != self->problem)
    {
      if (problem != NULL)
        ab_problem_ref (problem);
      g_clear_pointer (&self->problem, ab_problem_unref);
      self->problem = problem;
      rebuild (self);
    }
  evaluate (self);
  on_results_changed (self);
}

static char *
page_name (gpointer this,
           guint    n_tiers)
{
  return g_strdup (n_tiers > 0 ? "tiers" : "empty");
}

static char *
summary_text (gpointer this,
              guint    n_passed,
              guint    n_tiers)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u of %u tier passed",
                                       "%u of %u tiers passed",
                                       n_tiers),
                          n_passed, n_tiers);
}

static double
level_max (gpointer this,
           guint    n_tiers)
{
  return MAX (n_tiers, 1);
}

static double
level_value (gpointer this,
             guint    n_passed)
{
  return n_passed;
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
    case PROP_N_PASSED:
      g_value_set_uint (value, self->n_passed);
      break;
    case PROP_N_TIERS:
      g_value_set_uint (value, self->n_tiers);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ab_checks_panel_dispose (GObject *object)
{
  AbChecksPanel *self = AB_CHECKS_PANEL (object);

  if (self->results_signals != NULL)
    g_signal_group_set_target (self->results_signals, NULL);
  g_clear_object (&self->results_signals);
  g_clear_pointer (&self->problem, ab_problem_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), AB_TYPE_CHECKS_PANEL);

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
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AbPanelClass *panel_class = AB_PANEL_CLASS (klass);

  object_class->dispose = ab_checks_panel_dispose;
  object_class->finalize = ab_checks_panel_finalize;
  object_class->get_property = ab_checks_panel_get_property;
  panel_class->document_changed = ab_checks_panel_document_changed;
  panel_class->design_edited = ab_checks_panel_design_edited;

  props[PROP_N_PASSED] =
    g_param_spec_uint ("n-passed", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_N_TIERS] =
    g_param_spec_uint ("n-tiers", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[SIGNAL_REPORT_CHANGED] =
    g_signal_new ("report-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/archboard/Archboard/ab-checks-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, AbChecksPanel, level);
  gtk_widget_class_bind_template_child (widget_class, AbChecksPanel, list);
  gtk_widget_class_bind_template_child (widget_class, AbChecksPanel, perf_box);
  gtk_widget_class_bind_template_child (widget_class, AbChecksPanel, perf_list);
  gtk_widget_class_bind_template_callback (widget_class, page_name);
  gtk_widget_class_bind_template_callback (widget_class, summary_text);
  gtk_widget_class_bind_template_callback (widget_class, level_max);
  gtk_widget_class_bind_template_callback (widget_class, level_value);
}

static void
ab_checks_panel_init (AbChecksPanel *self)
{
  self->tiers = g_array_new (FALSE, TRUE, sizeof (TierRow));
  g_array_set_clear_func (self->tiers, clear_tier_row);

  gtk_widget_init_template (GTK_WIDGET (self));
  /* One colour for the bar, not low / high / full. */
  gtk_level_bar_remove_offset_value (self->level, GTK_LEVEL_BAR_OFFSET_LOW);
  gtk_level_bar_remove_offset_value (self->level, GTK_LEVEL_BAR_OFFSET_HIGH);
  gtk_level_bar_remove_offset_value (self->level, GTK_LEVEL_BAR_OFFSET_FULL);

  g_signal_group_connect_swapped (ab_panel_get_document_signals (AB_PANEL (self)), "notify::results",
                                  G_CALLBACK (on_results_changed), self);
  self->results_signals = g_signal_group_new (AB_TYPE_SIM_RESULTS);
  g_signal_group_connect_swapped (self->results_signals, "notify::complete",
                                  G_CALLBACK (update_performance), self);
}

GtkWidget *
ab_checks_panel_new (void)
{
  return g_object_new (AB_TYPE_CHECKS_PANEL, NULL);
}

guint
ab_checks_panel_get_n_passed (AbChecksPanel *self)
{
  g_return_val_if_fail (AB_IS_CHECKS_PANEL (self), 0);
  return self->n_passed;
}

guint
ab_checks_panel_get_n_tiers (AbChecksPanel *self)
{
  g_return_val_if_fail (AB_IS_CHECKS_PANEL (self), 0);
  return self->n_tiers;
}
