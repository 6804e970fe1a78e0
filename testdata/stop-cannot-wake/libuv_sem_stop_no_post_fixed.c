/* Twin of libuv_sem_stop_no_post.c: uv_sem_post after setting the flag.
 */
#include <uv.h>

struct job_runner_fx {
  uv_sem_t ready;
  uv_thread_t thread;
  int stopping;
  int done;
};

static void run_jobs_fx(void *arg) {
  struct job_runner_fx *r = arg;
  while (!r->stopping) {
    uv_sem_wait(&r->ready);
    r->done++;
  }
}

int runner_start_fx(struct job_runner_fx *r) {
  uv_sem_init(&r->ready, 0);
  return uv_thread_create(&r->thread, run_jobs_fx, r);
}

void runner_kick_fx(struct job_runner_fx *r) { uv_sem_post(&r->ready); }

void runner_stop_fx(struct job_runner_fx *r) {
  r->stopping = 1;
  uv_sem_post(&r->ready);
  uv_thread_join(&r->thread);
  uv_sem_destroy(&r->ready);
}
