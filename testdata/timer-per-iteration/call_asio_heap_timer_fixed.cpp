// Fixed twin of call_asio_heap_timer.cpp: the heap timer is owned by the
// completion handler (captured, deleted when it runs), or held in a
// shared_ptr, or reused as a member and re-armed.
#include <asio.hpp>
#include <chrono>
#include <memory>

class FixedConn {
public:
    explicit FixedConn(asio::io_context &io) : io_(io), idle_(io) {}
    void on_read(std::size_t n) {
        auto *once = new asio::steady_timer(io_);
        once->expires_after(std::chrono::seconds(30));
        once->async_wait([once](const asio::error_code &) { delete once; });
        idle_.expires_after(std::chrono::seconds(30));
        idle_.async_wait([](const asio::error_code &) {});
        bytes_ += n;
    }
    void run(int messages) {
        for (int i = 0; i < messages; i++)
            on_read(64);
    }
private:
    asio::io_context &io_;
    asio::steady_timer idle_;
    std::size_t bytes_ = 0;
};
