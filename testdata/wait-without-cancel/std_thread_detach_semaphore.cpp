// A detached std::thread acquires a counting semaphore forever.
#include <semaphore>
#include <thread>

static std::counting_semaphore<16> slots(0);
static int handled;

static void drain() {
  for (;;) {
    slots.acquire();
    handled++;
  }
}

void start_drain() {
  std::thread t(drain); // want: wait-without-cancel
  t.detach();
}
