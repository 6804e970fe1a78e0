/* A global array of callbacks `static void *(*workers[])(void *) = {...}`
 * whose entries are started by index. Every entry is the same poller (one
 * per shard), which parks on a semaphore forever. */
#include <pthread.h>
#include <semaphore.h>

static sem_t lcb_sem;

static void *lcb_poll(void *a) {
  (void)a;
  for (;;) sem_wait(&lcb_sem);
  return NULL;
}

static void *(*lcb_workers[])(void *) = {lcb_poll, lcb_poll};

void lcb_start(pthread_t *t) {
  for (int i = 0; i < 2; i++) pthread_create(&t[i], NULL, lcb_workers[i], NULL); // want: wait-without-cancel
}
