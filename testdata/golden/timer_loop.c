/* Golden fixture for the reporters (tools/test_golden.py): one reported
 * timer-per-iteration finding and one suppressed. The expected.* files in
 * this directory depend on the line numbers below: regenerate them with
 * `tools/test_golden.py BIN . --update` after any edit. */
#include <sys/timerfd.h>
#include <time.h>

void poll_devices(int n) {
  for (int i = 0; i < n; i++) {
    int fd = timerfd_create(CLOCK_MONOTONIC, 0); // want: timer-per-iteration
    (void)fd;
  }
}

void legacy_poll(int n) {
  for (int i = 0; i < n; i++) {
    // leaklint:ignore[timer-per-iteration] the process exits right after this loop
    int fd = timerfd_create(CLOCK_MONOTONIC, 0);
    (void)fd;
  }
}
