// Twin of class_default_member_thread.cpp: a std::jthread member whose task
// takes the stop token and waits with condition_variable_any::wait(lock,
// token, pred); the jthread's destructor requests the stop and joins.
#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <thread>

class TokenPump {
public:
  void kick() {
    std::lock_guard<std::mutex> lk(mu_);
    kicked_ = true;
    cv_.notify_one();
  }

private:
  void run(std::stop_token st) {
    while (!st.stop_requested()) {
      std::unique_lock<std::mutex> lk(mu_);
      if (!cv_.wait(lk, st, [this] { return kicked_; }))
        return;
      kicked_ = false;
    }
  }
  std::mutex mu_;
  std::condition_variable_any cv_;
  bool kicked_ = false;
  std::jthread thread_{[this](std::stop_token st) { run(st); }};
};

void use_token_pump() {
  TokenPump p;
  p.kick();
}
