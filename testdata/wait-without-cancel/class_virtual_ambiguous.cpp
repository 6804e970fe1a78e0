// Two classes override the virtual run() the trampoline calls. Which one a
// thread runs depends on the object start() is called on, which the analysis
// does not follow: it says nothing rather than pick one (Stuck::run would be
// a finding if it were the only overrider, see class_virtual_run.cpp).
#include <condition_variable>
#include <mutex>
#include <pthread.h>

class TwoWayThread {
public:
  virtual ~TwoWayThread() {}
  void start() { pthread_create(&tid_, nullptr, &TwoWayThread::entry, this); }
  void join() { pthread_join(tid_, nullptr); }

protected:
  virtual void run() = 0;

private:
  static void *entry(void *self) {
    static_cast<TwoWayThread *>(self)->run();
    return nullptr;
  }
  pthread_t tid_;
};

class Stuck : public TwoWayThread {
protected:
  void run() override {
    for (;;) {
      std::unique_lock<std::mutex> lk(mu_);
      cv_.wait(lk, [this] { return jobs_ > 0; });
      jobs_--;
    }
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  int jobs_ = 0;
};

class Once : public TwoWayThread {
protected:
  void run() override {}
};

void use_two_way() {
  Stuck s;
  Once o;
  o.start();
  o.join();
  (void)s;
}
