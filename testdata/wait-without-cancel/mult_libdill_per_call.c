/* Multiplicity, libdill: open_session starts a coroutine that receives on
 * its channel forever and drops the handle; every session opened by the
 * accept loop leaves one more coroutine parked in chrecv. */
#include <libdill.h>

int next_session(void);

static coroutine void session_reader(int ch) {
  int v;
  for (;;) chrecv(ch, &v, sizeof v, -1);
}

static void open_session(int ch) {
  go(session_reader(ch)); // want: wait-without-cancel "a new task leaks on every call of `open_session`"
}

int main(void) {
  int ch[2];
  if (chmake(ch) != 0) return 1;
  while (next_session() >= 0) open_session(ch[0]);
  return 0;
}
