/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The discrete-event simulation: the chance of each call under the
 * current up / down state, the loads routed through the network (and the
 * threads an anonymous visit finds taken), the instances lost and
 * recovered, and what changes at a bucket's, a phase's and a scenario
 * event's boundary. */
#define G_LOG_DOMAIN "archboard-des"

#include "config.h"

#include "ab-des-private.h"
#include "ab-model.h"

/* ------------------------------------------------------------ stations -- */

static void
foreach_group (const AbCallList *cl,
               const gboolean   *parents,
               void            (*fn) (AbCallGroupIter *it, gpointer data),
               gpointer          data)
{
  des_foreach_item (cl, parents, TRUE, fn, data);
}

static gboolean
des_live (gconstpointer data, int station)
{
  return resolve (data, station) >= 0;
}

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
void
des_anon_loads (Sim *sim)
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
  des_anon_loads (sim);
  return TRUE;
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

/* ---------------------------------------------------------- boundaries -- */

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

/* The up / down state changed: the pools' calls take another time from
 * now on, so their mean slot times start again from the calls made from
 * now on (hold_end; not from those still answering from before). */
void
des_hold_restart (Sim *sim)
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
      moved |= des_pass_update (&sim->st[s]);
  if (moved)
    des_anon_loads (sim);
  /* an estimated bucket waits for the next simulated one (interpolation) */
  if (finished >= 0 && sim->rep == 0 && sim->cfg->on_bucket != NULL &&
      sim->buckets[finished].time > 0.0)
    des_emit_buckets (sim, (guint) finished);
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
  des_hold_restart (sim);
  des_compute_loads (sim);
  des_update_rates (sim);
  des_drain_pending_failures (sim);
  if (i + 1 < sim->sc->events->len)
    heap_push (sim, sim->warmup + g_array_index (sim->sc->events, AbScenarioEvent, i + 1).t_s,
               EV_PACK (EV_SCENARIO, i + 1));
}
