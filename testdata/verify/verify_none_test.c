/* A plain C test using the on-demand check point, linked directly with
 * libleaklint-verify.so (no driver): leaklint_verify_none() must return 0 when
 * the only started thread finishes within the grace period, 0 after a thread
 * ended through pthread_exit and one that was cancelled, then 1 for a detached
 * thread parked on a semaphore nobody posts, and 0 again once that thread is
 * exempted with leaklint_verify_ignore_current() while a later leak is still
 * found. Prints "ok" and exits 0 when every count is as expected. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <time.h>

#include "leaklint_verify.h"

static sem_t never;

static void *finishes_soon(void *arg) {
  (void)arg;
  struct timespec ts = {0, 100 * 1000 * 1000}; /* 100 ms < the 500 ms grace */
  nanosleep(&ts, NULL);
  return NULL;
}

static void *exits_early(void *arg) {
  (void)arg;
  pthread_exit(NULL);
}

static void *parks_until_cancelled(void *arg) {
  (void)arg;
  for (;;) sem_wait(&never); /* sem_wait is a cancellation point */
  return NULL;
}

static void *parks_forever(void *arg) {
  (void)arg;
  for (;;) sem_wait(&never);
  return NULL;
}

static int expect(const char *what, int got, int want) {
  if (got == want) return 0;
  fprintf(stderr, "FAIL %s: leaklint_verify_none() = %d, want %d\n", what, got, want);
  return 1;
}

int main(void) {
  int bad = 0;
  pthread_t t;
  sem_init(&never, 0, 0);
  pthread_create(&t, NULL, finishes_soon, NULL);
  pthread_detach(t);
  bad += expect("finishing within the grace period", leaklint_verify_none(), 0);

  pthread_create(&t, NULL, exits_early, NULL);
  pthread_join(t, NULL);
  pthread_create(&t, NULL, parks_until_cancelled, NULL);
  pthread_cancel(t);
  pthread_join(t, NULL);
  bad += expect("pthread_exit and pthread_cancel", leaklint_verify_none(), 0);

  pthread_create(&t, NULL, parks_forever, NULL);
  pthread_detach(t);
  bad += expect("a thread parked on a semaphore", leaklint_verify_none(), 1);

  leaklint_verify_ignore_current(); /* the parked thread is kept on purpose from now on */
  bad += expect("after leaklint_verify_ignore_current", leaklint_verify_none(), 0);
  pthread_create(&t, NULL, parks_forever, NULL);
  pthread_detach(t);
  bad += expect("a new thread after leaklint_verify_ignore_current", leaklint_verify_none(), 1);
  puts(bad ? "failed" : "ok");
  return bad ? 1 : 0;
}
