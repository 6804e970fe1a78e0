/* Fixed twin of call_posix_timerfd_handler.c: the per-request timerfd is
 * closed, the watchdog timerfd is created once and re-armed, the POSIX timer
 * is deleted. A function nobody in the program calls repeatedly (a public
 * API) is not reported: the analysis cannot know how often it runs. */
#include <signal.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static int fixed_watchdog_fd = -1;

static int handle_request_fixed(int client, int timeout_s) {
  int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
  struct itimerspec its = {{0, 0}, {timeout_s, 0}};
  timerfd_settime(tfd, 0, &its, NULL);
  int r = write(client, "ok\n", 3) == 3 ? 0 : -1;
  close(tfd);
  return r;
}

static void kick_watchdog_fixed(int secs) {
  if (fixed_watchdog_fd < 0)
    fixed_watchdog_fd = timerfd_create(CLOCK_MONOTONIC, 0);
  struct itimerspec its = {{0, 0}, {secs, 0}};
  timerfd_settime(fixed_watchdog_fd, 0, &its, NULL);
}

static void arm_alarm_fixed(int secs) {
  timer_t tid;
  struct sigevent sev = {0};
  sev.sigev_notify = SIGEV_SIGNAL;
  sev.sigev_signo = SIGALRM;
  timer_create(CLOCK_MONOTONIC, &sev, &tid);
  struct itimerspec its = {{0, 0}, {secs, 0}};
  timer_settime(tid, 0, &its, NULL);
  pause();
  timer_delete(tid);
}

int open_deadline(int secs) { /* called by users of the library: unknown */
  int tfd = timerfd_create(CLOCK_MONOTONIC, 0);
  struct itimerspec its = {{0, 0}, {secs, 0}};
  timerfd_settime(tfd, 0, &its, NULL);
  return 0;
}

void serve_fixed(int listener) {
  for (;;) {
    int c = accept(listener, NULL, NULL);
    if (c < 0)
      break;
    handle_request_fixed(c, 5);
    kick_watchdog_fixed(30);
    arm_alarm_fixed(60);
    close(c);
  }
}
