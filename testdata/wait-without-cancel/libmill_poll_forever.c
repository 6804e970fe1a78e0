/* libmill: a coroutine that sleeps and polls forever; libmill coroutines
 * cannot be cancelled. */
#include <libmill.h>

extern int mill_poll(void);

static coroutine void mill_poller(void) {
  for (;;) {
    msleep(now() + 100);
    mill_poll();
  }
}

void mill_poller_start(void) {
  go(mill_poller()); // want: wait-without-cancel
}
