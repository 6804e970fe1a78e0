// The fix of layers_init_aggregate.cpp: the worker named by the aggregate
// leaves its loop once the queue's stop flag is set (and the waiter is
// woken), and the starter stops and joins it.
#include <condition_variable>
#include <mutex>
#include <thread>

namespace liaf {
struct Q {
  std::mutex m;
  std::condition_variable cv;
  int n = 0;
  bool stop = false;
};

struct Ops {
  const char *name;
  void (*run)(Q *);
};

static void consumer(Q *q) {
  std::unique_lock<std::mutex> lk(q->m);
  while (!q->stop) {
    q->cv.wait(lk);
    q->n--;
  }
}

static const Ops ops{"consumer", consumer};

void start(Q *q) {
  std::thread th(ops.run, q);
  {
    std::lock_guard<std::mutex> g(q->m);
    q->stop = true;
  }
  q->cv.notify_all();
  th.join();
}
}  // namespace liaf
