/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbResultsPanel: see ab-results-panel.h.  The layout is the template
 * ui/ab-results-panel.ui; the summary rows (one per phase, one per
 * component of the cost) and the four chart areas are made here. */
#define G_LOG_DOMAIN "archboard"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "ab-chart-grid.h"
#include "ab-chart-render.h"
#include "ab-format.h"
#include "ab-results-panel.h"
#include "ab-verdict.h"

struct _AbResultsPanel
{
  AdwBin           parent_instance;

  /* template children */
  GtkToggleButton *expand_button;
  GtkDropDown     *scenario_dropdown;
  GtkDropDown     *fail_dropdown;
  GtkCheckButton  *fail_one_check;
  GtkSpinButton   *rate_spin;
  GtkSpinButton   *seed_spin;
  GtkButton       *run_button;
  GtkButton       *stop_button;
  GtkToggleButton *pin_button;
  GtkToggleButton *overlay_button;
  GtkProgressBar  *progress;
  GtkLabel        *status_label;
  GtkLabel        *method_label;
  GtkGrid         *phase_grid;
  GtkGrid         *facts_grid;
  AbChartGrid     *chart_grid;
  GtkRevealer     *revealer;
  GtkStack        *results_stack;
  GtkWidget       *results_leaflet;
  GtkRevealer     *switch_revealer;
  GtkToggleButton *summary_toggle;
  GtkToggleButton *charts_toggle;
  AdwStatusPage   *empty_page;

  GtkWidget       *charts[AB_N_CHARTS];
  double           hover_t[AB_N_CHARTS];
  guint            redraw_id;      /* charts redrawn at most every 100 ms
                                      while points stream in */
  guint            switch_id;      /* the view switch updated after the
                                      leaflet's allocation */

  GBindingGroup   *runner_bindings;
  AbSimResults    *results;
  GSignalGroup    *results_signals;
  AbSimResults    *pinned;
  GPtrArray       *fail_ids;       /* index in fail_dropdown -> id (NULL: default) */
  GSettings       *settings;
  gboolean         updating;
};

G_DEFINE_FINAL_TYPE (AbResultsPanel, ab_results_panel, AB_TYPE_PANEL)

enum {
  PROP_0,
  PROP_SHOW_OVERLAYS,
  PROP_EXPANDED,
  PROP_REVEALED,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static const char *const scenario_ids[] = { "normal", "peak", "failure", "timeline" };

static AbSimRunner *
get_runner (AbResultsPanel *self)
{
  AbDocument *document = ab_panel_get_document (AB_PANEL (self));

  return document != NULL ? ab_document_get_runner (document) : NULL;
}

/* ---- formatting (no figure is computed here) ---- */

/* A difference of percentages, in percentage points. */
static char *
format_points (double points)
{
  /* Translators: a difference of two percentages: "1.25 points" */
  return g_strdup_printf (_("%.2f points"), points);
}

static char *
format_points_fine (double points)
{
  return g_strdup_printf (_("%.4f points"), points);
}


/* How a figure compares between runs: which way is better. */
typedef enum {
  LOWER_IS_BETTER,
  HIGHER_IS_BETTER,
} Better;

/* A value label: its accessible name is the value, its description says
 * which value it is ("normal P95"; translated, a screen reader says it in
 * the learner's language), for screen readers and tests. */
static GtkWidget *
value_label (const char *text,
             const char *what)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  gtk_widget_add_css_class (label, "numeric");
  gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, what, -1);
  return label;
}

/* The pinned run's figure under the current one, in the learner's words:
 * "was 15.1 ms" and "2.8 ms better" (or "worse", "the same").
 * @pinned_shown is the pinned figure as displayed; @now and @then the
 * values (NAN: unknown, no difference said), their difference times
 * @scale formatted by @format like the figure.  Its labels
 * are described as "pinned normal P95" and "normal P95 change". */
static GtkWidget *
compare_box (const char *pinned_shown,
             double      now,
             double      then,
             double      scale,
             char      *(*format) (double),
             Better      better,
             const char *what)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  g_autofree char *was = g_strdup_printf (_("was %s"), pinned_shown);
  /* Translators: accessible description of the pinned run's figure
   * under the current one: "pinned normal P95" */
  g_autofree char *pinned_what = g_strdup_printf (_("pinned %s"), what);
  /* Translators: accessible description of how a figure changed since
   * the pinned run: "normal P95 change" */
  g_autofree char *change_what = g_strdup_printf (_("%s change"), what);
  GtkWidget *label;

  label = value_label (was, pinned_what);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (box), label);
  if (isfinite (now) && isfinite (then))
    {
      double diff = (now - then) * scale;
      g_autofree char *amount = format (fabs (diff));
      g_autofree char *zero = format (0.0);
      g_autofree char *change = NULL;
      const char *style;

      if (g_strcmp0 (amount, zero) == 0)
        {
          change = g_strdup (_("the same"));
          style = "dim-label";
        }
      else if ((diff < 0.0) == (better == LOWER_IS_BETTER))
        {
          /* Translators: how this run compares with the pinned one: "2.8 ms better" */
          change = g_strdup_printf (_("%s better"), amount);
          style = "success";
        }
      else
        {
          /* Translators: how this run compares with the pinned one: "2.8 ms worse" */
          change = g_strdup_printf (_("%s worse"), amount);
          style = "warning";
        }
      label = value_label (change, change_what);
      gtk_widget_add_css_class (label, "caption");
      gtk_widget_add_css_class (label, style);
      gtk_box_append (GTK_BOX (box), label);
    }
  return box;
}

static GtkWidget *
heading_label (const char *text,
               gboolean    dim)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_add_css_class (label, dim ? "dim-label" : "heading");
  return label;
}

static void
clear_grid (GtkGrid *grid)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (grid))) != NULL)
    gtk_grid_remove (grid, child);
}

static void
add_fact (AbResultsPanel *self,
          int            *row,
          const char     *title,
          const char     *value,
          const char     *what,
          GtkWidget      *compare)
{
  g_autofree char *shown = ab_format_keep_figures (value);
  GtkWidget *v = value_label (shown, what);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  /* it wraps, each figure whole on its line ("35 %", not "35" then "%");
   * a screen reader reads the value as written */
  gtk_accessible_update_property (GTK_ACCESSIBLE (v), GTK_ACCESSIBLE_PROPERTY_LABEL, value, -1);
  gtk_label_set_xalign (GTK_LABEL (v), 0.0);
  gtk_label_set_wrap (GTK_LABEL (v), TRUE);
  /* a long sentence (the bottleneck's) wraps rather than widening the
   * summary beside the charts */
  gtk_label_set_max_width_chars (GTK_LABEL (v), 36);
  gtk_widget_set_hexpand (box, TRUE);
  gtk_box_append (GTK_BOX (box), v);
  if (compare != NULL)
    {
      for (GtkWidget *c = gtk_widget_get_first_child (compare); c != NULL; c = gtk_widget_get_next_sibling (c))
        gtk_label_set_xalign (GTK_LABEL (c), 0.0);
      gtk_box_append (GTK_BOX (box), compare);
    }
  {
    GtkWidget *h = heading_label (title, TRUE);

    gtk_widget_set_valign (h, GTK_ALIGN_START);
    gtk_grid_attach (self->facts_grid, h, 0, *row, 1, 1);
  }
  gtk_grid_attach (self->facts_grid, box, 1, *row, 1, 1);
  (*row)++;
}

/* The pinned run's summary when it is another run than the shown one. */
static const AbSimSummary *
pinned_summary (AbResultsPanel *self)
{
  if (self->pinned == NULL || self->pinned == self->results)
    return NULL;
  return ab_sim_results_get_summary (self->pinned);
}

static const AbSimPhase *
find_phase (const AbSimSummary *s,
            const char         *name)
{
  for (guint p = 0; s != NULL && p < s->n_phases; p++)
    if (g_strcmp0 (s->phases[p].name, name) == 0)
      return &s->phases[p];
  return NULL;
}

static const char *
method_name (const AbSimSummary *s)
{
  return s->method == AB_SIM_METHOD_DES ? _("discrete-event simulation") : _("analytical model");
}

/* The status line ("P95 12.3 ms · $1,234 per month"): a line may break
 * after the "·" and nowhere else, so that when it takes two lines each
 * figure stays whole with its unit ("8.543 $ pro" above "Monat" read as
 * badly as the "8.543 $ p…" it replaced).  A sentence without the "·"
 * ("Add a client to see results") wraps as any. */
static void
set_status (AbResultsPanel *self,
            const char     *text)
{
  g_autoptr(PangoAttrList) attrs = NULL;
  /* as every wrapping label, each figure whole ("8.562 $") */
  g_autofree char *status = ab_format_keep_figures (text);
  const char *dot = status != NULL ? strstr (status, "\u00b7 ") : NULL;

  if (dot != NULL)
    {
      guint second = (guint) (dot - status) + strlen ("\u00b7 ");
      PangoAttribute *attr;

      /* allow_breaks FALSE keeps the break at its range's start: two
       * ranges leave exactly that one */
      attrs = pango_attr_list_new ();
      attr = pango_attr_allow_breaks_new (FALSE);
      attr->start_index = 0;
      attr->end_index = second;
      pango_attr_list_insert (attrs, attr);
      attr = pango_attr_allow_breaks_new (FALSE);
      attr->start_index = second;
      attr->end_index = (guint) strlen (status);
      pango_attr_list_insert (attrs, attr);
    }
  gtk_label_set_label (self->status_label, status != NULL ? status : "");
  gtk_label_set_attributes (self->status_label, attrs);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label), status);
  /* a screen reader reads it as written */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  text != NULL ? text : "", -1);
}

/* Nothing to show: say what to add to see results.  Returns TRUE when the
 * panel shows the hint instead of the results. */
static gboolean
update_empty_state (AbResultsPanel *self)
{
  AbDesign *design = ab_panel_get_design (AB_PANEL (self));
  AbSimSetup *setup = self->results != NULL ? ab_sim_results_get_setup (self->results) : NULL;
  const char *error = self->results != NULL ? ab_sim_results_get_error (self->results) : NULL;
  const char *title, *status;
  g_autofree char *description = NULL;
  gboolean has_client = FALSE;

  /* the page not shown is hidden too, so that it is not "visible" to
   * assistive technologies (the stack's pages are) */
  if (setup != NULL && !ab_verdict_all_end_at_once (ab_sim_setup_get_network (setup)))
    {
      gtk_widget_set_visible (self->results_leaflet, TRUE);
      gtk_stack_set_visible_child (self->results_stack, self->results_leaflet);
      gtk_widget_set_visible (GTK_WIDGET (self->empty_page), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->progress), TRUE);
      return FALSE;
    }

  for (guint i = 0; design != NULL && i < ab_design_get_n_components (design); i++)
    has_client |= ab_design_get_component (design, i)->kind == AB_KIND_CLIENT;
  if (design == NULL || ab_design_get_n_components (design) == 0)
    {
      title = _("Nothing to Simulate Yet");
      description = g_strdup (_("Add components from the palette, starting with a client that sends the "
                                "problem’s requests, and connect them. Latency, throughput, errors and "
                                "cost under load then appear here."));
      status = _("Add components to see results");
    }
  else if (!has_client)
    {
      title = _("No Client Yet");
      description = g_strdup (_("Add a client and connect it to the component that receives the requests. "
                                "The simulation then shows latency, throughput, errors and cost here."));
      status = _("Add a client to see results");
    }
  else if (setup != NULL)
    {
      /* connected, but only to balancers that call nothing */
      title = _("Nothing Serves the Requests Yet");
      description = g_strdup (_("The requests reach only load balancers, which pass requests on but do not "
                                "answer them. Connect a load balancer to the servers, caches or databases "
                                "that do the work. The simulation then shows latency, throughput, errors "
                                "and cost here."));
      status = _("Connect a server to see results");
    }
  else if (ab_sim_design_clients_call_nothing (design))
    {
      title = _("Connect the Client");
      description = g_strdup (_("The client sends the problem’s requests, but it is connected to nothing yet. "
                                "Drag from one of its arrow handles to the component that receives the requests, "
                                "or select it and press C. The simulation then shows latency, throughput, "
                                "errors and cost here."));
      status = _("Connect the client to see results");
    }
  else
    {
      title = _("This Design Cannot Be Simulated");
      description = g_strdup (error != NULL ? error : "");
      status = _("Cannot be simulated");
    }
  adw_status_page_set_title (self->empty_page, title);
  adw_status_page_set_description (self->empty_page, description);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_page), TRUE);
  gtk_stack_set_visible_child (self->results_stack, GTK_WIDGET (self->empty_page));
  gtk_widget_set_visible (self->results_leaflet, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->progress), FALSE);
  set_status (self, status);
  gtk_label_set_label (self->method_label, "");
  return TRUE;
}

static void
update_summary (AbResultsPanel *self)
{
  const AbSimSummary *s = self->results != NULL ? ab_sim_results_get_summary (self->results) : NULL;
  AbSimSetup *setup = self->results != NULL ? ab_sim_results_get_setup (self->results) : NULL;
  const char *error = self->results != NULL ? ab_sim_results_get_error (self->results) : NULL;
  const AbSimSummary *pin = NULL;
  g_autofree char *status = NULL;
  int row = 0;
  guint columns;

  clear_grid (self->phase_grid);
  clear_grid (self->facts_grid);

  if (update_empty_state (self) || s == NULL)
    return;
  pin = pinned_summary (self);

  if (s->method == AB_SIM_METHOD_DES)
    {
      g_autofree char *text = NULL;

      if (error != NULL)
        text = g_strdup (error);
      else
        {
          g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, s->seed);

          text = g_strdup_printf (_("Discrete-event simulation, seed %s%s"), seed,
                                  s->windowed ? _("; high load simulated in windows") : "");
        }
      gtk_label_set_label (self->method_label, text);
    }
  else
    gtk_label_set_label (self->method_label,
                         error != NULL ? error
                         : ab_sim_results_get_complete (self->results)
                         ? _("Analytical model")
                         : _("Analytical model; the simulation is running…"));
  if (pin != NULL)
    {
      g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, pin->seed);
      g_autofree char *text = NULL;
      g_autofree char *both = NULL;

      /* Translators: "Under each figure: the pinned run's (discrete-event simulation, seed 42) and how this run compares" */
      text = g_strdup_printf (_("Under each figure: the pinned run’s (%s, seed %s) and how this run compares"),
                              method_name (pin), seed);
      both = g_strdup_printf ("%s\n%s", gtk_label_get_label (self->method_label), text);
      gtk_label_set_label (self->method_label, both);
    }

  /* per phase */
  {
    const char *const heads[] = { _("Phase"), "P50", "P95", "P99", _("Errors") };

    columns = G_N_ELEMENTS (heads);
    for (guint c = 0; c < columns; c++)
      {
        GtkWidget *h = heading_label (heads[c], FALSE);

        if (c > 0)
          gtk_label_set_xalign (GTK_LABEL (h), 1.0);
        gtk_grid_attach (self->phase_grid, h, (int) c, 0, 1, 1);
      }
  }
  for (guint p = 0; p < s->n_phases; p++)
    {
      const AbSimPhase *ph = &s->phases[p];
      const AbSimPhase *then = find_phase (pin, ph->name);
      const AbLatencyStats *l = &ph->latency[AB_N_CLASSES];
      double values[4] = { l->p50_ms.value, l->p95_ms.value, l->p99_ms.value, ph->error_rate };
      const char *const names[4] = { "P50", "P95", "P99", "errors" };
      GtkWidget *heading = heading_label (ab_scenario_phase_label (ph->name), TRUE);

      gtk_widget_set_valign (heading, GTK_ALIGN_START);
      /* a long timeline at a high rate can spend the simulation's sample
       * budget before its last phases, and requests slower than the
       * windows it pays for finish in none: say so rather than show zeros */
      if (!ph->simulated)
        gtk_widget_set_tooltip_text (heading, _("Not simulated: the simulation's sample budget ran out "
                                                "before any request of this phase finished (a high load, "
                                                "or requests that take long)"));
      gtk_grid_attach (self->phase_grid, heading, 0, (int) p + 1, 1, 1);
      for (guint c = 0; c < 4; c++)
        {
          /* "normal P95", "ramp-up errors": the phase as shown */
          g_autofree char *what = g_strdup_printf ("%s %s", ab_scenario_phase_label (ph->name),
                                                   c < 3 ? names[c] : C_("summary value", "errors"));
          g_autofree char *text = NULL;
          GtkWidget *cell = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

          if (c < 3)
            text = ab_format_latency (values[c]);
          else
            text = ph->simulated ? ab_format_percent (values[c], 2) : g_strdup (_("not simulated"));
          gtk_box_append (GTK_BOX (cell), value_label (text, what));
          if (then != NULL)
            {
              const AbLatencyStats *tl = &then->latency[AB_N_CLASSES];
              double old[4] = { tl->p50_ms.value, tl->p95_ms.value, tl->p99_ms.value, then->error_rate };
              g_autofree char *shown = c < 3 ? ab_format_latency (old[c])
                                       : then->simulated ? ab_format_percent (old[c], 2)
                                       : g_strdup (_("not simulated"));

              /* error rates differ in percentage points */
              gtk_box_append (GTK_BOX (cell),
                              compare_box (shown, values[c], old[c], c < 3 ? 1.0 : 100.0,
                                           c < 3 ? ab_format_latency : format_points, LOWER_IS_BETTER, what));
            }
          gtk_grid_attach (self->phase_grid, cell, (int) c + 1, (int) p + 1, 1, 1);
        }
    }

  /* facts of the normal phase */
  {
    g_autofree char *rate = ab_format_rate (s->max_sustainable_rps);
    g_autofree char *bottleneck = NULL;
    g_autofree char *avail = ab_format_availability (s->availability);
    g_autofree char *cost = ab_format_money (s->cost->per_month);
    g_autoptr(GString) breakdown = g_string_new (NULL);
    const AbSimPhase *normal = s->n_phases > 0 ? &s->phases[s->normal] : NULL;
    GtkWidget *compare[3] = { NULL, NULL, NULL };

    if (normal != NULL && normal->bottleneck >= 0)
      {
        g_autofree char *busy = ab_format_percent (normal->bottleneck_utilization, 0);

        /* Translators: "App Servers — the busiest component: 87 % of its capacity in use" */
        bottleneck = g_strdup_printf (_("%s — the busiest component: %s of its capacity in use"),
                                      ab_sim_setup_get_label (setup, (guint) normal->bottleneck), busy);
      }
    else
      bottleneck = g_strdup (_("none (no load)"));

    if (pin != NULL)
      {
        g_autofree char *r = ab_format_rate (pin->max_sustainable_rps);
        g_autofree char *a = ab_format_availability (pin->availability);
        g_autofree char *c = ab_format_money (pin->cost->per_month);

        compare[0] = compare_box (r, s->max_sustainable_rps, pin->max_sustainable_rps, 1.0,
                                  ab_format_rate, HIGHER_IS_BETTER, C_("summary value", "max sustainable rate"));
        compare[1] = compare_box (a, s->availability, pin->availability, 100.0, format_points_fine,
                                  HIGHER_IS_BETTER, C_("summary value", "availability"));
        compare[2] = compare_box (c, s->cost->per_month, pin->cost->per_month, 1.0, ab_format_money,
                                  LOWER_IS_BETTER, C_("summary value", "cost per month"));
      }
    /* Translators: the accessible descriptions of the summary's values
     * (context "summary value") say which value a screen reader reads */
    add_fact (self, &row, _("Max sustainable rate"), rate, C_("summary value", "max sustainable rate"),
              compare[0]);
    add_fact (self, &row, _("Bottleneck"), bottleneck, C_("summary value", "bottleneck"), NULL);
    add_fact (self, &row, _("Availability"), avail, C_("summary value", "availability"), compare[1]);
    add_fact (self, &row, _("Cost per month"), cost, C_("summary value", "cost per month"), compare[2]);
    {
      g_autofree char *background = ab_sim_summary_background_text (s, setup);

      if (background != NULL)
        add_fact (self, &row, _("Background work"), background, C_("summary value", "background work"), NULL);
    }
    {
      g_autofree char *latency = ab_sim_summary_latency_text (s, setup);

      if (latency != NULL)
        add_fact (self, &row, _("Latency"), latency, C_("summary value", "latency growth"), NULL);
    }
    {
      g_autofree char *room = ab_sim_summary_room_text (s);

      /* Translators: heading of "The simulator ran out of room for 1,234
       * requests in flight: a limit of the simulator, not of the design. …" */
      if (room != NULL)
        add_fact (self, &row, _("Simulator limit"), room, C_("summary value", "simulator limit"), NULL);
    }
    for (guint i = 0; i < s->cost->n_stations; i++)
      {
        double month = s->cost->items[i].total * s->cost->hours_per_month;
        g_autofree char *money = NULL;

        if (!(month > 0.0))
          continue;
        money = ab_format_money (month);
        g_string_append_printf (breakdown, "%s%s %s", breakdown->len > 0 ? "\n" : "",
                                ab_sim_setup_get_label (setup, i), money);
      }
    if (breakdown->len > 0)
      add_fact (self, &row, _("By component"), breakdown->str, C_("summary value", "cost by component"), NULL);

    if (normal != NULL)
      {
        g_autofree char *p95 = ab_format_latency (normal->latency[AB_N_CLASSES].p95_ms.value);

        /* Translators: status line: "P95 12.3 ms · $1234 per month" */
        status = g_strdup_printf (_("P95 %s · %s per month"), p95, cost);
      }
  }
  set_status (self, status);
}

static void
update_progress (AbResultsPanel *self)
{
  AbSimRunner *runner = get_runner (self);
  gboolean running = runner != NULL && ab_sim_runner_get_running (runner);

  gtk_progress_bar_set_fraction (self->progress,
                                 self->results != NULL ? ab_sim_results_get_progress (self->results) : 0.0);
  gtk_widget_set_visible (GTK_WIDGET (self->stop_button), running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->run_button),
                            self->results != NULL && ab_sim_results_get_setup (self->results) != NULL);
  /* nothing to pin without results; a pinned run can always be unpinned */
  gtk_widget_set_sensitive (GTK_WIDGET (self->pin_button),
                            gtk_toggle_button_get_active (self->pin_button)
                            || (self->results != NULL && ab_sim_results_get_setup (self->results) != NULL));
}

static void
queue_charts (AbResultsPanel *self)
{
  for (guint k = 0; k < AB_N_CHARTS; k++)
    gtk_widget_queue_draw (self->charts[k]);
}

static gboolean
redraw_timeout (gpointer data)
{
  AbResultsPanel *self = data;

  self->redraw_id = 0;
  queue_charts (self);
  return G_SOURCE_REMOVE;
}

/* Points arrive hundreds a second: redraw the charts ten times a second
 * (and at once when the run ends), so dragging and typing keep the main
 * thread's time. */
static void
on_point_added (AbResultsPanel *self)
{
  if (self->redraw_id == 0)
    self->redraw_id = g_timeout_add (100, redraw_timeout, self);
}

static void
on_results_complete (AbResultsPanel *self)
{
  g_clear_handle_id (&self->redraw_id, g_source_remove);
  update_summary (self);
  update_progress (self);
  queue_charts (self);
}

static void
on_results_changed (AbResultsPanel *self)
{
  AbDocument *document = ab_panel_get_document (AB_PANEL (self));
  AbSimResults *results = document != NULL ? ab_document_get_results (document) : NULL;

  if (!g_set_object (&self->results, results))
    return;
  g_signal_group_set_target (self->results_signals, results);
  update_summary (self);
  update_progress (self);
  queue_charts (self);
}

/* ---- failure targets: the design's components ---- */

static void
rebuild_fail_targets (AbResultsPanel *self)
{
  AbDesign *design = ab_panel_get_design (AB_PANEL (self));
  AbSimRunner *runner = get_runner (self);
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *current = NULL;
  guint selected = 0;
  gboolean same = TRUE;

  if (runner != NULL)
    g_object_get (runner, "fail-target", &current, NULL);
  g_ptr_array_add (ids, NULL);
  gtk_string_list_append (list, _("Default target"));
  for (guint i = 0; design != NULL && i < ab_design_get_n_components (design); i++)
    {
      const AbComponent *c = ab_design_get_component (design, i);

      if (c->kind == AB_KIND_CLIENT)
        continue;
      if (g_strcmp0 (c->id, current) == 0)
        selected = ids->len;
      g_ptr_array_add (ids, g_strdup (c->id));
      gtk_string_list_append (list, c->label != NULL && *c->label != '\0' ? c->label : c->id);
    }

  /* unchanged list: keep the dropdown as it is */
  if (self->fail_ids != NULL && self->fail_ids->len == ids->len)
    for (guint i = 1; i < ids->len && same; i++)
      same = g_strcmp0 (ids->pdata[i], self->fail_ids->pdata[i]) == 0;
  else
    same = FALSE;
  if (same && design != NULL)
    {
      /* labels may have changed */
      GListModel *model = gtk_drop_down_get_model (self->fail_dropdown);

      for (guint i = 1; i < ids->len && same; i++)
        same = g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), i),
                          gtk_string_list_get_string (list, i)) == 0;
      if (same)
        return;
    }

  g_clear_pointer (&self->fail_ids, g_ptr_array_unref);
  self->fail_ids = g_steal_pointer (&ids);
  self->updating = TRUE;
  gtk_drop_down_set_model (self->fail_dropdown, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (self->fail_dropdown, selected);
  self->updating = FALSE;
}

/* ---- controls -> runner ---- */

static void
sync_controls_from_runner (AbResultsPanel *self)
{
  AbSimRunner *runner = get_runner (self);
  g_autofree char *scenario = NULL;
  gint64 seed;

  if (runner == NULL)
    return;
  g_object_get (runner, "scenario", &scenario, "seed", &seed, NULL);
  self->updating = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (scenario_ids); i++)
    if (g_strcmp0 (scenario, scenario_ids[i]) == 0)
      gtk_drop_down_set_selected (self->scenario_dropdown, i);
  gtk_spin_button_set_value (self->seed_spin, seed >= 0 ? (double) seed : (double) AB_SCENARIO_DEFAULT_SEED);
  self->updating = FALSE;
}

static void
on_scenario_selected (AbResultsPanel *self)
{
  guint i = gtk_drop_down_get_selected (self->scenario_dropdown);

  if (self->updating || get_runner (self) == NULL || i >= G_N_ELEMENTS (scenario_ids))
    return;
  g_object_set (get_runner (self), "scenario", scenario_ids[i], NULL);
}

static void
on_fail_selected (AbResultsPanel *self)
{
  guint i = gtk_drop_down_get_selected (self->fail_dropdown);

  if (self->updating || get_runner (self) == NULL || self->fail_ids == NULL || i >= self->fail_ids->len)
    return;
  g_object_set (get_runner (self), "fail-target", self->fail_ids->pdata[i], NULL);
}

static void
on_seed_changed (AbResultsPanel *self)
{
  if (self->updating || get_runner (self) == NULL)
    return;
  g_object_set (get_runner (self), "seed", (gint64) gtk_spin_button_get_value (self->seed_spin), NULL);
}

static void
on_run_clicked (AbResultsPanel *self)
{
  if (get_runner (self) != NULL)
    ab_sim_runner_run (get_runner (self));
}

static void
on_stop_clicked (AbResultsPanel *self)
{
  if (get_runner (self) != NULL)
    ab_sim_runner_stop (get_runner (self));
}

static void
on_pin_toggled (AbResultsPanel *self)
{
  if (gtk_toggle_button_get_active (self->pin_button))
    g_set_object (&self->pinned, self->results);
  else
    g_clear_object (&self->pinned);
  update_summary (self);
  queue_charts (self);
}

/* ---- charts ---- */

static void
draw_chart (GtkDrawingArea *area,
            cairo_t        *cr,
            int             width,
            int             height,
            gpointer        user_data)
{
  AbResultsPanel *self = AB_RESULTS_PANEL (user_data);
  AbChartKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (area), "ab-chart-kind"));
  AbSimSetup *setup = self->results != NULL ? ab_sim_results_get_setup (self->results) : NULL;
  AbChartData data;

  if (setup == NULL)
    return;
  ab_chart_data_init (&data);
  data.setup = setup;
  data.points = ab_sim_results_get_points (self->results);
  data.summary = ab_sim_results_get_summary (self->results);
  data.dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  data.hover_t = self->hover_t[kind];
  if (self->pinned != NULL && self->pinned != self->results)
    data.pinned = ab_sim_results_get_points (self->pinned);
  ab_chart_render (cr, kind, &data, width, height);
}

static void
set_hover (AbResultsPanel *self,
           GtkWidget      *area,
           double          x)
{
  AbChartKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (area), "ab-chart-kind"));
  AbSimSetup *setup = self->results != NULL ? ab_sim_results_get_setup (self->results) : NULL;
  g_autofree char *text = NULL;

  if (setup == NULL || !isfinite (x))
    self->hover_t[kind] = NAN;
  else
    {
      AbChartData data;

      ab_chart_data_init (&data);
      data.setup = setup;
      data.points = ab_sim_results_get_points (self->results);
      self->hover_t[kind] = ab_chart_time_at (&data, gtk_widget_get_width (area), x);
      text = ab_chart_describe_at (kind, &data, self->hover_t[kind]);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (area),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text != NULL ? text : "", -1);
  gtk_widget_queue_draw (area);
}

static void
on_chart_motion (GtkEventControllerMotion *motion,
                 double                    x,
                 double                    y,
                 AbResultsPanel           *self)
{
  set_hover (self, gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (motion)), x);
}

static void
on_chart_leave (GtkEventControllerMotion *motion,
                AbResultsPanel           *self)
{
  set_hover (self, gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (motion)), NAN);
}

/* ---- following the document ---- */

/* AbPanel: the document was set, or its design or problem replaced. */
static void
ab_results_panel_document_changed (AbPanel *panel)
{
  AbResultsPanel *self = AB_RESULTS_PANEL (panel);

  g_binding_group_set_source (self->runner_bindings, get_runner (self));
  sync_controls_from_runner (self);
  rebuild_fail_targets (self);
  on_results_changed (self);
}

/* AbPanel: an edit, undo or redo; the components that can fail follow. */
static void
ab_results_panel_design_edited (AbPanel *panel)
{
  rebuild_fail_targets (AB_RESULTS_PANEL (panel));
}

/* ---- GObject ---- */

static void
ab_results_panel_dispose (GObject *object)
{
  AbResultsPanel *self = AB_RESULTS_PANEL (object);

  g_clear_handle_id (&self->redraw_id, g_source_remove);
  g_clear_handle_id (&self->switch_id, g_source_remove);
  if (self->results_signals != NULL)
    g_signal_group_set_target (self->results_signals, NULL);
  if (self->runner_bindings != NULL)
    g_binding_group_set_source (self->runner_bindings, NULL);
  g_clear_object (&self->results_signals);
  g_clear_object (&self->runner_bindings);
  g_clear_object (&self->results);
  g_clear_object (&self->pinned);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->fail_ids, g_ptr_array_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), AB_TYPE_RESULTS_PANEL);

  G_OBJECT_CLASS (ab_results_panel_parent_class)->dispose (object);
}

static void
ab_results_panel_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  AbResultsPanel *self = AB_RESULTS_PANEL (object);

  switch (prop_id)
    {
    case PROP_SHOW_OVERLAYS:
      g_value_set_boolean (value, ab_results_panel_get_show_overlays (self));
      break;
    case PROP_EXPANDED:
      g_value_set_boolean (value, ab_results_panel_get_expanded (self));
      break;
    case PROP_REVEALED:
      g_value_set_boolean (value, gtk_revealer_get_child_revealed (self->revealer));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ab_results_panel_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  AbResultsPanel *self = AB_RESULTS_PANEL (object);

  switch (prop_id)
    {
    case PROP_SHOW_OVERLAYS:
      gtk_toggle_button_set_active (self->overlay_button, g_value_get_boolean (value));
      break;
    case PROP_EXPANDED:
      ab_results_panel_set_expanded (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
on_overlay_toggled (AbResultsPanel *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SHOW_OVERLAYS]);
}

/* ---- summary and charts: side by side, or one at a time ---- */

static void
update_view_switch (AbResultsPanel *self)
{
  gboolean folded = adw_leaflet_get_folded (ADW_LEAFLET (self->results_leaflet));
  const char *shown = adw_leaflet_get_visible_child_name (ADW_LEAFLET (self->results_leaflet));
  gboolean switching = folded && gtk_toggle_button_get_active (self->expand_button)
                       && gtk_stack_get_visible_child (self->results_stack) == self->results_leaflet;

  /* two icons: the status line keeps its room (ellipsized) beside them */
  gtk_revealer_set_reveal_child (self->switch_revealer, switching);
  self->updating = TRUE;
  if (g_strcmp0 (shown, "summary") == 0)
    gtk_toggle_button_set_active (self->summary_toggle, TRUE);
  else
    gtk_toggle_button_set_active (self->charts_toggle, TRUE);
  self->updating = FALSE;
}

static gboolean
update_view_switch_idle (gpointer data)
{
  AbResultsPanel *self = data;

  self->switch_id = 0;
  update_view_switch (self);
  return G_SOURCE_REMOVE;
}

/* The leaflet folds while it is allocated, after the bar was: showing
 * the switch then would draw it before it has a place. */
static void
on_leaflet_folded (AbResultsPanel *self)
{
  if (self->switch_id == 0)
    self->switch_id = g_idle_add (update_view_switch_idle, self);
}

static void
on_view_toggled (AbResultsPanel *self)
{
  if (self->updating)
    return;
  adw_leaflet_set_visible_child_name (ADW_LEAFLET (self->results_leaflet),
                                      gtk_toggle_button_get_active (self->summary_toggle) ? "summary" : "charts");
}

/* The toggle's arrow points the way the results will move, and its
 * tooltip and accessible name say what a click does. */
static void
update_expand_button (AbResultsPanel *self)
{
  gboolean expanded = gtk_toggle_button_get_active (self->expand_button);
  const char *label = expanded ? _("Hide Results") : _("Show Results");

  gtk_button_set_icon_name (GTK_BUTTON (self->expand_button),
                            expanded ? "pan-down-symbolic" : "pan-up-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->expand_button), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->expand_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
on_expand_toggled (AbResultsPanel *self)
{
  update_expand_button (self);
  update_view_switch (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_EXPANDED]);
}

static void
on_child_revealed (AbResultsPanel *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_REVEALED]);
}

static void
ab_results_panel_class_init (AbResultsPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AbPanelClass *panel_class = AB_PANEL_CLASS (klass);

  object_class->dispose = ab_results_panel_dispose;
  object_class->get_property = ab_results_panel_get_property;
  object_class->set_property = ab_results_panel_set_property;
  panel_class->document_changed = ab_results_panel_document_changed;
  panel_class->design_edited = ab_results_panel_design_edited;

  props[PROP_SHOW_OVERLAYS] =
    g_param_spec_boolean ("show-overlays", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_EXPANDED] =
    g_param_spec_boolean ("expanded", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_REVEALED] =
    g_param_spec_boolean ("revealed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  g_type_ensure (AB_TYPE_CHART_GRID);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/archboard/Archboard/ab-results-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, AbResultsPanel, expand_button);
  gtk_widget_class_bind_template_child (widget_class, AbResultsPanel, scenario_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AbResultsPanel, fail_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AbResultsPanel, fail_one_check);
  gtk_widget_class_bind_template_child (widget_class, AbResultsPanel, rate_spin);
  gtk_widget_class_bind_template_child (widget_class, AbResultsPanel, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, AbResultsPanel, run_button);
  gtk_widget_class_bind_template_child (widget_class, AbResultsPanel, stop_button);
  gtk_widget_class_bind_template_child (widget_class, AbResultsPanel, pin_button);
  gtk_widget_class_bind_template_child (widget_class, AbResultsPanel, overlay_button);
  gtk_widget_class_bind_template_child (widget_class, AbResultsPanel, progress);
  gtk_widget_class_bind_template_child (widget_class, AbResultsPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, AbResultsPanel, method_label);
  gtk_widget_class_bind_template_child (widget_class, AbResultsPanel, phase_grid);
  gtk_widget_class_bind_template_child (widget_class, AbResultsPanel, facts_grid);
  gtk_widget_class_bind_template_child (widget_class, AbResultsPanel, chart_grid);
  gtk_widget_class_bind_template_child (widget_class, AbResultsPanel, results_stack);
  gtk_widget_class_bind_template_child (widget_class, AbResultsPanel, revealer);
  gtk_widget_class_bind_template_child (widget_class, AbResultsPanel, results_leaflet);
  gtk_widget_class_bind_template_child (widget_class, AbResultsPanel, switch_revealer);
  gtk_widget_class_bind_template_child (widget_class, AbResultsPanel, summary_toggle);
  gtk_widget_class_bind_template_child (widget_class, AbResultsPanel, charts_toggle);
  gtk_widget_class_bind_template_child (widget_class, AbResultsPanel, empty_page);
}

static void
ab_results_panel_init (AbResultsPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint k = 0; k < AB_N_CHARTS; k++)
    {
      /* an image to assistive technologies, named by its title, described
       * by the values under the pointer */
      GtkWidget *area = g_object_new (GTK_TYPE_DRAWING_AREA, "accessible-role", GTK_ACCESSIBLE_ROLE_IMG, NULL);
      GtkEventController *motion = gtk_event_controller_motion_new ();

      self->hover_t[k] = NAN;
      g_object_set_data (G_OBJECT (area), "ab-chart-kind", GINT_TO_POINTER (k));
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_chart, self, NULL);
      gtk_widget_set_hexpand (area, TRUE);
      gtk_widget_set_vexpand (area, TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (area),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, ab_chart_title (k), -1);
      g_signal_connect (motion, "motion", G_CALLBACK (on_chart_motion), self);
      g_signal_connect (motion, "leave", G_CALLBACK (on_chart_leave), self);
      gtk_widget_add_controller (area, motion);
      ab_chart_grid_append (self->chart_grid, area);
      self->charts[k] = area;
    }

  g_signal_group_connect_swapped (ab_panel_get_document_signals (AB_PANEL (self)), "notify::results",
                                  G_CALLBACK (on_results_changed), self);

  self->results_signals = g_signal_group_new (AB_TYPE_SIM_RESULTS);
  g_signal_group_connect_swapped (self->results_signals, "point-added", G_CALLBACK (on_point_added), self);
  g_signal_group_connect_swapped (self->results_signals, "notify::complete",
                                  G_CALLBACK (on_results_complete), self);
  g_signal_group_connect_swapped (self->results_signals, "notify::progress",
                                  G_CALLBACK (update_progress), self);

  /* the runner's options the widgets show directly */
  self->runner_bindings = g_binding_group_new ();
  g_binding_group_bind (self->runner_bindings, "fail-one", self->fail_one_check, "active",
                        G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  g_binding_group_bind (self->runner_bindings, "rate-scale", gtk_spin_button_get_adjustment (self->rate_spin),
                        "value", G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  /* Stop shows only while a run is going: idle, its place goes to the
   * status line, which read "$2,865 per m…" at 1366 px with both side
   * panes open */
  g_binding_group_bind (self->runner_bindings, "running", self->stop_button, "visible",
                        G_BINDING_SYNC_CREATE);

  g_signal_connect_swapped (self->scenario_dropdown, "notify::selected", G_CALLBACK (on_scenario_selected), self);
  g_signal_connect_swapped (self->fail_dropdown, "notify::selected", G_CALLBACK (on_fail_selected), self);
  g_signal_connect_swapped (self->seed_spin, "value-changed", G_CALLBACK (on_seed_changed), self);
  g_signal_connect_swapped (self->run_button, "clicked", G_CALLBACK (on_run_clicked), self);
  g_signal_connect_swapped (self->stop_button, "clicked", G_CALLBACK (on_stop_clicked), self);
  g_signal_connect_swapped (self->pin_button, "toggled", G_CALLBACK (on_pin_toggled), self);
  g_signal_connect_swapped (self->overlay_button, "toggled", G_CALLBACK (on_overlay_toggled), self);

  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "results-expanded", self->expand_button, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "show-overlays", self->overlay_button, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "results-view", self->results_leaflet, "visible-child-name",
                   G_SETTINGS_BIND_DEFAULT);
  gtk_widget_set_size_request (GTK_WIDGET (self->results_stack), -1, AB_RESULTS_PANEL_MIN_HEIGHT);

  g_signal_connect_swapped (self->expand_button, "toggled", G_CALLBACK (on_expand_toggled), self);
  update_expand_button (self);
  g_signal_connect_swapped (self->revealer, "notify::child-revealed", G_CALLBACK (on_child_revealed), self);
  g_signal_connect_swapped (self->results_leaflet, "notify::folded", G_CALLBACK (on_leaflet_folded), self);
  g_signal_connect_swapped (self->results_leaflet, "notify::visible-child-name",
                            G_CALLBACK (update_view_switch), self);
  g_signal_connect_swapped (self->results_stack, "notify::visible-child", G_CALLBACK (update_view_switch), self);
  g_signal_connect_swapped (self->summary_toggle, "toggled", G_CALLBACK (on_view_toggled), self);
  update_view_switch (self);
  gtk_spin_button_set_value (self->seed_spin, (double) AB_SCENARIO_DEFAULT_SEED);
  update_progress (self);
}

GtkWidget *
ab_results_panel_new (void)
{
  return g_object_new (AB_TYPE_RESULTS_PANEL, NULL);
}

gboolean
ab_results_panel_get_show_overlays (AbResultsPanel *self)
{
  g_return_val_if_fail (AB_IS_RESULTS_PANEL (self), FALSE);
  return gtk_toggle_button_get_active (self->overlay_button);
}

gboolean
ab_results_panel_get_expanded (AbResultsPanel *self)
{
  g_return_val_if_fail (AB_IS_RESULTS_PANEL (self), FALSE);
  return gtk_toggle_button_get_active (self->expand_button);
}

void
ab_results_panel_set_expanded (AbResultsPanel *self,
                               gboolean        expanded)
{
  g_return_if_fail (AB_IS_RESULTS_PANEL (self));
  gtk_toggle_button_set_active (self->expand_button, expanded);
}

int
ab_results_panel_get_results_height (AbResultsPanel *self)
{
  g_return_val_if_fail (AB_IS_RESULTS_PANEL (self), 0);
  if (!gtk_toggle_button_get_active (self->expand_button) || !gtk_revealer_get_child_revealed (self->revealer))
    return 0;
  return gtk_widget_get_height (GTK_WIDGET (self->results_stack));
}

void
ab_results_panel_reserve_height (AbResultsPanel *self,
                                 int             height)
{
  g_return_if_fail (AB_IS_RESULTS_PANEL (self));
  gtk_widget_set_size_request (GTK_WIDGET (self->results_stack), -1,
                               MAX (height, AB_RESULTS_PANEL_MIN_HEIGHT));
}
