/* Twin of pthread_forever_detached.c: the predicate also tests a stop flag,
 * the worker returns when it is set, and the stop function broadcasts and
 * joins. */
#include <pthread.h>
#include <stdlib.h>

struct job { struct job *next; };
struct squeue {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  struct job *head;
  int closing;
  pthread_t th;
};

static void *worker(void *arg) {
  struct squeue *q = arg;
  for (;;) {
    pthread_mutex_lock(&q->mu);
    while (q->head == NULL && !q->closing)
      pthread_cond_wait(&q->cv, &q->mu);
    if (q->closing) {
      pthread_mutex_unlock(&q->mu);
      return NULL;
    }
    struct job *j = q->head;
    q->head = j->next;
    pthread_mutex_unlock(&q->mu);
    free(j);
  }
}

int queue_start(struct squeue *q) { return pthread_create(&q->th, NULL, worker, q); }

void queue_stop(struct squeue *q) {
  pthread_mutex_lock(&q->mu);
  q->closing = 1;
  pthread_cond_broadcast(&q->cv);
  pthread_mutex_unlock(&q->mu);
  pthread_join(q->th, NULL);
}
