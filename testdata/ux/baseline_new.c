/* ux tests (baseline): new code next to the legacy code. Only the lines
 * marked want: are new relative to baseline_base.c. */
#include <time.h>

void poll_all(int n) {
  for (int i = 0; i < n; i++) {
    timer_t t;
    timer_create(CLOCK_MONOTONIC, NULL, &t);
  }
}

void drain_all(int n) {
  for (int i = 0; i < n; i++) {
    timer_t t;
    timer_create(CLOCK_MONOTONIC, NULL, &t);
  }
  for (int i = 0; i < n; i++) {
    timer_t t;
    timer_create(CLOCK_MONOTONIC, NULL, &t);
  }
  for (int i = 0; i < n; i++) {
    timer_t t;
    timer_create(CLOCK_MONOTONIC, NULL, &t); // want: timer-per-iteration
  }
}

void poll_new(int n) {
  for (int i = 0; i < n; i++) {
    timer_t t;
    timer_create(CLOCK_MONOTONIC, NULL, &t); // want: timer-per-iteration
  }
}
