/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The fluid model of a windowed DES run (docs/simulation.md, "The
 * sample budget"): it fast-forwards the stretches between the simulated
 * slices, per station and class, and at the end of a stretch leaves the
 * backlog it built as "virtual" waiting requests in the stations' queues
 * (no memory per request), which become requests when they reach a free
 * slot.  The window's own requests go ahead of them, their waits counting
 * the backlog's drain time (docs/simulation.md, "The backlog between
 * windows"), or for a user request the wait of the one first in, first
 * out answers then ("Users answered behind a backlog"); an overloaded
 * station with a queue limit starts its run with such a backlog too
 * ("Starting state"). */
#define G_LOG_DOMAIN "archboard-des"

#include "config.h"

#include "ab-des-private.h"

/* ------------------------------------------------------ virtual backlog -- */

/* Arrival time of virtual request @i (0: the head) of @in's block: the
 * station's profile maps an index among the modelled instance's waiting
 * requests to the time the fluid model says it arrived. */
static double
profile_time (const Station *st, const Instance *in, double i, guint *knot)
{
  double x = (i + 0.5) * st->prof_q / MAX (in->v_total, 1.0);
  guint k = *knot;
  double dx, u;

  while (k + 2 < st->prof_n && st->prof_x[k + 1] < x)
    k++;
  *knot = k;
  dx = st->prof_x[k + 1] - st->prof_x[k];
  u = dx > 0.0 ? (x - st->prof_x[k]) / dx : 1.0;
  return st->prof_t[k] + CLAMP (u, 0.0, 1.0) * (st->prof_t[k + 1] - st->prof_t[k]);
}

static double
virtual_time (const Station *st, Instance *in, double i)
{
  return profile_time (st, in, i, &in->v_knot);
}

/* The arrival time of the request that first in, first out would start
 * now at @in, which has a virtual backlog: the v_pos-th of the backlog
 * made at the end of the last stretch (every request started since,
 * the window's that went ahead included, took one place); NAN past its
 * end.  A user request answered now counts that request's wait, as a
 * run without windows counts the requests it answers: behind a backlog
 * that grows (an overload without a queue limit, or one whose timeout
 * it has not reached yet), the request answered at t waited
 * B(t) / lambda, not the B(a) / mu ahead of one arriving at a
 * (docs/simulation.md, "Users answered behind a backlog").  Moves on to
 * the next place. */
static double
fifo_time (Sim *sim, const Station *st, Instance *in)
{
  double t = NAN;

  if ((double) in->v_pos < in->v_total && st->prof_n >= 2)
    t = MIN (profile_time (st, in, (double) in->v_pos, &in->v_pos_knot), sim->now);
  in->v_pos++;
  return t;
}

/* How many of @in's virtual requests, from the next one, arrived before
 * @cut. */
static gint64
virtual_before (const Station *st, Instance *in, double cut)
{
  guint k = in->v_knot;
  double dt, u, x;

  while (k + 2 < st->prof_n && st->prof_t[k + 1] < cut)
    k++;
  dt = st->prof_t[k + 1] - st->prof_t[k];
  u = dt > 0.0 ? (cut - st->prof_t[k]) / dt : 1.0;
  x = st->prof_x[k] + CLAMP (u, 0.0, 1.0) * (st->prof_x[k + 1] - st->prof_x[k]);
  return (gint64) ceil (x * in->v_total / MAX (st->prof_q, 1e-300) - 0.5) - in->v_next;
}

/* @count virtual requests fail (timeout, instance lost): the user and
 * background ones among them, by the block's mix, rounded at random. */
void
des_virtual_fail (Sim *sim, const Station *st, gint64 count)
{
  for (int j = 0; j < 2 * AB_N_CLASSES; j++)
    {
      gint64 n = (gint64) floor (count * st->mix[j] + ab_rng_double (&sim->rng));

      if (n <= 0)
        continue;
      if (j < AB_N_CLASSES)
        {
          if (sim->cur_bucket >= 0)
            sim->buckets[sim->cur_bucket].errors += n;
          if (sim->cur_phase >= 0)
            {
              sim->phases[sim->cur_phase].errors += n;
              sim->phases[sim->cur_phase].class_errors[j] += n;
              phase_count_batch (sim, j, TRUE, (guint64) n);
            }
        }
      else
        {
          if (sim->cur_bucket >= 0)
            sim->buckets[sim->cur_bucket].async_errors += n;
          if (sim->cur_phase >= 0)
            sim->phases[sim->cur_phase].async_errors += n;
        }
    }
}

/* Moves @fi's times (and its chain's: the callers holding a slot for it,
 * the start of its root) by @by seconds; returns the root. */
static gint32
shift_chain (Sim *sim, gint32 fi, double by)
{
  sim->frames[fi].t_arrive += by;
  while (sim->frames[fi].parent >= 0)
    {
      fi = sim->frames[fi].parent;
      /* a caller holding its slot: when its service ended */
      if (sim->frames[fi].flags & F_HOLD)
        sim->frames[fi].t_arrive += by;
    }
  sim->frames[fi].t_start += by;
  if (sim->frames[fi].flags & F_BG)
    sim->frames[fi].flags |= F_MOVED;
  return fi;
}

/* Moves @fi's chain through a skip of @by seconds, as if the stretch had
 * not happened: its waits so far stay what they were.  A user request
 * that was given the wait of a fluid backlog's request first in, first
 * out (des_virtual_take) stands, after the skip, for one given it as the
 * skip ends: the wait grew by what that backlog's answered wait grew by
 * over the stretch (materialize_backlog's stations, skip_growth).
 * Moved without it, a request that took several windows to pass a
 * saturated callee's queue kept the wait of the window it started in:
 * rate-limit-counters' failure recorded waits of 4 s in its last windows
 * where a run without windows answers requests that waited 50 s. */
static void
skip_shift_chain (Sim *sim, gint32 fi, double by)
{
  gint32 root = shift_chain (sim, fi, by);

  if (sim->frames[root].backlog > 0)
    sim->frames[root].t_start -= sim->st[sim->frames[root].backlog - 1].skip_growth;
}

/* The wait of the request first in, first out answers at @t from @st's
 * virtual backlog (its first modelled instance's next place), NAN when
 * it has none. */
static double
answered_wait (const Sim *sim, const Station *st, double t)
{
  const Instance *in;
  guint knot = 0;

  if (st->k_active < 1 || st->prof_n < 2)
    return NAN;
  in = &st->inst[0];
  if ((double) in->v_pos >= in->v_total)
    return NAN;
  return t - profile_time (st, in, (double) in->v_pos, &knot);
}

/* A sample of the time @n waiting requests take to drain from an
 * instance of @st whose slots stay busy: mean n * v_gap; its departures
 * are about a renewal process with the service's variability, so the
 * time is about Gamma with shape n / scv (Marsaglia and Tsang; exact for
 * exponential service, constant for deterministic). */
static double
drain_time (Sim *sim, const Station *st, double n)
{
  double scv, a, d, c, boost = 1.0;

  if (n <= 0.0)
    return 0.0;
  scv = st->dist == AB_DIST_DETERMINISTIC ? 0.0
        : st->dist == AB_DIST_LOGNORMAL ? st->def->cv * st->def->cv : 1.0;
  if (scv <= 1e-12)
    return n * st->v_gap;
  a = n / scv;
  if (a < 1.0)
    {
      boost = pow (ab_rng_double_pos (&sim->rng), 1.0 / a);
      a += 1.0;
    }
  d = a - 1.0 / 3.0;
  c = 1.0 / sqrt (9.0 * d);
  for (;;)
    {
      double x = ab_rng_normal (&sim->rng), v = 1.0 + c * x, u;

      if (v <= 0.0)
        continue;
      v = v * v * v;
      u = ab_rng_double_pos (&sim->rng);
      if (u < 1.0 - 0.0331 * x * x * x * x || log (u) < 0.5 * x * x + d * (1.0 - v + log (v)))
        return boost * d * v * scv * st->v_gap;
    }
}

/* A free slot of @in, which has a virtual backlog: the waiting request
 * of the window (the ring's head) goes first, ahead of the backlog, its
 * wait counted as if behind it (docs/simulation.md, "The backlog between
 * windows"); without one, the head of the backlog becomes a request of
 * its own.  Virtual requests that waited past the timeout are dropped
 * first.  FALSE when no request started. */
gboolean
des_virtual_take (Sim *sim, Station *st, Instance *in)
{
  double u, t;
  int klass;
  guint8 flags;
  gint32 fi;
  gboolean labelled = FALSE;

  if (st->timeout_s > 0.0
      && virtual_time (st, in, (double) in->v_next) + in->v_jumped < sim->now - st->timeout_s)
    {
      gint64 late = virtual_before (st, in, sim->now - st->timeout_s - in->v_jumped);

      late = CLAMP (late, 1, in->n_virtual);
      des_virtual_fail (sim, st, late);
      in->v_next += late;
      in->v_pos += late;
      in->n_virtual -= late;
      st->queued_total -= late;
      if (in->n_virtual == 0)
        return FALSE;
    }
  if (in->len > 0)
    {
      /* served now in the place of the backlog, which the DES serves
       * while it waits: the same work in the same time, the queue as
       * long, and its wait the backlog's drain time longer */
      gint32 wi = ring_pop (in);
      gint32 root = wi;

      st->queued_total--;
      while (sim->frames[root].parent >= 0)
        root = sim->frames[root].parent;
      t = fifo_time (sim, st, in);
      if ((sim->frames[root].flags & F_USER) && !isnan (t))
        {
          shift_chain (sim, wi, t - sim->frames[wi].t_arrive);
          sim->frames[root].backlog = (guint16) (st - sim->st + 1);
        }
      else if (!(sim->frames[wi].flags & F_AHEAD))
        shift_chain (sim, wi, -drain_time (sim, st, (double) in->n_virtual));
      /* one kept through the skip (materialize_backlog) is ahead of the
       * backlog by right: first in, first out serves it now, with the
       * wait it has, and the backlog's requests are no later for it */
      if (!(sim->frames[wi].flags & F_AHEAD))
        in->v_jumped += st->v_gap;
      sim->frames[wi].flags &= (guint8) ~F_AHEAD;
      if (st->timeout_s > 0.0 && sim->now - sim->frames[wi].t_arrive > st->timeout_s)
        {
          g_array_append_val (sim->pending_fail, wi);
          return FALSE;
        }
      start_service (sim, st, in, wi);
      return TRUE;
    }
  /* no later than now: the window's requests served ahead of the
   * backlog move its arrival times later (v_jumped), past the present
   * for its newest requests when the window served more than they
   * waited (banking-transaction-db's ramp answered some in -0.2 ms) */
  t = MIN (virtual_time (st, in, (double) in->v_next) + in->v_jumped, sim->now);
  in->v_next++;
  in->n_virtual--;
  st->queued_total--;
  u = ab_rng_double (&sim->rng);
  if (u < st->mix[0] + st->mix[1])
    {
      klass = u < st->mix[0] ? AB_CLASS_READ : AB_CLASS_WRITE;
      flags = F_USER;
    }
  else if (u < st->mix[0] + st->mix[1] + st->mix[2] + st->mix[3])
    {
      klass = u < st->mix[0] + st->mix[1] + st->mix[2] ? AB_CLASS_READ : AB_CLASS_WRITE;
      flags = F_BG;
    }
  else
    {
      klass = ab_rng_double (&sim->rng) < st->mix[4] ? AB_CLASS_READ : AB_CLASS_WRITE;
      flags = F_PHANTOM;
    }
  {
    double ft = fifo_time (sim, st, in);

    if (flags == F_USER && !isnan (ft))
      {
        t = ft;
        labelled = TRUE;
      }
  }
  fi = frame_new_root (sim, klass, flags, (guint) (st - sim->st), t);
  if (fi < 0)
    return FALSE;
  if (labelled)
    sim->frames[fi].backlog = (guint16) (st - sim->st + 1);
  sim->frames[fi].instance = (guint8) (in - st->inst);
  sim->visits++;
  start_service (sim, st, in, fi);
  return TRUE;
}

/* Starts waiting requests in @in's free slots. */
static void
instance_fill (Sim *sim, Station *st, Instance *in)
{
  while (!st->infinite && in->busy < st->c && (in->n_virtual > 0 || in->len > 0))
    {
      gint32 wi;

      if (in->n_virtual > 0)
        {
          des_virtual_take (sim, st, in);
          continue;
        }
      wi = ring_pop (in);
      st->queued_total--;
      sim->frames[wi].flags &= (guint8) ~F_AHEAD;
      if (st->timeout_s > 0.0 && sim->now - sim->frames[wi].t_arrive > st->timeout_s)
        g_array_append_val (sim->pending_fail, wi);
      else
        start_service (sim, st, in, wi);
    }
}

/* ----------------------------------------------------------- the fluid -- */

/* The slot time of @klass at @st that the fluid model serves at: for a
 * blocking station, its service and the mean time of the last
 * HOLD_SAMPLES calls, rather than slot_s's mean over up to
 * HOLD_MEAN_SAMPLES calls since the last change of state.  That mean
 * lags by hundreds of calls, a few windows of a representative's, and
 * a pool whose first calls after a change of state were slow (a
 * callee's queue still draining) stayed slow in the fluid for as long:
 * rate-limit-counters' gateway, its cache back, kept its backlog
 * through the recovery, P50 4-7 s where a whole run reads 9.5 ms.  The
 * noise of a short mean moves the capacity of a pool that waits on a
 * callee near its capacity, which fluid_hold_pools takes as the
 * pool's bottleneck instead. */
static double
fluid_slot_s (const Station *st, int klass)
{
  if (st->blocking && st->hold_n[klass] > 0)
    {
      double sum = 0.0;

      for (guint i = 0; i < st->hold_n[klass]; i++)
        sum += st->hold_ring[klass][i];
      return st->svc_s[klass] + sum / st->hold_n[klass];
    }
  return slot_s (st, klass);
}

static double
fluid_work_s (const Sim *sim, const Station *st, int klass)
{
  return fluid_slot_s (st, klass) * ab_network_copies (sim->net, (int) (st - sim->st), klass, st->n_up);
}

/* Expected onward visits per served visit of every (station, class) under
 * the current up / down state, as in propagate(). */
static void
fluid_build_route (Sim *sim)
{
  guint nn = sim->n * AB_N_CLASSES, e = 0;

  des_update_chances (sim);

  for (guint i = 0; i < nn; i++)
    {
      const AbCallList *cl = &sim->net->calls[i];
      const Station *st = &sim->st[i / AB_N_CLASSES];
      double w = i % AB_N_CLASSES == AB_CLASS_READ ? 1.0 - st->def->hit_ratio : 1.0;

      sim->f_first[i] = e;
      for (guint j = 0; j < cl->n_calls; j++)
        {
          const AbCall *call = &cl->calls[j];
          int callee = resolve (sim, call->callee);
          double base = sim->lists[i].made[j];

          if (callee >= 0 && base * w > 0.0)
            {
              sim->f_to[e] = (guint) (callee * AB_N_CLASSES + call->as_class);
              sim->f_w[e] = w * base;
              e++;
            }
        }
    }
  sim->f_first[nn] = e;
  sim->f_dirty = FALSE;
}

/* Served rate of station @s's classes given arrivals @arr and its backlog:
 * the offered work shares the n_up * c slots.  Returns the served share. */
static double
fluid_station (Sim *sim, guint s, const double *arr, double dt, const double *held, double *served)
{
  const Station *st = &sim->st[s];
  double d[AB_N_CLASSES], work = 0.0, cap, phi;

  for (int c = 0; c < AB_N_CLASSES; c++)
    {
      /* a lost shard's requests fail on arrival: they never queue */
      d[c] = arr[s * AB_N_CLASSES + c] * st->shard_live + st->fq[c] / dt;
      if (!st->infinite && st->svc_s[c] > 0.0)
        work += d[c] * fluid_work_s (sim, st, c);
    }
  cap = (double) st->n_up * st->c;
  phi = st->infinite || work <= cap ? 1.0 : cap / work;
  if (held != NULL)
    phi *= held[s];
  for (int c = 0; c < AB_N_CLASSES; c++)
    served[s * AB_N_CLASSES + c] = st->state != ST_UP ? 0.0
                                   : st->infinite || st->svc_s[c] <= 0.0 ? d[c] : phi * d[c];
  return phi;
}

/* the load from which a station that only blocking pools call holds
 * them at what it serves and keeps its queue through a stretch
 * (fluid_hold_pools, des_skip_to) */
#define POOL_KEEP_RHO 0.97
/* A pool whose threads are all busy (it is over), with many more
 * threads than a callee has slots, runs that callee at its capacity
 * once it is the pool's bottleneck: the threads cycle through it, and
 * with N of them its queue takes all but the few elsewhere (the
 * asymptote of a closed network, reached when N is several times the
 * slots).  From this load under the pool's measured rate, and that
 * many threads per slot, the fluid takes the callee as the bottleneck
 * unless the threads are bound elsewhere (fluid_hold_pools). */
#define POOL_BOTTLENECK_RHO 0.5
#define POOL_MANY_THREADS 4.0

/* A blocking pool serves no faster than the callees its threads wait on
 * that have nowhere else to put what they cannot serve: a station that
 * only blocking pools call (pop_cap), with neither a timeout nor a queue
 * limit below their threads, holds their threads waiting when it is
 * offered more than its slots serve, and the pool completes only what
 * comes back.  @held: per station, the share of its own served rate a
 * pool keeps (1: not held), lowered by the callee's served share at the
 * arrivals of the last round of the fixed point, until the callee is
 * offered what it serves (docs/simulation.md, "The sample budget").
 * Without it, the pool's capacity is its threads over their measured
 * slot time alone, and right after a loss that is the slot time of the
 * first calls, made before the callee's queue had built: the fluid read
 * multi-tenant-saas's gateway losing its cache at 1.06 times its
 * capacity where it runs at 1.9. */
static void
fluid_hold_pools (Sim *sim, double dt, double *held)
{
  for (guint x = 0; x < sim->n; x++)
    {
      const Station *cx = &sim->st[x];
      double work = 0.0, count = 0.0, cap, phi, threads;

      if (cx->pop_cap == G_MAXINT64 || cx->state != ST_UP || cx->infinite || cx->n_up <= 0
          || cx->k_active <= 0)
        continue;
      /* the threads it may hold, over all its instances */
      threads = (double) cx->pop_cap * cx->n_up / cx->k_active;
      if (cx->def->queue_limit > 0 && (double) cx->def->queue_limit * cx->n_up < threads)
        continue;
      for (int c = 0; c < AB_N_CLASSES; c++)
        if (cx->svc_s[c] > 0.0)
          {
            double r = sim->f_arr[x * AB_N_CLASSES + c] * cx->shard_live;

            work += r * work_s (sim, cx, c);
            count += r;
          }
      cap = (double) cx->n_up * cx->c;
      if (work < POOL_BOTTLENECK_RHO * cap || work <= 0.0)
        continue;
      /* a timeout that lets fewer wait than the threads: those beyond it
       * fail and free their threads */
      if (cx->timeout_s > 0.0 && cx->timeout_s * cap * count / work < threads)
        continue;
      phi = cap / work;
      /* the blocking pools that call it wait with it */
      for (guint s = 0; s < sim->n; s++)
        {
          const Station *st = &sim->st[s];
          gboolean calls = FALSE;
          double own, pw = 0.0;

          if (!st->blocking || s == x || st->state != ST_UP || st->n_up <= 0)
            continue;
          for (guint e = sim->f_first[s * AB_N_CLASSES]; e < sim->f_first[(s + 1) * AB_N_CLASSES] && !calls; e++)
            calls = sim->f_to[e] / AB_N_CLASSES == x;
          if (!calls)
            continue;
          if (phi < 1.0)
            {
              held[s] *= phi;
              continue;
            }
          /* near its capacity under a pool that is itself over: it is
           * the pool's bottleneck unless the pool's threads, were they
           * not queued here, would still serve less than it does (their
           * other calls' time, a slow storage's, bounds them): the two
           * bounds of a closed network, its threads over their cycle
           * and the busiest station's capacity.  Its queue's wait per
           * call: what waits here over what it serves. */
          {
            double wq = (cx->fq[0] + cx->fq[1]) * work / MAX (count, 1e-300) / cap;
            double total = 0.0, free_work = 0.0, served = 0.0, thr;

            for (int c = 0; c < AB_N_CLASSES; c++)
              {
                guint i = s * AB_N_CLASSES + c;
                double d = sim->f_arr[i] * st->shard_live + st->fq[c] / dt, v = 0.0;

                if (st->svc_s[c] <= 0.0)
                  continue;
                for (guint e = sim->f_first[i]; e < sim->f_first[i + 1]; e++)
                  if (sim->f_to[e] / AB_N_CLASSES == x)
                    v += sim->f_w[e];
                pw += d * fluid_work_s (sim, st, c);
                free_work += d * MAX (st->svc_s[c], fluid_work_s (sim, st, c) - v * wq);
                total += d;
                served += sim->f_served[i];
              }
            own = pw > (double) st->n_up * st->c ? (double) st->n_up * st->c / pw : 1.0;
            if (own >= 1.0 || served <= 0.0 || threads < POOL_MANY_THREADS * cap)
              continue;
            /* what the threads would serve without this queue, against
             * what they serve now */
            thr = (double) st->n_up * st->c * total / MAX (free_work, 1e-300) / served;
            if (MIN (phi, thr) > 1.0)
              held[s] = MIN (held[s] * MIN (phi, thr), 1.0 / own);
          }
        }
    }
}

/* Advances the fluid model over [a, b] (no event inside): arrivals through
 * the network with every station passing on what it serves, backlogs,
 * losses, and what the bucket and the autoscaler see. */
static void
fluid_step (Sim *sim, double a, double b)
{
  guint nn = sim->n * AB_N_CLASSES;
  double dt = b - a, mult;
  BucketAcc *bk = sim->cur_bucket >= 0 ? &sim->buckets[sim->cur_bucket] : NULL;
  g_autofree double *held = g_new (double, MAX (sim->n, 1));

  if (dt <= 0.0)
    return;
  if (sim->f_dirty)
    fluid_build_route (sim);
  mult = des_multiplier_integral (sim->sc, a - sim->warmup, b - sim->warmup) / dt;
  memset (sim->f_src, 0, sizeof (double) * nn);
  for (int c = 0; c < AB_N_CLASSES; c++)
    {
      double total_share = 0.0;

      for (guint e = 0; e < sim->net->entries[c].n; e++)
        total_share += sim->net->entries[c].shares[e];
      for (guint e = 0; e < sim->net->entries[c].n; e++)
        {
          int s = resolve (sim, sim->net->entries[c].stations[e]);
          double share = total_share > 0.0 ? sim->net->entries[c].shares[e] / total_share
                                           : 1.0 / sim->net->entries[c].n;

          if (s >= 0)
            sim->f_src[s * AB_N_CLASSES + c] += mult * sim->net->rate[c] * share;
        }
    }
  for (guint s = 0; s < sim->n; s++)
    if (sim->st[s].state == ST_UP)
      for (int c = 0; c < AB_N_CLASSES; c++)
        sim->f_src[s * AB_N_CLASSES + c] += sim->net->stations[s].self_rate[c];

  /* arrivals = sources + what the callers serve, to a fixed point */
  for (guint s = 0; s < sim->n; s++)
    held[s] = 1.0;
  memcpy (sim->f_arr, sim->f_src, sizeof (double) * nn);
  for (int iter = 0; iter < 64; iter++)
    {
      double diff = 0.0, total = 0.0;

      fluid_hold_pools (sim, dt, held);

      for (guint s = 0; s < sim->n; s++)
        fluid_station (sim, s, sim->f_arr, dt, held, sim->f_served);
      memcpy (sim->f_next, sim->f_src, sizeof (double) * nn);
      for (guint i = 0; i < nn; i++)
        if (sim->f_served[i] > 0.0)
          for (guint e = sim->f_first[i]; e < sim->f_first[i + 1]; e++)
            sim->f_next[sim->f_to[e]] += sim->f_served[i] * sim->f_w[e];
      for (guint i = 0; i < nn; i++)
        {
          diff += fabs (sim->f_next[i] - sim->f_arr[i]);
          total += sim->f_next[i];
        }
      memcpy (sim->f_arr, sim->f_next, sizeof (double) * nn);
      if (diff <= 1e-9 * total)
        break;
    }

  if (bk != NULL)
    {
      bk->est_time += dt;
      bk->est_mult_time += mult * dt;
      if (bk->est == NULL)
        bk->est = g_new0 (Acc, sim->n);
    }
  for (guint s = 0; s < sim->n; s++)
    {
      Station *st = &sim->st[s];
      const double *served = &sim->f_served[s * AB_N_CLASSES];
      /* what queues here: a lost shard's requests fail on arrival */
      double arr[AB_N_CLASSES] = { sim->f_arr[s * AB_N_CLASSES] * st->shard_live,
                                   sim->f_arr[s * AB_N_CLASSES + 1] * st->shard_live };
      double q_old = st->fq[0] + st->fq[1], q_new = 0.0, qn[AB_N_CLASSES];
      double arr_tot = arr[0] + arr[1], served_tot = 0.0, busy = 0.0, offered_work = 0.0;
      double rejected = 0.0, balked = 0.0, cap_q, q_avg;

      fluid_station (sim, s, sim->f_arr, dt, held, sim->f_served);
      for (int c = 0; c < AB_N_CLASSES; c++)
        {
          gboolean queues = !st->infinite && st->svc_s[c] > 0.0 && st->state == ST_UP;

          qn[c] = queues ? MAX (0.0, arr[c] * dt + st->fq[c] - served[c] * dt) : 0.0;
          q_new += qn[c];
          served_tot += served[c];
          busy += served[c] * fluid_work_s (sim, st, c);
          if (queues)
            offered_work += arr[c] * fluid_work_s (sim, st, c);
        }
      if (!st->infinite && st->state == ST_UP && st->n_up > 0)
        {
          double rho = offered_work / ((double) st->n_up * st->c);

          st->f_rho = MAX (st->f_rho, rho);
          if (rho > 1.0 + 1e-9)
            st->f_over = TRUE;
        }
      /* a full queue rejects arrivals; a timeout drops the oldest */
      cap_q = st->def->queue_limit > 0 ? (double) st->def->queue_limit * st->n_up : INFINITY;
      if (q_new > cap_q)
        {
          rejected = q_new - cap_q;
          for (int c = 0; c < AB_N_CLASSES; c++)
            qn[c] *= cap_q / q_new;
          q_new = cap_q;
        }
      if (st->pop_cap < G_MAXINT64 && st->k_active > 0)
        {
          /* called by blocking pools only: no more waiting than their
           * threads leave (pop_caps in ab-des.c); the rest are not made */
          cap_q = MAX (0.0, (double) st->pop_cap * st->n_up / st->k_active - (double) st->n_up * st->c);
          if (q_new > cap_q)
            {
              for (int c = 0; c < AB_N_CLASSES; c++)
                qn[c] *= cap_q / q_new;
              q_new = cap_q;
            }
        }
      if (st->timeout_s > 0.0)
        {
          /* what waits at most the timeout, drained at the served rate
           * (arrivals beyond it wait longer and are dropped) */
          cap_q = served_tot * st->timeout_s;
          if (q_new > cap_q)
            {
              balked = q_new - cap_q;
              for (int c = 0; c < AB_N_CLASSES; c++)
                qn[c] = q_new > 0.0 ? qn[c] * cap_q / q_new : 0.0;
              q_new = cap_q;
            }
        }
      for (int c = 0; c < AB_N_CLASSES; c++)
        st->fq[c] = qn[c];
      if (st->n_up > 0)
        {
          /* what joined the backlog: not what a full queue rejected,
           * nor what would wait past the timeout (it does not stay in
           * the queue), so the backlog's arrival times (the profile,
           * materialize_backlog) reach back over the stretch as they
           * did: an overload's first seconds, when all of its arrivals
           * joined, and after it only what the station serves */
          FStep step = { a, dt, MAX (0.0, arr_tot * dt - rejected - balked) / st->n_up };

          g_array_append_val (st->f_steps, step);
        }
      q_avg = 0.5 * (q_old + q_new);
      if (bk != NULL)
        {
          Acc *acc = &bk->est[s];

          acc->a_busy += busy * dt;
          acc->a_cap += st->cap_slots * dt;
          acc->a_queue += q_avg * dt;
          acc->a_inst += st->n_up * dt;
          acc->w_comp += served_tot * dt;
          acc->sum_soj += (busy + q_avg) * dt;
          acc->n_soj += served_tot * dt;
        }
      st->as_busy += busy * dt;
      st->as_cap += st->cap_slots * dt;
      st->as_time += dt;
    }
}

static void
fluid_advance (Sim *sim, double t)
{
  /* steps of at most a bucket (bucket boundaries are events anyway) */
  while (sim->fluid_t < t - 1e-12)
    {
      double b = MIN (t, sim->fluid_t + MAX (sim->bucket_s, 1e-3));

      fluid_step (sim, sim->fluid_t, b);
      sim->fluid_t = b;
    }
  sim->fluid_t = MAX (sim->fluid_t, t);
}

/* Mean waiting requests of an M/M/c queue at utilisation @rho. */
static double
mmc_queue (int c, double rho)
{
  double a = c * rho, b = 1.0;

  if (c <= 0 || rho <= 0.0)
    return 0.0;
  rho = MIN (rho, 0.99);
  a = c * rho;
  for (int k = 1; k <= c; k++)
    b = a * b / (k + a * b);
  return c * b / (c - a * (1.0 - b)) * rho / (1.0 - rho);
}

/* A request taken as served during a skipped stretch: it and the callers
 * waiting for it go without a trace. */
static void
discard_chain (Sim *sim, gint32 fi)
{
  while (fi >= 0)
    {
      Frame *f = &sim->frames[fi];
      gint32 parent = f->parent;

      if (f->flags & F_HOLD)
        {
          /* its slot is free again (the queue behind it is being
           * rebuilt by the caller) */
          Station *st = &sim->st[f->station];
          Instance *in = &st->inst[f->instance];

          if (f->epoch == in->epoch)
            {
              station_touch (st, sim->now);
              in->busy--;
              st->busy_total--;
            }
        }
      if (parent < 0 && (f->flags & F_BG) && f->phase0 != PHASE_NONE)
        sim->bg_live--;
      frame_free (sim, fi);
      fi = parent;
    }
}

/* Seconds one instance of @st takes per waiting request: its mean slot
 * time at the current mix of arrivals over its slots. */
static double
drain_gap (Sim *sim, const Station *st)
{
  double work = 0.0, count = 0.0;

  for (int c = 0; c < AB_N_CLASSES; c++)
    {
      double rate = (sim->mult * st->load_user[c] + st->load_bg[c])
                    * ab_network_copies (sim->net, (int) (st - sim->st), c, st->n_up);

      work += rate * slot_s (st, c);
      count += rate;
    }
  if (count <= 0.0)
    return 0.5 * (slot_s (st, AB_CLASS_READ) + slot_s (st, AB_CLASS_WRITE)) / st->c;
  return work / count / st->c;
}

/* @count anonymous requests waiting at @in of @st, before any window's:
 * the stationary queue of an overloaded station with a queue limit
 * (docs/simulation.md, "Starting state"), as a virtual backlog that
 * arrived at the drain rate up to now, with no memory per request. */
void
des_virtual_start (Sim *sim, Station *st, Instance *in, gint64 count)
{
  double reads = 0.0, tot = 0.0, q = MAX (st->def->queue_limit, 1);

  if (count <= 0)
    return;
  st->v_gap = drain_gap (sim, st);
  if (st->prof_cap < 2)
    {
      st->prof_cap = 2;
      st->prof_x = g_renew (double, st->prof_x, st->prof_cap);
      st->prof_t = g_renew (double, st->prof_t, st->prof_cap);
    }
  st->prof_x[0] = 0.0;
  st->prof_t[0] = sim->now - q * st->v_gap;
  st->prof_x[1] = q;
  st->prof_t[1] = sim->now;
  st->prof_n = 2;
  st->prof_q = q;
  for (int c = 0; c < AB_N_CLASSES; c++)
    {
      double rate = sim->mult * st->load_user[c] + st->load_bg[c];

      tot += rate;
      if (c == AB_CLASS_READ)
        reads = rate;
    }
  memset (st->mix, 0, sizeof st->mix);
  st->mix[2 * AB_N_CLASSES] = tot > 0.0 ? reads / tot : 1.0;
  in->n_virtual = count;
  in->v_total = (double) count;
  in->v_next = 0;
  in->v_knot = 0;
  in->v_jumped = 0.0;
  in->v_pos = 0;
  in->v_pos_knot = 0;
  st->queued_total += count;
}

/* TRUE when a scenario event (a failure, a recovery) happens at @t, as
 * the window that starts there begins */
static gboolean
event_at_end (const Sim *sim, double t)
{
  for (guint e = 0; e < sim->sc->events->len; e++)
    if (fabs (sim->warmup + g_array_index (sim->sc->events, AbScenarioEvent, e).t_s - t) < 1e-9)
      return TRUE;
  return FALSE;
}

/* Whether the followed request @fi, the @j-th of its instance's queue at
 * the start of a stretch of @span seconds, waits through it (stays a
 * frame).  Background chains and phantoms are decided elsewhere (they
 * always stay, and always go); a user request stays unless it was kept
 * through an earlier skip already (F_AHEAD, at the head, ahead of the
 * backlog) and first in, first out starts within the stretch, the
 * instance starting one every v_gap: it is answered there, where
 * nothing is recorded.  Kept instead, at a station that starts a few
 * requests a window, such requests went ahead of every later window's
 * requests and were answered a few a window through the whole phase
 * with the wait they had when they began: rate-limit-counters' failure
 * answered its first window's requests, waits 0.4-1.7 s, in its last
 * windows, where a run without windows answers requests that waited
 * 50 s there.  One kept for the first time stays: it is answered at the
 * next window's start with the wait first in, first out gives it (and
 * counted there, as the requests a window serves are). */
static gboolean
waits_through (Sim *sim, const Station *st, gint32 fi, guint j, double span)
{
  gint32 root = fi;

  while (sim->frames[root].parent >= 0)
    root = sim->frames[root].parent;
  if (sim->frames[root].flags & F_PHANTOM)
    return FALSE;
  if (!(sim->frames[root].flags & F_USER) || !(sim->frames[fi].flags & F_AHEAD))
    return TRUE;
  return (double) j * st->v_gap >= span;
}

/* The fluid backlog of @st becomes its representatives' virtual queues:
 * their arrival times follow the accepted arrivals of the stretch, read
 * back from its end (before it, at the rate of its first step).  The
 * followed requests waiting at @t0 stay, at the head (but those
 * waits_through answers within the stretch): each keeps the wait it had
 * ahead of it then (the requests before it, at the drain rate), so a
 * request that arrived late in a window still counts its whole wait
 * (docs/simulation.md, "The backlog between windows"); the anonymous ones
 * go, the fluid counts them. */
static void
materialize_backlog (Sim *sim, Station *st, double t0, double t1)
{
  double q = (st->fq[0] + st->fq[1]) / st->n_up, need = q, mult, tot, tracked;
  GArray *steps = st->f_steps;
  guint n = 0, old_n = st->prof_n;
  /* the backlog made before the window that preceded the stretch, and
   * the share of it that the window answered, first in, first out: what
   * is left of it is the oldest part of this one */
  g_autofree double *old_x = old_n >= 2 ? g_memdup2 (st->prof_x, sizeof (double) * old_n) : NULL;
  g_autofree double *old_t = old_n >= 2 ? g_memdup2 (st->prof_t, sizeof (double) * old_n) : NULL;
  double old_q = st->prof_q, old_total = 0.0, old_done = 0.0;

  for (int i = 0; i < st->k_active; i++)
    {
      old_total += st->inst[i].v_total;
      old_done += MIN ((double) st->inst[i].v_pos, st->inst[i].v_total);
    }

  st->v_gap = drain_gap (sim, st);
  if (st->blocking && st->f_over && st->n_up > 0 && !event_at_end (sim, t1))
    {
      /* a pool the fluid held at what its callee serves
       * (fluid_hold_pools) drains its backlog at that rate, not at its
       * threads over the slot time measured so far */
      double served = 0.0;

      for (int c = 0; c < AB_N_CLASSES; c++)
        served += sim->f_served[(st - sim->st) * AB_N_CLASSES + c];
      if (served > 0.0)
        st->v_gap = MAX (st->v_gap, (double) st->n_up / served);
    }
  st->queued_total = 0;
  st->prof_n = 0;
  for (int i = 0; i < st->k_alloc; i++)
    {
      Instance *in = &st->inst[i];
      guint len = in->len, followed = 0, kept = 0;
      gint64 ahead = in->n_virtual, count = 0, left;

      if (i < st->k_active && q >= 1e-9)
        count = (gint64) floor (q + ab_rng_double (&sim->rng));
      for (guint j = 0; j < len; j++)
        if (waits_through (sim, st, in->ring[(in->head + j) & in->mask], j, t1 - t0))
          followed++;
      left = MAX (count - (gint64) followed, 0);
      for (guint j = 0; j < len; j++)
        {
          gint32 fi = ring_pop (in);

          if (waits_through (sim, st, fi, j, t1 - t0))
            {
              /* at t0, in arrival order, the j requests of the queue
               * before it were ahead of it, and the @ahead virtual ones
               * unless it is ahead of those by right (kept through an
               * earlier skip); now only the @kept followed ones are, and
               * it waits no more for the backlog, which it is ahead of
               * by right too (des_virtual_take): the rest drains in the
               * stretch.  Counting what the backlog would add when it
               * starts instead (the difference moved it later by the
               * fluid backlog's drain time, to be moved back when it
               * started) left it starting after it ended where the
               * backlog or the drain rate had changed since:
               * rate-limit-counters' recovery read a mean of -3.5 s */
              double d = (double) ((sim->frames[fi].flags & F_AHEAD) ? 0 : ahead)
                         + (double) j - (double) kept;

              in->ring[(in->head + in->len) & in->mask] = fi;
              in->len++;
              shift_chain (sim, fi, t1 - t0 - drain_time (sim, st, d));
              sim->frames[fi].flags |= F_AHEAD;
              kept++;
            }
          else
            discard_chain (sim, fi);
        }
      in->n_virtual = left;
      in->v_total = (double) count;
      in->v_next = count - left;
      in->v_knot = 0;
      in->v_pos = 0;
      in->v_pos_knot = 0;
      /* the kept ones are ahead of the backlog by right: served first,
       * they do not move its requests later */
      in->v_jumped = 0.0;
      st->queued_total += (gint64) in->len + in->n_virtual;
    }
  if (q < 1e-9)
    {
      for (int i = 0; i < st->k_active; i++)
        instance_fill (sim, st, &st->inst[i]);
      return;
    }

  /* what the waiting requests are */
  mult = ab_scenario_multiplier_at (sim->sc, t1 - sim->warmup);
  tot = 0.0;
  for (int c = 0; c < AB_N_CLASSES; c++)
    tot += mult * st->load_user[c] + st->load_bg[c];
  tracked = MIN (1.0, sim->f * st->n_up / MAX (st->k_active, 1));
  for (int c = 0; c < AB_N_CLASSES; c++)
    {
      st->mix[c] = tot > 0.0 ? tracked * mult * st->load_user[c] / tot : 0.0;
      st->mix[AB_N_CLASSES + c] = tot > 0.0 ? tracked * st->load_bg[c] / tot : 0.0;
    }
  st->mix[2 * AB_N_CLASSES] = tot > 0.0
                              ? (mult * st->load_user[0] + st->load_bg[0]) / tot : 1.0;

  /* the profile, from the end backwards: the stretch's arrivals, the
   * window's before them, what is left of the backlog before the window,
   * and before that the stretch's first rate */
  if (st->prof_cap < steps->len + old_n + 4)
    {
      st->prof_cap = steps->len + old_n + 4;
      st->prof_x = g_renew (double, st->prof_x, st->prof_cap);
      st->prof_t = g_renew (double, st->prof_t, st->prof_cap);
    }
  st->prof_x[n] = q;
  st->prof_t[n++] = t1;
  for (guint k = steps->len; k-- > 0 && need > 0.0;)
    {
      const FStep *sp = &g_array_index (steps, FStep, k);

      if (sp->accepted >= need)
        {
          st->prof_x[n] = 0.0;
          st->prof_t[n++] = sp->t + sp->dt * (1.0 - need / sp->accepted);
          need = 0.0;
        }
      else if (sp->accepted > 0.0)
        {
          need -= sp->accepted;
          st->prof_x[n] = need;
          st->prof_t[n++] = sp->t;
        }
    }
  if (need > 0.0)
    {
      const FStep *first = steps->len > 0 ? &g_array_index (steps, FStep, 0) : NULL;
      double rate = first != NULL && first->dt > 0.0 ? first->accepted / first->dt : 0.0;
      double t = t0;

      if (old_x != NULL && old_q > 1e-9 && old_total > 0.0 && old_t[old_n - 1] < t0 && rate > 0.0)
        {
          /* the window [made, t0], at the stretch's first rate (the load
           * at its end) */
          double made = old_t[old_n - 1], came = rate * (t0 - made);
          double left = old_q * (1.0 - old_done / old_total);

          if (came >= need)
            {
              t = t0 - need / rate;
              need = 0.0;
            }
          else
            {
              need -= came;
              t = made;
              st->prof_x[n] = need;
              st->prof_t[n++] = t;
            }
          /* the newest of the old backlog's requests not yet answered:
           * old index x becomes need - (old_q - x) */
          for (guint k = old_n - 1; k-- > 0 && need > 0.0 && left > 0.0;)
            {
              double span = old_q - old_x[k];

              if (span >= MIN (need, left))
                {
                  double want = old_q - MIN (need, left), dx = old_x[k + 1] - old_x[k];
                  double u = dx > 0.0 ? (want - old_x[k]) / dx : 0.0;

                  t = old_t[k] + CLAMP (u, 0.0, 1.0) * (old_t[k + 1] - old_t[k]);
                  need -= MIN (need, left);
                  left = 0.0;
                  st->prof_x[n] = need;
                  st->prof_t[n++] = t;
                }
              else
                {
                  t = old_t[k];
                  st->prof_x[n] = need - span;
                  st->prof_t[n++] = t;
                }
            }
        }
      if (need > 0.0)
        {
          st->prof_x[n] = 0.0;
          st->prof_t[n++] = rate > 0.0 ? t - need / rate : t;
        }
      else if (st->prof_x[n - 1] > 0.0)
        {
          st->prof_x[n] = 0.0;
          st->prof_t[n++] = t;
        }
    }
  if (n < 2)
    {
      st->prof_x[n] = 0.0;
      st->prof_t[n++] = t1;
    }
  for (guint i = 0; i < n / 2; i++)
    {
      double tx = st->prof_x[i], tt = st->prof_t[i];

      st->prof_x[i] = st->prof_x[n - 1 - i];
      st->prof_t[i] = st->prof_t[n - 1 - i];
      st->prof_x[n - 1 - i] = tx;
      st->prof_t[n - 1 - i] = tt;
    }
  st->prof_n = n;
  st->prof_q = q;

  for (int i = 0; i < st->k_active; i++)
    instance_fill (sim, st, &st->inst[i]);
}

static void
heapify (Sim *sim)
{
  for (guint i = sim->heap_n / 4 + 1; i-- > 0;)
    if (i < sim->heap_n)
      heap_sift_down (sim, i, sim->heap[i]);
}

/* Fast-forwards from now to @t1 (docs/simulation.md): frame events are held,
 * control events (buckets, phases, failover, scaling) happen in time with
 * the fluid model between them; then each station's queue is rebuilt and
 * the held requests resume as if no time had passed for them. */
void
des_skip_to (Sim *sim, double t1)
{
  double t0 = sim->now, by = t1 - t0;
  guint keep = 0;

  des_flush (sim);
  sim->skipping = TRUE;
  g_array_set_size (sim->parked, 0);
  for (guint i = 0; i < sim->heap_n; i++)
    {
      Event e = sim->heap[i];
      guint type = e.what >> EV_SHIFT;

      if (type == EV_ARRIVE || type == EV_DEPART || type == EV_RELEASE || type == EV_COMPL)
        g_array_append_val (sim->parked, e);
      else if (type != EV_GEN)
        sim->heap[keep++] = e;
    }
  sim->heap_n = keep;
  sim->top_pending = FALSE;
  heapify (sim);

  for (guint s = 0; s < sim->n; s++)
    {
      Station *st = &sim->st[s];
      double tot = 0.0, mult = ab_scenario_multiplier_at (sim->sc, t0 - sim->warmup);

      st->fq_start = st->queued_total * st->scale;
      if (st->pop_cap < G_MAXINT64 && st->k_active > 0)
        /* what the calling pools' threads leave (fluid_step): a window
         * may end a few followed requests over it */
        st->fq_start = MIN (st->fq_start, MAX (0.0, (double) st->pop_cap * st->n_up / st->k_active
                                                    - (double) st->n_up * st->c));
      for (int c = 0; c < AB_N_CLASSES; c++)
        tot += mult * st->load_user[c] + st->load_bg[c];
      for (int c = 0; c < AB_N_CLASSES; c++)
        st->fq[c] = tot > 0.0 ? st->fq_start * (mult * st->load_user[c] + st->load_bg[c]) / tot
                              : (c == AB_CLASS_READ ? st->fq_start : 0.0);
      st->f_over = FALSE;
      st->f_rho = 0.0;
      g_array_set_size (st->f_steps, 0);
      st->last_t = INFINITY;
    }
  sim->f_dirty = TRUE;
  sim->fluid_t = t0;

  while (sim->heap_n > 0 && sim->heap[0].t < t1)
    {
      Event ev = sim->heap[0];
      guint32 idx = ev.what & EV_INDEX_MASK;

      heap_drop_top (sim);
      fluid_advance (sim, ev.t);
      sim->now = ev.t;
      switch (ev.what >> EV_SHIFT)
        {
        case EV_BUCKET:
          des_on_bucket_boundary (sim, (int) idx - BUCKET_BIAS);
          break;
        case EV_PHASE:
          des_on_phase_boundary (sim, idx);
          break;
        case EV_SCENARIO:
          des_on_scenario_event (sim, idx);
          sim->f_dirty = TRUE;
          break;
        case EV_FAILOVER:
          if (sim->st[idx].state == ST_DOWN)
            {
              sim->st[idx].state = ST_FAILED_OVER;
              des_compute_loads (sim);
              des_update_rates (sim);
              sim->f_dirty = TRUE;
            }
          break;
        case EV_SCALE:
          {
            Station *st = &sim->st[idx];

            if (st->scale_pending && st->state == ST_UP)
              {
                st->n_up = st->scale_target;
                des_set_instances (sim, st, FALSE);
                des_update_rates (sim);
              }
            st->scale_pending = FALSE;
          }
          break;
        case EV_ARRIVE:
        case EV_DEPART:
        case EV_RELEASE:
        case EV_COMPL:
          g_array_append_val (sim->parked, ev);
          break;
        default:
          /* generators are re-armed at the end */
          break;
        }
    }
  fluid_advance (sim, t1);
  sim->now = t1;

  /* the stations whose backlog the fluid made first: what the wait of
   * the request first in, first out answers grew by over the stretch is
   * known before the others' requests are moved (skip_shift_chain) */
  for (guint s = 0; s < sim->n; s++)
    {
      Station *st = &sim->st[s];
      gboolean fluid = FALSE;

      if (st->state == ST_UP && !st->infinite && st->n_up > 0)
        {
          double bound = st->n_up * (4.0 * mmc_queue (st->c, st->f_rho) + 2.0 * st->c);

          /* a station that only blocking pools call keeps its queue
           * from POOL_KEEP_RHO of its capacity on: it is their threads
           * waiting, as many as the pools leave it (fluid_hold_pools
           * holds the pools at what it serves); a
           * backlog the fluid drained at a rate a little under its
           * capacity would empty it, one built a little over would
           * stand beside the threads' own (a virtual backlog does not
           * count against pop_cap), and the pools' slot times measured
           * in the next window would swing with it */
          fluid = (st->f_over || st->fq_start > bound)
                  && (st->pop_cap == G_MAXINT64 || st->f_rho < POOL_KEEP_RHO);
        }
      st->f_fluid = fluid;
      st->skip_growth = 0.0;
      if (fluid)
        {
          double w0 = answered_wait (sim, st, t0);

          materialize_backlog (sim, st, t0, t1);
          if (!isnan (w0))
            {
              double w1 = answered_wait (sim, st, t1);

              st->skip_growth = isnan (w1) ? 0.0 : w1 - w0;
            }
        }
    }
  for (guint s = 0; s < sim->n; s++)
    {
      Station *st = &sim->st[s];

      if (!st->f_fluid)
        {
          for (int i = 0; i < st->k_alloc; i++)
            {
              Instance *in = &st->inst[i];

              for (guint j = 0; j < in->len; j++)
                skip_shift_chain (sim, in->ring[(in->head + j) & in->mask], by);
            }
          for (guint k = 0; k < st->prof_n; k++)
            st->prof_t[k] += by;
        }
      des_pool_shift (sim, st, by, skip_shift_chain);
      st->last_t = t1;
      memset (&st->seg, 0, sizeof st->seg);
    }
  for (guint i = 0; i < sim->parked->len; i++)
    {
      Event e = g_array_index (sim->parked, Event, i);

      /* the complement's anonymous visits are no frames yet */
      if ((e.what >> EV_SHIFT) != EV_COMPL)
        skip_shift_chain (sim, (gint32) (e.what & EV_INDEX_MASK), by);
      heap_push (sim, e.t + by, e.what);
    }
  /* the generators afresh, with the requests not followed of a
   * systematic sample from the window's start on */
  sim->skipping = FALSE;
  for (guint g = 0; g < sim->n_gens; g++)
    {
      Gen *gen = &sim->gens[g];

      if (gen->rate > 0.0)
        des_gen_arm (sim, g, t1);
      else
        gen->next_t = INFINITY;
    }
  /* a phase's batches count simulated time */
  sim->skipped += by;
  if (sim->cur_phase >= 0)
    {
      sim->phase_t0 = sim->phase_t0 >= t0 ? t1 : sim->phase_t0 + by;
      sim->phases[sim->cur_phase].u0 = sim->phase_t0 - sim->skipped;
    }
  sim->last_flush = t1;
  des_drain_pending_failures (sim);
}

/* ------------------------------------------- the lag in skipped buckets -- */

/* Marks the stations where background work waits and a backlog may grow
 * without a limit: the callees of asynchronous calls and stations with
 * work of their own, and their synchronous callees, that have slots and
 * no queue limit. */
void
des_background_stations (Sim *sim)
{
  g_autofree gboolean *seen = g_new0 (gboolean, MAX (sim->n, 1));
  g_autofree guint *stack = g_new (guint, (gsize) MAX (sim->n, 1));
  guint top = 0;

  if (sim->bg_open != NULL)
    return;
  sim->bg_open = g_new0 (gboolean, MAX (sim->n, 1));
  for (guint s = 0; s < sim->n; s++)
    for (int k = 0; k < AB_N_CLASSES; k++)
      {
        const AbCallList *cl = &sim->net->calls[s * AB_N_CLASSES + k];

        if (sim->net->stations[s].self_rate[k] > 0.0 && !seen[s])
          {
            seen[s] = TRUE;
            stack[top++] = s;
          }
        for (guint j = 0; j < cl->n_calls; j++)
          if (cl->calls[j].async && cl->calls[j].callee >= 0 && !seen[cl->calls[j].callee])
            {
              seen[cl->calls[j].callee] = TRUE;
              stack[top++] = (guint) cl->calls[j].callee;
            }
      }
  while (top > 0)
    {
      guint s = stack[--top];

      for (int k = 0; k < AB_N_CLASSES; k++)
        {
          const AbCallList *cl = &sim->net->calls[s * AB_N_CLASSES + k];

          for (guint j = 0; j < cl->n_calls; j++)
            if (!cl->calls[j].async && cl->calls[j].callee >= 0 && !seen[cl->calls[j].callee])
              {
                seen[cl->calls[j].callee] = TRUE;
                stack[top++] = (guint) cl->calls[j].callee;
              }
        }
    }
  for (guint s = 0; s < sim->n; s++)
    sim->bg_open[s] = seen[s] && !sim->st[s].infinite && sim->st[s].def->queue_limit <= 0;
}

/* What background work waits behind a backlog in @bucket (ms): at the
 * station of sim->bg_open where it is longest, the requests waiting over
 * what it serves a second, where the station is saturated (a backlog;
 * else its waits are the stationary ones the simulated buckets show). */
double
des_backlog_wait_ms (const Sim *sim, const AbDesBucket *bucket)
{
  double w = 0.0;

  if (sim->bg_open == NULL || bucket->stations == NULL)
    return 0.0;
  for (guint s = 0; s < sim->n && s < bucket->n_stations; s++)
    {
      const AbDesStationStats *st = &bucket->stations[s];

      if (sim->bg_open[s] && st->utilization >= 0.99 && st->served_rps > 0.0)
        w = MAX (w, 1000.0 * st->queue_length / st->served_rps);
    }
  return w;
}
