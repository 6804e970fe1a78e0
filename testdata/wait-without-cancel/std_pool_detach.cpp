// A thread pool whose workers wait for tasks forever; the destructor
// detaches them, so every worker leaks.
#include <condition_variable>
#include <functional>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

class DetachPool {
public:
  explicit DetachPool(int n) {
    for (int i = 0; i < n; i++)
      workers_.emplace_back([this] { work(); }); // want: wait-without-cancel
  }
  ~DetachPool() {
    for (auto &t : workers_)
      t.detach();
  }
  void submit(std::function<void()> f) {
    {
      std::lock_guard<std::mutex> lk(mu_);
      tasks_.push(std::move(f));
    }
    cv_.notify_one();
  }

private:
  void work() {
    while (true) {
      std::function<void()> f;
      {
        std::unique_lock<std::mutex> lk(mu_);
        cv_.wait(lk, [this] { return !tasks_.empty(); });
        f = std::move(tasks_.front());
        tasks_.pop();
      }
      f();
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::queue<std::function<void()>> tasks_;
  std::vector<std::thread> workers_;
};

void use_detach_pool() {
  DetachPool p(4);
  p.submit([] {});
}
