/* EarlyReturn: the caller bails out before receiving; the coroutine is
 * stuck in chsend and its handle is gone. */
#include <libdill.h>

static coroutine void worker(int ch) {
  int v = 42;
  chsend(ch, &v, sizeof v, -1);
}

static int fetch(int fail) {
  int ch[2];
  if (chmake(ch) != 0) return -1;
  int h = go(worker(ch[0])); // want: unbuffered-send
  if (fail) return -1;
  int v = 0;
  chrecv(ch[1], &v, sizeof v, -1);
  hclose(h);
  return v;
}
