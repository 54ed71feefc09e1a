/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbChartGrid: see ab-chart-grid.h.  A widget with its own measure and
 * size_allocate (a GtkGrid cannot change its number of columns from its
 * allocation). */
#define G_LOG_DOMAIN "archboard"

#include "config.h"

#include <math.h>

#include "ab-chart-grid.h"

/* The width a chart asks for: two of them side by side leave room for
 * the summary beside them on a wide window. */
#define NATURAL_COLUMN_WIDTH 300
#define NATURAL_ROW_HEIGHT   190
/* Alone in a column a chart may be narrower than beside another. */
#define MIN_WIDTH            200

struct _AbChartGrid
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (AbChartGrid, ab_chart_grid, GTK_TYPE_WIDGET)

guint
ab_chart_grid_columns (int   width,
                       guint n_charts)
{
  guint columns, rows;

  if (n_charts == 0)
    return 1;
  columns = (guint) MAX ((width + AB_CHART_GRID_SPACING)
                         / (AB_CHART_GRID_MIN_COLUMN_WIDTH + AB_CHART_GRID_SPACING), 1);
  columns = MIN (columns, n_charts);
  /* balanced rows: 4 charts in 3 columns would leave one alone */
  rows = (n_charts + columns - 1) / columns;
  return (n_charts + rows - 1) / rows;
}

static guint
count_children (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    n += gtk_widget_get_visible (c) ? 1 : 0;
  return n;
}

static void
ab_chart_grid_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  guint n = count_children (widget);

  if (n == 0)
    {
      *minimum = *natural = 0;
      return;
    }
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      guint columns = MIN (n, 2);

      *minimum = MIN_WIDTH;
      *natural = (int) columns * NATURAL_COLUMN_WIDTH + ((int) columns - 1) * AB_CHART_GRID_SPACING;
    }
  else
    {
      guint columns = for_size >= 0 ? ab_chart_grid_columns (for_size, n) : 1;
      int rows = (int) ((n + columns - 1) / columns);

      *minimum = rows * AB_CHART_GRID_MIN_ROW_HEIGHT + (rows - 1) * AB_CHART_GRID_SPACING;
      *natural = rows * NATURAL_ROW_HEIGHT + (rows - 1) * AB_CHART_GRID_SPACING;
    }
}

static void
ab_chart_grid_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  guint n = count_children (widget);
  guint columns = ab_chart_grid_columns (width, n);
  int rows = n > 0 ? (int) ((n + columns - 1) / columns) : 1;
  double cell_w = (width - ((int) columns - 1) * AB_CHART_GRID_SPACING) / (double) columns;
  double cell_h = (height - (rows - 1) * AB_CHART_GRID_SPACING) / (double) rows;
  guint i = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      guint col = i % columns, row = i / columns;
      /* whole pixels, the gaps the same everywhere */
      int x = (int) round (col * (cell_w + AB_CHART_GRID_SPACING));
      int y = (int) round (row * (cell_h + AB_CHART_GRID_SPACING));
      int x1 = (int) round (col * (cell_w + AB_CHART_GRID_SPACING) + cell_w);
      int y1 = (int) round (row * (cell_h + AB_CHART_GRID_SPACING) + cell_h);

      if (!gtk_widget_get_visible (c))
        continue;
      gtk_widget_size_allocate (c, &(GtkAllocation) { x, y, x1 - x, y1 - y }, -1);
      i++;
    }
}

static GtkSizeRequestMode
ab_chart_grid_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
ab_chart_grid_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ab_chart_grid_parent_class)->dispose (object);
}

static void
ab_chart_grid_class_init (AbChartGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ab_chart_grid_dispose;
  widget_class->measure = ab_chart_grid_measure;
  widget_class->size_allocate = ab_chart_grid_size_allocate;
  widget_class->get_request_mode = ab_chart_grid_get_request_mode;
  gtk_widget_class_set_css_name (widget_class, "chartgrid");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ab_chart_grid_init (AbChartGrid *self)
{
}

GtkWidget *
ab_chart_grid_new (void)
{
  return g_object_new (AB_TYPE_CHART_GRID, NULL);
}

void
ab_chart_grid_append (AbChartGrid *self,
                      GtkWidget   *chart)
{
  g_return_if_fail (AB_IS_CHART_GRID (self));
  g_return_if_fail (GTK_IS_WIDGET (chart));

  gtk_widget_set_parent (chart, GTK_WIDGET (self));
}
