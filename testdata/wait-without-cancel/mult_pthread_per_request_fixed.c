/* The twin of mult_pthread_per_request.c: main starts one helper for the
 * life of the process and hands it every request. It never finishes, but
 * it runs once and nothing waits for it: a process-lifetime worker is not a
 * leak (the multiplicity policy, rules/docs/wait-without-cancel.md). */
#include <pthread.h>

int accept_request(void);

static pthread_mutex_t one_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t one_cv = PTHREAD_COND_INITIALIZER;
static int one_pending;

static void *one_helper(void *arg) {
  pthread_mutex_lock(&one_mu);
  for (;;) {
    while (one_pending == 0) pthread_cond_wait(&one_cv, &one_mu);
    one_pending--;
  }
  return arg;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, one_helper, NULL);
  pthread_detach(t);
  while (accept_request() >= 0) {
    pthread_mutex_lock(&one_mu);
    one_pending++;
    pthread_cond_signal(&one_cv);
    pthread_mutex_unlock(&one_mu);
  }
  return 0;
}
