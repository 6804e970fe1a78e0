/* Timeout: choose with a deadline in the caller; when it fires, the
 * worker stays blocked in chs. */
#include <libmill.h>

static coroutine void worker(chan ch) {
  chs(ch, int, 42);
}

static int fetch_with_timeout(void) {
  chan ch = chmake(int, 0);
  go(worker(ch)); // want: unbuffered-send
  int r = 0;
  choose {
  in(ch, int, v):
    r = v;
  deadline(now() + 100):
    r = -1;
  end
  }
  return r;
}
