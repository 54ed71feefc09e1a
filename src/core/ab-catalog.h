/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The component catalog: per kind display data, allowed connections and
 * the simulation defaults, loaded from data/catalog/components.json. */
#pragma once

#include <glib.h>

#include "ab-types.h"

G_BEGIN_DECLS

/* One overridable simulation parameter of a kind. */
typedef struct {
  char    *name;         /* "service_ms", "concurrency", "hit_ratio", ... */
  char    *display_name; /* "Service time" */
  char    *unit;         /* "ms", "", "requests", ... (may be "") */
  char    *description;  /* one line */
  gboolean is_string;    /* TRUE: value_string + choices; FALSE: number */
  double   default_value;
  double   min, max;
  char    *default_string;
  GStrv    choices;      /* for string parameters, else NULL */
  char    *source;       /* where the figure comes from */
  char    *date;         /* YYYY-MM-DD the source was read */
} AbParamSpec;

typedef struct {
  AbKind     kind;
  char      *id;           /* "db_primary" */
  char      *display_name; /* "Primary database" */
  char      *description;  /* one line for the palette */
  char      *icon_name;    /* symbolic icon name (themed or bundled) */
  char      *color;        /* "#rrggbb" */
  AbKind    *connects_to;  /* kinds this kind may call */
  guint      n_connects_to;
  GPtrArray *params;       /* of AbParamSpec*, in display order */
} AbKindInfo;

typedef struct _AbCatalog AbCatalog;

/* The catalog shipped with Archboard (embedded resource).  Loaded once,
 * never freed, safe to use from any thread. */
AbCatalog        *ab_catalog_get_default     (void);

AbCatalog        *ab_catalog_load_from_file  (const char  *path,
                                              GError     **error);
AbCatalog        *ab_catalog_load_from_data  (const char  *data,
                                              gssize       length,
                                              const char  *filename,
                                              GError     **error);
void              ab_catalog_free            (AbCatalog   *catalog);

const AbKindInfo *ab_catalog_get_kind        (AbCatalog   *catalog,
                                              AbKind       kind);
const AbParamSpec *ab_catalog_get_param      (AbCatalog   *catalog,
                                              AbKind       kind,
                                              const char  *name);
/* Default value of a numeric parameter, or @fallback when the kind has none. */
double            ab_catalog_param_default   (AbCatalog   *catalog,
                                              AbKind       kind,
                                              const char  *name,
                                              double       fallback);
/* Parameters of connections (latency_ms, cross_region_ms), of
 * AbParamSpec*, owned by the catalog. */
GPtrArray        *ab_catalog_get_connection_params   (AbCatalog  *catalog);
const AbParamSpec *ab_catalog_get_connection_param   (AbCatalog  *catalog,
                                                      const char *name);
double            ab_catalog_connection_param_default (AbCatalog  *catalog,
                                                      const char *name,
                                                      double      fallback);
gboolean          ab_catalog_can_connect     (AbCatalog   *catalog,
                                              AbKind       from,
                                              AbKind       to);
/* A sentence why @from may not call @to ("A cache cannot call a load
 * balancer: caches call databases or storage"), or NULL if it may. */
char             *ab_catalog_explain_refusal (AbCatalog   *catalog,
                                              AbKind       from,
                                              AbKind       to);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AbCatalog, ab_catalog_free)

G_END_DECLS
