// Boost.Fiber, shape 2 (writer side): the stop flag and notify_all come
// without the fiber mutex the consumer holds between its predicate and the
// wait.
#include <boost/fiber/all.hpp>
#include <deque>

struct FiberQueue {
  boost::fibers::mutex mu;
  boost::fibers::condition_variable cv;
  std::deque<int> items;
  bool closed = false;
  boost::fibers::fiber f;

  void consume() {
    std::unique_lock<boost::fibers::mutex> lk(mu);
    while (!closed) {
      cv.wait(lk, [this] { return closed || !items.empty(); });
      if (!items.empty()) items.pop_front();
    }
  }
  void start() { f = boost::fibers::fiber([this] { consume(); }); } // want: lost-wakeup
  void close() {
    closed = true;
    cv.notify_all();
    f.join();
  }
};
