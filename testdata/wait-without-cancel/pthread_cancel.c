/* Twin of pthread_forever_joined.c: the stop function cancels the thread;
 * sem_wait is a cancellation point, so the join returns. */
#include <pthread.h>
#include <semaphore.h>

struct cserver {
  sem_t work;
  pthread_t th;
  int served;
};

static void *serve(void *arg) {
  struct cserver *s = arg;
  while (1) {
    sem_wait(&s->work);
    s->served++;
  }
  return NULL;
}

int server_start(struct cserver *s) {
  sem_init(&s->work, 0, 0);
  return pthread_create(&s->th, NULL, serve, s);
}

void server_stop(struct cserver *s) {
  pthread_cancel(s->th);
  pthread_join(s->th, NULL);
  sem_destroy(&s->work);
}
