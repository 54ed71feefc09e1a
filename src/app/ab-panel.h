/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbPanel: the base of the panels beside the canvas (inspector, palette,
 * checks, problem).  It holds the "document" property every panel takes
 * and follows the document for them: subclasses implement
 * document_changed (the document, its design or its problem changed) and
 * design_edited (the design emitted "changed": an edit, undo or redo),
 * and bind their templates to "document" with <lookup>s. */
#pragma once

#include <adwaita.h>

#include "ab-document.h"

G_BEGIN_DECLS

#define AB_TYPE_PANEL (ab_panel_get_type ())
G_DECLARE_DERIVABLE_TYPE (AbPanel, ab_panel, AB, PANEL, AdwBin)

struct _AbPanelClass
{
  AdwBinClass parent_class;

  /* The document was set, or its design or problem changed.  Called
   * once more after each, so compare with what the panel shows. */
  void (*document_changed) (AbPanel *self);
  /* The document's design changed its content. */
  void (*design_edited)    (AbPanel *self);

  gpointer padding[4];
};

AbDocument   *ab_panel_get_document         (AbPanel    *self);
void          ab_panel_set_document         (AbPanel    *self,
                                             AbDocument *document);
/* The document's design and problem, NULL without a document. */
AbDesign     *ab_panel_get_design           (AbPanel    *self);
AbProblem    *ab_panel_get_problem          (AbPanel    *self);
/* The group following the document, to connect more of its signals. */
GSignalGroup *ab_panel_get_document_signals (AbPanel    *self);

G_END_DECLS
