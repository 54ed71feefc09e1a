/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbInspector: builds a form for the selected item from the catalog's
 * parameter specs and turns each committed field into one design command. */
#define G_LOG_DOMAIN "archboard"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ab-catalog.h"
#include "ab-inspector.h"
#include "ab-panel.h"

typedef enum {
  FIELD_NAME,
  FIELD_REGION,
  FIELD_INSTANCES,
  FIELD_PARAM_NUMBER,
  FIELD_PARAM_CHOICE,
  FIELD_CONN_LABEL,
  FIELD_CONN_MODE,
  FIELD_CONN_PARAM,
} FieldType;

typedef struct _AbInspector AbInspector;

typedef struct {
  AbInspector       *self;
  FieldType          type;
  char              *param;     /* parameter name */
  const AbParamSpec *spec;      /* catalog spec (component parameters) */
  double             min, max;
  GtkWidget         *widget;    /* AdwEntryRow, GtkEntry, GtkSpinButton, AdwComboRow */
  GtkWidget         *reset;     /* "use default" button, or NULL */
  gboolean           dirty;
  /* The form was cleared: the widget may still get a late signal. */
  gboolean           detached;
  /* A row of the template, kept from one selection to the next. */
  gboolean           fixed;
} Field;

/* "share" is read by the routing (ab-route.c) but is not a catalog
 * parameter: without it, calls split evenly between a caller's targets. */
#define SHARE_PARAM "share"

struct _AbInspector
{
  AbPanel     parent_instance;

  /* template children */
  GtkWidget  *item_box;
  GtkWidget  *component_group;
  GtkWidget  *name_row;
  GtkWidget  *kind_row;
  GtkWidget  *kind_icon;
  GtkWidget  *instances_spin;
  GtkWidget  *region_row;
  GtkWidget  *connection_group;
  GtkWidget  *calls_row;
  GtkWidget  *label_row;
  GtkWidget  *mode_row;

  /* the template rows' fields (owned by their widgets) */
  Field      *name_field;
  Field      *instances_field;
  Field      *region_field;
  Field      *label_field;
  Field      *mode_field;

  AbDesign   *design;       /* the document's design the form edits */
  char       *item_id;      /* shown component or connection */
  gboolean    is_connection;
  guint       n_selected;
  GPtrArray  *fields;       /* of Field* */
  gboolean    updating;
};

G_DEFINE_FINAL_TYPE (AbInspector, ab_inspector, AB_TYPE_PANEL)

enum {
  PROP_0,
  PROP_N_SELECTED,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
field_free (gpointer data)
{
  Field *field = data;

  g_free (field->param);
  g_free (field);
}

static const AbComponent *
current_component (AbInspector *self)
{
  if (self->design == NULL || self->item_id == NULL || self->is_connection)
    return NULL;
  return ab_design_find_component (self->design, self->item_id);
}

static const AbConnection *
current_connection (AbInspector *self)
{
  if (self->design == NULL || self->item_id == NULL || !self->is_connection)
    return NULL;
  return ab_design_find_connection (self->design, self->item_id);
}

static char *
format_number (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buffer, sizeof buffer, "%.6g", value);
  return g_strdup (buffer);
}

/* Accepts "12.5" and "12,5"; FALSE for anything else. */
static gboolean
parse_number (const char *text,
              double     *out)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  char *end = NULL;

  g_strdelimit (copy, ",", '.');
  if (*copy == '\0')
    return FALSE;
  *out = g_ascii_strtod (copy, &end);
  return end != NULL && *end == '\0' && isfinite (*out);
}

static const char *
field_text (Field *field)
{
  return gtk_editable_get_text (GTK_EDITABLE (field->widget));
}

static void
set_field_text (Field      *field,
                const char *text)
{
  if (g_strcmp0 (field_text (field), text ? text : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (field->widget), text ? text : "");
}

static GVariant *
lookup_override (GHashTable *params,
                 const char *name)
{
  return params != NULL ? g_hash_table_lookup (params, name) : NULL;
}

static void
mark_invalid (Field      *field,
              const char *message)
{
  if (message != NULL)
    {
      gtk_widget_add_css_class (field->widget, "error");
      gtk_widget_set_tooltip_text (field->widget, message);
    }
  else
    {
      gtk_widget_remove_css_class (field->widget, "error");
      gtk_widget_set_tooltip_text (field->widget, NULL);
    }
}

static void
commit_number (Field      *field,
               GHashTable *params,
               const char *id)
{
  AbInspector *self = field->self;
  const char *text = field_text (field);
  GVariant *current = lookup_override (params, field->param);
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  double value;

  if (*stripped == '\0')
    {
      mark_invalid (field, NULL);
      if (current == NULL)
        return;
      if (field->type == FIELD_PARAM_NUMBER)
        ab_design_set_component_param (self->design, id, field->param, NULL);
      else
        ab_design_set_connection_param (self->design, id, field->param, NULL);
      return;
    }

  if (!parse_number (stripped, &value))
    {
      mark_invalid (field, _("Not a number"));
      return;
    }
  if (value < field->min || value > field->max)
    {
      g_autofree char *min = format_number (field->min);
      g_autofree char *max = format_number (field->max);
      g_autofree char *message = g_strdup_printf (_("Must be between %s and %s"), min, max);

      mark_invalid (field, message);
      return;
    }
  mark_invalid (field, NULL);

  if (current != NULL && g_variant_is_of_type (current, G_VARIANT_TYPE_DOUBLE) &&
      g_variant_get_double (current) == value)
    return;
  if (field->type == FIELD_PARAM_NUMBER)
    ab_design_set_component_param (self->design, id, field->param, g_variant_new_double (value));
  else
    ab_design_set_connection_param (self->design, id, field->param, g_variant_new_double (value));
}

static void
commit_field (Field *field)
{
  AbInspector *self = field->self;
  const AbComponent *component;
  const AbConnection *connection;
  g_autofree char *text = NULL;

  if (field->detached || self->updating || !field->dirty)
    return;
  component = current_component (self);
  connection = current_connection (self);
  field->dirty = FALSE;
  if (component == NULL && connection == NULL)
    return;

  switch (field->type)
    {
    case FIELD_NAME:
      text = g_strstrip (g_strdup (field_text (field)));
      if (*text == '\0')
        {
          /* A component always has a name: put the old one back. */
          self->updating = TRUE;
          set_field_text (field, component->label);
          self->updating = FALSE;
        }
      else if (g_strcmp0 (text, component->label) != 0)
        ab_design_rename_component (self->design, component->id, text);
      break;

    case FIELD_REGION:
      text = g_strstrip (g_strdup (field_text (field)));
      if (g_strcmp0 (*text ? text : NULL, component->region) != 0)
        ab_design_set_region (self->design, component->id, *text ? text : NULL);
      break;

    case FIELD_INSTANCES:
      {
        int value = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (field->widget));

        if (value != component->instances)
          ab_design_set_instances (self->design, component->id, value);
      }
      break;

    case FIELD_PARAM_NUMBER:
      commit_number (field, component->params, component->id);
      break;

    case FIELD_CONN_PARAM:
      commit_number (field, connection->params, connection->id);
      break;

    case FIELD_PARAM_CHOICE:
      {
        guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (field->widget));
        GVariant *current = lookup_override (component->params, field->param);
        const char *now = current && g_variant_is_of_type (current, G_VARIANT_TYPE_STRING)
                          ? g_variant_get_string (current, NULL) : NULL;
        const char *choice = selected == 0 || selected == GTK_INVALID_LIST_POSITION
                             ? NULL : field->spec->choices[selected - 1];

        if (g_strcmp0 (now, choice) != 0)
          ab_design_set_component_param (self->design, component->id, field->param,
                                         choice ? g_variant_new_string (choice) : NULL);
      }
      break;

    case FIELD_CONN_LABEL:
      text = g_strstrip (g_strdup (field_text (field)));
      if (g_strcmp0 (*text ? text : NULL, connection->label) != 0)
        ab_design_set_connection_label (self->design, connection->id, *text ? text : NULL);
      break;

    case FIELD_CONN_MODE:
      {
        AbConnMode mode = adw_combo_row_get_selected (ADW_COMBO_ROW (field->widget)) == 1
                          ? AB_CONN_ASYNC : AB_CONN_SYNC;

        if (mode != connection->mode)
          ab_design_set_connection_mode (self->design, connection->id, mode);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
show_page (AbInspector *self,
           const char  *name)
{
  /* The template's stack is the bin's child. */
  gtk_stack_set_visible_child_name (GTK_STACK (adw_bin_get_child (ADW_BIN (self))), name);
}

/* ---- refresh from the model ---- */

static void
refresh_number (Field      *field,
                GHashTable *params)
{
  GVariant *value = lookup_override (params, field->param);
  g_autofree char *text = NULL;

  if (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    text = format_number (g_variant_get_double (value));
  set_field_text (field, text);
  if (field->reset != NULL)
    gtk_widget_set_visible (field->reset, text != NULL);
  mark_invalid (field, NULL);
}

static void
refresh (AbInspector *self)
{
  const AbComponent *component = current_component (self);
  const AbConnection *connection = current_connection (self);

  if (self->item_id != NULL && component == NULL && connection == NULL)
    {
      /* The item went away (undo, delete). */
      show_page (self, "empty");
      return;
    }

  self->updating = TRUE;
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);

      if (field->dirty)
        continue;
      switch (field->type)
        {
        case FIELD_NAME:
          set_field_text (field, component->label);
          break;
        case FIELD_REGION:
          set_field_text (field, component->region);
          break;
        case FIELD_INSTANCES:
          gtk_spin_button_set_value (GTK_SPIN_BUTTON (field->widget), component->instances);
          break;
        case FIELD_PARAM_NUMBER:
          refresh_number (field, component->params);
          break;
        case FIELD_CONN_PARAM:
          refresh_number (field, connection->params);
          break;
        case FIELD_PARAM_CHOICE:
          {
            GVariant *value = lookup_override (component->params, field->param);
            guint selected = 0;

            if (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) && field->spec->choices)
              for (guint c = 0; field->spec->choices[c]; c++)
                if (g_strcmp0 (field->spec->choices[c], g_variant_get_string (value, NULL)) == 0)
                  selected = c + 1;
            adw_combo_row_set_selected (ADW_COMBO_ROW (field->widget), selected);
          }
          break;
        case FIELD_CONN_LABEL:
          set_field_text (field, connection->label);
          break;
        case FIELD_CONN_MODE:
          adw_combo_row_set_selected (ADW_COMBO_ROW (field->widget),
                                      connection->mode == AB_CONN_ASYNC ? 1 : 0);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  self->updating = FALSE;
}

/* ---- field callbacks ---- */

static void
on_field_changed (GtkWidget *widget,
                  Field     *field)
{
  if (!field->detached && !field->self->updating)
    field->dirty = TRUE;
}

static void
on_field_commit (GtkWidget *widget,
                 Field     *field)
{
  commit_field (field);
}

static void
on_field_leave (GtkEventControllerFocus *controller,
                Field                   *field)
{
  commit_field (field);
}

static void
on_combo_selected (GObject    *row,
                   GParamSpec *pspec,
                   Field      *field)
{
  if (field->detached || field->self->updating)
    return;
  field->dirty = TRUE;
  commit_field (field);
}

static void
on_spin_value_changed (GtkSpinButton *spin,
                       Field         *field)
{
  if (field->detached || field->self->updating)
    return;
  field->dirty = TRUE;
  commit_field (field);
}

static void
on_reset_clicked (GtkButton *button,
                  Field     *field)
{
  AbInspector *self = field->self;

  if (field->detached)
    return;
  field->dirty = FALSE;
  if (field->type == FIELD_PARAM_NUMBER)
    ab_design_set_component_param (self->design, self->item_id, field->param, NULL);
  else
    ab_design_set_connection_param (self->design, self->item_id, field->param, NULL);
}

static Field *
field_new (AbInspector *self,
           FieldType    type,
           GtkWidget   *widget,
           const char  *param)
{
  Field *field = g_new0 (Field, 1);

  field->self = self;
  field->type = type;
  field->widget = widget;
  field->param = g_strdup (param);
  field->min = -G_MAXDOUBLE;
  field->max = G_MAXDOUBLE;
  /* The widget owns its field: signals may outlive the form. */
  g_object_set_data_full (G_OBJECT (widget), "ab-inspector-field", field, field_free);
  return field;
}

static Field *
add_field (AbInspector *self,
           FieldType    type,
           GtkWidget   *widget,
           const char  *param)
{
  Field *field = field_new (self, type, widget, param);

  g_ptr_array_add (self->fields, field);
  return field;
}

static Field *
fixed_field (AbInspector *self,
             FieldType    type,
             GtkWidget   *widget)
{
  Field *field = field_new (self, type, widget, NULL);

  field->fixed = TRUE;
  return field;
}

static void
watch_editable (Field     *field,
                GtkWidget *focus_widget)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();

  g_signal_connect (field->widget, "changed", G_CALLBACK (on_field_changed), field);
  if (ADW_IS_ENTRY_ROW (field->widget))
    {
      g_signal_connect (field->widget, "apply", G_CALLBACK (on_field_commit), field);
      g_signal_connect (field->widget, "entry-activated", G_CALLBACK (on_field_commit), field);
    }
  else
    g_signal_connect (field->widget, "activate", G_CALLBACK (on_field_commit), field);
  g_signal_connect (focus, "leave", G_CALLBACK (on_field_leave), field);
  gtk_widget_add_controller (focus_widget, focus);
}

static GtkWidget *
new_group (const char *title,
           const char *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  return group;
}

static void
set_row_text (GtkWidget  *row,
              const char *title,
              const char *subtitle)
{
  g_autofree char *t = g_markup_escape_text (title ? title : "", -1);
  g_autofree char *s = g_markup_escape_text (subtitle ? subtitle : "", -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), t);
  if (ADW_IS_ACTION_ROW (row))
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), s);
}

/* A numeric parameter: the default as placeholder, the override as text. */
static void
add_number_row (AbInspector *self,
                GtkWidget   *group,
                FieldType    type,
                const char  *name,
                const char  *display_name,
                const char  *description,
                const char  *unit,
                const char  *placeholder,
                double       min,
                double       max)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *reset = gtk_button_new_from_icon_name ("edit-undo-symbolic");
  g_autofree char *title = NULL;
  g_autofree char *reset_label = NULL;
  Field *field;

  title = unit != NULL && *unit ? g_strdup_printf ("%s (%s)", display_name, unit) : g_strdup (display_name);
  set_row_text (row, title, description);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), 7);
  gtk_editable_set_max_width_chars (GTK_EDITABLE (entry), 9);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_NUMBER);
  gtk_widget_set_valign (entry, GTK_ALIGN_CENTER);
  /* The row names the entry (activatable widget: labelled by the title). */
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description ? description : "",
                                  -1);

  reset_label = g_strdup_printf (_("Use the default of %s"), placeholder);
  gtk_widget_set_tooltip_text (reset, reset_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (reset),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, reset_label, -1);
  gtk_widget_add_css_class (reset, "flat");
  gtk_widget_set_valign (reset, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (reset, FALSE);

  adw_action_row_add_suffix (ADW_ACTION_ROW (row), reset);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), entry);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), entry);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  field = add_field (self, type, entry, name);
  field->reset = reset;
  field->min = min;
  field->max = max;
  watch_editable (field, entry);
  g_signal_connect (reset, "clicked", G_CALLBACK (on_reset_clicked), field);
}

/* An entry row of the template, as new for another item: no apply
 * button left from editing the previous one. */
static void
reset_entry_row (GtkWidget *row)
{
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), FALSE);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);
}

static void
build_component (AbInspector       *self,
                 const AbComponent *component)
{
  AbCatalog *catalog = ab_catalog_get_default ();
  const AbKindInfo *info = ab_catalog_get_kind (catalog, component->kind);
  g_autofree char *kind = g_markup_escape_text (info ? info->display_name : ab_kind_to_string (component->kind), -1);
  GtkWidget *group, *row;
  Field *field;

  gtk_widget_set_visible (self->connection_group, FALSE);
  gtk_widget_set_visible (self->component_group, TRUE);
  reset_entry_row (self->name_row);
  reset_entry_row (self->region_row);
  g_ptr_array_add (self->fields, self->name_field);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->kind_row), kind);
  gtk_image_set_from_icon_name (GTK_IMAGE (self->kind_icon), info != NULL ? info->icon_name : NULL);
  gtk_widget_set_visible (self->kind_icon, info != NULL && info->icon_name != NULL);
  g_ptr_array_add (self->fields, self->instances_field);
  g_ptr_array_add (self->fields, self->region_field);

  if (info == NULL || info->params == NULL || info->params->len == 0)
    return;

  group = new_group (_("Simulation"),
                     _("Empty fields use the catalog default, shown in grey"));
  for (guint i = 0; i < info->params->len; i++)
    {
      const AbParamSpec *spec = g_ptr_array_index (info->params, i);

      if (spec->is_string)
        {
          g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
          g_autofree char *default_label = NULL;

          default_label = g_strdup_printf (_("Default (%s)"), spec->default_string ? spec->default_string : "");
          gtk_string_list_append (model, default_label);
          for (guint c = 0; spec->choices != NULL && spec->choices[c]; c++)
            gtk_string_list_append (model, spec->choices[c]);

          row = adw_combo_row_new ();
          set_row_text (row, spec->display_name, spec->description);
          adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
          field = add_field (self, FIELD_PARAM_CHOICE, row, spec->name);
          field->spec = spec;
          g_signal_connect (row, "notify::selected", G_CALLBACK (on_combo_selected), field);
        }
      else
        {
          g_autofree char *placeholder = format_number (spec->default_value);

          add_number_row (self, group, FIELD_PARAM_NUMBER, spec->name, spec->display_name,
                          spec->description, spec->unit, placeholder,
                          spec->min, spec->max > spec->min ? spec->max : G_MAXDOUBLE);
          ((Field *) g_ptr_array_index (self->fields, self->fields->len - 1))->spec = spec;
        }
    }
  gtk_box_append (GTK_BOX (self->item_box), group);
}

static void
build_connection (AbInspector        *self,
                  const AbConnection *connection)
{
  const AbComponent *from = ab_design_find_component (self->design, connection->from);
  const AbComponent *to = ab_design_find_component (self->design, connection->to);
  g_autofree char *route = NULL;
  g_autofree char *escaped = NULL;
  GPtrArray *params;
  GtkWidget *group;

  gtk_widget_set_visible (self->component_group, FALSE);
  gtk_widget_set_visible (self->connection_group, TRUE);
  /* Translators: "caller → callee" */
  route = g_strdup_printf (_("%s → %s"), from ? from->label : connection->from,
                           to ? to->label : connection->to);
  escaped = g_markup_escape_text (route, -1);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->calls_row), escaped);
  reset_entry_row (self->label_row);
  g_ptr_array_add (self->fields, self->label_field);
  g_ptr_array_add (self->fields, self->mode_field);

  group = new_group (_("Simulation"), _("Empty fields use the default, shown in grey"));
  params = ab_catalog_get_connection_params (ab_catalog_get_default ());
  for (guint i = 0; params != NULL && i < params->len; i++)
    {
      const AbParamSpec *spec = g_ptr_array_index (params, i);
      g_autofree char *placeholder = NULL;

      if (spec->is_string)
        continue;
      placeholder = format_number (spec->default_value);
      add_number_row (self, group, FIELD_CONN_PARAM, spec->name, spec->display_name,
                      spec->description, spec->unit, placeholder,
                      spec->min, spec->max > spec->min ? spec->max : G_MAXDOUBLE);
    }
  add_number_row (self, group, FIELD_CONN_PARAM, SHARE_PARAM, _("Share of calls"),
                  _("Fraction of the caller’s requests sent along this connection, 0 to 1"),
                  NULL, _("Even split"), 0, 1);
  gtk_box_append (GTK_BOX (self->item_box), group);
}

static void
clear_form (AbInspector *self)
{
  GtkWidget *child, *next;

  /* Removing a focused entry emits "leave": nothing may commit now. */
  self->updating = TRUE;
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);

      if (field->fixed)
        field->dirty = FALSE;
      else
        field->detached = TRUE;
    }
  g_ptr_array_set_size (self->fields, 0);
  /* the template's groups stay; the catalog's go */
  for (child = gtk_widget_get_first_child (self->item_box); child != NULL; child = next)
    {
      next = gtk_widget_get_next_sibling (child);
      if (child != self->component_group && child != self->connection_group)
        gtk_box_remove (GTK_BOX (self->item_box), child);
    }
  self->updating = FALSE;
}

static void set_design (AbInspector *self,
                        AbDesign    *design);

static void
ab_inspector_design_edited (AbPanel *panel)
{
  AbInspector *self = AB_INSPECTOR (panel);

  if (self->item_id != NULL)
    refresh (self);
}

static void
ab_inspector_document_changed (AbPanel *panel)
{
  AbInspector *self = AB_INSPECTOR (panel);
  AbDesign *design = ab_panel_get_design (panel);

  if (design != self->design)
    {
      set_design (self, design);
      ab_inspector_set_selection (self, NULL);
    }
}

static char *
multiple_title (gpointer this,
                guint    n_selected)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u Item Selected",
                                       "%u Items Selected", n_selected), n_selected);
}

static void
set_n_selected (AbInspector *self,
                guint        n_selected)
{
  if (self->n_selected == n_selected)
    return;
  self->n_selected = n_selected;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_SELECTED]);
}

static void
ab_inspector_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  AbInspector *self = AB_INSPECTOR (object);

  switch (prop_id)
    {
    case PROP_N_SELECTED:
      g_value_set_uint (value, self->n_selected);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ab_inspector_dispose (GObject *object)
{
  AbInspector *self = AB_INSPECTOR (object);

  if (self->fields != NULL)
    clear_form (self);
  /* the template rows may still get a signal while they go */
  if (self->name_field != NULL)
    {
      self->name_field->detached = TRUE;
      self->instances_field->detached = TRUE;
      self->region_field->detached = TRUE;
      self->label_field->detached = TRUE;
      self->mode_field->detached = TRUE;
      self->name_field = self->instances_field = self->region_field = NULL;
      self->label_field = self->mode_field = NULL;
    }
  g_clear_object (&self->design);
  gtk_widget_dispose_template (GTK_WIDGET (self), AB_TYPE_INSPECTOR);

  G_OBJECT_CLASS (ab_inspector_parent_class)->dispose (object);
}

static void
ab_inspector_finalize (GObject *object)
{
  AbInspector *self = AB_INSPECTOR (object);

  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_free (self->item_id);

  G_OBJECT_CLASS (ab_inspector_parent_class)->finalize (object);
}

/* Escape from any field: back to the canvas (the field commits on leaving,
 * as when clicking elsewhere).  Bubble phase: a popover or a field that
 * uses Escape itself keeps it. */
static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                AbInspector           *self)
{
  if (keyval != GDK_KEY_Escape || (state & gtk_accelerator_get_default_mod_mask ()) != 0)
    return FALSE;
  return gtk_widget_activate_action (GTK_WIDGET (self), "win.focus-canvas", NULL);
}

static void
ab_inspector_class_init (AbInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AbPanelClass *panel_class = AB_PANEL_CLASS (klass);

  object_class->dispose = ab_inspector_dispose;
  object_class->finalize = ab_inspector_finalize;
  object_class->get_property = ab_inspector_get_property;
  panel_class->document_changed = ab_inspector_document_changed;
  panel_class->design_edited = ab_inspector_design_edited;

  props[PROP_N_SELECTED] =
    g_param_spec_uint ("n-selected", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/archboard/Archboard/ab-inspector.ui");
  gtk_widget_class_bind_template_child (widget_class, AbInspector, item_box);
  gtk_widget_class_bind_template_child (widget_class, AbInspector, component_group);
  gtk_widget_class_bind_template_child (widget_class, AbInspector, name_row);
  gtk_widget_class_bind_template_child (widget_class, AbInspector, kind_row);
  gtk_widget_class_bind_template_child (widget_class, AbInspector, kind_icon);
  gtk_widget_class_bind_template_child (widget_class, AbInspector, instances_spin);
  gtk_widget_class_bind_template_child (widget_class, AbInspector, region_row);
  gtk_widget_class_bind_template_child (widget_class, AbInspector, connection_group);
  gtk_widget_class_bind_template_child (widget_class, AbInspector, calls_row);
  gtk_widget_class_bind_template_child (widget_class, AbInspector, label_row);
  gtk_widget_class_bind_template_child (widget_class, AbInspector, mode_row);
  gtk_widget_class_bind_template_callback (widget_class, multiple_title);
}

static void
ab_inspector_init (AbInspector *self)
{
  GtkEventController *keys;

  self->fields = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  /* the template rows' fields, for every selection */
  self->name_field = fixed_field (self, FIELD_NAME, self->name_row);
  watch_editable (self->name_field, self->name_row);
  self->instances_field = fixed_field (self, FIELD_INSTANCES, self->instances_spin);
  g_signal_connect (self->instances_spin, "value-changed", G_CALLBACK (on_spin_value_changed),
                    self->instances_field);
  self->region_field = fixed_field (self, FIELD_REGION, self->region_row);
  watch_editable (self->region_field, self->region_row);
  self->label_field = fixed_field (self, FIELD_CONN_LABEL, self->label_row);
  watch_editable (self->label_field, self->label_row);
  self->mode_field = fixed_field (self, FIELD_CONN_MODE, self->mode_row);
  g_signal_connect (self->mode_row, "notify::selected", G_CALLBACK (on_combo_selected),
                    self->mode_field);

  keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

GtkWidget *
ab_inspector_new (void)
{
  return g_object_new (AB_TYPE_INSPECTOR, NULL);
}

static void
set_design (AbInspector *self,
            AbDesign    *design)
{
  if (self->design == design)
    return;
  ab_inspector_commit (self);
  clear_form (self);
  g_clear_pointer (&self->item_id, g_free);
  g_set_object (&self->design, design);
  show_page (self, "empty");
}

void
ab_inspector_set_selection (AbInspector        *self,
                            const char * const *ids)
{
  guint n = ids != NULL ? g_strv_length ((char **) ids) : 0;
  const AbComponent *component = NULL;
  const AbConnection *connection = NULL;

  g_return_if_fail (AB_IS_INSPECTOR (self));

  if (n == 1 && self->item_id != NULL && g_strcmp0 (ids[0], self->item_id) == 0)
    {
      refresh (self);
      return;
    }

  ab_inspector_commit (self);
  clear_form (self);
  g_clear_pointer (&self->item_id, g_free);

  set_n_selected (self, n);
  if (n > 1)
    {
      show_page (self, "multiple");
      return;
    }
  if (n == 0 || self->design == NULL)
    {
      show_page (self, "empty");
      return;
    }

  component = ab_design_find_component (self->design, ids[0]);
  if (component == NULL)
    connection = ab_design_find_connection (self->design, ids[0]);
  if (component == NULL && connection == NULL)
    {
      show_page (self, "empty");
      return;
    }

  self->item_id = g_strdup (ids[0]);
  self->is_connection = connection != NULL;
  if (component != NULL)
    build_component (self, component);
  else
    build_connection (self, connection);
  refresh (self);
  show_page (self, "item");
}

void
ab_inspector_focus (AbInspector *self)
{
  g_return_if_fail (AB_IS_INSPECTOR (self));

  if (self->fields->len > 0)
    gtk_widget_grab_focus (((Field *) g_ptr_array_index (self->fields, 0))->widget);
}

void
ab_inspector_commit (AbInspector *self)
{
  g_return_if_fail (AB_IS_INSPECTOR (self));

  for (guint i = 0; self->fields != NULL && i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);

      if (field->dirty)
        commit_field (field);
    }
}
