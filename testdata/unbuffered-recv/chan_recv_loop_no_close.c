/* NoCloseRange with tylertreat/chan: the consumer thread receives until
 * chan_recv fails (the channel is closed); the producer never closes it. */
#include <chan.h>
#include <pthread.h>
#include <stdio.h>

static void *consumer(void *arg) {
  chan_t *c = arg;
  void *msg;
  while (chan_recv(c, &msg) == 0) puts(msg);
  return NULL;
}

static void produce(void) {
  chan_t *c = chan_init(0);
  pthread_t t;
  pthread_create(&t, NULL, consumer, c); // want: unbuffered-recv
  pthread_detach(t);
  chan_send(c, "one");
  chan_send(c, "two");
}
