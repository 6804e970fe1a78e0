/* DoubleSend: the worker reports an error and then the result as well;
 * the caller reads one message and leaves. */
#include <libdill.h>

static coroutine void worker(int ch, int input) {
  int err = -1;
  if (input < 0) chsend(ch, &err, sizeof err, -1);
  int v = input * 2;
  chsend(ch, &v, sizeof v, -1);
}

static int compute(int input) {
  int ch[2];
  if (chmake(ch) != 0) return -1;
  go(worker(ch[0], input)); // want: unbuffered-send
  int v = 0;
  chrecv(ch[1], &v, sizeof v, -1);
  return v;
}
