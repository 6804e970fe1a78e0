/* Twin of libdill_ticker_forever.c: the handle is kept and hclose()d on
 * shutdown (msleep then fails with ECANCELED). */
#include <libdill.h>

extern void poll_stats2(void);

static coroutine void ticker2(void) {
  for (;;) {
    msleep(now() + 1000);
    poll_stats2();
  }
}

static int ticker_handle = -1;

void ticker2_start(void) { ticker_handle = go(ticker2()); }

void ticker2_stop(void) { hclose(ticker_handle); }
