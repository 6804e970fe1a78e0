/* A spawn written inside a test macro's argument (nng's
 * `NUTS_PASS(nng_thread_create(&thr, fn, arg))`): the message names the call
 * the user wrote, pthread_create, not the CHECK macro around it. A macro whose
 * own expansion makes the call (MAS_START below) is named as the macro. */
#include <pthread.h>
#include <stdlib.h>

#define MAS_CHECK(x)        \
  do {                      \
    if ((x) != 0) abort();  \
  } while (0)
#define MAS_START(t, f, a) pthread_create(t, NULL, f, a)

struct mas_queue {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int items;
};

static void *mas_worker(void *arg) {
  struct mas_queue *q = arg;
  pthread_mutex_lock(&q->mu);
  for (;;) {
    while (q->items == 0) pthread_cond_wait(&q->cv, &q->mu);
    q->items--;
  }
  return NULL;
}

void mas_start_checked(struct mas_queue *q) {
  pthread_t t;
  MAS_CHECK(pthread_create(&t, NULL, mas_worker, q)); // want: wait-without-cancel "task started by pthread_create never finishes"
  pthread_detach(t);
}

void mas_start_macro(struct mas_queue *q) {
  pthread_t t;
  MAS_START(&t, mas_worker, q); // want: wait-without-cancel "task started by MAS_START never finishes"
  pthread_detach(t);
}
