/* The twin of chan_per_request.c: the same fetch_once() runs once, from main's
 * start-up, so at most one once_producer stays blocked until the process exits
 * and nothing waits for it: a once-per-process task that lives until exit
 * is not reported (the multiplicity policy, rules/docs/unbuffered-send.md). */
#include <chan.h>
#include <pthread.h>

int config_missing(void);

static void *once_producer(void *arg) {
  chan_t *c = arg;
  chan_send_int32(c, 7);
  return NULL;
}

static int fetch_once(int fail) {
  chan_t *c = chan_init(0);
  pthread_t t;
  pthread_create(&t, NULL, once_producer, c);
  pthread_detach(t);
  if (fail) return -1;
  int32_t v = 0;
  chan_recv_int32(c, &v);
  return v;
}

int main(void) { return fetch_once(config_missing()) < 0; }
