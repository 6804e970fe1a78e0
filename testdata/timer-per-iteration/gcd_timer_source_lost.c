/* A dispatch timer source created, armed and resumed per iteration and
 * never cancelled: it fires forever. */
#include <dispatch/dispatch.h>

void poll_all(dispatch_queue_t q, int n) {
  for (int i = 0; i < n; i++) {
    dispatch_source_t timer = dispatch_source_create(DISPATCH_SOURCE_TYPE_TIMER, 0, 0, q); // want: timer-per-iteration
    dispatch_source_set_timer(timer, dispatch_time(DISPATCH_TIME_NOW, NSEC_PER_SEC), NSEC_PER_SEC,
                              NSEC_PER_MSEC);
    dispatch_source_set_event_handler(timer, ^{
      /* poll device i */
    });
    dispatch_resume(timer);
  }
}
