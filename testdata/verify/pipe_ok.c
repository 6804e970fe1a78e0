/* The fixed twin of pipe_leak.c: the failure path closes the write end, so
 * the reader sees end-of-file and returns; main joins every reader. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *await_reply(void *arg) {
  int fd = *(int *)arg;
  char c;
  ssize_t n = read(fd, &c, 1); /* returns 0 once the write end is closed */
  (void)n;
  return NULL;
}

static int fds[3][2];
static pthread_t readers[3];

static int serve_request(int i) {
  if (pipe(fds[i]) != 0) return -1;
  if (pthread_create(&readers[i], NULL, await_reply, &fds[i][0]) != 0) return -1;
  close(fds[i][1]); /* failure path: cancel the pending reply */
  return -1;
}

int main(void) {
  int failed = 0;
  for (int i = 0; i < 3; i++)
    if (serve_request(i) != 0) failed++;
  for (int i = 0; i < 3; i++) pthread_join(readers[i], NULL);
  printf("%d requests failed\n", failed);
  return 0;
}
