// A detached thread arrives at a barrier in a loop with no exit; once the
// other participants stop, it parks in arrive_and_wait forever.
#include <barrier>
#include <thread>

static std::barrier<> sync_point(2);

void start_phase_worker() {
  std::thread([] { // want: wait-without-cancel
    for (;;)
      sync_point.arrive_and_wait();
  }).detach();
}
