/* pthreads, shape 2 (writer side): stop() clears the run flag and
 * broadcasts without the mutex the worker holds between `while (running &&
 * q->n == 0)` and pthread_cond_wait, so the broadcast can fall in between
 * and the join hangs. */
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
  return pthread_create(&p->th, NULL, worker, p); // want: lost-wakeup
}

void pool_stop(struct pool *p) {
  p->running = 0;
  pthread_cond_broadcast(&p->cv);
  pthread_join(p->th, NULL);
}
