/* A thread layer that stores the entry in a struct and starts a trampoline
 * that calls it through the field (nng's nni_thr_init(thr, fn, arg) +
 * nni_thr_wrap calling thr->fn(thr->arg)), wrapped once more by a public
 * thread_create. The task is the function given to the outer wrapper; it
 * parks on a semaphore forever. */
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>

struct lt_thr {
  void (*fn)(void *);
  void *arg;
  pthread_t tid;
};

static void *lt_wrap(void *a) {
  struct lt_thr *t = a;
  t->fn(t->arg);
  return NULL;
}

static int lt_thr_init(struct lt_thr *t, void (*fn)(void *), void *arg) {
  t->fn = fn;
  t->arg = arg;
  return pthread_create(&t->tid, NULL, lt_wrap, t);
}

static int lt_thread_create(struct lt_thr **out, void (*fn)(void *), void *arg) {
  struct lt_thr *t = malloc(sizeof *t);
  if (!t) return -1;
  int rc = lt_thr_init(t, fn, arg);
  *out = t;
  return rc;
}

static void lt_consumer(void *arg) {
  sem_t *s = arg;
  for (;;) sem_wait(s);
}

int lt_main(sem_t *s) {
  struct lt_thr *thr;
  return lt_thread_create(&thr, lt_consumer, s); // want: wait-without-cancel
}
