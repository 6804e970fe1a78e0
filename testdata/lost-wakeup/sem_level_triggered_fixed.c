/* Semaphores, negative: a post before the wait is not lost (the count
 * remembers it), so an unlocked flag write + sem_post is fine. */
#include <pthread.h>
#include <semaphore.h>

static sem_t go;
static int stop;
static pthread_t th;

static void *run(void *arg) {
  while (!stop)
    sem_wait(&go);
  return arg;
}

void start(void) {
  sem_init(&go, 0, 0);
  pthread_create(&th, NULL, run, NULL);
}

void halt(void) {
  stop = 1;
  sem_post(&go);
  pthread_join(th, NULL);
}
