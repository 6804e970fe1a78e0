/* lv_tasks.c - pthread_create interposition and the task table (lv_tasks.h).
 *
 * The table is a static array (no allocation at pthread_create beyond one
 * small start record), guarded by one mutex that is held only to take, free
 * or copy slots. After fork() only the forking thread exists in the child, so
 * the child forgets every task (and re-initialises the lock, which another
 * thread may have held at the fork). */
#include "lv_tasks.h"

#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <threads.h>
#include <unistd.h>

#define LV_MAX_TASKS 2048

typedef int (*create_fn)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);

static lv_task table[LV_MAX_TASKS];
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long next_seq;
static atomic_ulong untracked;
static atomic_ulong started;
static create_fn real_create;
static pthread_key_t exit_key;
static pthread_once_t once = PTHREAD_ONCE_INIT;

typedef struct start_rec {
  void *(*fn)(void *);
  void *arg;
  lv_task *slot; /* NULL when the table was full */
} start_rec;

static void slot_free(void *p) {
  lv_task *t = p;
  pthread_mutex_lock(&table_lock);
  atomic_store(&t->tid, 0);
  atomic_store(&t->used, 0);
  pthread_mutex_unlock(&table_lock);
}

static void after_fork_child(void) {
  pthread_mutex_init(&table_lock, NULL);
  for (size_t i = 0; i < LV_MAX_TASKS; i++) {
    atomic_store(&table[i].used, 0);
    atomic_store(&table[i].tid, 0);
  }
}

static void init_once(void) {
  real_create = (create_fn)dlsym(RTLD_NEXT, "pthread_create");
  pthread_key_create(&exit_key, slot_free);
  pthread_atfork(NULL, NULL, after_fork_child);
  /* The first backtrace() loads libgcc_s with dlopen, which is not
   * async-signal-safe: do it now so the sampling handler never does. */
  void *prime[4];
  (void)backtrace(prime, 4);
}

void lv_tasks_init(void) { pthread_once(&once, init_once); }

/* Takes a free slot and fills it with the creation stack (n frames). */
static lv_task *slot_take(void *const *frames, int n) {
  lv_task *t = NULL;
  pthread_mutex_lock(&table_lock);
  for (size_t i = 0; i < LV_MAX_TASKS && !t; i++) {
    if (!atomic_load(&table[i].used)) {
      t = &table[i];
      atomic_store(&t->used, 1);
      atomic_store(&t->tid, 0);
      atomic_store(&t->exempt, 0);
      atomic_store(&t->nstack, 0);
      t->seq = ++next_seq;
      t->ncreated = n;
      memcpy(t->created, frames, (size_t)n * sizeof *frames);
    }
  }
  pthread_mutex_unlock(&table_lock);
  if (!t) atomic_fetch_add(&untracked, 1);
  return t;
}

static void *trampoline(void *p) {
  start_rec rec = *(start_rec *)p;
  free(p);
  if (rec.slot) {
    atomic_store(&rec.slot->tid, (int)gettid());
    /* the destructor runs however the thread ends: return, pthread_exit, cancel */
    pthread_setspecific(exit_key, rec.slot);
  }
  return rec.fn(rec.arg);
}

__attribute__((visibility("default")))
int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*fn)(void *),
                   void *arg) {
  lv_tasks_init();
  if (!real_create) return EAGAIN; /* no next definition: cannot happen with libc */
  start_rec *rec = malloc(sizeof *rec);
  if (!rec) return EAGAIN;
  rec->fn = fn;
  rec->arg = arg;
  void *frames[LV_MAX_FRAMES];
  int n = backtrace(frames, LV_MAX_FRAMES); /* outside the lock: unwinding is slow */
  rec->slot = slot_take(frames, n);
  int rc = real_create(thread, attr, trampoline, rec);
  if (rc == 0) atomic_fetch_add(&started, 1);
  if (rc != 0) {
    if (rec->slot) slot_free(rec->slot);
    free(rec);
  }
  return rc;
}

/* glibc's thrd_create calls its internal pthread_create directly, past any
 * interposition: start C11 threads through ours. The int result travels as
 * the thread's void * result, which is what glibc's thrd_join converts back. */
typedef struct c11_rec {
  thrd_start_t fn;
  void *arg;
} c11_rec;

static void *c11_start(void *p) {
  c11_rec rec = *(c11_rec *)p;
  free(p);
  return (void *)(intptr_t)rec.fn(rec.arg);
}

__attribute__((visibility("default")))
int thrd_create(thrd_t *thr, thrd_start_t fn, void *arg) {
  c11_rec *rec = malloc(sizeof *rec);
  if (!rec) return thrd_nomem;
  rec->fn = fn;
  rec->arg = arg;
  int rc = pthread_create((pthread_t *)thr, NULL, c11_start, rec);
  if (rc != 0) free(rec);
  return rc == 0 ? thrd_success : rc == ENOMEM || rc == EAGAIN ? thrd_nomem : thrd_error;
}

size_t lv_tasks_snapshot(lv_task_copy *out, size_t cap, pid_t self) {
  size_t n = 0;
  pthread_mutex_lock(&table_lock);
  for (size_t i = 0; i < LV_MAX_TASKS && n < cap; i++) {
    lv_task *t = &table[i];
    if (!atomic_load(&t->used) || atomic_load(&t->exempt) || atomic_load(&t->tid) == self)
      continue;
    lv_task_copy *c = &out[n++];
    c->slot = t;
    c->tid = atomic_load(&t->tid);
    c->seq = t->seq;
    c->ncreated = t->ncreated;
    memcpy(c->created, t->created, sizeof c->created);
  }
  pthread_mutex_unlock(&table_lock);
  return n;
}

void lv_tasks_exempt_current(void) {
  pthread_mutex_lock(&table_lock);
  for (size_t i = 0; i < LV_MAX_TASKS; i++)
    if (atomic_load(&table[i].used)) atomic_store(&table[i].exempt, 1);
  pthread_mutex_unlock(&table_lock);
}

int lv_tasks_still_alive(const lv_task_copy *c) {
  pthread_mutex_lock(&table_lock);
  int alive = atomic_load(&c->slot->used) && c->slot->seq == c->seq;
  pthread_mutex_unlock(&table_lock);
  return alive;
}

size_t lv_tasks_live(pid_t self) {
  size_t n = 0;
  for (size_t i = 0; i < LV_MAX_TASKS; i++)
    if (atomic_load(&table[i].used) && !atomic_load(&table[i].exempt) &&
        atomic_load(&table[i].tid) != self)
      n++;
  return n;
}

unsigned long lv_tasks_untracked(void) { return atomic_load(&untracked); }

unsigned long lv_tasks_started(void) { return atomic_load(&started); }

size_t lv_tasks_capacity(void) { return LV_MAX_TASKS; }
