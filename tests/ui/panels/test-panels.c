/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The panels beside the canvas built from their templates: each follows
 * the "document" it is given (AbPanel), and the values bound in its
 * template change when the document's design or problem does.  Run with
 * G_DEBUG=fatal-criticals: a template child or binding that broke, or a
 * panel that disposes badly, fails here. */
#include "config.h"

#include <adwaita.h>

#include "ab-a11y.h"
#include "ab-app-resources.h"
#include "ab-checks-panel.h"
#include "ab-document.h"
#include "ab-export-dialog.h"
#include "ab-inspector.h"
#include "ab-palette.h"
#include "ab-problem-panel.h"
#include "ab-reference.h"
#include "ab-results-panel.h"
#include "panel-test-util.h"

typedef struct {
  AbDocument *document;
  AbProblem  *problem;     /* basic-database-design */
  AbProblem  *other;       /* ecommerce-order-db */
  AbDesign   *reference;   /* the first's reference solution */
  AbDesign   *empty;       /* a new design for the first */
  GtkWidget  *window;
} Fixture;

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->problem = ab_problem_set_lookup (ab_problem_set_get_default (), "basic-database-design");
  f->other = ab_problem_set_lookup (ab_problem_set_get_default (), "ecommerce-order-db");
  g_assert_nonnull (f->problem);
  g_assert_nonnull (f->other);
  f->reference = ab_reference_build_design (f->problem, &error);
  g_assert_no_error (error);
  f->empty = ab_design_new (f->problem->id);
  f->document = ab_document_new ();
  ab_document_set (f->document, f->reference, f->problem, NULL);
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 700);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  /* Destroying the window disposes the panel (template children and all). */
  gtk_window_destroy (GTK_WINDOW (f->window));
  iterate ();
  ab_document_set (f->document, NULL, NULL, NULL);
  g_clear_object (&f->document);
  g_clear_object (&f->reference);
  g_clear_object (&f->empty);
  iterate ();
}

static GtkWidget *
show_panel (Fixture *f,
            GType    type)
{
  GtkWidget *panel = g_object_new (type, "document", f->document, NULL);

  g_assert_true (AB_IS_PANEL (panel));
  g_assert_true (ab_panel_get_document (AB_PANEL (panel)) == f->document);
  gtk_window_set_child (GTK_WINDOW (f->window), panel);
  gtk_window_present (GTK_WINDOW (f->window));
  iterate ();
  return panel;
}

/* The first descendant of @root of @type (and, for labels, whose text
 * starts with @prefix), depth first. */
static GtkWidget *
find_widget (GtkWidget  *root,
             GType       type,
             const char *prefix)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) &&
      (prefix == NULL ||
       (GTK_IS_LABEL (root) && g_str_has_prefix (gtk_label_get_label (GTK_LABEL (root)), prefix))))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, prefix);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The first descendant of @root of @type that is shown (neither it nor
 * an ancestor below @root hidden); the stack's other pages count. */
static GtkWidget *
find_shown (GtkWidget *root,
            GType      type)
{
  if (!gtk_widget_get_visible (root))
    return NULL;
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_shown (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static const char *
stack_page (GtkWidget *panel)
{
  GtkWidget *stack = find_widget (panel, GTK_TYPE_STACK, NULL);

  g_assert_nonnull (stack);
  return gtk_stack_get_visible_child_name (GTK_STACK (stack));
}

static guint
n_rows (GtkWidget *list)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (list); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += GTK_IS_LIST_BOX_ROW (child);
  return n;
}

static void
test_checks (Fixture       *f,
             gconstpointer  data)
{
  GtkWidget *panel = show_panel (f, AB_TYPE_CHECKS_PANEL);
  guint n_tiers = f->problem->tiers->len;
  g_autofree char *all = g_strdup_printf ("%u of %u tiers passed", n_tiers, n_tiers);
  g_autofree char *none = g_strdup_printf ("0 of %u tiers passed", n_tiers);
  GtkWidget *level = find_widget (panel, GTK_TYPE_LEVEL_BAR, NULL);
  GtkWidget *list = find_widget (panel, GTK_TYPE_LIST_BOX, NULL);
  guint n_passed, total;

  g_assert_cmpuint (n_tiers, >, 0);
  g_assert_nonnull (level);
  /* the reference passes every tier */
  g_object_get (panel, "n-passed", &n_passed, "n-tiers", &total, NULL);
  g_assert_cmpuint (n_passed, ==, n_tiers);
  g_assert_cmpuint (total, ==, n_tiers);
  g_assert_cmpstr (stack_page (panel), ==, "tiers");
  g_assert_nonnull (find_widget (panel, GTK_TYPE_LABEL, all));
  g_assert_cmpfloat (gtk_level_bar_get_value (GTK_LEVEL_BAR (level)), ==, n_tiers);
  g_assert_cmpfloat (gtk_level_bar_get_max_value (GTK_LEVEL_BAR (level)), ==, n_tiers);
  g_assert_cmpuint (n_rows (list), ==, n_tiers);

  /* another design for the same problem: none passes */
  ab_document_set (f->document, f->empty, f->problem, NULL);
  iterate ();
  g_assert_cmpuint (ab_checks_panel_get_n_passed (AB_CHECKS_PANEL (panel)), ==, 0);
  g_assert_nonnull (find_widget (panel, GTK_TYPE_LABEL, none));
  g_assert_cmpfloat (gtk_level_bar_get_value (GTK_LEVEL_BAR (level)), ==, 0);

  /* an edit of the followed design re-evaluates */
  ab_design_add_component (f->empty, AB_KIND_DB_PRIMARY, "Primary database", 0, 0, 1);
  iterate ();
  g_assert_cmpuint (ab_checks_panel_get_n_passed (AB_CHECKS_PANEL (panel)), >, 0);

  /* another problem: its tiers, counted anew */
  ab_document_set (f->document, f->empty, f->other, NULL);
  iterate ();
  g_assert_cmpuint (n_rows (list), ==, f->other->tiers->len);
  g_assert_cmpuint (ab_checks_panel_get_n_tiers (AB_CHECKS_PANEL (panel)), ==, f->other->tiers->len);

  /* no problem: the empty page */
  ab_document_set (f->document, f->empty, NULL, NULL);
  iterate ();
  g_assert_cmpstr (stack_page (panel), ==, "empty");
  g_assert_cmpuint (ab_checks_panel_get_n_tiers (AB_CHECKS_PANEL (panel)), ==, 0);
  g_assert_cmpuint (n_rows (list), ==, 0);
}

static void
test_palette (Fixture       *f,
              gconstpointer  data)
{
  GtkWidget *panel = show_panel (f, AB_TYPE_PALETTE);
  GtkWidget *list = find_widget (panel, GTK_TYPE_LIST_BOX, NULL);
  GtkWidget *search = find_widget (panel, GTK_TYPE_SEARCH_ENTRY, NULL);
  GtkWidget *empty = find_widget (panel, ADW_TYPE_STATUS_PAGE, NULL);
  GtkListBoxRow *first;

  g_assert_nonnull (list);
  g_assert_nonnull (search);
  g_assert_nonnull (empty);
  g_assert_cmpuint (n_rows (list), ==, AB_N_KINDS);

  /* the problem's kinds first, under a header */
  first = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0);
  g_assert_nonnull (gtk_list_box_row_get_header (first));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_list_box_row_get_header (first))), ==,
                   "For This Problem");

  /* no problem: no headers */
  ab_document_set (f->document, f->empty, NULL, NULL);
  iterate ();
  first = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0);
  g_assert_null (gtk_list_box_row_get_header (first));

  /* a search that matches nothing shows the status page (template signal) */
  g_assert_false (gtk_widget_get_visible (empty));
  gtk_editable_set_text (GTK_EDITABLE (search), "no such component");
  g_signal_emit_by_name (search, "search-changed");
  iterate ();
  g_assert_true (gtk_widget_get_visible (empty));
}

static void
test_problem_panel (Fixture       *f,
                    gconstpointer  data)
{
  GtkWidget *panel = show_panel (f, AB_TYPE_PROBLEM_PANEL);

  g_assert_cmpstr (stack_page (panel), ==, "problem");
  g_assert_nonnull (find_widget (panel, GTK_TYPE_LABEL, f->problem->title));
  g_assert_nonnull (find_widget (panel, GTK_TYPE_LABEL, f->problem->summary));
  g_assert_nonnull (find_widget (panel, GTK_TYPE_BUTTON, NULL));

  ab_document_set (f->document, f->empty, f->other, NULL);
  iterate ();
  g_assert_nonnull (find_widget (panel, GTK_TYPE_LABEL, f->other->title));
  g_assert_null (find_widget (panel, GTK_TYPE_LABEL, f->problem->title));

  ab_document_set (f->document, f->empty, NULL, NULL);
  iterate ();
  g_assert_cmpstr (stack_page (panel), ==, "empty");
}

static void
test_inspector (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *panel = show_panel (f, AB_TYPE_INSPECTOR);
  const AbComponent *component = ab_design_get_component (f->reference, 0);
  const char *ids[] = { component->id, NULL };
  GtkWidget *name;

  g_assert_cmpstr (stack_page (panel), ==, "empty");
  ab_inspector_set_selection (AB_INSPECTOR (panel), ids);
  iterate ();
  g_assert_cmpstr (stack_page (panel), ==, "item");
  name = find_shown (panel, ADW_TYPE_ENTRY_ROW);
  g_assert_nonnull (name);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name)), ==, component->label);

  /* an edit elsewhere (the canvas, undo) shows in the form */
  ab_design_rename_component (f->reference, component->id, "Renamed elsewhere");
  iterate ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name)), ==, "Renamed elsewhere");

  /* two selected: the summary page */
  {
    const AbComponent *second = ab_design_get_component (f->reference, 1);
    const char *two[] = { component->id, second->id, NULL };

    ab_inspector_set_selection (AB_INSPECTOR (panel), two);
    iterate ();
    g_assert_cmpstr (stack_page (panel), ==, "multiple");
    g_assert_nonnull (find_widget (panel, GTK_TYPE_LABEL, "2 Items Selected"));
  }

  /* a connection: the template's connection rows, filled in (the
   * component's are hidden) */
  {
    const AbConnection *connection = ab_design_get_connection (f->reference, 0);
    const AbComponent *from = ab_design_find_component (f->reference, connection->from);
    const AbComponent *to = ab_design_find_component (f->reference, connection->to);
    const char *one[] = { connection->id, NULL };
    g_autofree char *route = g_strdup_printf ("%s → %s", from->label, to->label);
    GtkWidget *calls, *label;

    ab_design_set_connection_label (f->reference, connection->id, "reads");
    ab_inspector_set_selection (AB_INSPECTOR (panel), one);
    iterate ();
    g_assert_cmpstr (stack_page (panel), ==, "item");
    calls = find_shown (panel, ADW_TYPE_ACTION_ROW);
    label = find_shown (panel, ADW_TYPE_ENTRY_ROW);
    g_assert_nonnull (calls);
    g_assert_nonnull (label);
    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (calls)), ==, route);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (label)), ==, "reads");
  }

  /* back to the component: its rows again, with its values */
  ab_inspector_set_selection (AB_INSPECTOR (panel), ids);
  iterate ();
  name = find_shown (panel, ADW_TYPE_ENTRY_ROW);
  g_assert_nonnull (name);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name)), ==, "Renamed elsewhere");

  /* another design in the document: nothing of the old one stays */
  ab_inspector_set_selection (AB_INSPECTOR (panel), ids);
  iterate ();
  ab_document_set (f->document, f->empty, f->problem, NULL);
  iterate ();
  g_assert_cmpstr (stack_page (panel), ==, "empty");
}

/* The dropdown of components a failure can take down: the one whose
 * first entry is the default target. */
static GtkDropDown *
find_fail_dropdown (GtkWidget *root)
{
  if (GTK_IS_DROP_DOWN (root))
    {
      GListModel *model = gtk_drop_down_get_model (GTK_DROP_DOWN (root));

      if (GTK_IS_STRING_LIST (model) && g_list_model_get_n_items (model) > 0 &&
          g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), 0), "Default target") == 0)
        return GTK_DROP_DOWN (root);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkDropDown *found = find_fail_dropdown (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
lists (GtkDropDown *dropdown,
       const char  *label)
{
  GListModel *model = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), i), label) == 0)
      return TRUE;
  return FALSE;
}

/* The results panel follows the document as the other panels do: the
 * components a failure can take down follow every edit (a component
 * added is offered at once) and the design of another document. */
static void
test_results_panel (Fixture       *f,
                    gconstpointer  data)
{
  GtkWidget *panel = show_panel (f, AB_TYPE_RESULTS_PANEL);
  GtkDropDown *fail = find_fail_dropdown (panel);
  guint n_components = 0;

  g_assert_nonnull (fail);
  for (guint i = 0; i < ab_design_get_n_components (f->reference); i++)
    if (ab_design_get_component (f->reference, i)->kind != AB_KIND_CLIENT)
      n_components++;
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (fail)), ==, 1 + n_components);
  g_assert_false (lists (fail, "Hot Keys"));

  /* an edit: the new cache can be lost */
  ab_design_add_component (f->reference, AB_KIND_CACHE, "Hot Keys", 0, 0, 1);
  iterate ();
  fail = find_fail_dropdown (panel);
  g_assert_true (lists (fail, "Hot Keys"));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (fail)), ==, 2 + n_components);

  /* another design: only its components (none) */
  ab_document_set (f->document, f->empty, f->problem, NULL);
  iterate ();
  fail = find_fail_dropdown (panel);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (fail)), ==, 1);
  g_assert_true (ab_panel_get_document (AB_PANEL (panel)) == f->document);
}

/* The show/hide toggle points the way the results will move and says
 * what a click does, in its tooltip as in its accessible name (checked
 * under Xvfb by the window tests). */
static void
test_results_expand_button (Fixture       *f,
                            gconstpointer  data)
{
  GtkWidget *panel = show_panel (f, AB_TYPE_RESULTS_PANEL);
  GtkWidget *expand = GTK_WIDGET (gtk_widget_get_template_child (panel, AB_TYPE_RESULTS_PANEL, "expand_button"));

  g_assert_nonnull (expand);
  ab_results_panel_set_expanded (AB_RESULTS_PANEL (panel), TRUE);
  iterate ();
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (expand)), ==, "pan-down-symbolic");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (expand), ==, "Hide Results");

  ab_results_panel_set_expanded (AB_RESULTS_PANEL (panel), FALSE);
  iterate ();
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (expand)), ==, "pan-up-symbolic");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (expand), ==, "Show Results");

  /* clicked, as a user would */
  g_signal_emit_by_name (expand, "clicked");
  iterate ();
  g_assert_true (ab_results_panel_get_expanded (AB_RESULTS_PANEL (panel)));
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (expand)), ==, "pan-down-symbolic");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (expand), ==, "Hide Results");
}

/* The Export dialog's Background row explains the choice made: with
 * "Themed" it said "Transparent: lines read on any slide", which speaks of
 * the other choice. */
static void
test_export_background (Fixture       *f,
                        gconstpointer  data)
{
  AbExportDialog *dialog = ab_export_dialog_new (GTK_WINDOW (f->window), f->reference, NULL, "blog");
  AdwComboRow *row = find_combo_row (GTK_WIDGET (dialog), "_Background");
  g_autofree char *themed = NULL;
  const char *transparent;

  g_assert_nonnull (row);
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 0);
  themed = g_strdup (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
  g_assert_cmpstr (themed, ==, "Filled with the theme’s canvas colour");
  adw_combo_row_set_selected (row, 1);
  transparent = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  g_assert_cmpstr (transparent, ==, "No fill: the lines read on any slide");
  adw_combo_row_set_selected (row, 0);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, themed);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* A mnemonic label's text for screen readers: "_Save" reads "Save", a
 * doubled underscore is a literal one. */
static void
test_strip_mnemonic (void)
{
  static const char *const cases[][2] = {
    { "_Save", "Save" }, { "Save _As…", "Save As…" }, { "C_ontent", "Content" },
    { "snake__case", "snake_case" }, { "Plain", "Plain" }, { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = ab_a11y_strip_mnemonic (cases[i][0]);

      g_assert_cmpstr (got, ==, cases[i][1]);
    }
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("LANGUAGE", "C", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      g_printerr ("no display: skipping\n");
      return 77;
    }
  adw_init ();
  /* A focused entry's blinking cursor may warn on a slow machine ("unexpected
   * blinking selection"), and warnings are fatal in tests. */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  /* the static library's resources (the templates) */
  g_assert (ab_app_get_resource () != NULL);

  g_test_add ("/panels/checks", Fixture, NULL, fixture_set_up, test_checks, fixture_tear_down);
  g_test_add ("/panels/palette", Fixture, NULL, fixture_set_up, test_palette, fixture_tear_down);
  g_test_add ("/panels/problem", Fixture, NULL, fixture_set_up, test_problem_panel, fixture_tear_down);
  g_test_add ("/panels/inspector", Fixture, NULL, fixture_set_up, test_inspector, fixture_tear_down);
  g_test_add ("/panels/results", Fixture, NULL, fixture_set_up, test_results_panel, fixture_tear_down);
  g_test_add ("/panels/results-expand", Fixture, NULL, fixture_set_up, test_results_expand_button, fixture_tear_down);
  g_test_add_func ("/a11y/strip-mnemonic", test_strip_mnemonic);
  g_test_add ("/panels/export-background", Fixture, NULL, fixture_set_up, test_export_background, fixture_tear_down);
  return g_test_run ();
}
