/* SPDX-License-Identifier: GPL-3.0-or-later */
/* German texts are longer: the dialogs at their default size show every
 * label whole.  In German the Export dialog's Background row read "Wie …"
 * (for "Wie das Thema"): its explanation took the row's width.  The
 * results bar's status line reads whole at the results' width in a
 * 1280 px window with both side panes. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ab-app-resources.h"
#include "ab-checks-panel.h"
#include "ab-document.h"
#include "ab-export-dialog.h"
#include "ab-format.h"
#include "ab-preferences.h"
#include "ab-results-panel.h"
#include "ab-reference.h"
#include "panel-test-util.h"

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Labels shown shortened with "…" (mapped ones only: a closed popover's
 * list does not count). */
static void
collect_ellipsized (GtkWidget *widget,
                    GPtrArray *out)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      gtk_label_get_ellipsize (GTK_LABEL (widget)) != PANGO_ELLIPSIZE_NONE &&
      pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (widget))))
    g_ptr_array_add (out, g_strdup (gtk_label_get_text (GTK_LABEL (widget))));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_ellipsized (child, out);
}

static void
assert_nothing_shortened (GtkWidget *window)
{
  g_autoptr(GPtrArray) shortened = g_ptr_array_new_with_free_func (g_free);
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  /* until it is mapped and laid out */
  while (g_get_monotonic_time () < end && !gtk_widget_get_mapped (window))
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_widget_get_mapped (window));
  for (int i = 0; i < 20; i++)
    {
      iterate ();
      g_usleep (10000);
    }
  collect_ellipsized (window, shortened);
  for (guint i = 0; i < shortened->len; i++)
    g_test_message ("shortened: %s", (char *) shortened->pdata[i]);
  g_assert_cmpuint (shortened->len, ==, 0);
}

static void
test_export_dialog (void)
{
  AbProblem *problem = ab_problem_set_lookup (ab_problem_set_get_default (), "basic-database-design");
  g_autoptr(GError) error = NULL;
  g_autoptr(AbDesign) design = ab_reference_build_design (problem, &error);
  GtkWidget *parent = gtk_window_new ();
  AbExportDialog *dialog;
  AdwComboRow *row;

  g_assert_no_error (error);
  /* the German words are used */
  g_assert_cmpstr (_("Export"), ==, "Exportieren");
  dialog = ab_export_dialog_new (GTK_WINDOW (parent), design, NULL, "blog");
  gtk_window_present (GTK_WINDOW (dialog));
  assert_nothing_shortened (GTK_WIDGET (dialog));
  /* each background choice has its own explanation */
  row = find_combo_row (GTK_WIDGET (dialog), "_Hintergrund");
  g_assert_nonnull (row);
  adw_combo_row_set_selected (row, 1);
  assert_nothing_shortened (GTK_WIDGET (dialog));
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (parent));
  iterate ();
}

/* The preferences at their default size show every label whole: in
 * German the style read "Systemeinstellung fol…" (the row shows at most
 * some 20 characters of its choice). */
static void
test_preferences (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *parent = gtk_window_new ();
  AbPreferences *preferences;

  g_assert_cmpstr (_("Follow System"), !=, "Follow System");
  preferences = ab_preferences_new (GTK_WINDOW (parent), settings);
  gtk_window_present (GTK_WINDOW (preferences));
  assert_nothing_shortened (GTK_WIDGET (preferences));
  gtk_window_destroy (GTK_WINDOW (preferences));
  gtk_window_destroy (GTK_WINDOW (parent));
  iterate ();
}

/* Wrapping labels (mapped or not) with a figure in them. */
static void
collect_wrapping (GtkWidget *widget,
                  GPtrArray *out)
{
  if (GTK_IS_LABEL (widget) && gtk_label_get_wrap (GTK_LABEL (widget)) &&
      strpbrk (gtk_label_get_text (GTK_LABEL (widget)), "0123456789") != NULL)
    g_ptr_array_add (out, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_wrapping (child, out);
}

/* The results bar's status line reads whole at the width the results get
 * in a 1280 px window with both side panes open (600 px): in German it
 * read "P95 2,72 ms · 8.543 $ p…" there.  It takes a second line, broken
 * after the "·" only. */
static void
test_results_status (void)
{
  AbProblem *problem = ab_problem_set_lookup (ab_problem_set_get_default (), "key-value-store");
  g_autoptr(AbDocument) document = ab_document_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AbDesign) design = ab_reference_build_design (problem, &error);
  AbSimRunner *runner = ab_document_get_runner (document);
  GtkWidget *window, *panel;
  GtkLabel *status = NULL;
  PangoLayout *layout;
  gboolean late = FALSE;
  guint timer;

  g_assert_no_error (error);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 600, 500);
  panel = g_object_new (AB_TYPE_RESULTS_PANEL, "document", document, NULL);
  gtk_window_set_child (GTK_WINDOW (window), panel);
  gtk_window_present (GTK_WINDOW (window));
  g_object_set (runner, "debounce", 0u, "scenario", "normal", NULL);
  ab_document_set (document, design, problem, NULL);

  timer = g_timeout_add_seconds (120, timed_out, &late);
  while (status == NULL || ab_sim_runner_get_running (runner))
    {
      g_assert_false (late);
      g_main_context_iteration (NULL, TRUE);
      status = find_label (panel, "P95 ");
    }
  g_source_remove (timer);
  for (int i = 0; i < 20; i++)
    {
      iterate ();
      g_usleep (10000);
    }
  layout = gtk_label_get_layout (status);
  g_test_message ("status %s: %d px wide, %d lines", gtk_label_get_label (status),
                  gtk_widget_get_width (GTK_WIDGET (status)), pango_layout_get_line_count (layout));
  g_assert_true (g_str_has_suffix (gtk_label_get_label (status), " pro Monat"));
  g_assert_false (pango_layout_is_ellipsized (layout));
  /* when it breaks, it breaks after the "·": the cost stays on one line */
  if (pango_layout_get_line_count (layout) > 1)
    {
      PangoLayoutLine *second = pango_layout_get_line_readonly (layout, 1);
      const char *text = pango_layout_get_text (layout);

      g_assert_true (g_str_has_prefix (text + second->start_index - strlen ("\u00b7 "), "\u00b7 "));
    }

  /* the summary's sentences keep each figure whole where they wrap: the
   * bottleneck's "… Komponente: 35 %" could end a line with "35" */
  {
    g_autoptr(GPtrArray) wrapping = g_ptr_array_new ();
    guint percent = 0;

    collect_wrapping (panel, wrapping);
    for (guint i = 0; i < wrapping->len; i++)
      {
        const char *text = gtk_label_get_text (wrapping->pdata[i]);
        g_autofree char *kept = ab_format_keep_figures (text);

        g_test_message ("wrapping: %s", text);
        g_assert_cmpstr (text, ==, kept);
        percent += strstr (text, "\u00a0%") != NULL;
      }
    g_assert_cmpuint (percent, >, 0);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();
  ab_document_set (document, NULL, NULL, NULL);
  iterate ();
}

/* Labels that read as a check's sentence: long, with a figure in them. */
static void
collect_sentences (GtkWidget *widget,
                   GPtrArray *out)
{
  if (GTK_IS_LABEL (widget))
    {
      const char *text = gtk_label_get_text (GTK_LABEL (widget));

      if (g_utf8_strlen (text, -1) > 40 && strpbrk (text, "0123456789") != NULL)
        g_ptr_array_add (out, widget);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_sentences (child, out);
}

/* Whether a line that ends with @before and a next line that starts with
 * @after split a figure: "99,9" then "%", ">" then "99,99999",
 * "100.000" then "Schreibzugriffe/s". */
static gboolean
splits_figure (const char *before,
               gsize       before_len,
               const char *after)
{
  g_autofree char *first = NULL;
  gsize n;

  while (before_len > 0 && before[before_len - 1] == ' ')
    before_len--;
  if (before_len == 0)
    return FALSE;
  if ((before[before_len - 1] == '>' || before[before_len - 1] == '<') && g_ascii_isdigit (*after))
    return TRUE;
  if (!g_ascii_isdigit (before[before_len - 1]))
    return FALSE;
  first = g_strndup (after, strcspn (after, " "));
  n = strlen (first);
  while (n > 0 && strchr (":;,.)", first[n - 1]) != NULL)
    first[--n] = '\0';
  return strcmp (first, "%") == 0 || strcmp (first, "$") == 0 || strcmp (first, "ms") == 0 ||
         strcmp (first, "s") == 0 || g_str_has_suffix (first, "/s");
}

/* The checks panel's sentences keep each figure whole where they wrap: in
 * German the panel (about 270 px for the text) broke "Geschätzte
 * Verfügbarkeit beträgt >" / "99,99999 %: ...", "99,9" / "%" and
 * "100.000" / "Schreibzugriffe/s".  Each sentence is laid out as the
 * panel lays it out, at every width from 150 to 400 px. */
static void
test_check_sentences (void)
{
  AbProblem *problem = ab_problem_set_lookup (ab_problem_set_get_default (), "gaming-leaderboard");
  g_autoptr(AbDocument) document = ab_document_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AbDesign) design = ab_reference_build_design (problem, &error);
  g_autoptr(GPtrArray) sentences = g_ptr_array_new ();
  AbSimRunner *runner = ab_document_get_runner (document);
  GtkWidget *window, *panel;
  gboolean late = FALSE, availability = FALSE;
  guint timer;

  g_assert_no_error (error);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 330, 700);
  panel = g_object_new (AB_TYPE_CHECKS_PANEL, "document", document, NULL);
  gtk_window_set_child (GTK_WINDOW (window), panel);
  gtk_window_present (GTK_WINDOW (window));
  g_object_set (runner, "debounce", 0u, "scenario", "normal", NULL);
  ab_document_set (document, design, problem, NULL);

  timer = g_timeout_add_seconds (120, timed_out, &late);
  while (find_label (panel, "P95 ") == NULL || ab_sim_runner_get_running (runner))
    {
      g_assert_false (late);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (timer);
  iterate ();
  collect_sentences (panel, sentences);
  for (guint i = 0; i < sentences->len; i++)
    {
      GtkLabel *label = sentences->pdata[i];
      g_autoptr(PangoLayout) layout = pango_layout_copy (gtk_label_get_layout (label));
      const char *text = pango_layout_get_text (layout);

      g_test_message ("%s", text);
      availability |= strstr (text, "Verfügbarkeit") != NULL;
      for (int width = 150; width <= 400; width++)
        {
          pango_layout_set_width (layout, width * PANGO_SCALE);
          for (int l = 1; l < pango_layout_get_line_count (layout); l++)
            {
              int start = pango_layout_get_line_readonly (layout, l)->start_index;

              if (splits_figure (text, (gsize) start, text + start))
                g_error ("at %d px: \"%.*s\" | \"%s\"", width, start, text, text + start);
            }
        }
    }
  g_assert_true (availability);
  g_assert_cmpuint (sentences->len, >=, 3);

  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();
  ab_document_set (document, NULL, NULL, NULL);
  iterate ();
}

int
main (int    argc,
      char **argv)
{
  const char *localedir = g_getenv ("ARCHBOARD_LOCALEDIR");

  g_setenv ("LANGUAGE", "de", TRUE);
  g_setenv ("LC_ALL", "de_DE.UTF-8", TRUE);
  if (setlocale (LC_ALL, "") == NULL)
    {
      g_printerr ("no de_DE.UTF-8 locale: skipping\n");
      return 77;
    }
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      g_printerr ("no display: skipping\n");
      return 77;
    }
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  g_assert (ab_app_get_resource () != NULL);

  g_test_add_func ("/german-room/export-dialog", test_export_dialog);
  g_test_add_func ("/german-room/preferences", test_preferences);
  g_test_add_func ("/german-room/results-status", test_results_status);
  g_test_add_func ("/german-room/check-sentences", test_check_sentences);
  return g_test_run ();
}
