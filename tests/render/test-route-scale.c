/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The router stays linear in the size of a design: on a hub calling
 * thousands of cards (the "wide" design of bench-scale), the work per
 * route (cards looked at for channels, steps ordering the segments that
 * share a line) does not grow with the number of cards.  Counts work,
 * not time: the machine's speed does not matter. */
#include "config.h"

#include "ab-render-private.h"

typedef struct {
  guint routes;
} Count;

static void
count_route (const AbConnection *connection,
             const double       *points,
             guint               n_points,
             gpointer            user_data)
{
  Count *count = user_data;

  g_assert_cmpuint (n_points, >=, 2);
  count->routes++;
}

/* A client, a balancer and @n - 2 app servers in rows of 100, the first
 * calling all the others; the work per route. */
static void
route_wide (guint   n,
            double *cards_per_route,
            double *sort_per_route)
{
  g_autoptr(AbDesign) design = ab_design_new (NULL);
  g_autoptr(GPtrArray) apps = g_ptr_array_new_with_free_func (g_free);
  const char *client, *lb;
  AbRouteWork before, after;
  Count count = { 0 };

  client = ab_design_add_component (design, AB_KIND_CLIENT, "Users", 0, 0, 1);
  lb = ab_design_add_component (design, AB_KIND_LB, "Balancer", 200, 0, 1);
  for (guint i = 0; i < n - 2; i++)
    g_ptr_array_add (apps, g_strdup (ab_design_add_component (design, AB_KIND_APP, "App",
                                                             400 + (i % 100) * 200.0,
                                                             (i / 100) * 150.0, 1)));
  g_assert_nonnull (ab_design_connect (design, client, lb, NULL));
  g_assert_nonnull (ab_design_connect (design, lb, apps->pdata[0], NULL));
  for (guint i = 1; i < apps->len; i++)
    g_assert_nonnull (ab_design_connect (design, apps->pdata[0], apps->pdata[i], NULL));

  ab_render_route_work (&before);
  ab_render_foreach_route (design, NULL, count_route, &count);
  ab_render_route_work (&after);
  g_assert_cmpuint (count.routes, ==, n - 1);
  *cards_per_route = (double) (after.channel_cards - before.channel_cards) / count.routes;
  *sort_per_route = (double) (after.sort_steps - before.sort_steps) / count.routes;
  g_test_message ("%u cards: %.1f cards looked at and %.1f ordering steps per route",
                  n, *cards_per_route, *sort_per_route);
}

static void
test_wide_linear (void)
{
  double cards_small, sort_small, cards_big, sort_big;

  route_wide (1500, &cards_small, &sort_small);
  route_wide (4500, &cards_big, &sort_big);
  /* a route searches for channels twice at most (between its ends, then
   * around them), each search bounded (a search over every card in a
   * route's box looks at ~3,000 per route here) */
  g_assert_cmpfloat (cards_big, <=, 2.0 * AB_RENDER_CHANNEL_SCAN_MAX + 64.0);
  /* three times the cards: ordering the segments on the hub's shared
   * lines costs less than 2.4 times as much per route (each segment
   * moves a bounded number of places; unbounded, 3.2 times) */
  g_assert_cmpfloat (sort_big, <, 2.4 * sort_small);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/render/route-scale/wide", test_wide_linear);
  return g_test_run ();
}
