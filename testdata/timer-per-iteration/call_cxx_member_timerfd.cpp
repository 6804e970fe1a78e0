// Timers per call, C++: every message re-arms the session's idle timeout by
// creating a new timerfd into the member, and no member function (no
// destructor either) closes it: each call leaks the previous descriptor,
// and the last one is lost with the session. (Same shape as pistache's
// transport timerfd, docs/real-bugs.md RB11.)
#include <sys/timerfd.h>
#include <unistd.h>
#include <vector>

class Session {
public:
    void on_message(int idle_s) {
        idle_fd_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK); // want: timer-per-iteration
        itimerspec its{};
        its.it_value.tv_sec = idle_s;
        timerfd_settime(idle_fd_, 0, &its, nullptr);
    }
    int fd() const { return sock_; }
private:
    int sock_ = -1;
    int idle_fd_ = -1;
};

void pump(std::vector<Session *> &sessions) {
    for (Session *s : sessions)
        s->on_message(30);
}
