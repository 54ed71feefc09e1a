/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbDocument: what a window edits, in one object the panels follow —
 * the design, its problem, its file, the live simulation runner and the
 * latest simulation results.  Panels take a "document" property and
 * follow its notify:: signals (GSignalGroup / GBindingGroup); the window
 * sets one property on each. */
#pragma once

#include <gio/gio.h>

#include "ab-design.h"
#include "ab-problem.h"
#include "ab-sim-runner.h"

G_BEGIN_DECLS

/* AbProblem as a boxed type (reference counted), for properties. */
#define AB_TYPE_PROBLEM (ab_problem_get_type ())
GType ab_problem_get_type (void) G_GNUC_CONST;

#define AB_TYPE_DOCUMENT (ab_document_get_type ())
G_DECLARE_FINAL_TYPE (AbDocument, ab_document, AB, DOCUMENT, GObject)

AbDocument   *ab_document_new         (void);
/* Sets design, problem and file together: followers are notified once
 * all three changed, so they never see a design with another's problem. */
void          ab_document_set         (AbDocument *self,
                                       AbDesign   *design,
                                       AbProblem  *problem,
                                       GFile      *file);
AbDesign     *ab_document_get_design  (AbDocument *self);
AbProblem    *ab_document_get_problem (AbDocument *self);
GFile        *ab_document_get_file    (AbDocument *self);
void          ab_document_set_file    (AbDocument *self,
                                       GFile      *file);
AbSimRunner  *ab_document_get_runner  (AbDocument *self);
/* The runner's latest results, or NULL. */
AbSimResults *ab_document_get_results (AbDocument *self);

/* For panels: a GSignalGroup (target: the panel's AbDocument) that calls
 * @callback (@owner, swapped) when the document's design or problem
 * change (connect more, e.g. notify::results, on the group). */
GSignalGroup *ab_document_signal_group_new (gpointer  owner,
                                            GCallback callback);

/* Properties: "design", "problem", "file" (read-write), "runner",
 * "results" (read-only). */

G_END_DECLS
