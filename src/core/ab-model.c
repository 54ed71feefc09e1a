/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The analytical model: arrival rates through the network, Erlang C per
 * instance, and end-to-end latency distributions composed in the Fourier
 * domain of a discretised grid (sums of hops are products, hit / miss and
 * exclusive branches are mixtures), so a 200-station design takes well
 * under a millisecond.
 *
 * This part: the evaluation, and the distributions a hop multiplies its
 * transform with.  The closed forms, the grid (FFT, buffers, spectra)
 * and the backlog over a scenario are parts of their own, listed in
 * ab-model-private.h. */
#define G_LOG_DOMAIN "archboard-model"

#include "config.h"

#include "ab-model-private.h"
#include "ab-model-chain.h"

/* ---- grid transforms ---- */

/* @f *= (1 - p) * no delay + p * Exp(mean) */
static void
mul_exponential (Ctx   *ctx,
                 cplx  *f,
                 double mean,
                 double p)
{
  const cplx *g = exponential_spectrum (ctx, mean);

  if (p >= 1.0)
    for (int j = 0; j < BINS; j++)
      f[j] *= g[j];
  else
    for (int j = 0; j < BINS; j++)
      f[j] *= (1.0 - p) + p * g[j];
}

static void
mul_lognormal (Ctx   *ctx,
               cplx  *f,
               double mean,
               double cv)
{
  double sigma2 = log (1.0 + cv * cv);
  double sigma = sqrt (sigma2);
  double mu = log (mean) - sigma2 / 2.0;
  cplx *x = mc_buf (ctx->mc, BUF_LEAF, GRID, sizeof (cplx));
  double prev = 0.0;

  for (int m = 0; m < GRID; m++)
    {
      double edge = (m + 0.5) * ctx->h;
      double cdf = m == GRID - 1 ? 1.0 : 0.5 * erfc (-(log (edge) - mu) / (sigma * G_SQRT2));
      x[m] = cdf - prev;
      prev = cdf;
    }
  fft (x, FALSE);
  for (int j = 0; j < BINS; j++)
    f[j] *= x[j];
}

/* @f *= (1 - p) + p * (density ~ e^(-theta x) on (0, d]) */
static void
mul_trunc_exp (Ctx   *ctx,
               cplx  *f,
               double theta,
               double d,
               double p)
{
  cplx *x;
  double prev = 0.0, t = fabs (theta) * d;

  if (theta > 0.0 && t > 40.0)
    {
      /* the cut lies far in the tail (e^-40): an exponential */
      mul_exponential (ctx, f, 1.0 / theta, p);
      return;
    }
  x = mc_buf (ctx->mc, BUF_LEAF, GRID, sizeof (cplx));
  for (int m = 0; m < GRID; m++)
    {
      double edge = MIN ((m + 0.5) * ctx->h, d), cdf;

      if (m == GRID - 1 || edge >= d)
        cdf = 1.0;
      else if (t < 1e-9)
        cdf = edge / d;
      else if (theta > 0.0)
        cdf = -expm1 (-theta * edge) / -expm1 (-theta * d);
      else
        cdf = (exp (theta * (d - edge)) - exp (theta * d)) / -expm1 (theta * d);
      x[m] = cdf - prev;
      prev = cdf;
    }
  fft (x, FALSE);
  for (int j = 0; j < BINS; j++)
    f[j] *= (1.0 - p) + p * x[j];
}

static void mul_shift (Ctx *ctx, cplx *f, double t);

/* log (n!) for whole n >= 0 (lgamma writes the global signgam, and the
 * model runs in worker threads): exact sums below 16, else Stirling's
 * series, which is then good to 1e-15 */
static double
log_factorial (double n)
{
  if (n < 16.0)
    {
      double acc = 0.0;

      for (double k = 2.0; k <= n; k++)
        acc += log (k);
      return acc;
    }
  {
    double n2 = n * n;

    return n * log (n) - n + 0.5 * log (2.0 * G_PI * n)
           + 1.0 / (12.0 * n) - 1.0 / (360.0 * n * n2) + 1.0 / (1260.0 * n * n2 * n2);
  }
}

/* Tail weight of the M/M/c/K wait's stage count: the chance that it has
 * more than @j stages (weights ~ @rho^i on i + 1 stages, i < @q), from
 * @rj = rho^j (rho <= 1) or (1 / rho)^(q - j) (rho > 1). */
static inline double
erlang_mix_tail (double rho,
                 double q,
                 double j,
                 double rj,
                 double norm)
{
  if (fabs (rho - 1.0) < 1e-9)
    return (q - j) / q;
  if (rho < 1.0)
    return (rj - norm) / (1.0 - norm);     /* norm = rho^q */
  return (1.0 - rj) / (1.0 - norm);        /* norm = (1 / rho)^q */
}

/* @f *= (1 - p) + p * (the M/M/c/K wait given a wait: Erlang (i + 1,
 * theta) with weight ~ rho^i, i < q).  Its distribution function is
 * evaluated exactly on the grid: P(wait <= x) = 1 - sum_j P(N = j) T_j,
 * N Poisson with mean theta x and T_j the chance of more than j stages.
 * (Multiplying the transforms of grid-binned exponential stages instead
 * rounds every stage shorter than half a grid step to nothing, so a full
 * queue of short stages -- an overloaded station -- came out with no
 * wait at all.) */
static void
mul_erlang_mix (Ctx  *ctx,
                cplx *f,
                int   station,
                double p)
{
  double theta = ctx->wait_theta[station], rho = ctx->wait_rho[station], q = ctx->wait_q[station];
  double norm, prev = 0.0;
  cplx *x;

  q = MAX (q, 1.0);
  if (rho < 1.0 && q * log (rho) < log (1e-15))
    {
      /* the room is never full: the plain M/M/c wait, exponential
       * with rate theta (1 - rho) */
      mul_exponential (ctx, f, 1.0 / (theta * (1.0 - rho)), p);
      return;
    }
  norm = rho < 1.0 ? pow (rho, q) : pow (1.0 / rho, q);
  x = mc_buf (ctx->mc, BUF_LEAF, GRID, sizeof (cplx));
  for (int m = 0; m < GRID; m++)
    {
      double lambda = theta * (m + 0.5) * ctx->h, cdf = 1.0;

      if (m < GRID - 1 && prev < 1.0 - 1e-15)
        {
          double spread = 12.0 * sqrt (lambda) + 12.0;
          double j0 = MAX (0.0, floor (lambda - spread));
          double j1 = MIN (q - 1.0, ceil (lambda + spread));
          double tail = 0.0;

          if (j0 <= j1)
            {
              double pois = exp (j0 * log (MAX (lambda, 1e-300)) - lambda - log_factorial (j0));
              double rj = rho < 1.0 ? pow (rho, j0) : pow (1.0 / rho, q - j0);

              if (lambda <= 0.0)
                pois = j0 == 0.0 ? 1.0 : 0.0;
              for (double j = j0; j <= j1; j++)
                {
                  tail += pois * erlang_mix_tail (rho, q, j, rj, norm);
                  pois *= lambda / (j + 1.0);
                  rj *= rho;   /* rho^(j + 1), or (1 / rho)^(q - j - 1) */
                }
            }
          cdf = CLAMP (1.0 - tail, prev, 1.0);
        }
      x[m] = cdf - prev;
      prev = cdf;
    }
  fft (x, FALSE);
  for (int j = 0; j < BINS; j++)
    f[j] *= (1.0 - p) + p * x[j];
}

static void mul_hyper (Ctx *ctx, cplx *f, int station, double p);

static void
mul_shift (Ctx   *ctx,
           cplx  *f,
           double t)
{
  const cplx *s = shift_spectrum (ctx, t);

  if (s != NULL)
    for (int j = 0; j < BINS; j++)
      f[j] *= s[j];
}

/* @f *= a time spread evenly over [@a, @b] ms (a delay when the two are
 * closer than a grid step) */
static void
mul_uniform (Ctx   *ctx,
             cplx  *f,
             double a,
             double b)
{
  cplx *x;
  double prev = 0.0;

  if (b - a < 0.5 * ctx->h)
    {
      mul_shift (ctx, f, 0.5 * (a + b));
      return;
    }
  x = mc_buf (ctx->mc, BUF_LEAF, GRID, sizeof (cplx));
  for (int m = 0; m < GRID; m++)
    {
      double cdf = m == GRID - 1 ? 1.0 : CLAMP (((m + 0.5) * ctx->h - a) / (b - a), 0.0, 1.0);

      x[m] = cdf - prev;
      prev = cdf;
    }
  fft (x, FALSE);
  for (int j = 0; j < BINS; j++)
    f[j] *= x[j];
}

/* ---- routing helpers aware of lost stations ---- */

/* The share of a station's arrivals that it does not pass on: what fails
 * there, and what still waits behind a backlog that grows without bound
 * (its `unserved`). */
static inline double
station_held (const AbStationResult *r)
{
  return 1.0 - (1.0 - r->loss) * (1.0 - r->unserved);
}

/* What counts as failing at station @x in an end-to-end figure: its loss,
 * and for served rates (@ctx->unserved_fails) what still waits there. */
static inline double
station_fail (const Ctx *ctx,
              int        x)
{
  const AbStationResult *r = &ctx->res->stations[x];

  return ctx->unserved_fails ? station_held (r) : r->loss;
}

static int
effective_callee (const Ctx *ctx,
                  int        callee)
{
  const gboolean *down = ctx->input->down;
  int guard = 0;

  while (down != NULL && down[callee] && guard++ < 8)
    {
      if (ctx->input->failover_pending)
        return -1;
      int to = ctx->net->stations[callee].failover_to;
      if (to < 0 || (guint) to >= ctx->net->n_stations)
        return -1;
      callee = to;
    }
  if (down != NULL && down[callee])
    return -1;
  return callee;
}

static gboolean
model_live (gconstpointer data,
            int           station)
{
  return effective_callee (data, station) >= 0;
}

/* A lost member's share of a covering group goes to the live ones. */
static double
live_factor (const Ctx        *ctx,
             const AbCallList *list,
             guint             index)
{
  if (ctx->input->down == NULL)
    return 1.0;
  if (ctx->live != NULL)
    return ctx->live[ctx->call_first[list - ctx->net->calls] + index];
  return ab_network_group_live_factor (ctx->net, list, index, model_live, ctx);
}

/* Numbers the calls of the network (@ctx->call_first), marks those with
 * a miss path (@ctx->dependents) and, when stations are lost, fills
 * @ctx->live. */
static void live_table (Ctx *ctx);

static void
index_calls (Ctx *ctx)
{
  guint nn = ctx->net->n_stations * AB_N_CLASSES, total = 0;

  ctx->call_first = mc_buf (ctx->mc, BUF_CALL_FIRST, nn, sizeof (guint));
  for (guint i = 0; i < nn; i++)
    {
      ctx->call_first[i] = total;
      total += ctx->net->calls[i].n_calls;
    }
  ctx->dependents = mc_buf0 (ctx->mc, BUF_DEPENDENTS, total, sizeof (gboolean));
  for (guint i = 0; i < nn; i++)
    for (guint j = 0; j < ctx->net->calls[i].n_calls; j++)
      {
        int of = ctx->net->calls[i].calls[j].on_miss_of;

        if (of >= 0 && (guint) of < ctx->net->calls[i].n_calls)
          ctx->dependents[ctx->call_first[i] + (guint) of] = TRUE;
      }
  ctx->live = NULL;
  if (ctx->input->down != NULL)
    {
      ctx->live = mc_buf (ctx->mc, BUF_LIVE, total, sizeof (double));
      live_table (ctx);
    }
}

/* Fills @ctx->live (a group at a time, so that a wide group costs linear
 * time) from @ctx->call_first and @ctx->dependents. */
static void
live_table (Ctx *ctx)
{
  for (guint v = 0; v < ctx->net->n_stations * AB_N_CLASSES; v++)
    {
      const AbCallList *list = &ctx->net->calls[v];
      double *factors = ctx->live + ctx->call_first[v];

      for (guint i = 0; i < list->n_calls; i++)
        factors[i] = 1.0;
      /* the calls after no call, then those after each call with a miss path */
      for (int parent = -1; parent < (int) list->n_calls; parent++)
        {
          AbCallGroupIter it;

          if (parent >= 0 && !ctx->dependents[ctx->call_first[v] + (guint) parent])
            continue;
          ab_call_group_iter_init (&it, list, parent, AB_CALLS_ALL);
          while (ab_call_group_iter_next (&it))
            if (it.group >= 0)
              ab_call_group_iter_live_factors (&it, ctx->net, model_live, ctx, factors);
        }
    }
}

static double
callee_hit (const Ctx    *ctx,
            const AbCall *call)
{
  int callee = effective_callee (ctx, call->callee);

  if (callee < 0 || call->as_class != AB_CLASS_READ)
    return 0.0;
  return ctx->net->stations[callee].hit_ratio;
}

static double
call_probability (const Ctx        *ctx,
                  const AbCallList *list,
                  guint             index)
{
  const AbCall *call = &list->calls[index];
  double p = call->probability * live_factor (ctx, list, index);
  int guard = 0;

  while (call->on_miss_of >= 0 && (guint) call->on_miss_of < list->n_calls && guard++ < 64)
    {
      const AbCall *parent = &list->calls[call->on_miss_of];
      p *= parent->probability * (1.0 - callee_hit (ctx, parent));
      call = parent;
    }
  return p;
}

/* TRUE when a call of @list falls back on call @index (cache-aside):
 * looked up in the table built once per evaluation, so that a wide list
 * costs linear time. */
static gboolean
has_dependents (const Ctx        *ctx,
                const AbCallList *list,
                guint             index)
{
  gsize node = (gsize) (list - ctx->net->calls);

  return ctx->dependents[ctx->call_first[node] + index];
}

static double
onward (const Ctx *ctx,
        int        station,
        int        klass)
{
  const AbStation *s = &ctx->net->stations[station];

  if (klass == AB_CLASS_READ && s->hit_ratio > 0.0)
    return 1.0 - s->hit_ratio;
  return 1.0;
}

/* ---- latency composition ---- */

static void node_eval (Ctx *ctx, int node);
static void calls_block (Ctx *ctx, const AbCallList *list, int parent, Dist *out, double *fail);

/* The whole visit to @node: hop, then with the miss chance its calls. */
static const Dist *
node_phi (Ctx *ctx,
          int  node)
{
  Dist *phi = &ctx->phi[node];
  const Dist *hop = &ctx->hop[node], *calls = &ctx->calls[node];
  double go = onward (ctx, node / AB_N_CLASSES, node % AB_N_CLASSES);

  node_eval (ctx, node);
  if (ctx->phi_done[node])
    return phi;
  phi->m1 = hop->m1 + go * calls->m1;
  phi->m2 = hop->m2 + go * calls->m2 + 2.0 * hop->m1 * go * calls->m1;
  phi->f = NULL;
  if (ctx->spectra)
    {
      phi->f = ctx_spectrum (ctx);
      for (int j = 0; j < BINS; j++)
        {
          cplx c = calls->f != NULL ? calls->f[j] : 1.0;
          cplx hv = hop->f != NULL ? hop->f[j] : 1.0;
          phi->f[j] = hv * ((1.0 - go) + go * c);
        }
    }
  ctx->phi_done[node] = TRUE;
  return phi;
}

/* What call @index adds when it is made, as a transform written to @term
 * (a buffer; NULL in the moments pass) and moments. */
static void
call_term (Ctx              *ctx,
           const AbCallList *list,
           guint             index,
           cplx             *term,
           double           *m1,
           double           *m2,
           double           *fail)
{
  const AbCall *call = &list->calls[index];
  int callee = effective_callee (ctx, call->callee);
  gboolean dependents = has_dependents (ctx, list, index);
  Dist miss;
  double miss_fail = 0.0;
  const cplx *shift = shift_spectrum (ctx, call->net_ms);

  if (dependents)
    calls_block (ctx, list, (int) index, &miss, &miss_fail);
  else
    dist_identity (&miss);

  if (callee < 0)
    {
      /* a lost callee: a miss when someone covers for it, else a failure */
      *m1 = dependents ? miss.m1 : 0.0;
      *m2 = dependents ? miss.m2 : 0.0;
      *fail = dependents ? miss_fail : 1.0;
      if (term != NULL)
        for (int j = 0; j < BINS; j++)
          term[j] = dependents && miss.f != NULL ? miss.f[j] : 1.0;
      return;
    }

  {
    int node = callee * AB_N_CLASSES + call->as_class;
    double d = call->net_ms;

    if (!dependents)
      {
        const Dist *phi = node_phi (ctx, node);

        *m1 = d + phi->m1;
        *m2 = phi->m2 + 2.0 * d * phi->m1 + d * d;
        if (term != NULL)
          for (int j = 0; j < BINS; j++)
            term[j] = (shift != NULL ? shift[j] : 1.0) * (phi->f != NULL ? phi->f[j] : 1.0);
        *fail = 1.0 - (1.0 - station_fail (ctx, callee)) * (1.0 - onward (ctx, callee, call->as_class) * ctx->fail[node]);
      }
    else
      {
        /* hop, then on a miss the callee's own calls and the caller's miss calls */
        double hit = callee_hit (ctx, call);
        const Dist *hop = &ctx->hop[node], *calls = &ctx->calls[node];
        double a1 = calls->m1 + miss.m1;
        double a2 = calls->m2 + miss.m2 + 2.0 * calls->m1 * miss.m1;
        double after_fail;

        node_eval (ctx, node);
        after_fail = 1.0 - (1.0 - ctx->fail[node]) * (1.0 - miss_fail);
        *m1 = d + hop->m1 + (1.0 - hit) * a1;
        *m2 = d * d + hop->m2 + (1.0 - hit) * a2 + 2.0 * d * hop->m1
              + 2.0 * (d + hop->m1) * (1.0 - hit) * a1;
        if (term != NULL)
          for (int j = 0; j < BINS; j++)
            {
              cplx after = (calls->f != NULL ? calls->f[j] : 1.0) * (miss.f != NULL ? miss.f[j] : 1.0);
              term[j] = (shift != NULL ? shift[j] : 1.0) * (hop->f != NULL ? hop->f[j] : 1.0)
                        * (hit + (1.0 - hit) * after);
            }
        *fail = 1.0 - (1.0 - station_fail (ctx, callee)) * (1.0 - (1.0 - hit) * after_fail);
      }
  }
}

/* The calls of @list whose on_miss_of is @parent: independent calls in
 * sequence, each group one exclusive choice. */
static void
calls_block (Ctx              *ctx,
             const AbCallList *list,
             int               parent,
             Dist             *out,
             double           *fail)
{
  double ok = 1.0;
  cplx *term = NULL, *mix = NULL;

  AbCallGroupIter it;

  dist_identity (out);
  ab_call_group_iter_init (&it, list, parent, AB_CALLS_SYNC);
  while (ab_call_group_iter_next (&it))
    {
      double m1, m2, term_fail;
      guint k;

      if (ctx->spectra && term == NULL)
        term = ctx_scratch (ctx, 0);
      if (it.group < 0)
        {
          double p = MIN (it.total, 1.0);

          call_term (ctx, list, it.first, term, &m1, &m2, &term_fail);
          mom_add (out, p * m1, p * m2);
          if (term != NULL)
            {
              if (out->f == NULL)
                {
                  out->f = ctx_spectrum (ctx);
                  for (int j = 0; j < BINS; j++)
                    out->f[j] = (1.0 - p) + p * term[j];
                }
              else
                for (int j = 0; j < BINS; j++)
                  out->f[j] *= (1.0 - p) + p * term[j];
            }
          ok *= 1.0 - p * term_fail;
        }
      else
        {
          double group_fail = 0.0, g1 = 0.0, g2 = 0.0;
          double scale = it.total > 1.0 ? 1.0 / it.total : 1.0;

          if (ctx->spectra)
            {
              if (mix == NULL)
                mix = ctx_scratch (ctx, 1);
              for (int j = 0; j < BINS; j++)
                mix[j] = 1.0 - it.total * scale;
            }
          while (ab_call_group_iter_next_member (&it, &k))
            {
              double p = list->calls[k].probability * scale * live_factor (ctx, list, k);

              if (p <= 0.0)
                continue;
              call_term (ctx, list, k, term, &m1, &m2, &term_fail);
              g1 += p * m1;
              g2 += p * m2;
              group_fail += p * term_fail;
              if (term != NULL)
                for (int j = 0; j < BINS; j++)
                  mix[j] += p * term[j];
            }
          mom_add (out, g1, g2);
          if (mix != NULL)
            {
              if (out->f == NULL)
                {
                  out->f = ctx_spectrum (ctx);
                  memcpy (out->f, mix, sizeof (cplx) * BINS);
                }
              else
                for (int j = 0; j < BINS; j++)
                  out->f[j] *= mix[j];
            }
          ok *= 1.0 - group_fail;
        }
    }
  *fail = 1.0 - ok;
}

/* The wait at a station that drains a backlog (ctx->drain): behind
 * the backlog (pieces spread evenly) for its share of the answers, else
 * the steady wait (wait_c x Exp (wait_mean)).  Its first two moments, and
 * @f *= its spectrum. */
static double
drain_m1 (const Ctx *ctx,
          int        x)
{
  const AbModelWaits *w = ctx->drain[x];
  double m = 0.0;

  for (guint j = 0; j < w->n; j++)
    m += w->weight[j] * (w->lo_ms[j] + w->hi_ms[j]) / 2.0;
  return w->share * m + (1.0 - w->share) * ctx->wait_c[x]
                         * (ctx->wait_kind[x] != WAIT_EXP ? ctx->wait_m1[x] : ctx->wait_mean[x]);
}

static double
drain_m2 (const Ctx *ctx,
          int        x)
{
  const AbModelWaits *w = ctx->drain[x];
  double m = 0.0, wm = ctx->wait_mean[x];

  for (guint j = 0; j < w->n; j++)
    m += w->weight[j] * (w->lo_ms[j] * w->lo_ms[j] + w->lo_ms[j] * w->hi_ms[j] + w->hi_ms[j] * w->hi_ms[j]) / 3.0;
  return w->share * m + (1.0 - w->share) * ctx->wait_c[x]
                         * (ctx->wait_kind[x] != WAIT_EXP ? ctx->wait_m2[x] : 2.0 * wm * wm);
}

static void
mul_drain (Ctx  *ctx,
           cplx *f,
           int   x)
{
  const AbModelWaits *w = ctx->drain[x];
  cplx *mix = mc_buf (ctx->mc, BUF_DRAIN_X, GRID, sizeof (cplx));
  cplx *steady = mc_buf (ctx->mc, BUF_DRAIN_E, BINS, sizeof (cplx));

  for (int m = 0; m < GRID; m++)
    mix[m] = 0.0;
  for (guint j = 0; j < w->n; j++)
    {
      double a = w->lo_ms[j], b = w->hi_ms[j], prev = 0.0;

      if (b - a < 0.5 * ctx->h)
        {
          /* narrower than a step: in the step of its middle */
          int m = (int) floor (0.5 * (a + b) / ctx->h + 0.5);

          mix[CLAMP (m, 0, GRID - 1)] += w->weight[j];
          continue;
        }
      for (int m = 0; m < GRID; m++)
        {
          double cdf = m == GRID - 1 ? 1.0 : CLAMP (((m + 0.5) * ctx->h - a) / (b - a), 0.0, 1.0);

          mix[m] += w->weight[j] * (cdf - prev);
          prev = cdf;
          if (cdf >= 1.0)
            break;
        }
    }
  fft (mix, FALSE);
  for (int j = 0; j < BINS; j++)
    steady[j] = 1.0;
  if (ctx->wait_c[x] > 0.0 && ctx->wait_kind[x] == WAIT_TRUNC_EXP)
    mul_trunc_exp (ctx, steady, ctx->wait_theta[x], ctx->wait_q[x], ctx->wait_c[x]);
  else if (ctx->wait_c[x] > 0.0 && ctx->wait_kind[x] == WAIT_EXP && ctx->wait_mean[x] > 0.0)
    mul_exponential (ctx, steady, ctx->wait_mean[x], ctx->wait_c[x]);
  for (int j = 0; j < BINS; j++)
    f[j] *= w->share * mix[j] + (1.0 - w->share) * steady[j];
}

static void
hop_dist (Ctx  *ctx,
          int   node,
          Dist *out)
{
  int station = node / AB_N_CLASSES, klass = node % AB_N_CLASSES;
  const AbStation *s = &ctx->net->stations[station];
  double service = s->service_ms[klass];
  double wc = ctx->wait_c[station], wm = ctx->wait_mean[station], fixed = ctx->fixed_ms[station];
  double spread = ctx->spread_ms[station];
  double s2;

  guint8 kind = ctx->wait_kind[station];

  dist_identity (out);
  if (ctx->drain[station] != NULL)
    mom_add (out, drain_m1 (ctx, station), drain_m2 (ctx, station));
  else if (fixed > 0.0)
    mom_add (out, fixed, fixed * fixed + spread * spread / 12.0);
  else if (wc > 0.0 && kind != WAIT_EXP)
    mom_add (out, wc * ctx->wait_m1[station], wc * ctx->wait_m2[station]);
  else if (wc > 0.0 && wm > 0.0)
    mom_add (out, wc * wm, wc * 2.0 * wm * wm);
  s2 = s->dist == AB_DIST_DETERMINISTIC ? service * service
       : s->dist == AB_DIST_LOGNORMAL && s->cv > 0.0 ? service * service * (1.0 + s->cv * s->cv)
       : 2.0 * service * service;
  if (service > 0.0)
    mom_add (out, service, s2);

  if (!ctx->spectra || (fixed <= 0.0 && !(wc > 0.0 && wm > 0.0) && service <= 0.0
                        && ctx->drain[station] == NULL))
    return;
  out->f = ctx_spectrum (ctx);
  for (int j = 0; j < BINS; j++)
    out->f[j] = 1.0;
  if (ctx->drain[station] != NULL)
    mul_drain (ctx, out->f, station);
  else if (fixed > 0.0)
    mul_uniform (ctx, out->f, fixed - spread / 2.0, fixed + spread / 2.0);
  else if (wc > 0.0 && kind == WAIT_ERLANG_MIX)
    mul_erlang_mix (ctx, out->f, station, wc);
  else if (wc > 0.0 && kind == WAIT_TRUNC_EXP)
    mul_trunc_exp (ctx, out->f, ctx->wait_theta[station], ctx->wait_q[station], wc);
  else if (wc > 0.0 && kind == WAIT_HYPER)
    mul_hyper (ctx, out->f, station, wc);
  else if (wc > 0.0 && wm > 0.0)
    mul_exponential (ctx, out->f, wm, wc);
  if (service <= 0.0)
    return;
  if (s->dist == AB_DIST_DETERMINISTIC)
    mul_shift (ctx, out->f, service);
  else if (s->dist == AB_DIST_LOGNORMAL && s->cv > 0.0)
    mul_lognormal (ctx, out->f, service, s->cv);
  else
    mul_exponential (ctx, out->f, service, 1.0);
}

static void
node_eval (Ctx *ctx,
           int  node)
{
  if (ctx->state[node] != 0)
    return;  /* done, or a cycle back into a node being evaluated */
  ctx->state[node] = 1;
  ctx->depth++;
  hop_dist (ctx, node, &ctx->hop[node]);
  calls_block (ctx, &ctx->net->calls[node], -1, &ctx->calls[node], &ctx->fail[node]);
  ctx->depth--;
  ctx->state[node] = 2;
}

/* End-to-end distribution of @klass over its entries, written to @out
 * (a buffer of BINS in the spectra pass). */
static void
class_total (Ctx   *ctx,
             int    klass,
             Dist  *out,
             double *fail)
{
  double total = 0.0;

  dist_identity (out);
  out->f = ctx_spectrum (ctx);
  if (out->f != NULL)
    for (int j = 0; j < BINS; j++)
      out->f[j] = 0.0;
  *fail = 0.0;
  for (guint e = 0; e < ctx->net->entries[klass].n; e++)
    {
      int station = ctx->net->entries[klass].stations[e];
      int node = station * AB_N_CLASSES + klass;
      double share = ctx->net->entries[klass].shares[e];
      const Dist *d;

      total += share;
      if (ctx->input->down != NULL && ctx->input->down[station])
        {
          *fail += share;
          if (out->f != NULL)
            for (int j = 0; j < BINS; j++)
              out->f[j] += share;
          continue;
        }
      d = node_phi (ctx, node);
      out->m1 += share * d->m1;
      out->m2 += share * d->m2;
      if (out->f != NULL)
        for (int j = 0; j < BINS; j++)
          out->f[j] += share * (d->f != NULL ? d->f[j] : 1.0);
      *fail += share * (1.0 - (1.0 - station_fail (ctx, station))
                        * (1.0 - onward (ctx, station, klass) * ctx->fail[node]));
    }
  if (total > 0.0)
    {
      out->m1 /= total;
      out->m2 /= total;
      *fail /= total;
      if (out->f != NULL)
        for (int j = 0; j < BINS; j++)
          out->f[j] /= total;
    }
  else if (out->f != NULL)
    for (int j = 0; j < BINS; j++)
      out->f[j] = 1.0;
}

static double
grid_quantile (const double *cdf,
               double        h,
               double        q)
{
  for (int m = 0; m < GRID; m++)
    if (cdf[m] >= q)
      {
        double lo_t = m == 0 ? 0.0 : (m - 0.5) * h;
        double lo_c = m == 0 ? 0.0 : cdf[m - 1];
        double hi_t = (m + 0.5) * h;

        if (cdf[m] - lo_c <= 1e-15)
          return hi_t;
        return lo_t + (hi_t - lo_t) * (q - lo_c) / (cdf[m] - lo_c);
      }
  return GRID * h;
}

static double
grid_cdf_at (const double *cdf,
             double        h,
             double        t)
{
  double b;
  int m;

  if (cdf == NULL || h <= 0.0)
    return 1.0;
  if (t <= 0.0)
    return 0.0;
  b = t / h - 0.5;
  if (b < 0.0)
    return cdf[0] * t / (0.5 * h);
  m = (int) floor (b);
  if (m >= GRID - 1)
    return 1.0;
  return cdf[m] + (cdf[m + 1] - cdf[m]) * (b - m);
}

double
ab_model_latency_cdf (const AbModelResult *result,
                      int                  klass,
                      double               t_ms)
{
  double total, acc = 0.0;

  g_return_val_if_fail (result != NULL, 0.0);

  if (klass >= 0 && klass < AB_N_CLASSES)
    return grid_cdf_at (result->grid_cdf[klass], result->grid_step_ms[klass], t_ms);
  total = result->class_offered_rps[AB_CLASS_READ] + result->class_offered_rps[AB_CLASS_WRITE];
  if (total <= 0.0)
    return 1.0;
  for (int k = 0; k < AB_N_CLASSES; k++)
    acc += result->class_offered_rps[k] / total
           * grid_cdf_at (result->grid_cdf[k], result->grid_step_ms[k], t_ms);
  return acc;
}

static double
mixture_quantile (const AbModelResult *result,
                  double               q)
{
  double lo = 0.0, hi = 1.0;

  while (ab_model_latency_cdf (result, AB_N_CLASSES, hi) < q && hi < 1e9)
    hi *= 2.0;
  for (int i = 0; i < 60; i++)
    {
      double mid = (lo + hi) / 2.0;
      if (ab_model_latency_cdf (result, AB_N_CLASSES, mid) < q)
        lo = mid;
      else
        hi = mid;
    }
  return (lo + hi) / 2.0;
}

/* ---- background chains ---- */

typedef struct {
  double num, den;     /* terminal stages: rate x time from the chain's start */
  double total, fail;  /* every stage: rate, rate that fails */
  double *end_num, *end_den; /* num and den per station the chains end at */
  /* terminal stages: rate x the lag's growth (ms per s) */
  double grow;
  double *end_grow;    /* per station the chains end at */
} LagAcc;

/* A background visit to station @x, a station without a queue limit
 * whose backlog is still growing (short of what its timeout lets wait)
 * or draining: what it waits for that backlog against the station's own
 * steady wait (ms: its drain time instead of the default timeout, or of
 * the patience's steady state, an overloaded one gives a user), how fast
 * that grows (ms per s) and the share of background work that gets
 * through (nothing has waited long enough to give up: none of it is lost
 * there; lost shards still fail).  FALSE for any other station, and once
 * the backlog fills what the timeout lets wait (the steady state then). */
static gboolean
backlog_wait (const Ctx *ctx,
              int        x,
              double    *shift_ms,
              double    *growth,
              double    *keep)
{
  const AbStationResult *r = &ctx->res->stations[x];
  double cap = r->capacity_rps;

  if (r->backlog_rps == 0.0 || !(cap > 0.0) || !isfinite (cap))
    return FALSE;
  *growth = 0.0;
  *keep = 1.0 - r->loss;
  if (!r->overloaded)
    {
      /* draining what an earlier overload left */
      *shift_ms = 1000.0 * r->backlog / cap;
      return *shift_ms > 0.0;
    }
  if (r->backlog >= r->backlog_max * (1.0 - 1e-9))
    return FALSE;
  *shift_ms = 1000.0 * r->backlog / cap - r->mean_wait_ms;
  *growth = 1000.0 * r->backlog_rps / cap;
  *keep = ctx->bg_over[x] < 1.0 ? (1.0 - r->loss) / (1.0 - ctx->bg_over[x]) : 0.0;
  return TRUE;
}

#define LAG_MAX_DEPTH 32

static void lag_chain (Ctx *ctx, int node, double rate, double t, double g, int depth, LagAcc *acc);

/* The async calls a visit to @node makes (@rate: its visits per second
 * that make calls), at @t ms after the chain started: each starts a
 * stage; with @nested, the async calls of its synchronous callees too.
 * @nospawn is multiplied by the chance that no async work follows. */
static void
lag_spawns (Ctx      *ctx,
            int       node,
            double    rate,
            double    t,
            double    g,
            gboolean  nested,
            int       depth,
            double   *nospawn,
            LagAcc   *acc)
{
  const AbCallList *list = &ctx->net->calls[node];

  if (depth > LAG_MAX_DEPTH)
    return;
  for (guint i = 0; i < list->n_calls; i++)
    {
      const AbCall *call = &list->calls[i];
      int callee = effective_callee (ctx, call->callee);
      double q = MIN (call_probability (ctx, list, i), 1.0);
      int cn;

      if (q <= 0.0)
        continue;
      if (callee < 0)
        {
          /* background work handed to a lost component (no failover, no
           * live sibling to take its share) fails, as in the DES: a
           * stage of the chain that fails, and the chain's end */
          if (call->async && rate > 0.0)
            {
              acc->total += rate * q;
              acc->fail += rate * q;
              *nospawn *= 1.0 - q;
            }
          continue;
        }
      cn = callee * AB_N_CLASSES + call->as_class;
      if (call->async)
        {
          lag_chain (ctx, cn, rate * q, t + call->net_ms, g, depth + 1, acc);
          *nospawn *= 1.0 - q;
        }
      else if (nested)
        {
          double inner = 1.0, go = onward (ctx, callee, call->as_class);

          node_eval (ctx, cn);
          lag_spawns (ctx, cn, rate * q * (1.0 - station_held (&ctx->res->stations[callee])) * go,
                      t + call->net_ms + ctx->hop[cn].m1, g, TRUE, depth + 1, &inner, acc);
          *nospawn *= 1.0 - q * go * (1.0 - inner);
        }
    }
}

/* A background stage: a visit to @node at @rate per second that starts
 * @t ms after its chain did, @t growing by @g ms per second (a backlog
 * that grows on the way). */
static void
lag_chain (Ctx    *ctx,
           int     node,
           double  rate,
           double  t,
           double  g,
           int     depth,
           LagAcc *acc)
{
  int x = node / AB_N_CLASSES, k = node % AB_N_CLASSES;
  double loss = ctx->res->stations[x].loss, go = onward (ctx, x, k);
  double ok, nospawn = 1.0, shift = 0.0, growth = 0.0, keep;
  const Dist *phi;

  if (rate <= 0.0 || depth > LAG_MAX_DEPTH)
    return;
  phi = node_phi (ctx, node);
  /* behind a backlog without a limit background work waits instead of
   * failing */
  if (backlog_wait (ctx, x, &shift, &growth, &keep))
    loss = 1.0 - keep;
  ok = rate * (1.0 - loss);
  t += shift;
  g += growth;
  acc->total += rate;
  acc->fail += rate * (1.0 - (1.0 - loss) * (1.0 - go * ctx->fail[node]));
  lag_spawns (ctx, node, ok * go, t + ctx->hop[node].m1, g, TRUE, depth, &nospawn, acc);
  /* the chain ends here when this stage starts no other */
  {
    double end = ok * ((1.0 - go) + go * nospawn);

    acc->num += end * (t + phi->m1);
    acc->den += end;
    acc->grow += end * g;
    acc->end_num[x] += end * (t + phi->m1);
    acc->end_den[x] += end;
    acc->end_grow[x] += end * g;
  }
}

/* ---- rates and station metrics ---- */

static int *
station_order (AbModelContext  *mc,
               const AbNetwork *net)
{
  guint n = net->n_stations;
  int *indegree = mc_buf0 (mc, BUF_INDEGREE, n, sizeof (int));
  int *order = mc_buf (mc, BUF_ORDER, n, sizeof (int));
  guint head = 0, tail = 0;

  for (guint v = 0; v < n * AB_N_CLASSES; v++)
    for (guint i = 0; i < net->calls[v].n_calls; i++)
      indegree[net->calls[v].calls[i].callee]++;
  for (guint v = 0; v < n; v++)
    if (indegree[v] == 0)
      order[tail++] = (int) v;
  while (head < tail)
    {
      int v = order[head++];
      for (int k = 0; k < AB_N_CLASSES; k++)
        {
          const AbCallList *list = &net->calls[v * AB_N_CLASSES + k];
          for (guint i = 0; i < list->n_calls; i++)
            if (--indegree[list->calls[i].callee] == 0)
              order[tail++] = list->calls[i].callee;
        }
    }
  if (tail < n)
    return NULL;
  return order;
}

/* Slot times = service times (no blocking yet). */
static void
hold_init (Ctx *ctx)
{
  for (guint x = 0; x < ctx->net->n_stations; x++)
    for (int k = 0; k < AB_N_CLASSES; k++)
      {
        const AbStation *s = &ctx->net->stations[x];
        double sv = s->service_ms[k];
        double scv = s->dist == AB_DIST_DETERMINISTIC ? 0.0
                     : s->dist == AB_DIST_LOGNORMAL ? s->cv * s->cv : 1.0;

        ctx->hold_m1[x * AB_N_CLASSES + k] = sv;
        ctx->hold_m2[x * AB_N_CLASSES + k] = sv * sv * (1.0 + scv);
      }
}

/* The slot time of blocking station @x from its callees' current
 * response times: own service, then (with the onward chance) the calls.
 * The map from slot time to slot time is decreasing (a longer slot loses
 * more requests, which unloads the callees and shortens the slot), so
 * plain iteration can swing for ever between an overloaded and an idle
 * callee.  Each node therefore keeps a bracket [@lo, @hi] around its
 * fixed point: a slot time whose update comes out longer is below it, one
 * whose update comes out shorter is above it.  The next slot time is the
 * update while that lies inside the bracket, else the bracket's
 * geometric midpoint (slot times of an idle and an overloaded callee
 * differ by orders of magnitude), which converges like bisection.
 * Returns the largest relative residual (or the bracket's width, when
 * that is smaller). */
static double
hold_update (Ctx    *ctx,
             int     x,
             double *lo,
             double *hi)
{
  const AbStation *s = &ctx->net->stations[x];
  double change = 0.0;

  for (int k = 0; k < AB_N_CLASSES; k++)
    {
      int node = x * AB_N_CLASSES + k;
      double sv = s->service_ms[k];
      double scv = s->dist == AB_DIST_DETERMINISTIC ? 0.0
                   : s->dist == AB_DIST_LOGNORMAL ? s->cv * s->cv : 1.0;
      double go = onward (ctx, x, k), fail;
      double cur = ctx->hold_m1[node];
      double m1, m2, next, residual;
      Dist d;

      calls_block (ctx, &ctx->net->calls[node], -1, &d, &fail);
      m1 = sv + go * d.m1;
      m2 = sv * sv * (1.0 + scv) + go * d.m2 + 2.0 * sv * go * d.m1;
      next = m1;
      residual = m1 > 0.0 ? fabs (m1 - cur) / m1 : 0.0;
      if (m1 > 0.0 && cur > 0.0 && residual > 0.0)
        {
          /* the callees' rates follow every caller: a bracket another
           * node's move has invalidated starts again */
          if (m1 > cur)
            lo[node] = cur;
          else
            hi[node] = cur;
          if (!(lo[node] < hi[node]))
            {
              lo[node] = MIN (cur, m1);
              hi[node] = MAX (cur, m1);
            }
          if (!(m1 > lo[node] && m1 < hi[node]) && lo[node] > 0.0 && isfinite (hi[node]))
            next = sqrt (lo[node] * hi[node]);
          if (lo[node] > 0.0 && isfinite (hi[node]))
            residual = MIN (residual, hi[node] / lo[node] - 1.0);
          m2 *= (next / m1) * (next / m1);
        }
      change = MAX (change, residual);
      ctx->hold_m1[node] = next;
      ctx->hold_m2[node] = m2;
    }
  return change;
}

/* The waits of the requests that an overloaded station with neither a
 * queue limit nor a timeout answers (docs/simulation.md, "Overload
 * without limits"), @lambda arrivals a second against @r's capacity,
 * behind @r's backlog.  First in, first out: the request answered at
 * time t arrived when the requests still waiting, B(t), had not yet
 * arrived, so it waited B(t) / lambda (at a steady arrival rate).  Over
 * the stretch the evaluation stands for (its span, centred on the
 * instant whose backlog it was given) B grows linearly, and so do the
 * waits: spread evenly between those at its two ends, as the DES counts
 * a phase's requests where they are answered.  Their mean (ms) into
 * @mean_ms, the width of the spread into @spread_ms. */
static void
unbounded_wait (const Ctx             *ctx,
                const AbStationResult *r,
                double                 lambda,
                double                *mean_ms,
                double                *spread_ms)
{
  double span = ctx->input->backlog != NULL ? MAX (ctx->input->span_s, 0.0) : AB_SCENARIO_DEFAULT_NORMAL_S;
  double b0 = MAX (r->backlog - r->backlog_rps * span / 2.0, 0.0);
  double b1 = MAX (r->backlog + r->backlog_rps * span / 2.0, 0.0);

  *mean_ms = 1000.0 * (b0 + b1) / 2.0 / lambda;
  *spread_ms = 1000.0 * (b1 - b0) / lambda;
}

/* The rate a station answers at over the stretch of @w (requests a
 * second), for an evaluation at @lambda arrivals a second */
static double
drain_answered (const AbModelWaits *w,
                double              lambda)
{
  return w->answered_rps > 0.0 ? w->answered_rps : lambda * w->served;
}


/* A station's queue limit or timeout stays out of its wait when the
 * unlimited queue would reach neither: far below saturation, with no
 * backlog to drain (nor the waits an overload left), the chance that a wait outlasts the patience or that
 * the queue fills the room (the wait it takes to serve that room) is
 * below LIMIT_NEVER, taking the wait given one as exponential.  The
 * catalog's defaults (a minute of patience, 4,096 waiting places) are
 * such limits for any station not near its capacity; kept, they would
 * leave a blocking pool out of the closed network of its threads
 * (fes_solve), whose waits then read up to a third high
 * (docs/simulation.md, "Limits that never bind"). */
#define LIMIT_NEVER    1e-9
#define LIMIT_FREE_RHO 0.98

static gboolean
limits_bind (Ctx    *ctx,
             int     x,
             int     n,
             int     c,
             double  visits,
             double  mean_ms,
             double  scv,
             double  rho)
{
  const AbStation *s = &ctx->net->stations[x];
  double cc, wq_s, cond_ms, t_ms = INFINITY;

  if (s->timeout_ms <= 0.0 && s->queue_limit <= 0)
    return FALSE;
  if (rho >= LIMIT_FREE_RHO || (ctx->input->backlog != NULL && ctx->input->backlog[x] > 0.0)
      || (ctx->input->waits != NULL && ctx->input->waits[x].n > 0 && ctx->input->waits[x].share > 0.0))
    return TRUE;
  ab_station_wait (s->balance, n, c, visits, mean_ms / 1000.0, scv, &cc, &wq_s);
  if (!(cc > 0.0) || !(wq_s > 0.0))
    return FALSE;
  cond_ms = 1000.0 * wq_s / cc;
  if (s->timeout_ms > 0.0)
    t_ms = s->timeout_ms;
  if (s->queue_limit > 0)
    t_ms = MIN (t_ms, (double) s->queue_limit * mean_ms / c);
  return cc * exp (-t_ms / cond_ms) > LIMIT_NEVER;
}

static void
station_metrics (Ctx *ctx,
                 int  x,
                 int  instances)
{
  const AbStation *s = &ctx->net->stations[x];
  AbStationResult *r = &ctx->res->stations[x];
  double lambda = 0.0, visits = 0.0, work = 0.0, second = 0.0, offered = 0.0;
  int c = MAX (s->concurrency, 1);
  int n = MAX (instances, 1);
  /* a primary that lost shards: their requests fail, the live shards
   * take their own share (the queues below see that) */
  double live = ab_network_shards_live (ctx->net, x, ctx->input->instances != NULL
                                        ? ctx->input->instances[x] : s->instances);

  r->instances = n;
  for (int k = 0; k < AB_N_CLASSES; k++)
    {
      double l = ctx->res->node_rps[x * AB_N_CLASSES + k];
      /* a replica's instances each apply every write */
      double copies = ab_network_copies (ctx->net, x, k, n);

      r->class_rps[k] = l;
      r->slot_ms[k] = ctx->hold_m1[x * AB_N_CLASSES + k];
      offered += l;
      l *= live;
      lambda += l;
      visits += l * copies;
      work += l * copies * ctx->hold_m1[x * AB_N_CLASSES + k];
      second += l * copies * ctx->hold_m2[x * AB_N_CLASSES + k];
    }
  r->offered_rps = offered;
  ctx->wait_c[x] = 0.0;
  ctx->wait_mean[x] = 0.0;
  ctx->fixed_ms[x] = 0.0;
  ctx->spread_ms[x] = 0.0;
  ctx->drain[x] = NULL;
  r->loss = 0.0;
  r->unserved = 0.0;
  r->carried = 0.0;
  r->drained_s = NAN;
  r->overloaded = FALSE;
  r->backlog_rps = 0.0;
  r->backlog = 0.0;
  r->backlog_max = 0.0;
  ctx->bg_over[x] = 0.0;

  if (lambda <= 0.0 || work <= 0.0)
    {
      double mean_s = 0.0;
      for (int k = 0; k < AB_N_CLASSES; k++)
        mean_s = MAX (mean_s, s->service_ms[k]);
      r->capacity_rps = mean_s > 0.0 ? n * c * 1000.0 / mean_s : INFINITY;
      r->served_rps = lambda;
      r->loss = 1.0 - live;
      for (int k = 0; k < AB_N_CLASSES; k++)
        r->sojourn_ms[k] = s->service_ms[k];
      return;
    }
  {
    double mean_s = work / visits;                  /* ms */
    double scv = second / visits / (mean_s * mean_s) - 1.0;
    double a = visits / n * mean_s / 1000.0;         /* per instance */
    double rho = a / c;
    double wq;

    /* requests per second at the current mix that fill every slot */
    r->capacity_rps = lambda / rho;
    r->offered_utilization = rho;
    r->utilization = MIN (rho, 1.0);
    ctx->wait_kind[x] = WAIT_EXP;
    r->overloaded = rho >= 1.0;
    ctx->bound[x] = limits_bind (ctx, x, n, c, visits, mean_s, scv, rho);
    if (ctx->bound[x])
      {
        /* finite room or patience: a steady state at any load.  The unit
         * that queues: one instance (separate queues) or, under least
         * connections, the pool */
        gboolean pooled = s->balance == AB_BALANCE_LEAST_CONNECTIONS && n > 1;
        int cu = pooled ? n * c : c;
        double lu = (pooled ? visits : visits / n) / 1000.0;   /* per ms */
        double mu = 1.0 / mean_s;                               /* per ms */
        double kappa = 1.0, lq = 0.0, lt = 0.0, pw = 0.0, m1 = 0.0, m2 = 0.0;

        if (rho < 1.0)
          {
            /* the balancing policy and the service shape change the wait
             * against M/M/c by this factor (Erlang-n arrivals, Allen-
             * Cunneen); carried over to the finite queue */
            double cc, wq_s, plain = ab_allen_cunneen_wait (cu, lu * 1000.0, mean_s / 1000.0, 1.0);

            ab_station_wait (s->balance, n, c, visits, mean_s / 1000.0, scv, &cc, &wq_s);
            if (plain > 0.0)
              kappa = wq_s / plain;
          }
        if (s->queue_limit > 0)
          {
            gint64 room = (gint64) s->queue_limit * (pooled ? n : 1);

            ab_mmck (cu, cu + room, lu, mu, &lq, &pw, &m1, &m2);
            if (pw > 0.0)
              {
                ctx->wait_kind[x] = WAIT_ERLANG_MIX;
                ctx->wait_theta[x] = cu * mu;
                ctx->wait_rho[x] = lu / (cu * mu);
                ctx->wait_q[x] = (double) room;
              }
          }
        if (s->timeout_ms > 0.0)
          {
            double pt, t1, t2;

            ab_mmc_patience (cu, lu * (1.0 - lq), mu, s->timeout_ms, &lt, &pt, &t1, &t2);
            /* with a queue limit too, the waits are the bounded queue's
             * unless patience is the shorter bound */
            if (s->queue_limit <= 0 || t1 < m1)
              {
                ctx->wait_kind[x] = WAIT_TRUNC_EXP;
                ctx->wait_theta[x] = cu * mu - lu * (1.0 - lq);
                ctx->wait_q[x] = s->timeout_ms;
                pw = pt;
                m1 = t1;
                m2 = t2;
              }
          }
        /* the factor scales time: moments, rates and the patience cut */
        m1 *= kappa;
        m2 *= kappa * kappa;
        if (kappa > 0.0)
          {
            ctx->wait_theta[x] /= kappa;
            if (ctx->wait_kind[x] == WAIT_TRUNC_EXP)
              ctx->wait_q[x] *= kappa;
          }
        ctx->wait_c[x] = pw;
        ctx->wait_mean[x] = m1;
        ctx->wait_m1[x] = m1;
        ctx->wait_m2[x] = m2;
        r->loss = 1.0 - (1.0 - lq) * (1.0 - lt);
        ctx->bg_over[x] = r->loss;
        if (s->queue_limit <= 0)
          {
            /* patience alone: the backlog grows (or drains) until what
             * waits is what the timeout lets wait */
            r->backlog_rps = lambda - r->capacity_rps;
            r->backlog_max = r->capacity_rps * s->timeout_ms / 1000.0;
            r->backlog = ctx->input->backlog != NULL ? MAX (ctx->input->backlog[x], 0.0)
                         : rho >= 1.0 ? r->backlog_rps * AB_MODEL_DEFAULT_OVERLOAD_S : 0.0;
            r->backlog = MIN (r->backlog, r->backlog_max);
          }
        r->served_rps = lambda * (1.0 - r->loss);
        r->capacity_rps = rho > 0.0 ? lambda / rho : INFINITY;
        wq = pw * m1;
        r->wait_probability = pw;
        r->mean_wait_ms = wq;
        r->queue_length = visits * (1.0 - r->loss) * wq / 1000.0;
        r->in_station = r->queue_length + MIN (visits * (1.0 - r->loss) * mean_s / 1000.0, (double) n * c);
        if (ctx->wait_kind[x] == WAIT_EXP && pw > 0.0 && m1 > 0.0)
          {
            /* no shape of its own (no waiting room): exponential */
            ctx->wait_mean[x] = m1;
          }
        if (s->queue_limit <= 0 && rho < 1.0 && ctx->input->backlog != NULL && ctx->input->waits != NULL
            && ctx->input->waits[x].n > 0 && ctx->input->waits[x].share > 0.0
            && (ctx->wait_kind[x] == WAIT_TRUNC_EXP || ctx->wait_kind[x] == WAIT_EXP))
          {
            /* patience alone, draining what an overload left: the
             * users it answers while it lasts waited for it, up to the
             * patience, and the overload's last give up here
             * (docs/simulation.md, "Draining what an overload left") */
            const AbModelWaits *w = &ctx->input->waits[x];
            double m = 0.0;

            for (guint j = 0; j < w->n; j++)
              m += w->weight[j] * (w->lo_ms[j] + w->hi_ms[j]) / 2.0;
            ctx->drain[x] = w;
            r->loss = 1.0 - (1.0 - r->loss) * (1.0 - w->lost);
            ctx->bg_over[x] = r->loss;
            wq = w->share * m + (1.0 - w->share) * wq;
            r->wait_probability = w->share + (1.0 - w->share) * pw;
            r->mean_wait_ms = wq;
            /* what it answers over the stretch (along a ramp, the
             * instant's arrivals are not the stretch's) */
            r->served_rps = drain_answered (w, lambda);
            r->unserved = 1.0 - r->served_rps / lambda / MAX (1.0 - r->loss, 1e-12);
            r->carried = w->carried;
            r->drained_s = w->drained_s;
          }
      }
    else if (rho < 1.0)
      {
        double cc, wq_s;

        ab_station_wait (s->balance, n, c, visits, mean_s / 1000.0, scv, &cc, &wq_s);
        wq = wq_s * 1000.0;
        ctx->wait_c[x] = cc;
        ctx->wait_mean[x] = cc > 0.0 ? wq / cc : 0.0;
        r->loss = 0.0;
        r->served_rps = lambda;
        r->wait_probability = cc;
        r->mean_wait_ms = wq;
        r->queue_length = visits * wq / 1000.0;
        r->in_station = r->queue_length + visits * mean_s / 1000.0;
        /* no limit: a backlog left by an earlier overload drains at this */
        r->backlog_rps = lambda - r->capacity_rps;
        r->backlog = ctx->input->backlog != NULL ? MAX (ctx->input->backlog[x], 0.0) : 0.0;
        r->backlog_max = INFINITY;
        /* limits that do not bind here (limits_bind) still bound the
         * backlog, as the walk of an overload reads it: none of its own
         * with a queue limit, what the patience lets wait with one */
        if (s->queue_limit > 0)
          r->backlog_rps = r->backlog = r->backlog_max = 0.0;
        else if (s->timeout_ms > 0.0)
          {
            r->backlog_max = r->capacity_rps * s->timeout_ms / 1000.0;
            r->backlog = MIN (r->backlog, r->backlog_max);
          }
        if (s->timeout_ms <= 0.0 && ctx->input->backlog != NULL && ctx->input->waits != NULL
            && ctx->input->waits[x].n > 0 && ctx->input->waits[x].share > 0.0)
          {
            /* the users it answers while the backlog lasts waited for
             * it (docs/simulation.md, "Draining what an overload
             * left"), the rest its steady wait; it serves the backlog
             * too, which the stations behind it see */
            const AbModelWaits *w = &ctx->input->waits[x];
            double m1 = 0.0;

            for (guint j = 0; j < w->n; j++)
              m1 += w->weight[j] * (w->lo_ms[j] + w->hi_ms[j]) / 2.0;
            ctx->drain[x] = w;
            wq = w->share * m1 + (1.0 - w->share) * wq;
            r->wait_probability = w->share + (1.0 - w->share) * cc;
            r->mean_wait_ms = wq;
            r->served_rps = drain_answered (w, lambda);
            r->unserved = 1.0 - r->served_rps / lambda;
            r->carried = w->carried;
            r->drained_s = w->drained_s;
          }
      }
    else
      {
        /* no limit and no patience: no steady state, and nothing gives
         * up.  The station serves its capacity and the rest waits: the
         * backlog grows at lambda - capacity for as long as the overload
         * lasts (background work waits behind it too, lag_chain) */
        r->backlog_rps = lambda - r->capacity_rps;
        r->backlog = ctx->input->backlog != NULL ? MAX (ctx->input->backlog[x], 0.0)
                     : r->backlog_rps * AB_MODEL_DEFAULT_OVERLOAD_S;
        r->backlog_max = INFINITY;
        r->loss = 0.0;
        if (ctx->input->backlog != NULL && ctx->input->waits != NULL && ctx->input->waits[x].n > 0
            && ctx->input->waits[x].share > 0.0)
          {
            /* the waits of the stretch from the walk of the backlog,
             * first in, first out (docs/simulation.md, "Overload after
             * overload"): the backlog need not have begun here, nor its
             * requests have come at this rate */
            const AbModelWaits *w = &ctx->input->waits[x];

            ctx->drain[x] = w;
            ctx->fixed_ms[x] = drain_m1 (ctx, x);
            r->served_rps = drain_answered (w, lambda);
            r->unserved = 1.0 - r->served_rps / lambda;
            r->carried = w->carried;
            r->drained_s = w->drained_s;
          }
        else
          {
            unbounded_wait (ctx, r, lambda, &ctx->fixed_ms[x], &ctx->spread_ms[x]);
            r->unserved = 1.0 - 1.0 / rho;
            r->served_rps = r->capacity_rps;
          }
        r->wait_probability = 1.0;
        r->mean_wait_ms = ctx->fixed_ms[x];
        r->queue_length = r->backlog;
        r->in_station = r->queue_length + n * c;
        wq = ctx->fixed_ms[x];
        ctx->bg_over[x] = 0.0;
      }
    for (int k = 0; k < AB_N_CLASSES; k++)
      r->sojourn_ms[k] = wq + s->service_ms[k];
    /* what the lost shards would have served fails too */
    r->loss = 1.0 - live * (1.0 - r->loss);
  }
}

/* ---- blocking pools: the flow-equivalent server ---- */

/* Pools larger than this keep the open model (their callees see enough
 * callers for Poisson arrivals to hold, and the exact recursion costs
 * pool x servers per round). */
#define FES_MAX_POOL 256
#define FES_MAX_CALLEES 8
#define FES_HYP_MAX 8

/* A blocking station's pool solved with the callees it alone calls
 * (fes_solve ()), kept for the round so that the pool that calls it can
 * take it as one load-dependent server. */
struct _FesPool {
  gboolean valid;                    /* solved in this round */
  int      P, m;                     /* slots; callees solved with it */
  int      room;                     /* callees the tables have room for */
  int      ys[FES_MAX_CALLEES];
  gboolean nested[FES_MAX_CALLEES];  /* a pool itself */
  int      ks[FES_MAX_CALLEES];      /* servers (or slots) that matter */
  int      cs[FES_MAX_CALLEES];      /* servers of a plain callee */
  double   v[FES_MAX_CALLEES];       /* visits per request */
  double   sy[FES_MAX_CALLEES];      /* mean time a visit holds a server, ms */
  double   fy[FES_MAX_CALLEES];      /* Allen-Cunneen factor of that time */
  double   lam;                      /* requests per ms */
  double   shape;                    /* Allen-Cunneen factor of the pool's wait */
  double   idc;                      /* the variability of its completions when full */
  double   wait_c, wait_ms;          /* the pool's: chance of a wait, its mean */
  int      nu, cu;                   /* units that queue apart, slots each */
  AbBalance balance;
  double   ratio;                    /* a unit's queue ratio (mean field) */
  double   full_q, full_scv;         /* a full pool's callee: chance a visit
                                        queues there, its service's SCV */
  int      full_j, full_i;           /* that callee (and its own, nested) */
  double   slot_scv;                 /* the slot time's SCV */
  int      hyp_n;                    /* units: the wait given a wait as a mixture */
  double   hyp_a[FES_HYP_MAX];       /* of exponentials, weights and means (ms) */
  double   hyp_m[FES_HYP_MAX];
  double  *X;                        /* P + 1: throughput with n in the pool, per ms */
  double  *Q, *PW;                   /* m rows of P + 1: mean queue at each
                                        callee, chance that a visit waits */
  gboolean spread[FES_MAX_CALLEES];  /* a pool whose instances queue apart */
  double  *B, *W;                    /* m rows of P + 1: for such a callee,
                                        its busy slots with k visits in it,
                                        the chance a visit finds its
                                        instance full (fes_spread ()) */
};

/* @f *= (1 - p) * no delay + p * the mixture of exponentials of the
 * wait of pool @station (fes_pool_wait ()), its means scaled to the
 * station's mean wait given a wait. */
static void
mul_hyper (Ctx  *ctx,
           cplx *f,
           int   station,
           double p)
{
  const FesPool *fp = &ctx->fes[station];
  double m = 0.0;
  cplx *x = mc_buf (ctx->mc, BUF_LEAF, GRID, sizeof (cplx));

  for (int i = 0; i < fp->hyp_n; i++)
    m += fp->hyp_a[i] * fp->hyp_m[i];
  for (int j = 0; j < BINS; j++)
    x[j] = 0.0;
  for (int i = 0; i < fp->hyp_n; i++)
    {
      const cplx *g = exponential_spectrum (ctx, fp->hyp_m[i] * ctx->wait_m1[station] / m);

      for (int j = 0; j < BINS; j++)
        x[j] += fp->hyp_a[i] * g[j];
    }
  for (int j = 0; j < BINS; j++)
    f[j] *= (1.0 - p) + p * x[j];
}

/* Per station, the one blocking caller all of its load comes from
 * (@ctx->owner): -1 for an entry, a station that makes load itself, one
 * called asynchronously, by more than one station or by one that does
 * not block.  Then room for each blocking pool's tables. */
static void
fes_owners (Ctx *ctx)
{
  const AbNetwork *net = ctx->net;
  guint n = net->n_stations;
  int *owner = ctx->owner, *prev, *base;
  gsize total = 0;
  double *data;

  for (guint y = 0; y < n; y++)
    {
      owner[y] = -2;
      for (int k = 0; k < AB_N_CLASSES; k++)
        if (net->stations[y].self_rate[k] > 0.0)
          owner[y] = -1;
    }
  for (int k = 0; k < AB_N_CLASSES; k++)
    for (guint e = 0; e < net->entries[k].n; e++)
      owner[net->entries[k].stations[e]] = -1;
  /* a station that does not block, called only by pool x (or through
   * other such stations of x's), holds x's thread while it calls: its
   * callees are x's too.  Each pass can only add owners (a caller that
   * gains one was no caller's way to an owner before), so it ends within
   * n passes. */
  prev = g_new (int, n);
  base = g_new (int, n);
  memcpy (base, owner, sizeof (int) * n);
  for (guint y = 0; y < n; y++)
    prev[y] = -1;
  for (guint pass = 0; pass <= n; pass++)
    {
      gboolean changed = FALSE;

      memcpy (owner, base, sizeof (int) * n);
      for (guint v = 0; v < n * AB_N_CLASSES; v++)
        {
          int x = (int) (v / AB_N_CLASSES);
          const AbCallList *list = &net->calls[v];
          int via = net->stations[x].blocking_calls ? x : prev[x];

          for (guint i = 0; i < list->n_calls; i++)
            {
              int y = effective_callee (ctx, list->calls[i].callee);

              if (y < 0)
                continue;
              if (list->calls[i].async || via < 0 || y == x || y == via)
                owner[y] = -1;
              else if (owner[y] == -2)
                owner[y] = via;
              else if (owner[y] != via)
                owner[y] = -1;
            }
        }
      for (guint y = 0; y < n; y++)
        {
          owner[y] = MAX (owner[y], -1);
          changed = changed || owner[y] != prev[y];
          prev[y] = owner[y];
        }
      if (!changed)
        break;
    }
  g_free (prev);
  g_free (base);
  for (guint y = 0; y < n; y++)
    {
      ctx->fes[y].valid = FALSE;
      ctx->fes[y].P = 0;
      ctx->fes[y].m = 0;
      ctx->fes[y].room = 0;
    }
  /* the tables: throughput, and queue and waiting chance per callee */
  for (guint y = 0; y < n; y++)
    if (owner[y] >= 0)
      ctx->fes[owner[y]].room = MIN (ctx->fes[owner[y]].room + 1, FES_MAX_CALLEES);
  for (guint x = 0; x < n; x++)
    {
      const AbStation *s = &net->stations[x];
      gint64 P = (gint64) MAX (s->concurrency, 1) * MAX (s->instances, 1);

      if (!s->blocking_calls || ctx->fes[x].room == 0 || P > FES_MAX_POOL)
        ctx->fes[x].room = 0;
      else
        total += (gsize) (FES_MAX_POOL + 1) * (1 + 4 * ctx->fes[x].room);
    }
  data = mc_buf (ctx->mc, BUF_FES_DATA, total, sizeof (double));
  for (guint x = 0; x < n; x++)
    if (ctx->fes[x].room > 0)
      {
        FesPool *f = &ctx->fes[x];

        f->X = data;
        f->Q = f->X + FES_MAX_POOL + 1;
        f->PW = f->Q + (gsize) (FES_MAX_POOL + 1) * f->room;
        f->B = f->PW + (gsize) (FES_MAX_POOL + 1) * f->room;
        f->W = f->B + (gsize) (FES_MAX_POOL + 1) * f->room;
        data = f->W + (gsize) (FES_MAX_POOL + 1) * f->room;
      }
}

/* Mean and squared coefficient of variation of the slot time of station
 * @x over its classes, weighted by their rates; FALSE without load. */
static gboolean
fes_slot (const Ctx *ctx,
          int        x,
          double    *rate,
          double    *mean,
          double    *scv)
{
  double l = 0.0, m1 = 0.0, m2 = 0.0;

  for (int k = 0; k < AB_N_CLASSES; k++)
    {
      double r = ctx->res->node_rps[x * AB_N_CLASSES + k];

      l += r;
      m1 += r * ctx->hold_m1[x * AB_N_CLASSES + k];
      m2 += r * ctx->hold_m2[x * AB_N_CLASSES + k];
    }
  if (l <= 0.0 || m1 <= 0.0)
    return FALSE;
  *rate = l;
  *mean = m1 / l;
  *scv = MAX (m2 / l / (*mean * *mean) - 1.0, 0.0);
  return TRUE;
}

/* Sets the wait of station @y (moments given a wait: exponential) and
 * the figures that follow from it. */
static void
fes_set_wait (Ctx    *ctx,
              int     y,
              double  wait_c,
              double  mean_wait_ms,
              double  rate,
              double  slot_ms)
{
  AbStationResult *r = &ctx->res->stations[y];

  /* evaluated again with this wait */
  for (int k = 0; k < AB_N_CLASSES; k++)
    {
      ctx->state[y * AB_N_CLASSES + k] = 0;
      ctx->phi_done[y * AB_N_CLASSES + k] = FALSE;
    }
  wait_c = CLAMP (wait_c, 0.0, 1.0);
  mean_wait_ms = MAX (mean_wait_ms, 0.0);
  /* a wait this unlikely is rounding (its mean given a wait would be
   * round-off over almost nothing) */
  if (wait_c < 1e-9)
    mean_wait_ms = 0.0;
  ctx->wait_c[y] = mean_wait_ms > 0.0 ? wait_c : 0.0;
  ctx->wait_mean[y] = ctx->wait_c[y] > 0.0 ? mean_wait_ms / wait_c : 0.0;
  r->wait_probability = ctx->wait_c[y];
  r->mean_wait_ms = ctx->wait_c[y] > 0.0 ? mean_wait_ms : 0.0;
  r->queue_length = rate * r->mean_wait_ms / 1000.0;
  r->in_station = r->queue_length + rate * slot_ms / 1000.0;
  for (int k = 0; k < AB_N_CLASSES; k++)
    r->sojourn_ms[k] = r->mean_wait_ms + ctx->net->stations[y].service_ms[k];
}

/* @row (P + 1 values) at the real @x, linear between the integers,
 * clamped to 0 ... P. */
static inline double
fes_at (const double *row,
        int           P,
        double        x)
{
  int lo;
  double t;

  if (!(x > 0.0))
    return row[0];
  if (x >= P)
    return row[P];
  lo = (int) floor (x);
  t = x - lo;
  return (1.0 - t) * row[lo] + t * row[lo + 1];
}

/* At most this many states in the chain of a pool's instances that
 * fes_spread () solves, and sweeps of it */
#define SPREAD_MAX_STATES 4000
#define SPREAD_MAX_SWEEPS 4000
/* the power of the lower pool's slot SCV that scales the exponential
 * chain's departures from an even spread (fes_solve ()) */
#define SPREAD_SCV_POWER 0.7

/* How the visits a pool of @nu instances of @cu slots receives spread
 * over its instances (round robin when @rr, else random) when they come
 * from a closed pool of @N requests, each of which spends a delay of
 * mean @d (in units of the time a visit holds a slot) between visits:
 * the Markov chain of the instances' counts (and the round-robin
 * pointer), all times exponential.  For k = 0 ... @K visits in the pool,
 * @busy[k] is its mean number of busy slots and @full[k] the chance that
 * the next visit finds the instance it is dealt to full.  FALSE when the
 * chain is too large or does not settle. */
static gboolean
fes_spread (int       N,
            int       nu,
            int       cu,
            gboolean  rr,
            double    d,
            int       K,
            double   *busy,
            double   *full)
{
  int np = rr ? nu : 1, c[FES_MAX_POOL + 1];
  gint64 size = np;
  g_autofree double *pi = NULL;
  double mass[FES_MAX_POOL + 1];
  gboolean settled = FALSE;

  if (nu < 2 || nu > FES_MAX_POOL || !(d > 0.0 && isfinite (d)) || N < 1 || K > N)
    return FALSE;
  for (int i = 0; i < nu && size <= SPREAD_MAX_STATES; i++)
    size *= N + 1;
  if (size > SPREAD_MAX_STATES)
    return FALSE;
  pi = g_new0 (double, size);
  /* state: pointer + np * (c_0 + (N + 1) (c_1 + ...)); those with more
   * than N visits are not states */
  {
    gint64 stride[FES_MAX_POOL + 1];

    stride[0] = np;
    for (int i = 1; i <= nu; i++)
      stride[i] = stride[i - 1] * (N + 1);
    for (gint64 s = 0; s < size; s++)
      {
        gint64 r = s / np;
        int tot = 0;

        for (int i = 0; i < nu; i++, r /= N + 1)
          tot += (int) (r % (N + 1));
        pi[s] = tot <= N ? 1.0 : 0.0;
      }
    for (int sweep = 0; sweep < SPREAD_MAX_SWEEPS && !settled; sweep++)
      {
        double change = 0.0, z = 0.0;

        for (gint64 s = 0; s < size; s++)
          {
            int p = (int) (s % np), tot = 0;
            gint64 r = s / np;
            double in = 0.0, out, next;

            for (int i = 0; i < nu; i++, r /= N + 1)
              tot += c[i] = (int) (r % (N + 1));
            if (tot > N)
              continue;
            out = (N - tot) / d;
            for (int i = 0; i < nu; i++)
              {
                out += MIN (c[i], cu);
                /* a completion at i, from one more visit there */
                if (tot < N)
                  in += pi[s + stride[i]] * MIN (c[i] + 1, cu);
              }
            /* an entry, from one visit fewer where it was dealt */
            if (rr)
              {
                int q = (p + nu - 1) % nu;

                if (c[q] > 0)
                  in += pi[s - stride[q] - p + q] * (N - tot + 1) / d;
              }
            else
              for (int i = 0; i < nu; i++)
                if (c[i] > 0)
                  in += pi[s - stride[i]] * (N - tot + 1) / d / nu;
            next = in / out;
            change = MAX (change, fabs (next - pi[s]) / MAX (next, 1e-300));
            pi[s] = next;
            z += next;
          }
        if (!(z > 0.0))
          return FALSE;
        for (gint64 s = 0; s < size; s++)
          pi[s] /= z;
        settled = change < 1e-10;
      }
  }
  if (!settled)
    return FALSE;
  for (int k = 0; k <= K; k++)
    busy[k] = full[k] = mass[k] = 0.0;
  for (gint64 s = 0; s < size; s++)
    {
      int p = (int) (s % np), tot = 0, b = 0, f = 0;
      gint64 r = s / np;

      for (int i = 0; i < nu; i++, r /= N + 1)
        {
          c[i] = (int) (r % (N + 1));
          tot += c[i];
          b += MIN (c[i], cu);
          f += c[i] >= cu;
        }
      if (tot > K || pi[s] <= 0.0)
        continue;
      mass[tot] += pi[s];
      busy[tot] += pi[s] * b;
      full[tot] += pi[s] * (rr ? (c[p] >= cu) : (double) f / nu);
    }
  for (int k = 0; k <= K; k++)
    {
      if (!(mass[k] > 0.0))
        return FALSE;
      busy[k] /= mass[k];
      full[k] /= mass[k];
    }
  return TRUE;
}

/* Completion rate (per ms) of callee @j of @f with @k visits in it: a
 * plain station's busy servers over its time, a pool's throughput (of
 * its busy slots, for one whose instances queue apart). */
static inline double
fes_mu (const Ctx     *ctx,
        const FesPool *f,
        int            j,
        int            k)
{
  if (f->nested[j])
    {
      const FesPool *g = &ctx->fes[f->ys[j]];

      if (f->spread[j])
        return fes_at (g->X, g->P, f->B[(gsize) j * (f->P + 1) + k]);
      return g->X[MIN (k, g->P)];
    }
  return MIN (k, f->cs[j]) / f->sy[j];
}

/* The marginal distribution p(k), k < K, of a callee with population n
 * from that with n - 1 (in place), given the flow of visits @flow into
 * it (per ms) and its completion rates @mu (K + 1 values: mu[k] with k
 * visits in it, constant from K on); exact load-dependent mean value
 * analysis, the empty state by the balance of flows. */
static void
fes_marginal (int           K,
              const double *mu,
              double        flow,
              double       *p)
{
  double s1 = 0.0, sm = 0.0;

  for (int k = K - 1; k >= 1; k--)
    {
      p[k] = flow / mu[k] * p[k - 1];
      s1 += p[k];
      sm += mu[k] * p[k];
    }
  p[0] = MAX (1.0 - s1 - (flow - sm) / mu[K], 0.0);
}

/* The chance that a visit of pool @f to callee @i of its callee @j (a
 * pool itself) queues there while @f holds @N requests.  The lower pool
 * then holds only the visits @f has in it, not @N: an arrival there
 * finds k others with the chance @f's closed network of N - 1 gives (its
 * marginal at @j, exact mean value analysis replayed), and its own visit
 * makes k + 1 (as many busy slots as those visits keep busy, for a pool
 * whose instances queue apart). */
static double
fes_nested_pw (const Ctx     *ctx,
               const FesPool *f,
               int            j,
               int            i,
               int            N)
{
  const FesPool *h = &ctx->fes[f->ys[j]];
  int K = f->ks[j], hn = h->P + 1;
  double mu[FES_MAX_POOL + 1], p[FES_MAX_POOL + 1], below = 0.0, q = 0.0;

  if (K < 1)
    return 0.0;
  mu[0] = 0.0;
  for (int k = 1; k <= K; k++)
    mu[k] = fes_mu (ctx, f, j, k);
  if (!(mu[K] > 0.0))
    return h->PW[(gsize) i * hn + MIN (K, h->P)];
  memset (p, 0, sizeof (double) * K);
  p[0] = 1.0;
  for (int n = 1; n < N; n++)
    fes_marginal (K, mu, f->X[n] * f->v[j], p);
  for (int k = 0; k <= K; k++)
    {
      int in = MIN (k + 1, K);
      double pk = k < K ? p[k] : MAX (1.0 - below, 0.0);
      double pop = f->spread[j] ? f->B[(gsize) j * (f->P + 1) + in] : (double) MIN (in, h->P);

      if (k < K)
        below += p[k];
      q += pk * fes_at (h->PW + (gsize) i * hn, h->P, pop);
    }
  return CLAMP (q, 0.0, 1.0);
}

/* Per-request completion rate (per ms) of the pool's closed network
 * with @y requests in it, @y real (linear between the integers). */
static double
fes_rate (const FesPool *f,
          int            P,
          double         y)
{
  int lo;
  double t, x;

  if (y <= 1.0)
    return f->X[1];
  y = MIN (y, (double) P);
  lo = (int) floor (y);
  t = y - lo;
  x = lo >= P ? f->X[P] : (1.0 - t) * f->X[lo] + t * f->X[lo + 1];
  return x / y;
}

/* The units' chain (fes_units_chain ()): at most this many phases (the
 * other units' busy slots x the round-robin pointer), this many rounds
 * of the matrix-geometric iteration, and a pool's wait given that it
 * waits as a mixture of at most FES_HYP_MAX exponentials. */
#define UNITS_MAX_PHASES 40
#define UNITS_MAX_ROUNDS 3000
#define UNITS_ROOM 12
#define UNITS_MAX_STATES 3000
/* the top of the chain of one one-thread instance among the others
 * (beyond it the geometric tail: a top of 30 moves the grid's figures
 * by less than 0.01 %) */
#define TAGGED_MAX_TOP 10
/* and for at most this many instances: its states grow with the square
 * of their number, 30 to 110 ms an evaluation at 16 (a default timeline
 * of such a pool about a second), some eight seconds a timeline at 32;
 * past it the mean field, as the live simulation runs the model on every
 * edit */
#define TAGGED_MAX_UNITS 16

/* Inverts the @B x @B matrix @a (row major) into @inv by Gauss-Jordan
 * elimination with partial pivoting; @a is destroyed.  FALSE when it is
 * singular. */
static gboolean
mat_invert (double *a,
            double *inv,
            int     B)
{
  for (int i = 0; i < B; i++)
    for (int j = 0; j < B; j++)
      inv[i * B + j] = i == j;
  for (int c = 0; c < B; c++)
    {
      int piv = c;
      double d;

      for (int i = c + 1; i < B; i++)
        if (fabs (a[i * B + c]) > fabs (a[piv * B + c]))
          piv = i;
      if (!(fabs (a[piv * B + c]) > 1e-300))
        return FALSE;
      if (piv != c)
        for (int j = 0; j < B; j++)
          {
            double t = a[c * B + j];

            a[c * B + j] = a[piv * B + j];
            a[piv * B + j] = t;
            t = inv[c * B + j];
            inv[c * B + j] = inv[piv * B + j];
            inv[piv * B + j] = t;
          }
      d = 1.0 / a[c * B + c];
      for (int j = 0; j < B; j++)
        {
          a[c * B + j] *= d;
          inv[c * B + j] *= d;
        }
      for (int i = 0; i < B; i++)
        {
          double m = a[i * B + c];

          if (i == c || m == 0.0)
            continue;
          for (int j = 0; j < B; j++)
            {
              a[i * B + j] -= m * a[c * B + j];
              inv[i * B + j] -= m * inv[c * B + j];
            }
        }
    }
  return TRUE;
}

typedef struct {
  const FesPool *f;
  int     nu, cu, C, R, B;   /* units, slots each, the others' slots,
                                pointer positions, phases */
  int     Lt;                /* the others' population followed */
  double  lam, sigma;        /* arrivals per ms; the others' queue ratio
                                above Lt */
  /* a level up (an arrival at the tagged unit): from each phase to
   * which (-1: none) at what rate */
  int     u_to[UNITS_MAX_PHASES];
  double  u_rate[UNITS_MAX_PHASES];
} UnitsChain;

/* Per-request completion rate with @n requests in the closed network. */
static inline double
units_theta (const UnitsChain *uc,
             int               n)
{
  return n > 0 ? uc->f->X[n] / n : 0.0;
}

/* The block of transitions within level @k (the tagged unit's
 * population) into @D (B x B), and the diagonal of those down a level
 * into @L (B; NULL to skip). */
static void
units_level (const UnitsChain *uc,
             int               k,
             double           *D,
             double           *L)
{
  int B = uc->B, R = uc->R, j = MIN (k, uc->cu);

  memset (D, 0, sizeof (double) * B * B);
  for (int l = 0; l <= uc->Lt; l++)
    for (int p = 0; p < R; p++)
      {
        int phi = l * R + p, b = MIN (l, uc->C);
        double out = 0.0, down = j * units_theta (uc, j + b), done = b * units_theta (uc, j + b);

        /* an arrival to the other units */
        if (R > 1 ? p != 0 : TRUE)
          {
            double a = R > 1 ? uc->lam : uc->lam * (uc->nu - 1) / uc->nu;
            int to = MIN (l + 1, uc->Lt) * R + (R > 1 ? (p + 1) % R : p);

            if (to != phi)
              {
                D[phi * B + to] += a;
                out += a;
              }
          }
        /* one of theirs completes: a slot frees unless a request of
         * theirs waits for it */
        if (done > 0.0)
          {
            double a = l < uc->Lt ? done : done * (1.0 - uc->sigma);

            D[phi * B + (l - 1) * R + p] += a;
            out += a;
          }
        out += uc->u_rate[phi];
        if (k > 0)
          out += down;
        if (L != NULL)
          L[phi] = down;
        D[phi * B + phi] -= out;
      }
}

/* @out = -(D + U N L)^-1 for level blocks D, L and the next level's N:
 * the expected time spent in each phase of this level, from each, before
 * the chain first goes below it (linear level reduction).  @work: 2 B^2. */
static gboolean
units_reduce (const UnitsChain *uc,
              const double     *D,
              const double     *N,
              const double     *L,
              double           *out,
              double           *work)
{
  int B = uc->B;
  double *m = work;

  for (int i = 0; i < B * B; i++)
    m[i] = -D[i];
  if (N != NULL)
    for (int phi = 0; phi < B; phi++)
      if (uc->u_to[phi] >= 0)
        for (int c = 0; c < B; c++)
          m[phi * B + c] -= uc->u_rate[phi] * N[uc->u_to[phi] * B + c] * L[c];
  return mat_invert (m, out, B);
}

/* x N for a row vector @x whose level moves up: (x U) N into @y. */
static void
units_up (const UnitsChain *uc,
          const double     *x,
          const double     *N,
          double           *y,
          double           *tmp)
{
  int B = uc->B;

  memset (tmp, 0, sizeof (double) * B);
  for (int phi = 0; phi < B; phi++)
    if (uc->u_to[phi] >= 0)
      tmp[uc->u_to[phi]] += x[phi] * uc->u_rate[phi];
  for (int c = 0; c < B; c++)
    {
      double s = 0.0;

      for (int r = 0; r < B; r++)
        s += tmp[r] * N[r * B + c];
      y[c] = s;
    }
}

/* The units of a pool that queue apart, as a chain in the tagged unit's
 * population k (a level, unbounded) and a phase: the other units'
 * requests l as one (0 … C + UNITS_ROOM, C their slots, b = min (l, C)
 * of them busy; above the top a geometric tail of ratio @sigma), and
 * under round robin the balancer's pointer.  Every request in the closed
 * network completes at X(n) / n with n the busy slots of all units.
 * Levels from @cu up are alike, so the chain is matrix-geometric above
 * them: pi_(cu + m) = pi_cu R^m, R = U N with N the fixed point of
 * N = -(D + U N L)^-1 (Latouche & Ramaswami's linear level reduction,
 * iterated).  Exact but for the top of the phases with one other unit
 * (fes_units_wait () uses it for two).  Fills the tagged unit's busy
 * slots @occ (cu + 1), the other units' mean busy slots @others and
 * @others_full as an arrival that waits finds them, the chance @wait_c
 * that an arrival at the unit finds it full and the mean @wait_ms of its
 * wait then (Little), the ratio @sigma_out of its own queue beyond its
 * slots, and the wait given a wait as a mixture of exponentials, one per
 * band of the other units' busy slots at the arrival (@hyp_n weights
 * @hyp_a and means @hyp_m, ms).  FALSE when the chain is too large or
 * does not settle. */
static gboolean
fes_units_chain (AbModelContext *mc,
                 const FesPool  *f,
                 int             nu,
                 int             cu,
                 AbBalance       balance,
                 double          sigma,
                 double         *occ,
                 double         *others,
                 double         *others_full,
                 double         *wait_c,
                 double         *wait_ms,
                 double         *sigma_out,
                 int            *hyp_n,
                 double         *hyp_a,
                 double         *hyp_m)
{
  UnitsChain uc = { 0 };
  int B, B2, round;
  double *Ns, *Ninf, *D, *L, *L1, *Nn, *work, *pi, *v0, *v1, *tmp, *Rm, *Inv;
  double total = 0.0, z0 = 0.0, lev_cu = 0.0, tail = 0.0, wsum = 0.0, qsum = 0.0;
  double q[FES_MAX_POOL + 1], e[FES_MAX_POOL + 1];

  uc.f = f;
  uc.nu = nu;
  uc.cu = cu;
  uc.C = (nu - 1) * cu;
  uc.R = balance == AB_BALANCE_ROUND_ROBIN ? nu : 1;
  uc.Lt = uc.C + UNITS_ROOM;
  uc.B = B = (uc.Lt + 1) * uc.R;
  uc.lam = f->lam;
  uc.sigma = CLAMP (sigma, 0.0, 0.999);
  if (nu < 2 || B > UNITS_MAX_PHASES || !(uc.lam > 0.0))
    return FALSE;
  B2 = B * B;
  for (int phi = 0; phi < B; phi++)
    {
      int b = phi / uc.R, p = phi % uc.R;

      if (uc.R > 1)
        {
          uc.u_to[phi] = p == 0 ? b * uc.R + 1 : -1;
          uc.u_rate[phi] = p == 0 ? uc.lam : 0.0;
        }
      else
        {
          uc.u_to[phi] = phi;
          uc.u_rate[phi] = uc.lam / nu;
        }
    }
  Ns = mc_buf (mc, BUF_FES_UNITS, (gsize) B2 * (cu + 7) + (gsize) B * (cu + 6), sizeof (double));
  D = Ns + (gsize) B2 * cu;
  Nn = D + B2;
  work = Nn + B2;
  Rm = work + 2 * B2;
  Inv = Rm + B2;
  L = Inv + B2;
  L1 = L + B;
  v0 = L1 + B;
  v1 = v0 + B;
  tmp = v1 + B;
  pi = tmp + B;     /* cu levels of B */
  /* the levels from cu up */
  Ninf = Ns + (gsize) B2 * (cu - 1);
  units_level (&uc, cu, D, L);
  if (!units_reduce (&uc, D, NULL, L, Ninf, work))
    return FALSE;
  for (round = 0; round < UNITS_MAX_ROUNDS; round++)
    {
      double diff = 0.0, top = 0.0;

      if (!units_reduce (&uc, D, Ninf, L, Nn, work))
        return FALSE;
      for (int i = 0; i < B2; i++)
        {
          diff = MAX (diff, fabs (Nn[i] - Ninf[i]));
          top = MAX (top, fabs (Nn[i]));
        }
      memcpy (Ninf, Nn, sizeof (double) * B2);
      if (diff <= 1e-9 * top)
        break;
    }
  if (round == UNITS_MAX_ROUNDS)
    return FALSE;
  /* the levels below, down to 1 */
  memcpy (L1, L, sizeof (double) * B);
  for (int k = cu - 1; k >= 1; k--)
    {
      units_level (&uc, k, D, L);
      if (!units_reduce (&uc, D, Ns + (gsize) B2 * k, L1, Ns + (gsize) B2 * (k - 1), work))
        return FALSE;
      memcpy (L1, L, sizeof (double) * B);
    }
  /* level 0: pi_0 (D_0 + U N_1 L_1) = 0, normalised later */
  units_level (&uc, 0, D, L);
  for (int i = 0; i < B2; i++)
    Nn[i] = D[i];
  for (int phi = 0; phi < B; phi++)
    if (uc.u_to[phi] >= 0)
      for (int c = 0; c < B; c++)
        Nn[phi * B + c] += uc.u_rate[phi] * Ns[uc.u_to[phi] * B + c] * L1[c];
  /* transpose, with the last equation replaced by the sum */
  for (int r = 0; r < B; r++)
    for (int c = 0; c < B; c++)
      work[r * B + c] = r == B - 1 ? 1.0 : Nn[c * B + r];
  if (!mat_invert (work, Rm, B))
    return FALSE;
  for (int i = 0; i < B; i++)
    pi[i] = Rm[i * B + B - 1];
  for (int k = 1; k <= cu; k++)
    units_up (&uc, pi + (gsize) B * (k - 1), Ns + (gsize) B2 * (k - 1),
              k < cu ? pi + (gsize) B * k : v1, tmp);
  /* v1 holds pi_cu: the tail sums v0 = pi_cu (I - R)^-1 and
   * v1 = pi_cu R (I - R)^-2 = v0 R (I - R)^-1 */
  for (int phi = 0; phi < B; phi++)
    for (int c = 0; c < B; c++)
      Rm[phi * B + c] = uc.u_to[phi] >= 0 ? uc.u_rate[phi] * Ninf[uc.u_to[phi] * B + c] : 0.0;
  for (int i = 0; i < B2; i++)
    work[i] = (i / B == i % B) - Rm[i];
  if (!mat_invert (work, Inv, B))
    return FALSE;
  for (int c = 0; c < B; c++)
    {
      double s = 0.0;

      for (int r = 0; r < B; r++)
        s += v1[r] * Inv[r * B + c];
      v0[c] = s;
      lev_cu += v1[c];
    }
  for (int c = 0; c < B; c++)
    {
      double s = 0.0;

      for (int r = 0; r < B; r++)
        s += v0[r] * Rm[r * B + c];
      tmp[c] = s;
    }
  for (int c = 0; c < B; c++)
    {
      double s = 0.0;

      for (int r = 0; r < B; r++)
        s += tmp[r] * Inv[r * B + c];
      v1[c] = s;
    }
  /* normalise; the busy slots, the others', the arrivals' view */
  *others = 0.0;
  for (int k = 0; k <= cu; k++)
    {
      const double *x = k < cu ? pi + (gsize) B * k : v0;

      occ[k] = 0.0;
      for (int phi = 0; phi < B; phi++)
        {
          if (!(x[phi] >= -1e-12) || !isfinite (x[phi]))
            return FALSE;
          occ[k] += x[phi];
          *others += MIN (phi / uc.R, uc.C) * x[phi];
          if (phi % uc.R == 0)
            z0 += x[phi];
        }
      total += occ[k];
    }
  if (!(total > 0.0) || !(z0 > 0.0))
    return FALSE;
  for (int k = 0; k <= cu; k++)
    occ[k] /= total;
  *others /= total;
  for (int b = 0; b <= uc.C; b++)
    q[b] = e[b] = 0.0;
  for (int l = 0; l <= uc.Lt; l++)
    {
      int b = MIN (l, uc.C);

      q[b] += v0[l * uc.R];
      e[b] += v1[l * uc.R];
      qsum += v0[l * uc.R];
      for (int p = 0; p < uc.R; p++)
        tail += v1[l * uc.R + p];
    }
  *wait_c = qsum / z0;
  *others_full = 0.0;
  for (int b = 0; b <= uc.C && qsum > 0.0; b++)
    *others_full += b * q[b] / qsum;
  /* Little: the mean number waiting over the unit's arrival rate */
  *wait_ms = *wait_c > 0.0 ? tail / total / (uc.lam / nu) / *wait_c : 0.0;
  *sigma_out = v0[0] >= 0.0 && occ[cu] > 0.0 ? 1.0 - lev_cu / total / occ[cu] : 0.0;
  /* the wait given a wait, one exponential per band of the others' busy
   * slots: with b busy, the unit's cu slots complete at cu X(n) / n and
   * a request waits for the ones ahead of it and its own turn */
  *hyp_n = 0;
  if (qsum > 0.0)
    {
      int bands = MIN (FES_HYP_MAX, uc.C + 1);

      for (int g = 0; g < bands; g++)
        {
          int b0 = g * (uc.C + 1) / bands, b1 = (g + 1) * (uc.C + 1) / bands;
          double a = 0.0, m = 0.0;

          for (int b = b0; b < b1; b++)
            if (q[b] > 0.0)
              {
                a += q[b];
                m += (e[b] + q[b]) / (cu * units_theta (&uc, cu + b));
              }
          if (a > 1e-12 * qsum)
            {
              hyp_a[*hyp_n] = a / qsum;
              hyp_m[*hyp_n] = m / a;
              wsum += hyp_a[*hyp_n] * hyp_m[*hyp_n];
              (*hyp_n)++;
            }
        }
      /* the bands' shape, the mean from Little */
      for (int i = 0; i < *hyp_n && wsum > 0.0; i++)
        hyp_m[i] *= *wait_ms / wsum;
    }
  return TRUE;
}

/* The mean field's shaping of a unit's wait (docs/simulation.md,
 * "Several instances of a pool").  Its birth-death queue takes the unit's
 * arrivals as Poisson; Allen-Cunneen's (c2a + I) / 2 puts back round
 * robin's Erlang-@nu arrivals (c2a = 1 / @nu) and the slots' index of
 * dispersion @idc.  For units of several slots under round robin that
 * reads far high where the units' slots complete nearly independently
 * (as it did for the open station, ab_station_wait ()): there the exact
 * E_nu/M/cu queue at the unit's utilisation @ratio over M/M/cu (Takacs
 * over Erlang C) scales the chance of a wait, and the mean wait too,
 * times the Kraemer & Langenbach-Belz factor for @idc.  Where the callee
 * queues the units' queues rise together, which the mean field leaves
 * out and Allen-Cunneen's higher figure made up for: the two are mixed
 * by @q, the chance that a visit queues at the callee pacing the full
 * pool.  Sets @c_scale, the factor of the chance of a wait, and returns
 * that of its mean over @c_scale (the shape of the wait given a wait). */
static double
fes_units_shape (int       nu,
                 int       cu,
                 AbBalance balance,
                 double    ratio,
                 double    arrival_scv,
                 double    idc,
                 double    q,
                 double   *c_scale)
{
  double pw, wait, erl, mmc, mean, ac;

  *c_scale = 1.0;
  if (nu < 2 || cu < 2 || balance != AB_BALANCE_ROUND_ROBIN || !(ratio > 0.0 && ratio < 1.0))
    return (arrival_scv + idc) / 2.0;
  ab_erlang_gimc_wait (nu, cu, ratio, &pw, &wait);
  erl = ab_erlang_c (cu, cu * ratio);
  mmc = erl / (cu * (1.0 - ratio));
  if (!(mmc > 0.0 && pw > 0.0) || !isfinite (wait))
    return (arrival_scv + idc) / 2.0;
  mean = wait / mmc * ab_klb_shape (nu, ratio, MAX (idc, 0.0));
  ac = (arrival_scv + idc) / 2.0;
  *c_scale = (1.0 - q) * pw / erl + q;
  return ((1.0 - q) * mean + q * ac) / *c_scale;
}

/* A pool of @nu separate units (instances behind round robin or random)
 * of @cu slots each, all in front of the same callees: each unit is a
 * birth-death queue of its share of the arrivals whose j busy slots each
 * complete at the closed network's per-request rate with j + the other
 * units' mean population in it (a mean field, iterated to its fixed
 * point).  Fills @w (P + 1) with the distribution of the whole pool's
 * population (the units' slot occupancies convolved), @others with the
 * other units' mean, the chance @wait_c that a request finds its unit
 * full and the mean @wait_ms of that wait, @arrival_scv with the
 * arrivals' variability at a unit (Erlang under round robin) and @ratio
 * with a unit's queue ratio beyond its slots.  FALSE when a unit cannot
 * keep up. */
static gboolean
fes_units (const FesPool *f,
           int            nu,
           int            cu,
           AbBalance      balance,
           double        *w,
           double        *others,
           double        *wait_c,
           double        *wait_ms,
           double        *arrival_scv,
           double        *ratio)
{
  int P = nu * cu;
  double lam = f->lam / nu, *occ = w + P + 1, *conv = occ + cu + 1, *next = conv + P + 1;
  double lo = 0.0, mu_full = 0.0, r = 1.0;

  *others = 0.0;
  for (int iter = 0; iter < 200; iter++)
    {
      double pk = 1.0, sum = 0.0, busy = 0.0, want;

      occ[0] = 1.0;
      for (int k = 1; k <= cu; k++)
        {
          pk *= lam / (k * fes_rate (f, P, k + lo));
          occ[k] = pk;
        }
      mu_full = cu * fes_rate (f, P, cu + lo);
      r = lam / mu_full;
      if (!(r < 1.0))
        return FALSE;
      occ[cu] /= 1.0 - r;
      for (int k = 0; k <= cu; k++)
        sum += occ[k];
      for (int k = 0; k <= cu; k++)
        {
          occ[k] /= sum;
          busy += k * occ[k];
        }
      want = (nu - 1) * busy;
      if (fabs (want - lo) < 1e-10 * (1.0 + want))
        {
          lo = want;
          break;
        }
      lo = 0.5 * (lo + want);
    }
  *others = lo;
  *wait_c = occ[cu];
  *wait_ms = 1.0 / (mu_full - lam);
  *arrival_scv = balance == AB_BALANCE_ROUND_ROBIN ? 1.0 / nu : 1.0;
  *ratio = r;
  /* the whole pool's population: the units' occupancies convolved */
  memset (conv, 0, sizeof (double) * (P + 1));
  conv[0] = 1.0;
  for (int u = 0, top = 0; u < nu; u++)
    {
      memset (next, 0, sizeof (double) * (P + 1));
      for (int a = 0; a <= top; a++)
        if (conv[a] > 0.0)
          for (int k = 0; k <= cu; k++)
            next[a + k] += conv[a] * occ[k];
      top += cu;
      memcpy (conv, next, sizeof (double) * (P + 1));
    }
  memcpy (w, conv, sizeof (double) * (P + 1));
  return TRUE;
}

/* The index of dispersion of the completions of a two-station cycle:
 * @N customers alternate between an exponential delay of mean @d (ms)
 * and a station that completes at @mu[k] (per ms) with k of them there,
 * k = 1 … N.  A birth-death chain in k; the asymptotic variance of its
 * count of completions, over their rate, from the chain's Poisson
 * equation: the martingale of every transition's jump (1 for a
 * completion, plus the change of the solution h) has the variance rate
 * sum_k pi_k rate (jump)^2.  Each h difference is taken from the lighter
 * side of its cut, so that tails of tiny mass do not cancel.  1 for a
 * Poisson stream; (d^2 + s^2) / (d + s)^2 for one customer. */
static double
cycle_idc (int           N,
           double        d,
           const double *mu)
{
  double lp[FES_MAX_POOL + 1], pi[FES_MAX_POOL + 1], below[FES_MAX_POOL + 2], above[FES_MAX_POOL + 2];
  double top = -INFINITY, sum = 0.0, lam = 0.0, var = 0.0, mass = 0.0;

  if (N < 1 || !(d > 0.0))
    return 1.0;
  lp[0] = 0.0;
  for (int k = 1; k <= N; k++)
    {
      if (!(mu[k] > 0.0))
        return 1.0;
      lp[k] = lp[k - 1] + log ((N - k + 1) / d / mu[k]);
    }
  for (int k = 0; k <= N; k++)
    top = MAX (top, lp[k]);
  for (int k = 0; k <= N; k++)
    {
      pi[k] = exp (lp[k] - top);
      sum += pi[k];
    }
  for (int k = 0; k <= N; k++)
    {
      pi[k] /= sum;
      if (k > 0)
        lam += pi[k] * mu[k];
    }
  /* below[k], above[k]: sums over i < k and i >= k of pi_i (rate_i - lam) */
  below[0] = above[N + 1] = 0.0;
  for (int k = 0; k <= N; k++)
    below[k + 1] = below[k] + pi[k] * ((k > 0 ? mu[k] : 0.0) - lam);
  for (int k = N; k >= 0; k--)
    above[k] = above[k + 1] + pi[k] * ((k > 0 ? mu[k] : 0.0) - lam);
  for (int k = 0; k < N; k++)
    {
      /* the cut between k and k + 1: pi_k up_k dh_k = -(sum up to k) =
       * (sum above k) */
      double flux = pi[k] * (N - k) / d, acc, dh;

      mass += pi[k];
      acc = mass <= 0.5 ? -below[k + 1] : above[k + 1];
      if (!(flux > 0.0))
        continue;
      dh = acc / flux;
      var += flux * dh * dh + pi[k + 1] * mu[k + 1] * (1.0 - dh) * (1.0 - dh);
    }
  return lam > 0.0 ? var / lam : 1.0;
}

/* A blocking station's pool and the callees it alone calls, solved as
 * one system (docs/simulation.md, "Blocking calls"): a request takes one
 * of the pool's P slots and holds it while it is served (a delay: the
 * station's own work, the hops and the callees it shares with others)
 * and while it queues and is served at each callee it alone calls.  With
 * n requests holding slots this is a closed network: exact mean value
 * analysis (load-dependent, Reiser & Lavenberg) gives its throughput
 * X(n), the callees' queues and the chance that a visit waits.  A plain
 * callee serves at min(k, c) / its time with k visits in it; a callee
 * that is itself a pool serves at its own X(k) (its flow-equivalent
 * server).  The pool is then a birth-death queue of Poisson arrivals
 * served at rate X(min(n, P)): its stationary distribution weights the
 * callees' figures, and a request that finds the pool full waits an
 * exponential time of rate X(P) - lambda.  Instances that queue apart
 * (round robin, random) are P = instances x slots for the callees, and
 * each waits as its own unit (fes_units ()).  Sets the callees' waits
 * (and, for a callee that is a pool, its own callees' again with its
 * population as this pool lets it be) and fills @f; FALSE when it does
 * not apply and the open model stands. */
static gboolean
fes_solve (Ctx       *ctx,
           int        x,
           const int *instances)
{
  const AbNetwork *net = ctx->net;
  const AbStation *s = &net->stations[x];
  const AbStationResult *rx = &ctx->res->stations[x];
  FesPool *f = &ctx->fes[x];
  int nx = MAX (instances[x], 1), m = 0, P, np, nu, cu;
  double r[FES_MAX_CALLEES], scv_y[FES_MAX_CALLEES];
  double lam, slot, scv, z, rr, top = -INFINITY, g = 0.0, full_q = 0.0, full_scv = 1.0, flow = 0.0;
  double others = 0.0, unit_c = 0.0, unit_ms = 0.0, arrival_scv = 1.0, c_scale = 1.0, passed;
  int full_n, full_j = -1, full_i = -1;
  /* overloaded with neither a limit nor patience: the backlog in front
   * of it keeps every slot held, so the closed network runs at its full
   * population (docs/simulation.md, "A pool past its capacity") */
  gboolean full = rx->overloaded && rx->unserved > 0.0;
  double *w, *p, *pj, *acc, *mu, *cf;
  gsize size;

  f->valid = FALSE;
  f->nu = 1;
  f->hyp_n = 0;
  if (f->room == 0 || ctx->bound[x] || rx->loss > 0.0
      || (rx->overloaded && !full) || (ctx->input->down != NULL && ctx->input->down[x]))
    return FALSE;
  /* the units that queue: one pool under least connections, else each
   * instance its own */
  nu = nx == 1 || s->balance == AB_BALANCE_LEAST_CONNECTIONS ? 1 : nx;
  cu = MAX (s->concurrency, 1) * (nu == 1 ? nx : 1);
  P = nu * cu;
  if (P > FES_MAX_POOL || !fes_slot (ctx, x, &lam, &slot, &scv))
    return FALSE;
  z = slot;
  /* the requests it passes on to its callees (what it serves) */
  passed = full ? lam * (1.0 - rx->unserved) : lam;
  /* the callees this station alone calls, each once: those it calls
   * itself, in the order it calls them, then those it reaches through
   * stations of its own that do not block (a cache's database) */
  for (int k = 0; k <= AB_N_CLASSES; k++)
    {
      const AbCallList *list = k < AB_N_CLASSES ? &net->calls[x * AB_N_CLASSES + k] : NULL;
      guint nc = list != NULL ? list->n_calls : net->n_stations;

      for (guint i = 0; i < nc && m < f->room; i++)
        {
          int y = list != NULL ? effective_callee (ctx, list->calls[i].callee) : (int) i, ny, j;
          const AbStation *t;
          const AbStationResult *res_y;
          double rate_y;

          if (y < 0 || ctx->owner[y] != x)
            continue;
          for (j = 0; j < m && f->ys[j] != y; j++)
            ;
          if (j < m)
            continue;
          t = &net->stations[y];
          res_y = &ctx->res->stations[y];
          ny = MAX (instances[y], 1);
          /* a callee this pool overloaded (with neither a limit nor
           * patience) while the pool passed on more than its closed
           * network does: full, it passes on X(P), which the callee
           * serves */
          /* a pool whose instances queue apart: its visits spread over
           * them as fes_spread () finds (below) */
          if (!(ny == 1 || t->balance == AB_BALANCE_LEAST_CONNECTIONS
                || (t->blocking_calls && ctx->fes[y].valid && ctx->fes[y].nu > 1))
              || ctx->bound[y] || (res_y->overloaded && !full)
              || res_y->loss > 0.0 || ctx->wait_kind[y] != WAIT_EXP || (ctx->fixed_ms[y] > 0.0 && !full)
              || !fes_slot (ctx, y, &rate_y, &f->sy[m], &scv_y[m])
              || (t->blocking_calls && !ctx->fes[y].valid))
            continue;
          for (j = 0; j < AB_N_CLASSES; j++)
            if (ab_network_copies (net, y, j, ny) != 1.0)
              break;
          if (j < AB_N_CLASSES)
            continue;
          f->ys[m] = y;
          f->nested[m] = t->blocking_calls;
          f->spread[m] = f->nested[m] && ctx->fes[y].nu > 1;
          f->v[m] = rate_y / passed;
          f->cs[m] = ny * MAX (t->concurrency, 1);
          /* a plain callee with a server for every slot never queues: a
           * delay (K = 0) */
          f->ks[m] = f->nested[m] ? MIN (ctx->fes[y].P, P) : f->cs[m] >= P ? 0 : f->cs[m];
          f->fy[m] = (1.0 + scv_y[m]) / 2.0;
          /* the slot time was last computed with this response per
           * visit: the rest of it is a delay */
          z -= f->v[m] * ctx->fes_w[y];
          m++;
        }
    }
  if (m == 0)
    return FALSE;
  /* a callee that is a pool of instances queueing apart: how this pool's
   * requests spread over its instances, from the chain of this pool's P
   * requests between the rest of their slot and that pool (its visits
   * served at its busy slots' rate); where the chain is too large, as if
   * they shared one queue */
  for (int j = 0; j < m; j++)
    if (f->spread[j])
      {
        const FesPool *h = &ctx->fes[f->ys[j]];
        double d = z;

        for (int i = 0; i < m; i++)
          if (i != j)
            d += f->v[i] * ctx->fes_w[f->ys[i]];
        d = MAX (d, 0.0) / f->v[j];
        f->spread[j] = fes_spread (P, h->nu, h->cu, h->balance == AB_BALANCE_ROUND_ROBIN, d / f->sy[j], f->ks[j],
                                   f->B + (gsize) j * (P + 1), f->W + (gsize) j * (P + 1));
        if (f->spread[j] && h->balance == AB_BALANCE_ROUND_ROBIN)
          {
            /* the chain takes the lower pool's slot times as exponential,
             * so the visits in its slots complete in any order; slots of
             * a less variable time complete more nearly in the order
             * they were dealt, and visits dealt in turn then sit at
             * different instances.  The chain's shortfall of busy slots
             * against an even spread, and its chance that a visit finds
             * its instance full, are scaled by the slot time's SCV to
             * the power 0.7: fitted to simulations of this closed cycle
             * with gamma times (bench-pool-grid --cycle), in which the
             * rest's shape made no measurable difference
             * (docs/simulation.md, "Pools in front of pools of
             * instances") */
            double scale = pow (CLAMP (scv_y[j], 0.0, 1.0), SPREAD_SCV_POWER);

            for (int k = 0; k <= f->ks[j]; k++)
              {
                double *b = f->B + (gsize) j * (P + 1) + k, *wk = f->W + (gsize) j * (P + 1) + k;

                *b = MIN (k, h->P) - scale * (MIN (k, h->P) - *b);
                *wk *= scale;
              }
          }
      }
  /* a pool that is (almost) never full in front of callees that (almost)
   * never hold as many visits as it has slots: the open model is the
   * same, and cheaper */
  {
    gboolean bound = ab_erlang_c (P, lam * slot / 1000.0) > 1e-6;

    for (int j = 0; j < m && !bound; j++)
      {
        double a = lam * f->v[j] * f->sy[j] / 1000.0;

        bound = f->nested[j] || (f->cs[j] < P
                                 && ab_erlang_c (f->cs[j], a) * pow (a / f->cs[j], P - f->cs[j]) > 1e-6);
      }
    if (!bound && !full)
      return FALSE;
  }
  f->m = m;
  f->P = P;
  f->lam = passed / 1000.0;
  z = MAX (z, 0.0);

  np = P + 1;
  size = (gsize) np * 4 + (gsize) cu + 1;
  for (int j = 0; j < m; j++)
    size += (gsize) f->ks[j] * 4 + 1;
  w = mc_buf0 (ctx->mc, BUF_FES, size, sizeof (double));
  p = w + 4 * (gsize) np + cu + 1;
  /* p: the marginals of each callee (K_j each), then acc (K_j each), the
   * completion rates mu (K_j + 1 each) and the terms cf (K_j each) of
   * the residence time: cf[k] = (k + 1) / mu[k + 1] - (k + 1) / mu[K] */
  {
    gsize off = 0, total;

    for (int j = 0; j < m; j++)
      {
        if (f->ks[j] > 0)
          p[off] = 1.0;
        off += (gsize) f->ks[j];
      }
    total = off;
    acc = p + total;
    mu = acc + total;
    cf = mu + total + m;
    for (int j = 0, o = 0, om = 0; j < m; j++)
      {
        int K = f->ks[j];

        mu[om] = 0.0;
        if (K == 0)
          {
            om++;
            continue;
          }
        for (int k = 1; k <= K; k++)
          mu[om + k] = fes_mu (ctx, f, j, k);
        if (!(mu[om + K] > 0.0))
          return FALSE;
        for (int k = 0; k < K; k++)
          cf[o + k] = mu[om + k + 1] > 0.0 ? (k + 1) / mu[om + k + 1] - (k + 1) / mu[om + K] : 0.0;
        o += K;
        om += K + 1;
      }
  }
  f->X[0] = 0.0;
  for (int j = 0; j < m; j++)
    f->Q[(gsize) j * np] = f->PW[(gsize) j * np] = 0.0;
  for (int n = 1; n <= P; n++)
    {
      double rsum = 0.0;
      const double *cfj = cf, *muj = mu;

      pj = p;
      for (int j = 0; j < m; j++)
        {
          int K = f->ks[j];
          double below = 0.0, corr = 0.0;

          for (int k = 0; k < K; k++)
            {
              below += pj[k];
              corr += cfj[k] * pj[k];
            }
          /* an arrival sees the network without itself */
          f->PW[(gsize) j * np + n] = K == 0 ? 0.0 : CLAMP (1.0 - below, 0.0, 1.0);
          if (f->spread[j])
            {
              /* it waits when the instance it is dealt to is full */
              const double *wj = f->W + (gsize) j * np;
              double pw = f->PW[(gsize) j * np + n] * wj[K];

              for (int k = 0; k < K; k++)
                pw += pj[k] * wj[k];
              f->PW[(gsize) j * np + n] = CLAMP (pw, 0.0, 1.0);
            }
          r[j] = K == 0 ? f->sy[j] : (1.0 + f->Q[(gsize) j * np + n - 1]) / muj[K] + corr;
          rsum += f->v[j] * r[j];
          pj += K;
          cfj += K;
          muj += K + 1;
        }
      if (!(z + rsum > 0.0))
        return FALSE;
      f->X[n] = n / (z + rsum);
      pj = p;
      muj = mu;
      for (int j = 0; j < m; j++)
        {
          f->Q[(gsize) j * np + n] = f->X[n] * f->v[j] * r[j];
          if (f->ks[j] > 0)
            fes_marginal (f->ks[j], muj, f->X[n] * f->v[j], pj);
          pj += f->ks[j];
          muj += f->ks[j] + 1;
        }
      w[n] = w[n - 1] + log (f->lam / f->X[n]);
    }
  if (full)
    {
      /* every slot held: the pool is its closed network at population P,
       * passing on X(P) (weights: all of it at P) */
      for (int n = 0; n <= P; n++)
        w[n] = n == P ? 0.0 : -INFINITY;
    }
  /* separate units: each one's wait from its own birth-death queue (a
   * mean field of the others); the callees see the whole pool */
  else if (nu > 1)
    {
      double *keep = w + 3 * (gsize) np + cu + 1;

      memcpy (keep, w, sizeof (double) * np);
      if (!fes_units (f, nu, cu, s->balance, w, &others, &unit_c, &unit_ms, &arrival_scv, &f->ratio))
        return FALSE;
      memcpy (w, keep, sizeof (double) * np);
    }
  rr = full ? 0.0 : f->lam / f->X[P];
  if (!(rr < 1.0))
    return FALSE;
  /* the pool's distribution: p(n) ~ prod lambda / X(i); the states
   * beyond P (requests waiting for a slot) fold into P */
  for (int n = 0; n <= P; n++)
    top = MAX (top, w[n]);
  for (int n = 0; n <= P; n++)
    {
      w[n] = exp (w[n] - top);
      if (n == P)
        w[n] /= 1.0 - rr;
      g += w[n];
    }
  if (nu == 1 && !full)
    {
      unit_c = w[P] / g;
      unit_ms = 1.0 / (f->X[P] - f->lam);
    }
  full_n = MIN ((int) lround (cu + others), P);
  /* the flow the weights carry (lambda, but for the units' mean field) */
  for (int n = 1; n <= P; n++)
    flow += w[n] * f->X[n];
  flow /= g;
  if (!(flow > 0.0))
    return FALSE;
  /* the nested pools' populations as this pool lets them be: replay
   * their marginals, weighted */
  {
    gsize off = 0;
    gboolean any = FALSE;

    for (int j = 0; j < m; j++)
      {
        if (f->nested[j])
          {
            memset (p + off, 0, sizeof (double) * f->ks[j]);
            p[off] = 1.0;
            acc[off] = w[0];
            any = TRUE;
          }
        off += (gsize) f->ks[j];
      }
    for (int n = 1; any && n <= P; n++)
      {
        const double *muj = mu;

        off = 0;
        for (int j = 0; j < m; j++)
          {
            if (f->nested[j])
              {
                fes_marginal (f->ks[j], muj, f->X[n] * f->v[j], p + off);
                for (int k = 0; k < f->ks[j]; k++)
                  acc[off + k] += w[n] * p[off + k];
              }
            off += (gsize) f->ks[j];
            muj += f->ks[j] + 1;
          }
      }
  }
  for (int j = 0; j < m; j++)
    {
      double qbar = 0.0, pw = f->PW[(gsize) j * np + full_n];

      /* the callee's mean response per visit: its queue averaged over
       * the pool's states (Little) */
      for (int n = 1; n <= P; n++)
        qbar += w[n] * f->Q[(gsize) j * np + n];
      r[j] = qbar / g / (flow * f->v[j]);
      /* with the pool full, how likely a visit to a callee queues there
       * (the busiest callee): then the pool's requests leave at that
       * callee's pace, not each at its own slot's */
      if (pw > full_q)
        {
          full_q = pw;
          full_scv = f->nested[j] ? ctx->fes[f->ys[j]].idc : scv_y[j];
          full_j = j;
          full_i = -1;
        }
      /* a callee that is a pool passes on its own callees' queues */
      if (f->nested[j])
        {
          const FesPool *h = &ctx->fes[f->ys[j]];

          for (int i = 0; i < h->m; i++)
            {
              double pw_i = h->nested[i] ? 0.0 : fes_nested_pw (ctx, f, j, i, MAX (full_n, 1));

              if (pw_i > full_q)
                {
                  full_q = pw_i;
                  full_scv = 2.0 * h->fy[i] - 1.0;
                  full_j = j;
                  full_i = i;
                }
            }
        }
    }
  f->idc = (1.0 - full_q) * scv + full_q * full_scv;
  f->shape = fes_units_shape (nu, cu, s->balance, full ? 0.0 : f->ratio, arrival_scv, f->idc, full_q, &c_scale);
  f->nu = nu;
  f->cu = cu;
  f->balance = s->balance;
  f->full_q = full_q;
  f->full_j = full_j;
  f->full_i = full_i;
  f->full_scv = full_scv;
  f->slot_scv = scv;
  if (nu == 1 && full_j >= 0)
    {
      /* the full pool is a closed network whose completions are what a
       * waiting request waits for: their variability (index of
       * dispersion) replaces the exponential's 1.  The network as a
       * cycle of the callee that paces it (where a visit most likely
       * queues) and a delay for the rest; a pool below it that never
       * runs out of slots is looked through to its own callee. */
      const FesPool *h = f->nested[full_j] ? &ctx->fes[f->ys[full_j]] : NULL;
      double mu_c[FES_MAX_POOL + 1], visits, resp, d, idc_n, idc_1, pace_scv = full_scv;
      int N = full_n;

      if (h != NULL && full_i >= 0 && h->P >= N)
        {
          int hn = h->P + 1;

          visits = f->v[full_j] * h->v[full_i];
          resp = h->Q[(gsize) full_i * hn + N] / (h->X[N] * h->v[full_i]);
          for (int k = 1; k <= N; k++)
            mu_c[k] = MIN (k, h->cs[full_i]) / h->sy[full_i];
        }
      else
        {
          /* a pool below that runs out of slots paces as a whole */
          visits = f->v[full_j];
          resp = f->Q[(gsize) full_j * np + N] / (f->X[N] * f->v[full_j]);
          for (int k = 1; k <= N; k++)
            mu_c[k] = fes_mu (ctx, f, full_j, k);
          if (h != NULL)
            pace_scv = h->idc;
        }
      d = N / (f->X[N] * visits) - resp;
      if (d > 0.0)
        {
          double idc;

          idc_n = cycle_idc (N, d, mu_c);
          idc_1 = cycle_idc (1, d, mu_c);
          /* the times' own shapes: the slot's against the cycle's of one
           * request, the pacing callee's service against exponential */
          idc = idc_n + (1.0 - full_q) * (scv - idc_1) + full_q * (pace_scv - 1.0);
          f->idc = MAX (idc, 0.0);
          f->shape = (arrival_scv + f->idc) / 2.0;
        }
    }
  {
    gsize off = 0;

    for (int j = 0; j < m; j++)
      {
        int y = f->ys[j];
        double rate_y = f->lam * f->v[j], resp = r[j];
        double pwbar = 0.0;

        /* the chance that a visit waits, over the visits: they come at
         * X(n) times the visit ratio in state n */
        for (int n = 1; n <= P; n++)
          pwbar += w[n] * f->X[n] * f->PW[(gsize) j * np + n];
        pwbar /= g * flow;
        /* no backlog of its own: the pool holds it */
        if (full)
          ctx->fixed_ms[y] = ctx->spread_ms[y] = 0.0;
        if (!f->nested[j])
          {
            /* the shape of the callee's service changes its queue as in
             * Allen-Cunneen */
            fes_set_wait (ctx, y, pwbar, (resp - f->sy[j]) * f->fy[j], rate_y * 1000.0, f->sy[j]);
            ctx->fes_w[y] = f->sy[j] + ctx->res->stations[y].mean_wait_ms;
          }
        else
          {
            const FesPool *h = &ctx->fes[y];
            double *pi = acc + off, rest = 1.0, busy = 0.0, held, shape;
            int K = f->ks[j], hp = h->P + 1;
            /* a pool of instances queueing apart: its busy slots */
            const double *bj = f->spread[j] ? f->B + (gsize) j * np : NULL;

            for (int k = 0; k < K; k++)
              {
                pi[k] /= g;
                rest -= pi[k];
                busy += (bj != NULL ? bj[k] : k) * pi[k];
              }
            rest = MAX (rest, 0.0);
            busy += (bj != NULL ? bj[K] : K) * rest;
            held = busy / rate_y;
            /* the shape of its wait: its own, but for a spread under round
             * robin, whose chain was shaped already */
            shape = f->spread[j] && h->balance == AB_BALANCE_ROUND_ROBIN ? 1.0 : h->shape;
            fes_set_wait (ctx, y, pwbar, (resp - held) * shape, rate_y * 1000.0, held);
            ctx->fes_w[y] = held + ctx->res->stations[y].mean_wait_ms;
            /* its slots are held as long as this pool lets them be */
            if (held * rate_y < h->P)
              {
                AbStationResult *ry = &ctx->res->stations[y];

                ry->offered_utilization = ry->utilization = held * rate_y / h->P;
                ry->capacity_rps = ry->offered_rps / ry->offered_utilization;
              }
            /* its own callees, at the populations it now has */
            for (int i = 0; i < h->m; i++)
              {
                double q2 = 0.0, pw2 = 0.0, r2;

                if (h->nested[i])
                  continue;
                for (int k = 0; k <= K; k++)
                  {
                    double pk = k < K ? pi[k] : rest;
                    /* its own population: its busy slots */
                    double b = bj != NULL ? bj[k] : k;

                    q2 += pk * fes_at (h->Q + (gsize) i * hp, h->P, b);
                    pw2 += pk * fes_at (h->X, h->P, b) * fes_at (h->PW + (gsize) i * hp, h->P, b);
                  }
                r2 = q2 / (h->lam * h->v[i]);
                fes_set_wait (ctx, h->ys[i], pw2 / h->lam, (r2 - h->sy[i]) * h->fy[i],
                              h->lam * h->v[i] * 1000.0, h->sy[i]);
              }
          }
        off += (gsize) f->ks[j];
      }
  }
  f->wait_c = MIN (unit_c * c_scale, 1.0);
  f->wait_ms = unit_ms;
  f->valid = TRUE;
  return TRUE;
}

/* Remembers the mean response per visit (wait and slot) of the callees
 * station @x alone calls that fes_solve () did not solve, as its slot
 * time is about to be computed with them. */
static void
fes_note_waits (Ctx *ctx,
                int  x)
{
  const FesPool *f = &ctx->fes[x];

  /* those it calls and those it reaches through its own stations that
   * do not block */
  for (guint i = 0; i < ctx->net->n_stations; i++)
    {
      int y = (int) i, j;
      double rate, slot, scv;

      if (ctx->owner[y] != x)
        continue;
      for (j = 0; f->valid && j < f->m && f->ys[j] != y; j++)
        ;
      if (f->valid && j < f->m)
        continue;
      if (!fes_slot (ctx, y, &rate, &slot, &scv))
        slot = 0.0;
      ctx->fes_w[y] = slot + (ctx->fixed_ms[y] > 0.0 ? ctx->fixed_ms[y]
                              : ctx->wait_kind[y] != WAIT_EXP ? ctx->wait_c[y] * ctx->wait_m1[y]
                              : ctx->wait_c[y] * ctx->wait_mean[y]);
    }
}

static void fes_pool_wait (Ctx *ctx, int x);

/* The plain callees of pool @x as the pool's busy slots are distributed
 * by @dist (P + 1; from the chain of its instances): each one's mean
 * response per visit is its queue averaged over those states (Little),
 * the chance that a visit waits averaged over the visits. */
static void
fes_callees_by (Ctx          *ctx,
                int           x,
                const double *dist)
{
  const FesPool *f = &ctx->fes[x];
  int np = f->P + 1;
  double flow = 0.0;

  for (int n = 1; n <= f->P; n++)
    flow += dist[n] * f->X[n];
  if (!(flow > 0.0))
    return;
  for (int j = 0; j < f->m; j++)
    {
      int y = f->ys[j];
      double qbar = 0.0, pwbar = 0.0, resp;

      if (f->nested[j])
        continue;
      for (int n = 1; n <= f->P; n++)
        {
          qbar += dist[n] * f->Q[(gsize) j * np + n];
          pwbar += dist[n] * f->X[n] * f->PW[(gsize) j * np + n];
        }
      resp = qbar / (flow * f->v[j]);
      fes_set_wait (ctx, y, pwbar / flow, (resp - f->sy[j]) * f->fy[j], f->lam * f->v[j] * 1000.0, f->sy[j]);
      ctx->fes_w[y] = f->sy[j] + ctx->res->stations[y].mean_wait_ms;
    }
}

/* Tilts the distribution @p (P + 1 values) exponentially, p(n) e^(t n)
 * normalised, to the mean @target (0 < target < P): the distribution of
 * that mean closest to @p in relative entropy. */
static void
fes_tilt (double *p,
          int     P,
          double  target)
{
  double lo = -50.0, hi = 50.0, lp[FES_MAX_POOL + 1], q[FES_MAX_POOL + 1];

  if (!(target > 0.0 && target < P))
    return;
  for (int n = 0; n <= P; n++)
    lp[n] = p[n] > 0.0 ? log (p[n]) : -INFINITY;
  for (int it = 0; it < 200 && hi - lo > 1e-12; it++)
    {
      double t = 0.5 * (lo + hi), top = -INFINITY, z = 0.0, m = 0.0;

      for (int n = 0; n <= P; n++)
        top = MAX (top, lp[n] + t * n);
      for (int n = 0; n <= P; n++)
        {
          q[n] = exp (lp[n] + t * n - top);
          z += q[n];
          m += n * q[n];
        }
      if (m / z < target)
        lo = t;
      else
        hi = t;
    }
  {
    double t = 0.5 * (lo + hi), top = -INFINITY, z = 0.0;

    for (int n = 0; n <= P; n++)
      top = MAX (top, lp[n] + t * n);
    for (int n = 0; n <= P; n++)
      z += q[n] = exp (lp[n] + t * n - top);
    for (int n = 0; n <= P; n++)
      p[n] = q[n] / z;
  }
}

/* The order of completions (docs/simulation.md, "The order of
 * completions"): a table @rank ((P + 1) x (P + 1); NULL where this does
 * not apply, the completions then exchangeable) of the chance that a
 * completion of the closed network with n requests in it is by its k-th
 * oldest (k = 1 ... n), when the pool is paced by one plain
 * single-server callee that each request visits once.  That callee
 * serves first come, first served, so the requests older than one that
 * are still present when it completes are those it overtook in the rest
 * of its slot; taking the rest as memoryless, with A older requests in
 * it when this one starts, it leaves it after a uniform share of them:
 * rank - 1 is uniform on 0 ... A.  The others at that start are
 * distributed as the closed network of n - 1 (the arrival theorem), in
 * which the callee holds at least k visits with chance
 * D^k X(n-1) ... X(n-k), D its demand per request.  Freed with g_free. */
static double *
fes_order_ranks (const FesPool *f)
{
  int j = f->full_j, P = f->P;
  double D, *rank, pa[FES_MAX_POOL + 1];

  if (f->balance != AB_BALANCE_ROUND_ROBIN || j < 0 || f->full_i >= 0 || f->nested[j] || f->cs[j] != 1
      || fabs (f->v[j] - 1.0) > 1e-9)
    return NULL;
  D = f->v[j] * f->sy[j];
  rank = g_new0 (double, (gsize) (P + 1) * (P + 1));
  for (int n = 1; n <= P; n++)
    {
      int m = n - 1;
      double ge = 1.0, acc = 0.0;

      /* pa[a]: the chance of a requests in the rest (m - a at the
       * callee) among m */
      for (int k = 0; k <= m; k++)
        {
          double next = k < m ? ge * D * f->X[m - k] : 0.0;

          pa[m - k] = MAX (ge - next, 0.0);
          ge = next;
        }
      for (int k = n; k >= 1; k--)
        {
          acc += pa[k - 1] / k;
          rank[n * (P + 1) + k] = acc;
        }
    }
  return rank;
}

/* Instances of a pool that queue apart (round robin, random): once the
 * layers have settled, each instance's wait from the chain of all of
 * them instead of the mean field of the others, which leaves out that
 * their queues rise together (docs/simulation.md, "Several instances of
 * a pool"): for two under round robin the matrix-geometric chain of
 * fes_units_chain (), else the chain of every instance's population
 * (ab_units_exact ()), which also weighs the callees again by how the
 * busy slots really spread (fes_callees_by ()).  The chain takes the
 * slots' times as
 * exponential; their shape is put back as in Allen-Cunneen, (c2a + I) /
 * 2 over the chain's own (c2a + 1) / 2 (its arrivals are exact): I is
 * the slot time's SCV, or the callee's service SCV as far as the full
 * pool is paced by it, weighted by the fourth power of the chance that a
 * visit queues there.  A pool whose wait its caller's solution sets is
 * left alone.  TRUE when the pool's slot time is to follow its callees'
 * new responses (at random, and under round robin where the chain
 * follows the order of completions with its full room; elsewhere under
 * round robin the mean field's slot time agrees better with the DES). */
static gboolean
fes_units_wait (Ctx *ctx,
                int  x)
{
  FesPool *f = &ctx->fes[x];
  double occ[FES_MAX_POOL + 1], others, others_full, wait_c, wait_ms, sigma, ca, q4, idc, full_q = f->full_q;
  gboolean ordered = FALSE, own = FALSE;

  if (!f->valid || f->nu < 2 || ctx->res->stations[x].overloaded
      || (ctx->owner[x] >= 0 && ctx->fes[ctx->owner[x]].valid))
    return FALSE;
  if (f->nu > 2 || f->balance == AB_BALANCE_RANDOM)
    {
      AbUnitsExact ux;
      g_autofree double *rank = fes_order_ranks (f);
      gboolean ok;

      ordered = rank != NULL;
      ok = ab_units_exact (f->nu, f->cu, f->lam, f->X, f->balance == AB_BALANCE_ROUND_ROBIN, rank, f->ratio,
                           UNITS_MAX_STATES, occ, &ux);
      /* one-thread instances under round robin past the chain's
       * states: the chain of one of them among the others' counts, its
       * top where the GI/M/1 queue of Erlang arrivals at the mean
       * field's rate holds 1e-8 (at least 6, at most TAGGED_MAX_TOP;
       * the geometric tail beyond; docs/simulation.md, "Several
       * instances of a pool") */
      if (!ok && f->balance == AB_BALANCE_ROUND_ROBIN && f->cu == 1 && f->nu <= TAGGED_MAX_UNITS)
        {
          double mu = f->lam / f->nu / f->ratio, sg = f->ratio;
          int top;

          for (int it = 0; it < 200; it++)
            sg = pow (f->lam / (f->lam + mu * (1.0 - sg)), f->nu);
          top = sg > 0.0 && sg < 1.0 ? (int) ceil (log (1e-8) / log (sg)) : TAGGED_MAX_TOP;
          ordered = FALSE;
          ok = ab_units_tagged (f->nu, f->lam, f->X, CLAMP (top, 6, TAGGED_MAX_TOP), CLAMP (sg, 0.0, 0.98), occ,
                                &ux);
        }
      if (!ok)
        return FALSE;
      /* the callees as the instances' busy slots really spread; under
       * round robin, whose slot time stays the mean field's, at the mean
       * that slot time holds (Little: lambda x slot), as the chain's own
       * is short (docs/simulation.md, "Several instances of a pool") --
       * but for a chain that follows the order of completions with its
       * full room, whose own spread holds ("The order of completions") */
      own = ordered && ux.room >= AB_UNITS_MIN_ROOM;
      if (f->balance == AB_BALANCE_ROUND_ROBIN && !own)
        fes_tilt (occ, f->P, ctx->res->stations[x].offered_utilization * f->P);
      fes_callees_by (ctx, x, occ);
      wait_c = ux.wait_c;
      wait_ms = ux.wait_ms;
      others_full = ux.others_full;
      f->hyp_n = ux.hyp_n;
      memcpy (f->hyp_a, ux.hyp_a, sizeof ux.hyp_a);
      memcpy (f->hyp_m, ux.hyp_m, sizeof ux.hyp_m);
    }
  else if (!fes_units_chain (ctx->mc, f, f->nu, f->cu, f->balance, f->ratio, occ, &others, &others_full, &wait_c,
                             &wait_ms, &sigma, &f->hyp_n, f->hyp_a, f->hyp_m))
    {
      f->hyp_n = 0;
      return FALSE;
    }
  /* the pool as a waiting request finds it: this unit full, the other
   * as full as it is then */
  if (f->full_j >= 0)
    {
      int full_n = MIN ((int) lround (f->cu + others_full), f->P), j = f->full_j;

      if (f->full_i < 0)
        full_q = f->PW[(gsize) j * (f->P + 1) + full_n];
      else
        full_q = fes_nested_pw (ctx, f, j, f->full_i, MAX (full_n, 1));
    }
  q4 = pow (full_q, 4.0);
  idc = (1.0 - q4) * f->slot_scv + q4 * f->full_scv;
  if (ordered && f->full_j >= 0)
    {
      /* the chain follows the slot's phases through their order: only
       * the times' own shapes are put back, as for one pool (the slot's
       * SCV against that of one request's slot of exponential times, the
       * callee's service against exponential) */
      int j = f->full_j, np = f->P + 1, full_n = MIN (MAX ((int) lround (f->cu + others_full), 1), f->P);
      double resp = f->Q[(gsize) j * np + full_n] / (f->X[full_n] * f->v[j]);
      double d = full_n / (f->X[full_n] * f->v[j]) - resp, sy = f->sy[j];

      if (d > 0.0)
        {
          double idc_1 = (d * d + sy * sy) / ((d + sy) * (d + sy));

          idc = MAX (1.0 + (1.0 - full_q) * (f->slot_scv - idc_1) + full_q * (f->full_scv - 1.0), 0.0);
        }
    }
  ca = f->balance == AB_BALANCE_ROUND_ROBIN ? 1.0 / f->nu : 1.0;
  f->wait_c = wait_c;
  f->wait_ms = wait_ms;
  f->shape = (ca + idc) / (ca + 1.0);
  fes_pool_wait (ctx, x);
  return f->balance == AB_BALANCE_RANDOM || own;
}

/* The pool's own wait from fes_solve (), shaped by the slot time's
 * variability (Allen-Cunneen: the flow-equivalent server takes its
 * times as exponential). */
static void
fes_pool_wait (Ctx *ctx,
               int  x)
{
  const FesPool *f = &ctx->fes[x];
  double lam, slot, scv;

  if (!f->valid || !fes_slot (ctx, x, &lam, &slot, &scv))
    return;
  fes_set_wait (ctx, x, f->wait_c, f->wait_c * f->wait_ms * f->shape, lam, slot);
  /* units: the wait given a wait is a mixture of exponentials */
  if (f->hyp_n > 1 && ctx->wait_c[x] > 0.0)
    {
      double m = 0.0, m2 = 0.0, scale;

      for (int i = 0; i < f->hyp_n; i++)
        m += f->hyp_a[i] * f->hyp_m[i];
      if (!(m > 0.0))
        return;
      scale = ctx->wait_mean[x] / m;
      for (int i = 0; i < f->hyp_n; i++)
        m2 += f->hyp_a[i] * 2.0 * (f->hyp_m[i] * scale) * (f->hyp_m[i] * scale);
      ctx->wait_kind[x] = WAIT_HYPER;
      ctx->wait_m1[x] = ctx->wait_mean[x];
      ctx->wait_m2[x] = m2;
    }
}

static int
autoscaled_instances (const AbStation *s,
                      double           work_per_s)
{
  double target = s->autoscale_target > 0.0 ? s->autoscale_target : 0.7;
  int need = (int) ceil (work_per_s / (MAX (s->concurrency, 1) * target) - 1e-9);

  return CLAMP (need, MAX (s->autoscale_min, 1), s->autoscale_max);
}

/* Pushes the served output of station @x to its callees. */
static void
push_station (Ctx          *ctx,
              int           x,
              const double *in,
              double       *out,
              double        loss)
{
  for (int k = 0; k < AB_N_CLASSES; k++)
    {
      int node = x * AB_N_CLASSES + k;
      const AbCallList *list = &ctx->net->calls[node];
      double go = in[node] * (1.0 - loss) * onward (ctx, x, k);

      if (go <= 0.0)
        continue;
      for (guint i = 0; i < list->n_calls; i++)
        {
          int callee = effective_callee (ctx, list->calls[i].callee);
          if (callee < 0)
            continue;
          out[callee * AB_N_CLASSES + list->calls[i].as_class] += go * call_probability (ctx, list, i);
        }
    }
}

static void
inject (Ctx    *ctx,
        double  mult,
        double *rates)
{
  guint n = ctx->net->n_stations;

  memset (rates, 0, sizeof (double) * n * AB_N_CLASSES);
  for (int k = 0; k < AB_N_CLASSES; k++)
    for (guint e = 0; e < ctx->net->entries[k].n; e++)
      {
        int st = ctx->net->entries[k].stations[e];
        if (ctx->input->down == NULL || !ctx->input->down[st])
          rates[st * AB_N_CLASSES + k] += ctx->net->rate[k] * mult * ctx->net->entries[k].shares[e];
      }
  for (guint x = 0; x < n; x++)
    for (int k = 0; k < AB_N_CLASSES; k++)
      if (ctx->net->stations[x].self_rate[k] > 0.0
          && (ctx->input->down == NULL || !ctx->input->down[x]))
        rates[x * AB_N_CLASSES + k] += ctx->net->stations[x].self_rate[k];
}

/* Arrival rates per node; with @thin, losses at a station reduce what it
 * passes on.  DAGs take one pass in topological order; cyclic networks
 * iterate to the fixed point. */
static void
propagate (Ctx       *ctx,
           const int *order,
           double     mult,
           gboolean   thin,
           const int *instances,
           double    *rates)
{
  guint n = ctx->net->n_stations;

  if (order != NULL)
    {
      inject (ctx, mult, rates);
      for (guint i = 0; i < n; i++)
        {
          int x = order[i];
          double loss = 0.0;
          if (thin)
            {
              station_metrics (ctx, x, instances[x]);
              loss = station_held (&ctx->res->stations[x]);
            }
          push_station (ctx, x, rates, rates, loss);
        }
      return;
    }
  else
    {
      double *next = mc_buf (ctx->mc, BUF_NEXT, n * AB_N_CLASSES, sizeof (double));

      inject (ctx, mult, rates);
      for (int round = 0; round < 1000; round++)
        {
          double change = 0.0;

          inject (ctx, mult, next);
          for (guint x = 0; x < n; x++)
            {
              double loss = 0.0;
              if (thin)
                {
                  station_metrics (ctx, (int) x, instances[x]);
                  loss = station_held (&ctx->res->stations[x]);
                }
              push_station (ctx, (int) x, rates, next, loss);
            }
          for (guint v = 0; v < n * AB_N_CLASSES; v++)
            {
              change = MAX (change, fabs (next[v] - rates[v]));
              rates[v] = MIN (next[v], 1e15);
            }
          if (change < 1e-9)
            break;
        }
      if (thin)
        for (guint x = 0; x < n; x++)
          station_metrics (ctx, (int) x, instances[x]);
    }
}

AbModelResult *
ab_model_evaluate (const AbNetwork    *network,
                   const AbModelInput *input)
{
  AbModelContext *mc;
  AbModelResult *res;

  g_return_val_if_fail (network != NULL, NULL);

  mc = ab_model_context_new ();
  res = ab_model_evaluate_in (mc, network, input);
  ab_model_context_free (mc);
  return res;
}

AbModelResult *
ab_model_evaluate_in (AbModelContext     *context,
                      const AbNetwork    *network,
                      const AbModelInput *input)
{
  static const AbModelInput defaults = { 1.0, NULL, NULL, FALSE, FALSE };
  AbModelContext *mc = context;
  guint n, nn;
  AbModelResult *res;
  Ctx ctx = { 0 };
  int *order = NULL;
  int *instances = NULL;
  double *unthinned = NULL;
  double mult, min_scale = INFINITY, offered = 0.0, served = 0.0, errors = 0.0;
  gboolean unserved = FALSE;
  Dist totals[AB_N_CLASSES];
  double fails[AB_N_CLASSES];
  double lag_num = 0.0, lag_den = 0.0;
  gboolean blocking = FALSE;
  double *hold_lo = NULL;
  double *hold_hi = NULL;
  double *fes_w_prev = NULL;

  g_return_val_if_fail (context != NULL, NULL);
  g_return_val_if_fail (network != NULL, NULL);

  if (input == NULL)
    input = &defaults;
  mult = input->multiplier > 0.0 ? input->multiplier : 1.0;
  n = network->n_stations;
  nn = n * AB_N_CLASSES;

  res = g_new0 (AbModelResult, 1);
  res->multiplier = mult;
  res->n_stations = n;
  res->stations = g_new0 (AbStationResult, MAX (n, 1));
  res->node_rps = g_new0 (double, MAX (nn, 1));
  res->bottleneck = -1;
  if (input->down != NULL)
    res->down = g_memdup2 (input->down, sizeof (gboolean) * MAX (n, 1));
  res->failover_pending = input->failover_pending;

  ctx.mc = mc;
  ctx.net = network;
  ctx.input = input;
  ctx.res = res;
  ctx.w = twiddles ();
  ctx.state = mc_buf0 (mc, BUF_STATE, nn, sizeof (guint8));
  ctx.hop = mc_buf0 (mc, BUF_HOP, nn, sizeof (Dist));
  ctx.calls = mc_buf0 (mc, BUF_CALLS, nn, sizeof (Dist));
  ctx.fail = mc_buf0 (mc, BUF_FAIL, nn, sizeof (double));
  ctx.hold_m1 = mc_buf0 (mc, BUF_HOLD_M1, nn, sizeof (double));
  ctx.hold_m2 = mc_buf0 (mc, BUF_HOLD_M2, nn, sizeof (double));
  ctx.wait_c = mc_buf0 (mc, BUF_WAIT_C, n, sizeof (double));
  ctx.wait_kind = mc_buf0 (mc, BUF_WAIT_KIND, n, sizeof (guint8));
  ctx.wait_theta = mc_buf0 (mc, BUF_WAIT_THETA, n, sizeof (double));
  ctx.wait_rho = mc_buf0 (mc, BUF_WAIT_RHO, n, sizeof (double));
  ctx.wait_q = mc_buf0 (mc, BUF_WAIT_Q, n, sizeof (double));
  ctx.wait_m1 = mc_buf0 (mc, BUF_WAIT_M1, n, sizeof (double));
  ctx.wait_m2 = mc_buf0 (mc, BUF_WAIT_M2, n, sizeof (double));
  ctx.wait_mean = mc_buf0 (mc, BUF_WAIT_MEAN, n, sizeof (double));
  ctx.fixed_ms = mc_buf0 (mc, BUF_FIXED_MS, n, sizeof (double));
  ctx.bound = mc_buf0 (mc, BUF_BOUND, n, sizeof (gboolean));
  ctx.spread_ms = mc_buf0 (mc, BUF_SPREAD_MS, n, sizeof (double));
  ctx.drain = mc_buf0 (mc, BUF_DRAIN, n, sizeof (const AbModelWaits *));
  ctx.bg_over = mc_buf0 (mc, BUF_BG_OVER, n, sizeof (double));
  ctx.phi = mc_buf0 (mc, BUF_PHI, nn, sizeof (Dist));
  ctx.phi_done = mc_buf0 (mc, BUF_PHI_DONE, nn, sizeof (gboolean));
  index_calls (&ctx);
  ctx.owner = mc_buf (mc, BUF_OWNER, n, sizeof (int));
  ctx.fes_w = mc_buf0 (mc, BUF_FES_W, n, sizeof (double));
  ctx.fes = mc_buf0 (mc, BUF_FES_POOL, n, sizeof (FesPool));
  fes_owners (&ctx);
  ctx.arena_cap = 3 * nn + 40;
  ctx.arena = mc_buf (mc, BUF_ARENA, (gsize) BINS * ctx.arena_cap, sizeof (cplx));

  order = station_order (mc, network);
  instances = mc_buf (mc, BUF_INSTANCES, n, sizeof (int));
  unthinned = mc_buf0 (mc, BUF_UNTHINNED, nn, sizeof (double));

  /* offered load without losses: autoscaling and the sustainable rate */
  propagate (&ctx, order, mult, FALSE, NULL, unthinned);
  hold_init (&ctx);
  for (guint x = 0; x < n; x++)
    if (network->stations[x].blocking_calls)
      blocking = TRUE;
  /* blocking calls: the method of layers.  Rates flow down (losses thin
   * them), slot times flow up (a caller's slot time is its service plus
   * its calls' response times); alternate until the slot times settle.
   * A network with a cycle keeps slot times = service times.  Each
   * slot time is safeguarded by a bracket (see hold_update ()). */
  hold_lo = mc_buf0 (mc, BUF_HOLD_LO, nn, sizeof (double));
  hold_hi = mc_buf (mc, BUF_HOLD_HI, nn, sizeof (double));
  for (guint v = 0; v < nn; v++)
    hold_hi[v] = INFINITY;
  for (int round = 0; round < (blocking && order != NULL ? 200 : 1); round++)
    {
      double change = 0.0;

      min_scale = INFINITY;
      for (guint x = 0; x < n; x++)
        {
          const AbStation *s = &network->stations[x];
          double work = 0.0;

          instances[x] = input->instances != NULL ? input->instances[x] : s->instances;
          for (int k = 0; k < AB_N_CLASSES; k++)
            work += unthinned[x * AB_N_CLASSES + k] * ctx.hold_m1[x * AB_N_CLASSES + k] / 1000.0
                    * ab_network_copies (network, (int) x, k, instances[x]);
          /* a primary's lost shards' requests fail: no work */
          work *= ab_network_shards_live (network, (int) x, instances[x]);
          if (input->autoscale && s->autoscale_max > s->autoscale_min)
            instances[x] = autoscaled_instances (s, work);
          instances[x] = MAX (instances[x], 1);
          if (work > 0.0)
            min_scale = MIN (min_scale, (double) instances[x] * MAX (s->concurrency, 1) / work);
        }

      propagate (&ctx, order, mult, TRUE, instances, res->node_rps);
      if (!blocking || order == NULL)
        break;
      ctx.spectra = FALSE;
      ctx_reset (&ctx);
      if (fes_w_prev == NULL)
        fes_w_prev = mc_buf (mc, BUF_FES_W_PREV, n, sizeof (double));
      memcpy (fes_w_prev, ctx.fes_w, sizeof (double) * n);
      for (guint i = n; i-- > 0;)
        {
          int x = order[i];

          double dx;

          if (!network->stations[x].blocking_calls)
            continue;
          /* the callees it alone calls see at most its pool */
          fes_solve (&ctx, x, instances);
          fes_note_waits (&ctx, x);
          dx = hold_update (&ctx, x, hold_lo, hold_hi);
          change = MAX (change, dx);
          station_metrics (&ctx, x, instances[x]);
          if (!res->stations[x].overloaded)
            fes_pool_wait (&ctx, x);
        }
      /* a pool solved with its callees took the rest of its slot time as
       * a delay, from their responses of the round before: settled only
       * when those have settled too */
      for (guint y = 0; y < n; y++)
        if (ctx.owner[y] >= 0 && ctx.fes_w[y] > 0.0)
          change = MAX (change, fabs (ctx.fes_w[y] - fes_w_prev[y]) / ctx.fes_w[y]);
      if (change < 1e-9)
        break;
    }
  /* instances of a pool: their waits, once the layers have settled; a
   * pool whose callees were weighed again by the chain of its instances
   * holds its slots for their new response */
  if (blocking && order != NULL)
    for (guint x = 0; x < n; x++)
      if (network->stations[x].blocking_calls && fes_units_wait (&ctx, (int) x))
        {
          for (int k = 0; k < AB_N_CLASSES; k++)
            {
              hold_lo[x * AB_N_CLASSES + k] = 0.0;
              hold_hi[x * AB_N_CLASSES + k] = INFINITY;
            }
          hold_update (&ctx, (int) x, hold_lo, hold_hi);
          station_metrics (&ctx, (int) x, instances[x]);
          fes_pool_wait (&ctx, (int) x);
        }

  for (int k = 0; k < AB_N_CLASSES; k++)
    {
      res->class_offered_rps[k] = network->rate[k] * mult;
      offered += res->class_offered_rps[k];
    }
  res->offered_rps = offered;
  res->max_sustainable_rps = isfinite (min_scale) ? min_scale * offered : INFINITY;

  for (guint x = 0; x < n; x++)
    {
      const AbStationResult *r = &res->stations[x];
      if (r->offered_rps > 0.0 && r->capacity_rps < INFINITY
          && (res->bottleneck < 0 || r->offered_utilization > res->bottleneck_utilization))
        {
          res->bottleneck = (int) x;
          res->bottleneck_utilization = r->offered_utilization;
        }
    }

  for (guint x = 0; x < n; x++)
    unserved |= res->stations[x].unserved != 0.0;
  /* what still waits behind a backlog without a limit is not answered
   * either, though it has not failed: the served rates count it */
  if (unserved)
    for (int k = 0; k < AB_N_CLASSES; k++)
      {
        Dist d;
        double held;

        ctx.spectra = FALSE;
        ctx.unserved_fails = TRUE;
        ctx_reset (&ctx);
        class_total (&ctx, k, &d, &held);
        /* below 0 where a backlog drains: more answered than arrived */
        res->class_served_rps[k] = network->rate[k] * mult * (1.0 - MIN (held, 1.0));
      }
  ctx.unserved_fails = FALSE;

  /* pass 1: moments, to size the grid per class */
  for (int k = 0; k < AB_N_CLASSES; k++)
    {
      ctx.spectra = FALSE;
      ctx_reset (&ctx);
      class_total (&ctx, k, &totals[k], &fails[k]);
      res->latency[k].mean_ms = totals[k].m1;
      res->class_error_rate[k] = CLAMP (fails[k], 0.0, 1.0);
      errors += res->class_offered_rps[k] * res->class_error_rate[k];
      if (!unserved)
        res->class_served_rps[k] = res->class_offered_rps[k] * (1.0 - res->class_error_rate[k]);
      served += res->class_served_rps[k];
    }
  res->served_rps = served;
  res->error_rate = offered > 0.0 ? errors / offered : 0.0;

  /* processing lag: background chains from where they start (an async
   * call on a user's path, a cron job) to their last stage */
  {
    LagAcc acc = { 0 };
    double *urate = mc_buf0 (mc, BUF_URATE, nn, sizeof (double));

    acc.end_num = mc_buf0 (mc, BUF_LAG_END, 3 * n, sizeof (double));
    acc.end_den = acc.end_num + n;
    acc.end_grow = acc.end_den + n;

    if (order != NULL)
      {
        /* what user requests bring to each node through synchronous calls */
        for (int k = 0; k < AB_N_CLASSES; k++)
          for (guint e = 0; e < network->entries[k].n; e++)
            {
              int st = network->entries[k].stations[e];

              if (input->down == NULL || !input->down[st])
                urate[st * AB_N_CLASSES + k] += network->rate[k] * mult * network->entries[k].shares[e];
            }
        for (guint i = 0; i < n; i++)
          for (int k = 0; k < AB_N_CLASSES; k++)
            {
              int x = order[i], v = x * AB_N_CLASSES + k;
              const AbCallList *list = &network->calls[v];
              double go = urate[v] * (1.0 - station_held (&res->stations[x])) * onward (&ctx, x, k);

              if (go <= 0.0)
                continue;
              for (guint j = 0; j < list->n_calls; j++)
                {
                  int callee = effective_callee (&ctx, list->calls[j].callee);

                  if (!list->calls[j].async && callee >= 0)
                    urate[callee * AB_N_CLASSES + list->calls[j].as_class] += go * call_probability (&ctx, list, j);
                }
            }
      }
    else
      memcpy (urate, res->node_rps, sizeof (double) * nn);
    for (guint v = 0; v < nn; v++)
      {
        int x = (int) (v / AB_N_CLASSES), k = (int) (v % AB_N_CLASSES);
        double go = urate[v] * (1.0 - station_held (&res->stations[x])) * onward (&ctx, x, k);
        double nospawn = 1.0;

        if (go > 0.0)
          lag_spawns (&ctx, (int) v, go, 0.0, 0.0, FALSE, 0, &nospawn, &acc);
        if (network->stations[x].self_rate[k] > 0.0 && (input->down == NULL || !input->down[x]))
          lag_chain (&ctx, (int) v, network->stations[x].self_rate[k], 0.0, 0.0, 0, &acc);
      }
    /* users' waits behind a backlog without a limit grow by (lambda -
     * capacity) / lambda seconds a second, each visit of a request */
    if (unserved && offered > 0.0)
      for (guint v = 0; v < nn; v++)
        {
          const AbStationResult *r = &res->stations[v / AB_N_CLASSES];
          double lambda = r->capacity_rps + r->backlog_rps;

          if (r->unserved > 0.0 && lambda > 0.0)
            res->latency_growth += urate[v] / offered * 1000.0 * r->backlog_rps / lambda;
        }
    lag_num = acc.num;
    lag_den = acc.den;
    ab_lag_slowest_end (acc.end_num, acc.end_den, n, &res->lag_slowest_ms, &res->lag_slowest_station);
    res->lag_growth = acc.den > 0.0 ? acc.grow / acc.den : 0.0;
    res->lag_slowest_growth = res->lag_slowest_station >= 0
                              ? acc.end_grow[res->lag_slowest_station] / acc.end_den[res->lag_slowest_station]
                              : 0.0;
    res->background_rps = acc.total;
    res->background_error_rate = acc.total > 0.0 ? CLAMP (acc.fail / acc.total, 0.0, 1.0) : 0.0;
  }
  res->lag_ms = lag_den > 0.0 ? lag_num / lag_den : 0.0;

  /* pass 2: distributions on a grid wide enough for each class */
  for (int k = 0; k < AB_N_CLASSES; k++)
    {
      double var = MAX (totals[k].m2 - totals[k].m1 * totals[k].m1, 0.0);
      double span = 1.2 * (totals[k].m1 + 10.0 * sqrt (var));
      cplx *x = mc_buf (mc, BUF_GRID, GRID, sizeof (cplx));
      Dist d;
      double f, acc = 0.0;

      if (span <= 0.0)
        span = 1.0;
      ctx.h = span / GRID;
      ctx.spectra = TRUE;
      ctx_reset (&ctx);
      class_total (&ctx, k, &d, &f);
      for (int j = 0; j < BINS; j++)
        x[j] = d.f[j];
      for (int j = BINS; j < GRID; j++)
        x[j] = conj (d.f[GRID - j]);
      fft (x, TRUE);
      res->grid_step_ms[k] = ctx.h;
      res->grid_cdf[k] = g_new (double, GRID);
      for (int m = 0; m < GRID; m++)
        {
          acc += MAX (creal (x[m]), 0.0);
          res->grid_cdf[k][m] = acc;
        }
      for (int m = 0; m < GRID; m++)
        res->grid_cdf[k][m] = MIN (res->grid_cdf[k][m] / acc, 1.0);
      res->latency[k].p50_ms = grid_quantile (res->grid_cdf[k], ctx.h, 0.50);
      res->latency[k].p95_ms = grid_quantile (res->grid_cdf[k], ctx.h, 0.95);
      res->latency[k].p99_ms = grid_quantile (res->grid_cdf[k], ctx.h, 0.99);
    }
  if (offered > 0.0)
    {
      res->latency[AB_N_CLASSES].mean_ms = (res->class_offered_rps[0] * res->latency[0].mean_ms
                                            + res->class_offered_rps[1] * res->latency[1].mean_ms) / offered;
      res->latency[AB_N_CLASSES].p50_ms = mixture_quantile (res, 0.50);
      res->latency[AB_N_CLASSES].p95_ms = mixture_quantile (res, 0.95);
      res->latency[AB_N_CLASSES].p99_ms = mixture_quantile (res, 0.99);
    }

  return res;
}

void
ab_model_result_free (AbModelResult *result)
{
  if (result == NULL)
    return;
  g_free (result->stations);
  g_free (result->node_rps);
  g_free (result->down);
  for (int k = 0; k < AB_N_CLASSES; k++)
    g_free (result->grid_cdf[k]);
  g_free (result);
}

double **
ab_model_call_rates (const AbNetwork     *network,
                     const AbModelResult *result)
{
  guint nn = network->n_stations * AB_N_CLASSES;
  double **rates = g_new0 (double *, MAX (nn, 1));
  AbModelInput input = { 1.0, NULL, NULL, FALSE, FALSE };
  g_autoptr(AbModelContext) mc = ab_model_context_new ();
  Ctx ctx = { 0 };

  input.down = result->down;
  input.failover_pending = result->failover_pending;
  ctx.mc = mc;
  ctx.net = network;
  ctx.input = &input;
  index_calls (&ctx);
  for (guint v = 0; v < nn; v++)
    {
      const AbCallList *list = &network->calls[v];
      const AbStationResult *r = &result->stations[v / AB_N_CLASSES];
      double go = result->node_rps[v] * (1.0 - station_held (r))
                  * onward (&ctx, (int) (v / AB_N_CLASSES), (int) (v % AB_N_CLASSES));

      rates[v] = g_new0 (double, MAX (list->n_calls, 1));
      for (guint i = 0; i < list->n_calls; i++)
        rates[v][i] = go * call_probability (&ctx, list, i);
    }
  return rates;
}

void
ab_model_call_rates_free (const AbNetwork  *network,
                          double          **rates)
{
  if (rates == NULL)
    return;
  for (guint v = 0; v < network->n_stations * AB_N_CLASSES; v++)
    g_free (rates[v]);
  g_free (rates);
}

void
ab_model_input_at (AbModelInput     *input,
                   const AbNetwork  *network,
                   const AbScenario *scenario,
                   double            t_s,
                   int              *instances,
                   gboolean         *down)
{
  g_return_if_fail (input != NULL && network != NULL && scenario != NULL);

  memset (input, 0, sizeof *input);
  for (guint i = 0; i < network->n_stations; i++)
    {
      instances[i] = network->stations[i].instances;
      down[i] = FALSE;
    }
  for (guint e = 0; scenario->events != NULL && e < scenario->events->len; e++)
    {
      const AbScenarioEvent *ev = &g_array_index (scenario->events, AbScenarioEvent, e);
      int s = ev->station != NULL ? ab_network_find (network, ev->station) : -1;

      if (ev->t_s > t_s || s < 0)
        continue;
      switch (ev->kind)
        {
        case AB_SCENARIO_LOSE_INSTANCES:
          instances[s] -= MAX (ev->count, 1);
          if (instances[s] <= 0)
            {
              instances[s] = 1;
              down[s] = TRUE;
            }
          break;
        case AB_SCENARIO_LOSE_STATION:
          down[s] = TRUE;
          if (network->stations[s].failover_to >= 0 && t_s - ev->t_s < network->stations[s].failover_s)
            input->failover_pending = TRUE;
          break;
        case AB_SCENARIO_RECOVER:
          instances[s] = network->stations[s].instances;
          down[s] = FALSE;
          break;
        default:
          break;
        }
    }
  input->multiplier = ab_scenario_multiplier_at (scenario, t_s);
  input->instances = instances;
  input->down = down;
  input->autoscale = TRUE;
}
