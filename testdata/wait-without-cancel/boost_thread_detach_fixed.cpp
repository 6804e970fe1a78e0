// Twin of boost_thread_detach.cpp: the thread is kept, interrupted (its wait
// is a Boost interruption point) and joined.
#include <boost/thread/condition_variable.hpp>
#include <boost/thread/mutex.hpp>
#include <boost/thread/thread.hpp>

static boost::mutex iw_mu;
static boost::condition_variable iw_cv;
static int iw_events;

static void watch_interruptible() {
  for (;;) {
    boost::unique_lock<boost::mutex> lk(iw_mu);
    while (iw_events == 0)
      iw_cv.wait(lk);
    iw_events--;
  }
}

void run_interrupted_watcher() {
  boost::thread t(watch_interruptible);
  t.interrupt();
  t.join();
}
