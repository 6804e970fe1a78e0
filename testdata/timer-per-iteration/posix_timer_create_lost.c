/* A POSIX timer created per request and never deleted: each iteration
 * leaks a kernel timer (and, with SIGEV_THREAD, a notification thread). */
#include <signal.h>
#include <string.h>
#include <time.h>

static void expired(union sigval sv) { (void)sv; }

void schedule_requests(int nrequests) {
  for (int i = 0; i < nrequests; i++) {
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_THREAD;
    sev.sigev_notify_function = expired;
    timer_t tid;
    timer_create(CLOCK_MONOTONIC, &sev, &tid); // want: timer-per-iteration
    struct itimerspec its = {.it_value = {.tv_sec = 5}};
    timer_settime(tid, 0, &its, NULL);
  }
}

/* The timer id lives outside the loop: each iteration overwrites it. */
void overwrite(int n) {
  timer_t tid;
  for (int i = 0; i < n; i++)
    timer_create(CLOCK_MONOTONIC, NULL, &tid); // want: timer-per-iteration
  timer_delete(tid);
}
