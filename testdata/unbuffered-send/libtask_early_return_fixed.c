/* Fixed twin: a one-slot buffer. */
#include <task.h>

static void worker(void *arg) {
  Channel *c = arg;
  chansendul(c, 42);
}

static int fetch(int fail) {
  Channel *c = chancreate(sizeof(unsigned long), 1);
  taskcreate(worker, c, 32768);
  if (fail) return -1;
  return (int)chanrecvul(c);
}
