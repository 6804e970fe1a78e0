/* GCD: a block waits on a semaphore with DISPATCH_TIME_FOREVER in a loop
 * with no exit; dispatch_async tasks cannot be cancelled once running. */
#include <dispatch/dispatch.h>

static int gcd_handled;

void gcd_start(dispatch_queue_t q, dispatch_semaphore_t sem) {
  dispatch_async(q, ^{ // want: wait-without-cancel
    for (;;) {
      dispatch_semaphore_wait(sem, DISPATCH_TIME_FOREVER);
      gcd_handled++;
    }
  });
}
