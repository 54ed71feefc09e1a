/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulation's pseudo-random numbers: xoshiro256** seeded through
 * splitmix64, so a seed gives the same stream on every machine.  Inline:
 * the event loop draws several numbers per event. */
#pragma once

#include <glib.h>
#include <math.h>

G_BEGIN_DECLS

typedef struct {
  guint64 s[4];
  double  spare_normal;
  gboolean has_spare;
} AbRng;

static inline guint64
ab_splitmix64 (guint64 *state)
{
  guint64 z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static inline guint64
ab_rng_rotl (guint64 x, int k)
{
  return (x << k) | (x >> (64 - k));
}

static inline guint64
ab_rng_next (AbRng *rng)
{
  guint64 *s = rng->s;
  guint64 result = ab_rng_rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = ab_rng_rotl (s[3], 45);
  return result;
}

/* Uniform in [0, 1), 53 bits. */
static inline double
ab_rng_double (AbRng *rng)
{
  return (double) (ab_rng_next (rng) >> 11) * 0x1.0p-53;
}

/* Uniform in (0, 1]: safe for log(). */
static inline double
ab_rng_double_pos (AbRng *rng)
{
  return (double) ((ab_rng_next (rng) >> 11) + 1) * 0x1.0p-53;
}

/* Uniform integer in [0, n), n >= 1 (Lemire's multiply-shift, bias < 2^-32
 * for the small n the simulation uses). */
static inline guint32
ab_rng_below (AbRng *rng, guint32 n)
{
  return (guint32) (((ab_rng_next (rng) >> 32) * (guint64) n) >> 32);
}

/* Ziggurat tables for the standard exponential (Marsaglia & Tsang, 256
 * layers): x[257], f[257] = exp(-x).  Built once, read-only after. */
typedef struct {
  double x[257];
  double f[257];
} AbRngZiggurat;

const AbRngZiggurat *ab_rng_ziggurat (void);

static inline double
ab_rng_exp1_slow (AbRng *rng, const AbRngZiggurat *z, guint i, double x);

/* Standard exponential by the ziggurat: one 64-bit draw and a multiply
 * almost always (no log). */
static inline double
ab_rng_exp1 (AbRng *rng, const AbRngZiggurat *z)
{
  guint64 bits = ab_rng_next (rng);
  guint i = (guint) (bits & 0xff);
  double x = (double) (bits >> 11) * 0x1.0p-53 * z->x[i];

  if (G_LIKELY (x < z->x[i + 1]))
    return x;
  return ab_rng_exp1_slow (rng, z, i, x);
}

static inline double
ab_rng_exp1_slow (AbRng *rng, const AbRngZiggurat *z, guint i, double x)
{
  for (;;)
    {
      guint64 bits;

      if (i == 0)
        return z->x[1] - log (ab_rng_double_pos (rng));
      if (z->f[i + 1] + (z->f[i] - z->f[i + 1]) * ab_rng_double (rng) < exp (-x))
        return x;
      bits = ab_rng_next (rng);
      i = (guint) (bits & 0xff);
      x = (double) (bits >> 11) * 0x1.0p-53 * z->x[i];
      if (x < z->x[i + 1])
        return x;
    }
}

/* Exponential with the given mean. */
static inline double
ab_rng_exponential (AbRng *rng, double mean)
{
  return mean * ab_rng_exp1 (rng, ab_rng_ziggurat ());
}

void   ab_rng_seed   (AbRng   *rng,
                      guint64  seed);
/* Seeds @rng with stream @stream of @seed: independent streams for
 * replications. */
void   ab_rng_seed_stream (AbRng *rng,
                           guint64 seed,
                           guint64 stream);
/* Standard normal (Marsaglia polar method). */
double ab_rng_normal (AbRng   *rng);
/* Lognormal with the given mean and coefficient of variation. */
double ab_rng_lognormal (AbRng *rng,
                         double mean,
                         double cv);

G_END_DECLS
