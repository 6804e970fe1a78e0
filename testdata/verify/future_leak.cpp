// A std::thread blocked on a future whose promise is never fulfilled: the
// promise lives in a registry that outlives the request, nobody sets it, and
// the thread is detached. One leaked task parked in std::future<int>::get.
#include <future>
#include <iostream>
#include <thread>
#include <vector>

// never fulfilled, never destroyed (a destroyed promise would wake the waiter)
static auto *pending = new std::vector<std::promise<int>>;

static void start_waiter() {
  pending->emplace_back();
  std::future<int> f = pending->back().get_future();
  std::thread waiter([f = std::move(f)]() mutable {
    int v = f.get();  // blocks forever
    std::cout << v << "\n";
  });
  waiter.detach();
}

int main() {
  start_waiter();
  std::cout << "done\n";
  return 0;
}
