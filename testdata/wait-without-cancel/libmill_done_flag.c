/* Twin of libmill_poll_forever.c: the loop ends when a flag is set. */
#include <libmill.h>

extern int mill_poll2(void);
static int mill_done;

static coroutine void mill_poller2(void) {
  while (!mill_done) {
    msleep(now() + 100);
    mill_poll2();
  }
}

void mill_poller2_start(void) { go(mill_poller2()); }
void mill_poller2_stop(void) { mill_done = 1; }
