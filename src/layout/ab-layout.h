/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Automatic layout with Graphviz: dot layers the components left to right
 * by call depth (rankdir LR), cards keep their size, positions snap to
 * the canvas grid.  Needs only Graphviz (gvc + cgraph) and the core. */
#pragma once

#include "ab-design.h"

G_BEGIN_DECLS

typedef struct {
  char   *id;      /* component id */
  double  x, y;    /* new top-left of the card */
} AbLayoutPosition;

/* New positions for the components named in @ids (all when NULL), laid
 * out with the connections among them; the laid-out block keeps the
 * top-left corner the components had.  Array of AbLayoutPosition, in
 * design order.  Fails (AB_ERROR_INVALID) when no component is named and
 * when Graphviz cannot lay out the graph. */
GArray   *ab_layout_compute (AbDesign           *design,
                             const char * const *ids,
                             GError            **error);

/* Moves the components to ab_layout_compute's positions as one undo
 * step ("Arrange").  FALSE and @error as ab_layout_compute. */
gboolean  ab_layout_arrange (AbDesign           *design,
                             const char * const *ids,
                             GError            **error);

G_END_DECLS
