// Boost.Asio form of call_asio_heap_timer_fixed.cpp.
#include <boost/asio.hpp>
#include <chrono>
#include <memory>

class FixedBConn {
public:
    explicit FixedBConn(boost::asio::io_context &io) : io_(io) {}
    void on_request() {
        std::shared_ptr<boost::asio::steady_timer> deadline(new boost::asio::steady_timer(io_, std::chrono::seconds(5)));
        deadline->async_wait([deadline](const boost::system::error_code &) {});
    }
    void on_ping() {
        auto *t = new boost::asio::steady_timer(io_);
        t->expires_after(std::chrono::seconds(1));
        t->wait();
        delete t;
    }
private:
    boost::asio::io_context &io_;
};

void serve_fixed(FixedBConn &c, int requests) {
    while (requests-- > 0) {
        c.on_request();
        c.on_ping();
    }
}
