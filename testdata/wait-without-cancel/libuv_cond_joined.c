/* libuv: a condition wait with no stop flag; the owner's uv_thread_join
 * hangs. */
#include <uv.h>

typedef struct {
  uv_mutex_t mu;
  uv_cond_t cv;
  int jobs;
  uv_thread_t tid;
} uv_cworker_t;

static void uv_cworker_main(void *arg) {
  uv_cworker_t *w = arg;
  uv_mutex_lock(&w->mu);
  for (;;) {
    while (w->jobs == 0)
      uv_cond_wait(&w->cv, &w->mu);
    w->jobs--;
  }
}

void uv_cworker_start(uv_cworker_t *w) {
  uv_thread_create(&w->tid, uv_cworker_main, w); // want: wait-without-cancel
}

void uv_cworker_stop(uv_cworker_t *w) { uv_thread_join(&w->tid); }
