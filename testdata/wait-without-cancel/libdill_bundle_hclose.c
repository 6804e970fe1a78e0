/* libdill: the coroutines run in a bundle that is hclose()d on shutdown. */
#include <libdill.h>

static coroutine void bworker(int ch) {
  for (;;) {
    int v;
    chrecv(ch, &v, sizeof v, -1);
  }
}

int bundle_run(int ch) {
  int b = bundle();
  if (b < 0)
    return -1;
  bundle_go(b, bworker(ch));
  msleep(now() + 100);
  return hclose(b);
}
