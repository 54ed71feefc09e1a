/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Import a problem set written in the markdown format of the shipped set
 * (problems/storage.md) into AbProblems. */
#pragma once

#include "ab-problem.h"

G_BEGIN_DECLS

/* Parses the whole file; on any error returns NULL with
 * "FILE:LINE: problem ID: what is wrong" and nothing else. */
GPtrArray *ab_import_markdown (const char  *data,
                               gssize       length,
                               const char  *filename,
                               GError     **error);

/* Applies an amendments file (JSON: { "problem-id": [ {"what": ...,
 * "quote": ..., optional "why": ..., "set_instances" | "add_component" |
 * "add_connection": {...}}, ...] }, see docs/problem-format.md) to
 * @problems, then lays the reference solutions out again.  A "why" is
 * kept after the "what" in brackets.  Every quote must be found in the
 * problem: its reference text, else its description, a functional
 * requirement, a non-functional one written "Label: text", or a constant
 * written "name: value".  Errors are "FILE:LINE:COL: what is wrong";
 * on error @problems may be partly amended: discard them. */
gboolean   ab_import_apply_amendments (GPtrArray   *problems,
                                       const char  *data,
                                       gssize       length,
                                       const char  *filename,
                                       GError     **error);

/* Writes one "ID.json" per problem into @out_dir, all or nothing: the files
 * are written into a temporary folder first and then moved into place
 * (the whole folder when @out_dir does not exist yet; file by file, with
 * the replaced files kept until every move succeeded, when it does).  On
 * failure @out_dir is left exactly as it was and no temporary file
 * remains. */
gboolean   ab_import_write_folder (GPtrArray   *problems,
                                   const char  *out_dir,
                                   GError     **error);

G_END_DECLS
