/* Twin of pthread_ready_wait_unchecked.c: the creator returns the error
 * instead of waiting for a thread that does not exist. */
#include <pthread.h>

struct service_fx {
  pthread_mutex_t mu;
  pthread_cond_t started_cv;
  int started;
  pthread_t tid;
};

static void *service_main_fx(void *arg) {
  struct service_fx *s = arg;
  pthread_mutex_lock(&s->mu);
  s->started = 1;
  pthread_cond_signal(&s->started_cv);
  pthread_mutex_unlock(&s->mu);
  return NULL;
}

int service_start_fx(struct service_fx *s) {
  int rc = pthread_create(&s->tid, NULL, service_main_fx, s);
  if (rc != 0)
    return rc;
  pthread_mutex_lock(&s->mu);
  while (!s->started)
    pthread_cond_wait(&s->started_cv, &s->mu);
  pthread_mutex_unlock(&s->mu);
  return 0;
}
