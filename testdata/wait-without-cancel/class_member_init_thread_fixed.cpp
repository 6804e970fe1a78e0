// Twin of class_member_init_thread.cpp: the destructor sets a stop flag under
// the mutex and notifies before the join; the worker's predicate and loop
// test it.
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

class StopLogger {
public:
  StopLogger() : worker_(&StopLogger::drain, this) {}
  ~StopLogger() {
    {
      std::lock_guard<std::mutex> lk(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    worker_.join();
  }

private:
  void drain() {
    for (;;) {
      std::unique_lock<std::mutex> lk(mu_);
      cv_.wait(lk, [this] { return stop_ || !lines_.empty(); });
      if (stop_)
        break;
      lines_.clear();
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> lines_;
  bool stop_ = false;
  std::thread worker_;
};

void use_stop_logger() { StopLogger l; }
