/* SPDX-License-Identifier: GPL-3.0-or-later */
/* archboard-cli export, run as a program: formats, options, the shipped
 * reference solutions, and bad input (exit status 2 with a message). */
#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo.h>
#include <glib/gstdio.h>

#include "ab-export.h"
#include "ab-problem.h"

static const char *cli_path;
static char *tmp_dir;
static char *app_id, *db_id;   /* ids in the design write_design saves */

typedef struct {
  int status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_cli (Run *run, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;
  int wait_status;

  g_ptr_array_add (argv, (gpointer) cli_path);
  g_ptr_array_add (argv, "export");
  va_start (args, run);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  memset (run, 0, sizeof *run);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &run->out, &run->err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  run->status = WEXITSTATUS (wait_status);
}

static char *
path_in_tmp (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

/* A small design saved as a file; its bounds come back in @bounds. */
static char *
write_design (AbRect *bounds)
{
  g_autoptr(AbDesign) design = ab_design_new (NULL);
  g_autoptr(GError) error = NULL;
  char *path = path_in_tmp ("small.archboard");
  const char *lb = ab_design_add_component (design, AB_KIND_LB, "Edge balancer", 0, 0, 2);
  const char *app = ab_design_add_component (design, AB_KIND_APP, "Checkout API", 240, 0, 3);
  const char *db = ab_design_add_component (design, AB_KIND_DB_PRIMARY, "Ledger", 480, 0, 1);

  g_free (app_id);
  g_free (db_id);
  app_id = g_strdup (app);
  db_id = g_strdup (db);
  ab_design_connect (design, lb, app, &error);
  g_assert_no_error (error);
  ab_design_connect (design, app, db, &error);
  g_assert_no_error (error);
  g_assert_true (ab_design_save_to_file (design, path, &error));
  g_assert_no_error (error);
  if (bounds != NULL)
    g_assert_true (ab_render_bounds (design, NULL, bounds));
  return path;
}

static cairo_surface_t *
load_png (const char *path)
{
  cairo_surface_t *surface = cairo_image_surface_create_from_png (path);

  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_flush (surface);
  return surface;
}

static guint32
corner_pixel (cairo_surface_t *surface)
{
  return *(guint32 *) cairo_image_surface_get_data (surface);
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) handle = dir != NULL ? g_dir_open (dir, 0, NULL) : NULL;
  const char *name;

  if (handle == NULL)
    return;
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (dir);
}

static void
test_png (void)
{
  AbRect bounds;
  g_autofree char *design = write_design (&bounds);
  g_autofree char *out1 = path_in_tmp ("one.png");
  g_autofree char *out2 = path_in_tmp ("two.png");
  g_autofree char *out_t = path_in_tmp ("transparent.png");
  g_autofree char *out_d = path_in_tmp ("dark.png");
  g_autofree char *out_td = path_in_tmp ("theme-dark.png");
  g_auto(Run) run1, run2, run_t, run_d, run_td, run_bad, run_clash;
  cairo_surface_t *png;
  guint32 light;

  run_cli (&run1, design, "-o", out1, NULL);
  g_assert_cmpint (run1.status, ==, 0);
  g_assert_cmpstr (run1.err, ==, "");
  png = load_png (out1);
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, (int) ceil (bounds.width + 48));
  g_assert_cmpint (cairo_image_surface_get_height (png), ==, (int) ceil (bounds.height + 48));
  light = corner_pixel (png);
  g_assert_cmpuint (light >> 24, ==, 0xff);
  g_assert_cmpuint (light & 0xff, >, 0xe0);
  cairo_surface_destroy (png);

  run_cli (&run2, design, "-o", out2, "--scale", "2", "--margin", "0", NULL);
  g_assert_cmpint (run2.status, ==, 0);
  png = load_png (out2);
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, (int) ceil (bounds.width * 2));
  g_assert_cmpint (cairo_image_surface_get_height (png), ==, (int) ceil (bounds.height * 2));
  cairo_surface_destroy (png);

  run_cli (&run_t, design, "-o", out_t, "--transparent", NULL);
  g_assert_cmpint (run_t.status, ==, 0);
  png = load_png (out_t);
  g_assert_cmpuint (corner_pixel (png) >> 24, ==, 0);
  cairo_surface_destroy (png);

  run_cli (&run_d, design, "-o", out_d, "--dark", NULL);
  g_assert_cmpint (run_d.status, ==, 0);
  png = load_png (out_d);
  g_assert_cmpuint (corner_pixel (png) >> 24, ==, 0xff);
  g_assert_cmpuint (corner_pixel (png) & 0xff, <, 0x40);
  cairo_surface_destroy (png);

  run_cli (&run_td, design, "-o", out_td, "--theme", "dark", NULL);
  g_assert_cmpint (run_td.status, ==, 0);
  png = load_png (out_td);
  g_assert_cmpuint (corner_pixel (png) & 0xff, <, 0x40);
  cairo_surface_destroy (png);
  run_cli (&run_bad, design, "-o", out_td, "--theme", "sepia", NULL);
  g_assert_cmpint (run_bad.status, ==, 2);
  g_assert_nonnull (strstr (run_bad.err, "unknown theme \"sepia\""));
  run_cli (&run_clash, design, "-o", out_td, "--theme", "light", "--dark", NULL);
  g_assert_cmpint (run_clash.status, ==, 2);
}

static void
test_svg_pdf_and_selection (void)
{
  g_autofree char *design = write_design (NULL);
  g_autofree char *svg = path_in_tmp ("all.svg");
  g_autofree char *part = path_in_tmp ("part.svg");
  g_autofree char *pdf = path_in_tmp ("all.pdf");
  g_autofree char *forced = path_in_tmp ("forced.out");
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Run) run_svg, run_part, run_pdf, run_forced;

  run_cli (&run_svg, design, "-o", svg, NULL);
  g_assert_cmpint (run_svg.status, ==, 0);
  g_file_get_contents (svg, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "<?xml"));
  g_assert_nonnull (strstr (contents, ">Edge balancer</text>"));
  g_assert_nonnull (strstr (contents, ">Checkout API</text>"));
  g_assert_nonnull (strstr (contents, ">Ledger</text>"));
  g_clear_pointer (&contents, g_free);

  run_cli (&run_part, design, "-o", part, "--select", app_id, "--select", db_id, NULL);
  g_assert_cmpint (run_part.status, ==, 0);
  g_file_get_contents (part, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (contents, ">Edge balancer</text>"));
  g_assert_nonnull (strstr (contents, ">Checkout API</text>"));
  g_assert_nonnull (strstr (contents, ">Ledger</text>"));
  g_clear_pointer (&contents, g_free);

  run_cli (&run_pdf, design, "-o", pdf, NULL);
  g_assert_cmpint (run_pdf.status, ==, 0);
  g_file_get_contents (pdf, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  g_clear_pointer (&contents, g_free);

  run_cli (&run_forced, design, "-o", forced, "--format", "pdf", NULL);
  g_assert_cmpint (run_forced.status, ==, 0);
  g_file_get_contents (forced, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
}

static void
test_reference (void)
{
  AbProblemSet *set = ab_problem_set_get_default ();
  AbProblem *problem;
  g_autofree char *design = path_in_tmp ("reference.archboard");
  g_autofree char *png = path_in_tmp ("reference.png");
  const char *argv[6];
  g_autoptr(GError) error = NULL;
  int wait_status;
  g_auto(Run) run;

  g_assert_cmpuint (ab_problem_set_get_n (set), >, 0);
  problem = ab_problem_set_get_nth (set, 0);
  argv[0] = cli_path;
  argv[1] = "reference";
  argv[2] = problem->id;
  argv[3] = "-o";
  argv[4] = design;
  argv[5] = NULL;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                &wait_status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (wait_status, &error);
  g_assert_no_error (error);

  run_cli (&run, design, "-o", png, "--scale", "2", NULL);
  g_assert_cmpint (run.status, ==, 0);
  cairo_surface_destroy (load_png (png));
}

static void
test_bad_input (void)
{
  g_autofree char *design = write_design (NULL);
  g_autofree char *broken = path_in_tmp ("broken.archboard");
  g_autofree char *png = path_in_tmp ("never.png");
  g_autoptr(GError) error = NULL;
  g_auto(Run) missing, malformed, no_output, bad_ext, unwritable, bad_select, bad_scale, extra, bad_format;

  run_cli (&missing, "/nonexistent/design.archboard", "-o", png, NULL);
  g_assert_cmpint (missing.status, ==, 2);
  g_assert_nonnull (strstr (missing.err, "/nonexistent/design.archboard"));

  g_file_set_contents (broken, "{\n  \"format\": \"archboard-design\",\n  \"components\": [ 1, \n", -1, &error);
  g_assert_no_error (error);
  run_cli (&malformed, broken, "-o", png, NULL);
  g_assert_cmpint (malformed.status, ==, 2);
  g_assert_nonnull (strstr (malformed.err, "broken.archboard:"));

  run_cli (&no_output, design, NULL);
  g_assert_cmpint (no_output.status, ==, 2);
  g_assert_nonnull (strstr (no_output.err, "-o"));

  run_cli (&bad_ext, design, "-o", "diagram.bmp", NULL);
  g_assert_cmpint (bad_ext.status, ==, 2);
  g_assert_nonnull (strstr (bad_ext.err, "diagram.bmp"));

  run_cli (&bad_format, design, "-o", png, "--format", "gif", NULL);
  g_assert_cmpint (bad_format.status, ==, 2);

  run_cli (&unwritable, design, "-o", "/nonexistent/dir/x.png", NULL);
  g_assert_cmpint (unwritable.status, ==, 2);
  g_assert_nonnull (strstr (unwritable.err, "/nonexistent/dir/x.png"));

  run_cli (&bad_select, design, "-o", png, "--select", "zz9", NULL);
  g_assert_cmpint (bad_select.status, ==, 2);
  g_assert_nonnull (strstr (bad_select.err, "zz9"));

  run_cli (&bad_scale, design, "-o", png, "--scale", "0", NULL);
  g_assert_cmpint (bad_scale.status, ==, 2);

  run_cli (&extra, design, design, "-o", png, NULL);
  g_assert_cmpint (extra.status, ==, 2);

  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  if (argc < 2)
    {
      g_printerr ("usage: %s PATH-TO-archboard-cli\n", argv[0]);
      return 2;
    }
  cli_path = argv[1];
  tmp_dir = g_dir_make_tmp ("ab-cli-export-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/cli/export/png", test_png);
  g_test_add_func ("/cli/export/svg-pdf-selection", test_svg_pdf_and_selection);
  g_test_add_func ("/cli/export/reference", test_reference);
  g_test_add_func ("/cli/export/bad-input", test_bad_input);
  status = g_test_run ();
  remove_dir (tmp_dir);
  return status;
}
