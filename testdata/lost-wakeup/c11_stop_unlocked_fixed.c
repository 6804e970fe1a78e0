/* C11 threads, fixed the way bshoshany/thread-pool 704ae80 fixed its pool:
 * the flag is written outside, but the mutex is taken (an empty critical
 * section) between the write and the broadcast, so the waiter either saw
 * the flag or is already parked. Correct; must stay silent. */
#include <threads.h>

static mtx_t mu;
static cnd_t cv;
static int done;
static thrd_t th;

static int run(void *arg) {
  mtx_lock(&mu);
  while (!done)
    cnd_wait(&cv, &mu);
  mtx_unlock(&mu);
  return arg != 0;
}

void start(void) {
  mtx_init(&mu, mtx_plain);
  cnd_init(&cv);
  thrd_create(&th, run, 0);
}

void finish(void) {
  done = 1;
  mtx_lock(&mu);
  mtx_unlock(&mu);
  cnd_broadcast(&cv);
  thrd_join(th, 0);
}
