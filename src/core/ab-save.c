/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Safe whole-file writing (see ab-save.h).  Every system call that can fail
 * is a failure point the tests can trigger (ab_save_test_fail_at), so each
 * path that cleans up after a failure is exercised. */
#define G_LOG_DOMAIN "archboard-core"
/* O_TMPFILE, linkat (AT_EMPTY_PATH) */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ab-save.h"
#include "ab-types.h"

#define MAX_SYMLINKS 40

static int fail_at = -1;
static int fail_points = 0;
static gboolean unnamed_allowed = TRUE;

void
ab_save_test_allow_unnamed (gboolean allowed)
{
  unnamed_allowed = allowed;
}

int
ab_save_test_fail_at (int n)
{
  int passed = fail_points;

  fail_at = n;
  fail_points = 0;
  return passed;
}

gboolean
ab_save_test_should_fail (void)
{
  if (fail_points < G_MAXINT)
    fail_points++;
  return fail_at >= 0 && fail_points - 1 == fail_at;
}

/* 0, or -1 with errno = EIO when the test asked for a failure here. */
static int
failure_point (void)
{
  if (ab_save_test_should_fail ())
    {
      errno = EIO;
      return -1;
    }
  return 0;
}

static gboolean
set_errno_error (GError     **error,
                 const char  *path,
                 int          saved_errno)
{
  g_set_error (error, AB_ERROR, AB_ERROR_IO, "%s: %s", path, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
write_all (int         fd,
           const char *data,
           gsize       length)
{
  while (length > 0)
    {
      gssize n;

      if (failure_point () != 0)
        return FALSE;
      n = write (fd, data, MIN (length, (gsize) G_MAXSSIZE));
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return FALSE;
        }
      data += n;
      length -= (gsize) n;
    }
  return TRUE;
}

/* fsync on a pipe or terminal fails with EINVAL: nothing to flush there. */
static gboolean
sync_fd (int fd)
{
  if (failure_point () != 0)
    return FALSE;
  if (fsync (fd) != 0 && errno != EINVAL && errno != EROFS && errno != ENOTSUP)
    return FALSE;
  return TRUE;
}

static gboolean
close_fd (int fd)
{
  if (failure_point () != 0)
    {
      int saved = errno;
      close (fd);
      errno = saved;
      return FALSE;
    }
  return close (fd) == 0 || errno == EINTR;
}

/* Follows a chain of symlinks to the name that is finally written; the
 * last name need not exist. */
static char *
resolve_links (const char  *path,
               GError     **error)
{
  g_autofree char *current = g_strdup (path);

  for (int i = 0; i < MAX_SYMLINKS; i++)
    {
      g_autofree char *target = NULL;
      GStatBuf st;

      if (g_lstat (current, &st) != 0 || !S_ISLNK (st.st_mode))
        return g_steal_pointer (&current);
      target = g_file_read_link (current, NULL);
      if (target == NULL)
        return g_steal_pointer (&current);
      if (!g_path_is_absolute (target))
        {
          g_autofree char *dir = g_path_get_dirname (current);
          char *joined = g_build_filename (dir, target, NULL);

          g_free (target);
          target = joined;
        }
      g_free (current);
      current = g_steal_pointer (&target);
    }
  return set_errno_error (error, path, ELOOP), NULL;
}

static gboolean
is_read_only (const char    *path,
              const GStatBuf *st)
{
  if ((st->st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0)
    return TRUE;
  return access (path, W_OK) != 0 && (errno == EACCES || errno == EROFS || errno == EPERM);
}

/* A device, FIFO or socket: written through, never replaced. */
static gboolean
write_special (const char  *path,
               const char  *data,
               gsize        length,
               GError     **error)
{
  int fd;

  fd = failure_point () != 0 ? -1 : g_open (path, O_WRONLY | O_NOCTTY | O_CLOEXEC, 0);
  if (fd < 0)
    return set_errno_error (error, path, errno);
  if (!write_all (fd, data, length))
    {
      int saved = errno;
      close (fd);
      return set_errno_error (error, path, saved);
    }
  if (!close_fd (fd))
    return set_errno_error (error, path, errno);
  return TRUE;
}

static gboolean
write_stdout (const char  *data,
              gsize        length,
              GError     **error)
{
  if (!write_all (STDOUT_FILENO, data, length) || !sync_fd (STDOUT_FILENO))
    return set_errno_error (error, "standard output", errno);
  return TRUE;
}

/* Writes @data into the existing file @path, truncated to @length. */
static gboolean
overwrite (const char *path,
           const char *data,
           gsize       length)
{
  int fd, saved;

  fd = failure_point () != 0 ? -1 : g_open (path, O_WRONLY | O_NOCTTY | O_CLOEXEC, 0);
  if (fd < 0)
    return FALSE;
  if (!write_all (fd, data, length) ||
      failure_point () != 0 || ftruncate (fd, (off_t) length) != 0 ||
      !sync_fd (fd))
    {
      saved = errno;
      close (fd);
      errno = saved;
      return FALSE;
    }
  return close_fd (fd);
}

/* Temporary files ".NAME.XXXXXX" are locked (flock) from the moment they
 * have a name until they are renamed over NAME or removed; one that is
 * not locked was left by a saving process that died (kill -9, power
 * loss) and is removed by the next save of NAME. */
static gboolean
is_own_temporary (const char *entry,
                  const char *base)
{
  gsize n = strlen (base);

  if (entry[0] != '.' || strncmp (entry + 1, base, n) != 0 || entry[n + 1] != '.')
    return FALSE;
  entry += n + 2;
  for (int i = 0; i < 6; i++)
    if (!g_ascii_isalnum (entry[i]))
      return FALSE;
  return entry[6] == '\0';
}

static void
remove_stale_temporaries (const char *path)
{
  g_autofree char *dir_name = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autoptr(GDir) dir = g_dir_open (dir_name, 0, NULL);
  const char *entry;

  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *name = NULL;
      GStatBuf st;
      int fd;

      if (!is_own_temporary (entry, base))
        continue;
      name = g_build_filename (dir_name, entry, NULL);
      fd = g_open (name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0);
      if (fd < 0)
        continue;
      /* Only our own regular files that no saver holds. */
      if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode) && st.st_uid == geteuid () &&
          flock (fd, LOCK_EX | LOCK_NB) == 0)
        g_unlink (name);
      close (fd);
    }
}

/* Fills the six X at the end of @name with random letters and digits. */
static void
fill_template (char *name)
{
  static const char letters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  char *x = name + strlen (name) - 6;

  for (int i = 0; i < 6; i++)
    x[i] = letters[g_random_int_range (0, sizeof letters - 1)];
}

/* An unnamed file in @dir (O_TMPFILE): if the process dies while writing
 * it, nothing is left.  -1 where the system or file system has none. */
static int
open_unnamed (const char *dir,
              int         mode)
{
#ifdef O_TMPFILE
  if (unnamed_allowed)
    return g_open (dir, O_TMPFILE | O_RDWR | O_CLOEXEC, mode);
#endif
  errno = EOPNOTSUPP;
  return -1;
}

/* Gives the unnamed file @fd the name @name (its XXXXXX filled). */
static gboolean
link_unnamed (int   fd,
              char *name)
{
  g_autofree char *self = g_strdup_printf ("/proc/self/fd/%d", fd);

  for (int attempt = 0; attempt < 100; attempt++)
    {
      fill_template (name);
      if (failure_point () != 0)
        return FALSE;
#ifdef AT_EMPTY_PATH
      /* Needs CAP_DAC_READ_SEARCH; the /proc way works for everyone. */
      if (linkat (fd, "", AT_FDCWD, name, AT_EMPTY_PATH) == 0)
        return TRUE;
      if (errno == EEXIST)
        continue;
#endif
      if (linkat (AT_FDCWD, self, AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0)
        return TRUE;
      if (errno != EEXIST)
        return FALSE;
    }
  errno = EEXIST;
  return FALSE;
}

/* Creates PATH's sibling ".NAME.XXXXXX" (@infix ".": "." + NAME + "."),
 * holding @data, synced and locked; returns its name and *fd_out, open
 * (closing it drops the lock), or NULL with errno set and nothing left
 * behind.  @st: the file the temporary one replaces (its mode and owner
 * are copied), or NULL. */
static char *
write_temporary (const char     *path,
                 const char     *infix,
                 const char     *data,
                 gsize           length,
                 const GStatBuf *st,
                 int             new_mode,
                 int            *fd_out)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *name = g_strdup_printf ("%s/.%s%sXXXXXX", dir, base, infix);
  gboolean named;
  int fd, saved;

  if (failure_point () != 0)
    return NULL;
  fd = open_unnamed (dir, st != NULL ? 0600 : new_mode);
  named = fd < 0;
  if (named)
    {
      fd = g_mkstemp_full (name, O_RDWR | O_CLOEXEC, st != NULL ? 0600 : new_mode);
      if (fd < 0)
        return NULL;
    }
  /* Held until the file is renamed or removed; a stale temporary is one
   * nobody holds. */
  (void) flock (fd, LOCK_EX);
  if (st != NULL)
    {
      /* Owner and group where permitted (root, or a group the user is
       * in); the mode after that, as chown clears set-id bits. */
      if (fchown (fd, st->st_uid, st->st_gid) != 0 && fchown (fd, (uid_t) -1, st->st_gid) != 0)
        { /* not permitted: the file becomes the user's, as with any new file */ }
      if (failure_point () != 0 || fchmod (fd, st->st_mode & 07777) != 0)
        goto fail;
    }
  if (!write_all (fd, data, length) || !sync_fd (fd))
    goto fail;
  if (!named)
    {
      if (!link_unnamed (fd, name))
        goto fail;
      named = TRUE;
    }
  *fd_out = fd;
  return g_steal_pointer (&name);

fail:
  saved = errno;
  close (fd);
  if (named)
    g_unlink (name);
  errno = saved;
  return NULL;
}

static gboolean
replace (const char     *path,
         const char     *data,
         gsize           length,
         const GStatBuf *st,
         AbSaveFlags     flags,
         GError        **error)
{
  g_autofree char *temporary = NULL;
  int fd = -1, saved;

  remove_stale_temporaries (path);
  temporary = write_temporary (path, ".", data, length, st, (flags & AB_SAVE_PRIVATE) ? 0600 : 0666, &fd);
  if (temporary == NULL)
    return set_errno_error (error, path, errno);
  if (failure_point () != 0 || g_rename (temporary, path) != 0)
    {
      saved = errno;
      g_unlink (temporary);
      close (fd);
      return set_errno_error (error, path, saved);
    }
  /* Synced before the rename: a failing close no longer matters. */
  close (fd);
  return TRUE;
}

/* A file with several hard links: every name must see the new contents, so
 * it is written in place, after a backup copy that outlives only a crash
 * in the middle of the write. */
static gboolean
write_in_place (const char     *path,
                const char     *data,
                gsize           length,
                const GStatBuf *st,
                AbSaveFlags     flags,
                GError        **error)
{
  g_autofree char *old = NULL;
  g_autofree char *backup = NULL;
  gsize old_length = 0;
  int saved;

  if (!(flags & AB_SAVE_NO_BACKUP))
    {
      g_autoptr(GError) local = NULL;

      if (!g_file_get_contents (path, &old, &old_length, &local))
        {
          g_set_error (error, AB_ERROR, AB_ERROR_IO, "%s", local->message);
          return FALSE;
        }
      int fd = -1;

      /* ".NAME.backup-XXXXXX": no save removes it, it may be all that is
       * left of the file. */
      backup = write_temporary (path, ".backup-", old, old_length, st, 0600, &fd);
      if (backup == NULL)
        return set_errno_error (error, path, errno);
      close (fd);
    }
  if (overwrite (path, data, length))
    {
      if (backup != NULL)
        g_unlink (backup);
      return TRUE;
    }
  saved = errno;
  if (backup == NULL)
    return set_errno_error (error, path, saved);
  if (overwrite (path, old, old_length))
    {
      g_unlink (backup);
      return set_errno_error (error, path, saved);
    }
  g_set_error (error, AB_ERROR, AB_ERROR_IO, "%s: %s; its previous contents are in %s",
               path, g_strerror (saved), backup);
  return FALSE;
}

gboolean
ab_save_file (const char   *path,
              const void   *data,
              gsize         length,
              AbSaveFlags   flags,
              GError      **error)
{
  g_autofree char *target = NULL;
  GStatBuf st;
  gboolean exists = FALSE;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  if (data == NULL)
    data = "";

  if ((flags & AB_SAVE_STDOUT) && strcmp (path, "-") == 0)
    return write_stdout (data, length, error);

  if (g_stat (path, &st) == 0)
    {
      if (S_ISDIR (st.st_mode))
        {
          g_set_error (error, AB_ERROR, AB_ERROR_IO, "%s: is a folder", path);
          return FALSE;
        }
      /* Opened by the name given: /dev/stdout and /proc/self/fd/N lead
       * to pipes that no name in the file system reaches. */
      if (!S_ISREG (st.st_mode))
        return write_special (path, data, length, error);
      exists = TRUE;
    }
  else if (errno != ENOENT)
    return set_errno_error (error, path, errno);

  target = resolve_links (path, error);
  if (target == NULL)
    return FALSE;
  if (exists)
    {
      if (g_stat (target, &st) != 0)
        return set_errno_error (error, path, errno);
      if (is_read_only (target, &st))
        {
          g_set_error (error, AB_ERROR, AB_ERROR_READ_ONLY,
                       "%s: the file is read-only; save it under another name", path);
          return FALSE;
        }
      if (st.st_nlink > 1)
        return write_in_place (target, data, length, &st, flags, error);
    }
  return replace (target, data, length, exists ? &st : NULL, flags, error);
}
