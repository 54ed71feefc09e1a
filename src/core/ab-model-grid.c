/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The analytical model's grid: the FFT over the GRID points, the
 * buffers an AbModelContext keeps between evaluations, an evaluation's
 * spectra and scratch, and the spectra of a delay and of an exponential,
 * cached per evaluation.  The distributions a hop multiplies its
 * transform with stay with the evaluation in ab-model.c, where the
 * compiler inlines them into the hop. */
#define G_LOG_DOMAIN "archboard-model"

#include "config.h"

#include "ab-model-private.h"

const cplx *
twiddles (void)
{
  static cplx table[GRID];
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      for (int k = 0; k < GRID; k++)
        table[k] = cexp (-2.0 * G_PI * I * k / GRID);
      g_once_init_leave (&done, 1);
    }
  return table;
}

/* In-place radix-2 FFT; @inverse uses the conjugate twiddles and scales. */
void
fft (cplx    *x,
     gboolean inverse)
{
  const cplx *w = twiddles ();

  for (int i = 1, j = 0; i < GRID; i++)
    {
      int bit = GRID >> 1;
      for (; j & bit; bit >>= 1)
        j ^= bit;
      j ^= bit;
      if (i < j)
        {
          cplx t = x[i];
          x[i] = x[j];
          x[j] = t;
        }
    }
  for (int len = 2; len <= GRID; len <<= 1)
    {
      int step = GRID / len;
      for (int i = 0; i < GRID; i += len)
        for (int k = 0; k < len / 2; k++)
          {
            cplx tw = inverse ? conj (w[k * step]) : w[k * step];
            cplx u = x[i + k];
            cplx v = x[i + k + len / 2] * tw;
            x[i + k] = u + v;
            x[i + k + len / 2] = u - v;
          }
    }
  if (inverse)
    for (int i = 0; i < GRID; i++)
      x[i] /= GRID;
}

AbModelContext *
ab_model_context_new (void)
{
  AbModelContext *mc = g_new0 (AbModelContext, 1);

  mc->extra = g_ptr_array_new_with_free_func (g_free);
  mc->scratch = g_ptr_array_new_with_free_func (g_free);
  return mc;
}

void
ab_model_context_free (AbModelContext *context)
{
  if (context == NULL)
    return;
  for (guint i = 0; i < N_BUFS; i++)
    g_free (context->buf[i]);
  g_ptr_array_unref (context->extra);
  g_ptr_array_unref (context->scratch);
  g_free (context);
}

guint
ab_model_context_get_n_grows (const AbModelContext *context)
{
  g_return_val_if_fail (context != NULL, 0);

  return context->n_grows;
}

cplx *
ctx_spectrum (Ctx *ctx)
{
  cplx *f;

  if (!ctx->spectra)
    return NULL;
  if (ctx->arena_used < ctx->arena_cap)
    return ctx->arena + (gsize) BINS * ctx->arena_used++;
  if (ctx->extra_used < ctx->mc->extra->len)
    return g_ptr_array_index (ctx->mc->extra, ctx->extra_used++);
  f = g_new (cplx, BINS);
  g_ptr_array_add (ctx->mc->extra, f);
  ctx->extra_used++;
  ctx->mc->n_grows++;
  return f;
}

/* Scratch buffer @which (0 or 1) of the current recursion depth. */
cplx *
ctx_scratch (Ctx  *ctx,
             guint which)
{
  guint index = ctx->depth * 2 + which;

  while (ctx->mc->scratch->len <= index)
    {
      g_ptr_array_add (ctx->mc->scratch, g_new (cplx, BINS));
      ctx->mc->n_grows++;
    }
  return g_ptr_array_index (ctx->mc->scratch, index);
}

void
ctx_reset (Ctx *ctx)
{
  guint n = ctx->net->n_stations * AB_N_CLASSES;

  memset (ctx->state, 0, n);
  memset (ctx->phi_done, 0, sizeof (gboolean) * n);
  ctx->arena_used = 0;
  ctx->extra_used = 0;
  ctx->depth = 0;
  ctx->n_shifts = 0;
  ctx->n_exps = 0;
  ctx->next_exp = 0;
  memset (ctx->exp_f, 0, sizeof ctx->exp_f);
}

/* The transform of a delay of @t ms (linear split between grid points),
 * or NULL for none. */
const cplx *
shift_spectrum (Ctx   *ctx,
                double t)
{
  cplx *f;
  double b;
  gint64 m;
  double frac;
  int m0, m1;

  if (!ctx->spectra || t <= 0.0)
    return NULL;
  for (guint i = 0; i < ctx->n_shifts; i++)
    if (ctx->shift_ms[i] == t)
      return ctx->shift_f[i];
  f = ctx_spectrum (ctx);
  b = t / ctx->h;
  m = (gint64) floor (b);
  frac = b - m;
  m0 = (int) (m % GRID);
  m1 = (int) ((m + 1) % GRID);
  for (int j = 0; j < BINS; j++)
    f[j] = (1.0 - frac) * ctx->w[(j * m0) % GRID] + frac * ctx->w[(j * m1) % GRID];
  if (ctx->n_shifts < G_N_ELEMENTS (ctx->shift_ms))
    {
      ctx->shift_ms[ctx->n_shifts] = t;
      ctx->shift_f[ctx->n_shifts++] = f;
    }
  return f;
}

/* Transform of an exponential with @mean ms binned to the nearest grid
 * point; cached, since identical stations share it. */
const cplx *
exponential_spectrum (Ctx   *ctx,
                      double mean)
{
  double r = exp (-ctx->h / mean);
  double p0 = 1.0 - exp (-ctx->h / mean / 2.0);
  double k = (1.0 - r) * sqrt (r);
  guint slot;
  cplx *f;

  for (guint i = 0; i < ctx->n_exps; i++)
    if (ctx->exp_ms[i] == mean)
      return ctx->exp_f[i];
  slot = ctx->n_exps < G_N_ELEMENTS (ctx->exp_ms) ? ctx->n_exps++ : ctx->next_exp++ % G_N_ELEMENTS (ctx->exp_ms);
  if (ctx->exp_f[slot] == NULL)
    ctx->exp_f[slot] = ctx_spectrum (ctx);
  f = ctx->exp_f[slot];
  ctx->exp_ms[slot] = mean;
  for (int j = 0; j < BINS; j++)
    {
      double c = creal (ctx->w[j]), s = cimag (ctx->w[j]);
      /* k z / (1 - r z), z = c + i s */
      double dr = 1.0 - r * c, di = -r * s;
      double den = dr * dr + di * di;
      double nr = k * c, ni = k * s;

      f[j] = p0 + ((nr * dr + ni * di) + I * (ni * dr - nr * di)) / den;
    }
  return f;
}
