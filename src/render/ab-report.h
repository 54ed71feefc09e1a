/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The PDF report of a simulated design: the diagram, the tier checks, the
 * performance checks (in the core's words), the summary table (per phase
 * P50 / P95 / P99 and errors, maximum sustainable rate, bottleneck,
 * availability, cost per month by component) and the charts.  Written by
 * Export -> PDF Report in the app and by `archboard-cli report`; draws
 * through ab-render and ab-chart-render, computes nothing. */
#pragma once

#include "ab-render.h"
#include "ab-sim-summary.h"

G_BEGIN_DECLS

typedef struct {
  AbDesign           *design;
  AbProblem          *problem;   /* may be NULL: no tier checks */
  const AbSimSetup   *setup;
  const AbSimSummary *summary;   /* the finished run's (DES) summary */
  GPtrArray          *points;    /* its time series, AbSimPoint* */
} AbReportData;

/* Writes the report to @path (all or nothing: a temporary file renamed).
 * Errors carry the path. */
gboolean ab_report_write_pdf (const AbReportData *data,
                              const char         *path,
                              GError            **error);

G_END_DECLS
