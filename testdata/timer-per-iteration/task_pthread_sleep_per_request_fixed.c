/* The fix of task_pthread_sleep_per_request.c: one deadline per request,
 * kept as a time stamp the server loop compares, instead of a sleeping
 * thread per item; no thread is started at all. */
#include <time.h>
#include <unistd.h>

static void handle_request_fx(int n, time_t *deadline) {
  for (int i = 0; i < n; i++)
    deadline[i] = time(NULL) + 5;
}

void serve_fx(int fd, time_t *deadline) {
  char buf[64];
  while (read(fd, buf, sizeof buf) > 0)
    handle_request_fx((unsigned char)buf[0] % 8, deadline);
}
