/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbDesign: the design document and its undo history.  Every edit is
 * recorded as a list of invertible primitive operations (insert, remove
 * or swap one component / connection / string / the id counters) that
 * is executed as it is built; undo runs the list backwards, redo
 * forwards.  Swaps exchange whole objects, so undo and redo restore the
 * exact objects, ids and counters, byte for byte. */
#define G_LOG_DOMAIN "archboard-core"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "ab-catalog.h"
#include "ab-design-private.h"

typedef enum {
  OP_COMPONENT_INSERT,
  OP_COMPONENT_REMOVE,
  OP_COMPONENT_SWAP,
  OP_CONNECTION_INSERT,
  OP_CONNECTION_REMOVE,
  OP_CONNECTION_SWAP,
  OP_NOTES_SWAP,
  OP_TITLE_SWAP,
  OP_COUNTERS_SWAP
} OpType;

typedef struct {
  OpType         type;
  AbDesignChange change;
  guint          index;
  gpointer       object;      /* AbComponent* / AbConnection* held while out of the design */
  char          *text;        /* notes / title held while out of the design */
  guint          counters[2]; /* next component / connection number */
} Op;

typedef struct {
  char      *name;
  GArray    *ops;     /* of Op */
  guint64    serial;
} Command;

struct _AbDesign {
  GObject        parent_instance;

  char          *problem_id;
  char          *title;
  char          *created;
  char          *notes;
  GPtrArray     *components;   /* of AbComponent* */
  GPtrArray     *connections;  /* of AbConnection* */
  GHashTable    *component_index;  /* id -> AbComponent* */
  GHashTable    *connection_index; /* id -> AbConnection* */
  guint          next_component;
  guint          next_connection;

  GPtrArray     *undo;         /* of Command* */
  GPtrArray     *redo;
  GPtrArray     *groups;       /* open groups, of Command* */
  guint64        next_serial;
  guint64        saved_serial;
  AbDesignChange last_change;

  gboolean       can_undo_notified;
  gboolean       can_redo_notified;
  gboolean       modified_notified;
};

G_DEFINE_FINAL_TYPE (AbDesign, ab_design, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  PROP_MODIFIED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- components and connections ---- */

GHashTable *
ab_params_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_variant_unref);
}

static GHashTable *
params_copy (GHashTable *params)
{
  GHashTable *copy = ab_params_new ();
  GHashTableIter iter;
  gpointer key, value;

  if (params == NULL)
    return copy;
  g_hash_table_iter_init (&iter, params);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy, g_strdup (key), g_variant_ref (value));
  return copy;
}

AbComponent *
ab_component_copy (const AbComponent *c)
{
  AbComponent *copy = g_new0 (AbComponent, 1);

  copy->id = g_strdup (c->id);
  copy->kind = c->kind;
  copy->label = g_strdup (c->label);
  copy->x = c->x;
  copy->y = c->y;
  copy->instances = c->instances;
  copy->region = g_strdup (c->region);
  copy->params = params_copy (c->params);
  return copy;
}

void
ab_component_free (AbComponent *c)
{
  if (c == NULL)
    return;
  g_free (c->id);
  g_free (c->label);
  g_free (c->region);
  g_clear_pointer (&c->params, g_hash_table_unref);
  g_free (c);
}

AbConnection *
ab_connection_copy (const AbConnection *e)
{
  AbConnection *copy = g_new0 (AbConnection, 1);

  copy->id = g_strdup (e->id);
  copy->from = g_strdup (e->from);
  copy->to = g_strdup (e->to);
  copy->label = g_strdup (e->label);
  copy->mode = e->mode;
  copy->params = params_copy (e->params);
  return copy;
}

void
ab_connection_free (AbConnection *e)
{
  if (e == NULL)
    return;
  g_free (e->id);
  g_free (e->from);
  g_free (e->to);
  g_free (e->label);
  g_clear_pointer (&e->params, g_hash_table_unref);
  g_free (e);
}

gboolean
ab_design_id_is_valid (const char *id)
{
  gsize n;

  if (id == NULL)
    return FALSE;
  n = strlen (id);
  if (n == 0 || n > AB_DESIGN_MAX_ID)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isalnum (id[i]) && id[i] != '_' && id[i] != '-' && id[i] != '.')
      return FALSE;
  return TRUE;
}

/* ---- primitive operations ---- */

static void
op_clear (gpointer data)
{
  Op *op = data;

  switch (op->type)
    {
    case OP_COMPONENT_INSERT:
    case OP_COMPONENT_REMOVE:
    case OP_COMPONENT_SWAP:
      g_clear_pointer ((AbComponent **) &op->object, ab_component_free);
      break;
    case OP_CONNECTION_INSERT:
    case OP_CONNECTION_REMOVE:
    case OP_CONNECTION_SWAP:
      g_clear_pointer ((AbConnection **) &op->object, ab_connection_free);
      break;
    case OP_NOTES_SWAP:
    case OP_TITLE_SWAP:
    case OP_COUNTERS_SWAP:
    default:
      break;
    }
  g_clear_pointer (&op->text, g_free);
}

static Command *
command_new (const char *name)
{
  Command *cmd = g_new0 (Command, 1);

  cmd->name = g_strdup (name);
  cmd->ops = g_array_new (FALSE, TRUE, sizeof (Op));
  g_array_set_clear_func (cmd->ops, op_clear);
  return cmd;
}

static void
command_free (gpointer data)
{
  Command *cmd = data;

  g_free (cmd->name);
  g_array_unref (cmd->ops);
  g_free (cmd);
}

static void
insert_component (AbDesign    *self,
                  guint        index,
                  AbComponent *c)
{
  g_ptr_array_insert (self->components, index, c);
  g_hash_table_insert (self->component_index, c->id, c);
}

static AbComponent *
steal_component (AbDesign *self,
                 guint     index)
{
  AbComponent *c = g_ptr_array_steal_index (self->components, index);

  g_hash_table_remove (self->component_index, c->id);
  return c;
}

static void
insert_connection (AbDesign     *self,
                   guint         index,
                   AbConnection *e)
{
  g_ptr_array_insert (self->connections, index, e);
  g_hash_table_insert (self->connection_index, e->id, e);
}

static AbConnection *
steal_connection (AbDesign *self,
                  guint     index)
{
  AbConnection *e = g_ptr_array_steal_index (self->connections, index);

  g_hash_table_remove (self->connection_index, e->id);
  return e;
}

static void
op_apply (AbDesign *self,
          Op       *op,
          gboolean  forward)
{
  switch (op->type)
    {
    case OP_COMPONENT_INSERT:
    case OP_COMPONENT_REMOVE:
      if ((op->type == OP_COMPONENT_INSERT) == forward)
        {
          insert_component (self, op->index, op->object);
          op->object = NULL;
        }
      else
        op->object = steal_component (self, op->index);
      break;
    case OP_COMPONENT_SWAP:
      {
        AbComponent *old = steal_component (self, op->index);
        insert_component (self, op->index, op->object);
        op->object = old;
      }
      break;
    case OP_CONNECTION_INSERT:
    case OP_CONNECTION_REMOVE:
      if ((op->type == OP_CONNECTION_INSERT) == forward)
        {
          insert_connection (self, op->index, op->object);
          op->object = NULL;
        }
      else
        op->object = steal_connection (self, op->index);
      break;
    case OP_CONNECTION_SWAP:
      {
        AbConnection *old = steal_connection (self, op->index);
        insert_connection (self, op->index, op->object);
        op->object = old;
      }
      break;
    case OP_NOTES_SWAP:
      {
        char *old = self->notes;
        self->notes = op->text;
        op->text = old;
      }
      break;
    case OP_TITLE_SWAP:
      {
        char *old = self->title;
        self->title = op->text;
        op->text = old;
      }
      break;
    case OP_COUNTERS_SWAP:
      {
        guint c = self->next_component, e = self->next_connection;
        self->next_component = op->counters[0];
        self->next_connection = op->counters[1];
        op->counters[0] = c;
        op->counters[1] = e;
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

static const char *
change_detail (AbDesignChange change)
{
  if (change & AB_DESIGN_CHANGE_STRUCTURE)
    return "structure";
  if (change & AB_DESIGN_CHANGE_PROPERTIES)
    return "properties";
  if (change & AB_DESIGN_CHANGE_GEOMETRY)
    return "geometry";
  return "notes";
}

static guint64
top_serial (AbDesign *self)
{
  if (self->undo->len == 0)
    return 0;
  return ((Command *) g_ptr_array_index (self->undo, self->undo->len - 1))->serial;
}

static void
notify_state (AbDesign *self)
{
  gboolean can_undo = ab_design_can_undo (self);
  gboolean can_redo = ab_design_can_redo (self);
  gboolean modified = ab_design_is_modified (self);

  if (can_undo != self->can_undo_notified)
    {
      self->can_undo_notified = can_undo;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
    }
  if (can_redo != self->can_redo_notified)
    {
      self->can_redo_notified = can_redo;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
    }
  if (modified != self->modified_notified)
    {
      self->modified_notified = modified;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
    }
}

static void
emit_changed (AbDesign       *self,
              AbDesignChange  change)
{
  self->last_change = change;
  notify_state (self);
  g_signal_emit (self, signals[CHANGED], g_quark_from_static_string (change_detail (change)));
}

/* An edit in progress: collects the operations of one edit; committing
 * makes it one undo step (or part of the open group). */
typedef struct {
  AbDesign      *design;
  Command       *command;
  AbDesignChange change;
} Edit;

static void
edit_begin (AbDesign   *self,
            Edit       *edit,
            const char *name)
{
  edit->design = self;
  edit->command = command_new (name);
  edit->change = 0;
}

static void
edit_op (Edit *edit,
         Op    op)
{
  op_apply (edit->design, &op, TRUE);
  g_array_append_val (edit->command->ops, op);
  edit->change |= op.change;
}

static void
edit_commit (Edit *edit)
{
  AbDesign *self = edit->design;
  Command *cmd = g_steal_pointer (&edit->command);

  if (cmd->ops->len == 0)
    {
      command_free (cmd);
      return;
    }
  g_ptr_array_set_size (self->redo, 0);
  if (self->groups->len > 0)
    {
      Command *group = g_ptr_array_index (self->groups, self->groups->len - 1);
      /* Move the ops without running their clear func. */
      g_array_append_vals (group->ops, cmd->ops->data, cmd->ops->len);
      g_array_set_clear_func (cmd->ops, NULL);
      command_free (cmd);
    }
  else
    {
      cmd->serial = ++self->next_serial;
      g_ptr_array_add (self->undo, cmd);
    }
  emit_changed (self, edit->change);
}

static AbComponent *
lookup_component (AbDesign   *self,
                  const char *id,
                  guint      *index)
{
  AbComponent *c;

  if (id == NULL)
    return NULL;
  c = g_hash_table_lookup (self->component_index, id);
  if (c != NULL && index != NULL)
    g_assert_true (g_ptr_array_find (self->components, c, index));
  return c;
}

static AbConnection *
lookup_connection (AbDesign   *self,
                   const char *id,
                   guint      *index)
{
  AbConnection *e;

  if (id == NULL)
    return NULL;
  e = g_hash_table_lookup (self->connection_index, id);
  if (e != NULL && index != NULL)
    g_assert_true (g_ptr_array_find (self->connections, e, index));
  return e;
}

static void
edit_replace_component (Edit        *edit,
                        guint        index,
                        AbComponent *replacement,
                        AbDesignChange change)
{
  Op op = { OP_COMPONENT_SWAP, change, index, replacement, NULL, { 0, 0 } };
  edit_op (edit, op);
}

static void
edit_replace_connection (Edit         *edit,
                         guint         index,
                         AbConnection *replacement)
{
  Op op = { OP_CONNECTION_SWAP, AB_DESIGN_CHANGE_PROPERTIES, index, replacement, NULL, { 0, 0 } };
  edit_op (edit, op);
}

static char *
new_id (AbDesign   *self,
        Edit       *edit,
        gboolean    component)
{
  guint c = self->next_component, e = self->next_connection;
  guint *counter = component ? &c : &e;
  GHashTable *index = component ? self->component_index : self->connection_index;
  char *id = NULL;

  do
    {
      g_free (id);
      id = g_strdup_printf ("%c%u", component ? 'c' : 'e', (*counter)++);
    }
  while (g_hash_table_contains (index, id));

  {
    Op op = { OP_COUNTERS_SWAP, 0, 0, NULL, NULL, { c, e } };
    edit_op (edit, op);
  }
  return id;
}

static double
clamp_coord (double v)
{
  if (isnan (v))
    return 0;
  return CLAMP (v, -AB_DESIGN_MAX_COORD, AB_DESIGN_MAX_COORD);
}

static AbConnMode
default_mode (AbKind to)
{
  return (to == AB_KIND_QUEUE || to == AB_KIND_STREAM) ? AB_CONN_ASYNC : AB_CONN_SYNC;
}

/* Checks a parameter value against its spec; returns the value to store
 * (numbers clamped into range) or NULL when it does not fit. */
static GVariant *
fit_param (const AbParamSpec *spec,
           GVariant          *value)
{
  if (spec == NULL)
    return NULL;
  if (spec->is_string)
    {
      if (!g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) ||
          !g_strv_contains ((const char * const *) spec->choices, g_variant_get_string (value, NULL)))
        return NULL;
      return g_variant_ref_sink (value);
    }
  if (!g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE) || isnan (g_variant_get_double (value)))
    return NULL;
  {
    double v = g_variant_get_double (value);
    g_variant_ref_sink (value);
    if (v >= spec->min && v <= spec->max)
      return value;
    g_variant_unref (value);
    return g_variant_ref_sink (g_variant_new_double (CLAMP (v, spec->min, spec->max)));
  }
}

/* ---- GObject ---- */

static void
ab_design_finalize (GObject *object)
{
  AbDesign *self = AB_DESIGN (object);

  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->undo, g_ptr_array_unref);
  g_clear_pointer (&self->redo, g_ptr_array_unref);
  g_clear_pointer (&self->component_index, g_hash_table_unref);
  g_clear_pointer (&self->connection_index, g_hash_table_unref);
  g_clear_pointer (&self->components, g_ptr_array_unref);
  g_clear_pointer (&self->connections, g_ptr_array_unref);
  g_free (self->problem_id);
  g_free (self->title);
  g_free (self->created);
  g_free (self->notes);

  G_OBJECT_CLASS (ab_design_parent_class)->finalize (object);
}

static void
ab_design_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  AbDesign *self = AB_DESIGN (object);

  switch (prop_id)
    {
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, ab_design_can_undo (self));
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, ab_design_can_redo (self));
      break;
    case PROP_MODIFIED:
      g_value_set_boolean (value, ab_design_is_modified (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ab_design_class_init (AbDesignClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ab_design_finalize;
  object_class->get_property = ab_design_get_property;

  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_REDO] =
    g_param_spec_boolean ("can-redo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AbDesign::changed:
   *
   * After every edit, undo and redo.  Detailed: "structure",
   * "properties", "geometry" or "notes"; see ab_design_get_last_change().
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ab_design_init (AbDesign *self)
{
  self->components = g_ptr_array_new_with_free_func ((GDestroyNotify) ab_component_free);
  self->connections = g_ptr_array_new_with_free_func ((GDestroyNotify) ab_connection_free);
  self->component_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->connection_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->undo = g_ptr_array_new_with_free_func (command_free);
  self->redo = g_ptr_array_new_with_free_func (command_free);
  self->groups = g_ptr_array_new_with_free_func (command_free);
  self->next_component = 1;
  self->next_connection = 1;
  self->notes = g_strdup ("");
}

/* ---- private API (loader, snapshot) ---- */

void
ab_design_take_component (AbDesign    *self,
                          AbComponent *component)
{
  g_assert (!g_hash_table_contains (self->component_index, component->id));
  insert_component (self, self->components->len, component);
}

void
ab_design_take_connection (AbDesign     *self,
                           AbConnection *connection)
{
  g_assert (!g_hash_table_contains (self->connection_index, connection->id));
  insert_connection (self, self->connections->len, connection);
}

void
ab_design_set_metadata (AbDesign   *self,
                        const char *title,
                        const char *created,
                        const char *notes)
{
  g_free (self->title);
  self->title = g_strdup (title);
  g_free (self->created);
  self->created = g_strdup (created);
  g_free (self->notes);
  self->notes = g_strdup (notes != NULL ? notes : "");
}

static guint
id_number (const char *id,
           char        prefix)
{
  char *end = NULL;
  guint64 n;

  if (id[0] != prefix || !g_ascii_isdigit (id[1]))
    return 0;
  n = g_ascii_strtoull (id + 1, &end, 10);
  if (end == NULL || *end != '\0' || n >= G_MAXUINT / 2)
    return 0;
  return (guint) n;
}

void
ab_design_reset_counters (AbDesign *self)
{
  guint c = 0, e = 0;

  for (guint i = 0; i < self->components->len; i++)
    c = MAX (c, id_number (((AbComponent *) self->components->pdata[i])->id, 'c'));
  for (guint i = 0; i < self->connections->len; i++)
    e = MAX (e, id_number (((AbConnection *) self->connections->pdata[i])->id, 'e'));
  self->next_component = c + 1;
  self->next_connection = e + 1;
}

/* ---- public API: reading ---- */

AbDesign *
ab_design_new (const char *problem_id)
{
  AbDesign *self = g_object_new (AB_TYPE_DESIGN, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  self->problem_id = g_strdup (problem_id);
  self->created = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  return self;
}

AbDesign *
ab_design_snapshot (AbDesign *self)
{
  AbDesign *copy;

  g_return_val_if_fail (AB_IS_DESIGN (self), NULL);
  copy = g_object_new (AB_TYPE_DESIGN, NULL);
  copy->problem_id = g_strdup (self->problem_id);
  ab_design_set_metadata (copy, self->title, self->created, self->notes);
  for (guint i = 0; i < self->components->len; i++)
    ab_design_take_component (copy, ab_component_copy (self->components->pdata[i]));
  for (guint i = 0; i < self->connections->len; i++)
    ab_design_take_connection (copy, ab_connection_copy (self->connections->pdata[i]));
  copy->next_component = self->next_component;
  copy->next_connection = self->next_connection;
  return copy;
}

const char *
ab_design_get_problem_id (AbDesign *self)
{
  g_return_val_if_fail (AB_IS_DESIGN (self), NULL);
  return self->problem_id;
}

const char *
ab_design_get_notes (AbDesign *self)
{
  g_return_val_if_fail (AB_IS_DESIGN (self), NULL);
  return self->notes;
}

const char *
ab_design_get_title (AbDesign *self)
{
  g_return_val_if_fail (AB_IS_DESIGN (self), NULL);
  return self->title;
}

const char *
ab_design_get_created (AbDesign *self)
{
  g_return_val_if_fail (AB_IS_DESIGN (self), NULL);
  return self->created;
}

guint
ab_design_get_n_components (AbDesign *self)
{
  g_return_val_if_fail (AB_IS_DESIGN (self), 0);
  return self->components->len;
}

const AbComponent *
ab_design_get_component (AbDesign *self,
                         guint     index)
{
  g_return_val_if_fail (AB_IS_DESIGN (self), NULL);
  g_return_val_if_fail (index < self->components->len, NULL);
  return self->components->pdata[index];
}

const AbComponent *
ab_design_find_component (AbDesign   *self,
                          const char *id)
{
  g_return_val_if_fail (AB_IS_DESIGN (self), NULL);
  return lookup_component (self, id, NULL);
}

guint
ab_design_get_n_connections (AbDesign *self)
{
  g_return_val_if_fail (AB_IS_DESIGN (self), 0);
  return self->connections->len;
}

const AbConnection *
ab_design_get_connection (AbDesign *self,
                          guint     index)
{
  g_return_val_if_fail (AB_IS_DESIGN (self), NULL);
  g_return_val_if_fail (index < self->connections->len, NULL);
  return self->connections->pdata[index];
}

const AbConnection *
ab_design_find_connection (AbDesign   *self,
                           const char *id)
{
  g_return_val_if_fail (AB_IS_DESIGN (self), NULL);
  return lookup_connection (self, id, NULL);
}

const AbConnection *
ab_design_find_connection_between (AbDesign   *self,
                                   const char *from,
                                   const char *to)
{
  g_return_val_if_fail (AB_IS_DESIGN (self), NULL);
  for (guint i = 0; i < self->connections->len; i++)
    {
      const AbConnection *e = self->connections->pdata[i];
      if (g_strcmp0 (e->from, from) == 0 && g_strcmp0 (e->to, to) == 0)
        return e;
    }
  return NULL;
}

int
ab_design_count_instances (AbDesign *self,
                           AbKind    kind)
{
  int total = 0;

  g_return_val_if_fail (AB_IS_DESIGN (self), 0);
  for (guint i = 0; i < self->components->len; i++)
    {
      const AbComponent *c = self->components->pdata[i];
      if (c->kind == kind)
        total += c->instances;
    }
  return total;
}

double
ab_component_get_param_double (const AbComponent *component,
                               const char        *name,
                               double             fallback)
{
  GVariant *v;

  g_return_val_if_fail (component != NULL, fallback);
  v = component->params != NULL ? g_hash_table_lookup (component->params, name) : NULL;
  if (v != NULL && g_variant_is_of_type (v, G_VARIANT_TYPE_DOUBLE))
    return g_variant_get_double (v);
  return ab_catalog_param_default (ab_catalog_get_default (), component->kind, name, fallback);
}

const char *
ab_component_get_param_string (const AbComponent *component,
                               const char        *name,
                               const char        *fallback)
{
  GVariant *v;
  const AbParamSpec *spec;

  g_return_val_if_fail (component != NULL, fallback);
  v = component->params != NULL ? g_hash_table_lookup (component->params, name) : NULL;
  if (v != NULL && g_variant_is_of_type (v, G_VARIANT_TYPE_STRING))
    return g_variant_get_string (v, NULL);
  spec = ab_catalog_get_param (ab_catalog_get_default (), component->kind, name);
  if (spec != NULL && spec->is_string)
    return spec->default_string;
  return fallback;
}

double
ab_connection_get_param_double (const AbConnection *connection,
                                const char         *name,
                                double              fallback)
{
  GVariant *v;

  g_return_val_if_fail (connection != NULL, fallback);
  v = connection->params != NULL ? g_hash_table_lookup (connection->params, name) : NULL;
  if (v != NULL && g_variant_is_of_type (v, G_VARIANT_TYPE_DOUBLE))
    return g_variant_get_double (v);
  return ab_catalog_connection_param_default (ab_catalog_get_default (), name, fallback);
}

AbDesignChange
ab_design_get_last_change (AbDesign *self)
{
  g_return_val_if_fail (AB_IS_DESIGN (self), 0);
  return self->last_change;
}

/* ---- public API: edits ---- */

const char *
ab_design_add_component (AbDesign   *self,
                         AbKind      kind,
                         const char *label,
                         double      x,
                         double      y,
                         int         instances)
{
  const AbKindInfo *info;
  g_autofree char *name = NULL;
  AbComponent *c;
  Edit edit;

  g_return_val_if_fail (AB_IS_DESIGN (self), NULL);
  g_return_val_if_fail (kind >= 0 && kind < AB_N_KINDS, NULL);

  info = ab_catalog_get_kind (ab_catalog_get_default (), kind);
  /* Translators: an undo step ("Undo “Add Cache”"); %s is the kind of
   * component added */
  name = g_strdup_printf (_("Add %s"), info->display_name);
  edit_begin (self, &edit, name);
  c = g_new0 (AbComponent, 1);
  c->id = new_id (self, &edit, TRUE);
  c->kind = kind;
  c->label = ab_text_make_valid (label != NULL ? label : info->display_name, AB_DESIGN_MAX_LABEL);
  c->x = clamp_coord (x);
  c->y = clamp_coord (y);
  c->instances = CLAMP (instances, 1, AB_DESIGN_MAX_INSTANCES);
  c->params = ab_params_new ();
  {
    Op op = { OP_COMPONENT_INSERT, AB_DESIGN_CHANGE_STRUCTURE, self->components->len, c, NULL, { 0, 0 } };
    edit_op (&edit, op);
  }
  edit_commit (&edit);
  return c->id;
}

void
ab_design_remove (AbDesign           *self,
                  const char * const *component_ids,
                  const char * const *connection_ids)
{
  g_autoptr(GHashTable) gone = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean any_component = FALSE;
  Edit edit;

  g_return_if_fail (AB_IS_DESIGN (self));

  for (guint i = 0; component_ids != NULL && component_ids[i] != NULL; i++)
    if (lookup_component (self, component_ids[i], NULL) != NULL)
      {
        g_hash_table_add (gone, (gpointer) component_ids[i]);
        any_component = TRUE;
      }

  /* Translators: this and the other edits' names are undo steps, shown
   * as "Undo “Delete”" */
  edit_begin (self, &edit, any_component ? _("Delete") : _("Disconnect"));
  /* Connections first (explicit ones, and every one touching a removed
   * component), from the end so indices stay valid. */
  for (guint i = self->connections->len; i-- > 0;)
    {
      AbConnection *e = self->connections->pdata[i];
      gboolean remove = g_hash_table_contains (gone, e->from) || g_hash_table_contains (gone, e->to);

      for (guint j = 0; !remove && connection_ids != NULL && connection_ids[j] != NULL; j++)
        remove = g_str_equal (connection_ids[j], e->id);
      if (remove)
        {
          Op op = { OP_CONNECTION_REMOVE, AB_DESIGN_CHANGE_STRUCTURE, i, NULL, NULL, { 0, 0 } };
          edit_op (&edit, op);
        }
    }
  for (guint i = self->components->len; i-- > 0;)
    {
      AbComponent *c = self->components->pdata[i];
      if (g_hash_table_contains (gone, c->id))
        {
          Op op = { OP_COMPONENT_REMOVE, AB_DESIGN_CHANGE_STRUCTURE, i, NULL, NULL, { 0, 0 } };
          edit_op (&edit, op);
        }
    }
  edit_commit (&edit);
}

void
ab_design_move_components (AbDesign           *self,
                           const char * const *ids,
                           double              dx,
                           double              dy)
{
  Edit edit;

  g_return_if_fail (AB_IS_DESIGN (self));
  if (ids == NULL)
    return;
  edit_begin (self, &edit, _("Move"));
  for (guint i = 0; ids[i] != NULL; i++)
    {
      guint index;
      AbComponent *c = lookup_component (self, ids[i], &index);
      AbComponent *moved;
      double x, y;

      if (c == NULL)
        continue;
      x = clamp_coord (c->x + dx);
      y = clamp_coord (c->y + dy);
      if (x == c->x && y == c->y)
        continue;
      moved = ab_component_copy (c);
      moved->x = x;
      moved->y = y;
      edit_replace_component (&edit, index, moved, AB_DESIGN_CHANGE_GEOMETRY);
    }
  edit_commit (&edit);
}

void
ab_design_rename_component (AbDesign   *self,
                            const char *id,
                            const char *label)
{
  guint index;
  AbComponent *c, *renamed;
  Edit edit;

  g_return_if_fail (AB_IS_DESIGN (self));
  c = lookup_component (self, id, &index);
  g_return_if_fail (c != NULL);
  if (label == NULL)
    label = ab_catalog_get_kind (ab_catalog_get_default (), c->kind)->display_name;
  if (g_strcmp0 (c->label, label) == 0)
    return;
  edit_begin (self, &edit, _("Rename"));
  renamed = ab_component_copy (c);
  g_free (renamed->label);
  renamed->label = ab_text_make_valid (label, AB_DESIGN_MAX_LABEL);
  edit_replace_component (&edit, index, renamed, AB_DESIGN_CHANGE_PROPERTIES);
  edit_commit (&edit);
}

void
ab_design_set_instances (AbDesign   *self,
                         const char *id,
                         int         instances)
{
  guint index;
  AbComponent *c, *changed;
  Edit edit;

  g_return_if_fail (AB_IS_DESIGN (self));
  c = lookup_component (self, id, &index);
  g_return_if_fail (c != NULL);
  instances = CLAMP (instances, 1, AB_DESIGN_MAX_INSTANCES);
  if (c->instances == instances)
    return;
  edit_begin (self, &edit, _("Change instances"));
  changed = ab_component_copy (c);
  changed->instances = instances;
  edit_replace_component (&edit, index, changed, AB_DESIGN_CHANGE_PROPERTIES);
  edit_commit (&edit);
}

void
ab_design_set_region (AbDesign   *self,
                      const char *id,
                      const char *region)
{
  guint index;
  AbComponent *c, *changed;
  Edit edit;

  g_return_if_fail (AB_IS_DESIGN (self));
  c = lookup_component (self, id, &index);
  g_return_if_fail (c != NULL);
  if (region != NULL && *region == '\0')
    region = NULL;
  if (g_strcmp0 (c->region, region) == 0)
    return;
  edit_begin (self, &edit, _("Change region"));
  changed = ab_component_copy (c);
  g_free (changed->region);
  changed->region = region != NULL ? ab_text_make_valid (region, AB_DESIGN_MAX_ID) : NULL;
  edit_replace_component (&edit, index, changed, AB_DESIGN_CHANGE_PROPERTIES);
  edit_commit (&edit);
}

void
ab_design_set_component_param (AbDesign   *self,
                               const char *id,
                               const char *name,
                               GVariant   *value)
{
  guint index;
  AbComponent *c, *changed;
  g_autoptr(GVariant) fitted = NULL;
  GVariant *old;
  Edit edit;

  g_return_if_fail (AB_IS_DESIGN (self));
  g_return_if_fail (name != NULL);
  c = lookup_component (self, id, &index);
  g_return_if_fail (c != NULL);
  if (value != NULL)
    {
      fitted = fit_param (ab_catalog_get_param (ab_catalog_get_default (), c->kind, name), value);
      g_return_if_fail (fitted != NULL);
    }
  old = g_hash_table_lookup (c->params, name);
  if ((old == NULL && fitted == NULL) || (old != NULL && fitted != NULL && g_variant_equal (old, fitted)))
    return;
  edit_begin (self, &edit, _("Change parameter"));
  changed = ab_component_copy (c);
  if (fitted != NULL)
    g_hash_table_insert (changed->params, g_strdup (name), g_steal_pointer (&fitted));
  else
    g_hash_table_remove (changed->params, name);
  edit_replace_component (&edit, index, changed, AB_DESIGN_CHANGE_PROPERTIES);
  edit_commit (&edit);
}

const char *
ab_design_connect (AbDesign    *self,
                   const char  *from,
                   const char  *to,
                   GError     **error)
{
  AbComponent *a, *b;
  AbConnection *e;
  AbCatalog *catalog = ab_catalog_get_default ();
  Edit edit;

  g_return_val_if_fail (AB_IS_DESIGN (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  a = lookup_component (self, from, NULL);
  b = lookup_component (self, to, NULL);
  if (a == NULL || b == NULL)
    {
      g_autofree char *shown = ab_json_snippet (a == NULL ? from : to);
      g_set_error (error, AB_ERROR, AB_ERROR_NOT_FOUND, "There is no component \"%s\".", shown);
      return NULL;
    }
  if (a == b)
    {
      g_set_error (error, AB_ERROR, AB_ERROR_REFUSED,
                   "A component cannot call itself: add a second component and connect to it.");
      return NULL;
    }
  if (ab_design_find_connection_between (self, from, to) != NULL)
    {
      g_autofree char *from_label = ab_json_snippet (a->label);
      g_autofree char *to_label = ab_json_snippet (b->label);
      g_set_error (error, AB_ERROR, AB_ERROR_REFUSED,
                   "\"%s\" already calls \"%s\": to send it more traffic, add instances instead.",
                   from_label, to_label);
      return NULL;
    }
  if (!ab_catalog_can_connect (catalog, a->kind, b->kind))
    {
      g_autofree char *why = ab_catalog_explain_refusal (catalog, a->kind, b->kind);
      g_set_error_literal (error, AB_ERROR, AB_ERROR_REFUSED, why);
      return NULL;
    }

  edit_begin (self, &edit, _("Connect"));
  e = g_new0 (AbConnection, 1);
  e->id = new_id (self, &edit, FALSE);
  e->from = g_strdup (from);
  e->to = g_strdup (to);
  e->mode = default_mode (b->kind);
  e->params = ab_params_new ();
  {
    Op op = { OP_CONNECTION_INSERT, AB_DESIGN_CHANGE_STRUCTURE, self->connections->len, e, NULL, { 0, 0 } };
    edit_op (&edit, op);
  }
  edit_commit (&edit);
  return e->id;
}

void
ab_design_set_connection_label (AbDesign   *self,
                                const char *id,
                                const char *label)
{
  guint index;
  AbConnection *e, *changed;
  Edit edit;

  g_return_if_fail (AB_IS_DESIGN (self));
  e = lookup_connection (self, id, &index);
  g_return_if_fail (e != NULL);
  if (label != NULL && *label == '\0')
    label = NULL;
  if (g_strcmp0 (e->label, label) == 0)
    return;
  edit_begin (self, &edit, _("Label connection"));
  changed = ab_connection_copy (e);
  g_free (changed->label);
  changed->label = label != NULL ? ab_text_make_valid (label, AB_DESIGN_MAX_LABEL) : NULL;
  edit_replace_connection (&edit, index, changed);
  edit_commit (&edit);
}

void
ab_design_set_connection_mode (AbDesign   *self,
                               const char *id,
                               AbConnMode  mode)
{
  guint index;
  AbConnection *e, *changed;
  Edit edit;

  g_return_if_fail (AB_IS_DESIGN (self));
  g_return_if_fail (mode == AB_CONN_SYNC || mode == AB_CONN_ASYNC);
  e = lookup_connection (self, id, &index);
  g_return_if_fail (e != NULL);
  if (e->mode == mode)
    return;
  edit_begin (self, &edit, mode == AB_CONN_ASYNC ? _("Make asynchronous") : _("Make synchronous"));
  changed = ab_connection_copy (e);
  changed->mode = mode;
  edit_replace_connection (&edit, index, changed);
  edit_commit (&edit);
}

void
ab_design_set_connection_param (AbDesign   *self,
                                const char *id,
                                const char *name,
                                GVariant   *value)
{
  guint index;
  AbConnection *e, *changed;
  g_autoptr(GVariant) fitted = NULL;
  GVariant *old;
  Edit edit;

  g_return_if_fail (AB_IS_DESIGN (self));
  g_return_if_fail (name != NULL);
  e = lookup_connection (self, id, &index);
  g_return_if_fail (e != NULL);
  if (value != NULL)
    {
      fitted = fit_param (ab_catalog_get_connection_param (ab_catalog_get_default (), name), value);
      g_return_if_fail (fitted != NULL);
    }
  old = g_hash_table_lookup (e->params, name);
  if ((old == NULL && fitted == NULL) || (old != NULL && fitted != NULL && g_variant_equal (old, fitted)))
    return;
  edit_begin (self, &edit, _("Change parameter"));
  changed = ab_connection_copy (e);
  if (fitted != NULL)
    g_hash_table_insert (changed->params, g_strdup (name), g_steal_pointer (&fitted));
  else
    g_hash_table_remove (changed->params, name);
  edit_replace_connection (&edit, index, changed);
  edit_commit (&edit);
}

void
ab_design_set_notes (AbDesign   *self,
                     const char *notes)
{
  Edit edit;

  g_return_if_fail (AB_IS_DESIGN (self));
  if (notes == NULL)
    notes = "";
  if (g_strcmp0 (self->notes, notes) == 0)
    return;
  edit_begin (self, &edit, _("Edit notes"));
  {
    Op op = { OP_NOTES_SWAP, AB_DESIGN_CHANGE_NOTES, 0, NULL,
              ab_text_make_valid (notes, AB_DESIGN_MAX_NOTES), { 0, 0 } };
    edit_op (&edit, op);
  }
  edit_commit (&edit);
}

void
ab_design_set_title (AbDesign   *self,
                     const char *title)
{
  Edit edit;

  g_return_if_fail (AB_IS_DESIGN (self));
  if (title != NULL && *title == '\0')
    title = NULL;
  if (g_strcmp0 (self->title, title) == 0)
    return;
  edit_begin (self, &edit, _("Rename design"));
  {
    Op op = { OP_TITLE_SWAP, AB_DESIGN_CHANGE_NOTES, 0, NULL,
              title != NULL ? ab_text_make_valid (title, AB_DESIGN_MAX_LABEL) : NULL,
              { 0, 0 } };
    edit_op (&edit, op);
  }
  edit_commit (&edit);
}

/* ---- copy and paste ---- */

char *
ab_design_copy_fragment (AbDesign           *self,
                         const char * const *ids)
{
  g_autoptr(GHashTable) chosen = g_hash_table_new (g_str_hash, g_str_equal);
  GString *out = g_string_new ("{\n  \"format\": \"archboard-fragment\",\n  \"version\": ");
  gboolean first = TRUE;

  g_return_val_if_fail (AB_IS_DESIGN (self), NULL);
  g_string_append_printf (out, "%d,\n  \"components\": [", AB_DESIGN_FORMAT_VERSION);
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    g_hash_table_add (chosen, (gpointer) ids[i]);
  /* In design order, so a copy does not depend on the selection order. */
  for (guint i = 0; i < self->components->len; i++)
    {
      const AbComponent *c = self->components->pdata[i];
      if (!g_hash_table_contains (chosen, c->id))
        continue;
      g_string_append (out, first ? "\n" : ",\n");
      ab_design_write_component (out, c, 4);
      first = FALSE;
    }
  g_string_append (out, first ? "],\n  \"connections\": [" : "\n  ],\n  \"connections\": [");
  first = TRUE;
  for (guint i = 0; i < self->connections->len; i++)
    {
      const AbConnection *e = self->connections->pdata[i];
      if (!g_hash_table_contains (chosen, e->from) || !g_hash_table_contains (chosen, e->to))
        continue;
      g_string_append (out, first ? "\n" : ",\n");
      ab_design_write_connection (out, e, 4);
      first = FALSE;
    }
  g_string_append (out, first ? "]\n}\n" : "\n  ]\n}\n");
  return g_string_free (out, FALSE);
}

GStrv
ab_design_paste_fragment (AbDesign    *self,
                          const char  *fragment,
                          double       dx,
                          double       dy,
                          GError     **error)
{
  static const char * const known[] = { "format", "version", "components", "connections", NULL };
  g_autoptr(AbJsonDoc) doc = NULL;
  g_autoptr(GPtrArray) components = NULL;
  g_autoptr(GPtrArray) connections = NULL;
  g_autoptr(GHashTable) renamed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GStrvBuilder) new_ids = g_strv_builder_new ();
  AbJsonLimits limits = AB_JSON_LIMITS_DEFAULT;
  const char *format = NULL;
  JsonNode *root;
  Edit edit;

  g_return_val_if_fail (AB_IS_DESIGN (self), NULL);
  g_return_val_if_fail (fragment != NULL, NULL);

  limits.max_values = AB_DESIGN_MAX_VALUES;
  limits.bytes_per_value = AB_DESIGN_BYTES_PER_VALUE;
  limits.max_bytes = 16u << 20;
  limits.max_depth = 16;
  limits.max_string = AB_DESIGN_MAX_NOTES;
  limits.max_elements = AB_DESIGN_MAX_CONNECTIONS;
  doc = ab_json_doc_parse (fragment, -1, "clipboard", &limits, error);
  if (doc == NULL)
    return NULL;
  root = ab_json_doc_get_root (doc);
  if (!ab_json_doc_expect_object (doc, root, C_("file part", "a copied fragment"), error) ||
      !ab_json_doc_check_members (doc, root, known, error) ||
      !ab_json_doc_read_string (doc, root, "format", TRUE, &format, error))
    return NULL;
  if (!g_str_equal (format, "archboard-fragment"))
    {
      ab_json_doc_error (doc, error, root, AB_ERROR_INVALID, _("not a copied Archboard fragment"));
      return NULL;
    }
  if (!ab_design_parse_parts (doc, root, &components, &connections, error))
    return NULL;
  if (self->components->len + components->len > AB_DESIGN_MAX_COMPONENTS ||
      self->connections->len + connections->len > AB_DESIGN_MAX_CONNECTIONS)
    {
      g_set_error (error, AB_ERROR, AB_ERROR_TOO_LARGE,
                   "Pasting would exceed %d components or %d connections.",
                   AB_DESIGN_MAX_COMPONENTS, AB_DESIGN_MAX_CONNECTIONS);
      return NULL;
    }

  edit_begin (self, &edit, _("Paste"));
  for (guint i = 0; i < components->len; i++)
    {
      AbComponent *c = g_steal_pointer (&components->pdata[i]);
      char *id = new_id (self, &edit, TRUE);

      g_hash_table_insert (renamed, c->id, g_strdup (id));
      c->id = id;
      c->x = clamp_coord (c->x + dx);
      c->y = clamp_coord (c->y + dy);
      g_strv_builder_add (new_ids, id);
      {
        Op op = { OP_COMPONENT_INSERT, AB_DESIGN_CHANGE_STRUCTURE, self->components->len, c, NULL, { 0, 0 } };
        edit_op (&edit, op);
      }
    }
  /* The parser checked that every connection joins pasted components. */
  for (guint i = 0; i < connections->len; i++)
    {
      AbConnection *e = g_steal_pointer (&connections->pdata[i]);
      char *from = g_strdup (g_hash_table_lookup (renamed, e->from));
      char *to = g_strdup (g_hash_table_lookup (renamed, e->to));

      g_assert (from != NULL && to != NULL);
      g_free (e->id);
      e->id = new_id (self, &edit, FALSE);
      g_free (e->from);
      e->from = from;
      g_free (e->to);
      e->to = to;
      {
        Op op = { OP_CONNECTION_INSERT, AB_DESIGN_CHANGE_STRUCTURE, self->connections->len, e, NULL, { 0, 0 } };
        edit_op (&edit, op);
      }
    }
  edit_commit (&edit);
  return g_strv_builder_end (new_ids);
}

/* ---- groups, undo, redo ---- */

void
ab_design_begin_group (AbDesign   *self,
                       const char *name)
{
  g_return_if_fail (AB_IS_DESIGN (self));
  g_ptr_array_add (self->groups, command_new (name));
}

void
ab_design_end_group (AbDesign *self)
{
  Command *group;

  g_return_if_fail (AB_IS_DESIGN (self));
  g_return_if_fail (self->groups->len > 0);

  group = g_ptr_array_steal_index (self->groups, self->groups->len - 1);
  if (group->ops->len == 0)
    {
      command_free (group);
      return;
    }
  if (self->groups->len > 0)
    {
      Command *outer = g_ptr_array_index (self->groups, self->groups->len - 1);
      g_array_append_vals (outer->ops, group->ops->data, group->ops->len);
      g_array_set_clear_func (group->ops, NULL);
      command_free (group);
      return;
    }
  group->serial = ++self->next_serial;
  g_ptr_array_add (self->undo, group);
  notify_state (self);
}

gboolean
ab_design_can_undo (AbDesign *self)
{
  g_return_val_if_fail (AB_IS_DESIGN (self), FALSE);
  return self->undo->len > 0 && self->groups->len == 0;
}

gboolean
ab_design_can_redo (AbDesign *self)
{
  g_return_val_if_fail (AB_IS_DESIGN (self), FALSE);
  return self->redo->len > 0 && self->groups->len == 0;
}

const char *
ab_design_get_undo_name (AbDesign *self)
{
  g_return_val_if_fail (AB_IS_DESIGN (self), NULL);
  if (self->undo->len == 0)
    return NULL;
  return ((Command *) g_ptr_array_index (self->undo, self->undo->len - 1))->name;
}

const char *
ab_design_get_redo_name (AbDesign *self)
{
  g_return_val_if_fail (AB_IS_DESIGN (self), NULL);
  if (self->redo->len == 0)
    return NULL;
  return ((Command *) g_ptr_array_index (self->redo, self->redo->len - 1))->name;
}

static AbDesignChange
command_change (Command *cmd)
{
  AbDesignChange change = 0;

  for (guint i = 0; i < cmd->ops->len; i++)
    change |= g_array_index (cmd->ops, Op, i).change;
  return change;
}

gboolean
ab_design_undo (AbDesign *self)
{
  Command *cmd;

  g_return_val_if_fail (AB_IS_DESIGN (self), FALSE);
  g_return_val_if_fail (self->groups->len == 0, FALSE);
  if (self->undo->len == 0)
    return FALSE;
  cmd = g_ptr_array_steal_index (self->undo, self->undo->len - 1);
  for (guint i = cmd->ops->len; i-- > 0;)
    op_apply (self, &g_array_index (cmd->ops, Op, i), FALSE);
  g_ptr_array_add (self->redo, cmd);
  emit_changed (self, command_change (cmd));
  return TRUE;
}

gboolean
ab_design_redo (AbDesign *self)
{
  Command *cmd;

  g_return_val_if_fail (AB_IS_DESIGN (self), FALSE);
  g_return_val_if_fail (self->groups->len == 0, FALSE);
  if (self->redo->len == 0)
    return FALSE;
  cmd = g_ptr_array_steal_index (self->redo, self->redo->len - 1);
  for (guint i = 0; i < cmd->ops->len; i++)
    op_apply (self, &g_array_index (cmd->ops, Op, i), TRUE);
  g_ptr_array_add (self->undo, cmd);
  emit_changed (self, command_change (cmd));
  return TRUE;
}

gboolean
ab_design_is_modified (AbDesign *self)
{
  g_return_val_if_fail (AB_IS_DESIGN (self), FALSE);
  for (guint i = 0; i < self->groups->len; i++)
    if (((Command *) self->groups->pdata[i])->ops->len > 0)
      return TRUE;
  return top_serial (self) != self->saved_serial;
}

void
ab_design_mark_saved (AbDesign *self)
{
  g_return_if_fail (AB_IS_DESIGN (self));
  self->saved_serial = top_serial (self);
  notify_state (self);
}
