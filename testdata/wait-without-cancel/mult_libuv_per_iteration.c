/* Multiplicity, libuv: the dispatcher starts a worker thread on every
 * iteration of its loop; each worker waits on its semaphore forever and
 * is never joined, so a new thread leaks per iteration. */
#include <stdlib.h>
#include <uv.h>

int next_job(void);

typedef struct {
  uv_sem_t go;
  int job;
} job_worker_t;

static void job_worker(void *arg) {
  job_worker_t *w = arg;
  for (;;) {
    uv_sem_wait(&w->go);
    w->job++;
  }
}

void dispatch_jobs(void) {
  for (;;) {
    job_worker_t *w = malloc(sizeof *w);
    w->job = next_job();
    uv_sem_init(&w->go, 0);
    uv_thread_t tid;
    uv_thread_create(&tid, job_worker, w); // want: wait-without-cancel "a new task leaks on every iteration of the loop at line 23"
  }
}
