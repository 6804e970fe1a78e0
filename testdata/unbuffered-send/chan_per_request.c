/* Multiplicity: fetch() is called once per request by the serve loop, and
 * every early return leaves another req_producer blocked in chan_send: a new
 * task leaks on every call of fetch. */
#include <chan.h>
#include <pthread.h>

int next_request(void);

static void *req_producer(void *arg) {
  chan_t *c = arg;
  chan_send_int32(c, 7);
  return NULL;
}

static int fetch(int fail) {
  chan_t *c = chan_init(0);
  pthread_t t;
  pthread_create(&t, NULL, req_producer, c); // want: unbuffered-send "a new task leaks on every call of `fetch`"
  pthread_detach(t);
  if (fail) return -1;
  int32_t v = 0;
  chan_recv_int32(c, &v);
  return v;
}

int main(void) {
  int r;
  while ((r = next_request()) >= 0) fetch(r);
  return 0;
}
