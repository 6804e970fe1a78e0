/* libuv: a thread waits on a semaphore in a loop with no exit and is never
 * joined. */
#include <uv.h>

typedef struct {
  uv_sem_t ready;
  int handled;
} uv_worker_t;

static void uv_worker_main(void *arg) {
  uv_worker_t *w = arg;
  for (;;) {
    uv_sem_wait(&w->ready);
    w->handled++;
  }
}

int uv_worker_start(uv_worker_t *w) {
  uv_thread_t tid;
  uv_sem_init(&w->ready, 0);
  return uv_thread_create(&tid, uv_worker_main, w); // want: wait-without-cancel
}
