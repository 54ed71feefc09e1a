/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Charts of a simulation over simulated time, drawn with cairo onto any
 * cairo_t (the results panel, the PDF report, archboard-cli report):
 * P50 / P95 / P99 latency with the problem's target as a line and the
 * confidence interval of each phase's P95 as a band; offered vs served
 * throughput and errors; cost per hour and instances stacked by
 * component; the scenario's phases as shaded bands; an optional hover
 * line with the values at that time; an optional pinned run drawn
 * dashed for comparison.  Only draws what the core computed. */
#pragma once

#include <cairo.h>

#include "ab-sim-summary.h"

G_BEGIN_DECLS

typedef enum {
  AB_CHART_LATENCY,
  AB_CHART_THROUGHPUT,
  AB_CHART_COST,
  AB_CHART_INSTANCES,
  AB_N_CHARTS
} AbChartKind;

typedef struct {
  const AbSimSetup   *setup;     /* phases, labels; required */
  GPtrArray          *points;    /* AbSimPoint*, may be empty */
  const AbSimSummary *summary;   /* confidence bands, latency target; may
                                    be NULL */
  GPtrArray          *pinned;    /* a pinned run's points, or NULL */
  gboolean            dark;
  double              hover_t;   /* seconds, or NAN for no hover line */
} AbChartData;

void  ab_chart_data_init     (AbChartData       *data);

/* Title of a chart ("Latency", ...), translated. */
const char *ab_chart_title   (AbChartKind        kind);

/* Draws @kind in the rectangle (0, 0, width, height) of @cr. */
void  ab_chart_render        (cairo_t           *cr,
                              AbChartKind        kind,
                              const AbChartData *data,
                              double             width,
                              double             height);

/* Simulated time under x (clamped to the timeline), for hovering. */
double ab_chart_time_at      (const AbChartData *data,
                              double             width,
                              double             x);

/* The label of an axis tick of @kind at @v, without an exponent:
 * "10 ms", "1 s", "15k/s", "$40k", "5k". */
char  *ab_chart_axis_label   (AbChartKind        kind,
                              double             v);

/* The values of @kind at time @t_s as one line of text
 * ("t = 42 s (peak): P50 3.1 ms, P95 12 ms, P99 30 ms"), or NULL when
 * there is no point there.  Used for the hover label and accessibility. */
char  *ab_chart_describe_at  (AbChartKind        kind,
                              const AbChartData *data,
                              double             t_s);

/* The hover readout at data->hover_t as drawn in a chart @width px wide
 * on @cr, line by line (NULL-terminated; NULL when there is no point
 * there).  A value's name, figure and unit ("P99 32.8 ms") always share
 * a line: the text wraps between values only. */
char **ab_chart_readout_lines (cairo_t           *cr,
                               AbChartKind        kind,
                               const AbChartData *data,
                               double             width);

/* @text as it fits in @max_width pixels in the charts' label font on
 * @cr: all of it, or its first whole words and "…"; NULL when not even
 * the first word fits.  Labels drawn inside a chart never end mid-word. */
char  *ab_chart_fit_label    (cairo_t           *cr,
                              const char        *text,
                              double             max_width);

/* A rectangle in a chart, in pixels (y down). */
typedef struct {
  double x, y, width, height;
} AbChartRect;

/* The translated short form of the name of a phase the built-in
 * scenarios make ("recov." for "recovery", German "Erhol."; an arrow for
 * a ramp, "↗" or "↘"), for a band too narrow for the whole name; NULL for
 * any other name.  A name with a short form is never cut further. */
const char *ab_chart_phase_short_label (const char *name);

/* @text cut to its first letters and "." as it fits in @max_width pixels
 * in the charts' label font on @cr, for a name without a short form:
 * never after a vowel ("recov.", never "recove."), preferably just before
 * one, keeping three letters at least and dropping two at least; NULL
 * when no such cut fits. */
char  *ab_chart_abbreviate   (cairo_t           *cr,
                              const char        *text,
                              double             max_width);

/* A phase's name as a chart draws it: @text (the whole name, its short
 * form or, for a name without one, its first letters and "."; NULL when
 * the band has none) in @rect. */
typedef struct {
  char        *text;
  AbChartRect  rect;
} AbChartPhaseLabel;

/* The names ab_chart_render() draws over the scenario's phases, one
 * AbChartPhaseLabel per phase in order: whole inside its band where it
 * fits, else whole below the top row centred on its band where no data
 * is drawn, else shortened inside the band.  Free with g_array_unref(). */
GArray *ab_chart_phase_labels (cairo_t           *cr,
                               AbChartKind        kind,
                               const AbChartData *data,
                               double             width,
                               double             height);

/* The latency chart's target's name as ab_chart_render() draws it: the
 * text (what fits of it) and its @rect beside the line, at its right end
 * or its left end, above or below it: the first of those that hides none
 * of the data (right before left, above before below); where each hides
 * some, the name's first comparison alone ("P95 < 50ms") where that hides
 * none, else whichever hides the least.  NULL when the chart draws
 * none. */
char   *ab_chart_target_label (cairo_t           *cr,
                               const AbChartData *data,
                               double             width,
                               double             height,
                               AbChartRect       *rect);

/* The legend ab_chart_render() draws in @kind's title row, left to
 * right: the names of the series it has room for beside the title (a
 * stacked chart's largest areas first) and, when it leaves some out, last
 * the text that says how many ("+2 more"); empty when not even that
 * fits.  Free with g_strfreev(). */
char  **ab_chart_legend       (cairo_t           *cr,
                               AbChartKind        kind,
                               const AbChartData *data,
                               double             width,
                               double             height);

/* What a chart draws over the x range [x_from, x_to]: from y_top down to
 * y_bottom (pixels) the plot shows data there (curves, areas, bands). */
typedef struct {
  double x_from, x_to;
  double y_top, y_bottom;
} AbChartMark;

/* Where the hover readout (a box of @width x @height) goes so that it
 * hides no data: beside the hover line at @hover_x, at the top or the
 * bottom of @plot or just above or below the hovered point's data,
 * wherever it covers none of @marks; else in @header (the strip of the
 * title and legend above the plot); else where it covers the least, never
 * the data at the hovered point (the marks over @hover_x) when there is
 * any room for that.  Always inside @bounds (the whole chart). */
AbChartRect ab_chart_place_readout (const AbChartRect *bounds,
                                    const AbChartRect *plot,
                                    const AbChartRect *header,
                                    double             hover_x,
                                    const AbChartMark *marks,
                                    guint              n_marks,
                                    double             width,
                                    double             height);
/* The latency target line: the first latency check of the summary, or
 * FALSE. */
gboolean ab_chart_latency_target (const AbSimSummary *summary,
                                  double             *bound_ms,
                                  const char        **label);

G_END_DECLS
