// Boost.Asio: a steady_timer (and a deadline-style system_timer) in a loop
// body is destroyed every iteration (RAII): no finding.
#include <boost/asio.hpp>
#include <chrono>

void wait_ticks(boost::asio::io_context &io, int n) {
  for (int i = 0; i < n; i++) {
    boost::asio::steady_timer t(io, std::chrono::milliseconds(10));
    t.wait();
  }
  int k = 0;
  while (k++ < n) {
    boost::asio::system_timer s(io);
    s.expires_after(std::chrono::seconds(1));
    s.wait();
  }
}
