/* Fixed twin of call_libevent_evtimer.c: the per-request timer frees itself
 * when it fires (event_self_cbarg), the idle timer is event_free()d, and a
 * periodic per-connection check frees the running event once it is done
 * (as libevent's test-ratelim does). */
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>

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

static void check_levels_fixed(evutil_socket_t fd, short what, void *arg) {
  FixedServer *s = arg;
  (void)fd;
  (void)what;
  if (++s->served > 10)
    event_free(event_base_get_running_event(s->base));
}

static void on_accept_fixed(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int len, void *arg) {
  FixedServer *s = arg;
  struct timeval tv = {0, 100000};
  (void)l;
  (void)fd;
  (void)sa;
  (void)len;
  struct event *check = event_new(s->base, -1, EV_PERSIST, check_levels_fixed, s);
  event_add(check, &tv);
}

void listen_fixed(FixedServer *s, struct sockaddr *sa, int len) {
  evconnlistener_new_bind(s->base, on_accept_fixed, s, LEV_OPT_REUSEABLE, -1, sa, len);
}

void server_start_fixed(FixedServer *s, struct evhttp *http, evutil_socket_t sock) {
  evhttp_set_gencb(http, on_request_fixed, s);
  struct event *rd = event_new(s->base, sock, EV_READ | EV_PERSIST, on_readable_fixed, s);
  event_add(rd, NULL);
}
