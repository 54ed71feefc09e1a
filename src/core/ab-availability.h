/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Availability estimate of a network: each station's instances in
 * parallel (1 - prod(1 - a)), the stations a request needs in series,
 * interchangeable alternatives (replicas, lb targets) in parallel. */
#pragma once

#include <glib.h>

#include "ab-network.h"

G_BEGIN_DECLS

/* Availability of one station: 1 - (1 - a)^instances. */
double ab_availability_station  (const AbStation *station,
                                 int              instances);
/* Expected fraction of requests served when components fail
 * independently, weighted by the network's class rates (or evenly when
 * both are 0).  @per_class (may be NULL) receives read and write. */
double ab_availability_estimate (const AbNetwork *network,
                                 double          *per_class);

G_END_DECLS
