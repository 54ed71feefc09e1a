/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Everything of the core in one include. */
#pragma once

#include "ab-types.h"
#include "ab-json-loc.h"
#include "ab-format.h"
#include "ab-catalog.h"
#include "ab-problem.h"
#include "ab-reference.h"
#include "ab-import.h"
#include "ab-design.h"
#include "ab-save.h"
#include "ab-tiers.h"
#include "ab-sim-api.h"
#include "ab-sim-summary.h"
