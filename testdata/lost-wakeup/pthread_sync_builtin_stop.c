/* Shape 2 (writer side), the flag stored with a GCC __sync builtin: the
 * stop path sets the flag with __sync_lock_test_and_set and signals without
 * the mutex the worker holds between its check and its wait. */
#include <pthread.h>
#include <stddef.h>

static pthread_mutex_t q_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_cv = PTHREAD_COND_INITIALIZER;
static int q_len;
static int q_quit;
static pthread_t q_thread;

static void *drain(void *arg) {
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

int drain_start(void) {
  return pthread_create(&q_thread, NULL, drain, NULL); // want: lost-wakeup
}

void drain_stop(void) {
  __sync_lock_test_and_set(&q_quit, 1);
  pthread_cond_signal(&q_cv);
  pthread_join(q_thread, NULL);
}
