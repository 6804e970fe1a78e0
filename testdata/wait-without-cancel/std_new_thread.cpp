// A std::thread made with new: the pointer is the handle, and the join
// through it hangs because the consumer's loop has no exit.
#include <condition_variable>
#include <mutex>
#include <thread>

static std::mutex new_mu;
static std::condition_variable new_cv;
static int new_items;

static void consume() {
  for (;;) {
    std::unique_lock<std::mutex> lk(new_mu);
    new_cv.wait(lk, [] { return new_items > 0; });
    new_items--;
  }
}

void run_consumer() {
  std::thread *t = new std::thread(consume); // want: wait-without-cancel
  t->join();
  delete t;
}
