/* A spawn wrapper (memcached's create_worker(func, arg) shape): the worker
 * is started through the project's own function, which passes its
 * function-pointer parameter to pthread_create. The worker parks on a
 * condition variable in a loop with no exit. */
#include <pthread.h>

struct lw_queue {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int items;
};

static void lw_create_worker(void *(*func)(void *), void *arg) {
  pthread_t t;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_create(&t, &attr, func, arg);
  pthread_attr_destroy(&attr);
}

static void *lw_worker(void *arg) {
  struct lw_queue *q = arg;
  for (;;) {
    pthread_mutex_lock(&q->mu);
    while (q->items == 0) pthread_cond_wait(&q->cv, &q->mu);
    q->items--;
    pthread_mutex_unlock(&q->mu);
  }
  return NULL;
}

void lw_start(struct lw_queue *q) {
  lw_create_worker(lw_worker, q); // want: wait-without-cancel
}
