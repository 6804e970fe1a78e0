// EarlyReturn with an Asio channel: the sender coroutine stays suspended in
// async_send because the receiver returns first.
#include <asio.hpp>
#include <asio/experimental/channel.hpp>

using int_channel = asio::experimental::channel<void(asio::error_code, int)>;

static asio::awaitable<int> compute(int x) {
  auto ex = co_await asio::this_coro::executor;
  int_channel ch(ex, 0);
  asio::co_spawn(ex, [&ch, x]() -> asio::awaitable<void> { // want: unbuffered-send
    co_await ch.async_send(asio::error_code{}, x * 2, asio::use_awaitable);
  }, asio::detached);
  if (x < 0) co_return -1;
  int v = co_await ch.async_receive(asio::use_awaitable);
  co_return v;
}
