// A thread class: start() hands a static trampoline and `this` to
// pthread_create, and the trampoline calls the virtual run(). The only
// overrider, VrWorker::run, waits for jobs in a loop with no exit, so the
// pthread_join in join() hangs forever (the shape of sems' AmThread, RB20 in
// docs/real-bugs.md).
#include <condition_variable>
#include <mutex>
#include <pthread.h>

class VrThread {
public:
  virtual ~VrThread() {}
  void start() { pthread_create(&tid_, nullptr, &VrThread::entry, this); } // want: wait-without-cancel
  void join() { pthread_join(tid_, nullptr); }

protected:
  virtual void run() = 0;

private:
  static void *entry(void *self) {
    static_cast<VrThread *>(self)->run();
    return nullptr;
  }
  pthread_t tid_;
};

class VrWorker : public VrThread {
public:
  void add() {
    std::lock_guard<std::mutex> lk(mu_);
    jobs_++;
    cv_.notify_one();
  }

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

void use_worker() {
  VrWorker w;
  w.start();
  w.add();
  w.join();
}
