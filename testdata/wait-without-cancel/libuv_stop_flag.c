/* Twin of libuv_sem_forever.c: a stop flag, uv_sem_post to wake the thread,
 * then uv_thread_join. */
#include <uv.h>

typedef struct {
  uv_sem_t ready;
  int handled;
  int stop;
  uv_thread_t tid;
} uv_sworker_t;

static void uv_sworker_main(void *arg) {
  uv_sworker_t *w = arg;
  for (;;) {
    uv_sem_wait(&w->ready);
    if (w->stop)
      return;
    w->handled++;
  }
}

int uv_sworker_start(uv_sworker_t *w) {
  uv_sem_init(&w->ready, 0);
  return uv_thread_create(&w->tid, uv_sworker_main, w);
}

void uv_sworker_stop(uv_sworker_t *w) {
  w->stop = 1;
  uv_sem_post(&w->ready);
  uv_thread_join(&w->tid);
  uv_sem_destroy(&w->ready);
}
