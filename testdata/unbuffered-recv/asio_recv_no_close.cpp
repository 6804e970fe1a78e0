// NoCloseRange with Asio: the consumer coroutine receives forever; the
// producer sends two values and finishes without closing the channel.
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

static asio::awaitable<void> produce(int_channel &ch) {
  auto ex = co_await asio::this_coro::executor;
  asio::co_spawn(ex, consume(ch), asio::detached);
  co_await ch.async_send(asio::error_code{}, 1, asio::use_awaitable);
  co_await ch.async_send(asio::error_code{}, 2, asio::use_awaitable);
}

static asio::awaitable<void> run() {
  auto ex = co_await asio::this_coro::executor;
  int_channel ch(ex, 0);
  asio::co_spawn(ex, consume(ch), asio::detached); // want: unbuffered-recv
  co_await ch.async_send(asio::error_code{}, 1, asio::use_awaitable);
}
