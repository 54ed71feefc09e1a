/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PDF report: see ab-report.h.  A4 pages: the title, the diagram, the
 * checks and the summary flow down the first page(s); the four charts
 * fill the last page. */
#define G_LOG_DOMAIN "archboard-render"

#include "config.h"

#include <math.h>

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>

#include "ab-chart-render.h"
#include "ab-format.h"
#include "ab-report.h"
#include "ab-tiers.h"
#include "ab-types.h"

#define PAGE_W 595.0
#define PAGE_H 842.0
#define MARGIN 42.0
/* a line of the summary table (Monospace 8) and its gap, at most */
#define ROW_H  18.0

typedef struct {
  cairo_t *cr;
  double   y;
} Page;

/* Text at (x, y) wrapped to @width; returns its height. */
static double
text (cairo_t    *cr,
      const char *markup_or_text,
      gboolean    markup,
      const char *font,
      double      x,
      double      y,
      double      width)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string (font);
  int w, h;

  pango_layout_set_font_description (layout, desc);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  if (markup)
    pango_layout_set_markup (layout, markup_or_text, -1);
  else
    pango_layout_set_text (layout, markup_or_text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_font_description_free (desc);
  g_object_unref (layout);
  return h;
}

static void
need (Page   *page,
      double  height)
{
  if (page->y + height <= PAGE_H - MARGIN)
    return;
  cairo_show_page (page->cr);
  page->y = MARGIN;
}

static void
line (Page       *page,
      const char *s,
      const char *font,
      double      indent)
{
  double h;

  need (page, 14.0);
  cairo_set_source_rgb (page->cr, 0.1, 0.1, 0.12);
  h = text (page->cr, s, FALSE, font, MARGIN + indent, page->y, PAGE_W - 2 * MARGIN - indent);
  page->y += h + 2.0;
}

/* A sentence with figures in it: where it wraps, each figure stays whole
 * ("99.95 %", not "99.95" then "% asked"). */
static void
sentence (Page       *page,
          const char *s,
          const char *font,
          double      indent)
{
  g_autofree char *kept = ab_format_keep_figures (s);

  line (page, kept, font, indent);
}

/* A heading, on the page of the first @keep units that follow it. */
/* One row of the table of phases, set in a monospace font: columns
 * counted in characters, not bytes ("–" for a phase that answered
 * nothing is three bytes, as a translated phase name's letters may be
 * two), so every row's figures end under their heading. */
static char *
phase_row (const char *phase,
           const char *p50,
           const char *p95,
           const char *p99,
           const char *errors)
{
  g_autofree char *c0 = ab_format_pad (phase, 12);
  g_autofree char *c1 = ab_format_pad (p50, -12);
  g_autofree char *c2 = ab_format_pad (p95, -12);
  g_autofree char *c3 = ab_format_pad (p99, -12);
  g_autofree char *c4 = ab_format_pad (errors, -9);

  return g_strjoin (" ", c0, c1, c2, c3, c4, NULL);
}

static void
heading_keep (Page       *page,
              const char *s,
              double      keep)
{
  page->y += 8.0;
  need (page, 40.0 + keep);
  line (page, s, "Sans Bold 12", 0.0);
  page->y += 2.0;
}

static void
heading (Page       *page,
         const char *s)
{
  heading_keep (page, s, 0.0);
}


static void
draw_diagram (Page     *page,
              AbDesign *design)
{
  AbRenderOptions options;
  AbRect bounds;
  double box_w = PAGE_W - 2 * MARGIN, box_h = 300.0, scale;

  if (!ab_render_bounds (design, NULL, &bounds) || bounds.width <= 0.0 || bounds.height <= 0.0)
    return;
  scale = MIN (box_w / bounds.width, box_h / bounds.height);
  scale = MIN (scale, 1.0);
  ab_render_options_init (&options);
  options.transparent = TRUE;
  cairo_save (page->cr);
  cairo_translate (page->cr, MARGIN + (box_w - bounds.width * scale) / 2.0, page->y);
  cairo_scale (page->cr, scale, scale);
  cairo_translate (page->cr, -bounds.x, -bounds.y);
  ab_render_design (page->cr, design, &options, NULL);
  cairo_restore (page->cr);
  page->y += bounds.height * scale + 12.0;
}

static const char *
verdict_word (const AbCheck *check)
{
  switch (check->verdict)
    {
    case AB_CHECK_PASS:
      return _("PASS");
    case AB_CHECK_FAIL:
      return _("FAIL");
    case AB_CHECK_TOO_CLOSE:
      return _("TOO CLOSE TO CALL");
    case AB_CHECK_NOT_JUDGED:
    default:
      return _("NOT JUDGED");
    }
}

static void
draw_report (cairo_t            *cr,
             const AbReportData *data)
{
  const AbSimSummary *s = data->summary;
  Page page = { cr, MARGIN };
  g_autofree char *sub = NULL;

  cairo_set_source_rgb (cr, 0.1, 0.1, 0.12);
  page.y += text (cr, data->problem != NULL ? data->problem->title
                  : (ab_design_get_title (data->design) != NULL ? ab_design_get_title (data->design) : _("Design")),
                  FALSE, "Sans Bold 18", MARGIN, page.y, PAGE_W - 2 * MARGIN) + 4.0;
  {
    g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, s->seed);

    /* Translators: "Simulation report — discrete-event simulation, seed 42, Archboard 0.1" */
    sub = g_strdup_printf (_("Simulation report — %s, seed %s, %s"),
                           s->method == AB_SIM_METHOD_DES ? _("discrete-event simulation") : _("analytical model"),
                           seed, "Archboard\u00a0" PACKAGE_VERSION);
  }
  line (&page, sub, "Sans 9", 0.0);
  page.y += 8.0;
  draw_diagram (&page, data->design);

  if (data->problem != NULL && data->problem->tiers->len > 0)
    {
      g_autoptr(AbTiersReport) tiers = ab_tiers_evaluate (data->problem, data->design);

      heading (&page, _("Tier checks"));
      for (guint i = 0; i < tiers->n_tiers; i++)
        {
          const AbTierResult *t = &tiers->tiers[i];
          g_autoptr(GString) reasons = g_string_new (NULL);
          g_autofree char *l = NULL;

          for (guint j = 0; j < t->n_rules; j++)
            if (!t->rules[j].pass && t->rules[j].reason != NULL)
              g_string_append_printf (reasons, "%s%s", reasons->len > 0 ? "; " : "", t->rules[j].reason);
          l = g_strdup_printf ("%s  %s%s%s", t->pass ? _("PASS") : _("FAIL"), t->tier->name,
                               reasons->len > 0 ? " — " : "", reasons->str);
          line (&page, l, "Sans 9", 8.0);
        }
    }

  if (s->checks->len > 0)
    {
      heading (&page, _("Performance checks"));
      for (guint i = 0; i < s->checks->len; i++)
        {
          const AbCheck *c = g_ptr_array_index (s->checks, i);
          g_autofree char *l = g_strdup_printf ("%s  %s — %s", verdict_word (c), c->target,
                                                c->sentence != NULL ? c->sentence : "");
          sentence (&page, l, "Sans 9", 8.0);
        }
    }

  /* the table of phases on one page: its last row alone on the next
   * read as if it had no header */
  heading_keep (&page, _("Summary"), ROW_H * (s->n_phases + 1));
  {
    g_autofree char *head = phase_row (_("Phase"), "P50", "P95", "P99", _("Errors"));

    line (&page, head, "Monospace Bold 8", 8.0);
    for (guint p = 0; p < s->n_phases; p++)
      {
        const AbSimPhase *ph = &s->phases[p];
        g_autofree char *a = ab_format_latency (ph->latency[AB_N_CLASSES].p50_ms.value);
        g_autofree char *b = ab_format_latency (ph->latency[AB_N_CLASSES].p95_ms.value);
        g_autofree char *c = ab_format_latency (ph->latency[AB_N_CLASSES].p99_ms.value);
        /* the app's own figure, "0.00 %" (German "0,00 %"), not a format of its own */
        g_autofree char *e = ab_format_percent (ph->error_rate, 2);
        g_autofree char *l = NULL;

        if (!ph->simulated)
          {
            g_autofree char *label = ab_format_pad (ab_scenario_phase_label (ph->name), 12);

            l = g_strdup_printf ("%s %s", label, _("not simulated"));
          }
        else
          l = phase_row (ab_scenario_phase_label (ph->name), a, b, c, e);
        line (&page, l, "Monospace 8", 8.0);
      }
  }
  page.y += 6.0;
  {
    const AbSimPhase *normal = s->n_phases > 0 ? &s->phases[s->normal] : NULL;
    g_autofree char *rate_figure = ab_format_rate (s->max_sustainable_rps);
    g_autofree char *avail_figure = ab_format_availability (s->availability);
    g_autofree char *cost_figure = ab_format_money (s->cost->per_month);
    g_autofree char *rate = g_strdup_printf (_("Max sustainable rate: %s"), rate_figure);
    g_autofree char *avail = g_strdup_printf (_("Availability: %s"), avail_figure);
    g_autofree char *cost = g_strdup_printf (_("Cost per month: %s"), cost_figure);
    g_autofree char *bottleneck = NULL;

    if (normal != NULL && normal->bottleneck >= 0)
      bottleneck = g_strdup_printf (_("Bottleneck: %s, %.0f %% of its capacity in use"),
                                    ab_sim_setup_get_label (data->setup, (guint) normal->bottleneck),
                                    100.0 * normal->bottleneck_utilization);
    else
      bottleneck = g_strdup (_("Bottleneck: none (no load)"));
    sentence (&page, rate, "Sans 9", 8.0);
    sentence (&page, bottleneck, "Sans 9", 8.0);
    sentence (&page, avail, "Sans 9", 8.0);
    sentence (&page, cost, "Sans 9", 8.0);
    /* the cost's parts, indented under it (after the background work
     * they read as parts of that) */
    for (guint i = 0; i < s->cost->n_stations; i++)
      {
        double month = s->cost->items[i].total * s->cost->hours_per_month;
        g_autofree char *l = NULL;
        g_autofree char *money = NULL;

        if (!(month > 0.0))
          continue;
        money = ab_format_money (month);
        l = g_strdup_printf ("%s: %s", ab_sim_setup_get_label (data->setup, i), money);
        line (&page, l, "Sans 8", 20.0);
      }
    {
      g_autofree char *figure = ab_sim_summary_background_text (s, data->setup);

      if (figure != NULL)
        {
          /* TRANSLATORS: "Background work: 42 ms behind the requests; none of it is lost" */
          g_autofree char *background = g_strdup_printf (_("Background work: %s"), figure);

          sentence (&page, background, "Sans 9", 8.0);
        }
    }
    {
      g_autofree char *figure = ab_sim_summary_latency_text (s, data->setup);

      if (figure != NULL)
        {
          /* TRANSLATORS: "Latency: rising by 200 ms every second: requests
           * queue at App Servers, which has …" */
          g_autofree char *latency = g_strdup_printf (_("Latency: %s"), figure);

          sentence (&page, latency, "Sans 9", 8.0);
        }
    }
    {
      g_autofree char *room = ab_sim_summary_room_text (s);

      if (room != NULL)
        line (&page, room, "Sans 9", 8.0);
    }
  }

  /* the charts on a page of their own */
  cairo_show_page (cr);
  {
    AbChartData chart;
    double h = (PAGE_H - 2 * MARGIN) / AB_N_CHARTS;

    ab_chart_data_init (&chart);
    chart.setup = data->setup;
    chart.points = data->points;
    chart.summary = s;
    for (AbChartKind k = 0; k < AB_N_CHARTS; k++)
      {
        cairo_save (cr);
        cairo_translate (cr, MARGIN, MARGIN + k * h);
        ab_chart_render (cr, k, &chart, PAGE_W - 2 * MARGIN, h - 12.0);
        cairo_restore (cr);
      }
  }
  cairo_show_page (cr);
}

static cairo_status_t
append_bytes (void                *closure,
              const unsigned char *bytes,
              unsigned int         length)
{
  g_byte_array_append (closure, bytes, length);
  return CAIRO_STATUS_SUCCESS;
}

gboolean
ab_report_write_pdf (const AbReportData *data,
                     const char         *path,
                     GError            **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  g_return_val_if_fail (data != NULL && data->design != NULL && data->setup != NULL, FALSE);
  g_return_val_if_fail (data->summary != NULL && data->points != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  surface = cairo_pdf_surface_create_for_stream (append_bytes, bytes, PAGE_W, PAGE_H);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE,
                                  data->problem != NULL ? data->problem->title : "Archboard");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Archboard " PACKAGE_VERSION);
  cr = cairo_create (surface);
  draw_report (cr, data);
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, AB_ERROR, AB_ERROR_IO, "%s: %s", path, cairo_status_to_string (status));
      return FALSE;
    }
  return g_file_set_contents (path, (const char *) bytes->data, (gssize) bytes->len, error);
}
