/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Routing: turns a design and a workload into the queueing network
 * (docs/simulation.md, "From a design to a network"), remembering which connection
 * each call travels so per-connection rates can be shown on the canvas. */
#pragma once

#include <glib.h>

#include "ab-design.h"
#include "ab-network.h"
#include "ab-problem.h"

G_BEGIN_DECLS

/* Share of reads sent to search when neither the workload nor the edge
 * says. */
#define AB_ROUTE_DEFAULT_SEARCH_SHARE 0.1

typedef struct _AbRoute AbRoute;

/* Builds the network of @design under @workload (rates, search share).
 * Every component becomes a station with the same index and id.  Fails
 * with AB_ERROR_INVALID when there is no client and with AB_ERROR_CYCLE
 * (naming the components) when synchronous calls form a loop; a loop
 * through asynchronous work is cut where it closes, seen from the
 * clients (see ab_route_get_cut_connections). */
AbRoute         *ab_route_build            (AbDesign         *design,
                                            const AbWorkload *workload,
                                            GError          **error);
void             ab_route_free             (AbRoute          *route);
const AbNetwork *ab_route_get_network      (const AbRoute    *route);
/* Connection index (in the design) carrying call @index of the call list
 * of (@station, @klass), or -1 for none. */
int              ab_route_call_connection  (const AbRoute    *route,
                                            int               station,
                                            AbReqClass        klass,
                                            guint             index);
guint            ab_route_get_n_connections (const AbRoute   *route);
const char      *ab_route_connection_id    (const AbRoute    *route,
                                            guint             connection);
/* Per-connection request rates per class (class of the request on the
 * connection) from call rates as made by ab_model_call_rates(): two
 * arrays of ab_route_get_n_connections() doubles, filled. */
void             ab_route_connection_rates (const AbRoute    *route,
                                            double          **call_rates,
                                            double           *read_rps,
                                            double           *write_rps);
/* Convenience: rates of every connection at normal load from visit ratios
 * only (no losses), e.g. for the canvas while nothing else ran. */
void             ab_route_offered_connection_rates (const AbRoute *route,
                                                    double        *read_rps,
                                                    double        *write_rps);

/* Connections whose calls were dropped to break asynchronous loops
 * (NULL-terminated; empty for most designs). */
const char * const *ab_route_get_cut_connections (const AbRoute *route);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AbRoute, ab_route_free)

G_END_DECLS
