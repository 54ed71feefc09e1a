/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared small types of the core: component kinds and the error domain. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The component kinds the problem sets use.  The catalog data file
 * (data/catalog/components.json) describes each; the simulation gives
 * some of them special routing rules, hence an enum rather than strings. */
typedef enum {
  AB_KIND_INVALID = -1,
  AB_KIND_CLIENT = 0,
  AB_KIND_LB,
  AB_KIND_APP,
  AB_KIND_DB_PRIMARY,
  AB_KIND_DB_REPLICA,
  AB_KIND_CACHE,
  AB_KIND_QUEUE,
  AB_KIND_WORKER,
  AB_KIND_STORAGE,
  AB_KIND_STREAM,
  AB_KIND_CDN,
  AB_KIND_SEARCH,
  AB_KIND_OBJECT_STORE,
  AB_N_KINDS
} AbKind;

/* "client", "lb", ... ; "redirect_client" is accepted as an alias of client.
 * Returns AB_KIND_INVALID for anything else. */
AbKind      ab_kind_from_string (const char *str);
const char *ab_kind_to_string   (AbKind kind);

typedef enum {
  AB_CONN_SYNC = 0,
  AB_CONN_ASYNC
} AbConnMode;

const char *ab_conn_mode_to_string   (AbConnMode mode);
gboolean    ab_conn_mode_from_string (const char *str, AbConnMode *out);

#define AB_ERROR (ab_error_quark ())
GQuark ab_error_quark (void);

typedef enum {
  AB_ERROR_IO,           /* could not read / write a file */
  AB_ERROR_PARSE,        /* not well-formed (JSON or markdown) */
  AB_ERROR_INVALID,      /* well-formed but violates the format */
  AB_ERROR_UNKNOWN_KIND, /* a component kind the catalog does not know */
  AB_ERROR_TOO_LARGE,    /* exceeds a bound (size, count, depth, length) */
  AB_ERROR_VERSION,      /* written by a newer version */
  AB_ERROR_NOT_FOUND,    /* unknown problem / component id */
  AB_ERROR_REFUSED,      /* an edit that the rules refuse (e.g. a connection) */
  AB_ERROR_CYCLE,        /* routing cycle the model cannot resolve */
  AB_ERROR_CANCELLED,
  AB_ERROR_READ_ONLY     /* the file may not be written (Save As instead) */
} AbErrorCode;

G_END_DECLS
