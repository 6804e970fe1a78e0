/* pool.c - a fixed pool of worker threads over an index range. */
#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "util.h"

typedef struct pool {
  size_t n;
  atomic_size_t next;
  void *shared;
  ll_pool_init_fn init;
  ll_pool_job_fn job;
  ll_pool_fini_fn fini;
} pool;

static void *worker_main(void *arg) {
  pool *p = arg;
  void *w = p->init ? p->init(p->shared) : NULL;
  for (;;) {
    size_t i = atomic_fetch_add(&p->next, 1);
    if (i >= p->n) break;
    p->job(p->shared, w, i);
  }
  if (p->fini) p->fini(p->shared, w);
  return NULL;
}

int ll_pool_run(size_t n, int workers, void *shared, ll_pool_init_fn init, ll_pool_job_fn job,
                ll_pool_fini_fn fini) {
  pool p;
  p.n = n;
  atomic_init(&p.next, 0);
  p.shared = shared;
  p.init = init;
  p.job = job;
  p.fini = fini;
  if ((size_t)workers > n) workers = (int)n;
  if (n == 0) return 0;
  /* even one worker is a thread: the job then has the same large stack at
     -j1 as at -jN (the main thread's 8 MiB overflowed on deep nesting under
     ASan at -j1 only, so the outcome depended on -j) */
  if (workers < 1) workers = 1;
  pthread_t *th = ll_xcalloc((size_t)workers, sizeof(pthread_t));
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 64u << 20);
  int started = 0;
  for (int i = 0; i < workers; i++) {
    if (pthread_create(&th[i], &attr, worker_main, &p) != 0) break;
    started++;
  }
  pthread_attr_destroy(&attr);
  int rc = 0;
  if (started == 0) {
    worker_main(&p);
    rc = -1;
  }
  for (int i = 0; i < started; i++) pthread_join(th[i], NULL);
  free(th);
  return rc;
}
