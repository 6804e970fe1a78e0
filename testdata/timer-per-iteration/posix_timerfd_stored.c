/* One timer per element, stored in that element: nothing is lost. */
#include <stdlib.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

struct device {
  int timer_fd;
  struct device *next;
};

struct scheduler {
  int timers[16];
  int ntimers;
};

void arm_all(struct device *list) {
  for (struct device *d = list; d; d = d->next)
    d->timer_fd = timerfd_create(CLOCK_MONOTONIC, 0);
}

void fill(struct scheduler *s) {
  for (int i = 0; i < 16; i++) s->timers[i] = timerfd_create(CLOCK_MONOTONIC, 0);
  s->ntimers = 16;
}

int *make_timers(int n) {
  int *fds = calloc((size_t)n, sizeof *fds);
  for (int i = 0; i < n; i++) {
    int fd = timerfd_create(CLOCK_MONOTONIC, 0);
    fds[i] = fd;
  }
  return fds;
}

/* Handed to code we cannot see, which may keep it: no finding. */
void register_timer(int fd);

void register_all(int n) {
  for (int i = 0; i < n; i++) {
    int fd = timerfd_create(CLOCK_MONOTONIC, 0);
    register_timer(fd);
  }
}

/* Returned to the caller: the loop ends with it. */
int first_working_timer(int attempts) {
  for (int i = 0; i < attempts; i++) {
    int fd = timerfd_create(CLOCK_MONOTONIC, 0);
    if (fd >= 0) return fd;
  }
  return -1;
}

/* Registered with epoll (the descriptor is an argument after the first). */
#include <sys/epoll.h>

void register_with_epoll(int ep, int n) {
  for (int i = 0; i < n; i++) {
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
  }
}
