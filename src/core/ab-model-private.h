/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the parts of the analytical model share: the grid (GRID points,
 * BINS of a real signal's transform), the shapes of a wait, the buffers an
 * AbModelContext keeps between evaluations, an evaluation's state (Ctx,
 * Dist, a blocking pool's FesPool) and the functions the parts call in
 * one another.
 * The parts:
 *
 *   ab-model.c          the evaluation: a hop's distributions on the
 *                       grid, routing around lost stations, latency
 *                       composition, background chains, rates and station
 *                       metrics
 *   ab-model-fes.c      blocking pools: the flow-equivalent server (a
 *                       pool solved with its callees as a closed network,
 *                       instances that queue apart, the pool's wait)
 *   ab-model-closed.c   closed forms of one queue (Erlang B and C, M/M/c,
 *                       Allen-Cunneen, GI/M/c, M/M/c/K, patience); their
 *                       API is in ab-model.h
 *   ab-model-grid.c     the grid: FFT, the context's buffers, an
 *                       evaluation's spectra and scratch, the cached
 *                       spectra of a delay and of an exponential
 *   ab-model-backlog.c  the backlog of a queue without a limit over a
 *                       scenario, and the waits behind it as it drains
 *   ab-model-chain.c    the chain of all the instances of a blocking pool
 *                       (ab-model-chain.h)
 *
 * Private to src/core: nothing here is API. */
#pragma once

#include <complex.h>
#include <math.h>
#include <string.h>

#include "ab-model.h"

G_BEGIN_DECLS

#define GRID AB_MODEL_GRID
#define BINS (GRID / 2 + 1)

typedef double complex cplx;

enum {
  WAIT_EXP = 0,     /* wait_c * Exp (wait_mean) (Erlang C, Allen-Cunneen) */
  WAIT_ERLANG_MIX,  /* M/M/c/K: Erlang (i + 1, theta) with weight ~ rho^i */
  WAIT_TRUNC_EXP,   /* M/M/c+D: density ~ e^(-theta x) on (0, patience] */
  WAIT_HYPER        /* a mixture of exponentials (a pool's units, FesPool) */
};

/* Buffers an evaluation works in, kept by an AbModelContext from one
 * evaluation to the next: each grows to the largest size asked for and is
 * then reused, so evaluating designs of the same size again allocates
 * nothing but the result. */
enum {
  BUF_STATE, BUF_HOP, BUF_CALLS, BUF_FAIL, BUF_HOLD_M1, BUF_HOLD_M2,
  BUF_WAIT_C, BUF_WAIT_KIND, BUF_WAIT_THETA, BUF_WAIT_RHO, BUF_WAIT_Q,
  BUF_WAIT_M1, BUF_WAIT_M2, BUF_WAIT_MEAN, BUF_FIXED_MS, BUF_PHI,
  BUF_PHI_DONE, BUF_CALL_FIRST, BUF_DEPENDENTS, BUF_ARENA, BUF_ORDER,
  BUF_INDEGREE, BUF_INSTANCES, BUF_UNTHINNED, BUF_NEXT, BUF_HOLD_LO,
  BUF_HOLD_HI, BUF_URATE, BUF_GRID, BUF_LEAF, BUF_LIVE, BUF_OWNER,
  BUF_FES_W, BUF_FES_W_PREV, BUF_FES, BUF_FES_POOL, BUF_FES_DATA, BUF_FES_UNITS, BUF_LAG_END, BUF_BG_OVER,
  BUF_SPREAD_MS, BUF_DRAIN, BUF_DRAIN_X, BUF_DRAIN_E, BUF_BOUND,
  N_BUFS
};

struct _AbModelContext {
  gpointer   buf[N_BUFS];
  gsize      size[N_BUFS];
  /* spectra beyond the arena, and scratch spectra per recursion depth;
   * both kept (and reused) between evaluations */
  GPtrArray *extra;
  GPtrArray *scratch;
  guint      n_grows;
};

/* Buffer @which with room for @n elements of @elem bytes (at least one),
 * its contents undefined. */
static inline gpointer
mc_buf (AbModelContext *mc,
        guint           which,
        gsize           n,
        gsize           elem)
{
  gsize bytes = MAX (n, 1) * elem;

  if (mc->size[which] < bytes)
    {
      g_free (mc->buf[which]);
      mc->buf[which] = g_malloc (bytes);
      mc->size[which] = bytes;
      mc->n_grows++;
    }
  return mc->buf[which];
}

/* The same, zeroed. */
static inline gpointer
mc_buf0 (AbModelContext *mc,
         guint           which,
         gsize           n,
         gsize           elem)
{
  gpointer p = mc_buf (mc, which, n, elem);

  memset (p, 0, MAX (n, 1) * elem);
  return p;
}

typedef struct _FesPool FesPool;

/* ab-model-fes.c: callees solved with a pool, exponentials of a units
 * pool's wait */
#define FES_MAX_CALLEES 8
#define FES_HYP_MAX 8

/* A blocking station's pool solved with the callees it alone calls
 * (fes_solve ()), kept for the round so that the pool that calls it can
 * take it as one load-dependent server. */
struct _FesPool {
  gboolean valid;                    /* solved in this round */
  int      P, m;                     /* slots; callees solved with it */
  int      room;                     /* callees the tables have room for */
  int      ys[FES_MAX_CALLEES];
  gboolean nested[FES_MAX_CALLEES];  /* a pool itself */
  int      ks[FES_MAX_CALLEES];      /* servers (or slots) that matter */
  int      cs[FES_MAX_CALLEES];      /* servers of a plain callee */
  double   v[FES_MAX_CALLEES];       /* visits per request */
  double   sy[FES_MAX_CALLEES];      /* mean time a visit holds a server, ms */
  double   fy[FES_MAX_CALLEES];      /* Allen-Cunneen factor of that time */
  double   lam;                      /* requests per ms */
  double   shape;                    /* Allen-Cunneen factor of the pool's wait */
  double   idc;                      /* the variability of its completions when full */
  double   wait_c, wait_ms;          /* the pool's: chance of a wait, its mean */
  int      nu, cu;                   /* units that queue apart, slots each */
  AbBalance balance;
  double   ratio;                    /* a unit's queue ratio (mean field) */
  double   full_q, full_scv;         /* a full pool's callee: chance a visit
                                        queues there, its service's SCV */
  int      full_j, full_i;           /* that callee (and its own, nested) */
  double   slot_scv;                 /* the slot time's SCV */
  int      hyp_n;                    /* units: the wait given a wait as a mixture */
  double   hyp_a[FES_HYP_MAX];       /* of exponentials, weights and means (ms) */
  double   hyp_m[FES_HYP_MAX];
  double  *X;                        /* P + 1: throughput with n in the pool, per ms */
  double  *Q, *PW;                   /* m rows of P + 1: mean queue at each
                                        callee, chance that a visit waits */
  gboolean spread[FES_MAX_CALLEES];  /* a pool whose instances queue apart */
  double  *B, *W;                    /* m rows of P + 1: for such a callee,
                                        its busy slots with k visits in it,
                                        the chance a visit finds its
                                        instance full (fes_spread ()) */
};

typedef struct {
  double  m1, m2;  /* first two moments, ms and ms^2 */
  cplx   *f;       /* BINS values of the grid transform; NULL: identity
                      (no delay) or, in the moments pass, not computed */
} Dist;

typedef struct {
  AbModelContext     *mc;
  const AbNetwork    *net;
  const AbModelInput *input;
  AbModelResult      *res;
  const cplx         *w;
  double              h;          /* grid step, ms */
  gboolean            spectra;    /* pass 2: compute transforms too */
  /* per (station, class) node */
  guint8             *state;      /* 0 new, 1 in progress, 2 done */
  Dist               *hop;        /* waiting + service at the station */
  Dist               *calls;      /* what the station's onward calls add */
  Dist               *phi;        /* the whole visit, made on demand */
  gboolean           *phi_done;
  double             *fail;
  /* per node: where its calls start in @dependents, which is TRUE for a
   * call that a later call of its list falls back on */
  guint              *call_first;
  gboolean           *dependents;
  /* per call (indexed like @dependents), when stations are lost: the
   * factor of its share in its group (ab_network_group_live_factor) */
  double             *live;
  /* per node: first two moments of the time a request holds a slot
   * (service, plus its calls when the station blocks), ms and ms^2 */
  double             *hold_m1, *hold_m2;
  /* per station */
  double             *wait_c;     /* probability of waiting */
  double             *wait_mean;  /* mean wait when waiting, ms */
  gboolean           *bound;      /* its queue limit or timeout can bind
                                     (limits_bind) */
  double             *fixed_ms;   /* the mean of a wait behind a backlog
                                     (overload without limits), ms ... */
  double             *spread_ms;  /* ... spread evenly over this width, ms */
  /* the waits behind a backlog it drains (NULL: none), mixed with the
   * steady wait of wait_c / wait_mean */
  const AbModelWaits **drain;
  /* TRUE: what still waits behind such a backlog (its station's
   * `unserved`) counts with the failures (served rates), else not
   * (error rates) */
  gboolean            unserved_fails;
  double             *bg_over;    /* the share an overload or patience
                                     fails, before lost shards */
  /* a wait of another shape (finite queues, patience): kind, its
   * parameters and the moments given a wait (ms, ms^2) */
  guint8             *wait_kind;
  double             *wait_theta; /* rate (1/ms) of the Erlang stages or of
                                     the truncated exponential */
  double             *wait_rho;   /* geometric ratio of the Erlang mixture */
  double             *wait_q;     /* waiting room (stages), or patience ms */
  double             *wait_m1, *wait_m2;
  /* blocking pools (fes_solve ()): per station, the one blocking caller
   * all of its load comes from (-1 none), the mean response per visit
   * (wait and slot, ms) its caller's slot time was last computed with,
   * and each blocking pool's solution */
  int                *owner;
  double             *fes_w;
  FesPool            *fes;
  /* spectra: one block sized for every node (malloc serves it again
   * without page faults from one evaluation to the next), more when a
   * design needs it */
  cplx               *arena;
  guint               arena_cap, arena_used;
  guint               extra_used; /* of mc->extra */
  /* scratch buffers per recursion depth (term, group mixture) in
   * mc->scratch */
  guint               depth;
  /* shift and exponential spectra by delay / mean, cached */
  double              shift_ms[8];
  cplx               *shift_f[8];
  guint               n_shifts;
  double              exp_ms[16];
  cplx               *exp_f[16];
  guint               n_exps, next_exp;
} Ctx;

static inline void
dist_identity (Dist *d)
{
  d->m1 = d->m2 = 0.0;
  d->f = NULL;
}

/* moments of a + b (independent) into a */
static inline void
mom_add (Dist   *a,
         double  m1,
         double  m2)
{
  a->m2 = a->m2 + m2 + 2.0 * a->m1 * m1;
  a->m1 += m1;
}

/* ab-model-grid.c */
G_GNUC_INTERNAL const cplx *twiddles (void);
G_GNUC_INTERNAL void fft (cplx    *x,
                          gboolean inverse);
G_GNUC_INTERNAL cplx *ctx_spectrum (Ctx *ctx);
G_GNUC_INTERNAL cplx *ctx_scratch (Ctx  *ctx,
                                   guint which);
G_GNUC_INTERNAL void ctx_reset (Ctx *ctx);
G_GNUC_INTERNAL const cplx *shift_spectrum (Ctx   *ctx,
                                            double t);
G_GNUC_INTERNAL const cplx *exponential_spectrum (Ctx   *ctx,
                                                  double mean);

/* ab-model.c: the station a call to @callee reaches around lost ones
 * (failover), -1 none */
G_GNUC_INTERNAL int effective_callee (const Ctx *ctx,
                                      int        callee);

/* ab-model-fes.c: blocking pools, the flow-equivalent server */
G_GNUC_INTERNAL void fes_owners (Ctx *ctx);
G_GNUC_INTERNAL gboolean fes_solve (Ctx       *ctx,
                                    int        x,
                                    const int *instances);
G_GNUC_INTERNAL void fes_note_waits (Ctx *ctx,
                                     int  x);
G_GNUC_INTERNAL gboolean fes_units_wait (Ctx *ctx,
                                         int  x);
G_GNUC_INTERNAL void fes_pool_wait (Ctx *ctx,
                                    int  x);

G_END_DECLS
