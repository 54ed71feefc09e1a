/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Seeding and the non-uniform draws of the simulation's PRNG. */
#define G_LOG_DOMAIN "archboard-rng"

#include "config.h"

#include "ab-rng.h"

void
ab_rng_seed (AbRng   *rng,
             guint64  seed)
{
  guint64 state = seed;

  for (int i = 0; i < 4; i++)
    rng->s[i] = ab_splitmix64 (&state);
  /* xoshiro's state must not be all zero; splitmix64 never gives four
   * zero words in a row, but be explicit. */
  if ((rng->s[0] | rng->s[1] | rng->s[2] | rng->s[3]) == 0)
    rng->s[0] = 1;
  rng->spare_normal = 0.0;
  rng->has_spare = FALSE;
}

void
ab_rng_seed_stream (AbRng   *rng,
                    guint64  seed,
                    guint64  stream)
{
  guint64 mix = stream;

  ab_rng_seed (rng, seed ^ ab_splitmix64 (&mix));
}

const AbRngZiggurat *
ab_rng_ziggurat (void)
{
  static AbRngZiggurat tables;
  static gsize ready = 0;

  if (g_once_init_enter (&ready))
    {
      const double r = 7.69711747013104972;
      const double v = 0.0039496598225815571993;

      tables.x[0] = v / exp (-r);
      tables.x[1] = r;
      for (int i = 1; i < 256; i++)
        tables.x[i + 1] = -log (v / tables.x[i] + exp (-tables.x[i]));
      tables.x[256] = 0.0;
      for (int i = 0; i <= 256; i++)
        tables.f[i] = exp (-tables.x[i]);
      g_once_init_leave (&ready, 1);
    }
  return &tables;
}

double
ab_rng_normal (AbRng *rng)
{
  double u, v, s;

  if (rng->has_spare)
    {
      rng->has_spare = FALSE;
      return rng->spare_normal;
    }
  do
    {
      u = 2.0 * ab_rng_double (rng) - 1.0;
      v = 2.0 * ab_rng_double (rng) - 1.0;
      s = u * u + v * v;
    }
  while (s >= 1.0 || s == 0.0);
  s = sqrt (-2.0 * log (s) / s);
  rng->spare_normal = v * s;
  rng->has_spare = TRUE;
  return u * s;
}

double
ab_rng_lognormal (AbRng  *rng,
                  double  mean,
                  double  cv)
{
  double sigma2, mu;

  if (cv <= 0.0)
    return mean;
  sigma2 = log1p (cv * cv);
  mu = log (mean) - 0.5 * sigma2;
  return exp (mu + sqrt (sigma2) * ab_rng_normal (rng));
}
