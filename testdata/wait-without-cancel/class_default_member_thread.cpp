// A std::thread started by a default member initialiser, in a class that
// declares no constructor: every Pump starts the task, and ~Pump's join
// hangs because the loop has no exit.
#include <condition_variable>
#include <mutex>
#include <thread>

class Pump {
public:
  ~Pump() { thread_.join(); }
  void kick() {
    std::lock_guard<std::mutex> lk(mu_);
    kicked_ = true;
    cv_.notify_one();
  }

private:
  void run() {
    for (;;) {
      std::unique_lock<std::mutex> lk(mu_);
      cv_.wait(lk, [this] { return kicked_; });
      kicked_ = false;
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  bool kicked_ = false;
  std::thread thread_{&Pump::run, this}; // want: wait-without-cancel
};

void use_pump() {
  Pump p;
  p.kick();
}
