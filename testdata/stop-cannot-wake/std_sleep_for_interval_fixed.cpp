// Twin of std_sleep_for_interval.cpp: wait_for on a condition_variable that
// stop() notifies, so stop does not wait out the interval.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

class FixedFlusher {
public:
  explicit FixedFlusher(std::chrono::seconds every) : interval_(every) {}
  void start() {
    running_ = true;
    t_ = std::thread([this] { loop(); });
  }
  void stop() {
    {
      std::lock_guard<std::mutex> g(m_);
      running_ = false;
    }
    cv_.notify_all();
    if (t_.joinable()) t_.join();
  }

private:
  void loop() {
    std::unique_lock<std::mutex> lk(m_);
    while (running_) {
      flush();
      cv_.wait_for(lk, interval_, [this] { return !running_; });
    }
  }
  void flush() {}
  std::chrono::seconds interval_;
  std::mutex m_;
  std::condition_variable cv_;
  bool running_ = false;
  std::thread t_;
};

void run_fixed_flusher() {
  FixedFlusher f(std::chrono::seconds(30));
  f.start();
  f.stop();
}
