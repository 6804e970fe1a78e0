/* A detached task that is still finishing when main returns: it ends 150 ms
 * later, inside the default grace period (500 ms), so it is not a leak; with
 * --grace-ms 0 it is reported. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <time.h>

static void *finish_late(void *arg) {
  (void)arg;
  struct timespec ts = {0, 150 * 1000 * 1000};
  nanosleep(&ts, NULL);
  return NULL;
}

int main(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, finish_late, NULL) != 0) return 3;
  pthread_detach(t);
  puts("done");
  return 0;
}
