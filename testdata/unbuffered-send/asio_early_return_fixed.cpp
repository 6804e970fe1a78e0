// Fixed twin: close() the channel before returning early.
#include <asio.hpp>
#include <asio/experimental/channel.hpp>

using int_channel = asio::experimental::channel<void(asio::error_code, int)>;

static asio::awaitable<int> compute(int x) {
  auto ex = co_await asio::this_coro::executor;
  int_channel ch(ex, 0);
  asio::co_spawn(ex, [&ch, x]() -> asio::awaitable<void> {
    co_await ch.async_send(asio::error_code{}, x * 2, asio::use_awaitable);
  }, asio::detached);
  if (x < 0) {
    ch.close();
    co_return -1;
  }
  int v = co_await ch.async_receive(asio::use_awaitable);
  co_return v;
}
