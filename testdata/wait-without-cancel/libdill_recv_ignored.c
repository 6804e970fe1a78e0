/* libdill: a bundled coroutine ignores chrecv's result, so even a failed
 * receive only restarts the loop; the bundle is never closed. */
#include <libdill.h>

static coroutine void iworker(int ch) {
  for (;;) {
    int v = 0;
    chrecv(ch, &v, sizeof v, -1);
  }
}

int iworker_start(int b, int ch) {
  return bundle_go(b, iworker(ch)); // want: wait-without-cancel
}
