/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Component kind names and the project error domain. */
#define G_LOG_DOMAIN "archboard-core"

#include "config.h"

#include <string.h>

#include "ab-types.h"

static const char * const kind_names[AB_N_KINDS] = {
  [AB_KIND_CLIENT] = "client",
  [AB_KIND_LB] = "lb",
  [AB_KIND_APP] = "app",
  [AB_KIND_DB_PRIMARY] = "db_primary",
  [AB_KIND_DB_REPLICA] = "db_replica",
  [AB_KIND_CACHE] = "cache",
  [AB_KIND_QUEUE] = "queue",
  [AB_KIND_WORKER] = "worker",
  [AB_KIND_STORAGE] = "storage",
  [AB_KIND_STREAM] = "stream",
  [AB_KIND_CDN] = "cdn",
  [AB_KIND_SEARCH] = "search",
  [AB_KIND_OBJECT_STORE] = "object_store",
};

G_DEFINE_QUARK (archboard-error-quark, ab_error)

AbKind
ab_kind_from_string (const char *str)
{
  if (str == NULL)
    return AB_KIND_INVALID;
  if (strcmp (str, "redirect_client") == 0)
    return AB_KIND_CLIENT;
  for (int i = 0; i < AB_N_KINDS; i++)
    if (strcmp (str, kind_names[i]) == 0)
      return (AbKind) i;
  return AB_KIND_INVALID;
}

const char *
ab_kind_to_string (AbKind kind)
{
  if (kind < 0 || kind >= AB_N_KINDS)
    return NULL;
  return kind_names[kind];
}

const char *
ab_conn_mode_to_string (AbConnMode mode)
{
  return mode == AB_CONN_ASYNC ? "async" : "sync";
}

gboolean
ab_conn_mode_from_string (const char *str, AbConnMode *out)
{
  if (g_strcmp0 (str, "sync") == 0)
    *out = AB_CONN_SYNC;
  else if (g_strcmp0 (str, "async") == 0)
    *out = AB_CONN_ASYNC;
  else
    return FALSE;
  return TRUE;
}
