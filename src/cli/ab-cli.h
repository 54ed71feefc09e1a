/* SPDX-License-Identifier: GPL-3.0-or-later */
/* archboard-cli subcommands.  Each takes the arguments after its name
 * (argv[0] is the subcommand) and returns the process exit status:
 * 0 success, 1 the design fails what was asked (checks), 2 bad input or
 * usage (message on stderr). */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "ab-workload.h"

G_BEGIN_DECLS

#define AB_CLI_EXIT_OK       0
#define AB_CLI_EXIT_FAIL     1
#define AB_CLI_EXIT_BAD_INPUT 2

int ab_cli_list      (int argc, char **argv);
int ab_cli_show      (int argc, char **argv);
int ab_cli_reference (int argc, char **argv);
int ab_cli_import    (int argc, char **argv);
int ab_cli_check     (int argc, char **argv);
int ab_cli_simulate  (int argc, char **argv);
int ab_cli_export    (int argc, char **argv);
int ab_cli_grade     (int argc, char **argv);
int ab_cli_arrange   (int argc, char **argv);
int ab_cli_report    (int argc, char **argv);

/* Parses @entries from argv with a GOptionContext whose summary is
 * @summary; on error prints to stderr and returns FALSE.  The summary
 * and the entries' descriptions are translated (mark them with N_()). */
gboolean ab_cli_parse (int            *argc,
                       char         ***argv,
                       const char     *parameter_string,
                       const char     *summary,
                       GOptionEntry   *entries);

/* Machine-readable output (JSON, CSV) is the same bytes in every
 * language (README, "archboard-cli"): a subcommand asked for it calls
 * ab_cli_load_english_data () once its options are read and checked,
 * before anything loads the component catalog or the shipped problems
 * (they keep the language they were loaded in: names, tier names, rule
 * texts), then ab_cli_use_english (TRUE) around what it computes and
 * writes for programs, and ab_cli_use_english (FALSE) before a message
 * for people (standard error), which stays in the user's language. */
void ab_cli_load_english_data (void);
void ab_cli_use_english       (gboolean english);

/* The tag of a tier, rule or check in text output: "PASS", "FAIL",
 * "CLOSE" or "-" in the user's language, and the width of the widest
 * (characters), so that a column of them lines up in any language. */
const char *ab_cli_verdict_tag (AbCheckVerdict verdict);
int         ab_cli_tag_width   (void);

/* @name: @value, or null when it is not finite (NaN, infinity) */
void ab_cli_json_add_number (JsonBuilder     *b,
                             const char      *name,
                             double           value);

/* An array of the performance checks, one object each (label, target,
 * measured, unit, phase, value, bound, ci_low, ci_high, verdict, pass,
 * sentence, unmeetable), as `check --json` and `simulate --format json`
 * write them. */
void ab_cli_json_add_checks (JsonBuilder     *b,
                             const GPtrArray *checks);

G_END_DECLS
