/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbDesign: a design document — components, connections, notes — whose
 * every mutation is an undoable command.  Emits "changed" after each. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ab-types.h"

G_BEGIN_DECLS

#define AB_DESIGN_FORMAT_NAME    "archboard-design"
#define AB_DESIGN_FORMAT_VERSION 1

/* Parameter values are GVariants: "d" (numbers) or "s" (strings such as
 * service_distribution).  The table maps name -> GVariant (floating refs
 * are sunk on insertion). */
typedef struct {
  char       *id;        /* stable, unique within the design: "c1", "c2" ... */
  AbKind      kind;
  char       *label;
  double      x, y;      /* top-left of the card, canvas units */
  int         instances; /* >= 1 */
  char       *region;    /* NULL = default region */
  GHashTable *params;    /* char* -> GVariant* overrides */
} AbComponent;

typedef struct {
  char       *id;        /* "e1", ... */
  char       *from;      /* component ids */
  char       *to;
  char       *label;     /* NULL or text */
  AbConnMode  mode;
  GHashTable *params;    /* char* -> GVariant* overrides (latency_ms, share) */
} AbConnection;

/* What an edit, undo or redo changed.  "changed" is emitted with the
 * detail of the most significant flag ("structure", "properties",
 * "geometry", "notes"), so a handler on "changed::geometry" sees moves
 * only; ab_design_get_last_change() gives all flags of the last emission. */
typedef enum {
  AB_DESIGN_CHANGE_GEOMETRY   = 1 << 0, /* positions */
  AB_DESIGN_CHANGE_STRUCTURE  = 1 << 1, /* components / connections added or removed */
  AB_DESIGN_CHANGE_PROPERTIES = 1 << 2, /* labels, instances, regions, params, modes */
  AB_DESIGN_CHANGE_NOTES      = 1 << 3  /* notes, title */
} AbDesignChange;

#define AB_TYPE_DESIGN (ab_design_get_type ())
G_DECLARE_FINAL_TYPE (AbDesign, ab_design, AB, DESIGN, GObject)

AbDesign           *ab_design_new                 (const char *problem_id);

/* A deep copy without the undo history: an immutable snapshot for another
 * thread.  Never mutate a snapshot. */
AbDesign           *ab_design_snapshot            (AbDesign   *self);

const char         *ab_design_get_problem_id      (AbDesign   *self);
const char         *ab_design_get_notes           (AbDesign   *self);
const char         *ab_design_get_title           (AbDesign   *self);
/* Document metadata (created / modified ISO 8601, generator). */
const char         *ab_design_get_created         (AbDesign   *self);

guint               ab_design_get_n_components    (AbDesign   *self);
const AbComponent  *ab_design_get_component       (AbDesign   *self,
                                                   guint       index);
const AbComponent  *ab_design_find_component      (AbDesign   *self,
                                                   const char *id);
guint               ab_design_get_n_connections   (AbDesign   *self);
const AbConnection *ab_design_get_connection      (AbDesign   *self,
                                                   guint       index);
const AbConnection *ab_design_find_connection     (AbDesign   *self,
                                                   const char *id);
/* The connection from -> to, or NULL. */
const AbConnection *ab_design_find_connection_between (AbDesign *self,
                                                       const char *from,
                                                       const char *to);
/* Total instances of @kind over all components. */
int                 ab_design_count_instances     (AbDesign   *self,
                                                   AbKind      kind);
/* Numeric parameter: the override if set, else the catalog default,
 * else @fallback. */
double              ab_component_get_param_double (const AbComponent *component,
                                                   const char        *name,
                                                   double             fallback);
const char         *ab_component_get_param_string (const AbComponent *component,
                                                   const char        *name,
                                                   const char        *fallback);
double              ab_connection_get_param_double (const AbConnection *connection,
                                                    const char         *name,
                                                    double              fallback);

/* Flags of the last "changed" emission. */
AbDesignChange      ab_design_get_last_change     (AbDesign   *self);

/* ---- edits: each is one undoable step and emits "changed" ----
 * Properties "can-undo", "can-redo" and "modified" notify when they
 * change.  Edits that change nothing add no step.  Positions are clamped
 * to +-1e6, instances to 1..100000, numeric parameters to the catalog's
 * range. */

void        ab_design_set_title          (AbDesign    *self,
                                          const char  *title);

/* Returns the new component's id (owned by the design). */
const char *ab_design_add_component      (AbDesign    *self,
                                          AbKind       kind,
                                          const char  *label,
                                          double       x,
                                          double       y,
                                          int          instances);
/* Removes components and every connection touching them. */
void        ab_design_remove             (AbDesign    *self,
                                          const char * const *component_ids,
                                          const char * const *connection_ids);
void        ab_design_move_components    (AbDesign    *self,
                                          const char * const *ids,
                                          double       dx,
                                          double       dy);
void        ab_design_rename_component   (AbDesign    *self,
                                          const char  *id,
                                          const char  *label);
void        ab_design_set_instances      (AbDesign    *self,
                                          const char  *id,
                                          int          instances);
void        ab_design_set_region         (AbDesign    *self,
                                          const char  *id,
                                          const char  *region);
/* @value NULL removes the override. */
void        ab_design_set_component_param (AbDesign   *self,
                                          const char  *id,
                                          const char  *name,
                                          GVariant    *value);
/* Refuses (FALSE + AB_ERROR_REFUSED with a reason a person can act on) a
 * self connection, a duplicate, or a pair the catalog does not allow.
 * The default mode is async into a queue or stream, else sync. */
const char *ab_design_connect            (AbDesign    *self,
                                          const char  *from,
                                          const char  *to,
                                          GError     **error);
void        ab_design_set_connection_label (AbDesign  *self,
                                          const char  *id,
                                          const char  *label);
void        ab_design_set_connection_mode (AbDesign   *self,
                                          const char  *id,
                                          AbConnMode   mode);
void        ab_design_set_connection_param (AbDesign  *self,
                                          const char  *id,
                                          const char  *name,
                                          GVariant    *value);
void        ab_design_set_notes          (AbDesign    *self,
                                          const char  *notes);

/* Copy / paste: a fragment is the JSON of the given components and the
 * connections among them.  Paste gives new ids, offsets positions by
 * (dx, dy), is one step, and returns the new component ids. */
char       *ab_design_copy_fragment      (AbDesign    *self,
                                          const char * const *ids);
GStrv       ab_design_paste_fragment     (AbDesign    *self,
                                          const char  *fragment,
                                          double       dx,
                                          double       dy,
                                          GError     **error);

/* Group the edits in between into one undo step named @name.  Nests. */
void        ab_design_begin_group        (AbDesign    *self,
                                          const char  *name);
void        ab_design_end_group          (AbDesign    *self);

gboolean    ab_design_can_undo           (AbDesign    *self);
gboolean    ab_design_can_redo           (AbDesign    *self);
/* Name of the step that undo / redo would apply ("Move", "Add cache"). */
const char *ab_design_get_undo_name      (AbDesign    *self);
const char *ab_design_get_redo_name      (AbDesign    *self);
gboolean    ab_design_undo               (AbDesign    *self);
gboolean    ab_design_redo               (AbDesign    *self);

/* Modified since the last save / load (the undo position is compared with
 * the one marked clean). */
gboolean    ab_design_is_modified        (AbDesign    *self);
void        ab_design_mark_saved         (AbDesign    *self);

/* ---- files (.archboard), see docs/file-format.md ---- */

/* Validates everything; on error returns NULL with AB_ERROR and a message
 * "FILE:LINE:COL: what is wrong". */
AbDesign   *ab_design_load_from_data     (const char  *data,
                                          gssize       length,
                                          const char  *filename,
                                          GError     **error);
AbDesign   *ab_design_load_from_file     (const char  *path,
                                          GError     **error);
/* Deterministic, pretty-printed JSON (same design -> same bytes). */
char       *ab_design_to_data            (AbDesign    *self,
                                          gsize       *length);
/* Atomic: writes a temporary file then renames; marks saved on success. */
gboolean    ab_design_save_to_file       (AbDesign    *self,
                                          const char  *path,
                                          GError     **error);

G_END_DECLS
