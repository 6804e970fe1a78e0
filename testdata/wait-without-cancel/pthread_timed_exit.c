/* A timed wait in a loop that leaves when a stop flag is set. */
#include <errno.h>
#include <pthread.h>
#include <time.h>

struct tticker {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int stop;
  pthread_t th;
};

static void *tick(void *arg) {
  struct tticker *t = arg;
  pthread_mutex_lock(&t->mu);
  while (!t->stop) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 1;
    int rc = pthread_cond_timedwait(&t->cv, &t->mu, &ts);
    if (rc == ETIMEDOUT)
      continue;
  }
  pthread_mutex_unlock(&t->mu);
  return NULL;
}

void ticker_start(struct tticker *t) { pthread_create(&t->th, NULL, tick, t); }

void ticker_stop(struct tticker *t) {
  pthread_mutex_lock(&t->mu);
  t->stop = 1;
  pthread_cond_signal(&t->cv);
  pthread_mutex_unlock(&t->mu);
  pthread_join(t->th, NULL);
}
