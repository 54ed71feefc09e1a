/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The analytical model's closed forms: one queue at a time, in closed
 * form or by a short recurrence — Erlang C and the M/M/c sojourn,
 * Allen-Cunneen, GI/M/1 and GI/M/c (memoised per thread), a station's
 * wait under its balancer, M/M/c/K through Erlang B, and M/M/c+D (a
 * patience).  Declared in ab-model.h. */
#define G_LOG_DOMAIN "archboard-model"

#include "config.h"

#include "ab-model-private.h"

double
ab_erlang_c (int    c,
             double a)
{
  double b = 1.0;

  if (c <= 0)
    return 1.0;
  if (a <= 0.0)
    return 0.0;
  if (a >= c)
    return 1.0;
  for (int k = 1; k <= c; k++)
    b = a * b / (k + a * b);
  return c * b / (c - a * (1.0 - b));
}

double
ab_mmc_mean_sojourn (int    c,
                     double lambda,
                     double mu)
{
  double cc;

  if (mu <= 0.0 || lambda >= c * mu)
    return INFINITY;
  cc = ab_erlang_c (c, lambda / mu);
  return 1.0 / mu + cc / (c * mu - lambda);
}

double
ab_mmc_sojourn_tail (int    c,
                     double lambda,
                     double mu,
                     double t)
{
  double cc, theta;

  if (t < 0.0)
    return 1.0;
  if (lambda >= c * mu)
    return 1.0;
  cc = ab_erlang_c (c, lambda / mu);
  theta = c * mu - lambda;
  if (fabs (theta - mu) < 1e-9 * mu)
    /* limit theta -> mu: the convolution of two equal exponentials */
    return (1.0 - cc) * exp (-mu * t) + cc * (1.0 + mu * t) * exp (-mu * t);
  return (1.0 - cc) * exp (-mu * t)
         + cc * (theta * exp (-mu * t) - mu * exp (-theta * t)) / (theta - mu);
}

double
ab_allen_cunneen_wait (int    c,
                       double lambda,
                       double mean_service,
                       double scv)
{
  double a = lambda * mean_service;

  if (a >= c)
    return INFINITY;
  if (a <= 0.0)
    return 0.0;
  return ab_erlang_c (c, a) * mean_service / (c - a) * (1.0 + scv) / 2.0;
}

double
ab_erlang_gim1_sigma (int    n,
                      double rho)
{
  double lo = 0.0, hi = 1.0, nr;

  if (rho <= 0.0)
    return 0.0;
  if (rho >= 1.0)
    return 1.0;
  if (n <= 1)
    return rho;
  nr = n * rho;
  /* g(s) = A(s) - s is positive below the root and negative between the
   * root and 1 */
  for (int i = 0; i < 100 && hi - lo > 1e-15; i++)
    {
      double mid = 0.5 * (lo + hi);

      if (pow (nr / (nr + 1.0 - mid), n) > mid)
        lo = mid;
      else
        hi = mid;
    }
  return 0.5 * (lo + hi);
}

double
ab_klb_shape (int    n,
              double rho,
              double scv)
{
  double ca = 1.0 / MAX (n, 1), g_s, g_1;

  if (rho <= 0.0 || rho >= 1.0 || scv < 0.0)
    return (ca + MAX (scv, 0.0)) / (ca + 1.0);
  /* g = exp (-2 (1 - rho) (1 - ca2)^2 / (3 rho (ca2 + cs2))) */
  g_s = exp (-2.0 * (1.0 - rho) * (1.0 - ca) * (1.0 - ca) / (3.0 * rho * (ca + scv)));
  g_1 = exp (-2.0 * (1.0 - rho) * (1.0 - ca) * (1.0 - ca) / (3.0 * rho * (ca + 1.0)));
  return (ca + scv) * g_s / ((ca + 1.0) * g_1);
}

/* x^n for a count of instances n >= 0, by squaring (a few products where
 * pow () took the most of the model's time) */
static double
ipow (double x,
      int    n)
{
  double r = 1.0;

  for (; n > 0; n >>= 1, x *= x)
    if (n & 1)
      r *= x;
  return r;
}

/* Takacs' GI/M/c at one utilisation; FALSE where a term's denominator
 * c (1 - sigma) - j vanishes. */
static gboolean
erlang_gimc_at (int     n,
                int     c,
                double  rho,
                double *wait_probability,
                double *mean_wait)
{
  double nl = n * rho * c, sigma = 0.0, sum, cj = 1.0, binom = 1.0;

  /* sigma = A (c (1 - sigma)), A (s) = (n lambda / (n lambda + s))^n with
   * mean service 1.  f (s) = A (c (1 - s)) - s is convex, positive at 0
   * and falling there (rho < 1), so Newton's method from 0 climbs to the
   * root without passing it; it stops when a step no longer gains. */
  for (int i = 0; i < 200; i++)
    {
      double d = nl + c * (1.0 - sigma), a = ipow (nl / d, n);
      double next = sigma - (a - sigma) / (n * c * a / d - 1.0);

      if (!(next > sigma))
        break;
      if (next >= 1.0 || next - sigma <= 1e-16 * next)
        {
          sigma = MIN (next, 1.0);
          break;
        }
      sigma = next;
    }
  sum = 1.0 / (1.0 - sigma);
  for (int j = 1; j <= c; j++)
    {
      double phi = ipow (nl / (nl + j), n), den = c * (1.0 - sigma) - j;

      if (fabs (den) < 1e-9 || phi >= 1.0)
        return FALSE;
      cj *= phi / (1.0 - phi);
      /* the binomial coefficient C(c, j) */
      binom = binom * (c - j + 1) / j;
      sum += binom / (cj * (1.0 - phi)) * (c * (1.0 - phi) - j) / den;
    }
  *wait_probability = 1.0 / (sum * (1.0 - sigma));
  *mean_wait = 1.0 / (sum * c * (1.0 - sigma) * (1.0 - sigma));
  return TRUE;
}

/* The model asks for the same few queues over and over (the fixed points
 * around blocking calls: the 200-component benchmark 1,081 times for 16 of
 * them), so each thread keeps the last answers, found by their exact
 * arguments: the same numbers as computing them again. */
#define GIMC_MEMO 64

typedef struct {
  int    n, c;   /* 0: empty */
  double rho, wait_probability, mean_wait;
} GimcMemo;

static _Thread_local GimcMemo gimc_memo[GIMC_MEMO];

static GimcMemo *
gimc_memo_slot (int    n,
                int    c,
                double rho)
{
  guint64 bits;

  memcpy (&bits, &rho, sizeof bits);
  bits ^= (guint64) n * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) ^ (guint64) c * G_GUINT64_CONSTANT (0xc2b2ae3d27d4eb4f);
  bits ^= bits >> 29;
  bits *= G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  bits ^= bits >> 32;
  return &gimc_memo[bits % GIMC_MEMO];
}

void
ab_erlang_gimc_wait (int     n,
                     int     c,
                     double  rho,
                     double *wait_probability,
                     double *mean_wait)
{
  double p1, w1, p2, w2;
  GimcMemo *memo;

  *wait_probability = 0.0;
  *mean_wait = 0.0;
  if (rho <= 0.0)
    return;
  if (rho >= 1.0)
    {
      *wait_probability = 1.0;
      *mean_wait = INFINITY;
      return;
    }
  n = MAX (n, 1);
  c = MAX (c, 1);
  memo = gimc_memo_slot (n, c, rho);
  if (memo->n == n && memo->c == c && memo->rho == rho)
    {
      *wait_probability = memo->wait_probability;
      *mean_wait = memo->mean_wait;
      return;
    }
  if (!erlang_gimc_at (n, c, rho, wait_probability, mean_wait)
      /* a removable singularity: the mean of both sides */
      && erlang_gimc_at (n, c, rho * (1.0 - 1e-6), &p1, &w1)
      && erlang_gimc_at (n, c, rho * (1.0 + 1e-6), &p2, &w2))
    {
      *wait_probability = 0.5 * (p1 + p2);
      *mean_wait = 0.5 * (w1 + w2);
    }
  *memo = (GimcMemo) { n, c, rho, *wait_probability, *mean_wait };
}

gboolean
ab_station_wait (AbBalance balance,
                 int       n,
                 int       c,
                 double    lambda,
                 double    mean_s,
                 double    scv,
                 double   *wait_probability,
                 double   *mean_wait_s)
{
  double a;

  n = MAX (n, 1);
  c = MAX (c, 1);
  *wait_probability = 0.0;
  *mean_wait_s = 0.0;
  if (lambda <= 0.0 || mean_s <= 0.0)
    return TRUE;
  a = lambda * mean_s;
  if (a >= (double) n * c)
    {
      *wait_probability = 1.0;
      *mean_wait_s = INFINITY;
      return FALSE;
    }
  if (n == 1 || balance == AB_BALANCE_RANDOM)
    {
      /* separate queues, each fed by a Poisson share */
      *wait_probability = ab_erlang_c (c, a / n);
      *mean_wait_s = ab_allen_cunneen_wait (c, lambda / n, mean_s, scv);
    }
  else if (balance == AB_BALANCE_LEAST_CONNECTIONS)
    {
      /* close to one pooled queue of n * c slots */
      *wait_probability = ab_erlang_c (n * c, a);
      *mean_wait_s = ab_allen_cunneen_wait (n * c, lambda, mean_s, scv);
    }
  else if (c == 1)
    {
      /* round robin, one slot: E_n/M/1, exact for exponential service;
       * another service shape scales it by the Kraemer & Langenbach-Belz
       * refinement of Allen-Cunneen for regular arrivals, taken at the
       * shape over at exponential service (Allen-Cunneen alone at these
       * Erlang-n arrivals is 2 to 10 times too high at low load) */
      double rho = a / n;
      double sigma = ab_erlang_gim1_sigma (n, rho);

      *wait_probability = sigma;
      *mean_wait_s = sigma * mean_s / (1.0 - sigma);
      if (fabs (scv - 1.0) >= 1e-9)
        *mean_wait_s *= ab_klb_shape (n, rho, scv);
    }
  else
    {
      /* round robin, several slots: each instance sees Erlang-n arrivals,
       * E_n/M/c (Takacs, exact for exponential service), scaled for
       * another service shape as for one slot (Allen-Cunneen's
       * (1 / n + scv) / 2 on the M/M/c wait was 1.3 to 7 times too high
       * at 30-85 % busy; docs/simulation.md, "Load balancing") */
      double rho = a / ((double) n * c), wait;

      ab_erlang_gimc_wait (n, c, rho, wait_probability, &wait);
      *mean_wait_s = wait * mean_s;
      if (fabs (scv - 1.0) >= 1e-9)
        *mean_wait_s *= ab_klb_shape (n, rho, scv);
    }
  return TRUE;
}

/* Erlang B through the stable recursion; 1 for c <= 0. */
static double
erlang_b (int    c,
          double a)
{
  double b = 1.0;

  for (int k = 1; k <= c; k++)
    b = a * b / (k + a * b);
  return b;
}

void
ab_mmck (int     c,
         gint64  K,
         double  lambda,
         double  mu,
         double *p_block,
         double *p_wait,
         double *wait_m1,
         double *wait_m2)
{
  double a = lambda / mu, rho, b, x, g = 0.0, pk, s0 = 0.0, s1 = 0.0, s2 = 0.0, theta;
  gint64 q;

  *p_block = *p_wait = *wait_m1 = *wait_m2 = 0.0;
  c = MAX (c, 1);
  if (lambda <= 0.0 || mu <= 0.0)
    return;
  K = MAX (K, c);
  q = K - c;
  rho = a / c;
  theta = c * mu;
  /* p_j for j <= c as in the Erlang loss system (p_c / sum = B), then
   * p_(c+i) = p_c rho^i up to i = q */
  b = erlang_b (c, a);
  if (rho <= 1.0)
    {
      if (fabs (rho - 1.0) < 1e-12)
        g = (double) q + 1.0;
      else
        g = (1.0 - pow (rho, (double) q + 1.0)) / (1.0 - rho);
      x = b / (1.0 - b + b * g);
      pk = x * pow (rho, (double) q);
    }
  else
    {
      /* in powers of 1 / rho, which do not overflow */
      double rr = 1.0 / rho;

      g = (1.0 - pow (rr, (double) q + 1.0)) / (1.0 - rr);   /* sum / rho^q */
      pk = b / ((1.0 - b) * pow (rr, (double) q) + b * g);
      x = 0.0;   /* not used: the weights start from the top */
    }
  *p_block = pk;
  if (q == 0 || pk >= 1.0)
    return;
  /* arrivals finding c + i, i < q, wait Erlang (i + 1, c mu); the terms
   * are geometric: sum them from the end where they are largest, until
   * they no longer count */
  if (rho <= 1.0)
    {
      double w = x;

      for (gint64 i = 0; i < q && i < 10000000; i++)
        {
          double m = (double) i + 1.0;

          s0 += w;
          s1 += w * m;
          s2 += w * m * (m + 1.0);
          w *= rho;
          if (w < 1e-18 * s0)
            break;
        }
    }
  else
    {
      double w = pk / rho;

      for (gint64 i = q - 1; i >= 0 && q - i < 10000000; i--)
        {
          double m = (double) i + 1.0;

          s0 += w;
          s1 += w * m;
          s2 += w * m * (m + 1.0);
          w /= rho;
          if (w < 1e-18 * s0)
            break;
        }
    }
  /* moments given a wait */
  *p_wait = s0 / (1.0 - pk);
  *wait_m1 = s0 > 0.0 ? s1 / s0 / theta : 0.0;
  *wait_m2 = s0 > 0.0 ? s2 / s0 / (theta * theta) : 0.0;
}

/* Moments of X on [0, d] with density proportional to e^(-theta x):
 * returns the integral of e^(-theta x) scaled by e^(max(0, -theta) d)
 * and fills the mean and second moment. */
static void
trunc_exp_moments (double  theta,
                   double  d,
                   double *m1,
                   double *m2)
{
  double t = fabs (theta) * d;

  if (t < 1e-6)
    {
      *m1 = d / 2.0;
      *m2 = d * d / 3.0;
      return;
    }
  {
    /* Y on [0, d] with density proportional to e^(-phi y), phi > 0 */
    double phi = fabs (theta), r = exp (-t);
    double i0 = (1.0 - r) / phi;
    double i1 = (1.0 - r * (1.0 + t)) / (phi * phi);
    double i2 = (2.0 - r * (t * t + 2.0 * t + 2.0)) / (phi * phi * phi);
    double y1 = i1 / i0, y2 = i2 / i0;

    if (theta > 0.0)
      {
        *m1 = y1;
        *m2 = y2;
      }
    else
      {
        /* growing density: X = d - Y */
        *m1 = d - y1;
        *m2 = d * d - 2.0 * d * y1 + y2;
      }
  }
}

void
ab_mmc_patience (int     c,
                 double  lambda,
                 double  mu,
                 double  patience,
                 double *p_abandon,
                 double *p_wait,
                 double *wait_m1,
                 double *wait_m2)
{
  double a = lambda / mu, theta, cm, idle, total, u, r, ab, waiting;

  *p_abandon = *p_wait = *wait_m1 = *wait_m2 = 0.0;
  c = MAX (c, 1);
  if (lambda <= 0.0 || mu <= 0.0)
    return;
  cm = c * mu;
  theta = cm - lambda;
  /* sum of p_j, j < c, over p_(c-1): 1 / ErlangB (c - 1, a) */
  idle = 1.0 / erlang_b (c - 1, a);
  /* u = p_(c-1), scaled by e^(-theta d) when theta < 0 to stay finite */
  if (patience <= 0.0)
    {
      /* no patience at all: an M/M/c/c loss system */
      *p_abandon = erlang_b (c, a);
      return;
    }
  if (theta >= 0.0)
    {
      r = exp (-theta * patience);
      waiting = theta * patience < 1e-9 ? patience : (1.0 - r) / theta;
      total = idle + lambda * waiting + lambda * r / cm;
      u = 1.0 / total;
      ab = u * lambda * r / cm;
      waiting = u * lambda * waiting;
    }
  else
    {
      double phi = -theta;

      r = exp (-phi * patience);
      waiting = phi * patience < 1e-9 ? patience : (1.0 - r) / phi;
      total = idle * r + lambda * waiting + lambda / cm;
      u = 1.0 / total;
      ab = u * lambda / cm;
      waiting = u * lambda * waiting;
    }
  *p_abandon = ab;
  *p_wait = ab < 1.0 ? waiting / (1.0 - ab) : 0.0;
  trunc_exp_moments (theta, patience, wait_m1, wait_m2);
}
