// A C++ thread object that keeps the entry in a field and starts a
// trampoline calling it (nng's nni_thr shape with std::thread): the task is
// the consumer handed to thr_init, which waits on a condition variable in a
// loop with no exit.
#include <condition_variable>
#include <mutex>
#include <thread>

namespace ltx {
struct Thr {
  void (*fn)(void *);
  void *arg;
  std::thread th;
};

struct Q {
  std::mutex m;
  std::condition_variable cv;
  int n = 0;
};

static void tramp(Thr *t) { t->fn(t->arg); }

static void thr_init(Thr *t, void (*fn)(void *), void *arg) {
  t->fn = fn;
  t->arg = arg;
  t->th = std::thread(tramp, t);
}

static void consumer(void *a) {
  Q *q = static_cast<Q *>(a);
  for (;;) {
    std::unique_lock<std::mutex> lk(q->m);
    q->cv.wait(lk);
    q->n--;
  }
}

void start(Thr *t, Q *q) {
  thr_init(t, consumer, q); // want: wait-without-cancel
}
}  // namespace ltx
