// Fixed twin: close() completes the consumer's pending receive with
// channel_closed, which ends its loop.
#include <asio.hpp>
#include <asio/experimental/channel.hpp>
#include <cstdio>

using int_channel = asio::experimental::channel<void(asio::error_code, int)>;

static asio::awaitable<void> consume(int_channel &ch) {
  for (;;) {
    int v = co_await ch.async_receive(asio::use_awaitable);
    std::printf("%d\n", v);
  }
}

static asio::awaitable<void> run() {
  auto ex = co_await asio::this_coro::executor;
  int_channel ch(ex, 0);
  asio::co_spawn(ex, consume(ch), asio::detached);
  co_await ch.async_send(asio::error_code{}, 1, asio::use_awaitable);
  ch.close();
}
