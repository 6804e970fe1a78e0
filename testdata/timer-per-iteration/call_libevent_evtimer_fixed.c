/* Fixed twin of call_libevent_evtimer.c: the per-request timer frees itself
 * when it fires (event_self_cbarg), the idle timer is event_free()d. */
#include <event2/event.h>
#include <event2/http.h>

typedef struct { struct event_base *base; long served; } FixedServer;

static void request_timeout_fixed(evutil_socket_t fd, short what, void *arg) {
  (void)fd;
  (void)what;
  event_free(arg);
}

static void idle_timeout_fixed(evutil_socket_t fd, short what, void *arg) {
  FixedServer *s = arg;
  (void)fd;
  (void)what;
  s->served++;
}

static void on_request_fixed(struct evhttp_request *req, void *arg) {
  FixedServer *s = arg;
  struct timeval tv = {30, 0};
  struct event *ev = evtimer_new(s->base, request_timeout_fixed, event_self_cbarg());
  evtimer_add(ev, &tv);
  evhttp_send_reply(req, 200, "OK", NULL);
}

static void on_readable_fixed(evutil_socket_t fd, short what, void *arg) {
  FixedServer *s = arg;
  struct timeval tv = {5, 0};
  (void)what;
  struct event *idle = event_new(s->base, -1, EV_TIMEOUT, idle_timeout_fixed, s);
  event_add(idle, &tv);
  event_base_loopexit(s->base, &tv);
  event_free(idle);
  (void)fd;
}

void server_start_fixed(FixedServer *s, struct evhttp *http, evutil_socket_t sock) {
  evhttp_set_gencb(http, on_request_fixed, s);
  struct event *rd = event_new(s->base, sock, EV_READ | EV_PERSIST, on_readable_fixed, s);
  event_add(rd, NULL);
}
