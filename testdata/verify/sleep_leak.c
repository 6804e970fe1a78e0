/* A timer made of a thread, started in every iteration of a loop and never
 * waited for: each one sleeps, then raises its flag. The program is done long
 * before they are: two leaked tasks parked in sleep, one group
 * (timer-per-iteration, the same rule and site as the static finding). */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static volatile int flags[2];

static void *expire_after(void *arg) {
  sleep(30);
  *(volatile int *)arg = 1;
  return NULL;
}

static void poll_all(int n) {
  for (int i = 0; i < n; i++) {
    pthread_t t;
    pthread_create(&t, NULL, expire_after, (void *)&flags[i]); // want: timer-per-iteration
    pthread_detach(t);
  }
}

int main(void) {
  poll_all(2);
  puts("done");
  return 0;
}
