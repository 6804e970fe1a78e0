/* libdill: the receive loop returns when chrecv fails (ECANCELED, EPIPE). */
#include <libdill.h>

static coroutine void eworker(int ch) {
  for (;;) {
    int v;
    if (chrecv(ch, &v, sizeof v, -1) < 0)
      return;
  }
}

int eworker_start(int ch) { return go(eworker(ch)); }
