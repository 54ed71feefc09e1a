/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The markdown importer: turns a problem set written like
 * problems/storage.md into AbProblems (strictly: any malformed section is
 * an error "FILE:LINE: problem ID: what is wrong" and nothing is returned),
 * and applies a hand-written amendments file to the reference solutions. */
#define G_LOG_DOMAIN "archboard-core"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "ab-catalog.h"
#include "ab-design-private.h"
#include "ab-import.h"
#include "ab-save.h"
#include "ab-json-loc.h"
#include "ab-problem-private.h"

#define MAX_MARKDOWN_BYTES (16u << 20)

typedef struct {
  const char *text; /* NUL-terminated, in Importer.text */
  int         number; /* 1-based line number */
} Line;

/* The file's lines: one copy of the text with the line ends replaced by
 * NULs and where each line starts (4 bytes a line, so a file of empty
 * lines costs 5 times its size, not 70). */
typedef struct {
  const char *filename;
  char       *text;
  GArray     *starts;   /* of guint32: offset of each line in text */
  GError    **error;
  Line        current;  /* what line_at() returned last */
} Importer;

/* One "### Section" of a problem: lines [first, end). */
typedef struct {
  const char *name;
  guint       header;
  guint       first;
  guint       end;
} Section;

static const char * const section_names[] = {
  "Summary",
  "Goal",
  "Description",
  "Functional Requirements",
  "Non-Functional Requirements",
  "Constants/Assumptions",
  "Available Components",
  "Hints",
  "Tiers/Checkpoints",
  "Reference Solution",
  "Solution Analysis",
};

enum {
  SEC_SUMMARY,
  SEC_GOAL,
  SEC_DESCRIPTION,
  SEC_FUNCTIONAL,
  SEC_NONFUNCTIONAL,
  SEC_CONSTANTS,
  SEC_AVAILABLE,
  SEC_HINTS,
  SEC_TIERS,
  SEC_REFERENCE,
  SEC_ANALYSIS,
  N_SECTIONS
};

typedef struct {
  Importer  *importer;
  AbProblem *problem;
  char      *who;       /* "problem basic-database-design" */
  Section    sections[N_SECTIONS];
} ProblemBlock;

static const Line *
line_at (Importer *importer,
         guint     index)
{
  /* Valid until the next call. */
  importer->current.text = importer->text + g_array_index (importer->starts, guint32, index);
  importer->current.number = (int) index + 1;
  return &importer->current;
}

static gboolean
is_blank (const char *text)
{
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

static void G_GNUC_PRINTF (5, 6)
fail (ProblemBlock *block,
      guint         line_index,
      AbErrorCode   code,
      GError      **error,
      const char   *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;
  int number = line_index < block->importer->starts->len
               ? line_at (block->importer, line_index)->number
               : (int) block->importer->starts->len;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, AB_ERROR, code, "%s:%d: %s: %s",
               block->importer->filename, number, block->who, message);
  if (error != NULL)
    ab_problem_shorten_error (*error);
}

/* "**Name:** value" -> name, value (stripped). */
static gboolean
split_bold_label (const char  *text,
                  char       **name,
                  char       **value)
{
  const char *end;

  if (!g_str_has_prefix (text, "**"))
    return FALSE;
  end = strstr (text + 2, ":**");
  if (end == NULL || end == text + 2)
    return FALSE;
  *name = g_strstrip (g_strndup (text + 2, end - (text + 2)));
  *value = g_strstrip (g_strdup (end + 3));
  return TRUE;
}

/* "- item" (or "* item") -> item. */
static const char *
list_item (const char *text)
{
  while (*text == ' ')
    text++;
  if ((text[0] == '-' || text[0] == '*') && text[1] == ' ')
    return text + 2;
  return NULL;
}

/* The section's text with blank lines at both ends dropped, inner lines as
 * written. */
static char *
section_text (ProblemBlock  *block,
              const Section *section)
{
  GString *out = g_string_new (NULL);
  guint first = section->first, end = section->end;

  while (first < end && is_blank (line_at (block->importer, first)->text))
    first++;
  while (end > first && is_blank (line_at (block->importer, end - 1)->text))
    end--;
  for (guint i = first; i < end; i++)
    {
      if (i > first)
        g_string_append_c (out, '\n');
      g_string_append (out, line_at (block->importer, i)->text);
    }
  return g_string_free (out, FALSE);
}

static gboolean
parse_text_section (ProblemBlock *block,
                    int           which,
                    char        **out)
{
  Section *section = &block->sections[which];
  char *text = section_text (block, section);

  if (*text == '\0')
    {
      fail (block, section->header, AB_ERROR_PARSE, block->importer->error,
            _("section \"%s\" is empty"), section->name);
      g_free (text);
      return FALSE;
    }
  *out = text;
  return TRUE;
}

static gboolean
parse_list_section (ProblemBlock *block,
                    int           which,
                    gboolean      numbered,
                    GStrv        *out)
{
  Section *section = &block->sections[which];
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n = 0;

  for (guint i = section->first; i < section->end; i++)
    {
      const char *text = line_at (block->importer, i)->text;
      const char *item = NULL;

      if (is_blank (text))
        continue;
      if (numbered)
        {
          const char *p = text;
          while (g_ascii_isdigit (*p))
            p++;
          if (p > text && p[0] == '.' && p[1] == ' ')
            item = p + 2;
        }
      else
        item = list_item (text);
      if (item == NULL || is_blank (item))
        {
          if (numbered)
            /* Translators: the section's name, the line found */
            fail (block, i, AB_ERROR_PARSE, block->importer->error,
                  _("section \"%s\": expected a numbered (\"1. ...\") item, found \"%s\""),
                  section->name, text);
          else
            /* Translators: the section's name, the line found */
            fail (block, i, AB_ERROR_PARSE, block->importer->error,
                  _("section \"%s\": expected a list (\"- ...\") item, found \"%s\""),
                  section->name, text);
          return FALSE;
        }
      {
        g_autofree char *copy = g_strstrip (g_strdup (item));
        g_strv_builder_add (builder, copy);
      }
      n++;
    }
  if (n == 0)
    {
      fail (block, section->header, AB_ERROR_PARSE, block->importer->error,
            _("section \"%s\" has no items"), section->name);
      return FALSE;
    }
  g_strfreev (*out);
  *out = g_strv_builder_end (builder);
  return TRUE;
}

/* ---- constants ---- */

static JsonNode *
scalar_value (const char *text,
              gboolean   *bad_number)
{
  JsonNode *node;
  char *end;
  double value;

  *bad_number = FALSE;
  if (*text != '\0' && (g_ascii_isdigit (*text) || ((*text == '-' || *text == '+' || *text == '.') &&
                                                      g_ascii_isdigit (text[1]))))
    {
      errno = 0;
      value = g_ascii_strtod (text, &end);
      if (*end == '\0')
        {
          if (!isfinite (value) || errno == ERANGE || fabs (value) > AB_MAX_QUANTITY)
            {
              *bad_number = TRUE;
              return NULL;
            }
          node = json_node_new (JSON_NODE_VALUE);
          if (value == floor (value))
            json_node_set_int (node, (gint64) value);
          else
            json_node_set_double (node, value);
          return node;
        }
    }
  node = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (node, text);
  return node;
}

static JsonNode *
constant_value (const char *text,
                gboolean   *bad_number)
{
  g_autofree char *inner = NULL;
  g_auto(GStrv) items = NULL;
  JsonArray *array;
  JsonNode *node;
  gsize len = strlen (text);

  if (len >= 2 && text[0] == '[' && text[len - 1] == ']')
    inner = g_strndup (text + 1, len - 2);
  else if (strchr (text, ',') != NULL)
    inner = g_strdup (text);
  else
    return scalar_value (text, bad_number);

  items = g_strsplit (inner, ",", -1);
  array = json_array_new ();
  for (guint i = 0; items[i] != NULL; i++)
    {
      char *item = g_strstrip (items[i]);
      JsonNode *element;

      if (*item == '\0')
        continue;
      element = scalar_value (item, bad_number);
      if (element == NULL)
        {
          json_array_unref (array);
          return NULL;
        }
      json_array_add_element (array, element);
    }
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  return node;
}

static gboolean
parse_constants (ProblemBlock *block)
{
  Section *section = &block->sections[SEC_CONSTANTS];

  for (guint i = section->first; i < section->end; i++)
    {
      const char *text = line_at (block->importer, i)->text;
      const char *item = list_item (text);
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;
      gboolean bad_number;
      AbConstant *constant;
      JsonNode *node;

      if (is_blank (text))
        continue;
      if (item == NULL || !split_bold_label (item, &name, &value) || *value == '\0')
        {
          fail (block, i, AB_ERROR_PARSE, block->importer->error,
                /* Translators: the markdown in quotes is what to write, as in the
                 * file; %s is the line found */
                _("expected a constant \"- **name:** value\", found \"%s\""), text);
          return FALSE;
        }
      if (ab_problem_find_constant (block->problem, name) != NULL)
        {
          fail (block, i, AB_ERROR_INVALID, block->importer->error,
                _("constant \"%s\" is given twice"), name);
          return FALSE;
        }
      node = constant_value (value, &bad_number);
      if (node == NULL)
        {
          fail (block, i, AB_ERROR_PARSE, block->importer->error,
                _("constant \"%s\": bad number \"%s\""), name, value);
          return FALSE;
        }
      constant = g_new0 (AbConstant, 1);
      constant->name = g_steal_pointer (&name);
      constant->value = node;
      g_ptr_array_add (block->problem->constants, constant);
    }
  return TRUE;
}

/* ---- value ranges of the requirements ---- */

static gboolean
label_has (const char *label,
           const char *word)
{
  g_autofree char *lower = g_ascii_strdown (label, -1);

  return strstr (lower, word) != NULL;
}

static gboolean
is_rate_label (const char *label)
{
  return label_has (label, "rate") || label_has (label, "throughput");
}

/* Every number of a requirement within its range: percentages 0 to 100,
 * percentiles more than 0 and at most 100, latencies more than 0, rates
 * more than 0.  A '-' right before a number is a minus sign unless it
 * follows a letter or digit ("sub-10cm"). */
static gboolean
check_numbers (ProblemBlock *block,
               guint         line,
               const char   *label,
               const char   *text)
{
  gboolean latency = label_has (label, "latency");
  gboolean rate = is_rate_label (label);

  for (const char *p = text; *p != '\0'; p++)
    {
      g_autofree char *number = NULL;
      const char *start = p, *after;
      gboolean negative = FALSE, percentile = FALSE;
      double value;

      if (!g_ascii_isdigit (*p) || (p > text && (g_ascii_isdigit (p[-1]) || p[-1] == '.' || p[-1] == ',')))
        continue;
      if (p > text && p[-1] == '-' && (p - 1 == text || !g_ascii_isalnum (p[-2])))
        negative = TRUE, start = p - 1;
      if (p > text && (p[-1] == 'P' || p[-1] == 'p') && (p - 1 == text || !g_ascii_isalnum (p[-2])))
        percentile = TRUE;
      while (g_ascii_isdigit (*p) || *p == '.' || (*p == ',' && g_ascii_isdigit (p[1])))
        p++;
      number = g_strndup (start, (gsize) (p - start));
      {
        /* "1,000" -> "1000" */
        char *w = number;
        for (const char *r = number; *r != '\0'; r++)
          if (*r != ',')
            *w++ = *r;
        *w = '\0';
      }
      value = g_ascii_strtod (number, NULL);
      after = p;
      while (*after == ' ')
        after++;
      p--;

      if (*after == '%' && (value < 0 || value > 100))
        {
          fail (block, line, AB_ERROR_INVALID, block->importer->error,
                /* Translators: the requirement's label (e.g. "Availability"), the
                 * number written */
                _("%s: %s%% is not a percentage (0 to 100)"), label, number);
          return FALSE;
        }
      if (percentile && !(value > 0 && value <= 100))
        {
          fail (block, line, AB_ERROR_INVALID, block->importer->error,
                /* Translators: the requirement's label, the number written */
                _("%s: percentile P%s must be more than 0 and at most 100"), label, number);
          return FALSE;
        }
      if (latency && !percentile && *after != '%' && !(value > 0) &&
          (g_str_has_prefix (after, "ms") || g_str_has_prefix (after, "s") ||
           g_str_has_prefix (after, "us") || g_str_has_prefix (after, "\xc2\xb5s")))
        {
          fail (block, line, AB_ERROR_INVALID, block->importer->error,
                /* Translators: the requirement's label, then the latency written
                 * (a number and its unit, e.g. "0ms") */
                _("%s: latency %s%.*s must be more than 0"), label, number,
                (int) strspn (after, "mscu\xc2\xb5"), after);
          return FALSE;
        }
      if (rate && negative)
        {
          fail (block, line, AB_ERROR_INVALID, block->importer->error,
                /* Translators: the requirement's label, the number written */
                _("%s: rate %s must be more than 0"), label, number);
          return FALSE;
        }
    }
  return TRUE;
}

/* A rate requirement that states numbers must state a rate the simulation
 * can use ("5,000 requests/s"); otherwise it would silently have none. */
static gboolean
check_rate_parsed (ProblemBlock *block,
                   guint         line,
                   const char   *label,
                   const char   *text)
{
  GPtrArray *targets = block->problem->nonfunctional;
  const AbTarget *target = g_ptr_array_index (targets, targets->len - 1);

  if (!is_rate_label (label) || strpbrk (text, "0123456789") == NULL)
    return TRUE;
  if (target->type == AB_TARGET_RATE && target->value > 0)
    return TRUE;
  fail (block, line, AB_ERROR_INVALID, block->importer->error,
        /* Translators: the requirement's label, its text, the largest rate
         * allowed; "5,000 requests/s" is an example of what to write */
        _("%s: no usable rate in \"%s\" (write e.g. \"5,000 requests/s\"; "
        "more than 0 and at most %.0f a second)"), label, text, AB_MAX_QUANTITY / 2);
  return FALSE;
}

static gboolean
parse_nonfunctional (ProblemBlock *block)
{
  Section *section = &block->sections[SEC_NONFUNCTIONAL];

  for (guint i = section->first; i < section->end; i++)
    {
      const char *text = line_at (block->importer, i)->text;
      const char *item = list_item (text);
      g_autofree char *label = NULL;
      g_autofree char *value = NULL;

      if (is_blank (text))
        continue;
      if (item == NULL || !split_bold_label (item, &label, &value) || *value == '\0')
        {
          fail (block, i, AB_ERROR_PARSE, block->importer->error,
                /* Translators: the markdown in quotes is what to write, as in the
                 * file; %s is the line found */
                _("expected a requirement \"- **Label:** text\", found \"%s\""), text);
          return FALSE;
        }
      if (!check_numbers (block, i, label, value))
        return FALSE;
      g_ptr_array_add (block->problem->nonfunctional, ab_target_parse (label, value));
      if (!check_rate_parsed (block, i, label, value))
        return FALSE;
    }
  if (block->problem->nonfunctional->len == 0)
    {
      fail (block, section->header, AB_ERROR_PARSE, block->importer->error,
            _("section \"%s\" has no items"), section->name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_available (ProblemBlock *block)
{
  Section *section = &block->sections[SEC_AVAILABLE];
  AbProblem *problem = block->problem;

  problem->available = g_new0 (AbKind, section->end - section->first + 1);
  for (guint i = section->first; i < section->end; i++)
    {
      const char *text = line_at (block->importer, i)->text;
      const char *item = list_item (text);
      g_autofree char *kind_string = NULL;
      AbKind kind;

      if (is_blank (text))
        continue;
      if (item == NULL)
        {
          fail (block, i, AB_ERROR_PARSE, block->importer->error,
                _("expected a component kind \"- kind\", found \"%s\""), text);
          return FALSE;
        }
      kind_string = g_strstrip (g_strdup (item));
      kind = ab_kind_from_string (kind_string);
      if (kind == AB_KIND_INVALID)
        {
          fail (block, i, AB_ERROR_UNKNOWN_KIND, block->importer->error,
                _("unknown component kind \"%s\""), kind_string);
          return FALSE;
        }
      for (guint j = 0; j < problem->n_available; j++)
        if (problem->available[j] == kind)
          {
            fail (block, i, AB_ERROR_INVALID, block->importer->error,
                  _("component kind \"%s\" is listed twice"), kind_string);
            return FALSE;
          }
      problem->available[problem->n_available++] = kind;
    }
  if (problem->n_available == 0)
    {
      fail (block, section->header, AB_ERROR_PARSE, block->importer->error,
            _("section \"%s\" has no items"), section->name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_tiers (ProblemBlock *block)
{
  Section *section = &block->sections[SEC_TIERS];
  AbTier *tier = NULL;
  guint tier_line = section->header;

  for (guint i = section->first; i < section->end; i++)
    {
      const char *text = line_at (block->importer, i)->text;
      const char *item = list_item (text);
      gsize len = strlen (text);

      if (is_blank (text))
        continue;
      if (len > 4 && g_str_has_prefix (text, "**") && g_str_has_suffix (text, "**"))
        {
          if (tier != NULL && tier->rules->len == 0)
            {
              fail (block, tier_line, AB_ERROR_PARSE, block->importer->error,
                    _("tier \"%s\" has no rules"), tier->name);
              return FALSE;
            }
          tier = g_new0 (AbTier, 1);
          tier->name = g_strstrip (g_strndup (text + 2, len - 4));
          if (*tier->name == '\0')
            {
              ab_tier_free (tier);
              fail (block, i, AB_ERROR_PARSE, block->importer->error, _("a tier without a name"));
              return FALSE;
            }
          tier->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) ab_tier_rule_free);
          g_ptr_array_add (block->problem->tiers, tier);
          tier_line = i;
          for (guint j = 0; j + 1 < block->problem->tiers->len; j++)
            if (strcmp (((AbTier *) g_ptr_array_index (block->problem->tiers, j))->name, tier->name) == 0)
              {
                fail (block, i, AB_ERROR_INVALID, block->importer->error,
                      _("tier \"%s\" is given twice"), tier->name);
                return FALSE;
              }
          continue;
        }
      if (item == NULL)
        {
          fail (block, i, AB_ERROR_PARSE, block->importer->error,
                /* Translators: the markdown in quotes is what to write, as in the
                 * file; %s is the line found */
                _("expected a tier \"**T0: Name**\" or a rule \"  - Must include: KIND\", found \"%s\""), text);
          return FALSE;
        }
      if (tier == NULL)
        {
          fail (block, i, AB_ERROR_PARSE, block->importer->error,
                _("tier rule \"%s\" before any tier name"), item);
          return FALSE;
        }
      {
        g_autofree char *rule_text = g_strstrip (g_strdup (item));
        g_autoptr(GError) local_error = NULL;
        AbTierRule *rule = ab_tier_rule_parse (rule_text, &local_error);

        if (rule == NULL)
          {
            fail (block, i, local_error->code, block->importer->error, "%s", local_error->message);
            return FALSE;
          }
        g_ptr_array_add (tier->rules, rule);
      }
    }
  if (tier == NULL)
    {
      fail (block, section->header, AB_ERROR_PARSE, block->importer->error,
            _("section \"%s\" has no tiers"), section->name);
      return FALSE;
    }
  if (tier->rules->len == 0)
    {
      fail (block, tier_line, AB_ERROR_PARSE, block->importer->error,
            _("tier \"%s\" has no rules"), tier->name);
      return FALSE;
    }
  return TRUE;
}

/* "Hot Tier (S3 Standard) (object_store)": the kind is the last group. */
static gboolean
split_component (const char  *item,
                 char       **name,
                 char       **kind)
{
  g_autofree char *copy = g_strstrip (g_strdup (item));
  gsize len = strlen (copy);
  char *open;

  if (len < 4 || copy[len - 1] != ')')
    return FALSE;
  copy[len - 1] = '\0';
  open = strrchr (copy, '(');
  if (open == NULL || open == copy)
    return FALSE;
  *open = '\0';
  *kind = g_strstrip (g_strdup (open + 1));
  *name = g_strstrip (g_strdup (copy));
  return **name != '\0';
}

static gboolean
split_connection (const char  *item,
                  char       **from,
                  char       **to)
{
  static const char * const arrows[] = { " → ", " -> " };

  for (guint i = 0; i < G_N_ELEMENTS (arrows); i++)
    {
      const char *arrow = strstr (item, arrows[i]);

      if (arrow == NULL)
        continue;
      *from = g_strstrip (g_strndup (item, arrow - item));
      *to = g_strstrip (g_strdup (arrow + strlen (arrows[i])));
      if (**from == '\0' || **to == '\0')
        {
          g_clear_pointer (from, g_free);
          g_clear_pointer (to, g_free);
          return FALSE;
        }
      return TRUE;
    }
  return FALSE;
}

static gboolean
parse_reference (ProblemBlock *block)
{
  Section *section = &block->sections[SEC_REFERENCE];
  AbProblem *problem = block->problem;
  g_autoptr(GString) text = g_string_new (NULL);
  enum { TEXT, COMPONENTS, CONNECTIONS } part = TEXT;
  guint components_line = 0;

  for (guint i = section->first; i < section->end; i++)
    {
      const char *line = line_at (block->importer, i)->text;
      const char *item;

      if (strcmp (line, "**Components:**") == 0)
        {
          if (part != TEXT)
            {
              fail (block, i, AB_ERROR_PARSE, block->importer->error,
                    _("\"**Components:**\" must come once, before \"**Connections:**\""));
              return FALSE;
            }
          part = COMPONENTS;
          components_line = i;
          continue;
        }
      if (strcmp (line, "**Connections:**") == 0)
        {
          if (part != COMPONENTS)
            {
              fail (block, i, AB_ERROR_PARSE, block->importer->error,
                    _("\"**Connections:**\" must come once, after \"**Components:**\""));
              return FALSE;
            }
          part = CONNECTIONS;
          continue;
        }
      if (part == TEXT)
        {
          if (text->len > 0 || !is_blank (line))
            g_string_append_printf (text, "%s\n", line);
          continue;
        }
      if (is_blank (line))
        continue;
      item = list_item (line);
      if (item == NULL)
        {
          if (part == COMPONENTS)
            /* Translators: %s is the line found; "- Name (kind)" is the
             * markdown expected, as written in the file */
            fail (block, i, AB_ERROR_PARSE, block->importer->error,
                  _("expected a component item \"- Name (kind)\", found \"%s\""), line);
          else
            /* Translators: %s is the line found; "- From → To" is the
             * markdown expected, as written in the file */
            fail (block, i, AB_ERROR_PARSE, block->importer->error,
                  _("expected a connection item \"- From → To\", found \"%s\""), line);
          return FALSE;
        }
      if (part == COMPONENTS)
        {
          g_autofree char *name = NULL, *kind_string = NULL;
          AbRefComponent *component;
          AbKind kind;

          if (!split_component (item, &name, &kind_string))
            {
              fail (block, i, AB_ERROR_PARSE, block->importer->error,
                    _("expected a component \"Name (kind)\", found \"%s\""), item);
              return FALSE;
            }
          kind = ab_kind_from_string (kind_string);
          if (kind == AB_KIND_INVALID)
            {
              fail (block, i, AB_ERROR_UNKNOWN_KIND, block->importer->error,
                    _("component \"%s\" has unknown kind \"%s\""), name, kind_string);
              return FALSE;
            }
          if (ab_problem_find_ref_component (problem, name) != NULL)
            {
              fail (block, i, AB_ERROR_INVALID, block->importer->error,
                    _("two reference components are named \"%s\""), name);
              return FALSE;
            }
          if (problem->reference_components->len >= AB_REF_MAX_COMPONENTS)
            {
              fail (block, i, AB_ERROR_TOO_LARGE, block->importer->error,
                    _("more than %d reference components"), AB_REF_MAX_COMPONENTS);
              return FALSE;
            }
          component = g_new0 (AbRefComponent, 1);
          component->name = g_steal_pointer (&name);
          component->kind = kind;
          component->kind_string = g_steal_pointer (&kind_string);
          component->instances = 1;
          g_ptr_array_add (problem->reference_components, component);
        }
      else
        {
          g_autofree char *from = NULL, *to = NULL;
          AbRefConnection *connection;

          if (!split_connection (item, &from, &to))
            {
              fail (block, i, AB_ERROR_PARSE, block->importer->error,
                    _("expected a connection \"From → To\", found \"%s\""), item);
              return FALSE;
            }
          if (ab_problem_find_ref_component (problem, from) == NULL)
            {
              fail (block, i, AB_ERROR_INVALID, block->importer->error,
                    _("connection from unknown component \"%s\""), from);
              return FALSE;
            }
          if (ab_problem_find_ref_component (problem, to) == NULL)
            {
              fail (block, i, AB_ERROR_INVALID, block->importer->error,
                    _("connection to unknown component \"%s\""), to);
              return FALSE;
            }
          if (strcmp (from, to) == 0)
            {
              fail (block, i, AB_ERROR_INVALID, block->importer->error,
                    _("component \"%s\" is connected to itself"), from);
              return FALSE;
            }
          {
            /* The same rule as a design's connections (a design made from
             * this reference must load). */
            AbCatalog *catalog = ab_catalog_get_default ();
            AbKind from_kind = ab_problem_find_ref_component (problem, from)->kind;
            AbKind to_kind = ab_problem_find_ref_component (problem, to)->kind;

            if (!ab_catalog_can_connect (catalog, from_kind, to_kind))
              {
                g_autofree char *why = ab_catalog_explain_refusal (catalog, from_kind, to_kind);
                fail (block, i, AB_ERROR_INVALID, block->importer->error,
                      _("connection \"%s → %s\" is not allowed: %s"), from, to, why);
                return FALSE;
              }
          }
          for (guint j = 0; j < problem->reference_connections->len; j++)
            {
              const AbRefConnection *other = g_ptr_array_index (problem->reference_connections, j);
              if (strcmp (other->from, from) == 0 && strcmp (other->to, to) == 0)
                {
                  fail (block, i, AB_ERROR_INVALID, block->importer->error,
                        _("connection \"%s → %s\" is given twice"), from, to);
                  return FALSE;
                }
            }
          if (problem->reference_connections->len >= AB_REF_MAX_CONNECTIONS)
            {
              fail (block, i, AB_ERROR_TOO_LARGE, block->importer->error,
                    _("more than %d reference connections"), AB_REF_MAX_CONNECTIONS);
              return FALSE;
            }
          connection = g_new0 (AbRefConnection, 1);
          connection->from = g_steal_pointer (&from);
          connection->to = g_steal_pointer (&to);
          g_ptr_array_add (problem->reference_connections, connection);
        }
    }

  if (part == TEXT)
    {
      fail (block, section->header, AB_ERROR_PARSE, block->importer->error,
            _("the reference solution has no \"**Components:**\" list"));
      return FALSE;
    }
  if (problem->reference_components->len == 0)
    {
      fail (block, components_line, AB_ERROR_PARSE, block->importer->error,
            _("the reference solution lists no components"));
      return FALSE;
    }
  if (part != CONNECTIONS)
    {
      fail (block, section->header, AB_ERROR_PARSE, block->importer->error,
            _("the reference solution has no \"**Connections:**\" list"));
      return FALSE;
    }

  while (text->len > 0 && g_ascii_isspace (text->str[text->len - 1]))
    g_string_truncate (text, text->len - 1);
  if (text->len == 0)
    {
      fail (block, section->header, AB_ERROR_PARSE, block->importer->error,
            _("the reference solution has no text before \"**Components:**\""));
      return FALSE;
    }
  problem->reference_text = g_strdup (text->str);
  return TRUE;
}

/* ---- problem blocks ---- */

static gboolean
parse_header_field (ProblemBlock *block,
                    guint         index,
                    const char   *text)
{
  AbProblem *problem = block->problem;
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;

  if (!split_bold_label (text, &name, &value))
    {
      fail (block, index, AB_ERROR_PARSE, block->importer->error,
            _("expected \"**ID:**\", \"**Category:**\" or \"**Difficulty:**\", found \"%s\""), text);
      return FALSE;
    }
  if (*value == '\0')
    {
      fail (block, index, AB_ERROR_PARSE, block->importer->error, _("\"%s\" is empty"), name);
      return FALSE;
    }
  if (strcmp (name, "ID") == 0 && problem->id == NULL)
    {
      for (const char *p = value; *p != '\0'; p++)
        if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '-' || *p == '_'))
          {
            fail (block, index, AB_ERROR_PARSE, block->importer->error,
                  _("ID \"%s\" may only hold lower-case letters, digits, '-' and '_'"), value);
            return FALSE;
          }
      if (strlen (value) > AB_DESIGN_MAX_ID)
        {
          fail (block, index, AB_ERROR_TOO_LARGE, block->importer->error,
                _("ID is longer than %d characters"), AB_DESIGN_MAX_ID);
          return FALSE;
        }
      problem->id = g_steal_pointer (&value);
      g_free (block->who);
      /* Translators: which problem an error is about, after "FILE:LINE: ";
       * %s is the problem's id */
      block->who = g_strdup_printf (_("problem %s"), problem->id);
    }
  else if (strcmp (name, "Category") == 0 && problem->category == NULL)
    problem->category = g_steal_pointer (&value);
  else if (strcmp (name, "Difficulty") == 0 && problem->difficulty == NULL)
    {
      g_autofree char *lower = g_ascii_strdown (value, -1);
      if (!ab_problem_difficulty_is_valid (lower))
        {
          fail (block, index, AB_ERROR_PARSE, block->importer->error,
                _("difficulty \"%s\" must be Easy, Intermediate or Advanced"), value);
          return FALSE;
        }
      problem->difficulty = g_steal_pointer (&lower);
    }
  else if (strcmp (name, "ID") == 0 || strcmp (name, "Category") == 0 || strcmp (name, "Difficulty") == 0)
    {
      fail (block, index, AB_ERROR_PARSE, block->importer->error, _("\"**%s:**\" is given twice"), name);
      return FALSE;
    }
  else
    {
      fail (block, index, AB_ERROR_PARSE, block->importer->error, _("unknown field \"**%s:**\""), name);
      return FALSE;
    }
  return TRUE;
}

/* Lines [title, end) hold one "## N. Title" problem. */
static AbProblem *
parse_problem (Importer *importer,
               guint     title,
               guint     end)
{
  g_autoptr(AbProblem) problem = ab_problem_new ();
  ProblemBlock block = { importer, problem, NULL, { { 0 } } };
  const char *title_text = line_at (importer, title)->text + 3;
  const char *dot;
  int current = -1;
  guint64 number;
  gboolean ok = FALSE;

  dot = strstr (title_text, ". ");
  {
    g_autofree char *digits = dot != NULL ? g_strndup (title_text, dot - title_text) : NULL;

    /* Translators: which problem an error is about, after "FILE:LINE: ";
     * %s is the problem's title line */
    block.who = g_strdup_printf (_("problem \"%s\""), title_text);
    if (digits == NULL || !g_ascii_string_to_unsigned (digits, 10, 1, 1000000, &number, NULL) ||
        is_blank (dot + 2))
      {
        fail (&block, title, AB_ERROR_PARSE, importer->error,
              _("expected a title \"## N. Title\" with N a number from 1"));
        goto out;
      }
  }
  problem->number = (int) number;
  problem->title = g_strstrip (g_strdup (dot + 2));
  g_free (block.who);
  /* Translators: which problem an error is about, after "FILE:LINE: ";
   * %d is the problem's number */
  block.who = g_strdup_printf (_("problem #%d"), problem->number);

  for (guint i = title + 1; i < end; i++)
    {
      const char *text = line_at (importer, i)->text;

      if (g_str_has_prefix (text, "### "))
        {
          g_autofree char *name = g_strstrip (g_strdup (text + 4));
          int which = -1;

          if (current >= 0)
            block.sections[current].end = i;
          for (int s = 0; s < N_SECTIONS; s++)
            if (strcmp (name, section_names[s]) == 0)
              which = s;
          if (which < 0)
            {
              fail (&block, i, AB_ERROR_PARSE, importer->error, _("unknown section \"%s\""), name);
              goto out;
            }
          if (block.sections[which].name != NULL)
            {
              fail (&block, i, AB_ERROR_PARSE, importer->error, _("section \"%s\" is given twice"), name);
              goto out;
            }
          block.sections[which].name = section_names[which];
          block.sections[which].header = i;
          block.sections[which].first = i + 1;
          current = which;
          continue;
        }
      if (current < 0 && !is_blank (text) && !parse_header_field (&block, i, text))
        goto out;
    }
  if (current >= 0)
    {
      guint last = end;

      /* The "---" between problems belongs to no section. */
      while (last > block.sections[current].first &&
             (is_blank (line_at (importer, last - 1)->text) ||
              strcmp (line_at (importer, last - 1)->text, "---") == 0))
        last--;
      block.sections[current].end = last;
    }

  if (problem->id == NULL)
    {
      fail (&block, title, AB_ERROR_PARSE, importer->error, _("missing \"**ID:**\""));
      goto out;
    }
  if (problem->category == NULL)
    {
      fail (&block, title, AB_ERROR_PARSE, importer->error, _("missing \"**Category:**\""));
      goto out;
    }
  if (problem->difficulty == NULL)
    {
      fail (&block, title, AB_ERROR_PARSE, importer->error, _("missing \"**Difficulty:**\""));
      goto out;
    }
  for (int s = 0; s < N_SECTIONS; s++)
    if (block.sections[s].name == NULL)
      {
        fail (&block, title, AB_ERROR_PARSE, importer->error, _("missing section \"### %s\""), section_names[s]);
        goto out;
      }

  if (!parse_text_section (&block, SEC_SUMMARY, &problem->summary) ||
      !parse_text_section (&block, SEC_GOAL, &problem->goal) ||
      !parse_text_section (&block, SEC_DESCRIPTION, &problem->description) ||
      !parse_list_section (&block, SEC_FUNCTIONAL, FALSE, &problem->functional) ||
      !parse_nonfunctional (&block) ||
      !parse_constants (&block) ||
      !parse_available (&block) ||
      !parse_list_section (&block, SEC_HINTS, TRUE, &problem->hints) ||
      !parse_tiers (&block) ||
      !parse_reference (&block) ||
      !parse_text_section (&block, SEC_ANALYSIS, &problem->analysis))
    goto out;

  ab_problem_add_constant_targets (problem);
  ab_problem_derive_workload (problem);
  ab_problem_layout_reference (problem);

  /* What is imported must load as a problem file (string and list bounds
   * of the JSON reader included). */
  {
    g_autofree char *json = ab_problem_to_data (problem, NULL);
    g_autoptr(GError) local_error = NULL;
    g_autoptr(AbProblem) check = ab_problem_load_from_data (json, -1, "<imported>", &local_error);

    if (check == NULL)
      {
        fail (&block, title, local_error->code, importer->error,
              /* Translators: %s is why (an error of the problem file written) */
              _("does not make a valid problem file: %s"), local_error->message);
        goto out;
      }
  }
  ok = TRUE;

out:
  g_free (block.who);
  return ok ? g_steal_pointer (&problem) : NULL;
}

static GPtrArray *
import_markdown (const char  *data,
                 gssize       length,
                 const char  *filename,
                 GError     **error)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) ab_problem_unref);
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autofree char *text = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) numbers = g_hash_table_new (g_direct_hash, g_direct_equal);
  Importer importer = { filename != NULL ? filename : "<markdown>", NULL, starts, error };
  const char *p;
  char *end;
  const char *invalid;
  int declared_total = -1;
  guint declared_line = 0;
  guint first_title = G_MAXUINT;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = strlen (data);
  if ((gsize) length > MAX_MARKDOWN_BYTES)
    {
      g_autofree char *message = g_strdup_printf (_("the file is larger than %u MiB"), MAX_MARKDOWN_BYTES >> 20);

      g_set_error (error, AB_ERROR, AB_ERROR_TOO_LARGE, "%s:1: %s", importer.filename, message);
      return NULL;
    }
  if (!g_utf8_validate (data, length, &invalid))
    {
      int line = 1;
      for (p = data; p < invalid; p++)
        line += *p == '\n';
      g_set_error (error, AB_ERROR, AB_ERROR_PARSE, "%s:%d: %s", importer.filename, line, _("not valid UTF-8 text"));
      return NULL;
    }

  text = g_malloc ((gsize) length + 1);
  memcpy (text, data, length);
  text[length] = '\0';
  importer.text = text;
  end = text + length;
  for (char *q = text; q < end;)
    {
      char *eol = memchr (q, '\n', end - q);
      gsize n = (eol != NULL ? eol : end) - q;
      guint32 start = (guint32) (q - text);
      const Line *line;

      if (n > 0 && q[n - 1] == '\r')
        n--;
      q[n] = '\0';
      g_array_append_val (starts, start);
      line = line_at (&importer, starts->len - 1);
      if (ab_problem_text_control_char (line->text) != 0 || strchr (line->text, '\r') != NULL)
        {
          gunichar bad = ab_problem_text_control_char (line->text);
          g_autofree char *message = g_strdup_printf (_("control character U+%04X in the text"),
                                                      bad != 0 ? bad : '\r');

          g_set_error (error, AB_ERROR, AB_ERROR_PARSE, "%s:%d: %s", importer.filename, line->number, message);
          return NULL;
        }
      for (const char *c = line->text; *c != '\0'; c = g_utf8_next_char (c))
        if (!ab_text_char_is_valid (g_utf8_get_char (c)))
          {
            gunichar bad = g_utf8_get_char (c);
            /* the same message as the JSON reader's */
            g_autofree char *message = g_strdup_printf (_("U+%04X cannot be used in text: it is %s"),
                                                        bad, ab_text_char_describe (bad));

            g_set_error (error, AB_ERROR, AB_ERROR_PARSE, "%s:%d:%ld: %s",
                         importer.filename, line->number, g_utf8_pointer_to_offset (line->text, c) + 1, message);
            return NULL;
          }
      q = eol != NULL ? eol + 1 : end;
    }

  for (guint i = 0; i < starts->len; i++)
    {
      const char *text = line_at (&importer, i)->text;

      if (g_str_has_prefix (text, "## "))
        {
          first_title = i;
          break;
        }
      if (g_str_has_prefix (text, "Total Problems:"))
        {
          guint64 total;
          g_autofree char *digits = g_strstrip (g_strdup (text + strlen ("Total Problems:")));

          if (!g_ascii_string_to_unsigned (digits, 10, 0, 1000000, &total, NULL))
            {
              /* Translators: %s is the line ("Total Problems: N") */
              g_autofree char *message = g_strdup_printf (_("bad number in \"%s\""), text);

              g_set_error (error, AB_ERROR, AB_ERROR_PARSE, "%s:%d: %s", importer.filename, i + 1, message);
              return NULL;
            }
          declared_total = (int) total;
          declared_line = i;
        }
    }
  if (first_title == G_MAXUINT)
    {
      g_set_error (error, AB_ERROR, AB_ERROR_PARSE, "%s:%u: %s", importer.filename, MAX (starts->len, 1),
                   /* Translators: "## N. Title" is markdown, as written in the file */
                   _("no problem (\"## N. Title\") in the file"));
      return NULL;
    }

  for (guint start = first_title; start < starts->len;)
    {
      guint stop = start + 1;
      AbProblem *problem;

      while (stop < starts->len && !g_str_has_prefix (line_at (&importer, stop)->text, "## "))
        stop++;
      problem = parse_problem (&importer, start, stop);
      if (problem == NULL)
        return NULL;
      if (g_hash_table_contains (ids, problem->id))
        {
          g_autofree char *who = g_strdup_printf (_("problem %s"), problem->id);

          g_set_error (error, AB_ERROR, AB_ERROR_INVALID, "%s:%d: %s: %s",
                       importer.filename, line_at (&importer, start)->number, who,
                       _("the ID is used by another problem"));
          ab_problem_unref (problem);
          return NULL;
        }
      if (g_hash_table_contains (numbers, GINT_TO_POINTER (problem->number)))
        {
          g_autofree char *who = g_strdup_printf (_("problem %s"), problem->id);
          g_autofree char *message = g_strdup_printf (_("number %d is used by another problem"), problem->number);

          g_set_error (error, AB_ERROR, AB_ERROR_INVALID, "%s:%d: %s: %s",
                       importer.filename, line_at (&importer, start)->number, who, message);
          ab_problem_unref (problem);
          return NULL;
        }
      g_hash_table_add (ids, problem->id);
      g_hash_table_add (numbers, GINT_TO_POINTER (problem->number));
      g_ptr_array_add (problems, problem);
      start = stop;
    }

  if (declared_total >= 0 && (guint) declared_total != problems->len)
    {
      /* Translators: "Total Problems" is written as in the file; the number
       * it gives, the number of problems in the file */
      g_autofree char *message = g_strdup_printf (_("\"Total Problems: %d\" but the file holds %u"),
                                                  declared_total, problems->len);

      g_set_error (error, AB_ERROR, AB_ERROR_INVALID, "%s:%u: %s", importer.filename, declared_line + 1, message);
      return NULL;
    }
  return g_steal_pointer (&problems);
}

/* ---- amendments ---- */

typedef struct {
  AbJsonDoc *doc;
  GError   **error;
} AmendContext;

static const char *
amend_string (AmendContext *ctx,
              JsonNode     *object_node,
              const char   *name)
{
  JsonNode *node = json_object_get_member (json_node_get_object (object_node), name);

  if (node == NULL)
    {
      ab_json_doc_error (ctx->doc, ctx->error, object_node, AB_ERROR_INVALID, _("missing member \"%s\""), name);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
      *json_node_get_string (node) == '\0')
    {
      ab_json_doc_error (ctx->doc, ctx->error, node, AB_ERROR_INVALID, _("\"%s\" must be a non-empty string"), name);
      return NULL;
    }
  return json_node_get_string (node);
}

static gboolean
amend_instances (AmendContext *ctx,
                 JsonNode     *object_node,
                 int          *out)
{
  JsonNode *node = json_object_get_member (json_node_get_object (object_node), "instances");
  double value;

  if (node == NULL)
    {
      ab_json_doc_error (ctx->doc, ctx->error, object_node, AB_ERROR_INVALID, _("missing member \"instances\""));
      return FALSE;
    }
  value = JSON_NODE_HOLDS_VALUE (node) &&
          (json_node_get_value_type (node) == G_TYPE_INT64 || json_node_get_value_type (node) == G_TYPE_DOUBLE)
          ? json_node_get_double (node) : NAN;
  if (!isfinite (value) || value != floor (value) || value < 1 || value > 100000)
    {
      ab_json_doc_error (ctx->doc, ctx->error, node, AB_ERROR_INVALID,
                         _("\"instances\" must be a whole number from 1 to 100000"));
      return FALSE;
    }
  *out = (int) value;
  return TRUE;
}

/* Where an amendment's justification may come from: the reference text
 * first, else the statement: a requirement ("Label: text" for a
 * non-functional one, as written), or "name: value" for a constant. */
static gboolean
quote_is_in_problem (const AbProblem *problem,
                     const char      *quote)
{
  if (strstr (problem->reference_text, quote) != NULL || strstr (problem->description, quote) != NULL)
    return TRUE;
  for (guint i = 0; problem->functional[i] != NULL; i++)
    if (strstr (problem->functional[i], quote) != NULL)
      return TRUE;
  for (guint i = 0; i < problem->nonfunctional->len; i++)
    {
      const AbTarget *target = g_ptr_array_index (problem->nonfunctional, i);
      g_autofree char *written = NULL;

      if (target->source != NULL || target->text == NULL)
        continue;
      written = target->label != NULL ? g_strdup_printf ("%s: %s", target->label, target->text) : g_strdup (target->text);
      if (strstr (written, quote) != NULL)
        return TRUE;
    }
  for (guint i = 0; i < problem->constants->len; i++)
    {
      const AbConstant *constant = g_ptr_array_index (problem->constants, i);
      g_autofree char *written = NULL;

      if (JSON_NODE_HOLDS_VALUE (constant->value) && json_node_get_value_type (constant->value) == G_TYPE_STRING)
        written = g_strdup_printf ("%s: %s", constant->name, json_node_get_string (constant->value));
      else
        {
          g_autoptr(JsonGenerator) generator = json_generator_new ();
          g_autofree char *value = NULL;

          json_generator_set_root (generator, constant->value);
          value = json_generator_to_data (generator, NULL);
          written = g_strdup_printf ("%s: %s", constant->name, value);
        }
      if (strcmp (written, quote) == 0)
        return TRUE;
    }
  return FALSE;
}

/* A number member of an amendment's operation, within [@min, @max]. */
static gboolean
amend_number (AmendContext *ctx,
              JsonNode     *object_node,
              const char   *name,
              double        min,
              double        max,
              double       *out)
{
  JsonNode *node = json_object_get_member (json_node_get_object (object_node), name);
  double value;

  if (node == NULL)
    {
      ab_json_doc_error (ctx->doc, ctx->error, object_node, AB_ERROR_INVALID, _("missing member \"%s\""), name);
      return FALSE;
    }
  value = JSON_NODE_HOLDS_VALUE (node) &&
          (json_node_get_value_type (node) == G_TYPE_INT64 || json_node_get_value_type (node) == G_TYPE_DOUBLE)
          ? json_node_get_double (node) : NAN;
  if (!(value >= min && value <= max))
    {
      ab_json_doc_error (ctx->doc, ctx->error, node, AB_ERROR_INVALID, _("\"%s\" must be a number from %g to %g"),
                         name, min, max);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

/* set_param { component, name, value }: a numeric parameter of a
 * reference component (the catalog's range); set_target { label, phase?,
 * unmeetable? }: where a requirement is judged, or why no design meets it;
 * set_workload { read_rps?, write_rps?, peak_multiplier?, note }: a
 * workload figure the text implies, the note saying how. */
static gboolean
amend_extra (AmendContext *ctx,
             AbProblem    *problem,
             JsonObject   *object,
             JsonNode     *op,
             const char   *what,
             const char   *quote)
{
  JsonObject *o = json_node_get_object (op);

  if (json_object_has_member (object, "set_param"))
    {
      const char *name, *param;
      AbRefComponent *component;
      const AbParamSpec *spec;
      double value;

      if ((name = amend_string (ctx, op, "component")) == NULL || (param = amend_string (ctx, op, "name")) == NULL)
        return FALSE;
      component = ab_problem_find_ref_component (problem, name);
      if (component == NULL)
        {
          ab_json_doc_error (ctx->doc, ctx->error, op, AB_ERROR_NOT_FOUND,
                             /* Translators: the problem's id, a component of its reference
                              * solution */
                             _("problem %s has no reference component \"%s\""), problem->id, name);
          return FALSE;
        }
      spec = ab_catalog_get_param (ab_catalog_get_default (), component->kind, param);
      if (spec == NULL || spec->is_string)
        {
          ab_json_doc_error (ctx->doc, ctx->error, op, AB_ERROR_INVALID, _("a %s has no numeric parameter \"%s\""),
                             component->kind_string, param);
          return FALSE;
        }
      if (!amend_number (ctx, op, "value", spec->min, spec->max, &value))
        return FALSE;
      ab_ref_component_set_param (component, param, value);
    }
  else if (json_object_has_member (object, "set_target"))
    {
      const char *label, *phase = NULL, *unmeetable = NULL;
      AbTarget *target = NULL;

      if ((label = amend_string (ctx, op, "label")) == NULL ||
          (json_object_has_member (o, "phase") && (phase = amend_string (ctx, op, "phase")) == NULL) ||
          (json_object_has_member (o, "unmeetable") && (unmeetable = amend_string (ctx, op, "unmeetable")) == NULL))
        return FALSE;
      for (guint i = 0; i < problem->nonfunctional->len && target == NULL; i++)
        {
          AbTarget *t = g_ptr_array_index (problem->nonfunctional, i);
          if (g_strcmp0 (t->label, label) == 0)
            target = t;
        }
      if (target == NULL)
        {
          ab_json_doc_error (ctx->doc, ctx->error, op, AB_ERROR_NOT_FOUND,
                             _("problem %s has no requirement labelled \"%s\""), problem->id, label);
          return FALSE;
        }
      if (phase != NULL && strcmp (phase, "normal") != 0 && strcmp (phase, "peak") != 0)
        {
          ab_json_doc_error (ctx->doc, ctx->error, op, AB_ERROR_INVALID, _("\"phase\" is normal or peak"));
          return FALSE;
        }
      if (phase == NULL && unmeetable == NULL)
        {
          ab_json_doc_error (ctx->doc, ctx->error, op, AB_ERROR_INVALID, _("set_target sets \"phase\" or \"unmeetable\""));
          return FALSE;
        }
      if (phase != NULL)
        {
          g_free (target->phase);
          target->phase = g_strdup (phase);
        }
      if (unmeetable != NULL)
        {
          g_free (target->unmeetable);
          target->unmeetable = g_strdup (unmeetable);
        }
    }
  else
    {
      AbWorkload *w = &problem->workload;
      const char *note;
      char *rate;
      double value;
      gboolean any = FALSE;

      if ((note = amend_string (ctx, op, "note")) == NULL)
        return FALSE;
      if (json_object_has_member (o, "read_rps"))
        {
          if (!amend_number (ctx, op, "read_rps", 0, 1e9, &value))
            return FALSE;
          w->read_rps = value;
          g_free (w->read_note);
          rate = ab_problem_format_rate (value);
          w->read_note = g_strdup_printf ("%s/s: %s (\"%s\")", rate, note, quote);
          g_clear_pointer (&rate, g_free);
          any = TRUE;
        }
      if (json_object_has_member (o, "write_rps"))
        {
          if (!amend_number (ctx, op, "write_rps", 0, 1e9, &value))
            return FALSE;
          w->write_rps = value;
          g_free (w->write_note);
          rate = ab_problem_format_rate (value);
          w->write_note = g_strdup_printf ("%s/s: %s (\"%s\")", rate, note, quote);
          g_clear_pointer (&rate, g_free);
          any = TRUE;
        }
      if (json_object_has_member (o, "peak_multiplier"))
        {
          if (!amend_number (ctx, op, "peak_multiplier", 1, 100, &value))
            return FALSE;
          w->peak_multiplier = value;
          g_free (w->peak_note);
          w->peak_note = g_strdup_printf ("%gx: %s (\"%s\")", value, note, quote);
          any = TRUE;
        }
      if (!any)
        {
          ab_json_doc_error (ctx->doc, ctx->error, op, AB_ERROR_INVALID,
                             _("set_workload sets \"read_rps\", \"write_rps\" or \"peak_multiplier\""));
          return FALSE;
        }
    }
  return TRUE;
}

/* remove_component { name }: a component the markdown draws that its text
 * does not describe, with every connection to or from it. */
static gboolean
amend_remove_component (AmendContext *ctx,
                        AbProblem    *problem,
                        JsonNode     *op)
{
  const char *name;

  if ((name = amend_string (ctx, op, "name")) == NULL)
    return FALSE;
  for (guint i = 0; i < problem->reference_components->len; i++)
    {
      const AbRefComponent *component = g_ptr_array_index (problem->reference_components, i);

      if (strcmp (component->name, name) != 0)
        continue;
      for (guint j = problem->reference_connections->len; j > 0; j--)
        {
          const AbRefConnection *connection = g_ptr_array_index (problem->reference_connections, j - 1);
          if (strcmp (connection->from, name) == 0 || strcmp (connection->to, name) == 0)
            g_ptr_array_remove_index (problem->reference_connections, j - 1);
        }
      g_ptr_array_remove_index (problem->reference_components, i);
      return TRUE;
    }
  ab_json_doc_error (ctx->doc, ctx->error, op, AB_ERROR_NOT_FOUND,
                     _("problem %s has no reference component \"%s\""), problem->id, name);
  return FALSE;
}

/* set_connection { from, to, mode }: a reference connection the text
 * describes as asynchronous ("Async persistence to PostgreSQL") or
 * synchronous; remove_connection { from, to }: one the markdown draws on a
 * path its text does not put it on (it is redrawn with add_connection). */
static gboolean
amend_connection (AmendContext *ctx,
                  AbProblem    *problem,
                  JsonObject   *object,
                  JsonNode     *op)
{
  const char *from, *to, *mode = NULL;
  AbConnMode parsed;
  gboolean remove = json_object_has_member (object, "remove_connection");

  if ((from = amend_string (ctx, op, "from")) == NULL || (to = amend_string (ctx, op, "to")) == NULL ||
      (!remove && (mode = amend_string (ctx, op, "mode")) == NULL))
    return FALSE;
  if (mode != NULL && !ab_conn_mode_from_string (mode, &parsed))
    {
      ab_json_doc_error (ctx->doc, ctx->error, op, AB_ERROR_INVALID, _("\"mode\" is sync or async"));
      return FALSE;
    }
  for (guint i = 0; i < problem->reference_connections->len; i++)
    {
      AbRefConnection *connection = g_ptr_array_index (problem->reference_connections, i);

      if (strcmp (connection->from, from) != 0 || strcmp (connection->to, to) != 0)
        continue;
      if (remove)
        g_ptr_array_remove_index (problem->reference_connections, i);
      else
        {
          g_free (connection->mode);
          connection->mode = g_strdup (mode);
        }
      return TRUE;
    }
  ab_json_doc_error (ctx->doc, ctx->error, op, AB_ERROR_NOT_FOUND,
                     _("problem %s has no reference connection \"%s\" → \"%s\""), problem->id, from, to);
  return FALSE;
}

static gboolean
apply_one (AmendContext *ctx,
           AbProblem    *problem,
           JsonNode     *node)
{
  JsonObject *object;
  const char *what, *quote, *why = NULL;
  JsonNode *op;
  guint n_ops = 0;
  AbAmendment *amendment;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      ab_json_doc_error (ctx->doc, ctx->error, node, AB_ERROR_INVALID, _("an amendment must be an object"));
      return FALSE;
    }
  object = json_node_get_object (node);
  if ((what = amend_string (ctx, node, "what")) == NULL ||
      (quote = amend_string (ctx, node, "quote")) == NULL)
    return FALSE;
  if (json_object_has_member (object, "why") && (why = amend_string (ctx, node, "why")) == NULL)
    return FALSE;
  if (!quote_is_in_problem (problem, quote))
    {
      ab_json_doc_error (ctx->doc, ctx->error, json_object_get_member (object, "quote"), AB_ERROR_INVALID,
                         _("the quote is not in the reference text, description, requirements "
                         "or constants of problem %s"), problem->id);
      return FALSE;
    }
  n_ops = json_object_has_member (object, "set_instances") + json_object_has_member (object, "add_component") +
          json_object_has_member (object, "add_connection") + json_object_has_member (object, "set_param") +
          json_object_has_member (object, "set_target") + json_object_has_member (object, "set_workload") +
          json_object_has_member (object, "set_connection") + json_object_has_member (object, "remove_connection") +
          json_object_has_member (object, "remove_component");
  if (n_ops != 1 || json_object_get_size (object) != 3 + (why != NULL))
    {
      ab_json_doc_error (ctx->doc, ctx->error, node, AB_ERROR_INVALID,
                         /* Translators: the words in quotes are written as in the amendments
                          * file */
                         _("an amendment holds \"what\", \"quote\", optionally \"why\", and exactly one of "
                         "\"set_instances\", \"add_component\", \"add_connection\", \"set_param\", "
                         "\"set_target\", \"set_workload\", \"set_connection\", \"remove_connection\", "
                         "\"remove_component\""));
      return FALSE;
    }

  if ((op = json_object_get_member (object, "set_param")) != NULL ||
      (op = json_object_get_member (object, "set_target")) != NULL ||
      (op = json_object_get_member (object, "set_workload")) != NULL)
    {
      if (!JSON_NODE_HOLDS_OBJECT (op))
        {
          ab_json_doc_error (ctx->doc, ctx->error, op, AB_ERROR_INVALID, _("the operation must be an object"));
          return FALSE;
        }
      if (!amend_extra (ctx, problem, object, op, what, quote))
        return FALSE;
    }
  else if ((op = json_object_get_member (object, "set_connection")) != NULL ||
           (op = json_object_get_member (object, "remove_connection")) != NULL)
    {
      if (!JSON_NODE_HOLDS_OBJECT (op))
        {
          ab_json_doc_error (ctx->doc, ctx->error, op, AB_ERROR_INVALID, _("the operation must be an object"));
          return FALSE;
        }
      if (!amend_connection (ctx, problem, object, op))
        return FALSE;
    }
  else if ((op = json_object_get_member (object, "remove_component")) != NULL)
    {
      if (!JSON_NODE_HOLDS_OBJECT (op))
        {
          ab_json_doc_error (ctx->doc, ctx->error, op, AB_ERROR_INVALID, _("the operation must be an object"));
          return FALSE;
        }
      if (!amend_remove_component (ctx, problem, op))
        return FALSE;
    }
  else if ((op = json_object_get_member (object, "set_instances")) != NULL)
    {
      const char *name;
      AbRefComponent *component;
      int instances;

      if (!JSON_NODE_HOLDS_OBJECT (op))
        {
          ab_json_doc_error (ctx->doc, ctx->error, op, AB_ERROR_INVALID, _("\"set_instances\" must be an object"));
          return FALSE;
        }
      if ((name = amend_string (ctx, op, "component")) == NULL || !amend_instances (ctx, op, &instances))
        return FALSE;
      component = ab_problem_find_ref_component (problem, name);
      if (component == NULL)
        {
          ab_json_doc_error (ctx->doc, ctx->error, op, AB_ERROR_NOT_FOUND,
                             _("problem %s has no reference component \"%s\""), problem->id, name);
          return FALSE;
        }
      component->instances = instances;
    }
  else if ((op = json_object_get_member (object, "add_component")) != NULL)
    {
      const char *name, *kind_string;
      AbRefComponent *component;
      int instances = 1;
      AbKind kind;

      if (!JSON_NODE_HOLDS_OBJECT (op))
        {
          ab_json_doc_error (ctx->doc, ctx->error, op, AB_ERROR_INVALID, _("\"add_component\" must be an object"));
          return FALSE;
        }
      if ((name = amend_string (ctx, op, "name")) == NULL || (kind_string = amend_string (ctx, op, "kind")) == NULL ||
          (json_object_has_member (json_node_get_object (op), "instances") && !amend_instances (ctx, op, &instances)))
        return FALSE;
      kind = ab_kind_from_string (kind_string);
      if (kind == AB_KIND_INVALID)
        {
          ab_json_doc_error (ctx->doc, ctx->error, op, AB_ERROR_UNKNOWN_KIND, _("unknown component kind \"%s\""), kind_string);
          return FALSE;
        }
      if (ab_problem_find_ref_component (problem, name) != NULL)
        {
          ab_json_doc_error (ctx->doc, ctx->error, op, AB_ERROR_INVALID,
                             _("problem %s already has a reference component \"%s\""), problem->id, name);
          return FALSE;
        }
      if (problem->reference_components->len >= AB_REF_MAX_COMPONENTS)
        {
          ab_json_doc_error (ctx->doc, ctx->error, op, AB_ERROR_TOO_LARGE,
                             _("more than %d reference components"), AB_REF_MAX_COMPONENTS);
          return FALSE;
        }
      component = g_new0 (AbRefComponent, 1);
      component->name = g_strdup (name);
      component->kind = kind;
      component->kind_string = g_strdup (kind_string);
      component->instances = instances;
      g_ptr_array_add (problem->reference_components, component);
    }
  else
    {
      const char *from, *to;
      AbRefConnection *connection;

      op = json_object_get_member (object, "add_connection");
      if (!JSON_NODE_HOLDS_OBJECT (op))
        {
          ab_json_doc_error (ctx->doc, ctx->error, op, AB_ERROR_INVALID, _("\"add_connection\" must be an object"));
          return FALSE;
        }
      if ((from = amend_string (ctx, op, "from")) == NULL || (to = amend_string (ctx, op, "to")) == NULL)
        return FALSE;
      if (ab_problem_find_ref_component (problem, from) == NULL || ab_problem_find_ref_component (problem, to) == NULL)
        {
          ab_json_doc_error (ctx->doc, ctx->error, op, AB_ERROR_NOT_FOUND,
                             _("problem %s has no reference component \"%s\""), problem->id,
                             ab_problem_find_ref_component (problem, from) == NULL ? from : to);
          return FALSE;
        }
      if (strcmp (from, to) == 0)
        {
          ab_json_doc_error (ctx->doc, ctx->error, op, AB_ERROR_INVALID, _("component \"%s\" is connected to itself"), from);
          return FALSE;
        }
      for (guint i = 0; i < problem->reference_connections->len; i++)
        {
          const AbRefConnection *other = g_ptr_array_index (problem->reference_connections, i);
          if (strcmp (other->from, from) == 0 && strcmp (other->to, to) == 0)
            {
              ab_json_doc_error (ctx->doc, ctx->error, op, AB_ERROR_INVALID,
                                 _("problem %s already connects \"%s\" to \"%s\""), problem->id, from, to);
              return FALSE;
            }
        }
      if (problem->reference_connections->len >= AB_REF_MAX_CONNECTIONS)
        {
          ab_json_doc_error (ctx->doc, ctx->error, op, AB_ERROR_TOO_LARGE,
                             _("more than %d reference connections"), AB_REF_MAX_CONNECTIONS);
          return FALSE;
        }
      connection = g_new0 (AbRefConnection, 1);
      connection->from = g_strdup (from);
      connection->to = g_strdup (to);
      g_ptr_array_add (problem->reference_connections, connection);
    }

  amendment = g_new0 (AbAmendment, 1);
  amendment->what = why != NULL ? g_strdup_printf ("%s (%s)", what, why) : g_strdup (what);
  amendment->quote = g_strdup (quote);
  g_ptr_array_add (problem->amendments, amendment);
  return TRUE;
}

static gboolean
apply_amendments (GPtrArray   *problems,
                  const char  *data,
                  gssize       length,
                  const char  *filename,
                  GError     **error)
{
  g_autoptr(AbJsonDoc) doc = NULL;
  AmendContext ctx;
  JsonNode *root;
  JsonObject *object;
  g_autoptr(GList) ids = NULL;

  g_return_val_if_fail (problems != NULL, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  if (filename == NULL)
    filename = "<amendments>";
  doc = ab_json_doc_parse (data, length, filename, NULL, error);
  if (doc == NULL)
    return FALSE;
  ctx.doc = doc;
  ctx.error = error;
  root = ab_json_doc_get_root (doc);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      ab_json_doc_error (doc, error, root, AB_ERROR_INVALID,
                         /* Translators: the JSON in the braces is what to write */
                         _("an amendments file is an object: { \"problem-id\": [ amendments ] }"));
      return FALSE;
    }
  object = json_node_get_object (root);
  ids = json_object_get_members (object);
  for (GList *l = ids; l != NULL; l = l->next)
    {
      JsonNode *list = json_object_get_member (object, l->data);
      AbProblem *problem = NULL;

      for (guint i = 0; i < problems->len && problem == NULL; i++)
        if (strcmp (((AbProblem *) g_ptr_array_index (problems, i))->id, l->data) == 0)
          problem = g_ptr_array_index (problems, i);
      if (problem == NULL)
        {
          ab_json_doc_error (doc, error, list, AB_ERROR_NOT_FOUND,
                             _("amendments for unknown problem \"%s\""), (const char *) l->data);
          return FALSE;
        }
      if (!JSON_NODE_HOLDS_ARRAY (list))
        {
          ab_json_doc_error (doc, error, list, AB_ERROR_INVALID, _("the amendments of a problem are an array"));
          return FALSE;
        }
      for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
        if (!apply_one (&ctx, problem, json_array_get_element (json_node_get_array (list), i)))
          {
            return FALSE;
          }
      ab_problem_layout_reference (problem);
    }
  return TRUE;
}

GPtrArray *
ab_import_markdown (const char  *data,
                    gssize       length,
                    const char  *filename,
                    GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  GPtrArray *problems;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  problems = import_markdown (data, length, filename, &local_error);
  if (problems == NULL)
    {
      ab_problem_shorten_error (local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
    }
  return problems;
}

gboolean
ab_import_apply_amendments (GPtrArray   *problems,
                            const char  *data,
                            gssize       length,
                            const char  *filename,
                            GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (problems != NULL, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!apply_amendments (problems, data, length, filename, &local_error))
    {
      ab_problem_shorten_error (local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* ---- writing ---- */

static gboolean
io_failed (GError     **error,
           const char  *path,
           int          saved_errno)
{
  g_set_error (error, AB_ERROR, AB_ERROR_IO, "%s: %s", path, g_strerror (saved_errno));
  return FALSE;
}

/* Removes a flat temporary folder and what is left in it. */
static void
remove_folder (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_unlink (child);
    }
  g_rmdir (path);
}

static char *
make_temporary_folder (const char *template_path,
                       GError    **error)
{
  char *path = g_strdup (template_path);

  if (ab_save_test_should_fail ())
    errno = EIO;
  else if (g_mkdtemp_full (path, 0755) != NULL)
    return path;
  io_failed (error, template_path, errno);
  g_free (path);
  return NULL;
}

gboolean
ab_import_write_folder (GPtrArray   *problems,
                        const char  *out_dir,
                        GError     **error)
{
  g_autofree char *parent = g_path_get_dirname (out_dir);
  g_autofree char *base = g_path_get_basename (out_dir);
  g_autofree char *temporary = NULL;
  g_autofree gboolean *had_old = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  gboolean exists = g_file_test (out_dir, G_FILE_TEST_EXISTS);
  guint moved = 0;

  g_return_val_if_fail (problems != NULL, FALSE);
  g_return_val_if_fail (out_dir != NULL, FALSE);

  if (exists && !g_file_test (out_dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, AB_ERROR, AB_ERROR_IO, "%s: %s", out_dir, _("not a folder"));
      return FALSE;
    }
  if (!exists && g_mkdir_with_parents (parent, 0755) != 0)
    return io_failed (error, parent, errno);

  {
    g_autofree char *template_name = exists ? g_strdup (".import-XXXXXX")
                                            : g_strdup_printf (".%s.XXXXXX", base);
    g_autofree char *template_path = g_build_filename (exists ? out_dir : parent, template_name, NULL);

    temporary = make_temporary_folder (template_path, error);
    if (temporary == NULL)
      return FALSE;
  }

  /* Everything is written before anything is moved. */
  for (guint i = 0; i < problems->len; i++)
    {
      AbProblem *problem = g_ptr_array_index (problems, i);
      g_autofree char *text = NULL;
      g_autofree char *path = NULL;
      char *name = g_strconcat (problem->id, ".json", NULL);
      gsize length = 0;

      g_ptr_array_add (names, name);
      path = g_build_filename (temporary, name, NULL);
      text = ab_problem_to_data (problem, &length);
      if (!ab_save_file (path, text, length, AB_SAVE_DEFAULT, error))
        goto fail;
    }

  if (!exists)
    {
      if (ab_save_test_should_fail ())
        errno = EIO;
      else if (g_rename (temporary, out_dir) == 0)
        return TRUE;
      io_failed (error, out_dir, errno);
      goto fail;
    }

  /* Into an existing folder: each replaced file is kept (hard link in the
   * temporary folder) until all moves succeeded, to be put back if one
   * fails. */
  had_old = g_new0 (gboolean, names->len);
  for (moved = 0; moved < names->len; moved++)
    {
      const char *name = g_ptr_array_index (names, moved);
      g_autofree char *from = g_build_filename (temporary, name, NULL);
      g_autofree char *to = g_build_filename (out_dir, name, NULL);
      g_autofree char *old = g_strconcat (from, ".old", NULL);
      GStatBuf st;

      if (g_lstat (to, &st) == 0)
        {
          if (ab_save_test_should_fail ())
            errno = EIO;
          else if (link (to, old) == 0)
            had_old[moved] = TRUE;
          if (!had_old[moved])
            {
              io_failed (error, to, errno);
              goto roll_back;
            }
        }
      if (ab_save_test_should_fail ())
        errno = EIO;
      else if (g_rename (from, to) == 0)
        continue;
      io_failed (error, to, errno);
      goto roll_back;
    }
  remove_folder (temporary);
  return TRUE;

roll_back:
  for (guint j = 0; j <= moved && j < names->len; j++)
    {
      const char *name = g_ptr_array_index (names, j);
      g_autofree char *to = g_build_filename (out_dir, name, NULL);
      g_autofree char *old = g_strconcat (temporary, G_DIR_SEPARATOR_S, name, ".old", NULL);

      if (j == moved)
        {
          /* not moved: only its link to the old file may exist */
          g_unlink (old);
          break;
        }
      if (had_old[j])
        g_rename (old, to);
      else
        g_unlink (to);
    }
fail:
  remove_folder (temporary);
  return FALSE;
}
