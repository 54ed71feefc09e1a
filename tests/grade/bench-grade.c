/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: grading a class of 1,000 designs (the 35 references and
 * variants with components removed), on one thread and on every core;
 * prints files per second and the speed-up. */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>

#include "ab-design.h"
#include "ab-grade.h"
#include "ab-problem.h"
#include "ab-reference.h"

#define N_DESIGNS 1000

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static double
grade (const char *dir,
       guint       threads,
       guint      *solved)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr(AbGradeReport) report = ab_grade_directory (dir, NULL, threads, NULL);
  double seconds = (g_get_monotonic_time () - start) / 1e6;

  g_assert (report != NULL && report->rows->len == N_DESIGNS && report->n_broken == 0);
  *solved = 0;
  for (guint i = 0; i < report->rows->len; i++)
    *solved += ((AbGradeRow *) g_ptr_array_index (report->rows, i))->solved;
  return seconds;
}

int
main (int argc, char **argv)
{
  AbProblemSet *set = ab_problem_set_get_default ();
  guint n_problems = ab_problem_set_get_n (set), cores = g_get_num_processors (), solved;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ab-bench-grade-XXXXXX", &error);
  double t1, tn;

  g_assert_no_error (error);
  for (guint i = 0; i < N_DESIGNS; i++)
    {
      AbProblem *problem = ab_problem_set_get_nth (set, i % n_problems);
      g_autoptr(AbDesign) design = ab_reference_build_design (problem, NULL);
      guint n = ab_design_get_n_components (design), drop = (i / n_problems) % (n + 1);
      g_autofree char *path = g_strdup_printf ("%s/student-%04u.archboard", dir, i);

      /* variant k drops the k-th component (0: the reference as is) */
      if (drop > 0)
        {
          g_autofree char *id = g_strdup (ab_design_get_component (design, drop - 1)->id);
          const char *ids[] = { id, NULL };

          ab_design_remove (design, ids, NULL);
        }
      g_autofree char *data = ab_design_to_data (design, NULL);

      g_assert (g_file_set_contents_full (path, data, -1, G_FILE_SET_CONTENTS_NONE, 0644, NULL));
    }

  grade (dir, 1, &solved); /* warm the page cache and the shared data */
  t1 = grade (dir, 1, &solved);
  tn = grade (dir, 0, &solved);
  printf ("grade: %d designs, %u solved\n"
          "  1 thread:   %.3f s, %.0f files/s\n"
          "  %u threads: %.3f s, %.0f files/s, speed-up %.2fx over one core\n",
          N_DESIGNS, solved, t1, N_DESIGNS / t1, cores, tn, N_DESIGNS / tn, t1 / tn);
  remove_tree (dir);
  return 0;
}
