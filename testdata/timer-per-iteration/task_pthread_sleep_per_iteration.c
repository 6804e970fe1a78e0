/* A timer made of a thread with pthreads: a sleep-then-flag thread per
 * iteration, detached. */
#include <pthread.h>
#include <unistd.h>

static void *expire_after(void *arg) {
  sleep(2);
  *(volatile int *)arg = 1;
  return NULL;
}

static void poll_all(int n, volatile int *flags) {
  for (int i = 0; i < n; i++) {
    pthread_t t;
    pthread_create(&t, NULL, expire_after, (void *)&flags[i]); // want: timer-per-iteration
    pthread_detach(t);
  }
}

/* Not a timer: the thread is joined in the same iteration. */
static void poll_all_sync(int n, volatile int *flags) {
  for (int i = 0; i < n; i++) {
    pthread_t t;
    pthread_create(&t, NULL, expire_after, (void *)&flags[i]);
    pthread_join(t, NULL);
  }
}
