/* A detached worker parked on a condition variable with no stop, started
 * per request: a new one leaks on every request. (`leaklint verify` must
 * report one task parked in pthread_cond_wait, created by start_worker: the
 * program serves one request.) */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int jobs;

static void *worker_main(void *arg) {
  (void)arg;
  pthread_mutex_lock(&mu);
  for (;;) {
    while (jobs == 0) pthread_cond_wait(&cv, &mu); /* nobody ever signals a stop */
    jobs--;
  }
  return NULL;
}

static int start_worker(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, worker_main, NULL) != 0) return -1; // want: wait-without-cancel
  return pthread_detach(t);
}

int main(int argc, char **argv) {
  (void)argv;
  int requests = argc; /* one: the program name */
  while (requests-- > 0)
    if (start_worker() != 0) return 3;
  pthread_mutex_lock(&mu);
  jobs = 1;
  pthread_cond_signal(&cv);
  pthread_mutex_unlock(&mu);
  puts("done");
  return 0;
}
