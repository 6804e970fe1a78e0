/* A chain of coroutines built in a loop (libmill perf/whispers.c): each
 * link receives from the next channel and sends on the previous one, and
 * the caller feeds the last and drains the first. The channel variables
 * are reassigned every iteration; leaklint makes no claim. */
#include <libmill.h>

static coroutine void whisper(chan left, chan right) {
  int val = chr(right, int);
  chs(left, int, val + 1);
}

static int run_chain(long count) {
  chan leftmost = chmake(int, 0);
  chan left = leftmost, right = leftmost;
  for (long i = 0; i < count; ++i) {
    right = chmake(int, 0);
    go(whisper(left, right));
    left = right;
  }
  chs(right, int, 1);
  return chr(leftmost, int);
}

int main(void) { return run_chain(10) == 11 ? 0 : 1; }
