/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Cost of running a design: pricing profiles (JSON files in data/pricing, dated,
 * each figure with its source) and the cost per hour and per month of a
 * network, by component: compute per instance-hour, storage of the
 * dataset per GB-month, per-request and egress charges. */
#pragma once

#include <glib.h>

#include "ab-des.h"
#include "ab-model.h"
#include "ab-network.h"

G_BEGIN_DECLS

#define AB_PRICING_DEFAULT "aws-us-east-1"

typedef struct _AbPricing AbPricing;

/* Profiles shipped with Archboard ("aws-us-east-1", "gcp-us-central1"). */
GStrv       ab_pricing_list_names      (void);
/* A shipped profile by name; NULL and AB_ERROR_NOT_FOUND if unknown. */
AbPricing  *ab_pricing_get_named       (const char  *name,
                                        GError     **error);
AbPricing  *ab_pricing_load_from_data  (const char  *data,
                                        gssize       length,
                                        const char  *filename,
                                        GError     **error);
AbPricing  *ab_pricing_load_from_file  (const char  *path,
                                        GError     **error);
void        ab_pricing_free            (AbPricing   *pricing);

const char *ab_pricing_get_id          (const AbPricing *pricing);
const char *ab_pricing_get_title       (const AbPricing *pricing);
const char *ab_pricing_get_date        (const AbPricing *pricing);
double      ab_pricing_hours_per_month (const AbPricing *pricing);
/* A figure of a kind ("per_hour", "per_gb_month", ...), 0 when absent. */
double      ab_pricing_value           (const AbPricing *pricing,
                                        AbKind           kind,
                                        const char      *name);
/* Where that figure comes from ("URL (title)"), or NULL. */
const char *ab_pricing_source          (const AbPricing *pricing,
                                        AbKind           kind,
                                        const char      *name);

typedef struct {
  double compute;   /* US$ per hour */
  double storage;
  double requests;  /* per-request, LCU and egress charges */
  double total;
} AbCostItem;

typedef struct {
  double      per_hour;
  double      per_month;
  double      hours_per_month;
  guint       n_stations;
  AbCostItem *items;          /* per station */
} AbCost;

/* Cost of @network.  @instances: per station (may be fractional, e.g. a
 * time average) or NULL for the network's; @node_rps: arrivals per
 * (station, class) [station * AB_N_CLASSES + class] or NULL for none;
 * @dataset_bytes is stored once on the system of record (object stores /
 * storage when the design has any, else the primaries, split as shards)
 * plus a copy of its primary's share on every replica. */
AbCost     *ab_cost_compute            (const AbPricing *pricing,
                                        const AbNetwork *network,
                                        const double    *instances,
                                        const double    *node_rps,
                                        double           dataset_bytes);
void        ab_cost_free               (AbCost          *cost);

/* Cost of the state the model computed in @result (its instance counts,
 * autoscaled ones included, and its arrival rates). */
AbCost     *ab_cost_for_model          (const AbPricing      *pricing,
                                        const AbNetwork      *network,
                                        const AbModelResult  *result,
                                        double                dataset_bytes);
/* Cost of a stretch of a simulation: @stations (n_stations) are its
 * station statistics (time-averaged instances, completions); the
 * completions are split into classes by the class mix of each station in
 * @mix, a model result of the same moment. */
AbCost     *ab_cost_for_des            (const AbPricing          *pricing,
                                        const AbNetwork          *network,
                                        const AbDesStationStats  *stations,
                                        const AbModelResult      *mix,
                                        double                    dataset_bytes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AbPricing, ab_pricing_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AbCost, ab_cost_free)

G_END_DECLS
