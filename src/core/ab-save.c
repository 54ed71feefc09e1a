/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Safe whole-file writing (see ab-save.h).  Every system call that can fail
 * is a failure point the tests can trigger (ab_save_test_fail_at), so each
 * path that cleans up after a failure is exercised. */
#define G_LOG_DOMAIN "archboard-core"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ab-save.h"
#include "ab-types.h"

#define MAX_SYMLINKS 40

static int fail_at = -1;
static int fail_points = 0;

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

/* Creates PATH's sibling ".NAME.XXXXXX" holding @data, synced; returns its
 * name, or NULL with errno set and nothing left behind.  @st: the file the
 * temporary one replaces (its mode and owner are copied), or NULL. */
static char *
write_temporary (const char     *path,
                 const char     *data,
                 gsize           length,
                 const GStatBuf *st,
                 int             new_mode)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *name = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  int fd, saved;

  fd = failure_point () != 0 ? -1 : g_mkstemp_full (name, O_RDWR | O_CLOEXEC, st != NULL ? 0600 : new_mode);
  if (fd < 0)
    return NULL;
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
  if (!close_fd (fd))
    {
      saved = errno;
      g_unlink (name);
      errno = saved;
      return NULL;
    }
  return g_steal_pointer (&name);

fail:
  saved = errno;
  close (fd);
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
  int saved;

  temporary = write_temporary (path, data, length, st, (flags & AB_SAVE_PRIVATE) ? 0600 : 0666);
  if (temporary == NULL)
    return set_errno_error (error, path, errno);
  if (failure_point () != 0 || g_rename (temporary, path) != 0)
    {
      saved = errno;
      g_unlink (temporary);
      return set_errno_error (error, path, saved);
    }
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
      backup = write_temporary (path, old, old_length, st, 0600);
      if (backup == NULL)
        return set_errno_error (error, path, errno);
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
