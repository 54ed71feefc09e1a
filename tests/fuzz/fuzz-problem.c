/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness for the problem loader (ab_problem_load_from_data): a
 * problem that loads must keep the loader's invariants and survive
 * to_json -> load -> to_json unchanged. */
#define G_LOG_DOMAIN "archboard-fuzz"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ab-problem.h"
#include "fuzz-common.h"

#define FILENAME "fuzz.json"

static G_NORETURN void
broken (const char *what)
{
  g_printerr ("fuzz-problem: %s\n", what);
  abort ();
}

static gboolean
valid_kind (AbKind kind)
{
  return kind >= 0 && kind < AB_N_KINDS;
}

static void
check_invariants (const AbProblem *p)
{
  if (p->id == NULL || p->title == NULL)
    broken ("problem without id or title");
  if (p->tiers == NULL)
    broken ("problem without a tier list");
  for (guint i = 0; i < p->tiers->len; i++)
    {
      const AbTier *tier = g_ptr_array_index (p->tiers, i);

      if (tier->name == NULL || tier->rules == NULL)
        broken ("tier without name or rules");
      for (guint r = 0; r < tier->rules->len; r++)
        {
          const AbTierRule *rule = g_ptr_array_index (tier->rules, r);

          if (!valid_kind (rule->kind))
            broken ("tier rule of an invalid kind");
          if (rule->count < 1)
            broken ("tier rule with a count below one");
        }
    }
  for (guint i = 0; i < p->n_available; i++)
    if (!valid_kind (p->available[i]))
      broken ("available component of an invalid kind");
  if (p->reference_components != NULL)
    for (guint i = 0; i < p->reference_components->len; i++)
      {
        const AbRefComponent *c = g_ptr_array_index (p->reference_components, i);

        if (c->name == NULL || !valid_kind (c->kind))
          broken ("reference component without name or with an invalid kind");
        if (!isfinite (c->x) || !isfinite (c->y))
          broken ("reference component at a non-finite position");
      }
  if (p->nonfunctional != NULL)
    for (guint i = 0; i < p->nonfunctional->len; i++)
      {
        const AbTarget *t = g_ptr_array_index (p->nonfunctional, i);

        if (t->text == NULL)
          broken ("target without its original text");
        if (!isfinite (t->value) || !isfinite (t->bound_ms) || !isfinite (t->percentile))
          broken ("target with a non-finite figure");
      }
  if (!isfinite (p->workload.read_rps) || !isfinite (p->workload.write_rps)
      || !isfinite (p->workload.peak_multiplier) || !isfinite (p->workload.dataset_bytes))
    broken ("workload with a non-finite figure");
  for (int t = AB_TARGET_LATENCY; t <= AB_TARGET_OTHER; t++)
    {
      const AbTarget *target = ab_problem_find_target (p, (AbTargetType) t);
      if (target != NULL && target->type != (AbTargetType) t)
        broken ("find_target returned a target of another type");
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AbProblem) problem = NULL;
  g_autoptr(AbProblem) again = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) node2 = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;

  problem = ab_problem_load_from_data ((const char *) data, (gssize) size, FILENAME, &error);
  ab_fuzz_last_accepted = problem != NULL;
  if (problem == NULL)
    {
      ab_fuzz_check_error (error, FILENAME, TRUE);
      return 0;
    }
  if (error != NULL)
    broken ("loaded and set an error");
  check_invariants (problem);

  node = ab_problem_to_json (problem);
  if (node == NULL)
    broken ("to_json returned NULL");
  text = json_to_string (node, TRUE);
  again = ab_problem_load_from_data (text, -1, "fuzz-resaved.json", &error);
  if (again == NULL)
    {
      g_printerr ("fuzz-problem: to_json of a loaded problem does not load: %s\n",
                  error->message);
      abort ();
    }
  node2 = ab_problem_to_json (again);
  text2 = json_to_string (node2, TRUE);
  ab_fuzz_check_same ("load -> to_json -> load -> to_json", text, strlen (text),
                      text2, strlen (text2));
  return 0;
}
