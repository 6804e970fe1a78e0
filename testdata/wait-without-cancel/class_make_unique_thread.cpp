// The shape of transmission's tr_web::Impl (RB05 in docs/real-bugs.md): the
// constructor makes the worker with std::make_unique<std::thread>(&Impl::f,
// this), the destructor joins it through the unique_ptr. The loop has no
// exit, so the join hangs.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

class Impl {
public:
  Impl() { worker_ = std::make_unique<std::thread>(&Impl::loop, this); } // want: wait-without-cancel
  ~Impl() { worker_->join(); }

private:
  void loop() {
    for (;;) {
      std::unique_lock<std::mutex> lk(mu_);
      cv_.wait(lk, [this] { return pending_ > 0; });
      pending_--;
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  int pending_ = 0;
  std::unique_ptr<std::thread> worker_;
};

void use_impl() { Impl i; }
