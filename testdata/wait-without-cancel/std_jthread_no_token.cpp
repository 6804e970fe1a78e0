// A std::jthread whose task ignores the stop token: the jthread destructor
// requests a stop nobody sees and then blocks forever joining.
#include <condition_variable>
#include <mutex>
#include <queue>
#include <thread>

struct PlainQueue {
  std::mutex mu;
  std::condition_variable cv;
  std::queue<int> items;
};

void run_plain_worker(PlainQueue &q) {
  std::jthread t([&q] { // want: wait-without-cancel
    for (;;) {
      std::unique_lock<std::mutex> lk(q.mu);
      q.cv.wait(lk, [&q] { return !q.items.empty(); });
      q.items.pop();
    }
  });
}

void run_checked_worker(PlainQueue &q) {
  std::jthread t([&q](std::stop_token st) {
    while (!st.stop_requested()) {
      std::unique_lock<std::mutex> lk(q.mu);
      q.cv.wait_for(lk, std::chrono::milliseconds(100), [&q] { return !q.items.empty(); });
      if (!q.items.empty())
        q.items.pop();
    }
  });
}
