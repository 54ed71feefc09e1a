/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The chain of all the instances of a blocking pool in front of the
 * callees it alone calls, over their flow-equivalent server
 * (docs/simulation.md, "Several instances of a pool").
 *
 * nu instances of cu slots each; requests arrive at lam per ms and are
 * dealt to the instances at random or by round robin; with n slots busy
 * in all, every request holding a slot completes at X(n) / n.  The state
 * is every instance's population (its busy slots and its queue).  Under
 * random balancing the instances are alike, so the chain is lumped by the
 * multiset of the populations (a sorted tuple); under round robin it is
 * the tuple in the order the balancer deals to, starting at the instance
 * whose turn is next (the pointer's position absorbed by rotating it);
 * there, with a table of ranks, a completion goes to the k-th oldest
 * request in a slot with the chance the table gives ("The order of
 * completions").
 * Each instance's population is followed up to a top M (as high as
 * @max_states allows with room for MIN_ROOM requests waiting at each;
 * under round robin, whose tuples number (M + 1)^nu, down to room for
 * one within RR_MAX_STATES); above it a
 * geometric tail of ratio sigma (an arrival at the top stays there, a
 * completion there leaves it with chance 1 - sigma), sigma set from the
 * chain itself: the arrival rate at an instance over its completion rate
 * at the top.  Solved by Gauss-Seidel with aggregation by the total
 * population (a birth-death chain of the levels rescales the sweeps'
 * estimate, which makes it converge in tens of sweeps where plain
 * Gauss-Seidel takes thousands near saturation).
 *
 * Past those states, one-slot instances under round robin are solved
 * as the chain of one of them among the others' counts
 * (ab_units_tagged ()). */

#include "config.h"

#include <math.h>
#include <string.h>

#include "ab-model-chain.h"

#define TOP_ROOM 40
#define MIN_ROOM AB_UNITS_MIN_ROOM
#define MAX_SWEEPS 3000
#define SIGMA_ROUNDS 6
/* round robin: the states allowed when room for MIN_ROOM requests
 * waiting at every instance would take more than the caller's cap */
#define RR_MAX_STATES 8000

typedef struct {
  int      nu, cu, M, n;
  gboolean rr;
  int     *choose;   /* C(v, i) at v * (nu + 1) + i, v <= M + nu */
  guint8  *tup;      /* n x nu */
  int     *level;
  double  *out, *up, *down;
  int     *first, *src;
  double  *rate;
  const double *order; /* round robin: a completion's chance by rank */
} Chain;

static double
binom (int n,
       int k)
{
  double r = 1.0;

  if (k < 0 || k > n)
    return 0.0;
  for (int i = 1; i <= k; i++)
    r = r * (n - k + i) / i;
  return r;
}

static double
chain_count (int      nu,
             int      M,
             gboolean rr)
{
  return rr ? pow (M + 1, nu) : binom (M + nu, nu);
}

/* The index of tuple @x: under round robin its digits in base M + 1;
 * else (sorted ascending) its rank among the multisets, sum over i of
 * C(x_i + i, i + 1) (the combinatorial number system). */
static int
chain_rank (const Chain  *ch,
            const guint8 *x)
{
  int r = 0;

  if (ch->rr)
    {
      for (int i = 0; i < ch->nu; i++)
        r = r * (ch->M + 1) + x[i];
      return r;
    }
  for (int i = 0; i < ch->nu; i++)
    r += ch->choose[(x[i] + i) * (ch->nu + 1) + i + 1];
  return r;
}

static inline double
theta (const double *X,
       int           n)
{
  return n > 0 ? X[n] / n : 0.0;
}

/* The others' busy slots a waiting arrival finds, and its wait as a
 * mixture of exponentials: @q[b] the chance that an arrival waits with b
 * of the others' slots busy (@qsum in all), @ex[b] the requests ahead of
 * it then, each served at @cu slots' completion rate with @cu + b busy;
 * at most AB_UNITS_HYP_MAX bands of b, their means scaled to the mean
 * wait (res->wait_ms). */
static void
units_wait_bands (AbUnitsExact *res,
                  const double *q,
                  const double *ex,
                  int           C,
                  double        qsum,
                  const double *X,
                  int           cu)
{
  double wsum = 0.0;
  int bands = MIN (AB_UNITS_HYP_MAX, C + 1);

  for (int b = 0; b <= C && qsum > 0.0; b++)
    res->others_full += b * q[b] / qsum;
  if (!(qsum > 0.0))
    return;
  for (int g = 0; g < bands; g++)
    {
      int b0 = g * (C + 1) / bands, b1 = (g + 1) * (C + 1) / bands;
      double a = 0.0, m = 0.0;

      for (int b = b0; b < b1; b++)
        if (q[b] > 0.0)
          {
            a += q[b];
            m += (ex[b] + q[b]) / (cu * theta (X, cu + b));
          }
      if (a > 1e-12 * qsum)
        {
          res->hyp_a[res->hyp_n] = a / qsum;
          res->hyp_m[res->hyp_n] = m / a;
          wsum += res->hyp_a[res->hyp_n] * res->hyp_m[res->hyp_n];
          res->hyp_n++;
        }
    }
  for (int i = 0; i < res->hyp_n && wsum > 0.0; i++)
    res->hyp_m[i] *= res->wait_ms / wsum;
}

static int
busy (const Chain  *ch,
      const guint8 *x)
{
  int b = 0;

  for (int i = 0; i < ch->nu; i++)
    b += MIN (x[i], ch->cu);
  return b;
}

/* The rate (per ms) at which instance @i of tuple @x completes a
 * request, @n slots busy in all: its share min(x_i, cu) / n of X(n), or
 * under round robin with @ch->order the chance that a completion is by
 * the k-th oldest request in a slot, k its requests' ranks by age
 * (docs/simulation.md, "The order of completions"): in the rotated
 * tuple, the l-th oldest request of instance j was dealt
 * (nu - j) + nu (x_j - 1 - l) arrivals ago, and the older requests in
 * slots are those dealt longer ago.  An instance beyond the room hides
 * how old its requests are: the completions are then exchangeable, as
 * the tail takes them. */
static double
unit_rate (const Chain  *ch,
           const double *X,
           const guint8 *x,
           int           n,
           int           i)
{
  int nu = ch->nu, cu = ch->cu, ci = MIN (x[i], cu);
  double r = 0.0;

  if (x[i] == 0)
    return 0.0;
  if (!ch->rr || ch->order == NULL || n < 2)
    return ci * theta (X, n);
  for (int j = 0; j < nu; j++)
    if (x[j] >= ch->M)
      return ci * theta (X, n);
  for (int l = 0; l < ci; l++)
    {
      int key = (nu - i) + nu * (x[i] - 1 - l), rank = 1;

      /* the requests in slots dealt longer ago: instance j's keys run
       * down from its top by nu */
      for (int j = 0; j < nu; j++)
        {
          int top = (nu - j) + nu * (x[j] - 1);

          if (j != i && x[j] > 0 && top > key)
            rank += MIN (MIN (x[j], cu), (top - key - 1) / nu + 1);
        }
      rank += l;
      r += ch->order[n * (ch->nu * cu + 1) + rank];
    }
  return r * X[n];
}

typedef struct {
  int    *dst, *src;
  double *rate;
  int     m, cap;
} Edges;

static void
edge (Chain  *ch,
      Edges  *e,
      int     s,
      guint8 *y,
      double  r)
{
  int d, dl = 0;

  if (!(r > 0.0))
    return;
  d = chain_rank (ch, y);
  if (d == s)
    return;
  e->src[e->m] = s;
  e->dst[e->m] = d;
  e->rate[e->m] = r;
  e->m++;
  ch->out[s] += r;
  for (int i = 0; i < ch->nu; i++)
    dl += y[i];
  if (dl > ch->level[s])
    ch->up[s] += r;
  else if (dl < ch->level[s])
    ch->down[s] += r;
}

/* The states and the moves between them, for the top ratio @sigma. */
static void
chain_build (Chain        *ch,
             Edges        *e,
             const double *X,
             double        lam,
             double        sigma)
{
  int nu = ch->nu, M = ch->M;
  guint8 y[64];

  e->m = 0;
  memset (ch->out, 0, sizeof (double) * ch->n);
  memset (ch->up, 0, sizeof (double) * ch->n);
  memset (ch->down, 0, sizeof (double) * ch->n);
  for (int s = 0; s < ch->n; s++)
    {
      const guint8 *x = ch->tup + (gsize) s * nu;
      int nb = busy (ch, x);

      /* arrivals */
      if (ch->rr)
        {
          for (int i = 1; i < nu; i++)
            y[i - 1] = x[i];
          y[nu - 1] = MIN (x[0] + 1, M);
          edge (ch, e, s, y, lam);
        }
      else
        for (int i = 0; i < nu; i++)
          {
            int same = 1;

            /* the last of equal values goes up, for all of them: the
             * tuple stays sorted */
            if (x[i] >= M || (i + 1 < nu && x[i + 1] == x[i]))
              continue;
            while (i - same >= 0 && x[i - same] == x[i])
              same++;
            memcpy (y, x, nu);
            y[i]++;
            edge (ch, e, s, y, lam / nu * same);
          }
      /* completions */
      for (int i = 0; i < nu; i++)
        {
          double r;
          int same = 1;

          if (x[i] == 0)
            continue;
          if (!ch->rr)
            {
              /* the first of equal values goes down, for all of them */
              if (i > 0 && x[i - 1] == x[i])
                continue;
              while (i + same < nu && x[i + same] == x[i])
                same++;
            }
          r = same * unit_rate (ch, X, x, nb, i) * (x[i] == M ? 1.0 - sigma : 1.0);
          memcpy (y, x, nu);
          y[i]--;
          edge (ch, e, s, y, r);
        }
    }
}

gboolean
ab_units_exact (int           nu,
                int           cu,
                double        lam,
                const double *X,
                gboolean      round_robin,
                const double *order,
                double        sigma,
                int           max_states,
                double       *busy_dist,
                AbUnitsExact *res)
{
  Chain ch = { 0 };
  Edges e = { 0 };
  int M, maxl, *fill = NULL, sweeps = 0, C = (nu - 1) * cu;
  double *pi = NULL, *mass = NULL, *up = NULL, *down = NULL, *agg = NULL;
  double q[256], ex[256];
  gboolean ok = FALSE;
  guint8 x[64];

  memset (res, 0, sizeof *res);
  if (nu < 2 || nu > 64 || cu < 1 || C >= 256 || !(lam > 0.0))
    return FALSE;
  for (M = cu + TOP_ROOM; M > cu + MIN_ROOM && chain_count (nu, M, round_robin) > max_states; M--)
    ;
  /* round robin, too many states with that room: less of it, down to
   * one request waiting at an instance above its slots, within
   * RR_MAX_STATES (docs/simulation.md, "Several instances of a pool") */
  if (round_robin && chain_count (nu, M, TRUE) > max_states)
    for (; M > cu + 1 && chain_count (nu, M, TRUE) > MAX (max_states, RR_MAX_STATES); M--)
      ;
  if (M > 255 || chain_count (nu, M, round_robin) > (round_robin ? MAX (max_states, RR_MAX_STATES) : max_states))
    return FALSE;
  ch.nu = nu;
  ch.cu = cu;
  ch.M = M;
  ch.rr = round_robin;
  ch.order = order;
  ch.n = (int) chain_count (nu, M, round_robin);
  ch.choose = g_new (int, (gsize) (M + nu + 1) * (nu + 1));
  for (int v = 0; v <= M + nu; v++)
    for (int i = 0; i <= nu; i++)
      ch.choose[v * (nu + 1) + i] = (int) llround (binom (v, i));
  ch.tup = g_new (guint8, (gsize) ch.n * nu);
  ch.level = g_new (int, ch.n);
  ch.out = g_new (double, ch.n);
  ch.up = g_new (double, ch.n);
  ch.down = g_new (double, ch.n);
  ch.first = g_new0 (int, ch.n + 1);
  e.cap = ch.n * (2 * nu + 1);
  e.src = g_new (int, e.cap);
  e.dst = g_new (int, e.cap);
  e.rate = g_new (double, e.cap);
  ch.src = g_new (int, e.cap);
  ch.rate = g_new (double, e.cap);
  pi = g_new (double, ch.n);
  maxl = nu * M;
  mass = g_new (double, maxl + 1);
  up = g_new (double, maxl + 1);
  down = g_new (double, maxl + 1);
  agg = g_new (double, maxl + 1);

  /* every state: all tuples, or the sorted ones */
  memset (x, 0, sizeof x);
  for (;;)
    {
      int s = chain_rank (&ch, x), l = 0, i;

      memcpy (ch.tup + (gsize) s * nu, x, nu);
      for (i = 0; i < nu; i++)
        l += x[i];
      ch.level[s] = l;
      for (i = nu - 1; i >= 0 && x[i] == M; i--)
        ;
      if (i < 0)
        break;
      x[i]++;
      for (int j = i + 1; j < nu; j++)
        x[j] = round_robin ? 0 : x[i];
    }
  /* a start: the instances independent, each a birth-death queue whose
   * slots complete as if the others held their mean (a mean field) */
  {
    double u[256], others = 0.0, sum = 0.0;

    for (int it = 0; it < 100; it++)
      {
        double z = 0.0, b = 0.0;

        u[0] = 1.0;
        for (int l = 1; l <= M; l++)
          {
            int j = MIN (l, cu);
            double fl = others + j, th;
            int lo = (int) floor (fl);

            th = lo >= nu * cu ? X[nu * cu] / (nu * cu)
                 : ((1.0 - (fl - lo)) * X[lo] + (fl - lo) * X[lo + 1]) / fl;
            u[l] = u[l - 1] * lam / nu / (j * th);
            if (!isfinite (u[l]) || u[l] > 1e200)
              u[l] = 1e200;
          }
        for (int l = 0; l <= M; l++)
          z += u[l];
        for (int l = 0; l <= M; l++)
          {
            u[l] /= z;
            b += MIN (l, cu) * u[l];
          }
        if (fabs ((nu - 1) * b - others) < 1e-9)
          break;
        others = 0.5 * (others + (nu - 1) * b);
      }
    for (int s = 0; s < ch.n; s++)
      {
        const guint8 *t = ch.tup + (gsize) s * nu;
        double p = 1.0;
        int run = 1;

        for (int i = 0; i < nu; i++)
          {
            p *= u[t[i]];
            /* the arrangements of a multiset: nu! / prod (runs!) */
            if (!round_robin)
              {
                run = i > 0 && t[i] == t[i - 1] ? run + 1 : 1;
                p *= (double) (i + 1) / run;
              }
          }
        sum += pi[s] = p;
      }
    for (int s = 0; s < ch.n; s++)
      pi[s] /= sum;
  }
  sigma = CLAMP (sigma, 0.0, 0.99);
  for (int round = 0; round < SIGMA_ROUNDS; round++)
    {
      double prev = -1.0, top_rate = 0.0, top_mass = 0.0, sig2;

      chain_build (&ch, &e, X, lam, sigma);
      /* the moves into each state */
      memset (ch.first, 0, sizeof (int) * (ch.n + 1));
      for (int i = 0; i < e.m; i++)
        ch.first[e.dst[i] + 1]++;
      for (int i = 0; i < ch.n; i++)
        ch.first[i + 1] += ch.first[i];
      g_free (fill);
      fill = g_memdup2 (ch.first, sizeof (int) * (gsize) ch.n);
      for (int i = 0; i < e.m; i++)
        {
          int k = fill[e.dst[i]]++;

          ch.src[k] = e.src[i];
          ch.rate[k] = e.rate[i];
        }
      for (;;)
        {
          double w = 0.0, z = 0.0;

          /* not settling (a pool at the edge of saturation): the mean
           * field stays */
          if (++sweeps > MAX_SWEEPS)
            goto out;
          for (int s = 0; s < ch.n; s++)
            if (ch.out[s] > 0.0)
              {
                double in = 0.0;

                for (int k = ch.first[s]; k < ch.first[s + 1]; k++)
                  in += pi[ch.src[k]] * ch.rate[k];
                pi[s] = in / ch.out[s];
              }
          /* aggregation: the levels' birth-death chain */
          for (int l = 0; l <= maxl; l++)
            mass[l] = up[l] = down[l] = 0.0;
          for (int s = 0; s < ch.n; s++)
            {
              mass[ch.level[s]] += pi[s];
              up[ch.level[s]] += pi[s] * ch.up[s];
              down[ch.level[s]] += pi[s] * ch.down[s];
            }
          agg[0] = 1.0;
          for (int l = 0; l < maxl; l++)
            agg[l + 1] = up[l] > 0.0 && down[l + 1] > 0.0 && mass[l] > 0.0 && mass[l + 1] > 0.0
                         ? agg[l] * (up[l] / mass[l]) / (down[l + 1] / mass[l + 1]) : 0.0;
          for (int l = 0; l <= maxl; l++)
            z += agg[l];
          if (!(z > 0.0) || !isfinite (z))
            goto out;
          for (int s = 0; s < ch.n; s++)
            if (mass[ch.level[s]] > 0.0)
              pi[s] *= agg[ch.level[s]] / z / mass[ch.level[s]];
          /* settled when the mean queue is */
          for (int s = 0; s < ch.n; s++)
            w += pi[s] * ch.level[s];
          if (fabs (w - prev) <= 1e-6 * (1.0 + w))
            break;
          prev = w;
        }
      /* the top's ratio: an instance's arrivals over its completions there */
      for (int s = 0; s < ch.n; s++)
        {
          const guint8 *t = ch.tup + (gsize) s * nu;
          int nb = busy (&ch, t);

          for (int i = 0; i < nu; i++)
            if (t[i] == M)
              {
                top_mass += pi[s];
                top_rate += pi[s] * unit_rate (&ch, X, t, nb, i);
              }
        }
      if (!(top_mass > 0.0) || !(top_rate > 0.0))
        break;
      /* a unit's queue beyond the top decays geometrically at the root
       * of sigma = A(mu (1 - sigma)), A the transform of the time
       * between its arrivals (GI/M/1): lam / nu / mu for Poisson
       * arrivals; under round robin they are Erlang-nu of rate lam a
       * phase */
      if (round_robin)
        {
          double mu = top_rate / top_mass;

          sig2 = sigma;
          for (int it = 0; it < 200; it++)
            sig2 = pow (lam / (lam + mu * (1.0 - sig2)), nu);
          if (!(lam / nu < mu))
            sig2 = 1.0;
        }
      else
        sig2 = lam / nu / (top_rate / top_mass);
      if (!(sig2 < 0.99))
        goto out;
      if (fabs (sig2 - sigma) < 1e-4)
        {
          sigma = sig2;
          break;
        }
      sigma = sig2;
    }

  /* an arrival's view: at random each instance alike, under round robin
   * the one whose turn it is; the wait's bands by the others' busy slots */
  {
    double pw = 0.0, waiting = 0.0, qsum = 0.0, extra = sigma / (1.0 - sigma);

    for (int b = 0; b <= C; b++)
      q[b] = ex[b] = 0.0;
    if (busy_dist != NULL)
      memset (busy_dist, 0, sizeof (double) * (nu * cu + 1));
    for (int s = 0; s < ch.n; s++)
      {
        const guint8 *t = ch.tup + (gsize) s * nu;
        int n = busy (&ch, t);

        if (busy_dist != NULL)
          busy_dist[n] += pi[s];
        for (int i = 0; i < nu; i++)
          {
            double ahead = t[i] >= cu ? t[i] - cu + (t[i] == M ? extra : 0.0) : 0.0;
            double a = round_robin ? (i == 0 ? pi[s] : 0.0) : pi[s] / nu;

            waiting += pi[s] * ahead;
            if (t[i] >= cu && a > 0.0)
              {
                q[n - cu] += a;
                ex[n - cu] += a * ahead;
              }
          }
      }
    for (int b = 0; b <= C; b++)
      qsum += q[b];
    pw = qsum;
    res->wait_c = pw;
    res->wait_ms = pw > 0.0 ? waiting / lam / pw : 0.0;
    units_wait_bands (res, q, ex, C, qsum, X, cu);
    res->sigma = sigma;
    res->room = M - cu;
    res->states = ch.n;
    res->sweeps = sweeps;
    ok = isfinite (res->wait_ms) && isfinite (res->wait_c);
  }
out:
  g_free (ch.choose);
  g_free (ch.tup);
  g_free (ch.level);
  g_free (ch.out);
  g_free (ch.up);
  g_free (ch.down);
  g_free (ch.first);
  g_free (ch.src);
  g_free (ch.rate);
  g_free (e.src);
  g_free (e.dst);
  g_free (e.rate);
  g_free (fill);
  g_free (pi);
  g_free (mass);
  g_free (up);
  g_free (down);
  g_free (agg);
  return ok;
}

/* One instance of one slot followed among nu under round robin, the
 * others counted by their state (docs/simulation.md, "Several instances
 * of a pool"): the state is (x, i, b1, b2), x this instance's requests
 * (up to a top @M), i the arrivals before its turn, b1 and b2 the other
 * instances holding one request and more than one.  Every request in a
 * slot completes at X(n) / n, n busy slots in all.  The instances are
 * alike, so what the chain says of the followed one stands for the
 * others: an arrival dealt to another instance (the one whose turn it
 * is) finds it idle, with one or with more as the followed instance is
 * found at its turn with the others as they then are; a completion at
 * another with more than one leaves more than one as the followed
 * instance holds three or more when it holds two or more, the others as
 * they then are.  Those chances are read off the chain itself, iterated
 * with it to their fixed point. */
#define TAG_ROUNDS 400
#define TAG_SWEEPS 4

typedef struct {
  int     nu, M, np;
  int    *pair;      /* (b1, b2) -> index, (nu) x (nu) */
  guint8 *b1, *b2;   /* index -> counts */
} Tagged;

static inline int
tag_pair (const Tagged *t,
          int           b1,
          int           b2)
{
  if (b1 < 0 || b2 < 0 || b1 + b2 > t->nu - 1)
    return -1;
  return t->pair[b1 * t->nu + b2];
}

gboolean
ab_units_tagged (int           nu,
                 double        lam,
                 const double *X,
                 int           M,
                 double        sigma,
                 double       *busy_dist,
                 AbUnitsExact *res)
{
  Tagged t = { 0 };
  int I = nu, NP, n_st, *first = NULL, *src = NULL, *fill = NULL, *esrc = NULL, *edst = NULL, ne = 0, cap;
  double *pi = NULL, *out = NULL, *rate = NULL, *erate = NULL;
  double *W = NULL, *V2 = NULL, *V3 = NULL, *upx = NULL, *dnx = NULL, *upb = NULL, *dnb = NULL, q[64], ex[64];
  gboolean ok = FALSE;
  int sweeps = 0;

  memset (res, 0, sizeof *res);
  if (nu < 2 || nu > 64 || M < 3 || M > 255 || !(lam > 0.0))
    return FALSE;
  t.nu = nu;
  t.M = M;
  t.pair = g_new (int, nu * nu);
  NP = nu * (nu + 1) / 2;
  t.b1 = g_new (guint8, NP);
  t.b2 = g_new (guint8, NP);
  for (int b1 = 0, k = 0; b1 < nu; b1++)
    for (int b2 = 0; b2 < nu; b2++)
      {
        t.pair[b1 * nu + b2] = b1 + b2 <= nu - 1 ? k : -1;
        if (b1 + b2 <= nu - 1)
          {
            t.b1[k] = b1;
            t.b2[k] = b2;
            k++;
          }
      }
  t.np = NP;
  n_st = (M + 1) * I * NP;
  cap = n_st * 6;
  pi = g_new (double, n_st);
  out = g_new (double, n_st);
  first = g_new (int, n_st + 1);
  fill = g_new (int, n_st);
  src = g_new (int, cap);
  rate = g_new (double, cap);
  esrc = g_new (int, cap);
  edst = g_new (int, cap);
  erate = g_new (double, cap);
  W = g_new0 (double, 3 * NP);
  upx = g_new (double, n_st);
  dnx = g_new (double, n_st);
  upb = g_new (double, n_st);
  dnb = g_new (double, n_st);
  V2 = g_new0 (double, NP);
  V3 = g_new0 (double, NP);
#define ST(x, i, p) (((x) * I + (i)) * NP + (p))
#define CLS(x) ((x) == 0 ? 0 : (x) == 1 ? 1 : 2)
  /* a start: independent instances, each an M/M/1 of its share */
  {
    double rho = MIN (lam / nu / (X[nu] / nu), 0.9), z = 0.0;
    double c0 = 1.0 - rho, c1 = (1.0 - rho) * rho, c2 = rho * rho;

    for (int x = 0; x <= M; x++)
      for (int i = 0; i < I; i++)
        for (int p = 0; p < NP; p++)
          {
            int b1 = t.b1[p], b2 = t.b2[p], b0 = nu - 1 - b1 - b2;
            double v = (1.0 - rho) * pow (rho, x) * binom (nu - 1, b1) * binom (nu - 1 - b1, b2)
                       * pow (c0, b0) * pow (c1, b1) * pow (c2, b2);

            z += pi[ST (x, i, p)] = v;
          }
    for (int s = 0; s < n_st; s++)
      pi[s] /= z;
  }
  for (int round = 0; round < TAG_ROUNDS; round++)
    {
      double prev = -1.0, change = 0.0;
      int inner = 0;

      /* the followed instance at its turn by its class and its others,
       * and with two or more by its others */
      {
        double *Wn = g_new0 (double, 3 * NP), *V2n = g_new0 (double, NP), *V3n = g_new0 (double, NP);

        for (int x = 0; x <= M; x++)
          for (int i = 0; i < I; i++)
            for (int p = 0; p < NP; p++)
              {
                double v = pi[ST (x, i, p)];

                if (i == 0)
                  Wn[CLS (x) * NP + p] += v;
                if (x >= 2)
                  V2n[p] += v;
                if (x >= 3)
                  V3n[p] += v;
              }
        for (int k = 0; k < 3 * NP; k++)
          {
            change = MAX (change, fabs (Wn[k] - W[k]));
            W[k] = Wn[k];
          }
        for (int k = 0; k < NP; k++)
          {
            change = MAX (change, fabs (V2n[k] - V2[k]) + fabs (V3n[k] - V3[k]));
            V2[k] = V2n[k];
            V3[k] = V3n[k];
          }
        g_free (Wn);
        g_free (V2n);
        g_free (V3n);
      }
      /* the top's ratio: the GI/M/1 root for Erlang-nu times between
       * arrivals and the completion rate there as the chain gives it */
      if (round > 0)
        {
          double tm = 0.0, tr = 0.0, mu, sg = sigma;

          for (int i = 0; i < I; i++)
            for (int p = 0; p < NP; p++)
              {
                double v = pi[ST (M, i, p)];

                tm += v;
                tr += v * theta (X, t.b1[p] + t.b2[p] + 1);
              }
          if (!(tm > 0.0) || !(tr > 0.0))
            goto out;
          mu = tr / tm;
          if (!(lam / nu < mu))
            goto out;
          for (int it = 0; it < 200; it++)
            sg = pow (lam / (lam + mu * (1.0 - sg)), nu);
          if (!(sg < 0.99))
            goto out;
          change = MAX (change, fabs (sg - sigma));
          sigma = sg;
        }
      if (round > 0 && change < 1e-6)
        break;
      if (round == TAG_ROUNDS - 1)
        goto out;
      /* the moves, for these chances */
      ne = 0;
      memset (out, 0, sizeof (double) * n_st);
      for (int x = 0; x <= M; x++)
        for (int i = 0; i < I; i++)
          for (int p = 0; p < NP; p++)
            {
              int s = ST (x, i, p), b1 = t.b1[p], b2 = t.b2[p], b0 = nu - 1 - b1 - b2;
              int n = b1 + b2 + (x > 0), tc = CLS (x), d[6], k = 0;
              double r[6], th = theta (X, n);

              if (i == 0)
                {
                  /* at the top the arrival stays there */
                  d[k] = ST (MIN (x + 1, M), I - 1, p);
                  r[k++] = lam;
                }
              else
                {
                  /* the receiver's class c: weighed as the followed
                   * instance is found at its turn in class c with its
                   * others as the receiver's are (these, less it, plus
                   * this one), times the chance that this one is then
                   * of its own class tc, the share of that class among
                   * the receiver's others */
                  double wc[3] = { 0.0, 0.0, 0.0 }, wz = 0.0;
                  int cnt[3] = { b0, b1, b2 };

                  for (int c = 0; c < 3; c++)
                    if (cnt[c] > 0)
                      {
                        int o = tag_pair (&t, b1 - (c == 1) + (tc == 1), b2 - (c == 2) + (tc == 2));

                        wc[c] = o >= 0 ? W[c * NP + o] * (cnt[tc] - (c == tc) + 1) : 0.0;
                        wz += wc[c];
                      }
                  if (!(wz > 0.0))
                    for (int c = 0; c < 3; c++)
                      wz += wc[c] = cnt[c];
                  if (wc[0] > 0.0)
                    {
                      d[k] = ST (x, i - 1, tag_pair (&t, b1 + 1, b2));
                      r[k++] = lam * wc[0] / wz;
                    }
                  if (wc[1] > 0.0)
                    {
                      d[k] = ST (x, i - 1, tag_pair (&t, b1 - 1, b2 + 1));
                      r[k++] = lam * wc[1] / wz;
                    }
                  if (wc[2] > 0.0)
                    {
                      d[k] = ST (x, i - 1, p);
                      r[k++] = lam * wc[2] / wz;
                    }
                }
              if (x > 0)
                {
                  /* at the top it leaves it with the chance 1 - sigma */
                  d[k] = ST (x - 1, i, p);
                  r[k++] = th * (x == M ? 1.0 - sigma : 1.0);
                }
              if (b1 > 0)
                {
                  d[k] = ST (x, i, tag_pair (&t, b1 - 1, b2));
                  r[k++] = b1 * th;
                }
              if (b2 > 0)
                {
                  /* down to one unless it holds three or more */
                  int o = tag_pair (&t, b1 + (tc == 1), b2 - 1 + (tc == 2));
                  double stay = o >= 0 && V2[o] > 1e-300 ? V3[o] / V2[o] : 0.0;

                  if (stay < 1.0)
                    {
                      d[k] = ST (x, i, tag_pair (&t, b1 + 1, b2 - 1));
                      r[k++] = b2 * th * (1.0 - stay);
                    }
                }
              upx[s] = dnx[s] = upb[s] = dnb[s] = 0.0;
              for (int j = 0; j < k; j++)
                if (r[j] > 0.0 && d[j] != s)
                  {
                    int xd = d[j] / (I * NP), bd = t.b1[d[j] % NP] + t.b2[d[j] % NP], bs = b1 + b2;

                    esrc[ne] = s;
                    edst[ne] = d[j];
                    erate[ne++] = r[j];
                    out[s] += r[j];
                    if (xd == x + 1)
                      upx[s] += r[j];
                    else if (xd == x - 1)
                      dnx[s] += r[j];
                    if (bd == bs + 1)
                      upb[s] += r[j];
                    else if (bd == bs - 1)
                      dnb[s] += r[j];
                  }
            }
      memset (first, 0, sizeof (int) * (n_st + 1));
      for (int j = 0; j < ne; j++)
        first[edst[j] + 1]++;
      for (int s = 0; s < n_st; s++)
        first[s + 1] += first[s];
      memcpy (fill, first, sizeof (int) * n_st);
      for (int j = 0; j < ne; j++)
        {
          int k = fill[edst[j]]++;

          src[k] = esrc[j];
          rate[k] = erate[j];
        }
      /* Gauss-Seidel (backwards: the arrivals move i down, the
       * completions x), each sweep rescaled by the birth-death chains of
       * this instance's population and of the others' busy slots */
      for (;;)
        {
          double w = 0.0, z = 0.0, agg, mass[256], up[256], down[256], ag[256], zz;

          if (++sweeps > MAX_SWEEPS * 4)
            goto out;
          for (int s = n_st - 1; s >= 0; s--)
            if (out[s] > 0.0)
              {
                double in = 0.0;

                for (int k = first[s]; k < first[s + 1]; k++)
                  in += pi[src[k]] * rate[k];
                pi[s] = in / out[s];
              }
          for (int pass = 0; pass < 2; pass++)
            {
              int L = pass == 0 ? M : nu - 1;

              for (int l = 0; l <= L; l++)
                mass[l] = up[l] = down[l] = 0.0;
              for (int s = 0; s < n_st; s++)
                {
                  int l = pass == 0 ? s / (I * NP) : t.b1[s % NP] + t.b2[s % NP];

                  mass[l] += pi[s];
                  up[l] += pi[s] * (pass == 0 ? upx[s] : upb[s]);
                  down[l] += pi[s] * (pass == 0 ? dnx[s] : dnb[s]);
                }
              ag[0] = 1.0;
              zz = 1.0;
              for (int l = 0; l < L; l++)
                {
                  ag[l + 1] = mass[l] > 0.0 && mass[l + 1] > 0.0 && down[l + 1] > 0.0
                              ? ag[l] * (up[l] / mass[l]) / (down[l + 1] / mass[l + 1]) : 0.0;
                  zz += ag[l + 1];
                }
              if (!(zz > 0.0) || !isfinite (zz))
                goto out;
              for (int s = 0; s < n_st; s++)
                {
                  int l = pass == 0 ? s / (I * NP) : t.b1[s % NP] + t.b2[s % NP];

                  if (mass[l] > 0.0)
                    pi[s] *= ag[l] / zz / mass[l];
                }
            }
          for (int s = 0; s < n_st; s++)
            {
              z += pi[s];
              w += pi[s] * (s / (I * NP) + t.b1[s % NP] + 2 * t.b2[s % NP]);
            }
          agg = w / z;
          if (fabs (agg - prev) <= 1e-9 * (1.0 + agg) || ++inner >= TAG_SWEEPS)
            break;
          prev = agg;
        }
    }
  {
    double z = 0.0;

    for (int s = 0; s < n_st; s++)
      z += pi[s];
    for (int s = 0; s < n_st; s++)
      pi[s] /= z;
  }
  /* the others stand for instances alike the followed one: where their
   * busy slots do not agree with its own (within 0.02 an instance), the
   * chances read off it do not hold them (a pool at the edge of
   * saturation), and the mean field stays */
  {
    double own = 0.0, others = 0.0;

    for (int x = 1; x <= M; x++)
      for (int i = 0; i < I; i++)
        for (int p = 0; p < NP; p++)
          own += pi[ST (x, i, p)];
    for (int x = 0; x <= M; x++)
      for (int i = 0; i < I; i++)
        for (int p = 0; p < NP; p++)
          others += pi[ST (x, i, p)] * (t.b1[p] + t.b2[p]);
    if (fabs (own - others / (nu - 1)) > 0.02)
      goto out;
  }
  /* an arrival's view: the instance at its turn (i = 0, a share 1 / nu
   * of the time) */
  {
    double pw = 0.0, turn = 0.0, waiting = 0.0, qsum = 0.0;
    int C = nu - 1;

    for (int b = 0; b <= C; b++)
      q[b] = ex[b] = 0.0;
    if (busy_dist != NULL)
      memset (busy_dist, 0, sizeof (double) * (nu + 1));
    for (int x = 0; x <= M; x++)
      for (int i = 0; i < I; i++)
        for (int p = 0; p < NP; p++)
          {
            double v = pi[ST (x, i, p)];
            int b = t.b1[p] + t.b2[p];

            if (busy_dist != NULL)
              busy_dist[b + (x > 0)] += v;
            double ahead = x > 0 ? x - 1 + (x == M ? sigma / (1.0 - sigma) : 0.0) : 0.0;

            waiting += v * ahead;
            if (i == 0)
              {
                turn += v;
                if (x > 0)
                  {
                    q[b] += v;
                    ex[b] += v * ahead;
                  }
              }
          }
    for (int b = 0; b <= C; b++)
      qsum += q[b];
    pw = qsum / turn;
    res->wait_c = pw;
    res->wait_ms = pw > 0.0 ? waiting / (lam / nu) / pw : 0.0;
    units_wait_bands (res, q, ex, C, qsum, X, 1);
    res->sigma = sigma;
    res->room = M - 1;
    res->states = n_st;
    res->sweeps = sweeps;
    ok = isfinite (res->wait_ms) && isfinite (res->wait_c);
  }
#undef ST
#undef CLS
out:
  g_free (t.pair);
  g_free (t.b1);
  g_free (t.b2);
  g_free (pi);
  g_free (out);
  g_free (first);
  g_free (fill);
  g_free (src);
  g_free (rate);
  g_free (esrc);
  g_free (edst);
  g_free (erate);
  g_free (W);
  g_free (upx);
  g_free (dnx);
  g_free (upb);
  g_free (dnb);
  g_free (V2);
  g_free (V3);
  return ok;
}
