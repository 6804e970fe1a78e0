// Boost.Fiber: a detached fiber waits on a fiber condition variable in a
// loop with no exit.
#include <boost/fiber/all.hpp>
#include <deque>

struct FiberQueue {
  boost::fibers::mutex mu;
  boost::fibers::condition_variable cv;
  std::deque<int> items;
};

void start_fiber_consumer(FiberQueue &q) {
  boost::fibers::fiber f([&q] { // want: wait-without-cancel
    for (;;) {
      std::unique_lock<boost::fibers::mutex> lk(q.mu);
      q.cv.wait(lk, [&q] { return !q.items.empty(); });
      q.items.pop_front();
    }
  });
  f.detach();
}
