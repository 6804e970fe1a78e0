/* Twin of c11_forever.c: a stop flag in the predicate, thrd_exit when it is
 * set, broadcast and join in the stop function. */
#include <threads.h>

struct c11s {
  mtx_t mu;
  cnd_t cv;
  int items;
  int stop;
  thrd_t t;
};

static int c11s_worker(void *arg) {
  struct c11s *q = arg;
  for (;;) {
    mtx_lock(&q->mu);
    while (q->items == 0 && !q->stop)
      cnd_wait(&q->cv, &q->mu);
    if (q->stop) {
      mtx_unlock(&q->mu);
      thrd_exit(0);
    }
    q->items--;
    mtx_unlock(&q->mu);
  }
}

int c11s_start(struct c11s *q) { return thrd_create(&q->t, c11s_worker, q); }

void c11s_stop(struct c11s *q) {
  mtx_lock(&q->mu);
  q->stop = 1;
  cnd_broadcast(&q->cv);
  mtx_unlock(&q->mu);
  thrd_join(q->t, NULL);
}
