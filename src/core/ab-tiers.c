/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tier checks: evaluates a problem's checkpoints against a design.  The
 * instances of every kind are counted once, so a check is one pass over
 * the components plus one step per rule. */
#define G_LOG_DOMAIN "archboard-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ab-catalog.h"
#include "ab-tiers.h"

/* The kind as the learner sees it in the palette ("Primary database"). */
static const char *
kind_name (AbKind kind)
{
  AbCatalog *catalog = ab_catalog_get_default ();
  const AbKindInfo *info = catalog != NULL ? ab_catalog_get_kind (catalog, kind) : NULL;

  if (info != NULL && info->display_name != NULL)
    return info->display_name;
  return ab_kind_to_string (kind) != NULL ? ab_kind_to_string (kind) : "?";
}

/* English needs "an" before a vowel; translations say it their way. */
static gboolean
starts_with_vowel (const char *name)
{
  return name[0] != '\0' && strchr ("AEIOUaeiou", name[0]) != NULL;
}

char *
ab_tiers_describe_rule (const AbTierRule *rule)
{
  const char *name;

  g_return_val_if_fail (rule != NULL, NULL);

  name = kind_name (rule->kind);
  if (rule->type == AB_RULE_MUST_INCLUDE)
    return g_strdup_printf (starts_with_vowel (name)
                            /* Translators: a tier rule; %s is a component kind, "Application server" */
                            ? _("Must include an %s")
                            /* Translators: a tier rule; %s is a component kind, "Primary database" */
                            : _("Must include a %s"),
                            name);
  /* Translators: a tier rule; "At least 3 Cache instances in total" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "At least %d %s instance in total",
                                       "At least %d %s instances in total",
                                       rule->count),
                          rule->count, name);
}

static char *
reason_for (const AbTierRule *rule,
            int               measured)
{
  const char *name = kind_name (rule->kind);

  if (rule->type == AB_RULE_MUST_INCLUDE)
    return g_strdup_printf (starts_with_vowel (name)
                            /* Translators: why a tier fails; %s is a component kind */
                            ? _("Add an %s")
                            /* Translators: why a tier fails; %s is a component kind */
                            : _("Add a %s"),
                            name);
  if (measured == 0)
    /* Translators: why a tier fails; "Needs 3 Cache instances in total, has none" */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Needs %d %s instance in total, has none",
                                         "Needs %d %s instances in total, has none",
                                         rule->count),
                            rule->count, name);
  /* Translators: why a tier fails; "Needs 3 Cache instances in total, has 1" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Needs %d %s instance in total, has %d",
                                       "Needs %d %s instances in total, has %d",
                                       rule->count),
                          rule->count, name, measured);
}

AbTiersReport *
ab_tiers_evaluate (const AbProblem *problem,
                   AbDesign        *design)
{
  AbTiersReport *report;
  int instances[AB_N_KINDS] = { 0 };
  int components[AB_N_KINDS] = { 0 };
  guint n;

  g_return_val_if_fail (problem != NULL, NULL);
  g_return_val_if_fail (AB_IS_DESIGN (design), NULL);

  n = ab_design_get_n_components (design);
  for (guint i = 0; i < n; i++)
    {
      const AbComponent *c = ab_design_get_component (design, i);
      if (c->kind >= 0 && c->kind < AB_N_KINDS)
        {
          components[c->kind]++;
          instances[c->kind] += c->instances;
        }
    }

  report = g_new0 (AbTiersReport, 1);
  report->n_tiers = problem->tiers != NULL ? problem->tiers->len : 0;
  report->tiers = g_new0 (AbTierResult, report->n_tiers);
  for (guint t = 0; t < report->n_tiers; t++)
    {
      const AbTier *tier = problem->tiers->pdata[t];
      AbTierResult *tr = &report->tiers[t];

      tr->tier = tier;
      tr->pass = TRUE;
      tr->n_rules = tier->rules != NULL ? tier->rules->len : 0;
      tr->rules = g_new0 (AbRuleResult, tr->n_rules);
      for (guint r = 0; r < tr->n_rules; r++)
        {
          const AbTierRule *rule = tier->rules->pdata[r];
          AbRuleResult *rr = &tr->rules[r];
          gboolean known = rule->kind >= 0 && rule->kind < AB_N_KINDS;

          rr->rule = rule;
          rr->measured = known ? instances[rule->kind] : 0;
          if (rule->type == AB_RULE_MUST_INCLUDE)
            {
              rr->required = 1;
              rr->pass = known && components[rule->kind] > 0;
            }
          else
            {
              rr->required = rule->count;
              rr->pass = known && instances[rule->kind] >= rule->count;
            }
          if (!rr->pass)
            {
              rr->reason = reason_for (rule, rr->measured);
              tr->pass = FALSE;
            }
        }
      if (tr->pass)
        report->n_passed++;
    }
  return report;
}

void
ab_tiers_report_free (AbTiersReport *report)
{
  if (report == NULL)
    return;
  for (guint t = 0; t < report->n_tiers; t++)
    {
      for (guint r = 0; r < report->tiers[t].n_rules; r++)
        g_free (report->tiers[t].rules[r].reason);
      g_free (report->tiers[t].rules);
    }
  g_free (report->tiers);
  g_free (report);
}
