// Asio: the reader receives with as_tuple and ignores the error, so neither
// closing nor cancelling the channel ends its loop; nothing cancels the
// coroutine.
#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/channel.hpp>

using tchan = asio::experimental::channel<void(asio::error_code, int)>;

asio::awaitable<void> tuple_reader(tchan &ch) {
  long sum = 0;
  for (;;) {
    auto [ec, v] = co_await ch.async_receive(asio::experimental::as_tuple(asio::use_awaitable));
    (void)ec;
    sum += v;
  }
}

void start_tuple_reader(asio::io_context &io, tchan &ch) {
  asio::co_spawn(io, tuple_reader(ch), asio::detached); // want: wait-without-cancel
}
