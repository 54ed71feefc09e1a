/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A strict, bounded JSON reader (RFC 8259) that builds json-glib nodes and
 * remembers the line and column where each value and member name starts.
 * The parser is iterative (an explicit stack), so deep input cannot blow
 * the C stack whatever the depth limit. */
#define G_LOG_DOMAIN "archboard-core"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ab-json-loc.h"

/* json-glib frees nodes recursively, so no limit may allow deeper trees. */
#define HARD_MAX_DEPTH 1000

typedef struct {
  int line;
  int column;
} Pos;

struct _AbJsonDoc {
  char       *filename;
  JsonNode   *root;
  GArray     *positions;  /* of Pos; index + 1 stored in the tables */
  GHashTable *value_pos;  /* JsonNode* -> index + 1 */
  GHashTable *key_pos;    /* member value JsonNode* -> index + 1 of its name */
};

typedef struct {
  JsonNode *node;      /* borrowed: owned by its parent (or the root) */
  gboolean  is_object;
  guint     count;
  char     *key;       /* pending member name (objects) */
  Pos       key_pos;
} Frame;

typedef struct {
  const char         *data;
  gsize               length;
  gsize               offset;
  int                 line;
  int                 column;
  const char         *filename;
  AbJsonLimits        limits;
  AbJsonDoc          *doc;
  GArray             *stack;   /* of Frame */
  GError            **error;
  guint               n_values;
  guint               max_values;
} Parser;

enum {
  ST_VALUE,
  ST_KEY,
  ST_AFTER
};

char *
ab_json_format_number (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  double magnitude = fabs (value);
  char *text, *end;

  if (!isfinite (value) || magnitude >= 1e18 || (magnitude != 0 && magnitude < 1e-9))
    return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%g", value));
  if (value == floor (value))
    return g_strdup_printf ("%.0f", value);
  /* 15 significant digits, written out in full, trailing zeros dropped;
   * g_ascii_formatd: a '.' whatever the locale. */
  {
    int decimals = CLAMP (14 - (int) floor (log10 (magnitude)), 0, 24);
    g_autofree char *format = g_strdup_printf ("%%.%df", decimals);

    g_ascii_formatd (buffer, sizeof buffer, format, value);
  }
  text = g_strdup (buffer);
  end = text + strlen (text);
  while (end > text && end[-1] == '0')
    *--end = '\0';
  if (end > text && end[-1] == '.')
    *--end = '\0';
  return text;
}

gboolean
ab_text_char_is_valid (gunichar c)
{
  if (c < 0x20)
    return c == '\t' || c == '\n' || c == '\r';
  if (c >= 0xD800 && c <= 0xDFFF)
    return FALSE;
  if (c >= 0xFDD0 && c <= 0xFDEF)
    return FALSE;
  if ((c & 0xFFFE) == 0xFFFE)
    return FALSE;
  return c <= 0x10FFFF;
}

const char *
ab_text_char_describe (gunichar c)
{
  if (c < 0x20)
    return "a control character";
  if (c >= 0xD800 && c <= 0xDFFF)
    return "a UTF-16 surrogate";
  return "a Unicode non-character";
}

char *
ab_text_make_valid (const char *text,
                    gssize      max_bytes)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (text == NULL)
    return NULL;
  if (max_bytes < 0)
    max_bytes = (gssize) strlen (text);
  else
    max_bytes = (gssize) MIN (strlen (text), (gsize) max_bytes);
  valid = g_utf8_make_valid (text, max_bytes);
  out = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (ab_text_char_is_valid (c))
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      else
        g_string_append_unichar (out, 0xFFFD);
    }
  return g_string_free (out, FALSE);
}

char *
ab_json_snippet (const char *text)
{
  GString *s = g_string_new (NULL);
  guint n = 0;

  if (text == NULL)
    return g_string_free (s, FALSE);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p), n++)
    {
      guchar c = (guchar) *p;

      if (n == 40)
        {
          g_string_append (s, "\xe2\x80\xa6");
          break;
        }
      if (c == '"' || c == '\\')
        g_string_append_printf (s, "\\%c", c);
      else if (c == '\n')
        g_string_append (s, "\\n");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (s, "\\u%04x", c);
      else
        g_string_append_len (s, p, g_utf8_next_char (p) - p);
    }
  return g_string_free (s, FALSE);
}

void
ab_json_write_string (GString    *out,
                      const char *str)
{
  g_string_append_c (out, '"');
  for (const char *p = str; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;
      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

/* The shortest text that reads back as the same double. */
void
ab_json_write_double (GString *out,
                      double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_assert (isfinite (value));
  if (value == 0)
    {
      g_string_append_c (out, '0');
      return;
    }
  if (value == floor (value) && fabs (value) < 1e18)
    {
      g_string_append_printf (out, "%.0f", value);
      return;
    }
  for (int precision = 15; precision <= 17; precision++)
    {
      char format[8];
      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (precision == 17 || g_ascii_strtod (buf, NULL) == value)
        break;
    }
  g_string_append (out, buf);
}

static const char *
display_name (const char *filename)
{
  return filename != NULL ? filename : "<input>";
}

static void G_GNUC_PRINTF (5, 6)
set_error_at (Parser      *p,
              Pos          pos,
              AbErrorCode  code,
              GError     **error,
              const char  *format,
              ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, AB_ERROR, code, "%s:%d:%d: %s",
               display_name (p->filename), pos.line, pos.column, message);
}

static Pos
here (Parser *p)
{
  return (Pos) { p->line, p->column };
}

static void
advance (Parser *p)
{
  guchar c = (guchar) p->data[p->offset];

  p->offset++;
  if (c == '\n')
    {
      p->line++;
      p->column = 1;
    }
  else if ((c & 0xC0) != 0x80)
    p->column++;
}

static int
peek (Parser *p)
{
  return p->offset < p->length ? (guchar) p->data[p->offset] : -1;
}

static void
skip_ws (Parser *p)
{
  while (p->offset < p->length)
    {
      char c = p->data[p->offset];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        advance (p);
      else
        break;
    }
}

static void
record (AbJsonDoc  *doc,
        GHashTable *table,
        JsonNode   *node,
        Pos         pos)
{
  g_array_append_val (doc->positions, pos);
  g_hash_table_insert (table, node, GUINT_TO_POINTER (doc->positions->len));
}

static char *
describe_char (Parser *p)
{
  int c = peek (p);

  if (c < 0)
    return g_strdup ("the end of the file");
  if (c < 0x20)
    return g_strdup_printf ("control character U+%04X", c);
  if (c < 0x80)
    return g_strdup_printf ("'%c'", c);
  {
    const char *s = p->data + p->offset;
    const char *e = g_utf8_next_char (s);
    return g_strdup_printf ("'%.*s'", (int) (e - s), s);
  }
}

static gboolean
unexpected (Parser     *p,
            const char *expected)
{
  g_autofree char *what = describe_char (p);

  set_error_at (p, here (p), AB_ERROR_PARSE, p->error,
                "expected %s, found %s", expected, what);
  return FALSE;
}

static int
hex_value (int c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
read_hex4 (Parser  *p,
           gunichar *out)
{
  gunichar v = 0;

  for (int i = 0; i < 4; i++)
    {
      int h = hex_value (peek (p));
      if (h < 0)
        return unexpected (p, "four hexadecimal digits after \\u");
      v = (v << 4) | (gunichar) h;
      advance (p);
    }
  *out = v;
  return TRUE;
}

/* At the opening quote.  Returns the decoded string or NULL. */
static char *
parse_string (Parser *p)
{
  Pos start = here (p);
  g_autoptr(GString) s = g_string_new (NULL);

  advance (p);
  for (;;)
    {
      int c = peek (p);

      if (s->len > p->limits.max_string)
        {
          set_error_at (p, start, AB_ERROR_TOO_LARGE, p->error,
                        "string longer than %" G_GSIZE_FORMAT " bytes", p->limits.max_string);
          return NULL;
        }
      if (c < 0)
        {
          set_error_at (p, start, AB_ERROR_PARSE, p->error, "unterminated string");
          return NULL;
        }
      if (c == '"')
        {
          advance (p);
          break;
        }
      if (c < 0x20)
        {
          set_error_at (p, here (p), AB_ERROR_PARSE, p->error,
                        "control character U+%04X inside a string (write it as an escape)", c);
          return NULL;
        }
      if (c == '\\')
        {
          Pos esc = here (p);
          advance (p);
          c = peek (p);
          switch (c)
            {
            case '"': g_string_append_c (s, '"'); advance (p); break;
            case '\\': g_string_append_c (s, '\\'); advance (p); break;
            case '/': g_string_append_c (s, '/'); advance (p); break;
            case 'b': g_string_append_c (s, '\b'); advance (p); break;
            case 'f': g_string_append_c (s, '\f'); advance (p); break;
            case 'n': g_string_append_c (s, '\n'); advance (p); break;
            case 'r': g_string_append_c (s, '\r'); advance (p); break;
            case 't': g_string_append_c (s, '\t'); advance (p); break;
            case 'u':
              {
                gunichar u;
                advance (p);
                if (!read_hex4 (p, &u))
                  return NULL;
                if (u >= 0xD800 && u <= 0xDBFF)
                  {
                    gunichar lo;
                    if (peek (p) != '\\' || p->offset + 1 >= p->length || p->data[p->offset + 1] != 'u')
                      {
                        set_error_at (p, esc, AB_ERROR_PARSE, p->error,
                                      "unpaired UTF-16 surrogate \\u%04X", u);
                        return NULL;
                      }
                    advance (p);
                    advance (p);
                    if (!read_hex4 (p, &lo))
                      return NULL;
                    if (lo < 0xDC00 || lo > 0xDFFF)
                      {
                        set_error_at (p, esc, AB_ERROR_PARSE, p->error,
                                      "unpaired UTF-16 surrogate \\u%04X", u);
                        return NULL;
                      }
                    u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                  }
                else if (u >= 0xDC00 && u <= 0xDFFF)
                  {
                    set_error_at (p, esc, AB_ERROR_PARSE, p->error,
                                  "unpaired UTF-16 surrogate \\u%04X", u);
                    return NULL;
                  }
                else if (u == 0)
                  {
                    set_error_at (p, esc, AB_ERROR_PARSE, p->error,
                                  "\\u0000 (a NUL character) is not allowed in strings");
                    return NULL;
                  }
                /* Control characters are the format's business (a design
                 * refuses them in its texts, a problem file too). */
                if (u >= 0x20 && !ab_text_char_is_valid (u))
                  {
                    set_error_at (p, esc, AB_ERROR_PARSE, p->error,
                                  "\\u%04X cannot be used in text: it is %s",
                                  u, ab_text_char_describe (u));
                    return NULL;
                  }
                g_string_append_unichar (s, u);
              }
              break;
            default:
              {
                g_autofree char *what = describe_char (p);
                set_error_at (p, esc, AB_ERROR_PARSE, p->error,
                              "invalid escape sequence: backslash followed by %s", what);
                return NULL;
              }
            }
          continue;
        }
      if (c >= 0xC0)
        {
          gunichar u = g_utf8_get_char (p->data + p->offset);

          if (!ab_text_char_is_valid (u))
            {
              set_error_at (p, here (p), AB_ERROR_PARSE, p->error,
                            "U+%04X cannot be used in text: it is %s", u, ab_text_char_describe (u));
              return NULL;
            }
        }
      g_string_append_c (s, (char) c);
      advance (p);
    }
  if (s->len > p->limits.max_string)
    {
      set_error_at (p, start, AB_ERROR_TOO_LARGE, p->error,
                    "string longer than %" G_GSIZE_FORMAT " bytes", p->limits.max_string);
      return NULL;
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static gboolean
is_digit (int c)
{
  return c >= '0' && c <= '9';
}

static JsonNode *
parse_number (Parser *p)
{
  Pos start = here (p);
  gsize begin = p->offset;
  gboolean is_int = TRUE;
  g_autofree char *text = NULL;

  if (peek (p) == '-')
    advance (p);
  if (peek (p) == '0')
    {
      advance (p);
      if (is_digit (peek (p)))
        {
          set_error_at (p, start, AB_ERROR_PARSE, p->error, "numbers may not have leading zeros");
          return NULL;
        }
    }
  else if (is_digit (peek (p)))
    {
      while (is_digit (peek (p)))
        advance (p);
    }
  else
    {
      if (peek (p) == 'I')
        {
          set_error_at (p, start, AB_ERROR_PARSE, p->error, "Infinity is not a JSON number");
          return NULL;
        }
      unexpected (p, "a digit");
      return NULL;
    }
  if (peek (p) == '.')
    {
      is_int = FALSE;
      advance (p);
      if (!is_digit (peek (p)))
        {
          unexpected (p, "a digit after the decimal point");
          return NULL;
        }
      while (is_digit (peek (p)))
        advance (p);
    }
  if (peek (p) == 'e' || peek (p) == 'E')
    {
      is_int = FALSE;
      advance (p);
      if (peek (p) == '+' || peek (p) == '-')
        advance (p);
      if (!is_digit (peek (p)))
        {
          unexpected (p, "a digit in the exponent");
          return NULL;
        }
      while (is_digit (peek (p)))
        advance (p);
    }

  text = g_strndup (p->data + begin, p->offset - begin);
  if (is_int)
    {
      char *end = NULL;
      gint64 v;

      errno = 0;
      v = g_ascii_strtoll (text, &end, 10);
      if (errno == 0 && end != NULL && *end == '\0')
        {
          JsonNode *node = json_node_alloc ();
          json_node_init_int (node, v);
          return node;
        }
    }
  {
    double d = g_ascii_strtod (text, NULL);
    JsonNode *node;

    if (!isfinite (d))
      {
        g_autofree char *shown = ab_json_snippet (text);
        set_error_at (p, start, AB_ERROR_PARSE, p->error,
                      "number %s is too large to represent", shown);
        return NULL;
      }
    node = json_node_alloc ();
    json_node_init_double (node, d);
    return node;
  }
}

static gboolean
match_word (Parser     *p,
            const char *word)
{
  gsize n = strlen (word);

  if (p->length - p->offset < n || memcmp (p->data + p->offset, word, n) != 0)
    return FALSE;
  /* The literal must end there: "trueish" is not "true". */
  if (p->offset + n < p->length && g_ascii_isalnum (p->data[p->offset + n]))
    return FALSE;
  for (gsize i = 0; i < n; i++)
    advance (p);
  return TRUE;
}

static JsonNode *
parse_scalar (Parser *p)
{
  int c = peek (p);
  JsonNode *node;

  if (c == '"')
    {
      char *s = parse_string (p);
      if (s == NULL)
        return NULL;
      node = json_node_alloc ();
      json_node_init_string (node, s);
      g_free (s);
      return node;
    }
  if (c == '-' || is_digit (c))
    return parse_number (p);
  if (match_word (p, "true"))
    return json_node_init_boolean (json_node_alloc (), TRUE);
  if (match_word (p, "false"))
    return json_node_init_boolean (json_node_alloc (), FALSE);
  if (match_word (p, "null"))
    return json_node_init_null (json_node_alloc ());
  if (p->length - p->offset >= 3 && strncmp (p->data + p->offset, "NaN", 3) == 0)
    {
      set_error_at (p, here (p), AB_ERROR_PARSE, p->error, "NaN is not a JSON number");
      return NULL;
    }
  if (p->length - p->offset >= 8 && strncmp (p->data + p->offset, "Infinity", 8) == 0)
    {
      set_error_at (p, here (p), AB_ERROR_PARSE, p->error, "Infinity is not a JSON number");
      return NULL;
    }
  if (c == '\'')
    {
      set_error_at (p, here (p), AB_ERROR_PARSE, p->error,
                    "strings must use double quotes");
      return NULL;
    }
  unexpected (p, "a value (object, array, string, number, true, false or null)");
  return NULL;
}

static Frame *
top_frame (Parser *p)
{
  if (p->stack->len == 0)
    return NULL;
  return &g_array_index (p->stack, Frame, p->stack->len - 1);
}

/* Hands @node to the enclosing container (or makes it the root). */
static gboolean
attach (Parser   *p,
        JsonNode *node,
        Pos       pos)
{
  Frame *f = top_frame (p);

  if (++p->n_values > p->max_values)
    {
      if (p->max_values < p->limits.max_values || p->limits.max_values == 0)
        set_error_at (p, pos, AB_ERROR_TOO_LARGE, p->error,
                      "more than %u values for a file of %" G_GSIZE_FORMAT " bytes (at most one per %u bytes)",
                      p->max_values, p->length, p->limits.bytes_per_value);
      else
        set_error_at (p, pos, AB_ERROR_TOO_LARGE, p->error,
                      "more than %u values in the file", p->max_values);
      json_node_unref (node);
      return FALSE;
    }
  record (p->doc, p->doc->value_pos, node, pos);
  if (f == NULL)
    {
      p->doc->root = node;
      return TRUE;
    }
  if (f->count >= p->limits.max_elements)
    {
      set_error_at (p, f->is_object ? f->key_pos : pos, AB_ERROR_TOO_LARGE, p->error,
                    "more than %u %s in one %s", p->limits.max_elements,
                    f->is_object ? "members" : "elements",
                    f->is_object ? "object" : "array");
      json_node_unref (node);
      return FALSE;
    }
  f->count++;
  if (f->is_object)
    {
      record (p->doc, p->doc->key_pos, node, f->key_pos);
      json_object_set_member (json_node_get_object (f->node), f->key, node);
      g_clear_pointer (&f->key, g_free);
    }
  else
    json_array_add_element (json_node_get_array (f->node), node);
  return TRUE;
}

static void
clear_frame (gpointer data)
{
  Frame *f = data;
  g_clear_pointer (&f->key, g_free);
}

static gboolean
run_parser (Parser *p)
{
  int state = ST_VALUE;

  for (;;)
    {
      int c;

      skip_ws (p);
      c = peek (p);

      if (state == ST_VALUE)
        {
          Pos pos = here (p);

          if (c == '{' || c == '[')
            {
              Frame f = { 0 };
              JsonNode *node = json_node_alloc ();

              if (p->stack->len >= p->limits.max_depth)
                {
                  set_error_at (p, pos, AB_ERROR_TOO_LARGE, p->error,
                                "nested deeper than %u levels", p->limits.max_depth);
                  json_node_unref (node);
                  return FALSE;
                }
              if (c == '{')
                {
                  g_autoptr(JsonObject) o = json_object_new ();
                  json_node_init_object (node, o);
                }
              else
                {
                  g_autoptr(JsonArray) a = json_array_new ();
                  json_node_init_array (node, a);
                }
              if (!attach (p, node, pos))
                return FALSE;
              advance (p);
              f.node = node;
              f.is_object = (c == '{');
              g_array_append_val (p->stack, f);

              skip_ws (p);
              if (peek (p) == (f.is_object ? '}' : ']'))
                {
                  advance (p);
                  g_array_set_size (p->stack, p->stack->len - 1);
                  state = ST_AFTER;
                }
              else
                state = f.is_object ? ST_KEY : ST_VALUE;
              continue;
            }
          if (c == ']' || c == '}')
            {
              Frame *f = top_frame (p);
              if (f != NULL && !f->is_object && f->count > 0)
                {
                  set_error_at (p, pos, AB_ERROR_PARSE, p->error,
                                "trailing comma before '%c'", c);
                  return FALSE;
                }
            }
          if (c < 0 && p->stack->len == 0)
            {
              set_error_at (p, pos, AB_ERROR_PARSE, p->error,
                            "empty document: expected a JSON value");
              return FALSE;
            }
          {
            JsonNode *node = parse_scalar (p);
            if (node == NULL)
              return FALSE;
            if (!attach (p, node, pos))
              return FALSE;
          }
          state = ST_AFTER;
        }
      else if (state == ST_KEY)
        {
          Frame *f = top_frame (p);
          Pos pos = here (p);
          char *key;

          if (c == '}')
            {
              set_error_at (p, pos, AB_ERROR_PARSE, p->error, "trailing comma before '}'");
              return FALSE;
            }
          if (c != '"')
            return unexpected (p, "a member name in double quotes");
          key = parse_string (p);
          if (key == NULL)
            return FALSE;
          if (json_object_has_member (json_node_get_object (f->node), key))
            {
              g_autofree char *shown = ab_json_snippet (key);
              set_error_at (p, pos, AB_ERROR_PARSE, p->error,
                            "duplicate member name \"%s\"", shown);
              g_free (key);
              return FALSE;
            }
          f->key = key;
          f->key_pos = pos;
          skip_ws (p);
          if (peek (p) != ':')
            return unexpected (p, "':' after the member name");
          advance (p);
          state = ST_VALUE;
        }
      else /* ST_AFTER */
        {
          Frame *f = top_frame (p);

          if (f == NULL)
            {
              if (c < 0)
                return TRUE;
              {
                g_autofree char *what = describe_char (p);
                set_error_at (p, here (p), AB_ERROR_PARSE, p->error,
                              "unexpected %s after the end of the document", what);
              }
              return FALSE;
            }
          if (c == ',')
            {
              advance (p);
              state = f->is_object ? ST_KEY : ST_VALUE;
            }
          else if (c == (f->is_object ? '}' : ']'))
            {
              advance (p);
              g_array_set_size (p->stack, p->stack->len - 1);
            }
          else if (c < 0)
            {
              set_error_at (p, here (p), AB_ERROR_PARSE, p->error,
                            "unexpected end of the file: %s not closed",
                            f->is_object ? "an object" : "an array");
              return FALSE;
            }
          else
            return unexpected (p, f->is_object ? "',' or '}'" : "',' or ']'");
        }
    }
}

static void
locate_offset (const char *data,
               gsize       offset,
               int        *line,
               int        *column)
{
  int l = 1, col = 1;

  for (gsize i = 0; i < offset; i++)
    {
      guchar c = (guchar) data[i];
      if (c == '\n')
        {
          l++;
          col = 1;
        }
      else if ((c & 0xC0) != 0x80)
        col++;
    }
  *line = l;
  *column = col;
}

AbJsonDoc *
ab_json_doc_parse (const char          *data,
                   gssize               length,
                   const char          *filename,
                   const AbJsonLimits  *limits,
                   GError             **error)
{
  static const AbJsonLimits default_limits = AB_JSON_LIMITS_DEFAULT;
  g_autoptr(AbJsonDoc) doc = NULL;
  const char *bad = NULL;
  Parser p = { 0 };

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (data == NULL)
    data = "";
  p.limits = limits != NULL ? *limits : default_limits;
  p.limits.max_depth = MIN (p.limits.max_depth, HARD_MAX_DEPTH);
  p.filename = filename;
  p.line = 1;
  p.column = 1;
  p.error = error;

  if (length < 0)
    {
      /* Bounded scan: never walk further than the byte limit + 1. */
      const char *nul = memchr (data, '\0', p.limits.max_bytes + 1);
      length = nul != NULL ? nul - data : (gssize) p.limits.max_bytes + 1;
    }
  p.data = data;
  p.length = (gsize) length;

  if (p.length > p.limits.max_bytes)
    {
      set_error_at (&p, here (&p), AB_ERROR_TOO_LARGE, error,
                    "file larger than %" G_GSIZE_FORMAT " bytes", p.limits.max_bytes);
      return NULL;
    }
  if (!g_utf8_validate_len (data, p.length, &bad))
    {
      Pos pos;
      locate_offset (data, bad - data, &pos.line, &pos.column);
      if (*bad == '\0')
        set_error_at (&p, pos, AB_ERROR_PARSE, error, "NUL byte in the file");
      else
        set_error_at (&p, pos, AB_ERROR_PARSE, error, "invalid UTF-8 (byte 0x%02X)", (guchar) *bad);
      return NULL;
    }
  p.max_values = p.limits.max_values > 0 ? p.limits.max_values : G_MAXUINT;
  if (p.limits.bytes_per_value > 0)
    p.max_values = MIN (p.max_values, MAX (4096, p.length / p.limits.bytes_per_value));
  /* RFC 8259 lets parsers ignore a byte order mark. */
  if (p.length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    p.offset = 3;

  doc = g_new0 (AbJsonDoc, 1);
  doc->filename = g_strdup (filename);
  doc->positions = g_array_new (FALSE, FALSE, sizeof (Pos));
  doc->value_pos = g_hash_table_new (NULL, NULL);
  doc->key_pos = g_hash_table_new (NULL, NULL);
  p.doc = doc;
  p.stack = g_array_new (FALSE, TRUE, sizeof (Frame));
  g_array_set_clear_func (p.stack, clear_frame);

  if (!run_parser (&p))
    {
      g_array_unref (p.stack);
      return NULL;
    }
  g_array_unref (p.stack);
  return g_steal_pointer (&doc);
}

void
ab_json_doc_free (AbJsonDoc *doc)
{
  if (doc == NULL)
    return;
  g_clear_pointer (&doc->root, json_node_unref);
  g_clear_pointer (&doc->value_pos, g_hash_table_unref);
  g_clear_pointer (&doc->key_pos, g_hash_table_unref);
  g_clear_pointer (&doc->positions, g_array_unref);
  g_free (doc->filename);
  g_free (doc);
}

JsonNode *
ab_json_doc_get_root (AbJsonDoc *doc)
{
  g_return_val_if_fail (doc != NULL, NULL);
  return doc->root;
}

const char *
ab_json_doc_get_filename (AbJsonDoc *doc)
{
  g_return_val_if_fail (doc != NULL, NULL);
  return display_name (doc->filename);
}

static void
lookup (AbJsonDoc  *doc,
        GHashTable *table,
        JsonNode   *node,
        int        *line,
        int        *column)
{
  guint index = node != NULL ? GPOINTER_TO_UINT (g_hash_table_lookup (table, node)) : 0;
  Pos pos = { 0, 0 };

  if (index > 0)
    pos = g_array_index (doc->positions, Pos, index - 1);
  if (line != NULL)
    *line = pos.line;
  if (column != NULL)
    *column = pos.column;
}

void
ab_json_doc_locate (AbJsonDoc *doc,
                    JsonNode  *node,
                    int       *line,
                    int       *column)
{
  g_return_if_fail (doc != NULL);
  lookup (doc, doc->value_pos, node, line, column);
}

void
ab_json_doc_locate_key (AbJsonDoc *doc,
                        JsonNode  *member_value,
                        int       *line,
                        int       *column)
{
  g_return_if_fail (doc != NULL);
  lookup (doc, doc->key_pos, member_value, line, column);
  if ((line == NULL || *line == 0) && (column == NULL || *column == 0))
    lookup (doc, doc->value_pos, member_value, line, column);
}

static void G_GNUC_PRINTF (6, 0)
doc_error_valist (AbJsonDoc   *doc,
                  GError     **error,
                  int          line,
                  int          column,
                  AbErrorCode  code,
                  const char  *format,
                  va_list      args)
{
  g_autofree char *message = g_strdup_vprintf (format, args);

  if (line > 0)
    g_set_error (error, AB_ERROR, code, "%s:%d:%d: %s",
                 display_name (doc->filename), line, column, message);
  else
    g_set_error (error, AB_ERROR, code, "%s: %s", display_name (doc->filename), message);
}

void
ab_json_doc_error (AbJsonDoc   *doc,
                   GError     **error,
                   JsonNode    *node,
                   AbErrorCode  code,
                   const char  *format,
                   ...)
{
  va_list args;
  int line, column;

  g_return_if_fail (doc != NULL);
  ab_json_doc_locate (doc, node, &line, &column);
  va_start (args, format);
  doc_error_valist (doc, error, line, column, code, format, args);
  va_end (args);
}

void
ab_json_doc_key_error (AbJsonDoc   *doc,
                       GError     **error,
                       JsonNode    *member_value,
                       AbErrorCode  code,
                       const char  *format,
                       ...)
{
  va_list args;
  int line = 0, column = 0;

  g_return_if_fail (doc != NULL);
  lookup (doc, doc->key_pos, member_value, &line, &column);
  if (line == 0)
    lookup (doc, doc->value_pos, member_value, &line, &column);
  va_start (args, format);
  doc_error_valist (doc, error, line, column, code, format, args);
  va_end (args);
}

const char *
ab_json_describe_node (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return "null";
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "an object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "an array";
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return "a string";
    case G_TYPE_BOOLEAN:
      return "a boolean";
    case G_TYPE_INT64:
    case G_TYPE_DOUBLE:
      return "a number";
    default:
      return "a value";
    }
}

static gboolean
is_type (JsonNode *node,
         GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* Returns FALSE on error; *out NULL and TRUE when absent and optional. */
static gboolean
find_member (AbJsonDoc   *doc,
             JsonNode    *object,
             const char  *name,
             gboolean     required,
             JsonNode   **out,
             GError     **error)
{
  JsonObject *o;

  *out = NULL;
  if (object == NULL || !JSON_NODE_HOLDS_OBJECT (object))
    {
      ab_json_doc_error (doc, error, object, AB_ERROR_INVALID,
                         "expected an object with \"%s\", found %s", name,
                         ab_json_describe_node (object));
      return FALSE;
    }
  o = json_node_get_object (object);
  *out = json_object_get_member (o, name);
  if (*out == NULL && required)
    {
      ab_json_doc_error (doc, error, object, AB_ERROR_INVALID,
                         "missing member \"%s\"", name);
      return FALSE;
    }
  return TRUE;
}

gboolean
ab_json_doc_read_string (AbJsonDoc   *doc,
                         JsonNode    *object,
                         const char  *name,
                         gboolean     required,
                         const char **out,
                         GError     **error)
{
  JsonNode *m;

  if (!find_member (doc, object, name, required, &m, error))
    return FALSE;
  if (m == NULL)
    return TRUE;
  if (!is_type (m, G_TYPE_STRING))
    {
      ab_json_doc_error (doc, error, m, AB_ERROR_INVALID,
                         "\"%s\" must be a string, not %s", name, ab_json_describe_node (m));
      return FALSE;
    }
  *out = json_node_get_string (m);
  return TRUE;
}

gboolean
ab_json_doc_read_number (AbJsonDoc   *doc,
                         JsonNode    *object,
                         const char  *name,
                         gboolean     required,
                         double       min,
                         double       max,
                         double      *out,
                         GError     **error)
{
  JsonNode *m;
  double v;

  if (!find_member (doc, object, name, required, &m, error))
    return FALSE;
  if (m == NULL)
    return TRUE;
  if (is_type (m, G_TYPE_INT64))
    v = (double) json_node_get_int (m);
  else if (is_type (m, G_TYPE_DOUBLE))
    v = json_node_get_double (m);
  else
    {
      ab_json_doc_error (doc, error, m, AB_ERROR_INVALID,
                         "\"%s\" must be a number, not %s", name, ab_json_describe_node (m));
      return FALSE;
    }
  if (!(v >= min && v <= max))
    {
      g_autofree char *shown = ab_json_format_number (v);
      g_autofree char *low = ab_json_format_number (min);
      g_autofree char *high = ab_json_format_number (max);

      ab_json_doc_error (doc, error, m, AB_ERROR_INVALID,
                         "\"%s\" is %s, outside the allowed range %s to %s", name, shown, low, high);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

gboolean
ab_json_doc_read_int (AbJsonDoc   *doc,
                      JsonNode    *object,
                      const char  *name,
                      gboolean     required,
                      gint64       min,
                      gint64       max,
                      gint64      *out,
                      GError     **error)
{
  JsonNode *m;
  gint64 v;

  if (!find_member (doc, object, name, required, &m, error))
    return FALSE;
  if (m == NULL)
    return TRUE;
  if (is_type (m, G_TYPE_DOUBLE))
    {
      /* 1e3 and 2.0 are whole numbers; 1e308 one far out of range. */
      double d = json_node_get_double (m);

      if (d != floor (d))
        {
          g_autofree char *shown = ab_json_format_number (d);
          ab_json_doc_error (doc, error, m, AB_ERROR_INVALID,
                             "\"%s\" must be a whole number, not %s", name, shown);
          return FALSE;
        }
      if (!(d >= (double) min && d <= (double) max))
        {
          g_autofree char *shown = ab_json_format_number (d);
          ab_json_doc_error (doc, error, m, AB_ERROR_INVALID,
                             "\"%s\" is %s, outside the allowed range %" G_GINT64_FORMAT " to %"
                             G_GINT64_FORMAT, name, shown, min, max);
          return FALSE;
        }
      v = (gint64) d;
    }
  else if (!is_type (m, G_TYPE_INT64))
    {
      ab_json_doc_error (doc, error, m, AB_ERROR_INVALID,
                         "\"%s\" must be an integer, not %s", name, ab_json_describe_node (m));
      return FALSE;
    }
  else
    v = json_node_get_int (m);
  if (v < min || v > max)
    {
      ab_json_doc_error (doc, error, m, AB_ERROR_INVALID,
                         "\"%s\" is %" G_GINT64_FORMAT ", outside the allowed range %"
                         G_GINT64_FORMAT " to %" G_GINT64_FORMAT, name, v, min, max);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

gboolean
ab_json_doc_read_bool (AbJsonDoc   *doc,
                       JsonNode    *object,
                       const char  *name,
                       gboolean     required,
                       gboolean    *out,
                       GError     **error)
{
  JsonNode *m;

  if (!find_member (doc, object, name, required, &m, error))
    return FALSE;
  if (m == NULL)
    return TRUE;
  if (!is_type (m, G_TYPE_BOOLEAN))
    {
      ab_json_doc_error (doc, error, m, AB_ERROR_INVALID,
                         "\"%s\" must be true or false, not %s", name, ab_json_describe_node (m));
      return FALSE;
    }
  *out = json_node_get_boolean (m);
  return TRUE;
}

static gboolean
read_container (AbJsonDoc   *doc,
                JsonNode    *object,
                const char  *name,
                gboolean     required,
                JsonNodeType type,
                JsonNode   **out,
                GError     **error)
{
  JsonNode *m;

  if (!find_member (doc, object, name, required, &m, error))
    return FALSE;
  if (m == NULL)
    return TRUE;
  if (JSON_NODE_TYPE (m) != type)
    {
      ab_json_doc_error (doc, error, m, AB_ERROR_INVALID, "\"%s\" must be %s, not %s", name,
                         type == JSON_NODE_OBJECT ? "an object" : "an array",
                         ab_json_describe_node (m));
      return FALSE;
    }
  *out = m;
  return TRUE;
}

gboolean
ab_json_doc_read_object (AbJsonDoc   *doc,
                         JsonNode    *object,
                         const char  *name,
                         gboolean     required,
                         JsonNode   **out,
                         GError     **error)
{
  return read_container (doc, object, name, required, JSON_NODE_OBJECT, out, error);
}

gboolean
ab_json_doc_read_array (AbJsonDoc   *doc,
                        JsonNode    *object,
                        const char  *name,
                        gboolean     required,
                        JsonNode   **out,
                        GError     **error)
{
  return read_container (doc, object, name, required, JSON_NODE_ARRAY, out, error);
}

gboolean
ab_json_doc_expect_object (AbJsonDoc   *doc,
                           JsonNode    *node,
                           const char  *what,
                           GError     **error)
{
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return TRUE;
  ab_json_doc_error (doc, error, node, AB_ERROR_INVALID, "%s must be an object, not %s",
                     what, ab_json_describe_node (node));
  return FALSE;
}

gboolean
ab_json_doc_check_members (AbJsonDoc          *doc,
                           JsonNode           *object,
                           const char * const *known,
                           GError            **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  g_return_val_if_fail (JSON_NODE_HOLDS_OBJECT (object), FALSE);
  json_object_iter_init_ordered (&iter, json_node_get_object (object));
  while (json_object_iter_next_ordered (&iter, &name, &value))
    if (!g_strv_contains (known, name))
      {
        g_autofree char *shown = ab_json_snippet (name);
        ab_json_doc_key_error (doc, error, value, AB_ERROR_INVALID,
                               "unknown member \"%s\"", shown);
        return FALSE;
      }
  return TRUE;
}
