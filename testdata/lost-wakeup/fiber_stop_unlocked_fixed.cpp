// Boost.Fiber, fixed: the flag is set and the notify sent under the mutex.
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
  void start() { f = boost::fibers::fiber([this] { consume(); }); }
  void close() {
    mu.lock();
    closed = true;
    cv.notify_all();
    mu.unlock();
    f.join();
  }
};
