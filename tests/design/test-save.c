/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Saving files (ab-save.c): symlinks, modes, read-only files, hard links,
 * special files, and no temporary file left after any injected failure. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archboard-core.h"

typedef struct {
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("ab-save-XXXXXX", &error);
  g_assert_no_error (error);
  ab_save_test_fail_at (-1);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  ab_save_test_fail_at (-1);
  ab_save_test_allow_unnamed (TRUE);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_chmod (path, 0644);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static char *
path_in (Fixture *f, const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

static char *
read_text (const char *path)
{
  char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static void
write_text (const char *path, const char *text)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* The folder's names, sorted and joined with spaces. */
static char *
listing (Fixture *f)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static gboolean
save (const char *path, const char *text, AbSaveFlags flags, GError **error)
{
  return ab_save_file (path, text, strlen (text), flags, error);
}

static mode_t
mode_of (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

static void
test_new_file (Fixture *f, gconstpointer data)
{
  g_autofree char *path = path_in (f, "new.archboard");
  g_autofree char *private = path_in (f, "private.archboard");
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  mode_t old_mask = umask (022);

  g_assert_true (save (path, "new", AB_SAVE_DEFAULT, &error));
  g_assert_no_error (error);
  g_assert_true (save (private, "secret", AB_SAVE_PRIVATE, &error));
  g_assert_no_error (error);
  umask (old_mask);
  text = read_text (path);
  g_assert_cmpstr (text, ==, "new");
  g_assert_cmpint (mode_of (path), ==, 0644);
  g_assert_cmpint (mode_of (private), ==, 0600);
}

static void
test_mode_kept (Fixture *f, gconstpointer data)
{
  g_autofree char *path = path_in (f, "design.archboard");
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  write_text (path, "old");
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  g_assert_true (save (path, "new", AB_SAVE_DEFAULT, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mode_of (path), ==, 0600);
  g_assert_cmpint (g_chmod (path, 0640), ==, 0);
  g_assert_true (save (path, "newer", AB_SAVE_PRIVATE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mode_of (path), ==, 0640);
  text = read_text (path);
  g_assert_cmpstr (text, ==, "newer");
}

static void
test_symlink (Fixture *f, gconstpointer data)
{
  g_autofree char *target = path_in (f, "real.archboard");
  g_autofree char *link = path_in (f, "link.archboard");
  g_autofree char *link2 = path_in (f, "link2.archboard");
  g_autofree char *text = NULL;
  g_autofree char *points_to = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  write_text (target, "old");
  g_assert_cmpint (g_chmod (target, 0600), ==, 0);
  g_assert_cmpint (symlink ("real.archboard", link), ==, 0);  /* relative */
  g_assert_cmpint (symlink (link, link2), ==, 0);             /* absolute, to a link */

  g_assert_true (save (link2, "through two links", AB_SAVE_DEFAULT, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_lstat (link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_assert_cmpint (g_lstat (link2, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  text = read_text (target);
  g_assert_cmpstr (text, ==, "through two links");
  g_assert_cmpint (mode_of (target), ==, 0600);

  /* A dangling link: the save creates its target. */
  g_unlink (target);
  g_assert_true (save (link, "created", AB_SAVE_DEFAULT, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_lstat (link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_free (text);
  text = read_text (target);
  g_assert_cmpstr (text, ==, "created");
  points_to = g_file_read_link (link, NULL);
  g_assert_cmpstr (points_to, ==, "real.archboard");
}

static void
test_design_through_symlink (Fixture *f, gconstpointer data)
{
  g_autofree char *target = path_in (f, "real.archboard");
  g_autofree char *link = path_in (f, "link.archboard");
  g_autoptr(AbDesign) design = ab_design_new (NULL);
  g_autoptr(AbDesign) loaded = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  write_text (target, "not a design yet");
  g_assert_cmpint (symlink (target, link), ==, 0);
  ab_design_set_title (design, "Through a link");
  g_assert_true (ab_design_save_to_file (design, link, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_lstat (link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  loaded = ab_design_load_from_file (target, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ab_design_get_title (loaded), ==, "Through a link");
}

static void
test_read_only (Fixture *f, gconstpointer data)
{
  g_autofree char *path = path_in (f, "locked.archboard");
  g_autofree char *link = path_in (f, "link.archboard");
  g_autofree char *text = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;

  write_text (path, "keep me");
  g_assert_cmpint (g_chmod (path, 0444), ==, 0);
  g_assert_cmpint (symlink (path, link), ==, 0);
  before = listing (f);
  g_assert_false (save (path, "overwritten", AB_SAVE_DEFAULT, &error));
  g_assert_error (error, AB_ERROR, AB_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "read-only"));
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);
  g_assert_false (save (link, "overwritten", AB_SAVE_DEFAULT, &error));
  g_assert_error (error, AB_ERROR, AB_ERROR_READ_ONLY);
  text = read_text (path);
  g_assert_cmpstr (text, ==, "keep me");
  g_assert_cmpint (mode_of (path), ==, 0444);
  after = listing (f);
  g_assert_cmpstr (after, ==, before);
}

static void
test_hard_link (Fixture *f, gconstpointer data)
{
  g_autofree char *path = path_in (f, "a.archboard");
  g_autofree char *other = path_in (f, "b.archboard");
  g_autofree char *text = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st_a, st_b;

  write_text (path, "a much longer old text than the new one");
  g_assert_cmpint (link (path, other), ==, 0);
  before = listing (f);
  g_assert_true (save (path, "new", AB_SAVE_DEFAULT, &error));
  g_assert_no_error (error);
  text = read_text (other);
  g_assert_cmpstr (text, ==, "new");
  g_assert_cmpint (g_stat (path, &st_a), ==, 0);
  g_assert_cmpint (g_stat (other, &st_b), ==, 0);
  g_assert_cmpuint (st_a.st_ino, ==, st_b.st_ino);
  g_assert_cmpuint (st_a.st_nlink, ==, 2);
  after = listing (f);
  g_assert_cmpstr (after, ==, before);  /* the backup copy is gone */
}

static void
test_special_files (Fixture *f, gconstpointer data)
{
  g_autofree char *folder = path_in (f, "folder");
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  /* A device is written, not replaced (this would fail as non-root if
   * /dev/null were replaced, and break every later test as root). */
  g_assert_true (save ("/dev/null", "discarded", AB_SAVE_DEFAULT, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat ("/dev/null", &st), ==, 0);
  g_assert_true (S_ISCHR (st.st_mode));

  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  g_assert_false (save (folder, "x", AB_SAVE_DEFAULT, &error));
  g_assert_error (error, AB_ERROR, AB_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "folder"));
  g_rmdir (folder);
}

static gpointer
read_fifo (gpointer data)
{
  char *contents = NULL;

  g_file_get_contents (data, &contents, NULL, NULL);
  return contents;
}

static void
test_fifo (Fixture *f, gconstpointer data)
{
  g_autofree char *fifo = path_in (f, "pipe");
  g_autofree char *received = NULL;
  g_autoptr(GError) error = NULL;
  GThread *reader;
  GStatBuf st;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  reader = g_thread_new ("reader", read_fifo, fifo);
  g_assert_true (save (fifo, "through the pipe", AB_SAVE_DEFAULT, &error));
  g_assert_no_error (error);
  received = g_thread_join (reader);
  g_assert_cmpstr (received, ==, "through the pipe");
  g_assert_cmpint (g_lstat (fifo, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));
}

/* Fails each failure point in turn until the save succeeds; after every
 * failure the folder holds exactly the files it held before, unchanged. */
static void
check_failures (Fixture    *f,
                const char *path,
                const char *old_text,  /* NULL: no file before */
                const char *check)     /* the file whose contents must be kept */
{
  g_autofree char *before = listing (f);
  int n;

  for (n = 0; n < 100; n++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *after = NULL;
      gboolean ok;

      ab_save_test_fail_at (n);
      ok = save (path, "the new contents", AB_SAVE_DEFAULT, &error);
      ab_save_test_fail_at (-1);
      if (ok)
        break;
      g_test_message ("failure point %d: %s", n, error->message);
      g_assert_error (error, AB_ERROR, AB_ERROR_IO);
      g_assert_nonnull (strstr (error->message, "Input/output error"));
      after = listing (f);
      g_assert_cmpstr (after, ==, before);
      if (old_text != NULL)
        {
          g_autofree char *text = read_text (check);
          g_assert_cmpstr (text, ==, old_text);
        }
    }
  g_assert_cmpint (n, >=, 3);   /* create, write, sync, ... were all tried */
  g_assert_cmpint (n, <, 100);
  {
    g_autofree char *text = read_text (check);
    g_assert_cmpstr (text, ==, "the new contents");
  }
}

static void
test_injected_failures (Fixture *f, gconstpointer data)
{
  g_autofree char *fresh = path_in (f, "fresh.archboard");
  g_autofree char *existing = path_in (f, "existing.archboard");
  g_autofree char *linked = path_in (f, "linked.archboard");
  g_autofree char *other = path_in (f, "other.archboard");
  g_autofree char *sym = path_in (f, "sym.archboard");

  check_failures (f, fresh, NULL, fresh);
  g_unlink (fresh);

  write_text (existing, "old");
  g_assert_cmpint (g_chmod (existing, 0600), ==, 0);
  check_failures (f, existing, "old", existing);
  g_assert_cmpint (mode_of (existing), ==, 0600);

  g_assert_cmpint (symlink (existing, sym), ==, 0);
  write_text (existing, "old");
  check_failures (f, sym, "old", existing);

  write_text (linked, "old linked");
  g_assert_cmpint (link (linked, other), ==, 0);
  check_failures (f, linked, "old linked", other);
}

/* The same with named temporary files from the start (file systems
 * without O_TMPFILE). */
static void
test_injected_failures_named (Fixture *f, gconstpointer data)
{
  ab_save_test_allow_unnamed (FALSE);
  test_injected_failures (f, data);
}

/* A temporary file left by a saving process that died (kill -9) is
 * removed by the next save of the same file; one that a saver still
 * holds, backups, other files' temporaries and look-alikes stay. */
static void
check_stale (Fixture *f, gboolean unnamed)
{
  static const char * const kept[] = {
    ".d.archboard.backup-Ab12Cd", ".e.archboard.Ab12Cd", ".d.archboard.Ab12C", ".d.archboard.Ab12Cde",
    "d.archboard.Ab12Cd", NULL
  };
  g_autofree char *path = path_in (f, "d.archboard");
  g_autofree char *stale = path_in (f, ".d.archboard.Ab12Cd");
  g_autofree char *stale2 = path_in (f, ".d.archboard.zz9900");
  g_autofree char *held = path_in (f, ".d.archboard.Lk34Ef");
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  int fd;

  ab_save_test_allow_unnamed (unnamed);
  write_text (path, "old");
  write_text (stale, "half a des");
  write_text (stale2, "");
  write_text (held, "being written");
  for (guint i = 0; kept[i] != NULL; i++)
    {
      g_autofree char *other = path_in (f, kept[i]);
      write_text (other, "keep");
    }
  fd = g_open (held, O_RDONLY | O_CLOEXEC, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (flock (fd, LOCK_EX), ==, 0);

  g_assert_true (save (path, "new", AB_SAVE_DEFAULT, &error));
  g_assert_no_error (error);
  text = read_text (path);
  g_assert_cmpstr (text, ==, "new");
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (stale2, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (held, G_FILE_TEST_EXISTS));
  for (guint i = 0; kept[i] != NULL; i++)
    {
      g_autofree char *other = path_in (f, kept[i]);
      g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));
    }
  /* Once its saver is gone, it goes too. */
  close (fd);
  g_assert_true (save (path, "newer", AB_SAVE_DEFAULT, &error));
  g_assert_false (g_file_test (held, G_FILE_TEST_EXISTS));
  {
    g_autofree char *names = listing (f);
    g_assert_cmpstr (names, ==, ".d.archboard.Ab12C .d.archboard.Ab12Cde .d.archboard.backup-Ab12Cd "
                     ".e.archboard.Ab12Cd d.archboard d.archboard.Ab12Cd");
  }
}

static void
test_stale_temporaries (Fixture *f, gconstpointer data)
{
  check_stale (f, TRUE);
}

static void
test_stale_temporaries_named (Fixture *f, gconstpointer data)
{
  check_stale (f, FALSE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, fn) g_test_add (name, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/save/new-file", test_new_file);
  ADD ("/save/mode-kept", test_mode_kept);
  ADD ("/save/symlink", test_symlink);
  ADD ("/save/design-through-symlink", test_design_through_symlink);
  ADD ("/save/read-only", test_read_only);
  ADD ("/save/hard-link", test_hard_link);
  ADD ("/save/special-files", test_special_files);
  ADD ("/save/fifo", test_fifo);
  ADD ("/save/injected-failures", test_injected_failures);
  ADD ("/save/injected-failures-named", test_injected_failures_named);
  ADD ("/save/stale-temporaries", test_stale_temporaries);
  ADD ("/save/stale-temporaries-named", test_stale_temporaries_named);
#undef ADD
  return g_test_run ();
}
