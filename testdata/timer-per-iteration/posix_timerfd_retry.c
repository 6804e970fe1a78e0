/* Loops that do not create a timer per iteration. */
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

/* Retry until the creation succeeds: failed attempts hold nothing. */
int open_timer(void) {
  int fd;
  do {
    fd = timerfd_create(CLOCK_MONOTONIC, 0);
  } while (fd < 0);
  return fd;
}

/* Created lazily, once: the creation is guarded by the handle. */
void lazy(int rounds) {
  int fd = -1;
  for (int i = 0; i < rounds; i++) {
    if (fd < 0) fd = timerfd_create(CLOCK_MONOTONIC, 0);
    struct itimerspec its = {.it_value = {.tv_sec = 1}};
    timerfd_settime(fd, 0, &its, NULL);
  }
  close(fd);
}

/* Guarded by a flag the guarded branch sets. */
void once_flag(int rounds) {
  int fd = -1, armed = 0;
  for (int i = 0; i < rounds; i++) {
    if (!armed) {
      fd = timerfd_create(CLOCK_MONOTONIC, 0);
      armed = 1;
    }
  }
  close(fd);
}

/* The loop leaves right after the creation. */
int first(int n) {
  for (int i = 0; i < n; i++) {
    int fd = timerfd_create(CLOCK_MONOTONIC, 0);
    return fd;
  }
  return -1;
}
