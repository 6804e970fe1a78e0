/* Shape 6: the creator ignores pthread_create's result, then waits for the
 * "started" handshake only the new thread can send. */
#include <pthread.h>

struct service {
  pthread_mutex_t mu;
  pthread_cond_t started_cv;
  int started;
  int running;
  pthread_t tid;
};

static void *service_main(void *arg) {
  struct service *s = arg;
  pthread_mutex_lock(&s->mu);
  s->started = 1;
  pthread_cond_signal(&s->started_cv);
  pthread_mutex_unlock(&s->mu);
  return NULL;
}

void service_start(struct service *s) {
  pthread_create(&s->tid, NULL, service_main, s); // want: stop-cannot-wake "result is not checked.*the creator can hang on every call of"
  pthread_mutex_lock(&s->mu);
  while (!s->started)
    pthread_cond_wait(&s->started_cv, &s->mu);
  pthread_mutex_unlock(&s->mu);
}

void services_start(struct service *s, int n) {
  for (int i = 0; i < n; i++)
    service_start(&s[i]);
}
