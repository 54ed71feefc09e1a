/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The diagram renderer: cards, connection routing, overlays, hit testing
 * and bounds, all from one geometry so the canvas, the exports and the
 * command line agree to the pixel. */
#define G_LOG_DOMAIN "archboard-render"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>

#include "ab-catalog.h"
#include "ab-format.h"
#include "ab-render-private.h"

#define CARD_RADIUS        12.0
#define TILE_X             11.0
#define TILE_SIZE          36.0
#define TILE_RADIUS        10.0
#define GLYPH_SIZE         22.0
#define TEXT_X             56.0
#define TEXT_RIGHT_PAD     10.0
#define PORT_RADIUS         5.0
#define PORT_HIT_RADIUS     9.0
#define EDGE_HIT_DISTANCE   5.0
#define STUB               20.0   /* straight run out of a port / into a card */
#define OBSTACLE_PAD        6.0   /* routes keep this far from other cards */
#define CHANNEL_GAP        16.0   /* distance of a detour from the card it passes */
#define DETOUR_MAX        240.0   /* routes never leave their ends' box by more */
#define DECOR_MARGIN       12.0   /* badges, ports, shadows around a card */
#define ARROW_LENGTH       10.0
#define ARROW_HALF_WIDTH    4.5
#define CORNER_RADIUS      10.0
#define PILL_PAD_X          8.0
#define PILL_HEIGHT        20.0
#define GRID_CELL         192.0
#define MAX_GRID_CELLS  65536
#define NUDGE_SORT_REACH 512
#define CHANNEL_SCAN_MAX AB_RENDER_CHANNEL_SCAN_MAX
#define TEXT_CACHE_MAX   8192
#define MAX_ROUTE_POINTS    6
#define MIN_DIRECT_GAP      8.0   /* narrower gaps between cards go round */
#define PORT_SPACING       12.0   /* between the ports of one card edge */
#define PORT_EDGE_MARGIN   12.0   /* ports keep this far from a card's corners */
#define NUDGE_SPACING       8.0   /* between parallel segments pushed apart */
#define NUDGE_MIN_SPACING   3.0
#define MIN_LEG             4.0   /* shortest leg left by a nudge */
#define SHARED_TOUCH        2.0   /* collinear segments closer than this are apart-pushed */
#define NUDGE_PASSES        3

static const char font_family[] =
  "Cantarell, Adwaita Sans, Inter, Noto Sans, Nimbus Sans, DejaVu Sans, sans-serif";

/* ------------------------------------------------------------------ */
/* Colours */

typedef double Rgba[4];

typedef struct {
  Rgba bg, grid, card, card_border, card_border_hover, shadow, fg, dim, edge,
       edge_strong, accent, accent_fg, on_accent, ghost;
  double tile_alpha;
  gboolean dark;
} Palette;

static void
rgba_from_hex (const char *hex, double alpha, Rgba out)
{
  guint v = 0x808080;

  if (hex != NULL && hex[0] == '#' && strlen (hex) == 7)
    v = (guint) g_ascii_strtoull (hex + 1, NULL, 16);
  out[0] = ((v >> 16) & 0xff) / 255.0;
  out[1] = ((v >> 8) & 0xff) / 255.0;
  out[2] = (v & 0xff) / 255.0;
  out[3] = alpha;
}

static void
rgba_set (Rgba out, double r, double g, double b, double a)
{
  out[0] = r;
  out[1] = g;
  out[2] = b;
  out[3] = a;
}

static void
rgba_mix (const Rgba a, const Rgba b, double t, Rgba out)
{
  for (int i = 0; i < 4; i++)
    out[i] = a[i] + (b[i] - a[i]) * t;
}

static double
channel_luminance (double c)
{
  return c <= 0.03928 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
}

static double
luminance (const Rgba c)
{
  return 0.2126 * channel_luminance (c[0]) + 0.7152 * channel_luminance (c[1])
         + 0.0722 * channel_luminance (c[2]);
}

static double
contrast (const Rgba a, const Rgba b)
{
  double la = luminance (a), lb = luminance (b);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

/* The kind colour, darkened (light palette) or lightened (dark palette)
 * until it reads against the card. */
static void
readable_accent (const Rgba color, const Palette *palette, double min_contrast, Rgba out)
{
  Rgba toward;

  rgba_set (toward, palette->dark ? 1 : 0, palette->dark ? 1 : 0, palette->dark ? 1 : 0, 1);
  memcpy (out, color, sizeof (Rgba));
  out[3] = 1;
  for (int i = 0; i < 12 && contrast (out, palette->card) < min_contrast; i++)
    rgba_mix (out, toward, 0.12, out);
}

/* The glyph colour on a kind's tile: the kind colour, pushed further
 * (darker on light, lighter on dark) until it reads against the tinted
 * tile by 3.2:1, not only against the card. */
static void
glyph_color (const Rgba accent, const Rgba tile_bg, gboolean dark, Rgba out)
{
  Rgba toward;

  rgba_set (toward, dark ? 1 : 0, dark ? 1 : 0, dark ? 1 : 0, 1);
  memcpy (out, accent, sizeof (Rgba));
  out[3] = 1;
  for (int i = 0; i < 12 && contrast (out, tile_bg) < 3.2; i++)
    rgba_mix (out, toward, 0.12, out);
}

static void
palette_init (Palette *p, const AbRenderOptions *options)
{
  gboolean hc = options->high_contrast;

  p->dark = options->dark;
  if (!options->dark)
    {
      rgba_from_hex ("#fafafb", 1, p->bg);
      rgba_set (p->grid, 0, 0, 0.1, 0.16);
      rgba_from_hex ("#ffffff", 1, p->card);
      rgba_set (p->card_border, 0, 0, 0.02, hc ? 0.55 : 0.12);
      rgba_set (p->card_border_hover, 0, 0, 0.02, hc ? 0.8 : 0.26);
      rgba_set (p->shadow, 0, 0, 0.02, 0.07);
      rgba_set (p->fg, 0, 0, 0.02, hc ? 1.0 : 0.82);
      rgba_set (p->dim, 0, 0, 0.02, hc ? 0.8 : 0.55);
      rgba_set (p->edge, 0.1, 0.1, 0.14, hc ? 0.9 : 0.5);
      rgba_set (p->edge_strong, 0.1, 0.1, 0.14, 0.85);
      rgba_from_hex ("#3584e4", 1, p->accent);
      rgba_from_hex ("#1c71d8", 1, p->accent_fg);
      rgba_set (p->ghost, 0, 0, 0.02, 0.3);
      p->tile_alpha = 0.13;
    }
  else
    {
      rgba_from_hex ("#1e1e20", 1, p->bg);
      rgba_set (p->grid, 1, 1, 1, 0.11);
      rgba_from_hex ("#333336", 1, p->card);
      rgba_set (p->card_border, 1, 1, 1, hc ? 0.6 : 0.1);
      rgba_set (p->card_border_hover, 1, 1, 1, hc ? 0.85 : 0.24);
      rgba_set (p->shadow, 0, 0, 0, 0.3);
      rgba_set (p->fg, 1, 1, 1, hc ? 1.0 : 0.92);
      rgba_set (p->dim, 1, 1, 1, hc ? 0.85 : 0.58);
      rgba_set (p->edge, 0.9, 0.9, 0.95, hc ? 0.9 : 0.48);
      rgba_set (p->edge_strong, 0.95, 0.95, 1, 0.85);
      rgba_from_hex ("#3584e4", 1, p->accent);
      rgba_from_hex ("#78aeed", 1, p->accent_fg);
      rgba_set (p->ghost, 1, 1, 1, 0.3);
      p->tile_alpha = 0.2;
    }
  rgba_set (p->on_accent, 1, 1, 1, 1);
  if (options->transparent && options->slide)
    {
      /* No background of our own: lines in a mid grey that reads on a
       * white slide and on a black one alike (contrast >= 3:1 with both). */
      rgba_from_hex ("#7b7b82", 1, p->edge);
      rgba_from_hex ("#6f6f76", 1, p->edge_strong);
    }
}

/* Kind colours when the catalog has none (it always should). */
static const char * const fallback_colors[AB_N_KINDS] = {
  [AB_KIND_CLIENT] = "#3584e4",
  [AB_KIND_LB] = "#9141ac",
  [AB_KIND_APP] = "#1c71d8",
  [AB_KIND_DB_PRIMARY] = "#26a269",
  [AB_KIND_DB_REPLICA] = "#2ec27e",
  [AB_KIND_CACHE] = "#e66100",
  [AB_KIND_QUEUE] = "#c64600",
  [AB_KIND_WORKER] = "#613583",
  [AB_KIND_STORAGE] = "#865e3c",
  [AB_KIND_STREAM] = "#c01c28",
  [AB_KIND_CDN] = "#1a5fb4",
  [AB_KIND_SEARCH] = "#a51d2d",
  [AB_KIND_OBJECT_STORE] = "#63452c",
};

/* A fill for white text: the kind colour darkened until the text reads. */
static void
badge_fill (const Rgba color, Rgba out)
{
  Rgba white, black;

  rgba_set (white, 1, 1, 1, 1);
  rgba_set (black, 0, 0, 0, 1);
  memcpy (out, color, sizeof (Rgba));
  out[3] = 1;
  for (int i = 0; i < 12 && contrast (out, white) < 3.6; i++)
    rgba_mix (out, black, 0.1, out);
}

static void
kind_style (AbKind kind, const Palette *palette, Rgba accent, const char **display_name)
{
  AbCatalog *catalog = ab_catalog_get_default ();
  const AbKindInfo *info = catalog != NULL ? ab_catalog_get_kind (catalog, kind) : NULL;
  const char *hex = NULL;
  Rgba base;

  if (info != NULL && info->color != NULL)
    hex = info->color;
  else if (kind >= 0 && kind < AB_N_KINDS)
    hex = fallback_colors[kind];
  rgba_from_hex (hex, 1, base);
  readable_accent (base, palette, 3.2, accent);
  if (display_name != NULL)
    {
      if (info != NULL && info->display_name != NULL)
        *display_name = info->display_name;
      else
        *display_name = ab_kind_to_string (kind) != NULL ? ab_kind_to_string (kind) : "";
    }
}

static void
utilization_color (double u, Rgba out)
{
  Rgba green, amber, red;

  rgba_from_hex ("#2ec27e", 1, green);
  rgba_from_hex ("#e5a50a", 1, amber);
  rgba_from_hex ("#e01b24", 1, red);
  if (u <= 0.6)
    memcpy (out, green, sizeof (Rgba));
  else if (u <= 0.8)
    rgba_mix (green, amber, (u - 0.6) / 0.2, out);
  else if (u < 1.0)
    rgba_mix (amber, red, (u - 0.8) / 0.2, out);
  else
    memcpy (out, red, sizeof (Rgba));
}

static void
set_source (cairo_t *cr, const Rgba c)
{
  cairo_set_source_rgba (cr, c[0], c[1], c[2], c[3]);
}

static void
set_source_alpha (cairo_t *cr, const Rgba c, double alpha)
{
  cairo_set_source_rgba (cr, c[0], c[1], c[2], c[3] * alpha);
}

static void
rounded_rect (cairo_t *cr, double x, double y, double w, double h, double r)
{
  r = MIN (r, MIN (w, h) / 2);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

/* ------------------------------------------------------------------ */
/* Rectangles */

static gboolean
rect_intersects (const AbRect *a, const AbRect *b)
{
  return a->x < b->x + b->width && b->x < a->x + a->width
         && a->y < b->y + b->height && b->y < a->y + a->height;
}

static void
rect_inflate (AbRect *r, double d)
{
  r->x -= d;
  r->y -= d;
  r->width += 2 * d;
  r->height += 2 * d;
}

static void
rect_union (AbRect *acc, gboolean *have, const AbRect *r)
{
  if (!*have)
    {
      *acc = *r;
      *have = TRUE;
      return;
    }
  double x0 = MIN (acc->x, r->x), y0 = MIN (acc->y, r->y);
  double x1 = MAX (acc->x + acc->width, r->x + r->width);
  double y1 = MAX (acc->y + acc->height, r->y + r->height);

  acc->x = x0;
  acc->y = y0;
  acc->width = x1 - x0;
  acc->height = y1 - y0;
}

/* ------------------------------------------------------------------ */
/* Text: a per-thread cache of laid-out strings, measured without hinting
 * so that the same layout is right at every zoom and on every surface. */

typedef enum {
  FONT_LABEL,
  FONT_KIND,
  FONT_BADGE,
  FONT_PILL,
  FONT_CALLOUT,
  N_FONTS
} FontRole;

static const struct {
  double size;
  int weight;
} font_roles[N_FONTS] = {
  [FONT_LABEL] = { 13.0, 600 },
  [FONT_KIND] = { 11.0, 400 },
  [FONT_BADGE] = { 11.0, 700 },
  [FONT_PILL] = { 11.0, 400 },
  [FONT_CALLOUT] = { 10.0, 700 },
};

typedef struct {
  PangoLayout *layout;
  char *shown;
  double width, height, baseline, size;
  int weight;
} TextEntry;

typedef struct {
  PangoContext *context;
  GHashTable *entries;   /* key -> TextEntry */
  GHashTable *labels;    /* key -> LabelLines */
} TextCache;

typedef struct {
  const TextEntry *lines[2];
  guint n_lines;
} LabelLines;

static void
text_entry_free (gpointer data)
{
  TextEntry *entry = data;

  g_clear_object (&entry->layout);
  g_free (entry->shown);
  g_free (entry);
}

static void
text_cache_free (gpointer data)
{
  TextCache *cache = data;

  g_hash_table_unref (cache->labels);
  g_hash_table_unref (cache->entries);
  g_object_unref (cache->context);
  g_free (cache);
}

static GPrivate text_cache_key = G_PRIVATE_INIT (text_cache_free);

static TextCache *
text_cache_get (void)
{
  TextCache *cache = g_private_get (&text_cache_key);

  if (cache == NULL)
    {
      cairo_font_options_t *font_options = cairo_font_options_create ();

      cache = g_new0 (TextCache, 1);
      cache->context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
      cairo_font_options_set_hint_metrics (font_options, CAIRO_HINT_METRICS_OFF);
      cairo_font_options_set_hint_style (font_options, CAIRO_HINT_STYLE_SLIGHT);
      cairo_font_options_set_antialias (font_options, CAIRO_ANTIALIAS_GRAY);
      pango_cairo_context_set_font_options (cache->context, font_options);
      cairo_font_options_destroy (font_options);
      pango_context_set_round_glyph_positions (cache->context, FALSE);
      cache->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, text_entry_free);
      cache->labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_private_set (&text_cache_key, cache);
    }
  return cache;
}

/* Control characters would break the SVG and do not draw anyway. */
static char *
clean_text (const char *text)
{
  char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);

  for (char *p = valid; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      *p = ' ';
  return valid;
}

static double
layout_width (PangoLayout *layout)
{
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  return logical.width / (double) PANGO_SCALE;
}

static const TextEntry *
text_lookup (FontRole role, double text_scale, const char *text, double max_width)
{
  TextCache *cache = text_cache_get ();
  g_autofree char *key = g_strdup_printf ("%d|%.3f|%.1f|%s", role, text_scale, max_width, text);
  TextEntry *entry = g_hash_table_lookup (cache->entries, key);
  PangoFontDescription *desc;
  PangoRectangle logical;

  if (entry != NULL)
    return entry;

  entry = g_new0 (TextEntry, 1);
  entry->size = font_roles[role].size * text_scale;
  entry->weight = font_roles[role].weight;
  entry->layout = pango_layout_new (cache->context);
  desc = pango_font_description_from_string (font_family);
  pango_font_description_set_absolute_size (desc, entry->size * PANGO_SCALE);
  pango_font_description_set_weight (desc, (PangoWeight) entry->weight);
  pango_layout_set_font_description (entry->layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_single_paragraph_mode (entry->layout, TRUE);

  entry->shown = clean_text (text);
  pango_layout_set_text (entry->layout, entry->shown, -1);
  if (max_width > 0 && layout_width (entry->layout) > max_width)
    {
      /* Longest prefix that fits with an ellipsis (whole characters). */
      glong n_chars = g_utf8_strlen (entry->shown, -1);
      glong lo = 0, hi = n_chars;
      g_autofree char *full = g_strdup (entry->shown);

      while (lo < hi)
        {
          glong mid = (lo + hi + 1) / 2;
          const char *end = g_utf8_offset_to_pointer (full, mid);
          g_autofree char *prefix = g_strndup (full, end - full);
          g_autofree char *candidate = NULL;

          g_strchomp (prefix);
          candidate = g_strconcat (prefix, "…", NULL);
          pango_layout_set_text (entry->layout, candidate, -1);
          if (layout_width (entry->layout) <= max_width)
            lo = mid;
          else
            hi = mid - 1;
        }
      {
        const char *end = g_utf8_offset_to_pointer (full, lo);
        g_autofree char *prefix = g_strndup (full, end - full);

        g_strchomp (prefix);
        g_free (entry->shown);
        entry->shown = g_strconcat (prefix, "…", NULL);
        pango_layout_set_text (entry->layout, entry->shown, -1);
      }
    }
  pango_layout_get_extents (entry->layout, NULL, &logical);
  entry->width = logical.width / (double) PANGO_SCALE;
  entry->height = logical.height / (double) PANGO_SCALE;
  entry->baseline = pango_layout_get_baseline (entry->layout) / (double) PANGO_SCALE;
  g_hash_table_insert (cache->entries, g_steal_pointer (&key), entry);
  return entry;
}

/* Entries stay valid until the next trim, which only happens between
 * drawing calls. */
static void
text_cache_trim (void)
{
  TextCache *cache = text_cache_get ();

  if (g_hash_table_size (cache->entries) >= TEXT_CACHE_MAX)
    {
      g_hash_table_remove_all (cache->labels);
      g_hash_table_remove_all (cache->entries);
    }
}

/* A card label: one line if it fits, else two, broken at the last space
 * that lets the first line fit (the second ellipsized if need be). */
static const LabelLines *
label_lookup (double text_scale, const char *text, double max_width)
{
  TextCache *cache = text_cache_get ();
  g_autofree char *key = g_strdup_printf ("%.3f|%.1f|%s", text_scale, max_width, text);
  LabelLines *lines = g_hash_table_lookup (cache->labels, key);
  const TextEntry *whole;

  if (lines != NULL)
    return lines;
  lines = g_new0 (LabelLines, 1);
  whole = text_lookup (FONT_LABEL, text_scale, text, 0);
  if (whole->width <= max_width)
    {
      lines->lines[0] = whole;
      lines->n_lines = 1;
    }
  else
    {
      g_autofree char *clean = clean_text (text);
      double best = G_MAXDOUBLE;

      /* Of the breaks where both lines fit, the most balanced; failing
       * that, the longest first line that fits. */
      for (char *space = strchr (clean, ' '); space != NULL; space = strchr (space + 1, ' '))
        {
          g_autofree char *head = g_strndup (clean, space - clean);
          g_autofree char *rest = g_strdup (space + 1);
          const TextEntry *first, *second;

          g_strchomp (head);
          g_strchug (rest);
          if (*head == '\0' || *rest == '\0')
            continue;
          first = text_lookup (FONT_LABEL, text_scale, head, 0);
          if (first->width > max_width)
            break;
          second = text_lookup (FONT_LABEL, text_scale, rest, 0);
          if (second->width <= max_width && MAX (first->width, second->width) < best)
            {
              best = MAX (first->width, second->width);
              lines->lines[0] = first;
              lines->lines[1] = second;
              lines->n_lines = 2;
            }
          else if (best == G_MAXDOUBLE)
            {
              lines->lines[0] = first;
              lines->lines[1] = text_lookup (FONT_LABEL, text_scale, rest, max_width);
              lines->n_lines = 2;
            }
        }
      if (lines->n_lines == 0)
        {
          lines->lines[0] = text_lookup (FONT_LABEL, text_scale, text, max_width);
          lines->n_lines = 1;
        }
    }
  g_hash_table_insert (cache->labels, g_steal_pointer (&key), lines);
  return lines;
}

const char *
ab_render_font_family (void)
{
  return font_family;
}

/* ------------------------------------------------------------------ */
/* Scene: the cards to consider, their (possibly dragged) rectangles and
 * a uniform grid over them for the router and hit testing. */

typedef struct {
  const AbComponent *component;
  AbRect rect;
  gboolean moved;
} Item;

typedef struct {
  AbDesign *design;
  Item *items;
  guint n_items;
  GHashTable *by_id;       /* id -> GUINT_TO_POINTER (index + 1) */
  double ox, oy, cell;
  int cols, rows;
  guint *cell_start;
  guint *cell_items;
  guint *stamp;
  guint stamp_value;
  guint64 fingerprint;     /* of the card rectangles: routes depend on nothing else */
} Scene;

static void
scene_cell_range (const Scene *s, double x0, double y0, double x1, double y1,
                  int *cx0, int *cy0, int *cx1, int *cy1)
{
  *cx0 = CLAMP ((int) floor ((x0 - s->ox) / s->cell), 0, s->cols - 1);
  *cx1 = CLAMP ((int) floor ((x1 - s->ox) / s->cell), 0, s->cols - 1);
  *cy0 = CLAMP ((int) floor ((y0 - s->oy) / s->cell), 0, s->rows - 1);
  *cy1 = CLAMP ((int) floor ((y1 - s->oy) / s->cell), 0, s->rows - 1);
}

static void
scene_init (Scene                 *s,
            AbDesign              *design,
            const char * const    *subset,
            const AbRenderOptions *options)
{
  guint n = ab_design_get_n_components (design);
  g_autoptr(GHashTable) wanted = NULL;
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
  guint n_cells;

  /* Every public entry point starts here: a safe moment to drop text. */
  text_cache_trim ();
  memset (s, 0, sizeof *s);
  s->design = design;
  s->items = g_new (Item, MAX (n, 1));
  s->by_id = g_hash_table_new (g_str_hash, g_str_equal);

  if (subset != NULL)
    {
      wanted = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; subset[i] != NULL; i++)
        g_hash_table_add (wanted, (gpointer) subset[i]);
    }

  for (guint i = 0; i < n; i++)
    {
      const AbComponent *c = ab_design_get_component (design, i);
      Item *item;

      if (wanted != NULL && !g_hash_table_contains (wanted, c->id))
        continue;
      item = &s->items[s->n_items];
      item->component = c;
      ab_render_component_rect (c, &item->rect);
      item->moved = FALSE;
      if (options != NULL && options->dragging && options->selected != NULL
          && g_hash_table_contains (options->selected, c->id))
        {
          item->rect.x += options->drag_dx;
          item->rect.y += options->drag_dy;
          item->moved = TRUE;
        }
      g_hash_table_insert (s->by_id, c->id, GUINT_TO_POINTER (s->n_items + 1));
      x0 = MIN (x0, item->rect.x);
      y0 = MIN (y0, item->rect.y);
      x1 = MAX (x1, item->rect.x + item->rect.width);
      y1 = MAX (y1, item->rect.y + item->rect.height);
      s->n_items++;
    }

  s->fingerprint = 14695981039346656037ull ^ s->n_items;
  for (guint i = 0; i < s->n_items; i++)
    {
      guint64 bits[2];

      memcpy (&bits[0], &s->items[i].rect.x, sizeof (guint64));
      memcpy (&bits[1], &s->items[i].rect.y, sizeof (guint64));
      for (int k = 0; k < 2; k++)
        s->fingerprint = (s->fingerprint ^ bits[k]) * 1099511628211ull;
    }
  if (s->n_items == 0)
    {
      x0 = y0 = 0;
      x1 = y1 = 1;
    }
  s->ox = x0;
  s->oy = y0;
  s->cell = GRID_CELL;
  s->cols = (int) ((x1 - x0) / s->cell) + 1;
  s->rows = (int) ((y1 - y0) / s->cell) + 1;
  if ((double) s->cols * s->rows > MAX_GRID_CELLS)
    {
      s->cell *= sqrt ((double) s->cols * s->rows / MAX_GRID_CELLS) + 0.01;
      s->cols = MIN ((int) ((x1 - x0) / s->cell) + 1, 256);
      s->rows = MIN ((int) ((y1 - y0) / s->cell) + 1, 256);
      s->cell = MAX ((x1 - x0) / (s->cols - 0.5), (y1 - y0) / (s->rows - 0.5));
      s->cell = MAX (s->cell, GRID_CELL);
    }
  n_cells = (guint) (s->cols * s->rows);
  s->cell_start = g_new0 (guint, n_cells + 1);

  for (guint i = 0; i < s->n_items; i++)
    {
      const AbRect *r = &s->items[i].rect;
      int cx0, cy0, cx1, cy1;

      scene_cell_range (s, r->x, r->y, r->x + r->width, r->y + r->height, &cx0, &cy0, &cx1, &cy1);
      for (int cy = cy0; cy <= cy1; cy++)
        for (int cx = cx0; cx <= cx1; cx++)
          s->cell_start[cy * s->cols + cx + 1]++;
    }
  for (guint c = 0; c < n_cells; c++)
    s->cell_start[c + 1] += s->cell_start[c];
  s->cell_items = g_new (guint, MAX (s->cell_start[n_cells], 1));
  {
    g_autofree guint *fill = g_memdup2 (s->cell_start, sizeof (guint) * n_cells);

    for (guint i = 0; i < s->n_items; i++)
      {
        const AbRect *r = &s->items[i].rect;
        int cx0, cy0, cx1, cy1;

        scene_cell_range (s, r->x, r->y, r->x + r->width, r->y + r->height, &cx0, &cy0, &cx1, &cy1);
        for (int cy = cy0; cy <= cy1; cy++)
          for (int cx = cx0; cx <= cx1; cx++)
            s->cell_items[fill[cy * s->cols + cx]++] = i;
      }
  }
  s->stamp = g_new0 (guint, MAX (s->n_items, 1));
}

static void
scene_clear (Scene *s)
{
  g_free (s->items);
  g_hash_table_unref (s->by_id);
  g_free (s->cell_start);
  g_free (s->cell_items);
  g_free (s->stamp);
}

static int
scene_find (const Scene *s, const char *id)
{
  gpointer v = id != NULL ? g_hash_table_lookup (s->by_id, id) : NULL;

  return v != NULL ? (int) GPOINTER_TO_UINT (v) - 1 : -1;
}

static void
scene_next_stamp (Scene *s)
{
  if (++s->stamp_value == 0)
    {
      memset (s->stamp, 0, sizeof (guint) * MAX (s->n_items, 1));
      s->stamp_value = 1;
    }
}

/* Cards (not yet stamped, other than @skip_a / @skip_b) that the box
 * [x0,x1] x [y0,y1] overlaps; stamps them. */
static guint
scene_count_hits (Scene *s, double x0, double y0, double x1, double y1, int skip_a, int skip_b)
{
  int cx0, cy0, cx1, cy1;
  guint hits = 0;

  if (x0 > x1)
    {
      double t = x0;
      x0 = x1;
      x1 = t;
    }
  if (y0 > y1)
    {
      double t = y0;
      y0 = y1;
      y1 = t;
    }
  scene_cell_range (s, x0, y0, x1, y1, &cx0, &cy0, &cx1, &cy1);
  for (int cy = cy0; cy <= cy1; cy++)
    for (int cx = cx0; cx <= cx1; cx++)
      {
        guint c = (guint) (cy * s->cols + cx);

        for (guint k = s->cell_start[c]; k < s->cell_start[c + 1]; k++)
          {
            guint i = s->cell_items[k];
            const AbRect *r = &s->items[i].rect;

            if ((int) i == skip_a || (int) i == skip_b || s->stamp[i] == s->stamp_value)
              continue;
            if (x0 < r->x + r->width + OBSTACLE_PAD && r->x - OBSTACLE_PAD < x1
                && y0 < r->y + r->height + OBSTACLE_PAD && r->y - OBSTACLE_PAD < y1)
              {
                s->stamp[i] = s->stamp_value;
                hits++;
              }
          }
      }
  return hits;
}

/* ------------------------------------------------------------------ */
/* Routing: orthogonal routes from the source's port (right edge) to the
 * target's left edge, around cards when a short detour exists. */

typedef struct {
  double x, y;
} Point;

typedef struct {
  Point p[MAX_ROUTE_POINTS];
  guint n;
} Route;

static void
route_set (Route *r, guint n, const double *xy)
{
  r->n = n;
  for (guint i = 0; i < n; i++)
    {
      r->p[i].x = xy[2 * i];
      r->p[i].y = xy[2 * i + 1];
    }
}

/* Drops repeated points and straight-through corners. */
static void
route_simplify (Route *r)
{
  guint out = 0;

  for (guint i = 0; i < r->n; i++)
    {
      if (out > 0 && fabs (r->p[i].x - r->p[out - 1].x) < 1e-6
          && fabs (r->p[i].y - r->p[out - 1].y) < 1e-6)
        continue;
      if (out >= 2)
        {
          Point a = r->p[out - 2], b = r->p[out - 1], c = r->p[i];
          gboolean same_x = fabs (a.x - b.x) < 1e-6 && fabs (b.x - c.x) < 1e-6;
          gboolean same_y = fabs (a.y - b.y) < 1e-6 && fabs (b.y - c.y) < 1e-6;

          if (same_x || same_y)
            out--;
        }
      r->p[out++] = r->p[i];
    }
  r->n = out;
}

/* Cost of @r: crossed cards first, then length and corners.  Stops
 * counting (returns at least @bound) once the crossings alone reach
 * @bound: such a route cannot win, and over a wide design its segments
 * cross thousands of cards. */
static double
route_cost (Scene *s, const Route *r, int src, int dst, double bound)
{
  guint crossings = 0;
  double length = 0;

  scene_next_stamp (s);
  for (guint i = 0; i + 1 < r->n; i++)
    {
      int skip_a = i == 0 ? src : -1;
      int skip_b = i + 2 == r->n ? dst : -1;

      crossings += scene_count_hits (s, r->p[i].x, r->p[i].y, r->p[i + 1].x, r->p[i + 1].y,
                                     skip_a, skip_b);
      if (crossings * 1e6 >= bound)
        return crossings * 1e6;
      length += fabs (r->p[i + 1].x - r->p[i].x) + fabs (r->p[i + 1].y - r->p[i].y);
    }
  return crossings * 1e6 + length + (r->n - 2) * 40.0;
}

static gboolean route_is_simple (const Route *r);

static void
consider (Scene *s, Route *best, double *best_cost, Route *candidate, int src, int dst)
{
  double cost;

  route_simplify (candidate);
  if (!route_is_simple (candidate))
    return;
  cost = route_cost (s, candidate, src, dst, *best_cost);
  if (cost < *best_cost)
    {
      *best = *candidate;
      *best_cost = cost;
    }
}

typedef struct {
  double v[64];
  guint n;
} Candidates;

static void
candidates_add (Candidates *c, double v, double lo, double hi)
{
  if (v < lo || v > hi || c->n >= G_N_ELEMENTS (c->v))
    return;
  for (guint i = 0; i < c->n; i++)
    if (fabs (c->v[i] - v) < 0.5)
      return;
  c->v[c->n++] = v;
}

/* Work done by the router in this thread (ab_render_route_work ()). */
static _Thread_local AbRouteWork route_work;

void
ab_render_route_work (AbRouteWork *out)
{
  *out = route_work;
}

/* Edges of the cards overlapping the box, as candidate channel positions. */
static void
collect_channels (Scene *s, double x0, double y0, double x1, double y1,
                  gboolean vertical, double lo, double hi, Candidates *out)
{
  int cx0, cy0, cx1, cy1;
  guint looked = 0;

  scene_cell_range (s, x0, y0, x1, y1, &cx0, &cy0, &cx1, &cy1);
  /* A full list takes no more: stop there.  The box between two far
   * cards of a big design holds thousands of cards whose edges line up in
   * a few columns: the first CHANNEL_SCAN_MAX of them give the channels
   * (a design of normal size never has that many in one box). */
  for (int cy = cy0; cy <= cy1 && out->n < G_N_ELEMENTS (out->v) && looked < CHANNEL_SCAN_MAX; cy++)
    for (int cx = cx0; cx <= cx1 && out->n < G_N_ELEMENTS (out->v) && looked < CHANNEL_SCAN_MAX; cx++)
      {
        guint c = (guint) (cy * s->cols + cx);

        for (guint k = s->cell_start[c]; k < s->cell_start[c + 1]; k++)
          {
            const AbRect *r = &s->items[s->cell_items[k]].rect;

            looked++;
            route_work.channel_cards++;
            if (!(x0 < r->x + r->width && r->x < x1 && y0 < r->y + r->height && r->y < y1))
              continue;
            if (vertical)
              {
                candidates_add (out, r->x - CHANNEL_GAP, lo, hi);
                candidates_add (out, r->x + r->width + CHANNEL_GAP, lo, hi);
              }
            else
              {
                candidates_add (out, r->y - CHANNEL_GAP, lo, hi);
                candidates_add (out, r->y + r->height + CHANNEL_GAP, lo, hi);
              }
          }
      }
}

/* Box that every route between these two cards stays in (for culling). */
static void
route_reach (const AbRect *a, const AbRect *b, AbRect *out)
{
  gboolean have = FALSE;

  rect_union (out, &have, a);
  rect_union (out, &have, b);
  rect_inflate (out, DETOUR_MAX + CHANNEL_GAP + STUB + PORT_RADIUS);
}

/* Axis-aligned segment a-b and c-d cross or touch (one point or more). */
static gboolean
segments_touch (Point a, Point b, Point c, Point d)
{
  double ax0 = MIN (a.x, b.x), ax1 = MAX (a.x, b.x), ay0 = MIN (a.y, b.y), ay1 = MAX (a.y, b.y);
  double cx0 = MIN (c.x, d.x), cx1 = MAX (c.x, d.x), cy0 = MIN (c.y, d.y), cy1 = MAX (c.y, d.y);

  return ax0 <= cx1 + 1e-6 && cx0 <= ax1 + 1e-6 && ay0 <= cy1 + 1e-6 && cy0 <= ay1 + 1e-6;
}

/* A route is simple when no segment meets another except its
 * neighbours at their shared corner, and no corner turns back. */
static gboolean
route_is_simple (const Route *r)
{
  for (guint i = 0; i + 1 < r->n; i++)
    {
      if (i + 2 < r->n)
        {
          /* turning back on itself: collinear neighbours in opposite directions */
          double dx0 = r->p[i + 1].x - r->p[i].x, dy0 = r->p[i + 1].y - r->p[i].y;
          double dx1 = r->p[i + 2].x - r->p[i + 1].x, dy1 = r->p[i + 2].y - r->p[i + 1].y;

          if (dx0 * dx1 + dy0 * dy1 < -1e-9 && fabs (dx0 * dy1 - dy0 * dx1) < 1e-9)
            return FALSE;
        }
      for (guint j = i + 2; j + 1 < r->n; j++)
        if (segments_touch (r->p[i], r->p[i + 1], r->p[j], r->p[j + 1]))
          return FALSE;
    }
  return TRUE;
}

/* Orthogonal route from (sx, sy) on the right edge of @src to (tx, ty)
 * on the left edge of @dst: straight or one jog when the target is to
 * the right, else around, above or below; never a loop. */
static void
scene_route (Scene *s, int src, int dst, double sy, double ty, Route *best)
{
  const AbRect *a = &s->items[src].rect, *b = &s->items[dst].rect;
  double sx = a->x + a->width;
  double tx = b->x;
  double ylo = MIN (a->y, b->y) - DETOUR_MAX, yhi = MAX (a->y + a->height, b->y + b->height) + DETOUR_MAX;
  double best_cost = G_MAXDOUBLE;
  Route candidate, direct = { .n = 0 };
  Candidates ys = { .n = 0 };
  double x1 = sx + STUB, x2 = tx - STUB;

  if (tx - sx >= MIN_DIRECT_GAP)
    {
      double stub = MIN (STUB, (tx - sx) / 2);
      double mid = round ((sx + tx) / 2);
      Candidates xs = { .n = 0 };

      if (fabs (sy - ty) < 0.5)
        route_set (&candidate, 2, (double[]) { sx, sy, tx, sy });
      else
        route_set (&candidate, 4, (double[]) { sx, sy, mid, sy, mid, ty, tx, ty });
      direct = candidate;
      consider (s, best, &best_cost, &candidate, src, dst);
      if (best_cost < 1e6)
        return;

      collect_channels (s, sx, MIN (sy, ty) - OBSTACLE_PAD, tx, MAX (sy, ty) + OBSTACLE_PAD,
                        TRUE, sx + stub, tx - stub, &xs);
      for (guint i = 0; i < xs.n; i++)
        {
          route_set (&candidate, 4, (double[]) { sx, sy, xs.v[i], sy, xs.v[i], ty, tx, ty });
          consider (s, best, &best_cost, &candidate, src, dst);
        }
      if (best_cost < 1e6)
        return;
      if (x2 < x1)
        {
          /* Too close to go round without crossing itself: the detour
           * leaves and enters on the outer sides. */
          x1 = MAX (x1, tx + STUB);
          x2 = MIN (x2, sx - STUB);
        }
    }
  else
    {
      if (tx - sx > 0.5)
        {
          /* A sliver of a gap: straight through it is the only way in
           * that cannot loop, should no detour work. */
          double mid = (sx + tx) / 2;

          if (fabs (sy - ty) < 0.5)
            route_set (&direct, 2, (double[]) { sx, sy, tx, sy });
          else
            route_set (&direct, 4, (double[]) { sx, sy, mid, sy, mid, ty, tx, ty });
        }
      candidates_add (&ys, MIN (a->y, b->y) - CHANNEL_GAP, ylo, yhi);
      candidates_add (&ys, MAX (a->y + a->height, b->y + b->height) + CHANNEL_GAP, ylo, yhi);
      if (a->y + a->height + 2 * CHANNEL_GAP <= b->y)
        candidates_add (&ys, round ((a->y + a->height + b->y) / 2), ylo, yhi);
      else if (b->y + b->height + 2 * CHANNEL_GAP <= a->y)
        candidates_add (&ys, round ((b->y + b->height + a->y) / 2), ylo, yhi);
    }

  collect_channels (s, MIN (x1, x2), ylo, MAX (x1, x2), yhi, FALSE, ylo, yhi, &ys);
  for (guint i = 0; i < ys.n; i++)
    {
      route_set (&candidate, 6, (double[]) { sx, sy, x1, sy, x1, ys.v[i], x2, ys.v[i], x2, ty, tx, ty });
      consider (s, best, &best_cost, &candidate, src, dst);
    }
  if (best_cost == G_MAXDOUBLE)
    {
      double below = MAX (a->y + a->height, b->y + b->height) + CHANNEL_GAP;

      route_set (best, 6, (double[]) { sx, sy, x1, sy, x1, below, x2, below, x2, ty, tx, ty });
      route_simplify (best);
      if (!route_is_simple (best) && direct.n > 0)
        *best = direct;
    }
}

/* ---- all routes of a scene at once ----
 * Connections leave a card at distinct points of its right edge and
 * arrive at distinct points of the left edge, ordered by where the other
 * end is (fewer crossings); then segments of distinct connections that
 * would run on top of one another are nudged apart. */

typedef struct {
  int src, dst;
  gboolean valid;
  Route route;
} CachedRoute;

/* Routes of the last scene seen in this thread, by connection index:
 * valid while neither the cards nor the connections change. */
typedef struct {
  guint64 fingerprint;
  GArray *entries;
} RouteCache;

static void
route_cache_free (gpointer data)
{
  RouteCache *cache = data;

  g_array_unref (cache->entries);
  g_free (cache);
}

static GPrivate route_cache_key = G_PRIVATE_INIT (route_cache_free);

typedef struct {
  guint  connection;
  int    other;        /* item at the other end */
} PortUse;

static const Scene *port_sort_scene;

static int
compare_port_use (gconstpointer pa, gconstpointer pb)
{
  const PortUse *a = pa, *b = pb;
  const AbRect *ra = &port_sort_scene->items[a->other].rect, *rb = &port_sort_scene->items[b->other].rect;

  if (ra->y != rb->y)
    return ra->y < rb->y ? -1 : 1;
  if (ra->x != rb->x)
    return ra->x < rb->x ? -1 : 1;
  return a->connection < b->connection ? -1 : a->connection > b->connection;
}

/* y of port @k of @n on a card edge from @top of height @height. */
static double
port_y (double top, double height, guint k, guint n)
{
  double spacing;

  if (n <= 1)
    return top + height / 2;
  spacing = MIN (PORT_SPACING, (height - 2 * PORT_EDGE_MARGIN) / (n - 1));
  return round (top + height / 2 + ((double) k - (n - 1) / 2.0) * spacing);
}

/* One segment of a route for the nudging pass. */
typedef struct {
  guint    entry;      /* index in the cache */
  guint    seg;        /* segment index: points seg, seg + 1 */
  gboolean vertical;
  gboolean fixed;      /* a port leg: cannot move */
  double   pos;        /* x of a vertical segment, y of a horizontal one */
  double   lo, hi;     /* extent along the segment */
} Seg;

static int
compare_seg (gconstpointer pa, gconstpointer pb)
{
  const Seg *a = pa, *b = pb;

  if (a->vertical != b->vertical)
    return a->vertical ? -1 : 1;
  if (fabs (a->pos - b->pos) > 0.25)
    return a->pos < b->pos ? -1 : 1;
  if (a->lo != b->lo)
    return a->lo < b->lo ? -1 : 1;
  return a->entry < b->entry ? -1 : a->entry > b->entry;
}

/* Copy of the route of @seg with that segment moved by @offset. */
static void
route_shifted (const CachedRoute *e, const Seg *seg, double offset, Route *out)
{
  *out = e->route;
  if (seg->vertical)
    {
      out->p[seg->seg].x += offset;
      out->p[seg->seg + 1].x += offset;
    }
  else
    {
      out->p[seg->seg].y += offset;
      out->p[seg->seg + 1].y += offset;
    }
}

/* Proper crossings between the segments next to @sa and @sb once moved
 * by @oa and @ob. */
static guint
local_crossings (GArray *entries, const Seg *sa, double oa, const Seg *sb, double ob)
{
  Route ra, rb;
  guint n = 0;

  route_shifted (&g_array_index (entries, CachedRoute, sa->entry), sa, oa, &ra);
  route_shifted (&g_array_index (entries, CachedRoute, sb->entry), sb, ob, &rb);
  for (guint i = sa->seg > 0 ? sa->seg - 1 : 0; i <= sa->seg + 1 && i + 1 < ra.n; i++)
    for (guint j = sb->seg > 0 ? sb->seg - 1 : 0; j <= sb->seg + 1 && j + 1 < rb.n; j++)
      {
        Point a = ra.p[i], b = ra.p[i + 1], c = rb.p[j], d = rb.p[j + 1];
        gboolean av = fabs (a.x - b.x) < 1e-6, cv = fabs (c.x - d.x) < 1e-6;

        if (av == cv)
          {
            /* running on top of each other is worse than crossing */
            gboolean ch = fabs (a.y - b.y) < 1e-6 && fabs (c.y - d.y) < 1e-6 && fabs (a.y - c.y) < 0.5;
            gboolean cvv = av && fabs (a.x - c.x) < 0.5;
            double lo, hi;

            if (ch)
              {
                lo = MAX (MIN (a.x, b.x), MIN (c.x, d.x));
                hi = MIN (MAX (a.x, b.x), MAX (c.x, d.x));
              }
            else if (cvv)
              {
                lo = MAX (MIN (a.y, b.y), MIN (c.y, d.y));
                hi = MIN (MAX (a.y, b.y), MAX (c.y, d.y));
              }
            else
              continue;
            if (hi - lo > -SHARED_TOUCH)
              n += 10;
            continue;
          }
        if (av)
          {
            Point t;
            t = a; a = c; c = t;
            t = b; b = d; d = t;
          }
        /* a-b horizontal, c-d vertical */
        if (c.x > MIN (a.x, b.x) + 1e-6 && c.x < MAX (a.x, b.x) - 1e-6
            && a.y > MIN (c.y, d.y) + 1e-6 && a.y < MAX (c.y, d.y) - 1e-6)
          n++;
      }
  return n;
}

/* How far a movable segment can go towards @sign (+1 / -1) before a
 * neighbouring leg would shrink below a few units or turn back. */
static double
seg_room (GArray *entries, const Seg *seg, int sign)
{
  const Route *r = &g_array_index (entries, CachedRoute, seg->entry).route;
  double room = G_MAXDOUBLE;
  guint ends[2] = { seg->seg, seg->seg + 1 };
  int neighbours[2] = { (int) seg->seg - 1, (int) seg->seg + 2 };

  for (int k = 0; k < 2; k++)
    {
      Point corner = r->p[ends[k]], other;
      double d;

      if (neighbours[k] < 0 || neighbours[k] >= (int) r->n)
        continue;
      other = r->p[neighbours[k]];
      d = seg->vertical ? other.x - corner.x : other.y - corner.y;
      if (d * sign > 0)
        room = MIN (room, fabs (d) - MIN_LEG);
    }
  return MAX (room, 0.0);
}

/* Two port legs of distinct connections on one line: no nudge can part
 * them, so one arrival moves half a port slot along its card's edge.
 * TRUE when something moved. */
static gboolean
part_port_legs (Scene *s, GArray *entries, Seg *segs, guint n)
{
  g_autofree guint *fixed = g_new (guint, MAX (n, 1));
  guint n_fixed = 0;

  /* pairs of port legs only (a wide cluster has few of them) */
  for (guint i = 0; i < n; i++)
    if (segs[i].fixed)
      fixed[n_fixed++] = i;
  for (guint fi = 0; fi < n_fixed; fi++)
    for (guint fj = fi + 1; fj < n_fixed; fj++)
      {
        Seg *a = &segs[fixed[fi]], *b = &segs[fixed[fj]];
        Seg *pick;
        CachedRoute *e;
        const AbRect *card;
        Route moved;
        double y;

        if (!a->fixed || !b->fixed || a->entry == b->entry
            || MIN (a->hi, b->hi) - MAX (a->lo, b->lo) <= -SHARED_TOUCH)
          continue;
        /* an arrival with a vertical run before it */
        pick = NULL;
        for (int k = 0; k < 2 && pick == NULL; k++)
          {
            Seg *c = k == 0 ? a : b;
            const Route *r = &g_array_index (entries, CachedRoute, c->entry).route;

            if (r->n >= 3 && c->seg + 2 == r->n)
              pick = c;
          }
        if (pick == NULL)
          continue;
        e = &g_array_index (entries, CachedRoute, pick->entry);
        card = &s->items[e->dst].rect;
        for (int sign = 1; sign >= -1; sign -= 2)
          {
            y = e->route.p[e->route.n - 1].y + sign * PORT_SPACING / 2;
            if (y < card->y + PORT_EDGE_MARGIN / 2 || y > card->y + card->height - PORT_EDGE_MARGIN / 2)
              continue;
            moved = e->route;
            moved.p[moved.n - 1].y = y;
            moved.p[moved.n - 2].y = y;
            if (route_is_simple (&moved))
              {
                e->route = moved;
                return TRUE;
              }
          }
      }
  return FALSE;
}

/* Spreads one cluster of segments that overlap on the same line. */
static void
nudge_cluster (GArray *entries, Seg *segs, guint n)
{
  g_autofree Seg **movable = g_new (Seg *, n);
  guint m = 0, fixed = 0;
  double spacing = NUDGE_SPACING;

  for (guint i = 0; i < n; i++)
    if (segs[i].fixed)
      fixed++;
    else
      movable[m++] = &segs[i];
  if (m == 0)
    return;

  /* Order by fewer local crossings (insertion sort: clusters are small;
   * in a big one, the hub of a wide design, a segment moves at most
   * NUDGE_SORT_REACH places, which keeps the pass linear) */
  for (guint i = 1; i < m; i++)
    for (guint j = i; j > 0 && i - j < NUDGE_SORT_REACH; j--)
      {
        Seg *x = movable[j - 1], *y = movable[j];
        guint keep = local_crossings (entries, x, -1, y, 1);

        route_work.sort_steps++;
        guint swap = local_crossings (entries, y, -1, x, 1);

        if (swap < keep)
          {
            movable[j - 1] = y;
            movable[j] = x;
          }
        else
          break;
      }

  for (guint j = 0; j < m; j++)
    {
      double slot = fixed > 0 ? (double) j + 1 : (double) j - (m - 1) / 2.0;

      if (fabs (slot) > 1e-9)
        spacing = MIN (spacing, seg_room (entries, movable[j], slot > 0 ? 1 : -1) / fabs (slot));
    }
  spacing = MAX (spacing, NUDGE_MIN_SPACING);
  for (guint j = 0; j < m; j++)
    {
      double slot = fixed > 0 ? (double) j + 1 : (double) j - (m - 1) / 2.0;
      CachedRoute *e = &g_array_index (entries, CachedRoute, movable[j]->entry);
      Route shifted;

      route_shifted (e, movable[j], round (slot * spacing * 2) / 2, &shifted);
      if (route_is_simple (&shifted))
        e->route = shifted;
    }
}

/* One pass over all segments; FALSE when nothing overlapped. */
static gboolean
nudge_pass (Scene *s, GArray *entries)
{
  g_autoptr(GArray) segs = g_array_new (FALSE, FALSE, sizeof (Seg));
  gboolean moved = FALSE;
  guint i = 0;

  for (guint k = 0; k < entries->len; k++)
    {
      const CachedRoute *e = &g_array_index (entries, CachedRoute, k);

      if (!e->valid)
        continue;
      for (guint s = 0; s + 1 < e->route.n; s++)
        {
          Point a = e->route.p[s], b = e->route.p[s + 1];
          Seg seg = { .entry = k, .seg = s };

          seg.vertical = fabs (a.x - b.x) < 1e-6;
          seg.fixed = s == 0 || s + 2 == e->route.n;
          seg.pos = seg.vertical ? a.x : a.y;
          seg.lo = seg.vertical ? MIN (a.y, b.y) : MIN (a.x, b.x);
          seg.hi = seg.vertical ? MAX (a.y, b.y) : MAX (a.x, b.x);
          g_array_append_val (segs, seg);
        }
    }
  g_array_sort (segs, compare_seg);

  while (i < segs->len)
    {
      Seg *first = &g_array_index (segs, Seg, i);
      guint j = i + 1, distinct = 1;
      double reach = first->hi;

      /* A cluster: same line, each overlapping (or touching) the extent
       * so far. */
      while (j < segs->len)
        {
          Seg *next = &g_array_index (segs, Seg, j);

          if (next->vertical != first->vertical || fabs (next->pos - first->pos) > 0.25
              || next->lo > reach + SHARED_TOUCH)
            break;
          reach = MAX (reach, next->hi);
          j++;
        }
      /* more than one connection on the line (linear: a hub's routes
       * share a channel by the thousand) */
      route_work.cluster_segs += j - i;
      for (guint a = i + 1; a < j && distinct == 1; a++)
        if (g_array_index (segs, Seg, a).entry != first->entry)
          distinct = 2;
      if (distinct > 1)
        {
          if (!part_port_legs (s, entries, &g_array_index (segs, Seg, i), j - i))
            nudge_cluster (entries, &g_array_index (segs, Seg, i), j - i);
          moved = TRUE;
        }
      i = j;
    }
  return moved;
}

static guint64
connections_fingerprint (AbDesign *design)
{
  guint n = ab_design_get_n_connections (design);
  guint64 h = 1469598103934665603ull ^ n;

  for (guint i = 0; i < n; i++)
    {
      const AbConnection *c = ab_design_get_connection (design, i);

      h = (h ^ g_str_hash (c->from)) * 1099511628211ull;
      h = (h ^ g_str_hash (c->to)) * 1099511628211ull;
    }
  return h;
}

/* Every route of the scene (computed once per geometry). */
static RouteCache *
scene_routes (Scene *s)
{
  RouteCache *cache = g_private_get (&route_cache_key);
  guint n = ab_design_get_n_connections (s->design);
  guint64 fingerprint = s->fingerprint ^ (connections_fingerprint (s->design) * 31);
  g_autofree GArray **outs = NULL, **ins = NULL;

  if (cache == NULL)
    {
      cache = g_new0 (RouteCache, 1);
      cache->entries = g_array_new (FALSE, TRUE, sizeof (CachedRoute));
      cache->fingerprint = fingerprint + 1;
      g_private_set (&route_cache_key, cache);
    }
  if (cache->fingerprint == fingerprint && cache->entries->len == n)
    return cache;

  cache->fingerprint = fingerprint;
  g_array_set_size (cache->entries, 0);
  g_array_set_size (cache->entries, n);
  outs = g_new0 (GArray *, MAX (s->n_items, 1));
  ins = g_new0 (GArray *, MAX (s->n_items, 1));
  for (guint i = 0; i < n; i++)
    {
      const AbConnection *c = ab_design_get_connection (s->design, i);
      CachedRoute *e = &g_array_index (cache->entries, CachedRoute, i);
      PortUse out, in;

      e->src = scene_find (s, c->from);
      e->dst = scene_find (s, c->to);
      if (e->src < 0 || e->dst < 0 || e->src == e->dst)
        continue;
      e->valid = TRUE;
      out = (PortUse) { i, e->dst };
      in = (PortUse) { i, e->src };
      if (outs[e->src] == NULL)
        outs[e->src] = g_array_new (FALSE, FALSE, sizeof (PortUse));
      if (ins[e->dst] == NULL)
        ins[e->dst] = g_array_new (FALSE, FALSE, sizeof (PortUse));
      g_array_append_val (outs[e->src], out);
      g_array_append_val (ins[e->dst], in);
    }

  /* Port positions: stored in the route's first / last point for now. */
  port_sort_scene = s;
  for (guint item = 0; item < s->n_items; item++)
    for (int side = 0; side < 2; side++)
      {
        GArray *uses = side == 0 ? outs[item] : ins[item];
        const AbRect *r = &s->items[item].rect;

        if (uses == NULL)
          continue;
        g_array_sort (uses, compare_port_use);
        for (guint k = 0; k < uses->len; k++)
          {
            CachedRoute *e = &g_array_index (cache->entries, CachedRoute,
                                             g_array_index (uses, PortUse, k).connection);
            double y = port_y (r->y, r->height, k, uses->len);

            if (side == 0)
              e->route.p[0].y = y;
            else
              e->route.p[1].y = y;
          }
        g_array_unref (uses);
      }
  port_sort_scene = NULL;

  for (guint i = 0; i < n; i++)
    {
      CachedRoute *e = &g_array_index (cache->entries, CachedRoute, i);

      if (e->valid)
        scene_route (s, e->src, e->dst, e->route.p[0].y, e->route.p[1].y, &e->route);
    }
  for (int pass = 0; pass < NUDGE_PASSES && nudge_pass (s, cache->entries); pass++)
    ;
  return cache;
}

/* The route of connection @index, or FALSE when it is not drawn. */
static gboolean
scene_route_get (RouteCache *cache, guint index, Route *out)
{
  const CachedRoute *e;

  if (index >= cache->entries->len)
    return FALSE;
  e = &g_array_index (cache->entries, CachedRoute, index);
  if (!e->valid)
    return FALSE;
  *out = e->route;
  return TRUE;
}

static void
route_bounds (const Route *r, AbRect *out)
{
  double x0 = r->p[0].x, y0 = r->p[0].y, x1 = x0, y1 = y0;

  for (guint i = 1; i < r->n; i++)
    {
      x0 = MIN (x0, r->p[i].x);
      y0 = MIN (y0, r->p[i].y);
      x1 = MAX (x1, r->p[i].x);
      y1 = MAX (y1, r->p[i].y);
    }
  out->x = x0;
  out->y = y0;
  out->width = x1 - x0;
  out->height = y1 - y0;
}

static Point
route_midpoint (const Route *r)
{
  double total = 0, walked = 0;

  for (guint i = 0; i + 1 < r->n; i++)
    total += hypot (r->p[i + 1].x - r->p[i].x, r->p[i + 1].y - r->p[i].y);
  for (guint i = 0; i + 1 < r->n; i++)
    {
      double len = hypot (r->p[i + 1].x - r->p[i].x, r->p[i + 1].y - r->p[i].y);

      if (walked + len >= total / 2 && len > 0)
        {
          double t = (total / 2 - walked) / len;

          return (Point) { r->p[i].x + (r->p[i + 1].x - r->p[i].x) * t,
                           r->p[i].y + (r->p[i + 1].y - r->p[i].y) * t };
        }
      walked += len;
    }
  return r->p[0];
}

static double
distance_to_segment (double px, double py, Point a, Point b)
{
  double dx = b.x - a.x, dy = b.y - a.y;
  double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((px - a.x) * dx + (py - a.y) * dy) / len2 : 0;

  t = CLAMP (t, 0, 1);
  return hypot (px - (a.x + t * dx), py - (a.y + t * dy));
}

/* ------------------------------------------------------------------ */
/* Connection labels */

static const char *
connection_text (const AbConnection *c, const AbRenderOptions *options)
{
  const char *rate = options != NULL && options->edge_rates != NULL
                     ? g_hash_table_lookup (options->edge_rates, c->id) : NULL;

  if (rate != NULL && *rate != '\0')
    return rate;
  if (c->label != NULL && *c->label != '\0')
    return c->label;
  return NULL;
}

/* The label pill: at the middle of the route, or else at the middle of
 * the longest segment where it covers no card. */
static gboolean
pill_rect (Scene *scene, const Route *r, const char *text, double text_scale,
           AbRect *out, const TextEntry **entry)
{
  const TextEntry *e;
  Point candidates[MAX_ROUTE_POINTS + 1];
  guint n = 0;
  gboolean used[MAX_ROUTE_POINTS] = { FALSE };

  if (text == NULL)
    return FALSE;
  e = text_lookup (FONT_PILL, text_scale, text, 180);
  out->width = e->width + 2 * PILL_PAD_X;
  out->height = MAX (PILL_HEIGHT * text_scale, e->height + 4);
  if (entry != NULL)
    *entry = e;

  candidates[n++] = route_midpoint (r);
  for (guint k = 0; k + 1 < r->n; k++)
    {
      double best = -1;
      guint pick = 0;

      for (guint i = 0; i + 1 < r->n; i++)
        {
          double len = fabs (r->p[i + 1].x - r->p[i].x) + fabs (r->p[i + 1].y - r->p[i].y);

          if (!used[i] && len > best)
            {
              best = len;
              pick = i;
            }
        }
      used[pick] = TRUE;
      candidates[n++] = (Point) { (r->p[pick].x + r->p[pick + 1].x) / 2, (r->p[pick].y + r->p[pick + 1].y) / 2 };
    }
  for (guint i = 0; i < n; i++)
    {
      out->x = candidates[i].x - out->width / 2;
      out->y = candidates[i].y - out->height / 2;
      scene_next_stamp (scene);
      if (scene_count_hits (scene, out->x, out->y, out->x + out->width, out->y + out->height, -1, -1) == 0)
        return TRUE;
    }
  out->x = candidates[0].x - out->width / 2;
  out->y = candidates[0].y - out->height / 2;
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Drawing */

typedef struct {
  cairo_t *cr;
  const AbRenderOptions *options;
  Palette palette;
  double scale;          /* device pixels per design unit */
  double text_scale;
  AbTextSink sink;
  gpointer sink_data;
  AbRect clip;
  gboolean have_clip;
  gboolean vector;       /* PDF / SVG / PS target: keep paths whole */
  Scene *scene;
  /* Card sprites used this frame, by kind and state (hovered, lifted). */
  cairo_surface_t *sprites[AB_N_KINDS + 1][4];
} Ctx;

static GPrivate stats_key = G_PRIVATE_INIT (g_free);

static gboolean
is_selected (const Ctx *ctx, const char *id)
{
  return ctx->options->selected != NULL && g_hash_table_contains (ctx->options->selected, id);
}

static gboolean
visible (const Ctx *ctx, const AbRect *r)
{
  return !ctx->have_clip || rect_intersects (&ctx->clip, r);
}

static void
draw_text (Ctx *ctx, const TextEntry *e, const char *owner, const char *full,
           double x, double top, gboolean centered, const Rgba color)
{
  double left = centered ? x - e->width / 2 : x;

  if (ctx->sink != NULL)
    {
      /* The sink works in device (output) units. */
      double dx = x, dy = top + e->baseline;
      AbTextRun run = {
        .owner_id = owner,
        .text = e->shown,
        .full_text = full,
        .width = e->width * ctx->scale,
        .size = e->size * ctx->scale,
        .weight = e->weight,
        .centered = centered,
      };

      cairo_user_to_device (ctx->cr, &dx, &dy);
      run.x = dx;
      run.baseline = dy;
      memcpy (run.rgba, color, sizeof (Rgba));
      ctx->sink (&run, ctx->sink_data);
      return;
    }

  if (e->size * ctx->scale < 4.5)
    {
      /* Too small to read: a soft bar where the text is. */
      double h = e->size * 0.45;

      set_source_alpha (ctx->cr, color, 0.35);
      cairo_rectangle (ctx->cr, left, top + e->baseline - e->size * 0.6, e->width, h);
      cairo_fill (ctx->cr);
      return;
    }
  set_source (ctx->cr, color);
  cairo_move_to (ctx->cr, left, top);
  pango_cairo_show_layout (ctx->cr, e->layout);
}

static GHashTable *sprite_cache_get (void);
static void        sprite_cache_insert (char *key, cairo_surface_t *surface);

/* Dots every grid step (doubling while they would be closer than 12
 * pixels), as one repeating tile: a fill, not thousands of squares. */
static void
draw_grid (Ctx *ctx)
{
  cairo_t *cr = ctx->cr;
  double x0, y0, x1, y1, step = AB_GRID_SIZE, extra = 1.0;
  g_autofree char *key = NULL;
  cairo_surface_t *tile;
  cairo_pattern_t *pattern;
  cairo_matrix_t m;
  int n;

  if (ctx->have_clip)
    {
      x0 = ctx->clip.x;
      y0 = ctx->clip.y;
      x1 = ctx->clip.x + ctx->clip.width;
      y1 = ctx->clip.y + ctx->clip.height;
    }
  else
    cairo_clip_extents (cr, &x0, &y0, &x1, &y1);

  while (step * ctx->scale < 12)
    step *= 2;
  if (cairo_surface_get_type (cairo_get_target (cr)) == CAIRO_SURFACE_TYPE_RECORDING
      && ctx->options->device_scale > 1)
    extra = ctx->options->device_scale;
  n = MAX (4, (int) round (step * ctx->scale * extra));
  if (n > 512)
    {
      /* Zoomed in that far, dots would be a distraction. */
      if (!ctx->options->transparent)
        {
          set_source (cr, ctx->palette.bg);
          cairo_paint (cr);
        }
      return;
    }

  key = g_strdup_printf ("grid|%d|%d|%d|%d|%.3f", ctx->palette.dark, ctx->options->high_contrast,
                         ctx->options->transparent, n, extra);
  tile = g_hash_table_lookup (sprite_cache_get (), key);
  if (tile == NULL)
    {
      cairo_t *tcr;
      double dot = 1.6 * extra;

      /* With the background in the tile, the whole backdrop is one opaque
       * copy. */
      tile = cairo_image_surface_create (ctx->options->transparent ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, n, n);
      tcr = cairo_create (tile);
      if (!ctx->options->transparent)
        {
          set_source (tcr, ctx->palette.bg);
          cairo_paint (tcr);
        }
      cairo_rectangle (tcr, n / 2 - dot / 2, n / 2 - dot / 2, dot, dot);
      set_source (tcr, ctx->palette.grid);
      cairo_fill (tcr);
      cairo_destroy (tcr);
      sprite_cache_insert (g_steal_pointer (&key), tile);
    }

  pattern = cairo_pattern_create_for_surface (tile);
  cairo_pattern_set_extend (pattern, CAIRO_EXTEND_REPEAT);
  cairo_pattern_set_filter (pattern, CAIRO_FILTER_NEAREST);
  cairo_matrix_init_scale (&m, n / step, n / step);
  cairo_matrix_translate (&m, step / 2, step / 2);
  cairo_pattern_set_matrix (pattern, &m);
  cairo_set_source (cr, pattern);
  if (ctx->have_clip)
    {
      cairo_rectangle (cr, x0, y0, x1 - x0, y1 - y0);
      cairo_fill (cr);
    }
  else
    cairo_paint (cr);
  cairo_pattern_destroy (pattern);
}

typedef enum {
  PATH_WHOLE,     /* one connected path */
  PATH_STRAIGHT,  /* only the straight runs, as separate sub-paths */
  PATH_CORNERS,   /* only the rounded corners, as separate sub-paths */
  PATH_SHARP      /* the polyline itself, square corners (far zoomed out) */
} PathPart;

/* Straight runs alone make a rectilinear path, which cairo strokes as
 * boxes (much faster than general polygons on raster targets). */
static void
path_route (cairo_t *cr, const Route *r, double end_trim, PathPart part)
{
  Point pts[MAX_ROUTE_POINTS];
  guint n = r->n;
  Point from;

  memcpy (pts, r->p, sizeof (Point) * n);
  if (end_trim > 0 && n >= 2)
    {
      double dx = pts[n - 1].x - pts[n - 2].x, dy = pts[n - 1].y - pts[n - 2].y;
      double len = hypot (dx, dy);

      if (len > end_trim)
        {
          pts[n - 1].x -= dx / len * end_trim;
          pts[n - 1].y -= dy / len * end_trim;
        }
    }

  if (part == PATH_SHARP)
    {
      cairo_move_to (cr, pts[0].x, pts[0].y);
      for (guint i = 1; i < n; i++)
        cairo_line_to (cr, pts[i].x, pts[i].y);
      return;
    }
  from = pts[0];
  if (part == PATH_WHOLE)
    cairo_move_to (cr, from.x, from.y);
  for (guint i = 1; i + 1 < n; i++)
    {
      Point p = pts[i], a = pts[i - 1], b = pts[i + 1];
      double lin = hypot (p.x - a.x, p.y - a.y), lout = hypot (b.x - p.x, b.y - p.y);
      double rad = MIN (CORNER_RADIUS, MIN (lin, lout) / 2);
      double ix, iy, ox, oy, k;
      Point before, after;

      if (rad < 0.5 || lin == 0 || lout == 0)
        {
          if (part == PATH_WHOLE)
            cairo_line_to (cr, p.x, p.y);
          else if (part == PATH_STRAIGHT)
            {
              cairo_move_to (cr, from.x, from.y);
              cairo_line_to (cr, p.x, p.y);
            }
          from = p;
          continue;
        }
      ix = (p.x - a.x) / lin;
      iy = (p.y - a.y) / lin;
      ox = (b.x - p.x) / lout;
      oy = (b.y - p.y) / lout;
      k = 0.552 * rad;
      before = (Point) { p.x - ix * rad, p.y - iy * rad };
      after = (Point) { p.x + ox * rad, p.y + oy * rad };

      if (part == PATH_WHOLE)
        cairo_line_to (cr, before.x, before.y);
      else if (part == PATH_STRAIGHT)
        {
          cairo_move_to (cr, from.x, from.y);
          cairo_line_to (cr, before.x, before.y);
        }
      if (part != PATH_STRAIGHT)
        {
          if (part == PATH_CORNERS)
            cairo_move_to (cr, before.x, before.y);
          cairo_curve_to (cr, p.x - ix * (rad - k), p.y - iy * (rad - k),
                          p.x + ox * (rad - k), p.y + oy * (rad - k),
                          after.x, after.y);
        }
      from = after;
    }
  if (part == PATH_STRAIGHT)
    cairo_move_to (cr, from.x, from.y);
  if (part != PATH_CORNERS)
    cairo_line_to (cr, pts[n - 1].x, pts[n - 1].y);
}

typedef struct {
  const AbConnection *connection;
  Route route;
  gboolean emphasis;
} DrawnEdge;

static void
path_arrow (cairo_t *cr, const Route *r, double width)
{
  Point tip = r->p[r->n - 1], prev = r->p[r->n - 2];
  double dx = tip.x - prev.x, dy = tip.y - prev.y, len = hypot (dx, dy);
  double ux, uy, bx, by, hw;

  if (len <= 0)
    return;
  ux = dx / len;
  uy = dy / len;
  bx = tip.x - ux * ARROW_LENGTH;
  by = tip.y - uy * ARROW_LENGTH;
  hw = ARROW_HALF_WIDTH * (width / 1.5 > 1.2 ? 1.15 : 1.0);
  cairo_move_to (cr, tip.x, tip.y);
  cairo_line_to (cr, bx - uy * hw, by + ux * hw);
  cairo_line_to (cr, bx + ux * 2.0, by + uy * 2.0);
  cairo_line_to (cr, bx + uy * hw, by - ux * hw);
  cairo_close_path (cr);
}

/* The resting connections on a raster target, all of a mode in one path
 * per part: a handful of cairo calls however many there are. */
static void
draw_plain_edges (Ctx *ctx, GArray *edges)
{
  static const double dashes[] = { 6.0, 4.0 };
  cairo_t *cr = ctx->cr;
  gboolean far = ctx->scale < 0.5;

  set_source (cr, ctx->palette.edge);
  cairo_set_line_width (cr, 1.5);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);
  cairo_set_miter_limit (cr, 10);
  for (int mode = AB_CONN_SYNC; mode <= AB_CONN_ASYNC; mode++)
    {
      const PathPart parts[] = { far ? PATH_SHARP : PATH_STRAIGHT, PATH_CORNERS };

      if (mode == AB_CONN_ASYNC)
        cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
      for (guint k = 0; k < (far ? 1u : 2u); k++)
        {
          cairo_new_path (cr);
          for (guint i = 0; i < edges->len; i++)
            {
              const DrawnEdge *edge = &g_array_index (edges, DrawnEdge, i);

              if (!edge->emphasis && (int) edge->connection->mode == mode)
                path_route (cr, &edge->route, ARROW_LENGTH * 0.6, parts[k]);
            }
          cairo_stroke (cr);
        }
      cairo_set_dash (cr, NULL, 0, 0);
    }
  cairo_new_path (cr);
  for (guint i = 0; i < edges->len; i++)
    {
      const DrawnEdge *edge = &g_array_index (edges, DrawnEdge, i);

      if (!edge->emphasis)
        path_arrow (cr, &edge->route, 1.5);
    }
  cairo_fill (cr);
}

static void
draw_edge (Ctx *ctx, const DrawnEdge *edge)
{
  cairo_t *cr = ctx->cr;
  const Palette *p = &ctx->palette;
  const AbConnection *c = edge->connection;
  const Route *r = &edge->route;
  gboolean selected = is_selected (ctx, c->id);
  gboolean hovered = g_strcmp0 (ctx->options->hovered, c->id) == 0;
  gboolean focused = g_strcmp0 (ctx->options->focused, c->id) == 0;
  const double *color = p->edge;
  double width = 1.5;

  if (selected || focused)
    {
      color = p->accent;
      width = 2.25;
    }
  else if (hovered || edge->emphasis)
    {
      color = p->edge_strong;
      width = hovered ? 2.0 : 1.75;
    }

  if (focused)
    {
      cairo_new_path (cr);
      path_route (cr, r, ARROW_LENGTH * 0.6, PATH_WHOLE);
      set_source_alpha (cr, p->accent, 0.3);
      cairo_set_line_width (cr, 7);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      cairo_stroke (cr);
    }

  set_source (cr, color);
  cairo_set_line_width (cr, width);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);
  cairo_set_miter_limit (cr, 10);
  if (c->mode == AB_CONN_ASYNC)
    {
      static const double dashes[] = { 6.0, 4.0 };

      cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
    }
  cairo_new_path (cr);
  if (ctx->vector)
    {
      path_route (cr, r, ARROW_LENGTH * 0.6, PATH_WHOLE);
      cairo_stroke (cr);
    }
  else
    {
      path_route (cr, r, ARROW_LENGTH * 0.6, PATH_STRAIGHT);
      cairo_stroke (cr);
      path_route (cr, r, ARROW_LENGTH * 0.6, PATH_CORNERS);
      cairo_stroke (cr);
    }
  cairo_set_dash (cr, NULL, 0, 0);

  cairo_new_path (cr);
  path_arrow (cr, r, width);
  cairo_fill (cr);
}

static void
draw_edge_label (Ctx *ctx, const DrawnEdge *edge)
{
  cairo_t *cr = ctx->cr;
  const Palette *p = &ctx->palette;
  const char *text = connection_text (edge->connection, ctx->options);
  gboolean is_rate = ctx->options->edge_rates != NULL
                     && g_hash_table_lookup (ctx->options->edge_rates, edge->connection->id) != NULL;
  const TextEntry *e;
  AbRect pr;
  Rgba text_color;

  if (!pill_rect (ctx->scene, &edge->route, text, ctx->text_scale, &pr, &e))
    return;
  if (!visible (ctx, &pr))
    return;
  rounded_rect (cr, pr.x, pr.y, pr.width, pr.height, pr.height / 2);
  if (is_rate)
    {
      Rgba tint;

      rgba_mix (p->card, p->accent, p->dark ? 0.22 : 0.1, tint);
      set_source (cr, tint);
      memcpy (text_color, p->accent_fg, sizeof (Rgba));
    }
  else
    {
      set_source (cr, p->card);
      memcpy (text_color, p->dim, sizeof (Rgba));
      text_color[3] = MIN (1.0, text_color[3] + 0.2);
    }
  cairo_fill_preserve (cr);
  set_source (cr, is_selected (ctx, edge->connection->id) ? p->accent : p->card_border);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
  draw_text (ctx, e, edge->connection->id, text, pr.x + pr.width / 2,
             pr.y + (pr.height - e->height) / 2, TRUE, text_color);
}

static void
card_path (cairo_t *cr, const AbRect *r, double outset)
{
  rounded_rect (cr, r->x - outset, r->y - outset, r->width + 2 * outset, r->height + 2 * outset,
                CARD_RADIUS + outset);
}

static void
draw_card_simple (Ctx *ctx, const Item *item)
{
  cairo_t *cr = ctx->cr;
  Rgba accent;

  kind_style (item->component->kind, &ctx->palette, accent, NULL);
  cairo_rectangle (cr, item->rect.x, item->rect.y, item->rect.width, item->rect.height);
  set_source (cr, ctx->palette.card);
  cairo_fill (cr);
  cairo_rectangle (cr, item->rect.x, item->rect.y, TILE_X + TILE_SIZE, item->rect.height);
  set_source (cr, accent);
  cairo_fill (cr);
  if (is_selected (ctx, item->component->id))
    {
      cairo_rectangle (cr, item->rect.x, item->rect.y, item->rect.width, item->rect.height);
      set_source (cr, ctx->palette.accent);
      cairo_set_line_width (cr, 3 / ctx->scale);
      cairo_stroke (cr);
    }
}

static void
draw_pill_text (Ctx *ctx, const char *owner, FontRole role, const char *text,
                double cx, double cy, const Rgba fill, const Rgba fg)
{
  const TextEntry *e = text_lookup (role, ctx->text_scale, text, 0);
  double h = MAX (18 * ctx->text_scale, e->height + 2), w = MAX (h, e->width + 12);

  rounded_rect (ctx->cr, cx - w / 2, cy - h / 2, w, h, h / 2);
  set_source (ctx->cr, fill);
  cairo_fill_preserve (ctx->cr);
  set_source (ctx->cr, ctx->palette.card);
  cairo_set_line_width (ctx->cr, 2);
  cairo_stroke (ctx->cr);
  draw_text (ctx, e, owner, text, cx, cy - e->height / 2, TRUE, fg);
}

/* Everything of a card that depends only on its kind and state: shadow,
 * body, border, kind tile and glyph.  (The canvas draws its connection
 * handles itself, beside the card.) */
static void
draw_card_body (cairo_t       *cr,
                const Palette *p,
                AbKind         kind,
                const AbRect  *r,
                gboolean       hovered,
                gboolean       lifted,
                gboolean       shadow)
{
  Rgba accent, tile, tile_bg, glyph;

  kind_style (kind, p, accent, NULL);
  if (shadow)
    {
      static const struct { double outset, dy, alpha; } layers[] = {
        { 3.0, 3.0, 0.25 }, { 1.5, 2.0, 0.5 }, { 0.5, 1.0, 1.0 },
      };

      /* Rings rather than fills: the card hides the inside anyway, and
       * a ring costs its perimeter, not its area. */
      for (guint i = 0; i < G_N_ELEMENTS (layers); i++)
        {
          AbRect sr = *r;
          double inner = -(layers[i].dy + 1), outer = layers[i].outset;

          sr.y += layers[i].dy;
          card_path (cr, &sr, (outer + inner) / 2);
          cairo_set_line_width (cr, outer - inner);
          set_source_alpha (cr, p->shadow, layers[i].alpha * (hovered || lifted ? 1.6 : 1.0));
          cairo_stroke (cr);
        }
    }

  card_path (cr, r, 0);
  set_source (cr, p->card);
  cairo_fill (cr);
  card_path (cr, r, -0.5);
  set_source (cr, hovered ? p->card_border_hover : p->card_border);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);

  memcpy (tile, accent, sizeof (Rgba));
  tile[3] = p->tile_alpha;
  rounded_rect (cr, r->x + TILE_X, r->y + (r->height - TILE_SIZE) / 2, TILE_SIZE, TILE_SIZE, TILE_RADIUS);
  set_source (cr, tile);
  cairo_fill (cr);
  rgba_mix (p->card, accent, p->tile_alpha, tile_bg);
  tile_bg[3] = 1;
  glyph_color (accent, tile_bg, p->dark, glyph);
  ab_render_kind_glyph (cr, kind,
                        r->x + TILE_X + (TILE_SIZE - GLYPH_SIZE) / 2,
                        r->y + (r->height - GLYPH_SIZE) / 2,
                        GLYPH_SIZE, glyph, tile_bg);
}

void
ab_render_kind_tile (cairo_t               *cr,
                     AbKind                 kind,
                     double                 x,
                     double                 y,
                     double                 size,
                     const AbRenderOptions *options)
{
  AbRenderOptions defaults;
  Palette p;
  Rgba accent, tile_bg, glyph;
  double scale = size / TILE_SIZE, glyph_size = GLYPH_SIZE * scale;

  if (options == NULL)
    {
      ab_render_options_init (&defaults);
      options = &defaults;
    }
  palette_init (&p, options);
  kind_style (kind, &p, accent, NULL);
  /* The card's translucent tile over the card colour, made opaque so it
   * looks the same on any background. */
  rgba_mix (p.card, accent, p.tile_alpha, tile_bg);
  tile_bg[3] = 1;
  glyph_color (accent, tile_bg, p.dark, glyph);
  cairo_save (cr);
  cairo_new_path (cr);
  rounded_rect (cr, x, y, size, size, TILE_RADIUS * scale);
  set_source (cr, tile_bg);
  cairo_fill (cr);
  ab_render_kind_glyph (cr, kind, x + (size - glyph_size) / 2, y + (size - glyph_size) / 2,
                        glyph_size, glyph, tile_bg);
  cairo_restore (cr);
}

/* Card bodies pre-rendered per kind, state and device scale, per thread:
 * on raster targets a card is then one blit plus its text. */
#define SPRITE_PAD 8.0
#define SPRITE_CACHE_MAX 512
#define SPRITE_CACHE_BYTES (48 * 1024 * 1024)

static GPrivate sprite_bytes_key;   /* GSIZE_TO_POINTER of the pixels held */

static void
sprite_cache_insert (char *key, cairo_surface_t *surface)
{
  gsize bytes = GPOINTER_TO_SIZE (g_private_get (&sprite_bytes_key));

  bytes += (gsize) cairo_image_surface_get_stride (surface) * cairo_image_surface_get_height (surface);
  g_private_set (&sprite_bytes_key, GSIZE_TO_POINTER (bytes));
  g_hash_table_insert (sprite_cache_get (), key, surface);
}

/* Only between frames: sprites in use stay valid during one. */
static void
sprite_cache_trim (void)
{
  if (g_hash_table_size (sprite_cache_get ()) >= SPRITE_CACHE_MAX
      || GPOINTER_TO_SIZE (g_private_get (&sprite_bytes_key)) > SPRITE_CACHE_BYTES)
    {
      g_hash_table_remove_all (sprite_cache_get ());
      g_private_set (&sprite_bytes_key, NULL);
    }
}

static GPrivate sprite_cache_key = G_PRIVATE_INIT ((GDestroyNotify) g_hash_table_unref);

static GHashTable *
sprite_cache_get (void)
{
  GHashTable *cache = g_private_get (&sprite_cache_key);

  if (cache == NULL)
    {
      cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify) cairo_surface_destroy);
      g_private_set (&sprite_cache_key, cache);
    }
  return cache;
}

static gboolean
draw_card_sprite (Ctx *ctx, const Item *item, gboolean hovered, double *shift_x, double *shift_y)
{
  cairo_t *cr = ctx->cr;
  cairo_matrix_t m;
  GHashTable *cache;
  g_autofree char *key = NULL;
  cairo_surface_t *sprite;
  double extra = 1.0, scale, dx, dy, px, py;
  int kind_slot, state_slot;

  cairo_get_matrix (cr, &m);
  if (m.xy != 0 || m.yx != 0 || m.xx <= 0 || fabs (m.xx - m.yy) > 1e-9)
    return FALSE;
  /* A recording is replayed later at a scale only the caller knows; other
   * surfaces may carry a device scale of their own. */
  if (cairo_surface_get_type (cairo_get_target (cr)) == CAIRO_SURFACE_TYPE_RECORDING)
    {
      if (!(ctx->options->device_scale >= 1))
        return FALSE;
      extra = ctx->options->device_scale;
    }
  else
    {
      double sx = 1, sy = 1;

      cairo_surface_get_device_scale (cairo_get_target (cr), &sx, &sy);
      if (sx != sy || sx <= 0)
        return FALSE;
      extra = sx;
    }
  scale = ctx->scale * extra;
  if (scale > 8)
    return FALSE;

  kind_slot = item->component->kind >= 0 && item->component->kind < AB_N_KINDS ? item->component->kind : AB_N_KINDS;
  state_slot = (hovered ? 1 : 0) + (item->moved ? 2 : 0);
  sprite = ctx->sprites[kind_slot][state_slot];
  if (sprite == NULL)
    {
      cache = sprite_cache_get ();
      key = g_strdup_printf ("%d|%d|%d|%d|%d|%d|%.5f", item->component->kind, ctx->palette.dark,
                             ctx->options->high_contrast, hovered, item->moved, ctx->options->slide, scale);
      sprite = g_hash_table_lookup (cache, key);
    }
  if (sprite == NULL)
    {
      int w = (int) ceil ((AB_CARD_WIDTH + 2 * SPRITE_PAD) * scale);
      int h = (int) ceil ((AB_CARD_HEIGHT + 2 * SPRITE_PAD) * scale);
      AbRect body = { SPRITE_PAD, SPRITE_PAD, AB_CARD_WIDTH, AB_CARD_HEIGHT };
      cairo_t *scr;

      sprite = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
      scr = cairo_create (sprite);
      cairo_scale (scr, scale, scale);
      draw_card_body (scr, &ctx->palette, item->component->kind, &body, hovered, item->moved, TRUE);
      cairo_destroy (scr);
      if (cairo_surface_status (sprite) != CAIRO_STATUS_SUCCESS)
        {
          cairo_surface_destroy (sprite);
          return FALSE;
        }
      sprite_cache_insert (g_steal_pointer (&key), sprite);
    }
  ctx->sprites[kind_slot][state_slot] = sprite;

  dx = item->rect.x - SPRITE_PAD;
  dy = item->rect.y - SPRITE_PAD;
  cairo_user_to_device (cr, &dx, &dy);
  px = round (dx * extra);
  py = round (dy * extra);
  cairo_save (cr);
  cairo_identity_matrix (cr);
  if (extra != 1.0)
    cairo_scale (cr, 1 / extra, 1 / extra);
  cairo_set_source_surface (cr, sprite, px, py);
  cairo_paint (cr);
  cairo_restore (cr);
  *shift_x = (px - dx * extra) / scale;
  *shift_y = (py - dy * extra) / scale;
  return TRUE;
}

/* A card's label (one or two lines) and kind name (NULL when not shown),
 * vertically centred as a block from @top. */
typedef struct {
  LabelLines       one_line;
  const LabelLines *label;
  const TextEntry  *kind;
  double           top, line_h, gap, bottom;
} CardText;

static void
card_text_layout (Ctx *ctx, const AbComponent *c, const AbRect *r, const char *kind_name, CardText *t)
{
  const AbRenderOptions *o = ctx->options;
  const char *text = c->label != NULL ? c->label : "";
  double text_w = r->width - TEXT_X - TEXT_RIGHT_PAD;
  const LabelLines *label = NULL;
  const TextEntry *kind = NULL;
  LabelLines *one_line_p = &t->one_line;
  double block;
  /* "Cache" over "Cache" says nothing twice: the kind only when the
   * label is something else. */
  gboolean show_kind = g_utf8_collate (text, kind_name) != 0;

  /* Slides (presentation mode): the label at the size asked, on two
   * lines if need be; the kind name only when it still fits. */
  if (o->slide && ctx->text_scale > 1.0 + 1e-6)
    {
      label = label_lookup (ctx->text_scale, text, text_w);
      if (label->lines[0]->height * (label->n_lines + 0.6) > r->height - 6)
        show_kind = FALSE;
    }
  /* Larger text (presentation) where it fits on the card, else as
   * large as fits, down to the normal size. */
  for (double ts = ctx->text_scale; ts > 1.0 + 1e-6 && label == NULL; ts = MAX (1.0, ts - 0.125))
    {
      const TextEntry *e = text_lookup (FONT_LABEL, ts, text, 0);

      if (e->width <= text_w)
        {
          one_line_p->lines[0] = e;
          one_line_p->n_lines = 1;
          label = one_line_p;
        }
    }
  for (double ts = ctx->text_scale; show_kind && ts > 1.0 + 1e-6 && kind == NULL; ts = MAX (1.0, ts - 0.125))
    {
      const TextEntry *e = text_lookup (FONT_KIND, ts, kind_name, 0);

      if (e->width <= text_w)
        kind = e;
    }
  if (label == NULL)
    label = label_lookup (1.0, text, text_w);
  if (kind == NULL && show_kind)
    kind = text_lookup (FONT_KIND, 1.0, kind_name, text_w);
  t->label = label;
  t->kind = kind;
  t->gap = 1.0 * ctx->text_scale;
  t->line_h = label->lines[0]->height;
  block = t->line_h * label->n_lines + (kind != NULL ? t->gap + kind->height : 0);
  t->top = r->y + (r->height - block) / 2;
  t->bottom = t->top + block;
}

static void draw_card (Ctx *ctx, const Item *item);

/* A card with the simulation's state: faded when it receives no traffic
 * (the reason under it), greyed when the failure phase loses it. */
static void
draw_card_with_state (Ctx *ctx, const Item *item)
{
  const AbRenderOptions *o = ctx->options;
  const AbComponent *c = item->component;
  const char *reason = o->dimmed != NULL ? g_hash_table_lookup (o->dimmed, c->id) : NULL;
  gboolean failed = o->failed != NULL && g_hash_table_contains (o->failed, c->id);
  const char *note;
  double cy;
  Rgba grey_accent;
  Rgba grey = { 0.45, 0.45, 0.48, 1.0 };
  Rgba white = { 1.0, 1.0, 1.0, 1.0 };

  if ((reason == NULL && !failed) || ctx->sink != NULL)
    {
      draw_card (ctx, item);
      return;
    }
  cairo_push_group (ctx->cr);
  draw_card (ctx, item);
  cairo_pop_group_to_source (ctx->cr);
  cairo_paint_with_alpha (ctx->cr, reason != NULL ? 0.4 : 0.55);
  note = reason != NULL ? reason : g_dgettext (GETTEXT_PACKAGE, "Lost in the failure phase");
  /* Across the card's bottom edge, unless the card's text reaches down
   * there (a label on two lines over the kind, on slides): then just
   * under the text, so that the note never covers it. */
  {
    const TextEntry *e = text_lookup (FONT_CALLOUT, ctx->text_scale, note, 0);
    double h = MAX (18 * ctx->text_scale, e->height + 2);
    const char *kind_name = NULL;
    CardText t;

    kind_style (c->kind, &ctx->palette, grey_accent, &kind_name);
    card_text_layout (ctx, c, &item->rect, kind_name, &t);
    cy = MAX (item->rect.y + item->rect.height, t.bottom + 1 + h / 2);
  }
  draw_pill_text (ctx, c->id, FONT_CALLOUT, note, item->rect.x + item->rect.width / 2, cy, grey, white);
}

static void
draw_card (Ctx *ctx, const Item *item)
{
  cairo_t *cr = ctx->cr;
  const Palette *p = &ctx->palette;
  const AbComponent *c = item->component;
  const AbRect *r = &item->rect;
  const AbRenderOptions *o = ctx->options;
  gboolean selected = is_selected (ctx, c->id);
  gboolean focused = g_strcmp0 (o->focused, c->id) == 0;
  gboolean hovered = g_strcmp0 (o->hovered, c->id) == 0;
  gboolean bottleneck = g_strcmp0 (o->bottleneck, c->id) == 0;
  const double *util = o->utilization != NULL ? g_hash_table_lookup (o->utilization, c->id) : NULL;
  const char *kind_name = NULL;
  Rgba accent;
  double shift_x = 0, shift_y = 0;
  gboolean saved = FALSE;

  if (ctx->sink == NULL && r->width * ctx->scale < 28)
    {
      draw_card_simple (ctx, item);
      return;
    }
  kind_style (c->kind, p, accent, &kind_name);

  if (ctx->sink == NULL && !ctx->vector && draw_card_sprite (ctx, item, hovered, &shift_x, &shift_y))
    {
      /* The sprite sits on whole device pixels: draw the rest of the card
       * with the same (sub-pixel) shift so it lines up. */
      cairo_save (cr);
      saved = TRUE;
      cairo_translate (cr, shift_x, shift_y);
    }
  else
    draw_card_body (cr, p, c->kind, r, hovered, item->moved, ctx->sink != NULL || ctx->scale >= 0.35);

  /* Overlay ring around the card: utilisation colour; the bottleneck (the
   * busiest component) with a wider halo, in its own utilisation's colour:
   * red only when it is near or past its capacity, not on a design whose
   * busiest component has room to spare (red only without a figure). */
  if (util != NULL || bottleneck)
    {
      Rgba ring;

      utilization_color (util != NULL ? *util : 1.0, ring);
      if (bottleneck)
        {
          card_path (cr, r, 4.5);
          set_source_alpha (cr, ring, 0.22);
          cairo_set_line_width (cr, 9);
          cairo_stroke (cr);
        }
      card_path (cr, r, 4);
      set_source (cr, ring);
      cairo_set_line_width (cr, bottleneck ? 3.5 : 2.5);
      cairo_stroke (cr);
    }

  /* Label (one or two lines) and kind name, vertically centred as a block. */
  {
    CardText t;
    const LabelLines *label;
    const TextEntry *kind;
    double line_h, gap, top;

    card_text_layout (ctx, c, r, kind_name, &t);
    label = t.label;
    kind = t.kind;
    line_h = t.line_h;
    gap = t.gap;
    top = t.top;
    for (guint i = 0; i < label->n_lines; i++)
      draw_text (ctx, label->lines[i], c->id, c->label, r->x + TEXT_X, top + i * line_h, FALSE, p->fg);
    if (kind != NULL)
      draw_text (ctx, kind, c->id, kind_name, r->x + TEXT_X, top + line_h * label->n_lines + gap, FALSE, p->dim);
  }

  /* Utilisation bar along the bottom edge, inside the card. */
  if (util != NULL)
    {
      Rgba bar;
      double u = CLAMP (*util, 0.0, 1.0), w = r->width - 2 * CARD_RADIUS;

      utilization_color (*util, bar);
      cairo_rectangle (cr, r->x + CARD_RADIUS, r->y + r->height - 5, w, 2.5);
      set_source_alpha (cr, p->fg, 0.08);
      cairo_fill (cr);
      cairo_rectangle (cr, r->x + CARD_RADIUS, r->y + r->height - 5, w * u, 2.5);
      set_source (cr, bar);
      cairo_fill (cr);
    }

  /* Selection, then keyboard focus ring outside it. */
  if (selected)
    {
      card_path (cr, r, -1);
      set_source (cr, p->accent);
      cairo_set_line_width (cr, 2);
      cairo_stroke (cr);
    }
  if (focused)
    {
      card_path (cr, r, 3);
      set_source_alpha (cr, p->accent, 0.5);
      cairo_set_line_width (cr, 2);
      cairo_stroke (cr);
    }

  if (c->instances > 1)
    {
      g_autofree char *count = ab_format_count (c->instances);
      /* grouped: "×89,286" reads at a glance, "×89286" does not */
      g_autofree char *badge = g_strdup_printf ("×%s", count);
      const TextEntry *e = text_lookup (FONT_BADGE, ctx->text_scale, badge, 0);
      double w = MAX (18 * ctx->text_scale, e->width + 12);
      Rgba fill;

      badge_fill (accent, fill);
      /* With large slide text the label reaches the card's top edge: the
       * badge then sits above the card instead of across its edge. */
      draw_pill_text (ctx, c->id, FONT_BADGE, badge, r->x + r->width - 12 - w / 2,
                      o->slide && ctx->text_scale > 1.0 + 1e-6 ? r->y - 9 * ctx->text_scale - 2 : r->y,
                      fill, p->on_accent);
    }

  if (bottleneck)
    {
      Rgba ring, fill;

      /* darkened as the instance badges are, so the white text reads */
      utilization_color (util != NULL ? *util : 1.0, ring);
      badge_fill (ring, fill);
      draw_pill_text (ctx, c->id, FONT_CALLOUT, g_dgettext (GETTEXT_PACKAGE, "Bottleneck"),
                      r->x + r->width / 2 - 8, r->y, fill, p->on_accent);
    }
  if (saved)
    cairo_restore (cr);
}

static void
draw_ghost (Ctx *ctx, const Item *item)
{
  AbRect original;
  static const double dashes[] = { 4.0, 3.0 };

  ab_render_component_rect (item->component, &original);
  card_path (ctx->cr, &original, -0.5);
  set_source (ctx->cr, ctx->palette.ghost);
  cairo_set_line_width (ctx->cr, 1);
  cairo_set_dash (ctx->cr, dashes, G_N_ELEMENTS (dashes), 0);
  cairo_stroke (ctx->cr);
  cairo_set_dash (ctx->cr, NULL, 0, 0);
}

/* ---- the legend of connection kinds (exports) ---- */

#define LEGEND_SAMPLE  28.0
#define LEGEND_GAP      8.0
#define LEGEND_SPACING 20.0

static const char *
legend_text (int mode)
{
  return mode == AB_CONN_SYNC ? g_dgettext (GETTEXT_PACKAGE, "Synchronous call")
                              : g_dgettext (GETTEXT_PACKAGE, "Asynchronous (queued) work");
}

gboolean
ab_render_legend_needed (AbDesign           *design,
                         const char * const *subset)
{
  g_autoptr(GHashTable) wanted = NULL;
  gboolean seen[2] = { FALSE, FALSE };

  if (subset != NULL)
    {
      wanted = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; subset[i] != NULL; i++)
        g_hash_table_add (wanted, (gpointer) subset[i]);
    }
  for (guint i = 0; i < ab_design_get_n_connections (design); i++)
    {
      const AbConnection *c = ab_design_get_connection (design, i);

      if (wanted != NULL && !(g_hash_table_contains (wanted, c->from) && g_hash_table_contains (wanted, c->to)))
        continue;
      if (g_strcmp0 (c->from, c->to) == 0)
        continue;
      seen[c->mode == AB_CONN_ASYNC ? 1 : 0] = TRUE;
    }
  return seen[0] && seen[1];
}

void
ab_render_legend_size (double *width,
                       double *height)
{
  double w = 0;

  for (int mode = AB_CONN_SYNC; mode <= AB_CONN_ASYNC; mode++)
    w += LEGEND_SAMPLE + LEGEND_GAP + text_lookup (FONT_PILL, 1.0, legend_text (mode), 0)->width
         + (mode == AB_CONN_SYNC ? LEGEND_SPACING : 0);
  *width = ceil (w);
  *height = PILL_HEIGHT;
}

void
ab_render_legend (cairo_t               *cr,
                  const AbRenderOptions *options,
                  double                 x,
                  double                 y,
                  AbTextSink             sink,
                  gpointer               sink_data)
{
  static const double dashes[] = { 6.0, 4.0 };
  Ctx ctx = { 0 };
  double ux = 1, uy = 0, mid = y + PILL_HEIGHT / 2;

  ctx.cr = cr;
  ctx.options = options;
  ctx.sink = sink;
  ctx.sink_data = sink_data;
  ctx.text_scale = 1.0;
  palette_init (&ctx.palette, options);
  cairo_user_to_device_distance (cr, &ux, &uy);
  ctx.scale = MAX (hypot (ux, uy), 1e-6);

  cairo_save (cr);
  for (int mode = AB_CONN_SYNC; mode <= AB_CONN_ASYNC; mode++)
    {
      const TextEntry *e = text_lookup (FONT_PILL, 1.0, legend_text (mode), 0);
      Route sample;

      route_set (&sample, 2, (double[]) { x, mid, x + LEGEND_SAMPLE, mid });
      set_source (cr, ctx.palette.edge);
      cairo_set_line_width (cr, 1.5);
      if (mode == AB_CONN_ASYNC)
        cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
      cairo_new_path (cr);
      path_route (cr, &sample, ARROW_LENGTH * 0.6, PATH_WHOLE);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      cairo_new_path (cr);
      path_arrow (cr, &sample, 1.5);
      cairo_fill (cr);
      /* On a transparent background, text in the line colour: it reads on
       * light and dark slides. */
      draw_text (&ctx, e, NULL, legend_text (mode), x + LEGEND_SAMPLE + LEGEND_GAP,
                 mid - e->height / 2, FALSE, options->transparent ? ctx.palette.edge : ctx.palette.fg);
      x += LEGEND_SAMPLE + LEGEND_GAP + e->width + LEGEND_SPACING;
    }
  cairo_restore (cr);
}

void
ab_render_options_init (AbRenderOptions *options)
{
  memset (options, 0, sizeof *options);
  options->text_scale = 1.0;
}

void
ab_render_design_full (cairo_t               *cr,
                       AbDesign              *design,
                       const AbRenderOptions *options,
                       const AbRect          *clip,
                       const char * const    *subset,
                       AbTextSink             sink,
                       gpointer               sink_data)
{
  AbRenderOptions defaults;
  Ctx ctx = { 0 };
  Scene scene;
  g_autoptr(GArray) edges = NULL;
  RouteCache *routes;
  AbRenderStats *stats = g_private_get (&stats_key);
  guint n_connections;
  double ux = 1, uy = 0;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (AB_IS_DESIGN (design));

  if (stats == NULL)
    {
      stats = g_new0 (AbRenderStats, 1);
      g_private_set (&stats_key, stats);
    }
  stats->components = stats->connections = 0;

  if (options == NULL)
    {
      ab_render_options_init (&defaults);
      options = &defaults;
    }
  ctx.cr = cr;
  ctx.options = options;
  ctx.sink = sink;
  ctx.sink_data = sink_data;
  ctx.text_scale = options->text_scale > 0 ? options->text_scale : 1.0;
  palette_init (&ctx.palette, options);
  cairo_user_to_device_distance (cr, &ux, &uy);
  ctx.scale = MAX (hypot (ux, uy), 1e-6);
  switch (cairo_surface_get_type (cairo_get_target (cr)))
    {
    case CAIRO_SURFACE_TYPE_PDF:
    case CAIRO_SURFACE_TYPE_SVG:
    case CAIRO_SURFACE_TYPE_PS:
      ctx.vector = TRUE;
      break;
    default:
      ctx.vector = sink != NULL;
      break;
    }
  if (clip != NULL)
    {
      ctx.clip = *clip;
      ctx.have_clip = TRUE;
    }

  cairo_save (cr);

  sprite_cache_trim ();
  if (options->draw_grid)
    draw_grid (&ctx);
  else if (!options->transparent)
    {
      set_source (cr, ctx.palette.bg);
      if (clip != NULL)
        {
          cairo_rectangle (cr, clip->x, clip->y, clip->width, clip->height);
          cairo_fill (cr);
        }
      else
        cairo_paint (cr);
    }

  scene_init (&scene, design, subset, options);
  ctx.scene = &scene;
  routes = scene_routes (&scene);

  /* Connections: cull by the route itself (and its label). */
  edges = g_array_new (FALSE, FALSE, sizeof (DrawnEdge));
  n_connections = ab_design_get_n_connections (design);
  for (guint i = 0; i < n_connections; i++)
    {
      const AbConnection *c = ab_design_get_connection (design, i);
      int src = scene_find (&scene, c->from), dst = scene_find (&scene, c->to);
      DrawnEdge edge = { .connection = c };
      AbRect box, pill;

      if (src < 0 || dst < 0 || src == dst || !scene_route_get (routes, i, &edge.route))
        continue;
      route_bounds (&edge.route, &box);
      rect_inflate (&box, ARROW_HALF_WIDTH + 4);
      if (!visible (&ctx, &box)
          && !(pill_rect (&scene, &edge.route, connection_text (c, options), ctx.text_scale, &pill, NULL)
               && visible (&ctx, &pill)))
        continue;
      edge.emphasis = is_selected (&ctx, c->from) || is_selected (&ctx, c->to)
                      || g_strcmp0 (options->hovered, c->from) == 0
                      || g_strcmp0 (options->hovered, c->to) == 0
                      || is_selected (&ctx, c->id) || g_strcmp0 (options->hovered, c->id) == 0
                      || g_strcmp0 (options->focused, c->id) == 0;
      g_array_append_val (edges, edge);
    }
  if (!ctx.vector)
    draw_plain_edges (&ctx, edges);
  for (guint i = 0; i < edges->len; i++)
    {
      const DrawnEdge *edge = &g_array_index (edges, DrawnEdge, i);

      if (edge->emphasis && !ctx.vector)
        draw_edge (&ctx, edge);
    }
  for (int pass = 0; pass < 2 && ctx.vector; pass++)
    for (guint i = 0; i < edges->len; i++)
      {
        const DrawnEdge *edge = &g_array_index (edges, DrawnEdge, i);

        if (edge->emphasis == (pass == 1))
          draw_edge (&ctx, edge);
      }
  for (guint i = 0; i < edges->len; i++)
    draw_edge_label (&ctx, &g_array_index (edges, DrawnEdge, i));
  stats->connections = edges->len;

  /* Cards: resting ones, drag ghosts, then the moving ones on top. */
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < scene.n_items; i++)
      {
        const Item *item = &scene.items[i];
        AbRect box = item->rect;

        if (item->moved != (pass == 1))
          continue;
        rect_inflate (&box, DECOR_MARGIN);
        if (pass == 1)
          draw_ghost (&ctx, item);
        if (!visible (&ctx, &box))
          continue;
        draw_card_with_state (&ctx, item);
        stats->components++;
      }

  scene_clear (&scene);
  cairo_restore (cr);
}

void
ab_render_design (cairo_t               *cr,
                  AbDesign              *design,
                  const AbRenderOptions *options,
                  const AbRect          *clip)
{
  ab_render_design_full (cr, design, options, clip, NULL, NULL, NULL);
}

void
ab_render_get_stats (AbRenderStats *out)
{
  AbRenderStats *stats = g_private_get (&stats_key);

  if (stats != NULL)
    *out = *stats;
  else
    memset (out, 0, sizeof *out);
}

void
ab_render_component_rect (const AbComponent *component,
                          AbRect            *out)
{
  out->x = component->x;
  out->y = component->y;
  out->width = AB_CARD_WIDTH;
  out->height = AB_CARD_HEIGHT;
}

/* A slide label that is shown whole at @text_scale: no line shortened
 * with "…", and the lines within the card's height. */
static gboolean
slide_label_fits (const AbComponent *c,
                  double             text_scale)
{
  AbRect r;
  const LabelLines *label;
  g_autofree char *clean = NULL;

  if (c->label == NULL || *c->label == '\0')
    return TRUE;
  ab_render_component_rect (c, &r);
  label = label_lookup (text_scale, c->label, r.width - TEXT_X - TEXT_RIGHT_PAD);
  if (label->lines[0]->height * label->n_lines > r.height - 4)
    return FALSE;
  /* a shortened line ends in "…" */
  clean = clean_text (c->label);
  for (guint i = 0; i < label->n_lines; i++)
    if (g_str_has_suffix (label->lines[i]->shown, "…") && !g_str_has_suffix (clean, "…"))
      return FALSE;
  return TRUE;
}

double
ab_render_slide_text_scale (AbDesign           *design,
                            const char * const *ids,
                            double              text_scale,
                            double              min_scale)
{
  guint n = ab_design_get_n_components (design);

  /* label_lookup's entries live until the next trim */
  text_cache_trim ();
  for (double ts = text_scale; ts > min_scale + 1e-6; ts -= 0.125)
    {
      gboolean fits = TRUE;

      for (guint i = 0; i < n && fits; i++)
        {
          const AbComponent *c = ab_design_get_component (design, i);

          if (ids == NULL || g_strv_contains (ids, c->id))
            fits = slide_label_fits (c, ts);
        }
      if (fits)
        return ts;
    }
  return min_scale;
}

gboolean
ab_render_bounds (AbDesign           *design,
                  const char * const *ids,
                  AbRect             *out)
{
  Scene scene;
  RouteCache *routes;
  gboolean have = FALSE;
  guint n_connections;

  g_return_val_if_fail (AB_IS_DESIGN (design), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  scene_init (&scene, design, ids, NULL);
  routes = scene_routes (&scene);
  for (guint i = 0; i < scene.n_items; i++)
    {
      AbRect box = scene.items[i].rect;

      rect_inflate (&box, DECOR_MARGIN);
      rect_union (out, &have, &box);
    }
  n_connections = ab_design_get_n_connections (design);
  for (guint i = 0; i < n_connections && scene.n_items > 0; i++)
    {
      const AbConnection *c = ab_design_get_connection (design, i);
      int src = scene_find (&scene, c->from), dst = scene_find (&scene, c->to);
      Route route;
      AbRect box;

      if (src < 0 || dst < 0 || src == dst || !scene_route_get (routes, i, &route))
        continue;
      route_bounds (&route, &box);
      rect_inflate (&box, ARROW_HALF_WIDTH + 2);
      rect_union (out, &have, &box);
      if (pill_rect (&scene, &route, connection_text (c, NULL), 1.0, &box, NULL))
        rect_union (out, &have, &box);
    }
  scene_clear (&scene);
  if (!have)
    memset (out, 0, sizeof *out);
  return have;
}

AbHitKind
ab_render_hit_test (AbDesign    *design,
                    double       x,
                    double       y,
                    const char **id)
{
  Scene scene;
  RouteCache *routes;
  AbHitKind result = AB_HIT_NONE;
  const char *found = NULL;
  guint n_connections;

  g_return_val_if_fail (AB_IS_DESIGN (design), AB_HIT_NONE);

  scene_init (&scene, design, NULL, NULL);
  routes = scene_routes (&scene);

  /* Topmost first: cards are drawn after connections, in order. */
  for (guint i = scene.n_items; i-- > 0 && result == AB_HIT_NONE;)
    {
      const AbRect *r = &scene.items[i].rect;

      if (hypot (x - (r->x + r->width), y - (r->y + r->height / 2)) <= PORT_HIT_RADIUS)
        {
          result = AB_HIT_PORT;
          found = scene.items[i].component->id;
        }
    }
  for (guint i = scene.n_items; i-- > 0 && result == AB_HIT_NONE;)
    {
      const AbRect *r = &scene.items[i].rect;

      if (x >= r->x && x < r->x + r->width && y >= r->y && y < r->y + r->height)
        {
          result = AB_HIT_COMPONENT;
          found = scene.items[i].component->id;
        }
    }

  n_connections = ab_design_get_n_connections (design);
  for (guint i = n_connections; i-- > 0 && result == AB_HIT_NONE;)
    {
      const AbConnection *c = ab_design_get_connection (design, i);
      int src = scene_find (&scene, c->from), dst = scene_find (&scene, c->to);
      AbRect reach, pill;
      Route route;

      if (src < 0 || dst < 0 || src == dst)
        continue;
      route_reach (&scene.items[src].rect, &scene.items[dst].rect, &reach);
      if (x < reach.x || x > reach.x + reach.width || y < reach.y || y > reach.y + reach.height)
        continue;
      if (!scene_route_get (routes, i, &route))
        continue;
      if (pill_rect (&scene, &route, connection_text (c, NULL), 1.0, &pill, NULL)
          && x >= pill.x && x <= pill.x + pill.width && y >= pill.y && y <= pill.y + pill.height)
        {
          result = AB_HIT_CONNECTION;
          found = c->id;
          break;
        }
      for (guint k = 0; k + 1 < route.n; k++)
        if (distance_to_segment (x, y, route.p[k], route.p[k + 1]) <= EDGE_HIT_DISTANCE)
          {
            result = AB_HIT_CONNECTION;
            found = c->id;
            break;
          }
    }

  scene_clear (&scene);
  if (id != NULL)
    *id = found;
  return result;
}

void
ab_render_foreach_route (AbDesign           *design,
                         const char * const *connection_ids,
                         AbRouteFunc         func,
                         gpointer            user_data)
{
  ab_render_foreach_route_full (design, NULL, connection_ids, func, user_data);
}

void
ab_render_foreach_route_full (AbDesign           *design,
                              const char * const *subset,
                              const char * const *connection_ids,
                              AbRouteFunc         func,
                              gpointer            user_data)
{
  g_autoptr(GHashTable) wanted = NULL;
  double points[2 * G_N_ELEMENTS (((Route *) NULL)->p)];
  RouteCache *routes;
  Scene scene;
  guint n;

  g_return_if_fail (AB_IS_DESIGN (design));
  g_return_if_fail (func != NULL);

  if (connection_ids != NULL)
    {
      wanted = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; connection_ids[i] != NULL; i++)
        g_hash_table_add (wanted, (gpointer) connection_ids[i]);
    }

  scene_init (&scene, design, subset, NULL);
  routes = scene_routes (&scene);
  n = ab_design_get_n_connections (design);
  for (guint i = 0; i < n; i++)
    {
      const AbConnection *c = ab_design_get_connection (design, i);
      int src, dst;
      Route route;

      if (wanted != NULL && !g_hash_table_contains (wanted, c->id))
        continue;
      src = scene_find (&scene, c->from);
      dst = scene_find (&scene, c->to);
      if (src < 0 || dst < 0 || src == dst || !scene_route_get (routes, i, &route))
        continue;
      for (guint k = 0; k < route.n; k++)
        {
          points[2 * k] = route.p[k].x;
          points[2 * k + 1] = route.p[k].y;
        }
      func (c, points, route.n, user_data);
    }
  scene_clear (&scene);
}

double *
ab_render_connection_route (AbDesign           *design,
                            const AbConnection *connection,
                            guint              *n_points)
{
  Scene scene;
  Route route;
  RouteCache *routes;
  double *out = NULL;
  guint n = ab_design_get_n_connections (design), found = 0;

  g_return_val_if_fail (AB_IS_DESIGN (design), NULL);
  g_return_val_if_fail (connection != NULL, NULL);

  if (n_points != NULL)
    *n_points = 0;
  scene_init (&scene, design, NULL, NULL);
  routes = scene_routes (&scene);
  for (guint i = 0; i < n; i++)
    if (ab_design_get_connection (design, i) == connection)
      {
        found = i + 1;
        break;
      }
  if (found > 0 && scene_route_get (routes, found - 1, &route))
    {
      out = g_new (double, 2 * route.n);
      for (guint i = 0; i < route.n; i++)
        {
          out[2 * i] = route.p[i].x;
          out[2 * i + 1] = route.p[i].y;
        }
      if (n_points != NULL)
        *n_points = route.n;
    }
  scene_clear (&scene);
  return out;
}
