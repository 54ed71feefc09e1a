/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the bounded, position-tracking JSON reader. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "ab-json-loc.h"
#include "../german-test-util.h"
#include "ab-problem.h"

static void
assert_error (const char         *text,
              gssize              length,
              const AbJsonLimits *limits,
              AbErrorCode         code,
              const char         *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AbJsonDoc) doc = ab_json_doc_parse (text, length, "t.json", limits, &error);

  g_assert_null (doc);
  g_assert_error (error, AB_ERROR, (int) code);
  if (strstr (error->message, expected) == NULL)
    g_error ("input %.80s: message \"%s\" does not contain \"%s\"", text, error->message, expected);
}

static void
test_valid (void)
{
  const char *text = "{\n  \"a\": [1, 2.5, -3e2, true, false, null],\n  \"b\": {\"c\": \"x\\u00e9\\ud83d\\ude00\\n\"},\n  \"é\": 9223372036854775807\n}";
  g_autoptr(GError) error = NULL;
  g_autoptr(AbJsonDoc) doc = ab_json_doc_parse (text, -1, "t.json", NULL, &error);
  JsonObject *root;
  JsonArray *a;
  int line, col;

  g_assert_no_error (error);
  root = json_node_get_object (ab_json_doc_get_root (doc));
  a = json_object_get_array_member (root, "a");
  g_assert_cmpint (json_array_get_length (a), ==, 6);
  g_assert_cmpint (json_array_get_int_element (a, 0), ==, 1);
  g_assert_cmpfloat (json_array_get_double_element (a, 1), ==, 2.5);
  g_assert_cmpfloat (json_array_get_double_element (a, 2), ==, -300.0);
  g_assert_true (json_array_get_null_element (a, 5));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "b"), "c"),
                   ==, "x\xc3\xa9\xf0\x9f\x98\x80\n");
  g_assert_cmpint (json_object_get_int_member (root, "é"), ==, G_MAXINT64);

  ab_json_doc_locate (doc, json_array_get_element (a, 1), &line, &col);
  g_assert_cmpint (line, ==, 2);
  g_assert_cmpint (col, ==, 12);
  ab_json_doc_locate (doc, json_object_get_member (root, "b"), &line, &col);
  g_assert_cmpint (line, ==, 3);
  g_assert_cmpint (col, ==, 8);
  ab_json_doc_locate_key (doc, json_object_get_member (root, "b"), &line, &col);
  g_assert_cmpint (line, ==, 3);
  g_assert_cmpint (col, ==, 3);
  /* Columns count characters, not bytes: "é" is one column. */
  ab_json_doc_locate (doc, json_object_get_member (root, "é"), &line, &col);
  g_assert_cmpint (line, ==, 4);
  g_assert_cmpint (col, ==, 8);
  ab_json_doc_locate (doc, ab_json_doc_get_root (doc), &line, &col);
  g_assert_cmpint (line, ==, 1);
  g_assert_cmpint (col, ==, 1);
  g_assert_cmpstr (ab_json_doc_get_filename (doc), ==, "t.json");

  {
    g_autoptr(GError) e2 = NULL;
    ab_json_doc_error (doc, &e2, json_object_get_member (root, "b"), AB_ERROR_INVALID, "bad %s", "thing");
    g_assert_error (e2, AB_ERROR, AB_ERROR_INVALID);
    g_assert_cmpstr (e2->message, ==, "t.json:3:8: bad thing");
  }
  {
    g_autoptr(GError) e3 = NULL;
    ab_json_doc_key_error (doc, &e3, json_object_get_member (root, "b"), AB_ERROR_INVALID, "bad key");
    g_assert_cmpstr (e3->message, ==, "t.json:3:3: bad key");
  }
}

static void
test_scalars_and_bom (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AbJsonDoc) doc = ab_json_doc_parse ("\xEF\xBB\xBF  \"s\" ", -1, NULL, NULL, &error);
  g_autoptr(AbJsonDoc) doc2 = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (json_node_get_string (ab_json_doc_get_root (doc)), ==, "s");
  doc2 = ab_json_doc_parse ("[]", 2, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_array_get_length (json_node_get_array (ab_json_doc_get_root (doc2))), ==, 0);
  /* Huge numbers that do not fit an int64 become doubles. */
  {
    g_autoptr(AbJsonDoc) doc3 = ab_json_doc_parse ("123456789012345678901234", -1, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpfloat (json_node_get_double (ab_json_doc_get_root (doc3)), >, 1e23);
  }
}

static void
test_syntax_errors (void)
{
  assert_error ("", -1, NULL, AB_ERROR_PARSE, "t.json:1:1: empty document");
  assert_error ("  \n ", -1, NULL, AB_ERROR_PARSE, "t.json:2:2: empty document");
  assert_error ("[1,]", -1, NULL, AB_ERROR_PARSE, "t.json:1:4: trailing comma");
  assert_error ("{\"a\":1,}", -1, NULL, AB_ERROR_PARSE, "t.json:1:8: trailing comma");
  assert_error ("{\"a\":1,\n \"a\":2}", -1, NULL, AB_ERROR_PARSE, "t.json:2:2: duplicate member name \"a\"");
  assert_error ("[NaN]", -1, NULL, AB_ERROR_PARSE, "t.json:1:2: NaN is not a JSON number");
  assert_error ("[Infinity]", -1, NULL, AB_ERROR_PARSE, "t.json:1:2: Infinity");
  assert_error ("[-Infinity]", -1, NULL, AB_ERROR_PARSE, "t.json:1:2: Infinity");
  assert_error ("[1e999]", -1, NULL, AB_ERROR_PARSE, "t.json:1:2: number 1e999 is too large");
  assert_error ("[01]", -1, NULL, AB_ERROR_PARSE, "t.json:1:2: numbers may not have leading zeros");
  assert_error ("[1.]", -1, NULL, AB_ERROR_PARSE, "t.json:1:4: expected a digit after the decimal point");
  assert_error ("[1e]", -1, NULL, AB_ERROR_PARSE, "t.json:1:4: expected a digit in the exponent");
  assert_error ("[+1]", -1, NULL, AB_ERROR_PARSE, "t.json:1:2: expected a value");
  assert_error ("['a']", -1, NULL, AB_ERROR_PARSE, "t.json:1:2: strings must use double quotes");
  assert_error ("{a: 1}", -1, NULL, AB_ERROR_PARSE, "t.json:1:2: expected a member name");
  assert_error ("{\"a\" 1}", -1, NULL, AB_ERROR_PARSE, "t.json:1:6: expected ':'");
  assert_error ("[1 2]", -1, NULL, AB_ERROR_PARSE, "t.json:1:4: expected ',' or ']'");
  assert_error ("{\"a\":1 \"b\":2}", -1, NULL, AB_ERROR_PARSE, "t.json:1:8: expected ',' or '}'");
  assert_error ("[1", -1, NULL, AB_ERROR_PARSE, "t.json:1:3: unexpected end of the file: an array not closed");
  assert_error ("{\"a\":", -1, NULL, AB_ERROR_PARSE, "t.json:1:6: expected a value");
  assert_error ("\"abc", -1, NULL, AB_ERROR_PARSE, "t.json:1:1: unterminated string");
  assert_error ("\"a\tb\"", -1, NULL, AB_ERROR_PARSE, "t.json:1:3: control character U+0009");
  assert_error ("\"\\x\"", -1, NULL, AB_ERROR_PARSE, "t.json:1:2: invalid escape");
  assert_error ("\"\\u12G4\"", -1, NULL, AB_ERROR_PARSE, "expected four hexadecimal digits");
  assert_error ("\"\\ud800\"", -1, NULL, AB_ERROR_PARSE, "t.json:1:2: unpaired UTF-16 surrogate");
  assert_error ("\"\\udc00\"", -1, NULL, AB_ERROR_PARSE, "t.json:1:2: unpaired UTF-16 surrogate");
  assert_error ("\"\\ud800\\u0041\"", -1, NULL, AB_ERROR_PARSE, "unpaired UTF-16 surrogate");
  assert_error ("\"\\u0000\"", -1, NULL, AB_ERROR_PARSE, "NUL");
  assert_error ("[tru]", -1, NULL, AB_ERROR_PARSE, "t.json:1:2: expected a value");
  assert_error ("[truex]", -1, NULL, AB_ERROR_PARSE, "t.json:1:2: expected a value");
  assert_error ("[] []", -1, NULL, AB_ERROR_PARSE, "t.json:1:4: unexpected '[' after the end");
  assert_error ("[1] // c", -1, NULL, AB_ERROR_PARSE, "t.json:1:5: unexpected '/'");
  /* Quoted input is cut short and escaped in messages. */
  {
    g_autoptr(GString) s = g_string_new ("[1");
    g_autoptr(GError) error = NULL;
    g_autoptr(AbJsonDoc) doc = NULL;

    for (int i = 0; i < 5000; i++)
      g_string_append_c (s, '1');
    g_string_append (s, "e999]");
    doc = ab_json_doc_parse (s->str, s->len, "t.json", NULL, &error);
    g_assert_error (error, AB_ERROR, AB_ERROR_PARSE);
    g_assert_cmpuint (strlen (error->message), <, 200);
    g_assert_nonnull (strstr (error->message, "\xe2\x80\xa6 is too large"));
  }
  assert_error ("{\"a\\nb\":1, \"a\\nb\":2}", -1, NULL, AB_ERROR_PARSE, "duplicate member name \"a\\nb\"");
  assert_error ("[\"\xC3\x28\"]", -1, NULL, AB_ERROR_PARSE, "t.json:1:3: invalid UTF-8");
  assert_error ("[\"a\"]\n\xFF", -1, NULL, AB_ERROR_PARSE, "t.json:2:1: invalid UTF-8 (byte 0xFF)");
  assert_error ("[1,\0 2]", 7, NULL, AB_ERROR_PARSE, "t.json:1:4: NUL byte");
  /* Overlong encoding and an encoded surrogate are not UTF-8 either. */
  assert_error ("[\"\xC0\xAF\"]", -1, NULL, AB_ERROR_PARSE, "invalid UTF-8");
  assert_error ("[\"\xED\xA0\x80\"]", -1, NULL, AB_ERROR_PARSE, "invalid UTF-8");
}

static void
test_bounds (void)
{
  AbJsonLimits limits = AB_JSON_LIMITS_DEFAULT;
  g_autoptr(GError) error = NULL;

  limits.max_bytes = 10;
  assert_error ("[1, 2, 3, 4, 5]", -1, &limits, AB_ERROR_TOO_LARGE, "t.json:1:1: file larger than 10 bytes");
  /* A limit's figure is grouped as the app writes counts (it read
   * "file larger than 1000 bytes"). */
  limits.max_bytes = 1000;
  {
    g_autofree char *text = g_strnfill (1001, ' ');

    assert_error (text, -1, &limits, AB_ERROR_TOO_LARGE, "t.json:1:1: file larger than 1,000 bytes");
  }

  limits = (AbJsonLimits) AB_JSON_LIMITS_DEFAULT;
  limits.max_depth = 3;
  {
    g_autoptr(AbJsonDoc) ok = ab_json_doc_parse ("[[{}]]", -1, "t.json", &limits, &error);
    g_assert_no_error (error);
    g_assert_nonnull (ok);
  }
  assert_error ("[[[[1]]]]", -1, &limits, AB_ERROR_TOO_LARGE, "t.json:1:4: nested deeper than 3 levels");
  assert_error ("{\"a\":{\"b\":[{}]}}", -1, &limits, AB_ERROR_TOO_LARGE, "t.json:1:12: nested deeper than 3 levels");

  limits = (AbJsonLimits) AB_JSON_LIMITS_DEFAULT;
  limits.max_string = 4;
  {
    g_autoptr(AbJsonDoc) ok = ab_json_doc_parse ("[\"abcd\"]", -1, "t.json", &limits, &error);
    g_assert_no_error (error);
  }
  assert_error ("[\"abcde\"]", -1, &limits, AB_ERROR_TOO_LARGE, "t.json:1:2: string longer than 4 bytes");
  assert_error ("{\"abcdef\": 1}", -1, &limits, AB_ERROR_TOO_LARGE, "t.json:1:2: string longer than 4 bytes");
  /* Escapes count by their decoded size. */
  assert_error ("[\"\\u00e9\\u00e9\\u00e9\"]", -1, &limits, AB_ERROR_TOO_LARGE, "string longer than 4 bytes");
  limits.max_string = 1024;
  {
    g_autofree char *fill = g_strnfill (1025, 'a');
    g_autofree char *text = g_strdup_printf ("[\"%s\"]", fill);

    assert_error (text, -1, &limits, AB_ERROR_TOO_LARGE, "t.json:1:2: string longer than 1,024 bytes");
  }

  limits = (AbJsonLimits) AB_JSON_LIMITS_DEFAULT;
  limits.max_elements = 3;
  {
    g_autoptr(AbJsonDoc) ok = ab_json_doc_parse ("[1,2,3]", -1, "t.json", &limits, &error);
    g_assert_no_error (error);
  }
  assert_error ("[1,2,3,\n4]", -1, &limits, AB_ERROR_TOO_LARGE, "t.json:2:1: more than 3 elements in one array");
  assert_error ("{\"a\":1,\"b\":2,\"c\":3,\"d\":4}", -1, &limits, AB_ERROR_TOO_LARGE,
                "t.json:1:20: more than 3 members in one object");
  limits.max_elements = 1000;
  {
    g_autoptr(GString) text = g_string_new ("[0");

    for (int i = 0; i < 1000; i++)
      g_string_append (text, ",0");
    g_string_append (text, "]");
    assert_error (text->str, -1, &limits, AB_ERROR_TOO_LARGE, "more than 1,000 elements in one array");
  }

  /* Values in the whole document: an absolute number... */
  limits = (AbJsonLimits) AB_JSON_LIMITS_DEFAULT;
  limits.max_values = 4;
  {
    g_autoptr(AbJsonDoc) ok = ab_json_doc_parse ("[[1],2]", -1, "t.json", &limits, &error);
    g_assert_no_error (error);
  }
  assert_error ("[1,2,3,\n4]", -1, &limits, AB_ERROR_TOO_LARGE, "t.json:2:1: more than 4 values in the file");
  /* ... and one per so many bytes of input (always 4096). */
  limits = (AbJsonLimits) AB_JSON_LIMITS_DEFAULT;
  limits.bytes_per_value = 6;
  {
    g_autoptr(GString) text = g_string_new ("[");
    g_autoptr(AbJsonDoc) ok = NULL;

    for (int i = 0; i < 4094; i++)
      g_string_append (text, "0,");
    g_string_append (text, "0]");
    ok = ab_json_doc_parse (text->str, -1, "t.json", &limits, &error);
    g_assert_no_error (error);
    g_string_truncate (text, text->len - 1);
    g_string_append (text, ",0]");
    assert_error (text->str, -1, &limits, AB_ERROR_TOO_LARGE,
                  "t.json:1:8192: more than 4,096 values for a file of 8,193 bytes (at most one per 6 bytes)");
  }
}

/* A million nested brackets: refused quickly and without exhausting the
 * stack, even with the depth limit raised. */
static void
test_deep_nesting (void)
{
  gsize n = 1000000;
  g_autofree char *text = g_malloc (n + 1);
  AbJsonLimits limits = AB_JSON_LIMITS_DEFAULT;

  memset (text, '[', n);
  text[n] = '\0';
  assert_error (text, n, NULL, AB_ERROR_TOO_LARGE, "t.json:1:65: nested deeper than 64 levels");

  /* json-glib frees trees recursively: no limit allows more than 1000. */
  limits.max_depth = G_MAXUINT;
  assert_error (text, n, &limits, AB_ERROR_TOO_LARGE, "t.json:1:1001: nested deeper than 1000 levels");

  /* Deep but closed: parses, and frees too. */
  {
    gsize depth = 1000;
    g_autoptr(GString) s = g_string_new (NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(AbJsonDoc) doc = NULL;

    for (gsize i = 0; i < depth; i++)
      g_string_append_c (s, '[');
    for (gsize i = 0; i < depth; i++)
      g_string_append_c (s, ']');
    doc = ab_json_doc_parse (s->str, s->len, "t.json", &limits, &error);
    g_assert_no_error (error);
  }
}

/* Whatever ab_json_write_double writes parses back to the same double. */
static void
test_write_round_trip (void)
{
  static const double fixed[] = { 0, -0.0, 1, -10, 0.1, 0.1 + 0.2, 1e20, -1e20, 1e15, 1e16, 1e17, 9.99e17, 1e18, 123456789012345678.0,
                                  1e-300, 5e-324, 1.7976931348623157e308, 2.5, 1.0 / 3 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (guint i = 0; i < G_N_ELEMENTS (fixed) + 2000; i++)
    {
      double v;
      g_autoptr(GString) s = g_string_new ("[");
      g_autoptr(GError) error = NULL;
      g_autoptr(AbJsonDoc) doc = NULL;
      JsonNode *n;
      double back;

      if (i < G_N_ELEMENTS (fixed))
        v = fixed[i];
      else
        {
          union { guint64 bits; double d; } u;
          do
            {
              u.bits = ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);
              v = u.d;
            }
          while (!isfinite (v));
        }
      ab_json_write_double (s, v);
      g_string_append (s, ", ");
      ab_json_write_string (s, "a\"b\\c\n\x01\xc3\xa9");
      g_string_append_c (s, ']');
      doc = ab_json_doc_parse (s->str, s->len, "w.json", NULL, &error);
      g_assert_no_error (error);
      n = json_array_get_element (json_node_get_array (ab_json_doc_get_root (doc)), 0);
      back = json_node_get_value_type (n) == G_TYPE_INT64 ? (double) json_node_get_int (n) : json_node_get_double (n);
      if (back != v)
        g_error ("%.17g written as %s reads back as %.17g", v, s->str, back);
      g_assert_cmpstr (json_array_get_string_element (json_node_get_array (ab_json_doc_get_root (doc)), 1),
                       ==, "a\"b\\c\n\x01\xc3\xa9");
    }
}

static void
test_snippet (void)
{
  g_autofree char *a = ab_json_snippet ("plain");
  g_autofree char *b = ab_json_snippet ("q\"b\\n\nt\t");
  g_autofree char *c = ab_json_snippet ("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                                        "0123456789012345678901234567890123456789");
  g_autofree char *d = ab_json_snippet (NULL);

  g_assert_cmpstr (a, ==, "plain");
  g_assert_cmpstr (b, ==, "q\\\"b\\\\n\\nt\\u0009");
  g_assert_cmpstr (c, ==, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                          "012345678901234567890123456789\xe2\x80\xa6");
  g_assert_cmpstr (d, ==, "");
}

static void
test_helpers (void)
{
  const char *text = "{\"s\": \"x\", \"n\": 2.5, \"i\": 7, \"b\": true, \"o\": {}, \"a\": [],\n \"f\": 1.5}";
  g_autoptr(GError) error = NULL;
  g_autoptr(AbJsonDoc) doc = ab_json_doc_parse (text, -1, "h.json", NULL, &error);
  JsonNode *root = ab_json_doc_get_root (doc);
  const char *s = NULL;
  double n = 0;
  gint64 i = 0;
  gboolean b = FALSE;
  JsonNode *o = NULL;
  static const char * const known[] = { "s", "n", "i", "b", "o", "a", NULL };

  g_assert_true (ab_json_doc_read_string (doc, root, "s", TRUE, &s, &error));
  g_assert_cmpstr (s, ==, "x");
  g_assert_true (ab_json_doc_read_number (doc, root, "n", TRUE, 0, 10, &n, &error));
  g_assert_cmpfloat (n, ==, 2.5);
  g_assert_true (ab_json_doc_read_number (doc, root, "i", TRUE, 0, 10, &n, &error));
  g_assert_cmpfloat (n, ==, 7);
  g_assert_true (ab_json_doc_read_int (doc, root, "i", TRUE, 0, 10, &i, &error));
  g_assert_cmpint (i, ==, 7);
  g_assert_true (ab_json_doc_read_bool (doc, root, "b", TRUE, &b, &error));
  g_assert_true (b);
  g_assert_true (ab_json_doc_read_object (doc, root, "o", TRUE, &o, &error));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (o));
  s = "unchanged";
  g_assert_true (ab_json_doc_read_string (doc, root, "missing", FALSE, &s, &error));
  g_assert_cmpstr (s, ==, "unchanged");
  g_assert_no_error (error);

  g_assert_false (ab_json_doc_read_string (doc, root, "missing", TRUE, &s, &error));
  g_assert_cmpstr (error->message, ==, "h.json:1:1: missing member \"missing\"");
  g_clear_error (&error);
  g_assert_false (ab_json_doc_read_string (doc, root, "n", TRUE, &s, &error));
  g_assert_cmpstr (error->message, ==, "h.json:1:17: \"n\" must be a string, not a number");
  g_clear_error (&error);
  g_assert_false (ab_json_doc_read_number (doc, root, "n", TRUE, 3, 10, &n, &error));
  g_assert_cmpstr (error->message, ==, "h.json:1:17: \"n\" is 2.5, outside the allowed range 3 to 10");
  g_clear_error (&error);
  g_assert_false (ab_json_doc_read_int (doc, root, "f", TRUE, 0, 10, &i, &error));
  g_assert_cmpstr (error->message, ==, "h.json:2:7: \"f\" must be a whole number, not 1.5");
  g_clear_error (&error);
  g_assert_false (ab_json_doc_read_int (doc, root, "i", TRUE, 0, 5, &i, &error));
  g_assert_nonnull (strstr (error->message, "\"i\" is 7, outside the allowed range 0 to 5"));
  g_clear_error (&error);
  g_assert_false (ab_json_doc_read_array (doc, root, "o", TRUE, &o, &error));
  g_assert_nonnull (strstr (error->message, "\"o\" must be an array, not an object"));
  g_clear_error (&error);
  g_assert_false (ab_json_doc_read_bool (doc, root, "s", TRUE, &b, &error));
  g_clear_error (&error);
  g_assert_false (ab_json_doc_check_members (doc, root, known, &error));
  g_assert_cmpstr (error->message, ==, "h.json:2:2: unknown member \"f\"");
  g_clear_error (&error);
  g_assert_false (ab_json_doc_expect_object (doc, json_object_get_member (json_node_get_object (root), "a"),
                                             "a thing", &error));
  g_assert_cmpstr (error->message, ==, "h.json:1:55: a thing must be an object, not an array");
}

static void
test_format_number (void)
{
  static const struct { double v; const char *text; } cases[] = {
    { 1e6, "1000000" }, { -1e6, "-1000000" }, { 0.001, "0.001" }, { 0.1 + 0.2, "0.3" },
    { -2.5, "-2.5" }, { 600000, "600000" }, { 1e12, "1000000000000" }, { 123.456, "123.456" },
    { 1e20, "1e+20" }, { 1e-12, "1e-12" }, { 0, "0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = ab_json_format_number (cases[i].v);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* Lists of the root read one element at a time: checked while parsing,
 * read again on demand, with positions; plain arrays answer the same
 * calls. */
static void
test_lazy_arrays (void)
{
  const char *text = "{\"a\": [\n  {\"id\": 1},\n  [2, {\"k\": \"v\"}],\n  3\n], \"b\": {\"c\": [4, 5]}}";
  AbJsonLimits limits = AB_JSON_LIMITS_DEFAULT;
  g_autoptr(GError) error = NULL;
  g_autoptr(AbJsonDoc) doc = NULL;
  JsonNode *root, *a, *c, *e;
  int line, col;

  limits.lazy_arrays = TRUE;
  doc = ab_json_doc_parse (text, -1, "t.json", &limits, &error);
  g_assert_no_error (error);
  root = ab_json_doc_get_root (doc);
  a = json_object_get_member (json_node_get_object (root), "a");
  /* Not kept: the json-glib array is empty. */
  g_assert_cmpuint (json_array_get_length (json_node_get_array (a)), ==, 0);
  g_assert_cmpuint (ab_json_doc_get_length (doc, a), ==, 3);

  e = ab_json_doc_get_element (doc, a, 1);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (e));
  g_assert_cmpint (json_array_get_int_element (json_node_get_array (e), 0), ==, 2);
  ab_json_doc_locate (doc, e, &line, &col);
  g_assert_cmpint (line, ==, 3);
  g_assert_cmpint (col, ==, 3);
  {
    JsonNode *inner = json_array_get_element (json_node_get_array (e), 1);
    JsonNode *v = json_object_get_member (json_node_get_object (inner), "k");
    g_autoptr(GError) e2 = NULL;

    ab_json_doc_key_error (doc, &e2, v, AB_ERROR_INVALID, "bad");
    g_assert_cmpstr (e2->message, ==, "t.json:3:8: bad");
    ab_json_doc_locate (doc, v, &line, &col);
    g_assert_cmpint (col, ==, 13);
  }
  e = ab_json_doc_get_element (doc, a, 0);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (e), "id"), ==, 1);
  ab_json_doc_locate (doc, json_object_get_member (json_node_get_object (e), "id"), &line, &col);
  g_assert_cmpint (line, ==, 2);
  g_assert_cmpint (col, ==, 10);
  e = ab_json_doc_get_element (doc, a, 2);
  g_assert_cmpint (json_node_get_int (e), ==, 3);

  /* Deeper arrays are plain. */
  c = json_object_get_member (json_object_get_object_member (json_node_get_object (root), "b"), "c");
  g_assert_cmpuint (ab_json_doc_get_length (doc, c), ==, 2);
  g_assert_cmpint (json_node_get_int (ab_json_doc_get_element (doc, c, 1)), ==, 5);
  ab_json_doc_locate (doc, ab_json_doc_get_element (doc, c, 1), &line, &col);
  g_assert_cmpint (line, ==, 5);
  g_assert_cmpint (col, ==, 19);

  /* Errors inside a lazy list are still found while parsing, in order. */
  assert_error ("{\"a\": [{}, {\"x\": 1, \"x\": 2}], \"b\": [}", -1, &limits, AB_ERROR_PARSE,
                "t.json:1:21: duplicate member name \"x\"");
  limits.max_depth = 3;
  assert_error ("{\"a\": [[[1]]]}", -1, &limits, AB_ERROR_TOO_LARGE, "t.json:1:9: nested deeper than 3 levels");
}

/* The memory estimate refuses a file of tiny values before building
 * anything, at the value that crosses the line, whatever the value
 * limits; files whose estimate stays small always pass. */
static void
test_memory_estimate (void)
{
  AbJsonLimits limits = AB_JSON_LIMITS_DEFAULT;
  g_autoptr(GString) text = g_string_new ("[");
  g_autoptr(GError) error = NULL;

  /* 20,000 empty objects: 6.6 MB parsed for 60 KB of text. */
  for (int i = 0; i < 20000; i++)
    g_string_append (text, i == 0 ? "{}" : ",{}");
  g_string_append (text, "]");
  {
    g_autoptr(AbJsonDoc) doc = ab_json_doc_parse (text->str, -1, "t.json", NULL, &error);

    g_assert_null (doc);
    g_assert_error (error, AB_ERROR, AB_ERROR_TOO_LARGE);
    /* 2 MiB at 330 bytes an object: the 6,355th one. */
    g_assert_cmpstr (error->message, ==, "t.json:1:19064: too many values for a file of 60,001 bytes: reading them "
                     "would take more than 2.0 MiB of memory (10 times the file's size)");
    g_clear_error (&error);
  }
  /* With no estimate, or a generous one, it loads. */
  limits.memory_factor = 0;
  {
    g_autoptr(AbJsonDoc) doc = ab_json_doc_parse (text->str, -1, "t.json", &limits, &error);
    g_assert_no_error (error);
  }
  limits.memory_factor = 120;
  {
    g_autoptr(AbJsonDoc) doc = ab_json_doc_parse (text->str, -1, "t.json", &limits, &error);
    g_assert_no_error (error);
  }
  /* Lazy lists count one element at a time. */
  g_string_prepend (text, "{\"a\": ");
  g_string_append (text, "}");
  limits.memory_factor = 10;
  limits.lazy_arrays = TRUE;
  {
    g_autoptr(AbJsonDoc) doc = ab_json_doc_parse (text->str, -1, "t.json", &limits, &error);
    g_assert_no_error (error);
  }
  /* The default limits (problem files, amendments) estimate too; a
   * problem file of tiny values is refused with its position. */
  {
    g_autoptr(GString) problem = g_string_new ("{\"format\": \"archboard-problem\", \"x\": [");

    for (int i = 0; i < 200000; i++)
      g_string_append (problem, i == 0 ? "[]" : ",[]");
    g_string_append (problem, "]}");
    g_clear_error (&error);
    g_assert_null (ab_problem_load_from_data (problem->str, problem->len, "p.json", &error));
    g_assert_error (error, AB_ERROR, AB_ERROR_TOO_LARGE);
    g_assert_true (g_str_has_prefix (error->message, "p.json:1:"));
    g_assert_nonnull (strstr (error->message, "too many values for a file of"));
  }
}

/* The memory estimate's error gives its figures as the learner's
 * language writes them: "2,0 MiB" in German, where it read "2.0 MiB",
 * and "60.001 Bytes", where it read "60001 Bytes"; so does a limit's. */
static void
test_memory_estimate_german (void)
{
  g_autoptr(GString) text = g_string_new ("[");
  g_autoptr(GError) error = NULL;
  g_autoptr(AbJsonDoc) doc = NULL;

  if (!g_test_subprocess ())
    {
      german_test_trap ();
      return;
    }
  german_test_enter ();
  for (int i = 0; i < 20000; i++)
    g_string_append (text, i == 0 ? "{}" : ",{}");
  g_string_append (text, "]");
  doc = ab_json_doc_parse (text->str, -1, "t.json", NULL, &error);
  g_assert_null (doc);
  g_assert_error (error, AB_ERROR, AB_ERROR_TOO_LARGE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, " 2,0 MiB "));
  g_assert_nonnull (strstr (error->message, "eine Datei von 60.001 Bytes:"));
  g_clear_error (&error);
  {
    AbJsonLimits limits = AB_JSON_LIMITS_DEFAULT;

    limits.max_bytes = 1000;
    g_string_truncate (text, 1001);
    assert_error (text->str, -1, &limits, AB_ERROR_TOO_LARGE, "t.json:1:1: Datei größer als 1.000 Bytes");
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json-loc/valid", test_valid);
  g_test_add_func ("/json-loc/scalars-and-bom", test_scalars_and_bom);
  g_test_add_func ("/json-loc/syntax-errors", test_syntax_errors);
  g_test_add_func ("/json-loc/bounds", test_bounds);
  g_test_add_func ("/json-loc/deep-nesting", test_deep_nesting);
  g_test_add_func ("/json-loc/helpers", test_helpers);
  g_test_add_func ("/json-loc/snippet", test_snippet);
  g_test_add_func ("/json-loc/write-round-trip", test_write_round_trip);
  g_test_add_func ("/json-loc/format-number", test_format_number);
  g_test_add_func ("/json-loc/lazy-arrays", test_lazy_arrays);
  g_test_add_func ("/json-loc/memory-estimate", test_memory_estimate);
  g_test_add_func ("/json-loc/memory-estimate-german", test_memory_estimate_german);
  return g_test_run ();
}
