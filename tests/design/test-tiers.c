/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of tier evaluation: pass / fail per rule, measured values and
 * reasons a learner can act on. */
#include "config.h"

#include <stdarg.h>

#include "ab-tiers.h"
#include "../german-test-util.h"
#include "tiers-fixture.h"

static void
test_empty_design (void)
{
  AbProblem *p = fixture_problem ();
  g_autoptr(AbDesign) d = ab_design_new ("fixture");
  g_autoptr(AbTiersReport) r = ab_tiers_evaluate (p, d);

  g_assert_cmpuint (r->n_tiers, ==, 4);
  g_assert_cmpuint (r->n_passed, ==, 1);
  g_assert_false (r->tiers[0].pass);
  g_assert_cmpstr (r->tiers[0].tier->name, ==, "T0: Database");
  g_assert_cmpstr (r->tiers[0].rules[0].reason, ==, "Add a Primary database");
  g_assert_cmpint (r->tiers[0].rules[0].measured, ==, 0);
  g_assert_cmpint (r->tiers[0].rules[0].required, ==, 1);
  g_assert_cmpstr (r->tiers[1].rules[1].reason, ==, "Needs 3 Primary database instances in total, has none");
  g_assert_cmpstr (r->tiers[2].rules[0].reason, ==, "Needs 2 Cache instances in total, has none");
  g_assert_cmpstr (r->tiers[2].rules[1].reason, ==, "Add a Load balancer");
  g_assert_true (r->tiers[3].pass);
  g_assert_cmpuint (r->tiers[3].n_rules, ==, 0);
  fixture_problem_free (p);
}

static void
test_partial_and_full (void)
{
  AbProblem *p = fixture_problem ();
  g_autoptr(AbDesign) d = ab_design_new ("fixture");
  g_autofree char *db = g_strdup (ab_design_add_component (d, AB_KIND_DB_PRIMARY, NULL, 0, 0, 1));

  {
    g_autoptr(AbTiersReport) r = ab_tiers_evaluate (p, d);
    g_assert_true (r->tiers[0].pass);
    g_assert_null (r->tiers[0].rules[0].reason);
    g_assert_cmpint (r->tiers[0].rules[0].measured, ==, 1);
    g_assert_false (r->tiers[1].pass);
    g_assert_cmpstr (r->tiers[1].rules[0].reason, ==, "Add a Read replica");
    g_assert_cmpstr (r->tiers[1].rules[1].reason, ==, "Needs 3 Primary database instances in total, has 1");
    g_assert_cmpint (r->tiers[1].rules[1].measured, ==, 1);
    g_assert_cmpint (r->tiers[1].rules[1].required, ==, 3);
    g_assert_cmpuint (r->n_passed, ==, 2);
  }

  /* Instances add up over components (shards). */
  ab_design_set_instances (d, db, 2);
  ab_design_add_component (d, AB_KIND_DB_PRIMARY, NULL, 0, 0, 1);
  ab_design_add_component (d, AB_KIND_DB_REPLICA, NULL, 0, 0, 1);
  ab_design_add_component (d, AB_KIND_CACHE, NULL, 0, 0, 1);
  ab_design_add_component (d, AB_KIND_LB, NULL, 0, 0, 1);
  {
    g_autoptr(AbTiersReport) r = ab_tiers_evaluate (p, d);
    g_assert_true (r->tiers[1].pass);
    g_assert_cmpint (r->tiers[1].rules[1].measured, ==, 3);
    g_assert_false (r->tiers[2].pass);
    g_assert_cmpstr (r->tiers[2].rules[0].reason, ==, "Needs 2 Cache instances in total, has 1");
    g_assert_true (r->tiers[2].rules[1].pass);
  }
  ab_design_add_component (d, AB_KIND_CACHE, NULL, 0, 0, 1);
  {
    g_autoptr(AbTiersReport) r = ab_tiers_evaluate (p, d);
    g_assert_cmpuint (r->n_passed, ==, 4);
    for (guint t = 0; t < r->n_tiers; t++)
      {
        g_assert_true (r->tiers[t].pass);
        for (guint i = 0; i < r->tiers[t].n_rules; i++)
          g_assert_null (r->tiers[t].rules[i].reason);
      }
  }
  /* Undo makes it fail again. */
  g_assert_true (ab_design_undo (d));
  {
    g_autoptr(AbTiersReport) r = ab_tiers_evaluate (p, d);
    g_assert_cmpuint (r->n_passed, ==, 3);
  }
  fixture_problem_free (p);
}

/* Rules and reasons in the learner's words: display names, "an" before
 * a vowel, singular for one instance. */
static void
test_words (void)
{
  AbTierRule include_app = { AB_RULE_MUST_INCLUDE, AB_KIND_APP, 1, (char *) "Must include: app" };
  AbTierRule include_db = { AB_RULE_MUST_INCLUDE, AB_KIND_DB_PRIMARY, 1, (char *) "Must include: db_primary" };
  AbTierRule one_cache = { AB_RULE_MIN_INSTANCES, AB_KIND_CACHE, 1, (char *) "Minimum 1 of type: cache" };
  AbTierRule three_caches = { AB_RULE_MIN_INSTANCES, AB_KIND_CACHE, 3, (char *) "Minimum 3 of type: cache" };
  g_autofree char *a = ab_tiers_describe_rule (&include_app);
  g_autofree char *b = ab_tiers_describe_rule (&include_db);
  g_autofree char *c = ab_tiers_describe_rule (&one_cache);
  g_autofree char *d = ab_tiers_describe_rule (&three_caches);
  AbProblem *p = fixture_problem ();
  g_autoptr(AbDesign) design = ab_design_new ("fixture");
  AbTier *tier = p->tiers->pdata[0];

  g_assert_cmpstr (a, ==, "Must include an Application server");
  g_assert_cmpstr (b, ==, "Must include a Primary database");
  g_assert_cmpstr (c, ==, "At least 1 Cache instance in total");
  g_assert_cmpstr (d, ==, "At least 3 Cache instances in total");

  /* "Add an ..." before a vowel; one required instance is singular. */
  g_ptr_array_add (tier->rules, &include_app);
  g_ptr_array_add (tier->rules, &one_cache);
  {
    g_autoptr(AbTiersReport) r = ab_tiers_evaluate (p, design);

    g_assert_cmpstr (r->tiers[0].rules[1].reason, ==, "Add an Application server");
    g_assert_cmpstr (r->tiers[0].rules[2].reason, ==, "Needs 1 Cache instance in total, has none");
  }
  /* On the stack: take them out again before the fixture frees its rules. */
  g_ptr_array_steal_index (tier->rules, 2);
  g_ptr_array_steal_index (tier->rules, 1);
  fixture_problem_free (p);
}

/* In German a rule asks as the problem's rules do ("Muss enthalten:
 * db_primary" in the checks): presentation mode read "Enthält:
 * Primärdatenbank" ("contains") under a tier the design did not pass. */
static void
test_words_german (void)
{
  AbTierRule include_db = { AB_RULE_MUST_INCLUDE, AB_KIND_DB_PRIMARY, 1, (char *) "Must include: db_primary" };
  AbTierRule include_app = { AB_RULE_MUST_INCLUDE, AB_KIND_APP, 1, (char *) "Must include: app" };

  if (!g_test_subprocess ())
    {
      german_test_trap ();
      return;
    }
  german_test_enter ();
  {
    g_autofree char *db = ab_tiers_describe_rule (&include_db);
    g_autofree char *app = ab_tiers_describe_rule (&include_app);

    g_assert_cmpstr (db, ==, "Muss enthalten: Primärdatenbank");
    g_assert_cmpstr (app, ==, "Muss enthalten: Anwendungsserver");
  }
}

/* Every shipped problem's reference solution passes all its tiers. */
static void
test_shipped_references (void)
{
  AbProblemSet *set = ab_problem_set_get_default ();
  guint n = set != NULL ? ab_problem_set_get_n (set) : 0;

  if (n == 0)
    {
      g_test_skip ("no problems shipped yet");
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      AbProblem *p = ab_problem_set_get_nth (set, i);
      g_autoptr(AbDesign) d = ab_design_new (p->id);
      g_autoptr(AbTiersReport) r = NULL;

      for (guint j = 0; j < p->reference_components->len; j++)
        {
          AbRefComponent *rc = p->reference_components->pdata[j];
          ab_design_add_component (d, rc->kind, rc->name, rc->x, rc->y, rc->instances);
        }
      r = ab_tiers_evaluate (p, d);
      for (guint t = 0; t < r->n_tiers; t++)
        for (guint k = 0; k < r->tiers[t].n_rules; k++)
          if (!r->tiers[t].rules[k].pass)
            g_error ("%s reference fails %s: %s", p->id, r->tiers[t].tier->name, r->tiers[t].rules[k].reason);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tiers/empty-design", test_empty_design);
  g_test_add_func ("/tiers/partial-and-full", test_partial_and_full);
  g_test_add_func ("/tiers/words", test_words);
  g_test_add_func ("/tiers/words-german", test_words_german);
  g_test_add_func ("/tiers/shipped-references", test_shipped_references);
  return g_test_run ();
}
