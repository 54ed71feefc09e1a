/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tier checks: which checkpoints of a problem a design passes, with the
 * measured value of every rule and a reason a learner can act on. */
#pragma once

#include "ab-design.h"
#include "ab-problem.h"

G_BEGIN_DECLS

typedef struct {
  const AbTierRule *rule;   /* borrowed from the problem */
  gboolean          pass;
  int               measured; /* instances of the kind in the design */
  int               required;
  char             *reason;   /* NULL when passing; "needs 3 db_primary instances, has 1" */
} AbRuleResult;

typedef struct {
  const AbTier *tier;       /* borrowed from the problem */
  gboolean      pass;
  AbRuleResult *rules;
  guint         n_rules;
} AbTierResult;

typedef struct {
  AbTierResult *tiers;
  guint         n_tiers;
  guint         n_passed;
} AbTiersReport;

AbTiersReport *ab_tiers_evaluate    (const AbProblem *problem,
                                     AbDesign        *design);
void           ab_tiers_report_free (AbTiersReport   *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AbTiersReport, ab_tiers_report_free)

G_END_DECLS
