/* A timed wait does not help when the loop around it has no exit. */
#include <pthread.h>
#include <time.h>

struct ticker {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  long ticks;
};

static void *tick(void *arg) {
  struct ticker *t = arg;
  pthread_mutex_lock(&t->mu);
  for (;;) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 1;
    pthread_cond_timedwait(&t->cv, &t->mu, &ts);
    t->ticks++;
  }
  pthread_mutex_unlock(&t->mu);
  return NULL;
}

void ticker_start(struct ticker *t) {
  pthread_t th;
  pthread_create(&th, NULL, tick, t); // want: wait-without-cancel
}
