/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The discrete-event simulation's replications: the planned ones, more
 * while an interval is too wide and the budget allows, and a windowed
 * run's extra passes for the lag. */
#define G_LOG_DOMAIN "archboard-des"

#include "config.h"

#include "ab-des-private.h"
#include "ab-model.h"

/* ---------------------------------------------------------- lag passes -- */

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
  des_plan_systematic (sim);
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
      sim->buckets = des_buckets_new (sim);
      sim->phases = des_phases_new (sim);
      sim->lag_focus = focus;
      sim->visit_limit = sim->visits + (guint64) (2.0 * pass_budget);
      des_start_replication (sim, done + pass);
      des_run_loop (sim);
      sim->lag_focus = NULL;
      if (!sim->cancelled && !sim->stop)
        {
          des_finish_replication (sim);
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
      des_buckets_free (sim, sim->buckets);
      des_phases_free (sim, sim->phases);
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

/* -------------------------------------------------------- replications -- */

/* The run: the planned replications, then more while an interval is too
 * wide and the budget allows.  Returns the result's head (how the run was
 * made), or NULL when cancelled. */
AbDesResult *
des_run_replications (Sim *sim, guint reps, guint64 budget, GError **error)
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
      des_start_replication (sim, rep);
      des_run_loop (sim);
      if (sim->cancelled)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "Simulation cancelled");
          return NULL;
        }
      /* the last buckets of the first replication end with the run; a
       * run the budget stopped ends with the bucket it stopped in, as
       * its result's series does (des_collect_buckets) */
      if (rep == 0 && sim->cfg->on_bucket != NULL && sim->n_buckets > 0)
        {
          guint nb = sim->n_buckets;

          if (sim->stop)
            nb = (guint) MIN ((double) nb, ceil ((sim->now - sim->warmup) / sim->bucket_s));
          if (nb > 0)
            des_emit_buckets (sim, nb - 1);
        }
      des_finish_replication (sim);
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
          && des_too_wide (sim, done))
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
