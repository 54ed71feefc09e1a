/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The analytical model over a scenario: the backlog of each queue
 * without a limit along the timeline (the fluid walk of
 * ab_model_backlog_at) and the waits behind a backlog as it drains
 * (ab_model_backlog_waits). */
#define G_LOG_DOMAIN "archboard-model"

#include "config.h"

#include "ab-model-private.h"

/* ---- the backlog of a queue without a limit over a scenario ---- */

/* steps along a ramp (its rates are linear in between) */
#define BACKLOG_RAMP_STEPS 32

/* The backlog over @d seconds from @b per station, the growth rates
 * going linearly from @r0 to @r1 (equal: constant), never below 0. */
static void
backlog_advance (double       *b,
                 const double *r0,
                 const double *r1,
                 const double *mx,
                 guint         n,
                 double        d)
{
  for (guint x = 0; x < n; x++)
    {
      if (r0[x] == r1[x])
        {
          b[x] = CLAMP (b[x] + r0[x] * d, 0.0, mx[x]);
          continue;
        }
      for (int j = 0; j < BACKLOG_RAMP_STEPS; j++)
        {
          double f = (j + 0.5) / BACKLOG_RAMP_STEPS;

          b[x] = CLAMP (b[x] + (r0[x] + (r1[x] - r0[x]) * f) * d / BACKLOG_RAMP_STEPS, 0.0, mx[x]);
        }
    }
}

/* the growth rates of @res, and the most each station holds (@mx: the
 * least of what it held so far in the stretch and @res's) */
static void
backlog_rates (const AbModelResult *res,
               guint                n,
               double              *r,
               double              *mx)
{
  for (guint x = 0; x < n; x++)
    {
      r[x] = x < res->n_stations ? res->stations[x].backlog_rps : 0.0;
      mx[x] = MIN (mx[x], x < res->n_stations && r[x] != 0.0 ? res->stations[x].backlog_max : 0.0);
    }
}

gboolean
ab_model_backlog_at (const AbScenario *scenario,
                     double            t_s,
                     AbModelAtFunc     at,
                     gpointer          data,
                     guint             n_stations,
                     double           *backlog)
{
  g_autofree double *r0 = NULL, *r1 = NULL, *mx = NULL;
  gboolean any = FALSE;
  double t0 = 0.0;

  g_return_val_if_fail (scenario != NULL && at != NULL, FALSE);

  memset (backlog, 0, sizeof (double) * n_stations);
  if (n_stations == 0 || scenario->phases->len == 0)
    return FALSE;
  r0 = g_new (double, n_stations);
  r1 = g_new (double, n_stations);
  mx = g_new (double, n_stations);

  /* the warm-up, at the first phase's start (the DES starts a queue
   * without a limit empty) */
  if (scenario->warmup_s > 0.0)
    {
      const AbPhase *first = &g_array_index (scenario->phases, AbPhase, 0);

      for (guint x = 0; x < n_stations; x++)
        mx[x] = INFINITY;
      backlog_rates (at (data, 0.0, first->mult_start), n_stations, r0, mx);
      backlog_advance (backlog, r0, r0, mx, n_stations, MIN (scenario->warmup_s, t_s + scenario->warmup_s));
    }
  for (guint i = 0; i < scenario->phases->len && t0 < t_s; i++)
    {
      const AbPhase *ph = &g_array_index (scenario->phases, AbPhase, i);
      double a = t0, end = t0 + ph->duration_s;

      /* pieces of one state: split at the events inside the phase */
      while (a < end - 1e-9 && a < t_s)
        {
          double b = end, mid, ma, mb;

          for (guint e = 0; scenario->events != NULL && e < scenario->events->len; e++)
            {
              double te = g_array_index (scenario->events, AbScenarioEvent, e).t_s;

              if (te > a + 1e-9 && te < b)
                b = te;
            }
          mid = 0.5 * (a + b);
          ma = ph->mult_start + (ph->mult_end - ph->mult_start) * (a - t0) / ph->duration_s;
          mb = ph->mult_start + (ph->mult_end - ph->mult_start) * (b - t0) / ph->duration_s;
          for (guint x = 0; x < n_stations; x++)
            mx[x] = INFINITY;
          backlog_rates (at (data, mid, ma), n_stations, r0, mx);
          if (ma != mb)
            backlog_rates (at (data, mid, mb), n_stations, r1, mx);
          else
            memcpy (r1, r0, sizeof (double) * n_stations);
          if (b > t_s)
            {
              /* up to @t_s only: the ramp's rates there */
              double f = (t_s - a) / (b - a);

              for (guint x = 0; x < n_stations; x++)
                r1[x] = r0[x] + (r1[x] - r0[x]) * f;
              b = t_s;
            }
          backlog_advance (backlog, r0, r1, mx, n_stations, b - a);
          a = b;
        }
      t0 = end;
    }
  for (guint x = 0; x < n_stations; x++)
    any |= backlog[x] > 0.0;
  return any;
}

/* ---- waits behind a draining backlog ---- */

/* One stretch of constant rates in the fluid walk: from @t, per station
 * the arrivals a second, the capacity, and (at its start) the
 * arrivals so far and the backlog. */
typedef struct {
  double  t;
  double *lam, *cap, *a, *b;
  double *pat;   /* the patience, s (INFINITY: none) */
} DrainStep;

static double
drain_backlog (const DrainStep *st,
               int              x,
               double           t)
{
  return MAX (st->b[x] + (st->lam[x] - st->cap[x]) * (t - st->t), 0.0);
}

/* the step that holds time @t (the last one from its end on) */
static guint
drain_step_at (const DrainStep *steps,
               guint            n_steps,
               double           t)
{
  guint lo = 0, hi = n_steps;

  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;

      if (steps[mid].t <= t)
        lo = mid;
      else
        hi = mid;
    }
  return lo;
}

/* First in, first out: the wait of the request station @x answers at
 * @t, t - a with A(t) - A(a) = B(t); 0 without a backlog */
static double
drain_wait (const DrainStep *steps,
            guint            n_steps,
            int              x,
            double           t)
{
  const DrainStep *st = &steps[drain_step_at (steps, n_steps, t)];
  double b = drain_backlog (st, x, t), target;
  guint lo = 0, hi;

  if (!(b > 0.0))
    return 0.0;
  target = st->a[x] + st->lam[x] * (t - st->t) - b;
  /* the last step whose start has no more arrivals than the target */
  hi = (guint) (st - steps) + 1;
  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;

      if (steps[mid].a[x] <= target)
        lo = mid;
      else
        hi = mid;
    }
  st = &steps[lo];
  if (!(st->lam[x] > 0.0))
    return t - st->t;
  return MAX (t - (st->t + (target - st->a[x]) / st->lam[x]), 0.0);
}

/* appends the steps of the piece [@a, @b] with rates @r0 at its start
 * and @r1 at its end (the two results' arrivals and capacities; a ramp
 * in BACKLOG_RAMP_STEPS steps) */
static void
drain_append (GArray              *steps,
              GPtrArray           *mem,
              const AbModelResult *r0,
              const AbModelResult *r1,
              guint                n,
              double               a,
              double               b)
{
  guint k = r0 == r1 ? 1 : BACKLOG_RAMP_STEPS;

  for (guint j = 0; j < k; j++)
    {
      DrainStep st;
      double f = (j + 0.5) / k;

      st.t = a + (b - a) * j / k;
      st.lam = g_new0 (double, 5 * MAX (n, 1));
      g_ptr_array_add (mem, st.lam);
      st.cap = st.lam + n;
      st.a = st.cap + n;
      st.b = st.a + n;
      st.pat = st.b + n;
      for (guint x = 0; x < n; x++)
        {
          const AbStationResult *s0 = x < r0->n_stations ? &r0->stations[x] : NULL;
          const AbStationResult *s1 = x < r1->n_stations ? &r1->stations[x] : NULL;

          st.pat[x] = INFINITY;
          /* only a station without a limit (a backlog of its own) */
          if (s0 == NULL || s1 == NULL || s0->backlog_rps == 0.0
              || !isfinite (s0->capacity_rps) || !isfinite (s1->capacity_rps) || !(s0->capacity_rps > 0.0))
            continue;
          if (isfinite (s0->backlog_max))
            st.pat[x] = s0->backlog_max / s0->capacity_rps;
          st.cap[x] = s0->capacity_rps + (s1->capacity_rps - s0->capacity_rps) * f;
          st.lam[x] = MAX (st.cap[x] + s0->backlog_rps + (s1->backlog_rps - s0->backlog_rps) * f, 0.0);
        }
      if (steps->len > 0)
        {
          const DrainStep *prev = &g_array_index (steps, DrainStep, steps->len - 1);

          for (guint x = 0; x < n; x++)
            {
              st.a[x] = prev->a[x] + prev->lam[x] * (st.t - prev->t);
              st.b[x] = drain_backlog (prev, (int) x, st.t);
            }
        }
      g_array_append_val (steps, st);
    }
}

/* the arrivals at station @x up to @t */
static double
drain_arrivals (const DrainStep *steps,
                guint            n_steps,
                int              x,
                double           t)
{
  const DrainStep *st = &steps[drain_step_at (steps, n_steps, t)];

  return st->a[x] + st->lam[x] * (t - st->t);
}

/* The fluid queue of a station with a patience, from @t (its head h, the
 * arrival instant of the request served next) to @t_end: while requests
 * wait the head moves on at mu / lambda(h) (the requests served over
 * those that arrived then), and never falls more than the patience
 * behind (the older ones give up).  Adds what it answers behind the
 * backlog, as they come, and what gives up. */
static void
patience_advance (const DrainStep *sv,
                  guint            ns,
                  int              x,
                  double          *t,
                  double          *h,
                  double           t_end,
                  double           dt,
                  double          *behind,
                  double          *steady,
                  double          *gave_up,
                  double          *arrived,
                  double          *emptied,
                  double          *carried)
{
  while (*t < t_end - 1e-12)
    {
      double d = MIN (dt, t_end - *t), te = *t + d, hn;
      const DrainStep *st = &sv[drain_step_at (sv, ns, *t)];

      const DrainStep *sh = &sv[drain_step_at (sv, ns, *h)];

      *arrived += st->lam[x] * d;
      hn = *h + st->cap[x] / MAX (sh->lam[x], 1e-9) * d;
      if (hn >= te)
        {
          /* no queue at the end: answered as they come (behind what
           * still waited at the start) */
          double served = drain_arrivals (sv, ns, x, te) - drain_arrivals (sv, ns, x, *h);

          if (*h < *t - 1e-9)
            {
              *behind += served;
              /* the queue empties in this step (the first time: the
               * one the span began with) */
              if (carried != NULL && isnan (*emptied))
                {
                  *carried += served;
                  *emptied = te;
                }
            }
          else
            *steady += served;
          hn = te;
        }
      else
        {
          *behind += st->cap[x] * d;
          if (carried != NULL && isnan (*emptied))
            *carried += st->cap[x] * d;
        }
      if (hn < te - st->pat[x])
        {
          *gave_up += drain_arrivals (sv, ns, x, te - st->pat[x]) - drain_arrivals (sv, ns, x, hn);
          hn = te - st->pat[x];
        }
      *h = hn;
      *t = te;
    }
}

/* ab_model_backlog_waits () for station @x with a patience: TRUE when it
 * answers any of the span behind a backlog */
static gboolean
patience_waits (const DrainStep *sv,
                guint            ns,
                int              x,
                double           t0,
                double           t1,
                AbModelWaits    *w)
{
  double t = sv[0].t, h = sv[0].t, dt = MIN (0.01, (t1 - t0) / (8.0 * AB_MODEL_DRAIN_PIECES));
  double behind = 0.0, steady = 0.0, gave_up = 0.0, arrived = 0.0, pdt = (t1 - t0) / AB_MODEL_DRAIN_PIECES;
  double before[5] = { 0.0, 0.0, 0.0, 0.0, NAN }, emptied = NAN, carried = 0.0;
  gboolean over = FALSE, queued;

  /* never overloaded up to the span's end: its steady state */
  for (guint j = 0; j + 1 < ns && sv[j].t < t1 && !over; j++)
    over = sv[j].lam[x] > sv[j].cap[x] * (1.0 + 1e-9);
  if (!over)
    return FALSE;
  patience_advance (sv, ns, x, &t, &h, t0, dt, &before[0], &before[1], &before[2], &before[3], &before[4],
                    NULL);
  /* a queue the span begins with */
  queued = h < t - 1e-9;
  for (guint j = 0; j < AB_MODEL_DRAIN_PIECES; j++)
    {
      double b0 = behind, wu = t - h;

      patience_advance (sv, ns, x, &t, &h, t0 + (j + 1) * pdt, dt, &behind, &steady, &gave_up, &arrived,
                        &emptied, queued ? &carried : NULL);
      if (!(behind > b0))
        continue;
      w->lo_ms[w->n] = 1000.0 * MIN (wu, t - h);
      w->hi_ms[w->n] = 1000.0 * MAX (wu, t - h);
      w->weight[w->n] = behind - b0;
      w->n++;
    }
  if (!(behind > 0.0))
    {
      w->n = 0;
      return FALSE;
    }
  for (guint j = 0; j < w->n; j++)
    w->weight[j] /= behind;
  w->share = behind / (behind + steady);
  w->served = arrived > 0.0 ? (behind + steady) / arrived : 1.0;
  w->answered_rps = (behind + steady) / (t1 - t0);
  w->lost = gave_up / (behind + steady + gave_up);
  w->carried = carried / (behind + steady);
  w->drained_s = emptied;
  return TRUE;
}

/* Station @x's waits over [@t0, @t1] from the walk's steps @sv (@ns of
 * them), into @w: the span in pieces of answer time, answered at the
 * capacity while a backlog lasts (waits from drain_wait at the piece's
 * two ends), else as they arrive (the steady wait).  FALSE when none of
 * its requests wait behind a backlog. */
static gboolean
drain_station_waits (const DrainStep *sv,
                     guint            ns,
                     guint            x,
                     double           t0,
                     double           t1,
                     AbModelWaits    *w)
{
  double behind = 0.0, steady = 0.0, arrived = 0.0, emptied = NAN, carried = 0.0;
  double dt = (t1 - t0) / AB_MODEL_DRAIN_PIECES;
  /* a backlog the span begins with */
  gboolean queued = drain_backlog (&sv[drain_step_at (sv, ns, t0)], (int) x, t0) > 0.0;

  if (isfinite (sv[drain_step_at (sv, ns, t1)].pat[x]))
    return patience_waits (sv, ns, (int) x, t0, t1, w);
  for (guint j = 0; j < AB_MODEL_DRAIN_PIECES; j++)
    {
      double u = t0 + j * dt, v = u + dt;
      const DrainStep *st = &sv[drain_step_at (sv, ns, 0.5 * (u + v))];
      double bu = drain_backlog (&sv[drain_step_at (sv, ns, u)], (int) x, u);
      double bv = drain_backlog (&sv[drain_step_at (sv, ns, v)], (int) x, v);
      double busy;

      arrived += st->lam[x] * dt;
      if (!(bu > 0.0) && !(bv > 0.0))
        {
          steady += st->lam[x] * dt;
          continue;
        }
      /* the share of the piece the backlog lasts (linear in it) */
      busy = bv > 0.0 ? 1.0 : bu / MAX ((st->cap[x] - st->lam[x]) * dt, 1e-300);
      busy = CLAMP (busy, 0.0, 1.0);

      w->lo_ms[w->n] = 1000.0 * drain_wait (sv, ns, (int) x, u);
      w->hi_ms[w->n] = 1000.0 * drain_wait (sv, ns, (int) x, u + busy * dt * (1.0 - 1e-9));
      w->weight[w->n] = st->cap[x] * busy * dt;
      behind += w->weight[w->n];
      /* the backlog the span began with, until it first empties */
      if (queued && isnan (emptied))
        {
          carried += w->weight[w->n];
          if (!(bv > 0.0))
            emptied = u + busy * dt;
        }
      steady += st->lam[x] * (1.0 - busy) * dt;
      w->n++;
    }
  if (!(behind > 0.0))
    {
      w->n = 0;
      return FALSE;
    }
  for (guint j = 0; j < w->n; j++)
    {
      double lo = MIN (w->lo_ms[j], w->hi_ms[j]), hi = MAX (w->lo_ms[j], w->hi_ms[j]);

      w->lo_ms[j] = lo;
      w->hi_ms[j] = hi;
      w->weight[j] /= behind;
    }
  w->share = behind / (behind + steady);
  w->served = arrived > 0.0 ? (behind + steady) / arrived : 1.0;
  w->answered_rps = (behind + steady) / (t1 - t0);
  w->carried = carried / (behind + steady);
  w->drained_s = emptied;
  return TRUE;
}

gboolean
ab_model_backlog_waits (const AbScenario *scenario,
                        double            from_s,
                        double            to_s,
                        AbModelAtFunc     at,
                        gpointer          data,
                        guint             n_stations,
                        AbModelWaits     *waits)
{
  g_autoptr(GArray) steps = g_array_new (FALSE, FALSE, sizeof (DrainStep));
  g_autoptr(GPtrArray) mem = g_ptr_array_new_with_free_func (g_free);
  double t0 = MAX (from_s, -scenario->warmup_s), t1 = to_s, start = 0.0;
  gboolean any = FALSE;
  const DrainStep *sv;
  guint ns;

  g_return_val_if_fail (scenario != NULL && at != NULL, FALSE);

  memset (waits, 0, sizeof (AbModelWaits) * n_stations);
  for (guint x = 0; x < n_stations; x++)
    {
      waits[x].served = 1.0;
      waits[x].drained_s = NAN;
    }
  if (n_stations == 0 || scenario->phases->len == 0 || !(t1 > t0))
    return FALSE;

  /* the walk of ab_model_backlog_at, up to the span's end */
  if (scenario->warmup_s > 0.0)
    {
      const AbPhase *first = &g_array_index (scenario->phases, AbPhase, 0);
      const AbModelResult *r = at (data, 0.0, first->mult_start);

      drain_append (steps, mem, r, r, n_stations, -scenario->warmup_s, 0.0);
    }
  for (guint i = 0; i < scenario->phases->len && start < t1; i++)
    {
      const AbPhase *ph = &g_array_index (scenario->phases, AbPhase, i);
      double a = start, end = start + ph->duration_s;

      while (a < end - 1e-9 && a < t1)
        {
          double b = end, mid, ma, mb;
          const AbModelResult *r0, *r1;

          for (guint e = 0; scenario->events != NULL && e < scenario->events->len; e++)
            {
              double te = g_array_index (scenario->events, AbScenarioEvent, e).t_s;

              if (te > a + 1e-9 && te < b)
                b = te;
            }
          mid = 0.5 * (a + b);
          ma = ph->mult_start + (ph->mult_end - ph->mult_start) * (a - start) / ph->duration_s;
          mb = ph->mult_start + (ph->mult_end - ph->mult_start) * (b - start) / ph->duration_s;
          r0 = at (data, mid, ma);
          r1 = ma != mb ? at (data, mid, mb) : r0;
          /* the results are the callee's for as long as it lives: copy
           * what the steps need now */
          drain_append (steps, mem, r0, r1, n_stations, a, b);
          a = b;
        }
      start = end;
    }
  /* a closing step, for the arrivals and backlog at the span's end */
  if (steps->len == 0)
    return FALSE;
  {
    const DrainStep *last = &g_array_index (steps, DrainStep, steps->len - 1);
    DrainStep st = { .t = MAX (t1, last->t) + 1.0 };

    st.lam = g_new0 (double, 5 * n_stations);
    g_ptr_array_add (mem, st.lam);
    st.cap = st.lam + n_stations;
    st.a = st.cap + n_stations;
    st.b = st.a + n_stations;
    st.pat = st.b + n_stations;
    for (guint x = 0; x < n_stations; x++)
      {
        st.pat[x] = last->pat[x];
        st.a[x] = last->a[x] + last->lam[x] * (st.t - last->t);
        st.b[x] = drain_backlog (last, (int) x, st.t);
      }
    g_array_append_val (steps, st);
  }
  sv = (const DrainStep *) (gpointer) steps->data;
  ns = steps->len;

  /* the span in pieces of answer time, station by station */
  for (guint x = 0; x < n_stations; x++)
    any |= drain_station_waits (sv, ns, x, t0, t1, &waits[x]);
  return any;
}
