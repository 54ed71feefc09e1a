/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The load a simulation runs under (a problem's workload with the user's
 * overrides) and the checks of results against the problem's targets. */
#pragma once

#include <glib.h>

#include "ab-problem.h"

G_BEGIN_DECLS

/* Copies @problem's workload into @out (notes borrowed from @problem),
 * replacing the read / write rates by the overrides that are >= 0.  A
 * NULL @problem gives zero rates and a peak multiplier of 10. */
void ab_workload_init (AbWorkload      *out,
                       const AbProblem *problem,
                       double           read_rps_override,
                       double           write_rps_override);

/* What a check compares with the problem's targets.  Latency quantiles
 * come from @quantile (class AB_CLASS_READ / AB_CLASS_WRITE, or 2 for
 * all; q in 0..1), measured by the DES when it ran, else the model. */
typedef double (*AbQuantileFunc) (gpointer user_data,
                                  int      klass,
                                  double   q);

typedef struct {
  AbQuantileFunc quantile;
  gpointer       quantile_data;
  double         offered_rps;     /* at normal load */
  double         served_rps;
  double         availability;    /* fraction */
  double         cost_per_month;  /* US$ */
} AbCheckInput;

typedef struct {
  char    *target;  /* the requirement as written */
  char    *label;   /* "Latency", "Request Rate", ... */
  char    *what;    /* what was measured: "P95 of reads" */
  char    *unit;    /* "ms", "req/s", "%", "$/month" */
  double   value;   /* measured, in @unit ("%" as a fraction 0..1) */
  double   bound;   /* the target's figure, same unit */
  gboolean pass;
} AbCheck;

void       ab_check_free     (AbCheck            *check);
/* One check per latency, rate, availability and budget target of
 * @problem, in the problem's order.  Array of AbCheck*. */
GPtrArray *ab_checks_evaluate (const AbProblem    *problem,
                               const AbCheckInput *input);

G_END_DECLS
