/* Fixed twin: the channel holds one answer per sender. */
#include <libmill.h>

static coroutine void query(chan ch, int replica) {
  chs(ch, int, replica);
}

static int first_answer(int n) {
  chan ch = chmake(int, n);
  for (int i = 0; i < n; i++)
    go(query(ch, i));
  return chr(ch, int);
}
