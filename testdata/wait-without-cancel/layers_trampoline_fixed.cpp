// The fix of layers_trampoline.cpp: the consumer reached through the field
// trampoline waits for work or stop, and returns on stop.
#include <condition_variable>
#include <mutex>
#include <thread>

namespace ltxf {
struct Thr {
  void (*fn)(void *);
  void *arg;
  std::thread th;
};

struct Q {
  std::mutex m;
  std::condition_variable cv;
  int n = 0;
  bool stop = false;
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
    q->cv.wait(lk, [q] { return q->n > 0 || q->stop; });
    if (q->stop) return;
    q->n--;
  }
}

void start(Thr *t, Q *q) {
  thr_init(t, consumer, q);
}
}  // namespace ltxf
