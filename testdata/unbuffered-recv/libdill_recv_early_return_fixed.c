/* Fixed twin: hclose cancels the worker on the error path too. */
#include <libdill.h>

static coroutine void worker(int ch) {
  int job = 0;
  if (chrecv(ch, &job, sizeof job, -1) < 0) return;
}

static int dispatch_job(int job, int valid) {
  int ch[2];
  if (chmake(ch) != 0) return -1;
  int h = go(worker(ch[1]));
  if (!valid) {
    hclose(h);
    return -1;
  }
  chsend(ch[0], &job, sizeof job, -1);
  hclose(h);
  return 0;
}
