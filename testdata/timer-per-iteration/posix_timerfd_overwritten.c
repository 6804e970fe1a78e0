/* The handle lives outside the loop and is overwritten every iteration:
 * only the last timerfd is closed, all the others leak. */
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

void reschedule(int rounds) {
  int fd = -1;
  for (int i = 0; i < rounds; i++) {
    fd = timerfd_create(CLOCK_MONOTONIC, 0); // want: timer-per-iteration
    struct itimerspec its = {.it_value = {.tv_sec = i + 1}};
    timerfd_settime(fd, 0, &its, NULL);
  }
  close(fd);
}

/* A local copy of the handle saved in an outer variable: same leak. */
void remember_last(int rounds) {
  int last = -1;
  for (int i = 0; i < rounds; i++) {
    int fd = timerfd_create(CLOCK_MONOTONIC, 0); // want: timer-per-iteration
    last = fd;
  }
  if (last >= 0) close(last);
}

/* Nested loops: the inner loop overwrites a handle of the outer iteration. */
void nested(int n) {
  for (int i = 0; i < n; i++) {
    int fd = -1;
    for (int j = 0; j < n; j++) fd = timerfd_create(CLOCK_MONOTONIC, 0); // want: timer-per-iteration
    close(fd);
  }
}
