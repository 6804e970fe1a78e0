// Fixed twin: on timeout the channel is closed.
#include <asio.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/experimental/channel.hpp>
#include <chrono>

using namespace asio::experimental::awaitable_operators;
using int_channel = asio::experimental::channel<void(asio::error_code, int)>;

static asio::awaitable<void> produce(int_channel &ch, int x) {
  co_await ch.async_send(asio::error_code{}, x, asio::use_awaitable);
}

static asio::awaitable<int> compute(int x) {
  auto ex = co_await asio::this_coro::executor;
  int_channel ch(ex);
  asio::co_spawn(ex, produce(ch, x), asio::detached);
  asio::steady_timer timer(ex, std::chrono::milliseconds(100));
  auto r = co_await (ch.async_receive(asio::use_awaitable) || timer.async_wait(asio::use_awaitable));
  if (r.index() == 1) {
    ch.close();
    co_return -1;
  }
  co_return std::get<0>(r);
}
