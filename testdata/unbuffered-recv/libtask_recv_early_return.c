/* EarlyReturn, receive side, libtask: the task waits for one value. */
#include <task.h>

static void consumer(void *arg) {
  Channel *c = arg;
  unsigned long v = chanrecvul(c);
  (void)v;
}

static int producer(int ok) {
  Channel *c = chancreate(sizeof(unsigned long), 0);
  taskcreate(consumer, c, 32768); // want: unbuffered-recv
  if (!ok) return -1;
  chansendul(c, 5);
  return 0;
}
