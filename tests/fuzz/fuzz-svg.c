/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness for SVG export: whatever text a design holds, the SVG
 * written is well-formed XML made only of characters XML can carry.  The
 * input is used twice: as a design file (exported when it loads), and
 * line by line as the title, notes, component and connection labels of a
 * design built with the editing API (text a user types or pastes). */
#define G_LOG_DOMAIN "archboard-fuzz"

#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ab-design.h"
#include "ab-export.h"
#include "ab-json-loc.h"
#include "fuzz-common.h"

#define MAX_PIECES 12

static char *svg_path;

static G_NORETURN void
broken (const char *what,
        const char *detail)
{
  g_printerr ("fuzz-svg: %s%s%s\n", what, detail != NULL ? ": " : "", detail != NULL ? detail : "");
  abort ();
}

static void
on_error (GMarkupParseContext *context,
          GError              *error,
          gpointer             user_data)
{
}

static void
check_svg (AbDesign *design)
{
  static const GMarkupParser parser = { NULL, NULL, NULL, NULL, on_error };
  g_autoptr(GError) error = NULL;
  g_autofree char *svg = NULL;
  gsize length = 0;
  AbExportOptions options;
  GMarkupParseContext *context;
  gboolean ok;

  ab_export_options_init (&options);
  options.format = AB_EXPORT_SVG;
  if (!ab_export_to_file (design, svg_path, &options, &error))
    {
      /* An empty design has nothing to export; anything else must work. */
      if (g_error_matches (error, AB_ERROR, AB_ERROR_INVALID) && ab_design_get_n_components (design) == 0)
        return;
      broken ("SVG export failed", error->message);
    }
  if (!g_file_get_contents (svg_path, &svg, &length, &error))
    broken ("cannot read the SVG back", error->message);
  if (!g_utf8_validate_len (svg, length, NULL))
    broken ("SVG is not UTF-8", NULL);
  for (const char *p = svg; p < svg + length; p = g_utf8_next_char (p))
    if (!ab_text_char_is_valid (g_utf8_get_char (p)))
      {
        g_autofree char *where = g_strdup_printf ("U+%04X at byte %ld", g_utf8_get_char (p), (long) (p - svg));
        broken ("SVG holds a character XML cannot carry", where);
      }
  /* GMarkup parses a subset of XML strictly enough: unbalanced or
   * unescaped markup, bad entities and bad attributes are errors. */
  {
    const char *body = strstr (svg, "<svg");

    if (body == NULL)
      broken ("no <svg> element", NULL);
    context = g_markup_parse_context_new (&parser, 0, NULL, NULL);
    ok = g_markup_parse_context_parse (context, body, (gssize) (length - (gsize) (body - svg)), &error) &&
         g_markup_parse_context_end_parse (context, &error);
    g_markup_parse_context_free (context);
    if (!ok)
      broken ("SVG is not well-formed", error->message);
  }
}

static void
remove_svg (void)
{
  g_unlink (svg_path);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const AbKind kinds[] = { AB_KIND_CLIENT, AB_KIND_LB, AB_KIND_APP, AB_KIND_CACHE, AB_KIND_DB_PRIMARY };
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_auto(GStrv) pieces = NULL;
  g_autoptr(AbDesign) loaded = NULL;
  g_autoptr(AbDesign) built = ab_design_new (NULL);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  guint n;

  ab_fuzz_last_accepted = TRUE;
  if (svg_path == NULL)
    {
      int fd = g_file_open_tmp ("fuzz-svg-XXXXXX.svg", &svg_path, NULL);

      if (fd < 0)
        broken ("no temporary file", NULL);
      close (fd);
      atexit (remove_svg);
    }

  /* 1. As a design file: a design that loads exports valid SVG. */
  loaded = ab_design_load_from_data ((const char *) data, (gssize) size, "fuzz.archboard", NULL);
  if (loaded != NULL)
    check_svg (loaded);

  /* 2. Line by line as typed text (NUL bytes end the text early). */
  pieces = g_strsplit (text, "\n", MAX_PIECES);
  n = g_strv_length (pieces);
  if (n > 0)
    ab_design_set_title (built, pieces[0]);
  if (n > 1)
    ab_design_set_notes (built, pieces[1]);
  for (guint i = 0; i < n; i++)
    {
      const char *id = ab_design_add_component (built, kinds[i % G_N_ELEMENTS (kinds)], pieces[i],
                                                (double) (i % 4) * 260, (double) (i / 4) * 180, 1 + (int) i);
      g_ptr_array_add (ids, g_strdup (id));
    }
  for (guint i = 1; i < n; i++)
    {
      const char *e = ab_design_connect (built, ids->pdata[i - 1], ids->pdata[i], NULL);

      if (e != NULL)
        ab_design_set_connection_label (built, e, pieces[n - i]);
    }
  check_svg (built);
  return 0;
}
