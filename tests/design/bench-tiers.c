/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: tier evaluation of a 1,000-component design (prints µs). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "ab-tiers.h"
#include "tiers-fixture.h"

int
main (int argc, char **argv)
{
  AbProblem *p = fixture_problem ();
  g_autoptr(AbDesign) d = ab_design_new ("fixture");
  int rounds = 2000;
  gint64 start, elapsed;
  guint passed = 0;

  for (int i = 0; i < 1000; i++)
    ab_design_add_component (d, (AbKind) (i % AB_N_KINDS), NULL, i, i, 1 + i % 3);

  start = g_get_monotonic_time ();
  for (int i = 0; i < rounds; i++)
    {
      AbTiersReport *r = ab_tiers_evaluate (p, d);
      passed += r->n_passed;
      ab_tiers_report_free (r);
    }
  elapsed = g_get_monotonic_time () - start;
  printf ("tiers: 1000 components, %u tiers: %.2f µs per evaluation (%d rounds, %u passed)\n",
          p->tiers->len, (double) elapsed / rounds, rounds, passed / rounds);
  fixture_problem_free (p);
  return 0;
}
