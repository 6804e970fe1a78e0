// Twin of std_cv_stop_no_notify.cpp: notify_all() after setting the flag.

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

class FixedPool {
public:
  FixedPool() { t_ = std::thread(&FixedPool::run, this); }
  ~FixedPool() {
    {
      std::lock_guard<std::mutex> g(m_);
      stop_ = true;
    }
    cv_.notify_all();
    t_.join();
  }
  void post(std::function<void()> f) {
    std::lock_guard<std::mutex> g(m_);
    q_.push_back(std::move(f));
    cv_.notify_one();
  }

private:
  void run() {
    for (;;) {
      std::unique_lock<std::mutex> lk(m_);
      cv_.wait(lk, [this] { return stop_ || !q_.empty(); });
      if (stop_) return;
      auto f = std::move(q_.front());
      q_.pop_front();
      lk.unlock();
      f();
    }
  }
  std::mutex m_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> q_;
  bool stop_ = false;
  std::thread t_;
};

FixedPool *make_fixed_pool() { return new FixedPool; }
