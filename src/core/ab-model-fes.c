/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The analytical model's blocking pools: the flow-equivalent server.  A
 * blocking station's pool is solved with the callees it alone calls as a
 * closed network (fes_solve ()), its instances that queue apart as units
 * of their own (fes_units_wait ()), and the pool is then one
 * load-dependent server to the pool that calls it.  The evaluation in
 * ab-model.c calls these through ab-model-private.h; the wait they set
 * is composed there (mul_hyper (), kept with the other distributions of
 * a hop so that the compiler inlines it into the hop's evaluation). */
#define G_LOG_DOMAIN "archboard-model"

#include "config.h"

#include "ab-model-private.h"
#include "ab-model-chain.h"

/* ---- blocking pools: the flow-equivalent server ---- */

/* Pools larger than this keep the open model (their callees see enough
 * callers for Poisson arrivals to hold, and the exact recursion costs
 * pool x servers per round). */
#define FES_MAX_POOL 256

/* Per station, the one blocking caller all of its load comes from
 * (@ctx->owner): -1 for an entry, a station that makes load itself, one
 * called asynchronously, by more than one station or by one that does
 * not block.  Then room for each blocking pool's tables. */
void
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

/* The marginal distribution @p (K + 1 values, K = @f->ks[@j]) of the
 * visits pool @f has in its callee @j (a pool itself) while @f holds @n
 * requests: exact mean value analysis of @f's closed network replayed
 * at @j (the last value holds K and more).  FALSE when @j cannot serve
 * (@p untouched). */
static gboolean
fes_nested_marginal (const Ctx     *ctx,
                     const FesPool *f,
                     int            j,
                     int            n,
                     double        *p)
{
  int K = f->ks[j];
  double mu[FES_MAX_POOL + 1], below = 0.0;

  if (K < 1)
    return FALSE;
  mu[0] = 0.0;
  for (int k = 1; k <= K; k++)
    mu[k] = fes_mu (ctx, f, j, k);
  if (!(mu[K] > 0.0))
    return FALSE;
  memset (p, 0, sizeof (double) * K);
  p[0] = 1.0;
  for (int i = 1; i <= n; i++)
    fes_marginal (K, mu, f->X[i] * f->v[j], p);
  for (int k = 0; k < K; k++)
    below += p[k];
  p[K] = MAX (1.0 - below, 0.0);
  return TRUE;
}

/* How many of callee @j's slots (a pool itself) @k visits of pool @f
 * keep busy: as they spread over its instances, for one whose instances
 * queue apart, else all of them up to its slots. */
static inline double
fes_nested_busy (const Ctx     *ctx,
                 const FesPool *f,
                 int            j,
                 int            k)
{
  k = MIN (k, f->ks[j]);
  return f->spread[j] ? f->B[(gsize) j * (f->P + 1) + k] : (double) MIN (k, ctx->fes[f->ys[j]].P);
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
  double p[FES_MAX_POOL + 1], q = 0.0;

  if (K < 1)
    return 0.0;
  if (!fes_nested_marginal (ctx, f, j, N - 1, p))
    return h->PW[(gsize) i * hn + MIN (K, h->P)];
  for (int k = 0; k <= K; k++)
    q += p[k] * fes_at (h->PW + (gsize) i * hn, h->P, fes_nested_busy (ctx, f, j, k + 1));
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
gboolean
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
          double pk[FES_MAX_POOL + 1], qbar = 0.0;

          visits = f->v[full_j] * h->v[full_i];
          /* the callee's response with this pool full: the lower pool
           * then holds only the visits this pool has in it, not N (its
           * marginal in this pool's closed network of N, as for the
           * chance of a queue, fes_nested_pw ()); its queue over its
           * flow of visits (Little) */
          if (fes_nested_marginal (ctx, f, full_j, N, pk))
            {
              for (int k = 0; k <= f->ks[full_j]; k++)
                qbar += pk[k] * fes_at (h->Q + (gsize) full_i * hn, h->P, fes_nested_busy (ctx, f, full_j, k));
              resp = qbar / (f->X[N] * visits);
            }
          else
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
void
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
gboolean
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
void
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
