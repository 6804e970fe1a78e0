/* Fixed: one timer per element, stored in that element, or closed in the
 * iteration, or closed by its own callback. */
#include <stdlib.h>
#include <uv.h>

struct conn {
  uv_timer_t timeout;
  int fd;
};

static void on_timeout(uv_timer_t *t) { (void)t; }

static void on_close(uv_handle_t *h) { free(h); }

static void on_once(uv_timer_t *t) { uv_close((uv_handle_t *)t, on_close); }

void init_all(uv_loop_t *loop, uv_timer_t *timers, int n) {
  for (int i = 0; i < n; i++) {
    uv_timer_init(loop, &timers[i]);
    uv_timer_start(&timers[i], on_timeout, 1000, 1000);
  }
}

void init_conns(uv_loop_t *loop, struct conn *conns, int n) {
  for (int i = 0; i < n; i++) {
    uv_timer_t *t = &conns[i].timeout;
    uv_timer_init(loop, t);
    uv_timer_start(t, on_timeout, 1000, 0);
  }
}

void closed_each_time(uv_loop_t *loop, int n) {
  for (int i = 0; i < n; i++) {
    uv_timer_t *t = malloc(sizeof *t);
    uv_timer_init(loop, t);
    uv_timer_start(t, on_timeout, 10, 0);
    uv_close((uv_handle_t *)t, on_close);
  }
}

void self_closing(uv_loop_t *loop, int n) {
  for (int i = 0; i < n; i++) {
    uv_timer_t *t = malloc(sizeof *t);
    uv_timer_init(loop, t);
    uv_timer_start(t, on_once, 10, 0);
  }
}

/* The callback hands the handle to project code we cannot see (it may close it). */
void conn_timeout_done(uv_timer_t *t);

static void on_conn_timeout(uv_timer_t *t) { conn_timeout_done(t); }

void via_project(uv_loop_t *loop, int n) {
  for (int i = 0; i < n; i++) {
    uv_timer_t *t = malloc(sizeof *t);
    uv_timer_init(loop, t);
    uv_timer_start(t, on_conn_timeout, 10, 0);
  }
}
