/* ux tests: a suppression that matches nothing (reported with --report-unused-suppressions). */
#include <time.h>

void rearm_once(void) {
  timer_t t;
  // leaklint:ignore[timer-per-iteration] this used to be a loop
  timer_create(CLOCK_MONOTONIC, NULL, &t);
  timer_delete(t);
}
