/* The loop is left with a goto to the cleanup code. */
#include <pthread.h>
#include <semaphore.h>

struct w {
  sem_t s;
  int quit;
};

static void *run(void *arg) {
  struct w *w = arg;
  for (;;) {
    sem_wait(&w->s);
    if (w->quit)
      goto out;
  }
out:
  sem_destroy(&w->s);
  return NULL;
}

void start(struct w *w) {
  pthread_t th;
  pthread_create(&th, NULL, run, w);
  pthread_detach(th);
}
