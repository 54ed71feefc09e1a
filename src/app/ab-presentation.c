/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbPresentation: see ab-presentation.h.  Drawing goes through ab-render
 * (slide style: no ports); the traffic rates come from the core's
 * routing (visit ratios at the problem's normal load). */
#define G_LOG_DOMAIN "archboard"

#include "config.h"

#include <math.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ab-presentation.h"
#include "ab-render-private.h"
#include "ab-sim-api.h"

/* Card labels are 13 units: at least this many pixels on screen. */
#define LABEL_MIN_PX      24.5
#define LABEL_BASE_UNITS  13.0
#define MAX_TEXT_SCALE     2.2
/* Smaller than asked (down to this share of it) rather than "Cust…" */
#define MIN_TEXT_SHARE     0.6
#define MAX_ZOOM           3.0
#define MARGIN_PX         48.0
#define CAPTION_PX       170.0
#define DOT_SPACING       56.0   /* units between traffic dots */
#define DOT_RADIUS         4.0
#define DOT_MIN_SPEED     30.0   /* units per second, the quietest connection */
#define DOT_MAX_SPEED    260.0   /* the busiest */
#define SPOTLIGHT_PX     170.0
#define SPOTLIGHT_IDLE_US (3 * G_USEC_PER_SEC)

typedef struct {
  double *pts;
  guint   n;
  double  length;
  double  speed;   /* units per second */
} DotPath;

struct _AbPresentation
{
  GtkWindow       parent_instance;

  GtkDrawingArea *area;
  GtkWidget      *caption;
  GtkLabel       *title_label;
  GtkLabel       *rule_label;

  AbDesign       *design;
  AbProblem      *problem;
  GHashTable     *rates;          /* connection id -> double* requests/s */
  AbWorkload      workload;
  AbRoute        *route;          /* NULL when the design cannot be simulated */
  int             failed;         /* component index lost in the failure
                                     scenario (F key), -1 none */
  double          max_rate;
  guint           step;
  guint           n_steps;
  gboolean        high_contrast;
  GArray         *paths;          /* DotPath of the current step */
  gboolean        paths_dirty;
  double          phase_s;
  gint64          last_frame_us;
  guint           tick_id;
  double          pointer_x, pointer_y;
  gint64          pointer_us;     /* last pointer motion, 0: none */
  gboolean        pointer_seen;   /* pointer_x, _y hold where it is */
  double          label_px;
  double          text_scale;     /* the labels' size, fitted to the cards */
  double          measured_for[3]; /* width, height, step of label_px and text_scale */
};

G_DEFINE_FINAL_TYPE (AbPresentation, ab_presentation, GTK_TYPE_WINDOW)

/* ---- steps ---- */

/* Kinds a tier up to @last asks for (AB_N_KINDS flags). */
static void
kinds_needed (AbProblem *problem, int last, gboolean *needed)
{
  memset (needed, 0, sizeof (gboolean) * AB_N_KINDS);
  for (int t = 0; problem != NULL && t <= last && t < (int) problem->tiers->len; t++)
    {
      const AbTier *tier = g_ptr_array_index (problem->tiers, t);

      for (guint r = 0; r < tier->rules->len; r++)
        {
          const AbTierRule *rule = g_ptr_array_index (tier->rules, r);

          if (rule->kind >= 0 && rule->kind < AB_N_KINDS)
            needed[rule->kind] = TRUE;
        }
    }
}

GStrv
ab_presentation_dup_visible (AbPresentation *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  gboolean by_any[AB_N_KINDS], so_far[AB_N_KINDS];

  g_return_val_if_fail (AB_IS_PRESENTATION (self), NULL);

  kinds_needed (self->problem, G_MAXINT, by_any);
  kinds_needed (self->problem, (int) self->step, so_far);
  for (guint i = 0; i < ab_design_get_n_components (self->design); i++)
    {
      const AbComponent *c = ab_design_get_component (self->design, i);
      gboolean known = c->kind >= 0 && c->kind < AB_N_KINDS;

      /* what no tier asks for (clients, balancers...) is there from the
       * start; the rest arrives with the first tier that needs it */
      if (!known || !by_any[c->kind] || so_far[c->kind])
        g_strv_builder_add (builder, c->id);
    }
  return g_strv_builder_end (builder);
}

static void
update_caption (AbPresentation *self)
{
  g_autofree char *title = NULL, *rules = NULL, *markup_title = NULL, *markup_rules = NULL;
  g_autofree char *a11y = NULL;

  if (self->problem != NULL && self->problem->tiers->len > 0)
    {
      const AbTier *tier = g_ptr_array_index (self->problem->tiers, self->step);
      g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
      g_auto(GStrv) texts = NULL;

      /* the rules in the user's words, as the checks panel says them
       * (not as the problem file writes them) */
      for (guint r = 0; r < tier->rules->len; r++)
        {
          g_autofree char *words = ab_tiers_describe_rule (g_ptr_array_index (tier->rules, r));

          g_strv_builder_add (b, words);
        }
      texts = g_strv_builder_end (b);
      /* TRANSLATORS: presentation caption: "T1: Replicas (2 of 3)" */
      title = g_strdup_printf (_("%s (%u of %u)"), tier->name, self->step + 1, self->n_steps);
      rules = texts[0] != NULL ? g_strjoinv (" · ", texts) : g_strdup (_("No new components"));
    }
  else
    {
      const char *t = ab_design_get_title (self->design);

      title = g_strdup (t != NULL && *t != '\0' ? t : _("Design"));
      rules = g_strdup ("");
    }
  if (self->failed >= 0)
    {
      const AbComponent *c = ab_design_get_component (self->design, self->failed);
      char *with = g_strdup_printf (_("%s — failure: %s is down"), title,
                                    c->label != NULL && *c->label != '\0' ? c->label : c->id);

      g_free (title);
      title = with;
    }
  markup_title = g_markup_printf_escaped ("<span size='28pt' weight='bold'>%s</span>", title);
  markup_rules = g_markup_printf_escaped ("<span size='18pt'>%s</span>", rules);
  gtk_label_set_markup (self->title_label, markup_title);
  gtk_label_set_markup (self->rule_label, markup_rules);
  gtk_widget_set_visible (GTK_WIDGET (self->rule_label), *rules != '\0');
  a11y = g_strdup_printf ("%s. %s", title, rules);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->area),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
}

guint
ab_presentation_get_step (AbPresentation *self)
{
  g_return_val_if_fail (AB_IS_PRESENTATION (self), 0);
  return self->step;
}

guint
ab_presentation_get_n_steps (AbPresentation *self)
{
  g_return_val_if_fail (AB_IS_PRESENTATION (self), 0);
  return self->n_steps;
}

void
ab_presentation_set_step (AbPresentation *self,
                          guint           step)
{
  g_return_if_fail (AB_IS_PRESENTATION (self));

  step = MIN (step, self->n_steps - 1);
  if (step == self->step)
    return;
  self->step = step;
  self->paths_dirty = TRUE;
  update_caption (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

double
ab_presentation_get_label_px (AbPresentation *self)
{
  g_return_val_if_fail (AB_IS_PRESENTATION (self), 0);
  return self->label_px;
}

/* ---- traffic ---- */

/* Requests per second on every connection at normal load by the
 * analytical model; with a component lost (failure scenario), what still
 * flows once it is gone. */
static void
compute_rates (AbPresentation *self)
{
  const AbNetwork *network;
  g_autoptr(AbModelResult) result = NULL;
  g_autofree gboolean *down = NULL;
  double **call_rates;
  guint n;

  g_clear_pointer (&self->rates, g_hash_table_unref);
  self->rates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->max_rate = 0;
  self->paths_dirty = TRUE;
  if (self->route == NULL)
    return;
  network = ab_route_get_network (self->route);
  n = ab_route_get_n_connections (self->route);
  if (self->failed >= 0 && (guint) self->failed < network->n_stations)
    {
      AbModelInput input = { 0 };

      down = g_new0 (gboolean, network->n_stations);
      down[self->failed] = TRUE;
      input.multiplier = 1.0;
      input.down = down;
      result = ab_model_evaluate (network, &input);
    }
  else
    result = ab_model_evaluate (network, NULL);
  call_rates = ab_model_call_rates (network, result);
  {
    g_autofree double *reads = g_new0 (double, MAX (n, 1));
    g_autofree double *writes = g_new0 (double, MAX (n, 1));

    ab_route_connection_rates (self->route, call_rates, reads, writes);
    for (guint i = 0; i < n; i++)
      {
        double rate = reads[i] + writes[i];

        if (rate > 0)
          {
            g_hash_table_insert (self->rates, g_strdup (ab_route_connection_id (self->route, i)),
                                 g_memdup2 (&rate, sizeof rate));
            self->max_rate = MAX (self->max_rate, rate);
          }
      }
  }
  ab_model_call_rates_free (network, call_rates);
}

static void
dot_path_clear (gpointer data)
{
  g_free (((DotPath *) data)->pts);
}

static void
collect_path (const AbConnection *connection,
              const double       *points,
              guint               n_points,
              gpointer            user_data)
{
  AbPresentation *self = user_data;
  const double *rate = g_hash_table_lookup (self->rates, connection->id);
  DotPath path = { 0 };

  if (rate == NULL || self->max_rate <= 0)
    return;
  path.pts = g_memdup2 (points, sizeof (double) * 2 * n_points);
  path.n = n_points;
  for (guint i = 0; i + 1 < n_points; i++)
    path.length += hypot (points[2 * i + 2] - points[2 * i], points[2 * i + 3] - points[2 * i + 1]);
  /* proportional to the rate, with a floor so quiet links still move */
  path.speed = MAX (DOT_MIN_SPEED, DOT_MAX_SPEED * *rate / self->max_rate);
  g_array_append_val (self->paths, path);
}

static void
update_paths (AbPresentation *self)
{
  g_auto(GStrv) visible = ab_presentation_dup_visible (self);

  g_array_set_size (self->paths, 0);
  ab_render_foreach_route_full (self->design, (const char * const *) visible, NULL, collect_path, self);
  self->paths_dirty = FALSE;
}

static void
draw_dots (AbPresentation *self, cairo_t *cr)
{
  for (guint i = 0; i < self->paths->len; i++)
    {
      const DotPath *p = &g_array_index (self->paths, DotPath, i);
      double s = fmod (self->phase_s * p->speed, DOT_SPACING);

      for (guint k = 0; k + 1 < p->n && s < p->length; k++)
        {
          double x0 = p->pts[2 * k], y0 = p->pts[2 * k + 1];
          double x1 = p->pts[2 * k + 2], y1 = p->pts[2 * k + 3];
          double len = hypot (x1 - x0, y1 - y0);

          while (len > 0 && s <= len)
            {
              double t = s / len;

              cairo_new_sub_path (cr);
              cairo_arc (cr, x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, DOT_RADIUS, 0, 2 * G_PI);
              s += DOT_SPACING;
            }
          s -= len;
        }
    }
  cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 1.0);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
  cairo_set_line_width (cr, 1.2);
  cairo_stroke (cr);
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  AbPresentation *self = user_data;
  gint64 now = gdk_frame_clock_get_frame_time (clock);

  if (self->last_frame_us > 0)
    self->phase_s += (now - self->last_frame_us) / (double) G_USEC_PER_SEC;
  self->last_frame_us = now;
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

/* ---- drawing ---- */

typedef struct {
  AbDesign *design;
  double    min_px;
} LabelMeasure;

static void
measure_sink (const AbTextRun *run, gpointer user_data)
{
  LabelMeasure *m = user_data;
  const AbComponent *c = run->owner_id != NULL ? ab_design_find_component (m->design, run->owner_id) : NULL;

  if (c != NULL && c->label != NULL && g_strcmp0 (run->full_text, c->label) == 0)
    m->min_px = MIN (m->min_px, run->size);
}

static void
set_transform (AbPresentation *self, cairo_t *cr, int width, int height,
               double *zoom_out, double *text_scale_out)
{
  AbRect bounds;
  double avail_w = width - 2 * MARGIN_PX, avail_h = height - 2 * MARGIN_PX - CAPTION_PX;
  double zoom = 1.0;

  if (!ab_render_bounds (self->design, NULL, &bounds) || bounds.width <= 0 || bounds.height <= 0)
    memset (&bounds, 0, sizeof bounds);
  else
    zoom = MIN (MAX_ZOOM, MIN (avail_w / bounds.width, MAX (avail_h, 1) / bounds.height));
  cairo_translate (cr, (width - bounds.width * zoom) / 2, MARGIN_PX + (avail_h - bounds.height * zoom) / 2);
  cairo_scale (cr, zoom, zoom);
  cairo_translate (cr, -bounds.x, -bounds.y);
  *zoom_out = zoom;
  *text_scale_out = CLAMP (LABEL_MIN_PX / (LABEL_BASE_UNITS * zoom), 1.0, MAX_TEXT_SCALE);
}

static void
fill_options (AbPresentation *self, AbRenderOptions *options, double text_scale)
{
  ab_render_options_init (options);
  options->slide = TRUE;
  options->dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  options->high_contrast = self->high_contrast;
  options->text_scale = text_scale;
}

static void
measure_labels (AbPresentation *self, int width, int height)
{
  cairo_surface_t *surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cairo_t *cr = cairo_create (surface);
  g_auto(GStrv) visible = ab_presentation_dup_visible (self);
  LabelMeasure m = { self->design, G_MAXDOUBLE };
  AbRenderOptions options;
  double zoom, text_scale;

  set_transform (self, cr, width, height, &zoom, &text_scale);
  /* as large as asked where every label fits whole on its card, else
   * smaller: a name cut short says less than a smaller one */
  self->text_scale = ab_render_slide_text_scale (self->design, (const char * const *) visible, text_scale,
                                                 MAX (1.0, text_scale * MIN_TEXT_SHARE));
  fill_options (self, &options, self->text_scale);
  ab_render_design_full (cr, self->design, &options, NULL, (const char * const *) visible, measure_sink, &m);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  self->label_px = m.min_px < G_MAXDOUBLE ? m.min_px : 0;
  self->measured_for[0] = width;
  self->measured_for[1] = height;
  self->measured_for[2] = self->step;
}

/* For assistive technologies (and the UI test): what is on screen. */
static void
update_description (AbPresentation *self, guint n_visible)
{
  g_autofree char *shown = NULL, *traffic = NULL, *description = NULL;

  /* TRANSLATORS: accessible description of the presented diagram */
  shown = g_strdup_printf (ngettext ("%u component shown, labels %.0f pixels high",
                                     "%u components shown, labels %.0f pixels high", n_visible),
                           n_visible, self->label_px);
  traffic = g_strdup_printf (ngettext ("traffic on %u connection", "traffic on %u connections",
                                       self->paths->len),
                             self->paths->len);
  description = g_strconcat (shown, "; ", traffic, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->area),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
}

static void
draw_func (GtkDrawingArea *area,
           cairo_t        *cr,
           int             width,
           int             height,
           gpointer        user_data)
{
  AbPresentation *self = user_data;
  g_auto(GStrv) visible = ab_presentation_dup_visible (self);
  g_autoptr(GHashTable) failed = NULL;
  AbRenderOptions options;
  double zoom, text_scale;

  if (self->paths_dirty ||
      self->measured_for[0] != width || self->measured_for[1] != height || self->measured_for[2] != self->step)
    {
      if (self->paths_dirty)
        update_paths (self);
      if (self->measured_for[0] != width || self->measured_for[1] != height || self->measured_for[2] != self->step)
        measure_labels (self, width, height);
      update_description (self, g_strv_length (visible));
    }

  cairo_save (cr);
  set_transform (self, cr, width, height, &zoom, &text_scale);
  fill_options (self, &options, self->text_scale);
  /* the lost component of the failure scenario, greyed as on the canvas */
  if (self->failed >= 0)
    {
      failed = g_hash_table_new (g_str_hash, g_str_equal);
      g_hash_table_add (failed, ab_design_get_component (self->design, self->failed)->id);
      options.failed = failed;
    }
  /* (the renderer paints the whole window in the diagram's background) */
  ab_render_design_full (cr, self->design, &options, NULL, (const char * const *) visible, NULL, NULL);
  draw_dots (self, cr);
  cairo_restore (cr);

  /* Spotlight: dims all but a circle around the pointer while it moves. */
  if (self->pointer_us > 0 && g_get_monotonic_time () - self->pointer_us < SPOTLIGHT_IDLE_US)
    {
      cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
      cairo_rectangle (cr, 0, 0, width, height);
      cairo_new_sub_path (cr);
      cairo_arc (cr, self->pointer_x, self->pointer_y, SPOTLIGHT_PX, 0, 2 * G_PI);
      cairo_set_source_rgba (cr, 0, 0, 0, 0.4);
      cairo_fill (cr);
      cairo_arc (cr, self->pointer_x, self->pointer_y, SPOTLIGHT_PX, 0, 2 * G_PI);
      cairo_set_source_rgba (cr, 1, 0.8, 0.2, 0.9);
      cairo_set_line_width (cr, 3);
      cairo_stroke (cr);
    }
}

/* ---- input ---- */

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                gpointer               user_data)
{
  AbPresentation *self = user_data;

  switch (keyval)
    {
    case GDK_KEY_Escape:
      gtk_window_destroy (GTK_WINDOW (self));
      return TRUE;
    case GDK_KEY_Right:
    case GDK_KEY_Down:
    case GDK_KEY_space:
    case GDK_KEY_Page_Down:
    case GDK_KEY_Return:
      ab_presentation_set_step (self, self->step + 1);
      return TRUE;
    case GDK_KEY_Left:
    case GDK_KEY_Up:
    case GDK_KEY_BackSpace:
    case GDK_KEY_Page_Up:
      if (self->step > 0)
        ab_presentation_set_step (self, self->step - 1);
      return TRUE;
    case GDK_KEY_Home:
      ab_presentation_set_step (self, 0);
      return TRUE;
    case GDK_KEY_End:
      ab_presentation_set_step (self, self->n_steps - 1);
      return TRUE;
    case GDK_KEY_f:
    case GDK_KEY_F:
      /* failure scenario: lose the next component (clients never fail),
       * then none again */
      do
        self->failed = self->failed + 1 >= (int) ab_design_get_n_components (self->design) ? -1 : self->failed + 1;
      while (self->failed >= 0 && ab_design_get_component (self->design, self->failed)->kind == AB_KIND_CLIENT);
      compute_rates (self);
      update_caption (self);
      gtk_widget_queue_draw (GTK_WIDGET (self->area));
      return TRUE;
    case GDK_KEY_h:
    case GDK_KEY_H:
      self->high_contrast = !self->high_contrast;
      gtk_widget_queue_draw (GTK_WIDGET (self->area));
      return TRUE;
    default:
      return FALSE;
    }
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           gpointer                  user_data)
{
  AbPresentation *self = user_data;
  gboolean seen = self->pointer_seen;

  if (seen && fabs (x - self->pointer_x) < 0.5 && fabs (y - self->pointer_y) < 0.5)
    return;
  self->pointer_x = x;
  self->pointer_y = y;
  self->pointer_seen = TRUE;
  /* The first event only says where the pointer rests (the window opens
   * under it): the spotlight is for a pointer the presenter moves, and
   * lit at once it hid part of every first slide. */
  if (seen)
    self->pointer_us = g_get_monotonic_time ();
}

static void
on_leave (GtkEventControllerMotion *controller,
          gpointer                  user_data)
{
  AB_PRESENTATION (user_data)->pointer_us = 0;
  AB_PRESENTATION (user_data)->pointer_seen = FALSE;
}

/* ---- life cycle ---- */

static void
ab_presentation_dispose (GObject *object)
{
  AbPresentation *self = AB_PRESENTATION (object);

  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self->area), self->tick_id);
      self->tick_id = 0;
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), AB_TYPE_PRESENTATION);
  g_clear_object (&self->design);
  g_clear_pointer (&self->problem, ab_problem_unref);
  g_clear_pointer (&self->rates, g_hash_table_unref);
  g_clear_pointer (&self->route, ab_route_free);
  g_clear_pointer (&self->paths, g_array_unref);

  G_OBJECT_CLASS (ab_presentation_parent_class)->dispose (object);
}

static void
ab_presentation_class_init (AbPresentationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ab_presentation_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/archboard/Archboard/ab-presentation.ui");
  gtk_widget_class_bind_template_child (widget_class, AbPresentation, area);
  gtk_widget_class_bind_template_child (widget_class, AbPresentation, caption);
  gtk_widget_class_bind_template_child (widget_class, AbPresentation, title_label);
  gtk_widget_class_bind_template_child (widget_class, AbPresentation, rule_label);
}

static void
ab_presentation_init (AbPresentation *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->paths = g_array_new (FALSE, TRUE, sizeof (DotPath));
  g_array_set_clear_func (self->paths, dot_path_clear);
  self->paths_dirty = TRUE;
  self->measured_for[0] = -1;

  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self->area), motion);
  gtk_drawing_area_set_draw_func (self->area, draw_func, self, NULL);
  self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self->area), on_tick, self, NULL);
}

AbPresentation *
ab_presentation_new (GtkWindow *parent,
                     AbDesign  *design,
                     AbProblem *problem)
{
  AbPresentation *self;

  g_return_val_if_fail (AB_IS_DESIGN (design), NULL);

  self = g_object_new (AB_TYPE_PRESENTATION, "transient-for", parent, NULL);
  self->design = ab_design_snapshot (design);
  self->problem = problem != NULL ? ab_problem_ref (problem) : NULL;
  self->n_steps = problem != NULL && problem->tiers->len > 0 ? problem->tiers->len : 1;
  self->failed = -1;
  ab_workload_init (&self->workload, problem, -1.0, -1.0);
  self->route = ab_route_build (self->design, &self->workload, NULL);
  compute_rates (self);
  update_caption (self);
  /* The size of the screen, should no window manager honour fullscreen. */
  {
    GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (self)));
    g_autoptr(GdkMonitor) monitor = g_list_model_get_n_items (monitors) > 0 ? g_list_model_get_item (monitors, 0) : NULL;
    GdkRectangle geometry;

    if (monitor != NULL)
      {
        gdk_monitor_get_geometry (monitor, &geometry);
        gtk_window_set_default_size (GTK_WINDOW (self), geometry.width, geometry.height);
      }
  }
  gtk_window_fullscreen (GTK_WINDOW (self));
  return self;
}
