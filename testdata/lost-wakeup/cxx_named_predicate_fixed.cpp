// std::condition_variable with a named predicate lambda, fixed: halt() sets
// `stop` inside a lock_guard scope, then notifies.
#include <condition_variable>
#include <mutex>
#include <thread>

struct Worker {
  std::mutex m;
  std::condition_variable cv;
  bool stop = false;
  int n = 0;
  std::thread th;

  void run() {
    std::unique_lock<std::mutex> lk(m);
    auto ready = [this] { return stop || n > 0; };
    while (!stop) {
      cv.wait(lk, ready);
      if (n) --n;
    }
  }
  void start() { th = std::thread(&Worker::run, this); }
  void halt() {
    if (th.joinable()) {
      std::lock_guard<std::mutex> g(m);
      stop = true;
    }
    cv.notify_all();
    th.join();
  }
};
