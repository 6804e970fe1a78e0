// Twin of asio_recv_tuple_forever.cpp: the reader returns on an error (the
// channel was closed or the operation cancelled).
#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/channel.hpp>

using echan = asio::experimental::channel<void(asio::error_code, int)>;

asio::awaitable<void> ec_reader(echan &ch) {
  long sum = 0;
  for (;;) {
    auto [ec, v] = co_await ch.async_receive(asio::experimental::as_tuple(asio::use_awaitable));
    if (ec)
      co_return;
    sum += v;
  }
}

void start_ec_reader(asio::io_context &io, echan &ch) {
  asio::co_spawn(io, ec_reader(ch), asio::detached);
}
