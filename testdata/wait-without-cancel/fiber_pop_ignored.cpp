// Boost.Fiber: the consumer ignores pop's status, so closing the channel
// does not end its loop and the join hangs.
#include <boost/fiber/all.hpp>

using ichan = boost::fibers::buffered_channel<int>;

void fiber_ignored_status() {
  ichan ch(8);
  boost::fibers::fiber a([&ch] { // want: wait-without-cancel
    int v;
    long sum = 0;
    for (;;) {
      ch.pop(v);
      sum += v;
    }
  });
  ch.push(1);
  ch.close();
  a.join();
}
