/* C11 threads: a detached worker waits on a condition in a loop with no
 * exit. */
#include <threads.h>

struct c11q {
  mtx_t mu;
  cnd_t cv;
  int items;
};

static int c11_worker(void *arg) {
  struct c11q *q = arg;
  for (;;) {
    mtx_lock(&q->mu);
    while (q->items == 0)
      cnd_wait(&q->cv, &q->mu);
    q->items--;
    mtx_unlock(&q->mu);
  }
  return 0;
}

int c11_start(struct c11q *q) {
  thrd_t t;
  if (thrd_create(&t, c11_worker, q) != thrd_success) // want: wait-without-cancel
    return -1;
  return thrd_detach(t);
}
