/* A pool of detached workers in a loop, each waiting forever. */
#include <pthread.h>

#define NWORKERS 4

struct pool {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int pending;
};

static void *pool_worker(void *arg) {
  struct pool *p = arg;
  for (;;) {
    pthread_mutex_lock(&p->mu);
    while (p->pending == 0)
      pthread_cond_wait(&p->cv, &p->mu);
    p->pending--;
    pthread_mutex_unlock(&p->mu);
  }
  return NULL;
}

void pool_start(struct pool *p) {
  for (int i = 0; i < NWORKERS; i++) {
    pthread_t th;
    pthread_create(&th, NULL, pool_worker, p); // want: wait-without-cancel
    pthread_detach(th);
  }
}
