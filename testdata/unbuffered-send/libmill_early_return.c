/* EarlyReturn: the caller returns before chr; the coroutine blocks in chs
 * forever (libmill coroutines cannot be cancelled). */
#include <libmill.h>

static coroutine void worker(chan ch) {
  chs(ch, int, 42);
  chclose(ch);
}

static int fetch(int fail) {
  chan ch = chmake(int, 0);
  go(worker(chdup(ch))); // want: unbuffered-send
  if (fail) return -1;
  int v = chr(ch, int);
  chclose(ch);
  return v;
}
