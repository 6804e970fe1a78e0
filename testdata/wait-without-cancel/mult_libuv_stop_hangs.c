/* Multiplicity, libuv: one process-lifetime worker, joined at exit by
 * uv_thread_join; its loop has no exit, so the program's shutdown hangs. */
#include <uv.h>

static uv_sem_t log_go;
static uv_thread_t log_tid;

static void log_worker(void *arg) {
  for (;;) uv_sem_wait(&log_go);
  (void)arg;
}

int main(void) {
  uv_sem_init(&log_go, 0);
  uv_thread_create(&log_tid, log_worker, NULL); // want: wait-without-cancel "stopping it hangs"
  uv_sem_post(&log_go);
  uv_thread_join(&log_tid);
  return 0;
}
