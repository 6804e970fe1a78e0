// Fixed twin: on timeout the channel is closed, which releases the pusher.
#include <boost/fiber/all.hpp>
#include <chrono>

static int compute(int x) {
  boost::fibers::unbuffered_channel<int> ch;
  boost::fibers::fiber f([&ch, x] { ch.push(x * 2); });
  int v = 0;
  if (ch.pop_wait_for(v, std::chrono::milliseconds(50)) == boost::fibers::channel_op_status::timeout) {
    ch.close();
    f.join();
    return -1;
  }
  f.join();
  return v;
}
