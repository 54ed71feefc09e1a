/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The discrete-event simulation.  Requests are frames (one per station
 * visit, linked to their caller) in a free-listed pool; the event heap holds
 * 16-byte entries (time, type and index); waiting frames sit in
 * per-instance rings.  Stations with many instances are simulated through
 * k <= 8 representative instances: the tracked requests are a fraction f of
 * the modelled traffic and each station tops its representatives up to
 * their per-instance rate with Poisson "phantom" visits that occupy the
 * station but make no calls (docs/simulation.md). */
#define G_LOG_DOMAIN "archboard-des"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ab-types.h"
#include "ab-rng.h"
#include "ab-des.h"

#define MAX_REPRESENTATIVES 8
#define MAX_DEPTH           32
#define MAX_CALLS           65535 /* Frame.cur_call and Frame.step are 16-bit */
/* a frame's miss bits: cache lookups of one list that a later call falls
 * back on */
#define MAX_MISS_SLOTS      64
#define MAX_FRAMES          (1 << 22)
#define CHECK_EVERY         4096
#define DEFAULT_MAX_REPS    256
#define DEFAULT_BATCHES     10
#define MIN_REPS_FOR_CI     5
/* the shortest window of a phase, in buckets */
#define MIN_WINDOW          0.01

enum {
  EV_GEN = 0,
  EV_ARRIVE,
  EV_DEPART,
  EV_BUCKET,
  EV_PHASE,
  EV_SCENARIO,
  EV_FAILOVER,
  EV_SCALE,
  EV_SKIP,
  EV_RELEASE,
  EV_END
};

#define EV_SHIFT 28
#define EV_INDEX_MASK ((1u << EV_SHIFT) - 1)
/* bucket numbers are negative during the warm-up */
#define BUCKET_BIAS (1 << (EV_SHIFT - 1))
#define EV_PACK(type, index) (((guint32) (type) << EV_SHIFT) | (guint32) (index))

typedef struct {
  double  t;
  guint32 what;
} Event;

enum {
  F_USER    = 1 << 0,
  F_BG      = 1 << 1,
  F_PHANTOM = 1 << 2,
  F_HOLD    = 1 << 3, /* served, still holding its slot (blocking calls):
                         t_arrive is then the end of its service */
  F_SPAWNED = 1 << 4  /* a background root whose chain went on: its end is
                         not the end of the chain */
};

/* observed times a blocking station's requests held their slot after
 * their own service, kept for the anonymous (phantom) visits */
#define HOLD_SAMPLES 64

typedef struct {
  double  t_arrive;  /* arrival at the current station */
  double  t_start;   /* roots: request start / async spawn time */
  guint64 missed;    /* absorbable calls of the list made that missed (or
                        failed), bit StepList.miss_bit[call] */
  gint32  parent;    /* caller frame, -1 for a root; free-list link */
  guint16 station;
  guint16 step;
  guint16 cur_call;
  guint8  klass;
  guint8  instance;
  guint8  epoch;
  guint8  flags;
  guint8  depth;
} Frame;

typedef struct {
  gint32 *ring;
  guint   head, len, mask;
  int     busy;
  guint8  epoch;
  /* the fluid backlog ahead of the ring: requests not yet made frames */
  gint64  n_virtual, v_next;
  double  v_total;
  guint   v_knot;
} Instance;

typedef struct {
  int    call;
  double cum;
} Alt;

typedef struct {
  guint  first_alt, n_alt;
  double total;
} Step;

typedef struct {
  Step         *steps;
  guint         n_steps;
  const AbCall *calls;
  gboolean     *absorbable; /* a later call falls back on this one */
  guint8       *miss_bit;   /* its bit in Frame.missed when absorbable */
  gboolean     *covers;     /* its group's members cover for each other */
} StepList;

typedef struct {
  double a_busy, a_cap, a_queue, a_inst, w_comp, sum_soj, n_soj;
} Acc;

enum { ST_UP, ST_DOWN, ST_FAILED_OVER };

typedef struct {
  const AbStation *def;
  double    svc_s[AB_N_CLASSES];
  AbDist    dist;
  double    hit_ratio;
  double    timeout_s;
  double    cap_slots;   /* modelled slots up: n_up * c (0: infinite) */
  int       c;
  AbBalance balance;
  guint     rr;          /* round robin: the next representative */
  gboolean  blocking;    /* a slot stays busy until the calls answer */
  float     hold_ring[AB_N_CLASSES][HOLD_SAMPLES];
  guint     hold_n[AB_N_CLASSES], hold_pos[AB_N_CLASSES];
  double    hold_mean[AB_N_CLASSES]; /* s, running mean of the ring */
  gboolean  infinite;
  gboolean  autoscale;
  int       n_init, n_max, k_alloc;
  int       n_up, n_lost, k_active;
  int       state;
  double    scale;       /* modelled instances per representative */
  Instance *inst;
  int       busy_total;
  gint64    queued_total;
  double    last_t;
  Acc       seg;
  double    as_busy, as_cap, as_time;
  gboolean  scale_pending;
  int       scale_target;
  double    load_user[AB_N_CLASSES], load_bg[AB_N_CLASSES];
  gboolean  reachable;
  /* virtual backlog: arrival time against index from the head (knots),
   * per modelled instance; what its requests are */
  double   *prof_x, *prof_t;
  guint     prof_n, prof_cap;
  double    prof_q;
  double    mix[AB_N_CLASSES * 2 + 1];
  /* the fluid model during a skipped stretch */
  double    fq[AB_N_CLASSES];
  double    fq_start, f_rho;
  gboolean  f_over;
  GArray   *f_steps;
} Station;

/* accepted arrivals per modelled instance during one fluid step */
typedef struct {
  double t, dt, accepted;
} FStep;

enum { GEN_USER, GEN_SELF, GEN_PHANTOM };

typedef struct {
  int    kind, station, klass;
  double rate, next_t, read_frac;
} Gen;

typedef struct {
  AbHistogram *hist[AB_DES_N_SERIES];
  guint64      offered, served, errors, async_errors, async_served;
  double       time, mult_time;
  Acc         *st;
  /* the fluid model's share (skipped stretches) */
  double       est_time, est_mult_time;
  Acc         *est;
} BucketAcc;

typedef struct {
  double mean, p50, p95, p99;
} Est;

typedef struct {
  AbHistogram  *total[AB_DES_N_SERIES];
  AbHistogram **batch;  /* batches * AB_DES_N_SERIES, one replication */
  GArray       *rep_est[AB_DES_N_SERIES];
  GArray       *batch_est[AB_DES_N_SERIES];
  guint64       offered, served, errors, async_errors, async_served;
  guint64       class_served[AB_N_CLASSES], class_errors[AB_N_CLASSES];
  double        time;
  double        start, dur;
  Acc          *st;
} PhaseAcc;

typedef struct {
  const AbNetwork   *net;
  const AbScenario  *sc;
  const AbDesConfig *cfg;
  guint              n;
  Station           *st;
  StepList          *lists;
  Alt               *alts;

  Gen   *gens;
  guint  n_gens;

  Event   *heap;
  guint    heap_n, heap_cap;
  gboolean top_pending;

  Frame *frames;
  guint  n_frames, cap_frames, live_frames;
  gint32 free_frame;

  GArray *pending_fail;

  AbRng  rng;
  const AbRngZiggurat *zig;
  double now, t_end, warmup, bucket_s;
  double f;
  int    K;
  double mult;
  double entry_cum[AB_N_CLASSES][64];
  int    entry_station[AB_N_CLASSES][64];
  guint  n_entries[AB_N_CLASSES];

  int      *event_station;  /* per scenario event */
  guint     next_event;
  guint     next_phase;
  int       cur_phase, cur_bucket;
  double    phase_t0, batch_inv;
  double    last_flush;
  guint     n_buckets, n_phases, nb;
  BucketAcc *buckets;
  PhaseAcc  *phases;
  guint      rep;
  int        first_bucket;

  guint64   events, visits, visit_limit;
  gboolean  stop, cancelled;

  /* windows: the stretches simulated (absolute times, warm-up included) */
  gboolean  windowed, skipping;
  double   *sl_start, *sl_end;
  guint     n_slices;
  /* each slice's planned visits and latest end, as planned and as
   * adjusted in this replication; its visit budget and use */
  double   *sl_cost, *sl_min, *sl_max, *sl_start0, *sl_end0, *sl_cost0;
  gboolean *sl_centred;
  double    rep_budget;
  guint64   rep_visits0;
  double   *phase_sim;     /* seconds simulated per phase */
  guint    *phase_windows;
  GArray   *parked;        /* frame events held over a skip */
  /* the fluid model: routing (CSR over station * class), rates */
  guint    *f_first, *f_to;
  double   *f_w, *f_src, *f_arr, *f_next, *f_served;
  gboolean  f_dirty;
  double    fluid_t;

  AbDesBucket stream_bucket;
  AbDesBucket emit_prev, emit_next;
  guint       next_emit;
  gboolean    have_prev;
} Sim;

/* ---------------------------------------------------------------- heap -- */

static inline void
heap_sift_down (Sim *sim, guint i, Event e)
{
  Event *h = sim->heap;
  guint n = sim->heap_n;

  for (;;)
    {
      guint c = 4 * i + 1, m, end;

      if (c >= n)
        break;
      m = c;
      end = MIN (c + 4, n);
      for (guint j = c + 1; j < end; j++)
        if (h[j].t < h[m].t)
          m = j;
      if (h[m].t < e.t)
        {
          h[i] = h[m];
          i = m;
        }
      else
        break;
    }
  h[i] = e;
}

static inline void
heap_push (Sim *sim, double t, guint32 what)
{
  Event e = { t, what };
  guint i;

  if (sim->top_pending)
    {
      sim->top_pending = FALSE;
      heap_sift_down (sim, 0, e);
      return;
    }
  if (G_UNLIKELY (sim->heap_n == sim->heap_cap))
    {
      sim->heap_cap = MAX (64, sim->heap_cap * 2);
      sim->heap = g_renew (Event, sim->heap, sim->heap_cap);
    }
  i = sim->heap_n++;
  while (i > 0)
    {
      guint p = (i - 1) / 4;

      if (e.t < sim->heap[p].t)
        {
          sim->heap[i] = sim->heap[p];
          i = p;
        }
      else
        break;
    }
  sim->heap[i] = e;
}

static inline void
heap_drop_top (Sim *sim)
{
  Event last;

  sim->top_pending = FALSE;
  last = sim->heap[--sim->heap_n];
  if (sim->heap_n > 0)
    heap_sift_down (sim, 0, last);
}

/* -------------------------------------------------------------- frames -- */

static inline gint32
frame_alloc (Sim *sim)
{
  gint32 idx;

  if (sim->free_frame >= 0)
    {
      idx = sim->free_frame;
      sim->free_frame = sim->frames[idx].parent;
    }
  else
    {
      if (G_UNLIKELY (sim->n_frames == sim->cap_frames))
        {
          if (sim->cap_frames >= MAX_FRAMES)
            return -1;
          sim->cap_frames = MAX (1024, sim->cap_frames * 2);
          sim->frames = g_renew (Frame, sim->frames, sim->cap_frames);
        }
      idx = (gint32) sim->n_frames++;
    }
  sim->live_frames++;
  return idx;
}

static inline void
frame_free (Sim *sim, gint32 idx)
{
  sim->frames[idx].parent = sim->free_frame;
  sim->free_frame = idx;
  sim->live_frames--;
}

/* ------------------------------------------------------------ stations -- */

static inline void
station_touch (Station *st, double now)
{
  double dt = now - st->last_t;

  if (dt > 0.0)
    {
      double busy = st->busy_total * st->scale * dt;
      double cap = st->cap_slots * dt;

      st->seg.a_busy += busy;
      st->seg.a_queue += st->queued_total * st->scale * dt;
      st->seg.a_cap += cap;
      st->seg.a_inst += st->n_up * dt;
      st->as_busy += busy;
      st->as_cap += cap;
      st->as_time += dt;
      st->last_t = now;
    }
}

/* Mean time a request of @klass holds a slot of @st: its service, plus
 * for a blocking station the time its calls took (as observed). */
static inline double
slot_s (const Station *st, int klass)
{
  return st->svc_s[klass] + (st->blocking ? st->hold_mean[klass] : 0.0);
}

/* Slot-seconds a request of @klass costs the whole station: a replica's
 * write is applied by every copy of its shard. */
static inline double
work_s (const Sim *sim, const Station *st, int klass)
{
  return slot_s (st, klass) * ab_network_copies (sim->net, (int) (st - sim->st), klass, st->n_up);
}

static inline int
resolve (const Sim *sim, int s)
{
  if (G_LIKELY (sim->st[s].state == ST_UP))
    return s;
  for (guint hops = 0; hops <= sim->n; hops++)
    {
      const Station *st = &sim->st[s];

      if (st->state == ST_UP)
        return s;
      if (st->state == ST_DOWN)
        return -1;
      s = st->def->failover_to;
    }
  return -1;
}

static gboolean
des_live (gconstpointer data, int station)
{
  return resolve (data, station) >= 0;
}

/* Chance that call @j of @cl is made per onward-calling visit, under the
 * current up / down state: its share of an exclusive group, times, for a
 * cache-aside fallback, the chance its lookup was made and missed (a lost
 * cache always misses).  @pmade holds the chances of the earlier calls. */
static double
call_made_probability (const Sim        *sim,
                       const AbCallList *cl,
                       guint             j,
                       const double     *pmade)
{
  const AbCall *call = &cl->calls[j];
  double base = call->probability;

  if (call->group >= 0)
    {
      double gt = 0.0;

      for (guint k = 0; k < cl->n_calls; k++)
        if (cl->calls[k].group == call->group)
          gt += cl->calls[k].probability;
      base = gt > 0.0 ? call->probability / gt : 0.0;
      base *= ab_network_group_live_factor (sim->net, cl, j, des_live, sim);
    }
  if (call->on_miss_of >= 0)
    {
      const AbCall *prev_call = &cl->calls[call->on_miss_of];
      int prev = resolve (sim, prev_call->callee);
      double miss = prev < 0 || prev_call->as_class != AB_CLASS_READ
                    ? 1.0 : 1.0 - sim->st[prev].def->hit_ratio;

      base *= pmade[call->on_miss_of] * miss;
    }
  return base;
}

static inline double
sample_service (Sim *sim, const Station *st, int klass)
{
  double mean = st->svc_s[klass];

  switch (st->dist)
    {
    case AB_DIST_DETERMINISTIC:
      return mean;
    case AB_DIST_LOGNORMAL:
      return ab_rng_lognormal (&sim->rng, mean, st->def->cv);
    case AB_DIST_EXPONENTIAL:
    default:
      return mean * ab_rng_exp1 (&sim->rng, sim->zig);
    }
}

/* ------------------------------------------------------------ recording -- */

static inline void
record_latency (Sim *sim, int series, double ms)
{
  if (sim->cur_bucket >= 0)
    ab_histogram_record (sim->buckets[sim->cur_bucket].hist[series], ms);
  if (sim->cur_phase >= 0)
    {
      PhaseAcc *ph = &sim->phases[sim->cur_phase];
      int b = (int) ((sim->now - sim->phase_t0) * sim->batch_inv);

      b = CLAMP (b, 0, (int) sim->nb - 1);
      ab_histogram_record (ph->batch[b * AB_DES_N_SERIES + series], ms);
    }
}

static void continue_frame (Sim *sim, gint32 fi);
static void arrive (Sim *sim, gint32 fi);
static void hold_end (Sim *sim, gint32 fi);
static gboolean virtual_take (Sim *sim, Station *st, Instance *in);
static void virtual_fail (Sim *sim, const Station *st, gint64 count);

static void
finish_frame (Sim *sim, gint32 fi, gboolean ok, gboolean hit)
{
  for (;;)
    {
      Frame *f = &sim->frames[fi];
      gint32 parent = f->parent;
      Frame *p;

      if (G_UNLIKELY (f->flags & F_HOLD))
        {
          hold_end (sim, fi);
          f = &sim->frames[fi]; /* the pool may have moved */
        }
      if (parent < 0)
        {
          if (f->flags & F_USER)
            {
              if (ok)
                {
                  double ms = (sim->now - f->t_start) * 1000.0;

                  /* AB_DES_ALL is the merge of the classes, made later */
                  record_latency (sim, f->klass, ms);
                  if (sim->cur_bucket >= 0)
                    sim->buckets[sim->cur_bucket].served++;
                  if (sim->cur_phase >= 0)
                    {
                      sim->phases[sim->cur_phase].served++;
                      sim->phases[sim->cur_phase].class_served[f->klass]++;
                    }
                }
              else
                {
                  if (sim->cur_bucket >= 0)
                    sim->buckets[sim->cur_bucket].errors++;
                  if (sim->cur_phase >= 0)
                    {
                      sim->phases[sim->cur_phase].errors++;
                      sim->phases[sim->cur_phase].class_errors[f->klass]++;
                    }
                }
            }
          else if (f->flags & F_BG)
            {
              if (ok)
                {
                  /* t_start is when the chain began; its last stage
                   * gives the lag */
                  if (!(f->flags & F_SPAWNED))
                    record_latency (sim, AB_DES_ASYNC, (sim->now - f->t_start) * 1000.0);
                  if (sim->cur_bucket >= 0)
                    sim->buckets[sim->cur_bucket].async_served++;
                  if (sim->cur_phase >= 0)
                    sim->phases[sim->cur_phase].async_served++;
                }
              else
                {
                  if (sim->cur_bucket >= 0)
                    sim->buckets[sim->cur_bucket].async_errors++;
                  if (sim->cur_phase >= 0)
                    sim->phases[sim->cur_phase].async_errors++;
                }
            }
          frame_free (sim, fi);
          return;
        }

      frame_free (sim, fi);
      p = &sim->frames[parent];
      if (ok)
        {
          const StepList *pl = &sim->lists[p->station * AB_N_CLASSES + p->klass];

          if (!hit && pl->absorbable[p->cur_call])
            p->missed |= G_GUINT64_CONSTANT (1) << pl->miss_bit[p->cur_call];
          continue_frame (sim, parent);
          return;
        }
      if (sim->lists[p->station * AB_N_CLASSES + p->klass].absorbable[p->cur_call])
        {
          const StepList *pl = &sim->lists[p->station * AB_N_CLASSES + p->klass];

          p->missed |= G_GUINT64_CONSTANT (1) << pl->miss_bit[p->cur_call];
          continue_frame (sim, parent);
          return;
        }
      fi = parent;
      hit = FALSE;
    }
}

static inline void
fail_frame (Sim *sim, gint32 fi)
{
  finish_frame (sim, fi, FALSE, FALSE);
}

static void
drain_pending_failures (Sim *sim)
{
  while (sim->pending_fail->len > 0)
    {
      gint32 fi = g_array_index (sim->pending_fail, gint32, sim->pending_fail->len - 1);

      g_array_set_size (sim->pending_fail, sim->pending_fail->len - 1);
      fail_frame (sim, fi);
    }
}

static void
spawn_background (Sim *sim, int station, int klass, double net_ms, guint8 depth, double origin)
{
  gint32 ci = frame_alloc (sim);
  Frame *c;

  if (ci < 0)
    {
      if (sim->cur_bucket >= 0)
        sim->buckets[sim->cur_bucket].async_errors++;
      if (sim->cur_phase >= 0)
        sim->phases[sim->cur_phase].async_errors++;
      return;
    }
  c = &sim->frames[ci];
  c->parent = -1;
  c->station = (guint16) station;
  c->klass = (guint8) klass;
  c->step = 0;
  c->missed = 0;
  c->flags = F_BG;
  c->depth = depth;
  c->t_start = origin;
  c->t_arrive = sim->now;
  if (net_ms > 0.0)
    heap_push (sim, sim->now + net_ms / 1000.0, EV_PACK (EV_ARRIVE, ci));
  else
    arrive (sim, ci);
}

/* The chosen member @ci of a group is lost: when the group covers for
 * its members, one of the live ones by their weights instead. */
static int
repick (Sim *sim, const StepList *list, const Step *step, int ci)
{
  double live = 0.0, u, prev = 0.0;
  int last = -1;

  for (guint j = 0; j < step->n_alt; j++)
    {
      const Alt *a = &sim->alts[step->first_alt + j];
      double w = a->cum - prev;

      prev = a->cum;
      if (resolve (sim, list->calls[a->call].callee) >= 0)
        live += w;
    }
  if (live <= 0.0 || !list->covers[ci])
    return ci;
  u = ab_rng_double (&sim->rng) * live;
  prev = 0.0;
  for (guint j = 0; j < step->n_alt; j++)
    {
      const Alt *a = &sim->alts[step->first_alt + j];
      double w = a->cum - prev;

      prev = a->cum;
      if (resolve (sim, list->calls[a->call].callee) < 0)
        continue;
      last = a->call;
      if (u < w)
        return a->call;
      u -= w;
    }
  return last >= 0 ? last : ci;
}

static void
continue_frame (Sim *sim, gint32 fi)
{
  for (;;)
    {
      Frame *f = &sim->frames[fi];
      const StepList *list = &sim->lists[f->station * AB_N_CLASSES + f->klass];
      const Step *step;
      const AbCall *call;
      int ci = -1;
      gint32 child;
      Frame *c;

      if (f->step >= list->n_steps)
        {
          finish_frame (sim, fi, TRUE, FALSE);
          return;
        }
      step = &list->steps[f->step++];
      if (step->n_alt == 1)
        {
          const Alt *a = &sim->alts[step->first_alt];
          double p = list->calls[a->call].probability;

          if (p >= 1.0 || ab_rng_double (&sim->rng) < p)
            ci = a->call;
        }
      else
        {
          double u = ab_rng_double (&sim->rng) * step->total;

          const Alt *alts = &sim->alts[step->first_alt];
          guint lo = 0, hi = step->n_alt - 1;

          /* the first alternative with u < cum (the last one when none):
           * cum never decreases, so bisect; a wide group (shards) costs
           * log n */
          while (lo < hi)
            {
              guint mid = lo + (hi - lo) / 2;

              if (u < alts[mid].cum)
                hi = mid;
              else
                lo = mid + 1;
            }
          ci = alts[lo].call;
        }
      if (ci < 0)
        continue;
      if (G_UNLIKELY (step->n_alt > 1 && resolve (sim, list->calls[ci].callee) < 0))
        ci = repick (sim, list, step, ci);
      call = &list->calls[ci];
      if (call->on_miss_of >= 0 &&
          !(f->missed & (G_GUINT64_CONSTANT (1) << list->miss_bit[call->on_miss_of])))
        continue;

      if (call->async)
        {
          /* a background chain keeps its start: the lag is summed over
           * its stages */
          gint32 root = fi;
          double origin = sim->now;

          while (sim->frames[root].parent >= 0)
            root = sim->frames[root].parent;
          if (sim->frames[root].flags & F_BG)
            {
              origin = sim->frames[root].t_start;
              sim->frames[root].flags |= F_SPAWNED;
            }
          spawn_background (sim, call->callee, call->as_class, call->net_ms, f->depth, origin);
          continue;
        }

      f->cur_call = (guint16) ci;
      child = frame_alloc (sim);
      f = &sim->frames[fi]; /* the pool may have moved */
      if (child < 0 || f->depth + 1 >= MAX_DEPTH)
        {
          /* too deep (a routing cycle) or too many requests in flight:
           * the call fails */
          if (child >= 0)
            frame_free (sim, child);
          if (list->absorbable[ci])
            {
              f->missed |= G_GUINT64_CONSTANT (1) << list->miss_bit[ci];
              continue;
            }
          finish_frame (sim, fi, FALSE, FALSE);
          return;
        }
      c = &sim->frames[child];
      c->parent = fi;
      c->station = (guint16) call->callee;
      c->klass = (guint8) call->as_class;
      c->step = 0;
      c->missed = 0;
      c->flags = 0;
      c->depth = f->depth + 1;
      c->t_start = sim->now;
      c->t_arrive = sim->now;
      if (call->net_ms > 0.0)
        heap_push (sim, sim->now + call->net_ms / 1000.0, EV_PACK (EV_ARRIVE, child));
      else
        arrive (sim, child);
      return;
    }
}

static void
after_service (Sim *sim, gint32 fi)
{
  Frame *f = &sim->frames[fi];
  const Station *st = &sim->st[f->station];

  if (f->flags & F_PHANTOM)
    {
      frame_free (sim, fi);
      return;
    }
  /* a hit (cache, cdn: reads only) answers there: no onward calls */
  if (st->hit_ratio > 0.0 && f->klass == AB_CLASS_READ &&
      ab_rng_double (&sim->rng) < st->hit_ratio)
    {
      finish_frame (sim, fi, TRUE, TRUE);
      return;
    }
  continue_frame (sim, fi);
}

static inline void
start_service (Sim *sim, Station *st, Instance *in, gint32 fi)
{
  Frame *f = &sim->frames[fi];

  in->busy++;
  st->busy_total++;
  f->epoch = in->epoch;
  heap_push (sim, sim->now + sample_service (sim, st, f->klass), EV_PACK (EV_DEPART, fi));
}

static void
ring_push (Instance *in, gint32 fi)
{
  if (G_UNLIKELY (in->len > in->mask || in->ring == NULL))
    {
      guint cap = in->ring == NULL ? 16 : (in->mask + 1) * 2;
      gint32 *ring = g_new (gint32, cap);

      for (guint i = 0; i < in->len; i++)
        ring[i] = in->ring[(in->head + i) & in->mask];
      g_free (in->ring);
      in->ring = ring;
      in->head = 0;
      in->mask = cap - 1;
    }
  in->ring[(in->head + in->len) & in->mask] = fi;
  in->len++;
}

static inline gint32
ring_pop (Instance *in)
{
  gint32 fi = in->ring[in->head];

  in->head = (in->head + 1) & in->mask;
  in->len--;
  return fi;
}

/* The representative a visit goes to, by the balancer's policy: the
 * next in turn, the one with the fewest requests in flight (ties go to
 * the next in turn), or a random one. */
static inline guint
pick_instance (Sim *sim, Station *st)
{
  guint k = (guint) st->k_active, ii;

  switch (st->balance)
    {
    case AB_BALANCE_RANDOM:
      return ab_rng_below (&sim->rng, (guint32) k);
    case AB_BALANCE_LEAST_CONNECTIONS:
      {
        gint64 best = G_MAXINT64;
        guint start = st->rr % k;

        ii = start;
        for (guint j = 0; j < k; j++)
          {
            guint i = start + j < k ? start + j : start + j - k;
            const Instance *in = &st->inst[i];
            gint64 load = in->busy + (gint64) in->len + in->n_virtual;

            if (load < best)
              {
                best = load;
                ii = i;
              }
          }
        st->rr = start + 1;
        return ii;
      }
    case AB_BALANCE_ROUND_ROBIN:
    default:
      ii = st->rr % k;
      st->rr = ii + 1;
      return ii;
    }
}

static void
arrive (Sim *sim, gint32 fi)
{
  Frame *f = &sim->frames[fi];
  int s = resolve (sim, f->station);
  Station *st;
  Instance *in;
  guint ii;

  sim->visits++;
  if (s < 0)
    {
      fail_frame (sim, fi);
      return;
    }
  f->station = (guint16) s;
  st = &sim->st[s];
  f->t_arrive = sim->now;
  if (st->svc_s[f->klass] <= 0.0)
    {
      /* no service time: a pass-through (a client, say); only the
       * tracked requests visit it, hence the weight */
      if (!(f->flags & F_PHANTOM))
        {
          st->seg.w_comp += 1.0 / sim->f;
          st->seg.n_soj += 1.0;
        }
      after_service (sim, fi);
      return;
    }
  ii = st->k_active == 1 ? 0 : pick_instance (sim, st);
  in = &st->inst[ii];
  f->instance = (guint8) ii;
  station_touch (st, sim->now);
  if (st->infinite || in->busy < st->c)
    start_service (sim, st, in, fi);
  else if (st->def->queue_limit > 0 &&
           in->len + in->n_virtual >= (gint64) st->def->queue_limit)
    fail_frame (sim, fi);
  else
    {
      ring_push (in, fi);
      st->queued_total++;
    }
}

/* Frees a slot of @in: the next waiting request (virtual backlog first)
 * starts; those that waited past the timeout fail (pending). */
static void
slot_free (Sim *sim, Station *st, Instance *in)
{
  double timeout_s = st->timeout_s;

  station_touch (st, sim->now);
  in->busy--;
  st->busy_total--;
  while (G_UNLIKELY (in->n_virtual > 0))
    if (virtual_take (sim, st, in))
      return;
  while (in->len > 0)
    {
      gint32 wi = ring_pop (in);

      st->queued_total--;
      if (timeout_s > 0.0 && sim->now - sim->frames[wi].t_arrive > timeout_s)
        {
          g_array_append_val (sim->pending_fail, wi);
          continue;
        }
      start_service (sim, st, in, wi);
      break;
    }
}

/* A held request's calls have answered (or failed): its slot is free. */
static void
hold_end (Sim *sim, gint32 fi)
{
  Frame *f = &sim->frames[fi];
  Station *st = &sim->st[f->station];
  Instance *in = &st->inst[f->instance];
  int k = f->klass;
  double held = sim->now - f->t_arrive;

  f->flags &= (guint8) ~F_HOLD;
  if (!(f->flags & F_PHANTOM))
    {
      st->hold_ring[k][st->hold_pos[k]] = (float) held;
      st->hold_pos[k] = (st->hold_pos[k] + 1) % HOLD_SAMPLES;
      if (st->hold_n[k] < HOLD_SAMPLES)
        {
          st->hold_n[k]++;
          st->hold_mean[k] += (held - st->hold_mean[k]) / st->hold_n[k];
        }
      else
        st->hold_mean[k] += (held - st->hold_mean[k]) / HOLD_SAMPLES;
    }
  if (f->epoch == in->epoch)
    slot_free (sim, st, in);
}

static void
depart (Sim *sim, gint32 fi)
{
  Frame *f = &sim->frames[fi];
  Station *st = &sim->st[f->station];
  Instance *in = &st->inst[f->instance];

  if (G_UNLIKELY (f->epoch != in->epoch))
    {
      /* the instance was lost while this request was in service */
      fail_frame (sim, fi);
      return;
    }
  station_touch (st, sim->now);
  st->seg.w_comp += st->scale;
  st->seg.sum_soj += sim->now - f->t_arrive;
  st->seg.n_soj += 1.0;
  if (st->blocking)
    {
      /* thread per request: the slot stays busy while the calls run */
      if (!(f->flags & F_PHANTOM))
        {
          f->flags |= F_HOLD;
          f->t_arrive = sim->now;
          after_service (sim, fi);
          drain_pending_failures (sim);
          return;
        }
      if (st->hold_n[f->klass] > 0)
        {
          /* an anonymous visit makes no calls: it holds its slot for a
           * call time observed on the followed requests */
          double held = st->hold_ring[f->klass][ab_rng_below (&sim->rng, st->hold_n[f->klass])];

          if (held > 0.0)
            {
              f->flags |= F_HOLD;
              f->t_arrive = sim->now;
              heap_push (sim, sim->now + held, EV_PACK (EV_RELEASE, fi));
              return;
            }
        }
    }
  slot_free (sim, st, in);
  after_service (sim, fi);
  drain_pending_failures (sim);
}

/* ------------------------------------------------------------- routing -- */

/* The longest call list: the size of a scratch array of per-call chances. */
static guint
longest_call_list (const Sim *sim)
{
  guint longest = 1;

  for (guint i = 0; i < sim->n * AB_N_CLASSES; i++)
    longest = MAX (longest, sim->net->calls[i].n_calls);
  return longest;
}

/* Expected visits per station and class from @src (n * AB_N_CLASSES
 * arrival rates at the named stations) under the current up / down state.
 * FALSE when the propagation does not converge (a cycle that feeds
 * itself). */
static gboolean
propagate (Sim *sim, const double *src, double *load)
{
  guint nn = sim->n * AB_N_CLASSES;
  g_autofree double *cur = g_new0 (double, nn);
  g_autofree double *next = g_new0 (double, nn);
  g_autofree double *pmade = g_new (double, longest_call_list (sim));

  memset (load, 0, sizeof (double) * nn);
  for (guint i = 0; i < nn; i++)
    {
      int s = resolve (sim, (int) (i / AB_N_CLASSES));

      if (s >= 0)
        cur[s * AB_N_CLASSES + i % AB_N_CLASSES] += src[i];
    }
  for (int iter = 0; iter < 4096; iter++)
    {
      double total = 0.0, done = 0.0;

      for (guint i = 0; i < nn; i++)
        {
          total += cur[i];
          load[i] += cur[i];
          done += load[i];
        }
      if (total <= 1e-12 * done || total == 0.0)
        return TRUE;
      memset (next, 0, sizeof (double) * nn);
      for (guint i = 0; i < nn; i++)
        {
          const AbCallList *cl;
          const Station *st;
          double w;

          if (cur[i] == 0.0)
            continue;
          st = &sim->st[i / AB_N_CLASSES];
          cl = &sim->net->calls[i];
          w = i % AB_N_CLASSES == AB_CLASS_READ ? cur[i] * (1.0 - st->def->hit_ratio) : cur[i];
          for (guint j = 0; j < cl->n_calls; j++)
            {
              const AbCall *call = &cl->calls[j];
              int callee = resolve (sim, call->callee);
              double base = call_made_probability (sim, cl, j, pmade);

              pmade[j] = base;
              if (callee >= 0)
                next[callee * AB_N_CLASSES + call->as_class] += w * base;
            }
        }
      memcpy (cur, next, sizeof (double) * nn);
    }
  return FALSE;
}

static gboolean
compute_loads (Sim *sim)
{
  guint nn = sim->n * AB_N_CLASSES;
  g_autofree double *src = g_new0 (double, nn);
  g_autofree double *load = g_new0 (double, nn);

  for (int c = 0; c < AB_N_CLASSES; c++)
    for (guint e = 0; e < sim->net->entries[c].n; e++)
      src[sim->net->entries[c].stations[e] * AB_N_CLASSES + c] +=
        sim->net->rate[c] * sim->net->entries[c].shares[e];
  if (!propagate (sim, src, load))
    return FALSE;
  for (guint s = 0; s < sim->n; s++)
    for (int c = 0; c < AB_N_CLASSES; c++)
      sim->st[s].load_user[c] = load[s * AB_N_CLASSES + c];

  memset (src, 0, sizeof (double) * nn);
  for (guint s = 0; s < sim->n; s++)
    for (int c = 0; c < AB_N_CLASSES; c++)
      src[s * AB_N_CLASSES + c] = sim->net->stations[s].self_rate[c];
  if (!propagate (sim, src, load))
    return FALSE;
  for (guint s = 0; s < sim->n; s++)
    for (int c = 0; c < AB_N_CLASSES; c++)
      sim->st[s].load_bg[c] = load[s * AB_N_CLASSES + c];
  return TRUE;
}

static void
set_gen_rate (Sim *sim, guint g, double rate)
{
  Gen *gen = &sim->gens[g];

  if (rate == gen->rate)
    return;
  gen->rate = rate;
  if (rate > 0.0)
    {
      gen->next_t = sim->now + ab_rng_exponential (&sim->rng, 1.0 / rate);
      heap_push (sim, gen->next_t, EV_PACK (EV_GEN, g));
    }
  else
    gen->next_t = INFINITY;
}

static void
update_rates (Sim *sim)
{
  for (guint g = 0; g < sim->n_gens; g++)
    {
      Gen *gen = &sim->gens[g];
      double rate = 0.0;

      switch (gen->kind)
        {
        case GEN_USER:
          rate = sim->f * sim->net->rate[gen->klass] * sim->mult;
          break;
        case GEN_SELF:
          rate = sim->st[gen->station].state == ST_UP
                 ? sim->f * sim->net->stations[gen->station].self_rate[gen->klass] : 0.0;
          break;
        case GEN_PHANTOM:
          {
            Station *st = &sim->st[gen->station];
            double r[AB_N_CLASSES] = { 0 };

            if (st->state != ST_UP || st->n_up <= 0)
              break;
            for (int c = 0; c < AB_N_CLASSES; c++)
              {
                /* a replica's representatives each apply every write of
                 * their shard */
                double fc = (double) st->k_active / st->n_up
                            * ab_network_copies (sim->net, gen->station, c, st->n_up) - sim->f;

                if (st->svc_s[c] > 0.0 && fc > 1e-12)
                  r[c] = (sim->mult * st->load_user[c] + st->load_bg[c]) * fc;
              }
            rate = r[AB_CLASS_READ] + r[AB_CLASS_WRITE];
            gen->read_frac = rate > 0.0 ? r[AB_CLASS_READ] / rate : 1.0;
          }
          break;
        default:
          g_assert_not_reached ();
        }
      set_gen_rate (sim, g, rate);
    }
}

/* ----------------------------------------------------------- instances -- */

static void
kill_instance (Sim *sim, Station *st, Instance *in)
{
  st->busy_total -= in->busy;
  in->busy = 0;
  in->epoch++;
  if (in->n_virtual > 0)
    {
      virtual_fail (sim, st, in->n_virtual);
      st->queued_total -= in->n_virtual;
      in->n_virtual = 0;
    }
  while (in->len > 0)
    {
      gint32 wi = ring_pop (in);

      st->queued_total--;
      g_array_append_val (sim->pending_fail, wi);
    }
}

/* Brings the representatives in line with n_up; instances above the new
 * count are killed (@lost) or drained (scale-in). */
static void
set_instances (Sim *sim, Station *st, gboolean lost)
{
  int k = st->state == ST_UP ? MIN (st->n_up, st->k_alloc) : 0;

  station_touch (st, sim->now);
  if (lost)
    for (int i = k; i < st->k_alloc; i++)
      kill_instance (sim, st, &st->inst[i]);
  st->k_active = k;
  st->scale = k > 0 ? (double) st->n_up / k : 0.0;
  st->cap_slots = st->infinite ? 0.0 : (double) st->n_up * st->c;
}

static void
station_lose (Sim *sim, int s, int count, gboolean whole)
{
  Station *st = &sim->st[s];

  if (st->state != ST_UP)
    return;
  station_touch (st, sim->now);
  if (whole || count >= st->n_up)
    {
      st->n_lost += st->n_up;
      st->n_up = 0;
      st->state = ST_DOWN;
      st->scale_pending = FALSE;
      set_instances (sim, st, TRUE);
      if (st->def->failover_to >= 0)
        heap_push (sim, sim->now + MAX (0.0, st->def->failover_s), EV_PACK (EV_FAILOVER, s));
    }
  else
    {
      st->n_lost += count;
      st->n_up -= count;
      set_instances (sim, st, TRUE);
    }
}

static void
station_recover (Sim *sim, int s)
{
  Station *st = &sim->st[s];

  station_touch (st, sim->now);
  st->n_up = MIN (st->n_up + st->n_lost, st->n_max);
  st->n_up = MAX (st->n_up, 1);
  st->n_lost = 0;
  st->state = ST_UP;
  set_instances (sim, st, FALSE);
}

/* ------------------------------------------------------------- buckets -- */

static void
acc_add (Acc *dst, const Acc *src)
{
  dst->a_busy += src->a_busy;
  dst->a_cap += src->a_cap;
  dst->a_queue += src->a_queue;
  dst->a_inst += src->a_inst;
  dst->w_comp += src->w_comp;
  dst->sum_soj += src->sum_soj;
  dst->n_soj += src->n_soj;
}

static void
acc_to_stats (const Acc *acc, double time, AbDesStationStats *out)
{
  memset (out, 0, sizeof *out);
  if (time <= 0.0)
    return;
  out->utilisation = acc->a_cap > 0.0 ? acc->a_busy / acc->a_cap : 0.0;
  out->queue_len = acc->a_queue / time;
  out->in_station = (acc->a_busy + acc->a_queue) / time;
  out->throughput = acc->w_comp / time;
  out->sojourn_ms = acc->n_soj > 0.0 ? acc->sum_soj / acc->n_soj * 1000.0 : 0.0;
  out->instances = acc->a_inst / time;
}

static void
latency_summary (const AbHistogram *h, AbDesLatency *out)
{
  out->count = ab_histogram_count (h);
  out->mean_ms = ab_histogram_mean (h);
  out->p50_ms = ab_histogram_quantile (h, 0.50);
  out->p95_ms = ab_histogram_quantile (h, 0.95);
  out->p99_ms = ab_histogram_quantile (h, 0.99);
}

static void
flush (Sim *sim)
{
  double dt = sim->now - sim->last_flush;
  BucketAcc *b = sim->cur_bucket >= 0 ? &sim->buckets[sim->cur_bucket] : NULL;
  PhaseAcc *p = sim->cur_phase >= 0 ? &sim->phases[sim->cur_phase] : NULL;

  if (sim->skipping)
    {
      /* the fluid model accounts for skipped time */
      sim->last_flush = sim->now;
      return;
    }
  for (guint s = 0; s < sim->n; s++)
    {
      Station *st = &sim->st[s];

      station_touch (st, sim->now);
      if (b != NULL)
        acc_add (&b->st[s], &st->seg);
      if (p != NULL)
        acc_add (&p->st[s], &st->seg);
      memset (&st->seg, 0, sizeof st->seg);
    }
  if (b != NULL)
    {
      b->time += dt;
      b->mult_time += sim->mult * dt;
    }
  if (p != NULL)
    p->time += dt;
  sim->last_flush = sim->now;
}

static void
fill_bucket (Sim *sim, guint index, AbDesBucket *out)
{
  const BucketAcc *b = &sim->buckets[index];
  double t = b->time;
  double denom = sim->f * t;

  out->index = index;
  out->t_s = index * sim->bucket_s;
  out->duration_s = MIN (sim->bucket_s, sim->t_end - sim->warmup - out->t_s);
  out->phase = ab_scenario_phase_at (sim->sc, out->t_s);
  out->estimated = t <= 0.0 && b->est_time > 0.0;
  out->coverage = t + b->est_time > 0.0 ? t / (t + b->est_time) : 0.0;
  if (out->estimated)
    {
      /* served, errors and latency: interpolated by the caller */
      memset (out->latency, 0, sizeof out->latency);
      out->multiplier = b->est_mult_time / b->est_time;
      out->offered_rps = out->multiplier * (sim->net->rate[0] + sim->net->rate[1]);
      out->served_rps = out->errors_rps = out->error_rate = 0.0;
      out->background_error_rate = 0.0;
      out->n_stations = sim->n;
      for (guint s = 0; s < sim->n; s++)
        acc_to_stats (&b->est[s], b->est_time, &out->stations[s]);
      return;
    }
  out->multiplier = t > 0.0 ? b->mult_time / t : 0.0;
  out->offered_rps = denom > 0.0 ? b->offered / denom : 0.0;
  out->served_rps = denom > 0.0 ? b->served / denom : 0.0;
  out->errors_rps = denom > 0.0 ? b->errors / denom : 0.0;
  out->error_rate = b->served + b->errors > 0
                    ? (double) b->errors / (double) (b->served + b->errors) : 0.0;
  out->background_error_rate = b->async_served + b->async_errors > 0
                               ? (double) b->async_errors / (double) (b->async_served + b->async_errors)
                               : 0.0;
  ab_histogram_reset (b->hist[AB_DES_ALL]);
  ab_histogram_merge (b->hist[AB_DES_ALL], b->hist[AB_DES_READ]);
  ab_histogram_merge (b->hist[AB_DES_ALL], b->hist[AB_DES_WRITE]);
  for (int k = 0; k < AB_DES_N_SERIES; k++)
    latency_summary (b->hist[k], &out->latency[k]);
  out->n_stations = sim->n;
  for (guint s = 0; s < sim->n; s++)
    acc_to_stats (&b->st[s], t, &out->stations[s]);
}

static double
multiplier_integral (const AbScenario *sc, double a, double b)
{
  double total = 0.0, start = 0.0;

  if (a < 0.0)
    {
      total += (MIN (b, 0.0) - a) * g_array_index (sc->phases, AbPhase, 0).mult_start;
      a = 0.0;
    }
  for (guint i = 0; i < sc->phases->len && a < b; i++)
    {
      const AbPhase *p = &g_array_index (sc->phases, AbPhase, i);
      double end = start + p->duration_s;
      double lo = MAX (a, start), hi = MIN (b, end);

      if (hi > lo)
        {
          double m_lo = p->mult_start + (p->mult_end - p->mult_start) * (lo - start) / p->duration_s;
          double m_hi = p->mult_start + (p->mult_end - p->mult_start) * (hi - start) / p->duration_s;

          total += 0.5 * (m_lo + m_hi) * (hi - lo);
        }
      start = end;
    }
  return total;
}

static void
autoscale_check (Sim *sim)
{
  for (guint s = 0; s < sim->n; s++)
    {
      Station *st = &sim->st[s];
      double util;
      int desired;

      if (!st->autoscale || st->state != ST_UP || st->as_cap <= 0.0)
        {
          st->as_busy = st->as_cap = st->as_time = 0.0;
          continue;
        }
      util = st->as_busy / st->as_cap;
      if (sim->skipping && st->as_time > 0.0)
        /* the fluid model has no noise to damp the scaler: size from the
         * busy slots themselves, right when the count changed in the
         * bucket */
        desired = (int) ceil (st->as_busy / (st->as_time * st->c * st->def->autoscale_target) - 1e-9);
      else
        desired = (int) ceil (st->n_up * util / st->def->autoscale_target - 1e-9);
      st->as_busy = st->as_cap = st->as_time = 0.0;
      desired = CLAMP (desired, MAX (1, st->def->autoscale_min), st->def->autoscale_max);
      if (desired != st->n_up && !st->scale_pending)
        {
          st->scale_pending = TRUE;
          st->scale_target = desired;
          heap_push (sim, sim->now + st->def->autoscale_delay_s, EV_PACK (EV_SCALE, s));
        }
    }
}

static void emit_buckets (Sim *sim, guint upto);

static void
on_bucket_boundary (Sim *sim, int j)
{
  int finished = j - 1;
  double t_scen = sim->now - sim->warmup;
  double next = sim->warmup + (j + 1) * sim->bucket_s;

  flush (sim);
  autoscale_check (sim);
  /* an estimated bucket waits for the next simulated one (interpolation) */
  if (finished >= 0 && sim->rep == 0 && sim->cfg->on_bucket != NULL &&
      sim->buckets[finished].time > 0.0)
    emit_buckets (sim, (guint) finished);
  sim->cur_bucket = j < (int) sim->n_buckets ? j : -1;
  sim->mult = multiplier_integral (sim->sc, t_scen, MIN (next, sim->t_end) - sim->warmup)
              / (MIN (next, sim->t_end) - sim->now);
  update_rates (sim);
  if (next < sim->t_end - 1e-9)
    heap_push (sim, next, EV_PACK (EV_BUCKET, j + 1 + BUCKET_BIAS));
}

static void
on_phase_boundary (Sim *sim, guint i)
{
  flush (sim);
  sim->cur_phase = (int) i;
  sim->phase_t0 = sim->now;
  sim->batch_inv = sim->nb / sim->phase_sim[i];
  if (i + 1 < sim->n_phases)
    heap_push (sim, sim->warmup + sim->phases[i + 1].start, EV_PACK (EV_PHASE, i + 1));
}

static void
on_scenario_event (Sim *sim, guint i)
{
  const AbScenarioEvent *e = &g_array_index (sim->sc->events, AbScenarioEvent, i);
  int s = sim->event_station[i];

  switch (e->kind)
    {
    case AB_SCENARIO_LOSE_INSTANCES:
      station_lose (sim, s, e->count, FALSE);
      break;
    case AB_SCENARIO_LOSE_STATION:
      station_lose (sim, s, 0, TRUE);
      break;
    case AB_SCENARIO_RECOVER:
      station_recover (sim, s);
      break;
    default:
      g_assert_not_reached ();
    }
  compute_loads (sim);
  update_rates (sim);
  drain_pending_failures (sim);
  if (i + 1 < sim->sc->events->len)
    heap_push (sim, sim->warmup + g_array_index (sim->sc->events, AbScenarioEvent, i + 1).t_s,
               EV_PACK (EV_SCENARIO, i + 1));
}

static void
new_request (Sim *sim, Gen *gen)
{
  gint32 fi;
  Frame *f;
  int klass = gen->klass, station = gen->station;
  guint8 flags;

  if (gen->kind == GEN_USER)
    {
      double u = ab_rng_double (&sim->rng);
      guint e;

      if (sim->cur_bucket >= 0)
        sim->buckets[sim->cur_bucket].offered++;
      if (sim->cur_phase >= 0)
        sim->phases[sim->cur_phase].offered++;
      for (e = 0; e + 1 < sim->n_entries[klass]; e++)
        if (u < sim->entry_cum[klass][e])
          break;
      station = sim->entry_station[klass][e];
      flags = F_USER;
    }
  else if (gen->kind == GEN_SELF)
    flags = F_BG;
  else
    {
      klass = ab_rng_double (&sim->rng) < gen->read_frac ? AB_CLASS_READ : AB_CLASS_WRITE;
      flags = F_PHANTOM;
    }
  fi = frame_alloc (sim);
  if (fi < 0)
    {
      if (flags == F_USER)
        {
          if (sim->cur_bucket >= 0)
            sim->buckets[sim->cur_bucket].errors++;
          if (sim->cur_phase >= 0)
            {
              sim->phases[sim->cur_phase].errors++;
              sim->phases[sim->cur_phase].class_errors[klass]++;
            }
        }
      return;
    }
  f = &sim->frames[fi];
  f->parent = -1;
  f->station = (guint16) station;
  f->klass = (guint8) klass;
  f->step = 0;
  f->missed = 0;
  f->flags = flags;
  f->depth = 0;
  f->t_start = sim->now;
  f->t_arrive = sim->now;
  arrive (sim, fi);
}

/* ------------------------------------------------------ virtual backlog -- */

/* Arrival time of virtual request @i (0: the head) of @in's block: the
 * station's profile maps an index among the modelled instance's waiting
 * requests to the time the fluid model says it arrived. */
static double
virtual_time (const Station *st, Instance *in, double i)
{
  double x = (i + 0.5) * st->prof_q / MAX (in->v_total, 1.0);
  guint k = in->v_knot;
  double dx, u;

  while (k + 2 < st->prof_n && st->prof_x[k + 1] < x)
    k++;
  in->v_knot = k;
  dx = st->prof_x[k + 1] - st->prof_x[k];
  u = dx > 0.0 ? (x - st->prof_x[k]) / dx : 1.0;
  return st->prof_t[k] + CLAMP (u, 0.0, 1.0) * (st->prof_t[k + 1] - st->prof_t[k]);
}

/* How many of @in's virtual requests, from the next one, arrived before
 * @cut. */
static gint64
virtual_before (const Station *st, Instance *in, double cut)
{
  guint k = in->v_knot;
  double dt, u, x;

  while (k + 2 < st->prof_n && st->prof_t[k + 1] < cut)
    k++;
  dt = st->prof_t[k + 1] - st->prof_t[k];
  u = dt > 0.0 ? (cut - st->prof_t[k]) / dt : 1.0;
  x = st->prof_x[k] + CLAMP (u, 0.0, 1.0) * (st->prof_x[k + 1] - st->prof_x[k]);
  return (gint64) ceil (x * in->v_total / MAX (st->prof_q, 1e-300) - 0.5) - in->v_next;
}

/* @count virtual requests fail (timeout, instance lost): the user and
 * background ones among them, by the block's mix, rounded at random. */
static void
virtual_fail (Sim *sim, const Station *st, gint64 count)
{
  for (int j = 0; j < 2 * AB_N_CLASSES; j++)
    {
      gint64 n = (gint64) floor (count * st->mix[j] + ab_rng_double (&sim->rng));

      if (n <= 0)
        continue;
      if (j < AB_N_CLASSES)
        {
          if (sim->cur_bucket >= 0)
            sim->buckets[sim->cur_bucket].errors += n;
          if (sim->cur_phase >= 0)
            {
              sim->phases[sim->cur_phase].errors += n;
              sim->phases[sim->cur_phase].class_errors[j] += n;
            }
        }
      else
        {
          if (sim->cur_bucket >= 0)
            sim->buckets[sim->cur_bucket].async_errors += n;
          if (sim->cur_phase >= 0)
            sim->phases[sim->cur_phase].async_errors += n;
        }
    }
}

/* Puts the head of @in's virtual backlog in a free slot as a request of
 * its own, dropping those that waited past the timeout first.  FALSE when
 * no request started. */
static gboolean
virtual_take (Sim *sim, Station *st, Instance *in)
{
  double u, t;
  int klass;
  guint8 flags;
  gint32 fi;
  Frame *f;

  if (st->timeout_s > 0.0 && virtual_time (st, in, (double) in->v_next) < sim->now - st->timeout_s)
    {
      gint64 late = virtual_before (st, in, sim->now - st->timeout_s);

      late = CLAMP (late, 1, in->n_virtual);
      virtual_fail (sim, st, late);
      in->v_next += late;
      in->n_virtual -= late;
      st->queued_total -= late;
      if (in->n_virtual == 0)
        return FALSE;
    }
  t = virtual_time (st, in, (double) in->v_next);
  in->v_next++;
  in->n_virtual--;
  st->queued_total--;
  u = ab_rng_double (&sim->rng);
  if (u < st->mix[0] + st->mix[1])
    {
      klass = u < st->mix[0] ? AB_CLASS_READ : AB_CLASS_WRITE;
      flags = F_USER;
    }
  else if (u < st->mix[0] + st->mix[1] + st->mix[2] + st->mix[3])
    {
      klass = u < st->mix[0] + st->mix[1] + st->mix[2] ? AB_CLASS_READ : AB_CLASS_WRITE;
      flags = F_BG;
    }
  else
    {
      klass = ab_rng_double (&sim->rng) < st->mix[4] ? AB_CLASS_READ : AB_CLASS_WRITE;
      flags = F_PHANTOM;
    }
  fi = frame_alloc (sim);
  if (fi < 0)
    {
      if (flags == F_USER)
        {
          if (sim->cur_bucket >= 0)
            sim->buckets[sim->cur_bucket].errors++;
          if (sim->cur_phase >= 0)
            {
              sim->phases[sim->cur_phase].errors++;
              sim->phases[sim->cur_phase].class_errors[klass]++;
            }
        }
      return FALSE;
    }
  f = &sim->frames[fi];
  f->parent = -1;
  f->station = (guint16) (st - sim->st);
  f->klass = (guint8) klass;
  f->step = 0;
  f->missed = 0;
  f->flags = flags;
  f->depth = 0;
  f->t_start = t;
  f->t_arrive = t;
  f->instance = (guint8) (in - st->inst);
  sim->visits++;
  start_service (sim, st, in, fi);
  return TRUE;
}

/* Starts waiting requests in @in's free slots. */
static void
instance_fill (Sim *sim, Station *st, Instance *in)
{
  while (!st->infinite && in->busy < st->c && (in->n_virtual > 0 || in->len > 0))
    {
      gint32 wi;

      if (in->n_virtual > 0)
        {
          virtual_take (sim, st, in);
          continue;
        }
      wi = ring_pop (in);
      st->queued_total--;
      if (st->timeout_s > 0.0 && sim->now - sim->frames[wi].t_arrive > st->timeout_s)
        g_array_append_val (sim->pending_fail, wi);
      else
        start_service (sim, st, in, wi);
    }
}

/* ----------------------------------------------------------- the fluid -- */

/* Expected onward visits per served visit of every (station, class) under
 * the current up / down state, as in propagate(). */
static void
fluid_build_route (Sim *sim)
{
  guint nn = sim->n * AB_N_CLASSES, e = 0;
  g_autofree double *pmade = g_new (double, longest_call_list (sim));

  for (guint i = 0; i < nn; i++)
    {
      const AbCallList *cl = &sim->net->calls[i];
      const Station *st = &sim->st[i / AB_N_CLASSES];
      double w = i % AB_N_CLASSES == AB_CLASS_READ ? 1.0 - st->def->hit_ratio : 1.0;

      sim->f_first[i] = e;
      for (guint j = 0; j < cl->n_calls; j++)
        {
          const AbCall *call = &cl->calls[j];
          int callee = resolve (sim, call->callee);
          double base = call_made_probability (sim, cl, j, pmade);

          pmade[j] = base;
          if (callee >= 0 && base * w > 0.0)
            {
              sim->f_to[e] = (guint) (callee * AB_N_CLASSES + call->as_class);
              sim->f_w[e] = w * base;
              e++;
            }
        }
    }
  sim->f_first[nn] = e;
  sim->f_dirty = FALSE;
}

/* Served rate of station @s's classes given arrivals @arr and its backlog:
 * the offered work shares the n_up * c slots.  Returns the served share. */
static double
fluid_station (Sim *sim, guint s, const double *arr, double dt, double *served)
{
  const Station *st = &sim->st[s];
  double d[AB_N_CLASSES], work = 0.0, cap, phi;

  for (int c = 0; c < AB_N_CLASSES; c++)
    {
      d[c] = arr[s * AB_N_CLASSES + c] + st->fq[c] / dt;
      if (!st->infinite && st->svc_s[c] > 0.0)
        work += d[c] * work_s (sim, st, c);
    }
  cap = (double) st->n_up * st->c;
  phi = st->infinite || work <= cap ? 1.0 : cap / work;
  for (int c = 0; c < AB_N_CLASSES; c++)
    served[s * AB_N_CLASSES + c] = st->state != ST_UP ? 0.0
                                   : st->infinite || st->svc_s[c] <= 0.0 ? d[c] : phi * d[c];
  return phi;
}

/* Advances the fluid model over [a, b] (no event inside): arrivals through
 * the network with every station passing on what it serves, backlogs,
 * losses, and what the bucket and the autoscaler see. */
static void
fluid_step (Sim *sim, double a, double b)
{
  guint nn = sim->n * AB_N_CLASSES;
  double dt = b - a, mult;
  BucketAcc *bk = sim->cur_bucket >= 0 ? &sim->buckets[sim->cur_bucket] : NULL;

  if (dt <= 0.0)
    return;
  if (sim->f_dirty)
    fluid_build_route (sim);
  mult = multiplier_integral (sim->sc, a - sim->warmup, b - sim->warmup) / dt;
  memset (sim->f_src, 0, sizeof (double) * nn);
  for (int c = 0; c < AB_N_CLASSES; c++)
    {
      double total_share = 0.0;

      for (guint e = 0; e < sim->net->entries[c].n; e++)
        total_share += sim->net->entries[c].shares[e];
      for (guint e = 0; e < sim->net->entries[c].n; e++)
        {
          int s = resolve (sim, sim->net->entries[c].stations[e]);
          double share = total_share > 0.0 ? sim->net->entries[c].shares[e] / total_share
                                           : 1.0 / sim->net->entries[c].n;

          if (s >= 0)
            sim->f_src[s * AB_N_CLASSES + c] += mult * sim->net->rate[c] * share;
        }
    }
  for (guint s = 0; s < sim->n; s++)
    if (sim->st[s].state == ST_UP)
      for (int c = 0; c < AB_N_CLASSES; c++)
        sim->f_src[s * AB_N_CLASSES + c] += sim->net->stations[s].self_rate[c];

  /* arrivals = sources + what the callers serve, to a fixed point */
  memcpy (sim->f_arr, sim->f_src, sizeof (double) * nn);
  for (int iter = 0; iter < 64; iter++)
    {
      double diff = 0.0, total = 0.0;

      for (guint s = 0; s < sim->n; s++)
        fluid_station (sim, s, sim->f_arr, dt, sim->f_served);
      memcpy (sim->f_next, sim->f_src, sizeof (double) * nn);
      for (guint i = 0; i < nn; i++)
        if (sim->f_served[i] > 0.0)
          for (guint e = sim->f_first[i]; e < sim->f_first[i + 1]; e++)
            sim->f_next[sim->f_to[e]] += sim->f_served[i] * sim->f_w[e];
      for (guint i = 0; i < nn; i++)
        {
          diff += fabs (sim->f_next[i] - sim->f_arr[i]);
          total += sim->f_next[i];
        }
      memcpy (sim->f_arr, sim->f_next, sizeof (double) * nn);
      if (diff <= 1e-9 * total)
        break;
    }

  if (bk != NULL)
    {
      bk->est_time += dt;
      bk->est_mult_time += mult * dt;
      if (bk->est == NULL)
        bk->est = g_new0 (Acc, sim->n);
    }
  for (guint s = 0; s < sim->n; s++)
    {
      Station *st = &sim->st[s];
      const double *arr = &sim->f_arr[s * AB_N_CLASSES];
      const double *served = &sim->f_served[s * AB_N_CLASSES];
      double q_old = st->fq[0] + st->fq[1], q_new = 0.0, qn[AB_N_CLASSES];
      double arr_tot = arr[0] + arr[1], served_tot = 0.0, busy = 0.0, offered_work = 0.0;
      double rejected = 0.0, cap_q, q_avg;

      fluid_station (sim, s, sim->f_arr, dt, sim->f_served);
      for (int c = 0; c < AB_N_CLASSES; c++)
        {
          gboolean queues = !st->infinite && st->svc_s[c] > 0.0 && st->state == ST_UP;

          qn[c] = queues ? MAX (0.0, arr[c] * dt + st->fq[c] - served[c] * dt) : 0.0;
          q_new += qn[c];
          served_tot += served[c];
          busy += served[c] * work_s (sim, st, c);
          if (queues)
            offered_work += arr[c] * work_s (sim, st, c);
        }
      if (!st->infinite && st->state == ST_UP && st->n_up > 0)
        {
          double rho = offered_work / ((double) st->n_up * st->c);

          st->f_rho = MAX (st->f_rho, rho);
          if (rho > 1.0 + 1e-9)
            st->f_over = TRUE;
        }
      /* a full queue rejects arrivals; a timeout drops the oldest */
      cap_q = st->def->queue_limit > 0 ? (double) st->def->queue_limit * st->n_up : INFINITY;
      if (q_new > cap_q)
        {
          rejected = q_new - cap_q;
          for (int c = 0; c < AB_N_CLASSES; c++)
            qn[c] *= cap_q / q_new;
          q_new = cap_q;
        }
      if (st->timeout_s > 0.0)
        {
          cap_q = MAX (arr_tot, served_tot) * st->timeout_s;
          if (q_new > cap_q)
            {
              for (int c = 0; c < AB_N_CLASSES; c++)
                qn[c] = q_new > 0.0 ? qn[c] * cap_q / q_new : 0.0;
              q_new = cap_q;
            }
        }
      for (int c = 0; c < AB_N_CLASSES; c++)
        st->fq[c] = qn[c];
      if (st->n_up > 0)
        {
          FStep step = { a, dt, MAX (0.0, arr_tot * dt - rejected) / st->n_up };

          g_array_append_val (st->f_steps, step);
        }
      q_avg = 0.5 * (q_old + q_new);
      if (bk != NULL)
        {
          Acc *acc = &bk->est[s];

          acc->a_busy += busy * dt;
          acc->a_cap += st->cap_slots * dt;
          acc->a_queue += q_avg * dt;
          acc->a_inst += st->n_up * dt;
          acc->w_comp += served_tot * dt;
          acc->sum_soj += (busy + q_avg) * dt;
          acc->n_soj += served_tot * dt;
        }
      st->as_busy += busy * dt;
      st->as_cap += st->cap_slots * dt;
      st->as_time += dt;
    }
}

static void
fluid_advance (Sim *sim, double t)
{
  /* steps of at most a bucket (bucket boundaries are events anyway) */
  while (sim->fluid_t < t - 1e-12)
    {
      double b = MIN (t, sim->fluid_t + MAX (sim->bucket_s, 1e-3));

      fluid_step (sim, sim->fluid_t, b);
      sim->fluid_t = b;
    }
  sim->fluid_t = MAX (sim->fluid_t, t);
}

/* Mean waiting requests of an M/M/c queue at utilisation @rho. */
static double
mmc_queue (int c, double rho)
{
  double a = c * rho, b = 1.0;

  if (c <= 0 || rho <= 0.0)
    return 0.0;
  rho = MIN (rho, 0.99);
  a = c * rho;
  for (int k = 1; k <= c; k++)
    b = a * b / (k + a * b);
  return c * b / (c - a * (1.0 - b)) * rho / (1.0 - rho);
}

static void
shift_chain (Sim *sim, gint32 fi, double by)
{
  sim->frames[fi].t_arrive += by;
  while (sim->frames[fi].parent >= 0)
    {
      fi = sim->frames[fi].parent;
      /* a caller holding its slot: when its service ended */
      if (sim->frames[fi].flags & F_HOLD)
        sim->frames[fi].t_arrive += by;
    }
  sim->frames[fi].t_start += by;
}

/* A request taken as served during a skipped stretch: it and the callers
 * waiting for it go without a trace. */
static void
discard_chain (Sim *sim, gint32 fi)
{
  while (fi >= 0)
    {
      Frame *f = &sim->frames[fi];
      gint32 parent = f->parent;

      if (f->flags & F_HOLD)
        {
          /* its slot is free again (the queue behind it is being
           * rebuilt by the caller) */
          Station *st = &sim->st[f->station];
          Instance *in = &st->inst[f->instance];

          if (f->epoch == in->epoch)
            {
              station_touch (st, sim->now);
              in->busy--;
              st->busy_total--;
            }
        }
      frame_free (sim, fi);
      fi = parent;
    }
}

/* The fluid backlog of @st becomes its representatives' virtual queues:
 * their arrival times follow the accepted arrivals of the stretch, read
 * back from its end (before it, at the rate of its first step). */
static void
materialize_backlog (Sim *sim, Station *st, double t0, double t1)
{
  double q = (st->fq[0] + st->fq[1]) / st->n_up, need = q, mult, tot, tracked;
  GArray *steps = st->f_steps;
  guint n = 0;

  for (int i = 0; i < st->k_alloc; i++)
    {
      Instance *in = &st->inst[i];

      while (in->len > 0)
        discard_chain (sim, ring_pop (in));
      in->n_virtual = 0;
    }
  st->queued_total = 0;
  st->prof_n = 0;
  if (q < 1e-9)
    return;

  /* what the waiting requests are */
  mult = ab_scenario_multiplier_at (sim->sc, t1 - sim->warmup);
  tot = 0.0;
  for (int c = 0; c < AB_N_CLASSES; c++)
    tot += mult * st->load_user[c] + st->load_bg[c];
  tracked = MIN (1.0, sim->f * st->n_up / MAX (st->k_active, 1));
  for (int c = 0; c < AB_N_CLASSES; c++)
    {
      st->mix[c] = tot > 0.0 ? tracked * mult * st->load_user[c] / tot : 0.0;
      st->mix[AB_N_CLASSES + c] = tot > 0.0 ? tracked * st->load_bg[c] / tot : 0.0;
    }
  st->mix[2 * AB_N_CLASSES] = tot > 0.0
                              ? (mult * st->load_user[0] + st->load_bg[0]) / tot : 1.0;

  /* the profile, from the end backwards */
  if (st->prof_cap < steps->len + 2)
    {
      st->prof_cap = steps->len + 2;
      st->prof_x = g_renew (double, st->prof_x, st->prof_cap);
      st->prof_t = g_renew (double, st->prof_t, st->prof_cap);
    }
  st->prof_x[n] = q;
  st->prof_t[n++] = t1;
  for (guint k = steps->len; k-- > 0 && need > 0.0;)
    {
      const FStep *sp = &g_array_index (steps, FStep, k);

      if (sp->accepted >= need)
        {
          st->prof_x[n] = 0.0;
          st->prof_t[n++] = sp->t + sp->dt * (1.0 - need / sp->accepted);
          need = 0.0;
        }
      else if (sp->accepted > 0.0)
        {
          need -= sp->accepted;
          st->prof_x[n] = need;
          st->prof_t[n++] = sp->t;
        }
    }
  if (need > 0.0)
    {
      const FStep *first = steps->len > 0 ? &g_array_index (steps, FStep, 0) : NULL;
      double rate = first != NULL && first->dt > 0.0 ? first->accepted / first->dt : 0.0;

      st->prof_x[n] = 0.0;
      st->prof_t[n++] = rate > 0.0 ? t0 - need / rate : t0;
    }
  if (n < 2)
    {
      st->prof_x[n] = 0.0;
      st->prof_t[n++] = t1;
    }
  for (guint i = 0; i < n / 2; i++)
    {
      double tx = st->prof_x[i], tt = st->prof_t[i];

      st->prof_x[i] = st->prof_x[n - 1 - i];
      st->prof_t[i] = st->prof_t[n - 1 - i];
      st->prof_x[n - 1 - i] = tx;
      st->prof_t[n - 1 - i] = tt;
    }
  st->prof_n = n;
  st->prof_q = q;

  for (int i = 0; i < st->k_active; i++)
    {
      Instance *in = &st->inst[i];
      gint64 count = (gint64) floor (q + ab_rng_double (&sim->rng));

      in->n_virtual = count;
      in->v_next = 0;
      in->v_total = (double) count;
      in->v_knot = 0;
      st->queued_total += count;
    }
  for (int i = 0; i < st->k_active; i++)
    instance_fill (sim, st, &st->inst[i]);
}

static void
heapify (Sim *sim)
{
  for (guint i = sim->heap_n / 4 + 1; i-- > 0;)
    if (i < sim->heap_n)
      heap_sift_down (sim, i, sim->heap[i]);
}

/* Fast-forwards from now to @t1 (see ab-des.h): frame events are held,
 * control events (buckets, phases, failover, scaling) happen in time with
 * the fluid model between them; then each station's queue is rebuilt and
 * the held requests resume as if no time had passed for them. */
static void
skip_to (Sim *sim, double t1)
{
  double t0 = sim->now, by = t1 - t0;
  guint keep = 0;

  flush (sim);
  sim->skipping = TRUE;
  g_array_set_size (sim->parked, 0);
  for (guint i = 0; i < sim->heap_n; i++)
    {
      Event e = sim->heap[i];
      guint type = e.what >> EV_SHIFT;

      if (type == EV_ARRIVE || type == EV_DEPART || type == EV_RELEASE)
        g_array_append_val (sim->parked, e);
      else if (type != EV_GEN)
        sim->heap[keep++] = e;
    }
  sim->heap_n = keep;
  sim->top_pending = FALSE;
  heapify (sim);

  for (guint s = 0; s < sim->n; s++)
    {
      Station *st = &sim->st[s];
      double tot = 0.0, mult = ab_scenario_multiplier_at (sim->sc, t0 - sim->warmup);

      st->fq_start = st->queued_total * st->scale;
      for (int c = 0; c < AB_N_CLASSES; c++)
        tot += mult * st->load_user[c] + st->load_bg[c];
      for (int c = 0; c < AB_N_CLASSES; c++)
        st->fq[c] = tot > 0.0 ? st->fq_start * (mult * st->load_user[c] + st->load_bg[c]) / tot
                              : (c == AB_CLASS_READ ? st->fq_start : 0.0);
      st->f_over = FALSE;
      st->f_rho = 0.0;
      g_array_set_size (st->f_steps, 0);
      st->last_t = INFINITY;
    }
  sim->f_dirty = TRUE;
  sim->fluid_t = t0;

  while (sim->heap_n > 0 && sim->heap[0].t < t1)
    {
      Event ev = sim->heap[0];
      guint32 idx = ev.what & EV_INDEX_MASK;

      heap_drop_top (sim);
      fluid_advance (sim, ev.t);
      sim->now = ev.t;
      switch (ev.what >> EV_SHIFT)
        {
        case EV_BUCKET:
          on_bucket_boundary (sim, (int) idx - BUCKET_BIAS);
          break;
        case EV_PHASE:
          on_phase_boundary (sim, idx);
          break;
        case EV_SCENARIO:
          on_scenario_event (sim, idx);
          sim->f_dirty = TRUE;
          break;
        case EV_FAILOVER:
          if (sim->st[idx].state == ST_DOWN)
            {
              sim->st[idx].state = ST_FAILED_OVER;
              compute_loads (sim);
              update_rates (sim);
              sim->f_dirty = TRUE;
            }
          break;
        case EV_SCALE:
          {
            Station *st = &sim->st[idx];

            if (st->scale_pending && st->state == ST_UP)
              {
                st->n_up = st->scale_target;
                set_instances (sim, st, FALSE);
                update_rates (sim);
              }
            st->scale_pending = FALSE;
          }
          break;
        case EV_ARRIVE:
        case EV_DEPART:
        case EV_RELEASE:
          g_array_append_val (sim->parked, ev);
          break;
        default:
          /* generators are re-armed at the end */
          break;
        }
    }
  fluid_advance (sim, t1);
  sim->now = t1;

  for (guint s = 0; s < sim->n; s++)
    {
      Station *st = &sim->st[s];
      gboolean fluid = FALSE;

      if (st->state == ST_UP && !st->infinite && st->n_up > 0)
        {
          double bound = st->n_up * (4.0 * mmc_queue (st->c, st->f_rho) + 2.0 * st->c);

          fluid = st->f_over || st->fq_start > bound;
        }
      if (fluid)
        materialize_backlog (sim, st, t0, t1);
      else
        {
          for (int i = 0; i < st->k_alloc; i++)
            {
              Instance *in = &st->inst[i];

              for (guint j = 0; j < in->len; j++)
                shift_chain (sim, in->ring[(in->head + j) & in->mask], by);
            }
          for (guint k = 0; k < st->prof_n; k++)
            st->prof_t[k] += by;
        }
      st->last_t = t1;
      memset (&st->seg, 0, sizeof st->seg);
    }
  for (guint i = 0; i < sim->parked->len; i++)
    {
      Event e = g_array_index (sim->parked, Event, i);

      shift_chain (sim, (gint32) (e.what & EV_INDEX_MASK), by);
      heap_push (sim, e.t + by, e.what);
    }
  for (guint g = 0; g < sim->n_gens; g++)
    {
      Gen *gen = &sim->gens[g];

      if (gen->rate > 0.0)
        {
          gen->next_t = t1 + ab_rng_exponential (&sim->rng, 1.0 / gen->rate);
          heap_push (sim, gen->next_t, EV_PACK (EV_GEN, g));
        }
      else
        gen->next_t = INFINITY;
    }
  /* a phase's batches count simulated time */
  if (sim->cur_phase >= 0)
    sim->phase_t0 = sim->phase_t0 >= t0 ? t1 : sim->phase_t0 + by;
  sim->last_flush = t1;
  sim->skipping = FALSE;
  drain_pending_failures (sim);
}

/* ----------------------------------------------------------- streaming -- */

/* An estimated bucket's served, errors and latency: interpolated between
 * the simulated buckets of its phase around it (@p before, @q after;
 * either may be NULL). */
static void
interpolate_bucket (AbDesBucket *out, const AbDesBucket *p, const AbDesBucket *q)
{
  double w;

  if (p == NULL && q == NULL)
    return;
  if (p == NULL)
    p = q;
  if (q == NULL)
    q = p;
  w = q->t_s > p->t_s ? CLAMP ((out->t_s - p->t_s) / (q->t_s - p->t_s), 0.0, 1.0) : 0.0;
#define LERP(a, b) ((a) + w * ((b) - (a)))
  out->served_rps = LERP (p->served_rps, q->served_rps);
  out->errors_rps = LERP (p->errors_rps, q->errors_rps);
  out->background_error_rate = LERP (p->background_error_rate, q->background_error_rate);
  if (p->offered_rps > 0.0 && q->offered_rps > 0.0)
    {
      /* along a ramp the shares follow the offered load, but what a
       * saturated design serves does not grow with it */
      out->served_rps = MIN (out->served_rps,
                             out->offered_rps * LERP (p->served_rps / p->offered_rps,
                                                      q->served_rps / q->offered_rps));
      out->errors_rps = out->offered_rps * LERP (p->errors_rps / p->offered_rps,
                                                 q->errors_rps / q->offered_rps);
    }
  out->error_rate = LERP (p->error_rate, q->error_rate);
  for (int k = 0; k < AB_DES_N_SERIES; k++)
    {
      AbDesLatency *l = &out->latency[k];

      l->count = 0;
      l->mean_ms = LERP (p->latency[k].mean_ms, q->latency[k].mean_ms);
      l->p50_ms = LERP (p->latency[k].p50_ms, q->latency[k].p50_ms);
      l->p95_ms = LERP (p->latency[k].p95_ms, q->latency[k].p95_ms);
      l->p99_ms = LERP (p->latency[k].p99_ms, q->latency[k].p99_ms);
    }
#undef LERP
}

static void
copy_bucket (AbDesBucket *dst, const AbDesBucket *src)
{
  AbDesStationStats *stations = dst->stations;

  *dst = *src;
  dst->stations = stations;
  memcpy (stations, src->stations, sizeof (AbDesStationStats) * src->n_stations);
}

/* Streams buckets up to @upto (inclusive) of the first replication. */
static void
emit_buckets (Sim *sim, guint upto)
{
  gboolean next_filled = FALSE;

  for (; sim->next_emit <= upto && sim->next_emit < sim->n_buckets; sim->next_emit++)
    {
      guint i = sim->next_emit;

      fill_bucket (sim, i, &sim->stream_bucket);
      if (sim->stream_bucket.estimated)
        {
          const AbDesBucket *p = NULL, *q = NULL;

          if (sim->have_prev && sim->emit_prev.phase == sim->stream_bucket.phase)
            p = &sim->emit_prev;
          if (upto > i && upto < sim->n_buckets && sim->buckets[upto].time > 0.0)
            {
              if (!next_filled)
                fill_bucket (sim, upto, &sim->emit_next);
              next_filled = TRUE;
              if (sim->emit_next.phase == sim->stream_bucket.phase)
                q = &sim->emit_next;
            }
          interpolate_bucket (&sim->stream_bucket, p, q);
        }
      else
        {
          copy_bucket (&sim->emit_prev, &sim->stream_bucket);
          sim->have_prev = TRUE;
        }
      sim->cfg->on_bucket (&sim->stream_bucket, sim->cfg->user_data);
    }
}

/* ------------------------------------------------------------- windows -- */

static double expected_visits (Sim *sim, int K, double mult_time, double total_time);

typedef struct {
  double   a, b;
  int      phase;  /* -1: the warm-up */
  gboolean ramp;
} Segment;

typedef struct {
  double   start, end, cost, min, max;
  gboolean centred;
} Slice;

/* A slice [a, b] of @cost visits that may move within [min, max]
 * (centred: stays in the middle of it). */
static void
add_slice (GArray *slices, double a, double b, double cost, double min, double max, gboolean centred)
{
  Slice sl = { a, b, cost, min, max, centred };

  if (b <= a + 1e-12)
    return;
  if (slices->len > 0 && fabs (g_array_index (slices, Slice, slices->len - 1).end - a) < 1e-9)
    {
      Slice *last = &g_array_index (slices, Slice, slices->len - 1);

      last->end = b;
      last->cost += cost;
      last->max = MAX (max, b);
      last->centred = FALSE;
      return;
    }
  g_array_append_val (slices, sl);
}

/* Plans the slices of a windowed run within @budget visits per
 * replication (see ab-des.h).  FALSE when even the smallest slices cost
 * more. */
static gboolean
plan_windows (Sim *sim, double budget)
{
  const AbScenario *sc = sim->sc;
  g_autoptr(GArray) segs = g_array_new (FALSE, FALSE, sizeof (Segment));
  g_autoptr(GArray) slices = g_array_new (FALSE, FALSE, sizeof (Slice));
  g_autofree double *cost = NULL, *w = NULL;
  g_autofree gboolean *full = NULL;
  double total_d = 0.0, left = budget, planned = 0.0, bucket = sim->bucket_s;
  guint n;

  if (sim->warmup > 0.0)
    {
      Segment seg = { 0.0, sim->warmup, -1, FALSE };

      g_array_append_val (segs, seg);
    }
  for (guint i = 0; i < sc->phases->len; i++)
    {
      const AbPhase *ph = &g_array_index (sc->phases, AbPhase, i);
      double a = sim->warmup + ab_scenario_phase_start (sc, i), end = a + ph->duration_s;

      /* a scenario event inside a phase starts a segment: its onset is
       * always simulated */
      for (guint e = 0; e < sc->events->len; e++)
        {
          double t = sim->warmup + g_array_index (sc->events, AbScenarioEvent, e).t_s;

          if (t > a + 1e-9 && t < end - 1e-9)
            {
              Segment seg = { a, t, (int) i, ph->mult_start != ph->mult_end };

              g_array_append_val (segs, seg);
              a = t;
            }
        }
      {
        Segment seg = { a, end, (int) i, ph->mult_start != ph->mult_end };

        g_array_append_val (segs, seg);
      }
    }
  n = segs->len;
  cost = g_new0 (double, n);
  w = g_new0 (double, n);
  full = g_new0 (gboolean, n);
  for (guint i = 0; i < n; i++)
    {
      const Segment *seg = &g_array_index (segs, Segment, i);

      cost[i] = expected_visits (sim, sim->K,
                                 multiplier_integral (sc, seg->a - sim->warmup, seg->b - sim->warmup),
                                 seg->b - seg->a);
      total_d += seg->b - seg->a;
    }

  /* shares in proportion to duration (at least a quarter of the mean);
   * what a segment simulated whole leaves goes to the others */
  for (;;)
    {
      double wsum = 0.0;
      gboolean changed = FALSE;

      for (guint i = 0; i < n; i++)
        if (!full[i])
          {
            const Segment *seg = &g_array_index (segs, Segment, i);

            wsum += MAX (seg->b - seg->a, 0.25 * total_d / n);
          }
      for (guint i = 0; i < n; i++)
        {
          const Segment *seg = &g_array_index (segs, Segment, i);
          double share;

          if (full[i])
            continue;
          share = wsum > 0.0 ? MAX (0.0, left) * MAX (seg->b - seg->a, 0.25 * total_d / n) / wsum : 0.0;
          w[i] = cost[i] > 0.0 ? (seg->b - seg->a) * MIN (1.0, share / cost[i]) : seg->b - seg->a;
          if (cost[i] <= share)
            {
              full[i] = TRUE;
              left -= cost[i];
              changed = TRUE;
            }
        }
      if (!changed)
        break;
    }

  for (guint i = 0; i < n; i++)
    {
      const Segment *seg = &g_array_index (segs, Segment, i);
      double d = seg->b - seg->a, rate = cost[i] / d;

      w[i] = MAX (w[i], MIN (d, MIN_WINDOW * bucket));
      planned += cost[i] * MIN (1.0, w[i] / d);
      if (w[i] >= d * (1.0 - 1e-9))
        add_slice (slices, seg->a, seg->b, cost[i], seg->a, seg->b, FALSE);
      else if (seg->phase < 0)
        add_slice (slices, seg->b - w[i], seg->b, rate * w[i], seg->b - w[i], seg->b, FALSE);
      else
        {
          int m = MAX ((int) floor (w[i] / bucket + 1e-9),
                       MIN (seg->ramp ? 4 : 2, (int) floor (w[i] / (0.1 * bucket) + 1e-9)));
          double len;

          m = CLAMP (m, 1, 8);
          len = w[i] / m;
          if (len >= bucket)
            len = floor (len / bucket + 1e-9) * bucket;
          for (int j = 0; j < m; j++)
            {
              double slot = seg->a + j * d / m;
              double next = j + 1 < m ? seg->a + (j + 1) * d / m : seg->b;
              double start = slot;

              /* a ramp's slices sit in the middle of their stretch: the
               * load they see averages to the phase's */
              if (seg->ramp)
                start = slot + 0.5 * (next - slot - len);
              else if (j > 0)
                {
                  double g = sim->warmup + ceil ((slot - sim->warmup) / bucket - 1e-9) * bucket;

                  if (g + len <= next + 1e-9)
                    start = g;
                }
              add_slice (slices, start, MIN (start + len, next),
                         rate * (MIN (start + len, next) - start), slot, next, seg->ramp);
            }
        }
    }

  sim->n_slices = slices->len;
  sim->sl_start = g_new (double, slices->len);
  sim->sl_start0 = g_new (double, slices->len);
  sim->sl_min = g_new (double, slices->len);
  sim->sl_centred = g_new (gboolean, slices->len);
  sim->sl_end = g_new (double, slices->len);
  sim->sl_end0 = g_new (double, slices->len);
  sim->sl_cost = g_new (double, slices->len);
  sim->sl_cost0 = g_new (double, slices->len);
  sim->sl_max = g_new (double, slices->len);
  for (guint k = 0; k < slices->len; k++)
    {
      const Slice *sl = &g_array_index (slices, Slice, k);

      sim->sl_start[k] = sim->sl_start0[k] = sl->start;
      sim->sl_min[k] = sl->min;
      sim->sl_centred[k] = sl->centred;
      sim->sl_end[k] = sim->sl_end0[k] = sl->end;
      sim->sl_cost[k] = sim->sl_cost0[k] = sl->cost;
      sim->sl_max[k] = sl->max;
    }
  sim->rep_budget = budget;
  return planned <= budget * (1.0 + 1e-9);
}

/* Seconds simulated and slices per phase under the current slices. */
static void
windows_per_phase (Sim *sim)
{
  for (guint i = 0; i < sim->sc->phases->len; i++)
    {
      double a = sim->warmup + ab_scenario_phase_start (sim->sc, i);
      double d = g_array_index (sim->sc->phases, AbPhase, i).duration_s;

      sim->phase_sim[i] = 0.0;
      sim->phase_windows[i] = 0;
      for (guint k = 0; k < sim->n_slices; k++)
        {
          double lo = MAX (a, sim->sl_start[k]), hi = MIN (a + d, sim->sl_end[k]);

          if (hi > lo + 1e-9)
            {
              sim->phase_sim[i] += hi - lo;
              sim->phase_windows[i]++;
            }
        }
      /* never 0: the batch position of a stray sample stays finite */
      sim->phase_sim[i] = MAX (sim->phase_sim[i], 1e-9);
    }
}

/* After slice @done: the visits so far against the plan say how far off
 * its estimate is (overload rejects early, a draining backlog costs
 * extra); the slices to come are shortened or lengthened (within their
 * part of the phase) to end near the budget. */
static void
replan (Sim *sim, guint done)
{
  double planned = 0.0, rest = 0.0, spent = (double) (sim->visits - sim->rep_visits0);
  double ratio, scale;

  for (guint k = 0; k < sim->n_slices; k++)
    {
      if (k <= done)
        planned += sim->sl_cost[k];
      else
        rest += sim->sl_cost[k];
    }
  if (planned <= 0.0 || rest <= 0.0)
    return;
  ratio = CLAMP (spent / planned, 0.01, 100.0);
  scale = MAX (0.0, 0.95 * sim->rep_budget - spent) / (ratio * rest);
  for (guint k = done + 1; k < sim->n_slices; k++)
    {
      double len = sim->sl_end[k] - sim->sl_start[k];
      double room = sim->sl_centred[k] ? sim->sl_max[k] - sim->sl_min[k] : sim->sl_max[k] - sim->sl_start[k];
      double nl = CLAMP (len * scale, MIN (len, MIN_WINDOW * sim->bucket_s), room);

      double start = sim->sl_start[k];

      if (sim->sl_centred[k])
        start = 0.5 * (sim->sl_min[k] + sim->sl_max[k] - nl);
      if (nl >= sim->bucket_s)
        {
          /* whole buckets on the bucket grid where it fits: no bucket is
           * left with a sliver of simulated time */
          double b = sim->bucket_s;
          double g = sim->warmup + round ((start - sim->warmup) / b) * b;
          double gl = floor (nl / b + 1e-9) * b;

          if (!sim->sl_centred[k])
            g = start;
          if (g >= sim->sl_min[k] - 1e-9 && g + gl <= sim->sl_max[k] + 1e-9)
            {
              start = MAX (g, sim->sl_min[k]);
              if (fabs (start - (sim->warmup + round ((start - sim->warmup) / b) * b)) < 1e-9)
                nl = gl;
            }
        }
      sim->sl_cost[k] *= nl / len;
      sim->sl_start[k] = start;
      sim->sl_end[k] = start + nl;
    }
  windows_per_phase (sim);
  if (sim->cur_phase >= 0)
    sim->batch_inv = sim->nb / sim->phase_sim[sim->cur_phase];
}

/* ----------------------------------------------------------- main loop -- */

static void
run_loop (Sim *sim)
{
  GCancellable *cancellable = sim->cfg->cancellable;

  while (sim->heap_n > 0)
    {
      Event ev = sim->heap[0];
      guint32 idx = ev.what & EV_INDEX_MASK;

      sim->top_pending = TRUE;
      sim->now = ev.t;
      switch (ev.what >> EV_SHIFT)
        {
        case EV_GEN:
          {
            Gen *gen = &sim->gens[idx];

            if (ev.t != gen->next_t)
              break;
            gen->next_t = sim->now + ab_rng_exp1 (&sim->rng, sim->zig) / gen->rate;
            heap_push (sim, gen->next_t, EV_PACK (EV_GEN, idx));
            new_request (sim, gen);
          }
          break;
        case EV_ARRIVE:
          arrive (sim, (gint32) idx);
          break;
        case EV_DEPART:
          depart (sim, (gint32) idx);
          break;
        case EV_RELEASE:
          /* an anonymous visit's held slot */
          hold_end (sim, (gint32) idx);
          frame_free (sim, (gint32) idx);
          drain_pending_failures (sim);
          break;
        case EV_BUCKET:
          on_bucket_boundary (sim, (int) idx - BUCKET_BIAS);
          break;
        case EV_PHASE:
          on_phase_boundary (sim, idx);
          break;
        case EV_SCENARIO:
          on_scenario_event (sim, idx);
          break;
        case EV_FAILOVER:
          if (sim->st[idx].state == ST_DOWN)
            {
              sim->st[idx].state = ST_FAILED_OVER;
              compute_loads (sim);
              update_rates (sim);
            }
          break;
        case EV_SCALE:
          {
            Station *st = &sim->st[idx];

            if (st->scale_pending && st->state == ST_UP)
              {
                station_touch (st, sim->now);
                st->n_up = st->scale_target;
                set_instances (sim, st, FALSE);
                update_rates (sim);
              }
            st->scale_pending = FALSE;
          }
          break;
        case EV_SKIP:
          {
            double next;

            if (sim->top_pending)
              heap_drop_top (sim);
            replan (sim, idx);
            next = idx + 1 < sim->n_slices ? sim->sl_start[idx + 1] : sim->t_end;
            if (next > sim->now + 1e-12)
              skip_to (sim, next);
            if (idx + 1 < sim->n_slices && sim->sl_end[idx + 1] < sim->t_end - 1e-9)
              heap_push (sim, sim->sl_end[idx + 1], EV_PACK (EV_SKIP, idx + 1));
          }
          break;
        case EV_END:
          if (sim->top_pending)
            heap_drop_top (sim);
          flush (sim);
          return;
        default:
          g_assert_not_reached ();
        }
      if (sim->top_pending)
        heap_drop_top (sim);
      if (G_UNLIKELY ((++sim->events & (CHECK_EVERY - 1)) == 0))
        {
          if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
            {
              sim->cancelled = TRUE;
              return;
            }
          if (sim->visits >= sim->visit_limit)
            {
              flush (sim);
              sim->stop = TRUE;
              return;
            }
        }
    }
  flush (sim);
}

/* ------------------------------------------------------------- set-up -- */

static gboolean
validate_network (const AbNetwork *net, GError **error)
{
  if (net->n_stations == 0 || net->n_stations > 65535)
    {
      g_set_error (error, AB_ERROR, AB_ERROR_INVALID,
                   "network: %u stations (1 .. 65535 can be simulated)", net->n_stations);
      return FALSE;
    }
  for (guint s = 0; s < net->n_stations; s++)
    {
      const AbStation *st = &net->stations[s];
      const char *id = st->id != NULL ? st->id : "?";

      if (st->instances < 1 || st->concurrency < 0)
        {
          g_set_error (error, AB_ERROR, AB_ERROR_INVALID,
                       "network: station \"%s\": %d instances, concurrency %d",
                       id, st->instances, st->concurrency);
          return FALSE;
        }
      for (int c = 0; c < AB_N_CLASSES; c++)
        if (!(st->service_ms[c] >= 0.0 && st->service_ms[c] < 1e9) ||
            !(st->self_rate[c] >= 0.0 && st->self_rate[c] < 1e12))
          {
            g_set_error (error, AB_ERROR, AB_ERROR_INVALID,
                         "network: station \"%s\": service time or own rate out of range", id);
            return FALSE;
          }
      if (!(st->hit_ratio >= 0.0 && st->hit_ratio <= 1.0) || !(st->cv >= 0.0 && st->cv < 1e3) ||
          !(st->timeout_ms >= 0.0) || st->queue_limit < 0 ||
          (guint) st->dist > AB_DIST_LOGNORMAL)
        {
          g_set_error (error, AB_ERROR, AB_ERROR_INVALID,
                       "network: station \"%s\": hit ratio, cv, timeout, queue limit or "
                       "distribution out of range", id);
          return FALSE;
        }
      if (st->failover_to >= (int) net->n_stations || st->failover_to == (int) s ||
          st->failover_to < -1)
        {
          g_set_error (error, AB_ERROR, AB_ERROR_INVALID,
                       "network: station \"%s\": failover_to %d is not another station",
                       id, st->failover_to);
          return FALSE;
        }
      if (st->autoscale_max > st->autoscale_min &&
          (!(st->autoscale_target > 0.0 && st->autoscale_target <= 1.0) ||
           !(st->autoscale_delay_s >= 0.0) || st->autoscale_max > 1000000))
        {
          g_set_error (error, AB_ERROR, AB_ERROR_INVALID,
                       "network: station \"%s\": autoscaling target %g or delay %g s out of range",
                       id, st->autoscale_target, st->autoscale_delay_s);
          return FALSE;
        }
      for (int c = 0; c < AB_N_CLASSES; c++)
        {
          const AbCallList *cl = &net->calls[s * AB_N_CLASSES + c];
          gboolean *looked_up = NULL;
          guint n_lookups;

          if (cl->n_calls > MAX_CALLS)
            {
              g_set_error (error, AB_ERROR, AB_ERROR_TOO_LARGE,
                           "network: station \"%s\": %u calls (at most %d)",
                           id, cl->n_calls, MAX_CALLS);
              return FALSE;
            }
          n_lookups = 0;
          for (guint j = 0; j < cl->n_calls; j++)
            if (cl->calls[j].on_miss_of >= 0 && (guint) cl->calls[j].on_miss_of < j)
              {
                /* count each fallen-back-on call once */
                if (looked_up == NULL)
                  looked_up = g_new0 (gboolean, cl->n_calls);
                if (!looked_up[cl->calls[j].on_miss_of])
                  n_lookups++;
                looked_up[cl->calls[j].on_miss_of] = TRUE;
              }
          g_clear_pointer (&looked_up, g_free);
          if (n_lookups > MAX_MISS_SLOTS)
            {
              g_set_error (error, AB_ERROR, AB_ERROR_TOO_LARGE,
                           "network: station \"%s\": %u cache lookups with a fallback (at most %d)",
                           id, n_lookups, MAX_MISS_SLOTS);
              return FALSE;
            }
          for (guint j = 0; j < cl->n_calls; j++)
            {
              const AbCall *call = &cl->calls[j];

              if (call->callee < 0 || call->callee >= (int) net->n_stations ||
                  !(call->probability >= 0.0 && call->probability <= 1.0) ||
                  call->on_miss_of < -1 || call->on_miss_of >= (int) j ||
                  !(call->net_ms >= 0.0 && call->net_ms < 1e9) ||
                  (guint) call->as_class >= AB_N_CLASSES)
                {
                  g_set_error (error, AB_ERROR, AB_ERROR_INVALID,
                               "network: station \"%s\": call %u is invalid (callee %d, "
                               "probability %g, on_miss_of %d)",
                               id, j, call->callee, call->probability, call->on_miss_of);
                  return FALSE;
                }
            }
        }
    }
  for (int c = 0; c < AB_N_CLASSES; c++)
    {
      if (!(net->rate[c] >= 0.0 && net->rate[c] < 1e12))
        {
          g_set_error (error, AB_ERROR, AB_ERROR_INVALID,
                       "network: rate %g of class %d out of range", net->rate[c], c);
          return FALSE;
        }
      if (net->entries[c].n > 64 || (net->rate[c] > 0.0 && net->entries[c].n == 0))
        {
          g_set_error (error, AB_ERROR, AB_ERROR_INVALID,
                       "network: class %d has %u entry stations (1 .. 64)", c, net->entries[c].n);
          return FALSE;
        }
      for (guint e = 0; e < net->entries[c].n; e++)
        if (net->entries[c].stations[e] < 0 ||
            net->entries[c].stations[e] >= (int) net->n_stations ||
            !(net->entries[c].shares[e] >= 0.0))
          {
            g_set_error (error, AB_ERROR, AB_ERROR_INVALID,
                         "network: class %d entry %u is invalid", c, e);
            return FALSE;
          }
    }
  return TRUE;
}

/* alts may need one extra slot per single-member group */
static guint
count_alts (const AbNetwork *net)
{
  guint total = 0;

  for (guint i = 0; i < net->n_stations * AB_N_CLASSES; i++)
    total += 2 * net->calls[i].n_calls;
  return total;
}

static void
compile_lists (Sim *sim)
{
  guint nn = sim->n * AB_N_CLASSES, alt_pos = 0;

  sim->lists = g_new0 (StepList, nn);
  sim->alts = g_new0 (Alt, MAX (count_alts (sim->net), 1));
  for (guint i = 0; i < nn; i++)
    {
      const AbCallList *cl = &sim->net->calls[i];
      StepList *list = &sim->lists[i];
      g_autofree gboolean *placed = g_new0 (gboolean, MAX (cl->n_calls, 1));

      list->calls = cl->calls;
      list->steps = g_new0 (Step, MAX (cl->n_calls, 1));
      list->absorbable = g_new0 (gboolean, MAX (cl->n_calls, 1));
      list->covers = g_new0 (gboolean, MAX (cl->n_calls, 1));
      for (guint j = 0; j < cl->n_calls; j++)
        list->covers[j] = ab_network_group_covers (sim->net, cl, j);
      list->miss_bit = g_new0 (guint8, MAX (cl->n_calls, 1));
      for (guint j = 0; j < cl->n_calls; j++)
        if (cl->calls[j].on_miss_of >= 0)
          list->absorbable[cl->calls[j].on_miss_of] = TRUE;
      for (guint j = 0, bit = 0; j < cl->n_calls; j++)
        if (list->absorbable[j])
          list->miss_bit[j] = (guint8) bit++; /* < MAX_MISS_SLOTS: checked */
      for (guint j = 0; j < cl->n_calls; j++)
        {
          Step *step;

          if (placed[j])
            continue;
          step = &list->steps[list->n_steps++];
          step->first_alt = alt_pos;
          if (cl->calls[j].group < 0)
            {
              sim->alts[alt_pos].call = (int) j;
              sim->alts[alt_pos].cum = cl->calls[j].probability;
              alt_pos++;
              step->n_alt = 1;
              step->total = cl->calls[j].probability;
              placed[j] = TRUE;
              continue;
            }
          for (guint k = j; k < cl->n_calls; k++)
            if (cl->calls[k].group == cl->calls[j].group)
              {
                step->total += cl->calls[k].probability;
                sim->alts[alt_pos].call = (int) k;
                sim->alts[alt_pos].cum = step->total;
                alt_pos++;
                step->n_alt++;
                placed[k] = TRUE;
              }
          /* a group of one is still "exactly one": always made */
          if (step->n_alt == 1)
            {
              step->n_alt = 2;
              sim->alts[alt_pos] = sim->alts[alt_pos - 1];
              alt_pos++;
            }
        }
    }
}

static void
mark_reachable (Sim *sim, int s)
{
  GArray *stack = g_array_new (FALSE, FALSE, sizeof (int));

  g_array_append_val (stack, s);
  while (stack->len > 0)
    {
      int cur = g_array_index (stack, int, stack->len - 1);

      g_array_set_size (stack, stack->len - 1);
      if (cur < 0 || sim->st[cur].reachable)
        continue;
      sim->st[cur].reachable = TRUE;
      g_array_append_val (stack, sim->st[cur].def->failover_to);
      for (int c = 0; c < AB_N_CLASSES; c++)
        {
          const AbCallList *cl = &sim->net->calls[cur * AB_N_CLASSES + c];

          for (guint j = 0; j < cl->n_calls; j++)
            g_array_append_val (stack, cl->calls[j].callee);
        }
    }
  g_array_unref (stack);
}

static void
reset_stations (Sim *sim)
{
  for (guint s = 0; s < sim->n; s++)
    {
      Station *st = &sim->st[s];

      st->n_up = st->n_init;
      st->n_lost = 0;
      st->state = ST_UP;
      st->busy_total = 0;
      st->queued_total = 0;
      st->last_t = 0.0;
      memset (&st->seg, 0, sizeof st->seg);
      st->as_busy = st->as_cap = st->as_time = 0.0;
      st->scale_pending = FALSE;
      for (int i = 0; i < st->k_alloc; i++)
        {
          st->inst[i].busy = 0;
          st->inst[i].len = 0;
          st->inst[i].head = 0;
          st->inst[i].epoch = 0;
          st->inst[i].n_virtual = 0;
          st->inst[i].v_next = 0;
          st->inst[i].v_total = 0.0;
          st->inst[i].v_knot = 0;
        }
      st->prof_n = 0;
      st->k_active = MIN (st->n_up, st->k_alloc);
      st->scale = (double) st->n_up / st->k_active;
      st->cap_slots = st->infinite ? 0.0 : (double) st->n_up * st->c;
    }
}

/* Share of the user requests followed whole with @K representatives. */
static double
tracked_fraction (Sim *sim, int K)
{
  double f = 1.0;

  for (guint s = 0; s < sim->n; s++)
    if (sim->st[s].reachable)
      f = MIN (f, (double) MIN (sim->st[s].n_max, K) / sim->st[s].n_max);
  return f;
}

static double
expected_visits (Sim *sim, int K, double mult_time, double total_time)
{
  double J = 0.0, f = tracked_fraction (sim, K);

  for (guint s = 0; s < sim->n; s++)
    {
      Station *st = &sim->st[s];
      double k = MIN (st->n_init, K);
      double frac = k / st->n_init;

      /* a pass-through class sees only the tracked requests (no phantom
       * load tops it up) */
      for (int c = 0; c < AB_N_CLASSES; c++)
        {
          /* a replica's representatives each apply every write of
           * their shard */
          double fc = frac * ab_network_copies (sim->net, (int) s, c, st->n_init);

          J += (st->svc_s[c] > 0.0 ? fc : f) * (st->load_user[c] * mult_time + st->load_bg[c] * total_time);
        }
    }
  return J;
}

static int
find_station (const AbNetwork *net, const char *id)
{
  for (guint s = 0; s < net->n_stations; s++)
    if (g_strcmp0 (net->stations[s].id, id) == 0)
      return (int) s;
  return -1;
}

static double
t_quantile_975 (guint df)
{
  static const double table[] = {
    0, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042
  };

  if (df == 0)
    return 0.0;
  if (df < G_N_ELEMENTS (table))
    return table[df];
  return 1.960 + 2.4 / df;
}

static Est
estimate_of (const AbHistogram *h)
{
  Est e;

  e.mean = ab_histogram_mean (h);
  e.p50 = ab_histogram_quantile (h, 0.50);
  e.p95 = ab_histogram_quantile (h, 0.95);
  e.p99 = ab_histogram_quantile (h, 0.99);
  return e;
}

static void ci_from (GArray *ests, AbDesLatencyStats *out);
static Est estimate_of (const AbHistogram *h);

/* TRUE when a reported phase's mean or percentile of some series is
 * known to less than +-AB_DES_TARGET_PRECISION after @done replications */
static gboolean
too_wide (Sim *sim, guint done)
{
  for (guint i = 0; i < sim->n_phases; i++)
    {
      PhaseAcc *ph = &sim->phases[i];

      if (!g_array_index (sim->sc->phases, AbPhase, i).reported)
        continue;
      for (int k = 0; k < AB_DES_N_SERIES; k++)
        {
          AbDesLatencyStats ls = { 0 };
          Est e;

          /* too few samples to say anything: more would not be enough */
          if (ab_histogram_count (ph->total[k]) < 200)
            continue;
          e = estimate_of (ph->total[k]);
          ci_from (done >= MIN_REPS_FOR_CI ? ph->rep_est[k] : ph->batch_est[k], &ls);
          if (ls.mean_ms.ci > AB_DES_TARGET_PRECISION * e.mean
              || ls.p50_ms.ci > AB_DES_TARGET_PRECISION * e.p50
              || ls.p95_ms.ci > AB_DES_TARGET_PRECISION * e.p95
              || ls.p99_ms.ci > AB_DES_TARGET_PRECISION * e.p99)
            return TRUE;
        }
    }
  return FALSE;
}

static void
set_bounds (AbEstimate *e)
{
  e->ci_low = MAX (0.0, e->value - e->ci);
  e->ci_high = e->value + e->ci;
}

static void
finish_replication (Sim *sim)
{
  for (guint i = 0; i < sim->n_phases; i++)
    {
      PhaseAcc *ph = &sim->phases[i];

      for (guint b = 0; b < sim->nb; b++)
        {
          AbHistogram **bh = &ph->batch[b * AB_DES_N_SERIES];

          ab_histogram_merge (bh[AB_DES_ALL], bh[AB_DES_READ]);
          ab_histogram_merge (bh[AB_DES_ALL], bh[AB_DES_WRITE]);
        }
      for (int k = 0; k < AB_DES_N_SERIES; k++)
        {
          g_autoptr(AbHistogram) rep = ab_histogram_new ();

          for (guint b = 0; b < sim->nb; b++)
            {
              AbHistogram *bh = ph->batch[b * AB_DES_N_SERIES + k];

              if (ab_histogram_count (bh) == 0)
                continue;
              /* batch means only serve when replications are few */
              if (sim->nb > 1)
                {
                  Est e = estimate_of (bh);

                  g_array_append_val (ph->batch_est[k], e);
                }
              ab_histogram_merge (rep, bh);
              ab_histogram_reset (bh);
            }
          if (ab_histogram_count (rep) > 0)
            {
              Est e = estimate_of (rep);

              g_array_append_val (ph->rep_est[k], e);
              ab_histogram_merge (ph->total[k], rep);
            }
        }
    }
}

static void
ci_from (GArray *ests, AbDesLatencyStats *out)
{
  guint n = ests->len;
  double sum[4] = { 0 }, sq[4] = { 0 };
  double t;

  if (n < 2)
    return;
  for (guint i = 0; i < n; i++)
    {
      const Est *e = &g_array_index (ests, Est, i);
      double v[4] = { e->mean, e->p50, e->p95, e->p99 };

      for (int j = 0; j < 4; j++)
        {
          sum[j] += v[j];
          sq[j] += v[j] * v[j];
        }
    }
  t = t_quantile_975 (n - 1);
  for (int j = 0; j < 4; j++)
    {
      double mean = sum[j] / n;
      double var = MAX (0.0, (sq[j] - n * mean * mean) / (n - 1));
      double ci = t * sqrt (var / n);

      switch (j)
        {
        case 0: out->mean_ms.ci = ci; break;
        case 1: out->p50_ms.ci = ci; break;
        case 2: out->p95_ms.ci = ci; break;
        default: out->p99_ms.ci = ci; break;
        }
    }
}

static void
sim_free (Sim *sim)
{
  if (sim->st != NULL)
    for (guint s = 0; s < sim->n; s++)
      {
        for (int i = 0; i < sim->st[s].k_alloc; i++)
          g_free (sim->st[s].inst[i].ring);
        g_free (sim->st[s].inst);
        g_free (sim->st[s].prof_x);
        g_free (sim->st[s].prof_t);
        if (sim->st[s].f_steps != NULL)
          g_array_unref (sim->st[s].f_steps);
      }
  g_free (sim->st);
  if (sim->lists != NULL)
    for (guint i = 0; i < sim->n * AB_N_CLASSES; i++)
      {
        g_free (sim->lists[i].steps);
        g_free (sim->lists[i].absorbable);
        g_free (sim->lists[i].miss_bit);
        g_free (sim->lists[i].covers);
      }
  g_free (sim->lists);
  g_free (sim->alts);
  g_free (sim->gens);
  g_free (sim->heap);
  g_free (sim->frames);
  if (sim->pending_fail != NULL)
    g_array_unref (sim->pending_fail);
  g_free (sim->event_station);
  if (sim->buckets != NULL)
    for (guint b = 0; b < sim->n_buckets; b++)
      {
        for (int k = 0; k < AB_DES_N_SERIES; k++)
          ab_histogram_free (sim->buckets[b].hist[k]);
        g_free (sim->buckets[b].st);
        g_free (sim->buckets[b].est);
      }
  g_free (sim->buckets);
  if (sim->phases != NULL)
    for (guint i = 0; i < sim->n_phases; i++)
      {
        PhaseAcc *ph = &sim->phases[i];

        for (int k = 0; k < AB_DES_N_SERIES; k++)
          {
            ab_histogram_free (ph->total[k]);
            g_array_unref (ph->rep_est[k]);
            g_array_unref (ph->batch_est[k]);
          }
        for (guint b = 0; b < sim->nb * AB_DES_N_SERIES; b++)
          ab_histogram_free (ph->batch[b]);
        g_free (ph->batch);
        g_free (ph->st);
      }
  g_free (sim->phases);
  g_free (sim->stream_bucket.stations);
  g_free (sim->emit_prev.stations);
  g_free (sim->emit_next.stations);
  g_free (sim->sl_start);
  g_free (sim->sl_end);
  g_free (sim->sl_end0);
  g_free (sim->sl_start0);
  g_free (sim->sl_min);
  g_free (sim->sl_centred);
  g_free (sim->sl_cost);
  g_free (sim->sl_cost0);
  g_free (sim->sl_max);
  g_free (sim->phase_sim);
  g_free (sim->phase_windows);
  if (sim->parked != NULL)
    g_array_unref (sim->parked);
  g_free (sim->f_first);
  g_free (sim->f_to);
  g_free (sim->f_w);
  g_free (sim->f_src);
  g_free (sim->f_arr);
  g_free (sim->f_next);
  g_free (sim->f_served);
}

void
ab_des_config_init (AbDesConfig *config)
{
  g_return_if_fail (config != NULL);

  memset (config, 0, sizeof *config);
  config->sample_budget = AB_DES_DEFAULT_BUDGET;
  config->max_replications = DEFAULT_MAX_REPS;
  config->batches = DEFAULT_BATCHES;
  config->max_instances = MAX_REPRESENTATIVES;
  config->max_budget_factor = 2.0;
}

static void
start_replication (Sim *sim, guint rep)
{
  const AbScenario *sc = sim->sc;
  int j0;

  sim->rep = rep;
  ab_rng_seed_stream (&sim->rng, sc->seed, rep);
  sim->heap_n = 0;
  sim->top_pending = FALSE;
  sim->n_frames = 0;
  sim->live_frames = 0;
  sim->free_frame = -1;
  g_array_set_size (sim->pending_fail, 0);
  sim->now = 0.0;
  sim->last_flush = 0.0;
  sim->cur_phase = -1;
  reset_stations (sim);
  compute_loads (sim);
  for (guint g = 0; g < sim->n_gens; g++)
    {
      sim->gens[g].rate = 0.0;
      sim->gens[g].next_t = INFINITY;
    }

  /* bucket boundaries at warmup + j * bucket_s, the first one after 0 */
  j0 = -(int) floor (sim->warmup / sim->bucket_s);
  if (sim->warmup + j0 * sim->bucket_s <= 1e-12)
    j0++;
  sim->cur_bucket = -1;
  sim->mult = g_array_index (sc->phases, AbPhase, 0).mult_start;
  {
    double first = sim->warmup + j0 * sim->bucket_s;

    if (j0 - 1 >= 0)
      {
        /* no warm-up: the first bucket starts at 0 */
        sim->cur_bucket = 0;
        sim->mult = multiplier_integral (sc, 0.0, first - sim->warmup) / first;
      }
    update_rates (sim);
    if (first < sim->t_end - 1e-9)
      heap_push (sim, first, EV_PACK (EV_BUCKET, j0 + BUCKET_BIAS));
  }
  if (sim->warmup > 0.0)
    heap_push (sim, sim->warmup, EV_PACK (EV_PHASE, 0));
  else
    on_phase_boundary (sim, 0);
  if (sc->events->len > 0)
    heap_push (sim, sim->warmup + g_array_index (sc->events, AbScenarioEvent, 0).t_s,
               EV_PACK (EV_SCENARIO, 0));
  heap_push (sim, sim->t_end, EV_PACK (EV_END, 0));
  sim->next_emit = 0;
  sim->have_prev = FALSE;
  if (sim->windowed)
    {
      /* every replication starts from the plan */
      memcpy (sim->sl_start, sim->sl_start0, sizeof (double) * sim->n_slices);
      memcpy (sim->sl_end, sim->sl_end0, sizeof (double) * sim->n_slices);
      memcpy (sim->sl_cost, sim->sl_cost0, sizeof (double) * sim->n_slices);
      windows_per_phase (sim);
      sim->rep_visits0 = sim->visits;
      if (sim->sl_start[0] > 1e-12)
        skip_to (sim, sim->sl_start[0]);
      if (sim->sl_end[0] < sim->t_end - 1e-9)
        heap_push (sim, sim->sl_end[0], EV_PACK (EV_SKIP, 0));
    }
}

AbDesResult *
ab_des_run (const AbNetwork    *network,
            const AbScenario   *scenario,
            const AbDesConfig  *config,
            GError            **error)
{
  Sim sim_storage = { 0 };
  Sim *sim = &sim_storage;
  AbDesConfig defaults;
  g_autofree const char **ids = NULL;
  guint64 budget;
  guint max_k, reps, n_self = 0;
  double mult_time, total_time, J;
  AbDesResult *result;

  g_return_val_if_fail (network != NULL, NULL);
  g_return_val_if_fail (scenario != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (config == NULL)
    {
      ab_des_config_init (&defaults);
      config = &defaults;
    }
  if (!validate_network (network, error))
    return NULL;
  ids = g_new0 (const char *, network->n_stations + 1);
  for (guint s = 0; s < network->n_stations; s++)
    ids[s] = network->stations[s].id != NULL ? network->stations[s].id : "";
  if (!ab_scenario_validate (scenario, ids, error))
    return NULL;
  if (g_cancellable_set_error_if_cancelled (config->cancellable, error))
    return NULL;

  sim->net = network;
  sim->sc = scenario;
  sim->cfg = config;
  sim->n = network->n_stations;
  sim->warmup = scenario->warmup_s;
  sim->bucket_s = scenario->bucket_s;
  sim->t_end = scenario->warmup_s + ab_scenario_duration (scenario);
  sim->nb = config->batches > 0 ? MIN (config->batches, 1000) : DEFAULT_BATCHES;
  sim->pending_fail = g_array_new (FALSE, FALSE, sizeof (gint32));
  sim->zig = ab_rng_ziggurat ();
  max_k = config->max_instances > 0 ? MIN (config->max_instances, MAX_REPRESENTATIVES)
                                    : MAX_REPRESENTATIVES;

  /* stations and the representative count */
  sim->st = g_new0 (Station, sim->n);
  for (guint s = 0; s < sim->n; s++)
    {
      Station *st = &sim->st[s];
      const AbStation *def = &network->stations[s];

      st->def = def;
      for (int c = 0; c < AB_N_CLASSES; c++)
        st->svc_s[c] = def->service_ms[c] / 1000.0;
      st->c = def->concurrency;
      st->balance = def->balance;
      st->blocking = def->blocking_calls;
      st->dist = def->dist;
      st->hit_ratio = def->hit_ratio;
      st->timeout_s = def->timeout_ms / 1000.0;
      st->infinite = def->concurrency <= 0;
      st->autoscale = def->autoscale_max > def->autoscale_min;
      st->n_init = def->instances;
      if (st->autoscale)
        st->n_init = CLAMP (st->n_init, MAX (1, def->autoscale_min), def->autoscale_max);
      st->n_max = st->autoscale ? MAX (st->n_init, def->autoscale_max) : st->n_init;
      st->n_up = st->n_init;
      st->state = ST_UP;
      n_self += (def->self_rate[0] > 0.0) + (def->self_rate[1] > 0.0);
    }
  compile_lists (sim);
  if (!compute_loads (sim))
    {
      g_set_error (error, AB_ERROR, AB_ERROR_CYCLE,
                   "network: a routing cycle sends every request round forever");
      sim_free (sim);
      return NULL;
    }
  for (int c = 0; c < AB_N_CLASSES; c++)
    for (guint e = 0; e < network->entries[c].n; e++)
      mark_reachable (sim, network->entries[c].stations[e]);
  for (guint s = 0; s < sim->n; s++)
    if (network->stations[s].self_rate[0] > 0.0 || network->stations[s].self_rate[1] > 0.0)
      mark_reachable (sim, (int) s);

  mult_time = multiplier_integral (scenario, -sim->warmup, sim->t_end - sim->warmup);
  total_time = sim->t_end;
  budget = config->sample_budget > 0 ? config->sample_budget : AB_DES_DEFAULT_BUDGET;
  sim->K = (int) max_k;
  J = expected_visits (sim, sim->K, mult_time, total_time);
  reps = config->replications;
  if (reps == 0)
    {
      guint max_reps = config->max_replications > 0 ? config->max_replications : DEFAULT_MAX_REPS;

      while (sim->K > 1 && J > budget)
        J = expected_visits (sim, --sim->K, mult_time, total_time);
      reps = J > 0.0 ? (guint) MIN ((double) max_reps, floor (budget / J)) : 1;
      reps = MAX (reps, 1);
    }
  else
    {
      reps = MIN (reps, 100000);
      while (sim->K > 1 && J * reps > budget)
        J = expected_visits (sim, --sim->K, mult_time, total_time);
    }
  /* the estimate ignores failures and overload: allow some slack before
   * cutting a run short, except when even the smallest windows are too
   * many */
  sim->visit_limit = budget * 2;
  if (J * reps > budget)
    {
      /* windows: fewer representatives no longer buy the whole timeline;
       * take the count that follows the most user requests per visit (the
       * phases' percentiles rest on them) */
      double best = tracked_fraction (sim, sim->K) / J;

      for (int k = sim->K + 1; k <= (int) max_k; k++)
        {
          double jk = expected_visits (sim, k, mult_time, total_time);
          double per_visit = jk > 0.0 ? tracked_fraction (sim, k) / jk : 0.0;

          if (per_visit > 1.1 * best)
            {
              best = per_visit;
              sim->K = k;
              J = jk;
            }
        }
      sim->windowed = TRUE;
      if (!plan_windows (sim, (double) budget / reps))
        sim->visit_limit = budget;
    }
  else
    {
      sim->n_slices = 1;
      sim->sl_start = g_new0 (double, 1);
      sim->sl_end = g_new (double, 1);
      sim->sl_end[0] = sim->t_end;
    }
  if (reps >= MIN_REPS_FOR_CI)
    sim->nb = 1;
  sim->phase_sim = g_new0 (double, scenario->phases->len);
  sim->phase_windows = g_new0 (guint, scenario->phases->len);
  for (guint i = 0; i < scenario->phases->len; i++)
    {
      double d = g_array_index (scenario->phases, AbPhase, i).duration_s;

      if (!sim->windowed)
        {
          sim->phase_sim[i] = d;
          sim->phase_windows[i] = 1;
        }
    }
  if (sim->windowed)
    windows_per_phase (sim);
  sim->parked = g_array_new (FALSE, FALSE, sizeof (Event));
  {
    guint nn = sim->n * AB_N_CLASSES, n_calls = 0;

    for (guint i = 0; i < nn; i++)
      n_calls += network->calls[i].n_calls;
    sim->f_first = g_new0 (guint, nn + 1);
    sim->f_to = g_new0 (guint, MAX (n_calls, 1));
    sim->f_w = g_new0 (double, MAX (n_calls, 1));
    sim->f_src = g_new0 (double, nn);
    sim->f_arr = g_new0 (double, nn);
    sim->f_next = g_new0 (double, nn);
    sim->f_served = g_new0 (double, nn);
    for (guint st = 0; st < sim->n; st++)
      sim->st[st].f_steps = g_array_new (FALSE, FALSE, sizeof (FStep));
  }

  sim->f = 1.0;
  for (guint s = 0; s < sim->n; s++)
    {
      Station *st = &sim->st[s];

      st->k_alloc = MIN (st->n_max, sim->K);
      st->inst = g_new0 (Instance, st->k_alloc);
      if (st->reachable)
        sim->f = MIN (sim->f, (double) st->k_alloc / st->n_max);
    }

  /* generators: user classes, own (cron) load, phantoms */
  sim->n_gens = AB_N_CLASSES + n_self + sim->n;
  sim->gens = g_new0 (Gen, sim->n_gens);
  {
    guint g = 0;

    for (int c = 0; c < AB_N_CLASSES; c++, g++)
      {
        double total_share = 0.0, cum = 0.0;

        sim->gens[g].kind = GEN_USER;
        sim->gens[g].klass = c;
        sim->n_entries[c] = network->entries[c].n;
        for (guint e = 0; e < network->entries[c].n; e++)
          total_share += network->entries[c].shares[e];
        for (guint e = 0; e < network->entries[c].n; e++)
          {
            cum += total_share > 0.0 ? network->entries[c].shares[e] / total_share : 1.0 / network->entries[c].n;
            sim->entry_cum[c][e] = cum;
            sim->entry_station[c][e] = network->entries[c].stations[e];
          }
      }
    for (guint s = 0; s < sim->n; s++)
      for (int c = 0; c < AB_N_CLASSES; c++)
        if (network->stations[s].self_rate[c] > 0.0)
          {
            sim->gens[g].kind = GEN_SELF;
            sim->gens[g].station = (int) s;
            sim->gens[g].klass = c;
            g++;
          }
    for (guint s = 0; s < sim->n; s++, g++)
      {
        sim->gens[g].kind = GEN_PHANTOM;
        sim->gens[g].station = (int) s;
      }
  }

  /* scenario events name stations */
  sim->event_station = g_new0 (int, MAX (scenario->events->len, 1));
  for (guint i = 0; i < scenario->events->len; i++)
    sim->event_station[i] = find_station (network,
                                          g_array_index (scenario->events, AbScenarioEvent, i).station);

  /* accumulators */
  sim->n_phases = scenario->phases->len;
  sim->n_buckets = (guint) ceil ((sim->t_end - sim->warmup) / sim->bucket_s - 1e-9);
  sim->buckets = g_new0 (BucketAcc, sim->n_buckets);
  for (guint b = 0; b < sim->n_buckets; b++)
    {
      for (int k = 0; k < AB_DES_N_SERIES; k++)
        sim->buckets[b].hist[k] = ab_histogram_new ();
      sim->buckets[b].st = g_new0 (Acc, sim->n);
    }
  sim->phases = g_new0 (PhaseAcc, sim->n_phases);
  for (guint i = 0; i < sim->n_phases; i++)
    {
      PhaseAcc *ph = &sim->phases[i];

      ph->start = ab_scenario_phase_start (scenario, i);
      ph->dur = g_array_index (scenario->phases, AbPhase, i).duration_s;
      for (int k = 0; k < AB_DES_N_SERIES; k++)
        {
          ph->total[k] = ab_histogram_new ();
          ph->rep_est[k] = g_array_new (FALSE, FALSE, sizeof (Est));
          ph->batch_est[k] = g_array_new (FALSE, FALSE, sizeof (Est));
        }
      ph->batch = g_new0 (AbHistogram *, sim->nb * AB_DES_N_SERIES);
      for (guint b = 0; b < sim->nb * AB_DES_N_SERIES; b++)
        ph->batch[b] = ab_histogram_new ();
      ph->st = g_new0 (Acc, sim->n);
    }
  sim->stream_bucket.stations = g_new0 (AbDesStationStats, sim->n);
  sim->emit_prev.stations = g_new0 (AbDesStationStats, sim->n);
  sim->emit_next.stations = g_new0 (AbDesStationStats, sim->n);

  /* run */
  {
    guint done = 0;
    double reached = sim->t_end - sim->warmup;
    double factor = config->max_budget_factor > 0.0 ? config->max_budget_factor : 2.0;
    guint64 cap = (guint64) (factor * budget);
    guint max_reps = config->max_replications > 0 ? config->max_replications : DEFAULT_MAX_REPS;

    for (guint rep = 0; rep < reps; rep++)
      {
        start_replication (sim, rep);
        run_loop (sim);
        if (sim->cancelled)
          {
            g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 "Simulation cancelled");
            sim_free (sim);
            return NULL;
          }
        /* the last buckets of the first replication end with the run */
        if (rep == 0 && !sim->stop && sim->cfg->on_bucket != NULL && sim->n_buckets > 0)
          emit_buckets (sim, sim->n_buckets - 1);
        finish_replication (sim);
        done++;
        if (sim->stop)
          {
            if (rep == 0)
              reached = sim->now - sim->warmup;
            break;
          }
        /* the planned replications are done: go on while an interval is
         * too wide and the budget allows another (the same cost again) */
        if (rep + 1 == reps && config->replications == 0 && factor > 1.0 && !sim->windowed
            && reps < max_reps && sim->visits + sim->visits / done <= cap
            && too_wide (sim, done))
          {
            reps++;
            sim->visit_limit = MAX (sim->visit_limit, sim->visits + 2 * (sim->visits / done));
          }
      }

    result = g_new0 (AbDesResult, 1);
    result->replications = done;
    result->representatives = (guint) sim->K;
    result->tracked_fraction = sim->f;
    result->visits = sim->visits;
    result->events = sim->events;
    result->truncated = sim->stop;
    result->simulated_s = MAX (0.0, reached);
    result->windowed = sim->windowed;
    result->budget = budget;
  }

  result->n_stations = sim->n;
  result->n_phases = sim->n_phases;
  result->phases = g_new0 (AbDesPhaseResult, sim->n_phases);
  for (int k = 0; k < AB_DES_N_SERIES; k++)
    result->histograms[k] = ab_histogram_new ();
  for (guint i = 0; i < sim->n_phases; i++)
    {
      PhaseAcc *ph = &sim->phases[i];
      AbDesPhaseResult *out = &result->phases[i];
      const AbPhase *def = &g_array_index (scenario->phases, AbPhase, i);
      double denom = sim->f * ph->time;

      out->name = g_strdup (def->name);
      out->start_s = ph->start;
      out->duration_s = ph->dur;
      out->reported = def->reported;
      out->offered_rps = denom > 0.0 ? ph->offered / denom : 0.0;
      out->served_rps = denom > 0.0 ? ph->served / denom : 0.0;
      out->requests = ph->served + ph->errors;
      out->errors = ph->errors;
      out->async_errors = ph->async_errors;
      out->async_requests = ph->async_served + ph->async_errors;
      out->background_error_rate = out->async_requests > 0
                                   ? (double) ph->async_errors / out->async_requests : 0.0;
      for (int c = 0; c < AB_N_CLASSES; c++)
        {
          out->class_requests[c] = ph->class_served[c] + ph->class_errors[c];
          out->class_errors[c] = ph->class_errors[c];
        }
      out->error_rate = out->requests > 0 ? (double) ph->errors / out->requests : 0.0;
      for (int k = 0; k < AB_DES_N_SERIES; k++)
        {
          AbDesLatencyStats *ls = &out->latency[k];
          Est e = estimate_of (ph->total[k]);

          ls->count = ab_histogram_count (ph->total[k]);
          ls->mean_ms.value = e.mean;
          ls->p50_ms.value = e.p50;
          ls->p95_ms.value = e.p95;
          ls->p99_ms.value = e.p99;
          ci_from (result->replications >= MIN_REPS_FOR_CI ? ph->rep_est[k] : ph->batch_est[k], ls);
          set_bounds (&ls->mean_ms);
          set_bounds (&ls->p50_ms);
          set_bounds (&ls->p95_ms);
          set_bounds (&ls->p99_ms);
          if (def->reported)
            ab_histogram_merge (result->histograms[k], ph->total[k]);
        }
      out->stations = g_new0 (AbDesStationStats, sim->n);
      for (guint s = 0; s < sim->n; s++)
        acc_to_stats (&ph->st[s], ph->time, &out->stations[s]);
      out->simulated_s = sim->windowed || result->truncated
                         ? ph->time / MAX (result->replications, 1) : ph->dur;
      out->windows = out->simulated_s > 0.0 ? sim->phase_windows[i] : 0;
      result->sampled_s += out->simulated_s;
    }
  {
    guint nb = sim->n_buckets;

    if (result->truncated)
      nb = (guint) MIN ((double) nb, ceil (result->simulated_s / sim->bucket_s));
    result->n_buckets = nb;
    result->buckets = g_new0 (AbDesBucket, nb);
    for (guint b = 0; b < nb; b++)
      {
        result->buckets[b].stations = g_new0 (AbDesStationStats, sim->n);
        fill_bucket (sim, b, &result->buckets[b]);
      }
    /* estimated buckets: between the simulated ones of their phase */
    {
      g_autofree int *prev = g_new (int, MAX (nb, 1));
      int last = -1;

      for (guint b = 0; b < nb; b++)
        {
          if (last >= 0 && result->buckets[last].phase != result->buckets[b].phase)
            last = -1;
          prev[b] = last;
          if (!result->buckets[b].estimated)
            last = (int) b;
        }
      last = -1;
      for (guint b = nb; b-- > 0;)
        {
          AbDesBucket *bk = &result->buckets[b];

          if (last >= 0 && result->buckets[last].phase != bk->phase)
            last = -1;
          if (bk->estimated)
            interpolate_bucket (bk, prev[b] >= 0 ? &result->buckets[prev[b]] : NULL,
                                last >= 0 ? &result->buckets[last] : NULL);
          else
            last = (int) b;
        }
    }
  }
  sim_free (sim);
  return result;
}

void
ab_des_result_free (AbDesResult *result)
{
  if (result == NULL)
    return;
  for (guint i = 0; i < result->n_phases; i++)
    {
      g_free (result->phases[i].name);
      g_free (result->phases[i].stations);
    }
  g_free (result->phases);
  for (guint b = 0; b < result->n_buckets; b++)
    g_free (result->buckets[b].stations);
  g_free (result->buckets);
  for (int k = 0; k < AB_DES_N_SERIES; k++)
    ab_histogram_free (result->histograms[k]);
  g_free (result);
}
