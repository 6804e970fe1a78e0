/* Twin of gcd_semaphore_forever.c: a finite timeout and a stop flag the loop
 * checks. */
#include <dispatch/dispatch.h>

static int gcd_t_handled;
static volatile int gcd_t_stop;

void gcd_t_start(dispatch_queue_t q, dispatch_semaphore_t sem) {
  dispatch_async(q, ^{
    while (!gcd_t_stop) {
      if (dispatch_semaphore_wait(sem, dispatch_time(DISPATCH_TIME_NOW, 100000000)) != 0)
        continue;
      gcd_t_handled++;
    }
  });
}

void gcd_t_stop_all(void) { gcd_t_stop = 1; }
