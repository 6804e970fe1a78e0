/* The fix of layers_init_callbacks.c: the poller every callback entry
 * names returns once lcbf_stop is set (the stopper posts the semaphore). */
#include <pthread.h>
#include <semaphore.h>

static sem_t lcbf_sem;
static volatile int lcbf_stop;

static void *lcbf_poll(void *a) {
  (void)a;
  while (!lcbf_stop) sem_wait(&lcbf_sem);
  return NULL;
}

static void *(*lcbf_workers[])(void *) = {lcbf_poll, lcbf_poll};

void lcbf_start(pthread_t *t) {
  for (int i = 0; i < 2; i++) pthread_create(&t[i], NULL, lcbf_workers[i], NULL);
}
