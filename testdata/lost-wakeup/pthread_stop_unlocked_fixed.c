/* pthreads, shape 2 fixed: the flag is cleared and the broadcast sent
 * while holding the worker's mutex. */
#include <pthread.h>

struct pool {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int running, n;
  pthread_t th;
};

static void *worker(void *arg) {
  struct pool *p = arg;
  pthread_mutex_lock(&p->mu);
  while (p->running) {
    while (p->running && p->n == 0)
      pthread_cond_wait(&p->cv, &p->mu);
    if (p->n) p->n--;
  }
  pthread_mutex_unlock(&p->mu);
  return NULL;
}

int pool_start(struct pool *p) {
  p->running = 1;
  return pthread_create(&p->th, NULL, worker, p);
}

void pool_stop(struct pool *p) {
  pthread_mutex_lock(&p->mu);
  p->running = 0;
  pthread_cond_broadcast(&p->cv);
  pthread_mutex_unlock(&p->mu);
  pthread_join(p->th, NULL);
}
