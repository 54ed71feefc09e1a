/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The log-linear histogram: resolution, quantiles, merging, edge cases. */
#include "config.h"

#include <math.h>

#include "ab-histogram.h"
#include "ab-rng.h"

static void
test_histogram_empty (void)
{
  g_autoptr(AbHistogram) h = ab_histogram_new ();

  g_assert_cmpuint (ab_histogram_count (h), ==, 0);
  g_assert_cmpfloat (ab_histogram_mean (h), ==, 0.0);
  g_assert_cmpfloat (ab_histogram_quantile (h, 0.5), ==, 0.0);
  g_assert_cmpfloat (ab_histogram_fraction_above (h, 1.0), ==, 0.0);
}

static void
test_histogram_resolution (void)
{
  /* every single value comes back within the bucket resolution (1/128) */
  for (double v = 0.001; v < 1e6; v *= 1.37)
    {
      g_autoptr(AbHistogram) h = ab_histogram_new ();

      ab_histogram_record (h, v);
      g_assert_cmpfloat (ab_histogram_mean (h), ==, v);
      g_assert_cmpfloat (ab_histogram_min (h), ==, v);
      g_assert_cmpfloat (ab_histogram_max (h), ==, v);
      g_assert_cmpfloat_with_epsilon (ab_histogram_quantile (h, 0.5), v, v / 128.0);
    }
}

static void
test_histogram_uniform_quantiles (void)
{
  g_autoptr(AbHistogram) h = ab_histogram_new ();

  for (int i = 1; i <= 100000; i++)
    ab_histogram_record (h, i / 100.0);
  g_assert_cmpuint (ab_histogram_count (h), ==, 100000);
  g_assert_cmpfloat_with_epsilon (ab_histogram_mean (h), 500.005, 1e-6);
  for (double q = 0.01; q < 1.0; q += 0.01)
    {
      double expect = q * 1000.0;

      g_assert_cmpfloat_with_epsilon (ab_histogram_quantile (h, q), expect, expect * 0.005);
    }
  g_assert_cmpfloat_with_epsilon (ab_histogram_fraction_above (h, 900.0), 0.1, 0.002);
  g_assert_cmpfloat (ab_histogram_quantile (h, 0.0), ==, 0.01);
  g_assert_cmpfloat (ab_histogram_quantile (h, 1.0), ==, 1000.0);
}

static void
test_histogram_exponential (void)
{
  g_autoptr(AbHistogram) h = ab_histogram_new ();
  AbRng rng;

  ab_rng_seed (&rng, 7);
  for (int i = 0; i < 1000000; i++)
    ab_histogram_record (h, ab_rng_exponential (&rng, 10.0));
  g_assert_cmpfloat_with_epsilon (ab_histogram_mean (h), 10.0, 0.05);
  g_assert_cmpfloat_with_epsilon (ab_histogram_quantile (h, 0.95), 10.0 * log (20.0), 0.3);
  g_assert_cmpfloat_with_epsilon (ab_histogram_quantile (h, 0.99), 10.0 * log (100.0), 0.6);
}

static void
test_histogram_merge (void)
{
  g_autoptr(AbHistogram) a = ab_histogram_new ();
  g_autoptr(AbHistogram) b = ab_histogram_new ();
  g_autoptr(AbHistogram) all = ab_histogram_new ();
  g_autoptr(AbHistogram) copy = NULL;

  for (int i = 0; i < 1000; i++)
    {
      ab_histogram_record (a, 0.5 + i * 0.01);
      ab_histogram_record (all, 0.5 + i * 0.01);
      ab_histogram_record_n (b, 3000.0 + i, 2);
      ab_histogram_record_n (all, 3000.0 + i, 2);
    }
  copy = ab_histogram_copy (a);
  ab_histogram_merge (copy, b);
  g_assert_cmpuint (ab_histogram_count (copy), ==, 3000);
  g_assert_cmpfloat (ab_histogram_min (copy), ==, 0.5);
  g_assert_cmpfloat (ab_histogram_max (copy), ==, 3999.0);
  g_assert_cmpfloat_with_epsilon (ab_histogram_mean (copy), ab_histogram_mean (all), 1e-9);
  for (double q = 0.05; q < 1.0; q += 0.05)
    g_assert_cmpfloat (ab_histogram_quantile (copy, q), ==, ab_histogram_quantile (all, q));
  /* the source histograms are untouched */
  g_assert_cmpuint (ab_histogram_count (a), ==, 1000);
  g_assert_cmpuint (ab_histogram_count (b), ==, 2000);

  /* merging an empty histogram changes nothing, into an empty one copies */
  {
    g_autoptr(AbHistogram) empty = ab_histogram_new ();

    ab_histogram_merge (copy, empty);
    g_assert_cmpuint (ab_histogram_count (copy), ==, 3000);
    ab_histogram_merge (empty, b);
    g_assert_cmpfloat (ab_histogram_quantile (empty, 0.5), ==, ab_histogram_quantile (b, 0.5));
  }

  ab_histogram_reset (copy);
  g_assert_cmpuint (ab_histogram_count (copy), ==, 0);
  g_assert_cmpfloat (ab_histogram_quantile (copy, 0.5), ==, 0.0);
  ab_histogram_record (copy, 2.0);
  g_assert_cmpfloat_with_epsilon (ab_histogram_quantile (copy, 0.5), 2.0, 2.0 / 128);
}

static void
test_histogram_clamps (void)
{
  g_autoptr(AbHistogram) h = ab_histogram_new ();

  ab_histogram_record (h, 0.0);
  ab_histogram_record (h, -5.0);
  ab_histogram_record (h, 1e12);
  ab_histogram_record (h, NAN);
  g_assert_cmpuint (ab_histogram_count (h), ==, 3);
  g_assert_cmpfloat (ab_histogram_min (h), ==, -5.0);
  g_assert_cmpfloat (ab_histogram_max (h), ==, 1e12);
  /* quantiles stay within the recorded range */
  g_assert_cmpfloat (ab_histogram_quantile (h, 0.1), >=, -5.0);
  g_assert_cmpfloat (ab_histogram_quantile (h, 0.99), <=, 1e12);
}

/* Many levels in one pass read what each read alone does: empty, one
 * value, and two clusters far apart (the levels between them in the
 * gap), with levels 0 and 1 (min and max) */
static void
test_histogram_quantiles (void)
{
  static const double q[] = { 0.0, 0.001, 0.1, 0.25, 0.4999, 0.5, 0.51, 0.75, 0.9, 0.999, 1.0 };
  g_autoptr(AbHistogram) h = ab_histogram_new ();
  double out[G_N_ELEMENTS (q)];

  for (int round = 0; round < 3; round++)
    {
      if (round == 1)
        ab_histogram_record (h, 3.0);
      if (round == 2)
        for (int i = 0; i < 1000; i++)
          {
            ab_histogram_record (h, 1.0 + i * 1e-3);
            ab_histogram_record (h, 5000.0 + i);
          }
      ab_histogram_quantiles (h, G_N_ELEMENTS (q), q, out);
      for (guint j = 0; j < G_N_ELEMENTS (q); j++)
        g_assert_cmpfloat (out[j], ==, ab_histogram_quantile (h, q[j]));
    }
  /* the gap: the median is the lower cluster's last value (3), just
   * above it the upper cluster's first */
  g_assert_cmpfloat (out[5], <, 4.0);
  g_assert_cmpfloat (out[6], >=, 4999.0);
}

static void
test_rng_determinism (void)
{
  AbRng a, b, c;
  gboolean differ = FALSE;
  double sum = 0.0, sq = 0.0;
  const int n = 400000;

  ab_rng_seed (&a, 123);
  ab_rng_seed (&b, 123);
  ab_rng_seed (&c, 124);
  for (int i = 0; i < 1000; i++)
    {
      guint64 x = ab_rng_next (&a);

      g_assert_cmpuint (x, ==, ab_rng_next (&b));
      differ |= x != ab_rng_next (&c);
    }
  g_assert_true (differ);

  /* the first output of xoshiro256** seeded by splitmix64(0) */
  ab_rng_seed (&a, 0);
  g_assert_cmpuint (a.s[0], ==, G_GUINT64_CONSTANT (0xe220a8397b1dcdaf));

  for (int i = 0; i < n; i++)
    {
      double u = ab_rng_double (&a);

      g_assert_true (u >= 0.0 && u < 1.0);
      g_assert_cmpuint (ab_rng_below (&a, 7), <, 7);
    }
  for (int i = 0; i < n; i++)
    {
      double x = ab_rng_lognormal (&a, 5.0, 0.5);

      sum += x;
      sq += x * x;
    }
  {
    double mean = sum / n, sd = sqrt (sq / n - mean * mean);

    g_assert_cmpfloat_with_epsilon (mean, 5.0, 0.02);
    g_assert_cmpfloat_with_epsilon (sd / mean, 0.5, 0.01);
  }
  ab_rng_seed_stream (&a, 9, 0);
  ab_rng_seed_stream (&b, 9, 1);
  g_assert_cmpuint (ab_rng_next (&a), !=, ab_rng_next (&b));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/histogram/empty", test_histogram_empty);
  g_test_add_func ("/histogram/resolution", test_histogram_resolution);
  g_test_add_func ("/histogram/uniform-quantiles", test_histogram_uniform_quantiles);
  g_test_add_func ("/histogram/exponential", test_histogram_exponential);
  g_test_add_func ("/histogram/merge", test_histogram_merge);
  g_test_add_func ("/histogram/clamps", test_histogram_clamps);
  g_test_add_func ("/histogram/quantiles", test_histogram_quantiles);
  g_test_add_func ("/rng/determinism", test_rng_determinism);
  return g_test_run ();
}
