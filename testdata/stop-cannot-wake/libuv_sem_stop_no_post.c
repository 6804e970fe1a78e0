/* Shape 1 (libuv): the worker waits on its semaphore in a stoppable loop; the
 * stop function sets the flag and joins without uv_sem_post. */
#include <uv.h>

struct job_runner {
  uv_sem_t ready;
  uv_thread_t thread;
  int stopping;
  int done;
};

static void run_jobs(void *arg) {
  struct job_runner *r = arg;
  while (!r->stopping) {
    uv_sem_wait(&r->ready);
    r->done++;
  }
}

int runner_start(struct job_runner *r) {
  uv_sem_init(&r->ready, 0);
  return uv_thread_create(&r->thread, run_jobs, r); // want: stop-cannot-wake
}

void runner_kick(struct job_runner *r) { uv_sem_post(&r->ready); }

void runner_stop(struct job_runner *r) {
  r->stopping = 1;
  uv_thread_join(&r->thread);
  uv_sem_destroy(&r->ready);
}
