/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbProblemBrowser: lists the problem set and the recent designs; filters
 * by text and difficulty; shows the progress kept in GSettings. */
#define G_LOG_DOMAIN "archboard"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ab-a11y.h"
#include "ab-format.h"
#include "ab-problem-browser.h"
#include "ab-records.h"

#define MAX_RECENT 6

struct _AbProblemBrowser
{
  AdwBin          parent_instance;

  GtkSearchEntry *search_entry;
  GtkDropDown    *difficulty_dropdown;
  GtkWidget      *recent_section;
  GtkWidget      *recent_empty;
  GtkListBox     *recent_list;
  GtkListBox     *problem_list;
  GtkWidget      *no_results;
  GtkWidget      *problems_heading;

  GSettings      *settings;
  gulong          recent_changed_id;
};

G_DEFINE_FINAL_TYPE (AbProblemBrowser, ab_problem_browser, ADW_TYPE_BIN)

enum {
  SIGNAL_PROBLEM_ACTIVATED,
  SIGNAL_FILE_ACTIVATED,
  SIGNAL_OPEN_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const difficulties[] = { NULL, "easy", "intermediate", "advanced" };

static const char *
difficulty_label (const char *difficulty)
{
  if (g_strcmp0 (difficulty, "easy") == 0)
    return _("Easy");
  if (g_strcmp0 (difficulty, "intermediate") == 0)
    return _("Intermediate");
  if (g_strcmp0 (difficulty, "advanced") == 0)
    return _("Advanced");
  return difficulty ? difficulty : "";
}

static AbProblem *
row_problem (GtkListBoxRow *row)
{
  return g_object_get_data (G_OBJECT (row), "ab-problem");
}

static gboolean
matches (AbProblemBrowser *self,
         AbProblem        *problem)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  guint selected = gtk_drop_down_get_selected (self->difficulty_dropdown);
  const AbProblem *source;
  g_autofree char *needle = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *haystack = NULL;
  g_auto(GStrv) words = NULL;

  if (selected > 0 && selected < G_N_ELEMENTS (difficulties) &&
      g_strcmp0 (problem->difficulty, difficulties[selected]) != 0)
    return FALSE;
  if (text == NULL || *text == '\0')
    return TRUE;

  needle = g_utf8_casefold (text, -1);
  /* The texts as shown (translated) and as written (English), so that a
   * problem is found by either title. */
  source = ab_problem_get_source (problem);
  joined = g_strjoin (" ", problem->id, problem->title,
                      problem->summary ? problem->summary : "",
                      problem->category ? problem->category : "",
                      problem->category ? g_dpgettext2 (GETTEXT_PACKAGE, "problem category",
                                                        problem->category) : "",
                      source != problem ? source->title : "",
                      source != problem && source->summary ? source->summary : "", NULL);
  haystack = g_utf8_casefold (joined, -1);
  /* Every word must appear somewhere. */
  words = g_strsplit_set (needle, " \t", -1);
  for (guint i = 0; words[i]; i++)
    if (*words[i] && strstr (haystack, words[i]) == NULL)
      return FALSE;
  return TRUE;
}

static gboolean
filter_problem (GtkListBoxRow *row,
                gpointer       user_data)
{
  return matches (user_data, row_problem (row));
}

static void
update_no_results (AbProblemBrowser *self)
{
  AbProblemSet *set = ab_problem_set_get_default ();
  guint n = set != NULL ? ab_problem_set_get_n (set) : 0;
  guint shown = 0;

  for (guint i = 0; i < n; i++)
    if (matches (self, ab_problem_set_get_nth (set, i)))
      shown++;
  gtk_widget_set_visible (self->no_results, shown == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->problem_list), shown > 0);

  if (shown == n)
    gtk_label_set_label (GTK_LABEL (self->problems_heading), _("Problems"));
  else
    {
      /* Translators: heading of the filtered problem list, "3 of 35 Problems" */
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u of %u Problem",
                                                            "%u of %u Problems", n),
                                               shown, n);

      gtk_label_set_label (GTK_LABEL (self->problems_heading), text);
    }
}

static void
on_search_changed (GtkSearchEntry   *entry,
                   AbProblemBrowser *self)
{
  gtk_list_box_invalidate_filter (self->problem_list);
  update_no_results (self);
}

static void
on_difficulty_changed (GtkDropDown      *dropdown,
                       GParamSpec       *pspec,
                       AbProblemBrowser *self)
{
  gtk_list_box_invalidate_filter (self->problem_list);
  update_no_results (self);
}

static void
on_search_activate (GtkSearchEntry   *entry,
                    AbProblemBrowser *self)
{
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->problem_list, i)) != NULL; i++)
    if (matches (self, row_problem (row)))
      {
        g_signal_emit (self, signals[SIGNAL_PROBLEM_ACTIVATED], 0, row_problem (row));
        return;
      }
}

static void
on_problem_activated (GtkListBox       *list,
                      GtkListBoxRow    *row,
                      AbProblemBrowser *self)
{
  g_signal_emit (self, signals[SIGNAL_PROBLEM_ACTIVATED], 0, row_problem (row));
}

static void
on_recent_activated (GtkListBox       *list,
                     GtkListBoxRow    *row,
                     AbProblemBrowser *self)
{
  const char *uri = g_object_get_data (G_OBJECT (row), "ab-uri");
  g_autoptr(GFile) file = g_file_new_for_uri (uri);

  g_signal_emit (self, signals[SIGNAL_FILE_ACTIVATED], 0, file);
}

static void
on_open_clicked (GtkButton        *button,
                 AbProblemBrowser *self)
{
  g_signal_emit (self, signals[SIGNAL_OPEN_REQUESTED], 0);
}

static void
update_progress_label (AbProblemBrowser *self,
                       GtkListBoxRow    *row)
{
  AbProblem *problem = row_problem (row);
  GtkWidget *label = g_object_get_data (G_OBJECT (row), "ab-progress");
  GtkWidget *record = g_object_get_data (G_OBJECT (row), "ab-record");
  g_autoptr(GVariant) progress = NULL;
  GVariantIter iter;
  const char *id;
  guint passed, total;
  gboolean solved = FALSE;
  double best_p95 = 0.0, lowest_cost = 0.0;
  g_autoptr(GString) details = g_string_new (NULL);

  gtk_widget_set_visible (label, FALSE);
  gtk_widget_set_visible (record, FALSE);
  if (self->settings == NULL)
    return;

  /* Solved only by the verdict of a simulated design (every tier, every
   * component reached, every performance check), never by tiers alone */
  if (ab_records_get (self->settings, problem->id, &solved, &best_p95, &lowest_cost))
    {
      if (best_p95 > 0.0)
        {
          /* Translators: best P95 latency of the learner's designs, in the problem list */
          g_autofree char *ms = ab_format_latency (best_p95);
          g_autofree char *p95 = g_strdup_printf (_("best P95 %s"), ms);

          g_string_append (details, p95);
        }
      if (solved && lowest_cost > 0.0)
        {
          /* Translators: lowest monthly cost of a solving design, in the problem list */
          g_autofree char *money = ab_format_money (lowest_cost);
          g_autofree char *cost = g_strdup_printf (_("%s/month"), money);

          g_string_append_printf (details, "%s%s", details->len > 0 ? " · " : "", cost);
        }
      gtk_label_set_label (GTK_LABEL (record), details->str);
      gtk_widget_set_visible (record, details->len > 0);
    }

  progress = g_settings_get_value (self->settings, "progress");
  g_variant_iter_init (&iter, progress);
  while (g_variant_iter_next (&iter, "{&s(uu)}", &id, &passed, &total))
    if (g_strcmp0 (id, problem->id) == 0 && total > 0)
      {
        g_autofree char *text = NULL;
        g_autofree char *tiers = NULL;

        if (solved)
          {
            text = g_strdup (_("Solved"));
            gtk_widget_add_css_class (label, "success");
          }
        else
          {
            /* Translators: progress in the problem list, "2/4 tiers" */
            tiers = g_strdup_printf (_("%u/%u tiers"), passed, total);
            text = g_strdup (tiers);
            gtk_widget_remove_css_class (label, "success");
          }
        gtk_label_set_label (GTK_LABEL (label), text);
        gtk_widget_set_visible (label, TRUE);
        break;
      }
}

static void
update_progress (AbProblemBrowser *self)
{
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->problem_list, i)) != NULL; i++)
    update_progress_label (self, row);
}

static void
on_progress_changed (GSettings        *settings,
                     const char       *key,
                     AbProblemBrowser *self)
{
  update_progress (self);
}

static GtkWidget *
create_problem_row (AbProblem *problem)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *pill, *progress, *record, *arrow;
  g_autofree char *title = g_markup_escape_text (problem->title, -1);
  g_autofree char *summary = g_markup_escape_text (problem->summary ? problem->summary : "", -1);
  g_autofree char *pill_class = g_strdup_printf ("difficulty-%s", problem->difficulty ? problem->difficulty : "");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), summary);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  progress = gtk_label_new (NULL);
  gtk_widget_add_css_class (progress, "dim-label");
  gtk_widget_add_css_class (progress, "caption");
  gtk_widget_add_css_class (progress, "progress-label");
  gtk_widget_set_valign (progress, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), progress);
  /* best P95 and lowest cost of a solving design */
  record = gtk_label_new (NULL);
  gtk_widget_add_css_class (record, "dim-label");
  gtk_widget_add_css_class (record, "caption");
  gtk_widget_set_valign (record, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (record, FALSE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), record);

  pill = gtk_label_new (difficulty_label (problem->difficulty));
  gtk_widget_add_css_class (pill, "difficulty");
  gtk_widget_add_css_class (pill, pill_class);
  gtk_widget_set_valign (pill, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), pill);

  arrow = gtk_image_new_from_icon_name ("go-next-symbolic");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);

  g_object_set_data_full (G_OBJECT (row), "ab-problem", ab_problem_ref (problem),
                          (GDestroyNotify) ab_problem_unref);
  g_object_set_data (G_OBJECT (row), "ab-progress", progress);
  g_object_set_data (G_OBJECT (row), "ab-record", record);
  return row;
}

/* Most recently modified first. */
static int
compare_recent (gconstpointer a,
                gconstpointer b)
{
  GDateTime *ma = gtk_recent_info_get_modified ((GtkRecentInfo *) a);
  GDateTime *mb = gtk_recent_info_get_modified ((GtkRecentInfo *) b);

  return -g_date_time_compare (ma, mb);
}

static void
update_recent (AbProblemBrowser *self)
{
  GtkRecentManager *manager = gtk_recent_manager_get_default ();
  GList *items = gtk_recent_manager_get_items (manager);
  GtkWidget *child;
  guint shown = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))) != NULL)
    gtk_list_box_remove (self->recent_list, child);

  items = g_list_sort (items, compare_recent);

  for (GList *l = items; l != NULL && shown < MAX_RECENT; l = l->next)
    {
      GtkRecentInfo *info = l->data;
      const char *uri = gtk_recent_info_get_uri (info);
      g_autoptr(GFile) file = NULL;
      g_autofree char *name = NULL;
      g_autofree char *location = NULL;
      g_autoptr(GFile) parent = NULL;
      GtkWidget *row, *arrow;

      if (!g_str_has_suffix (uri, ".archboard") || !gtk_recent_info_exists (info))
        continue;
      file = g_file_new_for_uri (uri);
      name = g_markup_escape_text (gtk_recent_info_get_display_name (info), -1);
      parent = g_file_get_parent (file);
      if (parent != NULL)
        {
          g_autofree char *parse_name = g_file_get_parse_name (parent);
          g_autofree char *home = g_strdup (g_get_home_dir ());

          if (g_str_has_prefix (parse_name, home))
            location = g_markup_printf_escaped ("~%s", parse_name + strlen (home));
          else
            location = g_markup_escape_text (parse_name, -1);
        }

      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), location ? location : "");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("document-open-recent-symbolic"));
      arrow = gtk_image_new_from_icon_name ("go-next-symbolic");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "ab-uri", g_strdup (uri), g_free);
      gtk_list_box_append (self->recent_list, row);
      shown++;
    }
  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);

  gtk_widget_set_visible (GTK_WIDGET (self->recent_list), shown > 0);
  gtk_widget_set_visible (self->recent_empty, shown == 0);
}

static void
on_recent_changed (GtkRecentManager *manager,
                   AbProblemBrowser *self)
{
  update_recent (self);
}

static void
ab_problem_browser_dispose (GObject *object)
{
  AbProblemBrowser *self = AB_PROBLEM_BROWSER (object);

  g_clear_signal_handler (&self->recent_changed_id, gtk_recent_manager_get_default ());
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), AB_TYPE_PROBLEM_BROWSER);

  G_OBJECT_CLASS (ab_problem_browser_parent_class)->dispose (object);
}

static void
ab_problem_browser_class_init (AbProblemBrowserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ab_problem_browser_dispose;

  signals[SIGNAL_PROBLEM_ACTIVATED] =
    g_signal_new ("problem-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_FILE_ACTIVATED] =
    g_signal_new ("file-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_FILE);
  signals[SIGNAL_OPEN_REQUESTED] =
    g_signal_new ("open-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/archboard/Archboard/ab-problem-browser.ui");
  gtk_widget_class_bind_template_child (widget_class, AbProblemBrowser, search_entry);
  gtk_widget_class_bind_template_child (widget_class, AbProblemBrowser, difficulty_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AbProblemBrowser, recent_section);
  gtk_widget_class_bind_template_child (widget_class, AbProblemBrowser, recent_empty);
  gtk_widget_class_bind_template_child (widget_class, AbProblemBrowser, recent_list);
  gtk_widget_class_bind_template_child (widget_class, AbProblemBrowser, problem_list);
  gtk_widget_class_bind_template_child (widget_class, AbProblemBrowser, no_results);
  gtk_widget_class_bind_template_child (widget_class, AbProblemBrowser, problems_heading);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_difficulty_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_problem_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_recent_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_open_clicked);
}

static void
ab_problem_browser_init (AbProblemBrowser *self)
{
  AbProblemSet *set = ab_problem_set_get_default ();

  gtk_widget_init_template (GTK_WIDGET (self));
  ab_a11y_name_mnemonic_buttons (GTK_WIDGET (self));

  gtk_list_box_set_filter_func (self->problem_list, filter_problem, self, NULL);
  for (guint i = 0; set != NULL && i < ab_problem_set_get_n (set); i++)
    gtk_list_box_append (self->problem_list, create_problem_row (ab_problem_set_get_nth (set, i)));
  update_no_results (self);

  self->recent_changed_id = g_signal_connect (gtk_recent_manager_get_default (), "changed",
                                              G_CALLBACK (on_recent_changed), self);
  update_recent (self);
}

GtkWidget *
ab_problem_browser_new (void)
{
  return g_object_new (AB_TYPE_PROBLEM_BROWSER, NULL);
}

void
ab_problem_browser_set_settings (AbProblemBrowser *self,
                                 GSettings        *settings)
{
  g_return_if_fail (AB_IS_PROBLEM_BROWSER (self));

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_set_object (&self->settings, settings);
  if (settings != NULL)
    {
      g_signal_connect (settings, "changed::progress", G_CALLBACK (on_progress_changed), self);
      g_signal_connect (settings, "changed::records", G_CALLBACK (on_progress_changed), self);
    }
  update_progress (self);
}

void
ab_problem_browser_focus_search (AbProblemBrowser *self)
{
  g_return_if_fail (AB_IS_PROBLEM_BROWSER (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}
