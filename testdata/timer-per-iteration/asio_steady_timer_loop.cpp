// A steady_timer constructed in the loop body is destroyed at the end of
// every iteration (RAII): churn, not a leak. No finding.
#include <asio.hpp>
#include <chrono>

void wait_ticks(asio::io_context &io, int n) {
  for (int i = 0; i < n; i++) {
    asio::steady_timer t(io, std::chrono::milliseconds(10));
    t.wait();
  }
}

asio::awaitable<void> ticker(asio::any_io_executor ex) {
  for (;;) {
    asio::steady_timer t(ex);
    t.expires_after(std::chrono::seconds(1));
    co_await t.async_wait(asio::use_awaitable);
  }
}
