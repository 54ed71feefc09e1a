/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Workload with overrides, and checks against a problem's targets. */
#define G_LOG_DOMAIN "archboard-workload"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "ab-format.h"
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
    out->peak_multiplier = AB_WORKLOAD_DEFAULT_PEAK;
  if (read_rps_override >= 0.0)
    out->read_rps = read_rps_override;
  if (write_rps_override >= 0.0)
    out->write_rps = write_rps_override;
  if (!(out->peak_multiplier > 0.0))
    out->peak_multiplier = AB_WORKLOAD_DEFAULT_PEAK;
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
  g_free (check->sentence);
  g_free (check->unmeetable);
  g_free (check);
}

const char *
ab_check_phase_to_string (AbCheckPhase phase)
{
  return phase == AB_CHECK_PHASE_PEAK ? "peak" : "normal";
}

const char *
ab_check_verdict_to_string (AbCheckVerdict verdict)
{
  switch (verdict)
    {
    case AB_CHECK_PASS:
      return "pass";
    case AB_CHECK_FAIL:
      return "fail";
    case AB_CHECK_TOO_CLOSE:
      return "too_close_to_call";
    case AB_CHECK_NOT_JUDGED:
    default:
      return "not_judged";
    }
}

AbCheckPhase
ab_target_check_phase (const AbTarget *target)
{
  g_autofree char *text = NULL;
  char *comma;

  g_return_val_if_fail (target != NULL, AB_CHECK_PHASE_NORMAL);

  if (target->phase != NULL)
    return g_str_equal (target->phase, "peak") ? AB_CHECK_PHASE_PEAK : AB_CHECK_PHASE_NORMAL;
  /* the figure of a requirement is its first clause: "10k orders/sec
   * peak" speaks of the peak, "100M transactions/sec, 1B during market
   * events" of the normal load (its second figure gives the peak) */
  text = g_ascii_strdown (target->text != NULL ? target->text : "", -1);
  comma = strchr (text, ',');
  if (comma != NULL)
    *comma = '\0';
  if (strstr (text, "peak") != NULL || strstr (text, "during") != NULL
      || strstr (text, "burst") != NULL || strstr (text, "spike") != NULL)
    return AB_CHECK_PHASE_PEAK;
  return AB_CHECK_PHASE_NORMAL;
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
           AbCheckPhase    phase,
           const char     *what,
           const char     *unit,
           double          value,
           double          bound)
{
  AbCheck *check = g_new0 (AbCheck, 1);

  check->target = g_strdup (target->text != NULL ? target->text : "");
  check->label = g_strdup (target->label != NULL ? target->label : "");
  check->what = g_strdup (what);
  check->unit = g_strdup (unit);
  check->type = target->type;
  check->klass = AB_N_CLASSES;
  check->phase = phase;
  check->value = value;
  check->bound = bound;
  check->ci_low = NAN;
  check->ci_high = NAN;
  check->lost = -1.0;
  check->unmeetable = g_strdup (target->unmeetable);
  return check;
}

static void
check_judge (AbCheck  *check,
             gboolean  pass)
{
  check->verdict = pass ? AB_CHECK_PASS : AB_CHECK_FAIL;
  check->pass = pass;
}

/* A number for a sentence: whole and grouped from 100 on, else three
 * significant digits ("12,300", "18.3", "0.125"). */
static char *
format_number (double value)
{
  return fabs (value) >= 100.0 ? ab_format_count (value) : g_strdup_printf ("%.3g", value);
}

/* A value with its unit for a sentence ("12.0 ms", "99.95 %", "$840 a month"); @given for the bound a problem asks for ("12 ms"). */
static char *
format_value (const AbCheck *check,
              double         value,
              gboolean       given)
{
  g_autofree char *number = NULL;

  if (!isfinite (value))
    return g_strdup (_("unbounded"));
  /* as the results panel, the report and archboard-cli write them */
  if (check->type == AB_TARGET_AVAILABILITY)
    return given ? ab_format_availability_given (value) : ab_format_availability (value);
  if (check->type == AB_TARGET_RATE)
    return ab_format_class_rate (value, check->klass);
  if (check->type == AB_TARGET_BUDGET)
    {
      number = format_number (value);
      /* TRANSLATORS: a cost; %s is the number of US dollars */
      return g_strdup_printf (_("$%s a month"), number);
    }
  return given ? ab_format_latency_given (value) : ab_format_latency (value);
}

/* Why a check is not judged, when its phase is there. */
typedef enum {
  NOT_JUDGED_NO_PHASE = 0,  /* the run has no such phase */
  NOT_JUDGED_UNFINISHED,    /* none of the phase's requests finished within
                               what the simulation covered of it */
  NOT_JUDGED_ENDS_AT_ONCE   /* the requests reach no component that does
                               the work (AbCheckInput.ends_at_once) */
} NotJudgedWhy;

static char *
ends_at_once_sentence (const AbCheck *check)
{
  int klass = check->type == AB_TARGET_LATENCY || check->type == AB_TARGET_RATE ? check->klass : AB_N_CLASSES;

  if (klass == AB_CLASS_READ)
    return g_strdup (_("Not judged: the reads end at once, at the client or a load balancer, without reaching "
                       "a component that does the work; connect a server, cache or database to serve them"));
  if (klass == AB_CLASS_WRITE)
    return g_strdup (_("Not judged: the writes end at once, at the client or a load balancer, without reaching "
                       "a component that does the work; connect a server, queue or database to take them"));
  return g_strdup (_("Not judged: the requests end at once, at the client or a load balancer, without reaching "
                     "a component that does the work; connect a server, cache or database to serve them"));
}

static void
check_describe (AbCheck      *check,
                const char   *phase_name,
                NotJudgedWhy  why)
{
  g_autofree char *value = format_value (check, check->value, FALSE);
  g_autofree char *bound = format_value (check, check->bound, TRUE);
  g_autofree char *head = NULL;

  switch (check->type)
    {
    case AB_TARGET_LATENCY:
      /* TRANSLATORS: "P95 of reads in the normal phase is 12 ms" */
      head = g_strdup_printf (_("%s in the %s phase is %s"), check->what, phase_name, value);
      break;
    case AB_TARGET_RATE:
      /* TRANSLATORS: "Served 1,000,000 writes/s in the normal phase" */
      head = g_strdup_printf (_("Served %s in the %s phase"), value, phase_name);
      break;
    case AB_TARGET_AVAILABILITY:
      head = g_strdup_printf (_("Estimated availability is %s"), value);
      break;
    case AB_TARGET_LAG:
      if (isfinite (check->value))
        /* TRANSLATORS: "Background work in the normal phase lags 42 ms behind the requests that start it, where it is slowest" */
        head = g_strdup_printf (_("Background work in the %s phase lags %s behind the requests that start it, where it is slowest"),
                                phase_name, value);
      else
        /* TRANSLATORS: all of it failed: no lag was measured; %s is "normal" or "peak" */
        head = g_strdup_printf (_("Background work in the %s phase never finishes"), phase_name);
      break;
    case AB_TARGET_BUDGET:
    default:
      head = g_strdup_printf (_("Costs %s"), value);
      break;
    }

  if (check->type == AB_TARGET_LAG && check->verdict != AB_CHECK_NOT_JUDGED && check->lost >= 0.0)
    {
      g_autofree char *lost = ab_format_percent (check->lost, check->lost < 0.1 ? 1 : 0);

      if (check->lost > AB_CHECK_BACKGROUND_LOST_SHARE)
        {
          /* TRANSLATORS: "Background work in the normal phase lags 42 ms behind
           * the requests that start it, but 12 % of it is lost: lost work is
           * never fresh (100 ms asked)" */
          check->sentence = g_strdup_printf (_("%s, but %s of it is lost: lost work is never fresh (%s asked)"),
                                             head, lost, bound);
          return;
        }
    }
  if (check->type == AB_TARGET_LAG && check->verdict != AB_CHECK_NOT_JUDGED && check->growth > 0.0)
    {
      g_autofree char *rate = ab_format_latency (check->growth);

      /* TRANSLATORS: "Background work in the normal phase lags 2.5 s behind
       * the requests that start it, where it is slowest, and the lag keeps
       * growing, by 250 ms every second (100 ms asked)" */
      check->sentence = g_strdup_printf (_("%s, and the lag keeps growing, by %s every second (%s asked)"),
                                         head, rate, bound);
      return;
    }
  if (check->type == AB_TARGET_LAG && check->verdict == AB_CHECK_PASS && check->lost < 0.0)
    {
      /* TRANSLATORS: %s is the bound asked, "100 ms" */
      check->sentence = g_strdup_printf (_("No background work: every change is applied while the user waits, "
                                           "so nothing lags (%s asked)"), bound);
      return;
    }

  switch (check->verdict)
    {
    case AB_CHECK_PASS:
      check->sentence = check->type == AB_TARGET_RATE
                        /* TRANSLATORS: "Served 1,200 writes/s in the peak phase: keeps up with the 1,200 writes/s asked" */
                        ? g_strdup_printf (_("%s: keeps up with the %s asked"), head, bound)
                        : check->type == AB_TARGET_BUDGET
                        ? g_strdup_printf (_("%s: within the budget of %s"), head, bound)
                        : check->type == AB_TARGET_AVAILABILITY
                        ? g_strdup_printf (_("%s: meets the %s asked"), head, bound)
                        : g_strdup_printf (_("%s: within the %s asked"), head, bound);
      if (check->type == AB_TARGET_RATE && check->unmeetable != NULL)
        {
          /* a rate met in its phase whose requirement also names a peak
           * the problem records as unmeetable ("100M transactions/sec,
           * 1B during market events"): the pass covers only the part
           * judged, and the sentence says what was left out and why */
          g_autofree char *s = check->sentence;
          /* TRANSLATORS: the reason is the problem's note why no design meets the rest of the
           * requirement, e.g. its peak: "Served 100,000,000 requests/s in the normal phase: keeps up
           * with the 100,000,000 requests/s asked; the rest of the requirement is not judged, as no
           * design can meet it with the catalog's figures: 1B transactions/s during market events
           * (10x) need about 893k ..." */
          check->sentence = g_strdup_printf (_("%s; the rest of the requirement is not judged, as no design "
                                               "can meet it with the catalog's figures: %s"),
                                             s, check->unmeetable);
        }
      break;
    case AB_CHECK_FAIL:
      check->sentence = check->type == AB_TARGET_RATE
                        ? g_strdup_printf (_("%s: does not keep up with the %s asked"), head, bound)
                        : check->type == AB_TARGET_BUDGET
                        ? g_strdup_printf (_("%s: over the budget of %s"), head, bound)
                        : check->type == AB_TARGET_AVAILABILITY
                        ? g_strdup_printf (_("%s: below the %s asked"), head, bound)
                        : g_strdup_printf (_("%s: over the %s asked"), head, bound);
      if (check->unmeetable != NULL)
        {
          g_autofree char *s = check->sentence;
          /* TRANSLATORS: the reason is the problem's note why no design meets the target */
          check->sentence = g_strdup_printf (_("%s (no design can meet it with the catalog's figures: %s)"),
                                             s, check->unmeetable);
        }
      break;
    case AB_CHECK_TOO_CLOSE:
      {
        g_autofree char *lo = format_value (check, check->ci_low, FALSE);
        g_autofree char *hi = format_value (check, check->ci_high, FALSE);

        if (!isfinite (check->ci_high))
          /* TRANSLATORS: a lag the run could not put an interval on: "Background work ... lags 38 ms ...
           * where it is slowest: too close to call: too few finished in the simulation to bound it,
           * against the 50 ms asked" */
          check->sentence = g_strdup_printf (_("%s: too close to call: too few finished in the simulation "
                                               "to bound it, against the %s asked"), head, bound);
        else
          /* TRANSLATORS: "...: too close to call: the simulation puts it between 48 ms and 53 ms, around the 50 ms asked" */
          check->sentence = g_strdup_printf (_("%s: too close to call: the simulation puts it between %s and %s, "
                                               "around the %s asked"), head, lo, hi, bound);
      }
      break;
    case AB_CHECK_NOT_JUDGED:
    default:
      if (why == NOT_JUDGED_ENDS_AT_ONCE)
        {
          check->sentence = ends_at_once_sentence (check);
          break;
        }
      check->sentence = why == NOT_JUDGED_UNFINISHED
                        /* TRANSLATORS: %s is a phase name, "normal" */
                        ? g_strdup_printf (_("Not judged: none of the %s phase's requests finished within "
                                             "the part of it the simulation's sample budget covered; "
                                             "raise the budget"), phase_name)
                        : g_strdup_printf (_("Not judged: this run has no %s phase"), phase_name);
      break;
    }
}

/* The rate check of one class (@klass AB_CLASS_READ, AB_CLASS_WRITE or
 * AB_N_CLASSES for all requests) against @asked of it per second. */
static AbCheck *
rate_check (const AbTarget          *t,
            AbCheckPhase             phase,
            const AbCheckPhaseInput *in,
            int                      klass,
            double                   asked)
{
  double offered = in->offered_rps[klass];
  double served = in->served_rps[klass];
  double want = asked > 0.0 ? asked : offered;
  AbCheck *check;

  /* judged in the peak: held to what the peak offers of the class (the
   * requirement's peak figure), not to its first figure, which is the
   * normal rate in "100M transactions/sec, 1B during market events" */
  if (phase == AB_CHECK_PHASE_PEAK && in->present && offered > want)
    want = offered;
  check = check_new (t, phase,
                     klass == AB_CLASS_READ ? _("reads served per second")
                     : klass == AB_CLASS_WRITE ? _("writes served per second")
                     : _("requests served per second"), "req/s", served, want);
  check->klass = klass;
  /* "Rate sustained": the phase offers at least the rate asked of the
   * class and serves at least AB_CHECK_RATE_SERVED_SHARE of it (1 % for
   * the statistical noise of a simulation and the requests in flight at
   * a phase's edges). */
  if (in->present)
    {
      double bound = AB_CHECK_RATE_SERVED_SHARE * MIN (want, offered);
      double lo = in->error_ci_low[klass], hi = in->error_ci_high[klass];

      /* the served rate's interval, from the error rate's (the DES) */
      if (isfinite (lo) && isfinite (hi) && lo < hi)
        {
          check->ci_low = offered * (1.0 - hi);
          check->ci_high = offered * (1.0 - lo);
        }
      if (offered >= AB_CHECK_RATE_SERVED_SHARE * want && isfinite (check->ci_low)
          && check->ci_low <= bound && bound <= check->ci_high)
        {
          check->verdict = AB_CHECK_TOO_CLOSE;
          check->pass = FALSE;
        }
      else
        check_judge (check, served >= bound && offered >= AB_CHECK_RATE_SERVED_SHARE * want);
    }
  else
    check->verdict = AB_CHECK_NOT_JUDGED;
  return check;
}

/* The freshness check: the mean processing lag of background work at its
 * slowest end (ab_lag_slowest_end) within the bound, and (at most AB_CHECK_BACKGROUND_LOST_SHARE of) it not lost.
 * A design without background work passes: every change is made before
 * the user's request returns, so nothing lags (docs/simulation.md,
 * "Checks"). */
static AbCheck *
lag_check (const AbTarget          *t,
           AbCheckPhase             phase,
           const AbCheckPhaseInput *in)
{
  AbCheck *check = check_new (t, phase, _("processing lag of the slowest background work"), "ms",
                              NAN, t->bound_ms);

  check->lost = -1.0;
  if (!in->present)
    {
      check->verdict = AB_CHECK_NOT_JUDGED;
      return check;
    }
  if (!in->background)
    {
      check->value = 0.0;
      check_judge (check, TRUE);
      return check;
    }
  check->value = in->lag_ms;
  check->ci_low = in->lag_ci_low;
  check->ci_high = in->lag_ci_high;
  check->lost = isfinite (in->background_error_rate) ? CLAMP (in->background_error_rate, 0.0, 1.0) : 1.0;
  check->growth = in->lag_growth > 0.0 ? in->lag_growth : 0.0;
  if (check->lost > AB_CHECK_BACKGROUND_LOST_SHARE || check->growth > 0.0)
    check_judge (check, FALSE);
  /* (an interval the run could not estimate reaches to infinity: any
   * bound above its low end is too close to call) */
  else if (isfinite (check->ci_low) && !isnan (check->ci_high) && check->ci_low < check->ci_high
           && check->ci_low <= t->bound_ms && t->bound_ms <= check->ci_high)
    {
      check->verdict = AB_CHECK_TOO_CLOSE;
      check->pass = FALSE;
    }
  else
    check_judge (check, isfinite (check->value) && check->value <= t->bound_ms);
  return check;
}

static const char *
phase_name (AbCheckPhase phase)
{
  return phase == AB_CHECK_PHASE_PEAK ? _("peak") : _("normal");
}

/* Whether @check measures requests that end at once (@input's
 * ends_at_once): their latency, their rate, the availability of what
 * serves them, and the lag of a design without background work (nothing
 * applies the changes, so nothing could lag) */
static gboolean
check_ends_at_once (const AbCheck      *check,
                    const AbCheckInput *input)
{
  switch (check->type)
    {
    case AB_TARGET_LATENCY:
    case AB_TARGET_RATE:
      return input->ends_at_once[CLAMP (check->klass, 0, AB_N_CLASSES)];
    case AB_TARGET_AVAILABILITY:
      return input->ends_at_once[AB_N_CLASSES];
    case AB_TARGET_LAG:
      return input->ends_at_once[AB_N_CLASSES] && !input->phases[check->phase].background;
    case AB_TARGET_BUDGET:
    default:
      /* what the components cost is what they cost */
      return FALSE;
    }
}

/* Gives @check its sentence, after reading it "not judged" when it
 * measures requests that end at once. */
static void
check_finish (AbCheck            *check,
              const AbCheckInput *input)
{
  NotJudgedWhy why = input->phases[check->phase].unfinished ? NOT_JUDGED_UNFINISHED : NOT_JUDGED_NO_PHASE;

  if (check_ends_at_once (check, input))
    {
      check->verdict = AB_CHECK_NOT_JUDGED;
      check->pass = FALSE;
      check->value = NAN;
      check->ci_low = NAN;
      check->ci_high = NAN;
      check->lost = -1.0;
      check->growth = 0.0;
      check->ends_at_once = TRUE;
      why = NOT_JUDGED_ENDS_AT_ONCE;
    }
  check_describe (check, phase_name (check->phase), why);
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
      AbCheckPhase phase = ab_target_check_phase (t);
      const AbCheckPhaseInput *in = &input->phases[phase];
      AbCheck *check = NULL;
      AbCheck *second = NULL;   /* a split rate's writes */

      switch (t->type)
        {
        case AB_TARGET_LATENCY:
          if (t->bound_ms > 0.0)
            {
              int klass = target_class (t);
              double pct = t->percentile > 0.0 ? t->percentile : 95.0;
              g_autofree char *what = NULL;

              /* TRANSLATORS: "P95 of reads" */
              what = g_strdup_printf (klass == AB_CLASS_READ ? _("P%g of reads")
                                      : klass == AB_CLASS_WRITE ? _("P%g of writes")
                                      : _("P%g of all requests"), pct);
              check = check_new (t, phase, what, "ms", NAN, t->bound_ms);
              check->klass = klass;
              if (in->present && in->quantile != NULL)
                {
                  check->value = in->quantile (in->quantile_data, klass, pct / 100.0,
                                               &check->ci_low, &check->ci_high);
                  if (isfinite (check->ci_low) && isfinite (check->ci_high)
                      && check->ci_low <= t->bound_ms && t->bound_ms <= check->ci_high
                      && check->ci_low < check->ci_high)
                    {
                      check->verdict = AB_CHECK_TOO_CLOSE;
                      check->pass = FALSE;
                    }
                  else
                    check_judge (check, isfinite (check->value) && check->value <= t->bound_ms);
                }
              else
                check->verdict = AB_CHECK_NOT_JUDGED;
            }
          break;
        case AB_TARGET_RATE:
          switch (ab_target_rate_class (t))
            {
            case AB_RATE_SPLIT:
              /* each class held to its own figure, one check each: a
               * design that serves every read but drops writes fails
               * "1k writes/sec" however many reads it serves */
              check = rate_check (t, phase, in, AB_CLASS_READ, t->read_rps);
              second = rate_check (t, phase, in, AB_CLASS_WRITE, t->write_rps);
              break;
            case AB_RATE_READS:
              check = rate_check (t, phase, in, AB_CLASS_READ, t->value);
              break;
            case AB_RATE_WRITES:
              check = rate_check (t, phase, in, AB_CLASS_WRITE, t->value);
              break;
            case AB_RATE_ALL:
            default:
              check = rate_check (t, phase, in, AB_N_CLASSES, t->value);
              break;
            }
          break;
        case AB_TARGET_AVAILABILITY:
          if (t->value > 0.0)
            {
              check = check_new (t, AB_CHECK_PHASE_NORMAL, _("estimated availability"), "fraction",
                                 input->availability, t->value);
              check_judge (check, input->availability >= t->value);
            }
          break;
        case AB_TARGET_LAG:
          if (t->bound_ms > 0.0)
            check = lag_check (t, phase, in);
          break;
        case AB_TARGET_BUDGET:
          if (t->value > 0.0)
            {
              check = check_new (t, phase, _("cost per month"), "$/month", in->cost_per_month, t->value);
              if (in->present)
                check_judge (check, in->cost_per_month <= t->value);
              else
                check->verdict = AB_CHECK_NOT_JUDGED;
            }
          break;
        default:
          break;
        }
      if (check != NULL)
        {
          check_finish (check, input);
          g_ptr_array_add (checks, check);
        }
      if (second != NULL)
        {
          check_finish (second, input);
          g_ptr_array_add (checks, second);
        }
    }
  return checks;
}

char *
ab_check_title (GPtrArray *checks,
                guint      index)
{
  const AbCheck *check;
  gboolean shared = FALSE;

  g_return_val_if_fail (checks != NULL && index < checks->len, NULL);

  check = g_ptr_array_index (checks, index);
  for (guint i = 0; i < checks->len && !shared; i++)
    shared = i != index && g_strcmp0 (((const AbCheck *) g_ptr_array_index (checks, i))->target,
                                      check->target) == 0;
  if (!shared || (check->klass != AB_CLASS_READ && check->klass != AB_CLASS_WRITE))
    return g_strdup (check->target);
  return g_strdup_printf (check->klass == AB_CLASS_READ
                          /* Translators: the title of a check of the reads a
                           * requirement asks for, when it asks for reads and
                           * writes apart: "10k reads/sec, 1k writes/sec (reads)" */
                          ? _("%s (reads)")
                          /* Translators: as "%s (reads)", for the writes */
                          : _("%s (writes)"), check->target);
}
