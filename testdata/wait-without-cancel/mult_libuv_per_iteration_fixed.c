/* The twin of mult_libuv_per_iteration.c: main starts a fixed pool of
 * workers once, in a counted loop, and feeds them; they live for the life
 * of the process and nothing joins them, which is not a leak. */
#include <uv.h>

int next_job(void);

static uv_sem_t pool_go;
static int pool_jobs;

static void pool_worker(void *arg) {
  for (;;) {
    uv_sem_wait(&pool_go);
    pool_jobs++;
  }
  (void)arg;
}

int main(void) {
  uv_sem_init(&pool_go, 0);
  uv_thread_t tids[4];
  for (int i = 0; i < 4; i++) uv_thread_create(&tids[i], pool_worker, NULL);
  while (next_job() >= 0) uv_sem_post(&pool_go);
  return 0;
}
