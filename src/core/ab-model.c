/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The analytical model: arrival rates through the network, Erlang C per
 * instance, and end-to-end latency distributions composed in the Fourier
 * domain of a discretised grid (sums of hops are products, hit / miss and
 * exclusive branches are mixtures), so a 200-station design takes well
 * under a millisecond.
 *
 * This part: the evaluation, and the distributions a hop multiplies its
 * transform with.  The closed forms, the grid (FFT, buffers, spectra),
 * the backlog over a scenario and the blocking pools (the flow-equivalent
 * server) are parts of their own, listed in ab-model-private.h. */
#define G_LOG_DOMAIN "archboard-model"

#include "config.h"

#include "ab-model-private.h"

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

int
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
