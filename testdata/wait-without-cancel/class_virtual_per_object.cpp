// A thread class whose virtual run() has several overriders: which one a
// thread runs depends on the object start() is called on. Where the caller's
// object has a known class (a local, a member, a new-expression), that start()
// is a spawn of that class's own run(): PoStuck's waits for jobs in a loop
// with no exit, so the join hangs; PoOnce's returns (silent). A start() on a
// PoThread pointer could run either: silent (class_virtual_ambiguous.cpp).
#include <condition_variable>
#include <mutex>
#include <pthread.h>

class PoThread {
public:
  virtual ~PoThread() {}
  void start() { pthread_create(&tid_, nullptr, &PoThread::entry, this); }
  void join() { pthread_join(tid_, nullptr); }

protected:
  virtual void run() = 0;

private:
  static void *entry(void *self) {
    static_cast<PoThread *>(self)->run();
    return nullptr;
  }
  pthread_t tid_;
};

class PoStuck : public PoThread {
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

class PoOnce : public PoThread {
protected:
  void run() override {}
};

void po_local() {
  PoStuck s;
  s.start(); // want: wait-without-cancel
  s.join();
}

void po_once() {
  PoOnce o;
  o.start();
  o.join();
}

class PoOwner {
public:
  void go() { worker_.start(); } // want: wait-without-cancel
  ~PoOwner() { worker_.join(); }

private:
  PoStuck worker_;
};

void po_unknown(PoThread *t) {
  t->start();
  t->join();
}
