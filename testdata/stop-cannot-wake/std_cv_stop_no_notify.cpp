// Shape 1 (std): the destructor sets stop_ under the mutex and joins, but
// never notifies the condition_variable the worker waits on.
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

class Pool {
public:
  Pool() { t_ = std::thread(&Pool::run, this); } // want: stop-cannot-wake
  ~Pool() {
    {
      std::lock_guard<std::mutex> g(m_);
      stop_ = true;
    }
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

Pool *make_pool() { return new Pool; }
