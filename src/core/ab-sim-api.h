/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Simulation API umbrella (issue 3): the network, the analytical model,
 * the discrete-event simulation, scenarios and cost. */
#pragma once

#include "ab-network.h"
#include "ab-scenario.h"
#include "ab-histogram.h"
#include "ab-des.h"
#include "ab-route.h"
#include "ab-model.h"
#include "ab-availability.h"
#include "ab-cost.h"
#include "ab-workload.h"
#include "ab-verdict.h"
