/* A detached worker waits for jobs in a loop with no exit: once the queue
 * owner stops pushing, the thread parks in pthread_cond_wait forever. */
#include <pthread.h>
#include <stdlib.h>

struct job { struct job *next; };
struct queue {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  struct job *head;
};

static void *worker(void *arg) {
  struct queue *q = arg;
  for (;;) {
    pthread_mutex_lock(&q->mu);
    while (q->head == NULL)
      pthread_cond_wait(&q->cv, &q->mu);
    struct job *j = q->head;
    q->head = j->next;
    pthread_mutex_unlock(&q->mu);
    free(j);
  }
  return NULL;
}

int queue_start(struct queue *q) {
  pthread_t th;
  if (pthread_create(&th, NULL, worker, q) != 0) // want: wait-without-cancel
    return -1;
  pthread_detach(th);
  return 0;
}
