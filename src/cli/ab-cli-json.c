/* SPDX-License-Identifier: GPL-3.0-or-later */
/* JSON pieces that several archboard-cli subcommands write alike. */
#include "config.h"

#include <math.h>

#include "ab-cli.h"

void
ab_cli_json_add_number (JsonBuilder *b,
                        const char  *name,
                        double       value)
{
  json_builder_set_member_name (b, name);
  if (isfinite (value))
    json_builder_add_double_value (b, value);
  else
    json_builder_add_null_value (b);
}

void
ab_cli_json_add_checks (JsonBuilder     *b,
                        const GPtrArray *checks)
{
  json_builder_begin_array (b);
  for (guint i = 0; checks != NULL && i < checks->len; i++)
    {
      const AbCheck *c = g_ptr_array_index ((GPtrArray *) checks, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "label");
      json_builder_add_string_value (b, c->label);
      json_builder_set_member_name (b, "target");
      json_builder_add_string_value (b, c->target);
      json_builder_set_member_name (b, "measured");
      json_builder_add_string_value (b, c->what);
      json_builder_set_member_name (b, "unit");
      json_builder_add_string_value (b, c->unit);
      json_builder_set_member_name (b, "phase");
      json_builder_add_string_value (b, ab_check_phase_to_string (c->phase));
      ab_cli_json_add_number (b, "value", c->value);
      ab_cli_json_add_number (b, "bound", c->bound);
      ab_cli_json_add_number (b, "ci_low", c->ci_low);
      ab_cli_json_add_number (b, "ci_high", c->ci_high);
      json_builder_set_member_name (b, "verdict");
      json_builder_add_string_value (b, ab_check_verdict_to_string (c->verdict));
      json_builder_set_member_name (b, "pass");
      json_builder_add_boolean_value (b, c->pass);
      json_builder_set_member_name (b, "sentence");
      json_builder_add_string_value (b, c->sentence);
      json_builder_set_member_name (b, "unmeetable");
      if (c->unmeetable != NULL)
        json_builder_add_string_value (b, c->unmeetable);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}
