/* Fixed twin: chdone on the error path makes the worker's chr return the
 * done value instead of blocking. */
#include <libmill.h>

static coroutine void worker(chan jobs) {
  int job = chr(jobs, int);
  (void)job;
}

static int start(int job, int valid) {
  chan jobs = chmake(int, 0);
  go(worker(jobs));
  if (!valid) {
    chdone(jobs, int, -1);
    return -1;
  }
  chs(jobs, int, job);
  return 0;
}
