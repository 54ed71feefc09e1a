/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The discrete-event simulation: what a run records and the results
 * built from it — the buckets (flushed, streamed to the caller, estimated
 * between the windows of a windowed run), the estimates and their
 * intervals over the replications, the accumulators, and the result's
 * phases and buckets. */
#define G_LOG_DOMAIN "archboard-des"

#include "config.h"

#include "ab-des-private.h"
#include "ab-model.h"

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
acc_add_weighed (Acc *dst, const Acc *src, double w)
{
  dst->a_busy += w * src->a_busy;
  dst->a_cap += w * src->a_cap;
  dst->a_queue += w * src->a_queue;
  dst->a_inst += w * src->a_inst;
  dst->w_comp += w * src->w_comp;
  dst->sum_soj += w * src->sum_soj;
  dst->n_soj += w * src->n_soj;
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

/* The stretch of the timeline a scenario event or a phase boundary
 * cannot split that holds @x (absolute time): [@a, @b], as the window
 * plan splits the phases (des_plan_windows); @event: a scenario event
 * happens at @a. */
static void
segment_at (const Sim *sim, double x, double *a, double *b, gboolean *event)
{
  const AbScenario *sc = sim->sc;

  *a = sim->warmup;
  *b = sim->t_end;
  for (guint i = 0; i < sc->phases->len; i++)
    {
      double s = sim->warmup + ab_scenario_phase_start (sc, i);
      double e = s + g_array_index (sc->phases, AbPhase, i).duration_s;

      if (x >= s - 1e-9 && x < e - 1e-9)
        {
          *a = s;
          *b = e;
          break;
        }
    }
  for (guint j = 0; j < sc->events->len; j++)
    {
      double t = sim->warmup + g_array_index (sc->events, AbScenarioEvent, j).t_s;

      if (t > *a + 1e-9 && t <= x + 1e-9)
        *a = t;
      else if (t > x + 1e-9 && t < *b - 1e-9)
        *b = t;
    }
  *event = FALSE;
  for (guint j = 0; j < sc->events->len; j++)
    *event = *event || fabs (sim->warmup + g_array_index (sc->events, AbScenarioEvent, j).t_s - *a) <= 1e-9;
}

/* The seconds of its phase that each second of the window being
 * simulated stands for, relative to the other windows of the phase (1
 * outside windows): the rates of a windowed phase (the components'
 * figures, the users' requests offered and served) are the mixture of
 * its windows, each weighed by its stretch as its users'
 * latencies are (des_window_weight), not by its own length (the windows
 * are lengthened and shortened as the run goes).  A window that starts
 * with a scenario event stands for its own seconds only, the rest of its
 * stretch for the other windows of the stretch the event starts: what
 * changes at the event (a pool whose callee's queue is still empty when
 * the cache is lost turns its threads over quickly until that queue has
 * filled) happens once, in the first few tens of milliseconds, and
 * weighed by its stretch it stood for seconds of the phase
 * (docs/simulation.md, "Served rates of a windowed run"). */
static double
window_rate_weight (const Sim *sim)
{
  guint k = sim->cur_slice, e;
  double len, stretch, a, b, d, len_e, stretch_e;
  gboolean event;

  if (!sim->windowed || k >= sim->n_slices)
    return 1.0;
  len = sim->sl_end[k] - sim->sl_start[k];
  stretch = sim->sl_max[k] - sim->sl_min[k];
  if (len <= 1e-12)
    return 1.0;
  segment_at (sim, sim->sl_min[k], &a, &b, &event);
  d = b - a;
  if (stretch >= d * (1.0 - 1e-9))
    /* the only window of its stretch: its figures are the stretch's */
    return stretch / len;
  if (!event)
    return stretch / len;
  /* the window at the event, if the plan put one there */
  for (e = 0; e < sim->n_slices; e++)
    if (fabs (sim->sl_min[e] - a) <= 1e-9 && fabs (sim->sl_start[e] - a) <= 1e-9)
      break;
  if (e == sim->n_slices)
    return stretch / len;
  if (e == k)
    return 1.0;
  len_e = sim->sl_end[e] - sim->sl_start[e];
  stretch_e = sim->sl_max[e] - sim->sl_min[e];
  if (d - stretch_e <= 1e-12)
    return stretch / len;
  return stretch / len * (d - len_e) / (d - stretch_e);
}

/* A user request of @klass that a window fails on arrival gives up
 * @delay seconds later (its patience: ab-des.c, arrive), and a run
 * without windows counts it then, in that phase and bucket.  Where that
 * is this phase, it counts now (the phase's windows sample it alike);
 * where it is a later phase, that phase counts it when the run ends, as
 * many requests of the whole design as the window's one stands for
 * (its stretch over its length) scaled to the share of that phase its
 * windows simulated; past the run's end, not at all (still in flight,
 * as in a run without windows), nor when a scenario event comes
 * before then (the queue drains at another rate after it: a run
 * without windows answers it).  The time series counts it in the
 * bucket of the first window from then on.  Counted at once, a pool
 * whose callee lost its cache read 89 % of the requests of the phase of
 * the loss failed where a run without windows reads 60 %: the requests
 * that arrive in its first seconds give up there, those after are
 * answered once the cache is back (test-des-window-patience). */
void
des_defer_error (Sim *sim, int klass, double delay)
{
  double t = sim->now + delay, real = 1.0;
  int p;

  if (t >= sim->t_end || sim->in_tail)
    return;
  /* a component lost or back before then changes how fast the queue
   * drains: a cache back serves the backlog long before its patience
   * runs out (a run without windows answers it then) */
  for (guint j = 0; j < sim->sc->events->len; j++)
    {
      double e = sim->warmup + g_array_index (sim->sc->events, AbScenarioEvent, j).t_s;

      if (e > sim->now && e <= t)
        return;
    }
  if (sim->windowed && sim->cur_slice < sim->n_slices)
    {
      guint k = sim->cur_slice;
      double len = sim->sl_end[k] - sim->sl_start[k];

      if (len > 1e-12)
        real = MAX (1.0, (sim->sl_max[k] - sim->sl_min[k]) / len);
    }
  p = t >= sim->warmup ? ab_scenario_phase_at (sim->sc, t - sim->warmup) : -1;
  if (p >= 0 && p == sim->cur_phase)
    {
      sim->phases[p].errors++;
      sim->phases[p].class_errors[klass]++;
      phase_count_batch (sim, klass, TRUE, 1);
    }
  else if (p >= 0)
    sim->phases[p].deferred_errors[klass] += real;
  if (t >= sim->warmup)
    {
      /* the first window from then on */
      double at = t;
      guint64 b;

      for (guint k = 0; sim->windowed && k < sim->n_slices; k++)
        if (sim->sl_end[k] > t)
          {
            at = MAX (t, sim->sl_start[k]);
            break;
          }
      b = (guint64) floor ((at - sim->warmup) / sim->bucket_s);
      if (b < sim->n_buckets)
        {
          if ((int) b == sim->cur_bucket)
            sim->buckets[b].errors++;
          else
            sim->buckets[b].deferred_errors += real;
        }
    }
}

void
des_flush (Sim *sim)
{
  double dt = sim->now - sim->last_flush, w;
  BucketAcc *b = sim->cur_bucket >= 0 ? &sim->buckets[sim->cur_bucket] : NULL;
  PhaseAcc *p = sim->cur_phase >= 0 ? &sim->phases[sim->cur_phase] : NULL;

  if (sim->skipping)
    {
      /* the fluid model accounts for skipped time */
      sim->last_flush = sim->now;
      return;
    }
  w = p != NULL ? window_rate_weight (sim) : 1.0;
  for (guint s = 0; s < sim->n; s++)
    {
      Station *st = &sim->st[s];

      station_touch (st, sim->now);
      if (b != NULL)
        acc_add (&b->st[s], &st->seg);
      if (p != NULL)
        acc_add_weighed (&p->st[s], &st->seg, w);
      memset (&st->seg, 0, sizeof st->seg);
    }
  if (b != NULL)
    {
      b->time += dt;
      b->mult_time += sim->mult * dt;
    }
  if (p != NULL)
    {
      p->time += dt;
      p->st_time += w * dt;
      p->w_offered += w * (double) (p->offered - p->flushed_offered);
      p->w_served += w * (double) (p->served - p->flushed_served);
      p->flushed_offered = p->offered;
      p->flushed_served = p->served;
    }
  sim->last_flush = sim->now;
}

static void
fill_bucket (Sim *sim, guint index, AbDesBucket *out)
{
  const BucketAcc *b = &sim->buckets[index];
  double t = b->time;
  double denom = sim->f * t, errors;

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
  /* the requests of earlier windows that give up here: as many of the
   * bucket's own as its simulated share of them */
  errors = (double) b->errors + b->deferred_errors * out->coverage;
  out->multiplier = t > 0.0 ? b->mult_time / t : 0.0;
  out->offered_rps = denom > 0.0 ? b->offered / denom : 0.0;
  out->served_rps = denom > 0.0 ? b->served / denom : 0.0;
  out->errors_rps = denom > 0.0 ? errors / denom : 0.0;
  out->error_rate = (double) b->served + errors > 0.0 ? errors / ((double) b->served + errors) : 0.0;
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
void
des_emit_buckets (Sim *sim, guint upto)
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

/* ----------------------------------------------------------- estimates -- */

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
gboolean
des_too_wide (Sim *sim, guint done)
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

void
des_finish_replication (Sim *sim)
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

/* -------------------------------------------------------- accumulators -- */

/* The accumulators of the buckets and of the phases (for the run, and
 * for a windowed run's extra passes for the lag, which keep only their
 * lag: run_lag_passes) */
BucketAcc *
des_buckets_new (Sim *sim)
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

void
des_buckets_free (Sim *sim, BucketAcc *buckets)
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

PhaseAcc *
des_phases_new (Sim *sim)
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

void
des_phases_free (Sim *sim, PhaseAcc *phases)
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

static int
find_station (const AbNetwork *net, const char *id)
{
  for (guint s = 0; s < net->n_stations; s++)
    if (g_strcmp0 (net->stations[s].id, id) == 0)
      return (int) s;
  return -1;
}

/* Set-up, part 5: the scenario events' stations and the accumulators of
 * buckets and phases. */
void
des_setup_accumulators (Sim *sim)
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
  sim->buckets = des_buckets_new (sim);
  sim->phases = des_phases_new (sim);
  for (guint i = 0; i < sim->n_phases; i++)
    des_ci_alloc (sim, &sim->phases[i], i);
  sim->stream_bucket.stations = g_new0 (AbDesStationStats, sim->n);
  sim->emit_prev.stations = g_new0 (AbDesStationStats, sim->n);
  sim->emit_next.stations = g_new0 (AbDesStationStats, sim->n);
}

/* ------------------------------------------------------------- results -- */

/* The results, part 1: per phase (estimates with their intervals,
 * stations). */
void
des_collect_phases (Sim *sim, AbDesResult *result)
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
      /* the rates: the windows weighed by the seconds they stand for */
      double denom = sim->f * ph->st_time;

      out->name = g_strdup (def->name);
      out->start_s = ph->start;
      out->duration_s = ph->dur;
      out->reported = def->reported;
      out->offered_rps = denom > 0.0 ? ph->w_offered / denom : 0.0;
      out->served_rps = denom > 0.0 ? ph->w_served / denom : 0.0;
      /* the requests of an earlier phase's windows that give up in this
       * one (des_defer_error): as many of this phase's own as the share
       * of it its windows simulated */
      for (int c = 0; c < AB_N_CLASSES; c++)
        if (ph->deferred_errors[c] > 0.0)
          {
            guint64 n = (guint64) llround (ph->deferred_errors[c] * MIN (1.0, sim->phase_sim[i] / MAX (ph->dur, 1e-9)));

            ph->errors += n;
            ph->class_errors[c] += n;
            ph->deferred_errors[c] = 0.0;
          }
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
        acc_to_stats (&ph->st[s], ph->st_time, &out->stations[s]);
      out->simulated_s = sim->windowed || result->truncated
                         ? ph->time / MAX (result->replications, 1) : ph->dur;
      out->windows = out->simulated_s > 0.0 ? sim->phase_windows[i] : 0;
      result->sampled_s += out->simulated_s;
    }
}

/* The results, part 2: per bucket, merged over the replications;
 * estimated buckets are interpolated between the simulated ones of their
 * phase around them. */
void
des_collect_buckets (Sim *sim, AbDesResult *result)
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
