/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness for the markdown problem-set importer
 * (ab_import_markdown): refusals say where and return nothing; every
 * imported problem must be one the JSON problem loader accepts and that
 * survives to_json -> load -> to_json unchanged. */
#define G_LOG_DOMAIN "archboard-fuzz"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ab-import.h"
#include "fuzz-common.h"

#define FILENAME "fuzz.md"

static void
check_imported (AbProblem *problem)
{
  g_autoptr(JsonNode) node = ab_problem_to_json (problem);
  g_autoptr(JsonNode) node2 = NULL;
  g_autoptr(AbProblem) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;

  if (problem->id == NULL || problem->title == NULL)
    {
      g_printerr ("fuzz-import: imported a problem without id or title\n");
      abort ();
    }
  text = json_to_string (node, TRUE);
  again = ab_problem_load_from_data (text, -1, "fuzz-imported.json", &error);
  if (again == NULL)
    {
      g_printerr ("fuzz-import: an imported problem does not load as JSON: %s\n",
                  error->message);
      abort ();
    }
  node2 = ab_problem_to_json (again);
  text2 = json_to_string (node2, TRUE);
  ab_fuzz_check_same ("import -> to_json -> load -> to_json", text, strlen (text),
                      text2, strlen (text2));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;

  problems = ab_import_markdown ((const char *) data, (gssize) size, FILENAME, &error);
  ab_fuzz_last_accepted = problems != NULL;
  if (problems == NULL)
    {
      ab_fuzz_check_error (error, FILENAME, FALSE);
      return 0;
    }
  if (error != NULL)
    {
      g_printerr ("fuzz-import: imported and set an error\n");
      abort ();
    }
  for (guint i = 0; i < problems->len; i++)
    check_imported (g_ptr_array_index (problems, i));
  return 0;
}
