// Fixed twin: close() before returning early; the blocked push returns
// channel_op_status::closed.
#include <boost/fiber/all.hpp>

static int compute(int x) {
  boost::fibers::unbuffered_channel<int> ch;
  boost::fibers::fiber f([&ch, x] { ch.push(x * 2); });
  if (x < 0) {
    ch.close();
    f.join();
    return -1;
  }
  int v = 0;
  ch.pop(v);
  f.join();
  return v;
}
