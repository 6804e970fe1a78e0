/* The complete fate of a task: the spawner copies the handle into the
 * server object and returns early without receiving; stop() joins the copy
 * later, so the producer stays blocked in chan_send and that join hangs.
 * (Reading only the spawner's own use of the handle, the rule could not
 * name the join.) */
#include <chan.h>
#include <pthread.h>

struct fetch_server {
  pthread_t th;
  chan_t *c;
};

static void *producer(void *arg) {
  chan_t *c = arg;
  chan_send_int32(c, 7);
  return NULL;
}

int server_fetch(struct fetch_server *s, int fail) {
  chan_t *c = chan_init(0);
  pthread_t t;
  pthread_create(&t, NULL, producer, c); // want: unbuffered-send "pthread_join in `server_stop` that waits for it then hangs forever"
  s->th = t;
  if (fail) return -1;
  int32_t v = 0;
  chan_recv_int32(c, &v);
  return v;
}

void server_stop(struct fetch_server *s) { pthread_join(s->th, NULL); }
