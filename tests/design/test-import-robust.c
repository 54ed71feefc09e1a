/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Import (ab-import.c): every value range-checked with file:line, ids
 * bounded, reference connections checked against the catalog, and the
 * output folder written all or nothing (failures injected at every
 * point, including after the first file). */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "archboard-core.h"

static const char valid_problem[] =
  "# Set\n"                                      /* 1 */
  "\n"                                           /* 2 */
  "Total Problems: 1\n"                          /* 3 */
  "\n"                                           /* 4 */
  "## 1. Tiny Store\n"                           /* 5 */
  "\n"                                           /* 6 */
  "**ID:** tiny-store\n"                         /* 7 */
  "**Category:** storage\n"                      /* 8 */
  "**Difficulty:** Easy\n"                       /* 9 */
  "\n"                                           /* 10 */
  "### Summary\n"                                /* 11 */
  "\n"                                           /* 12 */
  "A tiny store\n"                               /* 13 */
  "\n"                                           /* 14 */
  "### Goal\n"                                   /* 15 */
  "\n"                                           /* 16 */
  "Learn.\n"                                     /* 17 */
  "\n"                                           /* 18 */
  "### Description\n"                            /* 19 */
  "\n"                                           /* 20 */
  "Store things.\n"                              /* 21 */
  "\n"                                           /* 22 */
  "### Functional Requirements\n"                /* 23 */
  "\n"                                           /* 24 */
  "- Store things\n"                             /* 25 */
  "\n"                                           /* 26 */
  "### Non-Functional Requirements\n"            /* 27 */
  "\n"                                           /* 28 */
  "- **Latency:** P95 < 20ms for reads\n"        /* 29 */
  "- **Request Rate:** 100 ops/sec\n"            /* 30 */
  "\n"                                           /* 31 */
  "### Constants/Assumptions\n"                  /* 32 */
  "\n"                                           /* 33 */
  "- **ops_per_sec:** 100\n"                     /* 34 */
  "- **sizes:** [1, 2.5, big]\n"                 /* 35 */
  "\n"                                           /* 36 */
  "### Available Components\n"                   /* 37 */
  "\n"                                           /* 38 */
  "- client\n"                                   /* 39 */
  "- app\n"                                      /* 40 */
  "- db_primary\n"                               /* 41 */
  "\n"                                           /* 42 */
  "### Hints\n"                                  /* 43 */
  "\n"                                           /* 44 */
  "1. Think\n"                                   /* 45 */
  "\n"                                           /* 46 */
  "### Tiers/Checkpoints\n"                      /* 47 */
  "\n"                                           /* 48 */
  "**T0: Store**\n"                              /* 49 */
  "  - Must include: db_primary\n"               /* 50 */
  "  - Minimum 2 of type: app\n"                 /* 51 */
  "\n"                                           /* 52 */
  "### Reference Solution\n"                     /* 53 */
  "\n"                                           /* 54 */
  "Two apps in front of one database.\n"         /* 55 */
  "\n"                                           /* 56 */
  "**Components:**\n"                            /* 57 */
  "- Users (redirect_client)\n"                  /* 58 */
  "- API (v2) (app)\n"                           /* 59 */
  "- DB (db_primary)\n"                          /* 60 */
  "\n"                                           /* 61 */
  "**Connections:**\n"                           /* 62 */
  "- Users → API (v2)\n"                         /* 63 */
  "- API (v2) -> DB\n"                           /* 64 */
  "\n"                                           /* 65 */
  "### Solution Analysis\n"                      /* 66 */
  "\n"                                           /* 67 */
  "**Overview:** fine.\n"                        /* 68 */
  "\n"                                           /* 69 */
  "---\n";

static char *
replace_once (const char *text,
              const char *from,
              const char *to)
{
  const char *at = strstr (text, from);
  GString *out;

  g_assert_nonnull (at);
  out = g_string_new_len (text, at - text);
  g_string_append (out, to);
  g_string_append (out, at + strlen (from));
  return g_string_free (out, FALSE);
}

static void
test_ranges (void)
{
  static const struct {
    const char *from, *to;
    int code;
    const char *where;
    const char *what;
  } cases[] = {
    { "P95 < 20ms", "P95 < 0ms", AB_ERROR_INVALID, "tiny.md:29: problem tiny-store", "latency 0ms must be more than 0" },
    { "P95 < 20ms", "P95 < -5ms", AB_ERROR_INVALID, "tiny.md:29: problem tiny-store", "latency -5ms must be more than 0" },
    { "P95 < 20ms", "P150 < 20ms", AB_ERROR_INVALID, "tiny.md:29: problem tiny-store", "percentile P150" },
    { "- **Latency:** P95 < 20ms for reads", "- **Availability:** -5% uptime", AB_ERROR_INVALID,
      "tiny.md:29: problem tiny-store", "-5% is not a percentage (0 to 100)" },
    { "- **Latency:** P95 < 20ms for reads", "- **Availability:** 150% uptime", AB_ERROR_INVALID,
      "tiny.md:29: problem tiny-store", "150% is not a percentage" },
    { "100 ops/sec", "-100 ops/sec", AB_ERROR_INVALID, "tiny.md:30: problem tiny-store", "rate -100 must be more than 0" },
    { "100 ops/sec", "0 ops/sec", AB_ERROR_INVALID, "tiny.md:30: problem tiny-store", "no usable rate" },
    { "100 ops/sec", "99999999999999999999 ops/sec", AB_ERROR_INVALID, "tiny.md:30: problem tiny-store", "no usable rate" },
    { "100 ops/sec", "lots of ops, 100 of them", AB_ERROR_INVALID, "tiny.md:30: problem tiny-store", "no usable rate" },
    { "**ID:** tiny-store", "**ID:** tiny-store-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      AB_ERROR_TOO_LARGE, "tiny.md:7: problem #1", "ID is longer than 64 characters" },
    { "- Users → API (v2)", "- Users → DB", AB_ERROR_INVALID, "tiny.md:63: problem tiny-store", "connection \"Users → DB\" is not allowed" },
    { "A tiny store", "A \xef\xbf\xbe" "store", AB_ERROR_PARSE, "tiny.md:13:3:", "U+FFFE cannot be used in text: it is a Unicode non-character" },
    { "Store things.", "Store \xef\xb7\x90", AB_ERROR_PARSE, "tiny.md:21:7:", "U+FDD0 cannot be used in text" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = replace_once (valid_problem, cases[i].from, cases[i].to);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) problems = ab_import_markdown (text, -1, "tiny.md", &error);

      g_test_message ("case %u: %s", i, error != NULL ? error->message : "(no error)");
      g_assert_null (problems);
      g_assert_error (error, AB_ERROR, cases[i].code);
      g_assert_true (g_str_has_prefix (error->message, cases[i].where));
      g_assert_nonnull (strstr (error->message, cases[i].what));
    }
}

static void
test_ranges_accepted (void)
{
  static const struct { const char *from, *to; } cases[] = {
    { "P95 < 20ms", "P99.9 < 0.5ms" },
    { "- **Latency:** P95 < 20ms for reads", "- **Availability:** 99.999% uptime, sub-10cm accuracy" },
    { "- **Latency:** P95 < 20ms for reads", "- **Availability:** 100% uptime" },
    { "100 ops/sec", "1,000 reads/s, 200 writes/s" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = replace_once (valid_problem, cases[i].from, cases[i].to);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) problems = ab_import_markdown (text, -1, "tiny.md", &error);

      g_assert_no_error (error);
      g_assert_nonnull (problems);
    }
}

/* ---- writing the folder ---- */

static GPtrArray *
some_problems (void)
{
  const char *srcdir = g_getenv ("ARCHBOARD_SRCDIR");
  g_autofree char *path = g_build_filename (srcdir != NULL ? srcdir : ".", "problems", "storage.md", NULL);
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *problems;
  gsize length;

  g_file_get_contents (path, &data, &length, &error);
  g_assert_no_error (error);
  problems = ab_import_markdown (data, length, path, &error);
  g_assert_no_error (error);
  g_ptr_array_set_size (problems, 3);   /* enough to fail between files */
  return problems;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* Names and contents of every file below @dir (one level of folders). */
static char *
snapshot (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);
  const char *name;

  if (d == NULL)
    return g_strdup ("(none)");
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, names->pdata[i], NULL);
      g_autofree char *contents = NULL;

      g_string_append_printf (out, "%s:", (char *) names->pdata[i]);
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          g_autofree char *inner = snapshot (path);
          g_string_append_printf (out, "[%s]", inner);
        }
      else if (g_file_get_contents (path, &contents, NULL, NULL))
        g_string_append_printf (out, "%zu:%u", strlen (contents), g_str_hash (contents));
      g_string_append_c (out, '\n');
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) d = g_dir_open (path, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* Fails every failure point in turn: @root (which holds the output folder)
 * is unchanged after each failure; returns the number of points. */
static int
fail_everywhere (GPtrArray *problems, const char *root, const char *out)
{
  g_autofree char *before = snapshot (root);
  int n;

  for (n = 0; n < 1000; n++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *after = NULL;
      gboolean ok;

      ab_save_test_fail_at (n);
      ok = ab_import_write_folder (problems, out, &error);
      ab_save_test_fail_at (-1);
      if (ok)
        break;
      g_assert_error (error, AB_ERROR, AB_ERROR_IO);
      after = snapshot (root);
      g_assert_cmpstr (after, ==, before);
    }
  g_assert_cmpint (n, <, 1000);
  return n;
}

static void
test_write_new_folder (void)
{
  g_autoptr(GPtrArray) problems = some_problems ();
  g_autoptr(GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("ab-import-XXXXXX", &error);
  g_autofree char *out = g_build_filename (root, "out", NULL);
  g_autofree char *result = NULL;
  int points;

  g_assert_no_error (error);
  points = fail_everywhere (problems, root, out);
  /* each of the 3 files: create, write, sync, close, rename; then the folder */
  g_assert_cmpint (points, >=, 3 * 4 + 2);
  result = snapshot (out);
  g_assert_nonnull (strstr (result, ((AbProblem *) problems->pdata[0])->id));
  remove_tree (root);
}

static void
test_write_existing_folder (void)
{
  g_autoptr(GPtrArray) problems = some_problems ();
  g_autoptr(GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("ab-import-XXXXXX", &error);
  g_autofree char *out = g_build_filename (root, "out", NULL);
  g_autofree char *old_name = g_strconcat (((AbProblem *) problems->pdata[1])->id, ".json", NULL);
  g_autofree char *old_path = g_build_filename (out, old_name, NULL);
  g_autofree char *keep = g_build_filename (out, "keep.txt", NULL);
  g_autofree char *contents = NULL;
  int points;

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir (out, 0755), ==, 0);
  g_file_set_contents (keep, "not ours", -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (old_path, "the old problem file", -1, &error);
  g_assert_no_error (error);
  points = fail_everywhere (problems, root, out);
  /* writes, then per file: keep the old one (one file has one), move */
  g_assert_cmpint (points, >=, 3 * 4 + 1 + 3 + 1);
  g_file_get_contents (old_path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "{"));
  g_clear_pointer (&contents, g_free);
  g_file_get_contents (keep, &contents, NULL, &error);
  g_assert_cmpstr (contents, ==, "not ours");
  {
    g_autofree char *listing = snapshot (out);
    g_assert_null (strstr (listing, ".import-"));
  }
  remove_tree (root);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/import/ranges", test_ranges);
  g_test_add_func ("/import/ranges-accepted", test_ranges_accepted);
  g_test_add_func ("/import/write-new-folder", test_write_new_folder);
  g_test_add_func ("/import/write-existing-folder", test_write_existing_folder);
  return g_test_run ();
}
