/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The reference solution of a problem as a design document, and how a
 * design compares with it (kinds and instances it lacks). */
#pragma once

#include "ab-design.h"
#include "ab-problem.h"

G_BEGIN_DECLS

/* A new design (no undo history, not modified) with the reference
 * components, their instances and positions, and the reference
 * connections.  Fails when a connection names an unknown component or the
 * catalog refuses it (possible in a hand-written problem set). */
AbDesign *ab_reference_build_design (const AbProblem  *problem,
                                     GError          **error);

typedef struct {
  AbKind kind;
  int    reference;   /* instances in the reference solution */
  int    mine;        /* instances in the design */
} AbKindShortfall;

/* The kinds where @design has fewer instances than @reference, in kind
 * order; an empty array when it lacks nothing. */
GArray   *ab_reference_compare      (AbDesign        *reference,
                                     AbDesign        *design);

G_END_DECLS
