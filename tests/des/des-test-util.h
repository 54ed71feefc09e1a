/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the DES tests: small hand-built networks and the
 * closed forms of M/M/c queues. */
#pragma once

#include <math.h>

#include "ab-sim-api.h"

/* A chain of @n stations, each with @c slots on one instance and mean
 * service @service_ms, read rate @rate entering station 0; station i calls
 * station i + 1 synchronously. */
static inline AbNetwork *
des_test_chain (guint n, int c, double service_ms, double rate, AbDist dist)
{
  AbNetwork *net = ab_network_new (n);

  for (guint i = 0; i < n; i++)
    {
      AbStation *st = &net->stations[i];

      st->id = g_strdup_printf ("s%u", i);
      st->kind = AB_KIND_APP;
      st->instances = 1;
      st->concurrency = c;
      st->service_ms[AB_CLASS_READ] = service_ms;
      st->service_ms[AB_CLASS_WRITE] = service_ms;
      st->dist = dist;
      st->cv = 1.0;
      st->failover_to = -1;
      if (i + 1 < n)
        {
          ab_network_add_call (net, (int) i, AB_CLASS_READ, (int) i + 1);
          ab_network_add_call (net, (int) i, AB_CLASS_WRITE, (int) i + 1);
        }
    }
  ab_network_add_entry (net, AB_CLASS_READ, 0, 1.0);
  ab_network_add_entry (net, AB_CLASS_WRITE, 0, 1.0);
  net->rate[AB_CLASS_READ] = rate;
  return net;
}

/* Erlang C through the stable recursion of docs/simulation.md. */
static inline double
des_test_erlang_c (int c, double a)
{
  double b = 1.0;

  for (int k = 1; k <= c; k++)
    b = a * b / (k + a * b);
  return c * b / (c - a * (1.0 - b));
}

static inline double
des_test_mmc_mean (int c, double lambda, double mu)
{
  return 1.0 / mu + des_test_erlang_c (c, lambda / mu) / (c * mu - lambda);
}

static inline double
des_test_mmc_tail (int c, double lambda, double mu, double t)
{
  double C = des_test_erlang_c (c, lambda / mu);
  double theta = c * mu - lambda;

  if (fabs (theta - mu) < 1e-9 * mu)
    return (1.0 - C) * exp (-mu * t) + C * exp (-mu * t) * (1.0 + mu * t);
  return (1.0 - C) * exp (-mu * t) +
         C * (theta * exp (-mu * t) - mu * exp (-theta * t)) / (theta - mu);
}

/* The sojourn-time quantile q, by bisection. */
static inline double
des_test_mmc_quantile (int c, double lambda, double mu, double q)
{
  double lo = 0.0, hi = 1.0 / mu;

  while (des_test_mmc_tail (c, lambda, mu, hi) > 1.0 - q)
    hi *= 2.0;
  for (int i = 0; i < 200; i++)
    {
      double mid = 0.5 * (lo + hi);

      if (des_test_mmc_tail (c, lambda, mu, mid) > 1.0 - q)
        lo = mid;
      else
        hi = mid;
    }
  return 0.5 * (lo + hi);
}

static inline AbScenario *
des_test_scenario (double duration_s, double warmup_s, double bucket_s, guint64 seed)
{
  AbScenario *sc = ab_scenario_new_normal (duration_s);

  sc->warmup_s = warmup_s;
  sc->bucket_s = bucket_s;
  sc->seed = seed;
  return sc;
}
