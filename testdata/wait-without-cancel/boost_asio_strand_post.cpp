// boost::asio::post to a strand of an io_context: the handler parks on a
// condition variable in a loop with no exit, so the thread running the
// io_context never returns from run().
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <condition_variable>
#include <mutex>

static std::mutex strand_mu;
static std::condition_variable strand_cv;
static int strand_jobs;

void schedule(boost::asio::io_context &io) {
  auto strand = boost::asio::make_strand(io);
  boost::asio::post(strand, [] { // want: wait-without-cancel
    for (;;) {
      std::unique_lock<std::mutex> lk(strand_mu);
      strand_cv.wait(lk, [] { return strand_jobs > 0; });
      strand_jobs--;
    }
  });
}
