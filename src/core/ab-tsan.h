/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ThreadSanitizer annotations for hand-overs it cannot see.  GLib is not
 * built with ThreadSanitizer: its GMutex and GCond (futex based), GAsyncQueue,
 * GThreadPool, GTask and atomic reference counts synchronise in code
 * ThreadSanitizer does not observe, so a hand-over through them (a run's data
 * to a worker thread, a point back to the main thread, the last unref of a
 * shared setup) looks like a race.  AB_TSAN_RELEASE (p) after the last write
 * before such a hand-over and AB_TSAN_ACQUIRE (p) on the receiving side tell
 * ThreadSanitizer about the order GLib guarantees; every other access is
 * still checked.  Without -fsanitize=thread both are no-ops.
 * docs/simulation.md, "Threads", says how to run the check. */
#pragma once

#if defined(__SANITIZE_THREAD__)
void __tsan_acquire (void *addr);
void __tsan_release (void *addr);
# define AB_TSAN_ACQUIRE(p) __tsan_acquire ((void *) (p))
# define AB_TSAN_RELEASE(p) __tsan_release ((void *) (p))
#else
# define AB_TSAN_ACQUIRE(p) ((void) (p))
# define AB_TSAN_RELEASE(p) ((void) (p))
#endif
