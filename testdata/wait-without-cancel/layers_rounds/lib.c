/* The bottom of a project's thread layer, in a file of its own (nng's
 * platform/posix/posix_thread.c shape): lpr_thread_start wraps
 * pthread_create, lpr_event_wait wraps pthread_cond_wait. The files above
 * this one (mid.c, user*.c) name no pack API at
 * all, only these functions and the ones built on them: the pre-parse
 * filter skips them at first, and its later rounds parse them once the
 * wrappers are inferred from this file (a round per wrapper level). */
#include <pthread.h>

struct lpr_event {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int stopped;
};

void lpr_thread_start(void *(*fn)(void *), void *arg) {
  pthread_t t;
  pthread_create(&t, NULL, fn, arg);
  pthread_detach(t);
}

void lpr_event_wait(struct lpr_event *e) {
  pthread_mutex_lock(&e->mu);
  pthread_cond_wait(&e->cv, &e->mu);
  pthread_mutex_unlock(&e->mu);
}

void lpr_event_stop(struct lpr_event *e) {
  pthread_mutex_lock(&e->mu);
  e->stopped = 1;
  pthread_cond_broadcast(&e->cv);
  pthread_mutex_unlock(&e->mu);
}

int lpr_event_stopped(struct lpr_event *e) {
  pthread_mutex_lock(&e->mu);
  int s = e->stopped;
  pthread_mutex_unlock(&e->mu);
  return s;
}
