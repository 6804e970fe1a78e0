/* A deliberate per-iteration timer, suppressed with a reason: no finding. */
#include <sys/timerfd.h>
#include <time.h>

void probe_once_per_device(int ndevices) {
  for (int i = 0; i < ndevices; i++) {
    // leaklint:ignore[timer-per-iteration] the probe process exits right after this loop
    int fd = timerfd_create(CLOCK_MONOTONIC, 0);
    (void)fd;
  }
}
