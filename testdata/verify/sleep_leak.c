/* A ticker task started in every iteration of a loop, each sleeping forever
 * in its own loop and never stopped: two leaked tasks parked in sleep, one
 * group (timer-per-iteration). */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static volatile int ticks;

static void *ticker(void *arg) {
  (void)arg;
  for (;;) {
    sleep(1);
    ticks++;
  }
  return NULL;
}

int main(void) {
  for (int round = 0; round < 2; round++) {
    pthread_t t;
    if (pthread_create(&t, NULL, ticker, NULL) != 0) return 3;
    pthread_detach(t);
  }
  puts("done");
  return 0;
}
