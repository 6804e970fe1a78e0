/* A watchdog that creates a timerfd for every device and never closes it:
 * one descriptor leaks per iteration. */
#include <stdint.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

void watch_devices(int ndevices) {
  for (int i = 0; i < ndevices; i++) {
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC); // want: timer-per-iteration
    struct itimerspec its = {.it_value = {.tv_sec = 1}};
    timerfd_settime(fd, 0, &its, NULL);
    uint64_t expirations;
    if (read(fd, &expirations, sizeof expirations) < 0) continue;
  }
}

void poll_forever(volatile int *running) {
  while (*running) {
    int fd = timerfd_create(CLOCK_MONOTONIC, 0); // want: timer-per-iteration
    struct itimerspec its = {.it_value = {.tv_nsec = 100000000}};
    timerfd_settime(fd, 0, &its, NULL);
  }
}

void retry_until_done(int (*done)(void)) {
  do {
    timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK); // want: timer-per-iteration
  } while (!done());
}
