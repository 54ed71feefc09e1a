/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The verdict on a design: does it solve its problem?  One function for
 * the CLI (archboard-cli check), the problem browser's "Solved" badge and
 * the checks panel.
 *
 * A problem counts as solved only when
 *   - every tier passes (ab_tiers_evaluate),
 *   - every component is reached by traffic from a client ("connected"),
 *   - every performance check of the problem passes (latency target, rate
 *     sustained for the class of requests it names, availability, budget),
 *     each judged in the phase it
 *     speaks of: the peak for a requirement that names the peak or a
 *     "during ..." condition, the normal phase for the others
 *     (ab_target_check_phase; docs/simulation.md, "Checks").  A check
 *     whose target the problem records as unmeetable with the catalog's
 *     figures (AbCheck.unmeetable) reads "fail" with the reason but does
 *     not count against "solved".
 *
 * The checks come from the analytical model (synchronous, well under a
 * millisecond for the shipped references: fine on the main thread) or from
 * the discrete-event simulation (seconds: run it in a GTask).  With the DES
 * a latency check whose bound lies inside the 95 % confidence interval of
 * the measured percentile reads "too close to call", which is not a pass.
 *
 * Typical use from the app:
 *
 *   g_autoptr(AbVerdict) v = ab_verdict_compute (problem, design, NULL, NULL, &error);
 *   if (v->solved) ... show the badge ...
 *   for (guint i = 0; i < v->performance->len; i++)
 *     {
 *       const AbCheck *c = g_ptr_array_index (v->performance, i);
 *       ... c->sentence, c->verdict ...
 *     }
 *
 * and, when a DES run of a scenario that has "normal" (and "peak") phases
 * finished in the background, ab_verdict_checks_des() gives the same
 * checks from it without simulating again. */
#pragma once

#include <gio/gio.h>

#include "ab-cost.h"
#include "ab-des.h"
#include "ab-design.h"
#include "ab-model.h"
#include "ab-problem.h"
#include "ab-route.h"
#include "ab-scenario.h"
#include "ab-tiers.h"
#include "ab-workload.h"

G_BEGIN_DECLS

typedef enum {
  AB_VERDICT_MODEL = 0,   /* the analytical model: instant, deterministic */
  AB_VERDICT_DES          /* the discrete-event simulation of the normal /
                             peak scenario: seconds, with confidence
                             intervals */
} AbVerdictMethod;

typedef struct {
  AbVerdictMethod  method;
  guint64          seed;            /* DES; 0: AB_SCENARIO_DEFAULT_SEED */
  guint64          budget;          /* DES sample budget; 0: the default */
  double           read_rps;        /* < 0: the problem's */
  double           write_rps;       /* < 0: the problem's */
  double           peak_multiplier; /* <= 0: the problem's */
  const AbPricing *pricing;         /* NULL: AB_PRICING_DEFAULT */
  GCancellable    *cancellable;     /* DES only */
} AbVerdictOptions;

/* Defaults: the model, the problem's rates and peak, default pricing. */
void ab_verdict_options_init (AbVerdictOptions *options);

typedef struct {
  char *component;   /* id of the design's component */
  char *reason;      /* translated: "no client reaches it", or for an
                        overloaded component "offered 104 times what its
                        4 instances can do in the normal phase" */
} AbUnreached;

typedef struct {
  AbTiersReport *tiers;
  gboolean       tiers_pass;       /* every tier passes */
  gboolean       connected;        /* every component is reached */
  GPtrArray     *unreached;        /* of AbUnreached*, in design order */
  /* FALSE when the design cannot be simulated (no client, a loop of
   * synchronous calls): then @performance is empty and @not_simulated
   * says why (translated) */
  gboolean       simulated;
  char          *not_simulated;
  /* every component keeps up with its load in the normal phase (the
   * analytical model, autoscaling applied): a component offered more than
   * it can do, even off the request path (replication, background work),
   * queues without bound, so the design is not solved */
  gboolean       keeps_up;
  GPtrArray     *overloaded;       /* of AbUnreached*, in design order */
  GPtrArray     *performance;      /* of AbCheck*, the problem's order */
  gboolean       performance_pass; /* every check reads AB_CHECK_PASS, or
                                      fails a target recorded unmeetable */
  gboolean       solved;           /* tiers_pass && connected && keeps_up &&
                                      performance_pass */
  /* why it is not solved, one translated phrase per reason, in the order
   * tiers, connection, load, checks ("tier T2: Replicas fails", "cache: no
   * client reaches it", "P95 of reads in the normal phase is 80 ms: over
   * the 50 ms asked"); empty when solved */
  GPtrArray     *reasons;          /* of char* */
  /* how many times the analytical model was evaluated: once per distinct
   * rate multiplier (for tests) */
  guint          model_evaluations;
} AbVerdict;

/* The verdict on @design for @problem (@options may be NULL for the
 * defaults).  Returns NULL only when the DES was cancelled
 * (G_IO_ERROR_CANCELLED) or could not run (AB_ERROR_INVALID); a design
 * that cannot be simulated still gets a verdict (not solved).
 * Thread-safe: @design is only read (hand a worker thread a copy). */
AbVerdict *ab_verdict_compute        (const AbProblem        *problem,
                                      AbDesign               *design,
                                      const AbVerdictOptions *options,
                                      GError                **error);
void       ab_verdict_free           (AbVerdict              *verdict);

/* "Solved", or "Not solved yet: " and the reasons joined by "; "
 * (translated). */
char      *ab_verdict_to_string      (const AbVerdict        *verdict);

/* Which stations traffic reaches: per station of @network, TRUE when a
 * request from a client (an entry with a rate, or a station generating its
 * own work) can arrive there along calls that can be made.  g_free it. */
gboolean  *ab_verdict_reached        (const AbNetwork        *network);

/* Whether the requests end at once (docs/simulation.md, "Checks"): per
 * class, TRUE when a request of it, from the clients and along the calls
 * it waits for (synchronous, made with a chance above 0), reaches no
 * station but clients and load balancers: no component that does the work
 * (a server, cache, queue, store...).  Fills @ends[AB_CLASS_READ] and
 * [AB_CLASS_WRITE], and [AB_N_CLASSES] with whether that holds for some
 * class with a rate (for some class at all when none has one). */
void       ab_verdict_ends_at_once   (const AbNetwork        *network,
                                      gboolean                ends[AB_N_CLASSES + 1]);
/* Whether every class with a rate ends at once (and some class has one):
 * nothing the simulation says of the design is a result of it (the
 * window shows a hint to connect a server instead). */
gboolean   ab_verdict_all_end_at_once (const AbNetwork       *network);

/* The performance checks by the analytical model: the normal phase at
 * multiplier 1 and the peak at @workload's peak multiplier, autoscaling at
 * its steady state.  Array of AbCheck*. */
GPtrArray *ab_verdict_checks_model   (const AbProblem        *problem,
                                      const AbNetwork        *network,
                                      const AbWorkload       *workload,
                                      const AbPricing        *pricing);
/* The performance checks from a finished DES run @des of @scenario on
 * @network: its phases named "normal" and "peak" (a check whose phase the
 * scenario lacks reads AB_CHECK_NOT_JUDGED).  Array of AbCheck*. */
GPtrArray *ab_verdict_checks_des     (const AbProblem        *problem,
                                      const AbNetwork        *network,
                                      const AbWorkload       *workload,
                                      const AbPricing        *pricing,
                                      const AbScenario       *scenario,
                                      const AbDesResult      *des);

/* The latency quantile of a model result (bisection on its CDF), for
 * @klass (AB_CLASS_READ, AB_CLASS_WRITE or AB_N_CLASSES for all). */
double     ab_verdict_model_quantile (const AbModelResult    *result,
                                      int                     klass,
                                      double                  q);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AbVerdict, ab_verdict_free)

G_END_DECLS
