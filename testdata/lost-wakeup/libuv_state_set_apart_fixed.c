/* libuv uv_cond, fixed the way rsyslog 3e418b1 fixed tcpsrv: the state is
 * still set elsewhere without the mutex, but stop() signals under it, so
 * the worker has either seen the state or is parked when the signal comes. */
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

int start(void) { return uv_thread_create(&th, worker, NULL); }

void stop(void) {
  uv_mutex_lock(&mu);
  uv_cond_signal(&cv);
  uv_mutex_unlock(&mu);
  uv_thread_join(&th);
}
