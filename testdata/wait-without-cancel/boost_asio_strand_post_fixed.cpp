// Twin of boost_asio_strand_post.cpp: the posted handler does one job and
// returns (the strand runs the next one when it is posted).
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <condition_variable>
#include <mutex>

static std::mutex one_mu;
static std::condition_variable one_cv;
static int one_jobs;

void schedule_one(boost::asio::io_context &io) {
  auto strand = boost::asio::make_strand(io);
  boost::asio::post(strand, [] {
    std::unique_lock<std::mutex> lk(one_mu);
    one_cv.wait(lk, [] { return one_jobs > 0; });
    one_jobs--;
  });
}
