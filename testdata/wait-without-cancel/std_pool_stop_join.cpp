// Twin of std_pool_join_no_stop.cpp: the predicate reads a stop flag, the
// worker returns after it, and the destructor sets it, notifies and joins.
#include <condition_variable>
#include <functional>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

class StopPool {
public:
  explicit StopPool(int n) {
    for (int i = 0; i < n; i++)
      workers_.emplace_back([this] { work(); });
  }
  ~StopPool() {
    {
      std::lock_guard<std::mutex> lk(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto &t : workers_)
      t.join();
  }

private:
  void work() {
    for (;;) {
      std::unique_lock<std::mutex> lk(mu_);
      cv_.wait(lk, [this] { return stop_ || !tasks_.empty(); });
      if (stop_ && tasks_.empty())
        return;
      auto f = std::move(tasks_.front());
      tasks_.pop();
      lk.unlock();
      f();
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::queue<std::function<void()>> tasks_;
  bool stop_ = false;
  std::vector<std::thread> workers_;
};

void use_stop_pool() { StopPool p(2); }
