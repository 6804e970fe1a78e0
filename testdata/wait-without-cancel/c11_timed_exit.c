/* C11: a timed wait in a loop that ends when the work is done. */
#include <threads.h>
#include <time.h>

struct c11t {
  mtx_t mu;
  cnd_t cv;
  int remaining;
};

static int c11t_worker(void *arg) {
  struct c11t *q = arg;
  mtx_lock(&q->mu);
  while (q->remaining > 0) {
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    ts.tv_sec += 1;
    if (cnd_timedwait(&q->cv, &q->mu, &ts) == thrd_timedout)
      q->remaining--;
  }
  mtx_unlock(&q->mu);
  return 0;
}

void c11t_run(struct c11t *q) {
  thrd_t t;
  thrd_create(&t, c11t_worker, q);
  thrd_join(t, NULL);
}
