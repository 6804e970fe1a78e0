/* Fixed: deleted in the same iteration, or one timer per array element. */
#include <signal.h>
#include <time.h>

void schedule_requests(int nrequests) {
  for (int i = 0; i < nrequests; i++) {
    timer_t tid;
    if (timer_create(CLOCK_MONOTONIC, NULL, &tid) != 0) continue;
    struct itimerspec its = {.it_value = {.tv_sec = 5}};
    timer_settime(tid, 0, &its, NULL);
    timer_delete(tid);
  }
}

void per_slot(timer_t *timers, int n) {
  for (int i = 0; i < n; i++) timer_create(CLOCK_MONOTONIC, NULL, &timers[i]);
}
