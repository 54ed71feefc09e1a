/* Every shipped reference solution, built as a design the way
 * `archboard-cli reference` builds it, passes every tier of its problem. */
#include "config.h"

#include "ab-design.h"
#include "ab-problem.h"
#include "ab-tiers.h"

static AbDesign *
design_from_reference (const AbProblem *problem)
{
  AbDesign *design = ab_design_new (problem->id);
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  for (guint i = 0; i < problem->reference_components->len; i++)
    {
      const AbRefComponent *component = g_ptr_array_index (problem->reference_components, i);
      const char *id = ab_design_add_component (design, component->kind, component->name,
                                                component->x, component->y, component->instances);
      g_hash_table_insert (ids, component->name, g_strdup (id));
    }
  for (guint i = 0; i < problem->reference_connections->len; i++)
    {
      const AbRefConnection *connection = g_ptr_array_index (problem->reference_connections, i);
      g_autoptr(GError) error = NULL;

      if (ab_design_connect (design, g_hash_table_lookup (ids, connection->from),
                             g_hash_table_lookup (ids, connection->to), &error) == NULL)
        g_error ("%s: %s → %s refused: %s", problem->id, connection->from, connection->to, error->message);
    }
  return design;
}

static void
test_reference (gconstpointer data)
{
  AbProblem *problem = ab_problem_set_lookup (ab_problem_set_get_default (), data);
  g_autoptr(AbDesign) design = NULL;
  g_autoptr(AbTiersReport) report = NULL;

  g_assert_nonnull (problem);
  design = design_from_reference (problem);
  g_assert_cmpuint (ab_design_get_n_components (design), ==, problem->reference_components->len);
  g_assert_cmpuint (ab_design_get_n_connections (design), ==, problem->reference_connections->len);
  report = ab_tiers_evaluate (problem, design);
  g_assert_cmpuint (report->n_tiers, ==, problem->tiers->len);
  for (guint t = 0; t < report->n_tiers; t++)
    for (guint r = 0; r < report->tiers[t].n_rules; r++)
      if (!report->tiers[t].rules[r].pass)
        g_error ("%s: %s fails: %s", problem->id, report->tiers[t].tier->name, report->tiers[t].rules[r].reason);
  g_assert_cmpuint (report->n_passed, ==, report->n_tiers);
}

/* The checker really checks: the reference without its instance counts
 * fails where the amendments were needed. */
static void
test_unamended_fails (void)
{
  AbProblem *problem = ab_problem_set_lookup (ab_problem_set_get_default (), "distributed-database");
  g_autoptr(AbDesign) design = design_from_reference (problem);
  g_autoptr(AbTiersReport) report = NULL;

  for (guint i = 0; i < ab_design_get_n_components (design); i++)
    {
      const AbComponent *component = ab_design_get_component (design, i);
      if (component->kind == AB_KIND_APP)
        ab_design_set_instances (design, component->id, 1);
    }
  report = ab_tiers_evaluate (problem, design);
  g_assert_cmpuint (report->n_passed, <, report->n_tiers);
}

int
main (int    argc,
      char **argv)
{
  AbProblemSet *set;

  g_test_init (&argc, &argv, NULL);
  set = ab_problem_set_get_default ();
  g_assert_cmpuint (ab_problem_set_get_n (set), ==, 35);
  for (guint i = 0; i < ab_problem_set_get_n (set); i++)
    {
      AbProblem *problem = ab_problem_set_get_nth (set, i);
      g_autofree char *path = g_strdup_printf ("/problems/reference/%s", problem->id);
      g_test_add_data_func (path, problem->id, test_reference);
    }
  g_test_add_func ("/problems/reference/unamended-fails", test_unamended_fails);
  return g_test_run ();
}
