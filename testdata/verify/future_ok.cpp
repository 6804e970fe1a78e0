// The fixed twin of future_leak.cpp: the promise is fulfilled and the thread
// joined.
#include <future>
#include <iostream>
#include <thread>

int main() {
  std::promise<int> p;
  std::future<int> f = p.get_future();
  std::thread waiter([f = std::move(f)]() mutable { std::cout << f.get() << "\n"; });
  p.set_value(42);
  waiter.join();
  std::cout << "done\n";
  return 0;
}
