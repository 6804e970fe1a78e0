// Boost.Asio form of call_asio_heap_timer.cpp.
#include <boost/asio.hpp>
#include <chrono>

class BConn {
public:
    explicit BConn(boost::asio::io_context &io) : io_(io) {}
    void on_request() {
        boost::asio::steady_timer *deadline = new boost::asio::steady_timer(io_); // want: timer-per-iteration
        deadline->expires_after(std::chrono::seconds(5));
        deadline->async_wait([](const boost::system::error_code &) {});
    }
private:
    boost::asio::io_context &io_;
};

void serve(BConn &c, int requests) {
    while (requests-- > 0)
        c.on_request();
}
