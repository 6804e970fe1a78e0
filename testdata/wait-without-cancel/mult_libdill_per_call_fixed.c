/* The twin of mult_libdill_per_call.c: main starts the one reader and the
 * sessions share it; a once-per-process coroutine that lives until exit
 * and that nothing waits for is not reported. */
#include <libdill.h>

int next_session(void);

static coroutine void shared_reader(int ch) {
  int v;
  for (;;) chrecv(ch, &v, sizeof v, -1);
}

int main(void) {
  int ch[2];
  if (chmake(ch) != 0) return 1;
  go(shared_reader(ch[0]));
  int v = 1;
  while (next_session() >= 0) chsend(ch[1], &v, sizeof v, -1);
  return 0;
}
