/* Timers per call, POSIX: a request handler called for every request in the
 * server loop opens a timerfd for the request's deadline and never closes
 * it; a re-arm function overwrites the one global timerfd on every call;
 * a POSIX timer is created per call and never deleted. */
#include <signal.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static int watchdog_fd = -1;

static int handle_request(int client, int timeout_s) {
  int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK); // want: timer-per-iteration
  struct itimerspec its = {{0, 0}, {timeout_s, 0}};
  timerfd_settime(tfd, 0, &its, NULL);
  return write(client, "ok\n", 3) == 3 ? 0 : -1;
}

static void kick_watchdog(int secs) {
  watchdog_fd = timerfd_create(CLOCK_MONOTONIC, 0); // want: timer-per-iteration
  struct itimerspec its = {{0, 0}, {secs, 0}};
  timerfd_settime(watchdog_fd, 0, &its, NULL);
}

static void arm_alarm(int secs) {
  timer_t tid;
  struct sigevent sev = {0};
  sev.sigev_notify = SIGEV_SIGNAL;
  sev.sigev_signo = SIGALRM;
  timer_create(CLOCK_MONOTONIC, &sev, &tid); // want: timer-per-iteration
  struct itimerspec its = {{0, 0}, {secs, 0}};
  timer_settime(tid, 0, &its, NULL);
}

void serve(int listener) {
  for (;;) {
    int c = accept(listener, NULL, NULL);
    if (c < 0)
      break;
    handle_request(c, 5);
    kick_watchdog(30);
    arm_alarm(60);
    close(c);
  }
}
