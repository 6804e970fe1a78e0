/* ux tests: one timer created per loop iteration and never released. */
#include <time.h>

void poll_devices(int n) {
  for (int i = 0; i < n; i++) {
    timer_t tid;
    timer_create(CLOCK_MONOTONIC, NULL, &tid); // want: timer-per-iteration
  }
}
