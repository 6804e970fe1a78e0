/* EarlyReturn, receive side, libmill: the worker blocks in chr. */
#include <libmill.h>

static coroutine void worker(chan jobs) {
  int job = chr(jobs, int);
  (void)job;
}

static int start(int job, int valid) {
  chan jobs = chmake(int, 0);
  go(worker(jobs)); // want: unbuffered-recv
  if (!valid) return -1;
  chs(jobs, int, job);
  return 0;
}
