// Fixed twin: the caller receives one answer per worker.
#include <chan.h>
#include <thread>
#include <vector>

static void work(chan_t *c, int id) { chan_send_int32(c, id); }

static int first_of(int n) {
  chan_t *c = chan_init(0);
  std::vector<std::thread> pool;
  for (int i = 0; i < n; i++)
    pool.emplace_back(work, c, i);
  int32_t best = 0;
  for (int i = 0; i < n; i++) {
    int32_t v = 0;
    chan_recv_int32(c, &v);
    if (v > best) best = v;
  }
  for (auto &t : pool) t.join();
  return best;
}
