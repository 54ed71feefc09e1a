/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Builds a problem's reference solution as a design and compares designs
 * by instances per kind (counted by the core). */
#define G_LOG_DOMAIN "archboard-core"

#include "config.h"

#include "ab-reference.h"

AbDesign *
ab_reference_build_design (const AbProblem  *problem,
                           GError          **error)
{
  g_autoptr(AbDesign) scratch = NULL;
  g_autoptr(GHashTable) ids = NULL;
  g_autofree char *data = NULL;
  gsize length;

  g_return_val_if_fail (problem != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  scratch = ab_design_new (problem->id);
  ids = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  for (guint i = 0; problem->reference_components != NULL && i < problem->reference_components->len; i++)
    {
      const AbRefComponent *ref = g_ptr_array_index (problem->reference_components, i);
      const char *id = ab_design_add_component (scratch, ref->kind, ref->name, ref->x, ref->y,
                                                MAX (ref->instances, 1));

      g_hash_table_insert (ids, ref->name, g_strdup (id));
      for (guint j = 0; ref->params != NULL && j < ref->params->len; j++)
        {
          const AbRefParam *param = g_ptr_array_index (ref->params, j);
          ab_design_set_component_param (scratch, id, param->name, g_variant_new_double (param->value));
        }
    }

  for (guint i = 0; problem->reference_connections != NULL && i < problem->reference_connections->len; i++)
    {
      const AbRefConnection *ref = g_ptr_array_index (problem->reference_connections, i);
      const char *from = g_hash_table_lookup (ids, ref->from);
      const char *to = g_hash_table_lookup (ids, ref->to);
      g_autoptr(GError) connect_error = NULL;
      const char *connection_id;
      AbConnMode mode;

      if (from == NULL || to == NULL)
        {
          g_set_error (error, AB_ERROR, AB_ERROR_NOT_FOUND,
                       "%s: reference connection \"%s → %s\" names an unknown component",
                       problem->id, ref->from, ref->to);
          return NULL;
        }
      if ((connection_id = ab_design_connect (scratch, from, to, &connect_error)) == NULL)
        {
          g_set_error (error, AB_ERROR, AB_ERROR_REFUSED,
                       "%s: reference connection \"%s → %s\": %s",
                       problem->id, ref->from, ref->to, connect_error->message);
          return NULL;
        }
      if (ref->mode != NULL && ab_conn_mode_from_string (ref->mode, &mode))
        ab_design_set_connection_mode (scratch, connection_id, mode);
    }

  /* A round trip through the file format drops the undo history, so the
   * document opens unmodified with nothing to undo. */
  data = ab_design_to_data (scratch, &length);
  return ab_design_load_from_data (data, length, problem->id, error);
}

GArray *
ab_reference_compare (AbDesign *reference,
                      AbDesign *design)
{
  GArray *lacking = g_array_new (FALSE, FALSE, sizeof (AbKindShortfall));

  g_return_val_if_fail (AB_IS_DESIGN (reference), lacking);
  g_return_val_if_fail (AB_IS_DESIGN (design), lacking);

  for (int kind = 0; kind < AB_N_KINDS; kind++)
    {
      AbKindShortfall item = {
        .kind = kind,
        .reference = ab_design_count_instances (reference, kind),
        .mine = ab_design_count_instances (design, kind),
      };

      if (item.mine < item.reference)
        g_array_append_val (lacking, item);
    }
  return lacking;
}
