// std::condition_variable_any, fixed: the predicate also tests the stop flag.
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
      cv.wait(lk, [this] { return quit || !q.empty(); });
      if (!q.empty()) q.pop_front();
    }
  }
  void start() { th = std::thread([this] { run(); }); }
  void stop() {
    {
      std::lock_guard<std::mutex> g(mu);
      quit = true;
    }
    cv.notify_all();
    th.join();
  }
};
