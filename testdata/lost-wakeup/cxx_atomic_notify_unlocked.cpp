// std::condition_variable, shape 2 (writer side): an atomic flag stored and
// notify_all() called outside the std::mutex of the wait; atomicity does
// not close the window between the predicate and the block.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

class Worker {
public:
  void start() { th = std::thread(&Worker::loop, this); } // want: lost-wakeup
  void stop() {
    alive = false;
    cv.notify_all();
    th.join();
  }

private:
  void loop() {
    std::unique_lock<std::mutex> lk(mu);
    while (alive) {
      cv.wait(lk, [this] { return jobs > 0 || !alive; });
      if (jobs) --jobs;
    }
  }
  std::atomic<bool> alive{true};
  int jobs = 0;
  std::mutex mu;
  std::condition_variable cv;
  std::thread th;
};
