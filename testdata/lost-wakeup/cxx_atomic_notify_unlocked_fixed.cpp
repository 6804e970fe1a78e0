// std::condition_variable, fixed: the notify is sent inside a lock_guard
// scope on the waiter's mutex (the store may stay outside).
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

class Worker {
public:
  void start() { th = std::thread(&Worker::loop, this); }
  void stop() {
    alive = false;
    if (th.joinable()) {
      std::lock_guard<std::mutex> g(mu);
      cv.notify_all();
    }
    th.join();
  }

private:
  void loop() {
    std::unique_lock<std::mutex> lk(mu);
    while (alive) {
      cv.wait(lk, [this] { return jobs > 0 || !alive; });
      if (jobs) --jobs;
    }
  }
  std::atomic<bool> alive{true};
  int jobs = 0;
  std::mutex mu;
  std::condition_variable cv;
  std::thread th;
};
