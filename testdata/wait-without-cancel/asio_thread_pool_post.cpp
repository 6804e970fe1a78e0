// A handler posted to an asio::thread_pool loops on a condition variable with
// no exit: it keeps one of the pool's threads for ever, and pool.join()
// hangs (stop() would not help: it only drops work that has not started).
#include <asio/post.hpp>
#include <asio/thread_pool.hpp>
#include <condition_variable>
#include <mutex>

static std::mutex pool_mu;
static std::condition_variable pool_cv;
static int pool_frames;

static void encode_frames() {
  for (;;) {
    std::unique_lock<std::mutex> lk(pool_mu);
    pool_cv.wait(lk, [] { return pool_frames > 0; });
    pool_frames--;
  }
}

void run_encoder() {
  asio::thread_pool pool(2);
  asio::post(pool, encode_frames); // want: wait-without-cancel
  pool.stop();
  pool.join();
}
