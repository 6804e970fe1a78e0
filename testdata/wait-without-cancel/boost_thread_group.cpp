// boost::thread_group::create_thread starts the workers; join_all waits for
// them, but their loop has no exit and nothing interrupts them (a std::
// condition variable is not a Boost interruption point), so join_all hangs.
#include <boost/thread/thread.hpp>
#include <condition_variable>
#include <mutex>

class Crawler {
public:
  explicit Crawler(int n) {
    for (int i = 0; i < n; i++)
      group_.create_thread([this] { fetch(); }); // want: wait-without-cancel
  }
  ~Crawler() { group_.join_all(); }

private:
  void fetch() {
    for (;;) {
      std::unique_lock<std::mutex> lk(mu_);
      cv_.wait(lk, [this] { return urls_ > 0; });
      urls_--;
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  int urls_ = 0;
  boost::thread_group group_;
};

void use_crawler() { Crawler c(4); }
