/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Vector glyphs for the component kinds, drawn with cairo paths on a
 * 24 x 24 grid so they stay crisp at any zoom and in every export. */
#define G_LOG_DOMAIN "archboard-render"

#include "config.h"

#include <math.h>

#include "ab-render.h"

static void
set_rgba (cairo_t *cr, const double rgba[4], double alpha_factor)
{
  cairo_set_source_rgba (cr, rgba[0], rgba[1], rgba[2], rgba[3] * alpha_factor);
}

static void
rounded_rect (cairo_t *cr, double x, double y, double w, double h, double r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
ellipse (cairo_t *cr, double cx, double cy, double rx, double ry,
         double from, double to)
{
  cairo_save (cr);
  cairo_translate (cr, cx, cy);
  cairo_scale (cr, rx, ry);
  cairo_arc (cr, 0, 0, 1, from, to);
  cairo_restore (cr);
}

/* The lower half of an ellipse, from its left point to its right point. */
static void
ellipse_lower (cairo_t *cr, double cx, double cy, double rx, double ry)
{
  cairo_save (cr);
  cairo_translate (cr, cx, cy);
  cairo_scale (cr, rx, ry);
  cairo_arc_negative (cr, 0, 0, 1, G_PI, 0);
  cairo_restore (cr);
}

/* A database cylinder: top ellipse, sides, bottom half ellipse, one band. */
static void
cylinder (cairo_t *cr, double cx, double top, double rx, double ry, double height,
          const double fg[4], const double bg[4], gboolean occlude)
{
  double bottom = top + height;

  if (occlude)
    {
      cairo_new_path (cr);
      ellipse (cr, cx, top, rx, ry, G_PI, 2 * G_PI);
      ellipse (cr, cx, bottom, rx, ry, 0, G_PI);
      cairo_close_path (cr);
      set_rgba (cr, bg, 1.0);
      cairo_fill (cr);
    }

  cairo_new_path (cr);
  ellipse (cr, cx, top, rx, ry, 0, 2 * G_PI);
  cairo_close_path (cr);
  set_rgba (cr, fg, 0.25);
  cairo_fill_preserve (cr);
  set_rgba (cr, fg, 1.0);
  cairo_stroke (cr);

  cairo_move_to (cr, cx - rx, top);
  cairo_line_to (cr, cx - rx, bottom);
  ellipse_lower (cr, cx, bottom, rx, ry);
  cairo_line_to (cr, cx + rx, top);
  cairo_stroke (cr);

  cairo_new_path (cr);
  ellipse_lower (cr, cx, top + height / 2, rx, ry);
  cairo_stroke (cr);
}

static void
gear (cairo_t *cr, double cx, double cy, double r_out, double r_in, int teeth)
{
  double step = 2 * G_PI / teeth;

  cairo_new_path (cr);
  for (int i = 0; i < teeth; i++)
    {
      double a = i * step - G_PI / 2;
      double t0 = a - step * 0.22, t1 = a + step * 0.22;
      double v0 = a + step * 0.30, v1 = a + step * 0.70;

      if (i == 0)
        cairo_move_to (cr, cx + r_out * cos (t0), cy + r_out * sin (t0));
      else
        cairo_line_to (cr, cx + r_out * cos (t0), cy + r_out * sin (t0));
      cairo_line_to (cr, cx + r_out * cos (t1), cy + r_out * sin (t1));
      cairo_line_to (cr, cx + r_in * cos (v0), cy + r_in * sin (v0));
      cairo_arc (cr, cx, cy, r_in, v0, v1);
    }
  cairo_close_path (cr);
}

void
ab_render_kind_glyph (cairo_t      *cr,
                      AbKind        kind,
                      double        x,
                      double        y,
                      double        size,
                      const double  fg[4],
                      const double  bg[4])
{
  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, size / 24.0, size / 24.0);
  cairo_set_line_width (cr, 1.9);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_new_path (cr);
  set_rgba (cr, fg, 1.0);

  switch (kind)
    {
    case AB_KIND_CLIENT:
      rounded_rect (cr, 2.5, 4, 19, 13, 2.2);
      set_rgba (cr, fg, 0.2);
      cairo_fill_preserve (cr);
      set_rgba (cr, fg, 1.0);
      cairo_stroke (cr);
      cairo_move_to (cr, 12, 17);
      cairo_line_to (cr, 12, 20.5);
      cairo_move_to (cr, 8, 20.5);
      cairo_line_to (cr, 16, 20.5);
      cairo_stroke (cr);
      break;

    case AB_KIND_LB:
      {
        static const double ends[3] = { 5, 12, 19 };

        for (int i = 0; i < 3; i++)
          {
            cairo_move_to (cr, 6.5, 12);
            cairo_curve_to (cr, 11, 12, 11, ends[i], 16.5, ends[i]);
          }
        cairo_stroke (cr);
        cairo_new_path (cr);
        cairo_arc (cr, 4.5, 12, 2.6, 0, 2 * G_PI);
        cairo_fill (cr);
        for (int i = 0; i < 3; i++)
          {
            cairo_new_path (cr);
            cairo_arc (cr, 19.5, ends[i], 2.3, 0, 2 * G_PI);
            cairo_fill (cr);
          }
      }
      break;

    case AB_KIND_APP:
      rounded_rect (cr, 2.5, 3.5, 19, 17, 3);
      cairo_stroke (cr);
      cairo_rectangle (cr, 3.5, 4.5, 17, 3.5);
      set_rgba (cr, fg, 0.3);
      cairo_fill (cr);
      set_rgba (cr, fg, 1.0);
      cairo_move_to (cr, 2.5, 8.5);
      cairo_line_to (cr, 21.5, 8.5);
      cairo_move_to (cr, 9.5, 11.5);
      cairo_line_to (cr, 7, 14.25);
      cairo_line_to (cr, 9.5, 17);
      cairo_move_to (cr, 14.5, 11.5);
      cairo_line_to (cr, 17, 14.25);
      cairo_line_to (cr, 14.5, 17);
      cairo_stroke (cr);
      break;

    case AB_KIND_DB_PRIMARY:
      cylinder (cr, 12, 5.5, 8, 2.8, 13, fg, bg, FALSE);
      break;

    case AB_KIND_DB_REPLICA:
      cylinder (cr, 14.5, 4, 6.5, 2.3, 11, fg, bg, FALSE);
      cylinder (cr, 9.5, 9, 6.5, 2.3, 11, fg, bg, TRUE);
      break;

    case AB_KIND_CACHE:
      cairo_move_to (cr, 13.5, 2);
      cairo_line_to (cr, 5, 13.5);
      cairo_line_to (cr, 11.5, 13.5);
      cairo_line_to (cr, 10.5, 22);
      cairo_line_to (cr, 19, 10.5);
      cairo_line_to (cr, 12.5, 10.5);
      cairo_close_path (cr);
      set_rgba (cr, fg, 0.3);
      cairo_fill_preserve (cr);
      set_rgba (cr, fg, 1.0);
      cairo_stroke (cr);
      break;

    case AB_KIND_QUEUE:
      rounded_rect (cr, 2, 6.5, 20, 11, 3);
      cairo_stroke (cr);
      for (int i = 0; i < 3; i++)
        rounded_rect (cr, 5 + i * 5.2, 9.5, 3.6, 5, 1);
      cairo_fill (cr);
      break;

    case AB_KIND_WORKER:
      gear (cr, 12, 12, 9.5, 7, 8);
      set_rgba (cr, fg, 0.25);
      cairo_fill_preserve (cr);
      set_rgba (cr, fg, 1.0);
      cairo_stroke (cr);
      cairo_new_path (cr);
      cairo_arc (cr, 12, 12, 3, 0, 2 * G_PI);
      cairo_stroke (cr);
      break;

    case AB_KIND_STORAGE:
      rounded_rect (cr, 2.5, 4.5, 19, 15, 3);
      cairo_stroke (cr);
      cairo_move_to (cr, 2.5, 12);
      cairo_line_to (cr, 21.5, 12);
      cairo_move_to (cr, 6, 15.75);
      cairo_line_to (cr, 11, 15.75);
      cairo_move_to (cr, 6, 8.25);
      cairo_line_to (cr, 11, 8.25);
      cairo_stroke (cr);
      cairo_arc (cr, 17.5, 15.75, 1.3, 0, 2 * G_PI);
      cairo_fill (cr);
      cairo_arc (cr, 17.5, 8.25, 1.3, 0, 2 * G_PI);
      cairo_fill (cr);
      break;

    case AB_KIND_STREAM:
      for (int row = 0; row < 3; row++)
        {
          double cy = 6 + row * 6;

          cairo_move_to (cr, 2.5, cy);
          for (int i = 0; i < 2; i++)
            {
              double x0 = 2.5 + i * 9.5;

              cairo_curve_to (cr, x0 + 2.4, cy - 3.2, x0 + 4.75, cy - 3.2, x0 + 4.75, cy);
              cairo_curve_to (cr, x0 + 4.75, cy + 3.2, x0 + 7.1, cy + 3.2, x0 + 9.5, cy);
            }
        }
      cairo_stroke (cr);
      break;

    case AB_KIND_CDN:
      cairo_arc (cr, 12, 12, 9.5, 0, 2 * G_PI);
      set_rgba (cr, fg, 0.2);
      cairo_fill_preserve (cr);
      set_rgba (cr, fg, 1.0);
      cairo_stroke (cr);
      ellipse (cr, 12, 12, 4.2, 9.5, 0, 2 * G_PI);
      cairo_stroke (cr);
      cairo_move_to (cr, 2.5, 12);
      cairo_line_to (cr, 21.5, 12);
      cairo_move_to (cr, 4, 7.2);
      cairo_line_to (cr, 20, 7.2);
      cairo_move_to (cr, 4, 16.8);
      cairo_line_to (cr, 20, 16.8);
      cairo_stroke (cr);
      break;

    case AB_KIND_SEARCH:
      cairo_arc (cr, 10, 10, 6.5, 0, 2 * G_PI);
      set_rgba (cr, fg, 0.2);
      cairo_fill_preserve (cr);
      set_rgba (cr, fg, 1.0);
      cairo_stroke (cr);
      cairo_set_line_width (cr, 2.8);
      cairo_move_to (cr, 15, 15);
      cairo_line_to (cr, 20.5, 20.5);
      cairo_stroke (cr);
      break;

    case AB_KIND_OBJECT_STORE:
      cairo_new_path (cr);
      ellipse (cr, 12, 6, 8.5, 2.8, 0, 2 * G_PI);
      cairo_close_path (cr);
      set_rgba (cr, fg, 0.25);
      cairo_fill_preserve (cr);
      set_rgba (cr, fg, 1.0);
      cairo_stroke (cr);
      cairo_move_to (cr, 3.5, 6);
      cairo_line_to (cr, 6.5, 19);
      ellipse_lower (cr, 12, 19, 5.5, 2.2);
      cairo_line_to (cr, 20.5, 6);
      cairo_stroke (cr);
      break;

    case AB_KIND_INVALID:
    case AB_N_KINDS:
    default:
      rounded_rect (cr, 4, 4, 16, 16, 3);
      cairo_stroke (cr);
      break;
    }

  cairo_restore (cr);
}
