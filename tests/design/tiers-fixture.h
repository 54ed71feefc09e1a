/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A hand-built problem for tier tests (no problem files needed). */
#pragma once

#include "ab-problem.h"

static inline AbTierRule *
fixture_rule (AbRuleType type, AbKind kind, int count, const char *text)
{
  AbTierRule *rule = g_new0 (AbTierRule, 1);

  rule->type = type;
  rule->kind = kind;
  rule->count = count;
  rule->text = g_strdup (text);
  return rule;
}

static inline void
fixture_rule_free (gpointer data)
{
  AbTierRule *rule = data;

  g_free (rule->text);
  g_free (rule);
}

static inline AbTier *
fixture_tier (const char *name, ...)
{
  AbTier *tier = g_new0 (AbTier, 1);
  va_list args;
  AbTierRule *rule;

  tier->name = g_strdup (name);
  tier->rules = g_ptr_array_new_with_free_func (fixture_rule_free);
  va_start (args, name);
  while ((rule = va_arg (args, AbTierRule *)) != NULL)
    g_ptr_array_add (tier->rules, rule);
  va_end (args);
  return tier;
}

static inline void
fixture_tier_free (gpointer data)
{
  AbTier *tier = data;

  g_free (tier->name);
  g_ptr_array_unref (tier->rules);
  g_free (tier);
}

/* T0: db_primary; T1: db_replica + 3 db_primary instances; T2: 2 cache
 * instances + lb; T3: nothing required. */
static inline AbProblem *
fixture_problem (void)
{
  AbProblem *p = g_new0 (AbProblem, 1);

  p->id = g_strdup ("fixture");
  p->tiers = g_ptr_array_new_with_free_func (fixture_tier_free);
  g_ptr_array_add (p->tiers, fixture_tier ("T0: Database",
    fixture_rule (AB_RULE_MUST_INCLUDE, AB_KIND_DB_PRIMARY, 1, "Must include: db_primary"), NULL));
  g_ptr_array_add (p->tiers, fixture_tier ("T1: Replicas",
    fixture_rule (AB_RULE_MUST_INCLUDE, AB_KIND_DB_REPLICA, 1, "Must include: db_replica"),
    fixture_rule (AB_RULE_MIN_INSTANCES, AB_KIND_DB_PRIMARY, 3, "Minimum 3 of type: db_primary"), NULL));
  g_ptr_array_add (p->tiers, fixture_tier ("T2: Cache",
    fixture_rule (AB_RULE_MIN_INSTANCES, AB_KIND_CACHE, 2, "Minimum 2 of type: cache"),
    fixture_rule (AB_RULE_MUST_INCLUDE, AB_KIND_LB, 1, "Must include: lb"), NULL));
  g_ptr_array_add (p->tiers, fixture_tier ("T3: Free", NULL));
  return p;
}

static inline void
fixture_problem_free (AbProblem *p)
{
  g_ptr_array_unref (p->tiers);
  g_free (p->id);
  g_free (p);
}
