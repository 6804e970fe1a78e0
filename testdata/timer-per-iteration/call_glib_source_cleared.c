/* Timers per call: a field keeps the source; the code that is done with it
 * only detaches it (g_source_destroy) or forgets the pointer when it fires,
 * so the creator's reference leaks on every call of the creator. */
#include <glib.h>

typedef struct { GMainContext *ctx; GSource *retry; GSource *flush; int dirty; } Conn;

static gboolean retry_fire(gpointer data) {
  Conn *c = data;
  c->retry = NULL; // want: timer-per-iteration
  return G_SOURCE_REMOVE;
}

static gboolean flush_fire(gpointer data) {
  Conn *c = data;
  c->dirty = 0;
  return G_SOURCE_REMOVE;
}

static void schedule_retry(Conn *c, guint ms) {
  if (c->retry)
    return;
  c->retry = g_timeout_source_new(ms);
  g_source_set_callback(c->retry, retry_fire, c, NULL);
  g_source_attach(c->retry, c->ctx);
}

static void schedule_flush(Conn *c) {
  if (c->flush) {
    g_source_destroy(c->flush);
    c->flush = NULL; // want: timer-per-iteration
  }
  c->flush = g_timeout_source_new_seconds(1);
  g_source_set_callback(c->flush, flush_fire, c, NULL);
  g_source_attach(c->flush, c->ctx);
}

void conn_on_error(Conn *c) { schedule_retry(c, 500); }

void conn_write_all(Conn *c, int n) {
  for (int i = 0; i < n; i++) {
    c->dirty = 1;
    schedule_flush(c);
  }
}

void conn_close(Conn *c) {
  g_source_destroy(c->flush);
  c->flush = NULL; // want: timer-per-iteration
}
