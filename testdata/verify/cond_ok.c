/* The fixed twin of cond_leak.c: the worker's wait has a stop flag in its
 * predicate, main sets it, signals and joins. No leak. */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int jobs, stop;

static void *worker_main(void *arg) {
  (void)arg;
  pthread_mutex_lock(&mu);
  for (;;) {
    while (jobs == 0 && !stop) pthread_cond_wait(&cv, &mu);
    if (stop) break;
    jobs--;
  }
  pthread_mutex_unlock(&mu);
  return NULL;
}

int main(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, worker_main, NULL) != 0) return 3;
  pthread_mutex_lock(&mu);
  jobs = 1;
  stop = 1;
  pthread_cond_broadcast(&cv);
  pthread_mutex_unlock(&mu);
  pthread_join(t, NULL);
  puts("done");
  return 0;
}
