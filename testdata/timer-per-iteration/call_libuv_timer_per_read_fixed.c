/* Fixed twin of call_libuv_timer_per_read.c: the timer closes itself when it
 * fires (and would free itself in the close callback). */
#include <stdlib.h>
#include <uv.h>

typedef struct { uv_tcp_t tcp; long chunks; } FixedClient;

static void free_handle(uv_handle_t *h) { free(h); }

static void chunk_timeout_fixed(uv_timer_t *t) { uv_close((uv_handle_t *)t, free_handle); }

static void alloc_cb_fixed(uv_handle_t *h, size_t n, uv_buf_t *buf) {
  (void)h;
  buf->base = malloc(n);
  buf->len = n;
}

static void on_read_fixed(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf) {
  FixedClient *c = (FixedClient *)stream;
  free(buf->base);
  if (nread <= 0)
    return;
  c->chunks++;
  uv_timer_t *t = malloc(sizeof *t);
  uv_timer_init(stream->loop, t);
  uv_timer_start(t, chunk_timeout_fixed, 1000, 0);
}

void client_start_fixed(FixedClient *c) { uv_read_start((uv_stream_t *)&c->tcp, alloc_cb_fixed, on_read_fixed); }
