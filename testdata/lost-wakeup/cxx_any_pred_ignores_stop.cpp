// std::condition_variable_any, shape 3: the task stops when `quit` is set,
// but the wait's predicate only tests the queue; the stop's notify_all
// wakes it, the predicate is still false and it waits again.
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

struct Consumer {
  std::mutex mu;
  std::condition_variable_any cv;
  std::deque<int> q;
  bool quit = false;
  std::thread th;

  void run() {
    std::unique_lock<std::mutex> lk(mu);
    while (!quit) {
      cv.wait(lk, [this] { return !q.empty(); });
      q.pop_front();
    }
  }
  void start() { th = std::thread([this] { run(); }); } // want: lost-wakeup
  void stop() {
    {
      std::lock_guard<std::mutex> g(mu);
      quit = true;
    }
    cv.notify_all();
    th.join();
  }
};
