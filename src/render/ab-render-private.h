/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internals shared by ab-render and ab-export: the full drawing entry
 * point with a part-of-the-design filter and a sink that receives text
 * instead of drawing it (the SVG export writes real <text> elements). */
#pragma once

#include "ab-render.h"

G_BEGIN_DECLS

typedef struct {
  const char *owner_id;    /* component or connection id */
  const char *text;        /* as shown (possibly ellipsized) */
  const char *full_text;   /* the whole label */
  /* In device units of the cairo_t drawn on (the SVG's user units). */
  double      x;           /* start, or centre when @centered */
  double      baseline;
  double      width;       /* as measured by pango */
  double      size;        /* font size (px) */
  int         weight;      /* CSS weight: 400, 600, 700 */
  gboolean    centered;
  double      rgba[4];
} AbTextRun;

typedef void (*AbTextSink) (const AbTextRun *run,
                            gpointer         user_data);

/* ab_render_design, limited to the components in @subset (and the
 * connections among them) when it is not NULL; text goes to @sink
 * instead of being drawn when @sink is not NULL. */
void        ab_render_design_full   (cairo_t               *cr,
                                     AbDesign              *design,
                                     const AbRenderOptions *options,
                                     const AbRect          *clip,
                                     const char * const    *subset,
                                     AbTextSink             sink,
                                     gpointer               sink_data);

/* Exports: TRUE when the diagram (or the components in @subset) has
 * both synchronous and asynchronous connections, so a legend says which
 * line is which. */
gboolean    ab_render_legend_needed (AbDesign              *design,
                                     const char * const    *subset);
/* Size of the legend in design units. */
void        ab_render_legend_size   (double                *width,
                                     double                *height);
/* Draws the legend (a solid and a dashed sample with their names) with
 * its top-left corner at (x, y) in design coordinates. */
void        ab_render_legend        (cairo_t               *cr,
                                     const AbRenderOptions *options,
                                     double                 x,
                                     double                 y,
                                     AbTextSink             sink,
                                     gpointer               sink_data);

/* A search for channel positions (the edges of the cards between two
 * ends) looks at this many cards at most. */
#define AB_RENDER_CHANNEL_SCAN_MAX 1024

/* What the router did in the calling thread since it started, for the
 * tests that keep it linear in the size of a design. */
typedef struct {
  guint64 channel_cards;  /* cards looked at for channel positions */
  guint64 sort_steps;     /* steps of ordering a cluster of segments */
  guint64 cluster_segs;   /* segments seen in clusters on one line */
} AbRouteWork;

void        ab_render_route_work    (AbRouteWork           *out);

/* ab_render_foreach_route over the scene of the components in @subset
 * (all when NULL), as ab_render_design_full draws it. */
void        ab_render_foreach_route_full (AbDesign           *design,
                                          const char * const *subset,
                                          const char * const *connection_ids,
                                          AbRouteFunc         func,
                                          gpointer            user_data);

/* The font family list the diagram uses (CSS / pango syntax). */
const char *ab_render_font_family   (void);

G_END_DECLS
