/* Fixed: cancelled and released in the iteration, or cancelled by its own
 * handler; other source types are not timers. */
#include <dispatch/dispatch.h>

void poll_once_each(dispatch_queue_t q, int n) {
  for (int i = 0; i < n; i++) {
    dispatch_source_t timer = dispatch_source_create(DISPATCH_SOURCE_TYPE_TIMER, 0, 0, q);
    dispatch_source_set_timer(timer, DISPATCH_TIME_NOW, NSEC_PER_SEC, 0);
    dispatch_activate(timer);
    dispatch_source_cancel(timer);
    dispatch_release(timer);
  }
}

void self_cancelling(dispatch_queue_t q, int n) {
  for (int i = 0; i < n; i++) {
    dispatch_source_t timer = dispatch_source_create(DISPATCH_SOURCE_TYPE_TIMER, 0, 0, q);
    dispatch_source_set_timer(timer, DISPATCH_TIME_NOW, DISPATCH_TIME_FOREVER, 0);
    dispatch_source_set_event_handler(timer, ^{
      dispatch_source_cancel(timer);
    });
    dispatch_resume(timer);
  }
}

void readers(dispatch_queue_t q, const int *fds, int n) {
  for (int i = 0; i < n; i++) {
    dispatch_source_t rd = dispatch_source_create(DISPATCH_SOURCE_TYPE_READ, (uintptr_t)fds[i], 0, q);
    dispatch_resume(rd);
  }
}
