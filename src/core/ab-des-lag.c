/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The DES's slowest end of background work (ab_lag_slowest_end): per
 * reported phase, the lag of the chains that end at each station, summed
 * per batch and per replication, so that the slowest end's mean gets its
 * confidence interval the way the latency series get theirs (replication
 * means when there are enough replications, batch means otherwise). */
#define G_LOG_DOMAIN "archboard-des"

#include "config.h"

#include <math.h>

#include "ab-des-private.h"

/* Per phase, in one block: the run's sums (count, lag, lag²) per station; the
 * count, lag, start times, their squares and start time x lag of the
 * chains whose start is known (the lag's trend over the phase); per
 * station, over the replications and over the batches (the units of the
 * interval), the sums of each unit's chain count n and lag sum y, of
 * n², y², n·y, the number of units and of those with a chain; this replication's count and lag
 * per batch and station.  The units differ in size (an extra pass of a
 * windowed run gives its batches many more chains), so the interval is
 * the ratio estimator's: the mean is sum y / sum n, its variance
 * sum (y - R n)² / (B (B - 1) nbar²) over B units of nbar chains on
 * average. */
typedef enum {
  L_N, L_SUM, L_YY,
  L_NT, L_M, L_T, L_TT, L_TM,
  L_REP_N, L_REP_Y, L_REP_NN, L_REP_YY, L_REP_NY, L_REP_CNT, L_REP_NZ,
  L_BAT_N, L_BAT_Y, L_BAT_NN, L_BAT_YY, L_BAT_NY, L_BAT_CNT, L_BAT_NZ,
  L_N_FIXED
} LagField;

#define LAG(sim, ph, field) (&(ph)->lag[(gsize) (field) * (sim)->n])
#define LAG_BATCH(sim, ph, b) (&(ph)->lag[((gsize) L_N_FIXED + 2 * (gsize) (b)) * (sim)->n])

void
des_lag_alloc (Sim *sim, PhaseAcc *ph)
{
  ph->lag = g_new0 (double, ((gsize) L_N_FIXED + 2 * (gsize) sim->nb) * sim->n);
}

/* A chain that began in @ph ended at @station after @ms; @batch: its
 * batch of @ph (as the ASYNC series has it) */
void
des_lag_record (Sim *sim, PhaseAcc *ph, int batch, guint station, double t_start, double ms)
{
  double *bt = LAG_BATCH (sim, ph, batch);

  bt[station] += 1.0;
  bt[sim->n + station] += ms;
  LAG (sim, ph, L_YY)[station] += ms * ms;
  if (!isfinite (t_start))
    return;
  LAG (sim, ph, L_NT)[station] += 1.0;
  LAG (sim, ph, L_M)[station] += ms;
  LAG (sim, ph, L_T)[station] += t_start;
  LAG (sim, ph, L_TT)[station] += t_start * t_start;
  LAG (sim, ph, L_TM)[station] += t_start * ms;
}

/* One unit (a replication or a batch) of @n chains and @y ms of lag in
 * all at station @s, into the unit sums from @base (L_REP_N, or
 * L_BAT_N) */
static void
add_unit (Sim *sim, PhaseAcc *ph, LagField base, guint s, double n, double y)
{
  LAG (sim, ph, base)[s] += n;
  LAG (sim, ph, base + 1)[s] += y;
  LAG (sim, ph, base + 2)[s] += n * n;
  LAG (sim, ph, base + 3)[s] += y * y;
  LAG (sim, ph, base + 4)[s] += n * y;
  LAG (sim, ph, base + 5)[s] += 1.0;
  if (n > 0.0)
    LAG (sim, ph, base + 6)[s] += 1.0;
}

void
des_lag_finish_replication (Sim *sim, PhaseAcc *ph)
{
  for (guint s = 0; s < sim->n; s++)
    {
      double rn = 0.0, rsum = 0.0;

      for (guint b = 0; b < sim->nb; b++)
        {
          double *bt = LAG_BATCH (sim, ph, b);

          rn += bt[s];
          rsum += bt[sim->n + s];
        }
      /* a replication where no chain ended at @s says nothing of it (it
       * may not have simulated the phase); one where some did counts
       * each of its batches, those without a chain too.  Batch means
       * only serve when replications are few (as finish_replication's) */
      if (rn > 0.0)
        {
          if (sim->nb > 1)
            for (guint b = 0; b < sim->nb; b++)
              {
                double *bt = LAG_BATCH (sim, ph, b);

                add_unit (sim, ph, L_BAT_N, s, bt[s], bt[sim->n + s]);
              }
          add_unit (sim, ph, L_REP_N, s, rn, rsum);
        }
      for (guint b = 0; b < sim->nb; b++)
        {
          double *bt = LAG_BATCH (sim, ph, b);

          bt[s] = 0.0;
          bt[sim->n + s] = 0.0;
        }
      LAG (sim, ph, L_N)[s] += rn;
      LAG (sim, ph, L_SUM)[s] += rsum;
    }
}

/* The slowest end of @ph after @replications: its estimate into @e,
 * its station (-1: none), and how many chains ended there.
 *
 * With two units (replications, or batches) or more that saw chains end
 * there, the ratio estimator's interval.  With one, the units give no
 * spread to go by, and the interval must not read as exact (a check would
 * then judge a lag from three chains as if it were known): it is the
 * chains' own, as if they were all one observation (an effective sample
 * size of 1: Student's t on n - 1 degrees of freedom times their standard
 * deviation, wider than any correlation between them can make the mean's),
 * and unbounded (0 to infinity) for a single chain. */
static int
slowest (Sim *sim, PhaseAcc *ph, guint replications, AbEstimate *e, double *count)
{
  double value;
  int s;

  ab_lag_slowest_end (LAG (sim, ph, L_SUM), LAG (sim, ph, L_N), sim->n, &value, &s);
  e->value = s >= 0 ? value : NAN;
  e->ci = 0.0;
  *count = s >= 0 ? LAG (sim, ph, L_N)[s] : 0.0;
  if (s >= 0)
    {
      LagField base = replications >= MIN_REPS_FOR_CI ? L_REP_N : L_BAT_N;
      double n = LAG (sim, ph, base)[s], y = LAG (sim, ph, base + 1)[s];
      double nn = LAG (sim, ph, base + 2)[s], yy = LAG (sim, ph, base + 3)[s];
      double ny = LAG (sim, ph, base + 4)[s], units = LAG (sim, ph, base + 5)[s];

      if (LAG (sim, ph, base + 6)[s] >= 2.0 && n > 0.0)
        {
          double r = y / n, nbar = n / units;
          double ss = MAX (0.0, yy - 2.0 * r * ny + r * r * nn);

          e->ci = des_t_quantile_975 ((guint) units - 1)
                  * sqrt (ss / ((units - 1.0) * units)) / nbar;
          /* and never narrower than the chains' own, as if independent:
           * chains of one unit wait behind the same queues, so they vary
           * together if at all, and with most units empty the units'
           * spread says too little (4 chains in 2 of 20 batches read
           * +-3.1 % where their own spread gives +-55 %) */
          if (*count >= 2.0)
            {
              double c = *count;
              double var = MAX (0.0, (LAG (sim, ph, L_YY)[s] - c * value * value) / (c - 1.0));

              e->ci = MAX (e->ci, des_t_quantile_975 ((guint) MIN (c - 1.0, 1e6)) * sqrt (var / c));
            }
        }
      else if (*count >= 2.0)
        {
          double c = *count;
          double var = MAX (0.0, (LAG (sim, ph, L_YY)[s] - c * value * value) / (c - 1.0));

          e->ci = des_t_quantile_975 ((guint) MIN (c - 1.0, 1e6)) * sqrt (var);
        }
      else
        e->ci = INFINITY;
    }
  e->ci_low = isfinite (e->value) ? MAX (0.0, e->value - e->ci) : NAN;
  e->ci_high = isfinite (e->value) ? e->value + e->ci : NAN;
  return s;
}

void
des_lag_collect (Sim *sim, PhaseAcc *ph, guint replications, AbDesPhaseResult *out)
{
  double count;
  int s;

  out->lag_slowest_station = s = slowest (sim, ph, replications, &out->lag_slowest_ms, &count);
  out->lag_slowest_growth = NAN;
  if (s >= 0 && LAG (sim, ph, L_NT)[s] >= 2.0)
    {
      /* the least-squares slope of the lag against the chains' start */
      double n = LAG (sim, ph, L_NT)[s], st = LAG (sim, ph, L_T)[s], stt = LAG (sim, ph, L_TT)[s];
      double stm = LAG (sim, ph, L_TM)[s], sm = LAG (sim, ph, L_M)[s];
      double var = stt - st * st / n;

      if (var > 1e-9 * n)
        out->lag_slowest_growth = (stm - st * sm / n) / var;
    }
}

/* TRUE when @ph's slowest end is known to less than
 * +-AB_DES_TARGET_PRECISION after @done replications (and enough chains
 * ended there to say anything, as for the latency series) */
gboolean
des_lag_too_wide (Sim *sim, PhaseAcc *ph, guint done)
{
  AbEstimate e;
  double count;

  if (slowest (sim, ph, done, &e, &count) < 0 || count < 200.0)
    return FALSE;
  return e.ci > AB_DES_TARGET_PRECISION * e.value;
}

/* How far @ph's slowest end is from +-AB_DES_TARGET_PRECISION after the
 * main replications (@done) and a windowed run's extra passes: the
 * half-width over the target (1 or less: narrow enough), and the chains
 * that ended there into @count; 0 when there is no slowest end or fewer
 * than 10 chains to judge by. */
double
des_lag_width (Sim *sim, PhaseAcc *ph, guint done, double *count)
{
  AbEstimate e;
  int s = slowest (sim, ph, done, &e, count);

  if (s < 0 || *count <= 0.0 || !(e.value > 0.0))
    return 0.0;
  /* too few chains, or units of the interval, to judge: as wide as can be */
  if (*count < 10.0 || LAG (sim, ph, done >= MIN_REPS_FOR_CI ? L_REP_NZ : L_BAT_NZ)[s] < 2.0)
    return INFINITY;
  return e.ci / (AB_DES_TARGET_PRECISION * e.value);
}

/* Adds the sums of @src (a windowed run's extra pass for the lag, its
 * replication finished) to those of @dst */
void
des_lag_add (Sim *sim, PhaseAcc *dst, const PhaseAcc *src)
{
  for (gsize i = 0; i < (gsize) L_N_FIXED * sim->n; i++)
    dst->lag[i] += src->lag[i];
}
