/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What tests of the simulation set-up need beyond ab-sim-summary.h.
 * Private to src/core and its tests: nothing here is API. */
#pragma once

#include "ab-sim-summary.h"

G_BEGIN_DECLS

/* ab_sim_setup_new with a copy of @scenario (NULL: the one @options
 * name) as the setup's timeline, for a timeline the options cannot
 * express (a phase of another length); @options' seed still applies. */
AbSimSetup *ab_sim_setup_new_with_scenario (AbDesign           *design,
                                            AbProblem          *problem,
                                            const AbSimOptions *options,
                                            const AbScenario   *scenario,
                                            GError            **error);

G_END_DECLS
