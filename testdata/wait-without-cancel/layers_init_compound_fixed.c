/* The fix of layers_init_compound.c: the job stored in the compound
 * literal returns once its context's stop flag is set. */
#include <pthread.h>
#include <semaphore.h>

struct licf_job {
  void (*fn)(void *);
  void *arg;
};

struct licf_ctx {
  sem_t sem;
  volatile int stop;
};

static void *licf_tramp(void *a) {
  struct licf_job *j = a;
  j->fn(j->arg);
  return NULL;
}

static void licf_drain(void *a) {
  struct licf_ctx *c = a;
  while (!c->stop) sem_wait(&c->sem);
}

void licf_run(struct licf_ctx *c) {
  pthread_t t;
  pthread_create(&t, NULL, licf_tramp, &(struct licf_job){.fn = licf_drain, .arg = c});
  pthread_join(t, NULL);
}
