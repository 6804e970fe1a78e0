// A C++ spawn wrapper that forwards its entry and argument to std::thread
// and detaches, and a queue whose member pop() waits on its own condition
// variable: the worker pops forever, so it never finishes.
#include <condition_variable>
#include <mutex>
#include <queue>
#include <thread>

namespace lwx {
struct Queue {
  std::mutex m;
  std::condition_variable cv;
  std::queue<int> q;
  void wait_nonempty(std::unique_lock<std::mutex> &lk) { cv.wait(lk); }
};

static void start_detached(void (*fn)(Queue *), Queue *q) {
  std::thread t(fn, q);
  t.detach();
}

static void worker(Queue *q) {
  for (;;) {
    std::unique_lock<std::mutex> lk(q->m);
    while (q->q.empty()) q->wait_nonempty(lk);
    q->q.pop();
  }
}

void run(Queue *q) {
  start_detached(worker, q); // want: wait-without-cancel
}
}  // namespace lwx
