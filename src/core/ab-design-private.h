/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What ab-design.c and ab-design-io.c share: copying components and
 * connections, building a design without history (loading), and the
 * JSON reading / writing of components and connections (files, paste). */
#pragma once

#include "ab-design.h"
#include "ab-json-loc.h"

G_BEGIN_DECLS

#define AB_DESIGN_MAX_COMPONENTS  10000
#define AB_DESIGN_MAX_CONNECTIONS 50000
#define AB_DESIGN_MAX_INSTANCES   100000
#define AB_DESIGN_MAX_COORD       1e6
#define AB_DESIGN_MAX_ID          64
#define AB_DESIGN_MAX_LABEL       1000
#define AB_DESIGN_MAX_NOTES       (256 * 1024)
#define AB_DESIGN_MAX_PARAMS      64
/* JSON values in a design file or fragment: memory stays under 20 times
 * the file's size (a parsed value costs about 110 bytes). */
#define AB_DESIGN_MAX_VALUES      1500000
#define AB_DESIGN_BYTES_PER_VALUE 6

AbComponent  *ab_component_copy       (const AbComponent  *component);
void          ab_component_free       (AbComponent        *component);
AbConnection *ab_connection_copy      (const AbConnection *connection);
void          ab_connection_free      (AbConnection       *connection);
GHashTable   *ab_params_new           (void);

gboolean      ab_design_id_is_valid   (const char         *id);

/* Building a design without undo history (loader, snapshot). */
void          ab_design_take_component  (AbDesign     *self,
                                         AbComponent  *component);
void          ab_design_take_connection (AbDesign     *self,
                                         AbConnection *connection);
void          ab_design_set_metadata    (AbDesign     *self,
                                         const char   *title,
                                         const char   *created,
                                         const char   *notes);
/* Next generated ids follow the largest "cN" / "eN" present. */
void          ab_design_reset_counters  (AbDesign     *self);

/* JSON of one component / connection, pretty-printed at @indent. */
void          ab_design_write_component  (GString            *out,
                                          const AbComponent  *component,
                                          int                 indent);
void          ab_design_write_connection (GString            *out,
                                          const AbConnection *connection,
                                          int                 indent);

/* Parses the "components" and "connections" arrays of @root (either may be
 * absent) into new arrays, validating everything: ids, kinds, ranges,
 * parameters, references, duplicates and the catalog's connection rules. */
gboolean      ab_design_parse_parts      (AbJsonDoc   *doc,
                                          JsonNode    *root,
                                          GPtrArray  **components,
                                          GPtrArray  **connections,
                                          GError     **error);

G_END_DECLS
