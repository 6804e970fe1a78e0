/* NCast with libtask: four tasks answer, one answer is read. */
#include <task.h>

static void ask(void *arg) {
  Channel *c = arg;
  int v = 1;
  chansend(c, &v);
}

static int first(void) {
  Channel *c = chancreate(sizeof(int), 0);
  for (int i = 0; i < 4; i++)
    taskcreate(ask, c, 32768); // want: unbuffered-send
  int v = 0;
  chanrecv(c, &v);
  return v;
}
