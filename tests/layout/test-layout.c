/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Automatic layout: layers left to right by call depth, no overlapping
 * cards, grid positions, the selection alone, one undo step. */
#include "config.h"

#include <math.h>

#include "ab-layout.h"
#include "ab-problem.h"
#include "ab-reference.h"

#define W 160.0
#define H 64.0

static void
assert_no_overlap (AbDesign *design)
{
  guint n = ab_design_get_n_components (design);

  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      {
        const AbComponent *a = ab_design_get_component (design, i), *b = ab_design_get_component (design, j);
        gboolean apart = a->x + W + 16 <= b->x || b->x + W + 16 <= a->x
                         || a->y + H + 16 <= b->y || b->y + H + 16 <= a->y;

        if (!apart)
          g_error ("%s at (%g, %g) and %s at (%g, %g) overlap", a->id, a->x, a->y, b->id, b->x, b->y);
      }
}

static void
test_chain_and_fan_out (void)
{
  g_autoptr(AbDesign) d = ab_design_new (NULL);
  g_autoptr(GError) error = NULL;
  /* deliberately scrambled: all on one spot, in reverse order */
  const char *db[3];
  const char *app = ab_design_add_component (d, AB_KIND_APP, "API", 500, 300, 1);
  const char *lb = ab_design_add_component (d, AB_KIND_LB, "LB", 500, 300, 1);
  const char *client = ab_design_add_component (d, AB_KIND_CLIENT, "Users", 500, 300, 1);
  const AbComponent *c_client, *c_lb, *c_app;

  for (int i = 0; i < 3; i++)
    db[i] = ab_design_add_component (d, AB_KIND_DB_PRIMARY, "Shard", 480, 280, 1);
  ab_design_connect (d, client, lb, &error);
  g_assert_no_error (error);
  ab_design_connect (d, lb, app, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 3; i++)
    {
      ab_design_connect (d, app, db[i], &error);
      g_assert_no_error (error);
    }

  g_assert_true (ab_layout_arrange (d, NULL, &error));
  g_assert_no_error (error);
  assert_no_overlap (d);
  c_client = ab_design_find_component (d, client);
  c_lb = ab_design_find_component (d, lb);
  c_app = ab_design_find_component (d, app);
  /* layers by call depth, left to right */
  g_assert_cmpfloat (c_client->x + W, <, c_lb->x);
  g_assert_cmpfloat (c_lb->x + W, <, c_app->x);
  for (int i = 0; i < 3; i++)
    {
      const AbComponent *s = ab_design_find_component (d, db[i]);

      g_assert_cmpfloat (c_app->x + W, <, s->x);
      g_assert_cmpfloat (s->x, ==, ab_design_find_component (d, db[0])->x);
    }
  /* the chain is straight: one row */
  g_assert_cmpfloat (c_client->y, ==, c_lb->y);
  g_assert_cmpfloat (c_lb->y, ==, c_app->y);
  /* on the grid, and the block starts where the cards were (480, 280) */
  for (guint i = 0; i < ab_design_get_n_components (d); i++)
    {
      const AbComponent *c = ab_design_get_component (d, i);

      g_assert_cmpfloat (fmod (c->x, 16), ==, 0);
      g_assert_cmpfloat (fmod (c->y, 16), ==, 0);
    }
  g_assert_cmpfloat (c_client->x, ==, 480);

  /* one undo step named Arrange puts everything back */
  g_assert_cmpstr (ab_design_get_undo_name (d), ==, "Arrange");
  g_assert_true (ab_design_undo (d));
  g_assert_cmpfloat (ab_design_find_component (d, client)->x, ==, 500);
  g_assert_cmpfloat (ab_design_find_component (d, db[2])->y, ==, 280);
  g_assert_cmpfloat (ab_design_find_component (d, app)->y, ==, 300);
}

static void
test_selection_only (void)
{
  g_autoptr(AbDesign) d = ab_design_new (NULL);
  g_autoptr(GError) error = NULL;
  const char *a = ab_design_add_component (d, AB_KIND_APP, "A", 0, 0, 1);
  const char *b = ab_design_add_component (d, AB_KIND_CACHE, "B", 0, 0, 1);
  const char *other = ab_design_add_component (d, AB_KIND_QUEUE, "Other", 37, 41, 1);
  const char *sel[] = { a, b, NULL };
  const char *none[] = { "no-such-id", NULL };

  ab_design_connect (d, a, b, &error);
  g_assert_no_error (error);
  ab_design_connect (d, a, other, &error);
  g_assert_no_error (error);
  g_assert_true (ab_layout_arrange (d, sel, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (ab_design_find_component (d, other)->x, ==, 37);
  g_assert_cmpfloat (ab_design_find_component (d, other)->y, ==, 41);
  g_assert_cmpfloat (ab_design_find_component (d, a)->x + W, <, ab_design_find_component (d, b)->x);

  g_assert_false (ab_layout_arrange (d, none, &error));
  g_assert_error (error, AB_ERROR, AB_ERROR_INVALID);
  g_clear_error (&error);
  {
    g_autoptr(AbDesign) empty = ab_design_new (NULL);

    g_assert_null (ab_layout_compute (empty, NULL, &error));
    g_assert_error (error, AB_ERROR, AB_ERROR_INVALID);
  }
}

/* A path of connections from @from to @to (depth-first). */
static gboolean
reaches (AbDesign *d, const char *from, const char *to, GHashTable *seen)
{
  if (g_strcmp0 (from, to) == 0)
    return TRUE;
  if (!g_hash_table_add (seen, (gpointer) from))
    return FALSE;
  for (guint e = 0; e < ab_design_get_n_connections (d); e++)
    {
      const AbConnection *c = ab_design_get_connection (d, e);
      if (g_strcmp0 (c->from, from) == 0 && reaches (d, c->to, to, seen))
        return TRUE;
    }
  return FALSE;
}

/* Every reference lays out without overlaps, callers left of callees
 * (unless the call closes a loop), deterministically. */
static void
test_references (void)
{
  AbProblemSet *set = ab_problem_set_get_default ();

  for (guint i = 0; i < ab_problem_set_get_n (set); i++)
    {
      AbProblem *problem = ab_problem_set_get_nth (set, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(AbDesign) d = ab_reference_build_design (problem, &error);
      g_autoptr(GArray) again = NULL;
      guint backwards = 0;

      g_assert_no_error (error);
      g_assert_true (ab_layout_arrange (d, NULL, &error));
      g_assert_no_error (error);
      assert_no_overlap (d);
      for (guint e = 0; e < ab_design_get_n_connections (d); e++)
        {
          const AbConnection *c = ab_design_get_connection (d, e);
          g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

          /* only a call that closes a loop may point backwards */
          if (ab_design_find_component (d, c->from)->x >= ab_design_find_component (d, c->to)->x
              && !reaches (d, c->to, c->from, seen))
            backwards++;
        }
      g_assert_cmpuint (backwards, ==, 0);
      /* the same layout again: nothing moves */
      again = ab_layout_compute (d, NULL, &error);
      g_assert_no_error (error);
      for (guint k = 0; k < again->len; k++)
        {
          const AbLayoutPosition *p = &g_array_index (again, AbLayoutPosition, k);
          const AbComponent *c = ab_design_find_component (d, p->id);

          g_assert_cmpfloat (c->x, ==, p->x);
          g_assert_cmpfloat (c->y, ==, p->y);
        }
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/layout/chain-and-fan-out", test_chain_and_fan_out);
  g_test_add_func ("/layout/selection", test_selection_only);
  g_test_add_func ("/layout/references", test_references);
  return g_test_run ();
}
