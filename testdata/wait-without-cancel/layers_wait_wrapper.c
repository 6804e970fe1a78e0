/* A condition-wait wrapper whose timeout parameter 0 means "until
 * signalled" (WiredTiger's __wt_cond_wait(session, cond, usecs) shape): the
 * worker calls it with 0 in a loop with no exit, so it parks forever. */
#include <pthread.h>
#include <time.h>

struct lww_cond {
  pthread_mutex_t mu;
  pthread_cond_t cv;
};

static void lww_cond_wait(struct lww_cond *c, long usecs) {
  if (usecs == 0) {
    pthread_cond_wait(&c->cv, &c->mu);
  } else {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += usecs * 1000;
    pthread_cond_timedwait(&c->cv, &c->mu, &ts);
  }
}

static void *lww_sweeper(void *arg) {
  struct lww_cond *c = arg;
  pthread_mutex_lock(&c->mu);
  for (;;) lww_cond_wait(c, 0);
  return NULL;
}

void lww_start(struct lww_cond *c) {
  pthread_t t;
  pthread_create(&t, NULL, lww_sweeper, c); // want: wait-without-cancel
  pthread_detach(t);
}
