// NCast through a pool: std::thread constructed in place in a vector,
// every worker sends, the caller receives once and detaches the rest.
#include <chan.h>
#include <thread>
#include <vector>

static void work(chan_t *c, int id) { chan_send_int32(c, id); }

static int first_of(int n) {
  chan_t *c = chan_init(0);
  std::vector<std::thread> pool;
  for (int i = 0; i < n; i++)
    pool.emplace_back(work, c, i); // want: unbuffered-send
  int32_t v = 0;
  chan_recv_int32(c, &v);
  for (auto &t : pool) t.detach();
  return v;
}
