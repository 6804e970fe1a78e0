// Range-for: a timerfd per element, lost unless kept in that element.
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <map>
#include <string>
#include <vector>

struct Device {
  std::string name;
  int timer_fd = -1;
};

void arm(std::vector<Device> &devices) {
  for (auto &d : devices) {
    int fd = timerfd_create(CLOCK_MONOTONIC, 0); // want: timer-per-iteration
    itimerspec its{};
    its.it_value.tv_sec = 1;
    timerfd_settime(fd, 0, &its, nullptr);
    (void)d;
  }
}

void arm_kept(std::vector<Device> &devices) {
  for (auto &d : devices) d.timer_fd = timerfd_create(CLOCK_MONOTONIC, 0);
}

void arm_map(std::map<std::string, int> &timers, const std::vector<std::string> &names) {
  for (const auto &n : names) timers[n] = timerfd_create(CLOCK_MONOTONIC, 0);
}

std::vector<int> arm_vector(int n) {
  std::vector<int> fds;
  for (int i = 0; i < n; i++) {
    int fd = timerfd_create(CLOCK_MONOTONIC, 0);
    fds.push_back(fd);
  }
  return fds;
}
