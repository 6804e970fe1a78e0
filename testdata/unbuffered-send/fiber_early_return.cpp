// EarlyReturn with Boost.Fiber: the fiber blocks in push on an unbuffered
// channel the caller stops reading.
#include <boost/fiber/all.hpp>

static int compute(int x) {
  boost::fibers::unbuffered_channel<int> ch;
  boost::fibers::fiber f([&ch, x] { ch.push(x * 2); }); // want: unbuffered-send
  f.detach();
  if (x < 0) return -1;
  int v = 0;
  ch.pop(v);
  return v;
}
