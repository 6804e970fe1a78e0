/* No finding: the stop function wakes the worker through a project helper,
 * and a second one through a library call that receives the worker (which
 * may wake it: unknown, so nothing is said). */
#include <pthread.h>
#include <stddef.h>

struct pool {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int jobs;
  int stop;
  pthread_t tid;
};

extern void lib_notify(struct pool *p);

static void *pool_loop(void *arg) {
  struct pool *p = arg;
  pthread_mutex_lock(&p->mu);
  while (!p->stop) {
    if (p->jobs == 0) {
      pthread_cond_wait(&p->cv, &p->mu);
      continue;
    }
    p->jobs--;
  }
  pthread_mutex_unlock(&p->mu);
  return NULL;
}

static void wake_all(struct pool *p) { pthread_cond_broadcast(&p->cv); }

int pool_start(struct pool *p) { return pthread_create(&p->tid, NULL, pool_loop, p); }

void pool_stop(struct pool *p) {
  pthread_mutex_lock(&p->mu);
  p->stop = 1;
  wake_all(p);
  pthread_mutex_unlock(&p->mu);
  pthread_join(p->tid, NULL);
}

struct pool other;

int other_start(void) { return pthread_create(&other.tid, NULL, pool_loop, &other); }

void other_stop(void) {
  other.stop = 1;
  lib_notify(&other);
  pthread_join(other.tid, NULL);
}
