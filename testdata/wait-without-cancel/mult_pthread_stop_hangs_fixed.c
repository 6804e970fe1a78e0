/* The twin of mult_pthread_stop_hangs.c: the stop path sets a flag under
 * the mutex and broadcasts; the flusher's loop checks it, so the join at
 * exit returns. */
#include <pthread.h>

static pthread_mutex_t ok_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ok_cv = PTHREAD_COND_INITIALIZER;
static int ok_dirty, ok_stop;
static pthread_t ok_thread;

static void *ok_flusher(void *arg) {
  pthread_mutex_lock(&ok_mu);
  while (!ok_stop) {
    while (!ok_dirty && !ok_stop) pthread_cond_wait(&ok_cv, &ok_mu);
    ok_dirty = 0;
  }
  pthread_mutex_unlock(&ok_mu);
  return arg;
}

static void ok_start(void) { pthread_create(&ok_thread, NULL, ok_flusher, NULL); }

static void ok_stop_flusher(void) {
  pthread_mutex_lock(&ok_mu);
  ok_stop = 1;
  pthread_cond_broadcast(&ok_cv);
  pthread_mutex_unlock(&ok_mu);
  pthread_join(ok_thread, NULL);
}

int main(void) {
  ok_start();
  ok_stop_flusher();
  return 0;
}
