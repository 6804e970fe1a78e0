// Timeout with Boost.Fiber: pop_wait_for gives up, the pusher stays.
#include <boost/fiber/all.hpp>
#include <chrono>

static int compute(int x) {
  boost::fibers::unbuffered_channel<int> ch;
  boost::fibers::fiber f([&ch, x] { ch.push(x * 2); }); // want: unbuffered-send
  f.detach();
  int v = 0;
  if (ch.pop_wait_for(v, std::chrono::milliseconds(50)) == boost::fibers::channel_op_status::timeout)
    return -1;
  return v;
}
