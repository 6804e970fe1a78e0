/* Fixed twin: room for both messages. */
#include <libmill.h>

static coroutine void worker(chan ch, int x) {
  if (x > 100) chs(ch, int, -1);
  chs(ch, int, x * 2);
}

static int compute(int x) {
  chan ch = chmake(int, 2);
  go(worker(ch, x));
  return chr(ch, int);
}
