/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The confidence intervals of a windowed phase whose users' waits grow
 * (docs/simulation.md, "Confidence intervals"): users waiting behind a
 * backlog that grows without a limit or a timeout at a steady load,
 * simulated in windows, each in the middle of its stretch of the phase
 * and started from the fluid model's backlog at its time.  Batches by
 * time would follow the rising wait (the trend, not noise).  Instead the
 * phase's figure is read as a figure of the mixture of its windows'
 * distributions, and its interval adds up three parts:
 *
 *   - the windows' own sampling noise: each window is cut into
 *     sections by time, and section s of the phase is the mixture of
 *     every window's s-th section, weighed as the phase weighs its
 *     windows (a replicate of the whole phase the trend does not tell
 *     apart from the others); Student's t on the sections' spread;
 *   - the noise the windows carry from one to the next (the backlog
 *     each starts from is the last one's, moved on by the fluid model):
 *     a random walk whose steps are read from the windows' levels once
 *     their trend is taken away, passed to the figure by the delta
 *     method on the mixture's distribution function; in quadrature
 *     with the first;
 *   - the windows' resolution: a window stands for a stretch its waits
 *     grow through, so the distance from the figure to that of the
 *     windows spread over their stretches is added whole.
 *
 * A ramp, and a phase of fewer than four windows, keep the batches'
 * interval. */
#define G_LOG_DOMAIN "archboard-des"

#include "config.h"

#include "ab-des-private.h"

/* the sections of a window */
#define WIN_SECTIONS 5
/* the levels at which a window's distribution is spread over its
 * stretch */
#define SPREAD_LEVELS 128

#define WIN(ph, w, s, k) ((ph)->win[((w) * WIN_SECTIONS + (s)) * AB_DES_N_SERIES + (k)])
#define WIN_TOTAL(ph, w, k) ((ph)->win_total[(w) * AB_DES_N_SERIES + (k)])

void
des_ci_alloc (Sim *sim, PhaseAcc *ph, guint i)
{
  const AbPhase *def = i < sim->sc->phases->len ? &g_array_index (sim->sc->phases, AbPhase, i) : NULL;
  guint m;

  /* a ramp's waits bend as its load changes, and its windows are not
   * spread evenly over its waits: it keeps the batches' interval */
  if (!sim->windowed || def == NULL || def->mult_start != def->mult_end
      || sim->phase_windows[i] < 4 || !des_phase_users_grow (sim, i))
    return;
  m = sim->phase_windows[i];
  ph->n_win = m;
  ph->win = g_new (AbHistogram *, (gsize) m * WIN_SECTIONS * AB_DES_N_SERIES);
  for (guint j = 0; j < m * WIN_SECTIONS * AB_DES_N_SERIES; j++)
    ph->win[j] = ab_histogram_new ();
  ph->win_total = g_new (AbHistogram *, (gsize) m * AB_DES_N_SERIES);
  for (guint j = 0; j < m * AB_DES_N_SERIES; j++)
    ph->win_total[j] = ab_histogram_new ();
  for (int k = 0; k < AB_DES_N_SERIES; k++)
    ph->sec_est[k] = g_array_new (FALSE, FALSE, sizeof (Est));
  ph->win_slice = -1;
  /* the phase's windows are the slices that overlap it, in order */
  {
    double a = sim->warmup + ab_scenario_phase_start (sim->sc, i);

    ph->win_first = 0;
    while (ph->win_first + 1 < sim->n_slices && sim->sl_end0[ph->win_first] <= a + 1e-9)
      ph->win_first++;
  }
}

void
des_ci_free (PhaseAcc *ph)
{
  if (ph->win == NULL)
    return;
  for (guint j = 0; j < ph->n_win * WIN_SECTIONS * AB_DES_N_SERIES; j++)
    ab_histogram_free (ph->win[j]);
  for (guint j = 0; j < ph->n_win * AB_DES_N_SERIES; j++)
    ab_histogram_free (ph->win_total[j]);
  g_clear_pointer (&ph->win, g_free);
  g_clear_pointer (&ph->win_total, g_free);
  for (int k = 0; k < AB_DES_N_SERIES; k++)
    g_clear_pointer (&ph->sec_est[k], g_array_unref);
}

/* A user latency @ms of @series answered in the current window, counted
 * @n times (the window's weight) */
void
des_ci_record (Sim *sim, PhaseAcc *ph, int series, double ms, guint64 n)
{
  guint w;
  int s;

  if ((int) sim->cur_slice != ph->win_slice)
    {
      double a = sim->warmup + ph->start, b = a + ph->dur;
      double lo = MAX (a, sim->sl_start[sim->cur_slice]);
      double hi = MIN (b, sim->sl_end[sim->cur_slice]);

      ph->win_slice = (int) sim->cur_slice;
      ph->win_t0 = lo;
      ph->win_inv = hi > lo + 1e-12 ? WIN_SECTIONS / (hi - lo) : 0.0;
    }
  w = sim->cur_slice > ph->win_first ? MIN (sim->cur_slice - ph->win_first, ph->n_win - 1) : 0;
  s = (int) ((sim->now - ph->win_t0) * ph->win_inv);
  s = CLAMP (s, 0, WIN_SECTIONS - 1);
  ab_histogram_record_n (WIN (ph, w, s, series), ms, n);
}

/* The sections' figures of this replication (each the mixture of every
 * window's section; none for a series where a window that answered some
 * of it has a section that answered none: that section's mixture would
 * leave out a stretch of the phase), and the windows' samples kept over
 * the replications */
void
des_ci_finish_replication (Sim *sim, PhaseAcc *ph)
{
  static const int series[] = { AB_DES_READ, AB_DES_WRITE, AB_DES_ALL };
  guint m = ph->n_win;

  if (ph->win == NULL)
    return;
  for (guint w = 0; w < m; w++)
    for (int s = 0; s < WIN_SECTIONS; s++)
      {
        ab_histogram_merge (WIN (ph, w, s, AB_DES_ALL), WIN (ph, w, s, AB_DES_READ));
        ab_histogram_merge (WIN (ph, w, s, AB_DES_ALL), WIN (ph, w, s, AB_DES_WRITE));
      }
  for (guint j = 0; j < G_N_ELEMENTS (series); j++)
    {
      int k = series[j];
      gboolean whole = TRUE;

      for (guint w = 0; w < m && whole; w++)
        {
          guint empty = 0;

          for (int s = 0; s < WIN_SECTIONS; s++)
            empty += ab_histogram_count (WIN (ph, w, s, k)) == 0;
          if (empty > 0 && empty < WIN_SECTIONS)
            whole = FALSE;
        }
      for (int s = 0; s < WIN_SECTIONS && whole; s++)
        {
          g_autoptr(AbHistogram) mix = ab_histogram_new ();
          Est e;

          for (guint w = 0; w < m; w++)
            ab_histogram_merge (mix, WIN (ph, w, s, k));
          if (ab_histogram_count (mix) == 0)
            continue;
          e = des_estimate_of (mix);
          g_array_append_val (ph->sec_est[k], e);
        }
      for (guint w = 0; w < m; w++)
        for (int s = 0; s < WIN_SECTIONS; s++)
          {
            ab_histogram_merge (WIN_TOTAL (ph, w, k), WIN (ph, w, s, k));
            ab_histogram_reset (WIN (ph, w, s, k));
          }
    }
  ph->win_slice = -1;
}

typedef struct {
  double lo, hi, w;
} Piece;

/* P(latency <= @x) when each window's distribution is spread over its
 * stretch (@pieces) */
static double
spread_cdf (const Piece *pieces, guint n, double x)
{
  double f = 0.0;

  for (guint i = 0; i < n; i++)
    {
      const Piece *p = &pieces[i];

      if (x >= p->hi)
        f += p->w;
      else if (x > p->lo)
        f += p->w * (x - p->lo) / (p->hi - p->lo);
    }
  return f;
}

static double
spread_quantile (const Piece *pieces, guint n, double q)
{
  double lo = INFINITY, hi = -INFINITY;

  for (guint i = 0; i < n; i++)
    {
      lo = MIN (lo, pieces[i].lo);
      hi = MAX (hi, pieces[i].hi);
    }
  for (int it = 0; it < 60 && hi - lo > 1e-6 * MAX (hi, 1e-9); it++)
    {
      double mid = 0.5 * (lo + hi);

      if (spread_cdf (pieces, n, mid) < q)
        lo = mid;
      else
        hi = mid;
    }
  return 0.5 * (lo + hi);
}

/* The standard error of the phase's figure @f (0: the mean, else the
 * percentile at @x) from the noise each window carries: a figure moves
 * with the levels of the windows whose stretches hold it (the mean with
 * every window's, by its share), each window's shift its levels' noise
 * weighed by its share of the phase's density there (the delta method);
 * the windows' noises are the sums of the steps up to them (a random
 * walk carried from window to window by the backlog), so windows i and
 * j share min (i, j) + 1 steps.  NAN when no window's stretch holds @x. */
static double
carried_se (const Piece *pieces, const double *share, const double *noise, guint m, int f, double x)
{
  g_autofree double *g = g_new0 (double, m);
  double dens = 0.0, var = 0.0;

  for (guint j = 0; j < m; j++)
    for (int r = 0; r < SPREAD_LEVELS; r++)
      {
        const Piece *p = &pieces[j * SPREAD_LEVELS + r];

        if (f == 0)
          {
            g[j] += share[j] * noise[r] / SPREAD_LEVELS;
            dens += share[j] / SPREAD_LEVELS;
          }
        else if (x >= p->lo && x <= p->hi && p->hi - p->lo > 1e-9 * p->hi)
          {
            double d = p->w / (p->hi - p->lo);

            dens += d;
            g[j] += d * noise[r];
          }
      }
  if (!(dens > 0.0))
    return NAN;
  for (guint i = 0; i < m; i++)
    for (guint j = 0; j < m; j++)
      var += g[i] * g[j] * (MIN (i, j) + 1);
  return sqrt (var) / dens;
}

/* The figures of the phase's windows of @k each spread over its stretch
 * (@spread: mean, P50, P95, P99), the standard errors of @value's from
 * the noise the windows carry (@se, carried_se) and the windows that
 * answered (@n_windows).  The windows sit in the middle of their
 * stretches, and a window's latency at each level of its distribution
 * (its 1/SPREAD_LEVELS quantiles) is taken to move linearly from the
 * middle of one window to the middle of the next at the same level, so
 * the window stands for the latencies from halfway to the previous
 * window's to halfway to the next's (the first and the last as far
 * beyond themselves).  A level's noise: the windows' levels l are a
 * trend plus a random walk of steps of variance s2 (plus each window's
 * own, which only adds); the second differences l[j] - 2 l[j-1] +
 * l[j-2] take away a trend that is straight or bends evenly, and around
 * their mean have variance 2 s2, whatever of the window's own noise
 * they keep counting as steps too.  FALSE when fewer than four windows
 * answered any. */
static gboolean
spread_figures (PhaseAcc *ph, int k, const double *value, double *spread, double *se,
                guint *n_windows)
{
  g_autofree double *lev = NULL, *noise = NULL, *share = NULL;
  g_autofree Piece *pieces = NULL;
  g_autofree guint *idx = g_new (guint, ph->n_win);
  guint m = 0, n = 0;
  double total = 0.0, mean = 0.0;
  double levels[SPREAD_LEVELS];

  for (guint w = 0; w < ph->n_win; w++)
    if (ab_histogram_count (WIN_TOTAL (ph, w, k)) > 0)
      {
        idx[m++] = w;
        total += (double) ab_histogram_count (WIN_TOTAL (ph, w, k));
      }
  if (m < 4)
    return FALSE;
  lev = g_new (double, (gsize) m * SPREAD_LEVELS);
  share = g_new (double, m);
  for (int r = 0; r < SPREAD_LEVELS; r++)
    levels[r] = (r + 0.5) / SPREAD_LEVELS;
  for (guint j = 0; j < m; j++)
    {
      ab_histogram_quantiles (WIN_TOTAL (ph, idx[j], k), SPREAD_LEVELS, levels, &lev[j * SPREAD_LEVELS]);
      share[j] = (double) ab_histogram_count (WIN_TOTAL (ph, idx[j], k)) / total;
    }
  noise = g_new0 (double, SPREAD_LEVELS);
  for (int r = 0; r < SPREAD_LEVELS; r++)
    {
      const double *l = &lev[r];
      double mean_bend = 0.0;

#define L(j) l[(j) * SPREAD_LEVELS]
      for (guint j = 2; j < m; j++)
        mean_bend += L (j) - 2.0 * L (j - 1) + L (j - 2);
      mean_bend /= m - 2;
      for (guint j = 2; j < m; j++)
        {
          double d = L (j) - 2.0 * L (j - 1) + L (j - 2) - mean_bend;

          noise[r] += d * d;
        }
#undef L
      noise[r] = sqrt (noise[r] / (m - 3) / 2.0);
    }
  pieces = g_new (Piece, (gsize) m * SPREAD_LEVELS);
  for (guint j = 0; j < m; j++)
    for (int r = 0; r < SPREAD_LEVELS; r++)
      {
        double x = lev[j * SPREAD_LEVELS + r];
        double prev = j > 0 ? lev[(j - 1) * SPREAD_LEVELS + r] : NAN;
        double next = j + 1 < m ? lev[(j + 1) * SPREAD_LEVELS + r] : NAN;
        double a = isnan (prev) ? x - 0.5 * (next - x) : 0.5 * (prev + x);
        double b = isnan (next) ? x + 0.5 * (x - prev) : 0.5 * (x + next);
        Piece *p = &pieces[n++];

        a = MAX (a, 0.0);
        b = MAX (b, 0.0);
        p->lo = MIN (a, b);
        p->hi = MAX (a, b);
        p->w = share[j] / SPREAD_LEVELS;
        mean += p->w * 0.5 * (a + b);
      }
  spread[0] = mean;
  spread[1] = spread_quantile (pieces, n, 0.50);
  spread[2] = spread_quantile (pieces, n, 0.95);
  spread[3] = spread_quantile (pieces, n, 0.99);
  for (int f = 0; f < 4; f++)
    {
      se[f] = carried_se (pieces, share, noise, m, f, value[f]);
      /* a figure beyond every stretch (a tail the levels do not reach):
       * the noise where the spread windows have it */
      if (isnan (se[f]))
        se[f] = carried_se (pieces, share, noise, m, f, spread[f]);
    }
  *n_windows = m;
  return TRUE;
}

/* @series of a windowed phase whose users' waits grow: the half-widths
 * of @out's figures (their values set).  The noise: with fewer than
 * MIN_REPS_FOR_CI replications, the sections' (Student's t on their
 * spread) and the windows' carried from one to the next (Student's t
 * with as many degrees of freedom as second differences less one), in
 * quadrature; with more, the replications' (@out's own).  Plus the
 * windows' resolution: the distance from each figure to the windows'
 * spread over their stretches.  FALSE (@out as it was) for any other
 * phase or series, or when too few windows or sections answered. */
gboolean
des_ci_collect (Sim *sim, PhaseAcc *ph, guint replications, int series, AbLatencyStats *out)
{
  AbEstimate *e[4] = { &out->mean_ms, &out->p50_ms, &out->p95_ms, &out->p99_ms };
  double value[4], spread[4], ci[4], se[4], sec[4];
  guint m = 0;

  if (ph->win == NULL || series == AB_DES_ASYNC)
    return FALSE;
  for (int j = 0; j < 4; j++)
    value[j] = e[j]->value;
  if (!spread_figures (ph, series, value, spread, se, &m))
    return FALSE;
  if (replications >= MIN_REPS_FOR_CI)
    for (int j = 0; j < 4; j++)
      ci[j] = e[j]->ci;
  else
    {
      double t = des_t_quantile_975 (m - 3);

      if (!des_ci_spread (ph->sec_est[series], sec))
        return FALSE;
      for (int j = 0; j < 4; j++)
        ci[j] = hypot (sec[j], t * se[j]);
    }
  for (int j = 0; j < 4; j++)
    if (!isfinite (ci[j]) || !isfinite (spread[j]))
      return FALSE;
  for (int j = 0; j < 4; j++)
    e[j]->ci = ci[j] + fabs (spread[j] - value[j]);
  return TRUE;
}
