/* EarlyReturn with tylertreat/chan and a pthread: the producer blocks in
 * chan_send (a pthread_cond_wait) forever. */
#include <chan.h>
#include <pthread.h>

static void *producer(void *arg) {
  chan_t *c = arg;
  chan_send_int32(c, 7);
  return NULL;
}

static int consume(int fail) {
  chan_t *c = chan_init(0);
  pthread_t t;
  pthread_create(&t, NULL, producer, c); // want: unbuffered-send
  pthread_detach(t);
  if (fail) return -1;
  int32_t v = 0;
  chan_recv_int32(c, &v);
  return v;
}
