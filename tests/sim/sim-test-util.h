/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the simulation tests: reference designs built in
 * process the way `archboard-cli reference` builds them. */
#pragma once

#include "ab-reference.h"

static inline AbDesign *
sim_reference_design (const AbProblem *problem)
{
  g_autoptr(GError) error = NULL;
  AbDesign *design = ab_reference_build_design (problem, &error);

  g_assert_no_error (error);
  return design;
}
