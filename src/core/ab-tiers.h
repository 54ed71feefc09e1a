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
  /* NULL when passing; what to do, with the kind's display name, in the
   * user's language: "Add a Primary database", "Needs 3 Cache instances
   * in total, has 1". */
  char             *reason;
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

/* The rule in words, with the kind's display name: "Must include a
 * Primary database", "At least 3 Cache instances in total". */
char          *ab_tiers_describe_rule (const AbTierRule *rule);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AbTiersReport, ab_tiers_report_free)

G_END_DECLS
