/* EarlyReturn with libtask: the task blocks in chansendul forever. */
#include <task.h>

static void worker(void *arg) {
  Channel *c = arg;
  chansendul(c, 42);
}

static int fetch(int fail) {
  Channel *c = chancreate(sizeof(unsigned long), 0);
  taskcreate(worker, c, 32768); // want: unbuffered-send
  if (fail) return -1;
  return (int)chanrecvul(c);
}
