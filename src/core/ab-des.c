/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The discrete-event simulation.  Requests are frames (one per station
 * visit, linked to their caller) in a free-listed pool; the event heap holds
 * 16-byte entries (time, type and index); waiting frames sit in
 * per-instance rings.  Stations with many instances are simulated through
 * k <= 8 representative instances: the tracked requests are a fraction f of
 * the modelled traffic and each station tops its representatives up to
 * their per-instance rate with Poisson "phantom" visits that occupy the
 * station but make no calls (docs/simulation.md). */
#define G_LOG_DOMAIN "archboard-des"

#include "config.h"

#include "ab-des-private.h"
#include "ab-model.h"


/* A group's weights that sum below 1 by more than this leave the rest of
 * the requests without the call (routing's own tolerance) */
#define GROUP_TOTAL_EPS 1e-9

/* ------------------------------------------------------------ stations -- */





static gboolean
des_live (gconstpointer data, int station)
{
  return resolve (data, station) >= 0;
}

static void foreach_group (const AbCallList *cl, const gboolean *parents,
                           void (*fn) (AbCallGroupIter *it, gpointer data), gpointer data);

/* For a group: its members' live factors (ab_call_group_iter_live_factors,
 * as the model and availability take them) into Sim.live_factor */
static void
live_factors (AbCallGroupIter *it, gpointer data)
{
  Sim *sim = data;

  ab_call_group_iter_live_factors (it, sim->net, des_live, sim, sim->live_factor);
}

/* The chance that each call is made per onward-calling visit, under the
 * current up / down state, into StepList.made: its share of an exclusive
 * group (when the group covers for its members, the share of the live
 * ones: a lost member's share moves to the others), times, for a
 * cache-aside fallback, the chance its lookup was made and missed (a lost
 * cache always misses).  One pass over every call list. */
void
des_update_chances (Sim *sim)
{
  for (guint i = 0; i < sim->n * AB_N_CLASSES; i++)
    {
      const AbCallList *cl = &sim->net->calls[i];
      StepList *list = &sim->lists[i];

      for (guint k = 0; k < cl->n_calls; k++)
        sim->live_factor[k] = 1.0;
      if (list->n_cover > 0)
        foreach_group (cl, list->absorbable, live_factors, sim);
      for (guint j = 0; j < cl->n_calls; j++)
        {
          const AbCall *call = &cl->calls[j];
          double base = call->probability;

          if (call->group >= 0)
            {
              double gt = list->gtotal[j];

              /* its weight's share of the group; of 1 when the weights
               * sum below 1 (the rest makes no call) */
              base = gt <= 0.0 ? 0.0 : call->probability / (gt < 1.0 - GROUP_TOTAL_EPS ? 1.0 : gt);
              base *= sim->live_factor[j];
            }
          if (call->on_miss_of >= 0)
            {
              const AbCall *prev_call = &cl->calls[call->on_miss_of];
              int prev = resolve (sim, prev_call->callee);
              double miss = prev < 0 || prev_call->as_class != AB_CLASS_READ
                            ? 1.0 : 1.0 - sim->st[prev].def->hit_ratio;

              base *= list->made[call->on_miss_of] * miss;
            }
          list->made[j] = base;
        }
    }
}


/* ------------------------------------------------------------ recording -- */

static inline void
record_latency (Sim *sim, int series, double ms)
{
  if (sim->cur_bucket >= 0)
    ab_histogram_record (sim->buckets[sim->cur_bucket].hist[series], ms);
  if (sim->cur_phase >= 0)
    {
      PhaseAcc *ph = &sim->phases[sim->cur_phase];
      int b = (int) ((sim->now - sim->phase_t0) * sim->batch_inv);

      b = CLAMP (b, 0, (int) sim->nb - 1);
      if (G_LIKELY (sim->rec_weight == 1.0))
        {
          ab_histogram_record (ph->batch[b * AB_DES_N_SERIES + series], ms);
          if (G_UNLIKELY (ph->win != NULL))
            des_ci_record (sim, ph, series, ms, 1);
        }
      else
        {
          /* a window of a windowed run weighed (des_window_weight) */
          guint64 n;

          sim->rec_carry += sim->rec_weight;
          n = (guint64) sim->rec_carry;
          sim->rec_carry -= (double) n;
          if (n > 0)
            {
              ab_histogram_record_n (ph->batch[b * AB_DES_N_SERIES + series], ms, n);
              if (ph->win != NULL)
                des_ci_record (sim, ph, series, ms, n);
            }
        }
    }
}

/* The end of a background chain, its lag @ms: in the time bucket it
 * ends in, and in the phase it started in (f->phase0).  A chain that
 * outlasts the simulated stretch of its phase (a windowed run simulates
 * a tenth of a second of some phases) goes on in the next window and is
 * still counted where it began: counted where it ends, the phase would
 * keep only its chains short enough to end inside it. */
static void
record_lag (Sim *sim, const Frame *f, double ms)
{
  PhaseAcc *ph;
  int b;

  /* an extra pass for the lag keeps the chains of the phases it is for */
  if (G_UNLIKELY (sim->lag_focus != NULL) &&
      (f->phase0 == PHASE_NONE || !sim->lag_focus[f->phase0]))
    return;
  if (sim->cur_bucket >= 0)
    ab_histogram_record (sim->buckets[sim->cur_bucket].hist[AB_DES_ASYNC], ms);
  if (f->phase0 == PHASE_NONE)
    return;
  ph = &sim->phases[f->phase0];
  /* the batch: by when the chain began in the simulated time of its
   * phase (the skips it waited through moved its start with them), also
   * when it ends in a later phase (in a windowed run most long chains
   * do: all in one batch, they made the interval's batches unlike); by
   * when it ended, begun before the phase's simulated time: its wait
   * behind a fluid backlog is counted from earlier, ab-des-fluid.c */
  {
    double u = f->t_start - sim->skipped;

    if (u < ph->u0 && (int) f->phase0 == sim->cur_phase)
      u = sim->now - sim->skipped;
    b = (int) ((u - ph->u0) * sim->nb / MAX (sim->phase_sim[f->phase0], 1e-9));
  }
  b = CLAMP (b, 0, (int) sim->nb - 1);
  ab_histogram_record (ph->batch[b * AB_DES_N_SERIES + AB_DES_ASYNC], ms);
  /* the lag's trend: by when the chain began, unknown once a skip
   * moved its start */
  des_lag_record (sim, ph, b, f->station, (f->flags & F_MOVED) ? NAN : f->t_start, ms);
}

static void continue_frame (Sim *sim, gint32 fi);
static void arrive (Sim *sim, gint32 fi);
static void hold_end (Sim *sim, gint32 fi);

static void
finish_frame (Sim *sim, gint32 fi, gboolean ok, gboolean hit)
{
  for (;;)
    {
      Frame *f = &sim->frames[fi];
      gint32 parent = f->parent;
      Frame *p;

      if (G_UNLIKELY (f->flags & F_HOLD))
        {
          hold_end (sim, fi);
          f = &sim->frames[fi]; /* the pool may have moved */
        }
      if (parent < 0)
        {
          if ((f->flags & F_BG) && f->phase0 != PHASE_NONE)
            sim->bg_live--;
          if (f->flags & F_USER)
            {
              if (ok)
                {
                  double ms = (sim->now - f->t_start + f->fold) * 1000.0;

                  /* AB_DES_ALL is the merge of the classes, made later */
                  record_latency (sim, f->klass, ms);
                  if (sim->cur_bucket >= 0)
                    sim->buckets[sim->cur_bucket].served++;
                  if (sim->cur_phase >= 0)
                    {
                      sim->phases[sim->cur_phase].served++;
                      sim->phases[sim->cur_phase].class_served[f->klass]++;
                      phase_count_batch (sim, f->klass, FALSE, 1);
                    }
                }
              else
                {
                  if (sim->cur_bucket >= 0)
                    sim->buckets[sim->cur_bucket].errors++;
                  if (sim->cur_phase >= 0)
                    {
                      sim->phases[sim->cur_phase].errors++;
                      sim->phases[sim->cur_phase].class_errors[f->klass]++;
                      phase_count_batch (sim, f->klass, TRUE, 1);
                    }
                }
            }
          else if (f->flags & F_BG)
            {
              if (ok)
                {
                  /* t_start is when the chain began; its last stage
                   * gives the lag */
                  if (!(f->flags & F_SPAWNED))
                    record_lag (sim, f, (sim->now - f->t_start + f->fold) * 1000.0);
                  if (sim->cur_bucket >= 0)
                    sim->buckets[sim->cur_bucket].async_served++;
                  if (sim->cur_phase >= 0)
                    sim->phases[sim->cur_phase].async_served++;
                }
              else
                {
                  if (sim->cur_bucket >= 0)
                    sim->buckets[sim->cur_bucket].async_errors++;
                  if (sim->cur_phase >= 0)
                    sim->phases[sim->cur_phase].async_errors++;
                }
            }
          frame_free (sim, fi);
          return;
        }

      frame_free (sim, fi);
      p = &sim->frames[parent];
      if (ok)
        {
          const StepList *pl = &sim->lists[p->station * AB_N_CLASSES + p->klass];

          if (!hit && pl->absorbable[p->cur_call])
            p->missed |= pl->miss_val[p->cur_call];
          continue_frame (sim, parent);
          return;
        }
      if (sim->lists[p->station * AB_N_CLASSES + p->klass].absorbable[p->cur_call])
        {
          const StepList *pl = &sim->lists[p->station * AB_N_CLASSES + p->klass];

          p->missed |= pl->miss_val[p->cur_call];
          continue_frame (sim, parent);
          return;
        }
      fi = parent;
      hit = FALSE;
    }
}

/* A request one of whose calls found no frame left (the pool of
 * requests in flight is full: sim->out_of_room): a limit of the
 * simulator, not of the design, so it ends uncounted, neither served
 * nor failed, and its latency is not recorded.  Its frames up to the
 * root are freed, the slots its blocking callers hold released. */
static G_GNUC_NO_INLINE void
drop_request (Sim *sim, gint32 fi)
{
  for (;;)
    {
      Frame *f = &sim->frames[fi];
      gint32 parent = f->parent;

      if (f->flags & F_HOLD)
        {
          hold_end (sim, fi);
          f = &sim->frames[fi]; /* the pool may have moved */
        }
      if (parent < 0 && (f->flags & F_BG) && f->phase0 != PHASE_NONE)
        sim->bg_live--;
      frame_free (sim, fi);
      if (parent < 0)
        return;
      fi = parent;
    }
}

static inline void
fail_frame (Sim *sim, gint32 fi)
{
  finish_frame (sim, fi, FALSE, FALSE);
}

void
des_drain_pending_failures (Sim *sim)
{
  while (sim->pending_fail->len > 0)
    {
      gint32 fi = g_array_index (sim->pending_fail, gint32, sim->pending_fail->len - 1);

      g_array_set_size (sim->pending_fail, sim->pending_fail->len - 1);
      fail_frame (sim, fi);
    }
}

static void
spawn_background (Sim *sim, int station, int klass, double net_ms, guint8 depth, double origin,
                  float fold, guint8 phase0, guint8 moved)
{
  gint32 ci = frame_new_root (sim, klass, F_BG | moved, (guint) station, sim->now);
  Frame *c;

  /* no frame left: counted in out_of_room, not as lost work */
  if (ci < 0)
    return;
  /* a stage of a chain: as deep as the call that spawned it, with the
   * chain's start and the phase it started in */
  c = &sim->frames[ci];
  c->depth = depth;
  c->t_start = origin;
  c->fold = fold;
  /* in flight for the phase the chain started in */
  sim->bg_live += (phase0 != PHASE_NONE) - (c->phase0 != PHASE_NONE);
  c->phase0 = phase0;
  if (net_ms > 0.0)
    heap_push (sim, sim->now + net_ms / 1000.0, EV_PACK (EV_ARRIVE, ci));
  else
    arrive (sim, ci);
}

/* The chosen member @ci of a group is lost: when the group covers for
 * its members, one of the live ones of its kind of call (synchronous or
 * not, as ab_call_group_iter_live_factors moves a lost member's share)
 * by their weights instead; when none is live, @ci (the call fails). */
static int
repick (Sim *sim, const StepList *list, const Step *step, int ci)
{
  gboolean async = list->calls[ci].async;
  double live = 0.0, u, prev = 0.0;
  int last = -1;

  for (guint j = 0; j < step->n_alt; j++)
    {
      const Alt *a = &sim->alts[step->first_alt + j];
      double w = a->cum - prev;

      prev = a->cum;
      if (a->call >= 0 && list->calls[a->call].async == async
          && resolve (sim, list->calls[a->call].callee) >= 0)
        live += w;
    }
  if (live <= 0.0 || !list->covers[ci])
    return ci;
  u = ab_rng_double (&sim->rng) * live;
  prev = 0.0;
  for (guint j = 0; j < step->n_alt; j++)
    {
      const Alt *a = &sim->alts[step->first_alt + j];
      double w = a->cum - prev;

      prev = a->cum;
      if (a->call < 0 || list->calls[a->call].async != async
          || resolve (sim, list->calls[a->call].callee) < 0)
        continue;
      last = a->call;
      if (u < w)
        return a->call;
      u -= w;
    }
  return last >= 0 ? last : ci;
}

/* At fallback-only step @step of a run: the first step from it on that
 * falls back on the lookup that missed (the run's end when none did). */
static guint
fallback_next (const StepList *list, const Step *step, const Frame *f)
{
  guint t = (guint) (step - list->steps);
  guint first = list->code_first[step->lookup_step];
  guint64 mask = list->miss_field[list->code_call[first]];
  guint64 v = (f->missed & mask) >> g_bit_nth_lsf (mask, -1);
  const guint *a;
  guint lo, hi;
  int j;

  if (v == 0)
    return step->run_end;
  j = list->code_call[first + v - 1];
  a = &list->fb_steps[list->fb_first[j]];
  lo = 0;
  hi = list->fb_n[j];
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (a[mid] < t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo < list->fb_n[j] ? MIN (a[lo], step->run_end) : step->run_end;
}

/* In a windowed run, the network time @net_ms of the synchronous call
 * @child makes is not lived through when no caller holds a slot while
 * it passes (docs/simulation.md, "Slow requests in windows"): the call
 * arrives at once and its root counts the time in its latency (Frame.fold).
 * A pure delay that nothing waits on changes only when the callee sees
 * the request, and a window stands for a stretch at its own load, so
 * the callee sees the same stream as after the delay; lived through, a
 * delay longer than the window carried the request out of it, and a
 * phase of few windows counted few of its requests, from earlier
 * windows.  FALSE (the delay is lived through) when a caller holds its
 * slot for the call (blocking calls: the slot's time must pass), and
 * for a delay under FOLD_FROM of the window, which moves too few
 * requests into the next window to matter. */
static G_GNUC_NO_INLINE gboolean
des_fold_net (Sim *sim, gint32 child, double net_ms)
{
  gint32 fi = sim->frames[child].parent;
  guint k = sim->cur_slice;

  if (net_ms < FOLD_FROM * 1000.0 * (sim->sl_end[k] - sim->sl_start[k]))
    return FALSE;
  for (;;)
    {
      Frame *f = &sim->frames[fi];

      if (f->flags & F_HOLD)
        return FALSE;
      if (f->parent < 0)
        {
          f->fold += (float) (net_ms / 1000.0);
          return TRUE;
        }
      fi = f->parent;
    }
}

static void
continue_frame (Sim *sim, gint32 fi)
{
  for (;;)
    {
      Frame *f = &sim->frames[fi];
      const StepList *list = &sim->lists[f->station * AB_N_CLASSES + f->klass];
      const Step *step;
      const AbCall *call;
      int ci = -1;
      gint32 child;
      Frame *c;

      if (f->step >= list->n_steps)
        {
          finish_frame (sim, fi, TRUE, FALSE);
          return;
        }
      step = &list->steps[f->step];
      if (G_UNLIKELY (step->run_end != 0))
        {
          guint to = fallback_next (list, step, f);

          if (to != f->step)
            {
              f->step = (guint16) to;
              continue;
            }
        }
      f->step++;
      f->missed &= ~step->clear;
      if (step->n_alt == 1)
        {
          const Alt *a = &sim->alts[step->first_alt];
          double p = list->calls[a->call].probability;

          if (p >= 1.0 || ab_rng_double (&sim->rng) < p)
            ci = a->call;
        }
      else
        {
          double u = ab_rng_double (&sim->rng) * step->total;

          const Alt *alts = &sim->alts[step->first_alt];
          guint lo = 0, hi = step->n_alt - 1;

          /* the first alternative with u < cum (the last one when none):
           * cum never decreases, so bisect; a wide group (shards) costs
           * log n */
          while (lo < hi)
            {
              guint mid = lo + (hi - lo) / 2;

              if (u < alts[mid].cum)
                hi = mid;
              else
                lo = mid + 1;
            }
          ci = alts[lo].call;
        }
      if (ci < 0)
        continue;
      if (G_UNLIKELY (step->n_alt > 1 && resolve (sim, list->calls[ci].callee) < 0))
        ci = repick (sim, list, step, ci);
      call = &list->calls[ci];
      if (call->on_miss_of >= 0 &&
          (f->missed & list->miss_field[call->on_miss_of]) != list->miss_val[call->on_miss_of])
        continue;

      if (call->async)
        {
          /* a background chain keeps its start: the lag is summed over
           * its stages */
          gint32 root = fi;
          double origin = sim->now;
          guint8 phase0 = sim->cur_phase >= 0 && sim->cur_phase < PHASE_NONE
                          ? (guint8) sim->cur_phase : PHASE_NONE;
          guint8 moved = 0;
          float fold = 0.0f;

          while (sim->frames[root].parent >= 0)
            root = sim->frames[root].parent;
          if (sim->frames[root].flags & F_BG)
            {
              origin = sim->frames[root].t_start;
              fold = sim->frames[root].fold;
              phase0 = sim->frames[root].phase0;
              moved = sim->frames[root].flags & F_MOVED;
              sim->frames[root].flags |= F_SPAWNED;
            }
          spawn_background (sim, call->callee, call->as_class, call->net_ms, f->depth, origin, fold,
                            phase0, moved);
          continue;
        }

      f->cur_call = (guint16) ci;
      child = frame_alloc (sim);
      if (G_UNLIKELY (child < 0))
        {
          /* too many requests in flight: not an error of the design,
           * the request ends uncounted */
          sim->out_of_room++;
          drop_request (sim, fi);
          return;
        }
      f = &sim->frames[fi]; /* the pool may have moved */
      if (f->depth + 1 >= MAX_DEPTH)
        {
          /* too deep (a routing cycle): the call fails */
          frame_free (sim, child);
          if (list->absorbable[ci])
            {
              f->missed |= list->miss_val[ci];
              continue;
            }
          finish_frame (sim, fi, FALSE, FALSE);
          return;
        }
      c = &sim->frames[child];
      c->parent = fi;
      c->station = (guint16) call->callee;
      c->klass = (guint8) call->as_class;
      c->step = 0;
      c->missed = 0;
      c->flags = 0;
      c->depth = f->depth + 1;
      c->t_start = sim->now;
      c->t_arrive = sim->now;
      if (call->net_ms > 0.0 && !(sim->windowed && des_fold_net (sim, child, call->net_ms)))
        heap_push (sim, sim->now + call->net_ms / 1000.0, EV_PACK (EV_ARRIVE, child));
      else
        arrive (sim, child);
      return;
    }
}

static void
after_service (Sim *sim, gint32 fi)
{
  Frame *f = &sim->frames[fi];
  const Station *st = &sim->st[f->station];

  if (f->flags & F_PHANTOM)
    {
      frame_free (sim, fi);
      return;
    }
  /* a hit (cache, cdn: reads only) answers there: no onward calls */
  if (st->hit_ratio > 0.0 && f->klass == AB_CLASS_READ &&
      ab_rng_double (&sim->rng) < st->hit_ratio)
    {
      finish_frame (sim, fi, TRUE, TRUE);
      return;
    }
  continue_frame (sim, fi);
}


static void
ring_push (Instance *in, gint32 fi)
{
  if (G_UNLIKELY (in->len > in->mask || in->ring == NULL))
    {
      guint cap = in->ring == NULL ? 16 : (in->mask + 1) * 2;
      gint32 *ring = g_new (gint32, cap);

      for (guint i = 0; i < in->len; i++)
        ring[i] = in->ring[(in->head + i) & in->mask];
      g_free (in->ring);
      in->ring = ring;
      in->head = 0;
      in->mask = cap - 1;
    }
  in->ring[(in->head + in->len) & in->mask] = fi;
  in->len++;
}


/* The representative a visit goes to, by the balancer's policy: the
 * next in turn, the one with the fewest requests in flight (ties go to
 * the next in turn), or a random one. */
static inline guint
pick_instance (Sim *sim, Station *st)
{
  guint k = (guint) st->k_active, ii;

  switch (st->balance)
    {
    case AB_BALANCE_RANDOM:
      return ab_rng_below (&sim->rng, (guint32) k);
    case AB_BALANCE_LEAST_CONNECTIONS:
      {
        gint64 best = G_MAXINT64;
        guint start = st->rr % k;

        ii = start;
        for (guint j = 0; j < k; j++)
          {
            guint i = start + j < k ? start + j : start + j - k;
            const Instance *in = &st->inst[i];
            gint64 load = in->busy + (gint64) in->len + in->n_virtual;

            if (load < best)
              {
                best = load;
                ii = i;
              }
          }
        st->rr = start + 1;
        return ii;
      }
    case AB_BALANCE_ROUND_ROBIN:
    default:
      ii = st->rr % k;
      st->rr = ii + 1;
      return ii;
    }
}

/* Whether @st holds as many requests as the threads of the pools that
 * call it (Station.pop_cap), not counting a windowed run's virtual
 * backlog (the fluid model's, which no thread holds). */
static gboolean
pop_full (const Station *st)
{
  gint64 n = st->busy_total + st->queued_total;

  for (int i = 0; i < st->k_active && n >= st->pop_cap; i++)
    n -= st->inst[i].n_virtual;
  return n >= st->pop_cap;
}

static void   set_gen_rate (Sim *sim, guint g, double rate);
static double phantom_rate (Sim *sim, Gen *gen);

/* A followed user request reached @st, a station of the complement:
 * the time it took since it started, for the complement's anonymous
 * visits (gen_complement). */
static void
note_delay (Sim *sim, Station *st, gint32 fi)
{
  const Frame *root = &sim->frames[fi];

  while (root->parent >= 0)
    root = &sim->frames[root->parent];
  if (!(root->flags & F_USER))
    return;
  st->delay_ring[st->delay_pos] = (float) (sim->now - root->t_start);
  st->delay_pos = (st->delay_pos + 1) % DELAY_SAMPLES;
  if (st->delay_n < DELAY_SAMPLES)
    st->delay_n++;
  if (st->delay_pos == 0)
    {
      /* a full ring: are the times still short against the gap? */
      double sum = 0.0, sum2 = 0.0, sd, gap, users;
      gboolean on;
      guint g;

      for (guint i = 0; i < DELAY_SAMPLES; i++)
        {
          sum += st->delay_ring[i];
          sum2 += (double) st->delay_ring[i] * st->delay_ring[i];
        }
      sd = sqrt (MAX (0.0, sum2 - sum * sum / DELAY_SAMPLES) / (DELAY_SAMPLES - 1));
      users = sim->f * sim->mult * (sim->net->rate[AB_CLASS_READ] + sim->net->rate[AB_CLASS_WRITE]);
      gap = users > 0.0 ? 1.0 / users : INFINITY;
      on = sd <= COMPL_SPREAD_GAPS * gap;
      if (on != st->compl_on)
        {
          st->compl_on = on;
          g = sim->n_gens - sim->n + (guint) (st - sim->st);
          set_gen_rate (sim, g, phantom_rate (sim, &sim->gens[g]));
        }
    }
}

static void
arrive (Sim *sim, gint32 fi)
{
  Frame *f = &sim->frames[fi];
  int s = resolve (sim, f->station);
  Station *st;
  Instance *in;
  guint ii;

  sim->visits++;
  if (s < 0)
    {
      fail_frame (sim, fi);
      return;
    }
  f->station = (guint16) s;
  st = &sim->st[s];
  f->t_arrive = sim->now;
  if (G_UNLIKELY (st->compl[f->klass]) && !(f->flags & F_PHANTOM))
    note_delay (sim, st, fi);
  if (G_UNLIKELY (st->shard_live < 1.0) && !(f->flags & F_PHANTOM)
      && ab_rng_double (&sim->rng) >= st->shard_live)
    {
      /* its shard is lost (the anonymous visits are thinned already) */
      fail_frame (sim, fi);
      return;
    }
  if (st->svc_s[f->klass] <= 0.0)
    {
      /* no service time: a pass-through (a client, say); only the
       * tracked requests visit it, hence the weight */
      if (!(f->flags & F_PHANTOM))
        {
          st->seg.w_comp += 1.0 / sim->f;
          st->seg.n_soj += 1.0;
        }
      after_service (sim, fi);
      return;
    }
  if (!(f->flags & F_PHANTOM))
    pass_note (sim, st, f->klass);
  else if (G_UNLIKELY (st->busy_total + st->queued_total >= st->pop_cap) && pop_full (st))
    {
      /* no thread of the pools calling here is left to make this
       * anonymous call: it is made when one comes back (pop_release), or
       * never when as many already wait */
      if (st->pop_deferred < st->pop_cap)
        st->pop_deferred++;
      frame_free (sim, fi);
      return;
    }
  if (G_UNLIKELY (st->pooled))
    {
      /* least connections: one queue for all the instances' slots */
      if (!des_pool_arrive (sim, st, fi))
        {
          if (!(f->flags & F_PHANTOM))
            st->pass_lost[f->klass]++;
          fail_frame (sim, fi);
        }
      return;
    }
  ii = st->k_active == 1 ? 0 : pick_instance (sim, st);
  in = &st->inst[ii];
  f->instance = (guint8) ii;
  station_touch (st, sim->now);
  if (st->infinite || in->busy < st->c)
    start_service (sim, st, in, fi);
  else if (st->def->queue_limit > 0 &&
           in->len + in->n_virtual >= (gint64) st->def->queue_limit)
    {
      if (!(f->flags & F_PHANTOM))
        st->pass_lost[f->klass]++;
      fail_frame (sim, fi);
    }
  else if (in->n_virtual > 0 && st->timeout_s > 0.0
           && (double) (in->n_virtual + in->len) * st->v_gap > st->timeout_s)
    {
      /* behind a backlog the fluid model left (a windowed run), a request
       * that would wait past the timeout fails on arrival: it would give
       * up at the head without costing a slot anyway, and those behind
       * it are served as they would be; failed here, it counts in the
       * phase it arrived in rather than waiting in the ring past the
       * run's end */
      if (!(f->flags & F_PHANTOM))
        st->pass_lost[f->klass]++;
      fail_frame (sim, fi);
    }
  else
    {
      ring_push (in, fi);
      st->queued_total++;
    }
}

/* Frees a slot of @in: the next waiting request (virtual backlog first)
 * starts; those that waited past the timeout fail (pending). */
static void
slot_free (Sim *sim, Station *st, Instance *in)
{
  double timeout_s = st->timeout_s;

  station_touch (st, sim->now);
  if (G_UNLIKELY (st->pooled || st->pq_len > 0))
    des_pool_sync (sim, st);
  in->busy--;
  st->busy_total--;
  while (G_UNLIKELY (in->n_virtual > 0))
    if (des_virtual_take (sim, st, in))
      return;
  while (in->len > 0)
    {
      gint32 wi = ring_pop (in);

      st->queued_total--;
      if (timeout_s > 0.0 && sim->now - sim->frames[wi].t_arrive > timeout_s)
        {
          if (!(sim->frames[wi].flags & F_PHANTOM))
            st->pass_lost[sim->frames[wi].klass]++;
          g_array_append_val (sim->pending_fail, wi);
          continue;
        }
      start_service (sim, st, in, wi);
      return;
    }
  if (G_UNLIKELY (st->pooled || st->pq_len > 0))
    des_pool_free (sim, st, in);
}

/* A request left @st, which has anonymous calls waiting for a thread of
 * the pools that call it (arrive, pop_caps): the next one is made. */
static void
pop_release (Sim *sim, Station *st)
{
  while (st->pop_deferred > 0 && !pop_full (st))
    {
      /* of the station's anonymous visits, its generator's and the
       * complement's alike */
      int klass = ab_rng_double (&sim->rng) < st->anon_read_frac ? AB_CLASS_READ : AB_CLASS_WRITE;
      gint32 fi = frame_new_root (sim, klass, F_PHANTOM, (guint) (st - sim->st), sim->now);

      st->pop_deferred--;
      if (fi < 0)
        return;
      arrive (sim, fi);
    }
}

/* A held request's calls have answered (or failed): its slot is free. */
static void
hold_end (Sim *sim, gint32 fi)
{
  Frame *f = &sim->frames[fi];
  Station *st = &sim->st[f->station];
  Instance *in = &st->inst[f->instance];
  int k = f->klass;
  double held = sim->now - f->t_arrive;

  f->flags &= (guint8) ~F_HOLD;
  if (!(f->flags & F_PHANTOM))
    {
      st->hold_ring[k][st->hold_pos[k]] = (float) held;
      st->hold_pos[k] = (st->hold_pos[k] + 1) % HOLD_SAMPLES;
      if (st->hold_n[k] < HOLD_SAMPLES)
        st->hold_n[k]++;
      /* the mean from the calls made since the last change of state */
      if (f->t_arrive >= sim->hold_since)
        {
          if (st->hold_seen[k] < HOLD_MEAN_SAMPLES)
            st->hold_seen[k]++;
          st->hold_mean[k] += (held - st->hold_mean[k]) / st->hold_seen[k];
        }
    }
  if (f->epoch == in->epoch)
    slot_free (sim, st, in);
  if (G_UNLIKELY (st->pop_deferred > 0))
    pop_release (sim, st);
}

static void
depart (Sim *sim, gint32 fi)
{
  Frame *f = &sim->frames[fi];
  Station *st = &sim->st[f->station];
  Instance *in = &st->inst[f->instance];

  if (G_UNLIKELY (f->epoch != in->epoch))
    {
      /* the instance was lost while this request was in service */
      fail_frame (sim, fi);
      return;
    }
  station_touch (st, sim->now);
  st->seg.w_comp += st->scale;
  st->seg.sum_soj += sim->now - f->t_arrive;
  st->seg.n_soj += 1.0;
  if (st->blocking)
    {
      /* thread per request: the slot stays busy while the calls run */
      if (!(f->flags & F_PHANTOM))
        {
          f->flags |= F_HOLD;
          f->t_arrive = sim->now;
          after_service (sim, fi);
          des_drain_pending_failures (sim);
          return;
        }
      if (st->hold_n[f->klass] > 0)
        {
          /* an anonymous visit makes no calls: it holds its slot for a
           * call time observed on the followed requests */
          double held = st->hold_ring[f->klass][ab_rng_below (&sim->rng, st->hold_n[f->klass])];

          if (held > 0.0)
            {
              f->flags |= F_HOLD;
              f->t_arrive = sim->now;
              heap_push (sim, sim->now + held, EV_PACK (EV_RELEASE, fi));
              return;
            }
        }
    }
  slot_free (sim, st, in);
  if (G_UNLIKELY (st->pop_deferred > 0))
    pop_release (sim, st);
  after_service (sim, fi);
  des_drain_pending_failures (sim);
}

/* ------------------------------------------------------------- routing -- */

/* Expected visits per station and class from @src (n * AB_N_CLASSES
 * arrival rates at the named stations) under the current up / down state;
 * with @pass, each station passes on only that share of its arrivals
 * (Station.pass).  FALSE when the propagation does not converge (a cycle
 * that feeds itself). */
static gboolean
propagate (Sim *sim, const double *src, gboolean pass, double *load)
{
  guint nn = sim->n * AB_N_CLASSES;
  g_autofree double *cur = g_new0 (double, nn);
  g_autofree double *next = g_new0 (double, nn);

  des_update_chances (sim);
  memset (load, 0, sizeof (double) * nn);
  for (guint i = 0; i < nn; i++)
    {
      int s = resolve (sim, (int) (i / AB_N_CLASSES));

      if (s >= 0)
        cur[s * AB_N_CLASSES + i % AB_N_CLASSES] += src[i];
    }
  for (int iter = 0; iter < 4096; iter++)
    {
      double total = 0.0, done = 0.0;

      for (guint i = 0; i < nn; i++)
        {
          total += cur[i];
          load[i] += cur[i];
          done += load[i];
        }
      if (total <= 1e-12 * done || total == 0.0)
        return TRUE;
      memset (next, 0, sizeof (double) * nn);
      for (guint i = 0; i < nn; i++)
        {
          const AbCallList *cl;
          const Station *st;
          double w;

          if (cur[i] == 0.0)
            continue;
          st = &sim->st[i / AB_N_CLASSES];
          cl = &sim->net->calls[i];
          w = i % AB_N_CLASSES == AB_CLASS_READ ? cur[i] * (1.0 - st->def->hit_ratio) : cur[i];
          if (pass)
            w *= st->pass[i % AB_N_CLASSES];
          w *= st->shard_live;
          for (guint j = 0; j < cl->n_calls; j++)
            {
              const AbCall *call = &cl->calls[j];
              int callee = resolve (sim, call->callee);

              if (callee >= 0)
                next[callee * AB_N_CLASSES + call->as_class] += w * sim->lists[i].made[j];
            }
        }
      memcpy (cur, next, sizeof (double) * nn);
    }
  return FALSE;
}

/* The users' and the background's arrival rates per station and class
 * (the users' per unit of multiplier) into @user and @bg, passing on
 * what each station passes on when @pass.  FALSE as propagate(). */
static gboolean
route_loads (Sim *sim, gboolean pass, double *user, double *bg)
{
  guint nn = sim->n * AB_N_CLASSES;
  g_autofree double *src = g_new0 (double, nn);

  for (int c = 0; c < AB_N_CLASSES; c++)
    for (guint e = 0; e < sim->net->entries[c].n; e++)
      src[sim->net->entries[c].stations[e] * AB_N_CLASSES + c] +=
        sim->net->rate[c] * sim->net->entries[c].shares[e];
  if (!propagate (sim, src, pass, user))
    return FALSE;
  for (guint s = 0; s < sim->n; s++)
    for (int c = 0; c < AB_N_CLASSES; c++)
      src[s * AB_N_CLASSES + c] = sim->net->stations[s].self_rate[c];
  return propagate (sim, src, pass, bg);
}

/* The bound on the requests at each station's representatives
 * (Station.pop_cap).  A station that only blocking pools call (a
 * database behind thread-per-request apps) never holds more requests than
 * those pools have threads: each thread waits for its one call.  The
 * followed requests keep to it by themselves, the anonymous visits are an
 * open stream: near the station's capacity the pool's threads would
 * throttle them, the stream would not (docs/simulation.md,
 * "Representative instances").  Infinite for any other station. */
static void
pop_caps (Sim *sim)
{
  guint nn = sim->n * AB_N_CLASSES;
  g_autofree double *from = g_new0 (double, nn);
  g_autofree double *threads = g_new0 (double, sim->n);
  g_autofree int *seen = g_new (int, sim->n);

  for (guint s = 0; s < sim->n; s++)
    seen[s] = -1;
  for (guint i = 0; i < nn; i++)
    {
      int b = (int) (i / AB_N_CLASSES), c = (int) (i % AB_N_CLASSES);
      const Station *st = &sim->st[b];
      const AbCallList *cl = &sim->net->calls[i];
      double w = st->load_user[c] + st->load_bg[c];

      if (!st->blocking || st->state != ST_UP || st->infinite || st->n_up <= 0)
        continue;
      if (c == AB_CLASS_READ)
        w *= 1.0 - st->def->hit_ratio;
      for (guint j = 0; j < cl->n_calls; j++)
        {
          const AbCall *call = &cl->calls[j];
          int d = resolve (sim, call->callee);

          if (d < 0 || call->async || sim->lists[i].made[j] <= 0.0)
            continue;
          from[d * AB_N_CLASSES + call->as_class] += w * sim->lists[i].made[j];
          if (seen[d] != b)
            {
              /* each of its threads waits for one call at a time */
              seen[d] = b;
              threads[d] += (double) st->n_up * st->c;
            }
        }
    }
  for (guint s = 0; s < sim->n; s++)
    {
      Station *d = &sim->st[s];
      gboolean only = threads[s] > 0.0 && d->state == ST_UP && d->n_up > 0 && !d->infinite;

      for (int c = 0; c < AB_N_CLASSES && only; c++)
        if (from[s * AB_N_CLASSES + c] < (1.0 - 1e-9) * (d->load_user[c] + d->load_bg[c]))
          only = FALSE;
      d->pop_cap = only ? (gint64) ceil (threads[s] * d->k_active / d->n_up) : G_MAXINT64;
      if (!only)
        d->pop_deferred = 0;
    }
}

/* The anonymous visits' arrivals (Station.anon_user, anon_bg).  The
 * followed requests that a station loses before serving them make no
 * calls, so the anonymous load downstream of a station that loses some
 * (an overloaded pool) is what it passes on, not what it is offered:
 * the offered rates routed with each station passing on the share of the
 * followed requests it served (des_pass_estimate), measured in this very
 * run.  Exactly the offered loads while no station lost any. */
static void
anon_loads (Sim *sim)
{
  guint nn = sim->n * AB_N_CLASSES;
  g_autofree double *user = NULL;
  g_autofree double *bg = NULL;
  gboolean lossy = FALSE;

  pop_caps (sim);
  for (guint s = 0; s < sim->n; s++)
    for (int c = 0; c < AB_N_CLASSES; c++)
      {
        sim->st[s].anon_user[c] = sim->st[s].load_user[c];
        sim->st[s].anon_bg[c] = sim->st[s].load_bg[c];
        if (sim->st[s].pass[c] < 1.0)
          lossy = TRUE;
      }
  sim->lossy = lossy;
  if (!lossy)
    return;
  user = g_new (double, nn);
  bg = g_new (double, nn);
  if (!route_loads (sim, TRUE, user, bg))
    return;
  for (guint s = 0; s < sim->n; s++)
    for (int c = 0; c < AB_N_CLASSES; c++)
      {
        sim->st[s].anon_user[c] = user[s * AB_N_CLASSES + c];
        sim->st[s].anon_bg[c] = bg[s * AB_N_CLASSES + c];
      }
}

gboolean
des_compute_loads (Sim *sim)
{
  guint nn = sim->n * AB_N_CLASSES;
  g_autofree double *user = g_new (double, nn);
  g_autofree double *bg = g_new (double, nn);

  if (!route_loads (sim, FALSE, user, bg))
    return FALSE;
  for (guint s = 0; s < sim->n; s++)
    for (int c = 0; c < AB_N_CLASSES; c++)
      {
        sim->st[s].load_user[c] = user[s * AB_N_CLASSES + c];
        sim->st[s].load_bg[c] = bg[s * AB_N_CLASSES + c];
      }
  anon_loads (sim);
  return TRUE;
}

/* A Gamma(@a) variate, a >= 1 (Marsaglia and Tsang) */
static double
gamma_variate (AbRng *rng, double a)
{
  double d = a - 1.0 / 3.0, c = 1.0 / sqrt (9.0 * d);

  for (;;)
    {
      double x = ab_rng_normal (rng), v = 1.0 + c * x, u;

      if (v <= 0.0)
        continue;
      v = v * v * v;
      u = ab_rng_double_pos (rng);
      if (u < 1.0 - 0.0331 * x * x * x * x || log (u) < 0.5 * x * x + d * (1.0 - v + log (v)))
        return d * v;
    }
}

/* The time to a generator's next request: exponential, or for a
 * systematically sampled user class Gamma(shape) of the same mean. */
double
des_gen_gap (Sim *sim, const Gen *gen)
{
  if (gen->shape > 1.0)
    return gamma_variate (&sim->rng, gen->shape) / (gen->shape * gen->rate);
  return ab_rng_exp1 (&sim->rng, sim->zig) / gen->rate;
}

/* @n Bernoulli(@p) trials' successes, in time proportional to their
 * number (geometric skips between them). */
static guint64
rng_binomial (AbRng *rng, guint64 n, double p)
{
  guint64 k = 0;
  double at = 0.0, lq;

  if (n == 0 || p <= 0.0)
    return 0;
  if (p >= 1.0)
    return n;
  if (p > 0.5)
    return n - rng_binomial (rng, n, 1.0 - p);
  lq = log1p (-p);
  for (;;)
    {
      at += floor (log (ab_rng_double_pos (rng)) / lq) + 1.0;
      if (at > (double) n)
        return k;
      k++;
    }
}

/* The complement of a systematic sample (docs/simulation.md,
 * "Representative instances"): the requests between two followed ones
 * of @gen, from @t0 to @t1, that are not followed.  A Gamma(m) gap of a
 * Poisson stream holds m - 1 of them, spread evenly over it; each makes
 * Station.compl_p anonymous visits at each station of the complement of
 * its class, at its start plus the time a recent followed request took
 * to get there.  So the anonymous visits there are the turns the
 * followed requests leave, and together with the followed ones they
 * are the Poisson stream all the instances send on, not a smoother one. */
static void
gen_complement (Sim *sim, const Gen *gen, double t0, double t1)
{
  double between = gen->shape - 1.0, whole = floor (between);
  guint64 n = (guint64) whole + (ab_rng_double (&sim->rng) < between - whole);

  if (n == 0 || sim->skipping)
    return;
  for (guint i = 0; i < sim->compl_n; i++)
    {
      guint s = sim->compl_at[i] / AB_N_CLASSES, c = sim->compl_at[i] % AB_N_CLASSES;
      Station *st = &sim->st[s];
      double p = st->compl_p[c], times = floor (p);
      guint64 v;

      if (p <= 0.0)
        continue;
      v = (guint64) times * n + rng_binomial (&sim->rng, n, p - times);
      for (guint64 j = 0; j < v; j++)
        {
          double t = t0 + ab_rng_double (&sim->rng) * (t1 - t0);

          if (st->delay_n > 0)
            t += st->delay_ring[ab_rng_below (&sim->rng, st->delay_n)];
          heap_push (sim, MAX (t, sim->now), EV_PACK (EV_COMPL, sim->compl_at[i]));
        }
    }
}

/* Draws @g's next request from @t0 on, and for a systematically
 * sampled class the requests not followed until then. */
void
des_gen_arm (Sim *sim, guint g, double t0)
{
  Gen *gen = &sim->gens[g];

  gen->next_t = t0 + des_gen_gap (sim, gen);
  heap_push (sim, gen->next_t, EV_PACK (EV_GEN, g));
  if (gen->shape > 1.0)
    gen_complement (sim, gen, t0, gen->next_t);
}

static void
set_gen_rate (Sim *sim, guint g, double rate)
{
  Gen *gen = &sim->gens[g];
  double old = gen->rate;

  if (rate == old)
    return;
  gen->rate = rate;
  if (rate <= 0.0)
    gen->next_t = INFINITY;
  else if (gen->shape > 1.0 && old > 0.0 && gen->next_t > sim->now && isfinite (gen->next_t))
    {
      /* a systematic sample keeps the gap it drew, whose requests not
       * followed are on their way already: the new rate holds from the
       * next followed request on */
    }
  else
    des_gen_arm (sim, g, sim->now);
}

/* The rate of @gen's anonymous visits at its station: its
 * representatives' share of the station's arrivals less the followed
 * requests among them, per class (read_frac: the reads' share). */
static double
phantom_rate (Sim *sim, Gen *gen)
{
  Station *st = &sim->st[gen->station];
  double r[AB_N_CLASSES] = { 0 }, all[AB_N_CLASSES] = { 0 }, rate;

  if (st->state != ST_UP || st->n_up <= 0)
    {
      st->compl_p[AB_CLASS_READ] = st->compl_p[AB_CLASS_WRITE] = 0.0;
      return 0.0;
    }
  for (int c = 0; c < AB_N_CLASSES; c++)
    {
      /* a replica's representatives each apply every write of their
       * shard */
      double fc = (double) st->k_active / st->n_up
                  * ab_network_copies (sim->net, gen->station, c, st->n_up) - sim->f;

      st->compl_p[c] = 0.0;
      if (st->svc_s[c] > 0.0 && fc > 1e-12)
        {
          double user = sim->mult * st->anon_user[c];

          if (st->compl[c] && st->compl_on && !sim->lossy)
            {
              /* per request not followed (gen_complement) */
              double others = (1.0 - sim->f) * (sim->net->rate[AB_CLASS_READ] + sim->net->rate[AB_CLASS_WRITE]);

              st->compl_p[c] = others > 0.0 ? st->anon_user[c] * fc * st->shard_live / others : 0.0;
              user = 0.0;
            }
          r[c] = (user + st->anon_bg[c]) * fc * st->shard_live;
          all[c] = (sim->mult * st->anon_user[c] + st->anon_bg[c]) * fc * st->shard_live;
        }
    }
  rate = r[AB_CLASS_READ] + r[AB_CLASS_WRITE];
  gen->read_frac = rate > 0.0 ? r[AB_CLASS_READ] / rate : 1.0;
  st->anon_read_frac = all[AB_CLASS_READ] + all[AB_CLASS_WRITE] > 0.0
                       ? all[AB_CLASS_READ] / (all[AB_CLASS_READ] + all[AB_CLASS_WRITE]) : 1.0;
  return rate;
}

/* A new estimate of the share of its arrivals @st passes on: of the
 * followed requests, those that started their service against those
 * that arrived since the last estimate, smoothed over the last few blocks
 * of PASS_BLOCK arrivals.  A flow, not a count of the failed ones: a pool
 * that times its requests out after seconds loses them that much later,
 * but it starts the requests it passes on at the rate it passes them on.
 * It is 1 until the station loses some of them (a queue that moves up
 * and down passes on what it is offered) or the fluid model of a
 * windowed run found it over its slots (an unbounded queue loses none
 * but passes on its capacity), and again once it passes on
 * more than 1 - PASS_SNAP (Station.pass_shed in between: a window of a
 * windowed run may start with the queue short of full, and lose none for
 * a while, while the pool still falls behind).
 * Station.pass takes the estimate when it moved by PASS_STEP or more, or
 * to 1; TRUE then. */
static gboolean
pass_update (Station *st)
{
  gboolean moved = FALSE;

  for (int c = 0; c < AB_N_CLASSES; c++)
    {
      double arr = st->pass_arr[c], run = st->pass_run[c], keep, p;

      if (arr <= 0.0 && run <= 0.0 && st->pass_lost[c] == 0)
        continue;
      keep = pow (PASS_DECAY, arr / PASS_BLOCK);
      st->pass_sarr[c] = keep * st->pass_sarr[c] + arr;
      st->pass_srun[c] = keep * st->pass_srun[c] + run;
      st->pass_slost[c] = keep * st->pass_slost[c] + st->pass_lost[c];
      st->pass_arr[c] = st->pass_run[c] = st->pass_lost[c] = 0;
      p = st->pass_sarr[c] > 0.0 ? st->pass_srun[c] / st->pass_sarr[c] : 1.0;
      if (st->pass_slost[c] >= 0.5 || st->f_over)
        st->pass_shed[c] = TRUE;
      if (p > 1.0 - PASS_SNAP)
        st->pass_shed[c] = FALSE;
      if (!st->pass_shed[c])
        p = 1.0;
      if (fabs (p - st->pass[c]) >= PASS_STEP || (p == 1.0 && st->pass[c] != 1.0))
        {
          st->pass[c] = p;
          moved = TRUE;
        }
    }
  st->pass_cnt = 0;
  return moved;
}

/* pass_note's estimate after a block: when the share moved, the
 * anonymous loads and visits follow at once. */
void
des_pass_estimate (Sim *sim, Station *st)
{
  if (sim->skipping || !pass_update (st))
    return;
  anon_loads (sim);
  for (guint g = 0; g < sim->n_gens; g++)
    if (sim->gens[g].kind == GEN_PHANTOM)
      set_gen_rate (sim, g, phantom_rate (sim, &sim->gens[g]));
}

void
des_update_rates (Sim *sim)
{
  for (guint g = 0; g < sim->n_gens; g++)
    {
      Gen *gen = &sim->gens[g];
      double rate = 0.0;

      switch (gen->kind)
        {
        case GEN_USER:
          if (gen->merged)
            break;
          rate = sim->f * sim->net->rate[gen->klass] * sim->mult;
          if (gen->mixed)
            {
              double r = sim->f * sim->net->rate[AB_CLASS_READ] * sim->mult;

              rate = r + sim->f * sim->net->rate[AB_CLASS_WRITE] * sim->mult;
              gen->read_frac = rate > 0.0 ? r / rate : 1.0;
            }
          break;
        case GEN_SELF:
          rate = sim->st[gen->station].state == ST_UP
                 ? sim->f * sim->net->stations[gen->station].self_rate[gen->klass] : 0.0;
          break;
        case GEN_PHANTOM:
          rate = phantom_rate (sim, gen);
          break;
        default:
          g_assert_not_reached ();
        }
      set_gen_rate (sim, g, rate);
    }
  for (guint s = 0; s < sim->n; s++)
    des_pool_rates (sim, &sim->st[s]);
}

/* ----------------------------------------------------------- instances -- */

static void
kill_instance (Sim *sim, Station *st, Instance *in)
{
  st->busy_total -= in->busy;
  in->busy = 0;
  in->epoch++;
  if (in->n_virtual > 0)
    {
      des_virtual_fail (sim, st, in->n_virtual);
      st->queued_total -= in->n_virtual;
      in->n_virtual = 0;
    }
  while (in->len > 0)
    {
      gint32 wi = ring_pop (in);

      st->queued_total--;
      g_array_append_val (sim->pending_fail, wi);
    }
}

/* Brings the representatives in line with n_up; instances above the new
 * count are killed (@lost) or drained (scale-in). */
void
des_set_instances (Sim *sim, Station *st, gboolean lost)
{
  int k = st->state == ST_UP ? MIN (st->n_up, st->k_alloc) : 0;

  station_touch (st, sim->now);
  if (lost)
    for (int i = k; i < st->k_alloc; i++)
      kill_instance (sim, st, &st->inst[i]);
  st->k_active = k;
  if (k == 0 && st->pq_len > 0)
    des_pool_flush (sim, st);
  st->scale = k > 0 ? (double) st->n_up / k : 0.0;
  st->cap_slots = st->infinite ? 0.0 : (double) st->n_up * st->c;
  st->shard_live = st->state == ST_UP ? ab_network_shards_live (sim->net, (int) (st - sim->st), st->n_up) : 1.0;
  pop_caps (sim);
}

static void
station_lose (Sim *sim, int s, int count, gboolean whole)
{
  Station *st = &sim->st[s];

  if (st->state != ST_UP)
    return;
  station_touch (st, sim->now);
  if (whole || count >= st->n_up)
    {
      st->n_lost += st->n_up;
      st->n_up = 0;
      st->state = ST_DOWN;
      st->scale_pending = FALSE;
      des_set_instances (sim, st, TRUE);
      if (st->def->failover_to >= 0)
        heap_push (sim, sim->now + MAX (0.0, st->def->failover_s), EV_PACK (EV_FAILOVER, s));
    }
  else
    {
      st->n_lost += count;
      st->n_up -= count;
      des_set_instances (sim, st, TRUE);
    }
}

static void
station_recover (Sim *sim, int s)
{
  Station *st = &sim->st[s];

  station_touch (st, sim->now);
  st->n_up = MIN (st->n_up + st->n_lost, st->n_max);
  st->n_up = MAX (st->n_up, 1);
  st->n_lost = 0;
  st->state = ST_UP;
  des_set_instances (sim, st, FALSE);
}

/* ------------------------------------------------------------- buckets -- */

static void
acc_add (Acc *dst, const Acc *src)
{
  dst->a_busy += src->a_busy;
  dst->a_cap += src->a_cap;
  dst->a_queue += src->a_queue;
  dst->a_inst += src->a_inst;
  dst->w_comp += src->w_comp;
  dst->sum_soj += src->sum_soj;
  dst->n_soj += src->n_soj;
}

static void
acc_to_stats (const Acc *acc, double time, AbDesStationStats *out)
{
  memset (out, 0, sizeof *out);
  if (time <= 0.0)
    return;
  out->utilization = acc->a_cap > 0.0 ? acc->a_busy / acc->a_cap : 0.0;
  out->queue_length = acc->a_queue / time;
  out->in_station = (acc->a_busy + acc->a_queue) / time;
  out->served_rps = acc->w_comp / time;
  out->sojourn_ms = acc->n_soj > 0.0 ? acc->sum_soj / acc->n_soj * 1000.0 : 0.0;
  out->instances = acc->a_inst / time;
}

static void
latency_summary (const AbHistogram *h, AbLatencySummary *out)
{
  out->count = ab_histogram_count (h);
  out->mean_ms = ab_histogram_mean (h);
  out->p50_ms = ab_histogram_quantile (h, 0.50);
  out->p95_ms = ab_histogram_quantile (h, 0.95);
  out->p99_ms = ab_histogram_quantile (h, 0.99);
}

void
des_flush (Sim *sim)
{
  double dt = sim->now - sim->last_flush;
  BucketAcc *b = sim->cur_bucket >= 0 ? &sim->buckets[sim->cur_bucket] : NULL;
  PhaseAcc *p = sim->cur_phase >= 0 ? &sim->phases[sim->cur_phase] : NULL;

  if (sim->skipping)
    {
      /* the fluid model accounts for skipped time */
      sim->last_flush = sim->now;
      return;
    }
  for (guint s = 0; s < sim->n; s++)
    {
      Station *st = &sim->st[s];

      station_touch (st, sim->now);
      if (b != NULL)
        acc_add (&b->st[s], &st->seg);
      if (p != NULL)
        acc_add (&p->st[s], &st->seg);
      memset (&st->seg, 0, sizeof st->seg);
    }
  if (b != NULL)
    {
      b->time += dt;
      b->mult_time += sim->mult * dt;
    }
  if (p != NULL)
    p->time += dt;
  sim->last_flush = sim->now;
}

static void
fill_bucket (Sim *sim, guint index, AbDesBucket *out)
{
  const BucketAcc *b = &sim->buckets[index];
  double t = b->time;
  double denom = sim->f * t;

  out->index = index;
  out->t_s = index * sim->bucket_s;
  out->duration_s = MIN (sim->bucket_s, sim->t_end - sim->warmup - out->t_s);
  out->phase = ab_scenario_phase_at (sim->sc, out->t_s);
  out->estimated = t <= 0.0 && b->est_time > 0.0;
  out->coverage = t + b->est_time > 0.0 ? t / (t + b->est_time) : 0.0;
  if (out->estimated)
    {
      /* served, errors and latency: interpolated by the caller */
      memset (out->latency, 0, sizeof out->latency);
      out->multiplier = b->est_mult_time / b->est_time;
      out->offered_rps = out->multiplier * (sim->net->rate[0] + sim->net->rate[1]);
      out->served_rps = out->errors_rps = out->error_rate = 0.0;
      out->background_error_rate = 0.0;
      out->n_stations = sim->n;
      for (guint s = 0; s < sim->n; s++)
        acc_to_stats (&b->est[s], b->est_time, &out->stations[s]);
      return;
    }
  out->multiplier = t > 0.0 ? b->mult_time / t : 0.0;
  out->offered_rps = denom > 0.0 ? b->offered / denom : 0.0;
  out->served_rps = denom > 0.0 ? b->served / denom : 0.0;
  out->errors_rps = denom > 0.0 ? b->errors / denom : 0.0;
  out->error_rate = b->served + b->errors > 0
                    ? (double) b->errors / (double) (b->served + b->errors) : 0.0;
  out->background_error_rate = b->async_served + b->async_errors > 0
                               ? (double) b->async_errors / (double) (b->async_served + b->async_errors)
                               : 0.0;
  ab_histogram_reset (b->hist[AB_DES_ALL]);
  ab_histogram_merge (b->hist[AB_DES_ALL], b->hist[AB_DES_READ]);
  ab_histogram_merge (b->hist[AB_DES_ALL], b->hist[AB_DES_WRITE]);
  for (int k = 0; k < AB_DES_N_SERIES; k++)
    latency_summary (b->hist[k], &out->latency[k]);
  out->n_stations = sim->n;
  for (guint s = 0; s < sim->n; s++)
    acc_to_stats (&b->st[s], t, &out->stations[s]);
}

double
des_multiplier_integral (const AbScenario *sc, double a, double b)
{
  double total = 0.0, start = 0.0;

  if (a < 0.0)
    {
      total += (MIN (b, 0.0) - a) * g_array_index (sc->phases, AbPhase, 0).mult_start;
      a = 0.0;
    }
  for (guint i = 0; i < sc->phases->len && a < b; i++)
    {
      const AbPhase *p = &g_array_index (sc->phases, AbPhase, i);
      double end = start + p->duration_s;
      double lo = MAX (a, start), hi = MIN (b, end);

      if (hi > lo)
        {
          double m_lo = p->mult_start + (p->mult_end - p->mult_start) * (lo - start) / p->duration_s;
          double m_hi = p->mult_start + (p->mult_end - p->mult_start) * (hi - start) / p->duration_s;

          total += 0.5 * (m_lo + m_hi) * (hi - lo);
        }
      start = end;
    }
  return total;
}

static void
autoscale_check (Sim *sim)
{
  for (guint s = 0; s < sim->n; s++)
    {
      Station *st = &sim->st[s];
      double util;
      int desired;

      if (!st->autoscale || st->state != ST_UP || st->as_cap <= 0.0)
        {
          st->as_busy = st->as_cap = st->as_time = 0.0;
          continue;
        }
      util = st->as_busy / st->as_cap;
      if (sim->skipping && st->as_time > 0.0)
        /* the fluid model has no noise to damp the scaler: size from the
         * busy slots themselves, right when the count changed in the
         * bucket */
        desired = (int) ceil (st->as_busy / (st->as_time * st->c * st->def->autoscale_target) - 1e-9);
      else
        desired = (int) ceil (st->n_up * util / st->def->autoscale_target - 1e-9);
      st->as_busy = st->as_cap = st->as_time = 0.0;
      desired = CLAMP (desired, MAX (1, st->def->autoscale_min), st->def->autoscale_max);
      if (desired != st->n_up && !st->scale_pending)
        {
          st->scale_pending = TRUE;
          st->scale_target = desired;
          heap_push (sim, sim->now + st->def->autoscale_delay_s, EV_PACK (EV_SCALE, s));
        }
    }
}

static void emit_buckets (Sim *sim, guint upto);

/* The up / down state changed: the pools' calls take another time from
 * now on, so their mean slot times start again from the calls made from
 * now on (hold_end; not from those still answering from before). */
static void
hold_restart (Sim *sim)
{
  sim->hold_since = sim->now;
  for (guint s = 0; s < sim->n; s++)
    memset (sim->st[s].hold_seen, 0, sizeof sim->st[s].hold_seen);
}

void
des_on_bucket_boundary (Sim *sim, int j)
{
  int finished = j - 1;
  double t_scen = sim->now - sim->warmup;
  double next = sim->warmup + (j + 1) * sim->bucket_s;
  gboolean moved = FALSE;

  des_flush (sim);
  autoscale_check (sim);
  /* the stations' shares passed on, from the followed requests that
   * arrived in the bucket (a slow station sees fewer than a block) */
  for (guint s = 0; s < sim->n; s++)
    if (sim->st[s].pass_cnt > 0)
      moved |= pass_update (&sim->st[s]);
  if (moved)
    anon_loads (sim);
  /* an estimated bucket waits for the next simulated one (interpolation) */
  if (finished >= 0 && sim->rep == 0 && sim->cfg->on_bucket != NULL &&
      sim->buckets[finished].time > 0.0)
    emit_buckets (sim, (guint) finished);
  sim->cur_bucket = j < (int) sim->n_buckets ? j : -1;
  sim->mult = des_multiplier_integral (sim->sc, t_scen, MIN (next, sim->t_end) - sim->warmup)
              / (MIN (next, sim->t_end) - sim->now);
  des_update_rates (sim);
  if (next < sim->t_end - 1e-9)
    heap_push (sim, next, EV_PACK (EV_BUCKET, j + 1 + BUCKET_BIAS));
}

void
des_on_phase_boundary (Sim *sim, guint i)
{
  des_flush (sim);
  sim->cur_phase = (int) i;
  sim->phase_t0 = sim->now;
  sim->phases[i].u0 = sim->now - sim->skipped;
  sim->batch_inv = sim->nb / sim->phase_sim[i];
  if (i + 1 < sim->n_phases)
    heap_push (sim, sim->warmup + sim->phases[i + 1].start, EV_PACK (EV_PHASE, i + 1));
}

void
des_on_scenario_event (Sim *sim, guint i)
{
  const AbScenarioEvent *e = &g_array_index (sim->sc->events, AbScenarioEvent, i);
  int s = sim->event_station[i];

  switch (e->kind)
    {
    case AB_SCENARIO_LOSE_INSTANCES:
      station_lose (sim, s, e->count, FALSE);
      break;
    case AB_SCENARIO_LOSE_STATION:
      station_lose (sim, s, 0, TRUE);
      break;
    case AB_SCENARIO_RECOVER:
      station_recover (sim, s);
      break;
    default:
      g_assert_not_reached ();
    }
  hold_restart (sim);
  des_compute_loads (sim);
  des_update_rates (sim);
  des_drain_pending_failures (sim);
  if (i + 1 < sim->sc->events->len)
    heap_push (sim, sim->warmup + g_array_index (sim->sc->events, AbScenarioEvent, i + 1).t_s,
               EV_PACK (EV_SCENARIO, i + 1));
}

static void
new_request (Sim *sim, Gen *gen)
{
  gint32 fi;
  int klass = gen->klass, station = gen->station;
  guint8 flags;

  if (gen->kind == GEN_USER)
    {
      double u;
      guint e;

      if (gen->mixed)
        klass = ab_rng_double (&sim->rng) < gen->read_frac ? AB_CLASS_READ : AB_CLASS_WRITE;
      u = ab_rng_double (&sim->rng);

      if (sim->cur_bucket >= 0)
        sim->buckets[sim->cur_bucket].offered++;
      if (sim->cur_phase >= 0)
        sim->phases[sim->cur_phase].offered++;
      for (e = 0; e + 1 < sim->n_entries[klass]; e++)
        if (u < sim->entry_cum[klass][e])
          break;
      station = sim->entry_station[klass][e];
      flags = F_USER;
    }
  else if (gen->kind == GEN_SELF)
    flags = F_BG;
  else
    {
      klass = ab_rng_double (&sim->rng) < gen->read_frac ? AB_CLASS_READ : AB_CLASS_WRITE;
      flags = F_PHANTOM;
    }
  fi = frame_new_root (sim, klass, flags, (guint) station, sim->now);
  if (fi >= 0)
    arrive (sim, fi);
}


/* ----------------------------------------------------------- streaming -- */

/* An estimated bucket's served, errors and latency: interpolated between
 * the simulated buckets of its phase around it (@p before, @q after;
 * either may be NULL). */
static void
interpolate_bucket (const Sim *sim, AbDesBucket *out, const AbDesBucket *p, const AbDesBucket *q)
{
  double w, shift;

  if (p == NULL && q == NULL)
    return;
  if (p == NULL)
    p = q;
  if (q == NULL)
    q = p;
  w = q->t_s > p->t_s ? CLAMP ((out->t_s - p->t_s) / (q->t_s - p->t_s), 0.0, 1.0) : 0.0;
#define LERP(a, b) ((a) + w * ((b) - (a)))
  out->served_rps = LERP (p->served_rps, q->served_rps);
  out->errors_rps = LERP (p->errors_rps, q->errors_rps);
  out->background_error_rate = LERP (p->background_error_rate, q->background_error_rate);
  if (p->offered_rps > 0.0 && q->offered_rps > 0.0)
    {
      /* along a ramp the shares follow the offered load, but what a
       * saturated design serves does not grow with it */
      out->served_rps = MIN (out->served_rps,
                             out->offered_rps * LERP (p->served_rps / p->offered_rps,
                                                      q->served_rps / q->offered_rps));
      out->errors_rps = out->offered_rps * LERP (p->errors_rps / p->offered_rps,
                                                 q->errors_rps / q->offered_rps);
    }
  out->error_rate = LERP (p->error_rate, q->error_rate);
  for (int k = 0; k < AB_DES_N_SERIES; k++)
    {
      AbLatencySummary *l = &out->latency[k];

      l->count = 0;
      l->mean_ms = LERP (p->latency[k].mean_ms, q->latency[k].mean_ms);
      l->p50_ms = LERP (p->latency[k].p50_ms, q->latency[k].p50_ms);
      l->p95_ms = LERP (p->latency[k].p95_ms, q->latency[k].p95_ms);
      l->p99_ms = LERP (p->latency[k].p99_ms, q->latency[k].p99_ms);
    }
  /* the lag: as much more or less as the fluid backlog of a queue without
   * a limit keeps it waiting than around it (it does not stop rising
   * after a phase's last window) */
  shift = des_backlog_wait_ms (sim, out)
          - LERP (des_backlog_wait_ms (sim, p), des_backlog_wait_ms (sim, q));
  if (shift != 0.0 && isfinite (shift))
    {
      AbLatencySummary *l = &out->latency[AB_DES_ASYNC];

      l->mean_ms = MAX (0.0, l->mean_ms + shift);
      l->p50_ms = MAX (0.0, l->p50_ms + shift);
      l->p95_ms = MAX (0.0, l->p95_ms + shift);
      l->p99_ms = MAX (0.0, l->p99_ms + shift);
    }
#undef LERP
}

static void
copy_bucket (AbDesBucket *dst, const AbDesBucket *src)
{
  AbDesStationStats *stations = dst->stations;

  *dst = *src;
  dst->stations = stations;
  memcpy (stations, src->stations, sizeof (AbDesStationStats) * src->n_stations);
}

/* Streams buckets up to @upto (inclusive) of the first replication. */
static void
emit_buckets (Sim *sim, guint upto)
{
  gboolean next_filled = FALSE;

  for (; sim->next_emit <= upto && sim->next_emit < sim->n_buckets; sim->next_emit++)
    {
      guint i = sim->next_emit;

      fill_bucket (sim, i, &sim->stream_bucket);
      if (sim->stream_bucket.estimated)
        {
          const AbDesBucket *p = NULL, *q = NULL;

          if (sim->have_prev && sim->emit_prev.phase == sim->stream_bucket.phase)
            p = &sim->emit_prev;
          if (upto > i && upto < sim->n_buckets && sim->buckets[upto].time > 0.0)
            {
              if (!next_filled)
                fill_bucket (sim, upto, &sim->emit_next);
              next_filled = TRUE;
              if (sim->emit_next.phase == sim->stream_bucket.phase)
                q = &sim->emit_next;
            }
          interpolate_bucket (sim, &sim->stream_bucket, p, q);
        }
      else
        {
          copy_bucket (&sim->emit_prev, &sim->stream_bucket);
          sim->have_prev = TRUE;
        }
      sim->cfg->on_bucket (&sim->stream_bucket, sim->cfg->user_data);
    }
}

/* ----------------------------------------------------------- main loop -- */

static void
run_loop (Sim *sim)
{
  GCancellable *cancellable = sim->cfg->cancellable;

  while (sim->heap_n > 0)
    {
      Event ev = sim->heap[0];
      guint32 idx = ev.what & EV_INDEX_MASK;

      sim->top_pending = TRUE;
      sim->now = ev.t;
      switch (ev.what >> EV_SHIFT)
        {
        case EV_GEN:
          {
            Gen *gen = &sim->gens[idx];

            if (ev.t != gen->next_t)
              break;
            if (G_LIKELY (gen->shape <= 1.0))
              {
                gen->next_t = sim->now + ab_rng_exp1 (&sim->rng, sim->zig) / gen->rate;
                heap_push (sim, gen->next_t, EV_PACK (EV_GEN, idx));
              }
            else
              des_gen_arm (sim, idx, sim->now);
            new_request (sim, gen);
          }
          break;
        case EV_COMPL:
          {
            Station *st = &sim->st[idx / AB_N_CLASSES];

            if (st->state == ST_UP && st->n_up > 0)
              {
                gint32 fi = frame_new_root (sim, (int) (idx % AB_N_CLASSES), F_PHANTOM,
                                            idx / AB_N_CLASSES, sim->now);

                if (fi >= 0)
                  arrive (sim, fi);
              }
          }
          break;
        case EV_ARRIVE:
          arrive (sim, (gint32) idx);
          break;
        case EV_DEPART:
          depart (sim, (gint32) idx);
          break;
        case EV_RELEASE:
          /* an anonymous visit's held slot */
          hold_end (sim, (gint32) idx);
          frame_free (sim, (gint32) idx);
          des_drain_pending_failures (sim);
          break;
        case EV_BUCKET:
          des_on_bucket_boundary (sim, (int) idx - BUCKET_BIAS);
          break;
        case EV_PHASE:
          des_on_phase_boundary (sim, idx);
          break;
        case EV_SCENARIO:
          des_on_scenario_event (sim, idx);
          break;
        case EV_FAILOVER:
          if (sim->st[idx].state == ST_DOWN)
            {
              sim->st[idx].state = ST_FAILED_OVER;
              hold_restart (sim);
              des_compute_loads (sim);
              des_update_rates (sim);
            }
          break;
        case EV_SCALE:
          {
            Station *st = &sim->st[idx];

            if (st->scale_pending && st->state == ST_UP)
              {
                station_touch (st, sim->now);
                st->n_up = st->scale_target;
                des_set_instances (sim, st, FALSE);
                des_update_rates (sim);
              }
            st->scale_pending = FALSE;
          }
          break;
        case EV_SKIP:
          {
            double next;

            if (sim->top_pending)
              heap_drop_top (sim);
            des_replan (sim, idx);
            next = idx + 1 < sim->n_slices ? sim->sl_start[idx + 1] : sim->t_end;
            if (next > sim->now + 1e-12)
              des_skip_to (sim, next);
            sim->rec_weight = des_window_weight (sim, idx + 1);
            sim->cur_slice = MIN (idx + 1, sim->n_slices - 1);
            if (idx + 1 < sim->n_slices && sim->sl_end[idx + 1] < sim->t_end - 1e-9)
              heap_push (sim, sim->sl_end[idx + 1], EV_PACK (EV_SKIP, idx + 1));
          }
          break;
        case EV_POOL:
          des_pool_event (sim, idx, ev.t);
          break;
        case EV_END:
          if (sim->top_pending)
            heap_drop_top (sim);
          if (sim->in_tail)
            return;
          des_flush (sim);
          /* the chains of the last phases still in flight: simulate on,
           * unreported, until they have ended (their lag counts in the
           * phase they started in), at most TAIL_MAX_S or a quarter of
           * the replication's visits more */
          if (sim->bg_live <= 0 || sim->stop)
            return;
          sim->in_tail = TRUE;
          sim->cur_phase = -1;
          sim->cur_bucket = -1;
          sim->tail_visits0 = sim->visits;
          heap_push (sim, sim->now + TAIL_MAX_S, EV_PACK (EV_END, 0));
          break;
        default:
          g_assert_not_reached ();
        }
      if (sim->top_pending)
        heap_drop_top (sim);
      if (G_UNLIKELY ((++sim->events & (CHECK_EVERY - 1)) == 0))
        {
          if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
            {
              sim->cancelled = TRUE;
              return;
            }
          if (G_UNLIKELY (sim->in_tail))
            {
              if (sim->bg_live <= 0
                  || sim->visits - sim->tail_visits0
                     > (sim->tail_visits0 - sim->rep_visits0) / (sim->lag_focus != NULL ? 1 : 4))
                return;
              continue;
            }
          if (sim->visits >= sim->visit_limit)
            {
              des_flush (sim);
              sim->stop = TRUE;
              return;
            }
        }
    }
  des_flush (sim);
}

/* ------------------------------------------------------------- set-up -- */

static gboolean
validate_network (const AbNetwork *net, GError **error)
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
static void
foreach_item (const AbCallList *cl,
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

static void
foreach_group (const AbCallList *cl,
               const gboolean   *parents,
               void            (*fn) (AbCallGroupIter *it, gpointer data),
               gpointer          data)
{
  foreach_item (cl, parents, TRUE, fn, data);
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
  foreach_item (cl, list->absorbable, FALSE, compile_item, &d);

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



static int
find_station (const AbNetwork *net, const char *id)
{
  for (guint s = 0; s < net->n_stations; s++)
    if (g_strcmp0 (net->stations[s].id, id) == 0)
      return (int) s;
  return -1;
}

double
des_t_quantile_975 (guint df)
{
  static const double table[] = {
    0, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042
  };

  if (df == 0)
    return 0.0;
  if (df < G_N_ELEMENTS (table))
    return table[df];
  return 1.960 + 2.4 / df;
}

Est
des_estimate_of (const AbHistogram *h)
{
  Est e;

  e.mean = ab_histogram_mean (h);
  e.p50 = ab_histogram_quantile (h, 0.50);
  e.p95 = ab_histogram_quantile (h, 0.95);
  e.p99 = ab_histogram_quantile (h, 0.99);
  e.n = (double) ab_histogram_count (h);
  return e;
}

static void ci_from (GArray *ests, gboolean ratio, AbLatencyStats *out);

/* TRUE when a reported phase's mean or percentile of some series is
 * known to less than +-AB_DES_TARGET_PRECISION after @done replications */
static gboolean
too_wide (Sim *sim, guint done)
{
  for (guint i = 0; i < sim->n_phases; i++)
    {
      PhaseAcc *ph = &sim->phases[i];

      if (!g_array_index (sim->sc->phases, AbPhase, i).reported)
        continue;
      /* what a freshness check judges */
      if (des_lag_too_wide (sim, ph, done))
        return TRUE;
      for (int k = 0; k < AB_DES_N_SERIES; k++)
        {
          AbLatencyStats ls = { 0 };
          Est e;

          /* too few samples to say anything: more would not be enough */
          if (ab_histogram_count (ph->total[k]) < 200)
            continue;
          e = des_estimate_of (ph->total[k]);
          ci_from (done >= MIN_REPS_FOR_CI ? ph->rep_est[k] : ph->batch_est[k], k == AB_DES_ASYNC, &ls);
          if (ls.mean_ms.ci > AB_DES_TARGET_PRECISION * e.mean
              || ls.p50_ms.ci > AB_DES_TARGET_PRECISION * e.p50
              || ls.p95_ms.ci > AB_DES_TARGET_PRECISION * e.p95
              || ls.p99_ms.ci > AB_DES_TARGET_PRECISION * e.p99)
            return TRUE;
        }
    }
  return FALSE;
}

static void
set_bounds (AbEstimate *e)
{
  e->ci_low = MAX (0.0, e->value - e->ci);
  e->ci_high = e->value + e->ci;
}

/* The error rates of this replication and of its batches, per class
 * and of all (PhaseAcc.rep_err, batch_err); the batch counts start
 * again. */
static void
error_rates_finish_replication (Sim *sim, PhaseAcc *ph)
{
  guint64 req[AB_N_CLASSES + 1] = { 0 }, err[AB_N_CLASSES + 1] = { 0 };

  for (guint b = 0; b < sim->nb; b++)
    {
      guint64 breq = 0, berr = 0;

      for (int k = 0; k <= AB_N_CLASSES; k++)
        {
          guint64 r = k < AB_N_CLASSES ? ph->b_req[b * AB_N_CLASSES + k] : breq;
          guint64 e = k < AB_N_CLASSES ? ph->b_err[b * AB_N_CLASSES + k] : berr;

          if (k < AB_N_CLASSES)
            {
              breq += r;
              berr += e;
            }
          req[k] += r;
          err[k] += e;
          /* batch means only serve when replications are few */
          if (r > 0 && sim->nb > 1)
            {
              double share = (double) e / (double) r;

              g_array_append_val (ph->batch_err[k], share);
            }
        }
    }
  for (int k = 0; k <= AB_N_CLASSES; k++)
    if (req[k] > 0)
      {
        double share = (double) err[k] / (double) req[k];

        g_array_append_val (ph->rep_err[k], share);
      }
  memset (ph->b_req, 0, sizeof (guint64) * sim->nb * AB_N_CLASSES);
  memset (ph->b_err, 0, sizeof (guint64) * sim->nb * AB_N_CLASSES);
}

/* The interval of an error rate @value from the shares in @shares
 * (Student's t on their spread), within 0..1. */
static void
error_rate_ci (GArray *shares, double value, AbEstimate *out)
{
  guint n = shares->len;
  double sum = 0.0, sq = 0.0, mean, var;

  out->value = value;
  out->ci = 0.0;
  out->ci_low = out->ci_high = NAN;
  if (n < 2 || !isfinite (value))
    return;
  for (guint i = 0; i < n; i++)
    {
      double v = g_array_index (shares, double, i);

      sum += v;
      sq += v * v;
    }
  mean = sum / n;
  var = MAX (0.0, (sq - n * mean * mean) / (n - 1));
  out->ci = des_t_quantile_975 (n - 1) * sqrt (var / n);
  out->ci_low = MAX (0.0, value - out->ci);
  out->ci_high = MIN (1.0, value + out->ci);
}

static void
finish_replication (Sim *sim)
{
  for (guint i = 0; i < sim->n_phases; i++)
    {
      PhaseAcc *ph = &sim->phases[i];

      for (guint b = 0; b < sim->nb; b++)
        {
          AbHistogram **bh = &ph->batch[b * AB_DES_N_SERIES];

          ab_histogram_merge (bh[AB_DES_ALL], bh[AB_DES_READ]);
          ab_histogram_merge (bh[AB_DES_ALL], bh[AB_DES_WRITE]);
        }
      for (int k = 0; k < AB_DES_N_SERIES; k++)
        {
          g_autoptr(AbHistogram) rep = ab_histogram_new ();

          for (guint b = 0; b < sim->nb; b++)
            {
              AbHistogram *bh = ph->batch[b * AB_DES_N_SERIES + k];

              if (ab_histogram_count (bh) == 0)
                continue;
              /* batch means only serve when replications are few */
              if (sim->nb > 1)
                {
                  Est e = des_estimate_of (bh);

                  g_array_append_val (ph->batch_est[k], e);
                }
              ab_histogram_merge (rep, bh);
              ab_histogram_reset (bh);
            }
          if (ab_histogram_count (rep) > 0)
            {
              Est e = des_estimate_of (rep);

              g_array_append_val (ph->rep_est[k], e);
              ab_histogram_merge (ph->total[k], rep);
            }
        }
      des_ci_finish_replication (sim, ph);
      error_rates_finish_replication (sim, ph);
      des_lag_finish_replication (sim, ph);
    }
}

gboolean
des_ci_spread (GArray *ests,
               double *ci)
{
  guint n = ests->len;
  double sum[4] = { 0 }, sq[4] = { 0 };
  double t;

  if (n < 2)
    return FALSE;
  t = des_t_quantile_975 (n - 1);
  for (guint i = 0; i < n; i++)
    {
      const Est *e = &g_array_index (ests, Est, i);
      double v[4] = { e->mean, e->p50, e->p95, e->p99 };

      for (int j = 0; j < 4; j++)
        {
          sum[j] += v[j];
          sq[j] += v[j] * v[j];
        }
    }
  for (int j = 0; j < 4; j++)
    {
      double mean = sum[j] / n;
      double var = MAX (0.0, (sq[j] - n * mean * mean) / (n - 1));

      ci[j] = t * sqrt (var / n);
    }
  return TRUE;
}

/* The half-widths of @out's figures from the units' estimates @ests
 * (replications, or batches): Student's t on the spread of the units'
 * figures, each unit counting alike; with @ratio, units of different
 * sizes (the lag's: batches by the chain's start, and a windowed run's
 * extra pass gives its batches many more chains) weigh by their samples,
 * the ratio estimator's sum n_i^2 (v_i - R)^2 / (B (B - 1) nbar^2) around
 * the weighted mean R, as for the slowest end (ab-des-lag.c). */
static void
ci_from (GArray *ests, gboolean ratio, AbLatencyStats *out)
{
  guint n = ests->len;
  double sum[4] = { 0 }, sq[4] = { 0 }, ci[4];
  double w = 0.0;
  double t;

  if (n < 2)
    return;
  t = des_t_quantile_975 (n - 1);
  if (ratio)
    {
      for (guint i = 0; i < n; i++)
        {
          const Est *e = &g_array_index (ests, Est, i);
          double v[4] = { e->mean, e->p50, e->p95, e->p99 };

          w += e->n;
          for (int j = 0; j < 4; j++)
            sum[j] += e->n * v[j];
        }
      if (!(w > 0.0))
        return;
      for (guint i = 0; i < n; i++)
        {
          const Est *e = &g_array_index (ests, Est, i);
          double v[4] = { e->mean, e->p50, e->p95, e->p99 };

          for (int j = 0; j < 4; j++)
            {
              double d = e->n * (v[j] - sum[j] / w);

              sq[j] += d * d;
            }
        }
      for (int j = 0; j < 4; j++)
        ci[j] = t * sqrt (sq[j] / ((double) n * (n - 1))) / (w / n);
    }
  else
    des_ci_spread (ests, ci);
  out->mean_ms.ci = ci[0];
  out->p50_ms.ci = ci[1];
  out->p95_ms.ci = ci[2];
  out->p99_ms.ci = ci[3];
}

/* The accumulators of the buckets and of the phases (for the run, and
 * for a windowed run's extra passes for the lag, which keep only their
 * lag: run_lag_passes) */
static BucketAcc *
buckets_new (Sim *sim)
{
  BucketAcc *buckets = g_new0 (BucketAcc, sim->n_buckets);

  for (guint b = 0; b < sim->n_buckets; b++)
    {
      for (int k = 0; k < AB_DES_N_SERIES; k++)
        buckets[b].hist[k] = ab_histogram_new ();
      buckets[b].st = g_new0 (Acc, sim->n);
    }
  return buckets;
}

static void
buckets_free (Sim *sim, BucketAcc *buckets)
{
  if (buckets == NULL)
    return;
  for (guint b = 0; b < sim->n_buckets; b++)
    {
      for (int k = 0; k < AB_DES_N_SERIES; k++)
        ab_histogram_free (buckets[b].hist[k]);
      g_free (buckets[b].st);
      g_free (buckets[b].est);
    }
  g_free (buckets);
}

static PhaseAcc *
phases_new (Sim *sim)
{
  PhaseAcc *phases = g_new0 (PhaseAcc, sim->n_phases);

  for (guint i = 0; i < sim->n_phases; i++)
    {
      PhaseAcc *ph = &phases[i];

      ph->start = ab_scenario_phase_start (sim->sc, i);
      ph->dur = g_array_index (sim->sc->phases, AbPhase, i).duration_s;
      for (int k = 0; k < AB_DES_N_SERIES; k++)
        {
          ph->total[k] = ab_histogram_new ();
          ph->rep_est[k] = g_array_new (FALSE, FALSE, sizeof (Est));
          ph->batch_est[k] = g_array_new (FALSE, FALSE, sizeof (Est));
        }
      ph->batch = g_new0 (AbHistogram *, sim->nb * AB_DES_N_SERIES);
      for (guint b = 0; b < sim->nb * AB_DES_N_SERIES; b++)
        ph->batch[b] = ab_histogram_new ();
      ph->st = g_new0 (Acc, sim->n);
      ph->b_req = g_new0 (guint64, sim->nb * AB_N_CLASSES);
      ph->b_err = g_new0 (guint64, sim->nb * AB_N_CLASSES);
      for (int k = 0; k <= AB_N_CLASSES; k++)
        {
          ph->rep_err[k] = g_array_new (FALSE, FALSE, sizeof (double));
          ph->batch_err[k] = g_array_new (FALSE, FALSE, sizeof (double));
        }
      des_lag_alloc (sim, ph);
    }
  return phases;
}

static void
phases_free (Sim *sim, PhaseAcc *phases)
{
  if (phases == NULL)
    return;
  for (guint i = 0; i < sim->n_phases; i++)
    {
      PhaseAcc *ph = &phases[i];

      for (int k = 0; k < AB_DES_N_SERIES; k++)
        {
          ab_histogram_free (ph->total[k]);
          g_array_unref (ph->rep_est[k]);
          g_array_unref (ph->batch_est[k]);
        }
      for (guint b = 0; b < sim->nb * AB_DES_N_SERIES; b++)
        ab_histogram_free (ph->batch[b]);
      g_free (ph->batch);
      g_free (ph->st);
      g_free (ph->b_req);
      g_free (ph->b_err);
      for (int k = 0; k <= AB_N_CLASSES; k++)
        {
          if (ph->rep_err[k] != NULL)
            g_array_unref (ph->rep_err[k]);
          if (ph->batch_err[k] != NULL)
            g_array_unref (ph->batch_err[k]);
        }
      g_free (ph->lag);
      des_ci_free (ph);
    }
  g_free (phases);
}

static void
sim_free (Sim *sim)
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
  buckets_free (sim, sim->buckets);
  phases_free (sim, sim->phases);
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

void
ab_des_config_init (AbDesConfig *config)
{
  g_return_if_fail (config != NULL);

  memset (config, 0, sizeof *config);
  config->sample_budget = AB_DES_DEFAULT_BUDGET;
  config->max_replications = DEFAULT_MAX_REPS;
  config->batches = DEFAULT_BATCHES;
  config->max_instances = MAX_REPRESENTATIVES;
  config->max_budget_factor = 2.0;
}

/* An M/M/c number in system at offered load @a (Erlangs, < c): with the
 * chance of waiting (Erlang C) c plus a geometric queue, else n < c with
 * chance proportional to a^n / n!. */
static gint64
sample_mmc_count (Sim *sim, int c, double a)
{
  double rho = a / c;

  if (ab_rng_double (&sim->rng) < ab_erlang_c (c, a))
    {
      double u = 1.0 - ab_rng_double (&sim->rng);

      return c + (gint64) floor (log (u) / log (rho));
    }
  else
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
            {
              gint32 fi = frame_alloc (sim);
              Frame *f;

              if (fi < 0)
                return;
              f = &sim->frames[fi];
              f->parent = -1;
              f->station = (guint16) s;
              f->klass = (guint8) (ab_rng_double (&sim->rng) * total < reads
                                   ? AB_CLASS_READ : AB_CLASS_WRITE);
              f->step = 0;
              f->missed = 0;
              f->flags = F_PHANTOM;
              f->depth = 0;
              f->instance = (guint8) i;
              f->t_start = f->t_arrive = sim->now;
              f->fold = 0.0f;
              sim->visits++;
              if (st->svc_s[f->klass] <= 0.0)
                {
                  frame_free (sim, fi);
                  continue;
                }
              if (in->busy < st->c)
                start_service (sim, st, in, fi);
              else
                {
                  ring_push (in, fi);
                  st->queued_total++;
                }
            }
        }
    }
}

static void
start_replication (Sim *sim, guint rep)
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
        des_skip_to (sim, sim->sl_start[0]);
      sim->rec_weight = des_window_weight (sim, 0);
      sim->cur_slice = 0;
      if (sim->sl_end[0] < sim->t_end - 1e-9)
        heap_push (sim, sim->sl_end[0], EV_PACK (EV_SKIP, 0));
    }
}

/* Set-up, part 1: the stations from the network, their call lists, the
 * load each sees and which ones requests can reach.  FALSE on a routing
 * cycle that never ends. */
static gboolean
setup_stations (Sim *sim, GError **error)
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
static guint
plan_budget (Sim *sim, guint max_k, guint64 budget)
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
static void
alloc_fluid (Sim *sim)
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
static void
setup_generators (Sim *sim)
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
static void
plan_systematic (Sim *sim)
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

/* Set-up, part 5: the scenario events' stations and the accumulators of
 * buckets and phases. */
static void
setup_accumulators (Sim *sim)
{
  const AbNetwork *network = sim->net;
  const AbScenario *scenario = sim->sc;

  /* scenario events name stations */
  sim->event_station = g_new0 (int, MAX (scenario->events->len, 1));
  for (guint i = 0; i < scenario->events->len; i++)
    sim->event_station[i] = find_station (network,
                                          g_array_index (scenario->events, AbScenarioEvent, i).station);
  /* accumulators */
  sim->n_phases = scenario->phases->len;
  sim->n_buckets = (guint) ceil ((sim->t_end - sim->warmup) / sim->bucket_s - 1e-9);
  sim->buckets = buckets_new (sim);
  sim->phases = phases_new (sim);
  for (guint i = 0; i < sim->n_phases; i++)
    des_ci_alloc (sim, &sim->phases[i], i);
  sim->stream_bucket.stations = g_new0 (AbDesStationStats, sim->n);
  sim->emit_prev.stations = g_new0 (AbDesStationStats, sim->n);
  sim->emit_next.stations = g_new0 (AbDesStationStats, sim->n);
}

/* A windowed run's extra pass for the lag (docs/simulation.md,
 * "Confidence intervals"): at most LAG_EXTRA_SHARE of the budget more
 * (and within max_budget_factor times it), in passes of LAG_PASS_SHARE
 * of it — one pass: a pass's windows must be long against the chains,
 * and its tail (the chains it leaves in flight run on for at most a
 * quarter of its visits) too; passes of a quarter of the budget read the
 * multi-master design's 150 ms audit trail at 65–120 ms */
#define LAG_EXTRA_SHARE 0.4
#define LAG_PASS_SHARE  1.0

/* The representatives of the extra passes for the lag.  Their chains
 * are the followed share f of the background work, and f is the fewest
 * representatives per instance of any component: one audit worker of
 * 10,000 instances with 8 representatives follows 0.08 % of the chains,
 * though following more costs little there (each representative sees
 * 1/10,000 of the load).  So the passes take, among the shares one
 * component or another sets, the one that follows the most chains per
 * visit, and give every component the representatives it needs for it
 * (at most 255); each still sees its instance's share of the load.
 * Fills @k (per station) and returns the share, or the run's own f
 * when no other does better. */
static double
lag_representatives (Sim *sim, int *k, double *gain)
{
  g_autofree int *trial = g_new (int, sim->n);
  double best_f = sim->f, best_per = 0.0;

  for (guint s = 0; s < sim->n; s++)
    k[s] = sim->st[s].k_alloc;
  sim->lag_k = k;
  best_per = sim->f / MAX (des_expected_visits (sim, sim->K, 1.0, 1.0), 1e-12);
  *gain = best_per;
  for (guint c = 0; c <= sim->n; c++)
    {
      double fc, j, per;
      gboolean fits = TRUE;

      if (c < sim->n && !sim->st[c].reachable)
        continue;
      fc = c < sim->n ? (double) sim->st[c].k_alloc / sim->st[c].n_max : 1.0;
      if (fc <= best_f * (1.0 + 1e-9))
        continue;
      for (guint s = 0; s < sim->n && fits; s++)
        {
          const Station *st = &sim->st[s];

          trial[s] = MAX (st->k_alloc, (int) MIN ((double) st->n_max, ceil (fc * st->n_max - 1e-9)));
          fits = trial[s] <= G_MAXUINT8;
        }
      if (!fits)
        continue;
      sim->lag_k = trial;
      j = des_expected_visits (sim, sim->K, 1.0, 1.0);
      per = des_tracked_fraction (sim, sim->K) / MAX (j, 1e-12);
      if (per > best_per * (1.0 + 1e-9))
        {
          best_per = per;
          best_f = des_tracked_fraction (sim, sim->K);
          memcpy (k, trial, sizeof (int) * sim->n);
        }
    }
  sim->lag_k = NULL;
  *gain = best_per / MAX (*gain, 1e-300);
  return best_f;
}

/* Puts @k representatives per station in place (the run's own kept in
 * @saved, @saved_k) with the share @f they follow; back with @k NULL. */
static void
swap_representatives (Sim *sim, const int *k, double f, Instance **saved, int *saved_k)
{
  for (guint s = 0; s < sim->n; s++)
    {
      Station *st = &sim->st[s];

      if (k != NULL)
        {
          saved[s] = st->inst;
          saved_k[s] = st->k_alloc;
          if (k[s] != st->k_alloc)
            {
              st->inst = g_new0 (Instance, k[s]);
              st->k_alloc = k[s];
            }
        }
      else if (saved[s] != st->inst)
        {
          for (int i = 0; i < st->k_alloc; i++)
            g_free (st->inst[i].ring);
          g_free (st->inst);
          st->inst = saved[s];
          st->k_alloc = saved_k[s];
        }
    }
  sim->f = f;
  /* systematic sampling follows the share */
  for (int c = 0; c < AB_N_CLASSES; c++)
    {
      sim->gens[c].shape = 0.0;
      sim->gens[c].mixed = sim->gens[c].merged = FALSE;
    }
  plan_systematic (sim);
}

/* The busy share of its slots at or above which a component of a phase
 * is saturated: its queue, and the lag through it, are a matter of the
 * backlog the windows meet rather than of a steady state */
#define LAG_SATURATED 0.99

/* Was some component of @ph saturated through it (in its
 * replications)?  Its queue, and the lag through it, are then a matter
 * of the backlog the windows meet rather than of a steady state (a lost
 * instance's load on the others, or a timeout's), and the backlog
 * drains into the phase after. */
static gboolean
lag_phase_saturated (Sim *sim, const PhaseAcc *ph)
{
  for (guint s = 0; s < sim->n; s++)
    if (ph->st[s].a_cap > 0.0 && ph->st[s].a_busy >= LAG_SATURATED * ph->st[s].a_cap)
      return TRUE;
  return FALSE;
}

/* Is the lag of @ph (after its replications) in a steady state, so that
 * an extra pass reads the same lag with more chains?  Not when more
 * than 1 % of the background stages failed (a full queue, patience or a
 * lost consumer: the chains that end are the survivors, and a freshness
 * check fails on the loss whatever the lag), nor when some component was
 * saturated through it.  Users' requests that fail because a component
 * is lost leave the lag of the others steady. */
static gboolean
lag_phase_steady (Sim *sim, const PhaseAcc *ph)
{
  guint64 bg = ph->async_served + ph->async_errors;

  if (bg > 0 && (double) ph->async_errors > 0.01 * (double) bg)
    return FALSE;
  return !lag_phase_saturated (sim, ph);
}

/* The shares of an extra pass of @pass_visits among the phases it is
 * for (@width: how far each is from the target, des_lag_width; 0: not
 * for it) into @weight.  A phase that ended @time seconds simulated at a
 * cost of @cost visits a second needs some (width² − 1) times the visits
 * it had for its interval to shrink by the width, @gain times fewer with
 * the pass's representatives.  In turn, the phases the checks judge
 * (@judged: normal, peak) and then the others, the phases that need
 * least are given what they need (and a fifth more, for the noise of the
 * estimate), so that as many as the pass can pay for come within the
 * target; from the first it cannot pay for, what is left goes to the
 * rest (of those the checks judge, when it is one) by how far they are
 * from it
 * (at most 100: a phase with hardly a chain would take everything), or,
 * when all are paid for, to all in proportion. */
static void
lag_pass_shares (guint n, const double *width, const double *time, const double *cost,
                 const gboolean *judged, double gain, double pass_visits, double *weight)
{
  g_autofree guint *order = g_new (guint, MAX (n, 1));
  g_autofree double *need = g_new (double, MAX (n, 1));
  guint m = 0;
  double left = pass_visits, rest = 0.0, paid = 0.0;

  for (guint i = 0; i < n; i++)
    {
      weight[i] = 0.0;
      if (!(width[i] > 1.0))
        continue;
      need[i] = isfinite (width[i])
                ? 1.2 * (width[i] * width[i] - 1.0) * time[i] * cost[i] / MAX (gain, 1.0) : INFINITY;
      order[m++] = i;
    }
  /* the phases the checks judge first, then the cheapest first (a few
   * phases: insertion sort) */
#define BEFORE(x, y) (judged[x] != judged[y] ? judged[x] : need[x] < need[y])
  for (guint a = 1; a < m; a++)
    for (guint b = a; b > 0 && BEFORE (order[b], order[b - 1]); b--)
      {
        guint t = order[b];

        order[b] = order[b - 1];
        order[b - 1] = t;
      }
  for (guint a = 0; a < m; a++)
    {
      guint i = order[a];

      if (need[i] <= left)
        {
          weight[i] = need[i];
          left -= need[i];
          paid += need[i];
        }
      else
        {
          /* the rest is too dear for what is left: it goes to the
           * phases the checks judge among them, if any */
          gboolean only_judged = judged[i];

          for (guint b = a; b < m; b++)
            if (!only_judged || judged[order[b]])
              rest += MIN (width[order[b]] * width[order[b]] - 1.0, 100.0);
          for (guint b = a; b < m; b++)
            if (!only_judged || judged[order[b]])
              weight[order[b]] = left * MIN (width[order[b]] * width[order[b]] - 1.0, 100.0) / rest;
          return;
        }
    }
  if (paid > 0.0)
    for (guint a = 0; a < m; a++)
      weight[order[a]] *= pass_visits / paid;
#undef BEFORE
}

/* While the slowest end of a reported phase is known to worse than
 * +-AB_DES_TARGET_PRECISION after the @done replications of a windowed
 * run (and whatever passes came before), one more pass: the windows of
 * those phases take its budget (each phase as much more as it is further
 * from the target), the others and the warm-up their shortest, and of
 * all it simulates only the lag of the chains started in those phases is
 * kept — the users' latencies, errors, components and time series are
 * the replications' alone.  A pass the visit limit stops is dropped
 * whole (it would keep the short chains and lose the long ones).  FALSE
 * when cancelled. */
static gboolean
run_lag_passes (Sim *sim, guint done, guint64 budget, guint64 cap, AbDesResult *result,
                GError **error)
{
  guint n = sim->n_phases;
  g_autofree double *weight = g_new0 (double, MAX (n, 1));
  g_autofree gboolean *focus = g_new0 (gboolean, MAX (n, 1));
  g_autofree double *width = g_new0 (double, MAX (n, 1)), *time = g_new0 (double, MAX (n, 1));
  g_autofree double *cost = g_new0 (double, MAX (n, 1));
  g_autofree gboolean *judged = g_new0 (gboolean, MAX (n, 1));
  double gain = 1.0;
  guint64 v0 = sim->visits, limit = sim->visit_limit;
  double extra = MIN ((double) cap - (double) v0, LAG_EXTRA_SHARE * (double) budget);
  BucketAcc *buckets = sim->buckets;
  PhaseAcc *phases = sim->phases;
  DesPlan *plan = NULL;
  gboolean ok = TRUE;
  g_autofree int *lag_k = g_new (int, sim->n), *saved_k = g_new (int, sim->n);
  g_autofree Instance **saved_inst = g_new0 (Instance *, sim->n);
  double f0 = sim->f, f_lag = 0.0;

  for (guint pass = 0;; pass++)
    {
      gboolean any = FALSE;
      double spent = (double) (sim->visits - v0), pass_budget;
      gboolean after_unsteady = FALSE;

      for (guint i = 0; i < n; i++)
        {
          double count = 0.0;
          gboolean steady;

          /* a phase that is not in a steady state keeps the lag its
           * replication read (lag_phase_steady: a component over its
           * capacity at the phase's load, saturated through it, or
           * background work lost), and so does the phase after an
           * overloaded or saturated one (the backlog it leaves drains
           * into it): the lag is a matter of the
           * backlog the windows meet, and the pass's windows are not the
           * replication's (a lag that grows through the phase is wide
           * for its trend, not for want of chains; the pass read the
           * multi-master merge stage at 4.4 s against 5.0 s, an
           * overloaded peak at 39 ms against 409 ms, and a failure phase
           * behind an overloaded peak's backlog at 26 ms against 302 ms).
           * Users' requests that fail because a component is lost leave
           * the lag steady */
          steady = !des_phase_overloaded (sim, i) && lag_phase_steady (sim, &phases[i]);
          if (steady && !after_unsteady && g_array_index (sim->sc->phases, AbPhase, i).reported)
            width[i] = des_lag_width (sim, &phases[i], done, &count);
          else
            width[i] = 0.0;
          after_unsteady = des_phase_overloaded (sim, i) || lag_phase_saturated (sim, &phases[i]);
          focus[i] = width[i] > 1.0;
          any |= focus[i];
        }
      if (!any)
        break;
      /* (a pass of less than a tenth of the budget would not tell) */
      if (extra - spent < 0.1 * (double) budget)
        {
          result->lag_capped = TRUE;
          break;
        }
      pass_budget = MIN (LAG_PASS_SHARE * (double) budget, extra - spent);
      if (plan == NULL)
        {
          plan = des_plan_save (sim);
          /* what the replications' phases cost a simulated second */
          for (guint i = 0; i < n; i++)
            {
              double a = ab_scenario_phase_start (sim->sc, i);
              double d = g_array_index (sim->sc->phases, AbPhase, i).duration_s;
              double mult = d > 0.0 ? des_multiplier_integral (sim->sc, a, a + d) / d : 1.0;

              cost[i] = des_expected_visits (sim, sim->K, mult, 1.0);
              time[i] = phases[i].time;
              judged[i] = g_strcmp0 (g_array_index (sim->sc->phases, AbPhase, i).name, "normal") == 0
                          || g_strcmp0 (g_array_index (sim->sc->phases, AbPhase, i).name, "peak") == 0;
            }
          f_lag = lag_representatives (sim, lag_k, &gain);
          swap_representatives (sim, lag_k, f_lag, saved_inst, saved_k);
          sim->lag_k = lag_k;
        }
      lag_pass_shares (n, width, time, cost, judged, gain, pass_budget, weight);
      des_plan_windows_weighted (sim, pass_budget, weight);
      sim->buckets = buckets_new (sim);
      sim->phases = phases_new (sim);
      sim->lag_focus = focus;
      sim->visit_limit = sim->visits + (guint64) (2.0 * pass_budget);
      start_replication (sim, done + pass);
      run_loop (sim);
      sim->lag_focus = NULL;
      if (!sim->cancelled && !sim->stop)
        {
          finish_replication (sim);
          for (guint i = 0; i < n; i++)
            if (focus[i])
              {
                GArray *ests = sim->phases[i].batch_est[AB_DES_ASYNC];

                des_lag_add (sim, &phases[i], &sim->phases[i]);
                ab_histogram_merge (phases[i].total[AB_DES_ASYNC], sim->phases[i].total[AB_DES_ASYNC]);
                g_array_append_vals (phases[i].batch_est[AB_DES_ASYNC], ests->data, ests->len);
              }
          result->lag_passes++;
        }
      buckets_free (sim, sim->buckets);
      phases_free (sim, sim->phases);
      sim->buckets = buckets;
      sim->phases = phases;
      if (sim->cancelled)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "Simulation cancelled");
          ok = FALSE;
          break;
        }
      if (sim->stop)
        {
          sim->stop = FALSE;
          result->lag_capped = TRUE;
          break;
        }
    }
  result->lag_visits = sim->visits - v0;
  sim->visit_limit = limit;
  if (plan != NULL)
    {
      sim->lag_k = NULL;
      swap_representatives (sim, NULL, f0, saved_inst, saved_k);
      des_plan_restore (sim, plan);
    }
  return ok;
}

/* The run: the planned replications, then more while an interval is too
 * wide and the budget allows.  Returns the result's head (how the run was
 * made), or NULL when cancelled. */
static AbDesResult *
run_replications (Sim *sim, guint reps, guint64 budget, GError **error)
{
  const AbDesConfig *config = sim->cfg;
  AbDesResult *result;
  guint done = 0;
  double reached = sim->t_end - sim->warmup;
  double factor = config->max_budget_factor > 0.0 ? config->max_budget_factor : 2.0;
  guint64 cap = (guint64) (factor * budget);
  guint max_reps = config->max_replications > 0 ? config->max_replications : DEFAULT_MAX_REPS;

  for (guint rep = 0; rep < reps; rep++)
    {
      start_replication (sim, rep);
      run_loop (sim);
      if (sim->cancelled)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "Simulation cancelled");
          return NULL;
        }
      /* the last buckets of the first replication end with the run; a
       * run the budget stopped ends with the bucket it stopped in, as
       * its result's series does (collect_buckets) */
      if (rep == 0 && sim->cfg->on_bucket != NULL && sim->n_buckets > 0)
        {
          guint nb = sim->n_buckets;

          if (sim->stop)
            nb = (guint) MIN ((double) nb, ceil ((sim->now - sim->warmup) / sim->bucket_s));
          if (nb > 0)
            emit_buckets (sim, nb - 1);
        }
      finish_replication (sim);
      done++;
      if (sim->stop)
        {
          if (rep == 0)
            reached = sim->now - sim->warmup;
          break;
        }
      /* the planned replications are done: go on while an interval is
       * too wide and the budget allows another (the same cost again) */
      if (rep + 1 == reps && config->replications == 0 && factor > 1.0 && !sim->windowed
          && reps < max_reps && sim->visits + sim->visits / done <= cap
          && too_wide (sim, done))
        {
          reps++;
          sim->visit_limit = MAX (sim->visit_limit, sim->visits + 2 * (sim->visits / done));
        }
    }

  result = g_new0 (AbDesResult, 1);
  result->replications = done;
  result->representatives = (guint) sim->K;
  result->tracked_fraction = sim->f;
  result->visits = sim->visits;
  result->events = sim->events;
  result->truncated = sim->stop;
  result->out_of_room = sim->out_of_room;
  result->simulated_s = MAX (0.0, reached);
  result->windowed = sim->windowed;
  result->budget = budget;
  if (sim->windowed && !sim->stop && config->replications == 0 && factor > 1.0
      && !run_lag_passes (sim, done, budget, cap, result, error))
    {
      g_free (result);
      return NULL;
    }
  result->visits = sim->visits;
  result->events = sim->events;
  return result;
}

/* The results, part 1: per phase (estimates with their intervals,
 * stations). */
static void
collect_phases (Sim *sim, AbDesResult *result)
{
  const AbScenario *scenario = sim->sc;

  result->n_stations = sim->n;
  result->n_phases = sim->n_phases;
  result->phases = g_new0 (AbDesPhaseResult, sim->n_phases);
  for (int k = 0; k < AB_DES_N_SERIES; k++)
    result->histograms[k] = ab_histogram_new ();
  for (guint i = 0; i < sim->n_phases; i++)
    {
      PhaseAcc *ph = &sim->phases[i];
      AbDesPhaseResult *out = &result->phases[i];
      const AbPhase *def = &g_array_index (scenario->phases, AbPhase, i);
      double denom = sim->f * ph->time;

      out->name = g_strdup (def->name);
      out->start_s = ph->start;
      out->duration_s = ph->dur;
      out->reported = def->reported;
      out->offered_rps = denom > 0.0 ? ph->offered / denom : 0.0;
      out->served_rps = denom > 0.0 ? ph->served / denom : 0.0;
      out->requests = ph->served + ph->errors;
      out->errors = ph->errors;
      out->async_errors = ph->async_errors;
      out->async_requests = ph->async_served + ph->async_errors;
      out->background_error_rate = out->async_requests > 0
                                   ? (double) ph->async_errors / out->async_requests : 0.0;
      for (int c = 0; c < AB_N_CLASSES; c++)
        {
          out->class_requests[c] = ph->class_served[c] + ph->class_errors[c];
          out->class_errors[c] = ph->class_errors[c];
        }
      out->error_rate = out->requests > 0 ? (double) ph->errors / out->requests : 0.0;
      for (int k = 0; k <= AB_N_CLASSES; k++)
        {
          guint64 req = k < AB_N_CLASSES ? out->class_requests[k] : out->requests;
          guint64 err = k < AB_N_CLASSES ? out->class_errors[k] : out->errors;
          GArray *shares = ph->rep_err[k]->len >= MIN_REPS_FOR_CI ? ph->rep_err[k] : ph->batch_err[k];

          error_rate_ci (shares, req > 0 ? (double) err / (double) req : NAN, &out->error_rate_ci[k]);
        }
      for (int k = 0; k < AB_DES_N_SERIES; k++)
        {
          AbLatencyStats *ls = &out->latency[k];
          Est e = des_estimate_of (ph->total[k]);

          ls->count = ab_histogram_count (ph->total[k]);
          ls->mean_ms.value = e.mean;
          ls->p50_ms.value = e.p50;
          ls->p95_ms.value = e.p95;
          ls->p99_ms.value = e.p99;
          ci_from (result->replications >= MIN_REPS_FOR_CI ? ph->rep_est[k] : ph->batch_est[k],
                   k == AB_DES_ASYNC, ls);
          /* users waiting behind a backlog that grows, in windows */
          des_ci_collect (sim, ph, result->replications, k, ls);
          set_bounds (&ls->mean_ms);
          set_bounds (&ls->p50_ms);
          set_bounds (&ls->p95_ms);
          set_bounds (&ls->p99_ms);
          if (def->reported)
            ab_histogram_merge (result->histograms[k], ph->total[k]);
        }
      des_lag_collect (sim, ph, result->replications, out);
      out->stations = g_new0 (AbDesStationStats, sim->n);
      for (guint s = 0; s < sim->n; s++)
        acc_to_stats (&ph->st[s], ph->time, &out->stations[s]);
      out->simulated_s = sim->windowed || result->truncated
                         ? ph->time / MAX (result->replications, 1) : ph->dur;
      out->windows = out->simulated_s > 0.0 ? sim->phase_windows[i] : 0;
      result->sampled_s += out->simulated_s;
    }
}

/* The results, part 2: per bucket, merged over the replications;
 * estimated buckets are interpolated between the simulated ones of their
 * phase around them. */
static void
collect_buckets (Sim *sim, AbDesResult *result)
{
  guint nb = sim->n_buckets;

  if (result->truncated)
    nb = (guint) MIN ((double) nb, ceil (result->simulated_s / sim->bucket_s));
  result->n_buckets = nb;
  result->buckets = g_new0 (AbDesBucket, nb);
  for (guint b = 0; b < nb; b++)
    {
      result->buckets[b].stations = g_new0 (AbDesStationStats, sim->n);
      fill_bucket (sim, b, &result->buckets[b]);
    }
  /* estimated buckets: between the simulated ones of their phase */
  {
    g_autofree int *prev = g_new (int, MAX (nb, 1));
    int last = -1;

    for (guint b = 0; b < nb; b++)
      {
        if (last >= 0 && result->buckets[last].phase != result->buckets[b].phase)
          last = -1;
        prev[b] = last;
        if (!result->buckets[b].estimated)
          last = (int) b;
      }
    last = -1;
    for (guint b = nb; b-- > 0;)
      {
        AbDesBucket *bk = &result->buckets[b];

        if (last >= 0 && result->buckets[last].phase != bk->phase)
          last = -1;
        if (bk->estimated)
          interpolate_bucket (sim, bk, prev[b] >= 0 ? &result->buckets[prev[b]] : NULL,
                              last >= 0 ? &result->buckets[last] : NULL);
        else
          last = (int) b;
      }
  }
}

AbDesResult *
ab_des_run (const AbNetwork    *network,
            const AbScenario   *scenario,
            const AbDesConfig  *config,
            GError            **error)
{
  return des_run_with_frames (network, scenario, config, MAX_FRAMES, error);
}

AbDesResult *
des_run_with_frames (const AbNetwork    *network,
                     const AbScenario   *scenario,
                     const AbDesConfig  *config,
                     guint               max_frames,
                     GError            **error)
{
  Sim sim_storage = { 0 };
  Sim *sim = &sim_storage;
  AbDesConfig defaults;
  g_autofree const char **ids = NULL;
  guint64 budget;
  guint max_k, reps;
  AbDesResult *result;

  g_return_val_if_fail (network != NULL, NULL);
  g_return_val_if_fail (scenario != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (config == NULL)
    {
      ab_des_config_init (&defaults);
      config = &defaults;
    }
  if (!validate_network (network, error))
    return NULL;
  ids = g_new0 (const char *, network->n_stations + 1);
  for (guint s = 0; s < network->n_stations; s++)
    ids[s] = network->stations[s].id != NULL ? network->stations[s].id : "";
  if (!ab_scenario_validate (scenario, ids, error))
    return NULL;
  if (g_cancellable_set_error_if_cancelled (config->cancellable, error))
    return NULL;

  sim->net = network;
  sim->sc = scenario;
  sim->cfg = config;
  sim->max_frames = max_frames > 0 ? MIN (max_frames, MAX_FRAMES) : MAX_FRAMES;
  sim->n = network->n_stations;
  sim->warmup = scenario->warmup_s;
  sim->bucket_s = scenario->bucket_s;
  sim->t_end = scenario->warmup_s + ab_scenario_duration (scenario);
  sim->nb = config->batches > 0 ? MIN (config->batches, 1000) : DEFAULT_BATCHES;
  sim->pending_fail = g_array_new (FALSE, FALSE, sizeof (gint32));
  sim->zig = ab_rng_ziggurat ();
  max_k = config->max_instances > 0 ? MIN (config->max_instances, MAX_REPRESENTATIVES)
                                    : MAX_REPRESENTATIVES;
  budget = config->sample_budget > 0 ? config->sample_budget : AB_DES_DEFAULT_BUDGET;

  if (!setup_stations (sim, error))
    {
      sim_free (sim);
      return NULL;
    }
  reps = plan_budget (sim, max_k, budget);
  alloc_fluid (sim);
  setup_generators (sim);
  plan_systematic (sim);
  setup_accumulators (sim);

  result = run_replications (sim, reps, budget, error);
  if (result != NULL)
    {
      collect_phases (sim, result);
      collect_buckets (sim, result);
    }
  sim_free (sim);
  return result;
}

void
ab_des_result_free (AbDesResult *result)
{
  if (result == NULL)
    return;
  for (guint i = 0; i < result->n_phases; i++)
    {
      g_free (result->phases[i].name);
      g_free (result->phases[i].stations);
    }
  g_free (result->phases);
  for (guint b = 0; b < result->n_buckets; b++)
    g_free (result->buckets[b].stations);
  g_free (result->buckets);
  for (int k = 0; k < AB_DES_N_SERIES; k++)
    ab_histogram_free (result->histograms[k]);
  g_free (result);
}
