/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Problems: the in-memory form, loading and validating problem JSON files
 * (every error located at FILE:LINE:COL), serialising back, and problem
 * sets (the embedded shipped set, or a folder). */
#define G_LOG_DOMAIN "archboard-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "ab-json-loc.h"
#include "ab-catalog.h"
#include "ab-problem.h"
#include "ab-problem-private.h"
#include "ab-problems-resources.h"
#include "ab-workload.h"

#define AB_PROBLEM_FORMAT_NAME    "archboard-problem"
#define AB_PROBLEM_FORMAT_VERSION 1
#define AB_PROBLEM_RESOURCE_ROOT  "/io/github/archboard/Archboard/problems/"
#define AB_PROBLEM_MAX_INSTANCES  100000
#define AB_PROBLEM_MAX_COORD      1e6

struct _AbProblemSet {
  GPtrArray  *problems; /* of AbProblem* (owned refs) */
  GHashTable *by_id;    /* id -> AbProblem* (borrowed) */
};

/* ---- construction and freeing ---- */

AbProblem *
ab_problem_new (void)
{
  AbProblem *problem = g_new0 (AbProblem, 1);

  g_atomic_ref_count_init (&problem->ref_count);
  problem->nonfunctional = g_ptr_array_new_with_free_func ((GDestroyNotify) ab_target_free);
  problem->constants = g_ptr_array_new_with_free_func ((GDestroyNotify) ab_constant_free);
  problem->tiers = g_ptr_array_new_with_free_func ((GDestroyNotify) ab_tier_free);
  problem->reference_components = g_ptr_array_new_with_free_func ((GDestroyNotify) ab_ref_component_free);
  problem->reference_connections = g_ptr_array_new_with_free_func ((GDestroyNotify) ab_ref_connection_free);
  problem->amendments = g_ptr_array_new_with_free_func ((GDestroyNotify) ab_amendment_free);
  problem->functional = g_new0 (char *, 1);
  problem->hints = g_new0 (char *, 1);
  problem->workload.peak_multiplier = 10;
  return problem;
}

void
ab_target_free (AbTarget *target)
{
  if (target == NULL)
    return;
  g_free (target->label);
  g_free (target->text);
  g_free (target->applies_to);
  g_free (target->source);
  g_free (target->unmeetable);
  g_free (target->phase);
  g_free (target);
}

void
ab_tier_rule_free (AbTierRule *rule)
{
  if (rule == NULL)
    return;
  g_free (rule->text);
  g_free (rule);
}

void
ab_tier_free (AbTier *tier)
{
  if (tier == NULL)
    return;
  g_free (tier->name);
  g_clear_pointer (&tier->rules, g_ptr_array_unref);
  g_free (tier);
}

void
ab_ref_component_free (AbRefComponent *component)
{
  if (component == NULL)
    return;
  g_free (component->name);
  g_free (component->kind_string);
  g_clear_pointer (&component->params, g_ptr_array_unref);
  g_free (component);
}

void
ab_ref_param_free (AbRefParam *param)
{
  if (param == NULL)
    return;
  g_free (param->name);
  g_free (param);
}

void
ab_ref_component_set_param (AbRefComponent *component,
                            const char     *name,
                            double          value)
{
  AbRefParam *param;

  if (component->params == NULL)
    component->params = g_ptr_array_new_with_free_func ((GDestroyNotify) ab_ref_param_free);
  for (guint i = 0; i < component->params->len; i++)
    {
      param = g_ptr_array_index (component->params, i);
      if (strcmp (param->name, name) == 0)
        {
          param->value = value;
          return;
        }
    }
  param = g_new0 (AbRefParam, 1);
  param->name = g_strdup (name);
  param->value = value;
  g_ptr_array_add (component->params, param);
}

void
ab_ref_connection_free (AbRefConnection *connection)
{
  if (connection == NULL)
    return;
  g_free (connection->from);
  g_free (connection->to);
  g_free (connection->mode);
  g_free (connection);
}

void
ab_amendment_free (AbAmendment *amendment)
{
  if (amendment == NULL)
    return;
  g_free (amendment->what);
  g_free (amendment->quote);
  g_free (amendment);
}

void
ab_constant_free (AbConstant *constant)
{
  if (constant == NULL)
    return;
  g_free (constant->name);
  g_clear_pointer (&constant->value, json_node_unref);
  g_free (constant);
}

void
ab_workload_clear (AbWorkload *workload)
{
  g_clear_pointer (&workload->read_note, g_free);
  g_clear_pointer (&workload->write_note, g_free);
  g_clear_pointer (&workload->peak_note, g_free);
  g_clear_pointer (&workload->dataset_note, g_free);
  g_clear_pointer (&workload->search_note, g_free);
}

AbProblem *
ab_problem_ref (AbProblem *problem)
{
  g_return_val_if_fail (problem != NULL, NULL);
  g_atomic_ref_count_inc (&problem->ref_count);
  return problem;
}

void
ab_problem_unref (AbProblem *problem)
{
  g_return_if_fail (problem != NULL);
  if (!g_atomic_ref_count_dec (&problem->ref_count))
    return;
  g_free (problem->id);
  g_free (problem->title);
  g_free (problem->category);
  g_free (problem->difficulty);
  g_free (problem->summary);
  g_free (problem->goal);
  g_free (problem->description);
  g_strfreev (problem->functional);
  g_ptr_array_unref (problem->nonfunctional);
  g_ptr_array_unref (problem->constants);
  g_free (problem->available);
  g_strfreev (problem->hints);
  g_ptr_array_unref (problem->tiers);
  g_free (problem->reference_text);
  g_ptr_array_unref (problem->reference_components);
  g_ptr_array_unref (problem->reference_connections);
  g_ptr_array_unref (problem->amendments);
  g_free (problem->analysis);
  ab_workload_clear (&problem->workload);
  g_clear_pointer (&problem->source, ab_problem_unref);
  g_free (problem);
}

const AbProblem *
ab_problem_get_source (const AbProblem *problem)
{
  g_return_val_if_fail (problem != NULL, NULL);
  return problem->source != NULL ? problem->source : problem;
}

/* ---- small lookups ---- */

static const char * const target_type_names[] = {
  [AB_TARGET_LATENCY] = "latency",
  [AB_TARGET_RATE] = "rate",
  [AB_TARGET_AVAILABILITY] = "availability",
  [AB_TARGET_BUDGET] = "budget",
  [AB_TARGET_DATASET] = "dataset",
  [AB_TARGET_OTHER] = "other",
  [AB_TARGET_LAG] = "lag",
};

const char *
ab_target_type_to_string (AbTargetType type)
{
  if ((guint) type >= G_N_ELEMENTS (target_type_names))
    return NULL;
  return target_type_names[type];
}

gboolean
ab_target_type_from_string (const char   *str,
                            AbTargetType *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (target_type_names); i++)
    if (g_strcmp0 (str, target_type_names[i]) == 0)
      {
        *out = (AbTargetType) i;
        return TRUE;
      }
  return FALSE;
}

static const char * const rate_class_names[] = {
  [AB_RATE_ALL] = "all",
  [AB_RATE_READS] = "reads",
  [AB_RATE_WRITES] = "writes",
  [AB_RATE_SPLIT] = "reads and writes",
};

const char *
ab_rate_class_to_string (AbRateClass klass)
{
  if ((guint) klass >= G_N_ELEMENTS (rate_class_names))
    return rate_class_names[AB_RATE_ALL];
  return rate_class_names[klass];
}

gboolean
ab_rate_class_from_string (const char  *text,
                           AbRateClass *klass)
{
  for (guint i = 0; i < G_N_ELEMENTS (rate_class_names); i++)
    if (g_strcmp0 (text, rate_class_names[i]) == 0)
      {
        *klass = (AbRateClass) i;
        return TRUE;
      }
  return FALSE;
}

AbRateClass
ab_target_rate_class (const AbTarget *target)
{
  AbRateClass klass = AB_RATE_ALL;

  g_return_val_if_fail (target != NULL, AB_RATE_ALL);

  if (target->type != AB_TARGET_RATE)
    return AB_RATE_ALL;
  if (target->read_rps > 0 || target->write_rps > 0)
    return AB_RATE_SPLIT;
  if (!ab_rate_class_from_string (target->applies_to, &klass) || klass == AB_RATE_SPLIT)
    return AB_RATE_ALL;
  return klass;
}

const char *
ab_rule_type_to_string (AbRuleType type)
{
  return type == AB_RULE_MIN_INSTANCES ? "min_instances" : "must_include";
}

gboolean
ab_rule_type_from_string (const char *str,
                          AbRuleType *out)
{
  if (g_strcmp0 (str, "must_include") == 0)
    *out = AB_RULE_MUST_INCLUDE;
  else if (g_strcmp0 (str, "min_instances") == 0)
    *out = AB_RULE_MIN_INSTANCES;
  else
    return FALSE;
  return TRUE;
}

gboolean
ab_problem_difficulty_is_valid (const char *difficulty)
{
  return g_strcmp0 (difficulty, "easy") == 0 ||
         g_strcmp0 (difficulty, "intermediate") == 0 ||
         g_strcmp0 (difficulty, "advanced") == 0;
}

const AbTarget *
ab_problem_find_target (const AbProblem *problem,
                        AbTargetType     type)
{
  g_return_val_if_fail (problem != NULL, NULL);
  for (guint i = 0; i < problem->nonfunctional->len; i++)
    {
      const AbTarget *target = g_ptr_array_index (problem->nonfunctional, i);
      if (target->type == type)
        return target;
    }
  return NULL;
}

const AbConstant *
ab_problem_find_constant (const AbProblem *problem,
                          const char      *name)
{
  for (guint i = 0; i < problem->constants->len; i++)
    {
      const AbConstant *constant = g_ptr_array_index (problem->constants, i);
      if (strcmp (constant->name, name) == 0)
        return constant;
    }
  return NULL;
}

gboolean
ab_problem_get_constant_number (const AbProblem *problem,
                                const char      *name,
                                double          *out)
{
  const AbConstant *constant = ab_problem_find_constant (problem, name);

  if (constant == NULL || !JSON_NODE_HOLDS_VALUE (constant->value))
    return FALSE;
  if (json_node_get_value_type (constant->value) == G_TYPE_INT64 ||
      json_node_get_value_type (constant->value) == G_TYPE_DOUBLE)
    {
      *out = json_node_get_double (constant->value);
      return TRUE;
    }
  return FALSE;
}

AbRefComponent *
ab_problem_find_ref_component (const AbProblem *problem,
                               const char      *name)
{
  for (guint i = 0; i < problem->reference_components->len; i++)
    {
      AbRefComponent *component = g_ptr_array_index (problem->reference_components, i);
      if (strcmp (component->name, name) == 0)
        return component;
    }
  return NULL;
}

gunichar
ab_problem_text_control_char (const char *text)
{
  for (const unsigned char *p = (const unsigned char *) text; *p != '\0'; p++)
    if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
      return *p;
  return 0;
}

#define QUOTE_MAX_BYTES   100
#define MESSAGE_MAX_BYTES 2000

/* The length of the first @max bytes of @text cut at a character boundary. */
static gsize
utf8_prefix (const char *text,
             gsize       len,
             gsize       max)
{
  gsize cut = MIN (len, max);

  while (cut > 0 && cut < len && ((guchar) text[cut] & 0xc0) == 0x80)
    cut--;
  return cut;
}

void
ab_problem_shorten_error (GError *error)
{
  GString *out;
  const char *p;

  if (error == NULL || strlen (error->message) <= 200)
    return;
  out = g_string_new (NULL);
  for (p = error->message; *p != '\0';)
    {
      /* "quoted" as in English or „quoted“ as in German */
      const char *opening = g_str_has_prefix (p, "„") ? "„" : "\"";
      const char *closing = g_str_equal (opening, "„") ? "“" : "\"";
      gsize skip = strlen (opening), end = strlen (closing);
      const char *close;

      if (!g_str_has_prefix (p, opening) || (close = strstr (p + skip, closing)) == NULL)
        {
          g_string_append_c (out, *p++);
          continue;
        }
      if ((gsize) (close - p - skip) > QUOTE_MAX_BYTES + 20)
        {
          g_string_append_len (out, p, skip + utf8_prefix (p + skip, close - p - skip, QUOTE_MAX_BYTES));
          g_string_append (out, "…");
          g_string_append (out, closing);
        }
      else
        g_string_append_len (out, p, close - p + end);
      p = close + end;
    }
  if (out->len > MESSAGE_MAX_BYTES)
    {
      g_string_truncate (out, utf8_prefix (out->str, out->len, MESSAGE_MAX_BYTES));
      g_string_append (out, "…");
    }
  g_free (error->message);
  error->message = g_string_free (out, FALSE);
}

/* ---- serialising ---- */

static gboolean
is_whole (double value)
{
  return value == floor (value) && fabs (value) <= AB_MAX_QUANTITY;
}

static void
add_number (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (builder, name);
  if (is_whole (value))
    json_builder_add_int_value (builder, (gint64) value);
  else
    json_builder_add_double_value (builder, value);
}

/* A copy of a constant's value with whole numbers as integers. */
static JsonNode *
constant_node_copy (JsonNode *node)
{
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      JsonArray *copy = json_array_sized_new (json_array_get_length (array));
      JsonNode *result = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < json_array_get_length (array); i++)
        json_array_add_element (copy, constant_node_copy (json_array_get_element (array, i)));
      json_node_take_array (result, copy);
      return result;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE &&
      is_whole (json_node_get_double (node)))
    {
      JsonNode *result = json_node_new (JSON_NODE_VALUE);
      json_node_set_int (result, (gint64) json_node_get_double (node));
      return result;
    }
  return json_node_copy (node);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value != NULL ? value : "");
}

static void
add_strv (JsonBuilder *builder,
          const char  *name,
          GStrv        strv)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);
}

static void
add_target (JsonBuilder    *builder,
            const AbTarget *target)
{
  json_builder_begin_object (builder);
  add_string (builder, "label", target->label);
  add_string (builder, "text", target->text);
  add_string (builder, "type", ab_target_type_to_string (target->type));
  switch (target->type)
    {
    case AB_TARGET_LATENCY:
      add_number (builder, "percentile", target->percentile);
      add_number (builder, "bound_ms", target->bound_ms);
      add_string (builder, "applies_to", target->applies_to);
      break;
    case AB_TARGET_LAG:
      add_number (builder, "bound_ms", target->bound_ms);
      break;
    case AB_TARGET_RATE:
      add_number (builder, "value", target->value);
      if (target->read_rps > 0 || target->write_rps > 0)
        {
          add_number (builder, "read_rps", target->read_rps);
          add_number (builder, "write_rps", target->write_rps);
        }
      add_string (builder, "applies_to", ab_rate_class_to_string (ab_target_rate_class (target)));
      break;
    case AB_TARGET_AVAILABILITY:
    case AB_TARGET_BUDGET:
    case AB_TARGET_DATASET:
      add_number (builder, "value", target->value);
      break;
    case AB_TARGET_OTHER:
    default:
      break;
    }
  if (target->source != NULL)
    add_string (builder, "source", target->source);
  if (target->phase != NULL)
    add_string (builder, "phase", target->phase);
  if (target->unmeetable != NULL)
    add_string (builder, "unmeetable", target->unmeetable);
  json_builder_end_object (builder);
}

JsonNode *
ab_problem_to_json (const AbProblem *problem)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const AbWorkload *workload = &problem->workload;

  g_return_val_if_fail (problem != NULL, NULL);

  /* A translated shipped problem is written as shipped. */
  if (problem->source != NULL)
    return ab_problem_to_json (problem->source);

  json_builder_begin_object (builder);
  add_string (builder, "format", AB_PROBLEM_FORMAT_NAME);
  add_number (builder, "version", AB_PROBLEM_FORMAT_VERSION);
  add_string (builder, "id", problem->id);
  add_number (builder, "number", problem->number);
  add_string (builder, "title", problem->title);
  add_string (builder, "category", problem->category);
  add_string (builder, "difficulty", problem->difficulty);
  add_string (builder, "summary", problem->summary);
  add_string (builder, "goal", problem->goal);
  add_string (builder, "description", problem->description);
  add_strv (builder, "functional_requirements", problem->functional);

  json_builder_set_member_name (builder, "nonfunctional_requirements");
  json_builder_begin_array (builder);
  for (guint i = 0; i < problem->nonfunctional->len; i++)
    add_target (builder, g_ptr_array_index (problem->nonfunctional, i));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "constants");
  json_builder_begin_object (builder);
  for (guint i = 0; i < problem->constants->len; i++)
    {
      const AbConstant *constant = g_ptr_array_index (problem->constants, i);
      json_builder_set_member_name (builder, constant->name);
      json_builder_add_value (builder, constant_node_copy (constant->value));
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "available_components");
  json_builder_begin_array (builder);
  for (guint i = 0; i < problem->n_available; i++)
    json_builder_add_string_value (builder, ab_kind_to_string (problem->available[i]));
  json_builder_end_array (builder);

  add_strv (builder, "hints", problem->hints);

  json_builder_set_member_name (builder, "tiers");
  json_builder_begin_array (builder);
  for (guint i = 0; i < problem->tiers->len; i++)
    {
      const AbTier *tier = g_ptr_array_index (problem->tiers, i);

      json_builder_begin_object (builder);
      add_string (builder, "name", tier->name);
      json_builder_set_member_name (builder, "rules");
      json_builder_begin_array (builder);
      for (guint j = 0; j < tier->rules->len; j++)
        {
          const AbTierRule *rule = g_ptr_array_index (tier->rules, j);

          json_builder_begin_object (builder);
          add_string (builder, "text", rule->text);
          add_string (builder, "type", ab_rule_type_to_string (rule->type));
          add_string (builder, "kind", ab_kind_to_string (rule->kind));
          add_number (builder, "count", rule->count);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "reference");
  json_builder_begin_object (builder);
  add_string (builder, "text", problem->reference_text);
  json_builder_set_member_name (builder, "components");
  json_builder_begin_array (builder);
  for (guint i = 0; i < problem->reference_components->len; i++)
    {
      const AbRefComponent *component = g_ptr_array_index (problem->reference_components, i);

      json_builder_begin_object (builder);
      add_string (builder, "name", component->name);
      add_string (builder, "kind", component->kind_string);
      add_number (builder, "instances", component->instances);
      add_number (builder, "x", component->x);
      add_number (builder, "y", component->y);
      if (component->params != NULL && component->params->len > 0)
        {
          json_builder_set_member_name (builder, "params");
          json_builder_begin_object (builder);
          for (guint j = 0; j < component->params->len; j++)
            {
              const AbRefParam *param = g_ptr_array_index (component->params, j);
              add_number (builder, param->name, param->value);
            }
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "connections");
  json_builder_begin_array (builder);
  for (guint i = 0; i < problem->reference_connections->len; i++)
    {
      const AbRefConnection *connection = g_ptr_array_index (problem->reference_connections, i);

      json_builder_begin_object (builder);
      add_string (builder, "from", connection->from);
      add_string (builder, "to", connection->to);
      if (connection->mode != NULL)
        add_string (builder, "mode", connection->mode);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "amendments");
  json_builder_begin_array (builder);
  for (guint i = 0; i < problem->amendments->len; i++)
    {
      const AbAmendment *amendment = g_ptr_array_index (problem->amendments, i);

      json_builder_begin_object (builder);
      add_string (builder, "what", amendment->what);
      add_string (builder, "quote", amendment->quote);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  add_string (builder, "analysis", problem->analysis);

  json_builder_set_member_name (builder, "workload");
  json_builder_begin_object (builder);
  add_number (builder, "read_rps", workload->read_rps);
  add_number (builder, "write_rps", workload->write_rps);
  add_number (builder, "peak_multiplier", workload->peak_multiplier);
  add_number (builder, "dataset_bytes", workload->dataset_bytes);
  add_number (builder, "search_share", workload->search_share);
  add_string (builder, "read_note", workload->read_note);
  add_string (builder, "write_note", workload->write_note);
  add_string (builder, "peak_note", workload->peak_note);
  add_string (builder, "dataset_note", workload->dataset_note);
  add_string (builder, "search_note", workload->search_note);
  json_builder_end_object (builder);

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
append_json_string (GString    *out,
                    const char *str)
{
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *) str; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        default:
          if (*p < 0x20 || *p == 0x7f)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_json_double (GString *out,
                    double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_string_append (out, "0");
      return;
    }
  for (int precision = 1; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  /* Keep a double recognisable as one when it reads back. */
  if (strpbrk (buf, ".eE") == NULL)
    strcat (buf, ".0");
  g_string_append (out, buf);
}

static void
append_pretty (GString  *out,
               JsonNode *node,
               int       depth)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        GList *members = json_object_get_members (object);

        if (members == NULL)
          {
            g_string_append (out, "{}");
            break;
          }
        g_string_append (out, "{\n");
        for (GList *l = members; l != NULL; l = l->next)
          {
            g_string_append_printf (out, "%*s", (depth + 1) * 2, "");
            append_json_string (out, l->data);
            g_string_append (out, ": ");
            append_pretty (out, json_object_get_member (object, l->data), depth + 1);
            g_string_append (out, l->next != NULL ? ",\n" : "\n");
          }
        g_string_append_printf (out, "%*s}", depth * 2, "");
        g_list_free (members);
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        if (n == 0)
          {
            g_string_append (out, "[]");
            break;
          }
        g_string_append (out, "[\n");
        for (guint i = 0; i < n; i++)
          {
            g_string_append_printf (out, "%*s", (depth + 1) * 2, "");
            append_pretty (out, json_array_get_element (array, i), depth + 1);
            g_string_append (out, i + 1 < n ? ",\n" : "\n");
          }
        g_string_append_printf (out, "%*s]", depth * 2, "");
      }
      break;
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;
    case JSON_NODE_VALUE:
    default:
      {
        GType type = json_node_get_value_type (node);

        if (type == G_TYPE_STRING)
          append_json_string (out, json_node_get_string (node));
        else if (type == G_TYPE_INT64)
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
        else if (type == G_TYPE_DOUBLE)
          append_json_double (out, json_node_get_double (node));
        else if (type == G_TYPE_BOOLEAN)
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
        else
          g_string_append (out, "null");
      }
      break;
    }
}

char *
ab_json_to_pretty_text (JsonNode *node,
                        gsize    *length)
{
  GString *out = g_string_new (NULL);

  append_pretty (out, node, 0);
  g_string_append_c (out, '\n');
  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}

char *
ab_problem_to_data (const AbProblem *problem,
                    gsize           *length)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (problem != NULL, NULL);
  node = ab_problem_to_json (problem);
  return ab_json_to_pretty_text (node, length);
}

/* ---- loading ---- */

typedef struct {
  AbJsonDoc *doc;
  GError   **error;
} Loader;

static JsonNode *
member (Loader     *loader,
        JsonNode   *object_node,
        const char *name,
        gboolean    required)
{
  JsonObject *object = json_node_get_object (object_node);
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL && required)
    /* Translators: %s is the name of a member of a JSON object (a name
     * with its value: "name": value) */
    ab_json_doc_error (loader->doc, loader->error, object_node, AB_ERROR_INVALID,
                       _("missing member \"%s\""), name);
  return node;
}

/* @what: "a tier" and the like, in the user's language */
static gboolean
expect_object (Loader     *loader,
               JsonNode   *node,
               const char *what)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    return TRUE;
  /* Translators: %s is what the value stands for, e.g. "a tier" */
  ab_json_doc_error (loader->doc, loader->error, node, AB_ERROR_INVALID,
                     _("%s must be an object"), what);
  return FALSE;
}

/* @what: a member's name (written unquoted) */
static gboolean
expect_array (Loader     *loader,
              JsonNode   *node,
              const char *what)
{
  if (JSON_NODE_HOLDS_ARRAY (node))
    return TRUE;
  /* Translators: %s is the name of a member of the problem file, e.g.
   * "hints" */
  ab_json_doc_error (loader->doc, loader->error, node, AB_ERROR_INVALID,
                     _("%s must be an array"), what);
  return FALSE;
}

/* The value of member @name must be an object. */
static gboolean
expect_member_object (Loader     *loader,
                      JsonNode   *node,
                      const char *name)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    return TRUE;
  /* Translators: %s is the name of a member of the problem file, e.g.
   * "reference" */
  ab_json_doc_error (loader->doc, loader->error, node, AB_ERROR_INVALID,
                     _("\"%s\" must be an object"), name);
  return FALSE;
}

/* The value of member @name must be an array. */
static gboolean
expect_member_array (Loader     *loader,
                     JsonNode   *node,
                     const char *name)
{
  if (JSON_NODE_HOLDS_ARRAY (node))
    return TRUE;
  /* Translators: %s is the name of a member of the problem file, e.g.
   * "tiers" */
  ab_json_doc_error (loader->doc, loader->error, node, AB_ERROR_INVALID,
                     _("\"%s\" must be an array"), name);
  return FALSE;
}

static gboolean
node_is_number (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) &&
         (json_node_get_value_type (node) == G_TYPE_INT64 ||
          json_node_get_value_type (node) == G_TYPE_DOUBLE);
}

static gboolean
check_text (Loader     *loader,
            JsonNode   *node,
            const char *text)
{
  gunichar bad = ab_problem_text_control_char (text);

  if (bad == 0)
    return TRUE;
  ab_json_doc_error (loader->doc, loader->error, node, AB_ERROR_INVALID,
                     _("control character U+%04X in a text"), bad);
  return FALSE;
}

/* Constants: numbers no larger than AB_MAX_QUANTITY, texts without control
 * characters, lists of those. */
static gboolean
check_constant_value (Loader     *loader,
                      JsonNode   *node,
                      const char *name)
{
  if (JSON_NODE_HOLDS_OBJECT (node) || JSON_NODE_HOLDS_NULL (node))
    {
      ab_json_doc_error (loader->doc, loader->error, node, AB_ERROR_INVALID,
                         /* Translators: %s is the constant's name; a boolean
                          * is true or false */
                         _("constant \"%s\" must be a number, a string, a boolean or a list"), name);
      return FALSE;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_ARRAY (element))
            {
              ab_json_doc_error (loader->doc, loader->error, element, AB_ERROR_INVALID,
                                 _("constant \"%s\": lists may not nest"), name);
              return FALSE;
            }
          if (!check_constant_value (loader, element, name))
            return FALSE;
        }
      return TRUE;
    }
  if (node_is_number (node) && !(fabs (json_node_get_double (node)) <= AB_MAX_QUANTITY))
    {
      ab_json_doc_error (loader->doc, loader->error, node, AB_ERROR_INVALID,
                         /* Translators: the constant's name, its value, the
                          * largest value allowed */
                         _("constant \"%s\": %g is larger than %g"), name, json_node_get_double (node),
                         AB_MAX_QUANTITY);
      return FALSE;
    }
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return check_text (loader, node, json_node_get_string (node));
  return TRUE;
}

/* A string member; @out is set to a copy.  Empty strings are refused when
 * @nonempty. */
static gboolean
get_string (Loader     *loader,
            JsonNode   *object_node,
            const char *name,
            gboolean    required,
            gboolean    nonempty,
            char      **out)
{
  JsonNode *node = member (loader, object_node, name, required);

  if (node == NULL)
    return !required;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      ab_json_doc_error (loader->doc, loader->error, node, AB_ERROR_INVALID,
                         _("\"%s\" must be a string"), name);
      return FALSE;
    }
  if (nonempty && *json_node_get_string (node) == '\0')
    {
      ab_json_doc_error (loader->doc, loader->error, node, AB_ERROR_INVALID,
                         _("\"%s\" must not be empty"), name);
      return FALSE;
    }
  if (!check_text (loader, node, json_node_get_string (node)))
    return FALSE;
  g_free (*out);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
get_number (Loader     *loader,
            JsonNode   *object_node,
            const char *name,
            gboolean    required,
            double      min,
            double      max,
            double     *out)
{
  JsonNode *node = member (loader, object_node, name, required);
  double value;

  if (node == NULL)
    return !required;
  if (!node_is_number (node))
    {
      ab_json_doc_error (loader->doc, loader->error, node, AB_ERROR_INVALID,
                         _("\"%s\" must be a number"), name);
      return FALSE;
    }
  value = json_node_get_double (node);
  if (!(value >= min && value <= max))
    {
      ab_json_doc_error (loader->doc, loader->error, node, AB_ERROR_INVALID,
                         /* Translators: a member's name, its value, the
                          * smallest and the largest value allowed */
                         _("\"%s\" is %g, must be between %g and %g"), name, value, min, max);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

static gboolean
get_int (Loader     *loader,
         JsonNode   *object_node,
         const char *name,
         gboolean    required,
         int         min,
         int         max,
         int        *out)
{
  JsonNode *node = member (loader, object_node, name, required);
  double value;

  if (node == NULL)
    return !required;
  value = node_is_number (node) ? json_node_get_double (node) : NAN;
  if (!isfinite (value) || value != floor (value))
    {
      ab_json_doc_error (loader->doc, loader->error, node, AB_ERROR_INVALID,
                         _("\"%s\" must be a whole number"), name);
      return FALSE;
    }
  if (value < min || value > max)
    {
      ab_json_doc_error (loader->doc, loader->error, node, AB_ERROR_INVALID,
                         /* Translators: a member's name, its value, the
                          * smallest and the largest value allowed */
                         _("\"%s\" is %g, must be between %d and %d"), name, value, min, max);
      return FALSE;
    }
  *out = (int) value;
  return TRUE;
}

static gboolean
get_string_list (Loader     *loader,
                 JsonNode   *object_node,
                 const char *name,
                 GStrv      *out)
{
  JsonNode *node = member (loader, object_node, name, TRUE);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (node == NULL || !expect_array (loader, node, name))
    return FALSE;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING ||
          *json_node_get_string (element) == '\0')
        {
          ab_json_doc_error (loader->doc, loader->error, element, AB_ERROR_INVALID,
                             _("every element of \"%s\" must be a non-empty string"), name);
          return FALSE;
        }
      if (!check_text (loader, element, json_node_get_string (element)))
        return FALSE;
      g_strv_builder_add (builder, json_node_get_string (element));
    }
  g_strfreev (*out);
  *out = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
get_kind (Loader     *loader,
          JsonNode   *object_node,
          const char *name,
          AbKind     *out,
          char      **out_string)
{
  JsonNode *node = member (loader, object_node, name, TRUE);
  AbKind kind;

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      ab_json_doc_error (loader->doc, loader->error, node, AB_ERROR_INVALID,
                         _("\"%s\" must be a string"), name);
      return FALSE;
    }
  kind = ab_kind_from_string (json_node_get_string (node));
  if (kind == AB_KIND_INVALID)
    {
      ab_json_doc_error (loader->doc, loader->error, node, AB_ERROR_UNKNOWN_KIND,
                         _("unknown component kind \"%s\""), json_node_get_string (node));
      return FALSE;
    }
  *out = kind;
  if (out_string != NULL)
    *out_string = g_strdup (json_node_get_string (node));
  return TRUE;
}

/* The class a rate target counts: "applies_to" when the file gives it
 * (one of "all", "reads", "writes", "reads and writes", the last exactly
 * when "read_rps" and "write_rps" give a figure each), else read from its
 * text, as the importer reads it (files written before rate targets had
 * one). */
static gboolean
load_rate_class (Loader   *loader,
                 JsonNode *node,
                 AbTarget *target)
{
  gboolean split = target->read_rps > 0 || target->write_rps > 0;
  AbRateClass klass;

  if (target->applies_to == NULL)
    {
      klass = ab_rate_class_parse (target->text);
      if (split)
        klass = AB_RATE_SPLIT;
      else if (klass == AB_RATE_SPLIT)
        klass = AB_RATE_ALL;
      target->applies_to = g_strdup (ab_rate_class_to_string (klass));
      return TRUE;
    }
  if (!ab_rate_class_from_string (target->applies_to, &klass))
    {
      ab_json_doc_error (loader->doc, loader->error, json_object_get_member (json_node_get_object (node), "applies_to"),
                         AB_ERROR_INVALID,
                         /* Translators: the words in quotes are written as in
                          * the problem file; %s is the value found */
                         _("a rate applies to \"all\", \"reads\", \"writes\" or \"reads and writes\", not \"%s\""),
                         target->applies_to);
      return FALSE;
    }
  if ((klass == AB_RATE_SPLIT) != split)
    {
      ab_json_doc_error (loader->doc, loader->error, json_object_get_member (json_node_get_object (node), "applies_to"),
                         AB_ERROR_INVALID,
                         "%s",
                         /* Translators: the words in quotes are written as in
                          * the problem file */
                         split ? _("a rate with \"read_rps\" and \"write_rps\" applies to \"reads and writes\"")
                               : _("a rate that applies to \"reads and writes\" needs \"read_rps\" and \"write_rps\""));
      return FALSE;
    }
  return TRUE;
}

static gboolean
load_target (Loader    *loader,
             JsonNode  *node,
             AbTarget **out)
{
  g_autofree char *label = NULL;
  g_autofree char *text = NULL;
  g_autofree char *type_string = NULL;
  AbTarget *target;

  /* Translators: completes "%s must be an object" */
  if (!expect_object (loader, node, C_("file part", "a non-functional requirement")) ||
      !get_string (loader, node, "label", TRUE, TRUE, &label) ||
      !get_string (loader, node, "text", TRUE, TRUE, &text) ||
      !get_string (loader, node, "type", FALSE, TRUE, &type_string))
    return FALSE;

  if (type_string == NULL)
    {
      /* Hand-written problems may give only label and text. */
      *out = ab_target_parse (label, text);
      return TRUE;
    }

  target = g_new0 (AbTarget, 1);
  target->label = g_steal_pointer (&label);
  target->text = g_steal_pointer (&text);
  *out = target;
  if (!ab_target_type_from_string (type_string, &target->type))
    {
      ab_json_doc_error (loader->doc, loader->error, json_object_get_member (json_node_get_object (node), "type"),
                         AB_ERROR_INVALID,
                         /* Translators: the types in brackets are written as in
                          * the problem file */
                         _("unknown requirement type \"%s\" (latency, rate, availability, budget, dataset, lag or other)"),
                         type_string);
      return FALSE;
    }
  if (!get_string (loader, node, "source", FALSE, TRUE, &target->source) ||
      !get_string (loader, node, "unmeetable", FALSE, TRUE, &target->unmeetable) ||
      !get_string (loader, node, "phase", FALSE, TRUE, &target->phase))
    return FALSE;
  if (target->phase != NULL && !g_str_equal (target->phase, "normal") && !g_str_equal (target->phase, "peak"))
    {
      ab_json_doc_error (loader->doc, loader->error, json_object_get_member (json_node_get_object (node), "phase"),
                         AB_ERROR_INVALID,
                         /* Translators: normal and peak are written as in the
                          * problem file */
                         _("unknown phase \"%s\" (normal or peak)"), target->phase);
      return FALSE;
    }
  switch (target->type)
    {
    case AB_TARGET_LATENCY:
      if (!get_number (loader, node, "percentile", TRUE, 0, 100, &target->percentile) ||
          !get_number (loader, node, "bound_ms", TRUE, 0, 1e9, &target->bound_ms))
        return FALSE;
      if (target->percentile <= 0 || target->percentile >= 100 || target->bound_ms <= 0)
        {
          JsonObject *object = json_node_get_object (node);
          ab_json_doc_error (loader->doc, loader->error,
                             json_object_get_member (object, target->bound_ms <= 0 ? "bound_ms" : "percentile"),
                             AB_ERROR_INVALID,
                             /* Translators: percentile and bound_ms are members
                              * of the problem file */
                             _("a latency target needs 0 < percentile < 100 and bound_ms > 0"));
          return FALSE;
        }
      return
             get_string (loader, node, "applies_to", TRUE, TRUE, &target->applies_to);
    case AB_TARGET_LAG:
      if (!get_number (loader, node, "bound_ms", TRUE, 0, 1e9, &target->bound_ms))
        return FALSE;
      if (target->bound_ms <= 0)
        {
          ab_json_doc_error (loader->doc, loader->error,
                             json_object_get_member (json_node_get_object (node), "bound_ms"),
                             /* Translators: bound_ms is a member of the problem file */
                             AB_ERROR_INVALID, _("a lag target needs bound_ms > 0"));
          return FALSE;
        }
      return TRUE;
    case AB_TARGET_RATE:
      return get_number (loader, node, "value", TRUE, 0, AB_MAX_QUANTITY, &target->value) &&
             get_number (loader, node, "read_rps", FALSE, 0, AB_MAX_QUANTITY, &target->read_rps) &&
             get_number (loader, node, "write_rps", FALSE, 0, AB_MAX_QUANTITY, &target->write_rps) &&
             get_string (loader, node, "applies_to", FALSE, TRUE, &target->applies_to) &&
             load_rate_class (loader, node, target);
    case AB_TARGET_AVAILABILITY:
      return get_number (loader, node, "value", TRUE, 0, 1, &target->value);
    case AB_TARGET_BUDGET:
    case AB_TARGET_DATASET:
      return get_number (loader, node, "value", TRUE, 0, AB_MAX_QUANTITY, &target->value);
    case AB_TARGET_OTHER:
    default:
      return TRUE;
    }
}

static gboolean
load_tier (Loader    *loader,
           JsonNode  *node,
           AbTier   **out)
{
  AbTier *tier = g_new0 (AbTier, 1);
  JsonNode *rules_node;
  JsonArray *rules;

  tier->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) ab_tier_rule_free);
  *out = tier;
  /* Translators: completes "%s must be an object" */
  if (!expect_object (loader, node, C_("file part", "a tier")) ||
      !get_string (loader, node, "name", TRUE, TRUE, &tier->name))
    return FALSE;
  rules_node = member (loader, node, "rules", TRUE);
  if (rules_node == NULL || !expect_member_array (loader, rules_node, "rules"))
    return FALSE;
  rules = json_node_get_array (rules_node);
  if (json_array_get_length (rules) == 0)
    {
      ab_json_doc_error (loader->doc, loader->error, rules_node, AB_ERROR_INVALID,
                         /* Translators: %s is the tier's name */
                         _("tier \"%s\" has no rules"), tier->name);
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (rules); i++)
    {
      JsonNode *rule_node = json_array_get_element (rules, i);
      g_autofree char *text = NULL;
      g_autofree char *type_string = NULL;
      AbTierRule *rule;

      /* Translators: completes "%s must be an object" */
      if (!expect_object (loader, rule_node, C_("file part", "a tier rule")) ||
          !get_string (loader, rule_node, "text", TRUE, TRUE, &text) ||
          !get_string (loader, rule_node, "type", FALSE, TRUE, &type_string))
        return FALSE;
      if (type_string == NULL)
        {
          g_autoptr(GError) local_error = NULL;

          rule = ab_tier_rule_parse (text, &local_error);
          if (rule == NULL)
            {
              ab_json_doc_error (loader->doc, loader->error, rule_node, AB_ERROR_INVALID,
                                 "%s", local_error->message);
              return FALSE;
            }
          g_ptr_array_add (tier->rules, rule);
          continue;
        }
      rule = g_new0 (AbTierRule, 1);
      rule->text = g_steal_pointer (&text);
      rule->count = 1;
      g_ptr_array_add (tier->rules, rule);
      if (!ab_rule_type_from_string (type_string, &rule->type))
        {
          ab_json_doc_error (loader->doc, loader->error,
                             json_object_get_member (json_node_get_object (rule_node), "type"),
                             AB_ERROR_INVALID,
                             /* Translators: must_include and min_instances are
                              * written as in the problem file */
                             _("unknown tier rule type \"%s\" (must_include or min_instances)"), type_string);
          return FALSE;
        }
      if (!get_kind (loader, rule_node, "kind", &rule->kind, NULL) ||
          !get_int (loader, rule_node, "count", rule->type == AB_RULE_MIN_INSTANCES,
                    1, AB_PROBLEM_MAX_INSTANCES, &rule->count))
        return FALSE;
      if (rule->type == AB_RULE_MUST_INCLUDE && rule->count != 1)
        {
          ab_json_doc_error (loader->doc, loader->error, rule_node, AB_ERROR_INVALID,
                             /* Translators: must_include and count are written
                              * as in the problem file */
                             _("a must_include rule has count 1, not %d"), rule->count);
          return FALSE;
        }
    }
  return TRUE;
}

/* "params": { "service_ms": 0.5, ... }: numeric parameters the catalog
 * knows for the component's kind, within their range. */
static gboolean
get_ref_params (Loader         *loader,
                JsonNode       *element,
                AbRefComponent *component)
{
  JsonNode *node = json_object_get_member (json_node_get_object (element), "params");
  g_autoptr(GList) names = NULL;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      ab_json_doc_error (loader->doc, loader->error, node, AB_ERROR_INVALID, _("\"params\" must be an object"));
      return FALSE;
    }
  names = json_object_get_members (json_node_get_object (node));
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (json_node_get_object (node), l->data);
      const AbParamSpec *spec = ab_catalog_get_param (ab_catalog_get_default (), component->kind, l->data);
      double v;

      if (spec == NULL || spec->is_string)
        {
          ab_json_doc_error (loader->doc, loader->error, value, AB_ERROR_INVALID,
                             /* Translators: a component kind's id as in files
                              * (e.g. "cache"), a parameter's name */
                             _("a %s has no numeric parameter \"%s\""), component->kind_string, (const char *) l->data);
          return FALSE;
        }
      if (!JSON_NODE_HOLDS_VALUE (value) || (json_node_get_value_type (value) != G_TYPE_INT64 &&
                                              json_node_get_value_type (value) != G_TYPE_DOUBLE))
        {
          ab_json_doc_error (loader->doc, loader->error, value, AB_ERROR_INVALID,
                             _("parameter \"%s\" must be a number"), (const char *) l->data);
          return FALSE;
        }
      v = json_node_get_double (value);
      if (!(v >= spec->min && v <= spec->max))
        {
          ab_json_doc_error (loader->doc, loader->error, value, AB_ERROR_INVALID,
                             /* Translators: a parameter's name, its value, the
                              * smallest and the largest value allowed */
                             _("parameter \"%s\" is %g, outside %g to %g"), (const char *) l->data, v, spec->min, spec->max);
          return FALSE;
        }
      ab_ref_component_set_param (component, l->data, v);
    }
  return TRUE;
}

static gboolean
load_reference (Loader    *loader,
                JsonNode  *node,
                AbProblem *problem)
{
  JsonNode *components_node, *connections_node;
  JsonArray *components, *connections;

  if (!expect_member_object (loader, node, "reference") ||
      !get_string (loader, node, "text", TRUE, FALSE, &problem->reference_text))
    return FALSE;

  components_node = member (loader, node, "components", TRUE);
  if (components_node == NULL || !expect_member_array (loader, components_node, "components"))
    return FALSE;
  components = json_node_get_array (components_node);
  if (json_array_get_length (components) > AB_REF_MAX_COMPONENTS)
    {
      ab_json_doc_error (loader->doc, loader->error, components_node, AB_ERROR_TOO_LARGE,
                         _("more than %d reference components"), AB_REF_MAX_COMPONENTS);
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (components); i++)
    {
      JsonNode *element = json_array_get_element (components, i);
      AbRefComponent *component = g_new0 (AbRefComponent, 1);

      g_ptr_array_add (problem->reference_components, component);
      component->instances = 1;
      /* Translators: completes "%s must be an object"; the reference is
       * the problem's reference solution */
      if (!expect_object (loader, element, C_("file part", "a reference component")) ||
          !get_string (loader, element, "name", TRUE, TRUE, &component->name) ||
          !get_kind (loader, element, "kind", &component->kind, &component->kind_string) ||
          !get_int (loader, element, "instances", FALSE, 1, AB_PROBLEM_MAX_INSTANCES, &component->instances) ||
          !get_number (loader, element, "x", FALSE, -AB_PROBLEM_MAX_COORD, AB_PROBLEM_MAX_COORD, &component->x) ||
          !get_number (loader, element, "y", FALSE, -AB_PROBLEM_MAX_COORD, AB_PROBLEM_MAX_COORD, &component->y) ||
          !get_ref_params (loader, element, component))
        return FALSE;
      for (guint j = 0; j + 1 < problem->reference_components->len; j++)
        {
          const AbRefComponent *other = g_ptr_array_index (problem->reference_components, j);
          if (strcmp (other->name, component->name) == 0)
            {
              ab_json_doc_error (loader->doc, loader->error, element, AB_ERROR_INVALID,
                                 _("two reference components are named \"%s\""), component->name);
              return FALSE;
            }
        }
    }

  connections_node = member (loader, node, "connections", TRUE);
  if (connections_node == NULL || !expect_member_array (loader, connections_node, "connections"))
    return FALSE;
  connections = json_node_get_array (connections_node);
  if (json_array_get_length (connections) > AB_REF_MAX_CONNECTIONS)
    {
      ab_json_doc_error (loader->doc, loader->error, connections_node, AB_ERROR_TOO_LARGE,
                         _("more than %d reference connections"), AB_REF_MAX_CONNECTIONS);
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (connections); i++)
    {
      JsonNode *element = json_array_get_element (connections, i);
      AbRefConnection *connection = g_new0 (AbRefConnection, 1);
      AbConnMode mode;

      g_ptr_array_add (problem->reference_connections, connection);
      /* Translators: completes "%s must be an object"; the reference is
       * the problem's reference solution */
      if (!expect_object (loader, element, C_("file part", "a reference connection")) ||
          !get_string (loader, element, "from", TRUE, TRUE, &connection->from) ||
          !get_string (loader, element, "to", TRUE, TRUE, &connection->to) ||
          !get_string (loader, element, "mode", FALSE, TRUE, &connection->mode))
        return FALSE;
      if (connection->mode != NULL && !ab_conn_mode_from_string (connection->mode, &mode))
        {
          ab_json_doc_error (loader->doc, loader->error, element, AB_ERROR_INVALID,
                             /* Translators: sync and async are written as in the
                              * problem file */
                             _("connection mode \"%s\" is neither sync nor async"), connection->mode);
          return FALSE;
        }
      if (ab_problem_find_ref_component (problem, connection->from) == NULL)
        {
          ab_json_doc_error (loader->doc, loader->error, element, AB_ERROR_INVALID,
                             _("connection from unknown component \"%s\""), connection->from);
          return FALSE;
        }
      if (ab_problem_find_ref_component (problem, connection->to) == NULL)
        {
          ab_json_doc_error (loader->doc, loader->error, element, AB_ERROR_INVALID,
                             _("connection to unknown component \"%s\""), connection->to);
          return FALSE;
        }
      if (strcmp (connection->from, connection->to) == 0)
        {
          ab_json_doc_error (loader->doc, loader->error, element, AB_ERROR_INVALID,
                             _("component \"%s\" is connected to itself"), connection->from);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
load_workload (Loader     *loader,
               JsonNode   *node,
               AbWorkload *workload)
{
  return expect_member_object (loader, node, "workload") &&
         get_number (loader, node, "read_rps", TRUE, 0, AB_MAX_QUANTITY, &workload->read_rps) &&
         get_number (loader, node, "write_rps", TRUE, 0, AB_MAX_QUANTITY, &workload->write_rps) &&
         get_number (loader, node, "peak_multiplier", TRUE, 1, AB_MAX_QUANTITY, &workload->peak_multiplier) &&
         get_number (loader, node, "dataset_bytes", TRUE, 0, AB_MAX_QUANTITY, &workload->dataset_bytes) &&
         get_number (loader, node, "search_share", TRUE, 0, 1, &workload->search_share) &&
         get_string (loader, node, "read_note", FALSE, FALSE, &workload->read_note) &&
         get_string (loader, node, "write_note", FALSE, FALSE, &workload->write_note) &&
         get_string (loader, node, "peak_note", FALSE, FALSE, &workload->peak_note) &&
         get_string (loader, node, "dataset_note", FALSE, FALSE, &workload->dataset_note) &&
         get_string (loader, node, "search_note", FALSE, FALSE, &workload->search_note);
}

static gboolean
load_problem (Loader    *loader,
              JsonNode  *root,
              AbProblem *problem)
{
  g_autofree char *format = NULL;
  JsonNode *node;
  int version = AB_PROBLEM_FORMAT_VERSION;

  /* Translators: completes "%s must be an object" */
  if (!expect_object (loader, root, C_("file part", "a problem file")))
    return FALSE;

  if (!get_string (loader, root, "format", FALSE, TRUE, &format) ||
      !get_int (loader, root, "version", FALSE, 1, G_MAXINT, &version))
    return FALSE;
  if (format != NULL && strcmp (format, AB_PROBLEM_FORMAT_NAME) != 0)
    {
      ab_json_doc_error (loader->doc, loader->error, json_object_get_member (json_node_get_object (root), "format"),
                         AB_ERROR_INVALID,
                         /* Translators: the format found, the one expected */
                         _("not a problem file (format \"%s\", expected \"%s\")"),
                         format, AB_PROBLEM_FORMAT_NAME);
      return FALSE;
    }
  if (version > AB_PROBLEM_FORMAT_VERSION)
    {
      ab_json_doc_error (loader->doc, loader->error, json_object_get_member (json_node_get_object (root), "version"),
                         AB_ERROR_VERSION,
                         /* Translators: the version of the file, the newest
                          * version this Archboard reads */
                         _("problem format version %d is newer than this Archboard reads (%d)"),
                         version, AB_PROBLEM_FORMAT_VERSION);
      return FALSE;
    }

  if (!get_string (loader, root, "id", TRUE, TRUE, &problem->id))
    return FALSE;
  for (const char *p = problem->id; *p != '\0'; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '-' || *p == '_'))
      {
        ab_json_doc_error (loader->doc, loader->error, json_object_get_member (json_node_get_object (root), "id"),
                           AB_ERROR_INVALID,
                           _("problem id \"%s\" may only hold lower-case letters, digits, '-' and '_'"),
                           problem->id);
        return FALSE;
      }

  if (!get_int (loader, root, "number", FALSE, 0, 1000000, &problem->number) ||
      !get_string (loader, root, "title", TRUE, TRUE, &problem->title) ||
      !get_string (loader, root, "category", TRUE, TRUE, &problem->category) ||
      !get_string (loader, root, "difficulty", TRUE, TRUE, &problem->difficulty))
    return FALSE;
  if (!ab_problem_difficulty_is_valid (problem->difficulty))
    {
      ab_json_doc_error (loader->doc, loader->error, json_object_get_member (json_node_get_object (root), "difficulty"),
                         AB_ERROR_INVALID,
                         /* Translators: easy, intermediate and advanced are
                          * written as in the problem file */
                         _("difficulty \"%s\" must be easy, intermediate or advanced"), problem->difficulty);
      return FALSE;
    }
  if (!get_string (loader, root, "summary", TRUE, FALSE, &problem->summary) ||
      !get_string (loader, root, "goal", TRUE, FALSE, &problem->goal) ||
      !get_string (loader, root, "description", TRUE, FALSE, &problem->description) ||
      !get_string_list (loader, root, "functional_requirements", &problem->functional))
    return FALSE;

  node = member (loader, root, "nonfunctional_requirements", TRUE);
  if (node == NULL || !expect_member_array (loader, node, "nonfunctional_requirements"))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      AbTarget *target = NULL;
      gboolean ok = load_target (loader, json_array_get_element (json_node_get_array (node), i), &target);

      if (target != NULL)
        g_ptr_array_add (problem->nonfunctional, target);
      if (!ok)
        return FALSE;
    }

  node = member (loader, root, "constants", TRUE);
  if (node == NULL || !expect_member_object (loader, node, "constants"))
    return FALSE;
  {
    JsonObject *object = json_node_get_object (node);
    g_autoptr(GList) names = json_object_get_members (object);

    for (GList *l = names; l != NULL; l = l->next)
      {
        JsonNode *value = json_object_get_member (object, l->data);
        AbConstant *constant;

        if (*(const char *) l->data == '\0' || ab_problem_text_control_char (l->data) != 0 ||
            strchr (l->data, '\n') != NULL)
          {
            ab_json_doc_error (loader->doc, loader->error, value, AB_ERROR_INVALID,
                               _("a constant needs a name on one line without control characters"));
            return FALSE;
          }
        if (!check_constant_value (loader, value, l->data))
          return FALSE;
        constant = g_new0 (AbConstant, 1);
        constant->name = g_strdup (l->data);
        constant->value = json_node_copy (value);
        g_ptr_array_add (problem->constants, constant);
      }
  }

  node = member (loader, root, "available_components", TRUE);
  if (node == NULL || !expect_member_array (loader, node, "available_components"))
    return FALSE;
  {
    JsonArray *array = json_node_get_array (node);
    guint n = json_array_get_length (array);

    problem->available = g_new0 (AbKind, MAX (n, 1));
    for (guint i = 0; i < n; i++)
      {
        JsonNode *element = json_array_get_element (array, i);
        AbKind kind = JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING
                      ? ab_kind_from_string (json_node_get_string (element)) : AB_KIND_INVALID;

        if (kind == AB_KIND_INVALID)
          {
            ab_json_doc_error (loader->doc, loader->error, element, AB_ERROR_UNKNOWN_KIND,
                               _("unknown component kind in \"available_components\""));
            return FALSE;
          }
        problem->available[problem->n_available++] = kind;
      }
  }

  if (!get_string_list (loader, root, "hints", &problem->hints))
    return FALSE;

  node = member (loader, root, "tiers", TRUE);
  if (node == NULL || !expect_member_array (loader, node, "tiers"))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      AbTier *tier = NULL;
      gboolean ok = load_tier (loader, json_array_get_element (json_node_get_array (node), i), &tier);

      g_ptr_array_add (problem->tiers, tier);
      if (!ok)
        return FALSE;
    }

  node = member (loader, root, "reference", TRUE);
  if (node == NULL || !load_reference (loader, node, problem))
    return FALSE;

  node = member (loader, root, "amendments", FALSE);
  if (node != NULL)
    {
      if (!expect_member_array (loader, node, "amendments"))
        return FALSE;
      for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
        {
          JsonNode *element = json_array_get_element (json_node_get_array (node), i);
          AbAmendment *amendment = g_new0 (AbAmendment, 1);

          g_ptr_array_add (problem->amendments, amendment);
          /* Translators: completes "%s must be an object"; an amendment
           * corrects a problem's reference solution */
          if (!expect_object (loader, element, C_("file part", "an amendment")) ||
              !get_string (loader, element, "what", TRUE, TRUE, &amendment->what) ||
              !get_string (loader, element, "quote", TRUE, TRUE, &amendment->quote))
            return FALSE;
        }
    }

  if (!get_string (loader, root, "analysis", FALSE, FALSE, &problem->analysis))
    return FALSE;
  if (problem->analysis == NULL)
    problem->analysis = g_strdup ("");

  node = member (loader, root, "workload", FALSE);
  if (node != NULL)
    return load_workload (loader, node, &problem->workload);

  /* Hand-written problems may leave the workload to be derived. */
  ab_problem_derive_workload (problem);
  return TRUE;
}

AbProblem *
ab_problem_load_from_data (const char  *data,
                           gssize       length,
                           const char  *filename,
                           GError     **error)
{
  g_autoptr(AbJsonDoc) doc = NULL;
  g_autoptr(AbProblem) problem = NULL;
  Loader loader;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (filename == NULL)
    filename = "<problem>";
  doc = ab_json_doc_parse (data, length, filename, NULL, error);
  if (doc == NULL)
    return NULL;

  loader.doc = doc;
  loader.error = error;
  problem = ab_problem_new ();
  if (!load_problem (&loader, ab_json_doc_get_root (doc), problem))
    {
      if (error != NULL)
        ab_problem_shorten_error (*error);
      return NULL;
    }
  return g_steal_pointer (&problem);
}

AbProblem *
ab_problem_load_from_file (const char  *path,
                           GError     **error)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &data, &length, &local_error))
    {
      g_set_error (error, AB_ERROR, AB_ERROR_IO, "%s", local_error->message);
      return NULL;
    }
  return ab_problem_load_from_data (data, length, path, error);
}

/* ---- sets ---- */

static int
compare_problems (gconstpointer a,
                  gconstpointer b)
{
  const AbProblem *pa = *(AbProblem * const *) a;
  const AbProblem *pb = *(AbProblem * const *) b;

  if (pa->number != pb->number)
    return pa->number < pb->number ? -1 : 1;
  return strcmp (pa->id, pb->id);
}

static AbProblemSet *
problem_set_new (void)
{
  AbProblemSet *set = g_new0 (AbProblemSet, 1);

  set->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) ab_problem_unref);
  set->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  return set;
}

/* Takes @problem; FALSE (and @problem dropped) on a duplicate id. */
static gboolean
problem_set_add (AbProblemSet *set,
                 AbProblem    *problem,
                 const char   *filename,
                 GError      **error)
{
  AbProblem *existing = g_hash_table_lookup (set->by_id, problem->id);

  if (existing != NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: after "FILE: "; %s is the problem's id */
      message = g_strdup_printf (_("problem id \"%s\" is used by another problem of the set"), problem->id);
      g_set_error (error, AB_ERROR, AB_ERROR_INVALID, "%s: %s", filename, message);
      ab_problem_unref (problem);
      return FALSE;
    }
  g_ptr_array_add (set->problems, problem);
  g_hash_table_insert (set->by_id, problem->id, problem);
  return TRUE;
}

AbProblemSet *
ab_problem_set_load_dir (const char  *dir,
                         GError     **error)
{
  g_autoptr(AbProblemSet) set = problem_set_new ();
  g_autoptr(GDir) gdir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  const char *name;

  g_return_val_if_fail (dir != NULL, NULL);

  gdir = g_dir_open (dir, 0, &local_error);
  if (gdir == NULL)
    {
      g_set_error (error, AB_ERROR, AB_ERROR_IO, "%s", local_error->message);
      return NULL;
    }
  while ((name = g_dir_read_name (gdir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
      AbProblem *problem = ab_problem_load_from_file (path, error);

      if (problem == NULL || !problem_set_add (set, problem, path, error))
        return NULL;
    }
  g_ptr_array_sort (set->problems, compare_problems);
  return g_steal_pointer (&set);
}

/* ---- translation of the shipped problems ---- */

/* Replaces *@text by its translation; FALSE when it stays as it was
 * (empty texts stay empty: "" is the catalogue's header). */
static gboolean
translate_text (char **text)
{
  const char *translated;

  if (*text == NULL || **text == '\0')
    return FALSE;
  translated = g_dgettext (GETTEXT_PACKAGE, *text);
  if (translated == *text || strcmp (translated, *text) == 0)
    return FALSE;
  g_free (*text);
  *text = g_strdup (translated);
  return TRUE;
}

/* Translates the texts people read (po/problem-strings.py extracts the
 * same fields); TRUE when any changed.  Identifiers, numbers, applies_to,
 * the rules' kinds and counts, the reference, amendments, analysis and
 * workload notes stay as written.  A target whose check phase its wording
 * gives ("10k orders/sec peak") keeps that phase, read from the English
 * text before it is translated. */
static gboolean
problem_translate (AbProblem *problem)
{
  gboolean changed = FALSE;

  changed |= translate_text (&problem->title);
  changed |= translate_text (&problem->summary);
  changed |= translate_text (&problem->goal);
  changed |= translate_text (&problem->description);
  for (guint i = 0; problem->functional != NULL && problem->functional[i] != NULL; i++)
    changed |= translate_text (&problem->functional[i]);
  for (guint i = 0; i < problem->nonfunctional->len; i++)
    {
      AbTarget *target = g_ptr_array_index (problem->nonfunctional, i);

      AbCheckPhase phase = ab_target_check_phase (target);

      changed |= translate_text (&target->label);
      if (translate_text (&target->text))
        {
          changed = TRUE;
          if (target->phase == NULL)
            target->phase = g_strdup (phase == AB_CHECK_PHASE_PEAK ? "peak" : "normal");
        }
      changed |= translate_text (&target->unmeetable);
    }
  for (guint i = 0; i < problem->tiers->len; i++)
    {
      AbTier *tier = g_ptr_array_index (problem->tiers, i);

      changed |= translate_text (&tier->name);
      for (guint j = 0; j < tier->rules->len; j++)
        changed |= translate_text (&((AbTierRule *) g_ptr_array_index (tier->rules, j))->text);
    }
  for (guint i = 0; problem->hints != NULL && problem->hints[i] != NULL; i++)
    changed |= translate_text (&problem->hints[i]);
  return changed;
}

/* Loads one shipped problem from @data and translates it, keeping the
 * problem as written in ->source when anything was translated. */
static AbProblem *
load_shipped_problem (const char  *data,
                      gsize        size,
                      const char  *path,
                      GError     **error)
{
  g_autoptr(AbProblem) problem = ab_problem_load_from_data (data, size, path, error);
  g_autoptr(AbProblem) source = NULL;

  if (problem == NULL)
    return NULL;
  source = ab_problem_load_from_data (data, size, path, error);
  if (source == NULL)
    return NULL;
  if (problem_translate (problem))
    problem->source = g_steal_pointer (&source);
  return g_steal_pointer (&problem);
}

static AbProblemSet *
load_default_set (void)
{
  GResource *resource = ab_problems_data_get_resource ();
  AbProblemSet *set = problem_set_new ();
  g_auto(GStrv) folders = NULL;
  g_autoptr(GError) error = NULL;

  folders = g_resource_enumerate_children (resource, AB_PROBLEM_RESOURCE_ROOT,
                                           G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (folders == NULL)
    {
      g_critical ("No embedded problems: %s", error->message);
      return set;
    }
  for (guint i = 0; folders[i] != NULL; i++)
    {
      g_autofree char *folder = g_strconcat (AB_PROBLEM_RESOURCE_ROOT, folders[i], NULL);
      g_auto(GStrv) files = NULL;

      if (!g_str_has_suffix (folders[i], "/"))
        continue;
      files = g_resource_enumerate_children (resource, folder, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
      for (guint j = 0; files != NULL && files[j] != NULL; j++)
        {
          g_autofree char *path = g_strconcat (folder, files[j], NULL);
          g_autoptr(GBytes) bytes = NULL;
          g_autoptr(GError) local_error = NULL;
          AbProblem *problem;
          gsize size;
          const char *data;

          if (!g_str_has_suffix (files[j], ".json"))
            continue;
          bytes = g_resource_lookup_data (resource, path, G_RESOURCE_LOOKUP_FLAGS_NONE, &local_error);
          if (bytes == NULL)
            {
              g_critical ("Embedded problem %s: %s", path, local_error->message);
              continue;
            }
          data = g_bytes_get_data (bytes, &size);
          problem = load_shipped_problem (data, size, path, &local_error);
          if (problem == NULL || !problem_set_add (set, problem, path, &local_error))
            g_critical ("Embedded problem: %s", local_error->message);
        }
    }
  g_ptr_array_sort (set->problems, compare_problems);
  return set;
}

AbProblemSet *
ab_problem_set_get_default (void)
{
  static gsize initialised = 0;
  static AbProblemSet *default_set = NULL;

  if (g_once_init_enter (&initialised))
    {
      default_set = load_default_set ();
      g_once_init_leave (&initialised, 1);
    }
  return default_set;
}

void
ab_problem_set_free (AbProblemSet *set)
{
  if (set == NULL)
    return;
  g_ptr_array_unref (set->problems);
  g_hash_table_unref (set->by_id);
  g_free (set);
}

guint
ab_problem_set_get_n (AbProblemSet *set)
{
  g_return_val_if_fail (set != NULL, 0);
  return set->problems->len;
}

AbProblem *
ab_problem_set_get_nth (AbProblemSet *set,
                        guint         index)
{
  g_return_val_if_fail (set != NULL, NULL);
  g_return_val_if_fail (index < set->problems->len, NULL);
  return g_ptr_array_index (set->problems, index);
}

AbProblem *
ab_problem_set_lookup (AbProblemSet *set,
                       const char   *id)
{
  g_return_val_if_fail (set != NULL, NULL);
  if (id == NULL)
    return NULL;
  return g_hash_table_lookup (set->by_id, id);
}
