/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Pricing profiles and the cost of a network (see ab-cost.h). */
#define G_LOG_DOMAIN "archboard-cost"

#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ab-cost.h"
#include "ab-pricing-resources.h"

#define PRICING_PREFIX "/io/github/archboard/Archboard/pricing"

typedef struct {
  double  value;
  char   *source;
} Figure;

struct _AbPricing {
  char       *id;
  char       *title;
  char       *date;
  double      hours_per_month;
  double      bytes_per_response;
  double      bytes_per_request;
  GHashTable *figures[AB_N_KINDS];  /* name -> Figure */
};

static void
figure_free (gpointer data)
{
  Figure *f = data;

  g_free (f->source);
  g_free (f);
}

static void
ensure_resources (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      GResource *resource = ab_pricing_data_get_resource ();
      g_autoptr(GBytes) probe = g_resources_lookup_data (PRICING_PREFIX "/aws-us-east-1.json",
                                                         G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
      if (probe == NULL)
        g_resources_register (resource);
      g_once_init_leave (&done, 1);
    }
}

GStrv
ab_pricing_list_names (void)
{
  g_auto(GStrv) children = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  ensure_resources ();
  children = g_resources_enumerate_children (PRICING_PREFIX "/", G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  for (guint i = 0; children != NULL && children[i] != NULL; i++)
    if (g_str_has_suffix (children[i], ".json"))
      {
        g_autofree char *name = g_strndup (children[i], strlen (children[i]) - 5);
        g_strv_builder_add (builder, name);
      }
  {
    GStrv names = g_strv_builder_end (builder);
    qsort (names, g_strv_length (names), sizeof (char *), (GCompareFunc) g_strcmp0);
    return names;
  }
}

static gboolean
fail (GError    **error,
      const char *filename,
      int         code,
      const char *what)
{
  g_set_error (error, AB_ERROR, code, "%s: %s", filename, what);
  return FALSE;
}

static gboolean
read_figure (JsonObject *obj,
             const char *name,
             const char *filename,
             Figure    **out,
             GError    **error)
{
  JsonNode *node = json_object_get_member (obj, name);
  JsonObject *fo;
  JsonNode *value;
  g_autofree char *msg = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      msg = g_strdup_printf ("figure \"%s\" must be an object with \"value\" and \"source\"", name);
      return fail (error, filename, AB_ERROR_INVALID, msg);
    }
  fo = json_node_get_object (node);
  value = json_object_get_member (fo, "value");
  if (value == NULL || json_node_get_value_type (value) == G_TYPE_STRING
      || !JSON_NODE_HOLDS_VALUE (value) || !isfinite (json_node_get_double (value))
      || json_node_get_double (value) < 0.0)
    {
      msg = g_strdup_printf ("figure \"%s\" needs a non-negative number \"value\"", name);
      return fail (error, filename, AB_ERROR_INVALID, msg);
    }
  if (!json_object_has_member (fo, "source"))
    {
      msg = g_strdup_printf ("figure \"%s\" has no \"source\"", name);
      return fail (error, filename, AB_ERROR_INVALID, msg);
    }
  *out = g_new0 (Figure, 1);
  (*out)->value = json_node_get_double (value);
  (*out)->source = g_strdup_printf ("%s (%s)", json_object_get_string_member_with_default (fo, "source", ""),
                                    json_object_get_string_member_with_default (fo, "title", ""));
  return TRUE;
}

AbPricing *
ab_pricing_load_from_data (const char  *data,
                           gssize       length,
                           const char  *filename,
                           GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;
  g_autoptr(AbPricing) pricing = NULL;
  JsonNode *root;
  JsonObject *obj, *kinds;
  JsonNode *assumptions;

  g_return_val_if_fail (data != NULL, NULL);

  if (filename == NULL)
    filename = "pricing.json";
  if (!json_parser_load_from_data (parser, data, length, &local))
    {
      g_set_error (error, AB_ERROR, AB_ERROR_PARSE, "%s: %s", filename, local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return fail (error, filename, AB_ERROR_INVALID, "a pricing profile is a JSON object"), NULL;
  obj = json_node_get_object (root);
  if (g_strcmp0 (json_object_get_string_member_with_default (obj, "format", ""), "archboard-pricing") != 0)
    return fail (error, filename, AB_ERROR_INVALID, "\"format\" must be \"archboard-pricing\""), NULL;
  if (json_object_get_int_member_with_default (obj, "version", 0) > 1)
    return fail (error, filename, AB_ERROR_VERSION, "written by a newer version of Archboard"), NULL;
  if (!json_object_has_member (obj, "id") || !json_object_has_member (obj, "date")
      || !json_object_has_member (obj, "kinds")
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (obj, "kinds")))
    return fail (error, filename, AB_ERROR_INVALID, "needs \"id\", \"date\" and a \"kinds\" object"), NULL;

  pricing = g_new0 (AbPricing, 1);
  pricing->id = g_strdup (json_object_get_string_member_with_default (obj, "id", ""));
  pricing->title = g_strdup (json_object_get_string_member_with_default (obj, "title", pricing->id));
  pricing->date = g_strdup (json_object_get_string_member_with_default (obj, "date", ""));
  pricing->hours_per_month = json_object_get_double_member_with_default (obj, "hours_per_month", 730.0);
  if (!(pricing->hours_per_month > 0.0))
    return fail (error, filename, AB_ERROR_INVALID, "\"hours_per_month\" must be positive"), NULL;
  pricing->bytes_per_response = 51200.0;
  pricing->bytes_per_request = 2048.0;
  assumptions = json_object_get_member (obj, "assumptions");
  if (assumptions != NULL && JSON_NODE_HOLDS_OBJECT (assumptions))
    {
      JsonObject *ao = json_node_get_object (assumptions);
      Figure *f = NULL;

      if (json_object_has_member (ao, "bytes_per_response"))
        {
          if (!read_figure (ao, "bytes_per_response", filename, &f, error))
            return NULL;
          pricing->bytes_per_response = f->value;
          figure_free (f);
        }
      if (json_object_has_member (ao, "bytes_per_request"))
        {
          if (!read_figure (ao, "bytes_per_request", filename, &f, error))
            return NULL;
          pricing->bytes_per_request = f->value;
          figure_free (f);
        }
    }

  for (int k = 0; k < AB_N_KINDS; k++)
    pricing->figures[k] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, figure_free);
  kinds = json_object_get_object_member (obj, "kinds");
  {
    g_autoptr(GList) members = json_object_get_members (kinds);
    for (GList *l = members; l != NULL; l = l->next)
      {
        const char *kind_name = l->data;
        AbKind kind = ab_kind_from_string (kind_name);
        JsonNode *kn = json_object_get_member (kinds, kind_name);
        g_autoptr(GList) names = NULL;

        if (kind == AB_KIND_INVALID)
          {
            g_set_error (error, AB_ERROR, AB_ERROR_UNKNOWN_KIND, "%s: unknown component kind \"%s\"",
                         filename, kind_name);
            return NULL;
          }
        if (!JSON_NODE_HOLDS_OBJECT (kn))
          return fail (error, filename, AB_ERROR_INVALID, "each kind maps to an object of figures"), NULL;
        names = json_object_get_members (json_node_get_object (kn));
        for (GList *m = names; m != NULL; m = m->next)
          {
            Figure *f = NULL;
            if (!read_figure (json_node_get_object (kn), m->data, filename, &f, error))
              return NULL;
            g_hash_table_insert (pricing->figures[kind], g_strdup (m->data), f);
          }
      }
  }
  return g_steal_pointer (&pricing);
}

AbPricing *
ab_pricing_load_from_file (const char  *path,
                           GError     **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;
  g_autoptr(GError) local = NULL;

  if (!g_file_get_contents (path, &data, &length, &local))
    {
      g_set_error (error, AB_ERROR, AB_ERROR_IO, "%s: %s", path, local->message);
      return NULL;
    }
  return ab_pricing_load_from_data (data, (gssize) length, path, error);
}

AbPricing *
ab_pricing_get_named (const char  *name,
                      GError     **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize size = 0;
  const char *data;

  g_return_val_if_fail (name != NULL, NULL);

  ensure_resources ();
  path = g_strdup_printf (PRICING_PREFIX "/%s.json", name);
  if (strchr (name, '/') == NULL)
    bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (bytes == NULL)
    {
      g_auto(GStrv) names = ab_pricing_list_names ();
      g_autofree char *list = g_strjoinv (", ", names);
      g_set_error (error, AB_ERROR, AB_ERROR_NOT_FOUND,
                   "unknown pricing profile \"%s\" (known: %s)", name, list);
      return NULL;
    }
  data = g_bytes_get_data (bytes, &size);
  return ab_pricing_load_from_data (data, (gssize) size, path, error);
}

void
ab_pricing_free (AbPricing *pricing)
{
  if (pricing == NULL)
    return;
  g_free (pricing->id);
  g_free (pricing->title);
  g_free (pricing->date);
  for (int k = 0; k < AB_N_KINDS; k++)
    if (pricing->figures[k] != NULL)
      g_hash_table_unref (pricing->figures[k]);
  g_free (pricing);
}

const char *
ab_pricing_get_id (const AbPricing *pricing)
{
  return pricing->id;
}

const char *
ab_pricing_get_title (const AbPricing *pricing)
{
  return pricing->title;
}

const char *
ab_pricing_get_date (const AbPricing *pricing)
{
  return pricing->date;
}

double
ab_pricing_hours_per_month (const AbPricing *pricing)
{
  return pricing->hours_per_month;
}

static const Figure *
figure (const AbPricing *pricing,
        AbKind           kind,
        const char      *name)
{
  if (kind < 0 || kind >= AB_N_KINDS || pricing->figures[kind] == NULL)
    return NULL;
  return g_hash_table_lookup (pricing->figures[kind], name);
}

double
ab_pricing_value (const AbPricing *pricing,
                  AbKind           kind,
                  const char      *name)
{
  const Figure *f;

  g_return_val_if_fail (pricing != NULL, 0.0);
  f = figure (pricing, kind, name);
  return f != NULL ? f->value : 0.0;
}

const char *
ab_pricing_source (const AbPricing *pricing,
                   AbKind           kind,
                   const char      *name)
{
  const Figure *f;

  g_return_val_if_fail (pricing != NULL, NULL);
  f = figure (pricing, kind, name);
  return f != NULL ? f->source : NULL;
}

AbCost *
ab_cost_compute (const AbPricing *pricing,
                 const AbNetwork *network,
                 const double    *instances,
                 const double    *node_rps,
                 double           dataset_bytes)
{
  AbCost *cost;
  int n_primaries = 0, n_objects = 0;
  double gb = MAX (dataset_bytes, 0.0) / 1e9;

  g_return_val_if_fail (pricing != NULL, NULL);
  g_return_val_if_fail (network != NULL, NULL);

  cost = g_new0 (AbCost, 1);
  cost->hours_per_month = pricing->hours_per_month;
  cost->n_stations = network->n_stations;
  cost->items = g_new0 (AbCostItem, MAX (network->n_stations, 1));

  for (guint i = 0; i < network->n_stations; i++)
    {
      AbKind kind = network->stations[i].kind;
      n_primaries += kind == AB_KIND_DB_PRIMARY;
      n_objects += kind == AB_KIND_OBJECT_STORE || kind == AB_KIND_STORAGE;
    }

  for (guint i = 0; i < network->n_stations; i++)
    {
      const AbStation *s = &network->stations[i];
      AbCostItem *item = &cost->items[i];
      AbKind kind = s->kind;
      double n = instances != NULL ? instances[i] : s->instances;
      double reads = node_rps != NULL ? node_rps[i * AB_N_CLASSES + AB_CLASS_READ] : 0.0;
      double writes = node_rps != NULL ? node_rps[i * AB_N_CLASSES + AB_CLASS_WRITE] : 0.0;
      double stored_gb = 0.0;

      item->compute = ab_pricing_value (pricing, kind, "per_hour") * n;

      if (n_objects > 0 && (kind == AB_KIND_OBJECT_STORE || kind == AB_KIND_STORAGE))
        stored_gb = gb / n_objects;
      else if (n_objects == 0 && kind == AB_KIND_DB_PRIMARY)
        stored_gb = gb / MAX (n_primaries, 1);
      else if (n_objects == 0 && kind == AB_KIND_DB_REPLICA)
        /* every replica instance holds a whole copy of its shard(s) */
        stored_gb = gb / MAX (n_primaries, 1)
                    * ab_network_copies (network, (int) i, AB_CLASS_WRITE, (int) n);
      item->storage = stored_gb * ab_pricing_value (pricing, kind, "per_gb_month") / pricing->hours_per_month;

      switch (kind)
        {
        case AB_KIND_QUEUE:
        case AB_KIND_STREAM:
          item->requests = (reads + writes) * 3600.0 / 1e6
                           * MAX (ab_pricing_value (pricing, kind, "requests_per_message"), 1.0)
                           * ab_pricing_value (pricing, kind, "per_million_requests");
          break;
        case AB_KIND_OBJECT_STORE:
          item->requests = reads * 3.6 * ab_pricing_value (pricing, kind, "per_thousand_reads")
                           + writes * 3.6 * ab_pricing_value (pricing, kind, "per_thousand_writes");
          break;
        case AB_KIND_CDN:
          item->requests = reads * pricing->bytes_per_response * 3600.0 / 1e9
                           * ab_pricing_value (pricing, kind, "per_gb")
                           + (reads + writes) * 3.6 * ab_pricing_value (pricing, kind, "per_thousand_reads");
          break;
        case AB_KIND_LB:
          {
            double gb_per_hour = (reads + writes) * pricing->bytes_per_request * 3600.0 / 1e9;
            double per_lcu = ab_pricing_value (pricing, kind, "lcu_gb_per_hour");
            item->requests = per_lcu > 0.0 ? gb_per_hour / per_lcu * ab_pricing_value (pricing, kind, "per_lcu_hour") : 0.0;
          }
          break;
        default:
          break;
        }
      item->total = item->compute + item->storage + item->requests;
      cost->per_hour += item->total;
    }
  cost->per_month = cost->per_hour * pricing->hours_per_month;
  return cost;
}

void
ab_cost_free (AbCost *cost)
{
  if (cost == NULL)
    return;
  g_free (cost->items);
  g_free (cost);
}

AbCost *
ab_cost_for_model (const AbPricing     *pricing,
                   const AbNetwork     *network,
                   const AbModelResult *result,
                   double               dataset_bytes)
{
  g_autofree double *inst = NULL;

  g_return_val_if_fail (pricing != NULL && network != NULL && result != NULL, NULL);

  inst = g_new (double, MAX (result->n_stations, 1));
  for (guint i = 0; i < result->n_stations; i++)
    inst[i] = result->stations[i].instances;
  return ab_cost_compute (pricing, network, inst, result->node_rps, dataset_bytes);
}

AbCost *
ab_cost_for_des (const AbPricing         *pricing,
                 const AbNetwork         *network,
                 const AbDesStationStats *stations,
                 const AbModelResult     *mix,
                 double                   dataset_bytes)
{
  guint n;
  g_autofree double *inst = NULL;
  g_autofree double *rps = NULL;

  g_return_val_if_fail (pricing != NULL && network != NULL && stations != NULL && mix != NULL, NULL);

  n = network->n_stations;
  inst = g_new (double, MAX (n, 1));
  rps = g_new0 (double, MAX (n, 1) * AB_N_CLASSES);
  for (guint i = 0; i < n; i++)
    {
      double offered = mix->stations[i].offered_rps;

      inst[i] = stations[i].instances;
      /* the DES counts completions per station; split them by the model's
       * class mix at the station */
      for (int k = 0; k < AB_N_CLASSES; k++)
        rps[i * AB_N_CLASSES + k] = offered > 0.0
                                    ? stations[i].served_rps * mix->node_rps[i * AB_N_CLASSES + k] / offered
                                    : 0.0;
    }
  return ab_cost_compute (pricing, network, inst, rps, dataset_bytes);
}
