/* A timer made of threads, started by a request handler that the server
 * loop calls for every request: each call starts n more sleeping threads,
 * so the message says it happens again on every call of `handle_request`. */
#include <pthread.h>
#include <unistd.h>

static void *deadline_after(void *arg) {
  sleep(5);
  *(volatile int *)arg = 1;
  return NULL;
}

static void handle_request(int n, volatile int *expired) {
  for (int i = 0; i < n; i++) {
    pthread_t t;
    pthread_create(&t, NULL, deadline_after, (void *)&expired[i]); // want: timer-per-iteration "every call of `handle_request`"
    pthread_detach(t);
  }
}

void serve(int fd, volatile int *expired) {
  char buf[64];
  while (read(fd, buf, sizeof buf) > 0)
    handle_request((unsigned char)buf[0] % 8, expired);
}
