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
 * Gauss-Seidel takes thousands near saturation). */

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
    double pw = 0.0, waiting = 0.0, wsum = 0.0, qsum = 0.0, extra = sigma / (1.0 - sigma);

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
    for (int b = 0; b <= C && qsum > 0.0; b++)
      res->others_full += b * q[b] / qsum;
    if (qsum > 0.0)
      {
        int bands = MIN (AB_UNITS_HYP_MAX, C + 1);

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
