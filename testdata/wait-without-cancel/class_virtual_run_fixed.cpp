// Twin of class_virtual_run.cpp: the overrider's loop and its wait predicate
// test a stop flag that stop() sets under the mutex before notifying, so
// run() returns and the join ends.
#include <condition_variable>
#include <mutex>
#include <pthread.h>

class StoppableThread {
public:
  virtual ~StoppableThread() {}
  void start() { pthread_create(&tid_, nullptr, &StoppableThread::entry, this); }
  void join() { pthread_join(tid_, nullptr); }

protected:
  virtual void run() = 0;

private:
  static void *entry(void *self) {
    static_cast<StoppableThread *>(self)->run();
    return nullptr;
  }
  pthread_t tid_;
};

class StoppableWorker : public StoppableThread {
public:
  void stop() {
    std::lock_guard<std::mutex> lk(mu_);
    stop_ = true;
    cv_.notify_all();
  }

protected:
  void run() override {
    while (true) {
      std::unique_lock<std::mutex> lk(mu_);
      cv_.wait(lk, [this] { return stop_ || jobs_ > 0; });
      if (stop_)
        return;
      jobs_--;
    }
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  int jobs_ = 0;
  bool stop_ = false;
};

void use_stoppable_worker() {
  StoppableWorker w;
  w.start();
  w.stop();
  w.join();
}
