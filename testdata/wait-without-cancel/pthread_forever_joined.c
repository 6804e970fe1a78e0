/* The thread is kept in a struct field and joined by the stop function, but
 * the worker has no way out of its loop: the join hangs at shutdown. */
#include <pthread.h>
#include <semaphore.h>

struct server {
  sem_t work;
  pthread_t th;
  int served;
};

static void *serve(void *arg) {
  struct server *s = arg;
  while (1) {
    sem_wait(&s->work);
    s->served++;
  }
  return NULL;
}

int server_start(struct server *s) {
  sem_init(&s->work, 0, 0);
  return pthread_create(&s->th, NULL, serve, s); // want: wait-without-cancel
}

void server_stop(struct server *s) {
  pthread_join(s->th, NULL);
  sem_destroy(&s->work);
}
