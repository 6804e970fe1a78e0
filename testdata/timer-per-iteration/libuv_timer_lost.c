/* A libuv timer allocated and started for every connection and never
 * uv_close'd: the handle and its memory leak, and the loop keeps running. */
#include <stdlib.h>
#include <uv.h>

static void on_timeout(uv_timer_t *t) { (void)t; }

void start_timeouts(uv_loop_t *loop, int nconns) {
  for (int i = 0; i < nconns; i++) {
    uv_timer_t *t = malloc(sizeof *t);
    uv_timer_init(loop, t); // want: timer-per-iteration
    uv_timer_start(t, on_timeout, 1000, 1000);
  }
}

/* free() without uv_close() does not unregister the handle either. */
void start_and_free(uv_loop_t *loop, int nconns) {
  int i = 0;
  while (i++ < nconns) {
    uv_timer_t *t = calloc(1, sizeof *t);
    uv_timer_init(loop, t); // want: timer-per-iteration
    uv_timer_start(t, on_timeout, 50, 0);
    free(t);
  }
}

/* One stack handle re-initialised every iteration. */
void reinit(uv_loop_t *loop, int n) {
  uv_timer_t t;
  for (int i = 0; i < n; i++) {
    uv_timer_init(loop, &t); // want: timer-per-iteration
    uv_timer_start(&t, on_timeout, 10, 0);
  }
}

/* The callback only reads the handle; nothing ever closes it. */
void count_tick(uv_loop_t *loop);

static void on_tick(uv_timer_t *t) { count_tick(t->loop); }

void start_tickers(uv_loop_t *loop, int n) {
  for (int i = 0; i < n; i++) {
    uv_timer_t *t = malloc(sizeof *t);
    uv_timer_init(loop, t); // want: timer-per-iteration
    uv_timer_start(t, on_tick, 100, 100);
  }
}
