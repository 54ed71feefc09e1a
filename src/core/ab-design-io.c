/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The .archboard file format (docs/file-format.md): strict, validating
 * loading through the position-tracking JSON reader, and deterministic,
 * atomic saving. */
#define G_LOG_DOMAIN "archboard-core"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n-lib.h>

#include "ab-catalog.h"
#include "ab-design-private.h"
#include "ab-format.h"
#include "ab-save.h"

#define MAX_FILE_BYTES (32u << 20)

/* ---- writing ---- */

static void
indent_to (GString *out,
           int      indent)
{
  for (int i = 0; i < indent; i++)
    g_string_append_c (out, ' ');
}

static void
write_member (GString    *out,
              int         indent,
              const char *name,
              gboolean   *first)
{
  g_string_append (out, *first ? "\n" : ",\n");
  *first = FALSE;
  indent_to (out, indent);
  ab_json_write_string (out, name);
  g_string_append (out, ": ");
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
write_params (GString    *out,
              GHashTable *params,
              int         indent,
              gboolean   *first)
{
  g_autofree gpointer *keys = NULL;
  guint n = 0;
  gboolean inner_first = TRUE;

  if (params == NULL || g_hash_table_size (params) == 0)
    return;
  keys = g_hash_table_get_keys_as_array (params, &n);
  qsort (keys, n, sizeof (gpointer), compare_strings);
  write_member (out, indent, "params", first);
  g_string_append_c (out, '{');
  for (guint i = 0; i < n; i++)
    {
      GVariant *v = g_hash_table_lookup (params, keys[i]);
      write_member (out, indent + 2, keys[i], &inner_first);
      if (g_variant_is_of_type (v, G_VARIANT_TYPE_STRING))
        ab_json_write_string (out, g_variant_get_string (v, NULL));
      else
        ab_json_write_double (out, g_variant_get_double (v));
    }
  g_string_append_c (out, '\n');
  indent_to (out, indent);
  g_string_append_c (out, '}');
}

/* Whether @c bears its kind's name from the catalog, in the language
 * the catalog was loaded in: what a component without a label shows. */
static gboolean
label_is_default (const AbComponent *c)
{
  const AbKindInfo *info = ab_catalog_get_kind (ab_catalog_get_default (), c->kind);

  return c->label != NULL && info != NULL && g_strcmp0 (c->label, info->display_name) == 0;
}

void
ab_design_write_component (GString           *out,
                           const AbComponent *c,
                           int                indent)
{
  gboolean first = TRUE;

  indent_to (out, indent);
  g_string_append_c (out, '{');
  write_member (out, indent + 2, "id", &first);
  ab_json_write_string (out, c->id);
  write_member (out, indent + 2, "kind", &first);
  ab_json_write_string (out, ab_kind_to_string (c->kind));
  /* A label that is the kind's catalog name is the absent one it was
   * read from (or the name a new component gets): written back, it would
   * pin the catalog name of the language saving it, and the design would
   * read "Lastverteiler" in English ever after. */
  if (!label_is_default (c))
    {
      write_member (out, indent + 2, "label", &first);
      ab_json_write_string (out, c->label != NULL ? c->label : "");
    }
  write_member (out, indent + 2, "x", &first);
  ab_json_write_double (out, c->x);
  write_member (out, indent + 2, "y", &first);
  ab_json_write_double (out, c->y);
  write_member (out, indent + 2, "instances", &first);
  g_string_append_printf (out, "%d", c->instances);
  if (c->region != NULL)
    {
      write_member (out, indent + 2, "region", &first);
      ab_json_write_string (out, c->region);
    }
  write_params (out, c->params, indent + 2, &first);
  g_string_append_c (out, '\n');
  indent_to (out, indent);
  g_string_append_c (out, '}');
}

void
ab_design_write_connection (GString            *out,
                            const AbConnection *e,
                            int                 indent)
{
  gboolean first = TRUE;

  indent_to (out, indent);
  g_string_append_c (out, '{');
  write_member (out, indent + 2, "id", &first);
  ab_json_write_string (out, e->id);
  write_member (out, indent + 2, "from", &first);
  ab_json_write_string (out, e->from);
  write_member (out, indent + 2, "to", &first);
  ab_json_write_string (out, e->to);
  write_member (out, indent + 2, "mode", &first);
  ab_json_write_string (out, ab_conn_mode_to_string (e->mode));
  if (e->label != NULL)
    {
      write_member (out, indent + 2, "label", &first);
      ab_json_write_string (out, e->label);
    }
  write_params (out, e->params, indent + 2, &first);
  g_string_append_c (out, '\n');
  indent_to (out, indent);
  g_string_append_c (out, '}');
}

char *
ab_design_to_data (AbDesign *self,
                   gsize    *length)
{
  GString *out = g_string_new ("{");
  gboolean first = TRUE;
  guint n;

  g_return_val_if_fail (AB_IS_DESIGN (self), NULL);

  write_member (out, 2, "format", &first);
  ab_json_write_string (out, AB_DESIGN_FORMAT_NAME);
  write_member (out, 2, "version", &first);
  g_string_append_printf (out, "%d", AB_DESIGN_FORMAT_VERSION);
  write_member (out, 2, "generator", &first);
  ab_json_write_string (out, "Archboard " PACKAGE_VERSION);
  if (ab_design_get_problem_id (self) != NULL)
    {
      write_member (out, 2, "problem", &first);
      ab_json_write_string (out, ab_design_get_problem_id (self));
    }
  if (ab_design_get_title (self) != NULL)
    {
      write_member (out, 2, "title", &first);
      ab_json_write_string (out, ab_design_get_title (self));
    }
  if (ab_design_get_created (self) != NULL)
    {
      write_member (out, 2, "created", &first);
      ab_json_write_string (out, ab_design_get_created (self));
    }
  write_member (out, 2, "notes", &first);
  ab_json_write_string (out, ab_design_get_notes (self));

  write_member (out, 2, "components", &first);
  n = ab_design_get_n_components (self);
  g_string_append_c (out, '[');
  for (guint i = 0; i < n; i++)
    {
      g_string_append (out, i == 0 ? "\n" : ",\n");
      ab_design_write_component (out, ab_design_get_component (self, i), 4);
    }
  if (n > 0)
    g_string_append (out, "\n  ");
  g_string_append_c (out, ']');

  write_member (out, 2, "connections", &first);
  n = ab_design_get_n_connections (self);
  g_string_append_c (out, '[');
  for (guint i = 0; i < n; i++)
    {
      g_string_append (out, i == 0 ? "\n" : ",\n");
      ab_design_write_connection (out, ab_design_get_connection (self, i), 4);
    }
  if (n > 0)
    g_string_append (out, "\n  ");
  g_string_append (out, "]\n}\n");

  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}

gboolean
ab_design_save_to_file (AbDesign    *self,
                        const char  *path,
                        GError     **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  g_return_val_if_fail (AB_IS_DESIGN (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  data = ab_design_to_data (self, &length);
  /* Through symlinks, keeping mode and owner; atomic (PATH holds the old
   * or the new design, never a truncated one) unless PATH has several
   * hard links; read-only files are refused (AB_ERROR_READ_ONLY). */
  if (!ab_save_file (path, data, length, AB_SAVE_DEFAULT, error))
    return FALSE;
  ab_design_mark_saved (self);
  return TRUE;
}

/* ---- reading ---- */

static JsonNode *
member (JsonNode   *object,
        const char *name)
{
  return json_object_get_member (json_node_get_object (object), name);
}

static gboolean
read_optional_text (AbJsonDoc   *doc,
                    JsonNode    *object,
                    const char  *name,
                    gsize        max_chars,
                    const char **out,
                    GError     **error)
{
  JsonNode *m = member (object, name);

  if (m != NULL && JSON_NODE_HOLDS_NULL (m))
    return TRUE;
  if (!ab_json_doc_read_string (doc, object, name, FALSE, out, error))
    return FALSE;
  if (*out != NULL)
    for (const char *c = *out; *c != '\0'; c++)
      if (!ab_text_char_is_valid ((guchar) *c))
        {
          /* Translators: %s is the name of a member of the design file,
           * e.g. "label" or "notes" */
          ab_json_doc_error (doc, error, m, AB_ERROR_INVALID,
                             _("\"%s\" holds control character U+%04X, which text cannot carry "
                               "(only tab and line breaks)"), name, (guchar) *c);
          return FALSE;
        }
  if (*out != NULL && (gsize) g_utf8_strlen (*out, -1) > max_chars)
    {
      g_autofree char *most = ab_format_count (max_chars);

      ab_json_doc_error (doc, error, m, AB_ERROR_TOO_LARGE,
                         /* Translators: the first %s is the name of a member
                          * of the design file, e.g. "label" or "notes", the
                          * second a grouped number ("262,144") */
                         _("\"%s\" is longer than %s characters"), name, most);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_id (AbJsonDoc   *doc,
         JsonNode    *object,
         const char  *name,
         const char **out,
         GError     **error)
{
  if (!ab_json_doc_read_string (doc, object, name, TRUE, out, error))
    return FALSE;
  if (!ab_design_id_is_valid (*out))
    {
      g_autofree char *shown = ab_json_snippet (*out);
      ab_json_doc_error (doc, error, member (object, name), AB_ERROR_INVALID,
                         /* Translators: the first %s is the member ("id"), the
                          * last the id found in the file */
                         _("\"%s\" must be 1 to %d letters, digits, '_', '-' or '.', not \"%s\""),
                         name, AB_DESIGN_MAX_ID, shown);
      return FALSE;
    }
  return TRUE;
}

static char *
param_names (GPtrArray *params)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; params != NULL && i < params->len; i++)
    {
      if (i > 0)
        g_string_append (s, ", ");
      g_string_append (s, ((AbParamSpec *) params->pdata[i])->name);
    }
  if (s->len == 0)
    /* Translators: the parameters a kind knows, when it knows none:
     * completes "unknown parameter \"%s\" ... (known: %s)" */
    g_string_append (s, _("none"));
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* @specs: the parameters allowed; @kind: the id of the component kind
 * they belong to, NULL for connections. */
static GHashTable *
read_params (AbJsonDoc   *doc,
             JsonNode    *object,
             GPtrArray   *specs,
             const char  *kind,
             GError     **error)
{
  g_autoptr(GHashTable) params = ab_params_new ();
  JsonNode *node = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (member (object, "params") != NULL && JSON_NODE_HOLDS_NULL (member (object, "params")))
    return g_steal_pointer (&params);
  if (!ab_json_doc_read_object (doc, object, "params", FALSE, &node, error))
    return NULL;
  if (node == NULL)
    return g_steal_pointer (&params);
  if (json_object_get_size (json_node_get_object (node)) > AB_DESIGN_MAX_PARAMS)
    {
      ab_json_doc_error (doc, error, node, AB_ERROR_TOO_LARGE, _("more than %d parameters"),
                         AB_DESIGN_MAX_PARAMS);
      return NULL;
    }
  json_object_iter_init_ordered (&iter, json_node_get_object (node));
  while (json_object_iter_next_ordered (&iter, &name, &value))
    {
      const AbParamSpec *spec = NULL;

      for (guint i = 0; specs != NULL && i < specs->len; i++)
        if (g_str_equal (((AbParamSpec *) specs->pdata[i])->name, name))
          spec = specs->pdata[i];
      if (spec == NULL)
        {
          g_autofree char *known = param_names (specs);
          g_autofree char *shown = ab_json_snippet (name);
          if (kind != NULL)
            /* Translators: a parameter's name in the file, the component
             * kind's id (e.g. "cache"), the parameters it has (or "none") */
            ab_json_doc_key_error (doc, error, value, AB_ERROR_INVALID,
                                   _("unknown parameter \"%s\" for kind %s (known: %s)"), shown, kind, known);
          else
            /* Translators: a parameter's name in the file, the parameters
             * connections have */
            ab_json_doc_key_error (doc, error, value, AB_ERROR_INVALID,
                                   _("unknown parameter \"%s\" for connections (known: %s)"), shown, known);
          return NULL;
        }
      if (spec->is_string)
        {
          const char *s = NULL;
          if (!ab_json_doc_read_string (doc, node, name, TRUE, &s, error))
            return NULL;
          if (!g_strv_contains ((const char * const *) spec->choices, s))
            {
              g_autofree char *choices = g_strjoinv (", ", spec->choices);
              g_autofree char *shown = ab_json_snippet (s);
              ab_json_doc_error (doc, error, value, AB_ERROR_INVALID,
                                 /* Translators: a parameter's name, its values
                                  * allowed ("a, b, c"), the value found */
                                 _("\"%s\" must be one of %s, not \"%s\""), name, choices, shown);
              return NULL;
            }
          g_hash_table_insert (params, g_strdup (name), g_variant_ref_sink (g_variant_new_string (s)));
        }
      else
        {
          double v = 0;
          if (!ab_json_doc_read_number (doc, node, name, TRUE, spec->min, spec->max, &v, error))
            return NULL;
          g_hash_table_insert (params, g_strdup (name), g_variant_ref_sink (g_variant_new_double (v)));
        }
    }
  return g_steal_pointer (&params);
}

static char *
kind_list (void)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (int k = 0; k < AB_N_KINDS; k++)
    {
      if (k > 0)
        g_string_append (s, ", ");
      g_string_append (s, ab_kind_to_string ((AbKind) k));
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static AbComponent *
read_component (AbJsonDoc   *doc,
                JsonNode    *node,
                GError     **error)
{
  static const char * const known[] = {
    "id", "kind", "label", "x", "y", "instances", "region", "params", NULL
  };
  AbCatalog *catalog = ab_catalog_get_default ();
  g_autoptr(GHashTable) params = NULL;
  const char *id = NULL, *kind_name = NULL, *label = NULL, *region = NULL;
  double x = 0, y = 0;
  gint64 instances = 1;
  const AbKindInfo *info;
  AbComponent *c;
  AbKind kind;

  /* Translators: completes "%s must be an object, not %s" */
  if (!ab_json_doc_expect_object (doc, node, C_("file part", "a component"), error) ||
      !ab_json_doc_check_members (doc, node, known, error) ||
      !read_id (doc, node, "id", &id, error) ||
      !ab_json_doc_read_string (doc, node, "kind", TRUE, &kind_name, error))
    return NULL;
  kind = ab_kind_from_string (kind_name);
  if (kind == AB_KIND_INVALID)
    {
      g_autofree char *kinds = kind_list ();
      g_autofree char *shown = ab_json_snippet (kind_name);
      ab_json_doc_error (doc, error, member (node, "kind"), AB_ERROR_UNKNOWN_KIND,
                         /* Translators: the kind in the file, then the kinds
                          * there are (ids such as "cache", as in files) */
                         _("unknown component kind \"%s\" (known kinds: %s)"), shown, kinds);
      return NULL;
    }
  info = ab_catalog_get_kind (catalog, kind);
  if (!read_optional_text (doc, node, "label", AB_DESIGN_MAX_LABEL, &label, error) ||
      !ab_json_doc_read_number (doc, node, "x", TRUE, -AB_DESIGN_MAX_COORD, AB_DESIGN_MAX_COORD, &x, error) ||
      !ab_json_doc_read_number (doc, node, "y", TRUE, -AB_DESIGN_MAX_COORD, AB_DESIGN_MAX_COORD, &y, error) ||
      !ab_json_doc_read_int (doc, node, "instances", FALSE, 1, AB_DESIGN_MAX_INSTANCES, &instances, error) ||
      !read_optional_text (doc, node, "region", AB_DESIGN_MAX_ID, &region, error))
    return NULL;
  if (region != NULL && *region == '\0')
    region = NULL;
  params = read_params (doc, node, info->params, info->id, error);
  if (params == NULL)
    return NULL;

  c = g_new0 (AbComponent, 1);
  c->id = g_strdup (id);
  c->kind = kind;
  c->label = g_strdup (label != NULL ? label : info->display_name);
  c->x = x;
  c->y = y;
  c->instances = (int) instances;
  c->region = g_strdup (region);
  c->params = g_steal_pointer (&params);
  return c;
}

static AbConnection *
read_connection (AbJsonDoc   *doc,
                 JsonNode    *node,
                 GHashTable  *components,  /* id -> AbComponent* */
                 GError     **error)
{
  static const char * const known[] = { "id", "from", "to", "mode", "label", "params", NULL };
  AbCatalog *catalog = ab_catalog_get_default ();
  g_autoptr(GHashTable) params = NULL;
  const char *id = NULL, *from = NULL, *to = NULL, *mode_name = NULL, *label = NULL;
  AbComponent *a, *b;
  AbConnMode mode;
  AbConnection *e;

  /* Translators: completes "%s must be an object, not %s" */
  if (!ab_json_doc_expect_object (doc, node, C_("file part", "a connection"), error) ||
      !ab_json_doc_check_members (doc, node, known, error) ||
      !read_id (doc, node, "id", &id, error) ||
      !ab_json_doc_read_string (doc, node, "from", TRUE, &from, error) ||
      !ab_json_doc_read_string (doc, node, "to", TRUE, &to, error))
    return NULL;
  a = g_hash_table_lookup (components, from);
  if (a == NULL)
    {
      g_autofree char *shown = ab_json_snippet (from);
      ab_json_doc_error (doc, error, member (node, "from"), AB_ERROR_INVALID,
                         /* Translators: the connection's id, the component id */
                         _("connection \"%s\" starts at unknown component \"%s\""), id, shown);
      return NULL;
    }
  b = g_hash_table_lookup (components, to);
  if (b == NULL)
    {
      g_autofree char *shown = ab_json_snippet (to);
      ab_json_doc_error (doc, error, member (node, "to"), AB_ERROR_INVALID,
                         /* Translators: the connection's id, the component id */
                         _("connection \"%s\" points to unknown component \"%s\""), id, shown);
      return NULL;
    }
  if (a == b)
    {
      ab_json_doc_error (doc, error, member (node, "to"), AB_ERROR_INVALID,
                         /* Translators: the connection's id, the component id */
                         _("connection \"%s\" connects \"%s\" to itself"), id, from);
      return NULL;
    }
  if (!ab_catalog_can_connect (catalog, a->kind, b->kind))
    {
      g_autofree char *why = ab_catalog_explain_refusal (catalog, a->kind, b->kind);
      ab_json_doc_error (doc, error, node, AB_ERROR_INVALID,
                         /* Translators: the connection's id, the ids of the
                          * components it joins, why it is refused */
                         _("connection \"%s\" from \"%s\" to \"%s\" is not allowed: %s"), id, from, to, why);
      return NULL;
    }
  mode = (b->kind == AB_KIND_QUEUE || b->kind == AB_KIND_STREAM) ? AB_CONN_ASYNC : AB_CONN_SYNC;
  if (!ab_json_doc_read_string (doc, node, "mode", FALSE, &mode_name, error))
    return NULL;
  if (mode_name != NULL && !ab_conn_mode_from_string (mode_name, &mode))
    {
      g_autofree char *shown = ab_json_snippet (mode_name);
      ab_json_doc_error (doc, error, member (node, "mode"), AB_ERROR_INVALID,
                         /* Translators: "mode", "sync" and "async" are written
                          * as in the file; %s is the mode found */
                         _("\"mode\" must be \"sync\" or \"async\", not \"%s\""), shown);
      return NULL;
    }
  if (!read_optional_text (doc, node, "label", AB_DESIGN_MAX_LABEL, &label, error))
    return NULL;
  if (label != NULL && *label == '\0')
    label = NULL;
  params = read_params (doc, node, ab_catalog_get_connection_params (catalog), NULL, error);
  if (params == NULL)
    return NULL;

  e = g_new0 (AbConnection, 1);
  e->id = g_strdup (id);
  e->from = g_strdup (from);
  e->to = g_strdup (to);
  e->mode = mode;
  e->label = g_strdup (label);
  e->params = g_steal_pointer (&params);
  return e;
}

/* Where member @name (or, when NULL, the whole) of element @index of
 * @array starts, "LINE:COLUMN".  Reads the element again when @array is
 * lazy: what the caller holds of the current element is gone after. */
static char *
element_position (AbJsonDoc  *doc,
                  JsonNode   *array,
                  guint       index,
                  const char *name)
{
  JsonNode *node = ab_json_doc_get_element (doc, array, index);
  int line, column;

  if (node != NULL && name != NULL && JSON_NODE_HOLDS_OBJECT (node))
    node = member (node, name);
  ab_json_doc_locate (doc, node, &line, &column);
  return g_strdup_printf ("%d:%d", line, column);
}

/* A repeated id is reported before anything else about the element.
 * @id_index: id -> 1 + index of the element that has it; @components:
 * the elements are components (else connections). */
static gboolean
check_duplicate_id (AbJsonDoc   *doc,
                    JsonNode    *array,
                    JsonNode    *node,
                    GHashTable  *id_index,
                    gboolean     components,
                    GError     **error)
{
  g_autofree char *shown = NULL;
  g_autofree char *where = NULL;
  g_autofree char *message = NULL;
  JsonNode *id_node;
  guint first;
  int line, column;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return TRUE;
  id_node = member (node, "id");
  if (id_node == NULL || !JSON_NODE_HOLDS_VALUE (id_node) ||
      json_node_get_value_type (id_node) != G_TYPE_STRING)
    return TRUE;
  first = GPOINTER_TO_UINT (g_hash_table_lookup (id_index, json_node_get_string (id_node)));
  if (first == 0)
    return TRUE;
  /* Everything about this element first: reading the first one again
   * drops it. */
  shown = ab_json_snippet (json_node_get_string (id_node));
  ab_json_doc_locate (doc, id_node, &line, &column);
  where = element_position (doc, array, first - 1, "id");
  if (components)
    /* Translators: after "FILE:LINE:COLUMN: "; the id, then where it
     * was first used ("LINE:COLUMN") */
    message = g_strdup_printf (_("duplicate component id \"%s\" (first used at %s)"), shown, where);
  else
    /* Translators: see "duplicate component id \"%s\" (first used at %s)" */
    message = g_strdup_printf (_("duplicate connection id \"%s\" (first used at %s)"), shown, where);
  g_set_error (error, AB_ERROR, AB_ERROR_INVALID, "%s:%d:%d: %s",
               ab_json_doc_get_filename (doc), line, column, message);
  return FALSE;
}

gboolean
ab_design_parse_parts (AbJsonDoc   *doc,
                       JsonNode    *root,
                       GPtrArray  **components_out,
                       GPtrArray  **connections_out,
                       GError     **error)
{
  g_autoptr(GPtrArray) components = g_ptr_array_new_with_free_func ((GDestroyNotify) ab_component_free);
  g_autoptr(GPtrArray) connections = g_ptr_array_new_with_free_func ((GDestroyNotify) ab_connection_free);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) id_index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) pairs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonNode *array_node = NULL;

  /* Elements through ab_json_doc_get_element(): a file read with lazy
   * arrays holds one component or connection parsed at a time. */
  if (!ab_json_doc_read_array (doc, root, "components", FALSE, &array_node, error))
    return FALSE;
  if (array_node != NULL)
    {
      guint n = ab_json_doc_get_length (doc, array_node);

      if (n > AB_DESIGN_MAX_COMPONENTS)
        {
          g_autofree char *count = ab_format_count (n);
          g_autofree char *most = ab_format_count (AB_DESIGN_MAX_COMPONENTS);

          ab_json_doc_error (doc, error, array_node, AB_ERROR_TOO_LARGE,
                             /* Translators: grouped numbers, "10,001 components, more than the 10,000 ..." */
                             _("%s components, more than the %s a design may have"), count, most);
          return FALSE;
        }
      for (guint i = 0; i < n; i++)
        {
          JsonNode *node = ab_json_doc_get_element (doc, array_node, i);
          AbComponent *c;

          if (!check_duplicate_id (doc, array_node, node, id_index, TRUE, error))
            return FALSE;
          c = read_component (doc, node, error);
          if (c == NULL)
            return FALSE;
          g_ptr_array_add (components, c);
          g_hash_table_insert (by_id, c->id, c);
          g_hash_table_insert (id_index, c->id, GUINT_TO_POINTER (i + 1));
        }
    }

  g_hash_table_remove_all (id_index);
  array_node = NULL;
  if (!ab_json_doc_read_array (doc, root, "connections", FALSE, &array_node, error))
    return FALSE;
  if (array_node != NULL)
    {
      guint n = ab_json_doc_get_length (doc, array_node);

      if (n > AB_DESIGN_MAX_CONNECTIONS)
        {
          g_autofree char *count = ab_format_count (n);
          g_autofree char *most = ab_format_count (AB_DESIGN_MAX_CONNECTIONS);

          ab_json_doc_error (doc, error, array_node, AB_ERROR_TOO_LARGE,
                             /* Translators: grouped numbers, "50,001 connections, more than the 50,000 ..." */
                             _("%s connections, more than the %s a design may have"), count, most);
          return FALSE;
        }
      for (guint i = 0; i < n; i++)
        {
          JsonNode *node = ab_json_doc_get_element (doc, array_node, i);
          AbConnection *e;
          guint first;
          char *pair;

          if (!check_duplicate_id (doc, array_node, node, id_index, FALSE, error))
            return FALSE;
          e = read_connection (doc, node, by_id, error);
          if (e == NULL)
            return FALSE;
          pair = g_strdup_printf ("%s\n%s", e->from, e->to);
          first = GPOINTER_TO_UINT (g_hash_table_lookup (pairs, pair));
          if (first != 0)
            {
              g_autofree char *from = g_strdup (e->from);
              g_autofree char *to = g_strdup (e->to);
              g_autofree char *where = NULL;
              g_autofree char *message = NULL;
              int line, column;

              ab_json_doc_locate (doc, node, &line, &column);
              ab_connection_free (e);
              g_free (pair);
              where = element_position (doc, array_node, first - 1, NULL);
              /* Translators: after "FILE:LINE:COLUMN: "; two component
               * ids, then where the first connection is ("LINE:COLUMN") */
              message = g_strdup_printf (_("\"%s\" is already connected to \"%s\" (at %s)"),
                                         from, to, where);
              g_set_error (error, AB_ERROR, AB_ERROR_INVALID, "%s:%d:%d: %s",
                           ab_json_doc_get_filename (doc), line, column, message);
              return FALSE;
            }
          g_hash_table_insert (pairs, pair, GUINT_TO_POINTER (i + 1));
          g_ptr_array_add (connections, e);
          g_hash_table_insert (id_index, e->id, GUINT_TO_POINTER (i + 1));
        }
    }

  *components_out = g_steal_pointer (&components);
  *connections_out = g_steal_pointer (&connections);
  return TRUE;
}

AbDesign *
ab_design_load_from_data (const char  *data,
                          gssize       length,
                          const char  *filename,
                          GError     **error)
{
  static const char * const known[] = {
    "format", "version", "generator", "problem", "title", "created", "notes",
    "components", "connections", NULL
  };
  g_autoptr(AbJsonDoc) doc = NULL;
  g_autoptr(GPtrArray) components = NULL;
  g_autoptr(GPtrArray) connections = NULL;
  g_autoptr(AbDesign) design = NULL;
  AbJsonLimits limits = AB_JSON_LIMITS_DEFAULT;
  const char *format = NULL, *generator = NULL, *problem = NULL, *title = NULL;
  const char *created = NULL, *notes = NULL;
  double version = 0;
  JsonNode *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  limits.max_bytes = MAX_FILE_BYTES;
  limits.max_depth = 16;
  limits.max_string = AB_DESIGN_MAX_NOTES * 4;
  limits.max_elements = AB_DESIGN_MAX_CONNECTIONS;
  /* Memory in proportion to the file (docs/file-format.md, Limits). */
  limits.max_values = AB_DESIGN_MAX_VALUES;
  limits.bytes_per_value = AB_DESIGN_BYTES_PER_VALUE;
  /* One component or connection parsed at a time. */
  limits.lazy_arrays = TRUE;
  doc = ab_json_doc_parse (data, length, filename, &limits, error);
  if (doc == NULL)
    return NULL;
  root = ab_json_doc_get_root (doc);
  /* Translators: completes "%s must be an object, not %s" */
  if (!ab_json_doc_expect_object (doc, root, C_("file part", "an Archboard design"), error))
    return NULL;
  if (!ab_json_doc_read_string (doc, root, "format", TRUE, &format, error))
    return NULL;
  if (!g_str_equal (format, AB_DESIGN_FORMAT_NAME))
    {
      g_autofree char *shown = ab_json_snippet (format);
      ab_json_doc_error (doc, error, member (root, "format"), AB_ERROR_INVALID,
                         /* Translators: "format" is written as in the file;
                          * the format found, the one expected */
                         _("not an Archboard design (\"format\" is \"%s\", expected \"%s\")"),
                         shown, AB_DESIGN_FORMAT_NAME);
      return NULL;
    }
  /* Read as any number first: 1e308 is a (far too) new version, not a
   * fraction. */
  if (!ab_json_doc_read_number (doc, root, "version", TRUE, -G_MAXDOUBLE, G_MAXDOUBLE, &version, error))
    return NULL;
  if (version != floor (version))
    {
      g_autofree char *shown = ab_json_format_number (version);
      ab_json_doc_error (doc, error, member (root, "version"), AB_ERROR_INVALID,
                         /* Translators: "version" is written as in the file */
                         _("\"version\" must be a whole number, not %s"), shown);
      return NULL;
    }
  if (version > AB_DESIGN_FORMAT_VERSION)
    {
      g_autofree char *shown = ab_json_format_number (version);
      ab_json_doc_error (doc, error, member (root, "version"), AB_ERROR_VERSION,
                         _("written by a newer Archboard (format version %s); this version reads up to %d"),
                         shown, AB_DESIGN_FORMAT_VERSION);
      return NULL;
    }
  if (version < 1)
    {
      g_autofree char *shown = ab_json_format_number (version);
      ab_json_doc_error (doc, error, member (root, "version"), AB_ERROR_INVALID,
                         _("format version %s does not exist (versions start at 1)"), shown);
      return NULL;
    }
  if (!ab_json_doc_check_members (doc, root, known, error) ||
      !read_optional_text (doc, root, "generator", AB_DESIGN_MAX_LABEL, &generator, error) ||
      !read_optional_text (doc, root, "problem", 128, &problem, error) ||
      !read_optional_text (doc, root, "title", AB_DESIGN_MAX_LABEL, &title, error) ||
      !read_optional_text (doc, root, "created", 64, &created, error) ||
      !read_optional_text (doc, root, "notes", AB_DESIGN_MAX_NOTES, &notes, error))
    return NULL;
  if (problem != NULL && *problem == '\0')
    problem = NULL;
  if (title != NULL && *title == '\0')
    title = NULL;
  if (!ab_design_parse_parts (doc, root, &components, &connections, error))
    return NULL;

  design = ab_design_new (problem);
  ab_design_set_metadata (design, title, created, notes);
  for (guint i = 0; i < components->len; i++)
    ab_design_take_component (design, g_steal_pointer (&components->pdata[i]));
  for (guint i = 0; i < connections->len; i++)
    ab_design_take_connection (design, g_steal_pointer (&connections->pdata[i]));
  ab_design_reset_counters (design);
  ab_design_mark_saved (design);
  return g_steal_pointer (&design);
}

AbDesign *
ab_design_load_from_file (const char  *path,
                          GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local = NULL;
  GStatBuf st;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;
      g_set_error (error, AB_ERROR, AB_ERROR_IO, "%s: %s", path, g_strerror (saved));
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      /* Translators: after "FILE: " */
      g_set_error (error, AB_ERROR, AB_ERROR_IO, "%s: %s", path, _("not a regular file"));
      return NULL;
    }
  if ((guint64) st.st_size > MAX_FILE_BYTES)
    {
      g_autofree char *most = ab_format_count (MAX_FILE_BYTES);
      g_autofree char *message = g_strdup_printf (_("file larger than %s bytes"), most);

      g_set_error (error, AB_ERROR, AB_ERROR_TOO_LARGE, "%s: %s", path, message);
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &length, &local))
    {
      g_set_error (error, AB_ERROR, AB_ERROR_IO, "%s", local->message);
      return NULL;
    }
  return ab_design_load_from_data (contents, length, path, error);
}
