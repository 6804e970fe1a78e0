// The fix of layers_wrapper.cpp: the worker started through the wrapper
// returns when the owner sets stop and notifies.
#include <condition_variable>
#include <mutex>
#include <queue>
#include <thread>

namespace lwxf {
struct Queue {
  std::mutex m;
  std::condition_variable cv;
  std::queue<int> q;
  bool stop = false;
  void wait_nonempty(std::unique_lock<std::mutex> &lk) { cv.wait(lk); }
};

static void start_detached(void (*fn)(Queue *), Queue *q) {
  std::thread t(fn, q);
  t.detach();
}

static void worker(Queue *q) {
  for (;;) {
    std::unique_lock<std::mutex> lk(q->m);
    while (q->q.empty() && !q->stop) q->wait_nonempty(lk);
    if (q->stop) return;
    q->q.pop();
  }
}

void run(Queue *q) {
  start_detached(worker, q);
}
}  // namespace lwxf
