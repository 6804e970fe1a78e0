/* MethodContractViolation: server_start spawns a worker that only
 * server_stop ends (hclose of the worker handle); run_once starts a server
 * and returns without stopping it. */
#include <libdill.h>

struct server {
  int ch[2];
  int worker;
};

static coroutine void serve(int ch) {
  int v = 0;
  while (chrecv(ch, &v, sizeof v, -1) == 0) {
  }
}

static int server_start(struct server *s) {
  if (chmake(s->ch) != 0) return -1;
  s->worker = go(serve(s->ch[1])); // want: unbuffered-recv
  return 0;
}

static void server_stop(struct server *s) {
  hclose(s->worker);
  hclose(s->ch[0]);
  hclose(s->ch[1]);
}

static int run_once(int x) {
  struct server s;
  if (server_start(&s)) return -1;
  chsend(s.ch[0], &x, sizeof x, -1);
  return 0;
}

static int run_ok(int x) {
  struct server s;
  if (server_start(&s)) return -1;
  chsend(s.ch[0], &x, sizeof x, -1);
  server_stop(&s);
  return 0;
}

int main(void) { return run_once(1) + run_ok(2); }
