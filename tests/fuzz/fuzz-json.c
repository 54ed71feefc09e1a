/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness for the position-tracking JSON reader every loader
 * stands on (ab_json_doc_parse): refusals say where, and accepted
 * documents give every value and member name a position inside the
 * input. */
#define G_LOG_DOMAIN "archboard-fuzz"

#include "config.h"

#include <stdlib.h>

#include "ab-json-loc.h"
#include "fuzz-common.h"

typedef struct {
  AbJsonDoc *doc;
  int        n_lines;
} Walk;

static void
check_position (Walk     *walk,
                JsonNode *node)
{
  int line, column;

  ab_json_doc_locate (walk->doc, node, &line, &column);
  if (line < 1 || line > walk->n_lines || column < 1)
    {
      g_printerr ("fuzz-json: node at %d:%d, input has %d lines\n", line, column, walk->n_lines);
      abort ();
    }
}

static void
walk_node (Walk     *walk,
           JsonNode *node)
{
  check_position (walk, node);
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        {
          int line, column;

          ab_json_doc_locate_key (walk->doc, member, &line, &column);
          if (line < 1 || line > walk->n_lines || column < 1)
            abort ();
          walk_node (walk, member);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        walk_node (walk, json_array_get_element (array, i));
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AbJsonDoc) doc = NULL;
  /* Tighter than the defaults so the fuzzer reaches every limit. */
  AbJsonLimits limits = { 64 * 1024, 24, 4096, 512 };
  Walk walk;

  doc = ab_json_doc_parse ((const char *) data, (gssize) size, "fuzz.json", &limits, &error);
  ab_fuzz_last_accepted = doc != NULL;
  if (doc == NULL)
    {
      ab_fuzz_check_error (error, "fuzz.json", TRUE);
      return 0;
    }
  g_assert (error == NULL);

  walk.doc = doc;
  walk.n_lines = 1;
  for (size_t i = 0; i < size; i++)
    walk.n_lines += data[i] == '\n';
  walk_node (&walk, ab_json_doc_get_root (doc));

  return 0;
}
