// Twin of boost_thread_group.cpp: the workers wait on a Boost condition
// variable (an interruption point) and the destructor interrupts the group
// before join_all.
#include <boost/thread/condition_variable.hpp>
#include <boost/thread/mutex.hpp>
#include <boost/thread/thread.hpp>

class InterruptCrawler {
public:
  explicit InterruptCrawler(int n) {
    for (int i = 0; i < n; i++)
      group_.create_thread([this] { fetch(); });
  }
  ~InterruptCrawler() {
    group_.interrupt_all();
    group_.join_all();
  }

private:
  void fetch() {
    for (;;) {
      boost::unique_lock<boost::mutex> lk(mu_);
      cv_.wait(lk, [this] { return urls_ > 0; });
      urls_--;
    }
  }
  boost::mutex mu_;
  boost::condition_variable cv_;
  int urls_ = 0;
  boost::thread_group group_;
};

void use_interrupt_crawler() { InterruptCrawler c(4); }
