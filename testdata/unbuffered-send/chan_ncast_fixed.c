/* Fixed twin: a buffer as large as the number of workers. */
#include <chan.h>
#include <pthread.h>

static void *worker(void *arg) {
  chan_send_int32((chan_t *)arg, 1);
  return NULL;
}

static int race(void) {
  chan_t *c = chan_init(3);
  for (int i = 0; i < 3; i++) {
    pthread_t t;
    pthread_create(&t, NULL, worker, c);
    pthread_detach(t);
  }
  int32_t v = 0;
  chan_recv_int32(c, &v);
  return v;
}
