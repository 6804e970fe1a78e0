// Twin of class_make_unique_thread.cpp: the loop ends on a stop flag that the
// destructor sets under the mutex and notifies before joining.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

class StopImpl {
public:
  StopImpl() { worker_ = std::make_unique<std::thread>(&StopImpl::loop, this); }
  ~StopImpl() {
    {
      std::lock_guard<std::mutex> lk(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    worker_->join();
  }

private:
  void loop() {
    std::unique_lock<std::mutex> lk(mu_);
    while (!stop_) {
      cv_.wait(lk, [this] { return stop_ || pending_ > 0; });
      if (pending_ > 0)
        pending_--;
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  int pending_ = 0;
  bool stop_ = false;
  std::unique_ptr<std::thread> worker_;
};

void use_stop_impl() { StopImpl i; }
