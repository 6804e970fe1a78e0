/* libdill: a coroutine that sleeps and polls in a loop with no exit; its
 * handle is dropped, so nothing can hclose it. */
#include <libdill.h>

extern void poll_stats(void);

static coroutine void ticker(void) {
  for (;;) {
    msleep(now() + 1000);
    poll_stats();
  }
}

void ticker_start(void) {
  go(ticker()); // want: wait-without-cancel
}
