/* The fix of layers_trampoline.c: the consumer reached through the field
 * trampoline waits with a deadline and returns once the owner sets stop. */
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>
#include <time.h>

struct ltf_thr {
  void (*fn)(void *);
  void *arg;
  pthread_t tid;
};

struct ltf_ctx {
  sem_t sem;
  volatile int stop;
};

static void *ltf_wrap(void *a) {
  struct ltf_thr *t = a;
  t->fn(t->arg);
  return NULL;
}

static int ltf_thr_init(struct ltf_thr *t, void (*fn)(void *), void *arg) {
  t->fn = fn;
  t->arg = arg;
  return pthread_create(&t->tid, NULL, ltf_wrap, t);
}

static int ltf_thread_create(struct ltf_thr **out, void (*fn)(void *), void *arg) {
  struct ltf_thr *t = malloc(sizeof *t);
  if (!t) return -1;
  int rc = ltf_thr_init(t, fn, arg);
  *out = t;
  return rc;
}

static void ltf_consumer(void *arg) {
  struct ltf_ctx *c = arg;
  while (!c->stop) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 1;
    sem_timedwait(&c->sem, &ts);
  }
}

int ltf_main(struct ltf_ctx *c) {
  struct ltf_thr *thr;
  return ltf_thread_create(&thr, ltf_consumer, c);
}
