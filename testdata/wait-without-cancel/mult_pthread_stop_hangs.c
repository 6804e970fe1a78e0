/* Multiplicity, pthreads: a process-lifetime worker is fine until a stop
 * path waits for it. main starts the flusher once and, at exit,
 * flusher_stop joins it; the flusher's loop has no exit, so stopping the
 * program hangs. */
#include <pthread.h>

static pthread_mutex_t fl_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t fl_cv = PTHREAD_COND_INITIALIZER;
static int fl_dirty;
static pthread_t fl_thread;

static void *flusher(void *arg) {
  pthread_mutex_lock(&fl_mu);
  for (;;) {
    while (!fl_dirty) pthread_cond_wait(&fl_cv, &fl_mu);
    fl_dirty = 0;
  }
  return arg;
}

static void flusher_start(void) {
  pthread_create(&fl_thread, NULL, flusher, NULL); // want: wait-without-cancel "stopping it hangs: it runs once per process and the pthread_join in `flusher_stop`"
}

static void flusher_stop(void) { pthread_join(fl_thread, NULL); }

int main(void) {
  flusher_start();
  flusher_stop();
  return 0;
}
