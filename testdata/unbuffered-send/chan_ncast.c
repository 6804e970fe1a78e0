/* NCast with threads: each worker sends, the caller takes the first. */
#include <chan.h>
#include <pthread.h>

static void *worker(void *arg) {
  chan_send_int32((chan_t *)arg, 1);
  return NULL;
}

static int race(void) {
  chan_t *c = chan_init(0);
  for (int i = 0; i < 3; i++) {
    pthread_t t;
    pthread_create(&t, NULL, worker, c); // want: unbuffered-send
    pthread_detach(t);
  }
  int32_t v = 0;
  chan_recv_int32(c, &v);
  return v;
}
