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

/* one run per request: a new worker leaks on every call of run_once */
int main(int argc, char **argv) {
  (void)argv;
  int r = 0;
  while (argc-- > 0) r += run_once(argc);
  return r + run_ok(2);
}
