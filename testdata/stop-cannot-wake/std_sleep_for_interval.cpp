// Shape 7 (std): the flusher sleeps for a configured interval between passes;
// stop() clears running_ and joins, so it waits out the whole sleep.
#include <atomic>
#include <chrono>
#include <thread>

class Flusher {
public:
  explicit Flusher(std::chrono::seconds every) : interval_(every) {}
  void start() {
    running_ = true;
    t_ = std::thread(&Flusher::loop, this, interval_); // want: stop-cannot-wake "sleeps in this_thread::sleep_for"
  }
  void stop() {
    running_ = false;
    if (t_.joinable()) t_.join();
  }

private:
  void loop(std::chrono::seconds every) {
    while (running_.load()) {
      flush();
      std::this_thread::sleep_for(every);
    }
  }
  void flush() {}
  std::chrono::seconds interval_;
  std::atomic<bool> running_{false};
  std::thread t_;
};

void run_flusher() {
  Flusher f(std::chrono::seconds(30));
  f.start();
  f.stop();
}
