/* NCast: one coroutine per replica, the first answer wins; the others
 * stay blocked in chsend. */
#include <libdill.h>

static coroutine void query(int ch, int replica) {
  int v = replica * 10;
  chsend(ch, &v, sizeof v, -1);
}

static int first_answer(int nreplicas) {
  int ch[2];
  if (chmake(ch) != 0) return -1;
  for (int i = 0; i < nreplicas; i++) {
    go(query(ch[0], i)); // want: unbuffered-send
  }
  int v = 0;
  chrecv(ch[1], &v, sizeof v, -1);
  return v;
}
