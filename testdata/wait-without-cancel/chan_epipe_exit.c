/* Twin of chan_recv_ignored.c: a failed receive (the channel was closed)
 * leaves the loop. */
#include <chan.h>
#include <pthread.h>
#include <stdio.h>

static void *chan_consumer2(void *arg) {
  chan_t *c = arg;
  for (;;) {
    void *msg = NULL;
    if (chan_recv(c, &msg) != 0)
      break;
    puts(msg);
  }
  return NULL;
}

void chan_run2(void) {
  chan_t *c = chan_init(16);
  pthread_t t;
  pthread_create(&t, NULL, chan_consumer2, c);
  chan_send(c, "one");
  chan_close(c);
  pthread_join(t, NULL);
  chan_dispose(c);
}
