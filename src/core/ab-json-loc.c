/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A strict, bounded JSON reader (RFC 8259) that builds json-glib nodes and
 * can say at which line and column each value and member name starts.
 * The parser is iterative (an explicit stack), so deep input cannot blow
 * the C stack whatever the depth limit.
 *
 * Memory: json-glib nodes are big (an empty object costs over 300 bytes),
 * so a file of tiny values would cost 50 times its size parsed.  Before
 * building anything, a quick scan estimates the parsed size and refuses
 * files that would cost too much (AbJsonLimits.memory_factor); positions
 * are not stored for every node but found again in the text when an
 * error needs one; and long lists of the root object can be kept as
 * text and parsed one element at a time (AbJsonLimits.lazy_arrays). */
#define G_LOG_DOMAIN "archboard-core"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "ab-format.h"
#include "ab-json-loc.h"

/* json-glib frees nodes recursively, so no limit may allow deeper trees. */
#define HARD_MAX_DEPTH 1000

typedef struct {
  int   line;
  int   column;
  gsize offset;
} Pos;

struct _AbJsonDoc {
  char         *filename;
  const char   *data;      /* borrowed from the caller */
  gsize         length;
  AbJsonLimits  limits;
  JsonNode     *root;
  Pos           root_pos;
  GHashTable   *lazy;      /* lazy array JsonNode* -> GArray of Pos (its elements) */
  JsonNode     *element;   /* the element of a lazy array last read */
  Pos           element_pos;
};

typedef struct {
  JsonNode *node;      /* borrowed: owned by its parent (or the root) */
  gboolean  is_object;
  guint     count;
  char     *key;       /* pending member name (objects) */
  Pos       key_pos;
  GArray   *lazy;      /* of Pos: a lazy array's elements (owned by the doc) */
  JsonNode *transient; /* a lazy array's element being checked (owned) */
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
  JsonNode          **root_slot;   /* where the top value goes */
  Pos                *root_pos;
  gboolean            one_value;   /* stop after the first value (lazy elements) */
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
  /* Translators: these three complete "U+%04X cannot be used in text:
   * it is %s" (the subject of the sentence) */
  if (c < 0x20)
    return _("a control character");
  if (c >= 0xD800 && c <= 0xDFFF)
    return _("a UTF-16 surrogate");
  return _("a Unicode non-character");
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
  return (Pos) { p->line, p->column, p->offset };
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

static char *
describe_char (Parser *p)
{
  int c = peek (p);

  /* Translators: what the JSON reader found where it expected something
   * else: completes "expected %s, found %s" (the second %s), "unexpected
   * %s after the end of the document" and "backslash followed by %s" */
  if (c < 0)
    return g_strdup (_("the end of the file"));
  if (c < 0x20)
    /* Translators: see "the end of the file" */
    return g_strdup_printf (_("control character U+%04X"), c);
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

  /* Translators: an error in a JSON file, after "FILE:LINE:COLUMN: ";
   * the first %s is what the file should hold there (e.g. "a digit", "a
   * value (object, array, ...)"), the second what it holds (e.g. "the
   * end of the file", "'}'") */
  set_error_at (p, here (p), AB_ERROR_PARSE, p->error,
                _("expected %s, found %s"), expected, what);
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
        /* Translators: completes "expected %s, found %s" */
        return unexpected (p, _("four hexadecimal digits after \\u"));
      v = (v << 4) | (gunichar) h;
      advance (p);
    }
  *out = v;
  return TRUE;
}

static void
string_too_long (Parser *p,
                 Pos     start)
{
  g_autofree char *most = ab_format_count (p->limits.max_string);

  /* Translators: a JSON string (a text in quotes) in a file; %s is a
   * grouped number ("1,048,576") */
  set_error_at (p, start, AB_ERROR_TOO_LARGE, p->error, _("string longer than %s bytes"), most);
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
          string_too_long (p, start);
          return NULL;
        }
      if (c < 0)
        {
          set_error_at (p, start, AB_ERROR_PARSE, p->error, _("unterminated string"));
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
                        _("control character U+%04X inside a string (write it as an escape)"), c);
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
                                      _("unpaired UTF-16 surrogate \\u%04X"), u);
                        return NULL;
                      }
                    advance (p);
                    advance (p);
                    if (!read_hex4 (p, &lo))
                      return NULL;
                    if (lo < 0xDC00 || lo > 0xDFFF)
                      {
                        set_error_at (p, esc, AB_ERROR_PARSE, p->error,
                                      _("unpaired UTF-16 surrogate \\u%04X"), u);
                        return NULL;
                      }
                    u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                  }
                else if (u >= 0xDC00 && u <= 0xDFFF)
                  {
                    set_error_at (p, esc, AB_ERROR_PARSE, p->error,
                                  _("unpaired UTF-16 surrogate \\u%04X"), u);
                    return NULL;
                  }
                else if (u == 0)
                  {
                    set_error_at (p, esc, AB_ERROR_PARSE, p->error,
                                  _("\\u0000 (a NUL character) is not allowed in strings"));
                    return NULL;
                  }
                /* Control characters are the format's business (a design
                 * refuses them in its texts, a problem file too). */
                if (u >= 0x20 && !ab_text_char_is_valid (u))
                  {
                    /* Translators: %s is "a control character", "a UTF-16
                     * surrogate" or "a Unicode non-character" */
                    set_error_at (p, esc, AB_ERROR_PARSE, p->error,
                                  _("\\u%04X cannot be used in text: it is %s"),
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
                              /* Translators: %s is what follows, e.g. "'x'" or
                               * "the end of the file" */
                              _("invalid escape sequence: backslash followed by %s"), what);
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
                            /* Translators: %s is "a control character", "a UTF-16
                             * surrogate" or "a Unicode non-character" */
                            _("U+%04X cannot be used in text: it is %s"), u, ab_text_char_describe (u));
              return NULL;
            }
        }
      g_string_append_c (s, (char) c);
      advance (p);
    }
  if (s->len > p->limits.max_string)
    {
      string_too_long (p, start);
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
          set_error_at (p, start, AB_ERROR_PARSE, p->error, _("numbers may not have leading zeros"));
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
          set_error_at (p, start, AB_ERROR_PARSE, p->error, _("Infinity is not a JSON number"));
          return NULL;
        }
      /* Translators: completes "expected %s, found %s" */
      unexpected (p, _("a digit"));
      return NULL;
    }
  if (peek (p) == '.')
    {
      is_int = FALSE;
      advance (p);
      if (!is_digit (peek (p)))
        {
          /* Translators: completes "expected %s, found %s" */
          unexpected (p, _("a digit after the decimal point"));
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
          /* Translators: completes "expected %s, found %s" */
          unexpected (p, _("a digit in the exponent"));
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
                      /* Translators: %s is the number as written in the file */
                      _("number %s is too large to represent"), shown);
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
      set_error_at (p, here (p), AB_ERROR_PARSE, p->error, _("NaN is not a JSON number"));
      return NULL;
    }
  if (p->length - p->offset >= 8 && strncmp (p->data + p->offset, "Infinity", 8) == 0)
    {
      set_error_at (p, here (p), AB_ERROR_PARSE, p->error, _("Infinity is not a JSON number"));
      return NULL;
    }
  if (c == '\'')
    {
      set_error_at (p, here (p), AB_ERROR_PARSE, p->error,
                    _("strings must use double quotes"));
      return NULL;
    }
  /* Translators: completes "expected %s, found %s"; object, array,
   * string and number are JSON's kinds of values; true, false and null
   * are written as they are in a file */
  unexpected (p, _("a value (object, array, string, number, true, false or null)"));
  return NULL;
}

static Frame *
top_frame (Parser *p)
{
  if (p->stack->len == 0)
    return NULL;
  return &g_array_index (p->stack, Frame, p->stack->len - 1);
}

static void
too_many_values (Parser *p,
                 Pos     pos)
{
  g_autofree char *values = ab_format_count (p->max_values);

  if (p->max_values < p->limits.max_values || p->limits.max_values == 0)
    {
      g_autofree char *bytes = ab_format_count (p->length);
      g_autofree char *per = ab_format_count (p->limits.bytes_per_value);

      set_error_at (p, pos, AB_ERROR_TOO_LARGE, p->error,
                    /* Translators: a value is anything in a JSON file: a
                     * number, a text, an object, ...; each %s is a number
                     * grouped as your language groups digits ("8,193") */
                    _("more than %s values for a file of %s bytes (at most one per %s bytes)"),
                    values, bytes, per);
    }
  else
    set_error_at (p, pos, AB_ERROR_TOO_LARGE, p->error,
                  /* Translators: %s is a grouped number ("100,000") */
                  _("more than %s values in the file"), values);
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
      too_many_values (p, pos);
      json_node_unref (node);
      return FALSE;
    }
  if (f == NULL)
    {
      *p->root_slot = node;
      *p->root_pos = pos;
      return TRUE;
    }
  if (f->count >= p->limits.max_elements)
    {
      g_autofree char *most = ab_format_count (p->limits.max_elements);

      if (f->is_object)
        /* Translators: a member of a JSON object is a name with its
         * value ("name": value); %s is a grouped number ("100,000") */
        set_error_at (p, f->key_pos, AB_ERROR_TOO_LARGE, p->error,
                      _("more than %s members in one object"), most);
      else
        /* Translators: %s is a grouped number ("100,000") */
        set_error_at (p, pos, AB_ERROR_TOO_LARGE, p->error,
                      _("more than %s elements in one array"), most);
      json_node_unref (node);
      return FALSE;
    }
  f->count++;
  if (f->lazy != NULL)
    {
      /* Checked like any value, then dropped when the next one starts. */
      g_array_append_val (f->lazy, pos);
      g_clear_pointer (&f->transient, json_node_unref);
      f->transient = node;
      return TRUE;
    }
  json_node_set_parent (node, f->node);
  if (f->is_object)
    {
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
  g_clear_pointer (&f->transient, json_node_unref);
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
                                /* Translators: objects and arrays inside each other */
                                _("nested deeper than %u levels"), p->limits.max_depth);
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
              if (c == '[' && p->limits.lazy_arrays && !p->one_value &&
                  p->stack->len == 1 && top_frame (p)->is_object)
                {
                  f.lazy = g_array_new (FALSE, FALSE, sizeof (Pos));
                  g_hash_table_insert (p->doc->lazy, node, f.lazy);
                }
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
                                /* Translators: %c is ']' or '}' */
                                _("trailing comma before '%c'"), c);
                  return FALSE;
                }
            }
          if (c < 0 && p->stack->len == 0)
            {
              set_error_at (p, pos, AB_ERROR_PARSE, p->error,
                            _("empty document: expected a JSON value"));
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
              set_error_at (p, pos, AB_ERROR_PARSE, p->error, _("trailing comma before '}'"));
              return FALSE;
            }
          if (c != '"')
            /* Translators: completes "expected %s, found %s"; a member
             * of a JSON object is a name with its value ("name": value) */
            return unexpected (p, _("a member name in double quotes"));
          key = parse_string (p);
          if (key == NULL)
            return FALSE;
          if (json_object_has_member (json_node_get_object (f->node), key))
            {
              g_autofree char *shown = ab_json_snippet (key);
              set_error_at (p, pos, AB_ERROR_PARSE, p->error,
                            /* Translators: a member of a JSON object is a
                             * name with its value ("name": value) */
                            _("duplicate member name \"%s\""), shown);
              g_free (key);
              return FALSE;
            }
          f->key = key;
          f->key_pos = pos;
          skip_ws (p);
          if (peek (p) != ':')
            /* Translators: completes "expected %s, found %s" */
            return unexpected (p, _("':' after the member name"));
          advance (p);
          state = ST_VALUE;
        }
      else /* ST_AFTER */
        {
          Frame *f = top_frame (p);

          if (f == NULL)
            {
              if (c < 0 || p->one_value)
                return TRUE;
              {
                g_autofree char *what = describe_char (p);
                set_error_at (p, here (p), AB_ERROR_PARSE, p->error,
                              /* Translators: %s is what was found, e.g.
                               * "'x'"; the document is the JSON file */
                              _("unexpected %s after the end of the document"), what);
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
              if (f->is_object)
                set_error_at (p, here (p), AB_ERROR_PARSE, p->error,
                              _("unexpected end of the file: an object not closed"));
              else
                set_error_at (p, here (p), AB_ERROR_PARSE, p->error,
                              _("unexpected end of the file: an array not closed"));
              return FALSE;
            }
          else
            /* Translators: complete "expected %s, found %s" */
            return unexpected (p, f->is_object ? _("',' or '}'") : _("',' or ']'"));
        }
    }
}

/* Line and column of @offset, counting from @from (a known position). */
static Pos
locate_from (const char *data,
             Pos         from,
             gsize       offset)
{
  Pos pos = from;

  for (gsize i = from.offset; i < offset; i++)
    {
      guchar c = (guchar) data[i];
      if (c == '\n')
        {
          pos.line++;
          pos.column = 1;
        }
      else if ((c & 0xC0) != 0x80)
        pos.column++;
    }
  pos.offset = offset;
  return pos;
}

static void
locate_offset (const char *data,
               gsize       offset,
               int        *line,
               int        *column)
{
  Pos pos = locate_from (data, (Pos) { 1, 1, 0 }, offset);

  *line = pos.line;
  *column = pos.column;
}

/* ---- the memory scan ---- */

/* What a parsed value costs (json-glib 1.6 on 64 bits, measured with
 * tests/design/test-load-memory.py, rounded up): a node and its value
 * about 100 bytes, an object 330 (a node, the object, its hash table and
 * member list), an array 150, a member 120 more than its value (its name
 * copied, a list link and a hash slot); strings (values and member
 * names) add their text and 32 bytes of allocation. */
#define COST_VALUE   100
#define COST_OBJECT  330
#define COST_ARRAY   150
#define COST_MEMBER  120
/* Any document whose estimate stays under this passes. */
#define COST_FLOOR   (2u << 20)

enum {
  SCAN_OBJECT = 1,
  SCAN_LAZY = 2
};

static gboolean
is_delimiter (guchar c)
{
  switch (c)
    {
    case ' ': case '\t': case '\n': case '\r':
    case ',': case ':': case '[': case ']': case '{': case '}': case '"':
      return TRUE;
    default:
      return FALSE;
    }
}

/* Counts the values and estimates the memory of the parsed document
 * before anything is built, so a file of tiny values is refused at
 * once.  Only counts: anything malformed stops the scan and is left to
 * the parser, which reports it. */
static gboolean
prescan (Parser *p)
{
  const char *d = p->data;
  gsize n = p->length, i = p->offset;
  guint max_depth = MIN (p->limits.max_depth, HARD_MAX_DEPTH);
  g_autofree guint8 *stack = g_malloc (max_depth + 1);
  guint depth = 0;
  gboolean expect_key = FALSE;
  guint64 fixed = 0, element = 0, values = 0;
  guint64 budget = G_MAXUINT64;

  if (p->limits.memory_factor > 0)
    budget = MAX ((guint64) COST_FLOOR, (guint64) p->limits.memory_factor * n);

  while (i < n)
    {
      guchar c = (guchar) d[i];
      gsize start = i;
      gboolean is_value = TRUE;
      gboolean in_lazy = depth >= 2 && (stack[1] & SCAN_LAZY);
      guint64 cost;

      switch (c)
        {
        case ' ': case '\t': case '\n': case '\r': case ':':
          i++;
          continue;
        case ',':
          i++;
          expect_key = depth > 0 && (stack[depth - 1] & SCAN_OBJECT);
          continue;
        case '{':
        case '[':
          if (depth >= max_depth)
            return TRUE;
          cost = c == '{' ? COST_OBJECT : COST_ARRAY;
          stack[depth] = c == '{' ? SCAN_OBJECT : 0;
          if (c == '[' && p->limits.lazy_arrays && depth == 1 && (stack[0] & SCAN_OBJECT))
            stack[depth] |= SCAN_LAZY;
          depth++;
          expect_key = c == '{';
          i++;
          break;
        case '}':
        case ']':
          if (depth == 0)
            return TRUE;
          depth--;
          if (stack[depth] & SCAN_LAZY)
            element = 0;
          expect_key = FALSE;
          i++;
          continue;
        case '"':
          for (i++; i < n && d[i] != '"'; i++)
            if (d[i] == '\\')
              i++;
          i = MIN (i + 1, n);
          cost = (expect_key ? COST_MEMBER : COST_VALUE) + (i - start) + 32;
          is_value = !expect_key;
          expect_key = FALSE;
          break;
        default:
          for (i++; i < n && !is_delimiter ((guchar) d[i]); i++)
            ;
          cost = COST_VALUE;
          break;
        }

      /* A direct element of a lazy array replaces the one before. */
      if (is_value && depth - (c == '{' || c == '[') == 2 && in_lazy)
        element = 0;
      if (in_lazy)
        element += cost;
      else
        fixed += cost;
      if (fixed + element > budget)
        {
          Pos pos = locate_from (d, (Pos) { 1, 1, 0 }, start);
          /* a figure in a sentence for the learner: the decimal separator
           * of their language ("64,0" in German) */
          g_autofree char *mib = ab_format_decimal (budget / 1048576.0, 1);
          g_autofree char *bytes = ab_format_count (n);

          set_error_at (p, pos, AB_ERROR_TOO_LARGE, p->error,
                        /* Translators: the first %s is a grouped number of
                         * bytes ("60,001"), the second a number of MiB such
                         * as "64.0"; a value is anything in a JSON file: a
                         * number, a text, an object, ... */
                        _("too many values for a file of %s bytes: reading them "
                          "would take more than %s MiB of memory (%u times the file's size)"),
                        bytes, mib, p->limits.memory_factor);
          return FALSE;
        }
      if (is_value && ++values > p->max_values)
        {
          too_many_values (p, locate_from (d, (Pos) { 1, 1, 0 }, start));
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- documents ---- */

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
  gboolean ok;

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
      g_autofree char *most = ab_format_count (p.limits.max_bytes);

      /* Translators: %s is a grouped number ("33,554,432") */
      set_error_at (&p, here (&p), AB_ERROR_TOO_LARGE, error, _("file larger than %s bytes"), most);
      return NULL;
    }
  if (!g_utf8_validate_len (data, p.length, &bad))
    {
      Pos pos;
      locate_offset (data, bad - data, &pos.line, &pos.column);
      if (*bad == '\0')
        set_error_at (&p, pos, AB_ERROR_PARSE, error, _("NUL byte in the file"));
      else
        set_error_at (&p, pos, AB_ERROR_PARSE, error, _("invalid UTF-8 (byte 0x%02X)"), (guchar) *bad);
      return NULL;
    }
  p.max_values = p.limits.max_values > 0 ? p.limits.max_values : G_MAXUINT;
  if (p.limits.bytes_per_value > 0)
    p.max_values = MIN (p.max_values, MAX (4096, p.length / p.limits.bytes_per_value));
  /* RFC 8259 lets parsers ignore a byte order mark. */
  if (p.length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    p.offset = 3;
  if (!prescan (&p))
    return NULL;

  doc = g_new0 (AbJsonDoc, 1);
  doc->filename = g_strdup (filename);
  doc->data = data;
  doc->length = p.length;
  doc->limits = p.limits;
  doc->lazy = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
  p.doc = doc;
  p.root_slot = &doc->root;
  p.root_pos = &doc->root_pos;
  p.stack = g_array_new (FALSE, TRUE, sizeof (Frame));
  g_array_set_clear_func (p.stack, clear_frame);

  ok = run_parser (&p);
  g_array_unref (p.stack);
  if (!ok)
    return NULL;
  return g_steal_pointer (&doc);
}

void
ab_json_doc_free (AbJsonDoc *doc)
{
  if (doc == NULL)
    return;
  g_clear_pointer (&doc->element, json_node_unref);
  g_clear_pointer (&doc->lazy, g_hash_table_unref);
  g_clear_pointer (&doc->root, json_node_unref);
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

guint
ab_json_doc_get_length (AbJsonDoc *doc,
                        JsonNode  *array)
{
  GArray *elements;

  g_return_val_if_fail (doc != NULL, 0);
  g_return_val_if_fail (JSON_NODE_HOLDS_ARRAY (array), 0);

  elements = g_hash_table_lookup (doc->lazy, array);
  if (elements != NULL)
    return elements->len;
  return json_array_get_length (json_node_get_array (array));
}

JsonNode *
ab_json_doc_get_element (AbJsonDoc *doc,
                         JsonNode  *array,
                         guint      index)
{
  g_autoptr(GError) error = NULL;
  GArray *elements;
  Parser p = { 0 };
  JsonNode *node = NULL;
  Pos pos;
  gboolean ok;

  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (JSON_NODE_HOLDS_ARRAY (array), NULL);

  elements = g_hash_table_lookup (doc->lazy, array);
  if (elements == NULL)
    return json_array_get_element (json_node_get_array (array), index);
  g_return_val_if_fail (index < elements->len, NULL);

  /* Checked when the document was parsed: this parse cannot fail. */
  g_clear_pointer (&doc->element, json_node_unref);
  pos = g_array_index (elements, Pos, index);
  p.data = doc->data;
  p.length = doc->length;
  p.offset = pos.offset;
  p.line = pos.line;
  p.column = pos.column;
  p.filename = doc->filename;
  p.limits = doc->limits;
  p.limits.max_depth = doc->limits.max_depth - MIN (doc->limits.max_depth, 2);
  p.error = &error;
  p.max_values = G_MAXUINT;
  p.doc = doc;
  p.root_slot = &node;
  p.root_pos = &pos;
  p.one_value = TRUE;
  p.stack = g_array_new (FALSE, TRUE, sizeof (Frame));
  g_array_set_clear_func (p.stack, clear_frame);
  ok = run_parser (&p);
  g_array_unref (p.stack);
  if (!ok)
    {
      g_critical ("element %u read again: %s", index, error->message);
      g_clear_pointer (&node, json_node_unref);
      return NULL;
    }
  doc->element = node;
  doc->element_pos = pos;
  return node;
}

/* ---- positions ---- */

static gsize
skip_string (const char *d,
             gsize       n,
             gsize       i)
{
  for (i++; i < n && d[i] != '"'; i++)
    if (d[i] == '\\')
      i++;
  return MIN (i + 1, n);
}

static gsize
skip_space (const char *d,
            gsize       n,
            gsize       i)
{
  while (i < n && (d[i] == ' ' || d[i] == '\t' || d[i] == '\n' || d[i] == '\r'))
    i++;
  return i;
}

/* Past the (well-formed) value at @i. */
static gsize
skip_value (const char *d,
            gsize       n,
            gsize       i)
{
  guint depth = 0;

  do
    {
      guchar c = (guchar) d[i];

      if (c == '"')
        i = skip_string (d, n, i);
      else if (c == '{' || c == '[')
        {
          depth++;
          i++;
        }
      else if (c == '}' || c == ']')
        {
          depth--;
          i++;
        }
      else if (depth > 0)
        i++;
      else
        while (i < n && !is_delimiter ((guchar) d[i]))
          i++;
    }
  while (depth > 0 && i < n);
  return i;
}

/* Index of @child in @parent (members in document order), -1 if absent. */
static gint64
child_index (JsonNode *parent,
             JsonNode *child)
{
  if (JSON_NODE_HOLDS_ARRAY (parent))
    {
      JsonArray *array = json_node_get_array (parent);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (json_array_get_element (array, i) == child)
          return i;
    }
  else if (JSON_NODE_HOLDS_OBJECT (parent))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;
      gint64 i = 0;

      json_object_iter_init_ordered (&iter, json_node_get_object (parent));
      while (json_object_iter_next_ordered (&iter, &name, &value))
        {
          if (value == child)
            return i;
          i++;
        }
    }
  return -1;
}

/* Where @node (or, with @key, the name of the member it is the value of)
 * starts: the path from the root (or from the lazy element read last)
 * down to @node, followed in the text. */
static gboolean
find_position (AbJsonDoc *doc,
               JsonNode  *node,
               gboolean   key,
               Pos       *out)
{
  g_autoptr(GArray) path = g_array_new (FALSE, FALSE, sizeof (guint));
  const char *d = doc->data;
  gsize n = doc->length, i, key_at = G_MAXSIZE;
  JsonNode *top = node, *parent;
  Pos from;

  if (node == NULL)
    return FALSE;
  while ((parent = json_node_get_parent (top)) != NULL)
    {
      gint64 index = child_index (parent, top);

      if (index < 0)
        return FALSE;
      g_array_prepend_val (path, index);
      top = parent;
    }
  if (top == doc->root)
    from = doc->root_pos;
  else if (top == doc->element)
    from = doc->element_pos;
  else
    return FALSE;

  i = from.offset;
  for (guint level = 0; level < path->len; level++)
    {
      guint index = g_array_index (path, guint, level);
      gboolean is_object = d[i] == '{';

      i++;
      for (guint k = 0;; k++)
        {
          i = skip_space (d, n, i);
          key_at = i;
          if (is_object)
            {
              i = skip_space (d, n, skip_string (d, n, i));
              i = skip_space (d, n, i + 1);  /* the ':' */
            }
          if (k == index)
            break;
          i = skip_space (d, n, skip_value (d, n, i));
          i++;  /* the ',' */
        }
      if (!is_object)
        key_at = G_MAXSIZE;
    }
  if (key && key_at != G_MAXSIZE)
    i = key_at;
  *out = locate_from (d, from, MAX (from.offset, MIN (i, n)));
  return TRUE;
}

static void
lookup (AbJsonDoc *doc,
        JsonNode  *node,
        gboolean   key,
        int       *line,
        int       *column)
{
  Pos pos = { 0, 0, 0 };

  if (!find_position (doc, node, key, &pos))
    pos = (Pos) { 0, 0, 0 };
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
  lookup (doc, node, FALSE, line, column);
}

void
ab_json_doc_locate_key (AbJsonDoc *doc,
                        JsonNode  *member_value,
                        int       *line,
                        int       *column)
{
  g_return_if_fail (doc != NULL);
  /* A value that is not a member (an element, the root) answers with
   * its own position. */
  lookup (doc, member_value, TRUE, line, column);
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
  ab_json_doc_locate_key (doc, member_value, &line, &column);
  va_start (args, format);
  doc_error_valist (doc, error, line, column, code, format, args);
  va_end (args);
}

const char *
ab_json_describe_node (JsonNode *node)
{
  /* Translators: what a JSON value is (JSON's words: object, array,
   * string, ...); completes "expected an object with \"%s\", found %s"
   * and "\"%s\" must be a string, not %s" and the like (the last %s) */
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return _("null");
  if (JSON_NODE_HOLDS_OBJECT (node))
    return _("an object");
  if (JSON_NODE_HOLDS_ARRAY (node))
    return _("an array");
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return _("a string");
    case G_TYPE_BOOLEAN:
      /* Translators: true or false in a JSON file; see "an object" */
      return _("a boolean");
    case G_TYPE_INT64:
    case G_TYPE_DOUBLE:
      return _("a number");
    default:
      return _("a value");
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
                         /* Translators: %s in quotes is the name of the
                          * member looked for; the last %s what was found
                          * (e.g. "an array") */
                         _("expected an object with \"%s\", found %s"), name,
                         ab_json_describe_node (object));
      return FALSE;
    }
  o = json_node_get_object (object);
  *out = json_object_get_member (o, name);
  if (*out == NULL && required)
    {
      /* Translators: %s is the name of a member of a JSON object (a name
       * with its value: "name": value) */
      ab_json_doc_error (doc, error, object, AB_ERROR_INVALID,
                         _("missing member \"%s\""), name);
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
                         /* Translators: the first %s is a member's name, the
                          * second what its value is (e.g. "an array") */
                         _("\"%s\" must be a string, not %s"), name, ab_json_describe_node (m));
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
                         /* Translators: see "\"%s\" must be a string, not %s" */
                         _("\"%s\" must be a number, not %s"), name, ab_json_describe_node (m));
      return FALSE;
    }
  if (!(v >= min && v <= max))
    {
      g_autofree char *shown = ab_json_format_number (v);
      g_autofree char *low = ab_json_format_number (min);
      g_autofree char *high = ab_json_format_number (max);

      ab_json_doc_error (doc, error, m, AB_ERROR_INVALID,
                         /* Translators: a member's name, its value, the
                          * smallest and the largest value allowed */
                         _("\"%s\" is %s, outside the allowed range %s to %s"), name, shown, low, high);
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
                             /* Translators: a member's name, its value */
                             _("\"%s\" must be a whole number, not %s"), name, shown);
          return FALSE;
        }
      if (!(d >= (double) min && d <= (double) max))
        {
          g_autofree char *shown = ab_json_format_number (d);
          ab_json_doc_error (doc, error, m, AB_ERROR_INVALID,
                             /* Translators: a member's name, its value, the
                              * smallest and the largest value allowed */
                             _("\"%s\" is %s, outside the allowed range %lld to %lld"),
                             name, shown, (long long) min, (long long) max);
          return FALSE;
        }
      v = (gint64) d;
    }
  else if (!is_type (m, G_TYPE_INT64))
    {
      ab_json_doc_error (doc, error, m, AB_ERROR_INVALID,
                         /* Translators: see "\"%s\" must be a string, not %s" */
                         _("\"%s\" must be an integer, not %s"), name, ab_json_describe_node (m));
      return FALSE;
    }
  else
    v = json_node_get_int (m);
  if (v < min || v > max)
    {
      ab_json_doc_error (doc, error, m, AB_ERROR_INVALID,
                         /* Translators: a member's name, its value, the
                          * smallest and the largest value allowed */
                         _("\"%s\" is %lld, outside the allowed range %lld to %lld"),
                         name, (long long) v, (long long) min, (long long) max);
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
                         /* Translators: see "\"%s\" must be a string, not %s";
                          * true and false are written as in the file */
                         _("\"%s\" must be true or false, not %s"), name, ab_json_describe_node (m));
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
      if (type == JSON_NODE_OBJECT)
        /* Translators: see "\"%s\" must be a string, not %s" */
        ab_json_doc_error (doc, error, m, AB_ERROR_INVALID, _("\"%s\" must be an object, not %s"),
                           name, ab_json_describe_node (m));
      else
        /* Translators: see "\"%s\" must be a string, not %s" */
        ab_json_doc_error (doc, error, m, AB_ERROR_INVALID, _("\"%s\" must be an array, not %s"),
                           name, ab_json_describe_node (m));
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
  /* Translators: the first %s is what the value stands for, e.g. "a
   * component" (the caller's words, translated), the second what it is
   * (e.g. "an array") */
  ab_json_doc_error (doc, error, node, AB_ERROR_INVALID, _("%s must be an object, not %s"),
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
                               /* Translators: %s is the name of a member of
                                * a JSON object (a name with its value) */
                               _("unknown member \"%s\""), shown);
        return FALSE;
      }
  return TRUE;
}
