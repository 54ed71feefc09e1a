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

G_END_DECLS
