/* Timers per call, libuv: the read callback (uv_read_start) allocates and
 * starts a uv_timer_t for every chunk read and never uv_close()s it. */
#include <stdlib.h>
#include <uv.h>

typedef struct { uv_tcp_t tcp; long chunks; } Client;

static void chunk_timeout(uv_timer_t *t) { (void)t; }

static void alloc_cb(uv_handle_t *h, size_t n, uv_buf_t *buf) {
  (void)h;
  buf->base = malloc(n);
  buf->len = n;
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf) {
  Client *c = (Client *)stream;
  free(buf->base);
  if (nread <= 0)
    return;
  c->chunks++;
  uv_timer_t *t = malloc(sizeof *t);
  uv_timer_init(stream->loop, t); // want: timer-per-iteration
  uv_timer_start(t, chunk_timeout, 1000, 0);
}

void client_start(Client *c) { uv_read_start((uv_stream_t *)&c->tcp, alloc_cb, on_read); }
