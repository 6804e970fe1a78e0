/* NCast: n senders, one receive. */
#include <libmill.h>

static coroutine void query(chan ch, int replica) {
  chs(ch, int, replica);
}

static int first_answer(int n) {
  chan ch = chmake(int, 0);
  for (int i = 0; i < n; i++)
    go(query(ch, i)); // want: unbuffered-send
  return chr(ch, int);
}
