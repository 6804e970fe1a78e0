/* ux tests: a file-wide suppression.
 * leaklint:ignore-file[timer-per-iteration] generated test double; timers die with the process */
#include <time.h>

void gen_a(int n) {
  for (int i = 0; i < n; i++) {
    timer_t t;
    timer_create(CLOCK_MONOTONIC, NULL, &t);
  }
}

void gen_b(int n) {
  for (int i = 0; i < n; i++) {
    timer_t t;
    timer_create(CLOCK_MONOTONIC, NULL, &t);
  }
}
