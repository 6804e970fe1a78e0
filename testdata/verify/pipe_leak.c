/* A thread per request, each stuck reading its reply pipe: the requests are
 * answered only when the handler "succeeds", and the failure path returns
 * without closing the write end. Three requests fail: three leaked tasks,
 * one parked stack, all created by serve_request. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *await_reply(void *arg) {
  int fd = *(int *)arg;
  char c;
  ssize_t n = read(fd, &c, 1); /* blocks forever: nobody writes, nobody closes */
  (void)n;
  return NULL;
}

static int fds[3][2];

static int serve_request(int i) {
  if (pipe(fds[i]) != 0) return -1;
  pthread_t t;
  if (pthread_create(&t, NULL, await_reply, &fds[i][0]) != 0) return -1;
  pthread_detach(t);
  return -1; /* the request fails: the write end fds[i][1] stays open, unused */
}

int main(void) {
  int failed = 0;
  for (int i = 0; i < 3; i++)
    if (serve_request(i) != 0) failed++;
  printf("%d requests failed\n", failed);
  return 0;
}
