/* Twin of pthread_forever_joined.c: the loop runs while a flag is set and
 * the stop function clears it and posts the semaphore before joining. */
#include <pthread.h>
#include <semaphore.h>

struct fserver {
  sem_t work;
  pthread_t th;
  volatile int running;
  int served;
};

static void *serve(void *arg) {
  struct fserver *s = arg;
  while (s->running) {
    sem_wait(&s->work);
    s->served++;
  }
  return NULL;
}

int server_start(struct fserver *s) {
  sem_init(&s->work, 0, 0);
  s->running = 1;
  return pthread_create(&s->th, NULL, serve, s);
}

void server_stop(struct fserver *s) {
  s->running = 0;
  sem_post(&s->work);
  pthread_join(s->th, NULL);
  sem_destroy(&s->work);
}
