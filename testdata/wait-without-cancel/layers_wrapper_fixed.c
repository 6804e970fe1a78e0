/* The fix of layers_wrapper.c: the worker leaves its loop when the owner
 * sets the stop flag (and broadcasts), so the wrapper-spawned task can end. */
#include <pthread.h>

struct lwf_queue {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int items, stop;
};

static void lwf_create_worker(void *(*func)(void *), void *arg) {
  pthread_t t;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_create(&t, &attr, func, arg);
  pthread_attr_destroy(&attr);
}

static void *lwf_worker(void *arg) {
  struct lwf_queue *q = arg;
  for (;;) {
    pthread_mutex_lock(&q->mu);
    while (q->items == 0 && !q->stop) pthread_cond_wait(&q->cv, &q->mu);
    if (q->stop) {
      pthread_mutex_unlock(&q->mu);
      break;
    }
    q->items--;
    pthread_mutex_unlock(&q->mu);
  }
  return NULL;
}

void lwf_start(struct lwf_queue *q) {
  lwf_create_worker(lwf_worker, q);
}
