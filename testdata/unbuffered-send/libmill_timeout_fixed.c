/* Fixed twin: the worker sends inside choose with a deadline of its own,
 * so it gives up too when nobody receives. */
#include <libmill.h>

static coroutine void worker(chan ch) {
  choose {
  out(ch, int, 42):
    break;
  deadline(now() + 200):
    break;
  end
  }
}

static int fetch_with_timeout(void) {
  chan ch = chmake(int, 0);
  go(worker(ch));
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
