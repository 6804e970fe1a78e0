/* Fixed twin: every caller of server_start also calls server_stop. */
#include <libdill.h>

struct server2 {
  int ch[2];
  int worker;
};

static coroutine void serve2(int ch) {
  int v = 0;
  while (chrecv(ch, &v, sizeof v, -1) == 0) {
  }
}

static int server2_start(struct server2 *s) {
  if (chmake(s->ch) != 0) return -1;
  s->worker = go(serve2(s->ch[1]));
  return 0;
}

static void server2_stop(struct server2 *s) {
  hclose(s->worker);
  hclose(s->ch[0]);
  hclose(s->ch[1]);
}

static int run_once2(int x) {
  struct server2 s;
  if (server2_start(&s)) return -1;
  chsend(s.ch[0], &x, sizeof x, -1);
  server2_stop(&s);
  return 0;
}

int main(void) { return run_once2(1); }
