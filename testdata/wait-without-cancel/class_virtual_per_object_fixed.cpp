// The fix of class_virtual_per_object.cpp: the worker's run() waits on a
// predicate that also reads a stop flag, and stop() sets it under the lock
// and notifies, so the join after stop() returns.
#include <condition_variable>
#include <mutex>
#include <pthread.h>

class PofThread {
public:
  virtual ~PofThread() {}
  void start() { pthread_create(&tid_, nullptr, &PofThread::entry, this); }
  void join() { pthread_join(tid_, nullptr); }

protected:
  virtual void run() = 0;

private:
  static void *entry(void *self) {
    static_cast<PofThread *>(self)->run();
    return nullptr;
  }
  pthread_t tid_;
};

class PofStoppable : public PofThread {
public:
  void stop() {
    std::lock_guard<std::mutex> lk(mu_);
    stop_ = true;
    cv_.notify_all();
  }

protected:
  void run() override {
    for (;;) {
      std::unique_lock<std::mutex> lk(mu_);
      cv_.wait(lk, [this] { return jobs_ > 0 || stop_; });
      if (stop_) return;
      jobs_--;
    }
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  int jobs_ = 0;
  bool stop_ = false;
};

class PofOnce : public PofThread {
protected:
  void run() override {}
};

void pof_local() {
  PofStoppable s;
  s.start();
  s.stop();
  s.join();
}

void pof_once() {
  PofOnce o;
  o.start();
  o.join();
}
