/* ux tests: the finding is silenced with a reason. */
#include <time.h>

void poll_few_devices(int n) {
  for (int i = 0; i < n; i++) {
    timer_t tid;
    // leaklint:ignore[timer-per-iteration] n is at most 2 and the process exits right after
    timer_create(CLOCK_MONOTONIC, NULL, &tid);
  }
}
