/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness for the design file loader (ab_design_load_from_data)
 * and the clipboard fragment parser (ab_design_paste_fragment).  A design
 * that loads must keep the loader's invariants, save -> reload to the same
 * bytes, and undo a whole-design removal exactly. */
#define G_LOG_DOMAIN "archboard-fuzz"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ab-design.h"
#include "fuzz-common.h"

#define FILENAME "fuzz.archboard"

static G_NORETURN void
broken (const char *what)
{
  g_printerr ("fuzz-design: %s\n", what);
  abort ();
}

static void
check_invariants (AbDesign *design)
{
  guint n_components = ab_design_get_n_components (design);
  guint n_connections = ab_design_get_n_connections (design);

  for (guint i = 0; i < n_components; i++)
    {
      const AbComponent *c = ab_design_get_component (design, i);

      if (c == NULL || c->id == NULL || c->label == NULL)
        broken ("component without id or label");
      if (ab_design_find_component (design, c->id) != c)
        broken ("component ids are not unique");
      if (c->kind < 0 || c->kind >= AB_N_KINDS)
        broken ("component of an invalid kind");
      if (c->instances < 1)
        broken ("component with fewer than one instance");
      if (!isfinite (c->x) || !isfinite (c->y))
        broken ("component at a non-finite position");
      if (!g_utf8_validate (c->label, -1, NULL))
        broken ("label is not UTF-8");
    }
  for (guint i = 0; i < n_connections; i++)
    {
      const AbConnection *e = ab_design_get_connection (design, i);

      if (e == NULL || e->id == NULL || e->from == NULL || e->to == NULL)
        broken ("connection without id or ends");
      if (ab_design_find_connection (design, e->id) != e)
        broken ("connection ids are not unique");
      if (ab_design_find_component (design, e->from) == NULL
          || ab_design_find_component (design, e->to) == NULL)
        broken ("dangling connection");
      if (g_str_equal (e->from, e->to))
        broken ("self connection");
      if (ab_design_find_connection_between (design, e->from, e->to) != e)
        broken ("duplicate connection");
    }
  for (int k = 0; k < AB_N_KINDS; k++)
    if (ab_design_count_instances (design, (AbKind) k) < 0)
      broken ("negative instance count (overflow?)");
}

static void
check_undo_remove_all (AbDesign   *design,
                       const char *saved,
                       gsize       saved_len)
{
  guint n = ab_design_get_n_components (design);
  g_autofree const char **ids = g_new0 (const char *, n + 1);
  g_autofree char *after_undo = NULL;
  gsize after_len;

  if (n == 0)
    return;
  for (guint i = 0; i < n; i++)
    ids[i] = ab_design_get_component (design, i)->id;
  ab_design_remove (design, ids, NULL);
  if (ab_design_get_n_components (design) != 0 || ab_design_get_n_connections (design) != 0)
    broken ("removing every component left something");
  if (!ab_design_undo (design))
    broken ("cannot undo the removal");
  after_undo = ab_design_to_data (design, &after_len);
  ab_fuzz_check_same ("remove all -> undo -> save", saved, saved_len, after_undo, after_len);
  if (ab_design_is_modified (design))
    broken ("modified after undoing back to the loaded state");
}

static void
fuzz_paste (const uint8_t *data,
            size_t         size)
{
  g_autofree char *fragment = g_strndup ((const char *) data, size);
  g_autoptr(AbDesign) design = ab_design_new ("basic-database-design");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;

  ids = ab_design_paste_fragment (design, fragment, 40, 40, &error);
  if (ids == NULL)
    {
      if (error == NULL || error->domain != AB_ERROR)
        broken ("paste refused without an AB_ERROR");
      if (ab_design_get_n_components (design) != 0 || ab_design_can_undo (design))
        broken ("a refused paste changed the design");
      return;
    }
  if (g_strv_length (ids) != ab_design_get_n_components (design))
    broken ("paste returned a wrong number of ids");
  check_invariants (design);
  if (ab_design_get_n_components (design) > 0)
    {
      if (!ab_design_undo (design) || ab_design_get_n_components (design) != 0)
        broken ("paste is not one undoable step");
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AbDesign) design = NULL;
  g_autoptr(AbDesign) again = NULL;
  g_autoptr(AbDesign) snapshot = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *resaved = NULL;
  g_autofree char *snapshot_saved = NULL;
  gsize saved_len, resaved_len, snapshot_len;

  fuzz_paste (data, size);

  design = ab_design_load_from_data ((const char *) data, (gssize) size, FILENAME, &error);
  ab_fuzz_last_accepted = design != NULL;
  if (design == NULL)
    {
      ab_fuzz_check_error (error, FILENAME, TRUE);
      return 0;
    }
  if (error != NULL)
    broken ("loaded and set an error");
  if (ab_design_is_modified (design))
    broken ("modified right after loading");
  check_invariants (design);

  saved = ab_design_to_data (design, &saved_len);
  if (saved == NULL || strlen (saved) != saved_len)
    broken ("to_data gave a wrong length");
  again = ab_design_load_from_data (saved, (gssize) saved_len, "fuzz-resaved.archboard", &error);
  if (again == NULL)
    {
      g_printerr ("fuzz-design: a saved design does not load: %s\n", error->message);
      abort ();
    }
  resaved = ab_design_to_data (again, &resaved_len);
  ab_fuzz_check_same ("load -> save -> load -> save", saved, saved_len, resaved, resaved_len);

  snapshot = ab_design_snapshot (design);
  snapshot_saved = ab_design_to_data (snapshot, &snapshot_len);
  ab_fuzz_check_same ("snapshot -> save", saved, saved_len, snapshot_saved, snapshot_len);

  check_undo_remove_all (again, saved, saved_len);
  return 0;
}
