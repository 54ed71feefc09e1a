/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbSimRunner: the window's live simulation.  On every change of the
 * design or of the scenario options the analytical model is evaluated at
 * once (a new AbSimResults with its model summary); after a short
 * debounce the immutable setup built from that snapshot goes to a worker
 * thread (GTask + GCancellable) for the discrete-event simulation; a newer
 * change cancels the older run.  Finished time buckets stream to the main
 * thread as they come ("point-added" on the results) and the DES summary
 * replaces the model's when the run ends.  Results of a cancelled run are
 * never shown: each run writes only into its own AbSimResults object, and
 * the runner's "results" is always the one of the current design.
 * GLib only: no widget here computes a figure. */
#pragma once

#include <gio/gio.h>

#include "ab-design.h"
#include "ab-problem.h"
#include "ab-sim-summary.h"

G_BEGIN_DECLS

/* ---- AbSimResults: one run of one design snapshot ---- */

#define AB_TYPE_SIM_RESULTS (ab_sim_results_get_type ())
G_DECLARE_FINAL_TYPE (AbSimResults, ab_sim_results, AB, SIM_RESULTS, GObject)

/* NULL when the design cannot be simulated (see get_error). */
AbSimSetup         *ab_sim_results_get_setup    (AbSimResults *self);
/* Why the design cannot be simulated ("the design has no client: ..."),
 * or NULL. */
const char         *ab_sim_results_get_error    (AbSimResults *self);
/* The analytical model's summary (NULL with an error). */
const AbSimSummary *ab_sim_results_get_model    (AbSimResults *self);
/* The discrete-event simulation's summary once the run finished, else
 * NULL. */
const AbSimSummary *ab_sim_results_get_des      (AbSimResults *self);
/* The DES summary when there is one, else the model's. */
const AbSimSummary *ab_sim_results_get_summary  (AbSimResults *self);
/* Time-series points received so far (AbSimPoint*, in time order). */
GPtrArray          *ab_sim_results_get_points   (AbSimResults *self);
/* TRUE once the DES run finished (or there is nothing to run). */
gboolean            ab_sim_results_get_complete (AbSimResults *self);
/* 0..1: share of the scenario's timeline simulated so far. */
double              ab_sim_results_get_progress (AbSimResults *self);

/* Signals:
 *   "point-added" (guint index)   a time-series point arrived
 *   notify::complete, notify::progress
 */

/* TRUE when the design has a client but no client calls anything: its
 * requests reach no component, so there is nothing to simulate (the core
 * would count them answered at the client, in no time).  The runner gives
 * such a design no setup, only an error, and the results panel asks for
 * the connection. */
gboolean            ab_sim_design_clients_call_nothing (AbDesign *design);

/* ---- AbSimRunner ---- */

#define AB_SIM_RUNNER_DEBOUNCE_MS 150

#define AB_TYPE_SIM_RUNNER (ab_sim_runner_get_type ())
G_DECLARE_FINAL_TYPE (AbSimRunner, ab_sim_runner, AB, SIM_RUNNER, GObject)

AbSimRunner  *ab_sim_runner_new          (void);
void          ab_sim_runner_set_design   (AbSimRunner *self,
                                          AbDesign    *design);
void          ab_sim_runner_set_problem  (AbSimRunner *self,
                                          AbProblem   *problem);
/* Sets design and problem together (one evaluation). */
void          ab_sim_runner_set_document (AbSimRunner *self,
                                          AbDesign    *design,
                                          AbProblem   *problem);
/* The latest results (of the current design and options), or NULL when
 * there is no design. */
AbSimResults *ab_sim_runner_get_results  (AbSimRunner *self);
gboolean      ab_sim_runner_get_running  (AbSimRunner *self);
/* Starts a run of the current design now (no debounce). */
void          ab_sim_runner_run          (AbSimRunner *self);
/* Cancels the run in progress; the results keep what arrived. */
void          ab_sim_runner_stop         (AbSimRunner *self);

/* Properties (scenario options; each change re-runs):
 *   "scenario"     string: normal, peak, failure or timeline (default)
 *   "fail-target"  string: component id lost in the failure phase, NULL:
 *                  the default (the cache, else the primary)
 *   "fail-one"     boolean: lose one instance instead of the component
 *   "rate-scale"   double: the problem's request rates times this (1)
 *   "seed"         int64: -1 the scenario's default
 *   "budget"       uint64: sample budget, 0 the default
 *   "debounce"     uint: milliseconds before a run starts (150)
 *   "running"      boolean, read-only
 *   "results"      AbSimResults, read-only
 */

G_END_DECLS
