/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The chain of all the instances of a blocking pool (ab-model-chain.c).
 * Private to src/core: nothing here is API. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define AB_UNITS_HYP_MAX 8
/* the room (requests waiting at an instance) a chain has at least but
 * under round robin past its states */
#define AB_UNITS_MIN_ROOM 4

typedef struct {
  double wait_c;       /* chance that an arrival finds its instance full */
  double wait_ms;      /* the mean of its wait then, ms */
  double others_full;  /* the other instances' mean busy slots then */
  double sigma;        /* an instance's queue ratio at the top */
  int    hyp_n;        /* the wait given a wait as a mixture of */
  double hyp_a[AB_UNITS_HYP_MAX]; /* exponentials: weights and means (ms) */
  double hyp_m[AB_UNITS_HYP_MAX];
  int    room;         /* requests it follows waiting at an instance */
  int    states;       /* the chain's states */
  int    sweeps;       /* Gauss-Seidel sweeps it took */
} AbUnitsExact;

gboolean ab_units_exact (int           nu,
                         int           cu,
                         double        lam,
                         const double *X,
                         gboolean      round_robin,
                         const double *order,
                         double        sigma,
                         int           max_states,
                         double       *busy_dist,
                         AbUnitsExact *out);

/* one-slot instances under round robin: one followed among the
 * others' counts, up to a top of @M requests (the geometric tail of
 * ratio @sigma, at first, beyond) */
gboolean ab_units_tagged (int           nu,
                          double        lam,
                          const double *X,
                          int           M,
                          double        sigma,
                          double       *busy_dist,
                          AbUnitsExact *out);

G_END_DECLS
