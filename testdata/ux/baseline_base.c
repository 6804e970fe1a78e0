/* ux tests (baseline): the legacy code recorded in the baseline. */
#include <time.h>

void poll_all(int n) {
  for (int i = 0; i < n; i++) {
    timer_t t;
    timer_create(CLOCK_MONOTONIC, NULL, &t); // want: timer-per-iteration
  }
}

void drain_all(int n) {
  for (int i = 0; i < n; i++) {
    timer_t t;
    timer_create(CLOCK_MONOTONIC, NULL, &t); // want: timer-per-iteration
  }
  for (int i = 0; i < n; i++) {
    timer_t t;
    timer_create(CLOCK_MONOTONIC, NULL, &t); // want: timer-per-iteration
  }
}
