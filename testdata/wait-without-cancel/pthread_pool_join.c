/* Twin of pthread_pool_detach.c: the workers leave on shutdown and are
 * joined. */
#include <pthread.h>

#define NWORKERS 4

struct jpool {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int pending;
  int shutdown;
  pthread_t threads[NWORKERS];
};

static void *pool_worker(void *arg) {
  struct jpool *p = arg;
  pthread_mutex_lock(&p->mu);
  for (;;) {
    while (p->pending == 0 && !p->shutdown)
      pthread_cond_wait(&p->cv, &p->mu);
    if (p->shutdown)
      break;
    p->pending--;
  }
  pthread_mutex_unlock(&p->mu);
  return NULL;
}

void pool_start(struct jpool *p) {
  for (int i = 0; i < NWORKERS; i++)
    pthread_create(&p->threads[i], NULL, pool_worker, p);
}

void pool_stop(struct jpool *p) {
  pthread_mutex_lock(&p->mu);
  p->shutdown = 1;
  pthread_cond_broadcast(&p->cv);
  pthread_mutex_unlock(&p->mu);
  for (int i = 0; i < NWORKERS; i++)
    pthread_join(p->threads[i], NULL);
}
