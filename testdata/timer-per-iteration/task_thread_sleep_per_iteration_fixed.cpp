// Fixed twin: one timer thread for the whole loop, joined at the end.
#include <atomic>
#include <chrono>
#include <thread>

static void serve_requests_fixed(int n, std::atomic<bool> *expired) {
  std::thread timer([expired] {
    std::this_thread::sleep_for(std::chrono::seconds(5));
    expired[0].store(true);
  });
  for (int i = 0; i < n; i++) {
    if (expired[0].load()) break;
  }
  timer.join();
}
