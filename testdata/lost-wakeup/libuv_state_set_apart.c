/* libuv uv_cond, shape 2 with the write and the wakeup apart: the shutdown
 * state is set without the mutex in one function, and stop() signals
 * without it before joining, so the signal can come between the worker's
 * check and its wait. */
#include <uv.h>

static uv_mutex_t mu;
static uv_cond_t cv;
static int shutting_down;
static void *job;
static uv_thread_t th;

static void worker(void *arg) {
  uv_mutex_lock(&mu);
  for (;;) {
    while (job == NULL && shutting_down == 0)
      uv_cond_wait(&cv, &mu);
    if (job == NULL) break;
    job = NULL;
  }
  uv_mutex_unlock(&mu);
  (void)arg;
}

void begin_shutdown(void) { shutting_down = 1; }

int start(void) { return uv_thread_create(&th, worker, NULL); } // want: lost-wakeup

void stop(void) {
  uv_cond_signal(&cv);
  uv_thread_join(&th);
}
