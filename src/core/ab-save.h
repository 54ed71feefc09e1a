/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writing a whole file safely: through symlinks, keeping the target's mode
 * and owner, in place for hard links and special files, atomically
 * otherwise, leaving no temporary file behind on failure. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  AB_SAVE_DEFAULT    = 0,
  AB_SAVE_PRIVATE    = 1 << 0, /* a new file gets mode 0600 instead of 0666 & ~umask */
  AB_SAVE_STDOUT     = 1 << 1, /* the path "-" means standard output */
  AB_SAVE_NO_BACKUP  = 1 << 2, /* hard-linked files: no backup copy before writing in place */
} AbSaveFlags;

/* Writes @data to @path:
 * - a symlink (chain) is followed and its target written, also when the
 *   target does not exist yet;
 * - an existing regular file keeps its mode and (where permitted) owner
 *   and group; a file without write permission is refused with
 *   AB_ERROR_READ_ONLY;
 * - a file with more than one hard link is written in place (after a
 *   backup copy next to it, removed once the write succeeded), so every
 *   name sees the new contents;
 * - other regular files are replaced atomically (temporary file in the same
 *   folder, fsync, rename): they hold the old or the new data, never a mix;
 *   the temporary file is unnamed (O_TMPFILE) while it is written where
 *   the file system allows, and named ".NAME.XXXXXX" only for the rename;
 *   one left by a process that died is removed by the next save;
 * - devices, FIFOs and sockets are written, never replaced; a folder is
 *   refused.
 * On failure no temporary file is left behind and the error names @path. */
gboolean ab_save_file (const char   *path,
                       const void   *data,
                       gsize         length,
                       AbSaveFlags   flags,
                       GError      **error);

/* Test only: the @n-th (from 0) failure point of the following saves fails
 * as if the system call had failed with EIO; -1 turns it off.  Returns the
 * number of failure points passed since the last call. */
int      ab_save_test_fail_at (int n);

/* Test only: FALSE makes saves use named temporary files from the start,
 * as on file systems without O_TMPFILE. */
void     ab_save_test_allow_unnamed (gboolean allowed);

/* Test only, used by ab_save_file and other writers (import): TRUE when
 * the injected failure is due now. */
gboolean ab_save_test_should_fail (void);

G_END_DECLS
