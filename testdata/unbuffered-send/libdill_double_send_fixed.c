/* Fixed twin: the worker returns after reporting the error. The caller
 * keeps the handle and closes it. */
#include <libdill.h>

static coroutine void worker(int ch, int input) {
  int err = -1;
  if (input < 0) {
    chsend(ch, &err, sizeof err, -1);
    return;
  }
  int v = input * 2;
  chsend(ch, &v, sizeof v, -1);
}

static int compute(int input) {
  int ch[2];
  if (chmake(ch) != 0) return -1;
  int h = go(worker(ch[0], input));
  int v = 0;
  chrecv(ch[1], &v, sizeof v, -1);
  hclose(h);
  return v;
}
