/* Fixed twin: chan_close ends the consumer's loop; then join it. */
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
  pthread_create(&t, NULL, consumer, c);
  chan_send(c, "one");
  chan_send(c, "two");
  chan_close(c);
  pthread_join(t, NULL);
  chan_dispose(c);
}
