// std::jthread whose task takes the stop token and waits with
// condition_variable_any::wait(lock, token, pred): the jthread destructor's
// request_stop ends the wait.
#include <condition_variable>
#include <mutex>
#include <queue>
#include <stop_token>
#include <thread>

struct TokenQueue {
  std::mutex mu;
  std::condition_variable_any cv;
  std::queue<int> items;
};

void run_token_worker(TokenQueue &q) {
  std::jthread t([&q](std::stop_token st) {
    for (;;) {
      std::unique_lock<std::mutex> lk(q.mu);
      if (!q.cv.wait(lk, st, [&q] { return !q.items.empty(); }))
        return;
      q.items.pop();
    }
  });
  q.cv.notify_one();
}

void run_token_loop(TokenQueue &q) {
  std::jthread t([&q](std::stop_token st) {
    for (;;) {
      std::unique_lock<std::mutex> lk(q.mu);
      q.cv.wait(lk, st, [&q] { return !q.items.empty(); });
      if (!q.items.empty())
        q.items.pop();
    }
  });
}
