/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Simulation charts (ab-chart-render): every chart draws its series in
 * their colours inside the plot, the latency target as a red line at its
 * value, phases as bands, nothing but axes without points, a pinned run,
 * hover text with the values of the bucket under the pointer, and
 * PDF output. */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "archboard-core.h"
#include "ab-chart-render.h"
#include "ab-render.h"
#include "../german-test-util.h"

#define W 640
#define H 220

typedef struct {
  AbSimSetup   *setup;
  AbSimSummary *summary;
  GPtrArray    *points;
} Run;

static void
collect (const AbDesBucket *bucket,
         gpointer           data)
{
  Run *run = data;

  g_ptr_array_add (run->points, ab_sim_point_new_from_bucket (run->setup, bucket));
}

static void
run_reference (Run        *run,
               const char *problem_id)
{
  AbProblem *problem = ab_problem_set_lookup (ab_problem_set_get_default (), problem_id);
  g_autoptr(AbDesign) design = NULL;
  g_autoptr(AbDesResult) des = NULL;
  g_autoptr(GError) error = NULL;
  AbSimOptions options;
  AbDesConfig config;

  g_assert_nonnull (problem);
  design = ab_reference_build_design (problem, &error);
  g_assert_no_error (error);
  ab_sim_options_init (&options);
  options.seed = 3;
  options.budget = 60000;
  run->setup = ab_sim_setup_new (design, problem, &options, &error);
  g_assert_no_error (error);
  run->points = g_ptr_array_new_with_free_func ((GDestroyNotify) ab_sim_point_free);
  ab_des_config_init (&config);
  config.on_bucket = collect;
  config.user_data = run;
  des = ab_sim_setup_run_des (run->setup, &config, &error);
  g_assert_no_error (error);
  run->summary = ab_sim_summary_new_des (run->setup, des);
}

/* The chart input of a finished @run: its setup, points and summary. */
static void
chart_data_of (const Run   *run,
               AbChartData *data)
{
  ab_chart_data_init (data);
  data->setup = run->setup;
  data->points = run->points;
  data->summary = run->summary;
}

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->setup, ab_sim_setup_unref);
  g_clear_pointer (&run->summary, ab_sim_summary_free);
  g_clear_pointer (&run->points, g_ptr_array_unref);
}

static cairo_surface_t *
render (AbChartKind        kind,
        const AbChartData *data)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  ab_chart_render (cr, kind, data, W, H);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  /* for looking at them: AB_CHART_PNG_DIR=/tmp */
  if (g_getenv ("AB_CHART_PNG_DIR") != NULL)
    {
      g_autofree char *name = g_strdup_printf ("chart-%d-%s.png", kind, data->points->len > 0 ? "full" : "empty");
      g_autofree char *path = g_build_filename (g_getenv ("AB_CHART_PNG_DIR"), name, NULL);

      cairo_surface_write_to_png (surface, path);
    }
  return surface;
}

/* Pixels within @tol of (r, g, b) (0..255) in rows [y0, y1). */
static guint
count_color (cairo_surface_t *surface,
             int r, int g, int b, int tol,
             int y0, int y1)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint n = 0;

  for (int y = MAX (y0, 0); y < MIN (y1, H); y++)
    for (int x = 52; x < W; x++)
      {
        guint32 px = *(const guint32 *) (data + y * stride + x * 4);
        int pr = (px >> 16) & 0xff, pg = (px >> 8) & 0xff, pb = px & 0xff;

        if (ABS (pr - r) <= tol && ABS (pg - g) <= tol && ABS (pb - b) <= tol)
          n++;
      }
  return n;
}

static void
test_series (void)
{
  Run run = { 0 };
  AbChartData data;
  double bound;
  const char *label = NULL;

  run_reference (&run, "basic-database-design");
  g_assert_cmpuint (run.points->len, >, 10);
  chart_data_of (&run, &data);

  /* latency: the P95 (blue) line and the red target line */
  {
    cairo_surface_t *s = render (AB_CHART_LATENCY, &data);

    g_assert_cmpuint (count_color (s, 54, 133, 227, 30, 22, H - 20), >, 100);
    g_assert_true (ab_chart_latency_target (run.summary, &bound, &label));
    g_assert_nonnull (label);
    g_assert_cmpuint (count_color (s, 224, 28, 36, 40, 22, H - 20), >, 100);
    cairo_surface_destroy (s);
  }
  /* throughput: served (green) */
  {
    cairo_surface_t *s = render (AB_CHART_THROUGHPUT, &data);

    g_assert_cmpuint (count_color (s, 46, 194, 126, 30, 22, H - 20), >, 100);
    cairo_surface_destroy (s);
  }
  /* cost and instances: stacked areas fill much of the plot */
  for (AbChartKind k = AB_CHART_COST; k <= AB_CHART_INSTANCES; k++)
    {
      cairo_surface_t *s = render (k, &data);
      guint coloured = count_color (s, 255, 255, 255, 8, 30, H - 22);

      /* white is what is left unfilled */
      g_assert_cmpuint (coloured, <, (W - 62) * (H - 52) / 2);
      cairo_surface_destroy (s);
    }
  run_clear (&run);
}

static void
test_empty_and_phases (void)
{
  Run run = { 0 };
  AbChartData data;
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  cairo_surface_t *s;

  run_reference (&run, "basic-database-design");
  ab_chart_data_init (&data);
  data.setup = run.setup;
  data.points = none;
  s = render (AB_CHART_LATENCY, &data);
  /* no series without points, no target without a summary */
  g_assert_cmpuint (count_color (s, 54, 133, 227, 30, 22, H - 20), <, 20);
  g_assert_cmpuint (count_color (s, 224, 28, 36, 40, 22, H - 20), ==, 0);
  /* the failure phase is shaded reddish: pixels that are not white, grey
   * or black exist inside the plot */
  g_assert_cmpuint (count_color (s, 255, 255, 255, 0, 30, H - 22), <, (W - 62) * (H - 52));
  cairo_surface_destroy (s);
  run_clear (&run);
}

/* A phase's name is drawn whole inside its band or not at all: never cut
 * at the band's edge ("norma").  At each width, no dark text pixel sits
 * on a boundary between two bands in the label row. */
static void
test_phase_labels_whole (void)
{
  Run run = { 0 };
  AbChartData data;
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  const AbScenario *scenario;
  guint drawn = 0, widths = 0;

  run_reference (&run, "basic-database-design");
  ab_chart_data_init (&data);
  data.setup = run.setup;
  data.points = none;
  scenario = ab_sim_setup_get_scenario (run.setup);
  for (int width = 160; width <= 640; width += 8)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, H);
      cairo_t *cr = cairo_create (surface);
      const guint8 *pixels;
      int stride;

      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
      ab_chart_render (cr, AB_CHART_LATENCY, &data, width, H);
      cairo_destroy (cr);
      cairo_surface_flush (surface);
      pixels = cairo_image_surface_get_data (surface);
      stride = cairo_image_surface_get_stride (surface);
      /* the label row: below the plot's frame (row 22), above any series */
      for (guint p = 1; p < scenario->phases->len; p++)
        {
          double start = ab_scenario_phase_start (scenario, p);
          int boundary = -1;

          /* the first column whose time is in phase p */
          for (int x = 53; x < width - 11 && boundary < 0; x++)
            if (ab_chart_time_at (&data, width, x) >= start)
              boundary = x;
          if (boundary < 0)
            continue;
          for (int y = 24; y < 36; y++)
            for (int x = boundary - 1; x <= boundary + 1; x++)
              {
                guint32 px = *(const guint32 *) (pixels + y * stride + x * 4);

                if (((px >> 16) & 0xff) < 160 && ((px >> 8) & 0xff) < 160 && (px & 0xff) < 160)
                  g_error ("width %d: a phase label is cut at the start of phase %u (x %d, y %d)",
                           width, p, x, y);
              }
        }
      for (int y = 24; y < 36; y++)
        for (int x = 53; x < width - 11; x++)
          {
            guint32 px = *(const guint32 *) (pixels + y * stride + x * 4);

            if (((px >> 16) & 0xff) < 160 && ((px >> 8) & 0xff) < 160 && (px & 0xff) < 160)
              drawn++;
          }
      widths++;
      cairo_surface_destroy (surface);
    }
  /* the labels are drawn where they fit */
  g_assert_cmpuint (drawn, >, widths * 10);
  run_clear (&run);
}

static double
label_width (const char *text)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (surface);
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string ("Sans 8");
  int w;

  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, NULL);
  pango_font_description_free (desc);
  g_object_unref (layout);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return w;
}

/* Grey text pixels (the phase names' colour) inside @r. */
static guint
grey_pixels (cairo_surface_t   *surface,
             const AbChartRect *r)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  int width = cairo_image_surface_get_width (surface);
  guint n = 0;

  for (int y = MAX ((int) r->y, 0); y < MIN ((int) ceil (r->y + r->height), cairo_image_surface_get_height (surface)); y++)
    for (int x = MAX ((int) r->x, 0); x < MIN ((int) ceil (r->x + r->width), width); x++)
      {
        guint32 px = *(const guint32 *) (data + y * stride + x * 4);
        int pr = (px >> 16) & 0xff, pg = (px >> 8) & 0xff, pb = px & 0xff;

        if (pr < 170 && ABS (pr - pg) < 24 && ABS (pg - pb) < 24)
          n++;
      }
  return n;
}

/* Every phase keeps a readable name on a chart as narrow as the window's
 * (about 330 pixels at 1366 x 768), in English and in German, where
 * "Spitzenlast" is wider than the peak's band and was left out: whole
 * where it fits, else whole in a second row centred on its band where
 * that row is free of data, else its first letters and "." (an arrow for
 * a ramp); never over another name or the target's label, never outside
 * the plot, and drawn where the layout says. */
static void
check_phase_labels (Run        *run,
                    const char *peak_name,
                    int         height)
{
  AbChartData data;
  const AbScenario *scenario = ab_sim_setup_get_scenario (run->setup);
  guint n = scenario->phases->len;
  guint whole = 0, shortened = 0, total = 0;

  chart_data_of (run, &data);
  for (int width = 300; width <= 900; width += 6)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
      cairo_t *cr = cairo_create (surface);
      g_autoptr(GArray) labels = ab_chart_phase_labels (cr, AB_CHART_LATENCY, &data, width, height);
      double bound;
      const char *target = NULL;

      g_assert_true (ab_chart_latency_target (run->summary, &bound, &target));
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
      ab_chart_render (cr, AB_CHART_LATENCY, &data, width, height);
      cairo_surface_flush (surface);
      if (g_getenv ("AB_CHART_PNG_DIR") != NULL && width % 60 == 0)
        {
          g_autofree char *name = g_strdup_printf ("phases-%s-%dx%d.png", peak_name, width, height);
          g_autofree char *path = g_build_filename (g_getenv ("AB_CHART_PNG_DIR"), name, NULL);

          cairo_surface_write_to_png (surface, path);
        }
      g_assert_cmpuint (labels->len, ==, n);
      for (guint p = 0; p < n; p++)
        {
          const AbPhase *phase = &g_array_index (scenario->phases, AbPhase, p);
          const AbChartPhaseLabel *label = &g_array_index (labels, AbChartPhaseLabel, p);
          const char *name = ab_scenario_phase_label (phase->name);
          const char *short_name = ab_chart_phase_short_label (phase->name);
          double start = ab_scenario_phase_start (scenario, p);
          double middle = ab_chart_time_at (&data, width, label->rect.x) <= start + phase->duration_s / 2.0 &&
                          ab_chart_time_at (&data, width, label->rect.x + label->rect.width) >= start + phase->duration_s / 2.0;

          double band = (phase->duration_s / ab_scenario_duration (scenario)) * (width - 62.0);

          /* only a band narrower than the phase's short form ("recov.",
           * 32 px) or than 30 px (four letters) may go without */
          if (label->text == NULL && band >= 30.0 &&
              (short_name == NULL || band >= label_width (short_name) + 1.0))
            g_error ("width %d: the %s phase has no name in its %.0f px", width, name, band);
          if (label->text == NULL)
            continue;
          total++;
          if (g_str_equal (label->text, name))
            whole++;
          else if (g_strcmp0 (label->text, ab_chart_phase_short_label (phase->name)) == 0)
            shortened++;
          else if (g_str_equal (label->text, "↗") || g_str_equal (label->text, "↘"))
            g_assert_cmpstr (label->text, ==, g_str_equal (phase->name, "ramp-up") ? "↗" : "↘");
          else
            {
              /* a cut of three letters or more, then ".", never after a
               * vowel; a ramp's arrow is narrower than any cut */
              gsize cut = strlen (label->text) - 1;

              g_assert_false (g_str_has_prefix (phase->name, "ramp-"));
              g_assert_true (g_str_has_suffix (label->text, "."));
              g_assert_cmpuint (g_utf8_strlen (label->text, -1), >=, 4);
              g_assert_cmpint (strncmp (label->text, name, cut), ==, 0);
              g_assert_null (strchr ("aeiouyAEIOUY", label->text[cut - 1]));
            }
          /* the peak, the phase the checks name: whole or its short form */
          if (g_str_equal (phase->name, "peak"))
            g_assert_true (g_str_equal (label->text, peak_name) ||
                           g_str_equal (label->text, ab_chart_phase_short_label ("peak")));
          /* over the middle of its own band, inside the plot */
          if (!middle)
            g_error ("width %d: the name %s is not over the middle of its band", width, label->text);
          g_assert_cmpfloat (label->rect.x, >=, 52.0);
          g_assert_cmpfloat (label->rect.x + label->rect.width, <=, width - 10.0);
          for (guint q = p + 1; q < n; q++)
            {
              const AbChartPhaseLabel *other = &g_array_index (labels, AbChartPhaseLabel, q);

              if (label->rect.x < other->rect.x + other->rect.width && other->rect.x < label->rect.x + label->rect.width &&
                  label->rect.y < other->rect.y + other->rect.height && other->rect.y < label->rect.y + label->rect.height)
                g_error ("width %d: the names of phases %u and %u overlap", width, p, q);
            }
          /* drawn where the layout says */
          if (grey_pixels (surface, &label->rect) < (g_utf8_strlen (label->text, -1) > 1 ? 8 : 3))
            g_error ("width %d: the name %s is not drawn at %.0f, %.0f", width, label->text,
                     label->rect.x, label->rect.y);
        }
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
    }
  g_test_message ("%s, %d px high: %u names, %u whole, %u short forms", peak_name, height, total, whole, shortened);
  /* mostly whole where the chart is tall enough for a second row */
  if (height >= 200)
    g_assert_cmpuint (whole, >, total * 3 / 4);
}

static void
test_phase_labels_narrow (void)
{
  Run run = { 0 };

  if (g_test_subprocess ())
    {
      german_test_enter ();
      g_assert_cmpstr (ab_scenario_phase_label ("peak"), ==, "Spitzenlast");
      run_reference (&run, "basic-database-design");
      /* the test's charts, and as short as the window's */
      check_phase_labels (&run, "Spitzenlast", H);
      check_phase_labels (&run, "Spitzenlast", 130);
      run_clear (&run);
      /* a failover timeline: seven phases in a longer run */
      run_reference (&run, "financial-ledger");
      check_phase_labels (&run, "Spitzenlast", 130);
      run_clear (&run);
      return;
    }
  run_reference (&run, "basic-database-design");
  check_phase_labels (&run, "peak", H);
  check_phase_labels (&run, "peak", 130);
  run_clear (&run);
  run_reference (&run, "financial-ledger");
  check_phase_labels (&run, "peak", 130);
  run_clear (&run);

  german_test_trap ();
}

/* The label of phase @name in a chart @width x 130 (the window's height
 * of a chart), or NULL. */
static char *
phase_label_at (const AbChartData *data,
                const char        *name,
                int                width,
                AbChartRect       *rect)
{
  const AbScenario *scenario = ab_sim_setup_get_scenario (data->setup);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, 130);
  cairo_t *cr = cairo_create (surface);
  g_autoptr(GArray) labels = ab_chart_phase_labels (cr, AB_CHART_LATENCY, data, width, 130);
  char *text = NULL;

  for (guint p = 0; p < scenario->phases->len; p++)
    if (g_str_equal (g_array_index (scenario->phases, AbPhase, p).name, name))
      {
        const AbChartPhaseLabel *label = &g_array_index (labels, AbChartPhaseLabel, p);

        text = g_strdup (label->text);
        *rect = label->rect;
      }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return text;
}

static char *
abbreviate (const char *text,
            double      max_width)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (surface);
  char *cut = ab_chart_abbreviate (cr, text, max_width);

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return cut;
}

/* A phase the app names that does not fit its band shows its translated
 * short form ("recov.", German "Erhol."), never its first letters cut by
 * count ("recove.", "Spitzen."); a name without a short form is cut
 * before a vowel, never after one ("recuper.", never "recupe.").  German
 * in a subprocess. */
static void
test_phase_short_forms (void)
{
  static const char *const builtin[] = {
    "normal", "ramp-up", "peak", "ramp-down", "failure", "failed-over", "recovery",
  };
  gboolean german = g_test_subprocess ();
  const char *recov = german ? "Erhol." : "recov.";
  Run run = { 0 };
  AbChartData data;
  AbPhase *phase = NULL;
  AbScenario *scenario;
  guint short_seen = 0, cut_seen = 0;

  if (german)
    {
      german_test_enter ();
    }
  /* every phase the app makes has one, no wider than its name */
  for (guint i = 0; i < G_N_ELEMENTS (builtin); i++)
    {
      const char *short_name = ab_chart_phase_short_label (builtin[i]);

      g_assert_nonnull (short_name);
      g_assert_cmpfloat (label_width (short_name), <=, label_width (ab_scenario_phase_label (builtin[i])));
    }
  g_assert_cmpstr (ab_chart_phase_short_label ("recovery"), ==, recov);
  g_assert_cmpstr (ab_chart_phase_short_label ("peak"), ==, german ? "Spitze" : "peak");
  g_assert_null (ab_chart_phase_short_label ("draining"));

  /* the cut: before a vowel where that fits, never after one */
  {
    g_autofree char *a = abbreviate ("recovery", label_width ("recove."));
    g_autofree char *b = abbreviate ("Erholung", label_width ("Erholu."));
    g_autofree char *c = abbreviate ("Spitzenlast", label_width ("Spitzen."));
    g_autofree char *d = abbreviate ("Spitzenlast", label_width ("Spitzenl."));
    g_autofree char *e = abbreviate ("recovery", label_width ("rec.") - 1.0);

    g_assert_cmpstr (a, ==, "recov.");
    g_assert_cmpstr (b, ==, "Erhol.");
    g_assert_cmpstr (c, ==, "Spitz.");
    g_assert_cmpstr (d, ==, "Spitzenl.");
    g_assert_null (e);
    for (double w = 0.0; w < 60.0; w += 1.0)
      {
        g_autofree char *cut = abbreviate ("recovery", w);

        if (cut != NULL)
          {
            gsize n = strlen (cut);

            g_assert_cmpfloat (label_width (cut), <=, w);
            g_assert_cmpfloat (label_width (cut), <, label_width ("recovery"));
            g_assert_null (strchr ("aeiouy", cut[n - 2]));
          }
      }
  }

  /* in a chart: the recovery's band too narrow for "recovery" (and the
   * second row taken) shows the short form */
  run_reference (&run, "basic-database-design");
  chart_data_of (&run, &data);
  for (int width = 300; width <= 700; width += 4)
    {
      AbChartRect rect;
      g_autofree char *text = phase_label_at (&data, "recovery", width, &rect);

      if (text == NULL || g_str_equal (text, ab_scenario_phase_label ("recovery")))
        continue;
      g_assert_cmpstr (text, ==, recov);
      g_assert_cmpfloat (rect.y, <, 22.0 + 4.0);
      short_seen++;
    }
  g_assert_cmpuint (short_seen, >, 0);

  /* a phase the app does not name (as a test or a future file may) */
  scenario = (AbScenario *) ab_sim_setup_get_scenario (run.setup);
  for (guint p = 0; p < scenario->phases->len; p++)
    if (g_str_equal (g_array_index (scenario->phases, AbPhase, p).name, "recovery"))
      phase = &g_array_index (scenario->phases, AbPhase, p);
  g_assert_nonnull (phase);
  g_free (phase->name);
  phase->name = g_strdup ("recuperation");
  for (int width = 300; width <= 700; width += 4)
    {
      AbChartRect rect;
      g_autofree char *text = phase_label_at (&data, "recuperation", width, &rect);
      gsize n;

      if (text == NULL || g_str_equal (text, "recuperation"))
        continue;
      n = strlen (text);
      g_assert_true (g_str_has_suffix (text, "."));
      g_assert_cmpint (strncmp (text, "recuperation", n - 1), ==, 0);
      g_assert_null (strchr ("aeiouy", text[n - 2]));
      cut_seen++;
    }
  g_assert_cmpuint (cut_seen, >, 0);
  run_clear (&run);
  if (german)
    return;

  german_test_trap ();
}

/* The row of the latency target's dashed line in @surface: the row with
 * the most red pixels (more than a third of the plot's). */
static int
target_line_row (cairo_surface_t *surface)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  int best = -1;
  guint best_n = (guint) (width - 62) / 3;

  for (int y = 22; y < height - 20; y++)
    {
      guint n = 0;

      for (int x = 52; x < width - 10; x++)
        {
          guint32 px = *(const guint32 *) (data + y * stride + x * 4);
          int pr = (px >> 16) & 0xff, pg = (px >> 8) & 0xff, pb = px & 0xff;

          if (pr > 180 && pg < 110 && pb < 110)
            n++;
        }
      if (n > best_n)
        {
          best_n = n;
          best = y;
        }
    }
  return best;
}

/* Pixels of a curve (green, blue or purple, seen through the target
 * name's backing) in @r. */
static guint
curve_pixels (cairo_surface_t   *surface,
              const AbChartRect *r)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint n = 0;

  for (int y = MAX ((int) r->y + 1, 0); y < (int) (r->y + r->height) - 1; y++)
    for (int x = MAX ((int) r->x + 1, 0); x < (int) (r->x + r->width) - 1; x++)
      {
        guint32 px = *(const guint32 *) (data + y * stride + x * 4);
        int pr = (px >> 16) & 0xff, pg = (px >> 8) & 0xff, pb = px & 0xff;
        int spread = MAX (pr, MAX (pg, pb)) - MIN (pr, MIN (pg, pb));

        if (spread > 20 && spread < 90 && !(pr > pg && pr > pb))
          n++;
      }
  return n;
}

/* The target's name goes on the side of its line where it hides less of
 * the curves: over none of them on the distributed database (its
 * "P99 < 5ms ..." under curves at 8 to 30 ms hid the P50 over most of a
 * window's chart), above a line the curves run below, and below where
 * the phases' names leave no room above; never over a phase's name.  The
 * line itself stays clear of the phases' names and of the plot's frame. */
static void
test_target_label_side (void)
{
  const char *const problems[] = {
    "distributed-database", "basic-database-design", "basic-database-design", "key-value-store",
  };

  for (guint p = 0; p < G_N_ELEMENTS (problems); p++)
    {
      Run run = { 0 };
      AbChartData data;

      run_reference (&run, problems[p]);
      chart_data_of (&run, &data);
      if (p == 2)
        /* high waits in the first half, low in the second: the name, at
         * the line's right end, has room above it and curves below */
        for (guint i = 0; i < run.points->len; i++)
          {
            AbSimPoint *pt = g_ptr_array_index (run.points, i);
            double v = i < run.points->len / 2 ? 900.0 : 20.0;

            pt->p50_ms = v / 2.0;
            pt->p95_ms = v;
            pt->p99_ms = v * 1.2;
          }
      for (int width = 330; width <= 900; width += 57)
        for (int height = 130; height <= 220; height += 90)
          {
            cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
            cairo_t *cr = cairo_create (surface);
            g_autoptr(GArray) labels = ab_chart_phase_labels (cr, AB_CHART_LATENCY, &data, width, height);
            AbChartRect rect;
            g_autofree char *text = ab_chart_target_label (cr, &data, width, height, &rect);
            int line;

            g_assert_nonnull (text);
            cairo_set_source_rgb (cr, 1, 1, 1);
            cairo_paint (cr);
            ab_chart_render (cr, AB_CHART_LATENCY, &data, width, height);
            cairo_surface_flush (surface);
            line = target_line_row (surface);
            g_assert_cmpint (line, >=, 0);
            /* the line clear of the phases' row (a 50 ms target under a
             * 100 ms top struck their names through) and of the plot's
             * bottom edge (key-value-store's 1 ms target under waits of
             * 2 ms lay on the frame) */
            for (guint q = 0; q < labels->len; q++)
              {
                const AbChartPhaseLabel *label = &g_array_index (labels, AbChartPhaseLabel, q);

                if (label->text != NULL && label->rect.y <= line && line <= label->rect.y + label->rect.height)
                  g_error ("%s %dx%d: the target's line strikes the phase name %s through", problems[p],
                           width, height, label->text);
              }
            if (line > height - 20 - 4)
              g_error ("%s %dx%d: the target's line is on the plot's bottom edge", problems[p], width, height);
            if (p == 0 && curve_pixels (surface, &rect) > 3)
              g_error ("%s %dx%d: the target's name is over the curves (%u pixels)", problems[p], width, height,
                       curve_pixels (surface, &rect));
            if (p == 1 && rect.y < line)
              g_error ("%s %dx%d: the target's name is in the phases' row", problems[p], width, height);
            if (p == 2 && rect.y > line)
              g_error ("%s %dx%d: the target's name is below its line, over the curves", problems[p], width, height);
            for (guint q = 0; q < labels->len; q++)
              {
                const AbChartPhaseLabel *label = &g_array_index (labels, AbChartPhaseLabel, q);

                if (label->text != NULL && rect.x < label->rect.x + label->rect.width &&
                    label->rect.x < rect.x + rect.width &&
                    rect.y < label->rect.y + label->rect.height && label->rect.y < rect.y + rect.height)
                  g_error ("%s %dx%d: the target's name is over the phase name %s", problems[p], width, height,
                           label->text);
              }
            cairo_destroy (cr);
            cairo_surface_destroy (surface);
          }
      run_clear (&run);
    }
}

/* Sets @run's points to P50 / P95 / P99 of @low times the latency
 * target up to @split of the timeline and @high times it after. */
static void
shape_latency (Run    *run,
               double  split,
               const double low[3],
               const double high[3])
{
  double bound, end = 0.0;

  g_assert_true (ab_chart_latency_target (run->summary, &bound, NULL));
  for (guint i = 0; i < run->points->len; i++)
    {
      AbSimPoint *pt = g_ptr_array_index (run->points, i);

      end = MAX (end, pt->t_s + pt->duration_s);
    }
  for (guint i = 0; i < run->points->len; i++)
    {
      AbSimPoint *pt = g_ptr_array_index (run->points, i);
      const double *f = pt->t_s + pt->duration_s <= split * end ? low : high;

      pt->p50_ms = f[0] * bound;
      pt->p95_ms = f[1] * bound;
      pt->p99_ms = f[2] * bound;
    }
  /* no confidence bands from the run the points no longer are */
  for (guint p = 0; p < run->summary->n_phases; p++)
    {
      AbEstimate *e = &run->summary->phases[p].latency[AB_N_CLASSES].p95_ms;

      e->ci_low = e->ci_high = NAN;
    }
}

/* The target's name hides none of the curves when there is a place
 * beside its line that hides none.  With the P99 just over the target
 * (5 % over it) in the second half, there is no room above the line
 * under the phases' row, and below it at its right end are the P95 and
 * the P50: the name went there, over them.  Now it goes to the line's
 * left end, where the waits are low; where the low waits leave room only
 * for less than the whole name, its first comparison alone. */
static void
test_target_label_avoids_data (void)
{
  const double low[3] = { 0.05, 0.1, 0.15 };
  const double high[3] = { 0.4, 0.8, 1.05 };
  /* the low waits before @split of the timeline leave room for the
   * whole name at the left end or, in the narrower charts, for less */
  const struct { double split; gboolean whole; int widths[3]; } cases[] = {
    { 0.5, TRUE, { 420, 570, 720 } },
    { 0.25, FALSE, { 420, 470, 520 } },
  };

  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      Run run = { 0 };
      AbChartData data;
      const char *label = NULL;
      double bound;

      run_reference (&run, "basic-database-design");
      shape_latency (&run, cases[k].split, low, high);
      chart_data_of (&run, &data);
      g_assert_true (ab_chart_latency_target (run.summary, &bound, &label));
      for (guint w = 0; w < G_N_ELEMENTS (cases[k].widths); w++)
        {
          const int width = cases[k].widths[w], height = 180;
          cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
          cairo_t *cr = cairo_create (surface);
          AbChartRect rect;
          g_autofree char *text = ab_chart_target_label (cr, &data, width, height, &rect);
          int line;
          guint hidden;

          g_assert_nonnull (text);
          cairo_set_source_rgb (cr, 1, 1, 1);
          cairo_paint (cr);
          ab_chart_render (cr, AB_CHART_LATENCY, &data, width, height);
          cairo_surface_flush (surface);
          if (g_getenv ("AB_CHART_PNG_DIR") != NULL)
            {
              g_autofree char *name = g_strdup_printf ("target-avoids-%u-%d.png", k, width);
              g_autofree char *path = g_build_filename (g_getenv ("AB_CHART_PNG_DIR"), name, NULL);

              cairo_surface_write_to_png (surface, path);
            }
          line = target_line_row (surface);
          hidden = curve_pixels (surface, &rect);
          g_test_message ("split %.2f, %d px: \"%s\" at (%.0f, %.0f), line at %d, %u curve pixels under it",
                          cases[k].split, width, text, rect.x, rect.y, line, hidden);
          /* the case is the one meant: no room above the line */
          g_assert_cmpint (line, >=, 0);
          g_assert_cmpfloat (rect.y, >, line);
          if (hidden > 3)
            g_error ("split %.2f, %d px: the target's name \"%s\" hides %u pixels of the curves", cases[k].split,
                     width, text, hidden);
          if (cases[k].whole)
            g_assert_cmpstr (text, ==, label);
          else
            {
              g_assert_true (g_str_has_prefix (label, text) && strlen (text) < strlen (label));
              /* the comparison with its unit, written after a space in
               * the problem ("P95 < 50 ms for queries"): "P95 < 50" said
               * fifty of nothing */
              g_assert_cmpstr (text, ==, "P95 < 50 ms");
            }
          cairo_destroy (cr);
          cairo_surface_destroy (surface);
        }
      run_clear (&run);
    }
}

static double
srgb_luminance (guint32 px)
{
  double c[3] = { ((px >> 16) & 0xff) / 255.0, ((px >> 8) & 0xff) / 255.0, (px & 0xff) / 255.0 };

  for (guint i = 0; i < 3; i++)
    c[i] = c[i] <= 0.04045 ? c[i] / 12.92 : pow ((c[i] + 0.055) / 1.055, 2.4);
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

/* The target's name reads in both themes: its strongest text pixel
 * stands 4.5:1 from its backing.  On the dark chart it was red 3 on
 * near-black, 3.2:1. */
static void
test_target_label_contrast (void)
{
  Run run = { 0 };
  AbChartData data;

  run_reference (&run, "basic-database-design");
  chart_data_of (&run, &data);
  for (int dark = 0; dark < 2; dark++)
    {
      const int width = 420, height = 180;
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
      cairo_t *cr = cairo_create (surface);
      AbChartRect rect;
      g_autofree char *text = NULL;
      const guchar *pixels;
      int stride;
      double backing, best = 1.0;

      data.dark = dark;
      text = ab_chart_target_label (cr, &data, width, height, &rect);
      g_assert_nonnull (text);
      /* the panel's background in the theme */
      if (dark)
        cairo_set_source_rgb (cr, 0x24 / 255.0, 0x24 / 255.0, 0x24 / 255.0);
      else
        cairo_set_source_rgb (cr, 0xfa / 255.0, 0xfa / 255.0, 0xfa / 255.0);
      cairo_paint (cr);
      ab_chart_render (cr, AB_CHART_LATENCY, &data, width, height);
      cairo_surface_flush (surface);
      pixels = cairo_image_surface_get_data (surface);
      stride = cairo_image_surface_get_stride (surface);
      /* the backing: the label's box's corner, left of the text */
      backing = srgb_luminance (*(const guint32 *) (pixels + ((int) rect.y + 1) * stride + ((int) rect.x) * 4));
      for (int y = (int) rect.y + 1; y < (int) (rect.y + rect.height) - 1; y++)
        for (int x = (int) rect.x + 2; x < (int) (rect.x + rect.width) - 1; x++)
          {
            guint32 px = *(const guint32 *) (pixels + y * stride + x * 4);
            double l = srgb_luminance (px);
            double ratio = (MAX (l, backing) + 0.05) / (MIN (l, backing) + 0.05);

            /* text pixels are red: more red than green */
            if (((px >> 16) & 0xff) > ((px >> 8) & 0xff) + 40)
              best = MAX (best, ratio);
          }
      g_test_message ("%s: \"%s\" at %.1f:1", dark ? "dark" : "light", text, best);
      g_assert_cmpfloat (best, >=, 4.5);
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
    }
  run_clear (&run);
}

static void
test_hover_and_pinned (void)
{
  Run run = { 0 };
  AbChartData data;
  const AbSimPoint *pt;
  g_autofree char *text = NULL;
  g_autofree char *p95 = NULL;
  cairo_surface_t *s;
  double t;

  run_reference (&run, "basic-database-design");
  chart_data_of (&run, &data);
  pt = g_ptr_array_index (run.points, 5);
  text = ab_chart_describe_at (AB_CHART_LATENCY, &data, pt->t_s + pt->duration_s / 2.0);
  g_assert_nonnull (text);
  {
    g_autofree char *figure = ab_format_latency (pt->p95_ms);

    p95 = g_strdup_printf ("P95 %s", figure);
  }
  g_assert_nonnull (strstr (text, p95));
  g_assert_null (ab_chart_describe_at (AB_CHART_LATENCY, &data, -5.0));
  g_free (text);
  text = ab_chart_describe_at (AB_CHART_COST, &data, pt->t_s);
  g_assert_nonnull (strstr (text, "per hour"));

  /* x -> time: the plot spans the whole timeline */
  t = ab_chart_time_at (&data, W, W - 10.0);
  g_assert_cmpfloat (fabs (t - ab_scenario_duration (ab_sim_setup_get_scenario (run.setup))), <, 1e-9);
  g_assert_cmpfloat (ab_chart_time_at (&data, W, 0.0), ==, 0.0);

  /* hover line and a pinned run (dashed, foreground colour) draw */
  data.hover_t = pt->t_s;
  data.pinned = run.points;
  s = render (AB_CHART_LATENCY, &data);
  g_assert_cmpuint (count_color (s, 36, 36, 41, 30, 22, H - 20), >, 50);
  cairo_surface_destroy (s);
  run_clear (&run);
}

static void
expect_axis (AbChartKind kind,
             double      v,
             const char *want)
{
  g_autofree char *got = ab_chart_axis_label (kind, v);

  g_assert_cmpstr (got, ==, want);
}

/* The throughput axis's labels are the hover text's rates, word for word,
 * and fit the margin beside the plot (48 px at 8 pt) below a billion a
 * second. */
static void
expect_throughput_words (void)
{
  static const double ticks[] = { 0.0, 5.0, 250.0, 1000.0, 15000.0, 100000.0, 250000.0,
                                  1e6, 2.5e6, 100e6, 250e6, 2.5e9 };
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 10, 10);
  cairo_t *cr = cairo_create (surface);

  for (guint i = 0; i < G_N_ELEMENTS (ticks); i++)
    {
      g_autofree char *axis = ab_chart_axis_label (AB_CHART_THROUGHPUT, ticks[i]);
      g_autofree char *hover = ab_format_rate_short (ticks[i]);
      g_autofree char *fitted = NULL;

      g_assert_cmpstr (axis, ==, hover);
      if (ticks[i] < 1e9)
        {
          fitted = ab_chart_fit_label (cr, axis, 48.0);
          g_assert_cmpstr (fitted, ==, axis);
        }
    }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* The instances readout of a point whose stations hold @total between
 * them (all on the first). */
static char *
instances_readout (const AbChartData *data,
                   AbSimPoint        *pt,
                   double             total)
{
  for (guint s = 0; s < pt->n_stations; s++)
    pt->instances[s] = s == 0 ? total : 0.0;
  return ab_chart_describe_at (AB_CHART_INSTANCES, data, pt->t_s);
}

static void
expect_instances (const AbChartData *data,
                  AbSimPoint        *pt,
                  double             total,
                  const char        *want)
{
  g_autofree char *text = instances_readout (data, pt, total);
  const char *values = strstr (text, ": ");

  g_assert_nonnull (values);
  g_assert_cmpstr (values + 2, ==, want);
}

/* The instances readout counts whole instances as whole numbers
 * ("1,954 instances", not "1954.0 instances"), an average over a bucket
 * with one decimal ("12.5 instances"), with the plural form the count
 * takes ("1 instance"), digits grouped as the locale groups them; and
 * names the phase in the user's language.  In German (a subprocess):
 * "1.954 Instanzen", "12,5 Instanzen", "1 Instanz", "(Spitzenlast)", and
 * the cost axis's "40k $" as the hover text's "26.929,45 $". */
static void
test_instances_readout (void)
{
  gboolean german = g_test_subprocess ();
  Run run = { 0 };
  AbChartData data;
  AbSimPoint *pt = NULL;
  g_autofree char *text = NULL;
  g_autofree char *phase = NULL;

  if (german)
    {
      german_test_enter ();
    }
  run_reference (&run, "basic-database-design");
  chart_data_of (&run, &data);
  /* a point of the peak */
  for (guint i = 0; i < run.points->len && pt == NULL; i++)
    {
      AbSimPoint *p = g_ptr_array_index (run.points, i);
      const AbScenario *scenario = ab_sim_setup_get_scenario (run.setup);

      if (p->phase >= 0 && g_str_equal (g_array_index (scenario->phases, AbPhase, p->phase).name, "peak"))
        pt = p;
    }
  g_assert_nonnull (pt);
  g_assert_cmpuint (pt->n_stations, >, 0);
  text = instances_readout (&data, pt, 3.0);
  phase = g_strdup_printf ("(%s)", german ? "Spitzenlast" : "peak");
  g_assert_nonnull (strstr (text, phase));
  if (german)
    {
      expect_instances (&data, pt, 1954.0, "1.954 Instanzen");
      expect_instances (&data, pt, 12.5, "12,5 Instanzen");
      expect_instances (&data, pt, 1.0, "1 Instanz");
      /* the cost axis puts the sign where the hover text does */
      expect_axis (AB_CHART_COST, 40000.0, "40k $");
      /* and the throughput axis says its rates as the hover text does
       * (it read "2,5M/s" beside the hover's "2,5 Mio./s") */
      expect_axis (AB_CHART_THROUGHPUT, 15000.0, "15 k/s");
      expect_axis (AB_CHART_THROUGHPUT, 2.5e6, "2,5 M/s");
      expect_throughput_words ();
    }
  else
    {
      expect_instances (&data, pt, 1954.0, "1,954 instances");
      /* whole at the one decimal shown */
      expect_instances (&data, pt, 1953.98, "1,954 instances");
      expect_instances (&data, pt, 12.5, "12.5 instances");
      expect_instances (&data, pt, 12.04, "12 instances");
      expect_instances (&data, pt, 1.0, "1 instance");
      expect_instances (&data, pt, 0.98, "1 instance");
      expect_instances (&data, pt, 0.0, "0 instances");
      expect_instances (&data, pt, 1234567.3, "1,234,567.3 instances");
    }
  run_clear (&run);
  if (german)
    return;

  expect_throughput_words ();
  german_test_trap ();
}

/* Axis ticks never use an exponent ("1e+04" for 10,000 instances). */
static void
test_axis_labels (void)
{
  expect_axis (AB_CHART_LATENCY, 10.0, "10 ms");
  expect_axis (AB_CHART_LATENCY, 1000.0, "1 s");
  expect_axis (AB_CHART_THROUGHPUT, 15000.0, "15k/s");
  expect_axis (AB_CHART_THROUGHPUT, 2.5e6, "2.5M/s");
  expect_axis (AB_CHART_THROUGHPUT, 500.0, "500/s");
  /* no exponent past a thousand million ("1e+03M/s") */
  expect_axis (AB_CHART_THROUGHPUT, 1e9, "1,000M/s");
  expect_axis (AB_CHART_COST, 40000.0, "$40k");
  expect_axis (AB_CHART_COST, 2.5e6, "$2.5M");
  expect_axis (AB_CHART_COST, 8.0, "$8");
  expect_axis (AB_CHART_INSTANCES, 10000.0, "10k");
  expect_axis (AB_CHART_INSTANCES, 5000.0, "5k");
  expect_axis (AB_CHART_INSTANCES, 250.0, "250");
  expect_axis (AB_CHART_INSTANCES, 1.2e9, "1.2G");
}

/* Renders @kind at @width x H (the panel's narrow charts). */
static cairo_surface_t *
render_sized (AbChartKind        kind,
              const AbChartData *data,
              int                width)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, H);
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  ab_chart_render (cr, kind, data, width, H);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

/* The time axis's last label ends inside the chart: on a 200 s timeline
 * "200 s" at the plot's right end used to reach past the 10 px margin
 * and be cut off at the chart's edge. */
static void
test_time_axis_end (void)
{
  Run run = { 0 };
  AbChartData data;
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  AbScenario *scenario;
  AbPhase *last;

  run_reference (&run, "basic-database-design");
  scenario = (AbScenario *) ab_sim_setup_get_scenario (run.setup);
  last = &g_array_index (scenario->phases, AbPhase, scenario->phases->len - 1);
  last->duration_s += 200.0 - ab_scenario_duration (scenario);
  g_assert_cmpfloat (ab_scenario_duration (scenario), ==, 200.0);
  ab_chart_data_init (&data);
  data.setup = run.setup;
  data.points = none;
  for (int width = 300; width <= 900; width += 100)
    {
      cairo_surface_t *surface = render_sized (AB_CHART_THROUGHPUT, &data, width);
      const guint8 *pixels = cairo_image_surface_get_data (surface);
      int stride = cairo_image_surface_get_stride (surface);
      guint near_end = 0;

      for (int y = H - 18; y < H; y++)
        for (int x = width - 40; x < width; x++)
          {
            guint32 px = *(const guint32 *) (pixels + y * stride + x * 4);
            int grey = (px >> 16) & 0xff;

            /* no text at all (not even its edge) in the last column */
            if (grey < 230 && x >= width - 1)
              g_error ("width %d: the last time label reaches the chart's edge", width);
            near_end += grey < 160;
          }
      /* and it is there */
      g_assert_cmpuint (near_end, >, 10);
      cairo_surface_destroy (surface);
    }
  run_clear (&run);
}

/* The hover text of a chart narrower than the text wraps and stays inside
 * the chart, wherever the pointer is: it is never cut off at an edge. */
static void
test_hover_narrow (void)
{
  const int width = 150;
  Run run = { 0 };
  AbChartData data;
  cairo_surface_t *plain;
  double at[] = { 0.02, 0.5, 0.98 };

  run_reference (&run, "basic-database-design");
  chart_data_of (&run, &data);
  plain = render_sized (AB_CHART_LATENCY, &data, width);
  for (guint i = 0; i < G_N_ELEMENTS (at); i++)
    {
      double t_max = ab_scenario_duration (ab_sim_setup_get_scenario (run.setup));
      cairo_surface_t *hovered;
      const guint32 *a, *b;
      int stride, x_lo = width, x_hi = -1, x_line = 0;

      data.hover_t = at[i] * t_max;
      hovered = render_sized (AB_CHART_LATENCY, &data, width);
      while (x_line < width && ab_chart_time_at (&data, width, x_line + 0.5) < data.hover_t)
        x_line++;
      a = (const guint32 *) cairo_image_surface_get_data (plain);
      b = (const guint32 *) cairo_image_surface_get_data (hovered);
      stride = cairo_image_surface_get_stride (plain) / 4;
      /* columns where the text box differs from the plain chart, leaving
       * out the hover line itself */
      for (int y = 0; y < H; y++)
        for (int x = 0; x < width; x++)
          if (a[y * stride + x] != b[y * stride + x] &&
              abs (x - x_line) > 2)
            {
              x_lo = MIN (x_lo, x);
              x_hi = MAX (x_hi, x);
            }
      g_assert_cmpint (x_hi, >, x_lo + 40);
      g_assert_cmpint (x_lo, >=, 1);
      g_assert_cmpint (x_hi, <=, width - 2);
      cairo_surface_destroy (hovered);
    }
  cairo_surface_destroy (plain);
  run_clear (&run);
}

/* @line with its no-break spaces as plain ones. */
static char *
plain_spaces (const char *line)
{
  g_auto(GStrv) parts = g_strsplit (line, "\u00a0", -1);

  return g_strjoinv (" ", parts);
}

/* Whether @piece is whole on one of @lines. */
static gboolean
on_one_line (char *const *lines,
             const char  *piece)
{
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *plain = plain_spaces (lines[i]);

      if (strstr (plain, piece) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* The hover readout wraps between values only: a series' name, its
 * figure and the figure's unit ("P99 32.8 ms", "offered 1.2k/s") and the
 * time ("42 s") share a line, in every chart, from the narrowest panel
 * width up; the lines fit the chart. */
static void
test_readout_lines (void)
{
  const char *const problems[] = { "basic-database-design", "key-value-store" };
  const int widths[] = { 150, 190, 230, 270, 300, 360, 640 };
  const double at[] = { 0.02, 0.3, 0.55, 0.8, 0.98 };
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 8, 8);
  cairo_t *cr = cairo_create (surface);
  PangoLayout *measure = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string ("Sans 8");
  guint wrapped = 0, checked = 0;

  pango_layout_set_font_description (measure, desc);
  for (guint p = 0; p < G_N_ELEMENTS (problems); p++)
    {
      Run run = { 0 };
      AbChartData data;
      double t_max;

      run_reference (&run, problems[p]);
      chart_data_of (&run, &data);
      t_max = ab_scenario_duration (ab_sim_setup_get_scenario (run.setup));
      for (AbChartKind kind = 0; kind < AB_N_CHARTS; kind++)
        for (guint i = 0; i < G_N_ELEMENTS (at); i++)
          {
            g_autofree char *text = NULL;
            const char *values;
            g_auto(GStrv) pieces = NULL;
            g_autofree char *time = NULL;

            data.hover_t = at[i] * t_max;
            text = ab_chart_describe_at (kind, &data, data.hover_t);
            g_assert_nonnull (text);
            values = strstr (text, ": ");
            g_assert_nonnull (values);
            pieces = g_strsplit (values + 2, ", ", -1);
            time = g_strndup (text, strstr (text, " (") - text);   /* "42 s" */
            for (guint wi = 0; wi < G_N_ELEMENTS (widths); wi++)
              {
                g_auto(GStrv) lines = ab_chart_readout_lines (cr, kind, &data, widths[wi]);
                guint n = lines != NULL ? g_strv_length (lines) : 0;

                g_assert_cmpuint (n, >=, 1);
                wrapped += n > 1;
                for (guint k = 0; pieces[k] != NULL; k++)
                  if (!on_one_line (lines, pieces[k]))
                    {
                      g_autofree char *all = g_strjoinv (" | ", lines);

                      g_error ("%s, chart %d, %d px wide: \"%s\" is split across lines: %s",
                               problems[p], kind, widths[wi], pieces[k], all);
                    }
                g_assert_true (on_one_line (lines, time));
                for (guint k = 0; k < n; k++)
                  {
                    int w, h;

                    pango_layout_set_text (measure, lines[k], -1);
                    pango_layout_get_pixel_size (measure, &w, &h);
                    g_assert_cmpint (w, <=, widths[wi] - 10);
                  }
                checked++;
              }
          }
      run_clear (&run);
    }
  /* the test means something: narrow charts wrap */
  g_assert_cmpuint (wrapped, >, checked / 4);
  pango_font_description_free (desc);
  g_object_unref (measure);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static gboolean
rects_meet (const AbChartRect *r,
            const AbChartMark *m)
{
  return r->x < m->x_to && m->x_from < r->x + r->width
         && r->y < m->y_bottom && m->y_top < r->y + r->height;
}

static gboolean
inside_rect (const AbChartRect *r,
             const AbChartRect *bounds)
{
  return r->x >= bounds->x && r->y >= bounds->y && r->x + r->width <= bounds->x + bounds->width
         && r->y + r->height <= bounds->y + bounds->height;
}

/* The hover readout's place (ab_chart_place_readout): clear of the data
 * beside the hover line when there is room above or below the curves,
 * in the header strip when the data fills the plot, and never over the
 * data at the hovered point. */
static void
test_readout_placement (void)
{
  const AbChartRect bounds = { 2, 0, 297, 200 };
  const AbChartRect plot = { 52, 22, 238, 158 };
  const AbChartRect header = { 110, 0, 180, 22 };
  AbChartMark marks[60];
  AbChartRect r;

  /* curves near the top, across the plot (a point every 4 px) */
  for (guint i = 0; i < G_N_ELEMENTS (marks); i++)
    marks[i] = (AbChartMark) { 52 + 4 * i, 56 + 4 * i, 30, 60 };
  r = ab_chart_place_readout (&bounds, &plot, &header, 120, marks, G_N_ELEMENTS (marks), 150, 17);
  for (guint i = 0; i < G_N_ELEMENTS (marks); i++)
    g_assert_false (rects_meet (&r, &marks[i]));
  g_assert_cmpfloat (r.y, >=, 60);
  g_assert_cmpfloat (r.x, >=, 120);      /* beside the line, on its right */
  g_assert_true (inside_rect (&r, &plot));

  /* near the bottom: at the top */
  for (guint i = 0; i < G_N_ELEMENTS (marks); i++)
    marks[i] = (AbChartMark) { 52 + 4 * i, 56 + 4 * i, 150, 180 };
  r = ab_chart_place_readout (&bounds, &plot, &header, 120, marks, G_N_ELEMENTS (marks), 150, 17);
  for (guint i = 0; i < G_N_ELEMENTS (marks); i++)
    g_assert_false (rects_meet (&r, &marks[i]));
  g_assert_cmpfloat (r.y + r.height, <=, 150);

  /* near the right edge: on the line's left */
  r = ab_chart_place_readout (&bounds, &plot, &header, 250, marks, G_N_ELEMENTS (marks), 150, 17);
  g_assert_cmpfloat (r.x + r.width, <=, 250);

  /* a stack filling the plot: in the header strip, over the legend */
  for (guint i = 0; i < G_N_ELEMENTS (marks); i++)
    marks[i] = (AbChartMark) { 52 + 4 * i, 56 + 4 * i, 26, 180 };
  r = ab_chart_place_readout (&bounds, &plot, &header, 120, marks, G_N_ELEMENTS (marks), 150, 17);
  g_assert_true (inside_rect (&r, &header));

  /* no room anywhere (too tall for the header): not over the hovered
   * point's data, inside the chart */
  r = ab_chart_place_readout (&bounds, &plot, &header, 121, marks, G_N_ELEMENTS (marks), 150, 40);
  for (guint i = 0; i < G_N_ELEMENTS (marks); i++)
    if (marks[i].x_from <= 121 && 121 <= marks[i].x_to)
      g_assert_false (rects_meet (&r, &marks[i]));
  g_assert_true (inside_rect (&r, &bounds));

  /* curves in the middle, a tall box: above or below them */
  for (guint i = 0; i < G_N_ELEMENTS (marks); i++)
    marks[i] = (AbChartMark) { 52 + 4 * i, 56 + 4 * i, 90, 100 };
  r = ab_chart_place_readout (&bounds, &plot, &header, 160, marks, G_N_ELEMENTS (marks), 120, 60);
  for (guint i = 0; i < G_N_ELEMENTS (marks); i++)
    g_assert_false (rects_meet (&r, &marks[i]));
}

/* Whether the pixel at (x, y) is a curve's, an area's or a band's: a
 * colour, where the chart's background, grid, bands and text are grey. */
static gboolean
data_pixel (const guint32 *px)
{
  int r = (*px >> 16) & 0xff, g = (*px >> 8) & 0xff, b = *px & 0xff;

  return MAX (r, MAX (g, b)) - MIN (r, MIN (g, b)) > 60;
}

/* The hover readout hides none of the data the chart draws inside its
 * plot (the hover line aside), for every chart, at the panel's widths,
 * wherever the pointer is. */
static void
test_readout_hides_no_data (void)
{
  const char *const problems[] = { "key-value-store", "basic-database-design" };
  const int widths[] = { 640, 300 };
  const double at[] = { 0.05, 0.3, 0.55, 0.8, 0.97 };
  guint placed = 0;

  for (guint p = 0; p < G_N_ELEMENTS (problems); p++)
    {
      Run run = { 0 };
      AbChartData data;
      double t_max;

      run_reference (&run, problems[p]);
      chart_data_of (&run, &data);
      t_max = ab_scenario_duration (ab_sim_setup_get_scenario (run.setup));
      for (AbChartKind kind = 0; kind < AB_N_CHARTS; kind++)
        for (guint wi = 0; wi < G_N_ELEMENTS (widths); wi++)
          {
            int width = widths[wi];
            cairo_surface_t *plain;

            data.hover_t = NAN;
            plain = render_sized (kind, &data, width);
            for (guint i = 0; i < G_N_ELEMENTS (at); i++)
              {
                cairo_surface_t *hovered;
                const guint32 *a, *b;
                int stride, x_line = 0;
                guint changed = 0;

                data.hover_t = at[i] * t_max;
                hovered = render_sized (kind, &data, width);
                while (x_line < width && ab_chart_time_at (&data, width, x_line + 0.5) < data.hover_t)
                  x_line++;
                a = (const guint32 *) cairo_image_surface_get_data (plain);
                b = (const guint32 *) cairo_image_surface_get_data (hovered);
                stride = cairo_image_surface_get_stride (plain) / 4;
                /* the plot: 52 px of axis labels on the left, 10 on the
                 * right, 22 above (title), 20 below (time axis) */
                for (int y = 0; y < H; y++)
                  for (int x = 0; x < width; x++)
                    changed += abs (x - x_line) > 2 && a[y * stride + x] != b[y * stride + x];
                for (int y = 22; y < H - 20; y++)
                  for (int x = 52; x < width - 10; x++)
                    {
                      if (abs (x - x_line) <= 2 || !data_pixel (&a[y * stride + x]))
                        continue;
                      if (a[y * stride + x] != b[y * stride + x] && g_getenv ("AB_CHART_PNG_DIR") != NULL)
                        {
                          /* for looking at them */
                          g_autofree char *pa = g_build_filename (g_getenv ("AB_CHART_PNG_DIR"), "plain.png", NULL);
                          g_autofree char *pb = g_build_filename (g_getenv ("AB_CHART_PNG_DIR"), "hovered.png", NULL);

                          cairo_surface_write_to_png (plain, pa);
                          cairo_surface_write_to_png (hovered, pb);
                        }
                      if (a[y * stride + x] != b[y * stride + x])
                        g_error ("%s, chart %d, %d px wide, pointer at %.0f s: the readout hides data at (%d, %d)",
                                 problems[p], kind, width, data.hover_t, x, y);
                    }
                /* the test means something: the readout is drawn */
                placed += changed > 100;
                cairo_surface_destroy (hovered);
              }
            cairo_surface_destroy (plain);
          }
      run_clear (&run);
    }
  g_assert_cmpuint (placed, ==, G_N_ELEMENTS (problems) * AB_N_CHARTS * G_N_ELEMENTS (widths) * G_N_ELEMENTS (at));
}

/* Scales @kind's values in @points so that their highest is @top, a
 * round figure the axis ends on. */
static void
scale_to (GPtrArray   *points,
          AbChartKind  kind,
          double       top)
{
  double hi = 0.0, k;

  for (guint i = 0; i < points->len; i++)
    {
      const AbSimPoint *pt = g_ptr_array_index (points, i);
      double total = 0.0;

      for (guint s = 0; s < pt->n_stations; s++)
        total += kind == AB_CHART_COST ? pt->cost_per_hour_by[s] : pt->instances[s];
      hi = MAX (hi, kind == AB_CHART_THROUGHPUT ? MAX (pt->offered_rps, pt->served_rps) : total);
    }
  g_assert_cmpfloat (hi, >, 0.0);
  k = top / hi;
  for (guint i = 0; i < points->len; i++)
    {
      AbSimPoint *pt = g_ptr_array_index (points, i);

      for (guint s = 0; s < pt->n_stations; s++)
        {
          pt->instances[s] *= k;
          pt->cost_per_hour_by[s] *= k;
        }
      pt->offered_rps *= k;
      pt->served_rps *= k;
      pt->errors_rps *= k;
    }
}

/* The phases' names stay readable: no stack or curve covers them, even
 * where the data reaches a round figure the axis would end on (the
 * stack used to fill the plot to its top edge, over the top row). */
static void
test_phase_names_above_data (void)
{
  const AbChartKind kinds[] = { AB_CHART_INSTANCES, AB_CHART_COST, AB_CHART_THROUGHPUT };
  const double tops[] = { 2000.0, 300.0, 400000.0 };
  const int widths[] = { 640, 300 };

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    for (guint wi = 0; wi < G_N_ELEMENTS (widths); wi++)
      {
        Run run = { 0 };
        AbChartData data;
        cairo_surface_t *surface;
        cairo_t *cr;
        g_autoptr(GArray) labels = NULL;
        const guint32 *px;
        int stride, width = widths[wi];
        guint named = 0;

        run_reference (&run, "key-value-store");
        scale_to (run.points, kinds[k], tops[k]);
        ab_chart_data_init (&data);
        data.setup = run.setup;
        data.points = run.points;
        surface = render_sized (kinds[k], &data, width);
        cr = cairo_create (surface);
        labels = ab_chart_phase_labels (cr, kinds[k], &data, width, H);
        cairo_destroy (cr);
        px = (const guint32 *) cairo_image_surface_get_data (surface);
        stride = cairo_image_surface_get_stride (surface) / 4;
        for (guint p = 0; p < labels->len; p++)
          {
            const AbChartPhaseLabel *label = &g_array_index (labels, AbChartPhaseLabel, p);

            if (label->text == NULL)
              continue;
            named++;
            for (int y = (int) floor (label->rect.y); y < (int) ceil (label->rect.y + label->rect.height); y++)
              for (int x = (int) floor (label->rect.x); x < (int) ceil (label->rect.x + label->rect.width); x++)
                if (data_pixel (&px[y * stride + x]))
                  {
                    if (g_getenv ("AB_CHART_PNG_DIR") != NULL)
                      {
                        g_autofree char *path = g_build_filename (g_getenv ("AB_CHART_PNG_DIR"), "covered.png", NULL);

                        cairo_surface_write_to_png (surface, path);
                      }
                    g_error ("chart %d, %d px wide: the data covers the phase name \"%s\" at (%d, %d)",
                             kinds[k], width, label->text, x, y);
                  }
          }
        g_assert_cmpuint (named, >=, 3);
        if (g_getenv ("AB_CHART_PNG_DIR") != NULL)
          {
            g_autofree char *name = g_strdup_printf ("names-%d-%d.png", kinds[k], width);
            g_autofree char *path = g_build_filename (g_getenv ("AB_CHART_PNG_DIR"), name, NULL);

            cairo_surface_write_to_png (surface, path);
          }
        cairo_surface_destroy (surface);
        run_clear (&run);
      }
}

static cairo_status_t
count_bytes (void                *closure,
             const unsigned char *data,
             unsigned int         length)
{
  *(gsize *) closure += length;
  return CAIRO_STATUS_SUCCESS;
}

static const AbSimPoint *
point (GPtrArray *points,
       guint      i)
{
  return g_ptr_array_index (points, i);
}

/* A stacked chart's legend has room for a few names beside its title in
 * a narrow chart: it names the largest areas (the key-value store's cost
 * is mostly its proxy layer's and its snapshots'), not the last stations
 * of the design. */
static void
test_legend_largest (void)
{
  /* ab-chart-render.c's series colours, 0..255 */
  static const int palette[][3] = {
    { 54, 133, 227 }, { 46, 194, 125 }, { 230, 166, 10 }, { 191, 97, 214 },
    { 242, 120, 51 }, { 102, 181, 194 }, { 153, 117, 89 }, { 224, 28, 36 },
  };
  const int width = 330, height = 150;
  Run run = { 0 };
  AbChartData data;
  g_autofree double *total = NULL;
  guint n_stations, largest = 0;
  cairo_surface_t *surface;
  cairo_t *cr;
  const guint8 *pixels;
  int stride;
  guint found = 0;

  run_reference (&run, "key-value-store");
  n_stations = point (run.points, 0)->n_stations;
  total = g_new0 (double, n_stations);
  for (guint i = 0; i < run.points->len; i++)
    for (guint s = 0; s < n_stations; s++)
      total[s] += point (run.points, i)->cost_per_hour_by[s] * point (run.points, i)->duration_s;
  for (guint s = 1; s < n_stations; s++)
    if (total[s] > total[largest])
      largest = s;
  /* the test means something: the largest is not among the last two */
  g_assert_cmpuint (largest, <, n_stations - 2);

  chart_data_of (&run, &data);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  ab_chart_render (cr, AB_CHART_COST, &data, width, height);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  /* the largest's colour square in the title row (above the plot) */
  pixels = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < 20; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 px = *(const guint32 *) (pixels + y * stride + x * 4);
        const int *c = palette[largest % G_N_ELEMENTS (palette)];

        if (ABS ((int) ((px >> 16) & 0xff) - c[0]) <= 3 && ABS ((int) ((px >> 8) & 0xff) - c[1]) <= 3
            && ABS ((int) (px & 0xff) - c[2]) <= 3)
          found++;
      }
  g_assert_cmpuint (found, >=, 40);
  cairo_surface_destroy (surface);
  run_clear (&run);
}

/* The series @kind draws in @data: for a stacked chart, the stations
 * with any area. */
static guint
n_stacked_series (const AbChartData *data)
{
  guint n = 0;

  for (guint s = 0; s < point (data->points, 0)->n_stations; s++)
    {
      gboolean any = FALSE;

      for (guint i = 0; i < data->points->len; i++)
        any = any || point (data->points, i)->cost_per_hour_by[s] > 0.0;
      n += any;
    }
  return n;
}

/* A legend without room for every series' name says how many it leaves
 * out ("+3 more", German "+3 weitere") after the largest areas' names,
 * rather than leaving them out silently: the key-value store's cost
 * chart 330 px wide named two of its five components and no more. */
static void
test_legend_names_left_out (void)
{
  Run run = { 0 };
  AbChartData data;
  guint n_series;
  gboolean german = g_test_subprocess ();
  gboolean some_left_out = FALSE, all_named = FALSE;

  if (german)
    german_test_enter ();
  run_reference (&run, "key-value-store");
  chart_data_of (&run, &data);
  n_series = n_stacked_series (&data);
  for (int width = 250; width <= 1000; width += 50)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, 150);
      cairo_t *cr = cairo_create (surface);
      g_auto(GStrv) legend = ab_chart_legend (cr, AB_CHART_COST, &data, width, 150);
      guint n = g_strv_length (legend);
      g_autofree char *joined = g_strjoinv (" | ", legend);

      g_test_message ("%s %d px: %s", german ? "de" : "en", width, joined);
      if (n > 0 && g_str_has_prefix (legend[n - 1], "+"))
        {
          g_autofree char *want = g_strdup_printf (german ? "+%u weitere" : "+%u more", n_series - (n - 1));

          g_assert_cmpstr (legend[n - 1], ==, want);
          g_assert_cmpuint (n - 1, <, n_series);
          some_left_out = TRUE;
        }
      else
        {
          /* every series named (or, in the narrowest, no legend at all) */
          g_assert_true (n == n_series || n == 0);
          all_named = all_named || n == n_series;
        }
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
    }
  /* the test means something: some widths leave names out, some not */
  g_assert_true (some_left_out);
  g_assert_true (all_named);
  run_clear (&run);
  if (german)
    return;

  german_test_trap ();
}

/* Labels inside a chart (the latency target's) never end mid-word: all
 * of the text, or its first whole words and "…", within the width. */
static void
test_fit_label (void)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 10, 10);
  cairo_t *cr = cairo_create (surface);
  const char *text = "P95 < 1ms for cache hits";
  g_autofree char *full = ab_chart_fit_label (cr, text, 1000.0);
  g_autofree char *none = ab_chart_fit_label (cr, text, 3.0);
  guint shortened = 0;

  g_assert_cmpstr (full, ==, text);
  g_assert_null (none);
  for (double width = 4.0; width < 200.0; width += 3.0)
    {
      g_autofree char *fitted = ab_chart_fit_label (cr, text, width);
      g_autoptr(PangoLayout) layout = NULL;
      PangoFontDescription *desc;
      int w, h;
      gsize n;

      if (fitted == NULL || g_str_equal (fitted, text))
        continue;
      shortened++;
      /* "P95 < 1ms for…": a whole-word prefix, then the ellipsis */
      g_assert_true (g_str_has_suffix (fitted, "…"));
      n = strlen (fitted) - strlen ("…");
      g_assert_cmpint (strncmp (fitted, text, n), ==, 0);
      g_assert_cmpint (text[n], ==, ' ');
      g_assert_cmpint (fitted[n - 1], !=, ' ');
      layout = pango_cairo_create_layout (cr);
      desc = pango_font_description_from_string ("Sans 8");
      pango_layout_set_font_description (layout, desc);
      pango_font_description_free (desc);
      pango_layout_set_text (layout, fitted, -1);
      pango_layout_get_pixel_size (layout, &w, &h);
      g_assert_cmpint (w, <=, (int) width);
    }
  g_assert_cmpuint (shortened, >=, 3);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static void
test_pdf (void)
{
  Run run = { 0 };
  AbChartData data;
  gsize bytes = 0;
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (count_bytes, &bytes, 600, 800);
  cairo_t *cr = cairo_create (surface);

  run_reference (&run, "gaming-leaderboard");
  chart_data_of (&run, &data);
  for (AbChartKind k = 0; k < AB_N_CHARTS; k++)
    {
      cairo_save (cr);
      cairo_translate (cr, 0, k * 200.0);
      ab_chart_render (cr, k, &data, 600, 190);
      cairo_restore (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  g_assert_cmpuint (bytes, >, 2000);
  run_clear (&run);
}

/* Canvas states from the simulation (ab-render): a component without
 * traffic is drawn faded with its reason, one lost in the failure phase
 * greyed with a note; the others are untouched. */
static cairo_surface_t *
render_design (AbDesign   *design,
               GHashTable *dimmed,
               GHashTable *failed)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 900, 500);
  cairo_t *cr = cairo_create (surface);
  AbRenderOptions options;
  AbRect bounds;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  g_assert_true (ab_render_bounds (design, NULL, &bounds));
  cairo_translate (cr, 20 - bounds.x, 40 - bounds.y);
  ab_render_options_init (&options);
  options.dimmed = dimmed;
  options.failed = failed;
  ab_render_design (cr, design, &options, NULL);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

static guint
differing (cairo_surface_t *a,
           cairo_surface_t *b,
           const AbRect    *area,
           double           dx,
           double           dy)
{
  const guint8 *pa = cairo_image_surface_get_data (a), *pb = cairo_image_surface_get_data (b);
  int stride = cairo_image_surface_get_stride (a);
  guint n = 0;

  for (int y = MAX (0, (int) (area->y + dy)); y < MIN (500, (int) (area->y + dy + area->height)); y++)
    for (int x = MAX (0, (int) (area->x + dx)); x < MIN (900, (int) (area->x + dx + area->width)); x++)
      n += *(const guint32 *) (pa + y * stride + x * 4) != *(const guint32 *) (pb + y * stride + x * 4);
  return n;
}

static void
test_states (void)
{
  g_autoptr(AbDesign) design = ab_design_new (NULL);
  const char *client = ab_design_add_component (design, AB_KIND_CLIENT, "Users", 0, 0, 1);
  const char *app = ab_design_add_component (design, AB_KIND_APP, "API", 300, 0, 1);
  const char *lonely = ab_design_add_component (design, AB_KIND_CACHE, "Lonely", 600, 0, 1);
  g_autoptr(GHashTable) dimmed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) failed = g_hash_table_new (g_str_hash, g_str_equal);
  cairo_surface_t *plain, *states;
  AbRect lonely_rect, app_rect, client_rect, bounds;
  g_autoptr(GError) error = NULL;

  ab_design_connect (design, client, app, &error);
  g_assert_no_error (error);
  g_hash_table_insert (dimmed, (gpointer) lonely, (gpointer) "No client reaches it");
  g_hash_table_insert (failed, (gpointer) app, GINT_TO_POINTER (1));
  plain = render_design (design, NULL, NULL);
  states = render_design (design, dimmed, failed);
  g_assert_true (ab_render_bounds (design, NULL, &bounds));
  ab_render_component_rect (ab_design_find_component (design, lonely), &lonely_rect);
  ab_render_component_rect (ab_design_find_component (design, app), &app_rect);
  ab_render_component_rect (ab_design_find_component (design, client), &client_rect);
  /* faded / greyed cards differ, the untouched one does not */
  g_assert_cmpuint (differing (plain, states, &lonely_rect, 20 - bounds.x, 40 - bounds.y), >, 500);
  g_assert_cmpuint (differing (plain, states, &app_rect, 20 - bounds.x, 40 - bounds.y), >, 500);
  g_assert_cmpuint (differing (plain, states, &client_rect, 20 - bounds.x, 40 - bounds.y), ==, 0);
  /* the reason's pill below the faded card */
  lonely_rect.y += lonely_rect.height - 4;
  lonely_rect.height = 14;
  g_assert_cmpuint (differing (plain, states, &lonely_rect, 20 - bounds.x, 40 - bounds.y), >, 100);
  cairo_surface_destroy (plain);
  cairo_surface_destroy (states);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/chart/series", test_series);
  g_test_add_func ("/chart/empty-and-phases", test_empty_and_phases);
  g_test_add_func ("/chart/phase-labels-whole", test_phase_labels_whole);
  g_test_add_func ("/chart/phase-labels-narrow", test_phase_labels_narrow);
  g_test_add_func ("/chart/phase-short-forms", test_phase_short_forms);
  g_test_add_func ("/chart/target-label-side", test_target_label_side);
  g_test_add_func ("/chart/target-label-contrast", test_target_label_contrast);
  g_test_add_func ("/chart/target-label-avoids-data", test_target_label_avoids_data);
  g_test_add_func ("/chart/time-axis-end", test_time_axis_end);
  g_test_add_func ("/chart/hover-and-pinned", test_hover_and_pinned);
  g_test_add_func ("/chart/hover-narrow", test_hover_narrow);
  g_test_add_func ("/chart/instances-readout", test_instances_readout);
  g_test_add_func ("/chart/readout-lines", test_readout_lines);
  g_test_add_func ("/chart/phase-names-above-data", test_phase_names_above_data);
  g_test_add_func ("/chart/readout-placement", test_readout_placement);
  g_test_add_func ("/chart/readout-hides-no-data", test_readout_hides_no_data);
  g_test_add_func ("/chart/axis-labels", test_axis_labels);
  g_test_add_func ("/chart/fit-label", test_fit_label);
  g_test_add_func ("/chart/legend-largest", test_legend_largest);
  g_test_add_func ("/chart/legend-names-left-out", test_legend_names_left_out);
  g_test_add_func ("/chart/pdf", test_pdf);
  g_test_add_func ("/render/simulation-states", test_states);
  return g_test_run ();
}
