/* The entry calls a function that never returns: the loop with no exit is
 * in the callee. */
#include <pthread.h>
#include <semaphore.h>

static sem_t ready;
static int count;

static void run_forever(void) {
  for (;;) {
    sem_wait(&ready);
    count++;
  }
}

static void *entry(void *arg) {
  (void)arg;
  run_forever();
  return NULL;
}

void start(void) {
  pthread_t th;
  sem_init(&ready, 0, 0);
  pthread_create(&th, NULL, entry, NULL); // want: wait-without-cancel
}
