/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The discrete-event simulation.  Requests are frames (one per station
 * visit, linked to their caller) in a free-listed pool; the event heap holds
 * 16-byte entries (time, type and index); waiting frames sit in
 * per-instance rings.  Stations with many instances are simulated through
 * k <= 8 representative instances: the tracked requests are a fraction f of
 * the modelled traffic and each station tops its representatives up to
 * their per-instance rate with Poisson "phantom" visits that occupy the
 * station but make no calls (docs/simulation.md).
 *
 * This part: a request's events (arrival, service, departure, its calls
 * and its end), the generators and the rates they follow, the event loop
 * and the entry points.  The other parts are listed in ab-des-private.h. */
#define G_LOG_DOMAIN "archboard-des"

#include "config.h"

#include "ab-des-private.h"
#include "ab-model.h"

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
static double full_queue_share (Sim *sim, const Station *st);
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
                  /* a request starts before it ends, also where a
                   * windowed run kept it waiting through a skip or
                   * made it of a fluid backlog (ab-des-fluid.c,
                   * materialize_backlog and des_virtual_take; they
                   * once made 1,096 latencies below zero in the 35
                   * references at seeds 1-3, none since): the floor
                   * is only a guard */
                  double ms = MAX (0.0, (sim->now - f->t_start + f->fold) * 1000.0);

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
              else if (G_UNLIKELY (sim->fail_delay > 0.0))
                des_defer_error (sim, f->klass, sim->fail_delay);
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
          /* the request goes on: what it meets next fails at its time */
          sim->fail_delay = 0.0;
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
       * it are served as they would be.  Failed here rather than
       * waiting in the ring past the window, it counts when its patience
       * runs out, a timeout later, as in a run without windows
       * (des_defer_error) */
      if (!(f->flags & F_PHANTOM))
        st->pass_lost[f->klass]++;
      if (ab_rng_double (&sim->rng) >= full_queue_share (sim, st))
        sim->fail_delay = st->timeout_s;
      fail_frame (sim, fi);
      sim->fail_delay = 0.0;
    }
  else
    {
      ring_push (in, fi);
      st->queued_total++;
    }
}

/* Of the requests a window fails on arrival at @st because they would
 * wait past its timeout (arrive), the share that a full queue turns away
 * at once: with a queue limit L, the queue holds every arrival of the
 * last timeout T seconds until it is full, and once lambda T > L it
 * takes L / T a second (the ones at its head give up at T) of the
 * lambda each instance is offered; the rest, lambda - L / T, find it
 * full.  Those it takes give up a timeout later.  The fluid model's
 * backlog holds only what will be served (mu, from its drain gap), so
 * the window's check fails all lambda - mu at once.  rate-limit-counters
 * losing its cache: its app instances, offered 490 a second and serving
 * 16, have room for 4,096 and a patience of 60 s: 89 % of them are
 * turned away at once, as in a run without windows (96 % of its
 * failure phase's requests fail there, the queue full). */
static double
full_queue_share (Sim *sim, const Station *st)
{
  double lambda = 0.0, mu, lt;

  if (st->def->queue_limit <= 0 || st->timeout_s <= 0.0 || st->n_up <= 0 || st->v_gap <= 0.0)
    return 0.0;
  for (int c = 0; c < AB_N_CLASSES; c++)
    lambda += sim->f_arr[(st - sim->st) * AB_N_CLASSES + c] * st->shard_live;
  lambda /= st->n_up;
  mu = 1.0 / st->v_gap;
  lt = st->def->queue_limit / st->timeout_s;
  if (lambda <= mu || lambda <= lt)
    return 0.0;
  return CLAMP ((lambda - MAX (lt, mu)) / (lambda - mu), 0.0, 1.0);
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
  if (G_UNLIKELY (f->flags & F_OUTSIDE))
    {
      /* served beside the slots as a window started (des_window_queues):
       * it frees none, and its service belongs to the stretch before
       * the window, not to the window's throughput */
      f->flags &= (guint8) ~F_OUTSIDE;
      after_service (sim, fi);
      des_drain_pending_failures (sim);
      return;
    }
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

/* ---------------------------------------------------------- generators -- */

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
  if (gen->shape > 1.0 && gen->kind == GEN_USER)
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

/* The shape of the gaps of @st's anonymous visits (1 or less:
 * exponential).  Round robin hands each of a component's n instances
 * every n-th request, gaps Erlang-n; the representatives, k of them,
 * take the anonymous visits in turn with the followed requests, so
 * Poisson anonymous visits gave each one Erlang-k gaps at best, and one
 * alone a Poisson stream: a queue that of a random split.  Gamma(n / k)
 * gaps make every k-th of them an Erlang-n gap.  Not where a request
 * reaches every instance (a replica's writes), nor where the anonymous
 * visits are made of the requests not followed (gen_complement: they
 * rebuild the Poisson stream of all the requests), nor at a pool (least
 * connections: ab-des-pool.c). */
static double
phantom_shape (Sim *sim, const Station *st)
{
  if (st->balance != AB_BALANCE_ROUND_ROBIN || st->pooled || st->infinite
      || st->k_active <= 0 || st->k_active >= st->n_up)
    return 0.0;
  for (int c = 0; c < AB_N_CLASSES; c++)
    if ((st->compl[c] && st->compl_on && !sim->lossy)
        || ab_network_copies (sim->net, (int) (st - sim->st), c, st->n_up) > 1.0)
      return 0.0;
  return (double) st->n_up / st->k_active;
}

/* A new estimate of the share of its arrivals @st passes on: of the
 * followed requests, those that started their service against those
 * that arrived since the last estimate, smoothed over the last few blocks
 * of PASS_BLOCK arrivals.  A flow, not a count of the failed ones: a pool
 * that times its requests out after seconds loses them that much later,
 * but it starts the requests it passes on at the rate it passes them on.
 * It is 1 until the station loses some of them (a queue that moves up
 * and down passes on what it is offered), starts fewer than
 * 1 - 2 PASS_SNAP of them (its queue grows: a pool filling its waiting
 * room after a loss turns none away for seconds while its callee's
 * anonymous load must already follow it) or the fluid model of a
 * windowed run found it over its slots (an unbounded queue loses none
 * but passes on its capacity), and again once it passes on
 * more than 1 - PASS_SNAP (Station.pass_shed in between: a window of a
 * windowed run may start with the queue short of full, and lose none for
 * a while, while the pool still falls behind).
 * Station.pass takes the estimate when it moved by PASS_STEP or more, or
 * to 1; TRUE then. */
gboolean
des_pass_update (Station *st)
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
      if (st->pass_slost[c] >= 0.5 || st->f_over || p < 1.0 - 2.0 * PASS_SNAP)
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
  if (sim->skipping || !des_pass_update (st))
    return;
  des_anon_loads (sim);
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
          gen->shape = phantom_shape (sim, &sim->st[gen->station]);
          break;
        default:
          g_assert_not_reached ();
        }
      set_gen_rate (sim, g, rate);
    }
  for (guint s = 0; s < sim->n; s++)
    des_pool_rates (sim, &sim->st[s]);
}

/* ------------------------------------------------------------ requests -- */

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

/* ----------------------------------------------------------- main loop -- */

/* Slice @idx of a windowed run ends: plan again, fast-forward to the
 * next slice (the fluid model) and arm its end. */
static void
skip_window (Sim *sim, guint idx)
{
  double next;

  if (sim->top_pending)
    heap_drop_top (sim);
  des_replan (sim, idx);
  next = idx + 1 < sim->n_slices ? sim->sl_start[idx + 1] : sim->t_end;
  if (next > sim->now + 1e-12)
    {
      double t0 = sim->now;

      des_skip_to (sim, next);
      /* the queues near their capacity as the stretch leaves them */
      des_window_queues (sim, t0);
    }
  sim->rec_weight = des_window_weight (sim, idx + 1);
  sim->cur_slice = MIN (idx + 1, sim->n_slices - 1);
  if (idx + 1 < sim->n_slices && sim->sl_end[idx + 1] < sim->t_end - 1e-9)
    heap_push (sim, sim->sl_end[idx + 1], EV_PACK (EV_SKIP, idx + 1));
}

void
des_run_loop (Sim *sim)
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
              des_hold_restart (sim);
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
          skip_window (sim, idx);
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

/* -------------------------------------------------------- entry points -- */

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
  if (!des_validate_network (network, error))
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

  if (!des_setup_stations (sim, error))
    {
      des_sim_free (sim);
      return NULL;
    }
  reps = des_plan_budget (sim, max_k, budget);
  des_alloc_fluid (sim);
  des_setup_generators (sim);
  des_plan_systematic (sim);
  des_setup_accumulators (sim);

  result = des_run_replications (sim, reps, budget, error);
  if (result != NULL)
    {
      des_collect_phases (sim, result);
      des_collect_buckets (sim, result);
    }
  des_sim_free (sim);
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
