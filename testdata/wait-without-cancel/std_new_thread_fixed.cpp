// Twin of std_new_thread.cpp: the consumer returns on a stop flag set under
// the mutex and notified before the join through the pointer.
#include <condition_variable>
#include <mutex>
#include <thread>

static std::mutex done_mu;
static std::condition_variable done_cv;
static int done_items;
static bool done;

static void consume_until_done() {
  for (;;) {
    std::unique_lock<std::mutex> lk(done_mu);
    done_cv.wait(lk, [] { return done || done_items > 0; });
    if (done)
      return;
    done_items--;
  }
}

void run_stopping_consumer() {
  std::thread *t = new std::thread(consume_until_done);
  {
    std::lock_guard<std::mutex> lk(done_mu);
    done = true;
  }
  done_cv.notify_all();
  t->join();
  delete t;
}
