// Fixed twin of call_cxx_member_timerfd.cpp: the session creates its timerfd
// once and re-arms it; the destructor closes it. An Asio timer on the stack
// of a handler is released by its destructor on every call.
#include <asio.hpp>
#include <chrono>
#include <sys/timerfd.h>
#include <unistd.h>
#include <vector>

class FixedSession {
public:
    explicit FixedSession(asio::io_context &io) : io_(io) {}
    ~FixedSession() { if (idle_fd_ >= 0) close(idle_fd_); }
    FixedSession(const FixedSession &) = delete;
    void on_message(int idle_s) {
        if (idle_fd_ < 0)
            idle_fd_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
        itimerspec its{};
        its.it_value.tv_sec = idle_s;
        timerfd_settime(idle_fd_, 0, &its, nullptr);
    }
    void on_flush() {
        asio::steady_timer t(io_);
        t.expires_after(std::chrono::milliseconds(10));
        t.wait();
    }
private:
    asio::io_context &io_;
    int idle_fd_ = -1;
};

void pump_fixed(std::vector<FixedSession *> &sessions) {
    for (FixedSession *s : sessions) {
        s->on_message(30);
        s->on_flush();
    }
}
