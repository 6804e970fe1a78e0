/* pthreads, shape 4 (bare wait): the thread starts every round with a
 * predicate-less wait; enable() sets the flag and signals, possibly before
 * the thread has parked, and that wakeup is lost. */
#include <pthread.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int enabled, quit;
static pthread_t th;

static void poll_once(void) {}

static void *progress(void *arg) {
  while (!quit) {
    pthread_mutex_lock(&mu);
    pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    while (enabled)
      poll_once();
  }
  return arg;
}

void start(void) { pthread_create(&th, NULL, progress, NULL); } // want: lost-wakeup

void enable(void) {
  pthread_mutex_lock(&mu);
  enabled = 1;
  pthread_cond_signal(&cv);
  pthread_mutex_unlock(&mu);
}

void stop(void) {
  pthread_mutex_lock(&mu);
  quit = 1;
  enabled = 0;
  pthread_cond_signal(&cv);
  pthread_mutex_unlock(&mu);
  pthread_join(th, NULL);
}
