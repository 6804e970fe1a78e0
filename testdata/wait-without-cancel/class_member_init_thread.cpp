// A std::thread member started in the constructor's member-initialiser list
// and joined in the destructor. The loop has no exit, so ~Logger hangs: the
// member is the task's handle, and its join is the one that hangs.
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

class Logger {
public:
  Logger() : worker_(&Logger::drain, this) {} // want: wait-without-cancel
  ~Logger() { worker_.join(); }
  void log(std::string s) {
    std::lock_guard<std::mutex> lk(mu_);
    lines_.push_back(std::move(s));
    cv_.notify_one();
  }

private:
  void drain() {
    for (;;) {
      std::unique_lock<std::mutex> lk(mu_);
      cv_.wait(lk, [this] { return !lines_.empty(); });
      lines_.clear();
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> lines_;
  std::thread worker_;
};

void use_logger() {
  Logger l;
  l.log("x");
}
