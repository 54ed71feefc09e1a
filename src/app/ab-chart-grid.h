/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbChartGrid: the results panel's charts, laid out by the width they
 * get: one column when narrow, two when two charts of at least
 * AB_CHART_GRID_MIN_COLUMN_WIDTH fit side by side, all in one row when
 * all of them fit.  Rows are balanced (four charts never end in a lone
 * one: 1, 2 or 4 columns), every chart gets the same size, and the
 * height is shared between the rows.  Put it in a GtkScrolledWindow:
 * a narrow, short panel scrolls the stacked charts. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The narrowest a chart gets beside another one: its axis labels, legend
 * and the target's label still fit. */
#define AB_CHART_GRID_MIN_COLUMN_WIDTH 280
/* The lowest a chart gets before the grid scrolls. */
#define AB_CHART_GRID_MIN_ROW_HEIGHT   130
#define AB_CHART_GRID_SPACING          8

#define AB_TYPE_CHART_GRID (ab_chart_grid_get_type ())
G_DECLARE_FINAL_TYPE (AbChartGrid, ab_chart_grid, AB, CHART_GRID, GtkWidget)

GtkWidget *ab_chart_grid_new     (void);
void       ab_chart_grid_append  (AbChartGrid *self,
                                  GtkWidget   *chart);
/* The number of columns for @n_charts in @width pixels. */
guint      ab_chart_grid_columns (int          width,
                                  guint        n_charts);

G_END_DECLS
