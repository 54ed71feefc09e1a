/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Draws a design onto any cairo_t: the canvas widget, PNG / SVG / PDF
 * export and archboard-cli all go through here, so they look the same.
 * Also owns the diagram geometry (card sizes, ports, connection routes)
 * and hit testing, so the canvas and the renderer never disagree. */
#pragma once

#include <cairo.h>

#include "ab-design.h"

G_BEGIN_DECLS

#define AB_CARD_WIDTH  160.0
#define AB_CARD_HEIGHT  64.0
#define AB_GRID_SIZE    16.0

typedef struct {
  double x, y, width, height;
} AbRect;

typedef struct {
  gboolean    dark;          /* dark palette */
  gboolean    transparent;   /* no background fill */
  gboolean    draw_grid;     /* dotted grid (canvas only) */
  gboolean    high_contrast;
  double      text_scale;    /* 1.0; presentation mode uses more */
  /* Slide-ready (exports, presentation): no ports or other editing
   * chrome; selection, focus and hover are ignored. */
  gboolean    slide;
  GHashTable *selected;      /* set of component / connection ids, or NULL */
  const char *focused;       /* keyboard focus id, or NULL */
  const char *hovered;       /* id under the pointer, or NULL */
  /* Live move preview: components in @selected drawn offset by (dx, dy). */
  double      drag_dx, drag_dy;
  gboolean    dragging;
  /* Optional per-component overlay from the simulation, may be NULL:
   * id -> double* utilisation (0..1+, the value points to a double), and
   * the bottleneck id. */
  GHashTable *utilization;
  const char *bottleneck;
  /* Optional per-connection label override (id -> char*: "1.2k rps"). */
  GHashTable *edge_rates;
  /* Optional simulation states (may be NULL): components that receive no
   * traffic, id -> reason (char*), drawn faded with the reason under the
   * card; components lost in the scenario's failure phase (id -> any),
   * drawn greyed with a note. */
  GHashTable *dimmed;
  GHashTable *failed;
  /* For a recording surface (gtk_snapshot_append_cairo records): the
   * scale it will be replayed at, i.e. gtk_widget_get_scale_factor ().
   * When set (>= 1) card bodies are drawn from cached bitmaps at that
   * resolution, which is several times faster; when 0 they are drawn as
   * paths.  Ignored for other surfaces. */
  double      device_scale;
} AbRenderOptions;

void     ab_render_options_init   (AbRenderOptions *options);

/* Draws in design coordinates: the caller sets the cairo transform
 * (zoom / pan).  @clip, in design coordinates, limits work to what is
 * visible (NULL = everything). */
void     ab_render_design         (cairo_t               *cr,
                                   AbDesign              *design,
                                   const AbRenderOptions *options,
                                   const AbRect          *clip);

/* Card rectangle of a component (design coordinates). */
void     ab_render_component_rect (const AbComponent     *component,
                                   AbRect                *out);
/* Presentation slides: the largest text scale, from @text_scale down in
 * steps of 1/8 but not below @min_scale, at which the card label of every
 * component in @ids (all when NULL) is shown whole, on at most two lines
 * within its card ("Customers", not "Cust…").  @min_scale when none. */
double   ab_render_slide_text_scale (AbDesign            *design,
                                     const char * const  *ids,
                                     double               text_scale,
                                     double               min_scale);
/* Bounding box of the given components (all when @ids is NULL), including
 * connection labels; FALSE if empty. */
gboolean ab_render_bounds         (AbDesign              *design,
                                   const char * const    *ids,
                                   AbRect                *out);

typedef enum {
  AB_HIT_NONE,
  AB_HIT_COMPONENT,
  AB_HIT_PORT,        /* the output port of a component: start a connection */
  AB_HIT_CONNECTION
} AbHitKind;

/* What is at (x, y) in design coordinates; *id is the component or
 * connection id (owned by the design). */
AbHitKind ab_render_hit_test      (AbDesign              *design,
                                   double                 x,
                                   double                 y,
                                   const char           **id);

/* Polyline of a connection's route in design coordinates (array of
 * doubles x0,y0,x1,y1,...); free with g_free. */
double  *ab_render_connection_route (AbDesign            *design,
                                     const AbConnection  *connection,
                                     guint               *n_points);

typedef void (*AbRouteFunc) (const AbConnection *connection,
                             const double       *points,
                             guint               n_points,
                             gpointer            user_data);

/* The routes of the connections named in @connection_ids (all when NULL),
 * computed from one scene: much cheaper than ab_render_connection_route
 * once per connection on a large design.  @func gets each route. */
void     ab_render_foreach_route  (AbDesign              *design,
                                   const char * const    *connection_ids,
                                   AbRouteFunc            func,
                                   gpointer               user_data);

/* The vector glyph of a kind in a @size x @size square at (x, y): strokes
 * in @fg, occluding fills in @bg (RGBA 0..1).  The palette can use it too. */
void     ab_render_kind_glyph     (cairo_t               *cr,
                                   AbKind                 kind,
                                   double                 x,
                                   double                 y,
                                   double                 size,
                                   const double           fg[4],
                                   const double           bg[4]);

/* A kind's tile as cards draw it (tinted rounded square and glyph in the
 * kind colour, readable in @options' theme), @size x @size at (x, y);
 * opaque, so the palette can show it on any background.  @options may be
 * NULL (light theme). */
void     ab_render_kind_tile      (cairo_t               *cr,
                                   AbKind                 kind,
                                   double                 x,
                                   double                 y,
                                   double                 size,
                                   const AbRenderOptions *options);

/* What the last ab_render_design call in this thread drew (after culling). */
typedef struct {
  guint components;
  guint connections;
} AbRenderStats;

void     ab_render_get_stats      (AbRenderStats         *out);

G_END_DECLS
