/* tylertreat/chan: the consumer ignores chan_recv's result, so closing the
 * (buffered) channel does not end its loop and the join hangs. */
#include <chan.h>
#include <pthread.h>
#include <stdio.h>

static void *chan_consumer(void *arg) {
  chan_t *c = arg;
  for (;;) {
    void *msg = NULL;
    chan_recv(c, &msg);
    if (msg)
      puts(msg);
  }
  return NULL;
}

void chan_run(void) {
  chan_t *c = chan_init(16);
  pthread_t t;
  pthread_create(&t, NULL, chan_consumer, c); // want: wait-without-cancel
  chan_send(c, "one");
  chan_close(c);
  pthread_join(t, NULL);
  chan_dispose(c);
}
