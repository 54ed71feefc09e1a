/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Workload with overrides, and checks against a problem's targets. */
#define G_LOG_DOMAIN "archboard-workload"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ab-network.h"
#include "ab-workload.h"

void
ab_workload_init (AbWorkload      *out,
                  const AbProblem *problem,
                  double           read_rps_override,
                  double           write_rps_override)
{
  g_return_if_fail (out != NULL);

  memset (out, 0, sizeof *out);
  if (problem != NULL)
    *out = problem->workload;
  else
    out->peak_multiplier = 10.0;
  if (read_rps_override >= 0.0)
    out->read_rps = read_rps_override;
  if (write_rps_override >= 0.0)
    out->write_rps = write_rps_override;
  if (!(out->peak_multiplier > 0.0))
    out->peak_multiplier = 10.0;
}

void
ab_check_free (AbCheck *check)
{
  if (check == NULL)
    return;
  g_free (check->target);
  g_free (check->label);
  g_free (check->what);
  g_free (check->unit);
  g_free (check);
}

/* Which class a latency target speaks of, from its wording. */
static int
target_class (const AbTarget *target)
{
  static const char *const reads[] = { "read", "quer", "lookup", "redirect", "get", "fetch",
                                       "search", "view", "load", "download", "serv", NULL };
  static const char *const writes[] = { "write", "upload", "insert", "creat", "post", "publish",
                                        "ingest", "update", "order", "put", "send", NULL };
  g_autofree char *text = g_ascii_strdown (target->applies_to != NULL ? target->applies_to : "", -1);

  if (*text == '\0' || strstr (text, "all") != NULL || strstr (text, "request") != NULL)
    return AB_N_CLASSES;
  for (int i = 0; reads[i] != NULL; i++)
    if (strstr (text, reads[i]) != NULL)
      return AB_CLASS_READ;
  for (int i = 0; writes[i] != NULL; i++)
    if (strstr (text, writes[i]) != NULL)
      return AB_CLASS_WRITE;
  return AB_N_CLASSES;
}

static AbCheck *
check_new (const AbTarget *target,
           const char     *what,
           const char     *unit,
           double          value,
           double          bound,
           gboolean        pass)
{
  AbCheck *check = g_new0 (AbCheck, 1);

  check->target = g_strdup (target->text != NULL ? target->text : "");
  check->label = g_strdup (target->label != NULL ? target->label : "");
  check->what = g_strdup (what);
  check->unit = g_strdup (unit);
  check->value = value;
  check->bound = bound;
  check->pass = pass;
  return check;
}

GPtrArray *
ab_checks_evaluate (const AbProblem    *problem,
                    const AbCheckInput *input)
{
  GPtrArray *checks = g_ptr_array_new_with_free_func ((GDestroyNotify) ab_check_free);

  g_return_val_if_fail (problem != NULL && input != NULL, checks);

  for (guint i = 0; problem->nonfunctional != NULL && i < problem->nonfunctional->len; i++)
    {
      const AbTarget *t = g_ptr_array_index (problem->nonfunctional, i);

      switch (t->type)
        {
        case AB_TARGET_LATENCY:
          if (input->quantile != NULL && t->bound_ms > 0.0)
            {
              static const char *const names[] = { "reads", "writes", "all requests" };
              int klass = target_class (t);
              double pct = t->percentile > 0.0 ? t->percentile : 95.0;
              double value = input->quantile (input->quantile_data, klass, pct / 100.0);
              g_autofree char *what = g_strdup_printf ("P%g of %s", pct, names[klass]);

              g_ptr_array_add (checks, check_new (t, what, "ms", value, t->bound_ms,
                                                  isfinite (value) && value <= t->bound_ms));
            }
          break;
        case AB_TARGET_RATE:
          {
            double want = t->read_rps + t->write_rps > 0.0 ? t->read_rps + t->write_rps : t->value;
            if (want <= 0.0)
              want = input->offered_rps;
            /* served must keep up with what is offered (1 % slack for
             * the statistical noise of a simulation) */
            g_ptr_array_add (checks, check_new (t, "requests served per second", "req/s",
                                                input->served_rps, want,
                                                input->served_rps >= 0.99 * MIN (want, input->offered_rps)
                                                && input->offered_rps >= 0.99 * want));
          }
          break;
        case AB_TARGET_AVAILABILITY:
          if (t->value > 0.0)
            g_ptr_array_add (checks, check_new (t, "estimated availability", "fraction",
                                                input->availability, t->value,
                                                input->availability >= t->value));
          break;
        case AB_TARGET_BUDGET:
          if (t->value > 0.0)
            g_ptr_array_add (checks, check_new (t, "cost per month", "$/month",
                                                input->cost_per_month, t->value,
                                                input->cost_per_month <= t->value));
          break;
        default:
          break;
        }
    }
  return checks;
}
