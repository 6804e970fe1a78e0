// Timers per call, Asio: every read completion allocates a steady_timer with
// new for the idle timeout and never deletes it; the completion handler does
// not own it either. One timer (and its pending wait) leaks per message.
#include <asio.hpp>
#include <chrono>

class Conn {
public:
    explicit Conn(asio::io_context &io) : io_(io) {}
    void on_read(std::size_t n) {
        auto *idle = new asio::steady_timer(io_); // want: timer-per-iteration
        idle->expires_after(std::chrono::seconds(30));
        idle->async_wait([](const asio::error_code &) {});
        bytes_ += n;
    }
    void run(int messages) {
        for (int i = 0; i < messages; i++)
            on_read(64);
    }
private:
    asio::io_context &io_;
    std::size_t bytes_ = 0;
};
