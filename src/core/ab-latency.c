/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "ab-latency.h"

void
ab_lag_slowest_end (const double *num,
                    const double *den,
                    guint         n_stations,
                    double       *lag_ms,
                    int          *station)
{
  double total = 0.0;

  *lag_ms = 0.0;
  *station = -1;
  for (guint s = 0; s < n_stations; s++)
    total += den[s];
  if (!(total > 0.0))
    return;
  for (guint s = 0; s < n_stations; s++)
    {
      double mean;

      if (!(den[s] > 0.0) || den[s] < AB_LAG_MIN_END_SHARE * total)
        continue;
      mean = num[s] / den[s];
      if (*station < 0 || mean > *lag_ms)
        {
          *lag_ms = mean;
          *station = (int) s;
        }
    }
}

/* The mixture's distribution function at @t. */
static double
mixture_cdf (guint                n,
             const double        *weights,
             double               total,
             AbLatencyCdfFunc     cdf,
             const gconstpointer *data,
             double               t)
{
  double acc = 0.0;

  for (guint i = 0; i < n; i++)
    if (weights == NULL || weights[i] > 0.0)
      acc += (weights != NULL ? weights[i] / total : 1.0 / n) * cdf (data[i], t);
  return acc;
}

/* The @q quantile of the mixture, bracketed by the parts' own (the
 * figure at @offset in each of @parts). */
static double
mixture_quantile (guint                   n,
                  const double           *weights,
                  double                  total,
                  AbLatencyCdfFunc        cdf,
                  const gconstpointer    *data,
                  const AbLatencySummary *parts,
                  gsize                   offset,
                  double                  q)
{
  double lo = INFINITY, hi = 0.0;

  for (guint i = 0; i < n; i++)
    if (weights == NULL || weights[i] > 0.0)
      {
        double x = G_STRUCT_MEMBER (double, &parts[i], offset);

        if (isfinite (x))
          {
            lo = MIN (lo, x);
            hi = MAX (hi, x);
          }
      }
  if (!isfinite (lo))
    return NAN;
  /* the parts' own percentiles bracket the root; widen for rounding */
  lo = MAX (0.0, lo * (1.0 - 1e-9) - 1e-12);
  hi = hi * (1.0 + 1e-9) + 1e-12;
  for (int it = 0; it < 200 && hi - lo > 1e-10 * hi; it++)
    {
      double mid = (lo + hi) / 2.0;

      if (mixture_cdf (n, weights, total, cdf, data, mid) < q)
        lo = mid;
      else
        hi = mid;
    }
  return (lo + hi) / 2.0;
}

void
ab_latency_mixture (guint                   n,
                    const double           *weights,
                    AbLatencyCdfFunc        cdf,
                    const gconstpointer    *data,
                    const AbLatencySummary *parts,
                    AbLatencySummary       *out)
{
  double total = 0.0;
  guint live = 0, last = 0;

  g_return_if_fail (n > 0 && cdf != NULL && data != NULL && parts != NULL && out != NULL);

  for (guint i = 0; i < n; i++)
    if (weights[i] > 0.0)
      {
        total += weights[i];
        live++;
        last = i;
      }
  if (live <= 1)
    {
      guint64 count = 0;

      for (guint i = 0; i < n; i++)
        count += parts[i].count;
      /* one part: its figures; none weighted: the parts alike */
      if (live == 1 || n == 1)
        {
          *out = parts[live == 1 ? last : 0];
          out->count = count;
          return;
        }
      weights = NULL;
      total = n;
    }
  memset (out, 0, sizeof *out);
  for (guint i = 0; i < n; i++)
    if (weights == NULL || weights[i] > 0.0)
      {
        out->count += parts[i].count;
        out->mean_ms += (weights != NULL ? weights[i] / total : 1.0 / n) * parts[i].mean_ms;
      }
  out->p50_ms = mixture_quantile (n, weights, total, cdf, data, parts,
                                  G_STRUCT_OFFSET (AbLatencySummary, p50_ms), 0.50);
  out->p95_ms = mixture_quantile (n, weights, total, cdf, data, parts,
                                  G_STRUCT_OFFSET (AbLatencySummary, p95_ms), 0.95);
  out->p99_ms = mixture_quantile (n, weights, total, cdf, data, parts,
                                  G_STRUCT_OFFSET (AbLatencySummary, p99_ms), 0.99);
}
