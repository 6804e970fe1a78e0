/* The fix of layers_field_start.c: the worker stored in the field returns
 * once the owner sets stop (and posts the semaphore to wake it). */
#include <pthread.h>
#include <semaphore.h>

struct stf_thr {
  void *(*fn)(void *);
  void *arg;
  pthread_t tid;
};

struct stf_ctx {
  sem_t sem;
  volatile int stop;
};

static void stf_init(struct stf_thr *t, void *(*fn)(void *), void *arg) {
  t->fn = fn;
  t->arg = arg;
}

static int stf_start(struct stf_thr *t) {
  return pthread_create(&t->tid, NULL, t->fn, t->arg);
}

static void *stf_loop(void *a) {
  struct stf_ctx *c = a;
  while (!c->stop) sem_wait(&c->sem);
  return NULL;
}

void stf_main(struct stf_thr *t, struct stf_ctx *c) {
  stf_init(t, stf_loop, c);
  stf_start(t);
}
