/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The discrete-event simulation's set-up: the network validated and
 * compiled into stations and steps, each replication's start (stations
 * from their stationary queue), the sample budget, the generators and
 * the systematic plan of the anonymous visits, and freeing a run. */
#define G_LOG_DOMAIN "archboard-des"

#include "config.h"

#include "ab-des-private.h"
#include "ab-model.h"

/* ---------------------------------------------------------- validation -- */

gboolean
des_validate_network (const AbNetwork *net, GError **error)
{
  if (net->n_stations == 0 || net->n_stations > 65535)
    {
      g_set_error (error, AB_ERROR, AB_ERROR_INVALID,
                   "network: %u stations (1 .. 65535 can be simulated)", net->n_stations);
      return FALSE;
    }
  for (guint s = 0; s < net->n_stations; s++)
    {
      const AbStation *st = &net->stations[s];
      const char *id = st->id != NULL ? st->id : "?";

      if (st->instances < 1 || st->concurrency < 0)
        {
          g_set_error (error, AB_ERROR, AB_ERROR_INVALID,
                       "network: station \"%s\": %d instances, concurrency %d",
                       id, st->instances, st->concurrency);
          return FALSE;
        }
      for (int c = 0; c < AB_N_CLASSES; c++)
        if (!(st->service_ms[c] >= 0.0 && st->service_ms[c] < 1e9) ||
            !(st->self_rate[c] >= 0.0 && st->self_rate[c] < 1e12))
          {
            g_set_error (error, AB_ERROR, AB_ERROR_INVALID,
                         "network: station \"%s\": service time or own rate out of range", id);
            return FALSE;
          }
      if (!(st->hit_ratio >= 0.0 && st->hit_ratio <= 1.0) || !(st->cv >= 0.0 && st->cv < 1e3) ||
          !(st->timeout_ms >= 0.0) || st->queue_limit < 0 ||
          (guint) st->dist > AB_DIST_LOGNORMAL)
        {
          g_set_error (error, AB_ERROR, AB_ERROR_INVALID,
                       "network: station \"%s\": hit ratio, cv, timeout, queue limit or "
                       "distribution out of range", id);
          return FALSE;
        }
      if (st->failover_to >= (int) net->n_stations || st->failover_to == (int) s ||
          st->failover_to < -1)
        {
          g_set_error (error, AB_ERROR, AB_ERROR_INVALID,
                       "network: station \"%s\": failover_to %d is not another station",
                       id, st->failover_to);
          return FALSE;
        }
      if (st->autoscale_max > st->autoscale_min &&
          (!(st->autoscale_target > 0.0 && st->autoscale_target <= 1.0) ||
           !(st->autoscale_delay_s >= 0.0) || st->autoscale_max > 1000000))
        {
          g_set_error (error, AB_ERROR, AB_ERROR_INVALID,
                       "network: station \"%s\": autoscaling target %g or delay %g s out of range",
                       id, st->autoscale_target, st->autoscale_delay_s);
          return FALSE;
        }
      for (int c = 0; c < AB_N_CLASSES; c++)
        {
          const AbCallList *cl = &net->calls[s * AB_N_CLASSES + c];

          if (cl->n_calls > MAX_CALLS)
            {
              g_set_error (error, AB_ERROR, AB_ERROR_TOO_LARGE,
                           "network: station \"%s\": %u calls (at most %d)",
                           id, cl->n_calls, MAX_CALLS);
              return FALSE;
            }
          for (guint j = 0; j < cl->n_calls; j++)
            {
              const AbCall *call = &cl->calls[j];

              if (call->callee < 0 || call->callee >= (int) net->n_stations ||
                  !(call->probability >= 0.0 && call->probability <= 1.0) ||
                  call->on_miss_of < -1 || call->on_miss_of >= (int) j ||
                  !(call->net_ms >= 0.0 && call->net_ms < 1e9) ||
                  (guint) call->as_class >= AB_N_CLASSES)
                {
                  g_set_error (error, AB_ERROR, AB_ERROR_INVALID,
                               "network: station \"%s\": call %u is invalid (callee %d, "
                               "probability %g, on_miss_of %d)",
                               id, j, call->callee, call->probability, call->on_miss_of);
                  return FALSE;
                }
            }
        }
    }
  for (int c = 0; c < AB_N_CLASSES; c++)
    {
      if (!(net->rate[c] >= 0.0 && net->rate[c] < 1e12))
        {
          g_set_error (error, AB_ERROR, AB_ERROR_INVALID,
                       "network: rate %g of class %d out of range", net->rate[c], c);
          return FALSE;
        }
      if (net->entries[c].n > 64 || (net->rate[c] > 0.0 && net->entries[c].n == 0))
        {
          g_set_error (error, AB_ERROR, AB_ERROR_INVALID,
                       "network: class %d has %u entry stations (1 .. 64)", c, net->entries[c].n);
          return FALSE;
        }
      for (guint e = 0; e < net->entries[c].n; e++)
        if (net->entries[c].stations[e] < 0 ||
            net->entries[c].stations[e] >= (int) net->n_stations ||
            !(net->entries[c].shares[e] >= 0.0))
          {
            g_set_error (error, AB_ERROR, AB_ERROR_INVALID,
                         "network: class %d entry %u is invalid", c, e);
            return FALSE;
          }
    }
  return TRUE;
}

/* ----------------------------------------------------------- compiling -- */

/* a step needs one slot per member and a group one more: at most two
 * per call */
static guint
count_alts (const AbNetwork *net)
{
  guint total = 0;

  for (guint i = 0; i < net->n_stations * AB_N_CLASSES; i++)
    total += 2 * net->calls[i].n_calls;
  return total;
}

/* Calls @fn with the iterator on every item of @cl (only the groups with
 * @groups_only): the items under no parent, then those under each call
 * that @parents marks (a call that is made and that later calls fall
 * back on), synchronous and asynchronous members alike.  @fn may mark
 * more parents: a parent's items come after the items it belongs to.
 * The group iterator is the one rule that decides the items and their
 * members for the model, availability, routing and the DES. */
void
des_foreach_item (const AbCallList *cl,
              const gboolean   *parents,
              gboolean          groups_only,
              void            (*fn) (AbCallGroupIter *it, gpointer data),
              gpointer          data)
{
  for (int parent = -1; parent < (int) cl->n_calls; parent++)
    {
      AbCallGroupIter it;

      if (parent >= 0 && !parents[parent])
        continue;
      ab_call_group_iter_init (&it, cl, parent, AB_CALLS_ALL);
      while (ab_call_group_iter_next (&it))
        if (!groups_only || it.group >= 0)
          fn (&it, data);
    }
}

typedef struct {
  const AbNetwork *net;
  StepList        *list;
  const gboolean  *falls_back; /* some call falls back on this one */
  guint           *item;       /* per call: the first member of its item */
} ItemsData;

/* One item of the group iterator: its members join it; a member that
 * later calls fall back on becomes a parent (StepList.absorbable); a
 * group's members get its probability total and whether they cover for
 * each other (a lost member's share goes to the live ones). */
static void
compile_item (AbCallGroupIter *it, gpointer data)
{
  ItemsData *d = data;
  StepList *list = d->list;
  gboolean covers = it->group >= 0 && ab_call_group_iter_covers (it, d->net);
  guint k;

  list->n_cover += covers;
  while (ab_call_group_iter_next_member (it, &k))
    {
      d->item[k] = it->first;
      if (d->falls_back[k])
        list->absorbable[k] = TRUE;
      if (it->group >= 0)
        {
          list->gtotal[k] = it->total;
          list->covers[k] = covers;
        }
    }
}

/* The steps of a call list: one per item of the group iterator (the rule
 * the model, availability and routing follow), so a call of chance 0,
 * and any call that falls back on one, has no step (G_MAXUINT in
 * @step_of), is never made and draws no random number.  A lone call is
 * made with its chance; of a group, one member by weight (in call order;
 * a group of one still draws, and is always made).  Steps come in the
 * order of their first call.  Also fills StepList.absorbable (the calls
 * with a step that a call with a step falls back on), and per member of
 * each group its total and whether it covers (compile_item); a call in
 * no group has total 0: never made.  One pass over the calls per parent
 * (linear without cache fallbacks) for groups whose members are
 * adjacent. */
static void
compile_steps (Sim *sim, const AbCallList *cl, StepList *list, guint *alt_pos, guint *step_of)
{
  guint n = cl->n_calls;
  g_autofree gboolean *falls_back = g_new0 (gboolean, MAX (n, 1));
  g_autofree guint *item = g_new (guint, MAX (n, 1));
  g_autofree guint *first = g_new (guint, MAX (n, 1));
  g_autofree guint *fill = NULL;
  ItemsData d = { sim->net, list, falls_back, item };

  list->absorbable = g_new0 (gboolean, MAX (n, 1));
  list->gtotal = g_new0 (double, MAX (n, 1));
  list->covers = g_new0 (gboolean, MAX (n, 1));
  for (guint j = 0; j < n; j++)
    {
      item[j] = G_MAXUINT;
      step_of[j] = G_MAXUINT;
      if (cl->calls[j].on_miss_of >= 0)
        falls_back[cl->calls[j].on_miss_of] = TRUE;
    }
  des_foreach_item (cl, list->absorbable, FALSE, compile_item, &d);

  /* number the items by their first call; each member joins its item */
  list->steps = g_new0 (Step, MAX (n, 1));
  for (guint j = 0; j < n; j++)
    {
      if (item[j] == G_MAXUINT)
        continue;
      if (item[j] == j)
        {
          first[list->n_steps] = j;
          step_of[j] = list->n_steps++;
        }
      else
        step_of[j] = step_of[item[j]];
      list->steps[step_of[j]].n_alt++;
    }
  /* room for each step's alternatives, in step order, and for a group
   * one more (see below) */
  for (guint t = 0; t < list->n_steps; t++)
    {
      Step *step = &list->steps[t];

      step->first_alt = *alt_pos;
      *alt_pos += step->n_alt;
      if (cl->calls[first[t]].group >= 0)
        (*alt_pos)++;
    }
  fill = g_new0 (guint, MAX (list->n_steps, 1));
  for (guint j = 0; j < n; j++)
    {
      Step *step;
      Alt *alt;

      if (step_of[j] == G_MAXUINT)
        continue;
      step = &list->steps[step_of[j]];
      alt = &sim->alts[step->first_alt + fill[step_of[j]]++];
      alt->call = (int) j;
      if (cl->calls[j].group < 0)
        {
          alt->cum = cl->calls[j].probability;
          step->total = cl->calls[j].probability;
        }
      else
        {
          step->total += cl->calls[j].probability;
          alt->cum = step->total;
        }
    }
  /* a group whose weights sum below 1 makes no call for the rest, as
   * the model and availability take it: an alternative of no call up to
   * 1; a group of one (always made) draws between two copies of its
   * member */
  for (guint t = 0; t < list->n_steps; t++)
    {
      Step *step = &list->steps[t];
      Alt *extra = &sim->alts[step->first_alt + step->n_alt];

      if (cl->calls[first[t]].group < 0)
        continue;
      if (step->total < 1.0 - GROUP_TOTAL_EPS)
        {
          extra->call = -1;
          extra->cum = 1.0;
          step->total = 1.0;
          step->n_alt++;
        }
      else if (step->n_alt == 1)
        {
          *extra = sim->alts[step->first_alt];
          step->n_alt = 2;
        }
    }
}

/* Runs of steps that only fall back on the lookups of one earlier step
 * (a tier of caches, each with its fallback): a frame that reaches such a
 * run jumps to the steps of the lookup that missed, if any, instead of
 * passing every step (fallback_next), so a request costs the calls it
 * makes, not the length of the list. */
static void
compile_fallback_runs (const AbCallList *cl, StepList *list, const guint *step_of,
                       const guint *code)
{
  guint ns = list->n_steps, pos = 0;
  g_autofree gboolean *impure = g_new0 (gboolean, MAX (ns, 1));
  g_autofree guint *lstep = g_new (guint, MAX (ns, 1));
  g_autofree guint *fill = NULL;

  for (guint t = 0; t < ns; t++)
    lstep[t] = G_MAXUINT;
  for (guint j = 0; j < cl->n_calls; j++)
    {
      guint t = step_of[j];
      int of = cl->calls[j].on_miss_of;

      if (t == G_MAXUINT)
        continue;  /* never made */
      if (of < 0 || (lstep[t] != G_MAXUINT && lstep[t] != step_of[of]))
        impure[t] = TRUE;
      else
        lstep[t] = step_of[of];
    }
  for (guint t = 0; t < ns; t++)
    if (list->steps[t].clear != 0 || lstep[t] == G_MAXUINT)
      impure[t] = TRUE;
  for (guint t = ns; t-- > 0;)
    if (!impure[t])
      {
        list->steps[t].lookup_step = lstep[t];
        list->steps[t].run_end = t + 1 < ns && !impure[t + 1] && lstep[t + 1] == lstep[t]
                                 ? list->steps[t + 1].run_end : t + 1;
      }
  /* the lookups of each step by value */
  list->code_first = g_new0 (guint, ns + 1);
  list->code_call = g_new0 (int, MAX (cl->n_calls, 1));
  for (guint j = 0; j < cl->n_calls; j++)
    if (list->absorbable[j])
      list->code_first[step_of[j] + 1]++;
  for (guint t = 0; t < ns; t++)
    list->code_first[t + 1] += list->code_first[t];
  for (guint j = 0; j < cl->n_calls; j++)
    if (list->absorbable[j])
      list->code_call[list->code_first[step_of[j]] + code[j] - 1] = (int) j;
  /* the fallback-only steps of each lookup, in step order */
  list->fb_first = g_new0 (guint, MAX (cl->n_calls, 1));
  list->fb_n = g_new0 (guint, MAX (cl->n_calls, 1));
  list->fb_steps = g_new0 (guint, MAX (cl->n_calls, 1));
  for (guint k = 0; k < cl->n_calls; k++)
    if (cl->calls[k].on_miss_of >= 0 && step_of[k] != G_MAXUINT && !impure[step_of[k]])
      list->fb_n[cl->calls[k].on_miss_of]++;
  for (guint j = 0; j < cl->n_calls; j++)
    {
      list->fb_first[j] = pos;
      pos += list->fb_n[j];
    }
  fill = g_new0 (guint, MAX (cl->n_calls, 1));
  for (guint k = 0; k < cl->n_calls; k++)
    if (cl->calls[k].on_miss_of >= 0 && step_of[k] != G_MAXUINT && !impure[step_of[k]])
      {
        guint j = (guint) cl->calls[k].on_miss_of;

        list->fb_steps[list->fb_first[j] + fill[j]++] = step_of[k];
      }
  for (guint j = 0; j < cl->n_calls; j++)
    {
      guint *a = &list->fb_steps[list->fb_first[j]], n = 0;

      /* sort (few) and drop repeats: several members of one step */
      for (guint x = 1; x < list->fb_n[j]; x++)
        for (guint y = x; y > 0 && a[y - 1] > a[y]; y--)
          {
            guint tmp = a[y];
            a[y] = a[y - 1];
            a[y - 1] = tmp;
          }
      for (guint x = 0; x < list->fb_n[j]; x++)
        if (n == 0 || a[n - 1] != a[x])
          a[n++] = a[x];
      list->fb_n[j] = n;
    }
}

typedef struct {
  guint   start, end;  /* steps: from the first to the last that uses it */
  guint   width;
  guint64 mask;
} MissField;

static gint
compare_field_start (gconstpointer a, gconstpointer b, gpointer data)
{
  const MissField *fields = data;
  guint x = fields[*(const guint *) a].start, y = fields[*(const guint *) b].start;

  return (x > y) - (x < y);
}

/* The cache lookups that later calls fall back on, and the bits of
 * Frame.missed that say which of them missed.  A step makes at most one
 * call, so each step with such lookups gets one field of Frame.missed
 * holding which of its lookups was made and missed (1 .. a; a single one
 * takes a bit, a group of 10,000 caches 14).  A field is live from the
 * first step that uses it (the lookup, or a fallback placed earlier) to
 * the last fallback on it, is cleared when it becomes live, and its bits
 * are reused by fields that become live later: a hub calling thousands of
 * caches, each with its fallback, needs few bits.  FALSE (and @error)
 * when more lookups are pending at once than the bits can hold. */
static gboolean
compile_misses (const AbCallList *cl, StepList *list, const guint *step_of,
                const char *id, GError **error)
{
  g_autofree MissField *fields = g_new0 (MissField, MAX (list->n_steps, 1));
  g_autofree guint *code = g_new0 (guint, MAX (cl->n_calls, 1));
  g_autofree guint *order = NULL;
  g_autoptr(GArray) live = g_array_new (FALSE, FALSE, sizeof (guint));
  guint n_fields = 0;

  list->miss_field = g_new0 (guint64, MAX (cl->n_calls, 1));
  list->miss_val = g_new0 (guint64, MAX (cl->n_calls, 1));
  for (guint t = 0; t < list->n_steps; t++)
    fields[t].start = fields[t].end = t;
  for (guint j = 0; j < cl->n_calls; j++)
    {
      int of = cl->calls[j].on_miss_of;

      if (step_of[j] == G_MAXUINT)
        continue;  /* never made */
      if (list->absorbable[j])
        code[j] = ++fields[step_of[j]].width; /* the count for now */
      if (of >= 0)
        {
          MissField *f = &fields[step_of[of]];

          f->start = MIN (f->start, step_of[j]);
          f->end = MAX (f->end, step_of[j]);
        }
    }
  /* the fields in the order they become live */
  order = g_new (guint, MAX (list->n_steps, 1));
  for (guint t = 0; t < list->n_steps; t++)
    if (fields[t].width > 0)
      order[n_fields++] = t;
  g_qsort_with_data (order, (gint) n_fields, sizeof (guint), compare_field_start, fields);
  for (guint i = 0; i < n_fields; i++)
    {
      MissField *f = &fields[order[i]];
      guint64 used = 0, bits;
      guint shift;

      f->width = g_bit_storage (f->width);
      bits = f->width >= MISS_BITS ? G_MAXUINT64 : (G_GUINT64_CONSTANT (1) << f->width) - 1;
      for (guint k = 0; k < live->len; k++)
        {
          const MissField *o = &fields[g_array_index (live, guint, k)];

          if (o->end < f->start)
            g_array_remove_index_fast (live, k--);
          else
            used |= o->mask;
        }
      for (shift = 0; shift + f->width <= MISS_BITS; shift++)
        if (((bits << shift) & used) == 0)
          break;
      if (shift + f->width > MISS_BITS)
        {
          g_set_error (error, AB_ERROR, AB_ERROR_TOO_LARGE,
                       "network: station \"%s\": too many cache lookups wait for their "
                       "fallback at the same time (at most %d bits of them)",
                       id, MISS_BITS);
          return FALSE;
        }
      f->mask = bits << shift;
      list->steps[f->start].clear |= f->mask;
      g_array_append_val (live, order[i]);
    }
  for (guint j = 0; j < cl->n_calls; j++)
    if (list->absorbable[j])
      {
        const MissField *f = &fields[step_of[j]];

        list->miss_field[j] = f->mask;
        list->miss_val[j] = ((guint64) code[j] << g_bit_nth_lsf (f->mask, -1)) & f->mask;
      }
  compile_fallback_runs (cl, list, step_of, code);
  return TRUE;
}

static gboolean
compile_lists (Sim *sim, GError **error)
{
  guint nn = sim->n * AB_N_CLASSES, alt_pos = 0, longest = 1;

  sim->lists = g_new0 (StepList, nn);
  sim->alts = g_new0 (Alt, MAX (count_alts (sim->net), 1));
  for (guint i = 0; i < nn; i++)
    {
      const AbCallList *cl = &sim->net->calls[i];
      const AbStation *def = &sim->net->stations[i / AB_N_CLASSES];
      StepList *list = &sim->lists[i];
      g_autofree guint *step_of = g_new (guint, MAX (cl->n_calls, 1));

      list->calls = cl->calls;
      list->made = g_new0 (double, MAX (cl->n_calls, 1));
      longest = MAX (longest, cl->n_calls);
      compile_steps (sim, cl, list, &alt_pos, step_of);
      if (!compile_misses (cl, list, step_of, def->id != NULL ? def->id : "?", error))
        return FALSE;
    }
  sim->live_factor = g_new (double, longest);
  return TRUE;
}

/* Marks @s and every station a request there can reach: its failover
 * target and the callees of the calls it can make (its steps'
 * alternatives: a call of chance 0 leads nowhere).  After compile_lists. */
static void
mark_reachable (Sim *sim, int s)
{
  GArray *stack = g_array_new (FALSE, FALSE, sizeof (int));

  g_array_append_val (stack, s);
  while (stack->len > 0)
    {
      int cur = g_array_index (stack, int, stack->len - 1);

      g_array_set_size (stack, stack->len - 1);
      if (cur < 0 || sim->st[cur].reachable)
        continue;
      sim->st[cur].reachable = TRUE;
      g_array_append_val (stack, sim->st[cur].def->failover_to);
      for (int c = 0; c < AB_N_CLASSES; c++)
        {
          const StepList *list = &sim->lists[cur * AB_N_CLASSES + c];

          for (guint t = 0; t < list->n_steps; t++)
            for (guint a = 0; a < list->steps[t].n_alt; a++)
              {
                int call = sim->alts[list->steps[t].first_alt + a].call;

                if (call >= 0)
                  g_array_append_val (stack, list->calls[call].callee);
              }
        }
    }
  g_array_unref (stack);
}

static void
reset_stations (Sim *sim)
{
  for (guint s = 0; s < sim->n; s++)
    {
      Station *st = &sim->st[s];

      st->n_up = st->n_init;
      st->n_lost = 0;
      st->shard_live = 1.0;
      st->state = ST_UP;
      st->busy_total = 0;
      st->queued_total = 0;
      st->last_t = 0.0;
      memset (&st->seg, 0, sizeof st->seg);
      st->as_busy = st->as_cap = st->as_time = 0.0;
      st->scale_pending = FALSE;
      for (int i = 0; i < st->k_alloc; i++)
        {
          st->inst[i].busy = 0;
          st->inst[i].len = 0;
          st->inst[i].head = 0;
          st->inst[i].epoch = 0;
          st->inst[i].n_virtual = 0;
          st->inst[i].v_next = 0;
          st->inst[i].v_total = 0.0;
          st->inst[i].v_knot = 0;
        }
      st->prof_n = 0;
      des_pool_reset (st);
      st->pop_deferred = 0;
      st->pass_cnt = 0;
      for (int c = 0; c < AB_N_CLASSES; c++)
        {
          st->pass_arr[c] = st->pass_run[c] = st->pass_lost[c] = 0;
          st->pass_sarr[c] = st->pass_srun[c] = st->pass_slost[c] = 0.0;
          st->pass_shed[c] = FALSE;
          st->pass[c] = 1.0;
        }
      st->k_active = MIN (st->n_up, st->k_alloc);
      st->scale = (double) st->n_up / st->k_active;
      st->cap_slots = st->infinite ? 0.0 : (double) st->n_up * st->c;
    }
}

/* ------------------------------------------------------------- freeing -- */

void
des_sim_free (Sim *sim)
{
  if (sim->st != NULL)
    for (guint s = 0; s < sim->n; s++)
      {
        for (int i = 0; i < sim->st[s].k_alloc; i++)
          g_free (sim->st[s].inst[i].ring);
        g_free (sim->st[s].inst);
        g_free (sim->st[s].pq_frame);
        g_free (sim->st[s].pq_ticket);
        g_free (sim->st[s].prof_x);
        g_free (sim->st[s].prof_t);
        if (sim->st[s].f_steps != NULL)
          g_array_unref (sim->st[s].f_steps);
      }
  g_free (sim->st);
  if (sim->lists != NULL)
    for (guint i = 0; i < sim->n * AB_N_CLASSES; i++)
      {
        g_free (sim->lists[i].steps);
        g_free (sim->lists[i].absorbable);
        g_free (sim->lists[i].miss_field);
        g_free (sim->lists[i].miss_val);
        g_free (sim->lists[i].code_first);
        g_free (sim->lists[i].code_call);
        g_free (sim->lists[i].fb_first);
        g_free (sim->lists[i].fb_n);
        g_free (sim->lists[i].fb_steps);
        g_free (sim->lists[i].covers);
        g_free (sim->lists[i].gtotal);
        g_free (sim->lists[i].made);
      }
  g_free (sim->lists);
  g_free (sim->live_factor);
  g_free (sim->alts);
  g_free (sim->gens);
  g_free (sim->heap);
  g_free (sim->frames);
  if (sim->pending_fail != NULL)
    g_array_unref (sim->pending_fail);
  g_free (sim->event_station);
  des_buckets_free (sim, sim->buckets);
  des_phases_free (sim, sim->phases);
  g_free (sim->stream_bucket.stations);
  g_free (sim->emit_prev.stations);
  g_free (sim->emit_next.stations);
  g_free (sim->sl_start);
  g_free (sim->sl_end);
  g_free (sim->sl_end0);
  g_free (sim->sl_start0);
  g_free (sim->sl_min);
  g_free (sim->sl_centred);
  g_free (sim->bg_open);
  g_free (sim->sl_cost);
  g_free (sim->sl_cost0);
  g_free (sim->sl_max);
  g_free (sim->phase_sim);
  g_free (sim->phase_windows);
  if (sim->parked != NULL)
    g_array_unref (sim->parked);
  g_free (sim->f_first);
  g_free (sim->f_to);
  g_free (sim->f_w);
  g_free (sim->f_src);
  g_free (sim->f_arr);
  g_free (sim->f_next);
  g_free (sim->f_served);
}

/* -------------------------------------------------------- replications -- */

/* An M/M/c number in system below its @c slots at offered load @a:
 * n < c with chance proportional to a^n / n!. */
static gint64
sample_idle_count (Sim *sim, int c, double a)
{
  double total = 0.0, term = 1.0, u;
  int n;

  for (n = 0; n < c; n++)
    {
      total += term;
      term *= a / (n + 1);
    }
  u = ab_rng_double (&sim->rng) * total;
  term = 1.0;
  for (n = 0; n < c - 1; n++)
    {
      if (u < term)
        break;
      u -= term;
      term *= a / (n + 1);
    }
  return n;
}

/* An M/M/c number in system at offered load @a (Erlangs, < c): with the
 * chance of waiting (Erlang C) c plus a geometric queue, else n < c with
 * chance proportional to a^n / n!.  @scv: the squared coefficient of
 * variation of the service; the queue's geometric ratio rho is taken to
 * the power 2 / (1 + scv) (its mean scaled as Kingman's), exact for
 * exponential service (1). */
static gint64
sample_mmc_count_scv (Sim *sim, int c, double a, double scv)
{
  double rho = a / c;

  if (ab_rng_double (&sim->rng) < ab_erlang_c (c, a))
    {
      double u = 1.0 - ab_rng_double (&sim->rng);

      return c + (gint64) floor (log (u) / (log (rho) * 2.0 / (1.0 + scv)));
    }
  return sample_idle_count (sim, c, a);
}

static gint64
sample_mmc_count (Sim *sim, int c, double a)
{
  return sample_mmc_count_scv (sim, c, a, 1.0);
}

/* The number in system of an overloaded M/M/c/K (@rho > 1, @limit
 * waiting places): near full, falling geometrically below it, P(full - j)
 * proportional to rho^-j. */
static gint64
sample_full_count (Sim *sim, int c, double rho, int limit)
{
  double u = ab_rng_double (&sim->rng), r = log (rho), x;

  if (r < 1e-9)
    x = u * (limit + 1);
  else
    x = -log (1.0 - u * (1.0 - exp (-r * (limit + 1)))) / r;
  return c + limit - MIN ((gint64) floor (x), (gint64) limit);
}

/* One anonymous visit that occupies instance @i of station @s (in
 * service, or waiting at the end of its queue) and makes no calls, a
 * read with chance @read_share.  FALSE when no frame is left. */
static gboolean
add_phantom (Sim *sim, guint s, int i, double read_share)
{
  Station *st = &sim->st[s];
  Instance *in = &st->inst[i];
  gint32 fi = frame_alloc (sim);
  Frame *f;

  if (fi < 0)
    return FALSE;
  f = &sim->frames[fi];
  f->parent = -1;
  f->station = (guint16) s;
  f->klass = (guint8) (ab_rng_double (&sim->rng) < read_share ? AB_CLASS_READ : AB_CLASS_WRITE);
  f->step = 0;
  f->missed = 0;
  f->flags = F_PHANTOM;
  f->depth = 0;
  f->instance = (guint8) i;
  f->t_start = f->t_arrive = sim->now;
  f->fold = 0.0f;
  f->backlog = 0;
  sim->visits++;
  if (st->svc_s[f->klass] <= 0.0)
    {
      frame_free (sim, fi);
      return TRUE;
    }
  if (in->busy < st->c)
    start_service (sim, st, in, fi);
  else
    {
      ring_push (in, fi);
      st->queued_total++;
    }
  return TRUE;
}

/* A station near saturation starts from its stationary queue rather than
 * empty (docs/simulation.md, "Starting state"): each representative
 * instance gets a number in system drawn from the M/M/c distribution at
 * its load, as anonymous visits that occupy it and make no calls.  An
 * empty start reads such a station's waits low for as long as the queue
 * takes to build, which near saturation is longer than the warm-up.  An
 * overloaded station with a queue limit starts near full (M/M/c/K), its
 * waiting requests a virtual backlog (ab-des-fluid.c). */
static void
stationary_start (Sim *sim)
{
  for (guint s = 0; s < sim->n; s++)
    {
      Station *st = &sim->st[s];
      double work = 0.0, reads = 0.0, total = 0.0, a;

      if (!st->reachable || st->infinite || st->blocking || st->state != ST_UP
          || st->c <= 0 || st->n_up <= 0)
        continue;
      if (st->pooled)
        {
          /* least connections: the whole pool's number in system */
          des_pool_stationary (sim, st);
          continue;
        }
      for (int c = 0; c < AB_N_CLASSES; c++)
        {
          double rate = sim->mult * st->load_user[c] + st->load_bg[c];

          work += rate * work_s (sim, st, c);
          total += rate * ab_network_copies (sim->net, (int) s, c, st->n_up);
          if (c == AB_CLASS_READ)
            reads = rate;
        }
      a = work / st->n_up;
      if (a < STATIONARY_FROM * st->c || (a >= st->c && st->def->queue_limit <= 0))
        continue;
      for (int i = 0; i < st->k_active; i++)
        {
          Instance *in = &st->inst[i];
          gint64 count;

          if (a >= st->c)
            {
              count = st->c;
              des_virtual_start (sim, st, in,
                                 sample_full_count (sim, st->c, a / st->c, st->def->queue_limit) - st->c);
            }
          else
            count = sample_mmc_count (sim, st->c, a);
          if (st->def->queue_limit > 0)
            count = MIN (count, st->c + st->def->queue_limit);
          for (gint64 k = 0; k < count; k++)
            if (!add_phantom (sim, s, i, total > 0.0 ? reads / total : 1.0))
              return;
        }
    }
}

/* ------------------------------------------- the queue at a window -- */

/* A stretch step at least this many settling times long forgets the
 * queue before it: the window starts from a stationary draw */
#define SETTLED_TIMES 4.0

/* A station whose load stayed under this share of its slots through a
 * stretch passes on all its arrivals after it (window_pass_reset) */
#define PASS_FORGET_RHO 0.9

/* The number in system of an instance of @st with @c slots, @n at the
 * start of the stretch the fluid model just went through (its steps,
 * st->f_steps: the accepted arrivals per instance), at the end of it
 * (docs/simulation.md, "The queue at a window's start").  Each step at
 * a load below the slots that lasts SETTLED_TIMES times the queue's
 * settling time 1 / (c mu (1 - sqrt rho)^2) or more ends at a draw from
 * the stationary distribution at its load; a shorter one moves the
 * queue beyond c - 1 busy slots as a reflected Brownian motion with the
 * step's drift (arrivals less capacity) and variance (arrivals plus
 * capacity times the service's scv), sampled exactly: the free motion's
 * end and, given it, the least of the bridge, which the reflection
 * lifts to 0.  A queue of none ends with fewer than c busy, drawn as
 * the stationary distribution below c has them. */
static gint64
window_count (Sim *sim, const Station *st, gint64 n, double slot, double scv)
{
  const GArray *steps = st->f_steps;
  int c = st->c;
  double cmu = c / slot;

  for (guint k = 0; k < steps->len; k++)
    {
      const FStep *sp = &g_array_index (steps, FStep, k);
      double lambda, a, theta, var, w, x, sd, m, z;
      gint64 q;

      if (sp->dt <= 0.0)
        continue;
      lambda = sp->accepted / sp->dt;
      a = lambda * slot;
      theta = cmu - lambda;
      if (theta > 0.0)
        {
          double r = 1.0 - sqrt (a / c);

          if (sp->dt * cmu * r * r >= SETTLED_TIMES)
            {
              n = sample_mmc_count_scv (sim, c, a, scv);
              continue;
            }
        }
      var = lambda + cmu * scv;
      if (var <= 0.0)
        continue;
      w = (double) MAX (n - (c - 1), 0);
      sd = sqrt (var * sp->dt);
      z = ab_rng_normal (&sim->rng);
      x = w - theta * sp->dt + sd * z;
      m = 0.5 * (w + x - sqrt ((x - w) * (x - w) - 2.0 * sd * sd * log (1.0 - ab_rng_double (&sim->rng))));
      w = x - MIN (0.0, m);
      q = (gint64) floor (w + ab_rng_double (&sim->rng));
      n = q >= 1 ? c - 1 + q : sample_idle_count (sim, c, MIN (a, (double) c));
    }
  return n;
}

/* the followed arrivals the fluid model's share is worth as a window
 * starts: a station with many followed requests a window measures its
 * own within the window, one with a few leans on the fluid's (with a
 * whole block, a blocking pool behind a lost cache, test-des-window-loss,
 * turned away 34.5 % on average over seeds 40-51 on ten hundredths of
 * the visits, 33.6 % with a quarter, 33.8 % before; the closed form
 * 33.3 %) */
#define PASS_PRIOR (PASS_BLOCK / 4.0)

/* The share of its arrivals each station passes on (des_pass_update),
 * as a window starts.  The estimate is smoothed over the followed
 * requests that arrive, and in a windowed run they arrive only in the
 * windows, a few a window where the station is busy, so an estimate
 * left to itself lags the stretches between them by many windows:
 *
 * - a station well below its slots through the whole stretch before the
 *   window loses none of its arrivals there, whatever it lost before:
 *   its share starts again from all of them.  A balancer that shed
 *   requests through the peak kept thinning the anonymous load downstream
 *   of it for most of a 60 s failure phase after it (multi-model-database:
 *   0.77 of its reads and 0.49 of its writes at the failure's first
 *   window, back to 1 only some windows later), and a database saturated
 *   in that phase, fed by the anonymous reads thinned less than the
 *   writes, served a mix of shorter requests than the one it is offered:
 *   2.7-3.5 % above its capacity where a run simulated whole reads 0.5 %;
 * - a station the fluid model found over its slots in the stretch starts
 *   from the share the fluid passed on at the stretch's end (what it
 *   serves over what it is offered, per class), worth a quarter of a
 *   block of arrivals (PASS_PRIOR), which the window's own requests then
 *   move.  Left to itself the same balancer, 7 times over its capacity
 *   through the ramp-up and the peak, passed on 0.36-0.63 of its reads
 *   and 0.50-0.67 of its writes in the peak's windows where it serves
 *   0.14 of either (its writes, a fifth of its followed arrivals, lagged
 *   the most), and the database behind it, sent the anonymous writes
 *   thinned less than the reads, served a mix of shorter requests than
 *   its followed ones: 1.065 and 1.076 times its capacity in the ramp-up
 *   and the peak on average over seeds 1-8 (0.975 and 1.007 now).
 *
 * TRUE when some station's share moved. */
static gboolean
window_pass_reset (Sim *sim)
{
  gboolean moved = FALSE;

  for (guint s = 0; s < sim->n; s++)
    {
      Station *st = &sim->st[s];

      if (st->state != ST_UP || st->f_steps->len == 0)
        continue;
      if (st->f_over)
        {
          for (int c = 0; c < AB_N_CLASSES; c++)
            {
              double arr = sim->f_arr[s * AB_N_CLASSES + c] * st->shard_live;
              double p = arr > 0.0 ? CLAMP (sim->f_served[s * AB_N_CLASSES + c] / arr, 0.0, 1.0) : 1.0;

              if (p > 1.0 - PASS_SNAP)
                p = 1.0;
              moved = moved || p != st->pass[c];
              st->pass[c] = p;
              st->pass_shed[c] = p < 1.0;
              st->pass_arr[c] = st->pass_run[c] = st->pass_lost[c] = 0;
              st->pass_sarr[c] = PASS_PRIOR;
              st->pass_srun[c] = p * PASS_PRIOR;
              st->pass_slost[c] = 0.0;
            }
          st->pass_cnt = 0;
          continue;
        }
      if (st->f_rho >= PASS_FORGET_RHO
          || (st->pass[AB_CLASS_READ] == 1.0 && st->pass[AB_CLASS_WRITE] == 1.0))
        continue;
      moved = TRUE;
      for (int c = 0; c < AB_N_CLASSES; c++)
        {
          st->pass[c] = 1.0;
          st->pass_shed[c] = FALSE;
          st->pass_arr[c] = st->pass_run[c] = st->pass_lost[c] = 0;
          st->pass_sarr[c] = st->pass_srun[c] = st->pass_slost[c] = 0.0;
        }
      st->pass_cnt = 0;
    }
  return moved;
}

/* As a window starts (after des_skip_to fast-forwarded from @t0): each
 * station near its capacity that the fluid model left no backlog (it
 * was not over its slots in the stretch, and holds no virtual backlog)
 * gets, per representative instance, the number in system the stretch
 * leaves (window_count): anonymous visits added at the end of its
 * queue, or anonymous ones waiting taken from its head, and when the
 * followed requests the last window left waiting are more than the
 * queue now holds, the first of them served beside the slots (they
 * stay counted).  Kept as it was, the queue a window started with was
 * the last window's, which near saturation is far below the queue a run
 * simulated whole has there, as it takes far longer to build than the
 * windows last (docs/simulation.md, "The queue at a window's start").
 * First, the stations' shares passed on start from what the stretch
 * passed on (window_pass_reset). */
void
des_window_queues (Sim *sim, double t0)
{
  if (sim->now <= t0)
    return;
  if (window_pass_reset (sim))
    {
      des_anon_loads (sim);
      des_update_rates (sim);
    }
  for (guint s = 0; s < sim->n; s++)
    {
      Station *st = &sim->st[s];
      double work = 0.0, reads = 0.0, total = 0.0, slot, scv;
      gboolean virtual = FALSE;

      if (!st->reachable || st->infinite || st->blocking || st->pooled || st->state != ST_UP
          || st->c <= 0 || st->n_up <= 0 || st->k_active <= 0 || st->f_over
          || st->pop_cap < G_MAXINT64 || st->f_rho < STATIONARY_FROM || st->f_steps->len == 0)
        continue;
      for (int i = 0; i < st->k_alloc; i++)
        virtual = virtual || st->inst[i].n_virtual > 0;
      if (virtual)
        continue;
      for (int c = 0; c < AB_N_CLASSES; c++)
        {
          double rate = sim->mult * st->load_user[c] + st->load_bg[c];
          double copies = ab_network_copies (sim->net, (int) s, c, st->n_up);

          if (st->svc_s[c] <= 0.0)
            continue;
          work += rate * work_s (sim, st, c);
          total += rate * copies;
          if (c == AB_CLASS_READ)
            reads = rate * copies;
        }
      if (total <= 0.0 || work <= 0.0)
        continue;
      slot = work / total;
      scv = st->dist == AB_DIST_DETERMINISTIC ? 0.0
            : st->dist == AB_DIST_LOGNORMAL ? st->def->cv * st->def->cv : 1.0;
      for (int i = 0; i < st->k_active; i++)
        {
          Instance *in = &st->inst[i];
          gint64 have = (gint64) in->busy + in->len;
          gint64 want = window_count (sim, st, have, slot, scv);

          if (st->def->queue_limit > 0)
            want = MIN (want, st->c + st->def->queue_limit);
          if (st->timeout_s > 0.0)
            want = MIN (want, st->c + (gint64) ceil (st->timeout_s * st->c / slot));
          if (want > have)
            {
              for (gint64 k = have; k < want; k++)
                if (!add_phantom (sim, s, i, reads / total))
                  return;
            }
          else if (want < have)
            {
              /* the anonymous ones waiting, from the head: the stretch
               * served them */
              gint64 drop = have - want;
              guint len = in->len;

              for (guint j = 0; j < len; j++)
                {
                  gint32 fi = ring_pop (in);

                  if (drop > 0 && (sim->frames[fi].flags & F_PHANTOM))
                    {
                      frame_free (sim, fi);
                      st->queued_total--;
                      drop--;
                    }
                  else
                    ring_push (in, fi);
                }
              /* followed ones the last window left waiting, more than
               * the queue now holds: first in the queue at the
               * window's end, they would long have been served in the
               * stretch; they are served beside the slots, each after
               * the wait its place in that queue still had, and the
               * window's arrivals find the queue the stretch leaves */
              for (gint64 j = 0; drop > 0 && in->len > 0; j++, drop--)
                {
                  gint32 fi = ring_pop (in);
                  Frame *f = &sim->frames[fi];

                  st->queued_total--;
                  st->pass_run[f->klass]++;
                  f->epoch = in->epoch;
                  f->flags = (guint8) ((f->flags & ~F_AHEAD) | F_OUTSIDE);
                  heap_push (sim, sim->now + (double) (j + 1) * slot / st->c
                                  + sample_service (sim, st, f->klass),
                             EV_PACK (EV_DEPART, fi));
                }
            }
        }
    }
}

void
des_start_replication (Sim *sim, guint rep)
{
  const AbScenario *sc = sim->sc;
  int j0;

  sim->rep = rep;
  ab_rng_seed_stream (&sim->rng, sc->seed, rep);
  sim->heap_n = 0;
  sim->top_pending = FALSE;
  sim->n_frames = 0;
  sim->live_frames = 0;
  sim->free_frame = -1;
  g_array_set_size (sim->pending_fail, 0);
  sim->now = 0.0;
  sim->hold_since = -INFINITY;
  sim->last_flush = 0.0;
  sim->cur_phase = -1;
  sim->skipped = 0.0;
  sim->rec_weight = 1.0;
  sim->rec_carry = 0.0;
  sim->bg_live = 0;
  sim->in_tail = FALSE;
  sim->rep_visits0 = sim->visits;
  reset_stations (sim);
  des_compute_loads (sim);
  for (guint g = 0; g < sim->n_gens; g++)
    {
      sim->gens[g].rate = 0.0;
      sim->gens[g].next_t = INFINITY;
    }

  /* bucket boundaries at warmup + j * bucket_s, the first one after 0 */
  j0 = -(int) floor (sim->warmup / sim->bucket_s);
  if (sim->warmup + j0 * sim->bucket_s <= 1e-12)
    j0++;
  sim->cur_bucket = -1;
  sim->mult = g_array_index (sc->phases, AbPhase, 0).mult_start;
  {
    double first = sim->warmup + j0 * sim->bucket_s;

    if (j0 - 1 >= 0)
      {
        /* no warm-up: the first bucket starts at 0 */
        sim->cur_bucket = 0;
        sim->mult = des_multiplier_integral (sc, 0.0, first - sim->warmup) / first;
      }
    des_update_rates (sim);
    if (!sim->cfg->empty_start)
      stationary_start (sim);
    if (first < sim->t_end - 1e-9)
      heap_push (sim, first, EV_PACK (EV_BUCKET, j0 + BUCKET_BIAS));
  }
  if (sim->warmup > 0.0)
    heap_push (sim, sim->warmup, EV_PACK (EV_PHASE, 0));
  else
    des_on_phase_boundary (sim, 0);
  if (sc->events->len > 0)
    heap_push (sim, sim->warmup + g_array_index (sc->events, AbScenarioEvent, 0).t_s,
               EV_PACK (EV_SCENARIO, 0));
  heap_push (sim, sim->t_end, EV_PACK (EV_END, 0));
  sim->next_emit = 0;
  sim->have_prev = FALSE;
  if (sim->windowed)
    {
      /* every replication starts from the plan */
      memcpy (sim->sl_start, sim->sl_start0, sizeof (double) * sim->n_slices);
      memcpy (sim->sl_end, sim->sl_end0, sizeof (double) * sim->n_slices);
      memcpy (sim->sl_cost, sim->sl_cost0, sizeof (double) * sim->n_slices);
      des_windows_per_phase (sim);
      sim->rep_visits0 = sim->visits;
      if (sim->sl_start[0] > 1e-12)
        {
          double t0 = sim->now;

          des_skip_to (sim, sim->sl_start[0]);
          des_window_queues (sim, t0);
        }
      sim->rec_weight = des_window_weight (sim, 0);
      sim->cur_slice = 0;
      if (sim->sl_end[0] < sim->t_end - 1e-9)
        heap_push (sim, sim->sl_end[0], EV_PACK (EV_SKIP, 0));
    }
}

/* ------------------------------------------------------------- set-up -- */

/* Set-up, part 1: the stations from the network, their call lists, the
 * load each sees and which ones requests can reach.  FALSE on a routing
 * cycle that never ends. */
gboolean
des_setup_stations (Sim *sim, GError **error)
{
  const AbNetwork *network = sim->net;

  sim->st = g_new0 (Station, sim->n);
  for (guint s = 0; s < sim->n; s++)
    {
      Station *st = &sim->st[s];
      const AbStation *def = &network->stations[s];

      st->def = def;
      for (int c = 0; c < AB_N_CLASSES; c++)
        {
          st->svc_s[c] = def->service_ms[c] / 1000.0;
          st->pass[c] = 1.0;
        }
      st->c = def->concurrency;
      st->balance = def->balance;
      st->blocking = def->blocking_calls;
      st->dist = def->dist;
      st->hit_ratio = def->hit_ratio;
      st->timeout_s = def->timeout_ms / 1000.0;
      st->infinite = def->concurrency <= 0;
      st->autoscale = def->autoscale_max > def->autoscale_min;
      st->n_init = def->instances;
      st->shard_live = 1.0;
      if (st->autoscale)
        st->n_init = CLAMP (st->n_init, MAX (1, def->autoscale_min), def->autoscale_max);
      st->n_max = st->autoscale ? MAX (st->n_init, def->autoscale_max) : st->n_init;
      st->n_up = st->n_init;
      st->state = ST_UP;
    }
  if (!compile_lists (sim, error))
    return FALSE;
  if (!des_compute_loads (sim))
    {
      g_set_error (error, AB_ERROR, AB_ERROR_CYCLE,
                   "network: a routing cycle sends every request round forever");
      return FALSE;
    }
  for (int c = 0; c < AB_N_CLASSES; c++)
    for (guint e = 0; e < network->entries[c].n; e++)
      mark_reachable (sim, network->entries[c].stations[e]);
  for (guint s = 0; s < sim->n; s++)
    if (network->stations[s].self_rate[0] > 0.0 || network->stations[s].self_rate[1] > 0.0)
      mark_reachable (sim, (int) s);

  return TRUE;
}

/* Set-up, part 2: the sample budget.  Lowers the representative count,
 * sizes the replications and, when even one replication of the whole
 * timeline does not fit, plans the windows (docs/simulation.md, "The
 * sample budget").  Returns the planned replications. */
guint
des_plan_budget (Sim *sim, guint max_k, guint64 budget)
{
  const AbDesConfig *config = sim->cfg;
  const AbScenario *scenario = sim->sc;
  double mult_time, total_time, J;
  guint reps;

  mult_time = des_multiplier_integral (sim->sc, -sim->warmup, sim->t_end - sim->warmup);
  total_time = sim->t_end;
  sim->K = (int) max_k;
  J = des_expected_visits (sim, sim->K, mult_time, total_time);
  reps = config->replications;
  if (reps == 0)
    {
      guint max_reps = config->max_replications > 0 ? config->max_replications : DEFAULT_MAX_REPS;

      while (sim->K > 1 && J > budget)
        J = des_expected_visits (sim, --sim->K, mult_time, total_time);
      reps = J > 0.0 ? (guint) MIN ((double) max_reps, floor (budget / J)) : 1;
      reps = MAX (reps, 1);
    }
  else
    {
      reps = MIN (reps, 100000);
      while (sim->K > 1 && J * reps > budget)
        J = des_expected_visits (sim, --sim->K, mult_time, total_time);
    }
  /* the estimate ignores failures and overload: allow some slack before
   * cutting a run short, except when even the smallest windows are too
   * many */
  sim->visit_limit = budget * 2;
  /* a timeline whose backlogs would pile up more followed requests than
   * the pool holds is run in windows too (des_plan_windows keeps them
   * under ROOM_FRAMES) */
  if (J * reps > budget || des_frames_piled (sim) > sim->max_frames)
    {
      /* windows: fewer representatives no longer buy the whole timeline;
       * take the count that follows the most user requests per visit (the
       * phases' percentiles rest on them).  Least connections simulates
       * the other instances' requests as a count (ab-des-pool.c), about
       * two steps per request of theirs near saturation: when a
       * component balanced that way has more instances, take the most
       * representatives that follow within 10 % as many requests per
       * visit as the best count. */
      double best = des_tracked_fraction (sim, sim->K) / J;
      gboolean pools = FALSE;

      for (guint s = 0; s < sim->n; s++)
        if (sim->st[s].reachable && !sim->st[s].infinite &&
            sim->st[s].balance == AB_BALANCE_LEAST_CONNECTIONS && sim->st[s].n_max > sim->K)
          pools = TRUE;
      for (int k = sim->K + 1; k <= (int) max_k; k++)
        {
          double jk = des_expected_visits (sim, k, mult_time, total_time);
          double per_visit = jk > 0.0 ? des_tracked_fraction (sim, k) / jk : 0.0;

          if (per_visit > 1.1 * best || (pools && per_visit >= best / 1.1))
            {
              best = MAX (best, per_visit);
              sim->K = k;
              J = jk;
            }
        }
      sim->windowed = TRUE;
      des_background_stations (sim);
      if (!des_plan_windows (sim, (double) budget / reps))
        sim->visit_limit = budget;
    }
  else
    {
      sim->n_slices = 1;
      sim->sl_start = g_new0 (double, 1);
      sim->sl_end = g_new (double, 1);
      sim->sl_end[0] = sim->t_end;
    }
  if (reps >= MIN_REPS_FOR_CI)
    sim->nb = 1;
  sim->phase_sim = g_new0 (double, scenario->phases->len);
  sim->phase_windows = g_new0 (guint, scenario->phases->len);
  for (guint i = 0; i < scenario->phases->len; i++)
    {
      double d = g_array_index (scenario->phases, AbPhase, i).duration_s;

      if (!sim->windowed)
        {
          sim->phase_sim[i] = d;
          sim->phase_windows[i] = 1;
        }
    }
  if (sim->windowed)
    des_windows_per_phase (sim);
  sim->f = 1.0;
  for (guint s = 0; s < sim->n; s++)
    {
      Station *st = &sim->st[s];

      st->k_alloc = MIN (st->n_max, sim->K);
      st->inst = g_new0 (Instance, st->k_alloc);
      if (st->reachable)
        sim->f = MIN (sim->f, (double) st->k_alloc / st->n_max);
    }
  return reps;
}

/* Set-up, part 3: the parked events and the fluid model's routing and
 * rates (used by a windowed run's skips). */
void
des_alloc_fluid (Sim *sim)
{
  const AbNetwork *network = sim->net;
  guint nn = sim->n * AB_N_CLASSES, n_calls = 0;

  sim->parked = g_array_new (FALSE, FALSE, sizeof (Event));
  for (guint i = 0; i < nn; i++)
    n_calls += network->calls[i].n_calls;
  sim->f_first = g_new0 (guint, nn + 1);
  sim->f_to = g_new0 (guint, MAX (n_calls, 1));
  sim->f_w = g_new0 (double, MAX (n_calls, 1));
  sim->f_src = g_new0 (double, nn);
  sim->f_arr = g_new0 (double, nn);
  sim->f_next = g_new0 (double, nn);
  sim->f_served = g_new0 (double, nn);
  for (guint st = 0; st < sim->n; st++)
    sim->st[st].f_steps = g_array_new (FALSE, FALSE, sizeof (FStep));
}

/* Set-up, part 4: the request generators: user classes (over their
 * entry stations), own (cron) load, phantoms. */
void
des_setup_generators (Sim *sim)
{
  const AbNetwork *network = sim->net;
  guint n_self = 0;

  for (guint s = 0; s < sim->n; s++)
    n_self += (network->stations[s].self_rate[0] > 0.0) + (network->stations[s].self_rate[1] > 0.0);
  sim->n_gens = AB_N_CLASSES + n_self + sim->n;
  sim->gens = g_new0 (Gen, sim->n_gens);
  {
    guint g = 0;

    for (int c = 0; c < AB_N_CLASSES; c++, g++)
      {
        double total_share = 0.0, cum = 0.0;

        sim->gens[g].kind = GEN_USER;
        sim->gens[g].klass = c;
        sim->n_entries[c] = network->entries[c].n;
        for (guint e = 0; e < network->entries[c].n; e++)
          total_share += network->entries[c].shares[e];
        for (guint e = 0; e < network->entries[c].n; e++)
          {
            cum += total_share > 0.0 ? network->entries[c].shares[e] / total_share : 1.0 / network->entries[c].n;
            sim->entry_cum[c][e] = cum;
            sim->entry_station[c][e] = network->entries[c].stations[e];
          }
      }
    for (guint s = 0; s < sim->n; s++)
      for (int c = 0; c < AB_N_CLASSES; c++)
        if (network->stations[s].self_rate[c] > 0.0)
          {
            sim->gens[g].kind = GEN_SELF;
            sim->gens[g].station = (int) s;
            sim->gens[g].klass = c;
            g++;
          }
    for (guint s = 0; s < sim->n; s++, g++)
      {
        sim->gens[g].kind = GEN_PHANTOM;
        sim->gens[g].station = (int) s;
      }
  }
}

/* Whether station @s sets the followed share f: it has more instances than
 * representatives and its representatives follow f of its requests. */
static gboolean
sets_share (Sim *sim, int s)
{
  const Station *st = &sim->st[s];

  return st->k_alloc < st->n_max &&
         fabs ((double) st->k_alloc / st->n_max - sim->f) <= 1e-12 * sim->f;
}

/* The component where a user class's followed share is set, when every
 * request of the class reaches it the same way (one entry; through
 * components of one certain synchronous call each, without a hit ratio:
 * pass-through ones, and ones with a service time that do not set the
 * share — a balancer's own tier, say), with the class it has there; -1
 * otherwise.  The walk stops at the first component with a service time
 * that sets the share. */
static int
first_station (Sim *sim, int klass, int *at_class)
{
  const AbNetwork *network = sim->net;
  int s, cc = klass;

  if (network->entries[klass].n != 1)
    return -1;
  s = network->entries[klass].stations[0];
  for (int depth = 0; depth < MAX_DEPTH; depth++)
    {
      const AbCallList *cl;
      const AbCall *call;

      if (s < 0 || s >= (int) sim->n)
        return -1;
      if (sim->st[s].svc_s[cc] > 0.0 && sets_share (sim, s))
        {
          *at_class = cc;
          return s;
        }
      cl = &network->calls[s * AB_N_CLASSES + cc];
      if (sim->st[s].hit_ratio > 0.0 || cl->n_calls != 1)
        return -1;
      call = &cl->calls[0];
      if (call->probability < 1.0 - 1e-12 || call->group >= 0 || call->on_miss_of >= 0 ||
          call->async)
        return -1;
      cc = (int) call->as_class;
      s = call->callee;
    }
  return -1;
}

static int
compl_cmp (gconstpointer a, gconstpointer b)
{
  double x = ((const double *) a)[0], y = ((const double *) b)[0];

  return (x < y) - (x > y);
}

/* Under systematic sampling, the stations whose users' anonymous visits
 * come from the requests not followed (gen_complement): every one with
 * such visits, the busiest MAX_COMPL of them, when one sequence of
 * followed requests holds every class there is (a request not followed
 * is then of any class, as the anonymous loads are). */
static void
plan_complement (Sim *sim, const int *target)
{
  const AbNetwork *network = sim->net;
  g_autoptr(GArray) cand = g_array_new (FALSE, FALSE, 2 * sizeof (double));

  sim->compl_n = 0;
  for (guint s = 0; s < sim->n; s++)
    {
      sim->st[s].compl[AB_CLASS_READ] = sim->st[s].compl[AB_CLASS_WRITE] = FALSE;
      sim->st[s].compl_on = TRUE;
      sim->st[s].delay_n = sim->st[s].delay_pos = 0;
    }
  for (int c = 0; c < AB_N_CLASSES; c++)
    if (network->rate[c] > 0.0 && (target[c] < 0 || (target[c] != target[0] && network->rate[0] > 0.0)))
      return;
  for (guint s = 0; s < sim->n; s++)
    {
      const Station *st = &sim->st[s];

      for (int c = 0; c < AB_N_CLASSES; c++)
        {
          double fc = (double) st->k_alloc / st->n_init * ab_network_copies (network, (int) s, c, st->n_init)
                      - sim->f;
          double e[2] = { st->load_user[c] * fc, (double) (s * AB_N_CLASSES + (guint) c) };

          if (st->load_user[c] > 0.0 && st->svc_s[c] > 0.0 && fc > 1e-12 && !st->infinite)
            g_array_append_val (cand, e);
        }
    }
  g_array_sort (cand, compl_cmp);
  for (guint i = 0; i < cand->len && sim->compl_n < MAX_COMPL; i++)
    {
      guint at = (guint) ((double *) cand->data)[2 * i + 1];

      sim->compl_at[sim->compl_n++] = at;
      sim->st[at / AB_N_CLASSES].compl[at % AB_N_CLASSES] = TRUE;
    }
}

/* Set-up, part 4b: systematic sampling (docs/simulation.md,
 * "Representative instances").  When a balanced component with more
 * instances than representatives is where the followed share f is set
 * (its representatives take nothing but followed requests) and every
 * request of a class reaches it the same way (first_station: also
 * through components with a service time that do not set the share),
 * the class follows every (1/f)-th
 * request instead of a random f of them: gaps Gamma(1/f), so the
 * representatives, in turn, each get every n-th request of the
 * component, as its real instances do.  Both classes meeting the same
 * component share one generator (one sequence of requests). */
void
des_plan_systematic (Sim *sim)
{
  const AbNetwork *network = sim->net;
  int target[AB_N_CLASSES];

  for (int c = 0; c < AB_N_CLASSES; c++)
    {
      int cc = c, t;
      const Station *st;
      double load = 0.0, offered = 0.0;

      target[c] = -1;
      if (network->rate[c] <= 0.0 || sim->f >= 1.0)
        continue;
      t = first_station (sim, c, &cc);
      if (t < 0)
        continue;
      st = &sim->st[t];
      /* least connections pools every instance's slots: its followed
       * requests are a random share, so that the others' (a Poisson
       * stream, ab-des-pool.c) are independent of them, as in a real
       * Poisson stream thinned at random */
      if (st->balance == AB_BALANCE_RANDOM || st->balance == AB_BALANCE_LEAST_CONNECTIONS ||
          st->infinite || st->autoscale ||
          network->stations[t].self_rate[0] > 0.0 || network->stations[t].self_rate[1] > 0.0)
        continue;
      /* nothing else arrives there: no background work, no other path,
       * no anonymous visits */
      for (int k = 0; k < AB_N_CLASSES; k++)
        {
          load += st->load_user[k];
          if (st->load_bg[k] > 0.0 ||
              (st->svc_s[k] > 0.0 &&
               (double) st->k_alloc / st->n_init * ab_network_copies (network, t, k, st->n_init)
               - sim->f > 1e-12))
            load = -INFINITY;
        }
      for (int k = 0; k < AB_N_CLASSES; k++)
        if (network->rate[k] > 0.0)
          {
            int kk, tk = first_station (sim, k, &kk);

            if (tk == t)
              offered += network->rate[k];
          }
      if (fabs (load - offered) > 1e-9 * offered)
        continue;
      target[c] = t;
    }
  for (int c = 0; c < AB_N_CLASSES; c++)
    {
      Gen *gen = &sim->gens[c];

      g_assert (gen->kind == GEN_USER && gen->klass == c);
      if (target[c] < 0)
        continue;
      gen->shape = 1.0 / sim->f;
      for (int d = 0; d < c; d++)
        if (target[d] == target[c])
          {
            gen->merged = TRUE;
            sim->gens[d].mixed = TRUE;
          }
    }
  plan_complement (sim, target);
}
