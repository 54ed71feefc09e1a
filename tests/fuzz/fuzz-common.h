/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the fuzz harnesses, libFuzzer and the stand-alone driver: the
 * libFuzzer entry points and the checks every harness makes. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

G_BEGIN_DECLS

/* libFuzzer entry points (the driver calls them too). */
int  LLVMFuzzerInitialize   (int            *argc,
                             char         ***argv);
int  LLVMFuzzerTestOneInput (const uint8_t  *data,
                             size_t          size);

/* Set by each harness: whether the loader accepted the last input.  The
 * driver uses it to check that valid-* seeds load and invalid-* do not. */
extern gboolean ab_fuzz_last_accepted;

/* Makes criticals and warnings fatal and silences debug output; harnesses
 * call it from LLVMFuzzerInitialize. */
void ab_fuzz_setup          (void);

/* A refusal must be an AB_ERROR whose message is valid, bounded UTF-8 and
 * starts "FILENAME:LINE:" followed by "COL:" when @with_column. */
void ab_fuzz_check_error    (const GError *error,
                             const char   *filename,
                             gboolean      with_column);

/* Aborts with a readable message when two byte strings differ. */
void ab_fuzz_check_same     (const char   *what,
                             const char   *a,
                             gsize         a_len,
                             const char   *b,
                             gsize         b_len);

G_END_DECLS
