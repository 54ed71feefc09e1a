/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbExportDialog: export the design (or the selection) as PNG (1x / 2x /
 * 4x), SVG or PDF through ab_export: light, dark or the app's theme,
 * themed or transparent background, margin. */
#pragma once

#include <adwaita.h>

#include "ab-design.h"

G_BEGIN_DECLS

#define AB_TYPE_EXPORT_DIALOG (ab_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (AbExportDialog, ab_export_dialog, AB, EXPORT_DIALOG, AdwWindow)

/* @selection: the canvas selection (may be NULL); @base_name: the file
 * name offered, without extension. */
AbExportDialog *ab_export_dialog_new (GtkWindow          *parent,
                                      AbDesign           *design,
                                      const char * const *selection,
                                      const char         *base_name);

/* Signals:
 *   "exported" (GFile *file)   after a successful export
 */

G_END_DECLS
