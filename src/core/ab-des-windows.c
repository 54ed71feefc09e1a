/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sample budget of a DES run and the window plan (docs/simulation.md,
 * "The sample budget"): the visits a run is expected to cost, the share
 * of user requests followed whole, and, when the whole timeline does not
 * fit the budget, the slices of each phase that are simulated and how
 * they are re-planned as a replication goes. */
#define G_LOG_DOMAIN "archboard-des"

#include "config.h"

#include "ab-des-private.h"
#include "ab-model.h"

/* ------------------------------------------------------------- windows -- */


typedef struct {
  double   a, b;
  int      phase;  /* -1: the warm-up */
  gboolean ramp;
} Segment;

/* Which stations user requests wait at: those their entries reach
 * through synchronous calls (into @users, one per station). */
static void
user_stations (Sim *sim, gboolean *users)
{
  g_autofree guint *stack = g_new (guint, (gsize) MAX (sim->n, 1));
  guint top = 0;

  memset (users, 0, sizeof (gboolean) * sim->n);
  for (int c = 0; c < AB_N_CLASSES; c++)
    for (guint e = 0; e < sim->net->entries[c].n && sim->net->rate[c] > 0.0; e++)
      {
        int s = sim->net->entries[c].stations[e];

        if (s >= 0 && (guint) s < sim->n && !users[s])
          {
            users[s] = TRUE;
            stack[top++] = (guint) s;
          }
      }
  while (top > 0)
    {
      guint s = stack[--top];

      for (int k = 0; k < AB_N_CLASSES; k++)
        {
          const AbCallList *cl = &sim->net->calls[s * AB_N_CLASSES + k];

          for (guint j = 0; j < cl->n_calls; j++)
            {
              int callee = cl->calls[j].callee;

              if (!cl->calls[j].async && callee >= 0 && (guint) callee < sim->n && !users[callee])
                {
                  users[callee] = TRUE;
                  stack[top++] = (guint) callee;
                }
            }
        }
    }
}

/* TRUE when at @mult (the rate multiplier) some station without a queue
 * limit is offered more than its slots do: its backlog, and the wait
 * behind it, grow through the segment (until a timeout, if it has one,
 * lets no more wait).  @users (from user_stations): only a station
 * where user requests wait and that has no timeout either, so the waits
 * of the requests it answers grow through the whole segment. */
static gboolean
over_capacity (Sim *sim, double mult, gboolean limited_too, const gboolean *users)
{
  for (guint s = 0; s < sim->n; s++)
    {
      const Station *st = &sim->st[s];
      double work = 0.0;

      if (st->infinite || (st->def->queue_limit > 0 && !limited_too) || st->n_init <= 0 || st->c <= 0)
        continue;
      if (users != NULL && (st->timeout_s > 0.0 || !users[s]))
        continue;
      for (int c = 0; c < AB_N_CLASSES; c++)
        work += (st->load_user[c] * mult + st->load_bg[c]) * st->svc_s[c]
                * ab_network_copies (sim->net, (int) s, c, st->n_init);
      if (work > (double) st->n_init * st->c * (1.0 + 1e-9))
        return TRUE;
    }
  return FALSE;
}

static gboolean
backlog_grows (Sim *sim, double mult)
{
  return over_capacity (sim, mult, FALSE, NULL);
}

/* TRUE when phase @i's windows are planned as those of users waiting
 * behind a backlog that grows through it without a limit or a timeout
 * (at the phase's mean load; des_plan_windows gives such a phase up to
 * GROWING_WINDOWS windows, each in the middle of its stretch) */
gboolean
des_phase_users_grow (Sim *sim, guint i)
{
  double a = ab_scenario_phase_start (sim->sc, i);
  double d = g_array_index (sim->sc->phases, AbPhase, i).duration_s;
  g_autofree gboolean *users = NULL;

  if (!sim->windowed || d <= 0.0)
    return FALSE;
  users = g_new (gboolean, MAX (sim->n, 1));
  user_stations (sim, users);
  return over_capacity (sim, des_multiplier_integral (sim->sc, a, a + d) / d, FALSE, users);
}

gboolean
des_phase_overloaded (Sim *sim, guint i)
{
  double a = ab_scenario_phase_start (sim->sc, i);
  double d = g_array_index (sim->sc->phases, AbPhase, i).duration_s;

  return d > 0.0 && over_capacity (sim, des_multiplier_integral (sim->sc, a, a + d) / d, TRUE, NULL);
}

/* TRUE when at @mult some station where user requests wait (@users,
 * from user_stations), whatever its queue limit or timeout, is offered
 * more than the most instances it may have serve */
static gboolean
users_over_capacity (Sim *sim, double mult, const gboolean *users)
{
  for (guint s = 0; s < sim->n; s++)
    {
      const Station *st = &sim->st[s];
      double work = 0.0;

      if (st->infinite || !users[s] || st->n_max <= 0 || st->c <= 0)
        continue;
      for (int c = 0; c < AB_N_CLASSES; c++)
        work += (st->load_user[c] * mult + st->load_bg[c]) * st->svc_s[c]
                * ab_network_copies (sim->net, (int) s, c, st->n_init);
      if (work > (double) st->n_max * st->c * (1.0 + 1e-9))
        return TRUE;
    }
  return FALSE;
}

/* TRUE when at @t (absolute time) a component is lost whole and the
 * model finds a station where user requests wait (@users) offered more
 * than it serves: the design as the scenario's events left it then (what
 * took over, a lost cache's hits now misses) at the time's load.  A few
 * instances lost are left out: the fluid model pools a station's backlog
 * over its instances, and once they are back it would drain the backlog
 * of the ones that stayed over all of them, too fast, in the windows
 * that would then follow the recovery. */
static gboolean
loss_overloads (Sim *sim, double t, const gboolean *users)
{
  guint n = sim->net->n_stations;
  g_autofree int *instances = g_new (int, MAX (n, 1));
  g_autofree gboolean *down = g_new (gboolean, MAX (n, 1));
  g_autoptr(AbModelResult) m = NULL;
  AbModelInput input;
  gboolean lost = FALSE;

  if (sim->sc->events->len == 0)
    return FALSE;
  ab_model_input_at (&input, sim->net, sim->sc, t - sim->warmup, instances, down);
  for (guint s = 0; s < n; s++)
    lost = lost || down[s];
  if (!lost)
    return FALSE;
  m = ab_model_evaluate (sim->net, &input);
  for (guint s = 0; s < n && s < m->n_stations; s++)
    if (users[s] && m->stations[s].overloaded)
      return TRUE;
  return FALSE;
}

/* TRUE when the queue users wait in fills or drains through segment @k
 * of @segs: a station where they wait is offered more than it can serve
 * at the load at either end of the segment or of the one before it; or
 * a component is lost whole as it starts and the model finds
 * one overloaded then (the queue fills through the segment of the
 * loss); or, with a component lost whole in the one before it, the
 * model finds one overloaded then and no longer at the segment's start
 * (it drains what the loss left).  The waits behind such a backlog
 * change along the segment (a ramp into overload fills the queue, the
 * phase after it finds the queue still filling or draining), so a
 * window at its start, or one in its middle, reads them at one moment
 * only: the first window of the phase of a loss, before the queue had
 * filled, stood for half of it (docs/simulation.md, "The sample
 * budget"). */
static gboolean
backlog_changes (Sim *sim, const Segment *segs, guint k, const gboolean *users)
{
  const AbScenario *sc = sim->sc;
  double hi = 0.0;

  if (segs[k].phase < 0)
    return FALSE;
  if (loss_overloads (sim, MIN (segs[k].a + 1e-6, segs[k].b), users))
    return TRUE;
  for (guint j = k > 0 && segs[k - 1].phase >= 0 ? k - 1 : k; j <= k; j++)
    {
      double a = MIN (segs[j].a + 1e-6, segs[j].b), b = MAX (segs[j].a, segs[j].b - 1e-6);

      hi = MAX (hi, MAX (ab_scenario_multiplier_at (sc, a - sim->warmup),
                         ab_scenario_multiplier_at (sc, b - sim->warmup)));
      if (j < k && (loss_overloads (sim, a, users) || loss_overloads (sim, b, users))
          && !loss_overloads (sim, MIN (segs[k].a + 1e-6, segs[k].b), users))
        return TRUE;
    }
  return users_over_capacity (sim, hi, users);
}

/* TRUE when at @mult (the rate multiplier) some station whose queue
 * starts from the stretch before each window (des_window_queues) runs
 * near its slots, where its queue takes longer than a bucket to settle:
 * 1 / (c mu (1 - sqrt rho)^2), c mu its instance's capacity.  After a
 * ramp such a queue is still settling as the phase starts, and a window
 * at the phase's start would read that moment for its whole stretch
 * (docs/simulation.md, "The queue at a window's start"). */
static gboolean
settles_slowly (Sim *sim, double mult)
{
  for (guint s = 0; s < sim->n; s++)
    {
      const Station *st = &sim->st[s];
      double work = 0.0, visits = 0.0, rho, r;

      if (!st->reachable || st->infinite || st->blocking || st->pooled || st->n_init <= 0 || st->c <= 0)
        continue;
      for (int c = 0; c < AB_N_CLASSES; c++)
        {
          double rate = (st->load_user[c] * mult + st->load_bg[c])
                        * ab_network_copies (sim->net, (int) s, c, st->n_init) / st->n_init;

          work += rate * st->svc_s[c];
          visits += rate;
        }
      if (work <= 0.0 || visits <= 0.0)
        continue;
      rho = work / st->c;
      if (rho < STATIONARY_FROM || rho >= 1.0)
        continue;
      r = 1.0 - sqrt (rho);
      if (work / visits / (st->c * r * r) > sim->bucket_s)
        return TRUE;
    }
  return FALSE;
}

/* TRUE when a scenario event (a failure, a recovery) happens at @t: the
 * segment that starts there keeps a window at its start */
static gboolean
event_at (Sim *sim, double t)
{
  for (guint e = 0; e < sim->sc->events->len; e++)
    if (fabs (sim->warmup + g_array_index (sim->sc->events, AbScenarioEvent, e).t_s - t) < 1e-9)
      return TRUE;
  return FALSE;
}

/* ---------------------------------------------------------------- room -- */

/* How many frames a request waiting at each station holds (into @depth):
 * its own and its callers', one per synchronous call from an entry along
 * the longest such path (at most MAX_DEPTH); 1 where no user request
 * comes (background work starts there). */
static void
station_depths (Sim *sim, int *depth)
{
  gboolean changed = TRUE;

  for (guint s = 0; s < sim->n; s++)
    depth[s] = 0;
  for (int c = 0; c < AB_N_CLASSES; c++)
    for (guint e = 0; e < sim->net->entries[c].n && sim->net->rate[c] > 0.0; e++)
      {
        int s = sim->net->entries[c].stations[e];

        if (s >= 0 && (guint) s < sim->n)
          depth[s] = 1;
      }
  for (guint round = 0; changed && round < MAX_DEPTH; round++)
    {
      changed = FALSE;
      for (guint s = 0; s < sim->n; s++)
        {
          if (depth[s] <= 0)
            continue;
          for (int k = 0; k < AB_N_CLASSES; k++)
            {
              const AbCallList *cl = &sim->net->calls[s * AB_N_CLASSES + k];

              for (guint j = 0; j < cl->n_calls; j++)
                {
                  int callee = cl->calls[j].callee;

                  if (!cl->calls[j].async && callee >= 0 && (guint) callee < sim->n
                      && depth[callee] < MIN (depth[s] + 1, MAX_DEPTH))
                    {
                      depth[callee] = MIN (depth[s] + 1, MAX_DEPTH);
                      changed = TRUE;
                    }
                }
            }
        }
    }
  for (guint s = 0; s < sim->n; s++)
    depth[s] = MAX (depth[s], 1);
}

/* The frames per second of simulated time that pile up at @mult (the
 * rate multiplier): at every station without a queue limit or a timeout
 * whose simulated instances are offered more than their slots serve,
 * the requests it cannot serve, each holding its callers' frames
 * (@depth, from station_depths).  They stay frames from window to
 * window (the fluid backlog ahead of them is virtual). */
static double
frames_growth (Sim *sim, double mult, const int *depth)
{
  double growth = 0.0;

  for (guint s = 0; s < sim->n; s++)
    {
      const Station *st = &sim->st[s];
      double k, arrivals = 0.0, work = 0.0;

      if (st->infinite || st->def->queue_limit > 0 || st->timeout_s > 0.0
          || st->n_init <= 0 || st->c <= 0)
        continue;
      k = MIN (st->n_init, sim->K);
      for (int c = 0; c < AB_N_CLASSES; c++)
        {
          double rate = (st->load_user[c] * mult + st->load_bg[c]) * (k / st->n_init)
                        * ab_network_copies (sim->net, (int) s, c, st->n_init);

          arrivals += rate;
          work += rate * st->svc_s[c];
        }
      if (work > k * st->c * (1.0 + 1e-9))
        growth += arrivals * (1.0 - k * st->c / work) * depth[s];
    }
  return growth;
}

/* The frames that pile up over the whole timeline simulated whole (an
 * upper bound: no backlog drains). */
double
des_frames_piled (Sim *sim)
{
  g_autofree int *depth = g_new (int, MAX (sim->n, 1));
  double piled = 0.0;

  station_depths (sim, depth);
  if (sim->warmup > 0.0)
    piled += frames_growth (sim, des_multiplier_integral (sim->sc, -sim->warmup, 0.0) / sim->warmup,
                            depth) * sim->warmup;
  for (guint i = 0; i < sim->sc->phases->len; i++)
    {
      double a = ab_scenario_phase_start (sim->sc, i);
      double d = g_array_index (sim->sc->phases, AbPhase, i).duration_s;

      if (d > 0.0)
        piled += frames_growth (sim, des_multiplier_integral (sim->sc, a, a + d) / d, depth) * d;
    }
  return piled;
}

/* the fewest visits of a slice of a phase with more slices than usual
 * (a backlog that grows) */
#define WINDOW_MIN_VISITS 1000.0
/* the most slices of such a phase: the P50 and P95 of waits that grow
 * steadily are read to a thirty-second of the phase's growth */
#define GROWING_WINDOWS 16

typedef struct {
  double   start, end, cost, min, max;
  gboolean centred;
} Slice;

/* A slice [a, b] of @cost visits that may move within [min, max]
 * (centred: stays in the middle of it). */
static void
add_slice (GArray *slices, double a, double b, double cost, double min, double max, gboolean centred)
{
  Slice sl = { a, b, cost, min, max, centred };

  if (b <= a + 1e-12)
    return;
  if (slices->len > 0 && fabs (g_array_index (slices, Slice, slices->len - 1).end - a) < 1e-9)
    {
      Slice *last = &g_array_index (slices, Slice, slices->len - 1);

      last->end = b;
      last->cost += cost;
      last->max = MAX (max, b);
      last->centred = FALSE;
      return;
    }
  g_array_append_val (slices, sl);
}

/* Plans the slices of a windowed run within @budget visits per
 * replication (docs/simulation.md, "The sample budget").  FALSE when
 * even the smallest slices cost more. */
gboolean
des_plan_windows (Sim *sim, double budget)
{
  const AbScenario *sc = sim->sc;
  g_autoptr(GArray) segs = g_array_new (FALSE, FALSE, sizeof (Segment));
  g_autoptr(GArray) slices = g_array_new (FALSE, FALSE, sizeof (Slice));
  g_autofree double *cost = NULL, *w = NULL;
  g_autofree gboolean *full = NULL;
  g_autofree gboolean *users = g_new (gboolean, MAX (sim->n, 1));
  double total_d = 0.0, left = budget, planned = 0.0, bucket = sim->bucket_s;
  guint n;

  if (sim->warmup > 0.0)
    {
      Segment seg = { 0.0, sim->warmup, -1, FALSE };

      g_array_append_val (segs, seg);
    }
  for (guint i = 0; i < sc->phases->len; i++)
    {
      const AbPhase *ph = &g_array_index (sc->phases, AbPhase, i);
      double a = sim->warmup + ab_scenario_phase_start (sc, i), end = a + ph->duration_s;

      /* a scenario event inside a phase starts a segment: its onset is
       * always simulated */
      for (guint e = 0; e < sc->events->len; e++)
        {
          double t = sim->warmup + g_array_index (sc->events, AbScenarioEvent, e).t_s;

          if (t > a + 1e-9 && t < end - 1e-9)
            {
              Segment seg = { a, t, (int) i, ph->mult_start != ph->mult_end };

              g_array_append_val (segs, seg);
              a = t;
            }
        }
      {
        Segment seg = { a, end, (int) i, ph->mult_start != ph->mult_end };

        g_array_append_val (segs, seg);
      }
    }
  user_stations (sim, users);
  n = segs->len;
  cost = g_new0 (double, n);
  w = g_new0 (double, n);
  full = g_new0 (gboolean, n);
  for (guint i = 0; i < n; i++)
    {
      const Segment *seg = &g_array_index (segs, Segment, i);

      cost[i] = des_expected_visits (sim, sim->K,
                                 des_multiplier_integral (sc, seg->a - sim->warmup, seg->b - sim->warmup),
                                 seg->b - seg->a);
      total_d += seg->b - seg->a;
    }

  /* shares in proportion to duration (at least a quarter of the mean);
   * what a segment simulated whole leaves goes to the others.  With
   * weights per phase (a windowed run's extra passes for the lag), a
   * phase's share is its weight, split over its segments by duration,
   * and a phase of weight 0 (and the warm-up) gets its shortest windows */
#define SEG_WEIGHT(seg) (sim->plan_weight == NULL \
                         ? MAX ((seg)->b - (seg)->a, 0.25 * total_d / n) \
                         : (seg)->phase >= 0 \
                         ? sim->plan_weight[(seg)->phase] * ((seg)->b - (seg)->a) \
                           / MAX (g_array_index (sc->phases, AbPhase, (seg)->phase).duration_s, 1e-9) \
                         : 0.0)
  for (;;)
    {
      double wsum = 0.0;
      gboolean changed = FALSE;

      for (guint i = 0; i < n; i++)
        if (!full[i])
          {
            const Segment *seg = &g_array_index (segs, Segment, i);

            wsum += SEG_WEIGHT (seg);
          }
      for (guint i = 0; i < n; i++)
        {
          const Segment *seg = &g_array_index (segs, Segment, i);
          double share;

          if (full[i])
            continue;
          share = wsum > 0.0 ? MAX (0.0, left) * SEG_WEIGHT (seg) / wsum : 0.0;
          w[i] = cost[i] > 0.0 ? (seg->b - seg->a) * MIN (1.0, share / cost[i]) : seg->b - seg->a;
          if (cost[i] <= share)
            {
              full[i] = TRUE;
              left -= cost[i];
              changed = TRUE;
            }
        }
      if (!changed)
        break;
    }
#undef SEG_WEIGHT

  for (guint i = 0; i < n; i++)
    {
      const Segment *seg = &g_array_index (segs, Segment, i);
      double d = seg->b - seg->a, rate = cost[i] / d;

      w[i] = MAX (w[i], MIN (d, MIN_WINDOW * bucket));
      planned += cost[i] * MIN (1.0, w[i] / d);
      if (w[i] >= d * (1.0 - 1e-9))
        add_slice (slices, seg->a, seg->b, cost[i], seg->a, seg->b, FALSE);
      else if (seg->phase < 0)
        add_slice (slices, seg->b - w[i], seg->b, rate * w[i], seg->b - w[i], seg->b, FALSE);
      else
        {
          double mult = des_multiplier_integral (sc, seg->a - sim->warmup, seg->b - sim->warmup) / d;
          int m = MAX ((int) floor (w[i] / bucket + 1e-9),
                       MIN (seg->ramp ? 4 : 2, (int) floor (w[i] / (0.1 * bucket) + 1e-9)));
          double len;
          /* a backlog without a limit that grows: each slice in the middle
           * of its stretch, so that the waits behind it average to the
           * phase's (the first at the phase's start would read the
           * backlog of its start) */
          gboolean changes = backlog_changes (sim, (const Segment *) segs->data, i, users);
          gboolean centre = seg->ramp || backlog_grows (sim, mult) || (changes && !event_at (sim, seg->a))
                            /* a queue near its slots still settling
                             * from the ramp before */
                            || (i > 0 && g_array_index (segs, Segment, i - 1).ramp
                                && !event_at (sim, seg->a) && settles_slowly (sim, mult));
          /* the users answered behind a backlog that grows without a
           * limit or a timeout waited longer and longer through the
           * phase (docs/simulation.md, "The backlog between windows"),
           * a spread that two slices would read as two waits: as many
           * slices as there may be, up to GROWING_WINDOWS, each of a
           * hundredth of a bucket (MIN_WINDOW) and WINDOW_MIN_VISITS at least */
          gboolean spread = over_capacity (sim, mult, FALSE, users) || changes;

          if (spread)
            m = MAX (m, MIN (MIN (GROWING_WINDOWS, (int) floor (w[i] / (MIN_WINDOW * bucket) + 1e-9)),
                             (int) floor (rate * w[i] / WINDOW_MIN_VISITS + 1e-9)));
          m = CLAMP (m, 1, spread ? GROWING_WINDOWS : 8);
          len = w[i] / m;
          if (len >= bucket)
            len = floor (len / bucket + 1e-9) * bucket;
          /* a backlog that fills or drains from a scenario event: the
           * first slice stays at the event and stands for its own
           * length and half the gap to the next, the others sit in the
           * middle of equal stretches after it.  Slices at the start of
           * equal stretches each read the first moment of theirs:
           * config-management's recovery, draining its failure's
           * backlog 2.75 s of wait a second, read its waits 1 s longer
           * than a whole run through the drain */
          gboolean led = !centre && changes && m >= 2 && len < d / m
                         && !loss_overloads (sim, MIN (seg->a + 1e-6, seg->b), users);
          double gap = led ? (d - 0.5 * len) / (m - 0.5) : d / m;
          double first = led ? 0.5 * (len + gap) : gap;

          for (int j = 0; j < m; j++)
            {
              double slot = j == 0 ? seg->a : seg->a + first + (j - 1) * gap;
              double next = j + 1 < m ? seg->a + first + j * gap : seg->b;
              double start = slot;
              gboolean mid = centre || (led && j > 0);

              /* a ramp's slices sit in the middle of their stretch: the
               * load they see averages to the phase's */
              if (mid)
                start = slot + 0.5 * (next - slot - len);
              else if (j > 0)
                {
                  double g = sim->warmup + ceil ((slot - sim->warmup) / bucket - 1e-9) * bucket;

                  if (g + len <= next + 1e-9)
                    start = g;
                }
              add_slice (slices, start, MIN (start + len, next),
                         rate * (MIN (start + len, next) - start), slot, next, mid);
            }
        }
    }

  /* the run must not run out of frames (docs/simulation.md, "Room for
   * the requests"): when the followed requests piling up behind the
   * backlogs of the planned windows would fill more than ROOM_FRAMES,
   * the windows are shorter (a smaller budget) */
  {
    g_autofree int *depth = g_new (int, MAX (sim->n, 1));
    double piled = 0.0;

    station_depths (sim, depth);
    for (guint i = 0; i < n; i++)
      {
        const Segment *seg = &g_array_index (segs, Segment, i);
        double d = seg->b - seg->a;

        if (d > 0.0)
          piled += frames_growth (sim, des_multiplier_integral (sc, seg->a - sim->warmup,
                                                                seg->b - sim->warmup) / d, depth)
                   * MIN (w[i], d);
      }
    if (piled > ROOM_FRAMES (sim) && budget > 1000.0)
      return des_plan_windows (sim, budget * MAX (0.05, 0.9 * ROOM_FRAMES (sim) / piled));
  }

  sim->n_slices = slices->len;
  sim->sl_start = g_new (double, slices->len);
  sim->sl_start0 = g_new (double, slices->len);
  sim->sl_min = g_new (double, slices->len);
  sim->sl_centred = g_new (gboolean, slices->len);
  sim->sl_end = g_new (double, slices->len);
  sim->sl_end0 = g_new (double, slices->len);
  sim->sl_cost = g_new (double, slices->len);
  sim->sl_cost0 = g_new (double, slices->len);
  sim->sl_max = g_new (double, slices->len);
  for (guint k = 0; k < slices->len; k++)
    {
      const Slice *sl = &g_array_index (slices, Slice, k);

      sim->sl_start[k] = sim->sl_start0[k] = sl->start;
      sim->sl_min[k] = sl->min;
      sim->sl_centred[k] = sl->centred;
      sim->sl_end[k] = sim->sl_end0[k] = sl->end;
      sim->sl_cost[k] = sim->sl_cost0[k] = sl->cost;
      sim->sl_max[k] = sl->max;
    }
  sim->rep_budget = budget;
  return planned <= budget * (1.0 + 1e-9);
}

static void
plan_free (Sim *sim)
{
  g_clear_pointer (&sim->sl_start, g_free);
  g_clear_pointer (&sim->sl_start0, g_free);
  g_clear_pointer (&sim->sl_min, g_free);
  g_clear_pointer (&sim->sl_centred, g_free);
  g_clear_pointer (&sim->sl_end, g_free);
  g_clear_pointer (&sim->sl_end0, g_free);
  g_clear_pointer (&sim->sl_cost, g_free);
  g_clear_pointer (&sim->sl_cost0, g_free);
  g_clear_pointer (&sim->sl_max, g_free);
}

gboolean
des_plan_windows_weighted (Sim *sim, double budget, const double *weight)
{
  gboolean ok;

  plan_free (sim);
  sim->plan_weight = weight;
  ok = des_plan_windows (sim, budget);
  sim->plan_weight = NULL;
  des_windows_per_phase (sim);
  return ok;
}

struct _DesPlan {
  guint     n_slices;
  double   *sl_start, *sl_end, *sl_cost, *sl_min, *sl_max, *sl_start0, *sl_end0, *sl_cost0;
  gboolean *sl_centred;
  double    rep_budget;
  double   *phase_sim;
  guint    *phase_windows;
};

#define DUP(p, n) g_memdup2 ((p), sizeof *(p) * (n))

DesPlan *
des_plan_save (Sim *sim)
{
  DesPlan *plan = g_new0 (DesPlan, 1);
  guint n = sim->n_slices, np = MAX (sim->sc->phases->len, 1);

  plan->n_slices = n;
  plan->sl_start = DUP (sim->sl_start, n);
  plan->sl_end = DUP (sim->sl_end, n);
  plan->sl_cost = DUP (sim->sl_cost, n);
  plan->sl_min = DUP (sim->sl_min, n);
  plan->sl_max = DUP (sim->sl_max, n);
  plan->sl_start0 = DUP (sim->sl_start0, n);
  plan->sl_end0 = DUP (sim->sl_end0, n);
  plan->sl_cost0 = DUP (sim->sl_cost0, n);
  plan->sl_centred = DUP (sim->sl_centred, n);
  plan->rep_budget = sim->rep_budget;
  plan->phase_sim = DUP (sim->phase_sim, np);
  plan->phase_windows = DUP (sim->phase_windows, np);
  return plan;
}

void
des_plan_restore (Sim *sim, DesPlan *plan)
{
  guint np = MAX (sim->sc->phases->len, 1);

  plan_free (sim);
  sim->n_slices = plan->n_slices;
  sim->sl_start = plan->sl_start;
  sim->sl_end = plan->sl_end;
  sim->sl_cost = plan->sl_cost;
  sim->sl_min = plan->sl_min;
  sim->sl_max = plan->sl_max;
  sim->sl_start0 = plan->sl_start0;
  sim->sl_end0 = plan->sl_end0;
  sim->sl_cost0 = plan->sl_cost0;
  sim->sl_centred = plan->sl_centred;
  sim->rep_budget = plan->rep_budget;
  memcpy (sim->phase_sim, plan->phase_sim, sizeof (double) * np);
  memcpy (sim->phase_windows, plan->phase_windows, sizeof (guint) * np);
  g_free (plan->phase_sim);
  g_free (plan->phase_windows);
  g_free (plan);
}

#undef DUP

/* Seconds simulated and slices per phase under the current slices. */
void
des_windows_per_phase (Sim *sim)
{
  for (guint i = 0; i < sim->sc->phases->len; i++)
    {
      double a = sim->warmup + ab_scenario_phase_start (sim->sc, i);
      double d = g_array_index (sim->sc->phases, AbPhase, i).duration_s;

      sim->phase_sim[i] = 0.0;
      sim->phase_windows[i] = 0;
      for (guint k = 0; k < sim->n_slices; k++)
        {
          double lo = MAX (a, sim->sl_start[k]), hi = MIN (a + d, sim->sl_end[k]);

          if (hi > lo + 1e-9)
            {
              sim->phase_sim[i] += hi - lo;
              sim->phase_windows[i]++;
            }
        }
      /* never 0: the batch position of a stray sample stays finite */
      sim->phase_sim[i] = MAX (sim->phase_sim[i], 1e-9);
    }
}

/* How many of its phase's user latencies each one answered in slice @k
 * stands for: the slice stands for its stretch of the phase (the
 * windows were planned alike, each in its stretch), and the re-planning
 * made it shorter or longer than the phase's others, so its answers are
 * weighed by stretch / length over the phase's mean of that.  Where
 * what a phase answers changes along it (the waits behind a backlog
 * that grows or drains, a ramp's load) an unweighed window that the
 * re-planning lengthened would pull the phase's percentiles towards its
 * own (docs/simulation.md, "The backlog between windows"). */
double
des_window_weight (Sim *sim, guint k)
{
  double len, stretch, mid, w;

  if (k >= sim->n_slices)
    return 1.0;
  len = sim->sl_end[k] - sim->sl_start[k];
  stretch = sim->sl_max[k] - sim->sl_min[k];
  if (len <= 1e-12 || stretch <= len * (1.0 + 1e-9))
    return 1.0;
  mid = 0.5 * (sim->sl_start[k] + sim->sl_end[k]);
  w = stretch / len;
  for (guint i = 0; i < sim->sc->phases->len; i++)
    {
      double a = sim->warmup + ab_scenario_phase_start (sim->sc, i);
      double d = g_array_index (sim->sc->phases, AbPhase, i).duration_s;

      if (mid >= a && mid < a + d)
        return w * MIN (sim->phase_sim[i] / MAX (d, 1e-9), 1.0);
    }
  return 1.0;
}

/* After slice @done: the visits so far against the plan say how far off
 * its estimate is (overload rejects early, a draining backlog costs
 * extra); the slices to come are shortened or lengthened (within their
 * part of the phase) to end near the budget. */
void
des_replan (Sim *sim, guint done)
{
  double planned = 0.0, rest = 0.0, spent = (double) (sim->visits - sim->rep_visits0);
  double ratio, scale;

  for (guint k = 0; k < sim->n_slices; k++)
    {
      if (k <= done)
        planned += sim->sl_cost[k];
      else
        rest += sim->sl_cost[k];
    }
  if (planned <= 0.0 || rest <= 0.0)
    return;
  ratio = CLAMP (spent / planned, 0.01, 100.0);
  scale = MAX (0.0, 0.95 * sim->rep_budget - spent) / (ratio * rest);
  for (guint k = done + 1; k < sim->n_slices; k++)
    {
      double len = sim->sl_end[k] - sim->sl_start[k];
      double room = sim->sl_centred[k] ? sim->sl_max[k] - sim->sl_min[k] : sim->sl_max[k] - sim->sl_start[k];
      double nl = CLAMP (len * scale, MIN (len, MIN_WINDOW * sim->bucket_s), room);

      double start = sim->sl_start[k];

      if (sim->sl_centred[k])
        start = 0.5 * (sim->sl_min[k] + sim->sl_max[k] - nl);
      if (nl >= sim->bucket_s)
        {
          /* whole buckets on the bucket grid where it fits: no bucket is
           * left with a sliver of simulated time */
          double b = sim->bucket_s;
          double g = sim->warmup + round ((start - sim->warmup) / b) * b;
          double gl = floor (nl / b + 1e-9) * b;

          if (!sim->sl_centred[k])
            g = start;
          if (g >= sim->sl_min[k] - 1e-9 && g + gl <= sim->sl_max[k] + 1e-9)
            {
              start = MAX (g, sim->sl_min[k]);
              if (fabs (start - (sim->warmup + round ((start - sim->warmup) / b) * b)) < 1e-9)
                nl = gl;
            }
        }
      sim->sl_cost[k] *= nl / len;
      sim->sl_start[k] = start;
      sim->sl_end[k] = start + nl;
    }
  des_windows_per_phase (sim);
  if (sim->cur_phase >= 0)
    sim->batch_inv = sim->nb / sim->phase_sim[sim->cur_phase];
}


/* Share of the user requests followed whole with @K representatives. */
double
des_tracked_fraction (Sim *sim, int K)
{
  double f = 1.0;

  for (guint s = 0; s < sim->n; s++)
    if (sim->st[s].reachable)
      f = MIN (f, (double) (sim->lag_k != NULL ? sim->lag_k[s] : MIN (sim->st[s].n_max, K))
                  / sim->st[s].n_max);
  return f;
}

double
des_expected_visits (Sim *sim, int K, double mult_time, double total_time)
{
  double J = 0.0, f = des_tracked_fraction (sim, K);

  for (guint s = 0; s < sim->n; s++)
    {
      Station *st = &sim->st[s];
      double k = MIN (st->n_init, sim->lag_k != NULL ? sim->lag_k[s] : K);
      double frac = k / st->n_init;

      /* a pass-through class sees only the tracked requests (no phantom
       * load tops it up) */
      for (int c = 0; c < AB_N_CLASSES; c++)
        {
          /* a replica's representatives each apply every write of
           * their shard */
          double fc = frac * ab_network_copies (sim->net, (int) s, c, st->n_init);

          J += (st->svc_s[c] > 0.0 ? fc : f) * (st->load_user[c] * mult_time + st->load_bg[c] * total_time);
        }
    }
  return J;
}
