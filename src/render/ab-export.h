/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Export a design (or part of it) to PNG, SVG or PDF through ab-render. */
#pragma once

#include "ab-render.h"

G_BEGIN_DECLS

typedef enum {
  AB_EXPORT_PNG,
  AB_EXPORT_SVG,
  AB_EXPORT_PDF
} AbExportFormat;

typedef struct {
  AbExportFormat      format;
  double              scale;       /* PNG: 1, 2, 4 */
  gboolean            transparent; /* PNG: no background */
  gboolean            dark;        /* themed background: dark palette */
  /* Component ids (connection ids are accepted and skipped: the
   * connections among the selected components are exported); NULL =
   * whole diagram. */
  const char * const *selection;
  double              margin;      /* design units around the bounds */
} AbExportOptions;

void     ab_export_options_init   (AbExportOptions *options);
/* Guess the format from a file name's extension; FALSE if unknown. */
gboolean ab_export_format_from_path (const char *path,
                                     AbExportFormat *out);
gboolean ab_export_to_file        (AbDesign              *design,
                                   const char            *path,
                                   const AbExportOptions *options,
                                   GError               **error);

G_END_DECLS
