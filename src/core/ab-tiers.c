/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tier checks: evaluates a problem's checkpoints against a design.  The
 * instances of every kind are counted once, so a check is one pass over
 * the components plus one step per rule. */
#define G_LOG_DOMAIN "archboard-core"

#include "config.h"

#include "ab-tiers.h"

static char *
reason_for (const AbTierRule *rule,
            int               measured)
{
  const char *kind = ab_kind_to_string (rule->kind);

  if (rule->type == AB_RULE_MUST_INCLUDE)
    return g_strdup_printf ("add a %s", kind);
  if (measured == 0)
    return g_strdup_printf ("needs %d %s instance%s, has none: add a %s", rule->count, kind,
                            rule->count == 1 ? "" : "s", kind);
  return g_strdup_printf ("needs %d %s instance%s, has %d", rule->count, kind,
                          rule->count == 1 ? "" : "s", measured);
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
