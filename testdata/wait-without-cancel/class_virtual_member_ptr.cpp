// The base class starts a std::thread on a pointer to its virtual loop()
// (&Service::loop dispatches to the object's overrider). The one overrider
// parks on a condition variable in a loop with no exit, so ~Service's join
// hangs.
#include <condition_variable>
#include <mutex>
#include <thread>

class Service {
public:
  virtual ~Service() { thread_.join(); }
  void start() { thread_ = std::thread(&Service::loop, this); } // want: wait-without-cancel

protected:
  virtual void loop() = 0;
  std::thread thread_;
};

class Feeder : public Service {
protected:
  void loop() override {
    for (;;) {
      std::unique_lock<std::mutex> lk(mu_);
      cv_.wait(lk, [this] { return ready_; });
      ready_ = false;
    }
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool ready_ = false;
};

void use_feeder() {
  Feeder f;
  f.start();
}
