/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The component catalog: loads and validates data/catalog/components.json
 * (embedded as a resource) and answers what each kind is, which kinds it
 * may call and the defaults of its simulation parameters. */
#define G_LOG_DOMAIN "archboard-core"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "ab-catalog.h"
#include "ab-json-loc.h"
#include "ab-catalog-resources.h"

/* A catalog text in the user's language; "" stays "" (gettext would
 * return the catalog header for it). */
static const char *
translated (const char *text)
{
  return text != NULL && *text != '\0' ? g_dgettext (GETTEXT_PACKAGE, text) : text;
}

#define CATALOG_RESOURCE "/io/github/archboard/Archboard/catalog/components.json"
#define CATALOG_FORMAT   "archboard-catalog"
#define CATALOG_VERSION  1

struct _AbCatalog {
  AbKindInfo kinds[AB_N_KINDS];
  GPtrArray *connection_params;   /* of AbParamSpec* */
  gboolean   allowed[AB_N_KINDS][AB_N_KINDS];
};

static void
param_spec_free (gpointer data)
{
  AbParamSpec *spec = data;

  g_free (spec->name);
  g_free (spec->display_name);
  g_free (spec->unit);
  g_free (spec->description);
  g_free (spec->default_string);
  g_strfreev (spec->choices);
  g_free (spec->source);
  g_free (spec->date);
  g_free (spec);
}

static gboolean
is_date (const char *s)
{
  GDate date;

  if (strlen (s) != 10 || s[4] != '-' || s[7] != '-')
    return FALSE;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (s[i]))
      return FALSE;
  g_date_clear (&date, 1);
  g_date_set_parse (&date, s);
  return g_date_valid (&date);
}

static AbParamSpec *
parse_param (AbJsonDoc  *doc,
             JsonNode   *node,
             GError    **error)
{
  static const char * const known[] = {
    "name", "display_name", "unit", "description", "type", "default", "min", "max",
    "choices", "source", "date", NULL
  };
  g_autoptr(GPtrArray) choices = NULL;
  const char *name = NULL, *display = NULL, *unit = NULL, *description = NULL;
  const char *type = NULL, *source = NULL, *date = NULL;
  AbParamSpec *spec;

  if (!ab_json_doc_expect_object (doc, node, "a parameter", error) ||
      !ab_json_doc_check_members (doc, node, known, error) ||
      !ab_json_doc_read_string (doc, node, "name", TRUE, &name, error) ||
      !ab_json_doc_read_string (doc, node, "display_name", TRUE, &display, error) ||
      !ab_json_doc_read_string (doc, node, "unit", TRUE, &unit, error) ||
      !ab_json_doc_read_string (doc, node, "description", TRUE, &description, error) ||
      !ab_json_doc_read_string (doc, node, "type", TRUE, &type, error) ||
      !ab_json_doc_read_string (doc, node, "source", TRUE, &source, error) ||
      !ab_json_doc_read_string (doc, node, "date", TRUE, &date, error))
    return NULL;
  if (*name == '\0' || *source == '\0')
    {
      ab_json_doc_error (doc, error, node, AB_ERROR_INVALID,
                         "a parameter needs a name and a source");
      return NULL;
    }
  if (!is_date (date))
    {
      g_autofree char *shown = ab_json_snippet (date);
      ab_json_doc_error (doc, error, json_object_get_member (json_node_get_object (node), "date"),
                         AB_ERROR_INVALID, "\"date\" must be a date YYYY-MM-DD, not \"%s\"", shown);
      return NULL;
    }

  spec = g_new0 (AbParamSpec, 1);
  spec->name = g_strdup (name);
  /* In the user's language (po/catalog-strings.py extracts them). */
  spec->display_name = g_strdup (translated (display));
  spec->unit = g_strdup (unit);
  spec->description = g_strdup (translated (description));
  spec->source = g_strdup (source);
  spec->date = g_strdup (date);

  if (g_str_equal (type, "number"))
    {
      double def = 0, min = 0, max = 0;

      if (!ab_json_doc_read_number (doc, node, "min", TRUE, -G_MAXDOUBLE, G_MAXDOUBLE, &min, error) ||
          !ab_json_doc_read_number (doc, node, "max", TRUE, min, G_MAXDOUBLE, &max, error) ||
          !ab_json_doc_read_number (doc, node, "default", TRUE, min, max, &def, error))
        goto fail;
      if (json_object_has_member (json_node_get_object (node), "choices"))
        {
          ab_json_doc_error (doc, error, json_object_get_member (json_node_get_object (node), "choices"),
                             AB_ERROR_INVALID, "a number parameter has no \"choices\"");
          goto fail;
        }
      spec->default_value = def;
      spec->min = min;
      spec->max = max;
    }
  else if (g_str_equal (type, "string"))
    {
      JsonNode *choices_node = NULL;
      const char *def = NULL;
      JsonArray *array;

      if (!ab_json_doc_read_string (doc, node, "default", TRUE, &def, error) ||
          !ab_json_doc_read_array (doc, node, "choices", TRUE, &choices_node, error))
        goto fail;
      array = json_node_get_array (choices_node);
      choices = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *c = json_array_get_element (array, i);
          if (!JSON_NODE_HOLDS_VALUE (c) || json_node_get_value_type (c) != G_TYPE_STRING)
            {
              ab_json_doc_error (doc, error, c, AB_ERROR_INVALID, "choices must be strings");
              goto fail;
            }
          g_ptr_array_add (choices, g_strdup (json_node_get_string (c)));
        }
      g_ptr_array_add (choices, NULL);
      if (!g_strv_contains ((const char * const *) choices->pdata, def))
        {
          g_autofree char *shown = ab_json_snippet (def);
          ab_json_doc_error (doc, error, json_object_get_member (json_node_get_object (node), "default"),
                             AB_ERROR_INVALID, "default \"%s\" is not one of the choices", shown);
          goto fail;
        }
      spec->is_string = TRUE;
      spec->default_string = g_strdup (def);
      spec->choices = (GStrv) g_ptr_array_free (g_steal_pointer (&choices), FALSE);
    }
  else
    {
      g_autofree char *shown = ab_json_snippet (type);
      ab_json_doc_error (doc, error, json_object_get_member (json_node_get_object (node), "type"),
                         AB_ERROR_INVALID, "\"type\" must be \"number\" or \"string\", not \"%s\"", shown);
      goto fail;
    }
  return spec;

fail:
  param_spec_free (spec);
  return NULL;
}

static GPtrArray *
parse_params (AbJsonDoc  *doc,
              JsonNode   *array_node,
              GError    **error)
{
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (param_spec_free);
  JsonArray *array = json_node_get_array (array_node);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      AbParamSpec *spec = parse_param (doc, node, error);

      if (spec == NULL)
        return NULL;
      for (guint j = 0; j < params->len; j++)
        if (g_str_equal (((AbParamSpec *) params->pdata[j])->name, spec->name))
          {
            g_autofree char *shown = ab_json_snippet (spec->name);
            ab_json_doc_error (doc, error, node, AB_ERROR_INVALID,
                               "parameter \"%s\" is listed twice", shown);
            param_spec_free (spec);
            return NULL;
          }
      g_ptr_array_add (params, spec);
    }
  return g_steal_pointer (&params);
}

static gboolean
is_color (const char *s)
{
  if (strlen (s) != 7 || s[0] != '#')
    return FALSE;
  for (int i = 1; i < 7; i++)
    if (!g_ascii_isxdigit (s[i]))
      return FALSE;
  return TRUE;
}

static gboolean
parse_kind (AbCatalog  *catalog,
            AbJsonDoc  *doc,
            JsonNode   *node,
            GError    **error)
{
  static const char * const known[] = {
    "id", "display_name", "description", "icon_name", "color", "connects_to", "params", NULL
  };
  const char *id = NULL, *display = NULL, *description = NULL, *icon = NULL, *color = NULL;
  JsonNode *connects = NULL, *params_node = NULL;
  JsonArray *connects_array;
  AbKindInfo *info;
  AbKind kind;
  GPtrArray *params;

  if (!ab_json_doc_expect_object (doc, node, "a kind", error) ||
      !ab_json_doc_check_members (doc, node, known, error) ||
      !ab_json_doc_read_string (doc, node, "id", TRUE, &id, error) ||
      !ab_json_doc_read_string (doc, node, "display_name", TRUE, &display, error) ||
      !ab_json_doc_read_string (doc, node, "description", TRUE, &description, error) ||
      !ab_json_doc_read_string (doc, node, "icon_name", TRUE, &icon, error) ||
      !ab_json_doc_read_string (doc, node, "color", TRUE, &color, error) ||
      !ab_json_doc_read_array (doc, node, "connects_to", TRUE, &connects, error) ||
      !ab_json_doc_read_array (doc, node, "params", TRUE, &params_node, error))
    return FALSE;

  kind = ab_kind_from_string (id);
  if (kind == AB_KIND_INVALID || !g_str_equal (id, ab_kind_to_string (kind)))
    {
      g_autofree char *shown = ab_json_snippet (id);
      ab_json_doc_error (doc, error, json_object_get_member (json_node_get_object (node), "id"),
                         AB_ERROR_UNKNOWN_KIND, "unknown kind \"%s\"", shown);
      return FALSE;
    }
  info = &catalog->kinds[kind];
  if (info->id != NULL)
    {
      ab_json_doc_error (doc, error, node, AB_ERROR_INVALID, "kind \"%s\" is described twice", id);
      return FALSE;
    }
  if (!is_color (color))
    {
      g_autofree char *shown = ab_json_snippet (color);
      ab_json_doc_error (doc, error, json_object_get_member (json_node_get_object (node), "color"),
                         AB_ERROR_INVALID, "\"color\" must be #rrggbb, not \"%s\"", shown);
      return FALSE;
    }
  if (*display == '\0' || *description == '\0' || *icon == '\0')
    {
      ab_json_doc_error (doc, error, node, AB_ERROR_INVALID,
                         "kind \"%s\" needs a display name, a description and an icon", id);
      return FALSE;
    }

  connects_array = json_node_get_array (connects);
  for (guint i = 0; i < json_array_get_length (connects_array); i++)
    {
      JsonNode *c = json_array_get_element (connects_array, i);
      AbKind to;

      if (!JSON_NODE_HOLDS_VALUE (c) || json_node_get_value_type (c) != G_TYPE_STRING)
        {
          ab_json_doc_error (doc, error, c, AB_ERROR_INVALID, "connects_to lists kind names (strings)");
          return FALSE;
        }
      to = ab_kind_from_string (json_node_get_string (c));
      if (to == AB_KIND_INVALID)
        {
          g_autofree char *shown = ab_json_snippet (json_node_get_string (c));
          ab_json_doc_error (doc, error, c, AB_ERROR_UNKNOWN_KIND, "unknown kind \"%s\"", shown);
          return FALSE;
        }
      if (catalog->allowed[kind][to])
        {
          ab_json_doc_error (doc, error, c, AB_ERROR_INVALID, "kind \"%s\" is listed twice",
                             json_node_get_string (c));
          return FALSE;
        }
      catalog->allowed[kind][to] = TRUE;
    }

  params = parse_params (doc, params_node, error);
  if (params == NULL)
    return FALSE;

  info->kind = kind;
  info->id = g_strdup (id);
  info->display_name = g_strdup (translated (display));
  info->description = g_strdup (translated (description));
  info->icon_name = g_strdup (icon);
  info->color = g_strdup (color);
  info->params = params;
  info->connects_to = g_new0 (AbKind, json_array_get_length (connects_array) + 1);
  for (guint i = 0; i < json_array_get_length (connects_array); i++)
    info->connects_to[info->n_connects_to++] =
      ab_kind_from_string (json_array_get_string_element (connects_array, i));
  return TRUE;
}

static AbCatalog *
catalog_from_doc (AbJsonDoc  *doc,
                  GError    **error)
{
  static const char * const known[] = { "format", "version", "comment", "connection", "kinds", NULL };
  static const char * const conn_known[] = { "params", NULL };
  g_autoptr(AbCatalog) catalog = g_new0 (AbCatalog, 1);
  JsonNode *root = ab_json_doc_get_root (doc);
  JsonNode *kinds = NULL, *connection = NULL, *conn_params = NULL;
  const char *format = NULL;
  gint64 version = 0;
  JsonArray *array;

  if (!ab_json_doc_expect_object (doc, root, "the catalog", error) ||
      !ab_json_doc_check_members (doc, root, known, error) ||
      !ab_json_doc_read_string (doc, root, "format", TRUE, &format, error))
    return NULL;
  if (!g_str_equal (format, CATALOG_FORMAT))
    {
      g_autofree char *shown = ab_json_snippet (format);
      ab_json_doc_error (doc, error, json_object_get_member (json_node_get_object (root), "format"),
                         AB_ERROR_INVALID, "not a component catalog (\"format\" is \"%s\", expected \"%s\")",
                         shown, CATALOG_FORMAT);
      return NULL;
    }
  if (!ab_json_doc_read_int (doc, root, "version", TRUE, 1, G_MAXINT, &version, error))
    return NULL;
  if (version > CATALOG_VERSION)
    {
      ab_json_doc_error (doc, error, json_object_get_member (json_node_get_object (root), "version"),
                         AB_ERROR_VERSION, "catalog format version %" G_GINT64_FORMAT
                         " is newer than this version reads (%d)", version, CATALOG_VERSION);
      return NULL;
    }
  if (!ab_json_doc_read_object (doc, root, "connection", TRUE, &connection, error) ||
      !ab_json_doc_check_members (doc, connection, conn_known, error) ||
      !ab_json_doc_read_array (doc, connection, "params", TRUE, &conn_params, error))
    return NULL;
  catalog->connection_params = parse_params (doc, conn_params, error);
  if (catalog->connection_params == NULL)
    return NULL;

  if (!ab_json_doc_read_array (doc, root, "kinds", TRUE, &kinds, error))
    return NULL;
  array = json_node_get_array (kinds);
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (!parse_kind (catalog, doc, json_array_get_element (array, i), error))
      return NULL;
  for (int k = 0; k < AB_N_KINDS; k++)
    if (catalog->kinds[k].id == NULL)
      {
        ab_json_doc_error (doc, error, kinds, AB_ERROR_INVALID,
                           "kind \"%s\" is missing", ab_kind_to_string ((AbKind) k));
        return NULL;
      }
  return g_steal_pointer (&catalog);
}

AbCatalog *
ab_catalog_load_from_data (const char  *data,
                           gssize       length,
                           const char  *filename,
                           GError     **error)
{
  g_autoptr(AbJsonDoc) doc = NULL;
  AbJsonLimits limits = AB_JSON_LIMITS_DEFAULT;

  limits.max_bytes = 4u << 20;
  limits.max_depth = 16;
  limits.max_elements = 10000;
  doc = ab_json_doc_parse (data, length, filename, &limits, error);
  if (doc == NULL)
    return NULL;
  return catalog_from_doc (doc, error);
}

AbCatalog *
ab_catalog_load_from_file (const char  *path,
                           GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) local = NULL;

  if (!g_file_get_contents (path, &contents, &length, &local))
    {
      g_set_error (error, AB_ERROR, AB_ERROR_IO, "%s: %s", path, local->message);
      return NULL;
    }
  return ab_catalog_load_from_data (contents, length, path, error);
}

void
ab_catalog_free (AbCatalog *catalog)
{
  if (catalog == NULL)
    return;
  for (int k = 0; k < AB_N_KINDS; k++)
    {
      AbKindInfo *info = &catalog->kinds[k];
      g_free (info->id);
      g_free (info->display_name);
      g_free (info->description);
      g_free (info->icon_name);
      g_free (info->color);
      g_free (info->connects_to);
      g_clear_pointer (&info->params, g_ptr_array_unref);
    }
  g_clear_pointer (&catalog->connection_params, g_ptr_array_unref);
  g_free (catalog);
}

static gpointer
load_default (gpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GResource *resource = ab_catalog_data_get_resource ();
  const char *contents;
  gsize length;
  AbCatalog *catalog;

  bytes = g_resource_lookup_data (resource, CATALOG_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes == NULL)
    g_error ("The embedded component catalog is missing: %s", error->message);
  contents = g_bytes_get_data (bytes, &length);
  catalog = ab_catalog_load_from_data (contents, length, "components.json", &error);
  if (catalog == NULL)
    g_error ("The embedded component catalog is invalid: %s", error->message);
  return catalog;
}

AbCatalog *
ab_catalog_get_default (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, load_default, NULL);
  return once.retval;
}

const AbKindInfo *
ab_catalog_get_kind (AbCatalog *catalog,
                     AbKind     kind)
{
  g_return_val_if_fail (catalog != NULL, NULL);
  if (kind < 0 || kind >= AB_N_KINDS)
    return NULL;
  return &catalog->kinds[kind];
}

static const AbParamSpec *
find_param (GPtrArray  *params,
            const char *name)
{
  if (params == NULL || name == NULL)
    return NULL;
  for (guint i = 0; i < params->len; i++)
    {
      const AbParamSpec *spec = params->pdata[i];
      if (g_str_equal (spec->name, name))
        return spec;
    }
  return NULL;
}

const AbParamSpec *
ab_catalog_get_param (AbCatalog  *catalog,
                      AbKind      kind,
                      const char *name)
{
  g_return_val_if_fail (catalog != NULL, NULL);
  if (kind < 0 || kind >= AB_N_KINDS)
    return NULL;
  return find_param (catalog->kinds[kind].params, name);
}

double
ab_catalog_param_default (AbCatalog  *catalog,
                          AbKind      kind,
                          const char *name,
                          double      fallback)
{
  const AbParamSpec *spec = ab_catalog_get_param (catalog, kind, name);

  if (spec == NULL || spec->is_string)
    return fallback;
  return spec->default_value;
}

GPtrArray *
ab_catalog_get_connection_params (AbCatalog *catalog)
{
  g_return_val_if_fail (catalog != NULL, NULL);
  return catalog->connection_params;
}

const AbParamSpec *
ab_catalog_get_connection_param (AbCatalog  *catalog,
                                 const char *name)
{
  g_return_val_if_fail (catalog != NULL, NULL);
  return find_param (catalog->connection_params, name);
}

double
ab_catalog_connection_param_default (AbCatalog  *catalog,
                                     const char *name,
                                     double      fallback)
{
  const AbParamSpec *spec = ab_catalog_get_connection_param (catalog, name);

  if (spec == NULL || spec->is_string)
    return fallback;
  return spec->default_value;
}

gboolean
ab_catalog_can_connect (AbCatalog *catalog,
                        AbKind     from,
                        AbKind     to)
{
  g_return_val_if_fail (catalog != NULL, FALSE);
  if (from < 0 || from >= AB_N_KINDS || to < 0 || to >= AB_N_KINDS)
    return FALSE;
  return catalog->allowed[from][to];
}

/* "load balancer", but "CDN" stays as it is. */
static char *
noun (AbCatalog *catalog,
      AbKind     kind)
{
  const char *name = catalog->kinds[kind].display_name;
  char *s = g_strdup (name);

  if (s[0] != '\0' && !g_ascii_isupper (s[1]))
    s[0] = g_ascii_tolower (s[0]);
  return s;
}

/* "load balancers", "search indexes", "block storage". */
static char *
plural (AbCatalog *catalog,
        AbKind     kind)
{
  g_autofree char *n = noun (catalog, kind);

  if (g_str_has_suffix (n, "storage"))
    return g_steal_pointer (&n);
  if (g_str_has_suffix (n, "x") || g_str_has_suffix (n, "s"))
    return g_strconcat (n, "es", NULL);
  return g_strconcat (n, "s", NULL);
}

static char *
with_article (AbCatalog *catalog,
              AbKind     kind,
              gboolean   capital)
{
  g_autofree char *n = noun (catalog, kind);
  gboolean vowel = strchr ("aeiouAEIOU", n[0]) != NULL;

  return g_strdup_printf ("%s %s", vowel ? (capital ? "An" : "an") : (capital ? "A" : "a"), n);
}

/* The catalog's names are translated: sentences take them as they are
 * (capitalised German nouns, no English article), whole sentences come
 * from the translation. */
static gboolean
names_translated (void)
{
  const char *source = "Load balancer";

  return g_dgettext (GETTEXT_PACKAGE, source) != source;
}

static char *
explain_translated (AbCatalog *catalog,
                    AbKind     from,
                    AbKind     to)
{
  const char *from_name = catalog->kinds[from].display_name;
  const char *to_name = catalog->kinds[to].display_name;
  const AbKindInfo *info = &catalog->kinds[from];
  g_autoptr(GString) s = g_string_new (NULL);

  if (to == AB_KIND_CLIENT)
    {
      g_string_append_printf (s, _("Nothing calls “%s”: clients only start requests. "
                                   "Draw the connection from “%s” to “%s” instead."),
                              to_name, to_name, from_name);
      return g_string_free (g_steal_pointer (&s), FALSE);
    }
  if (info->n_connects_to == 0)
    g_string_append_printf (s, _("“%s” cannot call “%s”: it calls nothing."), from_name, to_name);
  else
    {
      g_autoptr(GString) list = g_string_new (NULL);

      for (guint i = 0; i < info->n_connects_to; i++)
        {
          if (i > 0)
            g_string_append (list, ", ");
          g_string_append_printf (list, _("“%s”"), catalog->kinds[info->connects_to[i]].display_name);
        }
      /* Translators: the last %s is a list of component names, each quoted. */
      g_string_append_printf (s, _("“%s” cannot call “%s”; it may call %s."), from_name, to_name, list->str);
    }
  if (from == AB_KIND_CLIENT && (to == AB_KIND_DB_PRIMARY || to == AB_KIND_DB_REPLICA ||
                                 to == AB_KIND_CACHE || to == AB_KIND_SEARCH || to == AB_KIND_STORAGE))
    {
      g_string_append_c (s, ' ');
      g_string_append_printf (s, _("Put “%s” and “%s” in front of it."),
                              catalog->kinds[AB_KIND_LB].display_name, catalog->kinds[AB_KIND_APP].display_name);
    }
  else if (catalog->allowed[to][from])
    {
      g_string_append_c (s, ' ');
      g_string_append_printf (s, _("Did you mean the other direction? “%s” may call “%s”."), to_name, from_name);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

char *
ab_catalog_explain_refusal (AbCatalog *catalog,
                            AbKind     from,
                            AbKind     to)
{
  g_autofree char *from_a = NULL;
  g_autofree char *to_a = NULL;
  g_autoptr(GString) s = NULL;
  const AbKindInfo *info;

  g_return_val_if_fail (catalog != NULL, NULL);
  if (from < 0 || from >= AB_N_KINDS || to < 0 || to >= AB_N_KINDS)
    return g_strdup ("Unknown component kind.");
  if (catalog->allowed[from][to])
    return NULL;
  /* English: "A load balancer cannot call a client", composed with
   * articles; other languages translate whole sentences. */
  if (names_translated ())
    return explain_translated (catalog, from, to);

  from_a = with_article (catalog, from, TRUE);
  to_a = with_article (catalog, to, FALSE);
  s = g_string_new (NULL);

  if (to == AB_KIND_CLIENT)
    {
      g_autofree char *from_lower = with_article (catalog, from, FALSE);
      g_string_append_printf (s, "Nothing calls a client: clients only start requests. "
                                 "Draw the connection from the client to %s instead.",
                              from_lower);
      return g_string_free (g_steal_pointer (&s), FALSE);
    }

  g_string_append_printf (s, "%s cannot call %s", from_a, to_a);
  info = &catalog->kinds[from];
  if (info->n_connects_to == 0)
    g_string_append_printf (s, ": it calls nothing.");
  else
    {
      g_autofree char *from_n = plural (catalog, from);
      g_string_append_printf (s, ": %s call ", from_n);
      for (guint i = 0; i < info->n_connects_to; i++)
        {
          g_autofree char *n = plural (catalog, info->connects_to[i]);
          if (i > 0)
            g_string_append (s, i + 1 == info->n_connects_to ? " or " : ", ");
          g_string_append (s, n);
        }
      g_string_append_c (s, '.');
    }
  if (from == AB_KIND_CLIENT && (to == AB_KIND_DB_PRIMARY || to == AB_KIND_DB_REPLICA ||
                                 to == AB_KIND_CACHE || to == AB_KIND_SEARCH || to == AB_KIND_STORAGE))
    g_string_append (s, " Put a load balancer and an application server in front of it.");
  else if (catalog->allowed[to][from])
    {
      g_autofree char *to_cap = with_article (catalog, to, TRUE);
      g_autofree char *from_lower = with_article (catalog, from, FALSE);
      g_string_append_printf (s, " Did you mean the other direction? %s may call %s.", to_cap, from_lower);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}
