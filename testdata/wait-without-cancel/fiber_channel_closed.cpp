// Boost.Fiber: consumers that leave their loop when the channel is closed
// (pop returns closed, value_pop throws), and the producer closes it.
#include <boost/fiber/all.hpp>

using fchan = boost::fibers::buffered_channel<int>;

void fiber_pipeline() {
  fchan ch(8);
  boost::fibers::fiber a([&ch] {
    int v;
    for (;;) {
      if (ch.pop(v) == boost::fibers::channel_op_status::closed)
        break;
    }
  });
  boost::fibers::fiber b([&ch] {
    for (;;) {
      int v = ch.value_pop();
      (void)v;
    }
  });
  ch.push(1);
  ch.close();
  a.join();
  b.join();
}
