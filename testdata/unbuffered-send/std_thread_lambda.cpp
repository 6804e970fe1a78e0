// A lambda task capturing the channel by reference.
#include <chan.h>
#include <thread>

static int compute(int x) {
  chan_t *c = chan_init(0);
  std::thread t([&c, x] { chan_send_int32(c, x * 2); }); // want: unbuffered-send
  t.detach();
  if (x < 0) return -1;
  int32_t v = 0;
  chan_recv_int32(c, &v);
  return v;
}
