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

/* Per phase, in one block: the run's sums (count, lag) per station; the
 * count, lag, start times, their squares and start time x lag of the
 * chains whose start is known (the lag's trend over the phase); the sum, sum of squares and number
 * of the replication means and of the batch means per station; this
 * replication's count and lag per batch and station. */
typedef enum {
  L_N, L_SUM,
  L_NT, L_M, L_T, L_TT, L_TM,
  L_REP_SUM, L_REP_SQ, L_REP_CNT,
  L_BAT_SUM, L_BAT_SQ, L_BAT_CNT,
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
  if (!isfinite (t_start))
    return;
  LAG (sim, ph, L_NT)[station] += 1.0;
  LAG (sim, ph, L_M)[station] += ms;
  LAG (sim, ph, L_T)[station] += t_start;
  LAG (sim, ph, L_TT)[station] += t_start * t_start;
  LAG (sim, ph, L_TM)[station] += t_start * ms;
}

static void
add_mean (double *sum, double *sq, double *cnt, guint s, double n, double total)
{
  double mean;

  if (n <= 0.0)
    return;
  mean = total / n;
  sum[s] += mean;
  sq[s] += mean * mean;
  cnt[s] += 1.0;
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

          /* batch means only serve when replications are few (as
           * finish_replication's) */
          if (sim->nb > 1)
            add_mean (LAG (sim, ph, L_BAT_SUM), LAG (sim, ph, L_BAT_SQ), LAG (sim, ph, L_BAT_CNT),
                      s, bt[s], bt[sim->n + s]);
          rn += bt[s];
          rsum += bt[sim->n + s];
          bt[s] = 0.0;
          bt[sim->n + s] = 0.0;
        }
      add_mean (LAG (sim, ph, L_REP_SUM), LAG (sim, ph, L_REP_SQ), LAG (sim, ph, L_REP_CNT),
                s, rn, rsum);
      LAG (sim, ph, L_N)[s] += rn;
      LAG (sim, ph, L_SUM)[s] += rsum;
    }
}

/* The slowest end of @ph after @replications: its estimate into @e,
 * its station (-1: none), and how many chains ended there */
static int
slowest (Sim *sim, PhaseAcc *ph, guint replications, AbEstimate *e, double *count)
{
  const double *sum, *sq, *cnt;
  double value, n, mean, var;
  int s;

  ab_lag_slowest_end (LAG (sim, ph, L_SUM), LAG (sim, ph, L_N), sim->n, &value, &s);
  e->value = s >= 0 ? value : NAN;
  e->ci = 0.0;
  *count = s >= 0 ? LAG (sim, ph, L_N)[s] : 0.0;
  if (s >= 0)
    {
      gboolean reps = replications >= MIN_REPS_FOR_CI;

      sum = LAG (sim, ph, reps ? L_REP_SUM : L_BAT_SUM);
      sq = LAG (sim, ph, reps ? L_REP_SQ : L_BAT_SQ);
      cnt = LAG (sim, ph, reps ? L_REP_CNT : L_BAT_CNT);
      n = cnt[s];
      if (n >= 2.0)
        {
          mean = sum[s] / n;
          var = MAX (0.0, (sq[s] - n * mean * mean) / (n - 1.0));
          e->ci = des_t_quantile_975 ((guint) n - 1) * sqrt (var / n);
        }
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
