// Twin of asio_recv_tuple_forever.cpp: a cancellation slot is bound to the
// spawn, so the owner can emit a cancellation on shutdown.
#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/channel.hpp>

using schan = asio::experimental::channel<void(asio::error_code, int)>;

asio::awaitable<void> slot_reader(schan &ch) {
  for (;;) {
    auto [ec, v] = co_await ch.async_receive(asio::experimental::as_tuple(asio::use_awaitable));
    (void)ec;
    (void)v;
  }
}

void start_slot_reader(asio::io_context &io, schan &ch, asio::cancellation_signal &sig) {
  asio::co_spawn(io, slot_reader(ch), asio::bind_cancellation_slot(sig.slot(), asio::detached));
}
