/* Fixed twin: the coroutines run in a bundle that is closed (cancelling
 * the losers) once the first answer arrived. */
#include <libdill.h>

static coroutine void query(int ch, int replica) {
  int v = replica * 10;
  chsend(ch, &v, sizeof v, -1);
}

static int first_answer(int nreplicas) {
  int ch[2];
  if (chmake(ch) != 0) return -1;
  int b = bundle();
  for (int i = 0; i < nreplicas; i++) {
    bundle_go(b, query(ch[0], i));
  }
  int v = 0;
  chrecv(ch[1], &v, sizeof v, -1);
  hclose(b);
  return v;
}
