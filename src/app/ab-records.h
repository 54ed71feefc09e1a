/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the learner achieved per problem, kept in GSettings ("records"):
 * solved (by the core's verdict), the best P95 of a simulated design and
 * the lowest monthly cost of a solving design.  Only ever improves. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Merges one finished simulation of a learner's design: @solved from
 * ab_verdict_compute(), @p95_ms its normal-phase P95 (NAN: none),
 * @cost_per_month its cost (counted only when @solved). */
void     ab_records_add (GSettings  *settings,
                         const char *problem_id,
                         gboolean    solved,
                         double      p95_ms,
                         double      cost_per_month);
/* FALSE when nothing was recorded; @best_p95_ms / @lowest_cost are 0
 * when unknown. */
gboolean ab_records_get (GSettings  *settings,
                         const char *problem_id,
                         gboolean   *solved,
                         double     *best_p95_ms,
                         double     *lowest_cost);

G_END_DECLS
