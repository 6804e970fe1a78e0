/* The twin of chan_handle_field_join.c: stop() cancels the cproducer through
 * the copy of its handle before joining it (chan_send waits in
 * pthread_cond_wait, a cancellation point), so the early return leaves
 * nothing blocked for good. Only the complete fate of the handle sees that
 * cancel: the spawner's own code never cancels. */
#include <chan.h>
#include <pthread.h>

struct cserver {
  pthread_t th;
  chan_t *c;
};

static void *cproducer(void *arg) {
  chan_t *c = arg;
  chan_send_int32(c, 7);
  return NULL;
}

int cserver_fetch(struct cserver *s, int fail) {
  chan_t *c = chan_init(0);
  pthread_t t;
  pthread_create(&t, NULL, cproducer, c);
  s->th = t;
  if (fail) return -1;
  int32_t v = 0;
  chan_recv_int32(c, &v);
  return v;
}

void cserver_stop(struct cserver *s) {
  pthread_cancel(s->th);
  pthread_join(s->th, NULL);
}
