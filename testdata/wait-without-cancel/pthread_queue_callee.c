/* The wait is in a helper the worker calls; the helper returns, but the
 * worker's own loop has no exit. */
#include <pthread.h>
#include <stddef.h>

struct chanq {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  void *items[16];
  int n;
};

static void *take(struct chanq *q) {
  pthread_mutex_lock(&q->mu);
  while (q->n == 0)
    pthread_cond_wait(&q->cv, &q->mu);
  void *it = q->items[--q->n];
  pthread_mutex_unlock(&q->mu);
  return it;
}

extern void handle(void *item);

static void *consumer(void *arg) {
  struct chanq *q = arg;
  for (;;) {
    void *item = take(q);
    handle(item);
  }
  return NULL;
}

void run(struct chanq *q) {
  pthread_t th;
  pthread_create(&th, NULL, consumer, q); // want: wait-without-cancel
}
