/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the importer derives from a problem's text: tier rules, structured
 * targets from the non-functional requirements, the workload the simulation
 * runs (with a note on where every figure came from), and the grid layout
 * of the reference solution. */
#define G_LOG_DOMAIN "archboard-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "ab-problem.h"
#include "ab-problem-private.h"

/* ---- tier rules ---- */

AbTierRule *
ab_tier_rule_parse (const char  *text,
                    GError     **error)
{
  g_autoptr(GRegex) must = g_regex_new ("^Must include:\\s*(\\S+)\\s*$", 0, 0, NULL);
  g_autoptr(GRegex) minimum = g_regex_new ("^Minimum\\s+(\\S+)\\s+of type:\\s*(\\S+)\\s*$", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *kind_string = NULL;
  AbTierRule *rule;
  AbKind kind;
  int count = 1;

  if (g_regex_match (must, text, 0, &match))
    kind_string = g_match_info_fetch (match, 1);
  else
    {
      g_autofree char *count_string = NULL;
      guint64 value;

      g_clear_pointer (&match, g_match_info_unref);
      if (!g_regex_match (minimum, text, 0, &match))
        {
          g_set_error (error, AB_ERROR, AB_ERROR_PARSE,
                       /* Translators: the rules' own words are the file's
                        * syntax and stay English */
                       _("unknown tier rule \"%s\" (expected \"Must include: KIND\" or \"Minimum N of type: KIND\")"),
                       text);
          return NULL;
        }
      count_string = g_match_info_fetch (match, 1);
      kind_string = g_match_info_fetch (match, 2);
      if (!g_ascii_string_to_unsigned (count_string, 10, 1, 100000, &value, NULL))
        {
          g_set_error (error, AB_ERROR, AB_ERROR_PARSE,
                       _("bad instance count \"%s\" in tier rule \"%s\" (a whole number from 1 to 100000)"),
                       count_string, text);
          return NULL;
        }
      count = (int) value;
    }

  kind = ab_kind_from_string (kind_string);
  if (kind == AB_KIND_INVALID)
    {
      g_set_error (error, AB_ERROR, AB_ERROR_UNKNOWN_KIND,
                   "unknown component kind \"%s\" in tier rule \"%s\"", kind_string, text);
      return NULL;
    }
  rule = g_new0 (AbTierRule, 1);
  rule->type = g_str_has_prefix (text, "Minimum") ? AB_RULE_MIN_INSTANCES : AB_RULE_MUST_INCLUDE;
  rule->kind = kind;
  rule->count = count;
  rule->text = g_strdup (text);
  return rule;
}

/* ---- quantities ---- */

/* Drops the binary noise of decimal arithmetic: 99.9 / 100 is 0.999. */
static double
round_significant (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buf, sizeof buf, "%.12g", value);
  return g_ascii_strtod (buf, NULL);
}

static double
count_suffix (char c)
{
  switch (c)
    {
    case 'k': case 'K': return 1e3;
    case 'M': return 1e6;
    case 'B': return 1e9;
    case 'T': return 1e12;
    default: return 0;
    }
}

static double
byte_unit (const char *unit)
{
  static const struct { const char *name; double bytes; } units[] = {
    { "KB", 1e3 }, { "MB", 1e6 }, { "GB", 1e9 }, { "TB", 1e12 }, { "PB", 1e15 }, { "EB", 1e18 },
  };
  /* A bare "B" is billions ("1B files"), never bytes. */

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (g_str_has_prefix (unit, units[i].name) &&
        !g_ascii_isalpha (unit[strlen (units[i].name)]))
      return units[i].bytes;
  return 0;
}

typedef struct {
  double value;       /* the count, or bytes when is_bytes */
  gboolean is_bytes;
  const char *rest;   /* the text after the quantity (and unit) */
} Quantity;

/* "10k", "1.5M", "100TB", "1KB", "5000", "1PB+" at *p (after spaces). */
static gboolean
parse_quantity (const char *p,
                Quantity   *q)
{
  char *end;
  double value, bytes, mult;

  while (*p == ' ')
    p++;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  value = g_ascii_strtod (p, &end);
  /* "1,000": a comma followed by exactly three digits groups thousands. */
  while (end[0] == ',' && g_ascii_isdigit (end[1]) && g_ascii_isdigit (end[2]) &&
         g_ascii_isdigit (end[3]) && !g_ascii_isdigit (end[4]))
    {
      value = value * 1000 + g_ascii_strtod (end + 1, NULL);
      end += 4;
    }
  p = end;
  q->is_bytes = FALSE;
  if ((bytes = byte_unit (p)) > 0 || (p[0] == ' ' && (bytes = byte_unit (p + 1)) > 0))
    {
      if (p[0] == ' ')
        p++;
      while (g_ascii_isalpha (*p))
        p++;
      q->is_bytes = TRUE;
      value *= bytes;
    }
  else if ((mult = count_suffix (*p)) > 0 && !g_ascii_isalpha (p[1]))
    {
      value *= mult;
      p++;
    }
  else if (g_ascii_isalpha (*p))
    return FALSE; /* "10ms", "5s": not a plain quantity */
  if (*p == '+')
    p++;
  if (!isfinite (value) || value > AB_MAX_QUANTITY)
    return FALSE;
  q->value = value;
  q->rest = p;
  return TRUE;
}

static GStrv
split_clauses (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, ", ", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *clause = g_strstrip (g_strdup (parts[i]));
      if (*clause != '\0')
        g_strv_builder_add (builder, clause);
    }
  return g_strv_builder_end (builder);
}

/* ---- targets ---- */

static gboolean
parse_latency (AbTarget   *target,
               const char *text)
{
  g_autoptr(GRegex) regex = g_regex_new ("^(?:P(\\d+(?:\\.\\d+)?)\\s*)?<\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|s|us|µs)\\b\\s*(.*)$",
                                         0, 0, NULL);
  g_auto(GStrv) clauses = split_clauses (text);
  double percentile = 0;
  int chosen = -1;
  guint n = g_strv_length (clauses);
  g_autofree double *percentiles = g_new0 (double, n + 1);
  g_autofree double *bounds = g_new0 (double, n + 1);
  g_autoptr(GPtrArray) qualifiers = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GMatchInfo) match = NULL;
      g_autofree char *p = NULL, *bound = NULL, *unit = NULL;
      char *qualifier;

      if (!g_regex_match (regex, clauses[i], 0, &match))
        {
          g_ptr_array_add (qualifiers, NULL);
          continue;
        }
      p = g_match_info_fetch (match, 1);
      bound = g_match_info_fetch (match, 2);
      unit = g_match_info_fetch (match, 3);
      qualifier = g_match_info_fetch (match, 4);
      if (p != NULL && *p != '\0')
        percentile = g_ascii_strtod (p, NULL);
      bounds[i] = g_ascii_strtod (bound, NULL) *
                  (strcmp (unit, "s") == 0 ? 1000.0 : strcmp (unit, "ms") == 0 ? 1.0 : 0.001);
      if (percentile <= 0 || percentile >= 100 || !(bounds[i] > 0 && bounds[i] <= 1e9))
        {
          g_free (qualifier);
          g_ptr_array_add (qualifiers, NULL);
          continue;
        }
      percentiles[i] = percentile;
      if (g_str_has_prefix (qualifier, "for "))
        memmove (qualifier, qualifier + 4, strlen (qualifier + 4) + 1);
      g_ptr_array_add (qualifiers, *qualifier != '\0' ? qualifier : (g_free (qualifier), NULL));
      /* The P95 clause is what the simulation checks; else the first. */
      if (chosen < 0 || (percentiles[chosen] != 95 && percentile == 95))
        chosen = i;
    }
  if (chosen < 0)
    return FALSE;

  target->type = AB_TARGET_LATENCY;
  target->percentile = percentiles[chosen];
  target->bound_ms = bounds[chosen];
  /* "P50 < 1ms, P95 < 3ms, P99 < 10ms for block I/O": the trailing
   * qualifier applies to the bare clauses before it. */
  for (guint i = chosen; i < n && target->applies_to == NULL; i++)
    if (g_ptr_array_index (qualifiers, i) != NULL && (i == (guint) chosen || i + 1 == n))
      target->applies_to = g_strdup (g_ptr_array_index (qualifiers, i));
  if (target->applies_to == NULL)
    target->applies_to = g_strdup ("all");
  return TRUE;
}

typedef enum {
  CLASS_UNKNOWN,
  CLASS_READ,
  CLASS_WRITE,
  CLASS_READ_MODIFY_WRITE,
  CLASS_MIXED
} RequestClass;

typedef struct {
  double       rps;
  char        *noun;      /* "reads", "metrics", "IOPS" */
  char        *qualifier; /* "ingestion", "peak", "per volume" */
  char        *clause;
  RequestClass klass;
} RateClause;

static void
rate_clause_clear (RateClause *clause)
{
  g_free (clause->noun);
  g_free (clause->qualifier);
  g_free (clause->clause);
}

static RequestClass
classify_words (const char *words)
{
  g_autofree char *lower = g_ascii_strdown (words, -1);
  static const char * const write_words[] = {
    "ingest", "indexing", "upload", "update", "write", "transition", "data point", "event",
    "metric", "insert", NULL
  };
  static const char * const read_words[] = { "read", "quer", "lookup", "access", NULL };
  static const char * const rmw_words[] = {
    "transaction", "txn", "order", "reservation", "booking", "check", NULL
  };
  static const char * const mixed_words[] = { "ops", "operation", "request", "iops", NULL };

  for (guint i = 0; write_words[i] != NULL; i++)
    if (strstr (lower, write_words[i]) != NULL)
      return CLASS_WRITE;
  for (guint i = 0; read_words[i] != NULL; i++)
    if (strstr (lower, read_words[i]) != NULL)
      return CLASS_READ;
  for (guint i = 0; rmw_words[i] != NULL; i++)
    if (strstr (lower, rmw_words[i]) != NULL)
      return CLASS_READ_MODIFY_WRITE;
  for (guint i = 0; mixed_words[i] != NULL; i++)
    if (strstr (lower, mixed_words[i]) != NULL)
      return CLASS_MIXED;
  return CLASS_UNKNOWN;
}

static double
per_second (const char *unit)
{
  if (strcmp (unit, "sec") == 0 || strcmp (unit, "s") == 0 || strcmp (unit, "second") == 0)
    return 1;
  if (strcmp (unit, "min") == 0 || strcmp (unit, "minute") == 0)
    return 1.0 / 60;
  if (strcmp (unit, "hour") == 0 || strcmp (unit, "h") == 0)
    return 1.0 / 3600;
  if (strcmp (unit, "day") == 0)
    return 1.0 / 86400;
  return 0;
}

/* The clauses of a "Request Rate" sentence that state a rate. */
static GArray *
parse_rate_clauses (const char *text)
{
  g_autoptr(GRegex) slash = g_regex_new ("^(.+?)\\s*/\\s*([a-z]+)\\b\\s*(.*)$", 0, 0, NULL);
  g_auto(GStrv) clauses = split_clauses (text);
  GArray *out = g_array_new (FALSE, TRUE, sizeof (RateClause));

  g_array_set_clear_func (out, (GDestroyNotify) rate_clause_clear);
  for (guint i = 0; clauses[i] != NULL; i++)
    {
      g_autoptr(GMatchInfo) match = NULL;
      RateClause clause = { 0 };
      Quantity q;

      if (!parse_quantity (clauses[i], &q) || q.is_bytes)
        continue;
      if (g_regex_match (slash, q.rest, 0, &match))
        {
          g_autofree char *unit = g_match_info_fetch (match, 2);
          double factor = per_second (unit);

          if (factor == 0)
            continue;
          clause.rps = q.value * factor;
          clause.noun = g_strstrip (g_match_info_fetch (match, 1));
          clause.qualifier = g_strstrip (g_match_info_fetch (match, 3));
        }
      else if (g_str_has_prefix (q.rest + strspn (q.rest, " "), "IOPS"))
        {
          const char *rest = q.rest + strspn (q.rest, " ");
          clause.rps = q.value;
          clause.noun = g_strdup ("IOPS");
          clause.qualifier = g_strstrip (g_strdup (rest + 4));
        }
      else
        continue;
      clause.clause = g_strdup (clauses[i]);
      {
        g_autofree char *words = g_strconcat (clause.noun, " ", clause.qualifier, NULL);
        clause.klass = classify_words (words);
      }
      g_array_append_val (out, clause);
    }
  return out;
}

/* The class of requests the clauses of a rate sentence count: a figure
 * for reads and one for writes count each; else the first figure's noun
 * decides ("state updates": writes, "queries": reads); a noun of both
 * (read-modify-write "bookings") or of neither ("ops", "requests",
 * "sessions") counts every request. */
static AbRateClass
rate_class_of (GArray *clauses)
{
  const RateClause *first, *second;

  if (clauses->len == 0)
    return AB_RATE_ALL;
  first = &g_array_index (clauses, RateClause, 0);
  if (clauses->len >= 2)
    {
      second = &g_array_index (clauses, RateClause, 1);
      if ((first->klass == CLASS_READ && second->klass == CLASS_WRITE) ||
          (first->klass == CLASS_WRITE && second->klass == CLASS_READ))
        return AB_RATE_SPLIT;
    }
  return first->klass == CLASS_READ ? AB_RATE_READS : first->klass == CLASS_WRITE ? AB_RATE_WRITES : AB_RATE_ALL;
}

static gboolean
parse_rate (AbTarget   *target,
            const char *text)
{
  g_autoptr(GArray) clauses = parse_rate_clauses (text);
  RateClause *first, *second;

  if (clauses->len == 0)
    return FALSE;
  for (guint i = 0; i < clauses->len; i++)
    if (g_array_index (clauses, RateClause, i).rps > AB_MAX_QUANTITY / 2)
      return FALSE;
  target->type = AB_TARGET_RATE;
  first = &g_array_index (clauses, RateClause, 0);
  target->value = first->rps;
  if (clauses->len >= 2)
    {
      second = &g_array_index (clauses, RateClause, 1);
      if (first->klass == CLASS_READ && second->klass == CLASS_WRITE)
        {
          target->read_rps = first->rps;
          target->write_rps = second->rps;
        }
      else if (first->klass == CLASS_WRITE && second->klass == CLASS_READ)
        {
          target->read_rps = second->rps;
          target->write_rps = first->rps;
        }
      if (target->read_rps > 0 || target->write_rps > 0)
        target->value = target->read_rps + target->write_rps;
    }
  target->applies_to = g_strdup (ab_rate_class_to_string (rate_class_of (clauses)));
  return TRUE;
}

AbRateClass
ab_rate_class_parse (const char *text)
{
  g_autoptr(GArray) clauses = parse_rate_clauses (text != NULL ? text : "");

  return rate_class_of (clauses);
}

static gboolean
parse_availability (AbTarget   *target,
                    const char *text)
{
  g_autoptr(GRegex) regex = g_regex_new ("(\\d+(?:\\.\\d+)?)\\s*%", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *number = NULL;
  double value;

  if (!g_regex_match (regex, text, 0, &match))
    return FALSE;
  number = g_match_info_fetch (match, 1);
  value = g_ascii_strtod (number, NULL);
  if (value <= 0 || value > 100)
    return FALSE;
  target->type = AB_TARGET_AVAILABILITY;
  target->value = round_significant (value / 100.0);
  return TRUE;
}

/* Bytes in a "Dataset Size" sentence: the first byte quantity; "N things,
 * SIZE average" multiplies. */
static gboolean
parse_dataset (AbTarget   *target,
               const char *text)
{
  g_auto(GStrv) clauses = split_clauses (text);

  for (guint i = 0; clauses[i] != NULL; i++)
    {
      Quantity q;

      if (!parse_quantity (clauses[i], &q) || !q.is_bytes)
        continue;
      target->type = AB_TARGET_DATASET;
      target->value = q.value;
      if (i > 0 && (strstr (q.rest, "average") != NULL || strstr (q.rest, "avg") != NULL))
        {
          Quantity count;
          if (parse_quantity (clauses[i - 1], &count) && !count.is_bytes &&
              count.value * q.value <= AB_MAX_QUANTITY)
            target->value = count.value * q.value;
        }
      return TRUE;
    }
  return FALSE;
}

static gboolean
parse_budget (AbTarget   *target,
              const char *text)
{
  const char *dollar = strchr (text, '$');
  Quantity q;

  if (dollar == NULL || !parse_quantity (dollar + 1, &q) || q.is_bytes)
    return FALSE;
  target->type = AB_TARGET_BUDGET;
  target->value = q.value;
  if (strstr (q.rest, "year") != NULL)
    target->value /= 12;
  else if (strstr (q.rest, "hour") != NULL)
    target->value *= 730;
  return target->value <= AB_MAX_QUANTITY;
}

/* Words that make a requirement speak of freshness: how far background
 * work (replication, propagation, derived views) may lag behind. */
static gboolean
names_lag (const char *lower,
           gboolean    strict)
{
  static const char *const words[] = { "lag", "fresh", "stale", "propagat",
                                       "consisten", "replica", "eventual", NULL };

  /* strict (a sentence under another label, "Latency: replica reads <
   * 10ms"): only the words that name the lag itself */
  for (int i = 0; words[i] != NULL && (!strict || i < 4); i++)
    if (strstr (lower, words[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* A freshness bound: "Eventual (<100ms)", "replicas within 100 ms",
 * "propagation delay < 1 s", "lag under 2 seconds". */
static gboolean
parse_lag (AbTarget   *target,
           const char *text)
{
  g_autoptr(GRegex) regex = g_regex_new ("(?:<=?|≤|\\bwithin|\\bunder|\\bbelow|\\bless than|\\bat most)\\s*"
                                         "(\\d+(?:\\.\\d+)?)\\s*"
                                         "(ms|milliseconds?|s|secs?|seconds?)\\b",
                                         G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *number = NULL;
  g_autofree char *unit = NULL;
  double bound;

  if (!g_regex_match (regex, text, 0, &match))
    return FALSE;
  number = g_match_info_fetch (match, 1);
  unit = g_match_info_fetch (match, 2);
  unit[0] = g_ascii_tolower (unit[0]);
  bound = g_ascii_strtod (number, NULL) * (unit[0] == 'm' ? 1.0 : 1000.0);
  if (!(bound > 0 && bound <= 1e9))
    return FALSE;
  target->type = AB_TARGET_LAG;
  target->bound_ms = round_significant (bound);
  return TRUE;
}

AbTarget *
ab_target_parse (const char *label,
                 const char *text)
{
  AbTarget *target = g_new0 (AbTarget, 1);
  g_autofree char *lower = g_ascii_strdown (label, -1);
  gboolean parsed = FALSE;

  target->label = g_strdup (label);
  target->text = g_strdup (text);
  target->type = AB_TARGET_OTHER;
  if (strstr (lower, "latency") != NULL)
    parsed = parse_latency (target, text);
  else if (strstr (lower, "rate") != NULL || strstr (lower, "throughput") != NULL)
    parsed = parse_rate (target, text);
  else if (strstr (lower, "availability") != NULL)
    parsed = parse_availability (target, text);
  else if (strstr (lower, "dataset") != NULL || strstr (lower, "data size") != NULL)
    parsed = parse_dataset (target, text);
  else if (strstr (lower, "budget") != NULL || strstr (lower, "cost") != NULL)
    parsed = parse_budget (target, text);
  if (!parsed)
    {
      /* "Consistency: Eventual (<100ms)", or a sentence of another label
       * that speaks of lag ("replication lag < 1 s") */
      g_autofree char *lower_text = g_ascii_strdown (text, -1);

      if (names_lag (lower, FALSE) || names_lag (lower_text, TRUE))
        parsed = parse_lag (target, text);
    }

  if (!parsed)
    {
      g_clear_pointer (&target->applies_to, g_free);
      target->type = AB_TARGET_OTHER;
      target->percentile = target->bound_ms = target->value = 0;
      target->read_rps = target->write_rps = 0;
    }
  return target;
}

/* A target derived from the constant @name of @problem (@text, then
 * the caller sets its figure). */
static AbTarget *
add_constant_target (AbProblem    *problem,
                     AbTargetType  type,
                     const char   *label,
                     const char   *name,
                     char         *text)
{
  AbTarget *target = g_new0 (AbTarget, 1);

  target->type = type;
  target->label = g_strdup (label);
  target->text = text;
  target->source = g_strconcat ("constant ", name, NULL);
  g_ptr_array_add (problem->nonfunctional, target);
  return target;
}

void
ab_problem_add_constant_targets (AbProblem *problem)
{
  double budget, delay;

  if (ab_problem_find_target (problem, AB_TARGET_BUDGET) == NULL &&
      ab_problem_get_constant_number (problem, "budget_monthly", &budget) &&
      budget >= 0 && budget <= AB_MAX_QUANTITY)
    {
      /* worded as the requirements are ("Budget: $100M per month"); the
       * source names the constant */
      g_autofree char *amount = ab_problem_format_rate (budget);

      add_constant_target (problem, AB_TARGET_BUDGET, "Budget", "budget_monthly",
                           g_strdup_printf ("Budget: $%s per month", amount))->value = budget;
    }
  /* "propagation_delay_ms": 100 is how far a replica may lag behind */
  if (ab_problem_find_target (problem, AB_TARGET_LAG) == NULL &&
      ab_problem_get_constant_number (problem, "propagation_delay_ms", &delay) &&
      delay > 0 && delay <= 1e9)
    add_constant_target (problem, AB_TARGET_LAG, "Propagation Delay", "propagation_delay_ms",
                         g_strdup_printf ("Propagation delay < %g ms", delay))->bound_ms = delay;
}

/* ---- workload ---- */

/* A rate as the problem texts write it: "2.5k", "1M", "1.2B"; else four
 * significant digits.  Never an exponent (the workload notes quote it). */
char *
ab_problem_format_rate (double rps)
{
  if (rps >= 1e9 && fmod (rps, 1e8) == 0)
    return g_strdup_printf ("%gB", rps / 1e9);
  if (rps >= 1e6 && fmod (rps, 1e5) == 0)
    return g_strdup_printf ("%gM", rps / 1e6);
  if (rps >= 1e3 && fmod (rps, 1e2) == 0)
    return g_strdup_printf ("%gk", rps / 1e3);
  if (rps >= 1e3)
    return g_strdup_printf ("%.0f", rps);
  return g_strdup_printf ("%.4g", rps);
}

static gboolean
is_rate_constant (const char *name)
{
  static const char * const marks[] = { "qps", "per_sec", "rate", "ops", NULL };

  for (guint i = 0; marks[i] != NULL; i++)
    if (strstr (name, marks[i]) != NULL)
      return TRUE;
  return FALSE;
}

static const char *
class_name_of_constant (const AbProblem *problem,
                        double           value,
                        RequestClass    *klass)
{
  for (guint i = 0; i < problem->constants->len; i++)
    {
      const AbConstant *constant = g_ptr_array_index (problem->constants, i);
      double number;

      if (!is_rate_constant (constant->name) ||
          !ab_problem_get_constant_number (problem, constant->name, &number) || number != value)
        continue;
      *klass = classify_words (constant->name);
      if (*klass == CLASS_READ || *klass == CLASS_WRITE)
        return constant->name;
    }
  return NULL;
}

/* A constant that states this rate, for the note ("read_qps = 10000"). */
static char *
confirming_constant (const AbProblem *problem,
                     double           value)
{
  for (guint i = 0; i < problem->constants->len; i++)
    {
      const AbConstant *constant = g_ptr_array_index (problem->constants, i);
      double number;

      if (is_rate_constant (constant->name) &&
          ab_problem_get_constant_number (problem, constant->name, &number) && number == value)
        return g_strdup_printf ("; constant %s = %.0f", constant->name, number);
    }
  return g_strdup ("");
}

static void
derive_rates (AbProblem *problem)
{
  AbWorkload *w = &problem->workload;
  const AbTarget *rate = ab_problem_find_target (problem, AB_TARGET_RATE);
  g_autoptr(GArray) clauses = NULL;
  RateClause *clause;
  RequestClass klass;
  g_autofree char *total_text = NULL;
  g_autofree char *source = NULL;
  double total, read_share;
  const char *why = NULL;
  const char *constant_name;

  if (rate == NULL)
    {
      w->read_rps = w->write_rps = 0;
      w->read_note = g_strdup ("the problem states no request rate: no reads simulated until one is set");
      w->write_note = g_strdup ("the problem states no request rate: no writes simulated until one is set");
      return;
    }

  if (rate->read_rps > 0 || rate->write_rps > 0)
    {
      g_autofree char *rc = confirming_constant (problem, rate->read_rps);
      g_autofree char *wc = confirming_constant (problem, rate->write_rps);
      g_auto(GStrv) parts = split_clauses (rate->text);

      w->read_rps = rate->read_rps;
      w->write_rps = rate->write_rps;
      clauses = parse_rate_clauses (rate->text);
      for (guint i = 0; i < clauses->len; i++)
        {
          clause = &g_array_index (clauses, RateClause, i);
          if (clause->klass == CLASS_READ && w->read_note == NULL)
            w->read_note = g_strdup_printf ("%s (%s%s)", clause->clause, rate->label, rc);
          else if (clause->klass == CLASS_WRITE && w->write_note == NULL)
            w->write_note = g_strdup_printf ("%s (%s%s)", clause->clause, rate->label, wc);
        }
      return;
    }

  clauses = parse_rate_clauses (rate->text);
  if (clauses->len == 0)
    {
      /* a sentence that states no rate this reads ("100k per volume"):
       * the target's own value, of the class it names */
      RateClause given = { rate->value, NULL, NULL, g_strdup (rate->text), CLASS_UNKNOWN };

      if (!(rate->value > 0))
        {
          rate_clause_clear (&given);
          w->read_rps = w->write_rps = 0;
          w->read_note = g_strdup_printf ("%s states no rate (\"%s\"): no reads simulated until one is set",
                                          rate->label, rate->text);
          w->write_note = g_strdup_printf ("%s states no rate (\"%s\"): no writes simulated until one is set",
                                           rate->label, rate->text);
          return;
        }
      switch (ab_target_rate_class (rate))
        {
        case AB_RATE_READS:
          given.klass = CLASS_READ;
          break;
        case AB_RATE_WRITES:
          given.klass = CLASS_WRITE;
          break;
        case AB_RATE_ALL:
        case AB_RATE_SPLIT:
        default:
          break;
        }
      g_array_append_val (clauses, given);
    }
  clause = &g_array_index (clauses, RateClause, 0);
  total = clause->rps;
  klass = clause->klass;
  {
    g_autofree char *cc = confirming_constant (problem, clause->rps);
    source = g_strdup_printf ("%s: \"%s\"%s", rate->label, clause->clause, cc);
  }

  if (klass == CLASS_UNKNOWN || klass == CLASS_MIXED)
    {
      RequestClass by_constant = CLASS_UNKNOWN;

      constant_name = class_name_of_constant (problem, total, &by_constant);
      if (constant_name != NULL)
        {
          klass = by_constant;
          why = by_constant == CLASS_READ ? "the constant naming this rate counts reads" :
                                            "the constant naming this rate counts writes";
        }
    }
  if (klass == CLASS_UNKNOWN)
    klass = CLASS_MIXED;

  if (clause->qualifier != NULL && strstr (clause->qualifier, "peak") != NULL)
    {
      g_autofree char *stated = ab_problem_format_rate (total);
      total /= w->peak_multiplier;
      total_text = g_strdup_printf ("%s/s is the stated peak, so the normal rate is %s / %g (peak multiplier)",
                                    stated, stated, w->peak_multiplier);
    }

  switch (klass)
    {
    case CLASS_READ:
      read_share = 1;
      if (why == NULL)
        why = "the rate counts reads";
      break;
    case CLASS_WRITE:
      read_share = 0;
      if (why == NULL)
        why = "the rate counts writes (ingestion, updates, events)";
      break;
    case CLASS_READ_MODIFY_WRITE:
      read_share = 0.5;
      why = "each one reads a record then updates it (read-modify-write), split 50 % reads / 50 % writes";
      break;
    case CLASS_MIXED:
    case CLASS_UNKNOWN:
    default:
      read_share = 0.8;
      why = "a single total of mixed operations, split 80 % reads / 20 % writes, "
            "the usual read-heavy mix of OLTP and key-value workloads";
      break;
    }

  w->read_rps = round_significant (total * read_share);
  w->write_rps = round_significant (total - w->read_rps);
  {
    g_autofree char *read = ab_problem_format_rate (w->read_rps);
    g_autofree char *write = ab_problem_format_rate (w->write_rps);
    const char *prefix = total_text != NULL ? total_text : "";
    const char *sep = total_text != NULL ? "; " : "";

    if (read_share == 1)
      {
        w->read_note = g_strdup_printf ("%s/s from %s%s%s; %s", read, source, sep, prefix, why);
        w->write_note = g_strdup_printf ("0: the problem gives no write rate (%s)", source);
      }
    else if (read_share == 0)
      {
        w->write_note = g_strdup_printf ("%s/s from %s%s%s; %s", write, source, sep, prefix, why);
        w->read_note = g_strdup_printf ("0: the problem gives no read or query rate (%s)", source);
      }
    else
      {
        w->read_note = g_strdup_printf ("%s/s: %.0f %% of %s%s%s; %s", read, read_share * 100, source, sep, prefix, why);
        w->write_note = g_strdup_printf ("%s/s: %.0f %% of %s%s%s; %s", write, (1 - read_share) * 100, source, sep, prefix, why);
      }
  }
}

static double
size_constant_bytes (const char *name,
                     double      value)
{
  if (g_str_has_suffix (name, "_kb"))
    return value * 1e3;
  if (g_str_has_suffix (name, "_mb"))
    return value * 1e6;
  if (g_str_has_suffix (name, "_gb"))
    return value * 1e9;
  if (g_str_has_suffix (name, "_tb"))
    return value * 1e12;
  return value;
}

static char *
format_bytes (double bytes)
{
  static const char * const units[] = { "B", "KB", "MB", "GB", "TB", "PB", "EB" };
  guint unit = 0;

  while (bytes >= 1000 && unit + 1 < G_N_ELEMENTS (units))
    {
      bytes /= 1000;
      unit++;
    }
  return g_strdup_printf ("%.3g %s", bytes, units[unit]);
}

static void
derive_dataset (AbProblem *problem)
{
  AbWorkload *w = &problem->workload;
  const AbTarget *dataset = ab_problem_find_target (problem, AB_TARGET_DATASET);
  const AbTarget *other = NULL;
  g_auto(GStrv) clauses = NULL;
  g_autoptr(GString) counted = NULL;
  double records = 0;

  if (dataset != NULL)
    {
      g_autofree char *bytes = format_bytes (dataset->value);
      w->dataset_bytes = dataset->value;
      w->dataset_note = g_strdup_printf ("%s from %s: \"%s\"", bytes, dataset->label, dataset->text);
      return;
    }

  for (guint i = 0; i < problem->nonfunctional->len && other == NULL; i++)
    {
      const AbTarget *target = g_ptr_array_index (problem->nonfunctional, i);
      g_autofree char *lower = g_ascii_strdown (target->label, -1);
      if (strstr (lower, "dataset") != NULL)
        other = target;
    }
  if (other == NULL)
    {
      w->dataset_bytes = 0;
      w->dataset_note = g_strdup ("the problem states no dataset size");
      return;
    }

  clauses = split_clauses (other->text);

  /* "10M active sessions" with a constant avg_session_size: count x size. */
  for (guint i = 0; i < problem->constants->len; i++)
    {
      const AbConstant *constant = g_ptr_array_index (problem->constants, i);
      Quantity q;
      double size;

      if (!g_str_has_prefix (constant->name, "avg_") || strstr (constant->name, "size") == NULL ||
          !ab_problem_get_constant_number (problem, constant->name, &size) ||
          !parse_quantity (clauses[0], &q) || q.is_bytes)
        continue;
      size = size_constant_bytes (constant->name, size);
      if (!(size >= 0 && q.value * size <= AB_MAX_QUANTITY))
        continue;
      {
        g_autofree char *bytes = format_bytes (q.value * size);
        w->dataset_bytes = q.value * size;
        w->dataset_note = g_strdup_printf ("%s: \"%s\" (%s) x %s = %.0f bytes (constant)",
                                           bytes, clauses[0], other->label, constant->name, size);
      }
      return;
    }

  counted = g_string_new (NULL);
  for (guint i = 0; clauses[i] != NULL; i++)
    {
      Quantity q;

      if (!parse_quantity (clauses[i], &q) || q.is_bytes)
        continue;
      if (records + q.value > AB_MAX_QUANTITY / AB_ASSUMED_RECORD_BYTES)
        break;
      records += q.value;
      g_string_append_printf (counted, "%s%s", counted->len > 0 ? " + " : "", clauses[i]);
    }
  if (records > 0)
    {
      g_autofree char *bytes = format_bytes (records * AB_ASSUMED_RECORD_BYTES);
      w->dataset_bytes = records * AB_ASSUMED_RECORD_BYTES;
      w->dataset_note = g_strdup_printf ("%s: %s (%s) at an assumed 1 KB a record; "
                                         "the problem gives counts, not sizes",
                                         bytes, counted->str, other->label);
      return;
    }
  w->dataset_bytes = 0;
  w->dataset_note = g_strdup_printf ("no size could be read from \"%s\"", other->text);
}

static gboolean
problem_has_kind (const AbProblem *problem,
                  AbKind           kind)
{
  for (guint i = 0; i < problem->n_available; i++)
    if (problem->available[i] == kind)
      return TRUE;
  return FALSE;
}

static void
derive_search_share (AbProblem *problem)
{
  AbWorkload *w = &problem->workload;
  double search_rps;

  if (!problem_has_kind (problem, AB_KIND_SEARCH))
    {
      w->search_share = 0;
      w->search_note = g_strdup ("0: the problem offers no search component");
      return;
    }
  for (guint i = 0; i < problem->nonfunctional->len; i++)
    {
      const AbTarget *target = g_ptr_array_index (problem->nonfunctional, i);
      g_autofree char *lower = g_ascii_strdown (target->text, -1);

      if ((target->type == AB_TARGET_LATENCY || target->type == AB_TARGET_RATE) &&
          strstr (lower, "search quer") != NULL)
        {
          w->search_share = 1;
          w->search_note = g_strdup_printf ("1: every query is a search (%s: \"%s\")", target->label, target->text);
          return;
        }
    }
  if (ab_problem_get_constant_number (problem, "search_qps", &search_rps) &&
      search_rps > 0 && search_rps + w->read_rps <= AB_MAX_QUANTITY)
    {
      if (search_rps < w->read_rps)
        {
          w->search_share = search_rps / w->read_rps;
          w->search_note = g_strdup_printf ("%.3g: constant search_qps = %.0f of %.0f reads/s",
                                            w->search_share, search_rps, w->read_rps);
        }
      else
        {
          /* As large as all reads: a separate stream, not a part of them. */
          double reads = w->read_rps;
          g_autofree char *old_note = g_steal_pointer (&w->read_note);

          w->read_rps = reads + search_rps;
          w->search_share = search_rps / w->read_rps;
          w->read_note = g_strdup_printf ("%s, plus constant search_qps = %.0f searches/s as separate read traffic",
                                          old_note, search_rps);
          w->search_note = g_strdup_printf ("%.3g: constant search_qps = %.0f is as large as the stated reads "
                                            "(%.0f/s), so searches are counted as separate reads: %.0f of %.0f",
                                            w->search_share, search_rps, reads, search_rps, w->read_rps);
        }
      return;
    }
  w->search_share = 0.1;
  w->search_note = g_strdup ("0.1 assumed: the problem offers a search component but states no search rate");
}

static gboolean
names_peak (const char *text)
{
  g_autofree char *lower = g_ascii_strdown (text != NULL ? text : "", -1);

  return strstr (lower, "peak") != NULL || strstr (lower, "during") != NULL
         || strstr (lower, "spike") != NULL || strstr (lower, "burst") != NULL;
}

/* The peak multiplier the problem's own text gives: a rate requirement
 * with a normal figure and a later "during ..." / peak figure ("100M
 * transactions/sec, 1B during market events": 10), else the constant
 * spike_multiplier.  FALSE when it gives none. */
static gboolean
derive_peak_from_text (AbProblem *problem)
{
  AbWorkload *w = &problem->workload;
  const AbTarget *rate = ab_problem_find_target (problem, AB_TARGET_RATE);
  double spike;

  if (rate != NULL && rate->text != NULL)
    {
      g_autoptr(GArray) clauses = parse_rate_clauses (rate->text);

      if (clauses->len >= 2)
        {
          const RateClause *first = &g_array_index (clauses, RateClause, 0);

          for (guint i = 1; i < clauses->len; i++)
            {
              const RateClause *c = &g_array_index (clauses, RateClause, i);

              if (!names_peak (first->clause) && names_peak (c->clause) && first->rps > 0 && c->rps > first->rps)
                {
                  w->peak_multiplier = c->rps / first->rps;
                  w->peak_note = g_strdup_printf ("%gx: %s: \"%s\" against \"%s\"", w->peak_multiplier,
                                                  rate->label, c->clause, first->clause);
                  return TRUE;
                }
            }
        }
    }
  if (ab_problem_get_constant_number (problem, "spike_multiplier", &spike) &&
      spike >= 1 && spike <= AB_MAX_QUANTITY)
    {
      w->peak_multiplier = spike;
      w->peak_note = g_strdup_printf ("%gx: constant spike_multiplier", spike);
      return TRUE;
    }
  return FALSE;
}

void
ab_problem_derive_workload (AbProblem *problem)
{
  AbWorkload *w = &problem->workload;

  ab_workload_clear (w);
  if (!derive_peak_from_text (problem))
    {
      w->peak_multiplier = AB_PROBLEM_DEFAULT_PEAK;
      w->peak_note = g_strdup_printf ("%gx: the default peak; the problem's text gives no peak figure "
                                      "(no \"during ...\" rate, no spike_multiplier)", AB_PROBLEM_DEFAULT_PEAK);
    }
  derive_rates (problem);
  derive_dataset (problem);
  derive_search_share (problem);
}

/* ---- reference layout ---- */

typedef struct {
  int    depth;
  double order;   /* barycentre of predecessors, for rows */
  guint  n_callers;
  guint  index;
} LayoutNode;

static int
compare_layout (gconstpointer a,
                gconstpointer b)
{
  const LayoutNode *na = *(LayoutNode * const *) a;
  const LayoutNode *nb = *(LayoutNode * const *) b;

  if (na->order != nb->order)
    return na->order < nb->order ? -1 : 1;
  /* On a tie, a component called from one place sits nearer its caller
   * than one called from several. */
  if (na->n_callers != nb->n_callers)
    return na->n_callers < nb->n_callers ? -1 : 1;
  return (int) na->index - (int) nb->index;
}

void
ab_problem_layout_reference (AbProblem *problem)
{
  GPtrArray *components = problem->reference_components;
  GPtrArray *connections = problem->reference_connections;
  guint n = components->len;
  g_autofree LayoutNode *nodes = g_new0 (LayoutNode, MAX (n, 1));
  g_autofree int *from = g_new0 (int, MAX (connections->len, 1));
  g_autofree int *to = g_new0 (int, MAX (connections->len, 1));
  g_autofree guint *rows_in_column = NULL;
  int max_depth = 0;
  guint max_rows = 0;
  gboolean changed;

  if (n == 0)
    return;

  for (guint i = 0; i < connections->len; i++)
    {
      const AbRefConnection *connection = g_ptr_array_index (connections, i);

      from[i] = to[i] = -1;
      for (guint j = 0; j < n; j++)
        {
          const AbRefComponent *component = g_ptr_array_index (components, j);
          if (strcmp (component->name, connection->from) == 0)
            from[i] = j;
          if (strcmp (component->name, connection->to) == 0)
            to[i] = j;
        }
    }

  /* Depth: shortest hop count from a client. */
  for (guint j = 0; j < n; j++)
    {
      const AbRefComponent *component = g_ptr_array_index (components, j);
      nodes[j].index = j;
      nodes[j].depth = component->kind == AB_KIND_CLIENT ? 0 : -1;
    }
  do
    {
      changed = FALSE;
      for (guint i = 0; i < connections->len; i++)
        if (from[i] >= 0 && to[i] >= 0 && nodes[from[i]].depth >= 0 &&
            (nodes[to[i]].depth < 0 || nodes[to[i]].depth > nodes[from[i]].depth + 1))
          {
            nodes[to[i]].depth = nodes[from[i]].depth + 1;
            changed = TRUE;
          }
    }
  while (changed);

  /* Components no client reaches (background workers, consumers) sit one
   * column before the nearest thing they call. */
  {
    g_autofree int *candidate = g_new (int, n);

    for (guint round = 0; round < n; round++)
      {
        changed = FALSE;
        for (guint j = 0; j < n; j++)
          candidate[j] = -1;
        for (guint i = 0; i < connections->len; i++)
          if (from[i] >= 0 && to[i] >= 0 && nodes[from[i]].depth < 0 && nodes[to[i]].depth >= 0)
            {
              int depth = MAX (nodes[to[i]].depth - 1, 0);
              if (candidate[from[i]] < 0 || depth < candidate[from[i]])
                candidate[from[i]] = depth;
            }
        for (guint j = 0; j < n; j++)
          if (candidate[j] >= 0)
            {
              nodes[j].depth = candidate[j];
              changed = TRUE;
            }
        if (!changed)
          break;
      }
  }
  for (guint j = 0; j < n; j++)
    {
      if (nodes[j].depth < 0)
        {
          /* Unconnected to anything placed: after its callers, or last. */
          int depth = 0;
          for (guint i = 0; i < connections->len; i++)
            if (to[i] == (int) j && from[i] >= 0 && nodes[from[i]].depth >= 0)
              depth = MAX (depth, nodes[from[i]].depth + 1);
          nodes[j].depth = depth;
        }
      max_depth = MAX (max_depth, nodes[j].depth);
    }

  /* Rows: column by column, ordered by the mean row of the predecessors. */
  rows_in_column = g_new0 (guint, max_depth + 1);
  {
    g_autofree double *row = g_new0 (double, n);

    for (int depth = 0; depth <= max_depth; depth++)
      {
        g_autoptr(GPtrArray) column = g_ptr_array_new ();

        for (guint j = 0; j < n; j++)
          {
            double sum = 0;
            guint count = 0;

            if (nodes[j].depth != depth)
              continue;
            for (guint i = 0; i < connections->len; i++)
              if (to[i] == (int) j && from[i] >= 0 && nodes[from[i]].depth < depth)
                {
                  sum += row[from[i]];
                  count++;
                }
            /* Without a caller on the left: below the others, as listed. */
            nodes[j].order = count > 0 ? sum / count : n + j;
            nodes[j].n_callers = count;
            g_ptr_array_add (column, &nodes[j]);
          }
        g_ptr_array_sort (column, compare_layout);
        for (guint r = 0; r < column->len; r++)
          row[((LayoutNode *) g_ptr_array_index (column, r))->index] = r;
        rows_in_column[depth] = column->len;
        max_rows = MAX (max_rows, column->len);
      }

    for (guint j = 0; j < n; j++)
      {
        AbRefComponent *component = g_ptr_array_index (components, j);
        double offset = (max_rows - rows_in_column[nodes[j].depth]) / 2.0;

        component->x = AB_REF_MARGIN + nodes[j].depth * AB_REF_COLUMN_STEP;
        component->y = AB_REF_MARGIN + (row[j] + offset) * AB_REF_ROW_STEP;
      }
  }
}
