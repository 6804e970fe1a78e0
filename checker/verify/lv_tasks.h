/* lv_tasks.h - the task table of libleaklint-verify.so: every thread started
 * through pthread_create (interposed) from its creation to its exit.
 *
 * A slot is taken in the creating thread (with the creation stack) before the
 * real pthread_create runs, so a task that has not started yet is already
 * counted; the started thread records its tid; a thread-specific-data
 * destructor frees the slot when the thread ends, whether its start routine
 * returned, it called pthread_exit or it was cancelled. */
#ifndef LV_TASKS_H
#define LV_TASKS_H

#include <stdatomic.h>
#include <stddef.h>
#include <sys/types.h>

#define LV_MAX_FRAMES 48

typedef struct lv_task {
  atomic_int used;   /* 1 from pthread_create until the thread ends */
  atomic_int tid;    /* kernel thread id, 0 until the thread runs */
  atomic_int exempt; /* alive at leaklint_verify_ignore_current(): never reported */
  unsigned long seq; /* creation order, 1-based */
  int ncreated;
  void *created[LV_MAX_FRAMES]; /* backtrace() in the creator */
  atomic_int nstack;            /* written by the sampling signal handler */
  void *stack[LV_MAX_FRAMES];
} lv_task;

/* One copy of a live task, taken under the table lock (see lv_tasks_snapshot). */
typedef struct lv_task_copy {
  lv_task *slot; /* the slot, for the sampler; may be reused after the copy */
  pid_t tid;
  unsigned long seq;
  int ncreated;
  void *created[LV_MAX_FRAMES];
} lv_task_copy;

/* Resolves the real pthread_create and primes backtrace(); idempotent. */
void lv_tasks_init(void);
/* Exempts every task alive now from later check points (goleak's IgnoreCurrent). */
void lv_tasks_exempt_current(void);
/* Copies up to cap live, not exempt tasks other than the thread `self` into
 * out; returns how many. */
size_t lv_tasks_snapshot(lv_task_copy *out, size_t cap, pid_t self);
/* 1 while the task copied into c is still alive (its slot not freed or reused). */
int lv_tasks_still_alive(const lv_task_copy *c);
/* Number of live, not exempt tasks other than `self` (the grace period's poll). */
size_t lv_tasks_live(pid_t self);
/* Threads started while the table was full (not tracked, so not reported). */
unsigned long lv_tasks_untracked(void);
/* Threads started through pthread_create since the process began. */
unsigned long lv_tasks_started(void);
/* Table capacity (the largest possible snapshot). */
size_t lv_tasks_capacity(void);

#endif
