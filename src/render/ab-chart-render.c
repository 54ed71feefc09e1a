/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Simulation charts: see ab-chart-render.h.  Layout: a plot rectangle
 * inside margins for the axis labels; x is simulated time over the whole
 * scenario (so a run in progress fills in from the left); latency on a
 * log scale (an overloaded design's waits are thousands of times a
 * healthy one's), the others linear from zero. */
#define G_LOG_DOMAIN "archboard-render"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>

#include "ab-format.h"
#include "ab-chart-render.h"
#include "ab-sim-api.h"

#define MARGIN_LEFT   52.0
#define MARGIN_RIGHT  10.0
#define MARGIN_TOP    22.0
#define MARGIN_BOTTOM 20.0

typedef struct {
  double r, g, b;
} Rgb;

/* Series colours (GNOME palette), readable on light and dark. */
static const Rgb series_colors[] = {
  { 0.21, 0.52, 0.89 },   /* blue 3 */
  { 0.18, 0.76, 0.49 },   /* green 4 */
  { 0.90, 0.65, 0.04 },   /* yellow 5 */
  { 0.75, 0.38, 0.84 },   /* purple 2 */
  { 0.95, 0.47, 0.20 },   /* orange 3 */
  { 0.40, 0.71, 0.76 },   /* teal-ish */
  { 0.60, 0.46, 0.35 },   /* brown 2 */
  { 0.88, 0.11, 0.14 },   /* red 3 */
};

static const Rgb error_color = { 0.88, 0.11, 0.14 };
/* The target's line and name on a dark chart: red 3 reads at 3.2:1 on
 * the dark backing, the dark theme's error red (#ff7b63) at 6:1. */
static const Rgb error_color_dark = { 1.0, 0.48, 0.39 };
/* The target's name on a light chart: red 3 at 4.4:1 on its backing,
 * the light theme's error red (#c01c28) at 6:1. */
static const Rgb error_text_light = { 0.75, 0.11, 0.16 };

typedef struct {
  cairo_t           *cr;
  const AbChartData *data;
  AbChartKind        kind;
  double             width, height;
  double             x0, y0, w, h;    /* plot rectangle */
  double             t_max;
  double             title_end;       /* x where the title ends */
  double             v_min, v_max;
  gboolean           log_y;
  Rgb                fg;
} Chart;

void
ab_chart_data_init (AbChartData *data)
{
  memset (data, 0, sizeof *data);
  data->hover_t = NAN;
}

const char *
ab_chart_title (AbChartKind kind)
{
  switch (kind)
    {
    case AB_CHART_LATENCY:
      return _("Latency");
    case AB_CHART_THROUGHPUT:
      return _("Throughput");
    case AB_CHART_COST:
      return _("Cost per Hour");
    case AB_CHART_INSTANCES:
      return _("Instances");
    case AB_N_CHARTS:
    default:
      return "";
    }
}

gboolean
ab_chart_latency_target (const AbSimSummary *summary,
                         double             *bound_ms,
                         const char        **label)
{
  if (summary == NULL)
    return FALSE;
  for (guint i = 0; i < summary->checks->len; i++)
    {
      const AbCheck *check = g_ptr_array_index (summary->checks, i);

      if (g_strcmp0 (check->unit, "ms") == 0 && isfinite (check->bound))
        {
          *bound_ms = check->bound;
          if (label != NULL)
            *label = check->target;
          return TRUE;
        }
    }
  return FALSE;
}

static double
timeline_length (const AbChartData *data)
{
  double t = data->setup != NULL ? ab_scenario_duration (ab_sim_setup_get_scenario (data->setup)) : 0.0;

  return t > 0.0 ? t : 1.0;
}

static double
x_of (Chart  *c,
      double  t)
{
  return c->x0 + c->w * CLAMP (t / c->t_max, 0.0, 1.0);
}

static double
y_of (Chart  *c,
      double  v)
{
  double f;

  if (c->log_y)
    {
      v = MAX (v, c->v_min);
      f = (log10 (v) - log10 (c->v_min)) / (log10 (c->v_max) - log10 (c->v_min));
    }
  else
    f = (v - c->v_min) / (c->v_max - c->v_min);
  return c->y0 + c->h * (1.0 - CLAMP (f, 0.0, 1.0));
}

static void
set_rgb (cairo_t   *cr,
         const Rgb *c,
         double     alpha)
{
  cairo_set_source_rgba (cr, c->r, c->g, c->b, alpha);
}

/* Returns the text's width. */
static double
draw_text (Chart      *c,
           const char *text,
           double      x,
           double      y,
           double      xalign,   /* 0 left, 0.5 centre, 1 right of x */
           double      yalign,
           gboolean    bold)
{
  PangoLayout *layout = pango_cairo_create_layout (c->cr);
  PangoFontDescription *desc = pango_font_description_from_string (bold ? "Sans Bold 8" : "Sans 8");
  int w, h;

  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (c->cr, x - xalign * w, y - yalign * h);
  pango_cairo_show_layout (c->cr, layout);
  pango_font_description_free (desc);
  g_object_unref (layout);
  return w;
}

/* The width draw_text would take. */
static int
text_width (Chart      *c,
            const char *text)
{
  PangoLayout *layout = pango_cairo_create_layout (c->cr);
  PangoFontDescription *desc = pango_font_description_from_string ("Sans 8");
  int w, h;

  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  pango_font_description_free (desc);
  g_object_unref (layout);
  return w;
}

char *
ab_chart_fit_label (cairo_t    *cr,
                    const char *text,
                    double      max_width)
{
  Chart c = { .cr = cr };
  g_autofree char *fitted = NULL;
  const char *end;

  g_return_val_if_fail (cr != NULL && text != NULL, NULL);

  if (text_width (&c, text) <= max_width)
    return g_strdup (text);
  /* drop whole words from the end until the rest and "…" fit */
  end = text + strlen (text);
  while (end > text)
    {
      const char *space = NULL;

      for (const char *p = text; p < end; p = g_utf8_next_char (p))
        if (*p == ' ')
          space = p;
      if (space == NULL)
        break;
      /* no "for …": the words before end with a space trimmed */
      end = space;
      while (end > text && end[-1] == ' ')
        end--;
      if (end == text)
        break;
      g_free (fitted);
      fitted = g_strdup_printf ("%.*s…", (int) (end - text), text);
      if (text_width (&c, fitted) <= max_width)
        return g_steal_pointer (&fitted);
    }
  return NULL;
}

/* An axis figure without an exponent: "850", "40k", "2.5M", "1.2G". */
static char *
compact_number (double v)
{
  static const struct { double scale; const char *suffix; } units[] = {
    { 1e9, "G" }, { 1e6, "M" }, { 1e3, "k" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (fabs (v) >= units[i].scale)
      return g_strdup_printf ("%.3g%s", v / units[i].scale, units[i].suffix);
  return g_strdup_printf ("%.3g", v);
}

char *
ab_chart_axis_label (AbChartKind kind,
                     double      v)
{
  switch (kind)
    {
    case AB_CHART_LATENCY:
      if (v >= 1000.0)
        return g_strdup_printf ("%.3g s", v / 1000.0);
      return g_strdup_printf ("%.3g ms", v);
    case AB_CHART_THROUGHPUT:
      /* in the words of the hover text, the canvas and the panels
       * ("15k/s", German "15 k/s") */
      return ab_format_rate_short (v);
    case AB_CHART_COST:
      {
        g_autofree char *amount = compact_number (v);

        /* the sign where the user's language puts it, as everywhere
         * else in the app ("$40k", German "40k $" beside "26.929,45 $"
         * in the hover text) */
        return g_strdup_printf (_("$%s"), amount);
      }
    case AB_CHART_INSTANCES:
    case AB_N_CHARTS:
    default:
      return compact_number (v);
    }
}

/* 1, 2, 5 x 10^k step giving about @n ticks over [lo, hi]. */
static double
nice_step (double lo,
           double hi,
           int    n)
{
  double raw = (hi - lo) / MAX (n, 1);
  double mag = pow (10.0, floor (log10 (raw)));
  double f = raw / mag;

  if (f <= 1.0)
    return mag;
  if (f <= 2.0)
    return 2.0 * mag;
  if (f <= 5.0)
    return 5.0 * mag;
  return 10.0 * mag;
}

static const AbSimPoint *
point (GPtrArray *points,
       guint      i)
{
  return g_ptr_array_index (points, i);
}

static double
stack_total (AbChartKind       kind,
             const AbSimPoint *pt)
{
  double total = 0.0;

  for (guint s = 0; s < pt->n_stations; s++)
    total += kind == AB_CHART_COST ? pt->cost_per_hour_by[s] : pt->instances[s];
  return total;
}

static void
value_range (Chart       *c,
             AbChartKind  kind,
             GPtrArray   *points,
             double      *lo,
             double      *hi)
{
  if (points == NULL)
    return;
  for (guint i = 0; i < points->len; i++)
    {
      const AbSimPoint *pt = point (points, i);

      switch (kind)
        {
        case AB_CHART_LATENCY:
          {
            double v[] = { pt->p50_ms, pt->p95_ms, pt->p99_ms };

            for (guint k = 0; k < G_N_ELEMENTS (v); k++)
              if (isfinite (v[k]) && v[k] > 0.0)
                {
                  *lo = MIN (*lo, v[k]);
                  *hi = MAX (*hi, v[k]);
                }
          }
          break;
        case AB_CHART_THROUGHPUT:
          *hi = MAX (*hi, MAX (pt->offered_rps, MAX (pt->served_rps, pt->errors_rps)));
          break;
        case AB_CHART_COST:
        case AB_CHART_INSTANCES:
          *hi = MAX (*hi, stack_total (kind, pt));
          break;
        case AB_N_CHARTS:
        default:
          break;
        }
    }
}

static GArray *chart_marks (Chart       *c,
                            AbChartKind  kind);
static GArray *data_marks (Chart       *c,
                           AbChartKind  kind);
static double overlap (const AbChartRect *r,
                       const AbChartMark *m);
static gboolean target_label_rect (Chart        *c,
                                   const char   *label,
                                   double        y,
                                   char        **text,
                                   AbChartRect  *rect);

/* The height of a row of the charts' label font (the phases' names). */
static double
label_row_height (cairo_t *cr)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string ("Sans 8");
  int height;

  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, "Ag", -1);
  pango_layout_get_pixel_size (layout, NULL, &height);
  pango_font_description_free (desc);
  g_object_unref (layout);
  return height;
}

static void
phase_label_clear (gpointer data)
{
  AbChartPhaseLabel *label = data;

  g_clear_pointer (&label->text, g_free);
}

static gboolean
rects_overlap (const AbChartRect *a,
               const AbChartRect *b,
               double             gap)
{
  return a->x < b->x + b->width + gap && b->x < a->x + a->width + gap &&
         a->y < b->y + b->height && b->y < a->y + a->height;
}

/* The translated short form of a phase the app names (the names
 * ab_scenario_phase_label() translates), for a band too narrow for the
 * whole name; NULL for any other name (a phase a test or a future file
 * names itself). */
const char *
ab_chart_phase_short_label (const char *name)
{
  static const struct { const char *name, *label; } shorts[] = {
    /* TRANSLATORS: the short forms of the simulation phases' names, for
     * a chart's band too narrow for the whole name (at 1366 x 768 the
     * normal phase's band is about 30 pixels wide, about five narrow
     * letters; the peak's 60, the ramps' 22): what a reader of your
     * language recognises as the phase, never cut further */
    { "normal", NC_("phase name, short", "nor.") },
    /* TRANSLATORS: short for "ramp-up", the load rising to the peak: an
     * arrow (or a word as narrow) */
    { "ramp-up", NC_("phase name, short", "↗") },
    /* TRANSLATORS: short for "peak" (already short in English) */
    { "peak", NC_("phase name, short", "peak") },
    /* TRANSLATORS: short for "ramp-down", the load falling back after
     * the peak: an arrow (or a word as narrow) */
    { "ramp-down", NC_("phase name, short", "↘") },
    { "failure", NC_("phase name, short", "fail.") },
    /* TRANSLATORS: short for "failed over" (the lost database's standby
     * has taken over) */
    { "failed-over", NC_("phase name, short", "f. over") },
    { "recovery", NC_("phase name, short", "recov.") },
  };

  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (shorts); i++)
    if (strcmp (shorts[i].name, name) == 0)
      return g_dpgettext2 (GETTEXT_PACKAGE, "phase name, short", shorts[i].label);
  return NULL;
}

/* Whether @c is a vowel of a Latin script (with or without accents:
 * "é", "ü"), y included. */
static gboolean
is_vowel (gunichar c)
{
  gunichar base[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
  gsize n = g_unichar_fully_decompose (g_unichar_tolower (c), FALSE, base, G_N_ELEMENTS (base));

  return n > 0 && base[0] < 0x80 && strchr ("aeiouy", (int) base[0]) != NULL;
}

/* A name without a short form (ab_chart_phase_short_label()) cut to its
 * first letters and ".", as many as fit in @max_width.  Where it is cut
 * follows how abbreviations are written (English "approx.", German
 * "Jahrh."): after a letter that is not a vowel, so never "recove." or
 * "Erholu." (a fragment ending in a vowel reads as a typo), and
 * preferably just before a vowel, the next syllable's consonants kept
 * ("recov.", "Erhol.", "drain."); only where no such cut fits, after any
 * other letter that is not a vowel.  Finding real syllables would need a
 * hyphenation dictionary per language; this is the part of that rule
 * that holds in the languages the app speaks.  At least three letters
 * stay and at least two go (the "." is about as wide as a letter, so
 * the cut is always narrower than the name); NULL when no cut fits.  In
 * the charts' font "…" is wider than two letters: never used here. */
char *
ab_chart_abbreviate (cairo_t    *cr,
                     const char *text,
                     double      max_width)
{
  Chart c = { .cr = cr };
  glong n;
  double whole;

  g_return_val_if_fail (cr != NULL && text != NULL, NULL);

  n = g_utf8_strlen (text, -1);
  whole = text_width (&c, text);
  for (int pass = 0; pass < 2; pass++)
    for (glong k = n - 2; k >= 3; k--)
      {
        const char *cut = g_utf8_offset_to_pointer (text, k);
        gunichar last = g_utf8_get_char (g_utf8_prev_char (cut));
        gunichar next = g_utf8_get_char (cut);
        g_autofree char *shown = NULL;

        if (!g_unichar_isalnum (last) || is_vowel (last))
          continue;
        /* first pass: only before a vowel (or where the word ends) */
        if (pass == 0 && g_unichar_isalpha (next) && !is_vowel (next))
          continue;
        shown = g_strdup_printf ("%.*s.", (int) (cut - text), text);
        if (text_width (&c, shown) <= max_width && text_width (&c, shown) < whole)
          return g_steal_pointer (&shown);
      }
  return NULL;
}

static int
longer_first (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const AbScenario *scenario = user_data;
  guint pa = *(const guint *) a, pb = *(const guint *) b;
  double da = g_array_index (scenario->phases, AbPhase, pa).duration_s;
  double db = g_array_index (scenario->phases, AbPhase, pb).duration_s;

  if (da != db)
    return da > db ? -1 : 1;
  return pa < pb ? -1 : pa > pb;
}

/* Where each phase's name goes.  A name that fits in its band is drawn
 * there, in the top row.  A name wider than its band (ramps and short
 * phases on a narrow chart, and longer words in other languages: German
 * "Spitzenlast") goes whole below the top row, centred on its band as far
 * as the plot allows, where it may reach over the neighbouring bands but
 * over no other name, no data and not the target's label.  Only where
 * those rows are taken too is the name shortened inside its band: to its
 * translated short form ("recov.", German "Erhol."; a ramp's is an arrow,
 * "↗" or "↘"), never cut further; only a name without a short form (a
 * phase the app does not make) is cut to its first letters and "."
 * (ab_chart_abbreviate(): "drain.").  Only where not even that fits is a
 * band left without a name (its phase still reads in the hover text).  No
 * name is ever cut at a band's edge. */
static GArray *
layout_phase_labels (Chart *c)
{
  const AbScenario *scenario = ab_sim_setup_get_scenario (c->data->setup);
  guint n = scenario->phases->len;
  GArray *labels = g_array_sized_new (FALSE, TRUE, sizeof (AbChartPhaseLabel), n);
  double left = c->x0 + 2.0, right = c->x0 + c->w - 2.0;
  double row_h, bound;
  const char *target = NULL;
  AbChartRect target_rect = { 0 };
  gboolean has_target = FALSE;
  g_autofree guint *order = NULL;
  g_autoptr(GArray) marks = chart_marks (c, c->kind);

  g_array_set_clear_func (labels, phase_label_clear);
  g_array_set_size (labels, n);
  row_h = label_row_height (c->cr);
  if (c->kind == AB_CHART_LATENCY && ab_chart_latency_target (c->data->summary, &bound, &target) &&
      target != NULL)
    {
      g_autofree char *text = NULL;

      has_target = target_label_rect (c, target, y_of (c, bound), &text, &target_rect);
    }

  /* whole, inside the band */
  for (guint p = 0; p < n; p++)
    {
      const AbPhase *phase = &g_array_index (scenario->phases, AbPhase, p);
      AbChartPhaseLabel *label = &g_array_index (labels, AbChartPhaseLabel, p);
      double start = ab_scenario_phase_start (scenario, p);
      double xa = x_of (c, start), xb = x_of (c, start + phase->duration_s);
      const char *name = ab_scenario_phase_label (phase->name);
      double w = text_width (c, name);

      if (w + 4.0 <= xb - xa)
        {
          label->text = g_strdup (name);
          label->rect = (AbChartRect) { (xa + xb - w) / 2.0, c->y0 + 2.0, w, row_h };
        }
    }
  /* whole, below the top row, where nothing is drawn there yet (no name,
   * no data, not the target's label), at most down to the plot's middle;
   * the longer phases first (the peak before the ramps beside it) */
  order = g_new (guint, n);
  for (guint i = 0; i < n; i++)
    order[i] = i;
  g_qsort_with_data (order, (gint) n, sizeof (guint), longer_first, (gpointer) scenario);
  for (guint i = 0; i < n; i++)
    {
      guint p = order[i];
      const AbPhase *phase = &g_array_index (scenario->phases, AbPhase, p);
      AbChartPhaseLabel *label = &g_array_index (labels, AbChartPhaseLabel, p);
      double start = ab_scenario_phase_start (scenario, p);
      double xa = x_of (c, start), xb = x_of (c, start + phase->duration_s);
      const char *name = ab_scenario_phase_label (phase->name);
      double w = text_width (c, name);
      double x = CLAMP ((xa + xb - w) / 2.0, left, right - w);

      /* whole, and over the middle of its own band (centred on it where
       * the plot's edge allows) */
      if (label->text != NULL || w > right - left || x > (xa + xb) / 2.0 || x + w < (xa + xb) / 2.0)
        continue;
      /* from the second row down to the plot's middle, the first place
       * that is free */
      for (double y = c->y0 + 2.0 + row_h; y + row_h <= c->y0 + c->h / 2.0 && label->text == NULL; y += 1.0)
        {
          AbChartRect r = { x, y, w, row_h };
          gboolean room = TRUE;

          for (guint q = 0; q < n && room; q++)
            {
              const AbChartPhaseLabel *other = &g_array_index (labels, AbChartPhaseLabel, q);

              if (q != p && other->text != NULL && rects_overlap (&r, &other->rect, 8.0))
                room = FALSE;
            }
          if (room && has_target && rects_overlap (&r, &target_rect, 2.0))
            room = FALSE;
          /* nor over the data: there a shortened name in the top row
           * reads better than a whole one across the curves */
          for (guint m = 0; m < marks->len && room; m++)
            {
              const AbChartMark *mark = &g_array_index (marks, AbChartMark, m);

              if (mark->x_from < r.x + r.width && r.x < mark->x_to &&
                  mark->y_top - 2.0 < r.y + r.height && r.y < mark->y_bottom + 2.0)
                room = FALSE;
            }
          if (room)
            {
              label->text = g_strdup (name);
              label->rect = r;
            }
        }
    }
  /* shortened, inside the band */
  for (guint p = 0; p < n; p++)
    {
      const AbPhase *phase = &g_array_index (scenario->phases, AbPhase, p);
      AbChartPhaseLabel *label = &g_array_index (labels, AbChartPhaseLabel, p);
      double start = ab_scenario_phase_start (scenario, p);
      double xa = x_of (c, start), xb = x_of (c, start + phase->duration_s);
      const char *short_name = ab_chart_phase_short_label (phase->name);
      double w;

      if (label->text != NULL)
        continue;
      /* the translated short form ("recov.", "Erhol.", an arrow for a
       * ramp: a rising or falling load in any language) where it fits
       * in the band at all (the glyphs' own side bearings keep it off
       * the band's edges: "Nor." in the 22 pixels a failover timeline
       * leaves the normal phase at 1366 x 768); a name without one (a
       * phase a test names), its first letters and "." */
      if (short_name != NULL && text_width (c, short_name) <= xb - xa)
        label->text = g_strdup (short_name);
      else if (short_name == NULL)
        label->text = ab_chart_abbreviate (c->cr, ab_scenario_phase_label (phase->name), xb - xa - 2.0);
      if (label->text == NULL)
        continue;
      w = text_width (c, label->text);
      label->rect = (AbChartRect) { (xa + xb - w) / 2.0, c->y0 + 2.0, w, row_h };
    }
  return labels;
}

static void
draw_phases (Chart *c)
{
  const AbScenario *scenario = ab_sim_setup_get_scenario (c->data->setup);
  g_autoptr(GArray) labels = NULL;

  for (guint p = 0; p < scenario->phases->len; p++)
    {
      const AbPhase *phase = &g_array_index (scenario->phases, AbPhase, p);
      double start = ab_scenario_phase_start (scenario, p);
      double xa = x_of (c, start), xb = x_of (c, start + phase->duration_s);

      if (p % 2 == 1)
        {
          set_rgb (c->cr, &c->fg, 0.05);
          cairo_rectangle (c->cr, xa, c->y0, xb - xa, c->h);
          cairo_fill (c->cr);
        }
      if (g_str_has_prefix (phase->name, "failure") || g_str_equal (phase->name, "failed-over"))
        {
          set_rgb (c->cr, &error_color, 0.08);
          cairo_rectangle (c->cr, xa, c->y0, xb - xa, c->h);
          cairo_fill (c->cr);
        }
    }
  labels = layout_phase_labels (c);
  set_rgb (c->cr, &c->fg, 0.55);
  for (guint p = 0; p < labels->len; p++)
    {
      const AbChartPhaseLabel *label = &g_array_index (labels, AbChartPhaseLabel, p);

      if (label->text != NULL)
        draw_text (c, label->text, label->rect.x, label->rect.y, 0.0, 0.0, FALSE);
    }
}

/* A value axis label, right-aligned to the plot; one wider than the
 * margin ("2,500M/s") starts at the chart's edge rather than past it. */
static void
draw_y_label (Chart      *c,
              const char *label,
              double      y)
{
  double right = MAX (c->x0 - 4.0, text_width (c, label) + 1.0);

  draw_text (c, label, right, y, 1.0, 0.5, FALSE);
}

static void
draw_axes (Chart       *c,
           AbChartKind  kind)
{
  cairo_t *cr = c->cr;

  cairo_set_line_width (cr, 1.0);
  /* y grid and labels */
  if (c->log_y)
    {
      /* the decades in the range (the scale may reach past them) */
      for (double v = pow (10.0, ceil (log10 (c->v_min) - 1e-9)); v <= c->v_max * 1.0001; v *= 10.0)
        {
          double y = round (y_of (c, v)) + 0.5;
          g_autofree char *label = ab_chart_axis_label (kind, v);

          set_rgb (cr, &c->fg, 0.12);
          cairo_move_to (cr, c->x0, y);
          cairo_line_to (cr, c->x0 + c->w, y);
          cairo_stroke (cr);
          set_rgb (cr, &c->fg, 0.7);
          draw_y_label (c, label, y);
        }
    }
  else
    {
      double step = nice_step (c->v_min, c->v_max, 4);

      for (double v = c->v_min; v <= c->v_max * 1.0001; v += step)
        {
          double y = round (y_of (c, v)) + 0.5;
          g_autofree char *label = ab_chart_axis_label (kind, v);

          set_rgb (cr, &c->fg, 0.12);
          cairo_move_to (cr, c->x0, y);
          cairo_line_to (cr, c->x0 + c->w, y);
          cairo_stroke (cr);
          set_rgb (cr, &c->fg, 0.7);
          draw_y_label (c, label, y);
        }
    }
  /* x labels: seconds */
  {
    double step = nice_step (0.0, c->t_max, MAX (2, (int) (c->w / 80.0)));

    for (double t = 0.0; t <= c->t_max + 1e-9; t += step)
      {
        g_autofree char *label = g_strdup_printf ("%.0f s", t);
        double w = text_width (c, label);
        /* centred on its tick, the first from the plot's left edge; the
         * last ends inside the chart ("200 s" at the end of a 200 s
         * timeline would reach past the right margin and be cut) */
        double x = t == 0.0 ? x_of (c, t) : MIN (x_of (c, t) - w / 2.0, c->width - 2.0 - w);

        set_rgb (cr, &c->fg, 0.7);
        draw_text (c, label, x, c->y0 + c->h + 3.0, 0.0, 0.0, FALSE);
      }
  }
  /* frame */
  set_rgb (cr, &c->fg, 0.35);
  cairo_rectangle (cr, c->x0 + 0.5, c->y0 + 0.5, c->w - 1.0, c->h - 1.0);
  cairo_stroke (cr);
}

typedef double (*ValueFunc) (const AbSimPoint *pt);

static double get_p50 (const AbSimPoint *pt) { return pt->p50_ms; }
static double get_p95 (const AbSimPoint *pt) { return pt->p95_ms; }
static double get_p99 (const AbSimPoint *pt) { return pt->p99_ms; }
static double get_offered (const AbSimPoint *pt) { return pt->offered_rps; }
static double get_served (const AbSimPoint *pt) { return pt->served_rps; }

/* A line through the bucket midpoints; gaps where a value is missing. */
static void
draw_line (Chart      *c,
           GPtrArray  *points,
           ValueFunc   get,
           const Rgb  *color,
           double      width,
           gboolean    dashed)
{
  gboolean pen = FALSE;

  if (points == NULL)
    return;
  for (guint i = 0; i < points->len; i++)
    {
      const AbSimPoint *pt = point (points, i);
      double v = get (pt);
      double x = x_of (c, pt->t_s + pt->duration_s / 2.0);

      if (!isfinite (v) || (c->log_y && v <= 0.0))
        {
          pen = FALSE;
          continue;
        }
      if (pen)
        cairo_line_to (c->cr, x, y_of (c, v));
      else
        cairo_move_to (c->cr, x, y_of (c, v));
      pen = TRUE;
    }
  set_rgb (c->cr, color, 1.0);
  cairo_set_line_width (c->cr, width);
  cairo_set_line_join (c->cr, CAIRO_LINE_JOIN_ROUND);
  if (dashed)
    {
      static const double dash[] = { 4.0, 3.0 };
      cairo_set_dash (c->cr, dash, 2, 0.0);
    }
  cairo_stroke (c->cr);
  cairo_set_dash (c->cr, NULL, 0, 0.0);
}

/* What a legend names: the series' names and colours, in order. */
typedef struct {
  GPtrArray *names;    /* const char *, not owned */
  GArray    *colors;   /* Rgb */
} Legend;

static void
legend_clear (Legend *l)
{
  g_clear_pointer (&l->names, g_ptr_array_unref);
  g_clear_pointer (&l->colors, g_array_unref);
}

static void
legend_add (Legend     *l,
            const char *name,
            const Rgb  *color)
{
  g_ptr_array_add (l->names, (gpointer) name);
  g_array_append_val (l->colors, *color);
}

static void stacked_legend (Chart       *c,
                            AbChartKind  kind,
                            Legend      *l);

/* The series @kind's legend names, in the order it names them. */
static void
legend_series (Chart       *c,
               AbChartKind  kind,
               Legend      *l)
{
  l->names = g_ptr_array_new ();
  l->colors = g_array_new (FALSE, FALSE, sizeof (Rgb));
  switch (kind)
    {
    case AB_CHART_LATENCY:
      legend_add (l, "P50", &series_colors[1]);
      legend_add (l, "P95", &series_colors[0]);
      legend_add (l, "P99", &series_colors[3]);
      break;
    case AB_CHART_THROUGHPUT:
      legend_add (l, _("offered"), &series_colors[0]);
      legend_add (l, _("served"), &series_colors[1]);
      legend_add (l, _("errors"), &error_color);
      break;
    case AB_CHART_COST:
    case AB_CHART_INSTANCES:
      stacked_legend (c, kind, l);
      break;
    case AB_N_CHARTS:
    default:
      break;
    }
}

/* A legend's item: a colour square, 3 px, the name; 10 px between
 * items. */
#define LEGEND_SWATCH 12.0
#define LEGEND_GAP    10.0

/* How many of @l's first names the title row has room for beside the
 * title, with @more set to the text that says how many are left out
 * ("+2 more"), NULL when none are.  A series is never left out silently:
 * where not all fit, as many are named as leave room for the count of
 * the rest; where not even the count fits, the legend is left out. */
static guint
legend_fit (Chart   *c,
            Legend  *l,
            char   **more)
{
  double room = c->x0 + c->w - (c->title_end + 8.0);
  double used = 0.0;
  guint n = l->names->len;
  g_autofree double *widths = g_new0 (double, MAX (n, 1));

  *more = NULL;
  for (guint i = 0; i < n; i++)
    {
      widths[i] = LEGEND_SWATCH + text_width (c, g_ptr_array_index (l->names, i));
      used += widths[i] + (i > 0 ? LEGEND_GAP : 0.0);
    }
  if (used <= room)
    return n;
  for (guint k = n; k-- > 0;)
    {
      g_autofree char *text = NULL;

      used -= widths[k] + (k > 0 ? LEGEND_GAP : 0.0);
      /* Translators: the end of a chart's legend that has room for only
       * some of the series' names (the components in the cost chart):
       * how many it leaves out ("+2 more") */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "+%u more", "+%u more", n - k), n - k);
      if (used + (k > 0 ? LEGEND_GAP : 0.0) + text_width (c, text) <= room)
        {
          *more = g_steal_pointer (&text);
          return k;
        }
    }
  return 0;
}

/* The legend at the right end of the title row: as many of the series'
 * names as fit, each after its colour, then how many are left out. */
static void
draw_legend (Chart       *c,
             AbChartKind  kind)
{
  Legend l = { 0 };
  g_autofree char *more = NULL;
  guint k;
  double x, h = label_row_height (c->cr);

  legend_series (c, kind, &l);
  k = legend_fit (c, &l, &more);
  /* right-aligned: back from the plot's right edge to the first item */
  x = c->x0 + c->w;
  if (more != NULL)
    x -= text_width (c, more) + (k > 0 ? LEGEND_GAP : 0.0);
  for (guint i = 0; i < k; i++)
    x -= LEGEND_SWATCH + text_width (c, g_ptr_array_index (l.names, i)) + (i > 0 ? LEGEND_GAP : 0.0);
  for (guint i = 0; i < k; i++)
    {
      set_rgb (c->cr, &g_array_index (l.colors, Rgb, i), 1.0);
      cairo_rectangle (c->cr, x, 3.0 + h / 2.0 - 4.0, 9.0, 9.0);
      cairo_fill (c->cr);
      set_rgb (c->cr, &c->fg, 0.8);
      x += LEGEND_SWATCH + draw_text (c, g_ptr_array_index (l.names, i), x + LEGEND_SWATCH, 3.0, 0.0, 0.0, FALSE)
           + LEGEND_GAP;
    }
  if (more != NULL)
    {
      set_rgb (c->cr, &c->fg, 0.65);
      draw_text (c, more, x, 3.0, 0.0, 0.0, FALSE);
    }
  legend_clear (&l);
}

/* Whether the @n bytes at @word are a unit of time a target's figure
 * may carry ("50 ms", "1 s", "500 us"). */
static gboolean
is_time_unit (const char *word,
              gsize       n)
{
  static const char *const units[] = { "ms", "s", "us", "µs", "sec", "secs", "seconds", "min", "minutes" };

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (strlen (units[i]) == n && strncmp (word, units[i], n) == 0)
      return TRUE;
  return FALSE;
}

/* The first comparison of a target's text, "P95 < 50 ms" of "P95 < 50 ms
 * for queries" or "P99 < 5 ms same-region, < 50 ms cross-region": the
 * words up to the figure after the first "<" (or "≤") and its unit,
 * written after a space or not ("P95 < 50ms"), without the punctuation
 * after them; NULL when the text has no such comparison or is no longer
 * than that. */
static char *
short_comparison (const char *label)
{
  const char *sign = strstr (label, "<");
  const char *p, *end;

  if (sign == NULL)
    sign = strstr (label, "≤");
  if (sign == NULL)
    return NULL;
  p = g_utf8_next_char (sign);
  while (*p == ' ')
    p++;
  end = p;
  while (*end != '\0' && *end != ' ' && *end != ',' && *end != ';')
    end++;
  if (end == p)
    return NULL;
  /* the unit after a space: "50 ms", not "50" alone */
  if (*end == ' ')
    {
      const char *word = end + 1, *word_end = word;

      while (*word_end != '\0' && *word_end != ' ' && *word_end != ',' && *word_end != ';')
        word_end++;
      if (is_time_unit (word, (gsize) (word_end - word)))
        end = word_end;
    }
  if (*end == '\0')
    return NULL;
  return g_strndup (label, (gsize) (end - label));
}

/* A place for the target's name: which text, where, and how much of the
 * data it hides there. */
typedef struct {
  int         text;    /* -1: none yet */
  AbChartRect rect;
  double      over;
} TargetPlace;

/* Tries @text_index's text, @width wide, at @x above the target's line
 * at @y and below it: kept in @best where it hides less than the best so
 * far (so the first of equals).  Above needs room under the plot's top
 * row (the phases' names'), below room above the plot's bottom. */
static void
try_target_place (Chart       *c,
                  GArray      *marks,
                  int          text_index,
                  double       x,
                  double       width,
                  double       y,
                  TargetPlace *best)
{
  const double h = 13.0;
  double ys[] = { y - 1.0 - h, y + 2.0 };

  for (guint k = 0; k < G_N_ELEMENTS (ys) && best->over > 0.0; k++)
    {
      AbChartRect r = { x, ys[k], width, h };
      double over = 0.0;

      if (r.y < c->y0 + label_row_height (c->cr) + 2.0 || r.y + h > c->y0 + c->h - 1.0)
        continue;
      for (guint i = 0; i < marks->len; i++)
        over += overlap (&r, &g_array_index (marks, AbChartMark, i));
      if (over < best->over)
        *best = (TargetPlace) { text_index, r, over };
    }
}

/* Where the target's name goes: beside its line, at the line's right end
 * or its left end, above or below it, the first of those that hides none
 * of the curves (at the right end before the left, above before below;
 * the short phases a narrow chart names in a second row, normal and
 * ramp-up, are at the left).  Where every place the whole name can go
 * there hides some of the data (a P99 running just over the target under
 * the phases' row, with the P95 just under it), its first comparison
 * alone ("P95 < 50ms") where that hides none; else whichever of all
 * those hides the least (the first of equals).  FALSE when not even the
 * name's first word fits.  @text is what is drawn of @label. */
static gboolean
target_label_rect (Chart        *c,
                   const char   *label,
                   double        y,
                   char        **text,
                   AbChartRect  *rect)
{
  g_autoptr(GArray) marks = NULL;
  g_autofree char *whole = NULL;
  g_autofree char *brief = NULL;
  const char *texts[2];
  TargetPlace best = { -1, { 0 }, INFINITY };

  whole = ab_chart_fit_label (c->cr, label, c->w - 12.0);
  if (whole == NULL)
    return FALSE;
  brief = short_comparison (label);
  if (brief != NULL && (strcmp (brief, whole) == 0 || text_width (c, brief) >= text_width (c, whole)))
    g_clear_pointer (&brief, g_free);
  texts[0] = whole;
  texts[1] = brief;
  marks = data_marks (c, c->kind);
  for (guint t = 0; t < G_N_ELEMENTS (texts) && texts[t] != NULL && best.over > 0.0; t++)
    {
      double width = text_width (c, texts[t]) + 4.0;

      try_target_place (c, marks, (int) t, c->x0 + c->w - 2.0 - width, width, y, &best);
      try_target_place (c, marks, (int) t, c->x0 + 2.0, width, y, &best);
    }
  if (best.text < 0)
    {
      /* no room above or below (a plot lower than a label): at the right
       * end below the line, as ever */
      double width = text_width (c, whole) + 4.0;

      best = (TargetPlace) { 0, { c->x0 + c->w - 2.0 - width, y + 2.0, width, 13.0 }, 0.0 };
    }
  *rect = best.rect;
  *text = g_strdup (texts[best.text]);
  return TRUE;
}

/* The target's name beside its line (target_label_rect), on a backing
 * so that it reads over the curves where it must; whole words only,
 * shortened with "…" to the plot's width (a name cut mid-word reads as
 * another word). */
static void
draw_target_label (Chart      *c,
                   const char *label,
                   double      y)
{
  g_autofree char *text = NULL;
  AbChartRect r;

  if (!target_label_rect (c, label, y, &text, &r))
    return;
  if (c->data->dark)
    cairo_set_source_rgba (c->cr, 0.14, 0.14, 0.16, 0.75);
  else
    cairo_set_source_rgba (c->cr, 1.0, 1.0, 1.0, 0.75);
  cairo_rectangle (c->cr, r.x, r.y, r.width, r.height);
  cairo_fill (c->cr);
  set_rgb (c->cr, c->data->dark ? &error_color_dark : &error_text_light, 1.0);
  draw_text (c, text, r.x + 2.0, r.y + r.height, 0.0, 1.0, FALSE);
}

static void
draw_latency (Chart *c)
{
  const AbChartData *d = c->data;
  const Rgb colors[] = { series_colors[1], series_colors[0], series_colors[3] };
  double bound;
  const char *label = NULL;

  /* confidence band of each phase's P95 (DES only) */
  if (d->summary != NULL && d->summary->method == AB_SIM_METHOD_DES)
    for (guint p = 0; p < d->summary->n_phases; p++)
      {
        const AbSimPhase *ph = &d->summary->phases[p];
        const AbEstimate *e = &ph->latency[AB_N_CLASSES].p95_ms;

        if (e->ci_high > e->ci_low && isfinite (e->ci_low) && isfinite (e->ci_high))
          {
            /* the core's 95 % interval (asymmetric near zero) */
            double ya = y_of (c, e->ci_high), yb = y_of (c, MAX (e->ci_low, c->v_min));
            double xa = x_of (c, ph->start_s), xb = x_of (c, ph->start_s + ph->duration_s);

            set_rgb (c->cr, &series_colors[0], 0.18);
            cairo_rectangle (c->cr, xa, ya, xb - xa, yb - ya);
            cairo_fill (c->cr);
          }
      }

  draw_line (c, d->pinned, get_p95, &c->fg, 1.2, TRUE);
  draw_line (c, d->points, get_p50, &colors[0], 1.5, FALSE);
  draw_line (c, d->points, get_p95, &colors[1], 2.0, FALSE);
  draw_line (c, d->points, get_p99, &colors[2], 1.5, FALSE);

  if (ab_chart_latency_target (d->summary, &bound, &label))
    {
      static const double dash[] = { 6.0, 4.0 };
      double y = y_of (c, bound);

      set_rgb (c->cr, d->dark ? &error_color_dark : &error_color, 0.9);
      cairo_set_line_width (c->cr, 1.5);
      cairo_set_dash (c->cr, dash, 2, 0.0);
      cairo_move_to (c->cr, c->x0, y);
      cairo_line_to (c->cr, c->x0 + c->w, y);
      cairo_stroke (c->cr);
      cairo_set_dash (c->cr, NULL, 0, 0.0);
      if (label != NULL)
        draw_target_label (c, label, y);
    }
}

static void
draw_throughput (Chart *c)
{
  const AbChartData *d = c->data;
  const Rgb colors[] = { series_colors[0], series_colors[1], error_color };

  /* errors as a filled area from zero */
  if (d->points->len > 0)
    {
      cairo_move_to (c->cr, x_of (c, point (d->points, 0)->t_s), y_of (c, 0.0));
      for (guint i = 0; i < d->points->len; i++)
        {
          const AbSimPoint *pt = point (d->points, i);
          double v = isfinite (pt->errors_rps) ? pt->errors_rps : 0.0;

          cairo_line_to (c->cr, x_of (c, pt->t_s), y_of (c, v));
          cairo_line_to (c->cr, x_of (c, pt->t_s + pt->duration_s), y_of (c, v));
        }
      cairo_line_to (c->cr, x_of (c, point (d->points, d->points->len - 1)->t_s
                                       + point (d->points, d->points->len - 1)->duration_s),
                     y_of (c, 0.0));
      cairo_close_path (c->cr);
      set_rgb (c->cr, &error_color, 0.45);
      cairo_fill (c->cr);
    }
  draw_line (c, d->pinned, get_served, &c->fg, 1.2, TRUE);
  draw_line (c, d->points, get_offered, &colors[0], 1.5, TRUE);
  draw_line (c, d->points, get_served, &colors[1], 2.0, FALSE);
}

/* A stacked series' value at @pt. */
static double
stacked_value (AbChartKind       kind,
               const AbSimPoint *pt,
               guint             s)
{
  double v;

  if (s >= pt->n_stations)
    return 0.0;
  v = kind == AB_CHART_COST ? pt->cost_per_hour_by[s] : pt->instances[s];
  return isfinite (v) ? v : 0.0;
}

/* Whether station @s has any area in the stacked chart @kind. */
static gboolean
stacked_shown (Chart       *c,
               AbChartKind  kind,
               guint        s)
{
  for (guint i = 0; i < c->data->points->len; i++)
    if (stacked_value (kind, point (c->data->points, i), s) > 0.0)
      return TRUE;
  return FALSE;
}

typedef struct {
  guint  station;
  double total;     /* the series' area: value times seconds */
} LegendEntry;

static int
compare_legend_entries (gconstpointer a,
                        gconstpointer b)
{
  const LegendEntry *x = a, *y = b;

  if (x->total != y->total)
    return x->total > y->total ? -1 : 1;
  return x->station < y->station ? -1 : x->station > y->station ? 1 : 0;
}

/* The stacked chart's series, the largest areas first, so that where the
 * legend has room for only a few names (beside the title in a narrow
 * chart) it names what dominates the chart. */
static void
stacked_legend (Chart       *c,
                AbChartKind  kind,
                Legend      *l)
{
  const AbChartData *d = c->data;
  guint n = ab_sim_setup_get_network (d->setup)->n_stations;
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (LegendEntry));

  for (guint s = 0; s < n; s++)
    {
      LegendEntry e = { s, 0.0 };

      if (!stacked_shown (c, kind, s))
        continue;
      for (guint i = 0; i < d->points->len; i++)
        e.total += stacked_value (kind, point (d->points, i), s) * point (d->points, i)->duration_s;
      g_array_append_val (entries, e);
    }
  g_array_sort (entries, compare_legend_entries);
  for (guint i = 0; i < entries->len; i++)
    {
      guint s = g_array_index (entries, LegendEntry, i).station;

      legend_add (l, ab_sim_setup_get_label (d->setup, s), &series_colors[s % G_N_ELEMENTS (series_colors)]);
    }
}

static void
draw_stacked (Chart       *c,
              AbChartKind  kind)
{
  const AbChartData *d = c->data;
  const AbNetwork *network = ab_sim_setup_get_network (d->setup);
  guint n = network->n_stations;
  g_autofree double *base = NULL;

  if (d->points->len == 0)
    return;
  base = g_new0 (double, d->points->len);
  for (guint s = 0; s < n; s++)
    {
      const Rgb *color = &series_colors[s % G_N_ELEMENTS (series_colors)];

      if (!stacked_shown (c, kind, s))
        continue;

      /* top edge left to right, then the base right to left */
      for (guint i = 0; i < d->points->len; i++)
        {
          const AbSimPoint *pt = point (d->points, i);
          double top = base[i] + stacked_value (kind, pt, s);

          if (i == 0)
            cairo_move_to (c->cr, x_of (c, pt->t_s), y_of (c, top));
          cairo_line_to (c->cr, x_of (c, pt->t_s + pt->duration_s), y_of (c, top));
        }
      for (int i = (int) d->points->len - 1; i >= 0; i--)
        {
          const AbSimPoint *pt = point (d->points, (guint) i);

          cairo_line_to (c->cr, x_of (c, pt->t_s + pt->duration_s), y_of (c, base[i]));
          cairo_line_to (c->cr, x_of (c, pt->t_s), y_of (c, base[i]));
        }
      cairo_close_path (c->cr);
      set_rgb (c->cr, color, 0.75);
      cairo_fill (c->cr);
      for (guint i = 0; i < d->points->len; i++)
        base[i] += stacked_value (kind, point (d->points, i), s);
    }
}

/* ---- the hover readout: placed where it hides no data ---- */

/* The area of @r that lies over what @m covers (with a little room for
 * the width of a line). */
static double
overlap (const AbChartRect  *r,
         const AbChartMark  *m)
{
  const double pad = 2.0;
  double x_lo = MAX (r->x, m->x_from - pad), x_hi = MIN (r->x + r->width, m->x_to + pad);
  double y_lo = MAX (r->y, m->y_top - pad), y_hi = MIN (r->y + r->height, m->y_bottom + pad);

  if (x_hi <= x_lo || y_hi <= y_lo)
    return 0.0;
  return (x_hi - x_lo) * (y_hi - y_lo);
}

static AbChartRect
clamp_rect (const AbChartRect *bounds,
            double             x,
            double             y,
            double             width,
            double             height)
{
  AbChartRect r = { x, y, width, height };

  r.x = CLAMP (r.x, bounds->x, MAX (bounds->x + bounds->width - width, bounds->x));
  r.y = CLAMP (r.y, bounds->y, MAX (bounds->y + bounds->height - height, bounds->y));
  return r;
}

AbChartRect
ab_chart_place_readout (const AbChartRect *bounds,
                        const AbChartRect *plot,
                        const AbChartRect *header,
                        double             hover_x,
                        const AbChartMark *marks,
                        guint              n_marks,
                        double             width,
                        double             height)
{
  const double gap = 6.0;
  double hovered_top = INFINITY, hovered_bottom = -INFINITY;
  double xs[2], ys[4];
  AbChartRect candidates[2 * 4 + 1 + 2 + 1];
  guint n = 0, best = 0;
  double best_score = INFINITY;

  g_return_val_if_fail (bounds != NULL && plot != NULL && header != NULL, (AbChartRect) { 0 });
  g_return_val_if_fail (marks != NULL || n_marks == 0, (AbChartRect) { 0 });

  /* the data at the hovered point */
  for (guint i = 0; i < n_marks; i++)
    if (marks[i].x_from <= hover_x && hover_x <= marks[i].x_to)
      {
        hovered_top = MIN (hovered_top, marks[i].y_top);
        hovered_bottom = MAX (hovered_bottom, marks[i].y_bottom);
      }
  if (!(hovered_top <= hovered_bottom))
    hovered_top = hovered_bottom = plot->y + plot->height;

  /* beside the line, the side with room first (right, as one reads on) */
  xs[0] = hover_x + gap;
  xs[1] = hover_x - gap - width;
  if (xs[0] + width > plot->x + plot->width)
    {
      double t = xs[0];

      xs[0] = xs[1];
      xs[1] = t;
    }
  ys[0] = plot->y + 2.0;
  ys[1] = plot->y + plot->height - height - 2.0;
  ys[2] = hovered_top - gap - height;
  ys[3] = hovered_bottom + gap;
  for (guint j = 0; j < G_N_ELEMENTS (ys); j++)
    for (guint i = 0; i < G_N_ELEMENTS (xs); i++)
      {
        /* inside the plot, unless the box is taller than it */
        double y = CLAMP (ys[j], plot->y, MAX (plot->y + plot->height - height, plot->y));

        candidates[n++] = clamp_rect (bounds, xs[i], y, width, height);
      }
  /* the header strip, at its right end (over the legend) */
  candidates[n++] = clamp_rect (bounds, header->x + header->width - width, header->y, width, height);
  /* just above the data under it, reaching into the header strip as far
   * as it must (over the legend rather than the title where it can) */
  for (guint i = 0; i < G_N_ELEMENTS (xs); i++)
    {
      AbChartRect r = clamp_rect (bounds, xs[i], bounds->y, width, height);
      double top = plot->y + plot->height;

      for (guint m = 0; m < n_marks; m++)
        if (marks[m].x_from < r.x + r.width && r.x < marks[m].x_to)
          top = MIN (top, marks[m].y_top);
      candidates[n++] = clamp_rect (bounds, r.x, top - 3.0 - height, width, height);
    }
  /* over the plot's top edge and the header: the most room above the data */
  candidates[n++] = clamp_rect (bounds, xs[0], bounds->y, width, height);

  for (guint k = 0; k < n; k++)
    {
      const AbChartRect *r = &candidates[k];
      /* in the header strip only if it fits there */
      gboolean in_header = r->y + r->height <= header->y + header->height
                           && r->x >= header->x - 0.5;
      double covered = 0.0, score;

      for (guint i = 0; i < n_marks; i++)
        {
          double o = overlap (r, &marks[i]);

          /* hiding the data at the hovered point is the worst */
          covered += (marks[i].x_from <= hover_x && hover_x <= marks[i].x_to) ? 1e6 * o : o;
        }
      if (k == 2 * 4 && !in_header)
        continue;
      score = covered;
      if (score == 0.0)
        return *r;
      if (score < best_score)
        {
          best_score = score;
          best = k;
        }
    }
  return candidates[best];
}

/* Adds what the chart draws to @marks: for each point, the range of its
 * values and its neighbours' (the curves run from one to the next). */
static void
add_marks (Chart       *c,
           AbChartKind  kind,
           GPtrArray   *points,
           gboolean     pinned,
           GArray      *marks)
{
  guint n = points != NULL ? points->len : 0;
  g_autofree double *top = g_new (double, MAX (n, 1));
  g_autofree double *bottom = g_new (double, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      const AbSimPoint *pt = point (points, i);
      double v[3];
      guint k = 0;

      top[i] = INFINITY;
      bottom[i] = -INFINITY;
      switch (kind)
        {
        case AB_CHART_LATENCY:
          v[k++] = pt->p95_ms;
          if (!pinned)
            {
              v[k++] = pt->p50_ms;
              v[k++] = pt->p99_ms;
            }
          break;
        case AB_CHART_THROUGHPUT:
          v[k++] = pt->served_rps;
          if (!pinned)
            {
              v[k++] = pt->offered_rps;
              if (isfinite (pt->errors_rps) && pt->errors_rps > 0.0)
                {
                  /* the errors' area from zero */
                  v[k++] = pt->errors_rps;
                  bottom[i] = y_of (c, 0.0);
                }
            }
          break;
        case AB_CHART_COST:
        case AB_CHART_INSTANCES:
          /* the stack, from zero */
          v[k++] = stack_total (kind, pt);
          bottom[i] = y_of (c, 0.0);
          break;
        case AB_N_CHARTS:
        default:
          break;
        }
      for (guint j = 0; j < k; j++)
        if (isfinite (v[j]) && !(c->log_y && v[j] <= 0.0))
          {
            double y = y_of (c, v[j]);

            top[i] = MIN (top[i], y);
            bottom[i] = MAX (bottom[i], y);
          }
    }
  for (guint i = 0; i < n; i++)
    {
      const AbSimPoint *pt = point (points, i);
      AbChartMark m = { x_of (c, pt->t_s), x_of (c, pt->t_s + pt->duration_s), top[i], bottom[i] };

      if (i > 0)
        {
          m.y_top = MIN (m.y_top, top[i - 1]);
          m.y_bottom = MAX (m.y_bottom, bottom[i - 1]);
        }
      if (i + 1 < n)
        {
          m.y_top = MIN (m.y_top, top[i + 1]);
          m.y_bottom = MAX (m.y_bottom, bottom[i + 1]);
        }
      if (m.y_top <= m.y_bottom)
        g_array_append_val (marks, m);
    }
}

/* What the chart draws of the run's data: curves, areas, confidence
 * bands (not the target). */
static GArray *
data_marks (Chart       *c,
            AbChartKind  kind)
{
  const AbChartData *d = c->data;
  GArray *marks = g_array_new (FALSE, FALSE, sizeof (AbChartMark));

  add_marks (c, kind, d->points, FALSE, marks);
  if (kind == AB_CHART_LATENCY || kind == AB_CHART_THROUGHPUT)
    add_marks (c, kind, d->pinned, TRUE, marks);
  if (kind == AB_CHART_LATENCY && d->summary != NULL && d->summary->method == AB_SIM_METHOD_DES)
    for (guint p = 0; p < d->summary->n_phases; p++)
      {
        const AbSimPhase *ph = &d->summary->phases[p];
        const AbEstimate *e = &ph->latency[AB_N_CLASSES].p95_ms;

        /* the confidence bands (draw_latency) */
        if (e->ci_high > e->ci_low && isfinite (e->ci_low) && isfinite (e->ci_high))
          {
            AbChartMark m = { x_of (c, ph->start_s), x_of (c, ph->start_s + ph->duration_s),
                              y_of (c, e->ci_high), y_of (c, MAX (e->ci_low, c->v_min)) };

            g_array_append_val (marks, m);
          }
      }
  return marks;
}

static GArray *
chart_marks (Chart       *c,
             AbChartKind  kind)
{
  const AbChartData *d = c->data;
  GArray *marks = data_marks (c, kind);
  const char *label = NULL;
  double bound;

  if (kind == AB_CHART_LATENCY && ab_chart_latency_target (d->summary, &bound, &label))
    {
      /* the target line, across the plot, and its name */
      AbChartMark m = { c->x0, c->x0 + c->w, y_of (c, bound), y_of (c, bound) };
      g_autofree char *text = NULL;
      AbChartRect r;

      g_array_append_val (marks, m);
      if (label != NULL && target_label_rect (c, label, m.y_top, &text, &r))
        {
          m = (AbChartMark) { r.x, r.x + r.width, r.y, r.y + r.height };
          g_array_append_val (marks, m);
        }
    }
  return marks;
}

static gboolean
has_digit (const char *word,
           gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (g_ascii_isdigit (word[i]))
      return TRUE;
  return FALSE;
}

/* @text with the spaces that must not break a line made no-break: those
 * beside a figure ("P99 32.8 ms", "offered 1.2k/s", "42 s"), except after
 * a separator ("…, P99" and "…: P50" may break). */
static char *
readout_text (const char *text)
{
  GString *s = g_string_sized_new (strlen (text) + 16);
  const char *word = text;

  for (const char *p = text; *p != '\0'; p++)
    {
      const char *next, *next_end;
      gsize len;

      if (*p != ' ')
        continue;
      len = (gsize) (p - word);
      next = p + 1;
      next_end = strchr (next, ' ');
      if (next_end == NULL)
        next_end = next + strlen (next);
      g_string_append_len (s, word, (gssize) len);
      if (len > 0 && (word[len - 1] == ',' || word[len - 1] == ':'))
        g_string_append_c (s, ' ');
      else if (has_digit (word, len) || has_digit (next, (gsize) (next_end - next)))
        g_string_append (s, "\u00a0");
      else
        g_string_append_c (s, ' ');
      word = next;
    }
  g_string_append (s, word);
  return g_string_free (s, FALSE);
}

static int
layout_text_width (PangoLayout *layout,
                   const char  *text)
{
  int w, h;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  return w;
}

/* The hover readout at data->hover_t laid out for a chart @width px wide:
 * on one line when it fits, else the time and phase on the first line
 * and the values below, as many to a line as fit, each whole (Unicode
 * line breaking would break "0/s" after its slash). */
static PangoLayout *
readout_layout (cairo_t           *cr,
                AbChartKind        kind,
                const AbChartData *data,
                double             width)
{
  g_autofree char *text = ab_chart_describe_at (kind, data, data->hover_t);
  g_autofree char *shown = NULL;
  g_autoptr(GString) lines = NULL;
  g_autoptr(GString) line = NULL;
  g_auto(GStrv) values = NULL;
  PangoLayout *layout;
  PangoFontDescription *desc;
  int avail = (int) MAX (width - 10.0, 20.0);
  char *colon;

  if (text == NULL)
    return NULL;
  shown = readout_text (text);
  layout = pango_cairo_create_layout (cr);
  desc = pango_font_description_from_string ("Sans 8");
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  if (layout_text_width (layout, shown) <= avail)
    return layout;

  lines = g_string_new (NULL);
  colon = strstr (shown, ": ");
  if (colon != NULL)
    {
      g_string_append_len (lines, shown, colon + 1 - shown);
      values = g_strsplit (colon + 2, ", ", -1);
    }
  else
    values = g_strsplit (shown, ", ", -1);
  line = g_string_new (NULL);
  for (guint i = 0; values[i] != NULL; i++)
    {
      g_autofree char *more = NULL;

      if (line->len == 0)
        {
          g_string_append (line, values[i]);
          continue;
        }
      more = g_strdup_printf ("%s, %s%s", line->str, values[i], values[i + 1] != NULL ? "," : "");
      if (layout_text_width (layout, more) <= avail)
        g_string_append_printf (line, ", %s", values[i]);
      else
        {
          if (lines->len > 0)
            g_string_append_c (lines, '\n');
          g_string_append_printf (lines, "%s,", line->str);
          g_string_assign (line, values[i]);
        }
    }
  if (lines->len > 0)
    g_string_append_c (lines, '\n');
  g_string_append (lines, line->str);
  pango_layout_set_text (layout, lines->str, -1);
  /* only what is wider than the chart on its own (a long phase name, a
   * value in a very narrow chart) wraps further, rather than being cut
   * off at the chart's edge */
  pango_layout_set_width (layout, avail * PANGO_SCALE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  return layout;
}

char **
ab_chart_readout_lines (cairo_t           *cr,
                        AbChartKind        kind,
                        const AbChartData *data,
                        double             width)
{
  g_autoptr(PangoLayout) layout = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  const char *text;

  g_return_val_if_fail (cr != NULL && data != NULL && data->points != NULL, NULL);

  layout = readout_layout (cr, kind, data, width);
  if (layout == NULL)
    return NULL;
  text = pango_layout_get_text (layout);
  lines = g_ptr_array_new ();
  for (GSList *l = pango_layout_get_lines_readonly (layout); l != NULL; l = l->next)
    {
      PangoLayoutLine *line = l->data;

      g_ptr_array_add (lines, g_strndup (text + line->start_index, (gsize) line->length));
    }
  g_ptr_array_add (lines, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&lines), FALSE);
}

static void
draw_hover (Chart       *c,
            AbChartKind  kind)
{
  g_autoptr(PangoLayout) layout = NULL;
  double x;

  if (!isfinite (c->data->hover_t))
    return;
  x = round (x_of (c, c->data->hover_t)) + 0.5;
  set_rgb (c->cr, &c->fg, 0.6);
  cairo_set_line_width (c->cr, 1.0);
  cairo_move_to (c->cr, x, c->y0);
  cairo_line_to (c->cr, x, c->y0 + c->h);
  cairo_stroke (c->cr);
  layout = readout_layout (c->cr, kind, c->data, c->width);
  if (layout != NULL)
    {
      g_autoptr(GArray) marks = chart_marks (c, kind);
      AbChartRect bounds = { 2.0, 0.0, c->width - 3.0, c->height };
      AbChartRect plot = { c->x0, c->y0, c->w, c->h };
      AbChartRect header = { c->title_end + 6.0, 0.0, c->x0 + c->w - c->title_end - 6.0, c->y0 };
      AbChartRect box;
      int w, h;

      pango_layout_get_pixel_size (layout, &w, &h);
      /* the box: the text and 3 px around it across, 2 px down */
      box = ab_chart_place_readout (&bounds, &plot, &header, x,
                                    (const AbChartMark *) (gpointer) marks->data, marks->len,
                                    w + 6.0, h + 4.0);
      /* a card with an edge: it may reach over the title row */
      if (c->data->dark)
        cairo_set_source_rgba (c->cr, 0.15, 0.15, 0.17, 0.97);
      else
        cairo_set_source_rgba (c->cr, 1.0, 1.0, 1.0, 0.97);
      cairo_rectangle (c->cr, box.x, box.y, box.width, box.height);
      cairo_fill (c->cr);
      set_rgb (c->cr, &c->fg, 0.3);
      cairo_set_line_width (c->cr, 1.0);
      cairo_rectangle (c->cr, round (box.x) + 0.5, round (box.y) + 0.5,
                       round (box.width) - 1.0, round (box.height) - 1.0);
      cairo_stroke (c->cr);
      set_rgb (c->cr, &c->fg, 0.95);
      cairo_move_to (c->cr, box.x + 3.0, box.y + 2.0);
      pango_cairo_show_layout (c->cr, layout);
    }
}

/* The chart's geometry and value range, as ab_chart_render() draws it. */
static void
chart_setup (Chart             *c,
             cairo_t           *cr,
             AbChartKind        kind,
             const AbChartData *data,
             double             width,
             double             height)
{
  double lo = INFINITY, hi = 0.0;

  c->cr = cr;
  c->data = data;
  c->width = width;
  c->height = height;
  c->x0 = MARGIN_LEFT;
  c->y0 = MARGIN_TOP;
  c->w = MAX (width - MARGIN_LEFT - MARGIN_RIGHT, 10.0);
  c->h = MAX (height - MARGIN_TOP - MARGIN_BOTTOM, 10.0);
  c->t_max = timeline_length (data);
  c->fg = data->dark ? (Rgb) { 0.95, 0.95, 0.95 } : (Rgb) { 0.14, 0.14, 0.16 };
  {
    PangoLayout *layout = pango_cairo_create_layout (cr);
    PangoFontDescription *desc = pango_font_description_from_string ("Sans Bold 8");
    int w;

    pango_layout_set_font_description (layout, desc);
    pango_layout_set_text (layout, ab_chart_title (kind), -1);
    pango_layout_get_pixel_size (layout, &w, NULL);
    pango_font_description_free (desc);
    g_object_unref (layout);
    /* where the title, drawn at x = 2, ends */
    c->title_end = 2.0 + w;
  }

  c->kind = kind;
  value_range (c, kind, data->points, &lo, &hi);
  value_range (c, kind, data->pinned, &lo, &hi);
  if (kind == AB_CHART_LATENCY)
    {
      double bound;
      gboolean nothing = FALSE;

      if (ab_chart_latency_target (data->summary, &bound, NULL))
        {
          lo = MIN (lo, bound);
          hi = MAX (hi, bound);
        }
      if (!isfinite (lo) || hi <= 0.0)
        {
          lo = 1.0;
          hi = 100.0;
          nothing = TRUE;
        }
      c->log_y = TRUE;
      c->v_min = pow (10.0, floor (log10 (MAX (lo, 1e-3))));
      c->v_max = pow (10.0, ceil (log10 (MAX (hi, c->v_min * 10.0))));
      if (c->v_max <= c->v_min)
        c->v_max = c->v_min * 10.0;
      /* The plot's top row holds the phases' names: a highest value or a
       * target in it (50 ms under a 100 ms top) would strike them
       * through, so the scale reaches above the decade there, enough to
       * keep the row clear.  At the bottom a lowest value on the decade
       * (a "P95 < 1ms" target under waits of 2 ms) would be drawn on the
       * plot's frame, so the scale reaches a few pixels below it.  The
       * decades keep their grid lines and labels.  Twice: each end's
       * room moves the other a little. */
      if (!nothing)
        for (int pass = 0; pass < 2; pass++)
          {
            double room_top = MIN ((label_row_height (cr) + 4.0) / c->h, 0.3);
            double room_bottom = MIN (6.0 / c->h, 0.1);
            double l_lo = log10 (lo), l_hi = log10 (hi);
            double l_min = log10 (c->v_min), l_max = log10 (c->v_max);

            if ((l_lo - l_min) / (l_max - l_min) < room_bottom)
              {
                l_min = (l_lo - room_bottom * l_max) / (1.0 - room_bottom);
                c->v_min = pow (10.0, l_min);
              }
            if ((l_hi - l_min) / (l_max - l_min) > 1.0 - room_top)
              c->v_max = pow (10.0, l_min + (l_hi - l_min) / (1.0 - room_top));
          }
    }
  else
    {
      double step, room;

      if (!(hi > 0.0))
        hi = 1.0;
      /* The plot's top row holds the phases' names (drawn before the
       * data): the scale leaves room above the highest value so that a
       * stack or a curve never covers them. */
      room = MIN ((label_row_height (cr) + 4.0) / c->h, 0.3);
      step = nice_step (0.0, hi, 4);
      c->v_min = 0.0;
      c->v_max = ceil (hi / (1.0 - room) / step) * step;
    }
}

void
ab_chart_render (cairo_t           *cr,
                 AbChartKind        kind,
                 const AbChartData *data,
                 double             width,
                 double             height)
{
  Chart c = { 0 };

  g_return_if_fail (cr != NULL && data != NULL && data->setup != NULL && data->points != NULL);

  chart_setup (&c, cr, kind, data, width, height);
  cairo_save (cr);
  set_rgb (cr, &c.fg, 0.9);
  draw_text (&c, ab_chart_title (kind), 2.0, 3.0, 0.0, 0.0, TRUE);
  draw_phases (&c);
  draw_axes (&c, kind);
  cairo_save (cr);
  cairo_rectangle (cr, c.x0, c.y0, c.w, c.h);
  cairo_clip (cr);
  switch (kind)
    {
    case AB_CHART_LATENCY:
      draw_latency (&c);
      break;
    case AB_CHART_THROUGHPUT:
      draw_throughput (&c);
      break;
    case AB_CHART_COST:
    case AB_CHART_INSTANCES:
      draw_stacked (&c, kind);
      break;
    case AB_N_CHARTS:
    default:
      break;
    }
  cairo_restore (cr);
  /* the legend is drawn in the title row, outside the clip */
  draw_legend (&c, kind);
  draw_hover (&c, kind);
  cairo_restore (cr);
}

GArray *
ab_chart_phase_labels (cairo_t           *cr,
                       AbChartKind        kind,
                       const AbChartData *data,
                       double             width,
                       double             height)
{
  Chart c = { 0 };
  GArray *labels;

  g_return_val_if_fail (cr != NULL && data != NULL && data->setup != NULL && data->points != NULL, NULL);

  chart_setup (&c, cr, kind, data, width, height);
  labels = layout_phase_labels (&c);
  return labels;
}

char *
ab_chart_target_label (cairo_t           *cr,
                       const AbChartData *data,
                       double             width,
                       double             height,
                       AbChartRect       *rect)
{
  Chart c = { 0 };
  const char *label = NULL;
  double bound;
  char *text = NULL;

  g_return_val_if_fail (cr != NULL && data != NULL && data->setup != NULL && data->points != NULL, NULL);
  g_return_val_if_fail (rect != NULL, NULL);

  chart_setup (&c, cr, AB_CHART_LATENCY, data, width, height);
  if (ab_chart_latency_target (data->summary, &bound, &label) && label != NULL &&
      !target_label_rect (&c, label, y_of (&c, bound), &text, rect))
    g_clear_pointer (&text, g_free);
  return text;
}

char **
ab_chart_legend (cairo_t           *cr,
                 AbChartKind        kind,
                 const AbChartData *data,
                 double             width,
                 double             height)
{
  Chart c = { 0 };
  Legend l = { 0 };
  g_autofree char *more = NULL;
  GPtrArray *shown;
  guint k;

  g_return_val_if_fail (cr != NULL && data != NULL && data->setup != NULL && data->points != NULL, NULL);

  chart_setup (&c, cr, kind, data, width, height);
  legend_series (&c, kind, &l);
  k = legend_fit (&c, &l, &more);
  shown = g_ptr_array_new ();
  for (guint i = 0; i < k; i++)
    g_ptr_array_add (shown, g_strdup (g_ptr_array_index (l.names, i)));
  if (more != NULL)
    g_ptr_array_add (shown, g_steal_pointer (&more));
  g_ptr_array_add (shown, NULL);
  legend_clear (&l);
  return (char **) g_ptr_array_free (shown, FALSE);
}

double
ab_chart_time_at (const AbChartData *data,
                  double             width,
                  double             x)
{
  double w = MAX (width - MARGIN_LEFT - MARGIN_RIGHT, 10.0);

  return CLAMP ((x - MARGIN_LEFT) / w, 0.0, 1.0) * timeline_length (data);
}

char *
ab_chart_describe_at (AbChartKind        kind,
                      const AbChartData *data,
                      double             t_s)
{
  const AbSimPoint *pt = NULL;
  const AbScenario *scenario;
  const char *phase = "";
  g_autoptr(GString) s = g_string_new (NULL);

  g_return_val_if_fail (data != NULL && data->points != NULL, NULL);

  for (guint i = 0; i < data->points->len; i++)
    {
      const AbSimPoint *p = point (data->points, i);

      if (t_s >= p->t_s && t_s < p->t_s + p->duration_s)
        {
          pt = p;
          break;
        }
    }
  if (pt == NULL)
    return NULL;
  scenario = ab_sim_setup_get_scenario (data->setup);
  if (pt->phase >= 0 && (guint) pt->phase < scenario->phases->len)
    phase = ab_scenario_phase_label (g_array_index (scenario->phases, AbPhase, pt->phase).name);
  g_string_append_printf (s, "%.0f s (%s)%s: ", pt->t_s, phase,
                          pt->estimated ? _(", estimated") : "");
  switch (kind)
    {
    case AB_CHART_LATENCY:
      {
        g_autofree char *a = ab_format_latency (pt->p50_ms);
        g_autofree char *b = ab_format_latency (pt->p95_ms);
        g_autofree char *c = ab_format_latency (pt->p99_ms);

        g_string_append_printf (s, "P50 %s, P95 %s, P99 %s", a, b, c);
      }
      break;
    case AB_CHART_THROUGHPUT:
      {
        g_autofree char *a = ab_format_rate_short (pt->offered_rps);
        g_autofree char *b = ab_format_rate_short (pt->served_rps);
        g_autofree char *c = ab_format_rate_short (pt->errors_rps);

        /* Translators: hover text of the throughput chart */
        g_string_append_printf (s, _("offered %s, served %s, errors %s"), a, b, c);
      }
      break;
    case AB_CHART_COST:
      {
        g_autofree char *money = ab_format_money_cents (pt->cost_per_hour);

        /* Translators: hover text of the cost chart: "$15.21 per hour" */
        g_string_append_printf (s, _("%s per hour"), money);
      }
      break;
    case AB_CHART_INSTANCES:
      {
        /* a bucket's instances are an average over its time (an
         * autoscaler's changes, instances lost): whole where that is a
         * whole number at the one decimal shown, "12.5" where not */
        double n = stack_total (kind, pt);
        gboolean whole = round (n * 10.0) == round (n) * 10.0;
        g_autofree char *figure = ab_format_decimal (n, whole ? 0 : 1);

        if (whole)
          /* Translators: hover text of the instances chart: "1,954 instances" */
          g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE, "%s instance", "%s instances",
                                                  (gulong) MAX (round (n), 0.0)),
                                  figure);
        else
          /* Translators: hover text of the instances chart, an average
           * with one decimal: "12.5 instances" */
          g_string_append_printf (s, C_("average", "%s instances"), figure);
      }
      break;
    case AB_N_CHARTS:
    default:
      break;
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}
