/* ux tests: the timer is created once and re-armed; nothing to report. */
#include <time.h>

void rearm_devices(int n) {
  timer_t tid;
  timer_create(CLOCK_MONOTONIC, NULL, &tid);
  for (int i = 0; i < n; i++) {
    struct itimerspec its = {.it_value = {.tv_sec = 1}};
    timer_settime(tid, 0, &its, NULL);
  }
  timer_delete(tid);
}
