/* A libmill feeder that sends inside `choose { out(...) end }` in a loop
 * with no exit (libmill tests/choose.c's feeder2): the blocking call is the
 * choose block's wait, which has no deadline and no otherwise clause. */
#include <libmill.h>

static coroutine void lcf_feeder(chan ch, int v) {
  while (1) {
    choose {
    out(ch, int, v):
    end
    }
  }
}

int lcf_main(void) {
  chan ch = chmake(int, 0);
  go(lcf_feeder(chdup(ch), 42)); // want: wait-without-cancel
  int got = chr(ch, int);
  chclose(ch);
  return got;
}
