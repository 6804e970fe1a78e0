/* Fixed twin: the value is sent on every path (libtask has no close). */
#include <task.h>

static void consumer(void *arg) {
  Channel *c = arg;
  unsigned long v = chanrecvul(c);
  (void)v;
}

static int producer(int ok) {
  Channel *c = chancreate(sizeof(unsigned long), 0);
  taskcreate(consumer, c, 32768);
  chansendul(c, ok ? 5 : 0);
  return ok ? 0 : -1;
}
