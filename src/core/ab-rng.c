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
