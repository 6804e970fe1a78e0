/* A consumer that leaves its loop on a sentinel item (a poison pill). */
#include <pthread.h>
#include <stddef.h>

struct pchanq {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  void *items[16];
  int n;
};

static void *take(struct pchanq *q) {
  pthread_mutex_lock(&q->mu);
  while (q->n == 0)
    pthread_cond_wait(&q->cv, &q->mu);
  void *it = q->items[--q->n];
  pthread_mutex_unlock(&q->mu);
  return it;
}

static void put(struct pchanq *q, void *it) {
  pthread_mutex_lock(&q->mu);
  q->items[q->n++] = it;
  pthread_cond_signal(&q->cv);
  pthread_mutex_unlock(&q->mu);
}

static void *consumer(void *arg) {
  struct pchanq *q = arg;
  for (;;) {
    void *item = take(q);
    if (item == NULL)
      break;
  }
  return NULL;
}

void run(struct pchanq *q) {
  pthread_t th;
  pthread_create(&th, NULL, consumer, q);
  put(q, NULL);
  pthread_join(th, NULL);
}
