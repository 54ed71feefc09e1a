/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Strict JSON text from a json-glib tree: every number in a form any
 * strict parser accepts (json-glib 1.6's generator writes 1e17 as
 * "1e+17.0"), non-finite numbers as null. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* @node as JSON text; @pretty: two-space indentation and a member per
 * line, as json_generator_set_pretty() does.  No trailing newline. */
char *ab_json_to_string_strict (JsonNode *node,
                                gboolean  pretty);

G_END_DECLS
