/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Automatic layout through Graphviz's dot: see ab-layout.h. */
#define G_LOG_DOMAIN "archboard-layout"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include "ab-layout.h"
#include "ab-types.h"

/* Card size in canvas units (one unit is laid out as one point). */
#define CARD_WIDTH   160.0
#define CARD_HEIGHT   64.0
#define GRID          16.0
/* Between layers (left to right) and between cards of one layer, in
 * points: room for the connection routes and their labels. */
#define RANK_SEP      96.0   /* 160 + 96 = 16 grid steps */
#define NODE_SEP      48.0   /* 64 + 48 = 7 grid steps */

/* Graphviz keeps global state (the error handler, the plugin registry,
 * symbol tables): one layout at a time. */
static GMutex graphviz_lock;

static void
position_clear (gpointer data)
{
  g_free (((AbLayoutPosition *) data)->id);
}

static char *
points (double units)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.4f", units / 72.0));
}

static void
set_attr (void *object, const char *name, const char *value)
{
  agsafeset (object, (char *) name, (char *) value, (char *) "");
}

GArray *
ab_layout_compute (AbDesign           *design,
                   const char * const *ids,
                   GError            **error)
{
  g_autoptr(GHashTable) wanted = NULL;
  g_autoptr(GHashTable) nodes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) out = NULL;
  g_autofree char *width = points (CARD_WIDTH), *height = points (CARD_HEIGHT);
  g_autofree char *ranksep = points (RANK_SEP), *nodesep = points (NODE_SEP);
  double old_x = G_MAXDOUBLE, old_y = G_MAXDOUBLE, min_x = G_MAXDOUBLE, max_y = -G_MAXDOUBLE;
  guint n = ab_design_get_n_components (design);
  GVC_t *gvc;
  Agraph_t *graph;
  int status;

  g_return_val_if_fail (AB_IS_DESIGN (design), NULL);

  if (ids != NULL)
    {
      wanted = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; ids[i] != NULL; i++)
        g_hash_table_add (wanted, (gpointer) ids[i]);
    }

  out = g_array_new (FALSE, FALSE, sizeof (AbLayoutPosition));
  g_array_set_clear_func (out, position_clear);

  g_mutex_lock (&graphviz_lock);
  agseterr (AGERR);
  gvc = gvContext ();
  graph = agopen ((char *) "archboard", Agdirected, NULL);
  set_attr (graph, "rankdir", "LR");
  set_attr (graph, "ranksep", ranksep);
  set_attr (graph, "nodesep", nodesep);
  /* Only the card positions are used: no edge routing. */
  set_attr (graph, "splines", "false");

  for (guint i = 0; i < n; i++)
    {
      const AbComponent *c = ab_design_get_component (design, i);
      Agnode_t *node;

      if (wanted != NULL && !g_hash_table_contains (wanted, c->id))
        continue;
      node = agnode (graph, c->id, TRUE);
      set_attr (node, "shape", "box");
      set_attr (node, "fixedsize", "true");
      set_attr (node, "width", width);
      set_attr (node, "height", height);
      set_attr (node, "label", "");
      g_hash_table_insert (nodes, c->id, node);
      old_x = MIN (old_x, c->x);
      old_y = MIN (old_y, c->y);
    }
  for (guint i = 0; i < ab_design_get_n_connections (design); i++)
    {
      const AbConnection *e = ab_design_get_connection (design, i);
      Agnode_t *from = g_hash_table_lookup (nodes, e->from), *to = g_hash_table_lookup (nodes, e->to);
      Agedge_t *edge;

      if (from == NULL || to == NULL || from == to)
        continue;
      edge = agedge (graph, from, to, NULL, TRUE);
      /* Keep calls that the request waits for straight; background work
       * may bend more. */
      set_attr (edge, "weight", e->mode == AB_CONN_ASYNC ? "1" : "4");
    }

  if (g_hash_table_size (nodes) == 0)
    status = -2;
  else
    status = gvLayout (gvc, graph, "dot");
  if (status == 0)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, nodes);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          pointf p = ND_coord ((Agnode_t *) value);

          min_x = MIN (min_x, p.x);
          max_y = MAX (max_y, p.y);
        }
      for (guint i = 0; i < n; i++)
        {
          const AbComponent *c = ab_design_get_component (design, i);
          Agnode_t *node = g_hash_table_lookup (nodes, c->id);
          AbLayoutPosition pos;
          pointf p;

          if (node == NULL)
            continue;
          p = ND_coord (node);
          /* Graphviz's y grows upwards, the canvas' downwards. */
          pos.id = g_strdup (c->id);
          pos.x = round (old_x / GRID) * GRID + round ((p.x - min_x) / GRID) * GRID;
          pos.y = round (old_y / GRID) * GRID + round ((max_y - p.y) / GRID) * GRID;
          g_array_append_val (out, pos);
        }
      gvFreeLayout (gvc, graph);
    }
  agclose (graph);
  gvFreeContext (gvc);
  g_mutex_unlock (&graphviz_lock);

  if (status == -2)
    {
      g_set_error (error, AB_ERROR, AB_ERROR_INVALID,
                   ids != NULL ? _("None of the selected items is a component to arrange")
                               : _("The design has no components to arrange"));
      return NULL;
    }
  if (status != 0)
    {
      g_set_error (error, AB_ERROR, AB_ERROR_INVALID, _("Graphviz could not lay out the design"));
      return NULL;
    }
  return g_steal_pointer (&out);
}

gboolean
ab_layout_arrange (AbDesign           *design,
                   const char * const *ids,
                   GError            **error)
{
  g_autoptr(GArray) positions = ab_layout_compute (design, ids, error);

  if (positions == NULL)
    return FALSE;
  ab_design_begin_group (design, _("Arrange"));
  for (guint i = 0; i < positions->len; i++)
    {
      const AbLayoutPosition *p = &g_array_index (positions, AbLayoutPosition, i);
      const AbComponent *c = ab_design_find_component (design, p->id);
      const char *one[] = { p->id, NULL };

      if (c != NULL && (c->x != p->x || c->y != p->y))
        ab_design_move_components (design, one, p->x - c->x, p->y - c->y);
    }
  ab_design_end_group (design);
  return TRUE;
}
