/* Helpers shared by the simulation tests: reference designs built in
 * process the way `archboard-cli reference` builds them. */
#pragma once

#include "ab-design.h"
#include "ab-problem.h"

static inline AbDesign *
sim_reference_design (const AbProblem *problem)
{
  AbDesign *design = ab_design_new (problem->id);
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  for (guint i = 0; i < problem->reference_components->len; i++)
    {
      const AbRefComponent *c = g_ptr_array_index (problem->reference_components, i);
      const char *id = ab_design_add_component (design, c->kind, c->name, c->x, c->y, c->instances);
      g_hash_table_insert (ids, c->name, g_strdup (id));
    }
  for (guint i = 0; i < problem->reference_connections->len; i++)
    {
      const AbRefConnection *c = g_ptr_array_index (problem->reference_connections, i);
      g_autoptr(GError) error = NULL;

      ab_design_connect (design, g_hash_table_lookup (ids, c->from), g_hash_table_lookup (ids, c->to), &error);
      g_assert_no_error (error);
    }
  return design;
}
