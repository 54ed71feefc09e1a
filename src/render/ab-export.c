/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Export of a design (or a selection) to PNG, SVG or PDF.  Everything is
 * drawn by ab-render; the SVG gets its text as real <text> elements
 * (cairo would write glyph outlines) at the positions pango measured. */
#define G_LOG_DOMAIN "archboard-render"

#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "ab-export.h"
#include "ab-render-private.h"
#include "ab-save.h"

#define MAX_PIXELS_SIDE 32767
/* 4 bytes a pixel: at most 256 MB of image memory. */
#define MAX_PIXELS 64000000
#define MAX_SCALE 8.0
/* Between the diagram and the legend under it, design units. */
#define LEGEND_MARGIN 16.0

void
ab_export_options_init (AbExportOptions *options)
{
  memset (options, 0, sizeof *options);
  options->format = AB_EXPORT_PNG;
  options->scale = 1.0;
  options->margin = 24.0;
}

gboolean
ab_export_format_from_path (const char     *path,
                            AbExportFormat *out)
{
  const char *dot;
  AbExportFormat format;

  if (path == NULL)
    return FALSE;
  dot = strrchr (path, '.');
  if (dot == NULL || strchr (dot, '/') != NULL)
    return FALSE;
  if (g_ascii_strcasecmp (dot, ".png") == 0)
    format = AB_EXPORT_PNG;
  else if (g_ascii_strcasecmp (dot, ".svg") == 0)
    format = AB_EXPORT_SVG;
  else if (g_ascii_strcasecmp (dot, ".pdf") == 0)
    format = AB_EXPORT_PDF;
  else
    return FALSE;
  if (out != NULL)
    *out = format;
  return TRUE;
}

static cairo_status_t
append_bytes (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static gboolean
cairo_ok (cairo_status_t status, const char *path, GError **error)
{
  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;
  g_set_error (error, AB_ERROR, status == CAIRO_STATUS_NO_MEMORY ? AB_ERROR_TOO_LARGE : AB_ERROR_IO,
               "%s: could not draw the export: %s", path, cairo_status_to_string (status));
  return FALSE;
}

static void
render_into (cairo_t               *cr,
             AbDesign              *design,
             const AbExportOptions *options,
             const AbRect          *bounds,
             double                 scale,
             AbTextSink             sink,
             gpointer               sink_data)
{
  AbRenderOptions render;

  ab_render_options_init (&render);
  render.dark = options->dark;
  render.transparent = options->transparent;
  render.slide = TRUE;
  cairo_scale (cr, scale, scale);
  cairo_translate (cr, options->margin - bounds->x, options->margin - bounds->y);
  ab_render_design_full (cr, design, &render, NULL, options->selection, sink, sink_data);
  if (ab_render_legend_needed (design, options->selection))
    {
      double lw, lh;

      /* The bounds were grown for it: the legend sits at their bottom left. */
      ab_render_legend_size (&lw, &lh);
      ab_render_legend (cr, &render, bounds->x, bounds->y + bounds->height - lh, sink, sink_data);
    }
}

/* ---- SVG text ---- */

static void
append_number (GString *out, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.2f", v));
}

static char *
css_font_family (void)
{
  g_auto(GStrv) names = g_strsplit (ab_render_font_family (), ",", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; names[i] != NULL; i++)
    {
      char *name = g_strstrip (names[i]);

      if (out->len > 0)
        g_string_append (out, ", ");
      if (strchr (name, ' ') != NULL)
        g_string_append_printf (out, "'%s'", name);
      else
        g_string_append (out, name);
    }
  return g_string_free (out, FALSE);
}

typedef struct {
  GString *text;
  char *family;
} SvgText;

static void
svg_text_sink (const AbTextRun *run, gpointer user_data)
{
  SvgText *svg = user_data;
  GString *out = svg->text;
  g_autofree char *shown = g_markup_escape_text (run->text, -1);

  g_string_append (out, "<text x=\"");
  append_number (out, run->x);
  g_string_append (out, "\" y=\"");
  append_number (out, run->baseline);
  g_string_append_printf (out, "\" font-family=\"%s\" font-size=\"", svg->family);
  append_number (out, run->size);
  g_string_append_printf (out, "px\" font-weight=\"%d\" fill=\"#%02x%02x%02x\"",
                          run->weight,
                          (int) round (CLAMP (run->rgba[0], 0, 1) * 255),
                          (int) round (CLAMP (run->rgba[1], 0, 1) * 255),
                          (int) round (CLAMP (run->rgba[2], 0, 1) * 255));
  if (run->rgba[3] < 1.0)
    {
      g_string_append (out, " fill-opacity=\"");
      append_number (out, run->rgba[3]);
      g_string_append (out, "\"");
    }
  if (run->centered)
    g_string_append (out, " text-anchor=\"middle\"");
  if (run->width > 0)
    {
      g_string_append (out, " textLength=\"");
      append_number (out, run->width);
      g_string_append (out, "\" lengthAdjust=\"spacingAndGlyphs\"");
    }
  g_string_append (out, " xml:space=\"preserve\">");
  if (run->full_text != NULL && g_strcmp0 (run->full_text, run->text) != 0)
    {
      g_autofree char *valid = g_utf8_make_valid (run->full_text, -1);
      g_autofree char *full = NULL;

      for (char *p = valid; *p != '\0'; p++)
        if ((guchar) *p < 0x20 || *p == 0x7f)
          *p = ' ';
      full = g_markup_escape_text (valid, -1);
      g_string_append_printf (out, "<title>%s</title>", full);
    }
  g_string_append_printf (out, "%s</text>\n", shown);
}

static gboolean
export_svg (AbDesign              *design,
            const AbExportOptions *options,
            const AbRect          *bounds,
            const char            *path,
            GByteArray            *bytes,
            GError               **error)
{
  double w = bounds->width + 2 * options->margin, h = bounds->height + 2 * options->margin;
  cairo_surface_t *surface = cairo_svg_surface_create_for_stream (append_bytes, bytes, w, h);
  SvgText svg = { g_string_new (NULL), css_font_family () };
  cairo_status_t status;
  cairo_t *cr;
  const char *end;
  gsize insert_at;

  cairo_svg_surface_restrict_to_version (surface, CAIRO_SVG_VERSION_1_1);
  cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PX);
  cr = cairo_create (surface);
  render_into (cr, design, options, bounds, 1.0, svg_text_sink, &svg);
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (!cairo_ok (status, path, error))
    {
      g_string_free (svg.text, TRUE);
      g_free (svg.family);
      return FALSE;
    }

  /* Put the text layer just before the closing tag. */
  g_byte_array_append (bytes, (const guint8 *) "", 1);
  end = g_strrstr ((const char *) bytes->data, "</svg>");
  g_byte_array_set_size (bytes, bytes->len - 1);
  if (end == NULL)
    {
      g_set_error (error, AB_ERROR, AB_ERROR_IO, "%s: cairo wrote an SVG without </svg>", path);
      g_string_free (svg.text, TRUE);
      g_free (svg.family);
      return FALSE;
    }
  insert_at = (gsize) (end - (const char *) bytes->data);
  g_string_prepend (svg.text, "<g id=\"text\">\n");
  g_string_append (svg.text, "</g>\n");
  {
    g_autoptr(GByteArray) tail = g_byte_array_new ();

    g_byte_array_append (tail, bytes->data + insert_at, bytes->len - insert_at);
    g_byte_array_set_size (bytes, insert_at);
    g_byte_array_append (bytes, (const guint8 *) svg.text->str, svg.text->len);
    g_byte_array_append (bytes, tail->data, tail->len);
  }
  g_string_free (svg.text, TRUE);
  g_free (svg.family);
  return TRUE;
}

static gboolean
export_pdf (AbDesign              *design,
            const AbExportOptions *options,
            const AbRect          *bounds,
            const char            *path,
            GByteArray            *bytes,
            GError               **error)
{
  double w = bounds->width + 2 * options->margin, h = bounds->height + 2 * options->margin;
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (append_bytes, bytes, w, h);
  const char *title = ab_design_get_title (design);
  cairo_status_t status;
  cairo_t *cr;

  if (title != NULL && *title != '\0')
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Archboard " PACKAGE_VERSION);
  cr = cairo_create (surface);
  render_into (cr, design, options, bounds, 1.0, NULL, NULL);
  cairo_show_page (cr);
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  return cairo_ok (status, path, error);
}

static gboolean
export_png (AbDesign              *design,
            const AbExportOptions *options,
            const AbRect          *bounds,
            const char            *path,
            GByteArray            *bytes,
            GError               **error)
{
  double w = ceil ((bounds->width + 2 * options->margin) * options->scale);
  double h = ceil ((bounds->height + 2 * options->margin) * options->scale);
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  if (w > MAX_PIXELS_SIDE || h > MAX_PIXELS_SIDE || w * h > MAX_PIXELS)
    {
      g_set_error (error, AB_ERROR, AB_ERROR_TOO_LARGE,
                   "%s: the image would be %.0f x %.0f pixels, more than %d a side or %d million in all; "
                   "export SVG or PDF, or use a smaller scale",
                   path, w, h, MAX_PIXELS_SIDE, MAX_PIXELS / 1000000);
      return FALSE;
    }
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) w, (int) h);
  cr = cairo_create (surface);
  render_into (cr, design, options, bounds, options->scale, NULL, NULL);
  status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_write_to_png_stream (surface, append_bytes, bytes);
  cairo_surface_destroy (surface);
  return cairo_ok (status, path, error);
}

gboolean
ab_export_to_file (AbDesign              *design,
                   const char            *path,
                   const AbExportOptions *options,
                   GError               **error)
{
  AbExportOptions defaults, filtered;
  g_autoptr(GPtrArray) components = NULL;
  g_autoptr(GByteArray) bytes = NULL;
  AbRect bounds;
  gboolean ok;

  g_return_val_if_fail (AB_IS_DESIGN (design), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (options == NULL)
    {
      ab_export_options_init (&defaults);
      ab_export_format_from_path (path, &defaults.format);
      options = &defaults;
    }
  if (!(options->scale > 0 && options->scale <= MAX_SCALE))
    {
      g_set_error (error, AB_ERROR, AB_ERROR_INVALID,
                   "%s: scale %g is out of range (more than 0, at most %g)", path, options->scale, MAX_SCALE);
      return FALSE;
    }
  if (!(options->margin >= 0 && options->margin <= 10000))
    {
      g_set_error (error, AB_ERROR, AB_ERROR_INVALID,
                   "%s: margin %g is out of range (0 to 10000)", path, options->margin);
      return FALSE;
    }
  if (options->selection != NULL)
    {
      components = g_ptr_array_new ();
      for (guint i = 0; options->selection[i] != NULL; i++)
        {
          const char *id = options->selection[i];

          if (ab_design_find_component (design, id) != NULL)
            g_ptr_array_add (components, (gpointer) id);
          else if (ab_design_find_connection (design, id) == NULL)
            {
              g_set_error (error, AB_ERROR, AB_ERROR_NOT_FOUND,
                           "%s: the selection names \"%s\", which is no component or connection of the design",
                           path, id);
              return FALSE;
            }
        }
      g_ptr_array_add (components, NULL);
      filtered = *options;
      filtered.selection = (const char * const *) components->pdata;
      options = &filtered;
    }
  if (!ab_render_bounds (design, options->selection, &bounds))
    {
      g_set_error (error, AB_ERROR, AB_ERROR_INVALID,
                   "%s: nothing to export: the %s has no components", path,
                   options->selection != NULL ? "selection" : "design");
      return FALSE;
    }
  if (ab_render_legend_needed (design, options->selection))
    {
      double lw, lh;

      ab_render_legend_size (&lw, &lh);
      bounds.height += LEGEND_MARGIN + lh;
      bounds.width = MAX (bounds.width, lw);
    }

  bytes = g_byte_array_new ();
  switch (options->format)
    {
    case AB_EXPORT_PNG:
      ok = export_png (design, options, &bounds, path, bytes, error);
      break;
    case AB_EXPORT_SVG:
      ok = export_svg (design, options, &bounds, path, bytes, error);
      break;
    case AB_EXPORT_PDF:
      ok = export_pdf (design, options, &bounds, path, bytes, error);
      break;
    default:
      g_set_error (error, AB_ERROR, AB_ERROR_INVALID, "%s: unknown export format %d", path, options->format);
      return FALSE;
    }
  if (!ok)
    return FALSE;

  /* "-" is standard output; symlinks and devices are written through. */
  return ab_save_file (path, bytes->data, bytes->len, AB_SAVE_STDOUT, error);
}
