/* C11 threads, shape 2 (writer side): the done flag and cnd_broadcast come
 * with no mtx_lock at all. */
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
  thrd_create(&th, run, 0); // want: lost-wakeup
}

void finish(void) {
  done = 1;
  cnd_broadcast(&cv);
  thrd_join(th, 0);
}
