/* Twin of pthread_sync_builtin_stop.c: the __sync store and the signal are
 * made under the worker's mutex, so the wakeup cannot fall between the
 * worker's check and its wait. */
#include <pthread.h>
#include <stddef.h>

static pthread_mutex_t q_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_cv = PTHREAD_COND_INITIALIZER;
static int q_len;
static int q_quit;
static pthread_t q_thread;

static void *drain_fx(void *arg) {
  (void)arg;
  pthread_mutex_lock(&q_mu);
  for (;;) {
    while (q_len == 0 && !q_quit)
      pthread_cond_wait(&q_cv, &q_mu);
    if (q_quit)
      break;
    q_len--;
  }
  pthread_mutex_unlock(&q_mu);
  return NULL;
}

int drain_start_fx(void) {
  return pthread_create(&q_thread, NULL, drain_fx, NULL);
}

void drain_stop_fx(void) {
  pthread_mutex_lock(&q_mu);
  __sync_lock_test_and_set(&q_quit, 1);
  pthread_cond_signal(&q_cv);
  pthread_mutex_unlock(&q_mu);
  pthread_join(q_thread, NULL);
}
