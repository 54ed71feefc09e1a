/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Least connections as one pool (docs/simulation.md, "Representative
 * instances"): a least-connections balancer holds a request while every
 * slot of every instance is busy and hands it to the first slot that
 * frees, so the n instances of c slots are one first-come-first-served
 * queue of n * c slots.
 *
 * The DES follows k <= n of the instances (the representatives).  The
 * other n - k instances' requests are a count, p_out (in service and
 * waiting), a birth-death process advanced lazily to each event of the
 * station: arrivals at their share of the station's rate, departures at
 * the mean slot time's rate from each of their requests in service.  The
 * pool as a whole holds N = p_out + the representatives' requests
 * (busy_total + queued_total): a request that arrives when N < n * c
 * starts at once (on a representative, which may then hold more than its
 * c: it took a slot elsewhere, and in return the others' requests fill
 * the representatives' slots when those free), else it waits with a
 * ticket — the number of pool departures, counted in p_served, after
 * which it is first in line.  While a followed request waits, the other
 * instances' departures are events (EV_POOL) rather than lazy steps, so
 * a waiting request starts when its turn comes.  With k = n there is no
 * count and the pool is the representatives' own slots, for any service
 * distribution; otherwise the other instances' departures are taken as
 * exponential (for many slots their superposition is close to Poisson
 * whatever the service). */
#include "config.h"

#include "ab-des-private.h"
#include "ab-network.h"
#include "ab-model.h"

/* a lazy step longer than this many relaxation times redraws p_out from
 * the stationary pool instead of stepping through it */
#define POOL_HORIZON 20.0

static double
pool_poisson (Sim *sim, double mean)
{
  if (mean <= 0.0)
    return 0.0;
  if (mean > 30.0)
    return MAX (0.0, floor (mean + sqrt (mean) * ab_rng_normal (&sim->rng) + 0.5));
  else
    {
      double l = exp (-mean), p = 1.0;
      double k = 0.0;

      for (;;)
        {
          p *= ab_rng_double (&sim->rng);
          if (p <= l)
            return k;
          k += 1.0;
        }
    }
}

static gint64
pool_binomial (Sim *sim, gint64 n, double p)
{
  double var = n * p * (1.0 - p);

  if (n <= 0 || p <= 0.0)
    return 0;
  if (p >= 1.0)
    return n;
  if (n <= 64)
    {
      gint64 k = 0;

      for (gint64 i = 0; i < n; i++)
        k += ab_rng_double (&sim->rng) < p;
      return k;
    }
  if (var > 30.0)
    return CLAMP ((gint64) floor (n * p + sqrt (var) * ab_rng_normal (&sim->rng) + 0.5), 0, n);
  if (p < 0.5)
    return MIN (n, (gint64) pool_poisson (sim, n * p));
  return n - MIN (n, (gint64) pool_poisson (sim, n * (1.0 - p)));
}

/* the requests of the pool in service outside the representatives */
static inline gint64
out_busy (const Station *st, gint64 n_pool)
{
  gint64 b = MIN (n_pool, st->p_m) - st->busy_total;

  return CLAMP (b, 0, st->p_out);
}

static inline gint64
pool_count (const Station *st)
{
  return st->p_out + st->busy_total + st->queued_total;
}

/* A draw of the whole pool's number in system (M/M/(n c) at its load),
 * less what the representatives hold. */
static void
pool_redraw (Sim *sim, Station *st)
{
  double a = st->p_lambda_all / st->p_mu;

  st->p_out = 0;
  if (st->p_lambda <= 0.0 || a <= 0.0)
    return;
  if (a < st->p_m)
    {
      double rho = a / st->p_m;
      gint64 n;

      if (ab_rng_double (&sim->rng) < ab_erlang_c ((int) st->p_m, a))
        n = st->p_m + (gint64) floor (log (1.0 - ab_rng_double (&sim->rng)) / log (rho));
      else
        {
          /* below the slots: close to Poisson(a) cut at p_m - 1 */
          do
            n = (gint64) pool_poisson (sim, a);
          while (n >= st->p_m);
        }
      if (st->p_limit > 0)
        n = MIN (n, st->p_m + st->p_limit);
      st->p_out = MAX (0, n - st->busy_total - st->queued_total);
    }
}

/* Advances the others' count from p_t to @t, the representatives'
 * requests held as they are. */
static void
pool_advance (Sim *sim, Station *st, double t)
{
  double dt = t - st->p_t, mu = st->p_mu, lam = st->p_lambda, a_all, horizon, rho;
  double clock = 0.0;

  if (!(dt > 0.0))
    return;
  st->p_t = t;
  if (lam <= 0.0 && st->p_out == 0)
    return;
  if (st->pq_len > 0)
    {
      /* a followed request waits, so the pool is full: the others'
       * departures are events (EV_POOL); their arrivals only join */
      st->p_out += (gint64) pool_poisson (sim, lam * dt);
      if (st->p_limit > 0)
        st->p_out = MIN (st->p_out, MAX (0, st->p_m + st->p_limit - st->busy_total - st->queued_total));
      return;
    }
  a_all = st->p_lambda_all / mu;
  rho = a_all / st->p_m;
  horizon = POOL_HORIZON / mu;
  if (rho < 1.0)
    horizon *= MAX (1.0, 1.0 / (st->p_m * (1.0 - sqrt (rho)) * (1.0 - sqrt (rho))));
  if (dt > horizon && rho < 1.0)
    {
      pool_redraw (sim, st);
      return;
    }
  /* far below the slots no one waits: the others are an M/M/infinity,
   * whose count after dt is known */
  {
    gint64 r = st->busy_total + st->queued_total;
    double margin = 6.0 * sqrt (MAX (a_all, 1.0));

    if (st->queued_total == 0 && a_all + margin < st->p_m
        && st->p_out + r + margin < st->p_m)
      {
        double keep = exp (-mu * dt);

        st->p_out = pool_binomial (sim, st->p_out, keep)
                    + (gint64) pool_poisson (sim, lam / mu * (1.0 - keep));
        return;
      }
  }
  for (;;)
    {
      gint64 n = pool_count (st);
      double death = mu * out_busy (st, n);
      double birth = (st->p_limit > 0 && n - st->p_m >= st->p_limit) ? 0.0 : lam;
      double rate = birth + death;

      if (rate <= 0.0)
        break;
      clock += ab_rng_exp1 (&sim->rng, sim->zig) / rate;
      if (clock > dt)
        break;
      if (ab_rng_double (&sim->rng) * rate < birth)
        st->p_out++;
      else
        {
          st->p_out--;
          if (n > st->p_m)
            st->p_served++;
        }
    }
}

/* the representative with the fewest requests in service (ties: the
 * next in turn) */
static Instance *
least_busy (Station *st, guint *index)
{
  guint k = (guint) st->k_active, start = st->rr % k, best_i = start;
  gint64 best = G_MAXINT64;

  for (guint j = 0; j < k; j++)
    {
      guint i = start + j < k ? start + j : start + j - k;
      gint64 load = st->inst[i].busy + (gint64) st->inst[i].len + st->inst[i].n_virtual;

      if (load < best)
        {
          best = load;
          best_i = i;
        }
    }
  st->rr = start + 1;
  *index = best_i;
  return &st->inst[best_i];
}

static void
pq_push (Station *st, gint32 fi, gint64 ticket)
{
  if (st->pq_len == st->pq_cap)
    {
      guint cap = st->pq_cap == 0 ? 16 : st->pq_cap * 2;
      gint32 *f = g_new (gint32, cap);
      gint64 *tk = g_new (gint64, cap);

      for (guint i = 0; i < st->pq_len; i++)
        {
          f[i] = st->pq_frame[(st->pq_head + i) % st->pq_cap];
          tk[i] = st->pq_ticket[(st->pq_head + i) % st->pq_cap];
        }
      g_free (st->pq_frame);
      g_free (st->pq_ticket);
      st->pq_frame = f;
      st->pq_ticket = tk;
      st->pq_head = 0;
      st->pq_cap = cap;
    }
  st->pq_frame[(st->pq_head + st->pq_len) % st->pq_cap] = fi;
  st->pq_ticket[(st->pq_head + st->pq_len) % st->pq_cap] = ticket;
  st->pq_len++;
}

static gint32
pq_pop (Station *st)
{
  gint32 fi = st->pq_frame[st->pq_head];

  st->pq_head = (st->pq_head + 1) % st->pq_cap;
  st->pq_len--;
  return fi;
}

/* While a followed request waits, the next departure outside the
 * representatives is an event. */
static void
pool_arm (Sim *sim, Station *st)
{
  double rate;

  if (st->pq_len == 0 || st->p_next > sim->now)
    return;
  /* at the rate of a full pool, thinned when the event comes (the
   * others' requests in service change meanwhile) */
  rate = st->p_mu * st->p_m;
  st->p_next = sim->now + ab_rng_exp1 (&sim->rng, sim->zig) / rate;
  heap_push (sim, st->p_next, EV_PACK (EV_POOL, (guint) (st - sim->st)));
}

/* A slot of the pool freed (a departure that left requests waiting):
 * the next in line starts.  When that is a followed request, on @in (or
 * the least busy representative); requests that waited past the timeout
 * fail (pending) and the slot goes on. */
static void
pool_next (Sim *sim, Station *st, Instance *in)
{
  if (in == NULL && st->k_active <= 0)
    return;
  while (st->pq_len > 0 && st->pq_ticket[st->pq_head] <= st->p_served)
    {
      gint32 fi = pq_pop (st);
      guint ii;

      st->queued_total--;
      if (st->timeout_s > 0.0 && sim->now - sim->frames[fi].t_arrive > st->timeout_s)
        {
          if (!(sim->frames[fi].flags & F_PHANTOM))
            st->pass_lost[sim->frames[fi].klass]++;
          g_array_append_val (sim->pending_fail, fi);
          /* its slot goes to the next in line */
          st->p_served++;
          continue;
        }
      if (in == NULL)
        in = least_busy (st, &ii);
      else
        ii = (guint) (in - st->inst);
      sim->frames[fi].instance = (guint8) ii;
      start_service (sim, st, in, fi);
      break;
    }
}

/* Whether @st runs as one pool: least connections over slots, up and
 * below its capacity (an overloaded one keeps its representatives' own
 * queues, which the fluid model of a windowed run fills). */
void
des_pool_rates (Sim *sim, Station *st)
{
  double work = 0.0, count = 0.0;
  int s = (int) (st - sim->st);

  st->pooled = FALSE;
  if (st->balance != AB_BALANCE_LEAST_CONNECTIONS || st->infinite || st->c <= 0
      || st->state != ST_UP || st->n_up <= 0 || st->k_active <= 0)
    return;
  for (int c = 0; c < AB_N_CLASSES; c++)
    {
      double rate = (sim->mult * st->anon_user[c] + st->anon_bg[c])
                    * ab_network_copies (sim->net, s, c, st->n_up) * st->shard_live;

      if (st->svc_s[c] <= 0.0)
        continue;
      work += rate * slot_s (st, c);
      count += rate;
    }
  st->p_m = (gint64) st->n_up * st->c;
  st->p_limit = st->def->queue_limit > 0 ? (gint64) st->n_up * st->def->queue_limit : 0;
  st->p_mu = count > 0.0 && work > 0.0 ? count / work
             : 2.0 / (slot_s (st, AB_CLASS_READ) + slot_s (st, AB_CLASS_WRITE));
  st->p_lambda_all = count;
  st->p_lambda = count * (st->n_up - st->k_active) / st->n_up;
  if (!(st->p_mu > 0.0) || !isfinite (st->p_mu) || work >= 0.999 * st->p_m)
    return;
  st->pooled = TRUE;
  if (st->p_lambda <= 0.0)
    st->p_out = 0;
}

/* A request arrives at a pooled station: it starts at once while the
 * pool has a free slot, else it waits for its turn.  FALSE: the pool's
 * queue is full (the caller fails it). */
gboolean
des_pool_arrive (Sim *sim, Station *st, gint32 fi)
{
  Frame *f = &sim->frames[fi];
  gint64 n;
  guint ii;
  Instance *in;

  pool_advance (sim, st, sim->now);
  n = pool_count (st);
  in = least_busy (st, &ii);
  f->instance = (guint8) ii;
  station_touch (st, sim->now);
  if (n < st->p_m)
    {
      start_service (sim, st, in, fi);
      return TRUE;
    }
  if (st->p_limit > 0 && n - st->p_m >= st->p_limit)
    return FALSE;
  pq_push (st, fi, st->p_served + (n - st->p_m) + 1);
  st->queued_total++;
  pool_arm (sim, st);
  return TRUE;
}

/* The others' count brought up to now, before a representative's
 * request leaves (slot_free in ab-des.c). */
void
des_pool_sync (Sim *sim, Station *st)
{
  pool_advance (sim, st, sim->now);
}

/* A representative's slot freed at a pooled station (its own queue
 * empty, slot_free in ab-des.c): when requests wait in the pool, the
 * next in line takes it. */
void
des_pool_free (Sim *sim, Station *st, Instance *in)
{
  pool_advance (sim, st, sim->now);
  if (pool_count (st) >= st->p_m)
    {
      st->p_served++;
      pool_next (sim, st, in);
    }
  pool_arm (sim, st);
}

/* EV_POOL: a request in service outside the representatives is done */
void
des_pool_event (Sim *sim, guint s, double t)
{
  Station *st = &sim->st[s];
  gint64 n;

  if (t != st->p_next || st->k_active <= 0)
    return;
  st->p_next = -INFINITY;
  pool_advance (sim, st, sim->now);
  n = pool_count (st);
  if (ab_rng_double (&sim->rng) * st->p_m < out_busy (st, n))
    {
      station_touch (st, sim->now);
      st->p_out--;
      if (n > st->p_m)
        {
          st->p_served++;
          pool_next (sim, st, NULL);
        }
    }
  pool_arm (sim, st);
  des_drain_pending_failures (sim);
}

/* The pool's starting state: a draw of its stationary number in system,
 * held by the others (the representatives take their share within a
 * service time). */
void
des_pool_stationary (Sim *sim, Station *st)
{
  st->p_t = sim->now;
  pool_redraw (sim, st);
}

/* A lost station: the requests waiting in its pool fail (pending). */
void
des_pool_flush (Sim *sim, Station *st)
{
  while (st->pq_len > 0)
    {
      gint32 fi = pq_pop (st);

      st->queued_total--;
      g_array_append_val (sim->pending_fail, fi);
    }
  st->p_out = 0;
}

void
des_pool_reset (Station *st)
{
  st->pq_len = 0;
  st->pq_head = 0;
  st->p_out = 0;
  st->p_served = 0;
  st->p_t = 0.0;
  st->p_next = -INFINITY;
}

/* A windowed run's skipped stretch of @by seconds: the pool's waiting
 * requests keep their place (as every station that the fluid model
 * does not refill keeps its queue). */
void
des_pool_shift (Sim *sim, Station *st, double by, void (*shift) (Sim *, gint32, double))
{
  for (guint i = 0; i < st->pq_len; i++)
    shift (sim, st->pq_frame[(st->pq_head + i) % st->pq_cap], by);
  st->p_t += by;
  st->p_next = -INFINITY;
}
