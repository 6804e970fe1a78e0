/* GCD: a function task waits for a group forever, in a loop with no exit. */
#include <dispatch/dispatch.h>

static void gcd_collect(void *ctx) {
  dispatch_group_t g = ctx;
  for (;;)
    dispatch_group_wait(g, DISPATCH_TIME_FOREVER);
}

void gcd_collect_start(dispatch_queue_t q, dispatch_group_t g) {
  dispatch_async_f(q, g, gcd_collect); // want: wait-without-cancel
}
