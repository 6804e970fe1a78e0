// A timed wait in a loop that ends when an atomic flag is set.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

struct Ticker {
  std::mutex mu;
  std::condition_variable cv;
  std::atomic<bool> stop{false};
  std::thread th;
  void start() {
    th = std::thread([this] {
      std::unique_lock<std::mutex> lk(mu);
      while (!stop.load()) {
        cv.wait_for(lk, std::chrono::seconds(1));
      }
    });
  }
  void finish() {
    stop = true;
    cv.notify_all();
    th.join();
  }
};
