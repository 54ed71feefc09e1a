/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbSimRunner and AbSimResults: see ab-sim-runner.h.
 *
 * Threads: the main thread builds the AbSimSetup (an immutable snapshot:
 * network, scenario, pricing, labels; no reference to the design) and the
 * model summary.  The worker only reads the setup and writes its own
 * points and summary, handed to the main thread by idle sources on its
 * context and the GTask callback.  A run's messages carry its
 * GCancellable: once cancelled (a newer change, stop, dispose) nothing of
 * it reaches any results object.  Every reference to a results object is
 * dropped on the main thread (the GTask callback holds the run's), so one
 * is never finalised on the worker, wherever the task itself is freed.
 * The hand-overs through GLib are annotated for ThreadSanitizer
 * (ab-tsan.h). */
#define G_LOG_DOMAIN "archboard"

#include "config.h"

#include <glib/gi18n.h>

#include "ab-sim-runner.h"
#include "ab-types.h"
#include "ab-tsan.h"

/* ---- AbSimResults ---- */

struct _AbSimResults
{
  GObject       parent_instance;
  AbSimSetup   *setup;
  char         *error;
  AbSimSummary *model;
  AbSimSummary *des;
  GPtrArray    *points;
  double        progress;
  gboolean      complete;
};

G_DEFINE_FINAL_TYPE (AbSimResults, ab_sim_results, G_TYPE_OBJECT)

enum {
  RES_PROP_0,
  RES_PROP_COMPLETE,
  RES_PROP_PROGRESS,
  RES_N_PROPS
};

static GParamSpec *res_props[RES_N_PROPS];

enum {
  POINT_ADDED,
  RES_N_SIGNALS
};

static guint res_signals[RES_N_SIGNALS];

static void
ab_sim_results_finalize (GObject *object)
{
  AbSimResults *self = AB_SIM_RESULTS (object);

  g_clear_pointer (&self->setup, ab_sim_setup_unref);
  g_clear_pointer (&self->model, ab_sim_summary_free);
  g_clear_pointer (&self->des, ab_sim_summary_free);
  g_clear_pointer (&self->points, g_ptr_array_unref);
  g_free (self->error);

  G_OBJECT_CLASS (ab_sim_results_parent_class)->finalize (object);
}

static void
ab_sim_results_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  AbSimResults *self = AB_SIM_RESULTS (object);

  switch (prop_id)
    {
    case RES_PROP_COMPLETE:
      g_value_set_boolean (value, self->complete);
      break;
    case RES_PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ab_sim_results_class_init (AbSimResultsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ab_sim_results_finalize;
  object_class->get_property = ab_sim_results_get_property;

  res_props[RES_PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  res_props[RES_PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, RES_N_PROPS, res_props);

  res_signals[POINT_ADDED] =
    g_signal_new ("point-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
ab_sim_results_init (AbSimResults *self)
{
  self->points = g_ptr_array_new_with_free_func ((GDestroyNotify) ab_sim_point_free);
}

AbSimSetup *
ab_sim_results_get_setup (AbSimResults *self)
{
  g_return_val_if_fail (AB_IS_SIM_RESULTS (self), NULL);
  return self->setup;
}

const char *
ab_sim_results_get_error (AbSimResults *self)
{
  g_return_val_if_fail (AB_IS_SIM_RESULTS (self), NULL);
  return self->error;
}

const AbSimSummary *
ab_sim_results_get_model (AbSimResults *self)
{
  g_return_val_if_fail (AB_IS_SIM_RESULTS (self), NULL);
  return self->model;
}

const AbSimSummary *
ab_sim_results_get_des (AbSimResults *self)
{
  g_return_val_if_fail (AB_IS_SIM_RESULTS (self), NULL);
  return self->des;
}

const AbSimSummary *
ab_sim_results_get_summary (AbSimResults *self)
{
  g_return_val_if_fail (AB_IS_SIM_RESULTS (self), NULL);
  return self->des != NULL ? self->des : self->model;
}

GPtrArray *
ab_sim_results_get_points (AbSimResults *self)
{
  g_return_val_if_fail (AB_IS_SIM_RESULTS (self), NULL);
  return self->points;
}

gboolean
ab_sim_results_get_complete (AbSimResults *self)
{
  g_return_val_if_fail (AB_IS_SIM_RESULTS (self), FALSE);
  return self->complete;
}

double
ab_sim_results_get_progress (AbSimResults *self)
{
  g_return_val_if_fail (AB_IS_SIM_RESULTS (self), 0.0);
  return self->progress;
}

static void
results_set_progress (AbSimResults *self,
                      double        progress)
{
  progress = CLAMP (progress, 0.0, 1.0);
  if (progress == self->progress)
    return;
  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), res_props[RES_PROP_PROGRESS]);
}

static void
results_set_complete (AbSimResults *self)
{
  if (self->complete)
    return;
  self->complete = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), res_props[RES_PROP_COMPLETE]);
}

/* ---- AbSimRunner ---- */

struct _AbSimRunner
{
  GObject            parent_instance;

  AbDesign          *design;
  AbProblem         *problem;
  gulong             changed_id;

  AbSimScenarioKind  scenario;
  char              *fail_target;
  gboolean           fail_one;
  double             rate_scale;
  gint64             seed;
  guint64            budget;
  guint              debounce_ms;

  guint              timeout_id;
  GCancellable      *cancellable;   /* of the run in progress */
  AbSimResults      *results;
};

G_DEFINE_FINAL_TYPE (AbSimRunner, ab_sim_runner, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SCENARIO,
  PROP_FAIL_TARGET,
  PROP_FAIL_ONE,
  PROP_RATE_SCALE,
  PROP_SEED,
  PROP_BUDGET,
  PROP_DEBOUNCE,
  PROP_RUNNING,
  PROP_RESULTS,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

typedef struct {
  GWeakRef      runner;        /* a run does not keep its runner alive */
  AbSimSetup   *setup;
  AbSimResults *results;       /* not a reference: the GTask callback's
                                  (user data) keeps it alive until the run
                                  is over; the worker only refs it for its
                                  messages */
  GCancellable *cancellable;
  GMainContext *context;
} RunData;

static void
run_data_free (RunData *data)
{
  /* the last unref of the task may be on either thread */
  AB_TSAN_ACQUIRE (data);
  g_weak_ref_clear (&data->runner);
  g_clear_pointer (&data->setup, ab_sim_setup_unref);
  g_clear_object (&data->cancellable);
  g_clear_pointer (&data->context, g_main_context_unref);
  g_free (data);
}

typedef struct {
  AbSimResults *results;
  GCancellable *cancellable;
  AbSimPoint   *point;
  double        progress;
  GSource      *source;        /* made by the worker, freed by GLib on the
                                  main thread after this message */
} PointMsg;

static void
point_msg_free (PointMsg *msg)
{
  AB_TSAN_ACQUIRE (msg);
  AB_TSAN_ACQUIRE (msg->source);
  g_clear_object (&msg->results);
  g_clear_object (&msg->cancellable);
  g_clear_pointer (&msg->point, ab_sim_point_free);
  g_free (msg);
}

static gboolean
deliver_point (gpointer user_data)
{
  PointMsg *msg = user_data;
  AbSimResults *results;

  AB_TSAN_ACQUIRE (msg);
  results = msg->results;
  if (g_cancellable_is_cancelled (msg->cancellable))
    return G_SOURCE_REMOVE;
  g_ptr_array_add (results->points, g_steal_pointer (&msg->point));
  g_signal_emit (results, res_signals[POINT_ADDED], 0, results->points->len - 1);
  results_set_progress (results, msg->progress);
  return G_SOURCE_REMOVE;
}

/* In the worker thread.  The results object is only carried (a reference
 * taken on the main thread), never read or written here. */
static void
on_bucket (const AbDesBucket *bucket,
           gpointer           user_data)
{
  RunData *data = user_data;
  PointMsg *msg;
  GSource *source;
  double duration;

  if (g_cancellable_is_cancelled (data->cancellable))
    return;
  duration = ab_scenario_duration (ab_sim_setup_get_scenario (data->setup));
  msg = g_new0 (PointMsg, 1);
  msg->results = g_object_ref (data->results);
  msg->cancellable = g_object_ref (data->cancellable);
  msg->point = ab_sim_point_new_from_bucket (data->setup, bucket);
  msg->progress = duration > 0.0 ? (bucket->t_s + bucket->duration_s) / duration : 1.0;
  /* Always through a source: g_main_context_invoke() would run it in this
   * thread whenever the main thread happens not to own its context. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, deliver_point, msg, (GDestroyNotify) point_msg_free);
  g_source_set_static_name (source, "[archboard] simulation point");
  msg->source = source;
  AB_TSAN_RELEASE (source);
  AB_TSAN_RELEASE (msg);
  g_source_attach (source, data->context);
  g_source_unref (source);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *data = task_data;
  g_autoptr(AbDesResult) des = NULL;
  GError *error = NULL;
  AbSimSummary *summary;
  AbDesConfig config;

  AB_TSAN_ACQUIRE (data);
  ab_des_config_init (&config);
  config.cancellable = cancellable;
  config.on_bucket = on_bucket;
  config.user_data = data;
  des = ab_sim_setup_run_des (data->setup, &config, &error);
  if (des == NULL)
    {
      AB_TSAN_RELEASE (data);
      g_task_return_error (task, error);
      return;
    }
  summary = ab_sim_summary_new_des (data->setup, des);
  AB_TSAN_RELEASE (data);
  AB_TSAN_RELEASE (summary);
  g_task_return_pointer (task, summary, (GDestroyNotify) ab_sim_summary_free);
}

static void
set_running (AbSimRunner *self,
             GCancellable *cancellable)
{
  gboolean was = self->cancellable != NULL;

  g_set_object (&self->cancellable, cancellable);
  if (was != (cancellable != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RUNNING]);
}

static void
run_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  RunData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(AbSimResults) results = user_data;   /* the run's reference */
  g_autoptr(AbSimRunner) self = g_weak_ref_get (&data->runner);
  g_autoptr(GError) error = NULL;
  AbSimSummary *summary;

  AB_TSAN_ACQUIRE (data);
  summary = g_task_propagate_pointer (G_TASK (result), &error);
  if (summary != NULL)
    AB_TSAN_ACQUIRE (summary);
  if (self != NULL && data->cancellable == self->cancellable)
    set_running (self, NULL);
  if (g_cancellable_is_cancelled (data->cancellable))
    {
      g_clear_pointer (&summary, ab_sim_summary_free);
      AB_TSAN_RELEASE (data);
      return;
    }
  AB_TSAN_RELEASE (data);
  if (summary == NULL)
    {
      /* the model ran, the DES refused the network: say why */
      g_free (results->error);
      results->error = g_strdup (error != NULL ? error->message : "");
    }
  else
    {
      g_clear_pointer (&results->des, ab_sim_summary_free);
      results->des = summary;
    }
  results_set_progress (results, 1.0);
  results_set_complete (results);
}

static void
cancel_run (AbSimRunner *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      set_running (self, NULL);
    }
}

static void
start_run (AbSimRunner *self)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  RunData *data;

  cancel_run (self);
  if (self->results == NULL || self->results->setup == NULL)
    return;

  cancellable = g_cancellable_new ();
  data = g_new0 (RunData, 1);
  g_weak_ref_init (&data->runner, self);
  data->setup = ab_sim_setup_ref (self->results->setup);
  data->results = self->results;
  data->cancellable = g_object_ref (cancellable);
  data->context = g_main_context_ref_thread_default ();

  /* a re-run of the same snapshot starts from empty charts */
  g_ptr_array_set_size (self->results->points, 0);
  g_clear_pointer (&self->results->des, ab_sim_summary_free);
  self->results->complete = FALSE;
  self->results->progress = 0.0;
  g_object_notify_by_pspec (G_OBJECT (self->results), res_props[RES_PROP_COMPLETE]);
  g_object_notify_by_pspec (G_OBJECT (self->results), res_props[RES_PROP_PROGRESS]);

  task = g_task_new (NULL, cancellable, run_done, g_object_ref (self->results));
  g_task_set_source_tag (task, start_run);
  g_task_set_name (task, "[archboard] simulation run");
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);
  set_running (self, cancellable);
  AB_TSAN_RELEASE (data);
  g_task_run_in_thread (task, run_thread);
}

static gboolean
debounce_done (gpointer user_data)
{
  AbSimRunner *self = user_data;

  self->timeout_id = 0;
  start_run (self);
  return G_SOURCE_REMOVE;
}

gboolean
ab_sim_design_clients_call_nothing (AbDesign *design)
{
  gboolean has_client = FALSE;

  g_return_val_if_fail (AB_IS_DESIGN (design), FALSE);

  for (guint i = 0; i < ab_design_get_n_components (design); i++)
    has_client |= ab_design_get_component (design, i)->kind == AB_KIND_CLIENT;
  if (!has_client)
    return FALSE;
  for (guint e = 0; e < ab_design_get_n_connections (design); e++)
    {
      const AbComponent *from = ab_design_find_component (design, ab_design_get_connection (design, e)->from);

      if (from != NULL && from->kind == AB_KIND_CLIENT)
        return FALSE;
    }
  return TRUE;
}

/* The model at once, the DES after the debounce. */
static void
evaluate (AbSimRunner *self)
{
  g_autoptr(AbSimResults) results = NULL;
  g_autoptr(GError) error = NULL;
  AbSimOptions options;

  cancel_run (self);
  if (self->design == NULL)
    {
      if (self->results != NULL)
        {
          g_clear_object (&self->results);
          g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RESULTS]);
        }
      return;
    }

  ab_sim_options_init (&options);
  options.scenario = self->scenario;
  options.fail_id = self->fail_target;
  options.fail_one = self->fail_one;
  options.seed = self->seed;
  options.budget = self->budget;
  if (self->rate_scale != 1.0 && self->problem != NULL)
    {
      options.read_rps = self->problem->workload.read_rps * self->rate_scale;
      options.write_rps = self->problem->workload.write_rps * self->rate_scale;
    }

  results = g_object_new (AB_TYPE_SIM_RESULTS, NULL);
  if (ab_sim_design_clients_call_nothing (self->design))
    {
      results->error = g_strdup (_("The client sends its requests to no component yet"));
      results->complete = TRUE;
      results->progress = 1.0;
      g_set_object (&self->results, results);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RESULTS]);
      return;
    }
  results->setup = ab_sim_setup_new (self->design, self->problem, &options, &error);
  if (results->setup == NULL && g_error_matches (error, AB_ERROR, AB_ERROR_NOT_FOUND)
      && self->fail_target != NULL)
    {
      /* the failure target was deleted: back to the default */
      g_clear_error (&error);
      options.fail_id = NULL;
      results->setup = ab_sim_setup_new (self->design, self->problem, &options, &error);
    }
  if (results->setup == NULL)
    {
      results->error = g_strdup (error->message);
      results->complete = TRUE;
      results->progress = 1.0;
    }
  else
    results->model = ab_sim_summary_new_model (results->setup);

  g_set_object (&self->results, results);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RESULTS]);

  if (results->setup != NULL)
    {
      if (self->debounce_ms == 0)
        start_run (self);
      else
        self->timeout_id = g_timeout_add (self->debounce_ms, debounce_done, self);
    }
}

static void
on_design_changed (AbDesign    *design,
                   AbSimRunner *self)
{
  evaluate (self);
}

static void
ab_sim_runner_dispose (GObject *object)
{
  AbSimRunner *self = AB_SIM_RUNNER (object);

  cancel_run (self);
  if (self->design != NULL)
    g_clear_signal_handler (&self->changed_id, self->design);
  g_clear_object (&self->design);
  g_clear_pointer (&self->problem, ab_problem_unref);
  g_clear_object (&self->results);

  G_OBJECT_CLASS (ab_sim_runner_parent_class)->dispose (object);
}

static void
ab_sim_runner_finalize (GObject *object)
{
  AbSimRunner *self = AB_SIM_RUNNER (object);

  g_free (self->fail_target);

  G_OBJECT_CLASS (ab_sim_runner_parent_class)->finalize (object);
}

static void
ab_sim_runner_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  AbSimRunner *self = AB_SIM_RUNNER (object);

  switch (prop_id)
    {
    case PROP_SCENARIO:
      g_value_set_string (value, ab_sim_scenario_kind_to_string (self->scenario));
      break;
    case PROP_FAIL_TARGET:
      g_value_set_string (value, self->fail_target);
      break;
    case PROP_FAIL_ONE:
      g_value_set_boolean (value, self->fail_one);
      break;
    case PROP_RATE_SCALE:
      g_value_set_double (value, self->rate_scale);
      break;
    case PROP_SEED:
      g_value_set_int64 (value, self->seed);
      break;
    case PROP_BUDGET:
      g_value_set_uint64 (value, self->budget);
      break;
    case PROP_DEBOUNCE:
      g_value_set_uint (value, self->debounce_ms);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->cancellable != NULL);
      break;
    case PROP_RESULTS:
      g_value_set_object (value, self->results);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ab_sim_runner_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  AbSimRunner *self = AB_SIM_RUNNER (object);

  switch (prop_id)
    {
    case PROP_SCENARIO:
      {
        AbSimScenarioKind kind = AB_SIM_SCENARIO_TIMELINE;

        if (g_value_get_string (value) != NULL
            && !ab_sim_scenario_kind_from_string (g_value_get_string (value), &kind))
          {
            g_warning ("Unknown scenario \"%s\"", g_value_get_string (value));
            return;
          }
        if (kind == self->scenario)
          return;
        self->scenario = kind;
      }
      break;
    case PROP_FAIL_TARGET:
      {
        const char *id = g_value_get_string (value);

        if (id != NULL && *id == '\0')
          id = NULL;
        if (g_strcmp0 (id, self->fail_target) == 0)
          return;
        g_free (self->fail_target);
        self->fail_target = g_strdup (id);
      }
      break;
    case PROP_FAIL_ONE:
      if (self->fail_one == g_value_get_boolean (value))
        return;
      self->fail_one = g_value_get_boolean (value);
      break;
    case PROP_RATE_SCALE:
      if (self->rate_scale == g_value_get_double (value))
        return;
      self->rate_scale = g_value_get_double (value);
      break;
    case PROP_SEED:
      if (self->seed == g_value_get_int64 (value))
        return;
      self->seed = g_value_get_int64 (value);
      break;
    case PROP_BUDGET:
      if (self->budget == g_value_get_uint64 (value))
        return;
      self->budget = g_value_get_uint64 (value);
      break;
    case PROP_DEBOUNCE:
      self->debounce_ms = g_value_get_uint (value);
      g_object_notify_by_pspec (object, pspec);
      return;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  g_object_notify_by_pspec (object, pspec);
  evaluate (self);
}

static void
ab_sim_runner_class_init (AbSimRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = ab_sim_runner_dispose;
  object_class->finalize = ab_sim_runner_finalize;
  object_class->get_property = ab_sim_runner_get_property;
  object_class->set_property = ab_sim_runner_set_property;

  props[PROP_SCENARIO] = g_param_spec_string ("scenario", NULL, NULL, "timeline", rw);
  props[PROP_FAIL_TARGET] = g_param_spec_string ("fail-target", NULL, NULL, NULL, rw);
  props[PROP_FAIL_ONE] = g_param_spec_boolean ("fail-one", NULL, NULL, FALSE, rw);
  props[PROP_RATE_SCALE] = g_param_spec_double ("rate-scale", NULL, NULL, 0.0, 1000.0, 1.0, rw);
  props[PROP_SEED] = g_param_spec_int64 ("seed", NULL, NULL, -1, G_MAXINT64, -1, rw);
  props[PROP_BUDGET] = g_param_spec_uint64 ("budget", NULL, NULL, 0, G_MAXUINT64, 0, rw);
  props[PROP_DEBOUNCE] = g_param_spec_uint ("debounce", NULL, NULL, 0, 60000, AB_SIM_RUNNER_DEBOUNCE_MS, rw);
  props[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);
  props[PROP_RESULTS] = g_param_spec_object ("results", NULL, NULL, AB_TYPE_SIM_RESULTS, ro);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
ab_sim_runner_init (AbSimRunner *self)
{
  self->scenario = AB_SIM_SCENARIO_TIMELINE;
  self->rate_scale = 1.0;
  self->seed = -1;
  self->debounce_ms = AB_SIM_RUNNER_DEBOUNCE_MS;
}

AbSimRunner *
ab_sim_runner_new (void)
{
  return g_object_new (AB_TYPE_SIM_RUNNER, NULL);
}

void
ab_sim_runner_set_document (AbSimRunner *self,
                            AbDesign    *design,
                            AbProblem   *problem)
{
  g_return_if_fail (AB_IS_SIM_RUNNER (self));
  g_return_if_fail (design == NULL || AB_IS_DESIGN (design));

  if (self->design != design)
    {
      if (self->design != NULL)
        g_clear_signal_handler (&self->changed_id, self->design);
      g_set_object (&self->design, design);
      if (design != NULL)
        self->changed_id = g_signal_connect (design, "changed", G_CALLBACK (on_design_changed), self);
    }
  if (self->problem != problem)
    {
      g_clear_pointer (&self->problem, ab_problem_unref);
      if (problem != NULL)
        self->problem = ab_problem_ref (problem);
    }
  evaluate (self);
}

void
ab_sim_runner_set_design (AbSimRunner *self,
                          AbDesign    *design)
{
  g_return_if_fail (AB_IS_SIM_RUNNER (self));
  ab_sim_runner_set_document (self, design, self->problem);
}

void
ab_sim_runner_set_problem (AbSimRunner *self,
                           AbProblem   *problem)
{
  g_return_if_fail (AB_IS_SIM_RUNNER (self));
  ab_sim_runner_set_document (self, self->design, problem);
}

AbSimResults *
ab_sim_runner_get_results (AbSimRunner *self)
{
  g_return_val_if_fail (AB_IS_SIM_RUNNER (self), NULL);
  return self->results;
}

gboolean
ab_sim_runner_get_running (AbSimRunner *self)
{
  g_return_val_if_fail (AB_IS_SIM_RUNNER (self), FALSE);
  return self->cancellable != NULL;
}

void
ab_sim_runner_run (AbSimRunner *self)
{
  g_return_if_fail (AB_IS_SIM_RUNNER (self));
  start_run (self);
}

void
ab_sim_runner_stop (AbSimRunner *self)
{
  g_return_if_fail (AB_IS_SIM_RUNNER (self));
  cancel_run (self);
}
