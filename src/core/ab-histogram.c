/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Log-linear latency histogram: the bucket of a value is its binary
 * exponent and the top 7 bits of its mantissa, read straight from the
 * IEEE-754 representation, so recording costs a few integer operations. */
#define G_LOG_DOMAIN "archboard-histogram"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ab-histogram.h"

#define SUB_BITS 7
#define SUB_COUNT (1 << SUB_BITS)
#define EXP_MIN (1023 - 10)           /* biased exponent of AB_HISTOGRAM_MIN_MS */
#define N_INDEX ((10 + 21) * SUB_COUNT) /* up to AB_HISTOGRAM_MAX_MS */

struct _AbHistogram {
  guint64 *counts;  /* counts[i - lo] for i in [lo, hi) */
  int      lo, hi;
  guint64  count;
  double   sum;
  double   min, max;
};

static inline int
value_index (double v)
{
  union { double d; guint64 u; } bits;
  int idx;

  if (!(v >= AB_HISTOGRAM_MIN_MS)) /* also NaN */
    return 0;
  if (v >= AB_HISTOGRAM_MAX_MS)
    return N_INDEX - 1;
  bits.d = v;
  idx = ((int) (bits.u >> 52) - EXP_MIN) * SUB_COUNT
        + (int) ((bits.u >> (52 - SUB_BITS)) & (SUB_COUNT - 1));
  return idx;
}

static inline double
index_lower (int idx)
{
  int e = idx / SUB_COUNT;
  int m = idx % SUB_COUNT;

  return ldexp (1.0 + (double) m / SUB_COUNT, e - 10);
}

static inline double
index_width (int idx)
{
  return ldexp (1.0 / SUB_COUNT, idx / SUB_COUNT - 10);
}

AbHistogram *
ab_histogram_new (void)
{
  return g_new0 (AbHistogram, 1);
}

AbHistogram *
ab_histogram_copy (const AbHistogram *histogram)
{
  AbHistogram *copy;

  g_return_val_if_fail (histogram != NULL, NULL);

  copy = g_new (AbHistogram, 1);
  *copy = *histogram;
  if (histogram->counts != NULL)
    copy->counts = g_memdup2 (histogram->counts,
                              sizeof (guint64) * (gsize) (histogram->hi - histogram->lo));
  return copy;
}

void
ab_histogram_free (AbHistogram *histogram)
{
  if (histogram == NULL)
    return;
  g_free (histogram->counts);
  g_free (histogram);
}

void
ab_histogram_reset (AbHistogram *histogram)
{
  g_return_if_fail (histogram != NULL);

  if (histogram->counts != NULL)
    memset (histogram->counts, 0, sizeof (guint64) * (gsize) (histogram->hi - histogram->lo));
  histogram->count = 0;
  histogram->sum = 0.0;
  histogram->min = 0.0;
  histogram->max = 0.0;
}

static void
ensure_range (AbHistogram *h,
              int          lo,
              int          hi)
{
  int new_lo, new_hi;
  guint64 *counts;

  if (h->counts != NULL && lo >= h->lo && hi <= h->hi)
    return;
  if (h->counts == NULL)
    {
      new_lo = lo;
      new_hi = hi;
    }
  else
    {
      new_lo = MIN (lo, h->lo);
      new_hi = MAX (hi, h->hi);
    }
  /* grow by half an octave of slack on the side that grew */
  if (h->counts == NULL || new_lo < h->lo)
    new_lo = MAX (0, new_lo - SUB_COUNT / 2);
  if (h->counts == NULL || new_hi > h->hi)
    new_hi = MIN (N_INDEX, new_hi + SUB_COUNT / 2);

  counts = g_new0 (guint64, new_hi - new_lo);
  if (h->counts != NULL)
    memcpy (counts + (h->lo - new_lo), h->counts,
            sizeof (guint64) * (gsize) (h->hi - h->lo));
  g_free (h->counts);
  h->counts = counts;
  h->lo = new_lo;
  h->hi = new_hi;
}

void
ab_histogram_record_n (AbHistogram *histogram,
                       double       value_ms,
                       guint64      n)
{
  AbHistogram *h = histogram;
  int idx;

  if (G_UNLIKELY (n == 0 || isnan (value_ms)))
    return;
  idx = value_index (value_ms);
  if (G_UNLIKELY (h->counts == NULL || idx < h->lo || idx >= h->hi))
    ensure_range (h, idx, idx + 1);
  h->counts[idx - h->lo] += n;
  if (h->count == 0)
    {
      h->min = value_ms;
      h->max = value_ms;
    }
  else
    {
      if (value_ms < h->min)
        h->min = value_ms;
      if (value_ms > h->max)
        h->max = value_ms;
    }
  h->count += n;
  h->sum += value_ms * (double) n;
}

void
ab_histogram_record (AbHistogram *histogram,
                     double       value_ms)
{
  ab_histogram_record_n (histogram, value_ms, 1);
}

void
ab_histogram_merge (AbHistogram       *histogram,
                    const AbHistogram *other)
{
  g_return_if_fail (histogram != NULL);
  g_return_if_fail (other != NULL);

  if (other->count == 0)
    return;
  ensure_range (histogram, other->lo, other->hi);
  for (int i = other->lo; i < other->hi; i++)
    histogram->counts[i - histogram->lo] += other->counts[i - other->lo];
  if (histogram->count == 0)
    {
      histogram->min = other->min;
      histogram->max = other->max;
    }
  else
    {
      histogram->min = MIN (histogram->min, other->min);
      histogram->max = MAX (histogram->max, other->max);
    }
  histogram->count += other->count;
  histogram->sum += other->sum;
}

guint64
ab_histogram_count (const AbHistogram *histogram)
{
  g_return_val_if_fail (histogram != NULL, 0);
  return histogram->count;
}

double
ab_histogram_mean (const AbHistogram *histogram)
{
  g_return_val_if_fail (histogram != NULL, 0.0);
  return histogram->count > 0 ? histogram->sum / (double) histogram->count : 0.0;
}

double
ab_histogram_min (const AbHistogram *histogram)
{
  g_return_val_if_fail (histogram != NULL, 0.0);
  return histogram->min;
}

double
ab_histogram_max (const AbHistogram *histogram)
{
  g_return_val_if_fail (histogram != NULL, 0.0);
  return histogram->max;
}

double
ab_histogram_quantile (const AbHistogram *histogram,
                       double             q)
{
  const AbHistogram *h = histogram;
  double rank, cum = 0.0;

  g_return_val_if_fail (histogram != NULL, 0.0);

  if (h->count == 0)
    return 0.0;
  if (q <= 0.0)
    return h->min;
  if (q >= 1.0)
    return h->max;
  rank = q * (double) h->count;
  for (int i = h->lo; i < h->hi; i++)
    {
      double c = (double) h->counts[i - h->lo];

      if (c > 0 && cum + c >= rank)
        {
          double v = index_lower (i) + index_width (i) * (rank - cum) / c;

          return CLAMP (v, h->min, h->max);
        }
      cum += c;
    }
  return h->max;
}

void
ab_histogram_quantiles (const AbHistogram *histogram,
                        guint              n,
                        const double      *q,
                        double            *out)
{
  const AbHistogram *h = histogram;
  double cum = 0.0;
  guint j = 0;

  g_return_if_fail (histogram != NULL);

  for (int i = h->lo; i < h->hi && j < n; i++)
    {
      double c = h->count > 0 ? (double) h->counts[i - h->lo] : 0.0;

      while (j < n && (h->count == 0 || q[j] <= 0.0 || q[j] >= 1.0
                       || (c > 0 && cum + c >= q[j] * (double) h->count)))
        {
          if (h->count == 0 || q[j] <= 0.0 || q[j] >= 1.0)
            out[j] = ab_histogram_quantile (h, q[j]);
          else
            {
              double v = index_lower (i) + index_width (i) * (q[j] * (double) h->count - cum) / c;

              out[j] = CLAMP (v, h->min, h->max);
            }
          j++;
        }
      cum += c;
    }
  for (; j < n; j++)
    out[j] = ab_histogram_quantile (h, q[j]);
}

double
ab_histogram_fraction_above (const AbHistogram *histogram,
                             double             value_ms)
{
  const AbHistogram *h = histogram;
  double below = 0.0;
  int idx;

  g_return_val_if_fail (histogram != NULL, 0.0);

  if (h->count == 0 || value_ms < h->min)
    return h->count == 0 ? 0.0 : 1.0;
  if (value_ms >= h->max)
    return 0.0;
  idx = value_index (value_ms);
  for (int i = h->lo; i < h->hi && i < idx; i++)
    below += (double) h->counts[i - h->lo];
  if (idx >= h->lo && idx < h->hi)
    {
      double part = (value_ms - index_lower (idx)) / index_width (idx);

      below += (double) h->counts[idx - h->lo] * CLAMP (part, 0.0, 1.0);
    }
  return 1.0 - below / (double) h->count;
}
