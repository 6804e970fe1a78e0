/* pthreads, negative: the flag is written by a helper that runs only with
 * the mutex held by its caller, so the lock set of the helper alone would
 * say "unlocked"; the caller's lock makes it correct. */
#include <pthread.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int quit;
static pthread_t th;

static void *loop(void *arg) {
  pthread_mutex_lock(&mu);
  while (!quit)
    pthread_cond_wait(&cv, &mu);
  pthread_mutex_unlock(&mu);
  return arg;
}

static void request_quit_locked(void) {
  quit = 1;
  pthread_cond_signal(&cv);
}

void start(void) { pthread_create(&th, NULL, loop, NULL); }

void stop(void) {
  pthread_mutex_lock(&mu);
  request_quit_locked();
  pthread_mutex_unlock(&mu);
  pthread_join(th, NULL);
}
