/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the parts of the discrete-event simulation share: the run's state
 * (Sim), its events, frames, stations and accumulators, the hot helpers
 * every part inlines (event heap, frame pool, station accounting), and
 * the functions one part calls in another.  The parts:
 *
 *   ab-des.c          a request's events (arrival, service, departure,
 *                     its calls and its end), the generators and the
 *                     rates, the event loop, the entry points
 *   ab-des-route.c    the chances of the calls and the loads routed
 *                     under the up / down state, instances lost and
 *                     recovered, the bucket, phase and scenario event
 *                     boundaries
 *   ab-des-record.c   what a run records: buckets (and their stream),
 *                     estimates and intervals, accumulators, the results
 *   ab-des-setup.c    validation, compiling the network into stations
 *                     and steps, the budget, the generators' plan, each
 *                     replication's start, freeing a run
 *   ab-des-reps.c     the replications and a windowed run's extra passes
 *                     for the lag
 *   ab-des-fluid.c    the fluid model that fast-forwards the stretches
 *                     between a windowed run's slices, and the virtual
 *                     backlog it leaves at the stations
 *   ab-des-windows.c  the sample budget and the window plan
 *   ab-des-pool.c     least connections as one pool of all instances'
 *                     slots
 *   ab-des-ci.c       the intervals of a windowed phase whose users'
 *                     waits grow
 *
 * Private to src/core: nothing here is API. */
#pragma once

#include <math.h>
#include <string.h>

#include "ab-types.h"
#include "ab-rng.h"
#include "ab-des.h"

G_BEGIN_DECLS

#define MAX_REPRESENTATIVES 8
#define MAX_DEPTH           32
#define MAX_CALLS           65535 /* Frame.cur_call and Frame.step are 16-bit */
/* Frame.missed: bits for the cache lookups of a list that later calls
 * fall back on (see compile_lists in ab-des-setup.c) */
#define MISS_BITS           64
/* the pool of requests in flight (frames) of a run: Sim.max_frames,
 * this unless a test asks for less (des_run_with_frames) */
#define MAX_FRAMES          (1 << 22)
/* the frames a run plans to keep alive at most (the rest is headroom for
 * the requests in service and what the estimate misses) */
#define ROOM_FRAMES(sim)    ((sim)->max_frames / 2)
#define CHECK_EVERY         4096
/* the longest a run goes on past its end for the background chains still
 * in flight (also at most a quarter of the replication's visits more) */
#define TAIL_MAX_S          120.0
#define DEFAULT_MAX_REPS    256
#define DEFAULT_BATCHES     10
#define MIN_REPS_FOR_CI     5
/* a station starts from its stationary queue from this utilisation on */
#define STATIONARY_FROM     0.7
/* the shortest window of a phase, in buckets */
#define MIN_WINDOW          0.01
/* a windowed run adds a synchronous call's network time to the latency
 * instead of living through it (des_fold_net in ab-des.c) from this
 * share of the window on: a shorter delay carries fewer than this share
 * of a window's requests into the next one, where they are counted */
#define FOLD_FROM           0.01
/* A group's weights that sum below 1 by more than this leave the rest of
 * the requests without the call (routing's own tolerance) */
#define GROUP_TOTAL_EPS     1e-9

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
  EV_END,
  EV_POOL,
  EV_COMPL   /* an anonymous visit of the complement (des_gen_arm):
                index station * AB_N_CLASSES + class */
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
  F_SPAWNED = 1 << 4, /* a background root whose chain went on: its end is
                         not the end of the chain */
  F_MOVED   = 1 << 5, /* a background stage whose chain waited through a
                         skip between windows: its start was moved by it
                         (its lag is kept, not when it began) */
  F_AHEAD   = 1 << 6, /* a followed request a windowed run kept waiting
                         through a skip: at the head of its queue, ahead
                         of the fluid backlog by right (it arrived before
                         it), its wait counted to the end of the skip
                         (ab-des-fluid.c, materialize_backlog) */
  F_OUTSIDE = 1 << 7  /* a followed request a window started with, served
                         beside the slots (des_window_queues): its
                         departure frees no slot */
};

/* the followed arrivals at a station between two estimates of the share
 * it passes on, and the weight the earlier ones keep per such block; a
 * share above 1 - PASS_SNAP is 1; an estimate moves the anonymous loads
 * when it moved by PASS_STEP */
#define PASS_BLOCK 256
#define PASS_DECAY 0.75
#define PASS_SNAP  0.02
#define PASS_STEP  0.005

/* observed times a blocking station's requests held their slot after
 * their own service, kept for the anonymous (phantom) visits */
#define HOLD_SAMPLES 64
/* and their running mean, the slot time the fluid model and the
 * stationary start use: over many more, as the time a pool's threads are
 * held moves with its callees' queues over longer than 64 calls (a mean
 * of the last 64 reads a database's queue over some 20 ms) */
#define HOLD_MEAN_SAMPLES 2048

/* the times followed requests took from their start to a station, kept
 * for the complement's anonymous visits there (des_gen_arm) */
#define DELAY_SAMPLES 64
/* at most this many stations and classes take their anonymous visits
 * from the complement (the busiest; the others keep a Poisson stream) */
#define MAX_COMPL 32
/* a station's complement holds while the spread of those times is at
 * most this many gaps between followed requests: beyond it the followed
 * requests reach it mixed as a Poisson stream's would, and its own
 * Poisson generator is as right, also where the times are those of a
 * growing queue */
#define COMPL_SPREAD_GAPS 2.0

typedef struct {
  double  t_arrive;  /* arrival at the current station */
  double  t_start;   /* roots: request start / async spawn time */
  guint64 missed;    /* which absorbable calls of the list were made and
                        missed (or failed): StepList.miss_field/miss_val */
  gint32  parent;    /* caller frame, -1 for a root; free-list link */
  /* roots: the network time of its synchronous calls a windowed run did
   * not live through (des_fold_net in ab-des.c), added to its latency */
  float   fold;
  guint16 station;
  guint16 step;
  guint16 cur_call;
  guint8  klass;
  guint8  instance;
  guint8  epoch;
  guint8  flags;
  guint8  depth;
  guint8  phase0;    /* roots: the phase they started in (PHASE_NONE:
                        warm-up); a background chain is counted in the
                        phase it started in */
  guint16 backlog;   /* user roots: 1 + the station whose fluid backlog
                        gave them its wait (des_virtual_take), 0: none */
} Frame;

/* the field fits the padding: a frame stays 48 bytes */
G_STATIC_ASSERT (sizeof (Frame) <= 48);

#define PHASE_NONE G_MAXUINT8

typedef struct {
  gint32 *ring;
  guint   head, len, mask;
  int     busy;
  guint8  epoch;
  /* the fluid backlog ahead of the ring: requests not yet made frames */
  gint64  n_virtual, v_next;
  double  v_total;
  guint   v_knot;
  /* seconds of the window's requests served ahead of the backlog since
   * it was made (des_virtual_take): its requests are that much later */
  double  v_jumped;
  /* the requests started since the backlog was made (its own and the
   * window's): first in, first out, the one answered next is the v_pos-th
   * of the backlog, or past its end a request of the window; a user
   * request counts that one's wait (des_virtual_take) */
  gint64  v_pos;
  guint   v_pos_knot;
} Instance;


typedef struct {
  int    call;    /* -1: no call (the rest of a group whose weights sum below 1) */
  double cum;
} Alt;

typedef struct {
  guint   first_alt, n_alt;
  double  total;  /* a draw spans [0, total): the last alternative's cum */
  guint64 clear;  /* Frame.missed bits to clear when the step starts */
  /* a step of fallbacks only, on the lookups of step lookup_step: the end
   * of its run of such steps (0: not one) */
  guint   run_end, lookup_step;
} Step;

typedef struct {
  Step         *steps;
  guint         n_steps;
  const AbCall *calls;
  gboolean     *absorbable; /* a later call falls back on this one */
  /* when absorbable: its step's field in Frame.missed and the value the
   * field holds when this call was made and missed */
  guint64      *miss_field, *miss_val;
  /* per lookup step, its absorbable calls in the order of their values
   * (code_call[code_first[step] + value - 1]); per absorbable call, the
   * fallback-only steps that fall back on it, in order
   * (fb_steps[fb_first[call] .. + fb_n[call]]) */
  guint        *code_first, *fb_first, *fb_n, *fb_steps;
  int          *code_call;
  gboolean     *covers;     /* its group's members cover for each other */
  double       *gtotal;     /* probability total of its group */
  guint         n_cover;    /* how many groups cover for their members */
  /* chance the call is made per onward-calling visit under the current
   * up / down state (des_update_chances) */
  double       *made;
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
  /* s, the mean over about the last HOLD_MEAN_SAMPLES (of hold_seen) */
  guint     hold_seen[AB_N_CLASSES];
  double    hold_mean[AB_N_CLASSES];
  gboolean  infinite;
  gboolean  autoscale;
  int       n_init, n_max, k_alloc;
  int       n_up, n_lost, k_active;
  /* a primary's share of requests whose shard is up
   * (ab_network_shards_live); the rest fail on arrival */
  double    shard_live;
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
  /* the followed requests that arrived here, that started their service
   * and that it turned away or timed out, per class, since the last
   * estimate (pass_cnt arrivals in all), and the smoothed sums; pass:
   * the share of its arrivals the station passes on in the anonymous
   * loads (des_pass_estimate) */
  guint     pass_cnt;
  guint     pass_arr[AB_N_CLASSES], pass_run[AB_N_CLASSES], pass_lost[AB_N_CLASSES];
  double    pass_sarr[AB_N_CLASSES], pass_srun[AB_N_CLASSES], pass_slost[AB_N_CLASSES];
  gboolean  pass_shed[AB_N_CLASSES];
  double    pass[AB_N_CLASSES];
  /* the arrivals the anonymous visits stand for, per unit of multiplier
   * (users) and the background's: load_user and load_bg less what the
   * stations upstream do not pass on */
  double    anon_user[AB_N_CLASSES], anon_bg[AB_N_CLASSES];
  /* the reads' share of all its anonymous visits (pop_release) */
  double    anon_read_frac;
  /* under systematic sampling, the users' anonymous visits of a class
   * here come from the requests not followed (des_gen_arm), compl_p of
   * them per such request, not from the station's Poisson generator;
   * the times the followed requests took to get here since they
   * started */
  gboolean  compl[AB_N_CLASSES], compl_on;
  double    compl_p[AB_N_CLASSES];
  float     delay_ring[DELAY_SAMPLES];
  guint     delay_n, delay_pos;
  /* requests its representatives may hold, in service and waiting,
   * before an anonymous visit is turned away (pop_caps in ab-des-route.c) */
  gint64    pop_cap, pop_deferred;
  gboolean  reachable;
  /* virtual backlog: arrival time against index from the head (knots),
   * per modelled instance; what its requests are */
  double   *prof_x, *prof_t;
  guint     prof_n, prof_cap;
  double    prof_q;
  double    mix[AB_N_CLASSES * 2 + 1];
  /* seconds one instance takes per waiting request (its mean slot time
   * over its slots): how long a virtual backlog takes to drain */
  double    v_gap;
  /* the fluid model during a skipped stretch */
  double    fq[AB_N_CLASSES];
  double    fq_start, f_rho;
  gboolean  f_over;
  /* at the last skip: whether the fluid made its backlog, and what the
   * wait of the request its backlog answers first grew by over it
   * (skip_shift_chain in ab-des-fluid.c) */
  gboolean  f_fluid;
  double    skip_growth;
  GArray   *f_steps;
  /* least connections as one pool of n_up * c slots (ab-des-pool.c):
   * whether it applies; the followed requests waiting for a slot of the
   * pool and their tickets (the departures counted in p_served after
   * which each is first); the other instances' requests in service and
   * waiting, as of p_t; their arrival rate, the whole pool's, the
   * slots' departure rate, the slots and the waiting places (0: no
   * limit); the next departure outside the representatives (EV_POOL) */
  gboolean  pooled;
  gint32   *pq_frame;
  gint64   *pq_ticket;
  guint     pq_head, pq_len, pq_cap;
  gint64    p_out, p_served, p_m, p_limit;
  double    p_t, p_lambda, p_lambda_all, p_mu, p_next;
} Station;

/* accepted arrivals per modelled instance during one fluid step */
typedef struct {
  double t, dt, accepted;
} FStep;

enum { GEN_USER, GEN_SELF, GEN_PHANTOM };

typedef struct {
  int    kind, station, klass;
  double rate, next_t, read_frac;
  /* user requests: gaps of shape > 1 are Gamma(shape) (every shape-th
   * request of the class is followed, docs/simulation.md); mixed: the
   * generator stands for both classes (read_frac of them reads), merged:
   * it is folded into the other class's mixed generator */
  double   shape;
  gboolean mixed, merged;
} Gen;

typedef struct {
  AbHistogram *hist[AB_DES_N_SERIES];
  guint64      offered, served, errors, async_errors, async_served;
  double       time, mult_time;
  Acc         *st;
  /* the fluid model's share (skipped stretches) */
  double       est_time, est_mult_time;
  Acc         *est;
  /* user requests of earlier windows that give up here, in requests of
   * the whole design (des_defer_error) */
  double       deferred_errors;
} BucketAcc;

typedef struct {
  double mean, p50, p95, p99;
  double n;   /* the samples behind them */
} Est;

typedef struct {
  AbHistogram  *total[AB_DES_N_SERIES];
  AbHistogram **batch;  /* batches * AB_DES_N_SERIES, one replication */
  GArray       *rep_est[AB_DES_N_SERIES];
  GArray       *batch_est[AB_DES_N_SERIES];
  guint64       offered, served, errors, async_errors, async_served;
  guint64       class_served[AB_N_CLASSES], class_errors[AB_N_CLASSES];
  /* user requests of an earlier phase's windows that give up in this
   * one, per class, in requests of the whole design (des_defer_error) */
  double        deferred_errors[AB_N_CLASSES];
  double        time;
  double        start, dur;
  /* where the phase began in simulated time (Sim.skipped) */
  double        u0;
  /* the components' sums and the user requests offered and served,
   * each window's weighed by the seconds of the phase it stands for
   * (des_flush), and the time they are over; the counts at the last
   * flush */
  Acc          *st;
  double        st_time, w_offered, w_served;
  guint64       flushed_offered, flushed_served;
  double       *lag;   /* the slowest end's sums (ab-des-lag.c) */
  /* user requests finished and failed per batch and class in this
   * replication (b * AB_N_CLASSES + class), and the error rates of the
   * replications and of the batches, per class and all */
  guint64      *b_req, *b_err;
  GArray       *rep_err[AB_N_CLASSES + 1], *batch_err[AB_N_CLASSES + 1];
  /* a windowed phase whose users' waits grow (ab-des-ci.c; NULL win
   * otherwise): the user latencies of this replication per window and
   * section of it, the windows' over the replications, and the figures
   * of each section's mixture over the windows, per replication */
  AbHistogram **win, **win_total;
  GArray       *sec_est[AB_DES_N_SERIES];
  guint         n_win, win_first; /* windows, the first one's slice */
  int           win_slice;
  double        win_t0, win_inv;
} PhaseAcc;

typedef struct {
  const AbNetwork   *net;
  const AbScenario  *sc;
  const AbDesConfig *cfg;
  guint              n;
  Station           *st;
  StepList          *lists;
  Alt               *alts;
  double            *live_factor; /* scratch, per call of a list */
  /* when the up / down state last changed: the pools' mean slot times
   * count the calls made since (des_hold_restart in ab-des-route.c) */
  double             hold_since;

  Gen   *gens;
  guint  n_gens;

  Event   *heap;
  guint    heap_n, heap_cap;
  gboolean top_pending;

  Frame *frames;
  guint  n_frames, cap_frames, live_frames;
  guint  max_frames; /* the most cap_frames grows to (MAX_FRAMES) */
  gint32 free_frame;

  GArray *pending_fail;

  AbRng  rng;
  const AbRngZiggurat *zig;
  double now, t_end, warmup, bucket_s;
  double f;
  int    K;
  double mult;
  /* the stations whose anonymous visits of a class come from the
   * requests not followed (Station.compl): station * AB_N_CLASSES +
   * class */
  guint  compl_at[MAX_COMPL];
  guint  compl_n;
  /* some station loses followed requests (des_anon_loads): the anonymous
   * loads downstream are what it passes on, a stream of its own, not
   * the complement */
  gboolean lossy;
  double entry_cum[AB_N_CLASSES][64];
  int    entry_station[AB_N_CLASSES][64];
  guint  n_entries[AB_N_CLASSES];

  int      *event_station;  /* per scenario event */
  guint     next_event;
  guint     next_phase;
  int       cur_phase, cur_bucket;
  double    phase_t0, batch_inv;
  /* how many user latencies of its phase each one recorded in the
   * current window stands for (des_window_weight; 1 outside windows),
   * and the fraction carried to the next */
  double    rec_weight, rec_carry;
  /* > 0 while a request that will give up after that many seconds is
   * failed at once (des_defer_error) */
  double    fail_delay;
  /* the time skipped between windows in this replication: now - skipped
   * is the simulated time, which a chain's start (moved by every skip it
   * waits through) keeps as well */
  double    skipped;
  double    last_flush;
  guint     n_buckets, n_phases, nb;
  BucketAcc *buckets;
  PhaseAcc  *phases;
  guint      rep;
  int        first_bucket;

  guint64   events, visits, visit_limit;
  gboolean  stop, cancelled;
  /* requests and calls that found no frame left (max_frames) */
  guint64   out_of_room;
  /* background chains in flight that started in a phase (so count
   * there), and whether the run is past its end, simulating on unreported
   * until they have ended (docs/simulation.md, "Background work is lag,
   * not latency"); the visits of the replication when it ended */
  gint64    bg_live;
  gboolean  in_tail;
  guint64   tail_visits0;
  /* per station: background work waits there (a stage of a chain, or a
   * synchronous callee of one), without a queue limit; made with the
   * buckets' estimates (des_background_stations) */
  gboolean *bg_open;
  /* a windowed run's extra passes for the lag (docs/simulation.md,
   * "Confidence intervals"): per scenario phase, the share of the pass's
   * budget while planning it (NULL: by duration), and whether the pass
   * records the lag of the chains started there (NULL: not such a pass) */
  const double   *plan_weight;
  const gboolean *lag_focus;
  /* and the representatives per station there (NULL: sim->K, at most
   * each station's instances) */
  const int      *lag_k;

  /* windows: the stretches simulated (absolute times, warm-up included) */
  gboolean  windowed, skipping;
  double   *sl_start, *sl_end;
  guint     n_slices;
  /* the slice being simulated (or last simulated) */
  guint     cur_slice;
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
          if (sim->cap_frames >= sim->max_frames)
            return -1;
          sim->cap_frames = MIN (sim->max_frames, MAX (1024, sim->cap_frames * 2));
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

/* A new request entering the network at @station at time @t: a root
 * frame (no parent) of @klass, or -1 when no frame is left (counted in
 * out_of_room; des_plan_windows plans the windows to leave room). */
static inline gint32
frame_new_root (Sim *sim, int klass, guint8 flags, guint station, double t)
{
  gint32 fi = frame_alloc (sim);
  Frame *f;

  if (fi < 0)
    {
      /* a limit of the simulator, not an error of the design: counted
       * apart (AbDesResult.out_of_room), never in its errors */
      sim->out_of_room++;
      return -1;
    }
  f = &sim->frames[fi];
  f->parent = -1;
  f->station = (guint16) station;
  f->klass = (guint8) klass;
  f->step = 0;
  f->missed = 0;
  f->flags = flags;
  f->depth = 0;
  f->phase0 = sim->cur_phase >= 0 && sim->cur_phase < PHASE_NONE ? (guint8) sim->cur_phase : PHASE_NONE;
  if ((flags & F_BG) && f->phase0 != PHASE_NONE)
    sim->bg_live++;
  f->t_start = t;
  f->t_arrive = t;
  f->fold = 0.0f;
  f->backlog = 0;
  return fi;
}

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

static inline void
start_service (Sim *sim, Station *st, Instance *in, gint32 fi)
{
  Frame *f = &sim->frames[fi];

  in->busy++;
  st->busy_total++;
  if (!(f->flags & F_PHANTOM))
    st->pass_run[f->klass]++;
  f->epoch = in->epoch;
  heap_push (sim, sim->now + sample_service (sim, st, f->klass), EV_PACK (EV_DEPART, fi));
}

static inline void
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

/* ---------------------------------------------------- across the parts -- */

/* ab-des.c: a request's events, the generators and the rates, the loop */
G_GNUC_INTERNAL void     des_drain_pending_failures (Sim             *sim);
G_GNUC_INTERNAL double   des_gen_gap               (Sim              *sim,
                                                    const Gen        *gen);
G_GNUC_INTERNAL void     des_gen_arm               (Sim              *sim,
                                                    guint             g,
                                                    double            t0);
G_GNUC_INTERNAL void     des_update_rates          (Sim              *sim);
G_GNUC_INTERNAL gboolean des_pass_update           (Station          *st);
G_GNUC_INTERNAL void     des_pass_estimate         (Sim              *sim,
                                                    Station          *st);
G_GNUC_INTERNAL void     des_run_loop              (Sim              *sim);

/* A followed request of @klass arrived at @st (start_service counts
 * those that start).  Every PASS_BLOCK of them the station's passed-on
 * share is estimated again. */
static inline void
pass_note (Sim *sim, Station *st, int klass)
{
  st->pass_arr[klass]++;
  if (G_UNLIKELY (++st->pass_cnt >= PASS_BLOCK))
    des_pass_estimate (sim, st);
}

/* ab-des-route.c */
G_GNUC_INTERNAL void     des_update_chances        (Sim              *sim);
G_GNUC_INTERNAL gboolean des_compute_loads         (Sim              *sim);
G_GNUC_INTERNAL void     des_anon_loads            (Sim              *sim);
G_GNUC_INTERNAL void     des_set_instances         (Sim              *sim,
                                                    Station          *st,
                                                    gboolean          lost);
G_GNUC_INTERNAL double   des_multiplier_integral   (const AbScenario *sc,
                                                    double            a,
                                                    double            b);
G_GNUC_INTERNAL void     des_hold_restart          (Sim              *sim);
G_GNUC_INTERNAL void     des_on_bucket_boundary    (Sim              *sim,
                                                    int               j);
G_GNUC_INTERNAL void     des_on_phase_boundary     (Sim              *sim,
                                                    guint             i);
G_GNUC_INTERNAL void     des_on_scenario_event     (Sim              *sim,
                                                    guint             i);

/* ab-des-record.c */
G_GNUC_INTERNAL void     des_flush                 (Sim              *sim);
G_GNUC_INTERNAL void     des_emit_buckets          (Sim              *sim,
                                                    guint             upto);
G_GNUC_INTERNAL gboolean des_too_wide              (Sim              *sim,
                                                    guint             done);
G_GNUC_INTERNAL void     des_finish_replication    (Sim              *sim);
G_GNUC_INTERNAL BucketAcc *des_buckets_new         (Sim              *sim);
G_GNUC_INTERNAL void     des_buckets_free          (Sim              *sim,
                                                    BucketAcc        *buckets);
G_GNUC_INTERNAL PhaseAcc *des_phases_new           (Sim              *sim);
G_GNUC_INTERNAL void     des_phases_free           (Sim              *sim,
                                                    PhaseAcc         *phases);
G_GNUC_INTERNAL void     des_setup_accumulators    (Sim              *sim);
G_GNUC_INTERNAL void     des_collect_phases        (Sim              *sim,
                                                    AbDesResult      *result);
G_GNUC_INTERNAL void     des_collect_buckets       (Sim              *sim,
                                                    AbDesResult      *result);

/* ab-des-setup.c */
G_GNUC_INTERNAL gboolean des_validate_network      (const AbNetwork  *net,
                                                    GError           **error);
G_GNUC_INTERNAL void     des_foreach_item          (const AbCallList *cl,
                                                    const gboolean   *parents,
                                                    gboolean          groups_only,
                                                    void            (*fn) (AbCallGroupIter *it, gpointer data),
                                                    gpointer          data);
G_GNUC_INTERNAL gboolean des_setup_stations        (Sim              *sim,
                                                    GError           **error);
G_GNUC_INTERNAL guint    des_plan_budget           (Sim              *sim,
                                                    guint             max_k,
                                                    guint64           budget);
G_GNUC_INTERNAL void     des_alloc_fluid           (Sim              *sim);
G_GNUC_INTERNAL void     des_setup_generators      (Sim              *sim);
G_GNUC_INTERNAL void     des_plan_systematic       (Sim              *sim);
G_GNUC_INTERNAL void     des_start_replication     (Sim              *sim,
                                                    guint             rep);
G_GNUC_INTERNAL void     des_sim_free              (Sim              *sim);
G_GNUC_INTERNAL void     des_window_queues         (Sim              *sim,
                                                    double            t0);

/* ab-des-reps.c */
G_GNUC_INTERNAL AbDesResult *des_run_replications  (Sim              *sim,
                                                    guint             reps,
                                                    guint64           budget,
                                                    GError           **error);

/* ab-des-pool.c */
G_GNUC_INTERNAL void     des_pool_rates            (Sim              *sim,
                                                    Station          *st);
G_GNUC_INTERNAL gboolean des_pool_arrive           (Sim              *sim,
                                                    Station          *st,
                                                    gint32            fi);
G_GNUC_INTERNAL void     des_pool_sync             (Sim              *sim,
                                                    Station          *st);
G_GNUC_INTERNAL void     des_pool_free             (Sim              *sim,
                                                    Station          *st,
                                                    Instance         *in);
G_GNUC_INTERNAL void     des_pool_event            (Sim              *sim,
                                                    guint             s,
                                                    double            t);
G_GNUC_INTERNAL void     des_pool_stationary       (Sim              *sim,
                                                    Station          *st);
G_GNUC_INTERNAL void     des_pool_flush            (Sim              *sim,
                                                    Station          *st);
G_GNUC_INTERNAL void     des_pool_reset            (Station          *st);
G_GNUC_INTERNAL void     des_pool_shift            (Sim              *sim,
                                                    Station          *st,
                                                    double            by,
                                                    void            (*shift) (Sim *, gint32, double));

/* @n user requests of @klass finished (@failed: failed) in the current
 * phase: its batch's counts, for the error rate's interval */
static inline void
phase_count_batch (Sim *sim, int klass, gboolean failed, guint64 n)
{
  PhaseAcc *ph = &sim->phases[sim->cur_phase];
  int b = (int) ((sim->now - sim->phase_t0) * sim->batch_inv);

  b = CLAMP (b, 0, (int) sim->nb - 1);
  ph->b_req[b * AB_N_CLASSES + klass] += n;
  if (failed)
    ph->b_err[b * AB_N_CLASSES + klass] += n;
}

/* ab-des-ci.c */
G_GNUC_INTERNAL void     des_ci_alloc              (Sim              *sim,
                                                    PhaseAcc         *ph,
                                                    guint             i);
G_GNUC_INTERNAL void     des_ci_free               (PhaseAcc         *ph);
G_GNUC_INTERNAL void     des_ci_record             (Sim              *sim,
                                                    PhaseAcc         *ph,
                                                    int               series,
                                                    double            ms,
                                                    guint64           n);
G_GNUC_INTERNAL void     des_ci_finish_replication (Sim              *sim,
                                                    PhaseAcc         *ph);
G_GNUC_INTERNAL gboolean des_ci_collect            (Sim              *sim,
                                                    PhaseAcc         *ph,
                                                    guint             replications,
                                                    int               series,
                                                    AbLatencyStats   *out);

/* ab-des-fluid.c */
G_GNUC_INTERNAL void     des_skip_to               (Sim              *sim,
                                                    double            t1);
G_GNUC_INTERNAL void     des_virtual_fail          (Sim              *sim,
                                                    const Station    *st,
                                                    gint64            count);
G_GNUC_INTERNAL gboolean des_virtual_take          (Sim              *sim,
                                                    Station          *st,
                                                    Instance         *in);
G_GNUC_INTERNAL void     des_virtual_start         (Sim              *sim,
                                                    Station          *st,
                                                    Instance         *in,
                                                    gint64            count);

/* ab-des-record.c: a user request of @klass failed now that gives up
 * @delay seconds later */
G_GNUC_INTERNAL void     des_defer_error           (Sim              *sim,
                                                    int               klass,
                                                    double            delay);

/* ab-des-windows.c */
G_GNUC_INTERNAL double   des_tracked_fraction      (Sim              *sim,
                                                    int               K);
G_GNUC_INTERNAL double   des_frames_piled          (Sim              *sim);
G_GNUC_INTERNAL double   des_expected_visits       (Sim              *sim,
                                                    int               K,
                                                    double            mult_time,
                                                    double            total_time);
G_GNUC_INTERNAL gboolean des_plan_windows          (Sim              *sim,
                                                    double            budget);
G_GNUC_INTERNAL void     des_windows_per_phase     (Sim              *sim);
G_GNUC_INTERNAL double   des_window_weight         (Sim              *sim,
                                                    guint             k);
/* Plans the slices again within @budget, each phase's share of it
 * @weight[phase] (the warm-up and phases of weight 0: their shortest
 * windows): a windowed run's extra pass for the lag. */
G_GNUC_INTERNAL gboolean des_plan_windows_weighted (Sim              *sim,
                                                    double            budget,
                                                    const double     *weight);
/* TRUE when scenario phase @i's windows are planned as those of users
 * waiting behind a backlog that grows without a limit or a timeout */
G_GNUC_INTERNAL gboolean des_phase_users_grow      (Sim              *sim,
                                                    guint             i);
/* TRUE when in scenario phase @i (at its mean load, all instances up)
 * some station is offered more than it serves: its backlog grows through
 * the phase, or its queue is full */
G_GNUC_INTERNAL gboolean des_phase_overloaded      (Sim              *sim,
                                                    guint             i);
/* The plan as it stands (slices, as planned and as adjusted, seconds and
 * windows per phase), kept and put back after the extra passes */
typedef struct _DesPlan DesPlan;
G_GNUC_INTERNAL DesPlan *des_plan_save             (Sim              *sim);
G_GNUC_INTERNAL void     des_plan_restore          (Sim              *sim,
                                                    DesPlan          *plan);
G_GNUC_INTERNAL void     des_replan                (Sim              *sim,
                                                    guint             done);

/* ab-des-fluid.c: the lag in a skipped bucket */
G_GNUC_INTERNAL void     des_background_stations   (Sim              *sim);
G_GNUC_INTERNAL double   des_backlog_wait_ms       (const Sim        *sim,
                                                    const AbDesBucket *bucket);

/* ab-des-lag.c */
G_GNUC_INTERNAL void     des_lag_alloc             (Sim              *sim,
                                                    PhaseAcc         *ph);
G_GNUC_INTERNAL void     des_lag_record            (Sim              *sim,
                                                    PhaseAcc         *ph,
                                                    int               batch,
                                                    guint             station,
                                                    double            t_start,
                                                    double            ms);
G_GNUC_INTERNAL void     des_lag_finish_replication (Sim             *sim,
                                                    PhaseAcc         *ph);
G_GNUC_INTERNAL gboolean des_lag_too_wide          (Sim              *sim,
                                                    PhaseAcc         *ph,
                                                    guint             done);
G_GNUC_INTERNAL double   des_lag_width             (Sim              *sim,
                                                    PhaseAcc         *ph,
                                                    guint             done,
                                                    double           *count);
G_GNUC_INTERNAL void     des_lag_add               (Sim              *sim,
                                                    PhaseAcc         *dst,
                                                    const PhaseAcc   *src);
G_GNUC_INTERNAL void     des_lag_collect           (Sim              *sim,
                                                    PhaseAcc         *ph,
                                                    guint             replications,
                                                    AbDesPhaseResult *out);

/* ab-des-record.c: the intervals */
G_GNUC_INTERNAL double   des_t_quantile_975        (guint             df);
/* @h's mean, P50, P95, P99 and count, as one unit's estimate */
G_GNUC_INTERNAL Est      des_estimate_of           (const AbHistogram *h);
/* The half-widths of Student's t on the spread of @ests' figures (of
 * Est, each counting alike), into @ci: mean, P50, P95, P99; FALSE with
 * fewer than two */
G_GNUC_INTERNAL gboolean des_ci_spread             (GArray           *ests,
                                                    double           *ci);

/* ab-des.c */
/* ab_des_run with a pool of at most @max_frames requests in flight
 * instead of MAX_FRAMES (0: MAX_FRAMES), the window plan's room scaled
 * with it: lets a test fill the pool (AbDesResult.out_of_room) with a
 * small design.  For tests only. */
G_GNUC_INTERNAL AbDesResult *des_run_with_frames   (const AbNetwork   *network,
                                                    const AbScenario  *scenario,
                                                    const AbDesConfig *config,
                                                    guint              max_frames,
                                                    GError           **error);

G_END_DECLS
