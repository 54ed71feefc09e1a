/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checks shared by the fuzz harnesses: what a refusal must look like and
 * byte-for-byte comparison of round trips. */
#define G_LOG_DOMAIN "archboard-fuzz"

#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ab-types.h"
#include "fuzz-common.h"

/* A message that quotes a megabyte of input is a bug of its own;
 * $ARCHBOARD_FUZZ_MAX_MESSAGE overrides the bound. */
#define MAX_MESSAGE_BYTES 4096

static gsize max_message_bytes = MAX_MESSAGE_BYTES;

gboolean ab_fuzz_last_accepted;

static void
discard_log (const char     *log_domain,
             GLogLevelFlags  log_level,
             const char     *message,
             gpointer        user_data)
{
}

void
ab_fuzz_setup (void)
{
  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  g_log_set_handler (NULL, G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO | G_LOG_LEVEL_MESSAGE,
                     discard_log, NULL);
  g_log_set_handler ("archboard-core", G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO | G_LOG_LEVEL_MESSAGE,
                     discard_log, NULL);
  if (g_getenv ("ARCHBOARD_FUZZ_MAX_MESSAGE") != NULL)
    max_message_bytes = g_ascii_strtoull (g_getenv ("ARCHBOARD_FUZZ_MAX_MESSAGE"), NULL, 10);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  ab_fuzz_setup ();
  return 0;
}

static G_NORETURN void G_GNUC_PRINTF (1, 2)
fail (const char *format,
      ...)
{
  va_list args;

  va_start (args, format);
  fputs ("fuzz: ", stderr);
  vfprintf (stderr, format, args);
  fputc ('\n', stderr);
  va_end (args);
  abort ();
}

static const char *
skip_number (const char *s)
{
  if (!g_ascii_isdigit (*s))
    return NULL;
  while (g_ascii_isdigit (*s))
    s++;
  return *s == ':' ? s + 1 : NULL;
}

void
ab_fuzz_check_error (const GError *error,
                     const char   *filename,
                     gboolean      with_column)
{
  const char *msg;
  const char *rest;
  gsize len;

  if (error == NULL)
    fail ("refused without a GError");
  if (error->domain != AB_ERROR)
    fail ("error in domain %s, not AB_ERROR: %s",
          g_quark_to_string (error->domain), error->message);
  msg = error->message;
  if (msg == NULL)
    fail ("error without a message");
  len = strlen (msg);
  if (len > max_message_bytes)
    fail ("error message of %" G_GSIZE_FORMAT " bytes: %.200s...", len, msg);
  if (!g_utf8_validate (msg, -1, NULL))
    fail ("error message is not valid UTF-8: %s", msg);
  if (!g_str_has_prefix (msg, filename) || msg[strlen (filename)] != ':')
    fail ("error message does not start with \"%s:\": %s", filename, msg);
  rest = skip_number (msg + strlen (filename) + 1);
  if (rest != NULL && with_column)
    rest = skip_number (rest);
  if (rest == NULL)
    fail ("error message does not start with \"%s:LINE:%s\": %s",
          filename, with_column ? "COL:" : "", msg);
  while (*rest == ' ')
    rest++;
  if (*rest == '\0')
    fail ("error message says where but not what: %s", msg);
}

void
ab_fuzz_check_same (const char *what,
                    const char *a,
                    gsize       a_len,
                    const char *b,
                    gsize       b_len)
{
  gsize i = 0;

  if (a == NULL || b == NULL)
    fail ("%s: no data", what);
  while (i < a_len && i < b_len && a[i] == b[i])
    i++;
  if (i == a_len && i == b_len)
    return;
  {
    gsize from = i > 60 ? i - 60 : 0;
    fail ("%s: differs at byte %" G_GSIZE_FORMAT " (lengths %" G_GSIZE_FORMAT
          " and %" G_GSIZE_FORMAT ")\n--- first:\n%.*s\n--- second:\n%.*s",
          what, i, a_len, b_len,
          (int) MIN (a_len - from, 160), a + from,
          (int) MIN (b_len - from, 160), b + from);
  }
}
