/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one iterator over a station's call groups (ab_call_group_iter) and
 * that the model, the availability estimate and the network's own group
 * helpers take the same members from it: calls of probability 0 belong
 * to no group, asynchronous calls take no part in what a request waits
 * for. */
#include "config.h"

#include <math.h>

#include "ab-availability.h"
#include "ab-model.h"
#include "ab-network.h"

typedef struct {
  int    group;
  guint  members[8];
  guint  n;
  double total;
} Item;

static guint
collect (const AbCallList *list,
         int               parent,
         AbCallFilter      filter,
         Item             *items,
         guint             max)
{
  AbCallGroupIter it;
  guint n = 0;

  ab_call_group_iter_init (&it, list, parent, filter);
  while (ab_call_group_iter_next (&it))
    {
      guint k;

      g_assert_cmpuint (n, <, max);
      items[n].group = it.group;
      items[n].total = it.total;
      items[n].n = 0;
      while (ab_call_group_iter_next_member (&it, &k))
        {
          g_assert_cmpuint (items[n].n, <, G_N_ELEMENTS (items[n].members));
          items[n].members[items[n].n++] = k;
        }
      g_assert_cmpuint (items[n].n, ==, it.n_members);
      g_assert_cmpuint (items[n].members[0], ==, it.first);
      n++;
    }
  /* at the end it stays at the end */
  g_assert_false (ab_call_group_iter_next (&it));
  return n;
}

static AbCall *
add (AbNetwork *net,
     int        callee,
     double     p,
     int        group,
     int        on_miss_of,
     gboolean   async)
{
  AbCall *call = ab_network_add_call (net, 0, AB_CLASS_READ, callee);

  call->probability = p;
  call->group = group;
  call->on_miss_of = on_miss_of;
  call->async = async;
  return call;
}

static void
test_iter (void)
{
  g_autoptr(AbNetwork) net = ab_network_new (8);
  const AbCallList *list = &net->calls[0 * AB_N_CLASSES + AB_CLASS_READ];
  Item items[8];
  guint n;

  add (net, 1, 0.5, -1, -1, FALSE);   /* 0: independent */
  add (net, 2, 0.3, 7, -1, FALSE);    /* 1: group 7 */
  add (net, 3, 0.0, 7, -1, FALSE);    /* 2: group 7, never made */
  add (net, 4, 0.2, -1, -1, TRUE);    /* 3: independent, async */
  add (net, 5, 0.4, 7, -1, TRUE);     /* 4: group 7, async */
  add (net, 6, 0.3, 7, -1, FALSE);    /* 5: group 7 again, apart */
  add (net, 7, 1.0, 7, 1, FALSE);     /* 6: group 7 on the miss of call 1 */
  add (net, 1, 0.0, -1, -1, FALSE);   /* 7: independent, never made */

  n = collect (list, -1, AB_CALLS_ALL, items, G_N_ELEMENTS (items));
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpint (items[0].group, ==, -1);
  g_assert_cmpuint (items[0].n, ==, 1);
  g_assert_cmpuint (items[0].members[0], ==, 0);
  g_assert_cmpint (items[1].group, ==, 7);
  g_assert_cmpuint (items[1].n, ==, 3);
  g_assert_cmpuint (items[1].members[0], ==, 1);
  g_assert_cmpuint (items[1].members[1], ==, 4);
  g_assert_cmpuint (items[1].members[2], ==, 5);
  g_assert_cmpfloat_with_epsilon (items[1].total, 1.0, 1e-12);
  g_assert_cmpint (items[2].group, ==, -1);
  g_assert_cmpuint (items[2].members[0], ==, 3);

  n = collect (list, -1, AB_CALLS_SYNC, items, G_N_ELEMENTS (items));
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (items[1].n, ==, 2);
  g_assert_cmpuint (items[1].members[0], ==, 1);
  g_assert_cmpuint (items[1].members[1], ==, 5);
  g_assert_cmpfloat_with_epsilon (items[1].total, 0.6, 1e-12);

  /* the miss path of call 1: its own group 7 */
  n = collect (list, 1, AB_CALLS_SYNC, items, G_N_ELEMENTS (items));
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (items[0].members[0], ==, 6);
  g_assert_cmpuint (items[0].n, ==, 1);

  /* every parent */
  n = collect (list, AB_CALLS_ANY_PARENT, AB_CALLS_SYNC, items, G_N_ELEMENTS (items));
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (items[1].n, ==, 3);

  g_assert_true (ab_call_takes_part (list, 4, -1, AB_CALLS_ALL));
  g_assert_false (ab_call_takes_part (list, 4, -1, AB_CALLS_SYNC));
  g_assert_false (ab_call_takes_part (list, 2, -1, AB_CALLS_ALL));
  g_assert_false (ab_call_takes_part (list, 6, -1, AB_CALLS_ALL));
}

/* More groups than the iterator's table of groups met: each is still met
 * once, with all its members, when the members are interleaved. */
static void
test_iter_many_groups (void)
{
  const guint groups = 40, per = 3;
  g_autoptr(AbNetwork) net = ab_network_new (2);
  const AbCallList *list = &net->calls[0];
  AbCallGroupIter it;
  guint met = 0;
  g_autofree guint *seen = g_new0 (guint, groups);

  for (guint m = 0; m < per; m++)
    for (guint g = 0; g < groups; g++)
      add (net, 1, 1.0 / per, (int) (100 + g), -1, FALSE);
  ab_call_group_iter_init (&it, list, -1, AB_CALLS_SYNC);
  while (ab_call_group_iter_next (&it))
    {
      guint k, count = 0;

      g_assert_cmpint (it.group, >=, 100);
      seen[it.group - 100]++;
      while (ab_call_group_iter_next_member (&it, &k))
        {
          g_assert_cmpint (list->calls[k].group, ==, it.group);
          count++;
        }
      g_assert_cmpuint (count, ==, per);
      g_assert_cmpfloat_with_epsilon (it.total, 1.0, 1e-12);
      met++;
    }
  g_assert_cmpuint (met, ==, groups);
  for (guint g = 0; g < groups; g++)
    g_assert_cmpuint (seen[g], ==, 1);
}

/* client -> app -> one of two caches (a covering group), plus, when
 * @extra, a member of probability 0 that is of another kind and always
 * available. */
static AbNetwork *
replicated (gboolean extra)
{
  AbNetwork *net = ab_network_new (5);
  AbCall *call;

  for (guint x = 0; x < 5; x++)
    {
      net->stations[x].id = g_strdup_printf ("s%u", x);
      net->stations[x].concurrency = 16;
      net->stations[x].service_ms[AB_CLASS_READ] = 2.0;
      net->stations[x].service_ms[AB_CLASS_WRITE] = 2.0;
      net->stations[x].availability = 0.99;
    }
  net->stations[0].kind = AB_KIND_CLIENT;
  net->stations[1].kind = AB_KIND_APP;
  net->stations[2].kind = AB_KIND_DB_REPLICA;
  net->stations[3].kind = AB_KIND_DB_REPLICA;
  net->stations[4].kind = AB_KIND_OBJECT_STORE;
  net->stations[4].availability = 1.0;
  ab_network_add_entry (net, AB_CLASS_READ, 0, 1.0);
  ab_network_add_call (net, 0, AB_CLASS_READ, 1);
  call = ab_network_add_call (net, 1, AB_CLASS_READ, 2);
  call->group = 0;
  call->probability = 0.5;
  if (extra)
    {
      call = ab_network_add_call (net, 1, AB_CLASS_READ, 4);
      call->group = 0;
      call->probability = 0.0;
    }
  call = ab_network_add_call (net, 1, AB_CLASS_READ, 3);
  call->group = 0;
  call->probability = 0.5;
  net->rate[AB_CLASS_READ] = 100.0;
  return net;
}

/* A call of probability 0 is in no group, for every user of groups: it
 * does not make replicas stop covering for each other (network, model)
 * nor lend the group its availability (availability estimate). */
static void
test_same_members (void)
{
  g_autoptr(AbNetwork) plain = replicated (FALSE);
  g_autoptr(AbNetwork) extra = replicated (TRUE);
  const AbCallList *list = &extra->calls[1 * AB_N_CLASSES + AB_CLASS_READ];
  gboolean down[5] = { FALSE, FALSE, TRUE, FALSE, FALSE };
  AbModelInput input = { 0 };
  g_autoptr(AbModelResult) a = NULL;
  g_autoptr(AbModelResult) b = NULL;

  g_assert_true (ab_network_group_covers (extra, list, 0));
  g_assert_true (ab_network_group_covers (extra, list, 2));
  g_assert_cmpfloat_with_epsilon (ab_availability_estimate (extra, NULL),
                                  ab_availability_estimate (plain, NULL), 1e-12);
  /* two replicas of 0.99 in parallel behind an app of 0.99 */
  g_assert_cmpfloat_with_epsilon (ab_availability_estimate (plain, NULL),
                                  0.99 * 0.99 * (1.0 - 0.01 * 0.01), 1e-12);

  /* one replica lost: the other takes its reads, nothing fails */
  input.multiplier = 1.0;
  input.down = down;
  a = ab_model_evaluate (plain, &input);
  b = ab_model_evaluate (extra, &input);
  g_assert_cmpfloat (a->error_rate, <, 1e-9);
  g_assert_cmpfloat (b->error_rate, <, 1e-9);
  g_assert_cmpfloat_with_epsilon (a->latency[AB_CLASS_READ].mean_ms,
                                  b->latency[AB_CLASS_READ].mean_ms, 1e-9);
  g_assert_cmpfloat_with_epsilon (b->stations[3].offered_rps, 100.0, 1e-9);
  g_assert_cmpfloat (b->stations[4].offered_rps, ==, 0.0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/call-groups/iter", test_iter);
  g_test_add_func ("/call-groups/many-groups", test_iter_many_groups);
  g_test_add_func ("/call-groups/same-members", test_same_members);
  return g_test_run ();
}
