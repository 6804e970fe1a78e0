/* DoubleSend: the worker sends a progress value and the result. */
#include <libmill.h>

static coroutine void worker(chan ch, int x) {
  if (x > 100) chs(ch, int, -1);
  chs(ch, int, x * 2);
}

static int compute(int x) {
  chan ch = chmake(int, 0);
  go(worker(ch, x)); // want: unbuffered-send
  return chr(ch, int);
}
