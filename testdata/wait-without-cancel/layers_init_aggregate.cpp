// A C++ callback table: an aggregate `Ops` initialised in braces at
// namespace scope names the worker; std::thread starts ops.run. The only
// function ever stored in that field is consumer, which waits on a
// condition variable in a loop with no exit.
#include <condition_variable>
#include <mutex>
#include <thread>

namespace lia {
struct Q {
  std::mutex m;
  std::condition_variable cv;
  int n = 0;
};

struct Ops {
  const char *name;
  void (*run)(Q *);
};

static void consumer(Q *q) {
  for (;;) {
    std::unique_lock<std::mutex> lk(q->m);
    q->cv.wait(lk);
    q->n--;
  }
}

static const Ops ops{"consumer", consumer};

void start(Q *q) {
  std::thread th(ops.run, q); // want: wait-without-cancel
  th.detach();
}
}  // namespace lia
