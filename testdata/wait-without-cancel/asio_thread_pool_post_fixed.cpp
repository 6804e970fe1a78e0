// Twin of asio_thread_pool_post.cpp: the posted handler returns on a stop
// flag set under the mutex and notified before pool.join().
#include <asio/post.hpp>
#include <asio/thread_pool.hpp>
#include <condition_variable>
#include <mutex>

static std::mutex enc_mu;
static std::condition_variable enc_cv;
static int enc_frames;
static bool done;

static void encode_until_done() {
  for (;;) {
    std::unique_lock<std::mutex> lk(enc_mu);
    enc_cv.wait(lk, [] { return done || enc_frames > 0; });
    if (done)
      return;
    enc_frames--;
  }
}

void run_stopping_encoder() {
  asio::thread_pool pool(2);
  asio::post(pool, encode_until_done);
  {
    std::lock_guard<std::mutex> lk(enc_mu);
    done = true;
  }
  enc_cv.notify_all();
  pool.join();
}
