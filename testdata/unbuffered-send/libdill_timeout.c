/* Timeout: the caller waits 100 ms and gives up; the coroutine stays
 * blocked in chsend forever. */
#include <libdill.h>

static coroutine void worker(int ch) {
  int v = 42;
  chsend(ch, &v, sizeof v, -1);
}

static int fetch_with_timeout(void) {
  int ch[2];
  if (chmake(ch) != 0) return -1;
  int h = go(worker(ch[0])); // want: unbuffered-send
  int v = 0;
  int rc = chrecv(ch[1], &v, sizeof v, now() + 100);
  if (rc < 0) return -1;
  hclose(h);
  return v;
}
