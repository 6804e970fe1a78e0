// A timer made of a thread: every request starts a detached thread that
// sleeps for the timeout and then raises a flag.
#include <atomic>
#include <chrono>
#include <thread>

static void serve_requests(int n, std::atomic<bool> *expired) {
  for (int i = 0; i < n; i++) {
    std::thread([expired] { // want: timer-per-iteration
      std::this_thread::sleep_for(std::chrono::seconds(5));
      expired[0].store(true);
    }).detach();
  }
}
