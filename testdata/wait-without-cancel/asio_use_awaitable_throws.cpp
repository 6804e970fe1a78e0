// Asio: with use_awaitable a closed or cancelled channel makes the receive
// throw, which ends the coroutine: the loop has a way out.
#include <asio.hpp>
#include <asio/experimental/channel.hpp>

using uchan = asio::experimental::channel<void(asio::error_code, int)>;

asio::awaitable<void> throwing_reader(uchan &ch) {
  long sum = 0;
  for (;;)
    sum += co_await ch.async_receive(asio::use_awaitable);
}

void start_throwing_reader(asio::io_context &io, uchan &ch) {
  asio::co_spawn(io, throwing_reader(ch), asio::detached);
}
