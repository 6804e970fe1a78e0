/* Timers per call, libevent: an HTTP request handler (evhttp_set_gencb)
 * arms a timeout event per request and never event_free()s it; the read
 * callback of a persistent event does the same with event_new(-1,
 * EV_TIMEOUT). event_del only makes an event non-pending. */
#include <event2/event.h>
#include <event2/http.h>

typedef struct { struct event_base *base; long served; } Server;

static void request_timeout(evutil_socket_t fd, short what, void *arg) {
  Server *s = arg;
  (void)fd;
  (void)what;
  s->served++;
}

static void on_request(struct evhttp_request *req, void *arg) {
  Server *s = arg;
  struct timeval tv = {30, 0};
  struct event *ev = evtimer_new(s->base, request_timeout, s); // want: timer-per-iteration
  evtimer_add(ev, &tv);
  evhttp_send_reply(req, 200, "OK", NULL);
}

static void on_readable(evutil_socket_t fd, short what, void *arg) {
  Server *s = arg;
  struct timeval tv = {5, 0};
  (void)what;
  struct event *idle = event_new(s->base, -1, EV_TIMEOUT, request_timeout, s); // want: timer-per-iteration
  event_add(idle, &tv);
  event_del(idle);
  (void)fd;
}

void server_start(Server *s, struct evhttp *http, evutil_socket_t sock) {
  evhttp_set_gencb(http, on_request, s);
  struct event *rd = event_new(s->base, sock, EV_READ | EV_PERSIST, on_readable, s);
  event_add(rd, NULL);
}
