// GoogleTest: every test of the fixture fails if it leaves a thread behind.
// TearDown calls LEAKLINT_VERIFY_NONE() (a weak reference: the library is
// preloaded by `leaklint verify -- ./gtest_verify`; without it the check is 0
// and the tests run as usual). Clean joins its thread; Leaky leaves a detached
// thread parked on a condition variable, so Leaky fails and Clean passes.
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#define LEAKLINT_VERIFY_WEAK
#include "leaklint_verify.h"

class NoLeakedThreads : public ::testing::Test {
 protected:
  void TearDown() override { EXPECT_EQ(0, LEAKLINT_VERIFY_NONE()) << "threads leaked"; }
};

// Never destroyed: glibc's pthread_cond_destroy waits for the waiters, so a
// static condition variable with a leaked waiter would hang the exit.
static std::mutex &mu = *new std::mutex;
static std::condition_variable &cv = *new std::condition_variable;
static bool ready;

TEST_F(NoLeakedThreads, Clean) {
  std::thread t([] { std::this_thread::yield(); });
  t.join();
}

static void start_listener() {
  std::thread([] {
    std::unique_lock<std::mutex> lk(mu);
    cv.wait(lk, [] { return ready; });  // nobody sets ready
  }).detach();
}

TEST_F(NoLeakedThreads, Leaky) { start_listener(); }
