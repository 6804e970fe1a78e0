// Twin of class_virtual_member_ptr.cpp: the overrider's wait predicate and
// loop test a stop flag that stop() sets and notifies before the join.
#include <condition_variable>
#include <mutex>
#include <thread>

class StopService {
public:
  virtual ~StopService() {}
  void start() { thread_ = std::thread(&StopService::loop, this); }
  void finish() {
    stop();
    thread_.join();
  }

protected:
  virtual void loop() = 0;
  virtual void stop() = 0;
  std::thread thread_;
};

class StopFeeder : public StopService {
protected:
  void loop() override {
    while (!stop_) {
      std::unique_lock<std::mutex> lk(mu_);
      cv_.wait(lk, [this] { return ready_ || stop_; });
      ready_ = false;
    }
  }
  void stop() override {
    std::lock_guard<std::mutex> lk(mu_);
    stop_ = true;
    cv_.notify_all();
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool ready_ = false, stop_ = false;
};

void use_stop_feeder() {
  StopFeeder f;
  f.start();
  f.finish();
}
