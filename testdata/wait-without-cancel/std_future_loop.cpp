// A thread that waits on futures handed to it through a queue, in a loop
// with no exit.
#include <future>
#include <thread>
#include <vector>

struct Collector {
  std::vector<std::shared_future<int>> pending;
  long total = 0;
  std::thread th;
  void start() {
    th = std::thread([this] { // want: wait-without-cancel
      for (size_t i = 0;; i = (i + 1) % 8) {
        if (i < pending.size())
          total += pending[i].get();
      }
    });
  }
  void stop() { th.join(); }
};
