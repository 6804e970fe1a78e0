/* The fix of layers_wait_wrapper.c: the sweeper waits through the same
 * wrapper but leaves its loop when the owner sets done. */
#include <pthread.h>
#include <time.h>

struct lwwf_cond {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int done;
};

static void lwwf_cond_wait(struct lwwf_cond *c, long usecs) {
  if (usecs == 0) {
    pthread_cond_wait(&c->cv, &c->mu);
  } else {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += usecs * 1000;
    pthread_cond_timedwait(&c->cv, &c->mu, &ts);
  }
}

static void *lwwf_sweeper(void *arg) {
  struct lwwf_cond *c = arg;
  pthread_mutex_lock(&c->mu);
  while (!c->done) lwwf_cond_wait(c, 0);
  pthread_mutex_unlock(&c->mu);
  return NULL;
}

void lwwf_start(struct lwwf_cond *c) {
  pthread_t t;
  pthread_create(&t, NULL, lwwf_sweeper, c);
  pthread_detach(t);
}
