/* Fixed twin: the coroutine's handle is closed on the early-return path
 * too (its chsend then fails with ECANCELED). */
#include <libdill.h>

static coroutine void worker(int ch) {
  int v = 42;
  chsend(ch, &v, sizeof v, -1);
}

static int fetch(int fail) {
  int ch[2];
  if (chmake(ch) != 0) return -1;
  int h = go(worker(ch[0]));
  if (fail) {
    hclose(h);
    return -1;
  }
  int v = 0;
  chrecv(ch[1], &v, sizeof v, -1);
  hclose(h);
  return v;
}
