/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Per-problem records in GSettings: see ab-records.h. */
#define G_LOG_DOMAIN "archboard"

#include "config.h"

#include <math.h>

#include "ab-records.h"

gboolean
ab_records_get (GSettings  *settings,
                const char *problem_id,
                gboolean   *solved,
                double     *best_p95_ms,
                double     *lowest_cost)
{
  g_autoptr(GVariant) records = g_settings_get_value (settings, "records");
  GVariantIter iter;
  const char *id;
  gboolean s;
  double p, c;

  g_variant_iter_init (&iter, records);
  while (g_variant_iter_next (&iter, "{&s(bdd)}", &id, &s, &p, &c))
    if (g_strcmp0 (id, problem_id) == 0)
      {
        *solved = s;
        *best_p95_ms = p;
        *lowest_cost = c;
        return TRUE;
      }
  return FALSE;
}

static double
better (double old,
        double candidate)
{
  if (!(candidate > 0.0) || !isfinite (candidate))
    return old;
  if (!(old > 0.0))
    return candidate;
  return MIN (old, candidate);
}

void
ab_records_add (GSettings  *settings,
                const char *problem_id,
                gboolean    solved,
                double      p95_ms,
                double      cost_per_month)
{
  g_autoptr(GVariant) old = g_settings_get_value (settings, "records");
  GVariantBuilder builder;
  GVariantIter iter;
  const char *id;
  gboolean s, found = FALSE;
  double p, c;

  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (problem_id != NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{s(bdd)}"));
  g_variant_iter_init (&iter, old);
  while (g_variant_iter_next (&iter, "{&s(bdd)}", &id, &s, &p, &c))
    {
      if (g_strcmp0 (id, problem_id) == 0)
        {
          found = TRUE;
          s = s || solved;
          p = better (p, p95_ms);
          if (solved)
            c = better (c, cost_per_month);
        }
      g_variant_builder_add (&builder, "{s(bdd)}", id, s, p, c);
    }
  if (!found)
    g_variant_builder_add (&builder, "{s(bdd)}", problem_id, solved, better (0.0, p95_ms),
                           solved ? better (0.0, cost_per_month) : 0.0);
  g_settings_set_value (settings, "records", g_variant_builder_end (&builder));
}
