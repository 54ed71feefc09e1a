/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A bounded JSON reader that remembers where every node came from, so
 * loaders can report "FILE:LINE:COL: what is wrong" for semantic errors
 * too, and refuses absurd input (size, depth, string length, counts). */
#pragma once

#include <json-glib/json-glib.h>

#include "ab-types.h"

G_BEGIN_DECLS

typedef struct {
  gsize max_bytes;        /* whole document; default 32 MiB */
  guint max_depth;        /* nesting; default 64, at most 1000 whatever is asked */
  gsize max_string;       /* bytes of one string; default 1 MiB */
  guint max_elements;     /* members of one object / elements of one array; default 100000 */
  /* Values (objects, arrays, strings, numbers, ...) in the whole document:
   * at most @max_values (0: no such limit) and, when @bytes_per_value is
   * set, at most one per @bytes_per_value bytes of input (but always
   * 4096).  Default: no limit. */
  guint max_values;
  guint bytes_per_value;
  /* Memory: before building anything, a quick scan estimates what the
   * parsed values would occupy at once (an object about 330 bytes, a
   * member 120, an array 150, another value 100, strings 32 more than
   * their text) and refuses the document when that is more than
   * @memory_factor times its size (documents whose estimate stays under
   * 2 MiB always pass).  0: no such limit.  Default 10. */
  guint memory_factor;
  /* Arrays that are members of the root object are not kept: their
   * elements are checked while parsing, dropped, and read again one at a
   * time with ab_json_doc_get_element(), so a long list costs the memory
   * of one element.  json_node_get_array() of such an array is empty. */
  gboolean lazy_arrays;
} AbJsonLimits;

#define AB_JSON_LIMITS_DEFAULT { 32u << 20, 64, 1u << 20, 100000, 0, 0, 10, FALSE }

typedef struct _AbJsonDoc AbJsonDoc;

/* Strict RFC 8259 JSON (no NaN / Infinity, no trailing commas, UTF-8).
 * Errors: AB_ERROR_PARSE / AB_ERROR_TOO_LARGE, "FILE:LINE:COL: ...".
 * @data is not copied: it must stay unchanged as long as the document,
 * which finds the positions of values in it when asked. */
AbJsonDoc  *ab_json_doc_parse      (const char          *data,
                                    gssize               length,
                                    const char          *filename,
                                    const AbJsonLimits  *limits, /* NULL = defaults */
                                    GError             **error);
void        ab_json_doc_free       (AbJsonDoc           *doc);
JsonNode   *ab_json_doc_get_root   (AbJsonDoc           *doc);
const char *ab_json_doc_get_filename (AbJsonDoc         *doc);
/* Arrays, lazy (AbJsonLimits.lazy_arrays) or not: the number of elements
 * and element @index.  The element of a lazy array is parsed again from
 * the text and stays valid until the next call for a lazy array (or the
 * document is freed); errors about it carry its line and column. */
guint       ab_json_doc_get_length  (AbJsonDoc          *doc,
                                     JsonNode           *array);
JsonNode   *ab_json_doc_get_element (AbJsonDoc          *doc,
                                     JsonNode           *array,
                                     guint               index);
/* 1-based line and column where @node starts (0, 0 if unknown).  Found
 * by walking the text along the node's path: cheap for the few nodes
 * an error names. */
void        ab_json_doc_locate     (AbJsonDoc           *doc,
                                    JsonNode            *node,
                                    int                 *line,
                                    int                 *column);
/* Sets @error to "FILE:LINE:COL: <message>" at @node. */
void        ab_json_doc_error      (AbJsonDoc           *doc,
                                    GError             **error,
                                    JsonNode            *node,
                                    AbErrorCode          code,
                                    const char          *format,
                                    ...) G_GNUC_PRINTF (5, 6);

/* Where the member name of the member whose value is @member_value starts
 * (falls back to the value's position). */
void        ab_json_doc_locate_key (AbJsonDoc           *doc,
                                    JsonNode            *member_value,
                                    int                 *line,
                                    int                 *column);
/* Like ab_json_doc_error() but at the member name ("unknown member"). */
void        ab_json_doc_key_error  (AbJsonDoc           *doc,
                                    GError             **error,
                                    JsonNode            *member_value,
                                    AbErrorCode          code,
                                    const char          *format,
                                    ...) G_GNUC_PRINTF (5, 6);

/* Helpers for loaders.  Each looks up member @name of the object @object;
 * a missing optional member leaves *out untouched and returns TRUE; a
 * missing required member, a wrong type or a value out of [min, max]
 * returns FALSE with "FILE:LINE:COL: ..." (AB_ERROR_INVALID). */
gboolean    ab_json_doc_read_string (AbJsonDoc          *doc,
                                     JsonNode           *object,
                                     const char         *name,
                                     gboolean            required,
                                     const char        **out,
                                     GError            **error);
gboolean    ab_json_doc_read_number (AbJsonDoc          *doc,
                                     JsonNode           *object,
                                     const char         *name,
                                     gboolean            required,
                                     double              min,
                                     double              max,
                                     double             *out,
                                     GError            **error);
gboolean    ab_json_doc_read_int    (AbJsonDoc          *doc,
                                     JsonNode           *object,
                                     const char         *name,
                                     gboolean            required,
                                     gint64              min,
                                     gint64              max,
                                     gint64             *out,
                                     GError            **error);
gboolean    ab_json_doc_read_bool   (AbJsonDoc          *doc,
                                     JsonNode           *object,
                                     const char         *name,
                                     gboolean            required,
                                     gboolean           *out,
                                     GError            **error);
/* *out is the member node (borrowed) of type object / array. */
gboolean    ab_json_doc_read_object (AbJsonDoc          *doc,
                                     JsonNode           *object,
                                     const char         *name,
                                     gboolean            required,
                                     JsonNode          **out,
                                     GError            **error);
gboolean    ab_json_doc_read_array  (AbJsonDoc          *doc,
                                     JsonNode           *object,
                                     const char         *name,
                                     gboolean            required,
                                     JsonNode          **out,
                                     GError            **error);
/* @node must be an object; @what names it in the message ("a component",
 * in the user's language: the messages of this reader are translated). */
gboolean    ab_json_doc_expect_object (AbJsonDoc        *doc,
                                     JsonNode           *node,
                                     const char         *what,
                                     GError            **error);
/* Refuses members of @object not in the NULL-terminated @known list. */
gboolean    ab_json_doc_check_members (AbJsonDoc        *doc,
                                     JsonNode           *object,
                                     const char * const *known,
                                     GError            **error);
/* @text made safe to quote in a message: control characters, quotes and
 * backslashes escaped, cut to 40 characters with "…".  Free with g_free. */
char       *ab_json_snippet         (const char         *text);
/* Writing JSON text that this reader (and any strict one) accepts:
 * a quoted, escaped string; the shortest text that reads back as the same
 * finite double ("0.1", "1e+20", whole numbers as "-10").  json-glib 1.6's
 * generator writes large doubles as "1e+20.0", which is not JSON. */
void        ab_json_write_string    (GString            *out,
                                     const char         *str);
void        ab_json_write_double    (GString            *out,
                                     double              value);
/* Characters that text (labels, notes, problem texts) may hold: what XML
 * 1.0 can carry (tab, newline, carriage return, U+0020 up, no surrogates)
 * minus the Unicode non-characters (U+FDD0..U+FDEF and the last two code
 * points of every plane, U+FFFE, U+FFFF, U+1FFFE, ...).  The reader
 * refuses strings holding non-characters or surrogates, at their line and
 * column; control characters (escaped) are left to the format's rules. */
gboolean    ab_text_char_is_valid   (gunichar            c);
/* "a Unicode non-character" / "a control character" for messages (in the
 * user's language). */
const char *ab_text_char_describe   (gunichar            c);
/* @text (at most @max_bytes of it, -1: all) as valid UTF-8 in which every
 * character ab_text_char_is_valid() refuses is replaced by U+FFFD: for text
 * typed or pasted in the app.  Free with g_free. */
char       *ab_text_make_valid      (const char         *text,
                                     gssize              max_bytes);
/* @value for a message as a plain number a person reads: "1000000",
 * "0.001", "-2.5" (never "1e+06"); only beyond 10^18 or below 10^-9 in
 * magnitude "1e+20".  Free with g_free. */
char       *ab_json_format_number   (double              value);
/* "a string", "a number", "an object", ... for messages (in the user's
 * language). */
const char *ab_json_describe_node   (JsonNode           *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AbJsonDoc, ab_json_doc_free)

G_END_DECLS
