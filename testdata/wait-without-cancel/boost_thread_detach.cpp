// A boost::thread detached at once: its loop parks on a Boost condition
// variable with no exit and nothing interrupts it, so it leaks.
#include <boost/thread/condition_variable.hpp>
#include <boost/thread/mutex.hpp>
#include <boost/thread/thread.hpp>

static boost::mutex dw_mu;
static boost::condition_variable dw_cv;
static int dw_events;

static void watch() {
  for (;;) {
    boost::unique_lock<boost::mutex> lk(dw_mu);
    while (dw_events == 0)
      dw_cv.wait(lk);
    dw_events--;
  }
}

void start_watcher() {
  boost::thread t(watch); // want: wait-without-cancel
  t.detach();
}
