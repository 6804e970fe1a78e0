/* Fixed twin: a buffer of one lets the worker finish without a receiver. */
#include <libmill.h>

static coroutine void worker(chan ch) {
  chs(ch, int, 42);
  chclose(ch);
}

static int fetch(int fail) {
  chan ch = chmake(int, 1);
  go(worker(chdup(ch)));
  if (fail) return -1;
  int v = chr(ch, int);
  chclose(ch);
  return v;
}
