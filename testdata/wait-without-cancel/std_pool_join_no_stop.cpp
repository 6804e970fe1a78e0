// The pool joins its workers in the destructor, but nothing tells them to
// stop: the destructor hangs forever.
#include <condition_variable>
#include <functional>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

class HangPool {
public:
  explicit HangPool(int n) {
    for (int i = 0; i < n; i++)
      workers_.emplace_back([this] { work(); }); // want: wait-without-cancel
  }
  ~HangPool() {
    for (auto &t : workers_)
      t.join();
  }

private:
  void work() {
    for (;;) {
      std::unique_lock<std::mutex> lk(mu_);
      cv_.wait(lk, [this] { return !tasks_.empty(); });
      auto f = std::move(tasks_.front());
      tasks_.pop();
      lk.unlock();
      f();
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::queue<std::function<void()>> tasks_;
  std::vector<std::thread> workers_;
};

void use_hang_pool() { HangPool p(2); }
