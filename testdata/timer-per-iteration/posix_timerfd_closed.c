/* Fixed: the timerfd is closed in the iteration that created it. */
#include <stdint.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

void watch_devices(int ndevices) {
  for (int i = 0; i < ndevices; i++) {
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    if (fd < 0) continue;
    struct itimerspec its = {.it_value = {.tv_sec = 1}};
    timerfd_settime(fd, 0, &its, NULL);
    uint64_t expirations;
    (void)read(fd, &expirations, sizeof expirations);
    close(fd);
  }
}

/* Better: one timerfd for the whole loop, re-armed every iteration. */
void watch_devices_rearmed(int ndevices) {
  int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
  for (int i = 0; i < ndevices; i++) {
    struct itimerspec its = {.it_value = {.tv_sec = 1}};
    timerfd_settime(fd, 0, &its, NULL);
    uint64_t expirations;
    (void)read(fd, &expirations, sizeof expirations);
  }
  close(fd);
}

/* Released before the next creation: the previous descriptor is closed first. */
void rotate(int rounds) {
  int fd = -1;
  for (int i = 0; i < rounds; i++) {
    if (fd >= 0) close(fd);
    fd = timerfd_create(CLOCK_MONOTONIC, 0);
  }
  if (fd >= 0) close(fd);
}
