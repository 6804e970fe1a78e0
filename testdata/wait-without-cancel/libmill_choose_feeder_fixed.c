/* The fix of libmill_choose_feeder.c: the feeder also selects on a quit
 * channel the owner marks done, and returns when it fires. */
#include <libmill.h>

static coroutine void lcff_feeder(chan ch, chan quit, int v) {
  while (1) {
    choose {
    out(ch, int, v):
    in(quit, int, q):
      (void)q;
      return;
    end
    }
  }
}

int lcff_main(void) {
  chan ch = chmake(int, 0);
  chan quit = chmake(int, 0);
  go(lcff_feeder(chdup(ch), chdup(quit), 42));
  int got = chr(ch, int);
  chdone(quit, int, 0);
  chclose(ch);
  chclose(quit);
  return got;
}
