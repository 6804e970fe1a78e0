/* The fix of macro_arg_spawn.c: the worker leaves its loop when the owner
 * sets the stop flag and broadcasts. */
#include <pthread.h>
#include <stdlib.h>

#define MASF_CHECK(x)       \
  do {                      \
    if ((x) != 0) abort();  \
  } while (0)

struct masf_queue {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int items, stop;
};

static void *masf_worker(void *arg) {
  struct masf_queue *q = arg;
  pthread_mutex_lock(&q->mu);
  for (;;) {
    while (q->items == 0 && !q->stop) pthread_cond_wait(&q->cv, &q->mu);
    if (q->stop) break;
    q->items--;
  }
  pthread_mutex_unlock(&q->mu);
  return NULL;
}

void masf_start_checked(struct masf_queue *q) {
  pthread_t t;
  MASF_CHECK(pthread_create(&t, NULL, masf_worker, q));
  pthread_detach(t);
}
